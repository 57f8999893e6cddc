"""Greenhouse heating-pipe rails: heat output, its derivatives, and the supply temperature needed.

Heat emitted per metre of bare horizontal steel pipe [W/m], pipe surface at the water temperature:

    q = 1.99 · π · D · |T_p − T_a|^0.32 · (T_p − T_a)          (free convection to the air)
      + ε · σ · (T_p⁴ − T_s⁴) · π · D                          (long-wave radiation)

The convective term is the pipe–air heat exchange of the Vanthoor greenhouse climate model as
implemented in GreenLight (h·A per m² floor = 1.99·π·φ_pipe·l_pipe·|ΔT|^0.32; Vanthoor et al. 2011,
Table 3, from De Zwart 1996; Katzin et al. 2020). The radiative term treats the surroundings
(crop, floor, cover, screen) as one grey enclosure at ``T_s``, by default the air temperature, with
pipe emissivity ε = 0.88 (Vanthoor 2011, ``epsPipe``). GreenLight instead splits the radiation
over canopy, floor, cover and screen with view factors; lumping them at T_air is the usual
simplification for sizing (docs/references.md §6 uses it to get ≈ 80 W/m for a 51 mm rail at ΔT 40 K).

Water-side and wall resistances are neglected: inside a rail the water film coefficient is of the
order of 10³ W/(m²·K) against ≈ 10 W/(m²·K) outside, so the pipe surface sits within a few per cent
of ΔT of the water temperature.

A rail's output is evaluated at its **log-mean excess temperature**, T_air + ΔT_lm with
ΔT_lm = (T_sup − T_ret)/ln((T_sup − T_air)/(T_ret − T_air)). That is exact for an emitter linear
in ΔT, whose water cools exponentially along the pipe. For this emitter (convection exponent 1.32
plus radiation) the test suite integrates dT/dx = −q(T)/(ṁ c_p) along the pipe and finds the
log-mean result within 0.4 % of the exact heat for drops up to 0.6 × the mean excess temperature
(1.5 % at 1.1×); the arithmetic mean (T_sup + T_ret)/2 would be 2.8 % and 18 % high there.

Validity: pipe outer diameter 15–110 mm (greenhouse rails and grow pipes are 28–64 mm; the
correlation was fitted for such pipes), water 0–120 °C. Outside these, :class:`RangeError` is
raised rather than extrapolating; the correlation has no published validity limits in ΔT, so
none is enforced beyond the water range.

References
----------
.. [1] B. H. E. Vanthoor, C. Stanghellini, E. J. van Henten, P. H. B. de Visser, "A methodology
   for model-based greenhouse design: Part 1, a greenhouse climate model for a broad range of
   designs and climates", Biosyst. Eng. 110 (2011) 363–377. :doi:`10.1016/j.biosystemseng.2011.06.001`
.. [2] D. Katzin, S. van Mourik, F. Kempkes, E. J. van Henten, "GreenLight – An open source model
   for greenhouses with supplemental lighting: Evaluation of heat requirements under LED and HPS
   lamps", Biosyst. Eng. 194 (2020) 61–81. :doi:`10.1016/j.biosystemseng.2020.03.010`
   (open-source code: ``setGlAux.m`` ``hPipeAir``; ``setGlParams.m`` ``epsPipe`` 0.88,
   ``phiPipeE`` 51 mm, ``lPipe`` 1.875 m/m²).
.. [3] H. F. de Zwart, "Analyzing energy-saving options in greenhouse cultivation using a
   simulation model", PhD thesis, Wageningen, 1996.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from thermo.errors import InputError, RangeError

__all__ = [
    "STEFAN_BOLTZMANN",
    "GREENLIGHT_PIPE_COEFFICIENT",
    "GREENLIGHT_PIPE_EXPONENT",
    "PIPE_EMISSIVITY",
    "WATER_CP",
    "emission_per_metre",
    "emission_per_metre_derivative",
    "heat_output",
    "heat_output_derivatives",
    "supply_temperature_for",
    "SupplyTemperature",
    "PipeRail",
]

STEFAN_BOLTZMANN = 5.670374419e-8
"""Stefan–Boltzmann constant [W/(m²·K⁴)] (CODATA 2018)."""

GREENLIGHT_PIPE_COEFFICIENT = 1.99
"""Coefficient of the pipe–air convection law h = 1.99·|ΔT|^0.32 [W/(m²·K^1.32)] (Vanthoor 2011,
GreenLight ``hPipeAir``)."""

GREENLIGHT_PIPE_EXPONENT = 0.32
"""Exponent of |ΔT| in the pipe–air convection law [-] (Vanthoor 2011)."""

PIPE_EMISSIVITY = 0.88
"""Long-wave (FIR) emissivity of heating pipes [-] (Vanthoor 2011, GreenLight ``epsPipe``)."""

WATER_CP = 4180.0
"""Specific heat of the heating water [J/(kg·K)]: liquid water 4179.6–4184.7 J/(kg·K) between 30
and 60 °C at 2 bar (CoolProp HEOS, LIBS.md §2)."""

DIAMETER_RANGE = (0.015, 0.110)
"""Outer pipe diameters accepted [m]."""
WATER_RANGE = (273.15, 393.15)
"""Water (pipe) temperatures accepted [K], 0–120 °C."""


def _check_diameter(diameter: float) -> float:
    d = float(diameter)
    lo, hi = DIAMETER_RANGE
    if not lo <= d <= hi:
        raise RangeError(
            f"pipe outer diameter {d * 1e3:.1f} mm is outside {lo * 1e3:.0f}–{hi * 1e3:.0f} mm, the "
            "range of greenhouse rail and grow pipes the GreenLight/Vanthoor convection law is "
            "meant for",
            key="diameter",
            value=d,
        )
    return d


def _check_emissivity(emissivity: float) -> float:
    e = float(emissivity)
    if not 0.0 <= e <= 1.0:
        raise InputError(
            f"emissivity must be within 0..1, got {e}", key="emissivity", value=emissivity
        )
    return e


def _check_water(t: np.ndarray, name: str) -> None:
    lo, hi = WATER_RANGE
    bad = ~((t >= lo) & (t <= hi))
    if np.any(bad):
        first = float(np.asarray(t)[bad].flat[0]) if np.ndim(t) else float(t)
        raise RangeError(
            f"{name} = {first:.2f} K ({first - 273.15:.1f} degC) is outside the water range "
            f"{lo:.2f}..{hi:.2f} K (0..120 degC) of the pipe-rail model",
            key=name,
            value=first,
        )


def emission_per_metre(
    t_pipe: np.ndarray | float,
    t_air: np.ndarray | float,
    *,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    t_surroundings: np.ndarray | float | None = None,
) -> np.ndarray:
    """Heat emitted by one metre of heating pipe [W/m] (convection + radiation).

    Parameters
    ----------
    t_pipe
        Pipe surface (water) temperature [K], 273.15–393.15 K.
    t_air
        Greenhouse air temperature [K].
    diameter
        Pipe outer diameter [m], 0.015–0.110 m. Default 0.051 m (Vanthoor 2011 rail).
    emissivity
        Long-wave emissivity of the pipe [-]. Default 0.88 (Vanthoor 2011).
    t_surroundings
        Radiant temperature of the surroundings [K]; default ``t_air``.

    Returns
    -------
    numpy.ndarray
        Heat output [W/m], negative when the pipe is colder than its surroundings.

    Notes
    -----
    q = 1.99 π D |T_p − T_a|^0.32 (T_p − T_a) + ε σ π D (T_p⁴ − T_s⁴); see the module docstring.
    """
    d = _check_diameter(diameter)
    eps = _check_emissivity(emissivity)
    tp = np.asarray(t_pipe, dtype=float)
    ta = np.asarray(t_air, dtype=float)
    ts = ta if t_surroundings is None else np.asarray(t_surroundings, dtype=float)
    _check_water(tp, "t_pipe")
    dt = tp - ta
    conv = GREENLIGHT_PIPE_COEFFICIENT * np.pi * d * np.abs(dt) ** GREENLIGHT_PIPE_EXPONENT * dt
    rad = eps * STEFAN_BOLTZMANN * np.pi * d * (tp**4 - ts**4)
    return conv + rad


def emission_per_metre_derivative(
    t_pipe: np.ndarray | float,
    t_air: np.ndarray | float,
    *,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    t_surroundings: np.ndarray | float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Partial derivatives of :func:`emission_per_metre`: (∂q/∂T_pipe, ∂q/∂T_air) [W/(m·K)].

    ∂q/∂T_air includes the radiative term only when ``t_surroundings`` is ``None`` (surroundings
    at the air temperature).
    """
    d = _check_diameter(diameter)
    eps = _check_emissivity(emissivity)
    tp = np.asarray(t_pipe, dtype=float)
    ta = np.asarray(t_air, dtype=float)
    _check_water(tp, "t_pipe")
    n = GREENLIGHT_PIPE_EXPONENT
    dconv = GREENLIGHT_PIPE_COEFFICIENT * np.pi * d * (1.0 + n) * np.abs(tp - ta) ** n
    k_rad = 4.0 * eps * STEFAN_BOLTZMANN * np.pi * d
    dq_dtp = dconv + k_rad * tp**3
    dq_dta = -dconv - (k_rad * ta**3 if t_surroundings is None else 0.0)
    return dq_dtp, dq_dta


