"""Heat exchanger effectiveness ε(NTU, Cr) for the classic single-pass arrangements.

``NTU = UA/C_min`` and ``Cr = C_min/C_max`` (0 <= Cr <= 1), ``ε = Q/(C_min ΔT_max)``.

=========================  ===============================================================
arrangement                ε (Incropera et al. 2007, Table 11.3; Kays & London 1984, ch. 2)
=========================  ===============================================================
``counterflow``            (1 - e^(-N(1-Cr))) / (1 - Cr e^(-N(1-Cr))),  Cr = 1: N/(1+N)
``parallel``               (1 - e^(-N(1+Cr))) / (1 + Cr)
``crossflow_unmixed``      both fluids unmixed, exact series of Mason (1954), see below
``crossflow_mixed_cmax``   C_max mixed, C_min unmixed: (1/Cr)(1 - exp(-Cr(1 - e^(-N))))
``crossflow_mixed_cmin``   C_min mixed, C_max unmixed: 1 - exp(-(1/Cr)(1 - e^(-Cr N)))
=========================  ===============================================================

For ``Cr = 0`` every arrangement gives ε = 1 - e^(-N) (Incropera Eq. 11.35a).

Numerics. All closed forms are written with ``g(a) = (1 - e^(-a))/a`` (g(0) = 1), evaluated with
``expm1`` and a Taylor series near 0, so that Cr = 1 (counterflow) and Cr = 0 are exact limits
rather than 0/0: counterflow ``ε = N g(a)/(N g(a) + e^(-a))`` with ``a = N(1 - Cr)``, parallel
``ε = N g(N(1+Cr))``, Cmax mixed ``ε = b g(Cr b)`` with ``b = 1 - e^(-N)``, Cmin mixed
``ε = 1 - exp(-N g(Cr N))``.

Crossflow, both unmixed, is evaluated from Mason's (1954) series (as given by Kays & London
1984 and Shah & Sekulić 2003) in the form

    ε = (1/(Cr N)) Σ_{n>=0} P(n+1, N) P(n+1, Cr N),

with ``P`` the regularized lower incomplete gamma function, i.e. ε = E[min(X, Y)]/(Cr N) for
independent Poisson variables X ~ Po(N), Y ~ Po(Cr N). The terms are summed only over the window
where they differ from 1 and 0 (about ±10 √(Cr N) around Cr N), so the cost grows with
√(Cr N): ~25–55 vectorised steps for N <= 10. The sum is exact to ~1e-14; it agrees with
``ht.effectiveness_from_NTU(..., 'crossflow')`` (Triboix's 2009 integral form) to better than
1e-9 (measured 6e-13).
"""

from __future__ import annotations

import math

import numpy as np

from thermo.correlations.friction import _checked, _result
from thermo.errors import InputError, RangeError

__all__ = [
    "ARRANGEMENTS",
    "effectiveness",
    "effectiveness_derivatives",
    "ntu_from_effectiveness",
]

ARRANGEMENTS = (
    "counterflow",
    "parallel",
    "crossflow_unmixed",
    "crossflow_mixed_cmin",
    "crossflow_mixed_cmax",
)
"""Flow arrangements accepted by :func:`effectiveness`."""

NTU_MAX_CROSSFLOW_UNMIXED = 1.0e5
"""Largest NTU evaluated by the crossflow-unmixed series [-] (cost grows as √NTU; at 1e5 ε is
within 2e-3 of 1 for Cr = 1 and closer for Cr < 1)."""


