"""Heat sources and sinks on a branch: fixed heat load, ideal cooler holding an outlet temperature."""

from __future__ import annotations

import numpy as np

from thermo.components.base import Branch, BranchGroup, Hydraulics, Thermal, check_positive

_M_FLOOR = 1e-9
"""Smallest |m| [kg/s] used when dividing a heat flow by the mass flow (zero-flow guard)."""
SMOOTHING_K = 0.01
"""Width [K] of the band on the pass-through side of an ideal cooler's (or heater's) setpoint over
which the *Jacobian entry* of its outlet temperature (not the outlet temperature itself, which is
exact) ramps from 0 (holding the setpoint) to 1 (passing through)."""


def exact_min(t: np.ndarray, t_set: np.ndarray, width: float = SMOOTHING_K):
    """``min(t, t_set)`` exactly, with a derivative for Newton's method.

    Returns the value and the derivative used in the Jacobian. The value is the exact minimum:
    an ideal cooler whose inlet is below its setpoint removes no heat at all, and one above it
    leaves exactly at the setpoint. The derivative is exact (0) on the holding side, including
    the tie ``t == t_set``, so a loop whose only temperature reference is the cooler stays
    regular even with no load (it then settles exactly on the setpoint). On the pass-through
    side it ramps linearly from 0 at the setpoint to 1 at ``width`` below it: a quasi-Newton
    entry that keeps the Jacobian regular while an iterate dips just below the setpoint (the
    converged state is not affected, only the path to it).
    """
    d = t - t_set
    val = np.minimum(t, t_set)
    der = np.where(d >= 0.0, 0.0, np.minimum(-d / width, 1.0))
    return val, der


def exact_max(t: np.ndarray, t_set: np.ndarray, width: float = SMOOTHING_K):
    """``max(t, t_set)`` exactly, with a derivative for Newton's method (mirror of
    :func:`exact_min`, for heaters: boilers, a heat pump's condenser).

    The value is the exact maximum: a heater whose inlet is above its setpoint adds no heat at
    all, and one below it leaves exactly at the setpoint. The derivative is exact (0) on the
    heating side, including the tie; on the pass-through side it ramps linearly from 0 at the
    setpoint to 1 at ``width`` above it (a quasi-Newton entry: the converged state is exact,
    only the path to it is eased).
    """
    d = t - t_set
    val = np.maximum(t, t_set)
    der = np.where(d <= 0.0, 0.0, np.minimum(d / width, 1.0))
    return val, der


def _no_dp(ctx, n_deps: int) -> Hydraulics:
    z = np.zeros_like(ctx.m)
    return Hydraulics(z, [z] * n_deps)


class HeatLoad(Branch):
    """A fixed heat flow ``heat`` [W] into the fluid (negative to remove heat); no pressure drop.

    ``h_exit = h_up + Q / |m|`` exactly (the enthalpy of the fluid leaving), so energy closes to
    the precision of the enthalpy inversion. With (nearly) zero flow the exit temperature runs away;
    beyond the range in which the coolant can be evaluated it is clipped, the heat actually
    delivered (``|m| (h_exit - h_up)``, less than ``heat``) is reported, and the result flags the
    load ``heat_not_delivered`` (its exit may mix into a larger flow, so that no node temperature
    shows it). ``heat`` is controllable.
    """

    controllable = ("heat",)

    def __init__(self, name: str, inlet: str, outlet: str, *, heat: float) -> None:
        super().__init__(name, inlet, outlet)
        if isinstance(heat, bool) or not isinstance(heat, (int, float)) or not np.isfinite(heat):
            from thermo.errors import InputError

            raise InputError(f"heat must be a finite number [W], got {heat!r}", key=f"{name}.heat")
        self.heat = float(heat)


