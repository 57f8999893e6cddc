"""Economics of heat reuse: capital cost curves (cited), installation factor, prices, discount
rate and lifetime -> annualised cost, LCOH, NPV, simple and discounted payback.

>>> from thermo.economics import crf, lcoh
>>> round(crf(0.06, 20), 5)
0.08718

See ``docs/economics.md``.
"""

from __future__ import annotations

from thermo.economics.costs import CURVES, CostCurve, installed_cost, purchased_cost
from thermo.economics.finance import (
    annualised_cost,
    crf,
    discounted_payback,
    lcoh,
    npv,
    series,
    simple_payback,
)

__all__ = [
    "CURVES",
    "CostCurve",
    "purchased_cost",
    "installed_cost",
    "crf",
    "series",
    "annualised_cost",
    "lcoh",
    "npv",
    "simple_payback",
    "discounted_payback",
]
