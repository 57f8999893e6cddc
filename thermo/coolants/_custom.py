"""User-defined coolant: each property a constant or a table interpolated by monotone cubics.

Tables are interpolated with the piecewise-cubic Hermite interpolant of Fritsch & Carlson
(F. N. Fritsch and R. E. Carlson, "Monotone Piecewise Cubic Interpolation", SIAM J. Numer. Anal.
17 (1980) 238-246), as implemented by :class:`scipy.interpolate.PchipInterpolator` (imported lazily):
continuous first derivative, no overshoot, monotone data stay monotone, and linear data are
reproduced exactly. Viscosity is interpolated in ``ln(mu)``, so it stays positive and follows the
near-exponential temperature dependence of liquids. Outside the table the property is continued
linearly (in ``ln(mu)`` for viscosity) with the end value and end slope, so that a solver iterate a
little outside the range sees finite, C1-continuous values; the public API refuses such
temperatures unless ``check=False``. The specific enthalpy is the exact integral of this
specific-heat curve from 273.15 K.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from thermo.coolants._poly import T_REF
from thermo.errors import InputError

__all__ = ["ConstantProperty", "TableProperty", "CustomModel", "parse_property"]

Num = float | np.ndarray


class ConstantProperty:
    """A temperature-independent property."""

    __slots__ = ("c", "key")

    def __init__(self, c: float) -> None:
        self.c = float(c)
        self.key = ("constant", self.c)

    def value(self, T: Num) -> Num:
        return self.c if isinstance(T, float) else np.full(np.shape(T), self.c)

    def value_d(self, T: Num) -> tuple[Num, Num]:
        zero = 0.0 if isinstance(T, float) else np.zeros(np.shape(T))
        return self.value(T), zero

    def integral(self, T: Num) -> Num:
        """Antiderivative, zero at 0 K."""
        return self.c * T


class TableProperty:
    """A tabulated property: PCHIP inside the table, linear continuation outside."""

    __slots__ = ("log", "t0", "t1", "_p", "_dp", "_ap", "key")

    def __init__(self, T: np.ndarray, values: np.ndarray, *, log: bool) -> None:
        from scipy.interpolate import PchipInterpolator

        self.log = log
        self.t0, self.t1 = float(T[0]), float(T[-1])
        y = np.log(values) if log else values
        self._p = PchipInterpolator(T, y, extrapolate=True)
        self._dp = self._p.derivative()
        self._ap = self._p.antiderivative()
        self.key = ("table", log, tuple(float(t) for t in T), tuple(float(v) for v in values))

    def _inner(self, T: Num) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        T = np.asarray(T, dtype=float)
        tc = np.clip(T, self.t0, self.t1)
        return T, tc, self._p(tc), self._dp(tc)

    def value_d(self, T: Num) -> tuple[Num, Num]:
        scalar = isinstance(T, float)
        T, tc, y, dy = self._inner(T)
        v = y + dy * (T - tc)
        if self.log:
            v = np.exp(v)
            dy = dy * v
        return (float(v), float(dy)) if scalar else (v, dy)

    def value(self, T: Num) -> Num:
        return self.value_d(T)[0]

    def integral(self, T: Num) -> Num:
        """Antiderivative of the (non-log) property, zero at the first table point."""
        scalar = isinstance(T, float)
        T, tc, y, dy = self._inner(T)
        dt = T - tc
        a = self._ap(tc) + y * dt + 0.5 * dy * dt * dt
        return float(a) if scalar else a


Prop = ConstantProperty | TableProperty


def parse_property(name: str, spec: Any, *, log: bool = False) -> Prop:
    """Validate one user property: a positive number, or a table ``(T_array [K], values)``."""
    if isinstance(spec, bool):
        raise InputError(
            f"{name}: expected a positive number or a table (T, values), got {spec!r}",
            key=name,
            value=spec,
        )
    if isinstance(spec, (int, float, np.integer, np.floating)):
        c = float(spec)
        if not (math.isfinite(c) and c > 0.0):
            raise InputError(
                f"{name} must be positive and finite (SI units), got {spec!r}", key=name, value=spec
            )
        return ConstantProperty(c)
    if isinstance(spec, (tuple, list)) and len(spec) == 2:
        try:
            T = np.asarray(spec[0], dtype=float)
            v = np.asarray(spec[1], dtype=float)
        except (TypeError, ValueError):
            raise InputError(
                f"{name}: table entries must be numbers (T in K, values in SI units)",
                key=name,
                value=spec,
            ) from None
        if T.ndim != 1 or v.ndim != 1 or T.size != v.size:
            raise InputError(
                f"{name}: the table needs two 1-D sequences of the same length, got shapes "
                f"{T.shape} and {v.shape}",
                key=name,
                value=spec,
            )
        if T.size < 2:
            raise InputError(
                f"{name}: a table needs at least 2 points, got {T.size}", key=name, value=spec
            )
        if not (np.all(np.isfinite(T)) and np.all(np.isfinite(v))):
            raise InputError(
                f"{name}: table contains NaN or infinite entries", key=name, value=spec
            )
        if np.any(T <= 0.0):
            raise InputError(
                f"{name}: table temperatures must be in K (> 0), got min {T.min()!r}",
                key=name,
                value=spec,
            )
        if np.any(np.diff(T) <= 0.0):
            i = int(np.argmax(np.diff(T) <= 0.0))
            raise InputError(
                f"{name}: table temperatures must be strictly increasing; T[{i}] = {T[i]!r} K is "
                f"followed by T[{i + 1}] = {T[i + 1]!r} K",
                key=name,
                value=spec,
            )
        if np.any(v <= 0.0):
            i = int(np.argmax(v <= 0.0))
            raise InputError(
                f"{name}: table values must be positive, got {v[i]!r} at {T[i]!r} K",
                key=name,
                value=spec,
            )
        return TableProperty(T, v, log=log)
    raise InputError(
        f"{name}: expected a positive number (SI units) or a table (T_array_K, values), got "
        f"{type(spec).__name__} {spec!r}",
        key=name,
        value=spec,
    )


class CustomModel:
    """Property model of a user-defined coolant (same interface as ``PolyModel``)."""

    __slots__ = (
        "rho",
        "cp",
        "mu",
        "k",
        "T_min",
        "T_max",
        "freezing_point",
        "reference_pressure",
        "_h0",
    )

    def __init__(
        self,
        rho: Prop,
        cp: Prop,
        mu: Prop,
        k: Prop,
        *,
        T_min: float,
        T_max: float,
        freezing_point: float,
    ) -> None:
        self.rho, self.cp, self.mu, self.k = rho, cp, mu, k
        self.T_min, self.T_max, self.freezing_point = T_min, T_max, freezing_point
        self.reference_pressure = None
        self._h0 = cp.integral(T_REF)

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
        return self.cp.integral(T) - self._h0

    def state(self, T: Num) -> tuple[Num, ...]:
        rho, drho = self.rho.value_d(T)
        cp, dcp = self.cp.value_d(T)
        mu, dmu = self.mu.value_d(T)
        k, dk = self.k.value_d(T)
        return rho, drho, cp, dcp, mu, dmu, k, dk, self.enthalpy(T)
