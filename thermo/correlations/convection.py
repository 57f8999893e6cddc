"""Internal forced convection in circular tubes: mean Nusselt number, laminar to turbulent.

Regimes (VDI Heat Atlas, 2nd ed., 2010, chapter G1; Gnielinski 2013):

* ``Re <= 2300``, laminar:
  - fully developed (no ``length``): Nu = 3.66 (constant wall temperature) or 48/11 = 4.36
    (constant heat flux) — Incropera et al. (2007) Eqs. 8.55 and 8.53;
  - thermally developing, hydrodynamically developed (``length`` and ``diameter`` given), with
    the Graetz number Gz = Re·Pr·D/L:
    constant wall temperature: Hausen (1943), as Incropera Eq. 8.57,
    ``Nu = 3.66 + 0.0668 Gz / (1 + 0.04 Gz^(2/3))``;
    constant heat flux: VDI Heat Atlas G1 §3.2.1 (mean Nu_m,q, hydrodynamically developed),
    ``Nu = [4.364³ + 0.6³ + (1.953 Gz^(1/3) - 0.6)³]^(1/3)``.
* ``Re >= 1e4``, turbulent: Gnielinski (1976), as Incropera Eq. 8.62,
  ``Nu = (f/8)(Re - 1000) Pr / (1 + 12.7 (f/8)^(1/2) (Pr^(2/3) - 1))`` with the Darcy friction
  factor ``f`` given by the caller or, by default, Petukhov's smooth-tube law
  ``f = (0.790 ln Re - 1.64)^-2`` (Incropera Eq. 8.21).
* ``2300 < Re < 1e4``: the linear interpolation of Gnielinski (2013) / VDI Heat Atlas G1 §4,
  ``Nu = (1 - γ) Nu_lam(2300) + γ Nu_turb(1e4)``, ``γ = (Re - 2300)/(1e4 - 2300)``.
  (The abstract of the 2013 paper names Re = 4000 as the upper anchor; the VDI Heat Atlas G1
  interpolation uses 1e4, as here. Neither full text was at hand: the VDI form was confirmed from
  public implementations that cite G1, p. 696.)

Nu is continuous in Re everywhere; its derivative jumps at 2300 and 1e4 (the published
interpolation is linear). Fully developed velocity is assumed; in turbulent flow the entrance
effect is neglected (valid for L/D > 10, Incropera §8.5).
"""

from __future__ import annotations

import numpy as np

from thermo.correlations.friction import _checked, _result, _warn
from thermo.errors import InputError, RangeError

__all__ = [
    "BOUNDARIES",
    "NU_LAMINAR_CONSTANT_HEAT_FLUX",
    "NU_LAMINAR_CONSTANT_WALL_TEMPERATURE",
    "RE_NU_LAMINAR",
    "RE_NU_TURBULENT",
    "nusselt_internal",
    "nusselt_internal_derivative",
]

BOUNDARIES = ("constant_wall_temperature", "constant_heat_flux")
"""Thermal boundary conditions accepted by :func:`nusselt_internal`."""
NU_LAMINAR_CONSTANT_WALL_TEMPERATURE = 3.66
"""Fully developed laminar Nu, uniform wall temperature [-] (Incropera Eq. 8.55)."""
NU_LAMINAR_CONSTANT_HEAT_FLUX = 48.0 / 11.0
"""Fully developed laminar Nu, uniform heat flux [-] (= 4.364; Incropera Eq. 8.53)."""
RE_NU_LAMINAR = 2300.0
"""End of the laminar correlations, start of the interpolation [-] (VDI Heat Atlas G1 §4)."""
RE_NU_TURBULENT = 1.0e4
"""Start of the turbulent correlation, end of the interpolation [-] (VDI Heat Atlas G1 §4)."""

GNIELINSKI_PR_RANGE = (0.5, 2000.0)
"""Prandtl range of Gnielinski's equation [-] (Incropera §8.5, Eq. 8.62)."""
GNIELINSKI_RE_MAX = 5.0e6
"""Largest Reynolds number of Gnielinski's equation [-] (Incropera §8.5, Eq. 8.62)."""