def _check_length(length: float) -> float:
    val = float(length)
    if not (val > 0.0 and np.isfinite(val)):
        raise InputError(f"pipe length must be > 0 m, got {length!r}", key="length", value=length)
    return val


def _log_mean_excess(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-mean of two excess temperatures a, b (same sign) and its partials (∂/∂a, ∂/∂b).

    ΔT_lm = (a − b)/ln(a/b); = a when a = b (a second-order series is used when they are within
    1e-3 of each other); = 0 when either is 0.
    """
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    lm = np.zeros(a.shape)
    da = np.zeros(a.shape)
    db = np.zeros(a.shape)
    nonzero = (a != 0.0) & (b != 0.0)
    r = np.ones(a.shape)
    r[nonzero] = a[nonzero] / b[nonzero]
    close = nonzero & (np.abs(r - 1.0) < 1e-3)
    far = nonzero & ~close
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = a - b
        ln = np.log1p(np.where(far, diff / np.where(nonzero, b, 1.0), 0.0))
        lm = np.where(far, diff / ln, lm)
        da = np.where(far, (ln - diff / a) / ln**2, da)
        db = np.where(far, (diff / b - ln) / ln**2, db)
    # near a == b: ΔT_lm ≈ m (1 − d²/(12 m²)) with m = (a+b)/2, d = a − b
    m = 0.5 * (a + b)
    d = a - b
    with np.errstate(divide="ignore", invalid="ignore"):
        lm = np.where(close, m - d**2 / (12.0 * m), lm)
        da = np.where(close, 0.5 - d / (6.0 * m) + d**2 / (24.0 * m**2), da)
        db = np.where(close, 0.5 + d / (6.0 * m) + d**2 / (24.0 * m**2), db)
    return lm, da, db


def _excess(t_supply, t_return, t_air) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ts = np.asarray(t_supply, dtype=float)
    tr = np.asarray(t_return, dtype=float)
    ta = np.asarray(t_air, dtype=float)
    _check_water(ts, "t_supply")
    _check_water(tr, "t_return")
    a, b = ts - ta, tr - ta
    bad = (a * b < 0.0) | ((a == 0.0) & (b != 0.0))
    if np.any(bad):
        i = np.flatnonzero(np.broadcast_to(bad, np.broadcast(a, b).shape).ravel())[0]
        sa = float(np.broadcast_to(a, bad.shape).ravel()[i])
        sb = float(np.broadcast_to(b, bad.shape).ravel()[i])
        raise RangeError(
            f"supply and return must lie on the same side of the air temperature (excess "
            f"{sa:+.2f} K and {sb:+.2f} K at element {i}): water cannot cool past the air it "
            "heats, so such a state has no steady solution",
            key="t_return",
            value=sb,
        )
    return a, b, ta


def heat_output(
    t_supply: np.ndarray | float,
    t_return: np.ndarray | float,
    t_air: np.ndarray | float,
    *,
    length: float,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    t_surroundings: np.ndarray | float | None = None,
) -> np.ndarray:
    """Heat delivered by a pipe rail [W] at its log-mean excess temperature.

    Parameters
    ----------
    t_supply, t_return
        Water supply and return temperatures [K], both above (or both below) ``t_air``.
    t_air
        Greenhouse air temperature [K].
    length
        Total pipe length [m] (e.g. 1.875 m per m² floor × floor area, Vanthoor 2011).
    diameter, emissivity, t_surroundings
        As in :func:`emission_per_metre`.

    Returns
    -------
    numpy.ndarray
        Q = L · q(T_air + ΔT_lm, T_air) [W], with the log-mean excess
        ΔT_lm = (T_sup − T_ret) / ln((T_sup − T_air)/(T_ret − T_air)).

    Raises
    ------
    RangeError
        Supply and return on opposite sides of the air temperature, or outside 0–120 °C.
    """
    length = _check_length(length)
    a, b, ta = _excess(t_supply, t_return, t_air)
    lm, _, _ = _log_mean_excess(a, b)
    q = emission_per_metre(
        ta + lm, ta, diameter=diameter, emissivity=emissivity, t_surroundings=t_surroundings
    )
    return length * q


def heat_output_derivatives(
    t_supply: np.ndarray | float,
    t_return: np.ndarray | float,
    t_air: np.ndarray | float,
    *,
    length: float,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    t_surroundings: np.ndarray | float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(∂Q/∂T_supply, ∂Q/∂T_return, ∂Q/∂T_air) of :func:`heat_output` [W/K].

    Chain rule through the log-mean excess temperature; checked against central differences in
    the test suite.
    """
    length = _check_length(length)
    a, b, ta = _excess(t_supply, t_return, t_air)
    lm, da, db = _log_mean_excess(a, b)
    dq_dtp, dq_dta = emission_per_metre_derivative(
        ta + lm, ta, diameter=diameter, emissivity=emissivity, t_surroundings=t_surroundings
    )
    d_sup = length * dq_dtp * da
    d_ret = length * dq_dtp * db
    d_air = length * (dq_dtp * (1.0 - da - db) + dq_dta)
    return d_sup, d_ret, d_air


@dataclass(frozen=True)
class SupplyTemperature:
    """Result of :func:`supply_temperature_for` (arrays in the broadcast shape of the inputs).

    Attributes
    ----------
    t_supply
        Supply temperature [K]. Where the demand cannot be met it is ``t_max``; where the demand
        is zero it equals the return temperature (no flow needed).
    t_return
        Return temperature [K] (given, or T_sup − Q/(ṁ c_p) at fixed flow).
    heat
        Heat the rail delivers at ``t_supply`` [W]; equals the demand where status is 0.
    met
        False only where the demand needs more than ``t_max`` (status 1).
    status
        0 demand met; 1 needs more than ``t_max`` (unmet, ``heat`` < demand); 2 demand below what
        the rail emits with its water at the given return temperature, so no supply above the
        return can deliver so little (t_supply set to the return temperature, ``heat`` > demand;
        a controller would cycle the flow); 3 zero demand.
    """

    t_supply: np.ndarray
    t_return: np.ndarray
    heat: np.ndarray
    met: np.ndarray
    status: np.ndarray


def _solve_increasing(fdf, lo: np.ndarray, hi: np.ndarray, *, tol: float = 1e-11) -> np.ndarray:
    """Root of f(x) = 0 per element, f increasing with f(lo) <= 0 <= f(hi).

    Newton steps from the bracket midpoint; a step that leaves the current bracket is replaced by
    bisection, so every element converges (at worst like bisection: 60 halvings of 100 K).
    """
    a, b = lo.astype(float).copy(), hi.astype(float).copy()
    x = 0.5 * (a + b)
    for _ in range(80):
        fx, dfx = fdf(x)
        pos = fx > 0.0
        b = np.where(pos, x, b)
        a = np.where(pos, a, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x - fx / dfx
        bad = ~((xn > a) & (xn < b)) | ~np.isfinite(xn)
        xn = np.where(bad, 0.5 * (a + b), xn)
        if np.all(np.abs(xn - x) <= tol * np.maximum(1.0, np.abs(x))):
            return xn
        x = xn
    return x


def supply_temperature_for(
    demand: np.ndarray | float,
    t_air: np.ndarray | float,
    *,
    length: float,
    t_return: np.ndarray | float | None = None,
    mass_flow: np.ndarray | float | None = None,
    cp: float = WATER_CP,
    t_max: float = 368.15,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    t_surroundings: np.ndarray | float | None = None,
    on_unmet: str = "flag",
) -> SupplyTemperature:
    """Supply water temperature a pipe rail needs to deliver a heat demand (vectorised).

    Give exactly one of ``t_return`` (fixed return temperature, above the air temperature) or
    ``mass_flow`` (fixed water flow; then T_ret = T_sup − Q/(ṁ c_p)). The supply temperature
    solves :func:`heat_output` = demand by a Newton iteration safeguarded by bisection on the
    bracket [lowest feasible supply, ``t_max``], run on whole arrays at once (an 8760-hour year
    takes a few milliseconds).

    Parameters
    ----------
    demand
        Heat to deliver [W], ≥ 0.
    t_air
        Greenhouse air temperature [K].
    length
        Total pipe length [m].
    t_return
        Return water temperature [K], > ``t_air`` (fixed-return mode).
    mass_flow
        Water mass flow through the rail [kg/s], > 0 (fixed-flow mode).
    cp
        Water specific heat [J/(kg·K)], fixed-flow mode only. Default :data:`WATER_CP`.
    t_max
        Highest supply temperature available [K]. Default 368.15 K (95 °C), the top of the
        45–90 °C pipe-rail range in docs/references.md §6 plus margin.
    diameter, emissivity, t_surroundings
        As in :func:`emission_per_metre`.
    on_unmet
        ``"flag"`` (default): hours that need more than ``t_max`` get ``t_supply = t_max``,
        ``met = False``, ``status = 1`` and the heat actually delivered. ``"raise"``: raise
        :class:`RangeError` naming the number of such hours and the first one.

    Returns
    -------
    SupplyTemperature
        Supply and return temperatures, delivered heat, met flags and status codes.
    """
    if (t_return is None) == (mass_flow is None):
        raise InputError(
            "give exactly one of t_return (fixed return temperature) or mass_flow (fixed flow)",
            key="t_return",
        )
    if on_unmet not in ("flag", "raise"):
        raise InputError(
            f"on_unmet must be 'flag' or 'raise', got {on_unmet!r}", key="on_unmet", value=on_unmet
        )
    length = _check_length(length)
    _check_diameter(diameter)
    _check_emissivity(emissivity)
    kw = dict(length=length, diameter=diameter, emissivity=emissivity)
    q = np.asarray(demand, dtype=float)
    if np.any(~np.isfinite(q)) or np.any(q < 0.0):
        raise InputError(
            "demand must be finite and >= 0 W (a greenhouse that needs no heat has demand 0)",
            key="demand",
        )
    if not WATER_RANGE[0] <= t_max <= WATER_RANGE[1]:
        raise RangeError(
            f"t_max = {t_max} K is outside the water range {WATER_RANGE[0]}..{WATER_RANGE[1]} K",
            key="t_max",
            value=t_max,
        )
    env = None if t_surroundings is None else np.asarray(t_surroundings, dtype=float)

    if t_return is not None:
        q, ta, tr = (x.astype(float) for x in np.broadcast_arrays(q, t_air, t_return))
        _check_water(tr, "t_return")
        if np.any(tr <= ta):
            i = int(np.flatnonzero((tr <= ta).ravel())[0])
            raise RangeError(
                f"t_return = {tr.ravel()[i]:.2f} K is not above the air temperature "
                f"{ta.ravel()[i]:.2f} K (element {i}); a heating rail returns warmer than the air",
                key="t_return",
                value=float(tr.ravel()[i]),
            )
        envb = None if env is None else np.broadcast_to(env, q.shape)
        status = np.zeros(q.shape, dtype=np.int64)
        zero = q <= 0.0
        q_at_return = heat_output(tr, tr, ta, t_surroundings=envb, **kw)
        q_at_max = heat_output(np.maximum(t_max, tr), tr, ta, t_surroundings=envb, **kw)
        unmet = ~zero & (q_at_max < q)
        below = ~zero & ~unmet & (q_at_return > q)
        status[unmet], status[below], status[zero] = 1, 2, 3
        t_sup = tr.copy()
        t_sup[unmet] = t_max
        sel = status == 0
        if np.any(sel):
            qs, tas, trs = q[sel], ta[sel], tr[sel]
            envs = None if envb is None else envb[sel]

            def fdf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                f = heat_output(x, trs, tas, t_surroundings=envs, **kw) - qs
                d, _, _ = heat_output_derivatives(x, trs, tas, t_surroundings=envs, **kw)
                return f, d

            t_sup[sel] = _solve_increasing(fdf, trs, np.full(trs.shape, float(t_max)))
        t_ret = tr
    else:
        if not cp > 0.0:
            raise InputError(f"cp must be > 0, got {cp}", key="cp", value=cp)
        q, ta, m = (x.astype(float) for x in np.broadcast_arrays(q, t_air, mass_flow))
        if np.any(~(m > 0.0)):
            raise InputError("mass_flow must be > 0 kg/s", key="mass_flow")
        envb = None if env is None else np.broadcast_to(env, q.shape)
        drop = q / (m * cp)
        status = np.zeros(q.shape, dtype=np.int64)
        zero = q <= 0.0
        lo = ta + drop  # return at the air temperature: log-mean excess 0, no output
        unmet = ~zero & (lo >= t_max)
        cand = ~zero & ~unmet
        if np.any(cand):
            q_at_max = heat_output(
                np.full(int(cand.sum()), float(t_max)),
                t_max - drop[cand],
                ta[cand],
                t_surroundings=None if envb is None else envb[cand],
                **kw,
            )
            unmet[np.flatnonzero(cand)[q_at_max < q[cand]]] = True
        status[unmet], status[zero] = 1, 3
        t_sup = np.where(zero, np.maximum(ta, WATER_RANGE[0]), float(t_max))
        t_ret = t_sup.copy()
        sel = status == 0
        if np.any(sel):
            qs, tas, dr = q[sel], ta[sel], drop[sel]
            envs = None if envb is None else envb[sel]

            def fdf(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
                tr_x = np.maximum(x - dr, tas)
                f = heat_output(x, tr_x, tas, t_surroundings=envs, **kw) - qs
                d_s, d_r, _ = heat_output_derivatives(x, tr_x, tas, t_surroundings=envs, **kw)
                return f, d_s + d_r

            t_sup[sel] = _solve_increasing(fdf, lo[sel], np.full(qs.shape, float(t_max)))
            t_ret[sel] = t_sup[sel] - dr
        if np.any(unmet):
            # at t_max the rail delivers Q < demand with T_ret = t_max − Q/(ṁ c_p): bisection on
            # Q in [0, ṁ c_p (t_max − T_air)], where L·q(log-mean) − Q falls from > 0 to < 0.
            mu, tau = m[unmet], ta[unmet]
            envs = None if envb is None else envb[unmet]
            a = np.zeros(mu.shape)
            b = mu * cp * (t_max - tau)
            for _ in range(80):
                mid = 0.5 * (a + b)
                tr_mid = np.maximum(t_max - mid / (mu * cp), tau)
                h = (
                    heat_output(
                        np.full(mu.shape, float(t_max)), tr_mid, tau, t_surroundings=envs, **kw
                    )
                    - mid
                )
                a = np.where(h > 0.0, mid, a)
                b = np.where(h > 0.0, b, mid)
            t_ret[unmet] = t_max - 0.5 * (a + b) / (mu * cp)

    heat = np.zeros(q.shape)
    active = ~zero
    if np.any(active):
        heat[active] = heat_output(
            t_sup[active],
            t_ret[active],
            ta[active],
            t_surroundings=None if envb is None else envb[active],
            **kw,
        )
    if on_unmet == "raise" and np.any(unmet):
        idx = int(np.flatnonzero(unmet.ravel())[0])
        raise RangeError(
            f"{int(unmet.sum())} demand value(s) need a supply temperature above t_max = "
            f"{t_max:.2f} K ({t_max - 273.15:.1f} degC); the first is element {idx} "
            f"({q.ravel()[idx]:.4g} W): add pipe length or raise t_max",
            key="demand",
            value=float(q.ravel()[idx]),
        )
    return SupplyTemperature(
        t_supply=t_sup,
        t_return=np.asarray(t_ret, dtype=float),
        heat=heat,
        met=status != 1,
        status=status,
    )


@dataclass(frozen=True)
class PipeRail:
    """A greenhouse pipe-rail heating circuit (bare steel pipes, hot water).

    Parameters
    ----------
    length
        Total pipe length [m], > 0.
    diameter
        Outer pipe diameter [m], 0.015–0.110. Default 0.051 m (Vanthoor 2011 rail).
    emissivity
        Pipe long-wave emissivity [-]. Default 0.88 (Vanthoor 2011).

    Notes
    -----
    Sign convention: heat output Q > 0 flows from the water to the greenhouse. Equations in the
    module docstring of :mod:`thermo.greenhouse.heating_pipes`.
    """

    length: float
    diameter: float = 0.051
    emissivity: float = PIPE_EMISSIVITY

    def __post_init__(self) -> None:
        _check_length(self.length)
        _check_diameter(self.diameter)
        _check_emissivity(self.emissivity)

    @classmethod
    def for_floor(
        cls,
        floor_area: float,
        *,
        length_per_floor_area: float = 1.875,
        diameter: float = 0.051,
        emissivity: float = PIPE_EMISSIVITY,
    ) -> PipeRail:
        """A rail of ``length_per_floor_area`` [m/m²] over ``floor_area`` [m²].

        Default 1.875 m of 51 mm pipe per m² floor: the Dutch reference glasshouse of Vanthoor
        (2011) (GreenLight ``lPipe``).
        """
        if not floor_area > 0.0:
            raise InputError(
                f"floor_area must be > 0 m2, got {floor_area!r}", key="floor_area", value=floor_area
            )
        if not length_per_floor_area > 0.0:
            raise InputError(
                f"length_per_floor_area must be > 0 m/m2, got {length_per_floor_area!r}",
                key="length_per_floor_area",
                value=length_per_floor_area,
            )
        return cls(
            length=float(floor_area) * float(length_per_floor_area),
            diameter=diameter,
            emissivity=emissivity,
        )

    def heat_output(
        self,
        t_supply: np.ndarray | float,
        t_return: np.ndarray | float,
        t_air: np.ndarray | float,
        *,
        t_surroundings: np.ndarray | float | None = None,
    ) -> np.ndarray:
        """Heat delivered [W]; see :func:`heat_output`."""
        return heat_output(
            t_supply,
            t_return,
            t_air,
            length=self.length,
            diameter=self.diameter,
            emissivity=self.emissivity,
            t_surroundings=t_surroundings,
        )

    def heat_output_derivatives(
        self,
        t_supply: np.ndarray | float,
        t_return: np.ndarray | float,
        t_air: np.ndarray | float,
        *,
        t_surroundings: np.ndarray | float | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(∂Q/∂T_supply, ∂Q/∂T_return, ∂Q/∂T_air) [W/K]; see :func:`heat_output_derivatives`."""
        return heat_output_derivatives(
            t_supply,
            t_return,
            t_air,
            length=self.length,
            diameter=self.diameter,
            emissivity=self.emissivity,
            t_surroundings=t_surroundings,
        )

    def supply_temperature_for(
        self,
        demand: np.ndarray | float,
        t_air: np.ndarray | float,
        *,
        t_return: np.ndarray | float | None = None,
        mass_flow: np.ndarray | float | None = None,
        cp: float = WATER_CP,
        t_max: float = 368.15,
        t_surroundings: np.ndarray | float | None = None,
        on_unmet: str = "flag",
    ) -> SupplyTemperature:
        """Supply temperature needed for ``demand`` [W]; see :func:`supply_temperature_for`."""
        return supply_temperature_for(
            demand,
            t_air,
            length=self.length,
            t_return=t_return,
            mass_flow=mass_flow,
            cp=cp,
            t_max=t_max,
            diameter=self.diameter,
            emissivity=self.emissivity,
            t_surroundings=t_surroundings,
            on_unmet=on_unmet,
        )
