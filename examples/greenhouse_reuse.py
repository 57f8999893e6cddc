"""A 1 ha greenhouse in Winnipeg heated by a 1 MW liquid-cooled data hall at 45 °C.

For every hour of the Winnipeg TMYx year: the heat demand of a 1 ha double-polyethylene
greenhouse (with thermal screen), and how much of it the data hall covers directly through a plate
heat exchanger, with a heat pump, and with boiler top-up — from one hydraulic-thermal network.

Network (water in both loops)::

    facility loop   pump → data hall (1 MW, 35 → 45 °C) → plate HX hot side → heat-pump evaporator
                    → dry cooler (trims the return to 35 °C) → pump
    greenhouse loop pump (10 kg/s) → plate HX cold side → heat-pump condenser → gas boiler (top-up)
                    → pipe rails (18 750 m of 51 mm, 1.875 m/m²) → pump

Operation, hour by hour (the supervisory control a plant controller would apply):

- supply target ``T_req``: the temperature at which the rails, at 10 kg/s and the hour's air
  setpoint, deliver the hour's demand (:func:`thermo.components.greenhouse.rail_supply_temperature`,
  the emission law of the ``GreenhouseRail`` branch), at most 95 °C;
- heat-pump condenser and boiler setpoints = ``T_req``;
- the plate HX is throttled when it alone would overshoot ``T_req`` (its bypass valve is modelled
  by reducing its UA until the supply meets the target) and bypassed when the greenhouse return
  is warmer than the facility water (it would otherwise heat the data hall).

Annual run: the network state depends on an hour only through its demand and its air setpoint,
which takes two values (day 19.5 °C, night 16.5 °C). The network is solved on a grid of demands
for each setpoint, warm-started along the grid, and hourly values are interpolated linearly. A
check solves the network directly at sample hours and reports the largest deviation. Every number
comes from network solves of the same components.

Configurations: ``boiler_only`` (reference: HX bypassed, heat pump off), ``direct`` (plate HX
only: the network shows the unmet demand), ``direct_heat_pump``, ``direct_boiler``,
``heat_pump_boiler``.

Run ``python examples/greenhouse_reuse.py [--out DIR]``: prints the annual figures and writes
``greenhouse_reuse.png`` and ``greenhouse_reuse_hourly.csv`` into DIR (default: the current
directory).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from thermo import Coolant
from thermo.climate import read_epw
from thermo.components.boiler import Boiler
from thermo.components.greenhouse import GreenhouseRail, rail_supply_temperature
from thermo.components.heat_pump import HeatPump
from thermo.greenhouse import Greenhouse
from thermo.network import Cooler, ExpansionTank, HeatExchanger, HeatLoad, Network, Pump
from thermo.plant import CarnotHeatPump, GasBoiler

C = 273.15
WATER = Coolant("water")
IT_POWER = 1.0e6  # W, data-hall heat
HALL_RETURN = 35.0 + C  # K, facility water into the hall (dry cooler setpoint); 45 °C out
M_FACILITY = IT_POWER / (4180.0 * 10.0)  # kg/s, 10 K across the hall
M_GREENHOUSE = 10.0  # kg/s through the rails
UA_HX = 250e3  # W/K, plate HX (approach ≈ 1 K at 0.6 MW)
HP_CAPACITY = 800e3  # W, heat-pump heating capacity
RAIL_LENGTH = 1.875 * 10_000.0  # m, Vanthoor (2011) reference glasshouse density
T_MAX = 95.0 + C  # K, highest supply temperature
UA_BYPASSED = 1.0  # W/K: a bypassed exchanger
N_NODES = 16  # demand grid per air setpoint (before refinement)

CONFIGS = {
    "boiler_only": dict(hx=False, hp=False, boiler=True),
    "direct": dict(hx=True, hp=False, boiler=False),
    "direct_heat_pump": dict(hx=True, hp=True, boiler=False),
    "direct_boiler": dict(hx=True, hp=False, boiler=True),
    "heat_pump_boiler": dict(hx=True, hp=True, boiler=True),
}
QUANTITIES = ("dc_hx", "dc_hp", "hp_el", "boiler", "fuel", "co2", "delivered", "unmet")


def build_network() -> Network:
    """The two loops of the module docstring."""
    net = Network(coolant=WATER, name="greenhouse reuse")
    net.add(
        Pump("f.pump", "f1", "f2", pressure_rise=50e3),
        HeatLoad("hall", "f2", "f3", heat=IT_POWER),
        HeatExchanger(
            "hx",
            hot_inlet="f3",
            hot_outlet="f4",
            cold_inlet="g1",
            cold_outlet="g2",
            ua=UA_HX,
            hot_pressure_drop=(20e3, M_FACILITY),
            cold_pressure_drop=(20e3, M_GREENHOUSE),
        ),
        HeatPump(
            "hp",
            source_inlet="f4",
            source_outlet="f5",
            sink_inlet="g2",
            sink_outlet="g3",
            sink_setpoint=60.0 + C,
            model=CarnotHeatPump(),
            heating_capacity=HP_CAPACITY,
            source_pressure_drop=(30e3, M_FACILITY),
            sink_pressure_drop=(10e3, M_GREENHOUSE),
        ),
        Cooler("drycooler", "f5", "f1", outlet_temperature=HALL_RETURN),
        ExpansionTank("f.tank", "f1", pressure=2e5),
        # fixed pressure rise = the loop's pressure drop at 10 kg/s: the flow is exactly 10 kg/s
        Pump("g.pump", "g0", "g1", pressure_rise=60e3),
        Boiler("boiler", "g3", "g4", setpoint=60.0 + C, boiler=GasBoiler()),
        GreenhouseRail(
            "rail",
            "g4",
            "g0",
            length=RAIL_LENGTH,
            air_temperature=19.5 + C,
            pressure_drop=(30e3, M_GREENHOUSE),
        ),
        ExpansionTank("g.tank", "g0", pressure=2e5),
    )
    return net


class Plant:
    """The network plus the supervisory control of the module docstring."""

    def __init__(self) -> None:
        self.net = build_network()
        self.result = None
        self.solves = 0

    def _solve(self, ua: float):
        self.net.set_parameter("hx", "ua", ua)
        self.result = self.net.solve(warm_start=self.result)
        self.solves += 1
        return self.result

    def operate(self, config: dict, demand: float, t_air: float, t_req: float) -> dict:
        """Solve one hour's operating point; return the heats of the hour [W]."""
        net = self.net
        net.set_parameter("hp", "enabled", config["hp"])
        net.set_parameter("boiler", "enabled", config["boiler"])
        for name, parameter, value in (
            ("rail", "demand", demand),
            ("rail", "air_temperature", t_air),
            ("hp", "sink_setpoint", t_req),
            ("boiler", "setpoint", t_req),
        ):
            net.set_parameter(name, parameter, value)
        r = self._solve(UA_HX if config["hx"] else UA_BYPASSED)
        if config["hx"] and r.heat("hx.cold") < 0.0:
            r = self._solve(UA_BYPASSED)  # return warmer than the facility water: bypass
        elif config["hx"] and r.temperature("g2") > t_req + 0.01:
            r = self._throttle(t_req, demand)
        return {
            "dc_hx": r.heat("hx.cold"),
            "dc_hp": -r.heat("hp.evaporator"),
            "hp_el": r.value("hp.condenser", "P_el_W"),
            "boiler": r.heat("boiler"),
            "fuel": r.value("boiler", "fuel_W") if config["boiler"] else 0.0,
            "co2": r.value("boiler", "co2_kg_s") if config["boiler"] else 0.0,
            "delivered": r.value("rail", "Q_delivered_W"),
            "unmet": r.value("rail", "unmet_W"),
        }

    def _throttle(self, t_req: float, demand: float):
        """Reduce the HX UA (its bypass) until the greenhouse supply meets ``t_req``.

        Illinois regula falsi on ln(UA) (the supply temperature rises with UA), started from
        counterflow ε-NTU (Incropera et al., 7th ed., Table 11.4) at the inlet temperatures the
        throttled state will have.
        """
        r = self.result
        hi, f_hi = np.log(UA_HX), r.temperature("g2") - t_req
        lo, f_lo = None, None
        # first guess: counterflow ε-NTU with the return the rails give when they meet the demand
        t_hot = r.temperature("f3")
        t_cold = t_req - demand / (M_GREENHOUSE * WATER.specific_heat(t_req))
        if t_hot > t_req > t_cold:
            c_cold = M_GREENHOUSE * WATER.specific_heat(t_cold)
            c_hot = M_FACILITY * WATER.specific_heat(t_hot)
            c_min, c_max = min(c_cold, c_hot), max(c_cold, c_hot)
            eps = np.clip(c_cold * (t_req - t_cold) / (c_min * (t_hot - t_cold)), 1e-6, 0.999)
            cr = c_min / c_max
            x = np.log(np.log((1.0 - eps * cr) / (1.0 - eps)) / (1.0 - cr) * c_min)
        else:
            x = np.log(UA_HX) - 1.0
        side = 0
        for _ in range(30):
            x = float(np.clip(x, np.log(UA_BYPASSED), hi))
            r = self._solve(float(np.exp(x)))
            f = r.temperature("g2") - t_req
            if abs(f) < 0.01:
                break
            if f > 0:
                hi, f_hi = x, f
                if side == 1 and f_lo is not None:
                    f_lo *= 0.5
                side = 1
            else:
                lo, f_lo = x, f
                if side == -1:
                    f_hi *= 0.5
                side = -1
            if lo is None:
                x = x - 1.0  # no lower bracket yet: step down in ln(UA)
            else:
                x = lo - f_lo * (hi - lo) / (f_hi - f_lo)
        return r