# --------------------------------------------------------------------------------------------
# g(a) = (1 - e^-a)/a and g'(a), stable for a >= 0
# --------------------------------------------------------------------------------------------
def _g(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    small = a < 1e-2
    s = np.where(small, 1.0, a)
    em = -np.expm1(-s)
    g = em / s
    gp = (s * np.exp(-s) - em) / (s * s)
    t = np.where(small, a, 0.0)
    g_ser = 1.0 + t * (-1 / 2 + t * (1 / 6 + t * (-1 / 24 + t * (1 / 120 - t / 720))))
    gp_ser = -1 / 2 + t * (1 / 3 + t * (-1 / 8 + t * (1 / 30 + t * (-1 / 144 + t / 840))))
    return np.where(small, g_ser, g), np.where(small, gp_ser, gp)


def _log1p_over(x: np.ndarray) -> np.ndarray:
    """log1p(x)/x, = 1 at x = 0 (x > -1)."""
    safe = np.where(np.abs(x) < 1e-300, 1.0, x)
    return np.where(np.abs(x) < 1e-300, 1.0, np.log1p(safe) / safe)


# --------------------------------------------------------------------------------------------
# closed forms: ε, dε/dN, dε/dCr
# --------------------------------------------------------------------------------------------
def _counterflow(n, c):
    a = n * (1.0 - c)
    g, gp = _g(a)
    u = n * g
    h = np.exp(-a)
    den = u + h
    eps = u / den
    du_dn, dh_dn = g + a * gp, -h * (1.0 - c)
    du_dc, dh_dc = -n * n * gp, h * n
    d2 = den * den
    return eps, (h * du_dn - u * dh_dn) / d2, (h * du_dc - u * dh_dc) / d2


def _parallel(n, c):
    p = n * (1.0 + c)
    g, gp = _g(p)
    return n * g, g + p * gp, n * n * gp


def _mixed_cmax(n, c):
    b = -np.expm1(-n)
    g, gp = _g(c * b)
    return b * g, np.exp(-n) * (g + c * b * gp), b * b * gp


def _mixed_cmin(n, c):
    q = c * n
    g, gp = _g(q)
    eps = -np.expm1(-n * g)
    e = np.exp(-n * g)
    return eps, e * (g + q * gp), e * n * n * gp


# --------------------------------------------------------------------------------------------
# crossflow, both fluids unmixed: windowed Mason series
# --------------------------------------------------------------------------------------------
_LOG_FACTORIAL = np.array([math.lgamma(k + 1.0) for k in range(40)])


def _log_factorial(n: np.ndarray) -> np.ndarray:
    """ln(n!) for integer-valued n >= 0 (table below 40, Stirling series above; err < 1e-14)."""
    small = n < 40
    x = np.where(small, 40.0, n) + 1.0
    xi = 1.0 / x
    xi2 = xi * xi
    st = (
        (x - 0.5) * np.log(x)
        - x
        + 0.5 * math.log(2.0 * math.pi)
        + xi * (1 / 12 - xi2 * (1 / 360 - xi2 / 1260))
    )
    return np.where(small, _LOG_FACTORIAL[np.clip(n, 0, 39).astype(int)], st)


def _crossflow_unmixed(n, c, derivatives=True):
    """ε, dε/dN, dε/dCr for 1-d arrays n >= 0, 0 <= c <= 1 (derivatives only if asked)."""
    eps = np.zeros_like(n)
    de_dn = np.ones_like(n)  # N = 0: ε ≈ N
    de_dc = np.zeros_like(n)

    x_all = n
    y_all = c * n
    # Cr = 0 (or y = 0 with N > 0): ε = 1 - e^-N; ∂ε/∂y = (P1(x) - P0(x))/2 = -x e^-x / 2
    zero_y = (n > 0) & (y_all == 0.0)
    if zero_y.any():
        x = x_all[zero_y]
        eps[zero_y] = -np.expm1(-x)
        de_dn[zero_y] = np.exp(-x)
        de_dc[zero_y] = x * (-x * np.exp(-x) / 2.0)

    gen = y_all > 0.0
    if not gen.any():
        return eps, de_dn, de_dc
    x = x_all[gen]
    y = y_all[gen]
    sy = np.sqrt(y)
    n_lo = np.floor(np.maximum(0.0, y - 9.0 * sy - 10.0))
    n_end = np.ceil(y + 10.0 * sy + 12.0)
    steps = int(np.max(n_end - n_lo))
    lf = _log_factorial(n_lo)
    tx = np.exp(n_lo * np.log(x) - x - lf)  # Poisson pmf at n_lo
    ty = np.exp(n_lo * np.log(y) - y - lf)
    first = n_lo == 0.0
    # P(n_lo + 1, z) = 1 - (tiny lower tail) - t: the lower tail is < 1e-20 by the window choice
    px = np.where(first, -np.expm1(-x), 1.0 - tx)
    py = np.where(first, -np.expm1(-y), 1.0 - ty)
    iy = 1.0 / y
    gy, gpy = _g(y)
    ry = np.where(first, gy, py * iy)  # P_n(y)/y
    dy = np.where(first, gpy, (ty - ry) * iy)  # (t_n(y) - P_n(y)/y)/y
    e = n_lo * iy + px * ry
    ex = tx * ry
    ey = -n_lo * iy + px * dy * y  # the loop sums y·∂ε/∂y; divided by y below
    k: np.ndarray | float = n_lo.copy() if np.any(n_lo > 0.0) else 0.0
    tmp = np.empty_like(x)
    for _ in range(steps):
        k += 1.0
        tx *= x
        tx /= k
        ty *= y
        ty /= k
        px -= tx
        py -= ty
        np.multiply(py, iy, out=ry)
        np.multiply(px, ry, out=tmp)
        e += tmp
        if derivatives:
            np.multiply(tx, ry, out=tmp)
            ex += tmp
            np.subtract(ty, ry, out=tmp)
            tmp *= px
            ey += tmp
    ey *= iy
    # tiny Cr·N: replace ∂ε/∂y by its Taylor expansion (the sum above loses digits as y -> 0)
    tiny = y < 1e-6
    if tiny.any():
        xt, yt = x[tiny], y[tiny]
        p0 = -np.expm1(-xt)
        p1 = p0 - xt * np.exp(-xt)
        p2 = p1 - 0.5 * xt * xt * np.exp(-xt)
        ey[tiny] = p0 * (-0.5 + yt / 3.0) + p1 * (0.5 - 2.0 * yt / 3.0) + p2 * yt / 3.0
    cg = c[gen]
    eps[gen] = e
    de_dn[gen] = ex + cg * ey
    de_dc[gen] = x * ey
    return eps, de_dn, de_dc


_FORMS = {
    "counterflow": _counterflow,
    "parallel": _parallel,
    "crossflow_mixed_cmax": _mixed_cmax,
    "crossflow_mixed_cmin": _mixed_cmin,
}


def _check_arrangement(arrangement: str) -> None:
    if arrangement not in ARRANGEMENTS:
        raise InputError(
            f"arrangement must be one of {', '.join(ARRANGEMENTS)}, got {arrangement!r}",
            key="arrangement",
            value=arrangement,
        )


def _evaluate(ntu, capacity_ratio, arrangement, derivatives=True):
    _check_arrangement(arrangement)
    n = _checked(ntu, "ntu", "-", low=0.0)
    c = _checked(capacity_ratio, "capacity_ratio", "-", low=0.0, high=1.0)
    n, c = np.broadcast_arrays(n, c)
    if arrangement == "crossflow_unmixed":
        if np.any(n > NTU_MAX_CROSSFLOW_UNMIXED):
            v = float(np.max(n))
            raise RangeError(
                f"must be <= {NTU_MAX_CROSSFLOW_UNMIXED:.0e} for crossflow_unmixed (the series "
                f"cost grows as sqrt(NTU)), got {v:g}",
                key="ntu",
                value=v,
            )
        shape = n.shape
        out = _crossflow_unmixed(n.ravel().astype(float), c.ravel().astype(float), derivatives)
        return tuple(o.reshape(shape) for o in out)
    return _FORMS[arrangement](n, c)


def effectiveness(
    ntu: np.ndarray | float,
    capacity_ratio: np.ndarray | float,
    arrangement: str = "counterflow",
) -> np.ndarray | float:
    """Heat exchanger effectiveness ε from NTU and the capacity ratio.

    Parameters
    ----------
    ntu : array_like
        Number of transfer units UA/C_min [-], >= 0 (<= 1e5 for ``crossflow_unmixed``).
    capacity_ratio : array_like
        C_min/C_max [-], 0 <= Cr <= 1.
    arrangement : str
        One of :data:`ARRANGEMENTS` (see the module docstring for the equations).

    Returns
    -------
    float or ndarray
        Effectiveness ε [-], 0 <= ε < 1.

    Raises
    ------
    RangeError
        NTU < 0, Cr outside [0, 1], non-finite input, NTU > 1e5 for crossflow_unmixed.
    InputError
        Unknown arrangement.

    Notes
    -----
    The relations are exact solutions of the idealised exchanger (constant U and properties,
    no axial conduction, no heat loss). Counterflow with Cr = 1 and every arrangement with
    Cr = 0 are evaluated as exact limits.

    References
    ----------
    .. [1] F. P. Incropera, D. P. DeWitt, T. L. Bergman, A. S. Lavine, *Fundamentals of Heat and
       Mass Transfer*, 6th ed., Wiley 2007, Table 11.3 (Eqs. 11.28a–11.35a).
    .. [2] W. M. Kays, A. L. London, *Compact Heat Exchangers*, 3rd ed., McGraw-Hill 1984,
       ch. 2.
    .. [3] J. E. Mason, "Heat transfer in crossflow", Proc. 2nd U.S. Natl. Congr. Appl. Mech.
       (1954) 801–803.
    .. [4] R. K. Shah, D. P. Sekulić, *Fundamentals of Heat Exchanger Design*, Wiley 2003,
       ch. 3.
    """
    return _result(_evaluate(ntu, capacity_ratio, arrangement, derivatives=False)[0])


def effectiveness_derivatives(
    ntu: np.ndarray | float,
    capacity_ratio: np.ndarray | float,
    arrangement: str = "counterflow",
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """Effectiveness and its partial derivatives by NTU and by the capacity ratio.

    Same inputs, errors and equations as :func:`effectiveness`. The derivatives are analytic;
    at Cr = 1 (counterflow) and Cr = 0 they are the exact limits. ``dε/dCr`` at Cr = 1 is the
    one-sided derivative from below.

    Returns
    -------
    eps : float or ndarray
        Effectiveness [-].
    deps_dntu : float or ndarray
        ∂ε/∂NTU at fixed Cr [-] (= 1 at NTU = 0).
    deps_dcr : float or ndarray
        ∂ε/∂Cr at fixed NTU [-] (<= 0).
    """
    eps, dn, dc = _evaluate(ntu, capacity_ratio, arrangement)
    return _result(eps), _result(dn), _result(dc)


# --------------------------------------------------------------------------------------------
# inverse
# --------------------------------------------------------------------------------------------
def _not_reachable(eps: np.ndarray, emax: np.ndarray, c: np.ndarray, arrangement: str) -> None:
    bad = eps >= emax
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        e, m, cr = eps.ravel()[i], emax.ravel()[i], c.ravel()[i]
        raise RangeError(
            f"{e:.6g} is not reachable for {arrangement} at capacity_ratio {cr:.6g}: the "
            f"effectiveness must be below {m:.6g}, its limit as NTU -> infinity",
            key="effectiveness",
            value=float(e),
        )


def _inverse_crossflow_unmixed(eps: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Safeguarded Newton on ε(N) (increasing, concave), bracketed by the counterflow NTU."""
    e, cc = eps.ravel(), c.ravel()
    # counterflow is the most effective arrangement, so its NTU is a lower bound
    lo = (e / (1.0 - e)) * _log1p_over(e * (1.0 - cc) / (1.0 - e))
    hi = 2.0 * lo + 1.0
    for _ in range(40):
        short = _crossflow_unmixed(hi, cc, False)[0] < e
        if not short.any():
            break
        hi = np.where(short, hi * 4.0, hi)
        if np.any(hi > NTU_MAX_CROSSFLOW_UNMIXED):
            i = np.flatnonzero(hi > NTU_MAX_CROSSFLOW_UNMIXED)[0]
            raise RangeError(
                f"{e[i]:.6g} needs NTU > {NTU_MAX_CROSSFLOW_UNMIXED:.0e} for crossflow_unmixed at "
                f"capacity_ratio {cc[i]:.6g}, beyond the supported range",
                key="effectiveness",
                value=float(e[i]),
            )
    x = lo.copy()
    done = e == 0.0
    for _ in range(100):
        f, df, _ = _crossflow_unmixed(x, cc)
        r = f - e
        lo = np.where(r < 0.0, x, lo)
        hi = np.where(r > 0.0, x, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(df > 0.0, r / df, 0.0)
        xn = x - step
        out = ~((xn > lo) & (xn < hi)) | (df <= 0.0)
        xn = np.where(out, 0.5 * (lo + hi), xn)
        done = done | (np.abs(xn - x) <= 1e-14 * np.maximum(x, 1e-300)) | (r == 0.0)
        x = np.where(done, x, xn)
        if done.all():
            break
    return x.reshape(eps.shape)


def ntu_from_effectiveness(
    effectiveness: np.ndarray | float,
    capacity_ratio: np.ndarray | float,
    arrangement: str = "counterflow",
) -> np.ndarray | float:
    """NTU needed for a given effectiveness: the inverse of :func:`effectiveness`.

    Closed forms (Incropera Table 11.4) for counterflow, parallel and the two mixed crossflow
    arrangements; a safeguarded Newton iteration for ``crossflow_unmixed``.

    Parameters
    ----------
    effectiveness : array_like
        Effectiveness ε [-], 0 <= ε < ε_max.
    capacity_ratio : array_like
        C_min/C_max [-], 0 <= Cr <= 1.
    arrangement : str
        One of :data:`ARRANGEMENTS`.

    Returns
    -------
    float or ndarray
        NTU [-].

    Raises
    ------
    RangeError
        ε outside [0, 1), Cr outside [0, 1], or ε at or above the arrangement's limit for
        NTU -> ∞ (counterflow and crossflow_unmixed: 1; parallel: 1/(1+Cr); Cmax mixed:
        (1 - e^(-Cr))/Cr; Cmin mixed: 1 - e^(-1/Cr)). The message states the limit.
    InputError
        Unknown arrangement.
    """
    _check_arrangement(arrangement)
    e = _checked(effectiveness, "effectiveness", "-", low=0.0, high=1.0, high_open=True)
    c = _checked(capacity_ratio, "capacity_ratio", "-", low=0.0, high=1.0)
    e, c = np.broadcast_arrays(e, c)
    if arrangement == "counterflow":
        return _result((e / (1.0 - e)) * _log1p_over(e * (1.0 - c) / (1.0 - e)))
    if arrangement == "parallel":
        _not_reachable(e, 1.0 / (1.0 + c), c, arrangement)
        return _result(-np.log1p(-e * (1.0 + c)) / (1.0 + c))
    if arrangement == "crossflow_mixed_cmax":
        _not_reachable(e, _g(c)[0], c, arrangement)
        # b = 1 - e^-N = -ln(1 - ε Cr)/Cr (= ε at Cr = 0); b < 1 follows from ε < ε_max
        b = np.where(c > 0.0, -np.log1p(-e * c) / np.where(c > 0.0, c, 1.0), e)
        return _result(-np.log1p(-b))
    if arrangement == "crossflow_mixed_cmin":
        with np.errstate(divide="ignore", over="ignore"):
            emax = np.where(c > 0.0, -np.expm1(-1.0 / np.where(c > 0.0, c, 1.0)), 1.0)
        _not_reachable(e, emax, c, arrangement)
        k = -np.log1p(-e)  # = N g(Cr N) = (1 - e^(-Cr N))/Cr
        return _result(np.where(c > 0.0, -np.log1p(-c * k) / np.where(c > 0.0, c, 1.0), k))
    return _result(_inverse_crossflow_unmixed(e.astype(float), c.astype(float)))