_SPAN = RE_NU_TURBULENT - RE_NU_LAMINAR


def _laminar(re, pr, gz_per_re, boundary):
    """Laminar mean Nu and dNu/dRe; ``gz_per_re`` = Pr·D/L (None: fully developed)."""
    if gz_per_re is None:
        nu0 = (
            NU_LAMINAR_CONSTANT_WALL_TEMPERATURE
            if boundary == BOUNDARIES[0]
            else NU_LAMINAR_CONSTANT_HEAT_FLUX
        )
        shape = np.broadcast(re, pr).shape
        return np.full(shape, nu0), np.zeros(shape)
    gz = re * gz_per_re
    if boundary == BOUNDARIES[0]:  # Hausen (1943)
        g23 = np.cbrt(gz) ** 2
        den = 1.0 + 0.04 * g23
        nu = 3.66 + 0.0668 * gz / den
        dnu_dgz = 0.0668 * (1.0 + 0.04 * g23 / 3.0) / (den * den)
    else:  # VDI Heat Atlas G1 §3.2.1, thermally developing, constant heat flux
        g13 = np.cbrt(gz)
        x = 1.953 * g13 - 0.6
        nu = np.cbrt(4.364**3 + 0.6**3 + x**3)
        with np.errstate(divide="ignore"):
            dnu_dgz = np.where(gz > 0.0, x * x * 1.953 / (3.0 * g13 * g13 * nu * nu), np.inf)
    return nu, dnu_dgz * gz_per_re


def _petukhov(re):
    """Petukhov smooth-tube Darcy friction (Incropera Eq. 8.21) and its Re-derivative."""
    a = 0.790 * np.log(re) - 1.64
    return a**-2, -2.0 * a**-3 * 0.790 / re


def _gnielinski(re, pr, f):
    """Gnielinski (1976) Nu and its partial derivatives by Re and by f."""
    f8 = f / 8.0
    s = np.sqrt(f8)
    p23 = np.cbrt(pr) ** 2 - 1.0
    den = 1.0 + 12.7 * s * p23
    nu = f8 * (re - 1000.0) * pr / den
    dnu_dre = f8 * pr / den
    # d/df: numerator (re-1000)pr/8, denominator 12.7 p23 /(16 s)
    dnu_df = (
        (re - 1000.0) * pr / 8.0 * den - f8 * (re - 1000.0) * pr * 12.7 * p23 / (16.0 * s)
    ) / (den * den)
    return nu, dnu_dre, dnu_df


def _as_float(value, name):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"must be a number or an array of numbers [-], got {value!r}", key=name, value=value
        ) from None