def supply_target(demand, t_air):
    """Supply temperature the rails need at the greenhouse flow [K] (capped at 95 °C)."""
    t, _ = rail_supply_temperature(
        demand, t_air, M_GREENHOUSE, length=RAIL_LENGTH, coolant=WATER, t_max=T_MAX
    )
    return t


def _grid(plant: Plant, config: dict, t_air: float, q_max: float) -> tuple[np.ndarray, dict]:
    """Network results on a demand grid: uniform, then refined twice around kinks.

    Capacity limits and switch-overs make the heats piecewise smooth in the demand; where the
    linear-interpolation defect at a node exceeds 0.2 % of the largest demand, the two
    neighbouring intervals are halved.
    """
    grid = np.linspace(0.0, q_max, N_NODES + 1)
    rows: dict[float, dict] = {0.0: dict.fromkeys(QUANTITIES, 0.0)}  # zero demand: all off

    def solve(points):
        points = [q for q in points if q not in rows]
        for q, t in zip(points, supply_target(np.array(points), t_air), strict=True):
            rows[q] = plant.operate(config, float(q), t_air, float(t))

    solve(grid[1:])
    for _ in range(2):
        grid = np.array(sorted(rows))
        v = np.array([[rows[q][k] for k in QUANTITIES] for q in grid])
        defect = np.abs(v[1:-1] - 0.5 * (v[:-2] + v[2:])).max(axis=1)
        kinks = np.flatnonzero(defect > 2e-3 * grid[-1]) + 1
        if not len(kinks):
            break
        solve(sorted({0.5 * (grid[j] + grid[j + d]) for j in kinks for d in (-1, 1)}))
    grid = np.array(sorted(rows))
    return grid, {k: np.array([rows[q][k] for q in grid]) for k in QUANTITIES}


