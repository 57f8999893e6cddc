"""Darcy friction factor and pipe pressure drop, smooth through the laminar–turbulent transition.

All functions are vectorised (scalars or numpy arrays in, the broadcast shape out; plain ``float``
for scalar input), take SI units and come with analytic derivatives for the network's Newton
solver.

Regimes of :func:`darcy_friction` (Darcy, not Fanning, friction factor):

* ``Re <= RE_LAMINAR`` (2300): Hagen–Poiseuille, ``f = 64/Re``.
* turbulent: Colebrook (1939), solved explicitly to machine precision with Clamond's (2009)
  algorithm (:func:`colebrook_friction`), or another named law (below).
* in between, a C¹ smoothstep join ``f = (1 - w) 64/Re + w f_turbulent``, ``w = 3t² - 2t³``,
  ``t = ln(Re/2300)/ln(Re_turbulent/2300)``, so a Newton solver does not chatter at a jump.

Flow between Re 2300 and 4000 is intermittent and not predictable by any correlation (Çengel &
Cimbala, *Fluid Mechanics: Fundamentals and Applications*, McGraw-Hill 2006, §8-2); tools differ
in what they do there. The law is a named choice (:data:`FRICTION_LAWS`, per pipe or per network):

* ``"colebrook"`` (**default**): laminar to 2300, Colebrook from 2320 (the join takes 2300–2320).
  This is what commercial network tools and pandapipes do (laminar below Re ≈ 2300–2320,
  Colebrook above), so the same pipe gives the same pressure drop in 2320–4000.
* ``"blend"``: the join spread over 2300–4000 (thermo's earlier default): at Re 2630 it gives 41 %
  less pressure drop than Colebrook — it interpolates towards laminar, so it *under*-predicts
  pressure drop in most of the band (the conservative choice for pump sizing is ``"colebrook"``).
* ``"churchill"``: Churchill's (1977) single equation for all regimes (laminar, transition,
  turbulent; no join); within 0.5 % of Colebrook in turbulent flow, and its transition rises
  steeply around Re 2000–4000.
* ``"haaland"`` (Haaland 1983) and ``"swamee_jain"`` (Swamee & Jain 1976): explicit
  approximations of Colebrook (within about ±2 % and ±1 % for 4000 ≤ Re ≤ 1e8), joined to the
  laminar law as ``"colebrook"`` is.

Derivatives are analytic for Colebrook (implicit differentiation) and exact to machine precision
for the explicit laws (complex-step differentiation of the closed forms).

The private helpers ``_checked``/``_result`` are shared by the other modules of this package.
"""

from __future__ import annotations

import math
import warnings
from typing import NamedTuple

import numpy as np

from thermo.errors import InputError, RangeError

__all__ = [
    "DEFAULT_FRICTION_LAW",
    "FRICTION_LAWS",
    "RE_COLEBROOK",
    "RE_LAMINAR",
    "RE_TURBULENT",
    "PipeDrop",
    "colebrook_friction",
    "darcy_friction",
    "darcy_friction_derivative",
    "pipe_pressure_drop",
]

RE_LAMINAR = 2300.0
"""Upper end of laminar flow for the friction blend [-] (usual textbook value)."""
RE_TURBULENT = 4000.0
"""Lower end of fully turbulent flow for the ``"blend"`` law [-] (usual textbook value)."""
RE_COLEBROOK = 2320.0
"""Start of the turbulent law for ``"colebrook"``, ``"haaland"``, ``"swamee_jain"`` [-]: the
laminar law ends near Re 2300–2320 in common network tools and pandapipes."""
FRICTION_LAWS = ("colebrook", "blend", "churchill", "haaland", "swamee_jain")
"""Named friction laws (see the module docstring)."""
DEFAULT_FRICTION_LAW = "colebrook"
"""Friction law of pipes that name none (nor their network)."""

MAX_RELATIVE_ROUGHNESS = 0.05
"""Largest relative roughness on the Moody (1944) chart [-]; beyond it Colebrook is extrapolated."""
MAX_REYNOLDS = 1e8
"""Largest Reynolds number on the Moody (1944) chart [-]; beyond it Colebrook is extrapolated."""

