"""Dry cooler in a network: the water side as a branch, fans as a controllable speed.

:class:`DryCooler` wraps :func:`thermo.correlations.dry_cooler.leaving_water_temperature`
(air-side crossflow, both fluids unmixed, ε-NTU; film conductances ``hA ∝ ṁⁿ`` on both sides from
the rating point; fan laws). Thermal law of the branch::

    Q = ε C_min (T_up - T_amb),   C_water = |m| cp(T_up),
    C_air = ρ_air(T_amb) V_air,design · speed · c_p,air,   h_exit = h_up - Q/|m|

i.e. ``T_exit = T_up - ε C_min (T_up - T_amb)/C_water`` with the water's enthalpy balanced exactly
(as :class:`~thermo.components.heat_exchanger.HeatExchanger` does), with derivatives with respect to ``T_up`` (``1 - ε C_min/C_water`` plus the small effect of cp(T)),
``m`` and ``speed`` (analytic, from the correlation). Heat reported (``Q < 0``: rejected to air) is
the enthalpy change ``|m| (h(T_exit) - h(T_up))``.

Fan speed is controllable: a :class:`~thermo.network.controls.Control` on ``speed`` with a
:class:`~thermo.network.controls.NodeTemperature` target on the outlet node holds the leaving water
temperature (:meth:`DryCooler.leaving_temperature_control`); it saturates at full speed (and at the
rating's minimum speed) and the results then flag the control ``saturated``. Newton iterates and
the unconstrained solution a saturating control starts from may need speeds outside [0, 1]: the
law is continued beyond full speed by an exponential approach to the ambient temperature (C¹, the
water never leaves colder than the air) and below zero linearly; reported fan power uses the speed
clipped to [0, 1]. A leaving-water setpoint at or below the ambient dry-bulb temperature is
physically unreachable and has no continued solution either: the solve then fails to converge.

Optional water-side pressure drop ``dp = dp_design (m/m_design)^n`` (default n = 2, C¹ blend below
1 % of the design flow), independent of temperature.

Results columns: ``fan_power_W``, ``speed``, ``T_ambient_C``, ``effectiveness``, ``UA_W_K``,
``m_air_kg_s``.
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
    check_positive,
)
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError

__all__ = ["DryCooler"]

_CP_STEP = 1e-6
"""Relative cp step of the central difference that gives ∂T_exit/∂cp [-] (the correlation gives
analytic derivatives in flow and speed only; cp(T) changes by ~0.1 %/K, so this term is small)."""


class DryCooler(Branch):
    """Water side of a dry cooler (see module docstring).

    Parameters
    ----------
    name, inlet, outlet
        Component and node names (water side).
    rating
        :class:`~thermo.correlations.dry_cooler.DryCoolerRating` (datasheet rating point, air flow,
        fan power, film laws).
    ambient_temperature
        Ambient dry-bulb temperature [K] (updatable with ``Network.set_parameter``).
    speed
        Fan speed as a fraction of full speed [-], in [0, 1] (controllable).
    pressure_drop
        Water-side ``(dp_design [Pa], m_design [kg/s])`` or None (no pressure drop).
    pressure_drop_exponent
        Exponent of the water-side pressure law [-], in [1, 3).
    """

    controllable = ("speed",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        rating: Any,
        ambient_temperature: float,
        speed: float = 1.0,
        pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
    ) -> None:
        from thermo.correlations.dry_cooler import DryCoolerRating

        super().__init__(name, inlet, outlet)
        if not isinstance(rating, DryCoolerRating):
            raise InputError(
                f"rating must be a DryCoolerRating, got {type(rating).__name__}",
                key=f"{name}.rating",
            )
        self.rating = rating
        self.ambient_temperature = check_positive(ambient_temperature, "ambient_temperature", name)
        self.speed = check_fraction(speed, "speed", name)
        if pressure_drop is None:
            self.dp_design, self.m_design = 0.0, 1.0
        else:
            try:
                dp, m = pressure_drop
            except (TypeError, ValueError):
                raise InputError(
                    f"pressure_drop must be (dp_design [Pa], m_design [kg/s]), got {pressure_drop!r}",
                    key=f"{name}.pressure_drop",
                ) from None
            self.dp_design = check_positive(dp, "pressure_drop[0]", name)
            self.m_design = check_positive(m, "pressure_drop[1]", name)
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )

    def leaving_temperature_control(
        self, setpoint: float, *, name: str | None = None, initial: float | None = None
    ):
        """A :class:`~thermo.network.controls.Control` holding the outlet node at ``setpoint`` [K]
        with the fan speed, bounded by the rating's minimum speed and full speed."""
        from thermo.network.controls import Control, NodeTemperature

        check_positive(setpoint, "setpoint", self.name)
        return Control(
            name or f"{self.name}.fan_control",
            component=self.name,
            parameter="speed",
            target=NodeTemperature(self.outlet, float(setpoint)),
            lower=self.rating.speed_min,
            upper=1.0,
            initial=initial,
        )


