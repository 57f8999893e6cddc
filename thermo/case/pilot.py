"""The Canaan–Bitforest pilot's published claims beside the model's answers.

A case tagged ``"canaan-bitforest pilot"`` (the shipped ``canaan_bitforest``) gets, in its
console headline, ``report.md`` and ``results.json`` (``annual.pilot_comparison``), one row per
published claim: the claim, what was published (with its source in ``docs/references.md``), the
model's answer, and where the two depart, why, in numbers. The published facts are press
statements of January 2026 (Canaan, Bitforest; trade press): 3 MW, 360 hydro-cooled servers in 4
containerised modules, 95 % uptime target, water above 75 °C, a closed-loop exchanger preheating
the feed water of the greenhouse's electric boilers, "up to about 90 %" of the electricity
recovered as usable heat (to be confirmed in operation); the greenhouse area was not published.

The heating season is September–May, the period of the Manitoba greenhouse heat figure
(2.1 GJ/m² floor, docs/references.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["PILOT_TAG", "is_pilot", "pilot_comparison"]

PILOT_TAG = "canaan-bitforest pilot"
MWH = 1e6  # W·h -> MWh for hourly W columns summed over 1-h steps
HEATING_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5)
PUBLISHED_RECOVERY = 0.90
PUBLISHED_WATER_C = 75.0
PUBLISHED_MANITOBA_GJ_M2 = 2.1
QUOTED_PRICE_PER_KWH = 0.035


def is_pilot(case: Any) -> bool:
    meta = getattr(case, "meta", None) or {}
    return PILOT_TAG in (meta.get("tags") or [])


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _mwh(x: float) -> str:
    return f"{x:,.0f} MWh"


def pilot_comparison(
    table: Any, annual: dict[str, Any], floor_area: float | None, price_per_kWh: float | None
) -> list[dict[str, str]]:
    """Rows ``{claim, published, model, departure}`` (module docstring)."""
    n = len(table)
    col = table.__getitem__
    it = np.asarray(col("it_power_W"), dtype=float)
    liquid = np.asarray(col("heat_to_liquid_W"), dtype=float)
    reused = np.asarray(col("heat_reused_W"), dtype=float)
    demand = np.asarray(col("greenhouse_demand_W"), dtype=float)
    rejected = np.asarray(col("heat_rejected_W"), dtype=float)
    month = (np.datetime64("2001-01-01T00") + np.arange(n).astype("timedelta64[h]")).astype(
        "datetime64[M]"
    ).astype(int) % 12 + 1
    season = np.isin(month, HEATING_MONTHS)
    summer = ~season
    rows: list[dict[str, str]] = []

    mean_it = it.mean() / 1e6
    rows.append(
        {
            "claim": "3 MW of servers, 95 % uptime target",
            "published": "3 MW x 0.95 = 2.85 MW mean",
            "model": f"{mean_it:.3f} MW mean IT power over {n} h",
            "departure": "none: the uptime target is modelled as a constant 95 % load "
            "(outage hours are not modelled)",
        }
    )

    if "T_tcs_return_C" in table:
        t_out = np.asarray(col("T_tcs_return_C"), dtype=float)
        hot = int(np.sum(t_out >= PUBLISHED_WATER_C))
        cold = n - hot
        rows.append(
            {
                "claim": "hot water above 75 °C",
                "published": "> 75 °C",
                "model": f"servers' outlet {np.median(t_out):.1f} °C median, "
                f"{t_out.min():.1f}–{t_out.max():.1f} °C; ≥ 75 °C in {hot} of {n} h",
                "departure": "none"
                if cold == 0
                else f"in {cold} h the greenhouse takes more than the servers give and its "
                f"return water cools the module loop (servers' inlet held at 67 °C only when "
                f"there is heat to spare); the outlet then falls to {t_out.min():.1f} °C",
            }
        )

    cap = liquid.sum() / it.sum()
    year = reused.sum() / it.sum()
    seas = reused[season].sum() / max(it[season].sum(), 1e-300)
    by_month = [reused[month == m].sum() / max(it[month == m].sum(), 1e-300) for m in range(1, 13)]
    present = [m for m in range(1, 13) if np.any(month == m)]
    best = max(present, key=lambda m: by_month[m - 1])
    hours90 = int(np.sum(reused >= PUBLISHED_RECOVERY * it - 1e-6))
    rows.append(
        {
            "claim": "up to about 90 % of the electricity recovered as usable heat",
            "published": "≤ 90 % (to be confirmed in operation)",
            "model": f"into the water {_pct(cap)} (assumed liquid share); used by the "
            f"greenhouse {_pct(year)} over the year, {_pct(seas)} Sep–May, best month "
            f"{_pct(by_month[best - 1])}; ≥ 90 % in {hours90} of {n} h",
            "departure": (
                f"the greenhouse needs {_mwh(demand.sum() / MWH)} in the period against "
                f"{_mwh(liquid.sum() / MWH)} captured; Jun–Aug it needs "
                f"{_mwh(demand[summer].sum() / MWH)} of the {_mwh(liquid[summer].sum() / MWH)} "
                f"captured, and in mild hours the demand is below the capture: "
                f"{_mwh(rejected.sum() / MWH)} rejected by the dry coolers. "
                "90 % is a capture figure, reached as use only in hours whose demand "
                "exceeds the capture"
            ),
        }
    )

    ref = annual.get("boiler_only_fuel_MWh") or 0.0
    saved = annual.get("electricity_avoided_MWh")
    if saved is None:
        saved = annual.get("fuel_avoided_MWh", 0.0)
    rows.append(
        {
            "claim": "closed-loop exchanger preheats the feed water of electric boilers",
            "published": "heat and boiler electricity saved: not published",
            "model": f"boiler electricity avoided {_mwh(saved)} of {_mwh(ref)} "
            f"({_pct(saved / ref) if ref else 'n/a'}); boilers still give "
            f"{_mwh(annual.get('boiler_heat_MWh', 0.0))}",
            "departure": "the boilers still fire when the rails need water hotter than the "
            "servers deliver (cold nights) or more heat than the servers give",
        }
    )

    if floor_area:
        gj_m2 = demand.sum() * 3600.0 / 1e9 / floor_area
        gj_season = demand[season].sum() * 3600.0 / 1e9 / floor_area
        rows.append(
            {
                "claim": "greenhouse area (not published)",
                "published": "≈ 3.9 ha derived: 22.5 GWh/yr at 2.1 GJ/m² (Sep–May)",
                "model": f"{floor_area / 1e4:.2f} ha assumed; demand "
                f"{_mwh(demand.sum() / MWH)} = {gj_m2:.2f} GJ/m² "
                f"({gj_season:.2f} GJ/m² Sep–May)",
                "departure": f"the modelled house (double PE with a thermal screen, Winnipeg "
                f"TMYx) needs {gj_season / PUBLISHED_MANITOBA_GJ_M2:.0%} of the 2.1 GJ/m² "
                "Manitoba figure; the 3.9 ha derivation assumes all captured heat is used, "
                "which summer rules out",
            }
        )

    cur = next((k[len("money_saved_") :] for k in annual if k.startswith("money_saved_")), "CAD")
    money = annual.get(f"money_saved_{cur}")
    if money is not None and price_per_kWh:
        at_quote = money * QUOTED_PRICE_PER_KWH / price_per_kWh
        rows.append(
            {
                "claim": '"$0.035/kWh" (power or heat price; unclear)',
                "published": "0.035 per kWh",
                "model": f"boiler electricity saved is worth {money:,.0f} {cur} at "
                f"{100 * price_per_kWh:.2f} ¢/kWh (Manitoba Hydro residential), "
                f"{at_quote:,.0f} {cur} at 3.5 ¢/kWh",
                "departure": "tariff not published; both shown",
            }
        )
    return rows
