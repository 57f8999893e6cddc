"""Discounted cash flow: capital recovery, annualised cost, LCOH, NPV, simple and discounted payback.

Conventions (as in the textbooks, e.g. Short, Packey & Holt, *A Manual for the Economic Evaluation
of Energy Efficiency and Renewable Energy Technologies*, NREL/TP-462-5173, 1995, sec. 4):
the investment is paid at the start (year 0); yearly costs, savings and heat fall at the end of
years 1..n; one discount rate ``r`` per year (real, if prices are constant).

- capital recovery factor ``CRF = r (1+r)^n / ((1+r)^n - 1)`` (``1/n`` at ``r = 0``);
- annualised cost ``= I * CRF + yearly cost``;
- levelised cost of heat ``LCOH = (I + sum C_t/(1+r)^t) / sum H_t/(1+r)^t``, equal to
  ``(I * CRF + C) / H`` when ``C`` and ``H`` are the same every year;
- ``NPV = -I + sum S_t/(1+r)^t`` of the net yearly savings ``S_t``;
- simple payback ``I / S`` (first year's saving); discounted payback: the time at which the
  cumulative discounted savings reach ``I``, linear within the year; ``inf`` if never within the
  horizon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from thermo.errors import InputError

__all__ = [
    "crf",
    "series",
    "annualised_cost",
    "lcoh",
    "npv",
    "simple_payback",
    "discounted_payback",
]


def _check(rate: float, years: int) -> None:
    if not (isinstance(years, (int, np.integer)) and years >= 1):
        raise InputError(
            f"lifetime must be a whole number of years >= 1, got {years!r}",
            key="lifetime",
            value=years,
        )
    if not (math.isfinite(rate) and rate > -1.0):
        raise InputError(
            f"discount rate must be > -1 (e.g. 0.06 for 6 %), got {rate!r}",
            key="discount_rate",
            value=rate,
        )


def crf(rate: float, years: int) -> float:
    """Capital recovery factor: the yearly payment per unit of investment over ``years``."""
    _check(rate, years)
    if rate == 0:
        return 1.0 / years
    g = (1.0 + rate) ** years
    return rate * g / (g - 1.0)


def series(value: float | Sequence[float], years: int, name: str = "value") -> np.ndarray:
    """A yearly series of length ``years``: a constant, or a given array of that length."""
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.size == 1:
        return np.full(years, float(arr[0]))
    if arr.size != years:
        raise InputError(
            f"{name}: {arr.size} yearly values for a lifetime of {years} years", key=name
        )
    return arr


def _discount(rate: float, years: int) -> np.ndarray:
    return (1.0 + rate) ** -np.arange(1, years + 1)


def annualised_cost(investment: float, rate: float, years: int, yearly_cost: float = 0.0) -> float:
    """``investment * CRF + yearly_cost``."""
    return investment * crf(rate, years) + yearly_cost


def lcoh(
    investment: float,
    yearly_cost: float | Sequence[float],
    yearly_heat: float | Sequence[float],
    rate: float,
    years: int,
) -> float:
    """Levelised cost of heat [currency per unit of ``yearly_heat``]; ``inf`` without heat."""
    _check(rate, years)
    d = _discount(rate, years)
    heat = float(np.dot(series(yearly_heat, years, "heat"), d))
    cost = investment + float(np.dot(series(yearly_cost, years, "yearly cost"), d))
    return cost / heat if heat > 0 else math.inf


def npv(
    investment: float, yearly_saving: float | Sequence[float], rate: float, years: int
) -> float:
    """Net present value of paying ``investment`` now and saving ``yearly_saving`` each year."""
    _check(rate, years)
    return -investment + float(
        np.dot(series(yearly_saving, years, "saving"), _discount(rate, years))
    )


def simple_payback(investment: float, yearly_saving: float) -> float:
    """``investment / yearly_saving`` [years]; ``inf`` when nothing is saved."""
    return investment / yearly_saving if yearly_saving > 0 else math.inf


def discounted_payback(
    investment: float, yearly_saving: float | Sequence[float], rate: float, years: int
) -> float:
    """Years until the cumulative discounted saving equals ``investment``; ``inf`` if never."""
    _check(rate, years)
    pv = series(yearly_saving, years, "saving") * _discount(rate, years)
    cum = np.concatenate([[0.0], np.cumsum(pv)])
    if investment <= 0:
        return 0.0
    for t in range(1, years + 1):
        if cum[t] >= investment:
            return (t - 1) + (investment - cum[t - 1]) / (cum[t] - cum[t - 1])
    return math.inf
