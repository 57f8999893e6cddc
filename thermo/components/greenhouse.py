"""Greenhouse pipe-rail heating as a network branch: water cooling along the rails.

The emission law is that of :mod:`thermo.greenhouse.heating_pipes` (GreenLight/Vanthoor free
convection plus long-wave radiation to surroundings at the air temperature), per metre of pipe::

    q(ΔT) = 1.99 π D |ΔT|^0.32 ΔT + ε σ π D (T_p⁴ − T_a⁴),   ΔT = T_p − T_a,   T_p = water

Here the water temperature along the rail is integrated instead of evaluating the emission at a
log-mean temperature. Along the pipe, ``ṁ c_p dT/dx = −q(T − T_a)``. Written for the logarithm of
the excess temperature, ``u = ln|ΔT|``, this reads ::

    du/dx = −H(ΔT) / (ṁ c_p),    H = q/ΔT = 1.99 π D |ΔT|^0.32 + ε σ π D (T_p + T_a)(T_p² + T_a²)

``H`` [W/(m·K)] is the emission coefficient linearised about the air temperature; for a constant
``H`` the solution is the exact exponential decay ``ΔT_out = ΔT_in exp(−H L / (ṁ c_p))``, which
any Runge–Kutta scheme reproduces exactly in ``u``. ``H`` varies only slowly (through
``|ΔT|^0.32`` and ``T³``), so a classical 4th-order Runge–Kutta integration in ``u`` with
:data:`RAIL_STEPS` = 8 steps stays within 1e-5 K of a tight adaptive integration (scipy
``solve_ivp``, DOP853, rtol 1e-12; tested) for ``ln(ΔT_in/ΔT_out)`` up to 10 (2e-6 K up to 2.3,
5e-8 K at 0.5); the scheme stays monotonic (every stage decreases ``u``) for any flow. The derivatives of the exit temperature with respect to inlet
temperature and flow are those of the discrete scheme (forward tangents), hence exact for the
value returned.

Rails in parallel loops: ``n`` loops of length ``L/n`` each with flow ``ṁ/n`` give the same
exit temperature as one pipe of length ``L`` with flow ``ṁ`` (same ``L/(ṁ c_p)``), so ``length``
is the total pipe length and ``ṁ`` the total flow. The water heat capacity is taken at the inlet
temperature for the temperature profile (liquid water varies by < 0.3 % between 20 and 95 °C);
the heat reported is the exact enthalpy difference, so network energy balances close exactly.

Compared with the log-mean evaluation of :func:`thermo.greenhouse.heat_output` (which the
greenhouse module uses to invert a demand into a supply temperature), the integrated heat agrees
within 0.4 % for drops below 0.6 × the mean excess temperature (tested), but not at low flows:
for 18 750 m of rail in 19.5 °C air the log-mean heat is 3 % high at 3 kg/s from 50 °C and 26 %
high at 0.5 kg/s from 80 °C. :func:`rail_supply_temperature` inverts the integrated law instead.

References
----------
.. [1] B. H. E. Vanthoor et al., "A methodology for model-based greenhouse design: Part 1",
   Biosyst. Eng. 110 (2011) 363–377 (pipe–air convection, ε_pipe 0.88, 51 mm rails).
.. [2] D. Katzin et al., "GreenLight – An open source model for greenhouses with supplemental
   lighting", Biosyst. Eng. 194 (2020) 61–81 (``hPipeAir``).
.. [3] J. C. Butcher, *Numerical Methods for Ordinary Differential Equations*, 3rd ed., Wiley,
   2016, §23 (classical Runge–Kutta method).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    Thermal,
    check_fraction,
    check_nonnegative,
    check_positive,
)
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError, RangeError
from thermo.greenhouse.heating_pipes import (
    DIAMETER_RANGE,
    GREENLIGHT_PIPE_COEFFICIENT,
    GREENLIGHT_PIPE_EXPONENT,
    PIPE_EMISSIVITY,
    STEFAN_BOLTZMANN,
    WATER_CP,
    WATER_RANGE,
    PipeRail,
)

__all__ = [
    "RAIL_STEPS",
    "GreenhouseRail",
    "rail_exit_temperature",
    "rail_heat",
    "rail_supply_temperature",
]

RAIL_STEPS = 8
"""Runge–Kutta steps along the rail [-] (see the module docstring for the accuracy)."""

_M_FLOOR = 1e-9
"""Smallest |ṁ| [kg/s] used in L/(ṁ c_p) (zero-flow guard: the water then leaves at T_air)."""
_DT_FLOOR = 1e-12
"""Smallest |ΔT| [K] whose logarithm is taken (ΔT = 0 exactly gives ΔT_out = 0)."""


def _coefficients(diameter: float, emissivity: float) -> tuple[float, float]:
    """(convective 1.99·π·D [W/(m·K^1.32)], radiative ε·σ·π·D [W/(m·K⁴)])."""
    return (
        GREENLIGHT_PIPE_COEFFICIENT * np.pi * diameter,
        emissivity * STEFAN_BOLTZMANN * np.pi * diameter,
    )


def _emission_coefficient(delta: np.ndarray, t_air: np.ndarray, c_conv: Any, k_rad: Any):
    """H = q/ΔT [W/(m·K)] and dH/du = ΔT·dH/dΔT, with u = ln|ΔT|."""
    n = GREENLIGHT_PIPE_EXPONENT
    a = np.abs(delta) ** n
    tp = t_air + delta
    s1 = tp + t_air
    s2 = tp * tp + t_air * t_air
    H = c_conv * a + k_rad * s1 * s2
    H_u = c_conv * n * a + k_rad * delta * (s2 + 2.0 * tp * s1)
    return H, H_u


def rail_exit_temperature(
    t_in: Any,
    m_dot: Any,
    t_air: Any,
    *,
    length: Any,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    cp: Any = WATER_CP,
    steps: int = RAIL_STEPS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Water temperature leaving a pipe rail, and its derivatives (vectorised).

    Parameters
    ----------
    t_in : numeric
        Water entering the rail [K].
    m_dot : numeric
        Water mass flow [kg/s]; the sign is ignored (|ṁ| is used), 0 gives ``t_air``.
    t_air : numeric
        Greenhouse air (and radiant surroundings) temperature [K].
    length : numeric
        Total pipe length [m].
    diameter, emissivity : float
        Pipe outer diameter [m] (0.015–0.110) and long-wave emissivity [-]; defaults 51 mm and
        0.88 (Vanthoor 2011).
    cp : numeric
        Water specific heat [J/(kg·K)], default 4180.
    steps : int
        Runge–Kutta steps (default :data:`RAIL_STEPS`).

    Returns
    -------
    (t_out, dt_out/dt_in, dt_out/dβ) : tuple of numpy.ndarray
        Exit temperature [K], its derivative with respect to the inlet temperature [-] and with
        respect to ``β = L/(|ṁ| c_p)`` [W/m]; chain with ``dβ/d|ṁ| = −β/|ṁ|`` and
        ``dβ/dc_p = −β/c_p`` (as :class:`GreenhouseRail` does).

    Notes
    -----
    Classical RK4 on ``du/ds = −β H(ΔT)``, ``s = x/L`` in [0, 1], ``u = ln|ΔT|`` (module
    docstring). No range check here (the network calls it on iterates); :func:`rail_heat` and
    :class:`GreenhouseRail` check or flag the water range 0–120 °C of the emission law.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise InputError(f"steps must be a whole number >= 1, got {steps!r}", key="steps")
    c_conv, k_rad = _coefficients(diameter, emissivity)
    t_in, m, ta, L, c = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (t_in, m_dot, t_air, length, cp))
    )
    am = np.maximum(np.abs(m), _M_FLOOR)
    beta = L / (am * c)
    d_in = t_in - ta
    sign = np.where(d_in < 0.0, -1.0, 1.0)
    u0 = np.log(np.maximum(np.abs(d_in), _DT_FLOOR))
    u = u0.copy()
    A = np.ones_like(u)  # du/du0
    B = np.zeros_like(u)  # du/dβ
    h = 1.0 / steps

    def f(uu):
        H, H_u = _emission_coefficient(sign * np.exp(uu), ta, c_conv, k_rad)
        return -beta * H, -beta * H_u, -H  # f, ∂f/∂u, ∂f/∂β

    for _ in range(steps):
        f1, fu1, fb1 = f(u)
        k1, a1, b1 = h * f1, h * fu1 * A, h * (fu1 * B + fb1)
        f2, fu2, fb2 = f(u + 0.5 * k1)
        k2 = h * f2
        a2 = h * fu2 * (A + 0.5 * a1)
        b2 = h * (fu2 * (B + 0.5 * b1) + fb2)
        f3, fu3, fb3 = f(u + 0.5 * k2)
        k3 = h * f3
        a3 = h * fu3 * (A + 0.5 * a2)
        b3 = h * (fu3 * (B + 0.5 * b2) + fb3)
        f4, fu4, fb4 = f(u + k3)
        k4 = h * f4
        a4 = h * fu4 * (A + a3)
        b4 = h * (fu4 * (B + b3) + fb4)
        u = u + (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
        A = A + (a1 + 2.0 * a2 + 2.0 * a3 + a4) / 6.0
        B = B + (b1 + 2.0 * b2 + 2.0 * b3 + b4) / 6.0
    ratio = np.exp(u - u0)  # ΔT_out / ΔT_in
    d_out = d_in * ratio
    return ta + d_out, ratio * A, d_out * B


def _check_rail(length: Any, diameter: float, emissivity: float, owner: str) -> None:
    lo, hi = DIAMETER_RANGE
    d = check_positive(diameter, "diameter", owner)
    if not lo <= d <= hi:
        raise RangeError(
            f"pipe outer diameter {d * 1e3:.1f} mm is outside {lo * 1e3:.0f}–{hi * 1e3:.0f} mm, the "
            "range of rail and grow pipes the GreenLight/Vanthoor convection law is meant for",
            key=f"{owner}.diameter",
            value=d,
        )
    check_fraction(emissivity, "emissivity", owner)
    if np.any(~(np.asarray(length, dtype=float) > 0)):
        raise InputError(f"length must be > 0 m, got {length!r}", key=f"{owner}.length")


def _check_water(t: np.ndarray, name: str) -> None:
    lo, hi = WATER_RANGE
    bad = ~((t >= lo) & (t <= hi))
    if np.any(bad):
        v = float(np.asarray(t)[bad].flat[0]) if np.ndim(t) else float(t)
        raise RangeError(
            f"{name} = {v:.2f} K ({v - 273.15:.1f} degC) is outside the water range 0..120 degC "
            "of the pipe-rail emission law",
            key=name,
            value=v,
        )


def _rail_heat(t_in, m, t_air, kw, coolant):
    """Heat delivered [W] and an approximate derivative with respect to ``t_in`` [W/K]."""
    am = np.abs(m)
    if coolant is None:
        cp = np.asarray(kw["cp"], dtype=float)
        t_out, d_in, _ = rail_exit_temperature(t_in, m, t_air, **kw)
        return am * cp * (t_in - t_out), am * cp * (1.0 - d_in)
    cp = coolant.specific_heat(t_in, check=False)
    t_out, d_in, _ = rail_exit_temperature(t_in, m, t_air, **{**kw, "cp": cp})
    h = coolant.enthalpy(t_in, check=False) - coolant.enthalpy(t_out, check=False)
    return am * h, am * cp * (1.0 - d_in)


def rail_heat(
    t_in: Any,
    m_dot: Any,
    t_air: Any,
    *,
    length: Any,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    cp: Any = WATER_CP,
    coolant: Any = None,
) -> np.ndarray:
    """Heat a pipe rail delivers to the greenhouse [W] (vectorised).

    ``|ṁ| c_p (t_in − t_out)`` with :func:`rail_exit_temperature`; with a ``coolant``
    (:class:`~thermo.Coolant`) instead ``|ṁ| (h(t_in) − h(t_out))`` with ``c_p`` at the inlet, exactly
    as :class:`GreenhouseRail` computes it in a network. Other arguments as in
    :func:`rail_exit_temperature`; the inlet must lie within 0–120 °C
    (:class:`~thermo.errors.RangeError` otherwise).
    """
    _check_rail(length, diameter, emissivity, "rail")
    t = np.asarray(t_in, dtype=float)
    _check_water(t, "t_in")
    kw = dict(length=length, diameter=diameter, emissivity=emissivity, cp=cp)
    return _rail_heat(t, np.asarray(m_dot, dtype=float), t_air, kw, coolant)[0]


def rail_supply_temperature(
    demand: Any,
    t_air: Any,
    m_dot: Any,
    *,
    length: float,
    diameter: float = 0.051,
    emissivity: float = PIPE_EMISSIVITY,
    cp: float = WATER_CP,
    coolant: Any = None,
    t_max: float = 368.15,
) -> tuple[np.ndarray, np.ndarray]:
    """Supply temperature at which a rail with flow ``m_dot`` delivers ``demand`` (vectorised).

    Inverts :func:`rail_heat` (which rises monotonically with the supply temperature) by
    bisection-safeguarded Newton steps on [t_air, t_max], to 1e-10 relative.

    Parameters
    ----------
    demand : numeric
        Heat to deliver [W], >= 0.
    t_air : numeric
        Air temperature [K].
    m_dot : numeric
        Water flow through the rail [kg/s], > 0.
    length, diameter, emissivity, cp, coolant
        As in :func:`rail_heat` (give the network's ``coolant`` to match a
        :class:`GreenhouseRail` exactly).
    t_max : float
        Highest supply temperature available [K], default 368.15 K (95 °C, as
        :func:`thermo.greenhouse.supply_temperature_for`).

    Returns
    -------
    (t_supply, met) : tuple of numpy.ndarray
        Supply temperature [K] (``t_max`` where the demand cannot be met, ``t_air`` for zero
        demand) and a boolean array, False where even ``t_max`` falls short.
    """
    _check_rail(length, diameter, emissivity, "rail")
    q, ta, m = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (demand, t_air, m_dot)))
    if np.any(~np.isfinite(q)) or np.any(q < 0):
        raise InputError("demand must be finite and >= 0 W", key="demand")
    if np.any(~(m > 0)):
        raise InputError("m_dot must be > 0 kg/s", key="m_dot")
    _check_water(np.asarray(t_max, dtype=float), "t_max")
    kw = dict(length=length, diameter=diameter, emissivity=emissivity, cp=cp)

    def heat(ts):
        return _rail_heat(ts, m, ta, kw, coolant)

    q_max, _ = heat(np.full(q.shape, float(t_max)))
    met = q_max >= q
    a = ta.astype(float).copy()
    b = np.full(q.shape, float(t_max))
    x = np.where(met, ta + 0.5 * (b - ta), b)
    for _ in range(100):
        fx, dfx = heat(x)
        fx = fx - q
        pos = fx > 0.0
        b = np.where(pos, x, b)
        a = np.where(pos, a, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x - fx / dfx
        bad = ~((xn > a) & (xn < b)) | ~np.isfinite(xn)
        xn = np.where(bad, 0.5 * (a + b), xn)
        xn = np.where(met, xn, float(t_max))
        done = np.all(np.abs(xn - x) <= 1e-10 * np.maximum(1.0, np.abs(x)))
        x = xn
        if done:
            break
    x = np.where(q <= 0.0, ta, x)
    return x, met


class GreenhouseRail(Branch):
    """Greenhouse heating-pipe rails as a network branch: water cools towards the air temperature.

    Thermal law: :func:`rail_exit_temperature` (GreenLight/Vanthoor convection plus radiation,
    integrated along the pipe; module docstring). The branch's ``Q_W`` is the heat into the water
    (negative while heating the greenhouse); the results also report ``Q_delivered_W`` (to the
    greenhouse, > 0), and with a ``demand`` the ``unmet_W = max(demand − delivered, 0)`` and a
    flag ``unmet_demand``: when the water arriving is too cold, the network shows it.

    Parameters
    ----------
    length : float
        Total rail length [m] (e.g. 1.875 m per m² floor, Vanthoor 2011, see
        :meth:`thermo.greenhouse.PipeRail.for_floor`).
    air_temperature : float
        Greenhouse air temperature [K] (the heating setpoint of the hour); radiation goes to
        surroundings at the same temperature.
    diameter, emissivity : float
        Outer pipe diameter [m], 0.015–0.110 (:class:`RangeError` outside), default 0.051; pipe
        emissivity [-], default 0.88.
    demand : float or None
        Heat the greenhouse needs [W] (for the unmet-demand report), optional.
    pressure_drop : (dp_design [Pa], m_design [kg/s]) or None
        Optional pressure drop ``dp = dp_design (ṁ/ṁ_design)^n`` (``n`` = ``pressure_drop_exponent``,
        default 2), independent of temperature; default none.

    **Rail control**: with ``demand = 0`` the rails are isolated (the water bypasses them, as a
    grower's mixing valve closes when the greenhouse needs no heat): they emit nothing and the
    water leaves at the temperature it came in. Without this, water held just above the air
    temperature at full flow still emits (about 121 kW over 75 km of 51 mm rail at 1 K), heat
    nobody asked for that an annual study would count as reuse. ``demand = None`` (the default)
    keeps the rails always in service.

    ``air_temperature``, ``demand`` and ``length`` can be changed between solves with
    ``Network.set_parameter``. Flags: ``unmet_demand``, ``water_out_of_range`` (inlet outside
    0–120 °C, the emission law's range), ``colder_than_air`` (the water takes heat from the air).
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        length: float,
        air_temperature: float,
        diameter: float = 0.051,
        emissivity: float = PIPE_EMISSIVITY,
        demand: float | None = None,
        pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.length = check_positive(length, "length", name)
        self.air_temperature = check_positive(air_temperature, "air_temperature", name)
        if self.air_temperature < 200.0:
            raise InputError(
                f"air_temperature must be in K, got {air_temperature!r} (did you pass degC?)",
                key=f"{name}.air_temperature",
                value=air_temperature,
            )
        _check_rail(self.length, diameter, emissivity, name)
        self.diameter = float(diameter)
        self.emissivity = float(emissivity)
        self.demand = None if demand is None else check_nonnegative(demand, "demand", name)
        self.dp_design, self.m_design = _pressure_drop(pressure_drop, name)
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )

    @property
    def rail(self) -> PipeRail:
        """The rail as a :class:`thermo.greenhouse.PipeRail` (for its log-mean functions)."""
        return PipeRail(self.length, self.diameter, self.emissivity)


def _pressure_drop(pressure_drop: Any, owner: str) -> tuple[float, float]:
    """(dp_design, m_design) from an optional pair; (0, 1) means no pressure drop."""
    if pressure_drop is None:
        return 0.0, 1.0
    try:
        dp, m = pressure_drop
    except (TypeError, ValueError):
        raise InputError(
            f"pressure_drop must be (dp_design [Pa], m_design [kg/s]), got {pressure_drop!r}",
            key=f"{owner}.pressure_drop",
        ) from None
    return check_positive(dp, "pressure_drop[0]", owner), check_positive(
        m, "pressure_drop[1]", owner
    )


class GreenhouseRailGroup(BranchGroup):
    parameter_arrays = {"air_temperature": "T_air", "demand": "demand", "length": "L"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.L = np.array([r.length for r in c])
        self.T_air = np.array([r.air_temperature for r in c])
        self.demand = np.array([np.inf if r.demand is None else r.demand for r in c])
        self.D = np.array([r.diameter for r in c])
        self.eps = np.array([r.emissivity for r in c])
        self.n = np.array([r.pressure_drop_exponent for r in c])
        self.coef = np.array([r.dp_design / r.m_design**r.pressure_drop_exponent for r in c])
        self.m_lin = np.array([0.01 * r.m_design for r in c])

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        return Hydraulics(dp, [ddp, np.zeros_like(dp)])

    def _length(self) -> np.ndarray:
        """Rail length in service [m]: 0 (rails isolated, water bypasses them) where the hour's
        demand is zero, the whole rail otherwise."""
        return np.where(self.demand > 0.0, self.L, 0.0)

    def _exit(self, ctx):
        L = self._length()
        T_out, d_in, d_beta = _rail_exit_temperature_arrays(
            ctx.T_up, ctx.m, self.T_air, L, self.D, self.eps, ctx.cp
        )
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        beta = L / (am * ctx.cp)
        moving = np.abs(ctx.m) > _M_FLOOR
        d_dm = np.where(moving, d_beta * (-beta * np.sign(ctx.m) / am), 0.0)
        d_dT = d_in + d_beta * (-beta / ctx.cp) * ctx.dcp_dT
        return T_out, d_dT, d_dm

    def thermal(self, ctx) -> Thermal:
        T_out, d_dT, d_dm = self._exit(ctx)
        h_exit, _ = ctx.enthalpy_cp(T_out)
        heat = np.abs(ctx.m) * (h_exit - ctx.h)
        return Thermal(T_out, [d_dT, d_dm], heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        th = self.thermal(ctx)
        delivered = -th.heat
        has = np.isfinite(self.demand)
        unmet = np.where(has, np.maximum(np.where(has, self.demand, 0.0) - delivered, 0.0), np.nan)
        return {
            "Q_delivered_W": delivered,
            "demand_W": np.where(has, self.demand, np.nan),
            "unmet_W": unmet,
            "T_air_C": self.T_air - 273.15,
            "emission_W_m": delivered / self.L,
            "in_service": (self.demand > 0.0).astype(float),
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        rep = self.report(ctx)
        lo, hi = WATER_RANGE
        for i in range(len(self.components)):
            t = ctx.T_up[i]
            if not lo <= t <= hi:
                out.append(
                    (
                        i,
                        "water_out_of_range",
                        f"water enters at {t - 273.15:.2f} °C, outside the 0–120 °C range of the "
                        "pipe-rail emission law",
                    )
                )
            if t < self.T_air[i] and self.demand[i] > 0.0:
                out.append(
                    (
                        i,
                        "colder_than_air",
                        f"water enters at {t - 273.15:.2f} °C, below the air at "
                        f"{self.T_air[i] - 273.15:.2f} °C: the rail takes heat from the greenhouse",
                    )
                )
            unmet = rep["unmet_W"][i]
            if np.isfinite(unmet) and unmet > 1e-6 * max(self.demand[i], 1.0):
                out.append(
                    (
                        i,
                        "unmet_demand",
                        f"rails deliver {rep['Q_delivered_W'][i] / 1e3:.4g} kW of the "
                        f"{self.demand[i] / 1e3:.4g} kW demand (water in at {t - 273.15:.2f} °C): "
                        f"{unmet / 1e3:.4g} kW unmet",
                    )
                )
        return out


def _rail_exit_temperature_arrays(t_in, m, t_air, length, diameter, emissivity, cp):
    """:func:`rail_exit_temperature` with per-element diameter and emissivity (for the group)."""
    D = np.asarray(diameter, dtype=float)
    eps = np.asarray(emissivity, dtype=float)
    if D.size and np.all(D == D.flat[0]) and np.all(eps == eps.flat[0]):
        return rail_exit_temperature(
            t_in,
            m,
            t_air,
            length=length,
            diameter=float(D.flat[0]),
            emissivity=float(eps.flat[0]),
            cp=cp,
        )
    out = [np.empty(np.shape(t_in)) for _ in range(3)]
    for d, e in {(float(a), float(b)) for a, b in zip(D, eps, strict=True)}:
        sel = (D == d) & (eps == e)
        res = rail_exit_temperature(
            t_in[sel], m[sel], t_air[sel], length=length[sel], diameter=d, emissivity=e, cp=cp[sel]
        )
        for o, r in zip(out, res, strict=True):
            o[sel] = r
    return tuple(out)


GreenhouseRail.group = GreenhouseRailGroup
