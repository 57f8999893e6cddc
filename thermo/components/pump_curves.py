"""Pump head curves beyond the quadratic fit: polynomial, tabulated (monotone cubic), power law.

Each curve gives the head ``H`` [m] of one pump at nominal speed and its slope ``dH/dV`` for
volume flows ``V`` [m³/s] (arrays). :class:`~thermo.components.pump.Pump` applies the affinity
laws on top (``H(V, n) = n² f(V/n)``).

Behaviour outside the datasheet points, the same for every curve kind:

- beyond the last point the curve is extrapolated (polynomial and power law by their formula, the
  tabulated curve linearly with its end slope); the pump flags ``beyond_curve``;
- for reverse flow (``V < 0``) the curve continues linearly from ``V = 0`` with its slope there
  (power law: as an odd function, ``A + B |V|^C``, a pump resists being driven backwards); the pump
  flags ``reverse_flow``;
- below zero head the curve goes on (the pump then acts as a resistance); flagged ``negative_head``.

Sources: EPANET's power-law pump curve ``h = A - B q^C`` through the shutoff point and two more
points, and its single-point rule (shutoff head 133 % of the design head, zero head at 200 % of the
design flow) — Rossman et al., *EPANET 2.2 User Manual*, US EPA/600/R-20/133, 2020, §3.1 "Pump
Curve". Monotone cubic interpolation: Fritsch & Carlson, *SIAM J. Numer. Anal.* 17 (1980) 238–246,
as implemented by :class:`scipy.interpolate.PchipInterpolator`.
"""

from __future__ import annotations

import numpy as np

from thermo.errors import InputError

__all__ = ["CURVE_KINDS", "PolynomialCurve", "TabulatedCurve", "PowerLawCurve", "make_curve"]

CURVE_KINDS = ("quadratic", "polynomial", "tabulated", "power_law")
"""Head-curve kinds a pump accepts (``quadratic`` is the classic least-squares fit)."""
EPANET_SHUTOFF_FACTOR = 4.0 / 3.0
"""Shutoff head over design head of EPANET's single-point curve (EPANET 2.2 manual §3.1)."""
EPANET_MAX_FLOW_FACTOR = 2.0
"""Zero-head flow over design flow of EPANET's single-point curve (EPANET 2.2 manual §3.1)."""


class PolynomialCurve:
    """Least-squares polynomial of ``degree`` through the points (exact with ``degree = n - 1``)."""

    kind = "polynomial"

    def __init__(self, points: np.ndarray, degree: int, owner: str) -> None:
        if not 1 <= degree < len(points):
            raise InputError(
                f"a degree-{degree} polynomial needs at least {degree + 1} points and degree >= 1; "
                f"got {len(points)} points",
                key=f"{owner}.degree",
            )
        self.coef = np.polynomial.polynomial.polyfit(points[:, 0], points[:, 1], degree)
        self.dcoef = np.polynomial.polynomial.polyder(self.coef)

    def __call__(self, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pv = np.polynomial.polynomial.polyval
        Vf = np.maximum(V, 0.0)
        H = pv(Vf, self.coef)
        dH = pv(Vf, self.dcoef)
        rev = V < 0
        s0 = self.dcoef[0] if len(self.dcoef) else 0.0
        return np.where(rev, self.coef[0] + s0 * V, H), np.where(rev, s0, dH)


class TabulatedCurve:
    """Monotone piecewise cubic (PCHIP) through the datasheet points, linear outside them."""

    kind = "tabulated"

    def __init__(self, points: np.ndarray, owner: str) -> None:
        from scipy.interpolate import PchipInterpolator

        self.V = points[:, 0]
        self.spline = PchipInterpolator(points[:, 0], points[:, 1], extrapolate=False)
        self.dspline = self.spline.derivative()
        lo, hi = self.V[0], self.V[-1]
        self.ends = (lo, hi)
        self.end_values = (float(self.spline(lo)), float(self.spline(hi)))
        self.end_slopes = (float(self.dspline(lo)), float(self.dspline(hi)))

    def __call__(self, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.ends
        Vc = np.clip(V, lo, hi)
        H = np.asarray(self.spline(Vc), dtype=float)
        dH = np.asarray(self.dspline(Vc), dtype=float)
        below, above = V < lo, V > hi
        H = np.where(below, self.end_values[0] + self.end_slopes[0] * (V - lo), H)
        H = np.where(above, self.end_values[1] + self.end_slopes[1] * (V - hi), H)
        dH = np.where(below, self.end_slopes[0], np.where(above, self.end_slopes[1], dH))
        return H, dH


class PowerLawCurve:
    """EPANET's ``H = A - B V^C`` through the shutoff point and two more (or one design point)."""

    kind = "power_law"

    def __init__(self, points: np.ndarray, owner: str) -> None:
        if len(points) == 1:
            q1, h1 = points[0]
            if q1 <= 0 or h1 <= 0:
                raise InputError(
                    "a single-point power-law curve needs a design point with positive flow and "
                    "head",
                    key=f"{owner}.head_curve",
                )
            points = np.array(
                [[0.0, EPANET_SHUTOFF_FACTOR * h1], [q1, h1], [EPANET_MAX_FLOW_FACTOR * q1, 0.0]]
            )
        if len(points) != 3 or points[0, 0] != 0.0:
            raise InputError(
                "a power-law curve takes one design point, or three points of which the first is "
                f"the shutoff head at zero flow; got {points.tolist()}",
                key=f"{owner}.head_curve",
            )
        (_, h0), (q1, h1), (q2, h2) = points
        if not h0 > h1 > h2:
            raise InputError(
                f"a power-law curve needs heads falling with flow, got {[h0, h1, h2]}",
                key=f"{owner}.head_curve",
            )
        self.A = float(h0)
        self.C = float(np.log((h0 - h2) / (h0 - h1)) / np.log(q2 / q1))
        self.B = float((h0 - h1) / q1**self.C)
        self.v_floor = 1e-9 * q2

    def __call__(self, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.maximum(np.abs(V), self.v_floor)
        H = self.A - self.B * np.sign(V) * np.abs(V) ** self.C
        dH = -self.B * self.C * a ** (self.C - 1.0)
        return H, dH


def make_curve(kind: str, points: np.ndarray, degree: int | None, owner: str):
    """The curve object of ``kind`` through ``points`` (None for ``quadratic``)."""
    if kind not in CURVE_KINDS:
        raise InputError(
            f"curve must be one of {', '.join(CURVE_KINDS)}, got {kind!r}", key=f"{owner}.curve"
        )
    if degree is not None and kind != "polynomial":
        raise InputError("degree applies to curve = 'polynomial' only", key=f"{owner}.degree")
    if kind == "quadratic":
        return None
    if kind == "polynomial":
        return PolynomialCurve(points, len(points) - 1 if degree is None else int(degree), owner)
    if kind == "tabulated":
        if len(points) < 2:
            raise InputError("a tabulated curve needs at least 2 points", key=f"{owner}.head_curve")
        return TabulatedCurve(points, owner)
    return PowerLawCurve(points, owner)