def _evaluate(reynolds, prandtl, length, diameter, friction, dfriction_dre, boundary):
    if boundary not in BOUNDARIES:
        raise InputError(
            f"boundary must be one of {', '.join(BOUNDARIES)}, got {boundary!r}",
            key="boundary",
            value=boundary,
        )
    re = _checked(reynolds, "reynolds", "-", low=0.0)
    pr = _checked(prandtl, "prandtl", "-", low=0.0, low_open=True)
    if (length is None) != (diameter is None):
        raise InputError(
            "give both length and diameter for thermally developing flow, or neither for fully "
            f"developed flow (got length={length!r}, diameter={diameter!r})",
            key="length" if length is None else "diameter",
        )
    gz_per_re = None
    if length is not None:
        ln = _checked(length, "length", "m", low=0.0, low_open=True)
        dm = _checked(diameter, "diameter", "m", low=0.0, low_open=True)
        gz_per_re = pr * dm / ln
    shapes = [re.shape, pr.shape]
    if gz_per_re is not None:
        shapes.append(gz_per_re.shape)
    if friction is not None:
        f_user = _as_float(friction, "friction")
        df_user = _as_float(0.0 if dfriction_dre is None else dfriction_dre, "dfriction_dre")
        shapes += [f_user.shape, df_user.shape]
    elif dfriction_dre is not None:
        raise InputError("dfriction_dre is only meaningful with friction", key="dfriction_dre")
    shape = np.broadcast_shapes(*shapes)
    re = np.broadcast_to(re, shape)
    pr = np.broadcast_to(pr, shape)
    turbulentish = re > RE_NU_LAMINAR
    if friction is not None:
        # friction only matters where Re > 2300: elsewhere accept anything numeric (e.g. the
        # inf that PipeDrop.friction reports at zero flow) and replace it by a dummy value
        f_user = np.broadcast_to(f_user, shape)
        df_user = np.broadcast_to(df_user, shape)
        bad = turbulentish & ~(np.isfinite(f_user) & (f_user > 0.0))
        if bad.any():
            v = float(f_user[bad][0])
            raise RangeError(
                f"must be finite and > 0 where reynolds > {RE_NU_LAMINAR:g} [-], got {v:g}",
                key="friction",
                value=v,
            )
        bad = turbulentish & ~np.isfinite(df_user)
        if bad.any():
            v = float(df_user[bad][0])
            raise RangeError(
                f"must be finite where reynolds > {RE_NU_LAMINAR:g} [-], got {v:g}",
                key="dfriction_dre",
                value=v,
            )
        f_user = np.where(turbulentish, f_user, 0.02)
        df_user = np.where(turbulentish, df_user, 0.0)
    if turbulentish.any():
        p = pr[turbulentish]
        lo, hi = GNIELINSKI_PR_RANGE
        if np.any((p < lo) | (p > hi)):
            bad = float(p[(p < lo) | (p > hi)][0])
            _warn(
                f"Prandtl number {bad:.4g} is outside {lo:g}–{hi:g}, the validity range of "
                "Gnielinski's equation; the Nusselt number is extrapolated"
            )
        if np.any(re > GNIELINSKI_RE_MAX):
            _warn(
                f"Reynolds number {float(np.max(re)):.3g} exceeds {GNIELINSKI_RE_MAX:.0e}, the "
                "validity range of Gnielinski's equation; the Nusselt number is extrapolated"
            )

    nu_lam, dlam = _laminar(re, pr, gz_per_re, boundary)
    nu_lam_edge, _ = _laminar(np.full(shape, RE_NU_LAMINAR), pr, gz_per_re, boundary)

    re_t = np.maximum(re, RE_NU_TURBULENT)
    if friction is None:
        f_t, df_t = _petukhov(re_t)
        f_a, _ = _petukhov(np.full(shape, RE_NU_TURBULENT))
        df_a = np.zeros(shape)
    else:
        # caller's friction at the actual Re; used for the 1e4 anchor too, which keeps Nu
        # continuous at Re = 1e4 for a consistent f(Re)
        f_t = f_a = np.broadcast_to(f_user, shape)
        df_t = df_a = np.broadcast_to(df_user, shape)
    nu_t, dnu_t_dre, dnu_t_df = _gnielinski(re_t, pr, f_t)
    nu_a, _, dnu_a_df = _gnielinski(np.full(shape, RE_NU_TURBULENT), pr, f_a)

    gamma = (re - RE_NU_LAMINAR) / _SPAN
    nu_tr = (1.0 - gamma) * nu_lam_edge + gamma * nu_a
    dnu_tr = (nu_a - nu_lam_edge) / _SPAN + gamma * dnu_a_df * df_a

    laminar = re <= RE_NU_LAMINAR
    turbulent = re >= RE_NU_TURBULENT
    nu = np.where(laminar, nu_lam, np.where(turbulent, nu_t, nu_tr))
    dnu = np.where(laminar, dlam, np.where(turbulent, dnu_t_dre + dnu_t_df * df_t, dnu_tr))
    return nu, dnu