_LN10 = math.log(10.0)


# --------------------------------------------------------------------------------------------
# input checks shared by the correlation modules
# --------------------------------------------------------------------------------------------
def _checked(
    value: object,
    name: str,
    unit: str,
    *,
    low: float | None = None,
    low_open: bool = False,
    high: float | None = None,
    high_open: bool = False,
) -> np.ndarray:
    """``value`` as a float array, or a :class:`RangeError` naming ``name`` and the bad value.

    ``low``/``high`` bound the accepted values (inclusive unless ``*_open``). NaN and ±inf are
    always rejected.
    """
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"must be a number or an array of numbers [{unit}], got {value!r}",
            key=name,
            value=value,
        ) from None
    bad = ~np.isfinite(a)
    if bad.any():
        v = float(a[bad].flat[0])
        raise RangeError(f"must be finite [{unit}], got {v}", key=name, value=v)
    if low is not None:
        bad = a <= low if low_open else a < low
        if bad.any():
            v = float(a[bad].flat[0])
            rel = ">" if low_open else ">="
            raise RangeError(f"must be {rel} {low:g} [{unit}], got {v:g}", key=name, value=v)
    if high is not None:
        bad = a >= high if high_open else a > high
        if bad.any():
            v = float(a[bad].flat[0])
            rel = "<" if high_open else "<="
            raise RangeError(f"must be {rel} {high:g} [{unit}], got {v:g}", key=name, value=v)
    return a


def _result(x: np.ndarray) -> np.ndarray | float:
    """Plain ``float`` for 0-d results, the array otherwise."""
    x = np.asarray(x)
    return float(x) if x.ndim == 0 else x


def _warn(message: str) -> None:
    # _warn <- range check <- public function <- caller: attribute the warning to the caller
    warnings.warn(message, RuntimeWarning, stacklevel=4)


# --------------------------------------------------------------------------------------------
# Colebrook (turbulent) via Clamond's explicit algorithm, with its derivative
# --------------------------------------------------------------------------------------------
def _clamond(re: np.ndarray, ed: np.ndarray) -> np.ndarray:
    """Colebrook Darcy friction factor by Clamond's (2009) two-step quartic iteration (Re > 0)."""
    x1 = ed * re * 0.1239681863354175460160858261654858382699  # ln(10)/18.574
    x2 = np.log(re) - 0.7793974884556819406441139701653776731705  # ln(ln(10)/5.02)
    f = x2 - 0.2
    x1f = x1 + f
    x1f1 = 1.0 + x1f
    e = (np.log(x1f) - 0.2) / x1f1
    f = f - (x1f1 + 0.5 * e) * e * x1f / (x1f1 + e * (1.0 + e / 3.0))
    x1f = x1 + f
    x1f1 = 1.0 + x1f
    e = (np.log(x1f) + f - x2) / x1f1
    f = f - (x1f1 + 0.5 * e) * e * x1f / (x1f1 + e * (1.0 + e / 3.0))
    f = 1.151292546497022842008995727342182103801 / f  # ln(10)/2
    return f * f


