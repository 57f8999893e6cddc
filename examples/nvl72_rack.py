"""Size the pump and the manifold headers of an NVL72-class rack so that every GPU stays cool.

The rack: 18 compute trays, each with two cooling loops (one per superchip) of a CPU cold plate
followed by two GPU cold plates in series, quick disconnects at the tray inlet and outlet, and
vertical supply and return headers at one rack unit pitch. Coolant PG25 enters the rack at 45 °C,
the highest inlet temperature of the NVIDIA reference designs (docs/references.md §2).

Assumptions (indicative, from docs/references.md unless stated):

- GPU 1.2 kW, CPU 0.7 kW (GB200 superchip 2.7 kW minus two ~1.0 kW B200 [D]); both plates use the
  default GB200-class datasheet laws of ``ColdPlate`` (0.03 K/W and 20 kPa at 1.8 L/min) and the
  default 85 °C case limit;
- quick disconnects Kv = 2.0 m³/h each (illustrative; use the coupling's datasheet);
- design rules chosen for this example: hottest case at least 2 K below its limit, tray-to-tray
  flow spread (max/min - 1) at most 5 %, header velocity at most 1.5 m/s (the flow-velocity limit
  of the OCP cold-plate work, docs/references.md §2 [S], applied to the headers).

For each header bore and routing (U: direct return, Z: reverse return), the script finds the
smallest pump pressure rise that keeps the hottest case within the margin (regula falsi on
warm-started solves). The pipe size is the smallest bore meeting the velocity and spread rules;
of its two routings the one with the lower pump power is chosen.

Run ``python examples/nvl72_rack.py [--out DIR]``: prints the sizing table and the chosen design
(hottest GPU, pump duty and power, per-tray flow spread) and writes ``nvl72_rack.png``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from thermo import Coolant
from thermo.components.cooling import PlateSpec, Rack, rack_summary
from thermo.network import Cooler, ExpansionTank, Network, Pump

C = 273.15
PG25 = Coolant("PG25")
T_SUPPLY = 45.0 + C
GPU = PlateSpec("gpu", heat=1200.0)
CPU = PlateSpec("cpu", heat=700.0)
LOOPS = [[CPU, GPU, GPU], [CPU, GPU, GPU]]
QD_KV = 2.0
MARGIN = 2.0  # K below the case limit
MAX_SPREAD = 0.05  # max/min tray flow - 1
MAX_VELOCITY = 1.5  # m/s in the headers (OCP cold-plate velocity limit, docs/references.md §2 [S])
BORES = (0.025, 0.032, 0.040, 0.050)  # m, inner diameter of both headers


def build(bore: float, routing: str) -> tuple[Network, Rack]:
    """Closed loop: a CDU stand-in (pump + cooler holding 45 °C) feeding one rack."""
    rack = Rack(
        "rack",
        "supply",
        "return",
        trays=18,
        loops=LOOPS,
        quick_disconnect_kv=QD_KV,
        header_diameter=bore,
        routing=routing,
    )
    net = Network(coolant=PG25, name=f"nvl72 {routing} {bore * 1e3:.0f} mm")
    net.add(
        rack,
        Cooler("cdu_hx", "return", "suction", outlet_temperature=T_SUPPLY),
        Pump("cdu_pump", "suction", "supply", pressure_rise=100e3),
        ExpansionTank("tank", "suction", pressure=3e5),
    )
    return net, rack


def hottest_margin(result, rack: Rack) -> float:
    return float(rack_summary(result, rack)["case_margin_min_K"].min())


def size(bore: float, routing: str) -> dict:
    """Smallest pump rise with the hottest case MARGIN below its limit.

    The margin rises smoothly with the pump rise: regula falsi (Illinois variant) on
    ``margin(ln dp) - MARGIN``, bracketed in [20, 600] kPa, to 0.01 K; each solve warm-starts
    from the previous one.
    """
    net, rack = build(bore, routing)
    res = None

    def excess(log_dp: float) -> float:
        nonlocal res
        net.set_parameter("cdu_pump", "pressure_rise", float(np.exp(log_dp)))
        res = net.solve(warm_start=res)
        return hottest_margin(res, rack) - MARGIN

    a, b = np.log(20e3), np.log(600e3)
    fa, fb = excess(a), excess(b)
    if fb < 0:
        return {"bore_mm": bore * 1e3, "routing": routing, "feasible": False}
    side = 0
    hi = b
    if fa < 0:
        for _ in range(30):
            c = b - fb * (b - a) / (fb - fa)
            fc = excess(c)
            if abs(fc) < 0.01:
                break
            if fc * fb > 0:
                b, fb = c, fc
                if side == 1:
                    fa /= 2
                side = 1
            else:
                a, fa = c, fc
                if side == -1:
                    fb /= 2
                side = -1
        hi = c if fc >= 0 else b
    else:
        hi = a
    hi = float(np.exp(hi))
    net.set_parameter("cdu_pump", "pressure_rise", hi)
    res = net.solve(warm_start=res)
    table = rack_summary(res, rack)
    comp = res.components
    return {
        "bore_mm": bore * 1e3,
        "routing": routing,
        "feasible": True,
        "pump_dp_kPa": hi / 1e3,
        "flow_L_min": float(comp.loc["cdu_pump", "V_dot_L_min"]),
        "pump_power_W": float(comp.loc["cdu_pump", "P_el_W"]),
        "spread": float(table["m_dot_kg_s"].max() / table["m_dot_kg_s"].min() - 1.0),
        "header_velocity_m_s": float(comp.loc["rack.supply00", "velocity_m_s"]),
        "result": res,
        "rack": rack,
        "table": table,
    }


def plot(design: dict, rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for k, bore in enumerate(sorted({r["bore_mm"] for r in rows})):
        for r in rows:
            if r["bore_mm"] != bore or not r["feasible"]:
                continue
            t = r["table"]
            ax1.plot(
                range(len(t)),
                100 * (t["flow_ratio"] - 1),
                "-" if r["routing"] == "U" else "--",
                color=f"C{k}",
                label=f"{bore:.0f} mm, {r['routing']}-type",
            )
    ax1.set_xlabel("tray (0 = feed end, bottom)")
    ax1.set_ylabel("tray flow minus mean [%]")
    ax1.set_title("Flow distribution at the sized pump rise")
    ax1.legend(fontsize=7, ncol=2)
    res, rack = design["result"], design["rack"]
    comp = res.components
    for k, tray in enumerate(rack.trays):
        for p in tray.plates:
            T = comp.loc[p.name, "T_case_C"]
            gpu = ".gpu" in p.name
            ax2.plot(k, T, "o" if gpu else "^", color="C3" if gpu else "C0", ms=4)
    ax2.axhline(85.0, color="k", lw=1, label="case limit 85 °C")
    ax2.axhline(85.0 - MARGIN, color="k", lw=1, ls=":", label=f"design ({MARGIN:.0f} K margin)")
    ax2.plot([], [], "o", color="C3", label="GPU")
    ax2.plot([], [], "^", color="C0", label="CPU")
    ax2.set_xlabel("tray")
    ax2.set_ylabel("case temperature [°C]")
    ax2.set_title(f"Chosen design: {design['routing']}-type, {design['bore_mm']:.0f} mm headers")
    ax2.legend(fontsize=8, loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(out: Path) -> None:
    t0 = time.perf_counter()
    rows = [size(b, r) for b in BORES for r in ("U", "Z")]
    print("header  routing  pump dp   flow     pump power  flow spread  header velocity")
    for r in rows:
        if not r["feasible"]:
            print(f"{r['bore_mm']:4.0f} mm  {r['routing']}        infeasible below 600 kPa")
            continue
        print(
            f"{r['bore_mm']:4.0f} mm  {r['routing']}        {r['pump_dp_kPa']:6.1f} kPa "
            f"{r['flow_L_min']:6.1f} L/min {r['pump_power_W']:7.0f} W   "
            f"{100 * r['spread']:6.2f} %     {r['header_velocity_m_s']:.2f} m/s"
        )
    ok = [
        r
        for r in rows
        if r["feasible"] and r["spread"] <= MAX_SPREAD and r["header_velocity_m_s"] <= MAX_VELOCITY
    ]
    bore = min(r["bore_mm"] for r in ok)
    design = min((r for r in ok if r["bore_mm"] == bore), key=lambda r: r["pump_power_W"])
    res, table = design["result"], design["table"]
    gpus = res.components.loc[[p.name for p in design["rack"].plates if ".gpu" in p.name]]
    hottest = gpus["T_case_C"].idxmax()
    print(
        f"\nChosen: {design['routing']}-type manifold, {design['bore_mm']:.0f} mm headers "
        f"(smallest bore with header velocity <= {MAX_VELOCITY} m/s and spread <= "
        f"{100 * MAX_SPREAD:.0f} %; lower pump power of U and Z)"
    )
    print(
        f"  pump duty {design['flow_L_min']:.1f} L/min at {design['pump_dp_kPa']:.1f} kPa, "
        f"electrical power {design['pump_power_W']:.0f} W "
        f"({100 * design['pump_power_W'] / table['Q_W'].sum():.2f} % of the "
        f"{table['Q_W'].sum() / 1e3:.1f} kW liquid-cooled heat)"
    )
    print(
        f"  hottest GPU {hottest}: {gpus.loc[hottest, 'T_case_C']:.2f} °C "
        f"(limit 85 °C, margin {gpus.loc[hottest, 'case_margin_K']:.2f} K)"
    )
    print(
        f"  per-tray flow {table['V_dot_L_min'].min():.3f}–{table['V_dot_L_min'].max():.3f} L/min, "
        f"spread {100 * design['spread']:.2f} %; rack return "
        f"{res.temperature('return') - C:.1f} °C"
    )
    flags = {f.code for f in res.flags}
    print(f"  flags: {sorted(flags) or 'none'}; solved in {time.perf_counter() - t0:.1f} s total")
    path = out / "nvl72_rack.png"
    plot(design, rows, path)
    print(f"  wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the PNG")
    args = parser.parse_args()
    main(args.out)