class DryCoolerGroup(BranchGroup):
    parameter_arrays = {"ambient_temperature": "T_amb", "speed": "speed"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.T_amb = np.array([d.ambient_temperature for d in c])
        self.speed = np.array([d.speed for d in c])
        self.n = np.array([d.pressure_drop_exponent for d in c])
        self.coef = np.array([d.dp_design / d.m_design**d.pressure_drop_exponent for d in c])
        self.m_lin = np.array([0.01 * d.m_design for d in c])
        # dry coolers sharing one rating object are evaluated in one call
        # (a frozen dataclass: equal ratings, e.g. the copies of a replicated hourly batch,
        # share a key)
        batches: dict[Any, list[int]] = {}
        for i, d in enumerate(c):
            batches.setdefault(d.rating, []).append(i)
        self.batches = [
            (c[idx[0]].rating, np.array(idx, dtype=np.int64)) for idx in batches.values()
        ]

    def _speed(self, ctx) -> np.ndarray:
        return ctx.control(self.control_index, self.speed)

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        z = np.zeros_like(dp)
        return Hydraulics(dp, [ddp, z] + [z] * (len(self.hydraulic_dependencies) - 2))

    def _state(self, T_in, m_abs, speed, cp):
        """Correlation evaluated per rating, with the speed clipped to [0, 1]."""
        from thermo.correlations.dry_cooler import leaving_water_temperature

        n = len(T_in)
        out = {k: np.empty(n) for k in ("T", "dT_dm", "dT_ds", "eps", "UA", "P", "m_air")}
        for rating, idx in self.batches:
            st = leaving_water_temperature(
                T_in[idx], m_abs[idx], self.T_amb[idx], speed[idx], rating, cp=cp[idx]
            )
            out["T"][idx] = st.T_water_out
            out["dT_dm"][idx] = np.nan_to_num(st.dT_out_dm_water)
            out["dT_ds"][idx] = st.dT_out_dspeed
            out["eps"][idx] = st.effectiveness
            out["UA"][idx] = st.UA
            out["P"][idx] = st.P_fan
            out["m_air"][idx] = st.m_air
        return out

    def _extended(self, T_in, m_abs, u, cp):
        """Correlation exit temperature, continued beyond the speed range [0, 1].

        Above full speed the exit approaches the ambient temperature exponentially,
        ``T = T_amb + (T_1 - T_amb) exp(-k (u - 1))`` with ``k`` matching the slope at ``u = 1`` (C¹,
        never below ambient); below zero speed it continues linearly (the coil would heat). Returns
        the temperature, ``∂T/∂u`` and the correlation state at the clipped speed.
        """
        s = np.clip(u, 0.0, 1.0)
        st = self._state(T_in, m_abs, s, cp)
        T_s, d_s = st["T"], st["dT_ds"]
        D1 = T_s - self.T_amb
        above = (u > 1.0) & (np.abs(D1) > 1e-12)
        k = np.where(above, -d_s / np.where(above, D1, 1.0), 0.0)
        E = np.exp(-k * np.maximum(u - 1.0, 0.0))
        T = np.where(above, self.T_amb + D1 * E, T_s + d_s * (u - s))
        dT_du = np.where(above, d_s * E, d_s)
        return T, dT_du, st

    def _exit(self, ctx):
        """Exit temperature of the correlation and its derivatives w.r.t. T_up, m and speed."""
        u = self._speed(ctx)
        am = np.abs(ctx.m)
        cp = ctx.cp
        T_corr, d_du, st = self._extended(ctx.T_up, am, u, cp)
        # at fixed cp, T - T_amb is proportional to T_up - T_amb in every regime (ε, the fan
        # law and its continuation do not depend on the temperatures): slope = ratio
        dT_in = ctx.T_up - self.T_amb
        near = np.abs(dT_in) < 1e-6
        if near.any():  # the ratio is 0/0 at T_up = T_amb: take it 1 K above ambient
            T_probe = self._extended(np.where(near, self.T_amb + 1.0, ctx.T_up), am, u, cp)[0]
            slope_near = T_probe - self.T_amb
        else:
            slope_near = np.ones_like(dT_in)
        slope = np.where(near, slope_near, (T_corr - self.T_amb) / np.where(near, 1.0, dT_in))
        plus = self._extended(ctx.T_up, am, u, cp * (1 + _CP_STEP))[0]
        minus = self._extended(ctx.T_up, am, u, cp * (1 - _CP_STEP))[0]
        d_dTup = slope + (plus - minus) / (2 * _CP_STEP * cp) * ctx.dcp_dT
        d_dm = st["dT_dm"]
        outside = (u < 0.0) | (u > 1.0)
        if outside.any():  # continuation: flow derivative by central difference
            h = 1e-6 * np.maximum(am, 1e-3)
            plus = self._extended(ctx.T_up, am + h, u, cp)[0]
            minus = self._extended(ctx.T_up, np.maximum(am - h, 0.0), u, cp)[0]
            d_fd = (plus - minus) / (am + h - np.maximum(am - h, 0.0))
            d_dm = np.where(outside, d_fd, d_dm)
        return T_corr, d_dTup, d_dm * np.sign(ctx.m), d_du, st, np.clip(u, 0.0, 1.0)

    def thermal(self, ctx) -> Thermal:
        # duty of the correlation (capacity rate with cp at the inlet, as the ε-NTU method has it);
        # the water leaves with the enthalpy h_up - Q/|m| (exact energy balance, as HeatExchanger)
        T_corr, d_dTup, d_dm, d_ds, _, _ = self._exit(ctx)
        cp = ctx.cp
        drop = ctx.T_up - T_corr
        h_exit = ctx.h - cp * drop
        T_exit, inside = ctx.temperature_from_enthalpy(h_exit, T_corr)
        _, cp_exit = ctx.enthalpy_cp(T_exit)
        cp_exit = np.where(inside, cp_exit, np.inf)  # clipped exits: zero derivatives
        derivs = [
            (cp * d_dTup - ctx.dcp_dT * drop) / cp_exit,
            cp * d_dm / cp_exit,
        ]
        if len(self.thermal_dependencies) > 2:
            derivs.append(cp * d_ds / cp_exit)
        h_out, _ = ctx.enthalpy_cp(T_exit)
        heat = np.abs(ctx.m) * (h_out - ctx.h)
        return Thermal(T_exit, derivs, heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        _, _, _, _, st, s = self._exit(ctx)
        return {
            "speed": s,
            "fan_power_W": st["P"],
            "T_ambient_C": self.T_amb - 273.15,
            "effectiveness": st["eps"],
            "UA_W_K": st["UA"],
            "m_air_kg_s": st["m_air"],
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        for i in range(len(self.components)):
            if ctx.m[i] < 0:
                out.append((i, "reverse_flow", "flow runs backwards through the dry cooler"))
            if ctx.T_up[i] < self.T_amb[i]:
                out.append(
                    (
                        i,
                        "heating_from_ambient",
                        f"water enters at {ctx.T_up[i] - 273.15:.2f} °C, below the ambient "
                        f"{self.T_amb[i] - 273.15:.2f} °C: the coil heats the water",
                    )
                )
        return out


DryCooler.group = DryCoolerGroup
