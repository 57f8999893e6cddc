"""Facility layer: energy balance and metrics computed from solved results (numpy only)."""

from __future__ import annotations

from thermo.facility.energy import FacilityBalance, FacilityModel
from thermo.facility.it_load import (
    ITProfile,
    TrainingSwing,
    constant_it_profile,
    generated_it_profile,
    it_profile_from_series,
)
from thermo.facility.metrics import (
    FacilityMetrics,
    enefg_compliance,
    ere,
    erf,
    eu_eed_report_items,
    pue,
    tokens_per_kwh,
    tokens_per_kwh_net,
)

__all__ = [
    "FacilityBalance",
    "FacilityModel",
    "ITProfile",
    "TrainingSwing",
    "constant_it_profile",
    "generated_it_profile",
    "it_profile_from_series",
    "FacilityMetrics",
    "enefg_compliance",
    "ere",
    "erf",
    "eu_eed_report_items",
    "pue",
    "tokens_per_kwh",
    "tokens_per_kwh_net",
]