def annual(plant: Plant, demand: np.ndarray, setpoint: np.ndarray) -> dict[str, dict]:
    """Hourly heats [W] of every configuration, interpolated from network solves on a grid."""
    hourly = {name: {q: np.zeros(demand.size) for q in QUANTITIES} for name in CONFIGS}
    for t_air in np.unique(setpoint[demand > 0]):
        hours = (setpoint == t_air) & (demand > 0)
        for name, config in CONFIGS.items():
            grid, values = _grid(plant, config, float(t_air), float(demand[hours].max()))
            for key in QUANTITIES:
                hourly[name][key][hours] = np.interp(demand[hours], grid, values[key])
    return hourly


def check_interpolation(plant: Plant, hourly, demand, setpoint, n: int = 4) -> float:
    """Largest |interpolated − directly solved| heat at sample hours, relative to the demand."""
    rng = np.random.default_rng(5)
    heating = np.flatnonzero(demand > 0)
    sample = np.concatenate([[int(np.argmax(demand))], rng.choice(heating, n - 1, replace=False)])
    worst = 0.0
    for i in sample:
        t_req = float(supply_target(demand[i], setpoint[i]))
        for name, config in CONFIGS.items():
            direct = plant.operate(config, float(demand[i]), float(setpoint[i]), t_req)
            for key in ("dc_hx", "dc_hp", "hp_el", "boiler", "unmet"):
                worst = max(worst, abs(direct[key] - hourly[name][key][i]) / demand[i])
    return worst


