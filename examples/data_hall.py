"""A liquid-cooled data-hall row: four NVL72-class racks, a CDU with N+1 pumps, a dry cooler.

Network (two loops, one hydraulic-thermal system)::

    technology loop (PG25)  CDU pumps (2 running + 1 standby) → CDU plate HX (hot side)
                            → row supply → 4 racks in parallel (18 trays each) → row return
    facility loop (water)   facility pump → CDU valve → CDU plate HX (cold side) → dry cooler
                            → facility pump

Controls: the CDU pumps hold 210 kPa between the row supply and return (pump speed), the CDU's
facility valve holds the rack supply at 45 °C (the highest inlet of NVIDIA's reference designs,
docs/references.md §2), and the dry-cooler fans hold the facility supply at 38 °C (fan speed).

Data (indicative): racks as in ``examples/nvl72_rack.py`` (GPU 1.2 kW, CPU 0.7 kW, default
GB200-class cold plates, 50 mm U-type headers); a CDU rated 500 kW at 3 K approach (within the
3–5 K of commercial CDUs, docs/references.md §2) with an illustrative pump curve; an illustrative
450 kW dry cooler rated 48 → 38 °C at 35 °C ambient with fans at 2 % of duty (the OCP door-HX cap,
docs/references.md §2). The hall is solved at three ambient temperatures, each warm-started from the
previous one.

Start-up: the network's cold start cannot yet handle temperature setpoints (at the uniform starting
temperature no flow changes any temperature, so the first Newton matrix is singular), and a
temperature control far from its setpoint can step the valve far outside its range. The first
solve is therefore staged (:func:`staged_solve`): the same hall with the valve and the fans fixed;
then the controlled hall with its setpoints at the temperatures reached, warm-started from it; then
the setpoints moved to their targets in a few warm-started steps.

Run ``python examples/data_hall.py [--out DIR]``: prints the operating point at each ambient and
writes ``data_hall.png``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from thermo import Coolant
from thermo.components.cooling import CDU, DryCooler, PlateSpec, Rack, cdu_summary, rack_summary
from thermo.correlations.dry_cooler import DryCoolerRating
from thermo.network import ExpansionTank, Network, Pipe, Pump, SolverOptions

C = 273.15
PG25, WATER = Coolant("PG25"), Coolant("water")
RACKS = 4
GPU = PlateSpec("gpu", heat=1200.0)
CPU = PlateSpec("cpu", heat=700.0)
T_RACK_SUPPLY = 45.0 + C
T_FACILITY_SUPPLY = 38.0 + C
ROW_DP = 210e3  # Pa between row supply and return (rack sizing of nvl72_rack.py plus margin)
DRY_COOLER = DryCoolerRating(
    Q_design=450e3,
    m_water_design=450e3 / (4180.0 * 10.0),
    T_water_in_design=48.0 + C,
    T_air_in_design=35.0 + C,
    V_air_design=45.0,
    P_fan_design=9e3,
)
AMBIENTS_C = (20.0, 26.0, 32.0)
CONTINUATION_STEPS = 4


def build(*, controlled: bool) -> tuple[Network, CDU, list[Rack], DryCooler]:
    """The hall; with ``controlled`` False the valve and the fans are fixed (staged start)."""
    racks = [
        Rack(
            f"rack{k}",
            f"rack{k}.in",
            f"rack{k}.out",
            trays=18,
            loops=[[CPU, GPU, GPU]] * 2,
            quick_disconnect_kv=2.0,
            header_diameter=0.05,
            routing="U",
        )
        for k in range(RACKS)
    ]
    cdu = CDU(
        "cdu",
        secondary_supply="row_s",
        secondary_return="row_r",
        facility_supply="fw_s",
        facility_return="fw_r",
        capacity=500e3,
        approach=3.0,
        secondary_design_flow=8.0,
        facility_design_flow=12.0,
        facility_design_temperature=T_FACILITY_SUPPLY,
        secondary_coolant=PG25,
        facility_coolant=WATER,
        pump_curve=[(0.0, 400e3), (0.004, 320e3), (0.007, 180e3)],
        pumps_running=2,
        standby_pumps=1,
        secondary_pressure_drop=40e3,
        facility_pressure_drop=40e3,
        supply_temperature=T_RACK_SUPPLY if controlled else None,
        differential_pressure=ROW_DP,
        valve_opening=0.6,
    )
    dry = DryCooler(
        "dry_cooler",
        "fw_r",
        "fw_dc",
        rating=DRY_COOLER,
        ambient_temperature=AMBIENTS_C[0] + C,
        speed=0.5,
        pressure_drop=(40e3, DRY_COOLER.m_water_design),
    )
    net = Network(name="data hall")
    net.add(cdu, *racks, dry)
    for k in range(RACKS):  # 10 m of DN80 from the CDU to each rack and back
        net.add(
            Pipe(f"row_sup{k}", "row_s", f"rack{k}.in", length=10.0, diameter=0.08, k_minor=1.5),
            Pipe(f"row_ret{k}", f"rack{k}.out", "row_r", length=10.0, diameter=0.08, k_minor=1.5),
        )
    net.add(
        Pump(
            "facility_pump",
            "fw_dc",
            "fw_s",
            pressure_curve=[(0, 250e3), (0.012, 200e3), (0.02, 100e3)],
        ),
        ExpansionTank("facility_tank", "fw_dc", pressure=3e5, coolant=WATER),
    )
    if controlled:
        net.add(dry.leaving_temperature_control(T_FACILITY_SUPPLY))
    return net, cdu, racks, dry


def staged_solve():
    """Solve the controlled hall from a cold start in stages (see the module docstring)."""
    fixed, *_ = build(controlled=False)
    first = fixed.solve(SolverOptions(initial_flow=2.0))
    net, cdu, racks, dry = build(controlled=True)
    targets = {
        "cdu.temperature_control": T_RACK_SUPPLY,
        f"{dry.name}.fan_control": T_FACILITY_SUPPLY,
    }
    reached = {
        "cdu.temperature_control": first.temperature(cdu.secondary_supply),
        f"{dry.name}.fan_control": first.temperature(dry.outlet),
    }
    # same nodes and branches; the two extra control unknowns (valve opening, fan speed) come last
    res = SimpleNamespace(state=np.concatenate([first.state, [0.6, 0.5]]))
    for k in range(CONTINUATION_STEPS + 1):
        w = k / CONTINUATION_STEPS
        for name, target in targets.items():
            net.set_parameter(name, "setpoint", (1 - w) * reached[name] + w * target)
        res = net.solve(warm_start=res)
    return net, cdu, racks, dry, res


def report(res, cdu: CDU, racks: list[Rack], dry: DryCooler, ambient_C: float) -> dict:
    s = cdu_summary(res, cdu)
    tables = [rack_summary(res, r) for r in racks]
    comp = res.components
    it_heat = sum(t["Q_W"].sum() for t in tables)
    row = {
        "ambient_C": ambient_C,
        "it_heat_kW": it_heat / 1e3,
        "cdu_duty_kW": s["duty_W"] / 1e3,
        "rack_supply_C": s["T_secondary_supply_C"],
        "facility_supply_C": s["T_facility_supply_C"],
        "facility_return_C": s["T_facility_return_C"],
        "approach_K": s["approach_K"],
        "facility_flow_L_min": s["facility_flow_L_min"],
        "valve_opening": s["valve_opening"],
        "cdu_pump_speed": s["pump_speed"],
        "cdu_pumps_W": s["pump_power_W"],
        "facility_pump_W": float(comp.loc["facility_pump", "P_el_W"]),
        "fan_speed": float(comp.loc[dry.name, "speed"]),
        "fans_W": float(comp.loc[dry.name, "fan_power_W"]),
        "hottest_case_C": max(t["T_case_max_C"].max() for t in tables),
        "tray_flow_spread_pct": 100
        * (
            max(t["m_dot_kg_s"].max() for t in tables) / min(t["m_dot_kg_s"].min() for t in tables)
            - 1
        ),
        "saturated": sorted({f.element for f in res.flags if f.code == "saturated"}),
    }
    row["cooling_overhead_pct"] = (
        100 * (row["cdu_pumps_W"] + row["facility_pump_W"] + row["fans_W"]) / it_heat
    )
    return row


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    amb = [r["ambient_C"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    bottom = np.zeros(len(rows))
    for key, label in (
        ("cdu_pumps_W", "CDU pumps (2 running)"),
        ("facility_pump_W", "facility pump"),
        ("fans_W", "dry-cooler fans"),
    ):
        vals = np.array([r[key] / 1e3 for r in rows])
        ax.bar([str(a) for a in amb], vals, bottom=bottom, label=label)
        bottom += vals
    ax.set_ylim(0, 1.45 * bottom.max())  # room for the legend
    ax.set_xlabel("ambient dry-bulb [°C]")
    ax.set_ylabel("electrical power [kW]")
    ax.set_title(f"Cooling power of a {rows[0]['it_heat_kW']:.0f} kW liquid-cooled row")
    ax2 = ax.twinx()
    ax2.plot([str(a) for a in amb], [r["fan_speed"] for r in rows], "ko-", label="fan speed")
    ax2.set_ylim(0, 1.45)
    ax2.set_ylabel("dry-cooler fan speed [-]")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(out: Path) -> None:
    t0 = time.perf_counter()
    net, cdu, racks, dry, res = staged_solve()
    print(
        f"{len(net.branches)} branches, {len(net.node_names)} nodes; "
        f"{cdu.pump.count} CDU pumps running, {cdu.standby_pumps} standby (not modelled)"
    )
    rows = [report(res, cdu, racks, dry, AMBIENTS_C[0])]
    for amb in AMBIENTS_C[1:]:
        net.set_parameter(dry.name, "ambient_temperature", amb + C)
        res = net.solve(warm_start=res)
        rows.append(report(res, cdu, racks, dry, amb))
    keys = [
        ("ambient_C", "ambient [°C]", "{:.0f}"),
        ("it_heat_kW", "IT heat to liquid [kW]", "{:.1f}"),
        ("cdu_duty_kW", "CDU duty [kW]", "{:.1f}"),
        ("rack_supply_C", "rack supply [°C]", "{:.2f}"),
        ("facility_supply_C", "facility supply [°C]", "{:.2f}"),
        ("facility_return_C", "facility return [°C]", "{:.2f}"),
        ("approach_K", "CDU approach [K]", "{:.2f}"),
        ("facility_flow_L_min", "facility flow [L/min]", "{:.0f}"),
        ("valve_opening", "CDU valve opening [-]", "{:.3f}"),
        ("cdu_pump_speed", "CDU pump speed [-]", "{:.3f}"),
        ("cdu_pumps_W", "CDU pumps [W]", "{:.0f}"),
        ("facility_pump_W", "facility pump [W]", "{:.0f}"),
        ("fan_speed", "dry-cooler fan speed [-]", "{:.3f}"),
        ("fans_W", "dry-cooler fans [W]", "{:.0f}"),
        ("cooling_overhead_pct", "cooling power / IT heat [%]", "{:.2f}"),
        ("hottest_case_C", "hottest case [°C]", "{:.2f}"),
        ("tray_flow_spread_pct", "tray flow spread, 72 trays [%]", "{:.3f}"),
    ]
    for key, label, fmt in keys:
        print(f"{label:30s}" + "".join(f"{fmt.format(r[key]):>10s}" for r in rows))
    sat = [", ".join(r["saturated"]) or "none" for r in rows]
    print(f"{'saturated controls':30s}" + "".join(f"{s:>10s}" for s in sat))
    print(f"energy closure {res.closure['energy_rel']:.1e}; {time.perf_counter() - t0:.1f} s")
    path = out / "data_hall.png"
    plot(rows, path)
    print(f"wrote {path}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the PNG")
    args = parser.parse_args()
    main(args.out)
