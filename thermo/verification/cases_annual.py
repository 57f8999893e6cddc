"""Verification cases of the annual heat-reuse study (the shipped flagship); explained in
docs/validation/annual.md."""

from __future__ import annotations

import functools

from thermo.verification import VerificationCase

FLAGSHIP_HOURS = 720
"""The flagship's first 720 hours (January: greenhouse demand above the hall's heat, so the
exchanger, heat pump, boiler and dry coolers all run; the whole year costs 12 times as much and
checks the same balances)."""


@functools.cache
def _flagship() -> dict:
    """The annual summary of the shipped flagship's January (solved once per process)."""
    from thermo.case import load_case, run_case

    return run_case(load_case("ai_hall_greenhouse"), hours=FLAGSHIP_HOURS).annual


def _closure() -> float:
    return float(_flagship()["closure_rel"])


def _heat_balance() -> float:
    """Heat into the liquid vs. where it went over the period, relative: reused directly (signed:
    an exchanger running backwards gives some back), heat-pump source, rejected by the dry
    coolers. Pumps are adiabatic in the model and the case's pipes exchange no heat."""
    a = _flagship()
    uses = a["heat_offered_direct_MWh"] + (a["heat_pump_heat_MWh"] - a["heat_pump_energy_MWh"])
    uses += a["heat_rejected_MWh"]
    return float((a["heat_to_liquid_MWh"] - uses) / a["heat_to_liquid_MWh"])


_SOURCE = (
    "First law of thermodynamics on the first 720 hours (January) of the shipped "
    "ai_hall_greenhouse case (Winnipeg TMYx)"
)

CASES: list[VerificationCase] = [
    VerificationCase(
        id="annual.flagship_energy_closure",
        kind="analytic",
        title="Energy closure of the flagship January (network heat and facility identity)",
        source=_SOURCE,
        quantity="relative closure",
        reference=0.0,
        unit="-",
        compute=_closure,
        shares="annual.flagship_january",
        abs_tol=1e-6,
        notes="Issue 7: <= 1e-6 relative. Each hour closes to the solver tolerance (1e-8).",
    ),
    VerificationCase(
        id="annual.flagship_liquid_heat_balance",
        kind="analytic",
        title="Heat captured by liquid = reused directly + heat-pump source + rejected",
        source=_SOURCE,
        quantity="relative imbalance",
        reference=0.0,
        unit="-",
        compute=_heat_balance,
        shares="annual.flagship_january",
        abs_tol=1e-6,
        notes=(
            "The first law on the data-centre side alone: a check of the reuse accounting (an "
            "exchanger running backwards in the coldest hours, when the greenhouse return is "
            "warmer than the facility water, must count against the reuse)."
        ),
    ),
]