def plot(path: Path, demand, hourly, coverage) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(
        2, 1, figsize=(10, 8), gridspec_kw={"height_ratios": [3, 2]}, constrained_layout=True
    )
    days = np.arange(365) + 0.5

    def daily(x):
        return x.reshape(365, 24).mean(axis=1) / 1e3

    hp = hourly["heat_pump_boiler"]
    layers = [
        (daily(hp["dc_hx"]), "data centre, direct (plate HX)", "#2b8cbe"),
        (daily(hp["dc_hp"]), "data centre, via heat pump", "#7bccc4"),
        (daily(hp["hp_el"]), "heat-pump electricity", "#fdae6b"),
        (daily(hp["boiler"]), "gas boiler top-up", "#d7301f"),
    ]
    ax1.stackplot(days, *[v for v, _, _ in layers], labels=[lab for _, lab, _ in layers],
                  colors=[c for _, _, c in layers], alpha=0.9)  # fmt: skip
    ax1.plot(days, daily(demand), color="k", lw=1.0, label="greenhouse heat demand")
    ax1.plot(days, daily(hourly["direct"]["dc_hx"]), color="#08519c", lw=1.0, ls="--",
             label="covered by the plate HX alone (no top-up)")  # fmt: skip
    ax1.set_xlim(0, 365)
    ax1.set_ylabel("daily mean heat [kW]")
    ax1.set_xlabel("day of the year")
    ax1.set_title(
        "1 ha double-PE greenhouse (screen), Winnipeg TMYx; 1 MW data hall at 45 °C; "
        "heat pump + boiler"
    )
    ax1.legend(loc="upper center", fontsize=8, ncol=2)
    names = list(coverage)
    parts = [("dc", "data centre", "#2b8cbe"), ("hp_el", "heat-pump electricity", "#fdae6b"),
             ("boiler", "boiler", "#d7301f"), ("unmet", "unmet", "#bdbdbd")]  # fmt: skip
    left = np.zeros(len(names))
    for key, label, color in parts:
        widths = np.array([coverage[n][key] for n in names]) * 100.0
        ax2.barh(names, widths, left=left, color=color, label=label)
        left += widths
    ax2.set_xlim(0, 100)
    ax2.set_xlabel("share of the annual heat demand [%]")
    ax2.invert_yaxis()
    ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(out_dir: str | Path = ".", verbose: bool = True) -> dict:
    """Run the year; write the PNG and the hourly CSV into ``out_dir``; return the figures."""
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    weather = read_epw("winnipeg")
    house = Greenhouse(floor_area=10_000.0, cover="double_pe", thermal_screen=True)
    balance = house.heat_balance(weather)
    demand, setpoint = balance.demand, balance.setpoint
    plant = Plant()
    hourly = annual(plant, demand, setpoint)
    error = check_interpolation(plant, hourly, demand, setpoint)

    total = demand.sum()
    coverage = {}
    for name, hv in hourly.items():
        coverage[name] = {
            "dc": (hv["dc_hx"].sum() + hv["dc_hp"].sum()) / total,
            "hp_el": hv["hp_el"].sum() / total,
            "boiler": hv["boiler"].sum() / total,
            "unmet": hv["unmet"].sum() / total,
        }
    fuel_ref = hourly["boiler_only"]["fuel"].sum()
    gas_saving = {n: 1.0 - hv["fuel"].sum() / fuel_ref for n, hv in hourly.items()}
    plot(out / "greenhouse_reuse.png", demand, hourly, coverage)
    header = "hour,demand_W," + ",".join(f"{n}.{q}_W" for n in CONFIGS for q in QUANTITIES)
    table = np.column_stack(
        [np.arange(demand.size), demand] + [hourly[n][q] for n in CONFIGS for q in QUANTITIES]
    )
    np.savetxt(out / "greenhouse_reuse_hourly.csv", table, delimiter=",", header=header,
               comments="", fmt="%.6g")  # fmt: skip
    seconds = time.perf_counter() - t0
    if verbose:
        gj = 3600.0 / 1e9  # W summed over hours -> GJ
        print(f"Annual greenhouse heat demand: {total * gj:,.0f} GJ "
              f"({total * gj / house.floor_area:.2f} GJ/m2), peak {demand.max() / 1e3:,.0f} kW")  # fmt: skip
        print(f"{'configuration':18s} {'data centre':>11s} {'HP elec.':>9s} {'boiler':>8s} "
              f"{'unmet':>7s} {'gas saved':>10s} {'CO2 [t]':>8s}")  # fmt: skip
        for name, cov in coverage.items():
            co2 = hourly[name]["co2"].sum() * 3600.0 / 1e3
            print(f"{name:18s} {cov['dc']:11.1%} {cov['hp_el']:9.1%} {cov['boiler']:8.1%} "
                  f"{cov['unmet']:7.1%} {gas_saving[name]:10.1%} {co2:8.0f}")  # fmt: skip
        print(f"{plant.solves} network solves; largest interpolation deviation at sample hours "
              f"{error:.2%} of the hour's demand; {seconds:.1f} s")  # fmt: skip
        print(f"wrote {out / 'greenhouse_reuse.png'} and {out / 'greenhouse_reuse_hourly.csv'}")
    return {
        "coverage": coverage,
        "gas_saving": gas_saving,
        "interpolation_error": error,
        "annual_demand_J": total * 3600.0,
        "hourly": hourly,
        "solves": plant.solves,
        "seconds": seconds,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=".", help="output folder (default: current directory)")
    main(parser.parse_args().out)
