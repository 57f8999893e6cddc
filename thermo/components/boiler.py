"""Boiler as a network branch: top-up heating to a supply setpoint (the Manitoba arrangement).

The branch raises the water entering it to ``setpoint`` — the ideal :class:`~thermo.network.Cooler`
turned into a heater — capped by ``capacity``. Water that arrives at or above the setpoint passes
unchanged, so water preheated by data-centre heat saves fuel. Fuel, efficiency and CO₂ come from
the plant models of :mod:`thermo.plant.boiler` (:class:`~thermo.plant.GasBoiler` with its condensing
curve evaluated at the boiler's *inlet* (return) temperature, or
:class:`~thermo.plant.ElectricBoiler`); see ``docs/plant.md`` for their sources and ranges.
"""

from __future__ import annotations

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    Thermal,
    check_nonnegative,
    check_positive,
)
from thermo.components.greenhouse import _pressure_drop
from thermo.components.heat import SMOOTHING_K, exact_max
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError, RangeError
from thermo.plant.boiler import ElectricBoiler, GasBoiler, gas_co2, gas_volume

__all__ = ["SMOOTHING_K", "Boiler", "exact_max"]

_M_FLOOR = 1e-9
"""Smallest |ṁ| [kg/s] used when dividing a heat flow by the flow (zero-flow guard)."""


