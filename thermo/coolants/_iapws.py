"""Saturation line of water: IAPWS-IF97 region 4 (exact formulation, not a fit).

Reference: IAPWS, "Revised Release on the IAPWS Industrial Formulation 1997 for the Thermodynamic
Properties of Water and Steam" (IAPWS R7-97(2012)), section 8: the saturation-pressure equation
(Eq. 30) and the saturation-temperature equation (Eq. 31) with the coefficients of Table 34. The two
equations are consistent with each other to round-off. Validity: 273.15 K <= T <= 647.096 K and
611.213 Pa <= p <= 22.064 MPa (triple point to critical point).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "P_MIN",
    "P_MAX",
    "T_SAT_MIN",
    "T_SAT_MAX",
    "saturation_pressure",
    "saturation_temperature",
]

P_MIN = 611.213
"""Lowest pressure of Eq. 31 [Pa] (saturation pressure at 273.15 K)."""
P_MAX = 22.064e6
"""Critical pressure of water [Pa]."""
T_SAT_MIN = 273.15
"""Lowest temperature of Eq. 30 [K]."""
T_SAT_MAX = 647.096
"""Critical temperature of water [K]."""

# IAPWS-IF97, Table 34: coefficients n1..n10 of the region-4 equations.
_N = (
    0.11670521452767e4,
    -0.72421316703206e6,
    -0.17073846940092e2,
    0.12020824702470e5,
    -0.32325550322333e7,
    0.14915108613530e2,
    -0.48232657361591e4,
    0.40511340542057e6,
    -0.23855557567849,
    0.65017534844798e3,
)


def saturation_pressure(T: float | np.ndarray) -> float | np.ndarray:
    """Saturation pressure of water, IAPWS-IF97 Eq. 30 (no range check here).

    Parameters
    ----------
    T
        Temperature [K], 273.15-647.096 K.

    Returns
    -------
    float or ndarray
        Saturation pressure [Pa].
    """
    n1, n2, n3, n4, n5, n6, n7, n8, n9, n10 = _N
    T = np.asarray(T, dtype=float)
    theta = T + n9 / (T - n10)
    a = theta * theta + n1 * theta + n2
    b = n3 * theta * theta + n4 * theta + n5
    c = n6 * theta * theta + n7 * theta + n8
    p = (2.0 * c / (-b + np.sqrt(b * b - 4.0 * a * c))) ** 4 * 1e6
    return float(p) if p.ndim == 0 else p


def saturation_temperature(p: float | np.ndarray) -> float | np.ndarray:
    """Saturation temperature of water, IAPWS-IF97 Eq. 31 (no range check here).

    Parameters
    ----------
    p
        Absolute pressure [Pa], 611.213 Pa-22.064 MPa.

    Returns
    -------
    float or ndarray
        Saturation temperature [K].
    """
    n1, n2, n3, n4, n5, n6, n7, n8, n9, n10 = _N
    beta = (np.asarray(p, dtype=float) * 1e-6) ** 0.25
    e = beta * beta + n3 * beta + n6
    f = n1 * beta * beta + n4 * beta + n7
    g = n2 * beta * beta + n5 * beta + n8
    d = 2.0 * g / (-f - np.sqrt(f * f - 4.0 * e * g))
    T = 0.5 * (n10 + d - np.sqrt((n10 + d) ** 2 - 4.0 * (n9 + n10 * d)))
    return float(T) if T.ndim == 0 else T
