"""Cold plates from datasheet points: pressure drop and thermal resistance laws.

Two laws describe a cold plate (or a group of plates) seen from the coolant loop:

* **Pressure drop** ``dp = a·|V|ⁿ·sign(V)`` fitted to one or more (flow, pressure-drop) points
  (:func:`fit_pressure_drop` → :class:`PowerLaw`). Near zero flow it is replaced by an odd
  linear-plus-cubic ("laminar") blend so that ``d(dp)/dV`` stays finite and positive for a Newton
  solver; the blend joins the power law with equal value and slope (C¹).
* **Thermal resistance, case to inlet coolant** ``R(V) = R_ref·(|V|/V_ref)^(-m)`` fitted to two
  or more (flow, resistance) points (:func:`fit_thermal_resistance` → :class:`ResistanceLaw`).

Sign convention: ``V > 0`` flows from the plate inlet to its outlet; ``dp = p_in - p_out``.

The "caloric" question
----------------------
The resistance used here is the **case-to-inlet** resistance,
``R = (T_case - T_coolant,in) / Q``, the convention of the OCP OAI liquid-cooling guidelines
(Chen et al. 2023, as used by the Modelica Buildings Library records ``Generic_R_m_flow``). It
already contains the coolant's own temperature rise inside the plate (the *caloric* resistance),
so :func:`case_temperature` must be given the **inlet** coolant temperature and no
``1/(2·ṁ·c_p)`` term may be added on top. A resistance referred to the *mean* coolant
temperature (what a convection-only model gives) is converted with
:func:`inlet_referred_resistance`.

References
----------
.. [1] C. Chen, D. Trieu, T. Shah, A. Guo, J. Cheng, C. Chapman, S. Kang, E. Dagan, A. Dinstag,
   J. Yao, "OCP OAI System Liquid Cooling Guidelines", Open Compute Project, Mar. 2023, Fig. 7
   (1 kW OAM cold plate, PG25). Data as tabulated in the Modelica Buildings Library record
   ``Buildings.Applications.DataCenters.LiquidCooled.Racks.LiquidSinglePhase.Data.OCP_1kW_OAM_PG25``.
.. [2] Modelica Buildings Library, model
   ``Buildings.Applications.DataCenters.LiquidCooled.Racks.LiquidSinglePhase.ColdPlateR_P``
   (M. Wetter, 2025): default ``dp_nominal = 50 kPa`` "pressure drop of the OCP specified cold plate
   with a 8x1 loop at 10 l/min flow rate with 25% PGW" and flow exponent ``n = 1.85`` "based on a
   data fit using the data in Chen et al.".
.. [3] GB200-class cold-plate design targets (R_th < 0.03 K/W, flow resistance <= 20 kPa), vendor
   blogs kenfatech.com and fibermall.com as compiled in the project's docs/references.md §3 (tag [S]:
   indicative, secondary sources).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from thermo.errors import InputError

__all__ = [
    "GB200_R_TARGET",
    "GB200_DP_MAX",
    "OCP_DP_REF",
    "OCP_FLOW_REF",
    "OCP_DP_EXPONENT",
    "OCP_OAI_1KW_PG25_R_CURVE",
    "LAMINAR_FRACTION",
    "PowerLaw",
    "ResistanceLaw",
    "fit_pressure_drop",
    "fit_thermal_resistance",
    "regularized_power",
    "outlet_temperature",
    "case_temperature",
    "case_margin",
    "inlet_referred_resistance",
]

GB200_R_TARGET = 0.03
"""GB200-class cold-plate thermal-resistance target, case to inlet [K/W]: "R_th < 0.03 K/W" ([3], [S])."""

GB200_DP_MAX = 20e3
"""GB200-class cold-plate flow-resistance target [Pa]: "<= 20 kPa" per plate ([3], [S])."""

OCP_DP_REF = 50e3
"""OCP cold-plate reference pressure drop [Pa]: 50 kPa for an 8x1 loop at 10 L/min PG25 ([2])."""

OCP_FLOW_REF = 10e-3 / 60.0
"""Flow at which :data:`OCP_DP_REF` holds [m³/s]: 10 L/min ([2])."""

OCP_DP_EXPONENT = 1.85
"""Default pressure-drop exponent n in dp ∝ Vⁿ [-]. An assumption: the value the Modelica
Buildings Library fitted to the OCP OAI data ([1], [2]); docs/references.md §3 gives 1.3–1.8 for manifold
cold plates. Used only when a single datasheet point is given."""

OCP_OAI_1KW_PG25_R_CURVE: tuple[tuple[float, float], ...] = tuple(
    (v_lpm * 1e-3 / 60.0, r)
    for v_lpm, r in (
        (0.4, 0.0389),
        (0.5, 0.0325),
        (0.6, 0.0300),
        (0.7, 0.0280),
        (0.8, 0.0265),
        (0.9, 0.0255),
        (1.0, 0.0245),
        (1.2, 0.0230),
        (1.4, 0.0220),
        (1.6, 0.0214),
        (1.8, 0.0209),
        (2.0, 0.0204),
        (2.2, 0.0200),
        (2.4, 0.0197),
    )
)
"""Case-to-inlet resistance of a 1 kW OAM cold plate with PG25, pairs (V [m³/s], R [K/W]) ([1])."""

LAMINAR_FRACTION = 0.01
"""Default half-width of the near-zero laminar blend of :class:`PowerLaw`, as a fraction of the
largest datasheet flow [-]. A numerical device, not physics: below 1 % of the rated flow the
pressure drop of a cold plate is negligible for any loop calculation."""


def regularized_power(
    x: np.ndarray | float, n: float, x_lin: float
) -> tuple[np.ndarray, np.ndarray]:
    """Odd power ``sign(x)·|x|ⁿ`` with a C¹ linear-plus-cubic blend for ``|x| < x_lin``.

    For ``|x| >= x_lin`` the value is ``sign(x)·|x|ⁿ``. Inside, ``c1·x + c3·x³`` with
    ``c1 = (3 - n)/2 · x_lin^(n-1)`` and ``c3 = (n - 1)/2 · x_lin^(n-3)``, which matches value and
    slope at ``|x| = x_lin``; the slope at zero is ``c1 > 0`` for ``0 < n < 3`` and the blend is
    strictly increasing. The same idea (a smooth replacement of ``xⁿ`` near zero so that the
    Jacobian stays finite) is used by ``Buildings.Utilities.Math.Functions.regNonZeroPower`` in the
    Modelica Buildings Library.

    Parameters
    ----------
    x : array_like
        Argument [-] or any unit; ``x_lin`` in the same unit.
    n : float
        Exponent, ``0 < n < 3`` [-].
    x_lin : float
        Half-width of the blend, ``>= 0``; 0 disables it.

    Returns
    -------
    value, derivative : ndarray
        ``f(x)`` and ``df/dx``, same shape as ``x``.
    """
    x = np.asarray(x, dtype=float)
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.sign(x) * ax**n
        der = n * ax ** (n - 1.0)
    if x_lin > 0.0:
        c1 = 0.5 * (3.0 - n) * x_lin ** (n - 1.0)
        c3 = 0.5 * (n - 1.0) * x_lin ** (n - 3.0)
        inner = ax < x_lin
        val = np.where(inner, c1 * x + c3 * x**3, val)
        der = np.where(inner, c1 + 3.0 * c3 * x**2, der)
    elif n > 1.0:
        der = np.where(ax == 0.0, 0.0, der)
    return val, der


def _check_exponent(n: float, name: str) -> None:
    if not (math.isfinite(n) and 0.5 <= n <= 2.5):
        raise InputError(
            f"pressure-drop exponent must be between 0.5 and 2.5 (1 laminar, 2 fully turbulent), "
            f"got {n!r}",
            key=name,
            value=n,
        )
    if not 1.0 <= n <= 2.0:
        warnings.warn(
            f"pressure-drop exponent {n:.3g} is outside the physical range 1 (laminar) to 2 "
            "(fully turbulent); check the datasheet points",
            RuntimeWarning,
            stacklevel=3,
        )


@dataclass(frozen=True)
class PowerLaw:
    """Pressure drop ``dp = a·sign(V)·|V|ⁿ`` with a C¹ laminar blend below ``V_lam``.

    Parameters
    ----------
    a : float
        Coefficient [Pa/(m³/s)ⁿ].
    n : float
        Exponent [-], 0.5–2.5 accepted (a warning outside 1–2).
    V_lam : float
        Half-width of the near-zero blend [m³/s]; 0 disables it (then ``d(dp)/dV = 0`` at
        ``V = 0`` for ``n > 1``, a singular Newton Jacobian).
    V_range : tuple of float
        Smallest and largest datasheet flow the law was fitted to [m³/s]; outside it the law is an
        extrapolation (informative, not enforced: a network solver must be able to probe any flow).
    """

    a: float
    n: float
    V_lam: float = 0.0
    V_range: tuple[float, float] = (0.0, math.inf)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.a) and self.a > 0.0):
            raise InputError(f"PowerLaw coefficient a must be > 0, got {self.a!r}", key="a")
        if not (math.isfinite(self.n) and 0.5 <= self.n <= 2.5):
            raise InputError(f"PowerLaw exponent n must be in [0.5, 2.5], got {self.n!r}", key="n")
        if not (math.isfinite(self.V_lam) and self.V_lam >= 0.0):
            raise InputError(f"PowerLaw V_lam must be >= 0, got {self.V_lam!r}", key="V_lam")

    def dp(self, V: np.ndarray | float) -> np.ndarray:
        """Pressure drop [Pa] at volume flow ``V`` [m³/s]; odd in ``V`` (reversed flow)."""
        val, _ = regularized_power(V, self.n, self.V_lam)
        return self.a * val

    def ddp_dV(self, V: np.ndarray | float) -> np.ndarray:
        """Derivative ``d(dp)/dV`` [Pa·s/m³], analytic; ``> 0`` everywhere when ``V_lam > 0``."""
        _, der = regularized_power(V, self.n, self.V_lam)
        return self.a * der

    def flow(self, dp: np.ndarray | float) -> np.ndarray:
        """Inverse: the flow [m³/s] that gives pressure drop ``dp`` [Pa] (odd in ``dp``).

        Closed form on the power-law branch; a few vectorised Newton steps inside the blend.
        """
        dp = np.asarray(dp, dtype=float)
        x = np.sign(dp) * (np.abs(dp) / self.a) ** (1.0 / self.n)
        if self.V_lam > 0.0:
            inner = np.abs(x) < self.V_lam
            if np.any(inner):
                xi = np.where(inner, x, 0.0)
                for _ in range(50):
                    f = self.dp(xi) - np.where(inner, dp, 0.0)
                    xi = xi - f / self.ddp_dV(xi)
                x = np.where(inner, xi, x)
        return x


@dataclass(frozen=True)
class ResistanceLaw:
    """Case-to-inlet thermal resistance ``R(V) = R_ref·(|V|/V_ref)^(-m)``.

    Parameters
    ----------
    R_ref : float
        Resistance at ``V_ref`` [K/W].
    V_ref : float
        Reference volume flow [m³/s].
    m : float
        Flow exponent [-]. Physical range 0 (fully developed laminar, constant h) to about 0.8
        (turbulent, Dittus–Boelter); commercial cold plates typically 0.3–0.6 (docs/references.md §3).
    V_range : tuple of float
        Flow range of the datasheet points [m³/s]. :meth:`R` warns outside it.
    """

    R_ref: float
    V_ref: float
    m: float
    V_range: tuple[float, float] = (0.0, math.inf)

    def __post_init__(self) -> None:
        for name in ("R_ref", "V_ref"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0.0):
                raise InputError(f"ResistanceLaw {name} must be > 0, got {v!r}", key=name)
        if not math.isfinite(self.m):
            raise InputError(f"ResistanceLaw m must be finite, got {self.m!r}", key="m")

    def _warn_range(self, V: np.ndarray) -> None:
        lo, hi = self.V_range
        av = np.abs(V)
        if np.any((av < lo * (1 - 1e-9)) | (av > hi * (1 + 1e-9))):
            warnings.warn(
                f"cold-plate thermal resistance extrapolated outside the datasheet flow range "
                f"{lo:.4g}–{hi:.4g} m³/s",
                RuntimeWarning,
                stacklevel=3,
            )

    def R(self, V: np.ndarray | float, *, warn: bool = True) -> np.ndarray:
        """Resistance [K/W] at volume flow ``V`` [m³/s] (``|V|`` is used; ``inf`` at ``V = 0``).

        Warns (``RuntimeWarning``) when ``|V|`` lies outside ``V_range`` unless ``warn=False``.
        """
        V = np.asarray(V, dtype=float)
        if warn:
            self._warn_range(V)
        with np.errstate(divide="ignore"):
            return self.R_ref * (np.abs(V) / self.V_ref) ** (-self.m)

    def dR_dV(self, V: np.ndarray | float) -> np.ndarray:
        """Derivative ``dR/dV = -m·R/V`` [K·s/(W·m³)], analytic (odd sign for reversed flow)."""
        V = np.asarray(V, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return -self.m * self.R(V, warn=False) / V


def _points(points: Sequence[Sequence[float]], what: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        arr = np.asarray(points, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{what} points must be (flow, value) pairs of numbers", key="points"
        ) from exc
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] == 0:
        raise InputError(
            f"{what} points must be a non-empty list of (flow [m³/s], value) pairs, got shape "
            f"{arr.shape}",
            key="points",
        )
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0.0):
        raise InputError(
            f"{what} points must have flow > 0 and value > 0, got {arr.tolist()}",
            key="points",
            value=arr.tolist(),
        )
    return arr[:, 0], arr[:, 1]


def fit_pressure_drop(
    points: Sequence[Sequence[float]],
    exponent: float | None = None,
    *,
    laminar_fraction: float = LAMINAR_FRACTION,
) -> PowerLaw:
    """Fit ``dp = a·Vⁿ`` to datasheet points.

    Parameters
    ----------
    points : sequence of (V, dp)
        Volume flow [m³/s] and pressure drop [Pa], both > 0.
    exponent : float, optional
        Fixed exponent n [-]. With one point it defaults to :data:`OCP_DP_EXPONENT` (1.85, an
        assumption fitted to OCP-style data); with two or more points n is fitted unless given.
    laminar_fraction : float
        Half-width of the near-zero blend as a fraction of the largest datasheet flow [-].

    Returns
    -------
    PowerLaw

    Notes
    -----
    Least squares in log space, ``ln dp = ln a + n ln V``, i.e. relative errors are minimised.
    """
    V, dp = _points(points, "pressure-drop")
    if not 0.0 <= laminar_fraction < 1.0:
        raise InputError(
            f"laminar_fraction must be in [0, 1), got {laminar_fraction!r}", key="laminar_fraction"
        )
    lv, ldp = np.log(V), np.log(dp)
    if exponent is None and V.size == 1:
        exponent = OCP_DP_EXPONENT
    if exponent is not None:
        _check_exponent(float(exponent), "exponent")
        n = float(exponent)
        ln_a = float(np.mean(ldp - n * lv))
    else:
        if np.ptp(lv) < 1e-9:
            raise InputError(
                "pressure-drop points need at least two different flows to fit the exponent",
                key="points",
            )
        n, ln_a = (float(c) for c in np.polyfit(lv, ldp, 1))
        _check_exponent(n, "points")
    return PowerLaw(
        a=math.exp(ln_a),
        n=n,
        V_lam=laminar_fraction * float(V.max()),
        V_range=(float(V.min()), float(V.max())),
    )


def fit_thermal_resistance(
    points: Sequence[Sequence[float]], *, V_ref: float | None = None
) -> ResistanceLaw:
    """Fit ``R = R_ref·(V/V_ref)^(-m)`` to two or more datasheet points.

    Parameters
    ----------
    points : sequence of (V, R)
        Volume flow [m³/s] and case-to-inlet resistance [K/W], both > 0, at least two flows.
    V_ref : float, optional
        Reference flow [m³/s]; default the geometric mean of the datasheet flows (best conditioned).

    Returns
    -------
    ResistanceLaw
        Warns (``RuntimeWarning``) if the fitted m is outside 0–1, the range physics allows
        (0: fully developed laminar; ≈0.8: turbulent; up to 1 when the caloric term dominates).
    """
    V, R = _points(points, "thermal-resistance")
    lv, lr = np.log(V), np.log(R)
    if V.size < 2 or np.ptp(lv) < 1e-9:
        raise InputError(
            "thermal-resistance fit needs at least two points at different flows", key="points"
        )
    slope, intercept = (float(c) for c in np.polyfit(lv, lr, 1))
    m = -slope
    if V_ref is None:
        V_ref = float(np.exp(lv.mean()))
    elif not (math.isfinite(V_ref) and V_ref > 0.0):
        raise InputError(f"V_ref must be > 0, got {V_ref!r}", key="V_ref")
    if not 0.0 <= m <= 1.0:
        warnings.warn(
            f"fitted cold-plate resistance exponent m = {m:.3g} is outside 0–1; check the points",
            RuntimeWarning,
            stacklevel=2,
        )
    R_ref = math.exp(intercept + slope * math.log(V_ref))
    return ResistanceLaw(R_ref=R_ref, V_ref=V_ref, m=m, V_range=(float(V.min()), float(V.max())))


def outlet_temperature(
    T_in: np.ndarray | float,
    Q: np.ndarray | float,
    m_dot: np.ndarray | float,
    cp: np.ndarray | float,
) -> np.ndarray:
    """Coolant outlet temperature ``T_in + Q/(ṁ·c_p)`` [K] (steady energy balance).

    Parameters
    ----------
    T_in : array_like
        Coolant inlet temperature [K].
    Q : array_like
        Heat into the coolant [W].
    m_dot : array_like
        Mass flow [kg/s], > 0.
    cp : array_like
        Specific heat of the coolant [J/(kg·K)], > 0.
    """
    m_dot = np.asarray(m_dot, dtype=float)
    cp = np.asarray(cp, dtype=float)
    if np.any(m_dot <= 0.0):
        raise InputError("outlet temperature needs a mass flow > 0", key="m_dot", value=m_dot)
    if np.any(cp <= 0.0):
        raise InputError("specific heat must be > 0", key="cp", value=cp)
    return np.asarray(T_in, dtype=float) + np.asarray(Q, dtype=float) / (m_dot * cp)


def case_temperature(
    T_in: np.ndarray | float, Q: np.ndarray | float, R: np.ndarray | float
) -> np.ndarray:
    """Case temperature ``T_case = T_in + R·Q`` [K].

    Parameters
    ----------
    T_in : array_like
        Coolant temperature at the cold-plate **inlet** [K] (see the module note on the caloric
        term: ``R`` is case-to-inlet).
    Q : array_like
        Heat dissipated by the device into the plate [W].
    R : array_like
        Case-to-inlet thermal resistance [K/W].
    """
    return np.asarray(T_in, dtype=float) + np.asarray(R, dtype=float) * np.asarray(Q, dtype=float)


def case_margin(T_case: np.ndarray | float, T_limit: np.ndarray | float) -> np.ndarray:
    """Margin to the case-temperature limit ``T_limit - T_case`` [K]; negative means exceeded."""
    return np.asarray(T_limit, dtype=float) - np.asarray(T_case, dtype=float)


def inlet_referred_resistance(
    R_mean: np.ndarray | float, m_dot: np.ndarray | float, cp: np.ndarray | float
) -> np.ndarray:
    """Convert a resistance referred to the mean coolant temperature to case-to-inlet [K/W].

    ``R_inlet = R_mean + 1/(2·ṁ·c_p)``: with the coolant heated linearly from ``T_in`` to
    ``T_in + Q/(ṁ c_p)``, its mean lies ``Q/(2 ṁ c_p)`` above the inlet.

    Parameters
    ----------
    R_mean : array_like
        Case-to-mean-coolant resistance [K/W].
    m_dot : array_like
        Mass flow [kg/s], > 0.
    cp : array_like
        Specific heat [J/(kg·K)], > 0.
    """
    m_dot = np.asarray(m_dot, dtype=float)
    if np.any(m_dot <= 0.0):
        raise InputError("mass flow must be > 0", key="m_dot", value=m_dot)
    return np.asarray(R_mean, dtype=float) + 0.5 / (m_dot * np.asarray(cp, dtype=float))
