"""Electric heat pump as a network component coupling a source loop and a sink loop.

A :class:`HeatPump` adds two branches: ``"<name>.evaporator"`` on the source loop (the data-centre
water it cools) and ``"<name>.condenser"`` on the sink loop (the heating water it warms), in the
pattern of :class:`~thermo.network.HeatExchanger`. The COP comes from a plant model of
:mod:`thermo.plant.heat_pump` (:class:`~thermo.plant.CarnotHeatPump` by default, or
:class:`~thermo.plant.VaporCompressionHeatPump` with its tabulated fast path), evaluated — as the
plant layer defines it — at the water temperatures *leaving* the evaporator (``T_so``) and the
condenser (``T_ko``).

Equations (per unit; ``h`` enthalpies of each loop's coolant, ``ṁ`` the side flows)
----------------------------------------------------------------------------------
Condenser, holding the sink outlet at ``sink_setpoint`` like the ideal cooler holds its outlet::

    T_ko = max(T_ki, T_target)          T_target = min(sink_setpoint, maximum sink temperature)
    Q_c  = ṁ_k (h(T_ko) − h(T_ki))      capped at heating_capacity (then T_ko from the enthalpy)

Evaporator, with the electrical power ``P_el = Q_c / COP`` going into the sink water::

    Q_e = Q_c (1 − 1/COP(T_so, T_ko))   h(T_so) = h(T_si) − Q_e / ṁ_s

The second line is implicit in ``T_so`` (the COP depends on the evaporator outlet): it is solved
per unit by a bisection-safeguarded Newton iteration to 1e-11 K, and its derivatives follow from
the implicit-function theorem, so the network Jacobian is exact. The residual
``r(T_so) = h(T_so) − h(T_si) + Q_e(T_so)/ṁ_s`` increases monotonically (COP rises with the source
temperature), so the root is unique.

Limits (each one flagged in the results)
----------------------------------------
- ``heating_capacity`` [W] caps ``Q_c`` (flag ``capacity_limited``).
- **Maximum lift.** The refrigerant lift ``(T_ko + ΔT_cond) − (T_so − ΔT_evap)`` cannot exceed the
  model's ``max_lift``: when the setpoint would need more, the unit runs at exactly
  ``max_lift`` — ``T_ko = T_so + max_lift − ΔT_evap − ΔT_cond``, one more implicit equation —
  and delivers less (flag ``max_lift``). When even zero output would need more lift than that
  (``T_si + max_lift − approaches <= T_ki``) it delivers nothing (flag ``no_lift_possible``).
- The sink outlet never exceeds the model's maximum sink temperature (``max_sink_temperature``
  of the Carnot model; ``T_crit − critical_margin − condenser_approach`` of the cycle model)
  (flag ``sink_temperature_limited``).
- Below the model's ``min_lift`` (at least 1 K) the COP is held at its value at ``min_lift``
  (flag ``below_min_lift``): a Carnot-fraction COP would grow without bound, and real machines
  have a minimum pressure ratio. This is conservative with respect to the model.
- The source water never leaves below ``min_source_temperature`` (default 1.1 °C, freeze
  protection, :data:`MIN_SOURCE_TEMPERATURE`): when the setpoint would need a colder source
  outlet (too little source flow), the source leaves at that minimum and the sink gets what the
  source can give, ``Q_c (1 − 1/COP(T_min, T_ko)) = ṁ_s (h(T_si) − h(T_min))``, implicit in ``T_ko``
  (flag ``source_temperature_limited``); a source that arrives at or below it gives nothing
  (flag ``source_too_cold``).
- ``enabled=False`` switches the unit off: both waters pass unchanged.

Energy closes exactly: ``P_el`` is reported as condenser heat minus evaporator heat, each taken
from the enthalpy change of its water, so ``Q_e + P_el = Q_c`` by construction; the converged
inner iteration makes ``P_el`` equal ``Q_c / COP`` to ~1e-12 relative (tested against the plant
model's :meth:`~thermo.plant.CarnotHeatPump.performance`).

The pass-through/setpoint switch of the condenser is exact, ``max(T_ki, setpoint)`` (as the
boiler's, :func:`thermo.components.heat.exact_max`: sink water above the setpoint gets no heat at
all; only the Newton derivative is eased over 0.01 K above the setpoint); capacity and lift limits
are sharp modes, exact in value and continuous at the switch points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Component,
    Dependency,
    Hydraulics,
    Thermal,
    check_positive,
)
from thermo.components.greenhouse import _pressure_drop
from thermo.components.heat import exact_max
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError
from thermo.plant.heat_pump import CarnotHeatPump, VaporCompressionHeatPump

__all__ = [
    "MIN_SOURCE_TEMPERATURE",
    "HeatPump",
    "HeatPumpSide",
    "from_case",
    "maximum_sink_temperature",
]

MIN_SOURCE_TEMPERATURE = 274.25
"""Default lowest source water temperature leaving the evaporator [K] (1.1 °C, freeze protection).