class HeatLoadGroup(BranchGroup):
    parameter_arrays = {"heat": "q"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.q = np.array([c.heat for c in self.components])

    def hydraulics(self, ctx) -> Hydraulics:
        return _no_dp(ctx, len(self.hydraulic_dependencies))

    def thermal(self, ctx) -> Thermal:
        q = ctx.control(self.control_index, self.q)
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        h_exit = ctx.h + q / am
        T_exit, inside = ctx.temperature_from_enthalpy(h_exit, ctx.T_up + q / (am * ctx.cp))
        h_at_exit, cp_exit = ctx.enthalpy_cp(T_exit)
        d_dTup = np.where(inside, ctx.cp / cp_exit, 0.0)
        d_dm = np.where(
            inside & (np.abs(ctx.m) > _M_FLOOR), -q * np.sign(ctx.m) / am**2 / cp_exit, 0.0
        )
        derivs = [d_dTup, d_dm]
        if len(self.thermal_dependencies) > 2:
            derivs.append(np.where(inside, 1.0 / (am * cp_exit), 0.0))
        heat = np.where(inside, q, np.abs(ctx.m) * (h_at_exit - ctx.h))
        return Thermal(T_exit, derivs, heat)

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        th = self.thermal(ctx)
        q = ctx.control(self.control_index, self.q)
        short = np.abs(th.heat - q) > 1e-9 * np.maximum(np.abs(q), 1.0)
        return [
            (
                int(i),
                "heat_not_delivered",
                f"exit temperature beyond the range of the coolant ({th.T_exit[i] - 273.15:.1f} °C "
                f"clipped): {th.heat[i]:.4g} W of the specified {q[i]:.4g} W reach the fluid; "
                f"the flow ({abs(ctx.m[i]):.3g} kg/s) is too small for this heat",
            )
            for i in np.nonzero(short)[0]
        ]


HeatLoad.group = HeatLoadGroup


class Cooler(Branch):
    """An ideal cooler: the fluid leaves at ``outlet_temperature`` [K] whatever enters.

    If the fluid enters colder than the setpoint it passes unchanged (a cooler does not heat):
    the heat removed is exactly ``max(0, m (h(T_in) - h(setpoint)))`` (:func:`exact_min`), so a
    loop with no load settles on the setpoint and removes nothing.
    With a ``capacity`` [W] the heat removed is capped; the result then flags the cooler as
    saturated. The duty (``Q < 0``, heat leaving the fluid) is reported. No pressure drop.
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        outlet_temperature: float,
        capacity: float | None = None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.outlet_temperature = check_positive(outlet_temperature, "outlet_temperature", name)
        self.capacity = None if capacity is None else check_positive(capacity, "capacity", name)


class CoolerGroup(BranchGroup):
    parameter_arrays = {"outlet_temperature": "T_set", "capacity": "cap"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.T_set = np.array([c.outlet_temperature for c in self.components])
        self.cap = np.array([np.inf if c.capacity is None else c.capacity for c in self.components])

    def hydraulics(self, ctx) -> Hydraulics:
        return _no_dp(ctx, len(self.hydraulic_dependencies))

    def thermal(self, ctx) -> Thermal:
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        # T_exit = min(T_up, T_set) exactly (quasi-Newton derivative just below the setpoint)
        T_exit, d_dTup = exact_min(ctx.T_up, self.T_set)
        h_target, _ = ctx.enthalpy_cp(T_exit)
        duty = am * (ctx.h - h_target)  # heat removed (> 0 when cooling)
        capped = duty > self.cap
        d_dm = np.zeros_like(T_exit)
        if capped.any():
            cap = np.where(capped, self.cap, 0.0)
            guess = ctx.T_up - cap / (am * ctx.cp)
            T_cap = ctx.temperature_from_enthalpy(ctx.h - cap / am, guess)[0]
            _, cp_cap = ctx.enthalpy_cp(T_cap)
            T_exit = np.where(capped, T_cap, T_exit)
            d_dTup = np.where(capped, ctx.cp / cp_cap, d_dTup)
            d_dm = np.where(capped, cap * np.sign(ctx.m) / am**2 / cp_cap, 0.0)
        h_exit, _ = ctx.enthalpy_cp(T_exit)
        heat = np.abs(ctx.m) * (h_exit - ctx.h)
        self._capped = capped
        return Thermal(T_exit, [d_dTup, d_dm], heat)

    def flags(self, ctx):
        th = self.thermal(ctx)
        del th
        return [
            (int(i), "saturated", "cooler at its capacity: outlet above its setpoint")
            for i in np.nonzero(self._capped)[0]
        ]


Cooler.group = CoolerGroup
