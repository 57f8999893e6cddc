"""Evaluate shipped or run-time polynomial fits of coolant properties with numpy (no CoolProp).

A fit record (see :func:`thermo.coolants._fit.fit_coolant`) holds, per property, power-basis
coefficients in a scaled variable ``u``: ``u = (T - c) / s`` or ``u = (1/T - c) / s``. Evaluation is
Horner's scheme, on Python floats for scalar input and in place on numpy arrays otherwise; every
routine returns the value and, where asked, the analytic derivative with respect to T.

The specific enthalpy is the exact antiderivative of the specific-heat polynomial, taken from
``T_REF`` (273.15 K), so ``d(enthalpy)/dT`` equals ``specific_heat`` to round-off.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["T_REF", "PolyModel", "load_records", "horner", "horner_d"]

T_REF = 273.15
"""Reference temperature of the specific enthalpy, h(T_REF) = 0 [K]."""

Num = float | np.ndarray


def horner(c: tuple[float, ...], u: Num) -> Num:
    """Polynomial ``sum(c[i] * u**i)`` by Horner's scheme (float in, float out)."""
    if isinstance(u, float):
        p = c[-1]
        for a in c[-2::-1]:
            p = p * u + a
        return p
    p = np.full(u.shape, c[-1])
    for a in c[-2::-1]:
        p *= u
        p += a
    return p


def horner_d(c: tuple[float, ...], u: Num) -> tuple[Num, Num]:
    """Polynomial and its derivative with respect to ``u``, in one Horner pass."""
    if isinstance(u, float):
        p, d = c[-1], 0.0
        for a in c[-2::-1]:
            d = d * u + p
            p = p * u + a
        return p, d
    p = np.full(u.shape, c[-1])
    d = np.zeros(u.shape)
    for a in c[-2::-1]:
        d *= u
        d += p
        p *= u
        p += a
    return p, d


class _Fit:
    """One fitted property: coefficients in a scaled variable, optionally of ln(value)."""

    __slots__ = ("inverse", "log", "center", "inv_half_span", "half_span", "coeffs")

    def __init__(self, spec: dict[str, Any]) -> None:
        if spec["variable"] not in ("T", "invT"):
            raise ValueError(f"unknown fit variable {spec['variable']!r}")
        self.inverse = spec["variable"] == "invT"
        self.log = bool(spec["log"])
        self.center = float(spec["center"])
        self.half_span = float(spec["half_span"])
        self.inv_half_span = 1.0 / self.half_span
        self.coeffs = tuple(float(c) for c in spec["coeffs"])

    def scaled(self, T: Num) -> Num:
        z = 1.0 / T if self.inverse else T
        return (z - self.center) * self.inv_half_span

    def du_dT(self, T: Num) -> Num:
        return -self.inv_half_span / (T * T) if self.inverse else self.inv_half_span

    def value(self, T: Num) -> Num:
        v = horner(self.coeffs, self.scaled(T))
        return (math.exp(v) if isinstance(v, float) else np.exp(v)) if self.log else v

    def value_d(self, T: Num, u: Num | None = None) -> tuple[Num, Num]:
        v, dv = horner_d(self.coeffs, self.scaled(T) if u is None else u)
        dv = dv * self.du_dT(T)
        if self.log:
            v = math.exp(v) if isinstance(v, float) else np.exp(v)
            dv = dv * v
        return v, dv


class PolyModel:
    """Property model of a standard coolant from a fit record (shipped or fitted at run time)."""

    __slots__ = (
        "record",
        "T_min",
        "T_max",
        "freezing_point",
        "reference_pressure",
        "rho",
        "cp",
        "mu",
        "k",
        "_h_coeffs",
        "_x_center",
        "_x_inv",
        "_mu_shares_x",
    )

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record
        self.T_min = float(record["T_min"])
        self.T_max = float(record["T_max"])
        self.freezing_point = float(record["freezing_point"])
        rp = record.get("reference_pressure")
        self.reference_pressure = None if rp is None else float(rp)
        props = record["properties"]
        self.rho, self.cp = _Fit(props["density"]), _Fit(props["specific_heat"])
        self.mu, self.k = _Fit(props["viscosity"]), _Fit(props["conductivity"])
        for fit, name in (
            (self.rho, "density"),
            (self.cp, "specific_heat"),
            (self.k, "conductivity"),
        ):
            if fit.inverse or fit.log:
                raise ValueError(f"{name} must be fitted as a polynomial in scaled T")
        if (self.rho.center, self.rho.half_span) != (self.cp.center, self.cp.half_span) or (
            self.k.center,
            self.k.half_span,
        ) != (self.cp.center, self.cp.half_span):
            raise ValueError("density, specific heat and conductivity must share one scaled T")
        self._x_center, self._x_inv = self.cp.center, self.cp.inv_half_span
        self._mu_shares_x = not self.mu.inverse and (self.mu.center, self.mu.half_span) == (
            self.cp.center,
            self.cp.half_span,
        )
        # h(T) = s * (Q(x) - Q(x_ref)), Q the antiderivative of the cp polynomial in x.
        s = self.cp.half_span
        q = [0.0] + [a / (i + 1) for i, a in enumerate(self.cp.coeffs)]
        q[0] = -horner(tuple(q), (T_REF - self.cp.center) / s)
        self._h_coeffs = tuple(s * a for a in q)

    # -- single properties ------------------------------------------------------------------
    def density(self, T: Num) -> Num:
        return self.rho.value(T)

    def density_dT(self, T: Num) -> Num:
        return self.rho.value_d(T)[1]

    def specific_heat(self, T: Num) -> Num:
        return self.cp.value(T)

    def specific_heat_dT(self, T: Num) -> Num:
        return self.cp.value_d(T)[1]

    def viscosity(self, T: Num) -> Num:
        return self.mu.value(T)

    def viscosity_dT(self, T: Num) -> Num:
        return self.mu.value_d(T)[1]

    def conductivity(self, T: Num) -> Num:
        return self.k.value(T)

    def conductivity_dT(self, T: Num) -> Num:
        return self.k.value_d(T)[1]

    def enthalpy(self, T: Num) -> Num:
        return horner(self._h_coeffs, (T - self._x_center) * self._x_inv)

    def enthalpy_cp(self, T: Num) -> tuple[Num, Num]:
        """``(enthalpy(T), specific_heat(T))`` with the scaled variable computed once (the
        same numbers as the two calls)."""
        x = (T - self._x_center) * self._x_inv
        return horner(self._h_coeffs, x), horner(self.cp.coeffs, x)

    # -- everything at once (the solver's hot path) -----------------------------------------
    def state(self, T: Num) -> tuple[Num, ...]:
        """(rho, drho_dT, cp, dcp_dT, mu, dmu_dT, k, dk_dT, h) sharing one scaled variable."""
        x = (T - self._x_center) * self._x_inv
        inv = self._x_inv
        rho, drho = horner_d(self.rho.coeffs, x)
        cp, dcp = horner_d(self.cp.coeffs, x)
        k, dk = horner_d(self.k.coeffs, x)
        h = horner(self._h_coeffs, x)
        mu, dmu = self.mu.value_d(T, x if self._mu_shares_x else None)
        return rho, drho * inv, cp, dcp * inv, mu, dmu, k, dk * inv, h


@functools.lru_cache(maxsize=4)
def load_records(family: str) -> dict[str, Any]:
    """The shipped fit file of one family (``"water"``, ``"pg"``, ``"eg"``), parsed once."""
    text = resources.files("thermo").joinpath("data", "coolants", f"{family}.json").read_text()
    return json.loads(text)