Trane, *Agility Centrifugal Chiller, Installation, Operation and Maintenance*, HDWA-SVX002C-EN,
Table 9: minimum recommended leaving-water-temperature cutout 34 °F (1.1 °C) for water without
glycol; for glycol solutions the table gives the solution freezing point + 2 °F (1.1 K), e.g.
−6.0 °C for 20 % propylene glycol. Pass ``min_source_temperature`` for a glycol source loop.
"""

_M_FLOOR = 1e-9
"""Smallest |ṁ| [kg/s] used when dividing a heat flow by the flow (zero-flow guard)."""
_MIN_LIFT_FLOOR = 1.0
"""Smallest refrigerant lift [K] at which the COP is evaluated, whatever the model's min_lift."""
_TOL = 1e-11
"""Convergence of the inner evaporator-outlet iteration [K]."""


def maximum_sink_temperature(model: CarnotHeatPump | VaporCompressionHeatPump) -> float:
    """Highest sink outlet temperature of a plant heat-pump model [K].

    Carnot model: its ``max_sink_temperature`` (85 °C by default, the Mäntsälä plant). Cycle
    model: ``T_crit − critical_margin − condenser_approach``, or its ``max_sink_temperature`` if
    lower.
    """
    if isinstance(model, VaporCompressionHeatPump):
        t = model.max_condensing_temperature - model.condenser_approach
        if model.max_sink_temperature is not None:
            t = min(t, model.max_sink_temperature)
        return float(t)
    return float(model.max_sink_temperature)