def nusselt_internal(
    reynolds: np.ndarray | float,
    prandtl: np.ndarray | float,
    *,
    length: np.ndarray | float | None = None,
    diameter: np.ndarray | float | None = None,
    friction: np.ndarray | float | None = None,
    boundary: str = "constant_wall_temperature",
) -> np.ndarray | float:
    """Mean Nusselt number Nu = h·D/k for flow in a circular tube, laminar to turbulent.

    See the module docstring for the equations and their sources.

    Parameters
    ----------
    reynolds : array_like
        Reynolds number ρvD/μ [-], >= 0 (pass |Re| for reversed flow).
    prandtl : array_like
        Prandtl number [-], > 0.
    length, diameter : array_like, optional
        Heated length and inner diameter [m], both > 0. Given together, the laminar Nusselt
        number is the thermally developing mean value over ``length`` (Hausen, or the VDI
        constant-heat-flux equation); omitted, it is the fully developed value.
    friction : array_like, optional
        Darcy friction factor at ``reynolds`` [-], > 0, for the turbulent equation (e.g.
        :func:`thermo.correlations.friction.darcy_friction` for a rough pipe, or
        ``PipeDrop.friction``). Default: Petukhov's smooth-tube law. Unused (any value, even inf,
        accepted) where Re <= 2300; in the transition range it is taken as the friction at the
        Re = 1e4 anchor (this keeps Nu continuous at 1e4).
    boundary : {"constant_wall_temperature", "constant_heat_flux"}
        Thermal boundary condition.

    Returns
    -------
    float or ndarray
        Mean Nusselt number [-].

    Raises
    ------
    RangeError
        Re < 0, Pr <= 0, length or diameter <= 0, non-finite input; friction <= 0 or not finite
        where Re > 2300.
    InputError
        Unknown ``boundary``; only one of ``length`` and ``diameter`` given.

    Warns
    -----
    RuntimeWarning
        Where Re > 2300 (Gnielinski's equation is used): Pr outside 0.5–2000 or Re > 5e6.
        Never for laminar flow.

    References
    ----------
    .. [1] V. Gnielinski, "New equations for heat and mass transfer in turbulent pipe and channel
       flow", Int. Chem. Eng. 16 (1976) 359–368.
    .. [2] V. Gnielinski, "On heat transfer in tubes", Int. J. Heat Mass Transfer 63 (2013)
       134–140. :doi:`10.1016/j.ijheatmasstransfer.2013.04.015`
    .. [3] VDI Heat Atlas, 2nd ed., Springer 2010, chapter G1 "Heat transfer in pipe flow".
    .. [4] H. Hausen, "Darstellung des Wärmeüberganges in Rohren durch verallgemeinerte
       Potenzbeziehungen", Z. VDI Beiheft Verfahrenstechnik 4 (1943) 91–98.
    .. [5] F. P. Incropera, D. P. DeWitt, T. L. Bergman, A. S. Lavine, *Fundamentals of Heat and
       Mass Transfer*, 6th ed., Wiley 2007, §8.4–8.5.
    """
    nu, _ = _evaluate(reynolds, prandtl, length, diameter, friction, None, boundary)
    return _result(nu)


def nusselt_internal_derivative(
    reynolds: np.ndarray | float,
    prandtl: np.ndarray | float,
    *,
    length: np.ndarray | float | None = None,
    diameter: np.ndarray | float | None = None,
    friction: np.ndarray | float | None = None,
    dfriction_dre: np.ndarray | float | None = None,
    boundary: str = "constant_wall_temperature",
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Mean Nusselt number and its derivative dNu/dRe (Pr, geometry fixed).

    Same law, inputs, errors and warnings as :func:`nusselt_internal`, plus:

    Parameters
    ----------
    dfriction_dre : array_like, optional
        df/dRe of the ``friction`` given [-] (e.g. from
        :func:`thermo.correlations.friction.darcy_friction_derivative`); with it the result is
        the total derivative. Without it a given ``friction`` is held constant (partial
        derivative). Only allowed together with ``friction``.

    Returns
    -------
    nu : float or ndarray
        Mean Nusselt number [-].
    dnu_dre : float or ndarray
        dNu/dRe [-]. One-sided at the kinks: the laminar value at Re = 2300 and the turbulent
        value at Re = 1e4. For the thermally developing constant-heat-flux form it is +inf at
        Re = 0 (the VDI equation has a Gz^(1/3) term).
    """
    nu, dnu = _evaluate(reynolds, prandtl, length, diameter, friction, dfriction_dre, boundary)
    return _result(nu), _result(dnu)
