"""Plausibility check against Ljungqvist et al. (2021): data-centre heat for two greenhouses.

Source: H. M. Ljungqvist, L. Mattsson, M. Risberg, M. Vesterlund, "Data center heated greenhouses,
a matter for enhanced food self-sufficiency in sub-arctic regions", Energy 215 (2021) 119169,
doi:10.1016/j.energy.2020.119169. From its abstract: 65th latitude, northern Sweden; hourly
exhaust-air heat of a 1 MW air-cooled data centre; greenhouses of 2000 m² and 10 000 m²;
partial-year production 1 March - 15 October without grow lights, and full-year production with
grow lights; 5.5-30.5 % of the data centre's electrical input recovered; the 2000 m² house runs
on excess heat for 89.7-97.9 % of its demand, the 10 000 m² house for 50.0-61.5 % (full- and
partial-year production respectively).

What thermo computes here (no Swedish weather is shipped, so the coldest shipped year is used:
Winnipeg TMYx, 49.9 °N, continental):

- hourly heat demand of both houses with :class:`thermo.greenhouse.Greenhouse` (steady-state
  ASABE EP406 balance). Main cover: double inflated polyethylene without a thermal screen, the
  configuration verified on this same weather against the Manitoba 2.1 GJ/m² (Sep-May) figure
  (``greenhouse.manitoba_double_pe_sep_may``: 1.95 GJ/m²). Single glass and a screened double-PE
  house are printed as sensitivities. thermo has **no lamp heat**, so the "full year" here is a
  full year *without* grow lights;
- partial year = demand only from 1 March to 15 October (no production, no demand, outside it);
- coverage = sum_h min(demand_h, available_h) / sum_h demand_h for a constant available heat of
  55 kW and 305 kW (5.5 % and 30.5 % of 1 MW, the paper's recovered range) and 850 kW (a
  liquid-cooled hall capturing ~85 % of 1 MW in liquid), all assumed usable directly;
- the same 850 kW limited by temperature: water at 45 °C supply / 35 °C return (the hall's
  35 -> 45 °C of ``examples/greenhouse_reuse.py``, heat-exchanger approach neglected) through the
  default pipe rail of :meth:`thermo.greenhouse.PipeRail.for_floor` (1.875 m of 51 mm pipe per m²);
- the heat used with 850 kW as a share of the data centre's annual input (1 MW x 8760 h), the
  quantity the paper's 5.5-30.5 % is expressed in.

The checks are physical only: coverages within 0..1, more available heat never lowers coverage,
the temperature limit never raises it, and the larger house never has the higher coverage at
equal heat. See docs/validation/ljungqvist.md for the comparison.

Run ``python examples/ljungqvist_plausibility.py``.
"""

from __future__ import annotations

import numpy as np

from thermo.climate import read_epw
from thermo.greenhouse import Greenhouse, PipeRail

C = 273.15
IT_INPUT = 1.0e6  # W, data-centre electrical input
AVAILABLE = {"55 kW": 55e3, "305 kW": 305e3, "850 kW": 850e3}  # W, constant, usable directly
LIQUID = 850e3  # W, heat captured in liquid
T_SUPPLY, T_RETURN = 45.0 + C, 35.0 + C  # K, liquid loop water to / from the pipe rails
AREAS = (2000.0, 10_000.0)  # m², floor
HOUSES = {  # name -> Greenhouse keyword arguments (everything else: thermo's defaults)
    "double PE": dict(cover="double_pe"),
    "glass": dict(cover="glass"),
    "double PE + screen": dict(cover="double_pe", thermal_screen=True),
}


def seasons(weather) -> dict[str, np.ndarray]:
    """Production hours: 1 March - 15 October, and the whole year."""
    m, d = weather.month, weather.day
    partial = ((m >= 3) & (m <= 9)) | ((m == 10) & (d <= 15))
    return {"1 Mar-15 Oct": partial, "full year": np.ones_like(partial)}