class HeatPump(Component):
    """An electric heat pump between a source loop (evaporator) and a sink loop (condenser).

    See the module docstring for the equations and limits. Results: both branches report
    ``COP``, ``lift_K`` (refrigerant), ``T_evap_C``, ``T_cond_C``; the condenser row reports
    ``P_el_W`` (compressor electricity) and ``load_fraction``; ``Q_W`` is the heat into each
    water (negative on the evaporator).

    Parameters
    ----------
    source_inlet, source_outlet, sink_inlet, sink_outlet : str
        Nodes of the evaporator (source loop) and condenser (sink loop) branches.
    sink_setpoint : float
        Condenser water outlet temperature to hold [K].
    model : CarnotHeatPump or VaporCompressionHeatPump
        COP model; default ``CarnotHeatPump()`` (0.45 of Carnot on water temperatures, lift
        20–70 K, sink up to 85 °C; ``docs/plant.md``).
    heating_capacity : float or None
        Maximum condenser heat [W]; default the model's ``heating_capacity`` (None = unlimited).
    enabled : bool
        False switches the unit off.
    min_source_temperature : float
        Lowest source water temperature leaving the evaporator [K], default
        :data:`MIN_SOURCE_TEMPERATURE` (1.1 °C, for water; lower it for a glycol loop).
    source_pressure_drop, sink_pressure_drop : (dp_design [Pa], m_design [kg/s]) or None
        Optional ``dp = dp_design (ṁ/ṁ_design)^n`` per side (``pressure_drop_exponent``, default 2).

    ``sink_setpoint``, ``heating_capacity``, ``enabled`` and ``min_source_temperature`` can be
    changed between solves with ``Network.set_parameter``.
    """

    def __init__(
        self,
        name: str,
        *,
        source_inlet: str,
        source_outlet: str,
        sink_inlet: str,
        sink_outlet: str,
        sink_setpoint: float,
        model: CarnotHeatPump | VaporCompressionHeatPump | None = None,
        heating_capacity: float | None = None,
        enabled: bool = True,
        min_source_temperature: float = MIN_SOURCE_TEMPERATURE,
        source_pressure_drop: tuple[float, float] | None = None,
        sink_pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
    ) -> None:
        super().__init__(name)
        model = CarnotHeatPump() if model is None else model
        if not isinstance(model, (CarnotHeatPump, VaporCompressionHeatPump)):
            raise InputError(
                "model must be a thermo.plant CarnotHeatPump or VaporCompressionHeatPump, got "
                f"{model!r}",
                key=f"{name}.model",
            )
        self.model = model
        self.sink_setpoint = check_positive(sink_setpoint, "sink_setpoint", name)
        if self.sink_setpoint < 200.0:
            raise InputError(
                f"sink_setpoint must be in K, got {sink_setpoint!r} (did you pass degC?)",
                key=f"{name}.sink_setpoint",
                value=sink_setpoint,
            )
        cap = model.heating_capacity if heating_capacity is None else heating_capacity
        self.heating_capacity = (
            None if cap is None else check_positive(cap, "heating_capacity", name)
        )
        if not isinstance(enabled, (bool, np.bool_)):
            raise InputError(
                f"enabled must be True or False, got {enabled!r}", key=f"{name}.enabled"
            )
        self.enabled = bool(enabled)
        self.min_source_temperature = check_positive(
            min_source_temperature, "min_source_temperature", name
        )
        if self.min_source_temperature < 200.0:
            raise InputError(
                f"min_source_temperature must be in K, got {min_source_temperature!r} "
                "(did you pass degC?)",
                key=f"{name}.min_source_temperature",
                value=min_source_temperature,
            )
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )
        self.max_sink_temperature = maximum_sink_temperature(model)
        approaches = model.evaporator_approach + model.condenser_approach
        self.max_water_lift = model.max_lift - approaches
        """Largest sink-outlet minus source-outlet water temperature [K]."""
        self.min_lift = max(float(model.min_lift), _MIN_LIFT_FLOOR)
        self.evaporator = HeatPumpSide(
            f"{name}.evaporator", source_inlet, source_outlet, self, source_pressure_drop
        )
        self.condenser = HeatPumpSide(
            f"{name}.condenser", sink_inlet, sink_outlet, self, sink_pressure_drop
        )

    def parts(self) -> list[Branch]:
        """The two branches this heat pump adds to a network."""
        return [self.evaporator, self.condenser]


class HeatPumpSide(Branch):
    """Evaporator or condenser branch of a :class:`HeatPump` (created by it; not used directly)."""

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        unit: HeatPump,
        pressure_drop: tuple[float, float] | None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.unit = unit
        self.dp_design, self.m_design = _pressure_drop(pressure_drop, name)