class Boiler(Branch):
    """A boiler in top-up mode: raises its inlet water to ``setpoint`` [K], capped by capacity.

    ``T_out = max(T_in, setpoint)`` exactly (:func:`~thermo.components.heat.exact_max`: only
    the Newton derivative is eased over 0.01 K above the setpoint), unless the heat
    ``ṁ (h(setpoint) − h(T_in))`` exceeds ``capacity``: then ``Q = capacity`` and the outlet
    stays below the setpoint (flag ``capacity_limited``). Disabled (``enabled=False``) it passes
    the water unchanged. No pressure drop unless ``pressure_drop=(dp_design, m_design)`` is given.

    Reported per solve (``result.components``): ``Q_W`` (heat into the water), ``fuel_W`` (gas HHV
    power for a gas boiler, electricity for an electric one), ``efficiency`` (at the inlet =
    return temperature), ``gas_m3_s`` (gas boilers), ``co2_kg_s``, ``load_fraction``.

    Parameters
    ----------
    setpoint : float
        Supply temperature to reach [K].
    boiler : GasBoiler or ElectricBoiler
        Plant model for efficiency, fuel and CO₂; default ``GasBoiler()`` (condensing, HHV).
    capacity : float or None
        Maximum heat output [W]; default the plant model's ``capacity`` (None = unlimited).
    enabled : bool
        False switches the boiler off (the water passes unchanged).
    grid_co2_per_J : float or None
        CO₂ of electricity [kg/J] for an :class:`~thermo.plant.ElectricBoiler`; without it the
        CO₂ column is NaN (no default grid factor is assumed).

    ``setpoint``, ``capacity`` and ``enabled`` can be changed between solves with
    ``Network.set_parameter``. The gas boiler's efficiency curve is valid for returns 10–95 °C:
    outside, ``efficiency``, ``fuel_W`` and ``co2_kg_s`` are NaN and the result carries the flag
    ``efficiency_out_of_range`` (never an extrapolated efficiency).
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        setpoint: float,
        boiler: GasBoiler | ElectricBoiler | None = None,
        capacity: float | None = None,
        enabled: bool = True,
        grid_co2_per_J: float | None = None,
        pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.setpoint = check_positive(setpoint, "setpoint", name)
        if self.setpoint < 200.0:
            raise InputError(
                f"setpoint must be in K, got {setpoint!r} (did you pass degC?)",
                key=f"{name}.setpoint",
                value=setpoint,
            )
        boiler = GasBoiler() if boiler is None else boiler
        if not isinstance(boiler, (GasBoiler, ElectricBoiler)):
            raise InputError(
                f"boiler must be a thermo.plant GasBoiler or ElectricBoiler, got {boiler!r}",
                key=f"{name}.boiler",
            )
        self.boiler = boiler
        cap = boiler.capacity if capacity is None else capacity
        self.capacity = None if cap is None else check_positive(cap, "capacity", name)
        if not isinstance(enabled, (bool, np.bool_)):
            raise InputError(
                f"enabled must be True or False, got {enabled!r}", key=f"{name}.enabled"
            )
        self.enabled = bool(enabled)
        self.grid_co2_per_J = (
            None
            if grid_co2_per_J is None
            else check_nonnegative(grid_co2_per_J, "grid_co2_per_J", name)
        )
        self.dp_design, self.m_design = _pressure_drop(pressure_drop, name)
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )


class BoilerGroup(BranchGroup):
    parameter_arrays = {"setpoint": "T_set", "capacity": "cap", "enabled": "on"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.T_set = np.array([b.setpoint for b in c])
        self.cap = np.array([np.inf if b.capacity is None else b.capacity for b in c])
        self.on = np.array([1.0 if b.enabled else 0.0 for b in c])
        self.n = np.array([b.pressure_drop_exponent for b in c])
        self.coef = np.array([b.dp_design / b.m_design**b.pressure_drop_exponent for b in c])
        self.m_lin = np.array([0.01 * b.m_design for b in c])

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        return Hydraulics(dp, [ddp, np.zeros_like(dp)])

    def _solve(self, ctx):
        on = self.on > 0.5
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        # T_target = max(T_up, T_set) exactly (quasi-Newton derivative just above the setpoint)
        T_target, d_target = exact_max(ctx.T_up, self.T_set)
        h_target, _ = ctx.enthalpy_cp(T_target)
        duty = am * (h_target - ctx.h)  # heat to reach the setpoint, >= 0
        capped = on & (duty > self.cap)
        T_exit = np.where(on, T_target, ctx.T_up)
        d_dT = np.where(on, d_target, 1.0)
        d_dm = np.zeros_like(T_exit)
        if capped.any():
            cap = np.where(capped, self.cap, 0.0)
            guess = ctx.T_up + cap / (am * ctx.cp)
            T_cap = ctx.temperature_from_enthalpy(ctx.h + cap / am, guess)[0]
            _, cp_cap = ctx.enthalpy_cp(T_cap)
            T_exit = np.where(capped, T_cap, T_exit)
            d_dT = np.where(capped, ctx.cp / cp_cap, d_dT)
            moving = np.abs(ctx.m) > _M_FLOOR
            d_dm = np.where(capped & moving, -cap * np.sign(ctx.m) / am**2 / cp_cap, 0.0)
        return T_exit, d_dT, d_dm, capped

    def thermal(self, ctx) -> Thermal:
        T_exit, d_dT, d_dm, _ = self._solve(ctx)
        h_exit, _ = ctx.enthalpy_cp(T_exit)
        heat = np.abs(ctx.m) * (h_exit - ctx.h)
        return Thermal(T_exit, [d_dT, d_dm], heat)

    def _efficiency(self, T_return: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Efficiency per boiler at its inlet temperature; NaN (and False) outside the curve."""
        eta = np.full(len(self.components), np.nan)
        ok = np.zeros(len(self.components), bool)
        for i, b in enumerate(self.components):
            try:
                eta[i] = float(b.boiler.efficiency(float(T_return[i])))
                ok[i] = True
            except RangeError:
                pass
        return eta, ok

    def report(self, ctx) -> dict[str, np.ndarray]:
        T_exit, _, _, _ = self._solve(ctx)
        h_exit, _ = ctx.enthalpy_cp(T_exit)
        Q = np.abs(ctx.m) * (h_exit - ctx.h)
        Qp = np.maximum(Q, 0.0)
        eta, _ = self._efficiency(ctx.T_up)
        fuel = Qp / eta
        gas = np.full(len(Q), np.nan)
        co2 = np.full(len(Q), np.nan)
        for i, b in enumerate(self.components):
            if not np.isfinite(fuel[i]):
                continue
            if isinstance(b.boiler, GasBoiler):
                gas[i] = gas_volume(fuel[i], b.boiler.hhv)
                co2[i] = gas_co2(gas[i], b.boiler.co2_per_m3)
            elif b.grid_co2_per_J is not None:
                co2[i] = fuel[i] * b.grid_co2_per_J
        return {
            "fuel_W": fuel,
            "efficiency": eta,
            "gas_m3_s": gas,
            "co2_kg_s": co2,
            "setpoint_C": self.T_set - 273.15,
            "load_fraction": np.where(np.isfinite(self.cap), Qp / self.cap, np.nan),
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        T_exit, _, _, capped = self._solve(ctx)
        _, ok = self._efficiency(ctx.T_up)
        out = []
        for i in np.nonzero(capped)[0]:
            out.append(
                (
                    int(i),
                    "capacity_limited",
                    f"boiler at its capacity {self.cap[i] / 1e3:.4g} kW: outlet "
                    f"{T_exit[i] - 273.15:.2f} °C below its setpoint {self.T_set[i] - 273.15:.2f} °C",
                )
            )
        for i in np.nonzero(~ok & (self.on > 0.5))[0]:
            out.append(
                (
                    int(i),
                    "efficiency_out_of_range",
                    f"return {ctx.T_up[i] - 273.15:.2f} °C is outside the boiler efficiency curve "
                    "(10–95 °C): fuel and CO2 not reported",
                )
            )
        return out


Boiler.group = BoilerGroup