def coverage(demand: np.ndarray, available: np.ndarray | float) -> float:
    """Share of the demand met hour by hour without storage."""
    return float(np.minimum(demand, available).sum() / demand.sum())


def main(verbose: bool = True) -> dict:
    """Compute every row; check it; print the table; return the rows."""
    weather = read_epw("winnipeg")
    rows = []
    for house_name, kwargs in HOUSES.items():
        for area in AREAS:
            balance = Greenhouse(floor_area=area, **kwargs).heat_balance(weather)
            rail = PipeRail.for_floor(area)
            rail_cap = np.minimum(rail.heat_output(T_SUPPLY, T_RETURN, balance.setpoint), LIQUID)
            for season, mask in seasons(weather).items():
                demand = np.where(mask, balance.demand, 0.0)
                rows.append(
                    dict(
                        house=house_name,
                        area=area,
                        season=season,
                        gj_m2=demand.sum() * 3600.0 / 1e9 / area,
                        peak_w_m2=demand.max() / area,
                        cov={k: coverage(demand, q) for k, q in AVAILABLE.items()},
                        cov_45c=coverage(demand, rail_cap),
                        used_850=np.minimum(demand, LIQUID).sum() / (IT_INPUT * weather.n_hours),
                    )
                )
    check(rows)
    if verbose:
        print(f"Weather: {weather.location.name}, {weather.location.latitude:.1f} N")
        print("coverage = sum min(demand, available) / sum demand, hour by hour, no storage")
        head = (
            f"{'house':18s} {'m2':>6s} {'season':12s} {'GJ/m2':>6s} {'W/m2pk':>6s} "
            + " ".join(f"{k:>7s}" for k in AVAILABLE)
            + f" {'850@45C':>8s} {'used/1MWyr':>10s}"
        )
        print(head)
        for r in rows:
            print(
                f"{r['house']:18s} {r['area']:6.0f} {r['season']:12s} {r['gj_m2']:6.2f} "
                f"{r['peak_w_m2']:6.0f} "
                + " ".join(f"{c:7.1%}" for c in r["cov"].values())
                + f" {r['cov_45c']:8.1%} {r['used_850']:10.1%}"
            )
        print(
            "850@45C: 850 kW at 45 °C supply / 35 °C return through 1.875 m/m² of 51 mm pipe rail;"
            "\nused/1MWyr: heat used with 850 kW over the data centre's 1 MW x 8760 h input."
            "\nNo grow-light heat is modelled (full year = full year without lamps)."
            "\nLjungqvist et al. 2021 (65 N, exhaust air): 2000 m2 89.7-97.9 %, "
            "10 000 m2 50.0-61.5 %, 5.5-30.5 % of input recovered."
        )
    return {"rows": rows}


def check(rows: list[dict]) -> None:
    """Physical consistency only (no reference numbers)."""
    for r in rows:
        values = [*r["cov"].values(), r["cov_45c"]]
        if not all(0.0 <= c <= 1.0 + 1e-12 for c in values):
            raise AssertionError(f"coverage outside 0..1: {r}")
        ordered = list(r["cov"].values())
        if any(b < a - 1e-12 for a, b in zip(ordered, ordered[1:], strict=False)):
            raise AssertionError(f"more available heat lowered the coverage: {r}")
        if r["cov_45c"] > r["cov"]["850 kW"] + 1e-12:
            raise AssertionError(f"the temperature limit raised the coverage: {r}")
        if not 0.0 <= r["used_850"] <= LIQUID / IT_INPUT + 1e-12:
            raise AssertionError(f"more heat used than available: {r}")
    for small in rows:
        for large in rows:
            same = small["house"] == large["house"] and small["season"] == large["season"]
            if same and large["area"] > small["area"]:
                for k in AVAILABLE:
                    if large["cov"][k] > small["cov"][k] + 1e-12:
                        raise AssertionError(f"larger house covered better at {k}: {large}")


if __name__ == "__main__":
    main()