class _Props:
    """Enthalpy and cp of one loop's coolant for a set of branches (global indices)."""

    def __init__(self, ctx, branches: np.ndarray) -> None:
        self.ctx = ctx
        self.branches = branches

    def __call__(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        st = self.ctx.state_of(self.branches, T)
        return st["h"], st["cp"]

    def temperature(self, h: np.ndarray, guess: np.ndarray) -> np.ndarray:
        T = guess.copy()
        for _ in range(50):
            hh, cp = self(T)
            step = (hh - h) / cp
            T = T - step
            if np.max(np.abs(step), initial=0.0) < 1e-12:
                break
        return T


def _cop(model, T_so: np.ndarray, T_ko: np.ndarray, min_lift: float):
    """COP at water outlets with the refrigerant lift held >= min_lift, and its derivatives.

    Returns (cop, dcop/dT_so, dcop/dT_ko, clamped mask).
    """
    ea, ca = model.evaporator_approach, model.condenser_approach
    lift = (T_ko + ca) - (T_so - ea)
    clamped = lift < min_lift
    T_src = np.where(clamped, T_ko + ca + ea - min_lift, T_so)
    cop = np.asarray(model.cop(T_src, T_ko, strict=False), dtype=float)
    d_s, d_k = (np.asarray(d, dtype=float) for d in model.cop_derivatives(T_src, T_ko))
    return cop, np.where(clamped, 0.0, d_s), np.where(clamped, d_s + d_k, d_k), clamped


def _root(fdf, lo: np.ndarray, hi: np.ndarray, x0: np.ndarray) -> np.ndarray:
    """Root of an increasing function per element on [lo, hi] (Newton, bisection fallback)."""
    a, b = lo.copy(), hi.copy()
    x = np.clip(x0, a, b)
    for _ in range(100):
        f, df = fdf(x)
        pos = f > 0.0
        b = np.where(pos, x, b)
        a = np.where(pos, a, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            xn = x - f / df
        bad = ~((xn >= a) & (xn <= b)) | ~np.isfinite(xn)
        xn = np.where(bad, 0.5 * (a + b), xn)
        done = np.max(np.abs(xn - x), initial=0.0) < _TOL
        x = xn
        if done:
            break
    return x


class HeatPumpSideGroup(BranchGroup):
    parameter_arrays = {
        "sink_setpoint": "T_set",
        "heating_capacity": "cap",
        "enabled": "on",
        "min_source_temperature": "T_min_src",
    }

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        if branch_position is None:
            raise ValueError("heat pump sides need the network's branch positions")
        c = self.components
        self.is_cond = np.array([s is s.unit.condenser for s in c])
        self.partner = np.array(
            [
                branch_position[
                    (s.unit.evaporator if s is s.unit.condenser else s.unit.condenser).name
                ]
                for s in c
            ],
            dtype=np.int64,
        )
        own = self.branch_index
        self.src = np.where(self.is_cond, self.partner, own)
        self.snk = np.where(self.is_cond, own, self.partner)
        self.T_set = np.array([s.unit.sink_setpoint for s in c])
        self.cap = np.array(
            [np.inf if s.unit.heating_capacity is None else s.unit.heating_capacity for s in c]
        )
        self.on = np.array([1.0 if s.unit.enabled else 0.0 for s in c])
        self.T_min_src = np.array([s.unit.min_source_temperature for s in c])
        self.T_max = np.array([s.unit.max_sink_temperature for s in c])
        self.dL = np.array([s.unit.max_water_lift for s in c])
        self.models = [s.unit.model for s in c]
        # units with equal models (frozen dataclasses compare by value, e.g. the copies of a
        # replicated hourly batch) are evaluated in one vectorised call
        groups: dict[Any, list[int]] = {}
        for i, model in enumerate(self.models):
            try:
                key = (model, hash(model))
            except TypeError:
                key = id(model)
            groups.setdefault(key, []).append(i)
        self._model_groups = [
            (self.models[idx[0]], np.array(idx, dtype=np.int64)) for idx in groups.values()
        ]
        self.min_lift = np.array([s.unit.min_lift for s in c])
        self.n = np.array([s.unit.pressure_drop_exponent for s in c])
        self.coef = np.array([s.dp_design / s.m_design**s.unit.pressure_drop_exponent for s in c])
        self.m_lin = np.array([0.01 * s.m_design for s in c])
        self.thermal_dependencies += [
            Dependency("Tup", self.partner),
            Dependency("m", self.partner),
        ]
        self._cache: tuple | None = None

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        return Hydraulics(dp, [ddp, np.zeros_like(dp)])

    # ------------------------------------------------------------------ the unit solution
    def _cop_all(self, T_so, T_ko, mask=None):
        """COP and derivatives for each element, per distinct model (mask: elements wanted)."""
        n = len(T_so)
        cop, ds, dk = np.ones(n), np.zeros(n), np.zeros(n)
        clamped = np.zeros(n, bool)
        for model, members in self._model_groups:
            sel = members if mask is None else members[mask[members]]
            if not len(sel):
                continue
            c, s, k, cl = _cop(model, T_so[sel], T_ko[sel], self.min_lift[sel])
            cop[sel], ds[sel], dk[sel], clamped[sel] = c, s, k, cl
        return cop, ds, dk, clamped

    def solve(self, ctx) -> dict[str, Any]:
        """Outlet temperatures, heats and their derivatives for every side in the group."""
        key = b"".join(
            a.tobytes()
            for a in (ctx.m, ctx.T_up, ctx.cp, self.T_set, self.cap, self.on, self.T_min_src)
        )
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        src, snk = self.src, self.snk
        m_s, m_k = ctx.flows_of(src), ctx.flows_of(snk)
        T_si = ctx.upstream_temperature_of(src)
        T_ki = ctx.upstream_temperature_of(snk)
        Hs, Hk = _Props(ctx, src), _Props(ctx, snk)
        h_si, cp_si = Hs(T_si)
        h_ki, cp_ki = Hk(T_ki)
        am_s = np.maximum(np.abs(m_s), _M_FLOOR)
        am_k = np.maximum(np.abs(m_k), _M_FLOOR)
        sg_s = np.where(np.abs(m_s) > _M_FLOOR, np.sign(m_s), 0.0)
        sg_k = np.where(np.abs(m_k) > _M_FLOOR, np.sign(m_k), 0.0)
        n = len(T_si)
        on = self.on > 0.5
        dL = self.dL
        if not on.any():  # all units off: both waters pass unchanged
            out = self._off(T_si, T_ki)
            self._cache = (key, out)
            return out

        # ---- condenser target (mode A: setpoint, or capacity)
        T_tgt = np.minimum(self.T_set, self.T_max)
        T_A, dTA = exact_max(T_ki, T_tgt)
        h_A, cp_A = Hk(T_A)
        Q_set = am_k * (h_A - h_ki)
        capped = on & (Q_set > self.cap)
        cap = np.where(capped, self.cap, 0.0)
        T_cap = Hk.temperature(h_ki + cap / am_k, T_ki + cap / (am_k * cp_ki))
        _, cp_cap = Hk(T_cap)
        T_ko = np.where(capped, T_cap, T_A)
        Q_c = np.where(capped, cap, Q_set)
        dTko_dTki = np.where(capped, cp_ki / cp_cap, dTA)
        dTko_dmk = np.where(capped, -cap * sg_k / am_k**2 / cp_cap, 0.0)
        # the heat's derivative is exact (0 when passing through, -m cp below the setpoint); only
        # the outlet temperature's entry carries the quasi-Newton ramp of exact_max
        dQ_dTki = np.where(capped | (T_ki > T_tgt), 0.0, -am_k * cp_ki)
        dQ_dmk = np.where(capped, 0.0, sg_k * (h_A - h_ki))

        no_lift = on & (T_si + dL <= T_ki)
        T_min = self.T_min_src
        too_cold = on & ~no_lift & (T_si <= T_min)
        active = on & ~no_lift & ~too_cold

        # ---- evaporator outlet in mode A: r(T) = h(T) - h_si + Q_c (1 - 1/COP(T, T_ko)) / am_s
        T_floor = T_ko - dL  # lowest source outlet with lift <= max

        def r_A(T, mask):
            h, cp = Hs(T)
            cop, ds, _, _ = self._cop_all(T, T_ko, mask)
            f = h - h_si + Q_c * (1.0 - 1.0 / cop) / am_s
            df = cp + Q_c * ds / cop**2 / am_s
            return f, df

        f_floor, _ = r_A(np.minimum(T_floor, T_si), active)
        lift_limited = active & (T_floor < T_si) & (f_floor > 0.0) | active & (T_floor >= T_si)
        mode_a = active & ~lift_limited
        T_so = T_si.copy()
        if mode_a.any():
            lo = np.where(
                mode_a, np.maximum(T_floor, T_si - 1.5 * Q_c / (am_s * cp_si) - 1.0), T_si
            )
            lo = np.minimum(lo, T_si)
            x0 = T_si - Q_c * 0.8 / (am_s * cp_si)
            T_so = np.where(mode_a, _root(lambda T: r_A(T, mode_a), lo, T_si, x0), T_so)

        # ---- max-lift mode: T_ko = T_so + dL, r(T) = h(T) - h_si + am_k (h_k(T+dL) - h_ki)(1 - 1/COP)/am_s
        def r_L(T, mask):
            h, cp = Hs(T)
            hk, cpk = Hk(T + dL)
            cop, ds, dk, _ = self._cop_all(T, T + dL, mask)
            Qc = am_k * (hk - h_ki)
            f = h - h_si + Qc * (1.0 - 1.0 / cop) / am_s
            df = cp + (am_k * cpk * (1.0 - 1.0 / cop) + Qc * (ds + dk) / cop**2) / am_s
            return f, df

        if lift_limited.any():
            lo = np.where(lift_limited, T_ki - dL, T_si)
            hi = np.where(lift_limited, np.minimum(T_si, T_ko - dL), T_si)
            lo = np.minimum(lo, hi)
            T_L = _root(lambda T: r_L(T, lift_limited), lo, hi, 0.5 * (lo + hi))
            T_so = np.where(lift_limited, T_L, T_so)
            T_ko = np.where(lift_limited, T_L + dL, T_ko)
            hL, cpL = Hk(T_ko)
            Q_c = np.where(lift_limited, am_k * (hL - h_ki), Q_c)
        else:
            cpL = np.ones(n)

        # ---- source limit: the source leaves at T_min, r(T_ko) = Q_c(T_ko) g(T_min, T_ko) - Q_e
        src_limited = active & (T_so < T_min)
        h_min, _ = Hs(T_min)
        if src_limited.any():
            Q_e_lim = am_s * (h_si - h_min)

            def r_S(T, mask):
                hk, cpk = Hk(T)
                cop, _, dk_, _ = self._cop_all(T_min, T, mask)
                Qc = am_k * (hk - h_ki)
                return Qc * (1.0 - 1.0 / cop) - Q_e_lim, am_k * cpk * (
                    1.0 - 1.0 / cop
                ) + Qc * dk_ / cop**2

            lo = np.where(src_limited, T_ki, T_ko)
            T_S = _root(lambda T: r_S(T, src_limited), lo, T_ko, 0.5 * (lo + T_ko))
            T_so = np.where(src_limited, T_min, T_so)
            T_ko = np.where(src_limited, T_S, T_ko)
            Q_c = np.where(src_limited, am_k * (Hk(T_ko)[0] - h_ki), Q_c)
        off = ~active
        T_ko = np.where(off, T_ki, T_ko)
        Q_c = np.where(off, 0.0, Q_c)

        # ---- COP at the solution and implicit derivatives
        cop, ds, dk, clamped = self._cop_all(T_so, T_ko, active)
        cop = np.where(active, cop, np.nan)
        g = np.where(active, 1.0 - 1.0 / cop, 0.0)
        Q_e = Q_c * g
        _, cp_so = Hs(T_so)
        # partial derivatives of r with respect to the four unknowns (and R_T = dr/dT_so)
        R_T = np.where(
            lift_limited,
            cp_so + (am_k * cpL * g + Q_c * (ds + dk) / np.where(active, cop, 1.0) ** 2) / am_s,
            cp_so + Q_c * ds / np.where(active, cop, 1.0) ** 2 / am_s,
        )
        r_Tsi = -cp_si
        r_ms = -sg_s * Q_e / am_s**2
        r_Q = g / am_s
        r_Tko = Q_c * dk / np.where(active, cop, 1.0) ** 2 / am_s
        r_Tki = np.where(lift_limited, -am_k * cp_ki * g / am_s, r_Q * dQ_dTki + r_Tko * dTko_dTki)
        r_mk = np.where(
            lift_limited,
            sg_k * (np.where(lift_limited, Hk(T_ko)[0], h_ki) - h_ki) * g / am_s,
            r_Q * dQ_dmk + r_Tko * dTko_dmk,
        )
        dso = {
            "Tsi": -r_Tsi / R_T,
            "ms": -r_ms / R_T,
            "Tki": -r_Tki / R_T,
            "mk": -r_mk / R_T,
        }
        dko = {
            "Tsi": np.where(lift_limited, dso["Tsi"], 0.0),
            "ms": np.where(lift_limited, dso["ms"], 0.0),
            "Tki": np.where(lift_limited, dso["Tki"], dTko_dTki),
            "mk": np.where(lift_limited, dso["mk"], dTko_dmk),
        }
        if src_limited.any():  # T_so fixed at T_min; T_ko from r_S(T_ko) = 0
            h_ko, cp_ko = Hk(T_ko)
            c = np.where(active, cop, 1.0)
            R_S = am_k * cp_ko * g + Q_c * dk / c**2
            R_S = np.where(src_limited, R_S, 1.0)
            for k, v in {
                "Tki": am_k * cp_ki * g / R_S,
                "mk": -sg_k * (h_ko - h_ki) * g / R_S,
                "Tsi": am_s * cp_si / R_S,
                "ms": sg_s * (h_si - h_min) / R_S,
            }.items():
                dko[k] = np.where(src_limited, v, dko[k])
                dso[k] = np.where(src_limited, 0.0, dso[k])
        for d in (dso, dko):
            for k in d:
                d[k] = np.where(active, d[k], 0.0)
        dso["Tsi"] = np.where(active, dso["Tsi"], 1.0)
        dko["Tki"] = np.where(active, dko["Tki"], 1.0)
        out = {
            "T_so": T_so,
            "T_ko": T_ko,
            "dso": dso,
            "dko": dko,
            "cop": cop,
            "capped": capped & mode_a & ~src_limited,
            "lift_limited": lift_limited & ~src_limited,
            "source_limited": src_limited,
            "too_cold": too_cold,
            "no_lift": no_lift,
            "clamped": clamped & active,
            "sink_limited": active & (self.T_set > self.T_max) & (Q_c > 0),
            "T_si": T_si,
            "T_ki": T_ki,
        }
        self._cache = (key, out)
        return out

    @staticmethod
    def _off(T_si: np.ndarray, T_ki: np.ndarray) -> dict[str, Any]:
        n = len(T_si)
        z, one, no = np.zeros(n), np.ones(n), np.zeros(n, bool)
        return {
            "T_so": T_si.copy(),
            "T_ko": T_ki.copy(),
            "dso": {"Tsi": one, "ms": z, "Tki": z, "mk": z},
            "dko": {"Tsi": z, "ms": z, "Tki": one, "mk": z},
            "cop": np.full(n, np.nan),
            "capped": no,
            "lift_limited": no,
            "source_limited": no,
            "too_cold": no,
            "no_lift": no,
            "clamped": no,
            "sink_limited": no,
            "T_si": T_si,
            "T_ki": T_ki,
        }

    def thermal(self, ctx) -> Thermal:
        s = self.solve(ctx)
        c = self.is_cond
        T_exit = np.where(c, s["T_ko"], s["T_so"])
        dso, dko = s["dso"], s["dko"]
        # order: own Tup, own m, partner Tup, partner m
        d_own_T = np.where(c, dko["Tki"], dso["Tsi"])
        d_own_m = np.where(c, dko["mk"], dso["ms"])
        d_par_T = np.where(c, dko["Tsi"], dso["Tki"])
        d_par_m = np.where(c, dko["ms"], dso["mk"])
        h_exit, _ = ctx.enthalpy_cp(T_exit)
        heat = np.abs(ctx.m) * (h_exit - ctx.h)
        return Thermal(T_exit, [d_own_T, d_own_m, d_par_T, d_par_m], heat)

    def _heats(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """(condenser heat, evaporator heat removed) of each side's unit [W], from enthalpies."""
        s = self.solve(ctx)
        Hs, Hk = _Props(ctx, self.src), _Props(ctx, self.snk)
        m_s, m_k = ctx.flows_of(self.src), ctx.flows_of(self.snk)
        Q_c = np.abs(m_k) * (Hk(s["T_ko"])[0] - Hk(s["T_ki"])[0])
        Q_e = np.abs(m_s) * (Hs(s["T_si"])[0] - Hs(s["T_so"])[0])
        return Q_c, Q_e

    def report(self, ctx) -> dict[str, np.ndarray]:
        s = self.solve(ctx)
        Q_c, Q_e = self._heats(ctx)
        ea = np.array([m.evaporator_approach for m in self.models])
        ca = np.array([m.condenser_approach for m in self.models])
        on = np.isfinite(s["cop"])
        T_ev = s["T_so"] - ea
        T_cd = s["T_ko"] + ca
        running = np.isfinite(s["cop"]) & (Q_c > 0.0)
        return {
            "COP": np.where(running, s["cop"], np.nan),
            "P_el_W": np.where(self.is_cond, Q_c - Q_e, np.nan),
            "lift_K": np.where(on, T_cd - T_ev, np.nan),
            "T_evap_C": np.where(on, T_ev - 273.15, np.nan),
            "T_cond_C": np.where(on, T_cd - 273.15, np.nan),
            "load_fraction": np.where(
                self.is_cond & np.isfinite(self.cap),
                Q_c / np.where(np.isfinite(self.cap), self.cap, 1.0),
                np.nan,
            ),
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        s = self.solve(ctx)
        out = []
        for i in np.nonzero(self.is_cond)[0]:
            i = int(i)
            T_ko, T_set = s["T_ko"][i], self.T_set[i]
            if s["capped"][i]:
                out.append(
                    (
                        i,
                        "capacity_limited",
                        f"heat pump at its heating capacity {self.cap[i] / 1e3:.4g} kW: sink out "
                        f"{T_ko - 273.15:.2f} °C below the setpoint {T_set - 273.15:.2f} °C",
                    )
                )
            if s["lift_limited"][i]:
                out.append(
                    (
                        i,
                        "max_lift",
                        f"heat pump at its maximum lift ({self.models[i].max_lift:.1f} K "
                        f"refrigerant): sink out {T_ko - 273.15:.2f} °C, source out "
                        f"{s['T_so'][i] - 273.15:.2f} °C, setpoint {T_set - 273.15:.2f} °C",
                    )
                )
            if s["no_lift"][i]:
                out.append(
                    (
                        i,
                        "no_lift_possible",
                        f"source in at {s['T_si'][i] - 273.15:.2f} °C cannot lift sink water at "
                        f"{s['T_ki'][i] - 273.15:.2f} °C within the maximum lift: unit delivers nothing",
                    )
                )
            if s["sink_limited"][i]:
                out.append(
                    (
                        i,
                        "sink_temperature_limited",
                        f"setpoint {T_set - 273.15:.2f} °C is above the unit's maximum sink "
                        f"temperature {self.T_max[i] - 273.15:.2f} °C",
                    )
                )
            if s["source_limited"][i]:
                out.append(
                    (
                        i,
                        "source_temperature_limited",
                        f"source water leaves at its minimum {self.T_min_src[i] - 273.15:.2f} °C "
                        f"(freeze protection): sink out {T_ko - 273.15:.2f} °C, setpoint "
                        f"{T_set - 273.15:.2f} °C",
                    )
                )
            if s["too_cold"][i]:
                out.append(
                    (
                        i,
                        "source_too_cold",
                        f"source water arrives at {s['T_si'][i] - 273.15:.2f} °C, at or below the "
                        f"minimum {self.T_min_src[i] - 273.15:.2f} °C: unit delivers nothing",
                    )
                )
            if s["clamped"][i]:
                out.append(
                    (
                        i,
                        "below_min_lift",
                        f"refrigerant lift below the model's minimum "
                        f"{self.min_lift[i]:.1f} K: COP held at its value there",
                    )
                )
        return out


HeatPumpSide.group = HeatPumpSideGroup


def from_case(name: str, *, model: Any = None, cycle: Any = None, **kw: Any) -> HeatPump:
    """:class:`HeatPump` from case-file keys: ``model`` (Carnot-fraction sub-table) or ``cycle``
    (CoolProp refrigerant-cycle sub-table), not both."""
    if model is not None and cycle is not None:
        raise InputError(
            "give either `model` (Carnot fraction) or `cycle` (refrigerant cycle), not both",
            key=f"{name}.cycle",
        )
    return HeatPump(name, model=cycle if cycle is not None else model, **kw)