def _clamond_derivative(re: np.ndarray, ed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Colebrook friction and ``df/dRe`` by implicit differentiation at the Clamond solution.

    With ``x = 1/√f`` Colebrook reads ``G = x + (2/ln10)·ln(ε/3.7 + 2.51 x/Re) = 0``; then
    ``dx/dRe = -G_Re/G_x`` and ``df/dRe = -2 x⁻³ dx/dRe``.
    """
    f = _clamond(re, ed)
    x = 1.0 / np.sqrt(f)
    b = 2.51 * x / re
    s = b / (ed / 3.7 + b)  # share of the viscous term, in (0, 1]
    c = 2.0 / _LN10
    dx_dre = (c * s / re) / (1.0 + c * s / x)
    return f, -2.0 * f * dx_dre / x


def colebrook_friction(
    reynolds: np.ndarray | float, relative_roughness: np.ndarray | float = 0.0
) -> np.ndarray | float:
    r"""Darcy friction factor from the Colebrook equation, solved explicitly (no regime switch).

    .. math:: \frac{1}{\sqrt f} = -2\log_{10}\left(\frac{\varepsilon/D}{3.7}
              + \frac{2.51}{Re\sqrt f}\right)

    solved with Clamond's algorithm (two Halley-like steps on a Lambert-W form), accurate to
    machine precision.

    Parameters
    ----------
    reynolds : array_like
        Reynolds number [-], > 0.
    relative_roughness : array_like
        Relative roughness ε/D [-], >= 0.

    Returns
    -------
    float or ndarray
        Darcy friction factor [-].

    Notes
    -----
    Valid range: the Moody chart, 4000 <= Re <= 1e8 and ε/D <= 0.05 (Colebrook's equation is a
    fit to turbulent pipe data). This function evaluates the equation for any Re > 0 without
    warning; :func:`darcy_friction` is the regime-aware entry point.

    References
    ----------
    .. [1] C. F. Colebrook, "Turbulent flow in pipes, with particular reference to the transition
       region between the smooth and rough pipe laws", J. Inst. Civil Eng. 11 (1939) 133–156.
    .. [2] D. Clamond, "Efficient resolution of the Colebrook equation", Ind. Eng. Chem. Res. 48
       (2009) 3665–3671. :doi:`10.1021/ie801626g`
    """
    re = _checked(reynolds, "reynolds", "-", low=0.0, low_open=True)
    ed = _checked(relative_roughness, "relative_roughness", "-", low=0.0)
    return _result(_clamond(*np.broadcast_arrays(re, ed)))


# --------------------------------------------------------------------------------------------
# the blended friction law
# --------------------------------------------------------------------------------------------
def _explicit(law: str, re, ed):
    """Closed-form friction laws (complex-safe, for complex-step derivatives)."""
    if law == "haaland":
        x = -1.8 * np.log10((ed / 3.7) ** 1.11 + 6.9 / re)
        return 1.0 / (x * x)
    if law == "swamee_jain":
        x = np.log10(ed / 3.7 + 5.74 / re**0.9)
        return 0.25 / (x * x)
    if law == "churchill":
        a = (-2.457 * np.log((7.0 / re) ** 0.9 + 0.27 * ed)) ** 16
        b = (37530.0 / re) ** 16
        return 8.0 * ((8.0 / re) ** 12 + (a + b) ** -1.5) ** (1.0 / 12.0)
    raise ValueError(law)


def _explicit_derivative(law: str, re: np.ndarray, ed: np.ndarray):
    """``f`` and ``df/dRe`` of an explicit law; the derivative by complex step (exact to round-off:
    no subtraction, step 1e-30 Re)."""
    h = 1e-30 * re
    fc = _explicit(law, re + 1j * h, ed.astype(complex))
    return fc.real, fc.imag / h


def _turbulent(law: str, re: np.ndarray, ed: np.ndarray):
    if law in ("colebrook", "blend"):
        return _clamond_derivative(re, ed)
    return _explicit_derivative(law, re, ed)


def check_law(law: str, key: str = "friction_law") -> str:
    """``law`` if it names a friction law, else an :class:`InputError` listing them."""
    if law not in FRICTION_LAWS:
        raise InputError(
            f"unknown friction law {law!r}; expected one of {', '.join(FRICTION_LAWS)}",
            key=key,
            value=law,
        )
    return law


def _phi(
    re: np.ndarray, ed: np.ndarray, law: str | np.ndarray = DEFAULT_FRICTION_LAW
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``φ = f·Re``, ``dφ/dRe``, ``f`` and ``df/dRe`` for Re >= 0 (f = inf at Re = 0).

    Working with φ keeps the laminar branch exact (φ = 64, dφ/dRe = 0) down to Re = 0. ``law``
    is one name or an array of names (one per element).
    """
    re, ed = np.broadcast_arrays(re, ed)
    if not isinstance(law, str):
        laws = np.broadcast_to(np.asarray(law, dtype=object), re.shape)
        out = [np.empty(re.shape) for _ in range(4)]
        for name in set(laws.ravel().tolist()):
            sel = laws == name
            for arr, part in zip(out, _phi(re[sel], ed[sel], str(name)), strict=True):
                arr[sel] = part
        return tuple(out)
    check_law(law)
    if law == "churchill":
        re_p = np.maximum(re, 1e-300)
        f, df = _explicit_derivative(law, re_p, ed)
        phi = f * re_p
        dphi = f + re_p * df
        return (
            phi,
            dphi,
            np.where(re > 0.0, f, np.inf),
            np.where(re > 0.0, df, -np.inf),
        )
    re_hi = RE_TURBULENT if law == "blend" else RE_COLEBROOK
    ln_join = math.log(re_hi / RE_LAMINAR)
    re_c = np.clip(re, RE_LAMINAR, re_hi)
    t = np.log(re_c / RE_LAMINAR) / ln_join
    w = t * t * (3.0 - 2.0 * t)
    dw = np.where(t * (1.0 - t) > 0.0, 6.0 * t * (1.0 - t) / (re_c * ln_join), 0.0)
    re_t = np.maximum(re, RE_LAMINAR)  # turbulent branch evaluated only where it is used
    ft, dft = _turbulent(law, re_t, ed)
    phi_t = re_t * ft
    phi = 64.0 + w * (phi_t - 64.0)
    dphi = dw * (phi_t - 64.0) + w * (ft + re_t * dft)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(re > 0.0, phi / re, np.inf)
        df = np.where(re > 0.0, (dphi - f) / re, -np.inf)
    # exact laminar and turbulent branches (no rounding through φ)
    f = np.where(w >= 1.0, ft, f)
    df = np.where(w >= 1.0, dft, df)
    return phi, dphi, f, df


def _warn_ranges(re: np.ndarray, ed: np.ndarray) -> None:
    if np.any(ed > MAX_RELATIVE_ROUGHNESS):
        v = float(np.max(ed))
        _warn(
            f"relative roughness {v:.3g} exceeds {MAX_RELATIVE_ROUGHNESS}, the range of the Moody "
            "chart; the Colebrook friction factor is extrapolated"
        )
    if np.any(re > MAX_REYNOLDS):
        v = float(np.max(re))
        _warn(
            f"Reynolds number {v:.3g} exceeds {MAX_REYNOLDS:.0e}, the range of the Moody chart; "
            "the Colebrook friction factor is extrapolated"
        )


def darcy_friction(
    reynolds: np.ndarray | float,
    relative_roughness: np.ndarray | float = 0.0,
    law: str = DEFAULT_FRICTION_LAW,
) -> np.ndarray | float:
    r"""Darcy friction factor of a circular pipe, laminar to turbulent with a C¹ transition.

    .. math::
        f = \begin{cases} 64/Re & Re \le 2300 \\
        (1-w)\,64/Re + w\,f_{T}(Re, \varepsilon/D) & 2300 < Re < Re_T \\
        f_{T}(Re, \varepsilon/D) & Re \ge Re_T \end{cases}

    with :math:`f_T` the turbulent law (Colebrook, :func:`colebrook_friction`, by default),
    :math:`Re_T` = 2320 (``"colebrook"``, ``"haaland"``, ``"swamee_jain"``) or 4000
    (``"blend"``), :math:`w = 3t^2 - 2t^3` and :math:`t = \ln(Re/2300)/\ln(Re_T/2300)`;
    ``"churchill"`` is one equation for all Re (see the module docstring).

    Parameters
    ----------
    reynolds : array_like
        Reynolds number [-], > 0 (use :func:`pipe_pressure_drop` for zero or reversed flow).
    relative_roughness : array_like
        Relative roughness ε/D [-], >= 0.
    law : str
        Friction law, one of :data:`FRICTION_LAWS` (default ``"colebrook"``).

    Returns
    -------
    float or ndarray
        Darcy friction factor [-].

    Raises
    ------
    RangeError
        Re <= 0, ε/D < 0, or a non-finite input.
    InputError
        An unknown law.

    Warns
    -----
    RuntimeWarning
        ε/D > 0.05 or Re > 1e8 (outside the Moody chart; the value is extrapolated).

    Notes
    -----
    The transition blend is an engineering choice (see the module docstring). Laminar: exact for
    fully developed flow (Hagen–Poiseuille). Turbulent: Colebrook (1939); the Moody chart built
    on it is quoted as ±15 % accurate against data (F. M. White, *Fluid Mechanics*, 7th ed.,
    ch. 6).

    References
    ----------
    .. [1] C. F. Colebrook, J. Inst. Civil Eng. 11 (1939) 133–156.
    .. [2] D. Clamond, Ind. Eng. Chem. Res. 48 (2009) 3665–3671. :doi:`10.1021/ie801626g`
    .. [3] L. F. Moody, "Friction factors for pipe flow", Trans. ASME 66 (1944) 671–684.
    """
    re = _checked(reynolds, "reynolds", "-", low=0.0, low_open=True)
    ed = _checked(relative_roughness, "relative_roughness", "-", low=0.0)
    _warn_ranges(re, ed)
    return _result(_phi(re, ed, check_law(law))[2])


def darcy_friction_derivative(
    reynolds: np.ndarray | float,
    relative_roughness: np.ndarray | float = 0.0,
    law: str = DEFAULT_FRICTION_LAW,
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Darcy friction factor and its derivative with respect to the Reynolds number.

    Same law, inputs, errors and warnings as :func:`darcy_friction`.

    Returns
    -------
    f : float or ndarray
        Darcy friction factor [-].
    df_dre : float or ndarray
        ``df/dRe`` [-], exact (analytic, continuous through the blend).
    """
    re = _checked(reynolds, "reynolds", "-", low=0.0, low_open=True)
    ed = _checked(relative_roughness, "relative_roughness", "-", low=0.0)
    _warn_ranges(re, ed)
    _, _, f, df = _phi(re, ed, check_law(law))
    return _result(f), _result(df)


# --------------------------------------------------------------------------------------------
# pipe pressure drop as a function of mass flow
# --------------------------------------------------------------------------------------------
class PipeDrop(NamedTuple):
    """Pressure drop of a pipe and its derivatives (arrays, or floats for scalar input)."""

    dp: np.ndarray | float
    """Frictional plus minor pressure drop, inlet minus outlet [Pa]; odd in the mass flow."""
    ddp_dm: np.ndarray | float
    """d(dp)/d(m_dot) [Pa·s/kg]; positive, finite at zero flow."""
    ddp_drho: np.ndarray | float
    """d(dp)/d(density) at fixed mass flow [Pa·m³/kg]."""
    ddp_dmu: np.ndarray | float
    """d(dp)/d(viscosity) at fixed mass flow [Pa/(Pa·s)]."""
    reynolds: np.ndarray | float
    """Reynolds number |ρvD/μ| [-] (>= 0)."""
    velocity: np.ndarray | float
    """Mean velocity, signed like the mass flow [m/s]."""
    friction: np.ndarray | float
    """Darcy friction factor [-]; inf at zero flow (64/Re)."""


def pipe_pressure_drop(
    m_dot: np.ndarray | float,
    diameter: np.ndarray | float,
    length: np.ndarray | float,
    roughness: np.ndarray | float,
    density: np.ndarray | float,
    viscosity: np.ndarray | float,
    k_minor: np.ndarray | float = 0.0,
    law: str | np.ndarray = DEFAULT_FRICTION_LAW,
) -> PipeDrop:
    r"""Pressure drop of a straight circular pipe with minor losses, as a function of mass flow.

    .. math::
        \Delta p = \frac{\varphi(Re)\,\mu L}{2\rho A D^2}\,\dot m
                 + K\,\frac{\dot m\,|\dot m|}{2\rho A^2},
        \qquad \varphi = f(Re)\,Re,\quad Re = \frac{|\dot m| D}{\mu A},\quad A = \frac{\pi D^2}{4}

    which is Darcy–Weisbach, :math:`\Delta p = (fL/D + K)\,\rho v|v|/2`, rewritten so that the
    laminar part (:math:`\varphi = 64`) is the Hagen–Poiseuille law
    :math:`\Delta p = 32\mu L v/D^2`: linear in :math:`\dot m`, no 0/0 at zero flow.
    ``f`` is :func:`darcy_friction` with the named ``law`` (default ``"colebrook"``).

    Parameters
    ----------
    m_dot : array_like
        Mass flow [kg/s]; any sign (negative = reversed flow), zero allowed.
    diameter : array_like
        Inner diameter [m], > 0.
    length : array_like
        Length [m], >= 0.
    roughness : array_like
        Absolute wall roughness [m], >= 0 (see :data:`thermo.correlations.fittings.ROUGHNESS`).
    density : array_like
        Fluid density [kg/m³], > 0.
    viscosity : array_like
        Dynamic viscosity [Pa·s], > 0.
    k_minor : array_like, optional
        Sum of minor loss coefficients, based on the pipe velocity [-], >= 0.
    law : str or array of str, optional
        Friction law (:data:`FRICTION_LAWS`), one for all or one per element.

    Returns
    -------
    PipeDrop
        ``dp`` [Pa] (odd in ``m_dot``: dp(-m) = -dp(m)), the derivatives ``ddp_dm``,
        ``ddp_drho`` and ``ddp_dmu`` at fixed mass flow, and ``reynolds``, ``velocity``,
        ``friction`` for reporting.

    Raises
    ------
    RangeError
        Non-positive diameter, density or viscosity; negative length, roughness or k_minor;
        non-finite input.

    Warns
    -----
    RuntimeWarning
        roughness/diameter > 0.05 or Re > 1e8 (outside the Moody chart). Zero flow never warns.

    Notes
    -----
    ``ddp_dm = c (φ + Re φ') + K|ṁ|/(ρA²)`` with ``c = μL/(2ρAD²)``, in closed form. At zero flow
    it is the laminar value :math:`32\mu L/(\rho A D^2)` (> 0 when L > 0), so the Newton
    Jacobian stays regular. A pipe with ``length = 0`` and only minor losses has ``ddp_dm = 0``
    at zero flow. Fully developed flow is assumed (no entrance-length correction to friction).
    """
    m = _checked(m_dot, "m_dot", "kg/s")
    d = _checked(diameter, "diameter", "m", low=0.0, low_open=True)
    length_ = _checked(length, "length", "m", low=0.0)
    eps = _checked(roughness, "roughness", "m", low=0.0)
    rho = _checked(density, "density", "kg/m³", low=0.0, low_open=True)
    mu = _checked(viscosity, "viscosity", "Pa·s", low=0.0, low_open=True)
    k = _checked(k_minor, "k_minor", "-", low=0.0)
    m, d, length_, eps, rho, mu, k = np.broadcast_arrays(m, d, length_, eps, rho, mu, k)

    area = 0.25 * np.pi * d * d
    am = np.abs(m)
    re = am * d / (mu * area)
    ed = eps / d
    _warn_ranges(re, ed)
    phi, dphi, f, _ = _phi(re, ed, law)

    c = mu * length_ / (2.0 * rho * area * d * d)  # dp_friction = c·φ(Re)·m
    dp_f = c * phi * m
    ddp_f_dm = c * (phi + re * dphi)  # m·dRe/dm = Re
    km = k / (2.0 * rho * area * area)  # dp_minor = km·m|m|
    dp_k = km * m * am
    dp = dp_f + dp_k
    ddp_dm = ddp_f_dm + 2.0 * km * am
    ddp_drho = -dp / rho  # Re is independent of ρ at fixed mass flow
    ddp_dmu = c * m * (phi - re * dphi) / mu  # dRe/dμ = -Re/μ
    velocity = m / (rho * area)
    return PipeDrop(
        _result(dp),
        _result(ddp_dm),
        _result(ddp_drho),
        _result(ddp_dmu),
        _result(re),
        _result(velocity),
        _result(f),
    )
