"""Facility layer: energy balance and metrics computed from solved results (numpy only)."""

from __future__ import annotations

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
    "FacilityMetrics",
    "enefg_compliance",
    "ere",
    "erf",
    "eu_eed_report_items",
    "pue",
    "tokens_per_kwh",
    "tokens_per_kwh_net",
]
