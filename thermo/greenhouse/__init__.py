"""Greenhouse heat demand and pipe-rail heating.

- :class:`Greenhouse` (in :mod:`thermo.greenhouse.demand`): hourly heat demand from cover U·A,
  infiltration, day/night setpoints, solar gain and an optional thermal screen (ASABE EP406 method).
- :class:`PipeRail` and functions in :mod:`thermo.greenhouse.heating_pipes`: heat output of
  heating-pipe rails (GreenLight/Vanthoor convection + radiation), its derivatives, and the supply
  temperature needed for a demand.
"""

from __future__ import annotations

from thermo.greenhouse.demand import (
    COVER_SOLAR_TRANSMISSIVITY,
    COVER_U_VALUES,
    Greenhouse,
    HeatBalance,
    monthly_totals,
    season_total,
)
from thermo.greenhouse.heating_pipes import (
    PipeRail,
    SupplyTemperature,
    emission_per_metre,
    emission_per_metre_derivative,
    heat_output,
    heat_output_derivatives,
    supply_temperature_for,
)

__all__ = [
    "COVER_SOLAR_TRANSMISSIVITY",
    "COVER_U_VALUES",
    "Greenhouse",
    "HeatBalance",
    "monthly_totals",
    "season_total",
    "PipeRail",
    "SupplyTemperature",
    "emission_per_metre",
    "emission_per_metre_derivative",
    "heat_output",
    "heat_output_derivatives",
    "supply_temperature_for",
]
