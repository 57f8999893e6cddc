"""Pipe: Darcy–Weisbach friction, fittings, elevation and optional heat loss to ambient."""

from __future__ import annotations

import warnings

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    Thermal,
    check_nonnegative,
    check_positive,
)
from thermo.errors import InputError

G = 9.80665
"""Standard gravity [m/s²] (CGPM 1901)."""


class Pipe(Branch):
    """A straight pipe with fittings, optional elevation change and optional heat loss.

    Hydraulics (inlet → outlet, mass flow ``m`` [kg/s], reversed flow allowed)::

        p_in - p_out = dp_friction(m) + K_sum * rho v|v| / 2 + rho g (z_out - z_in)

    with the Darcy friction factor of :func:`thermo.correlations.friction.pipe_pressure_drop`
    under the pipe's ``friction_law`` (else the network's, else ``"colebrook"``: laminar 64/Re to
    Re 2300, Colebrook from 2320, see :mod:`thermo.correlations.friction` for what each law does
    in 2300–4000). Properties are those of the fluid entering the pipe (upstream node).

    Heat loss (only when ``heat_transfer_coefficient`` > 0), constant wall-to-ambient coefficient
    ``U`` referred to the inner surface ``π D L`` (the classic exponential solution of
    ``m cp dT/dx = -U π D (T - T_amb)``, e.g. Incropera et al., *Fundamentals of Heat and Mass
    Transfer*, 7th ed., eq. 8.46)::

        T_exit = T_amb + (T_up - T_amb) exp(-U π D L / (|m| cp))

    The heat reported (``Q > 0`` into the fluid) is the enthalpy change ``|m| (h_exit - h_up)``.

    Parameters
    ----------
    name, inlet, outlet
        Component and node names.
    length
        Pipe length [m].
    diameter
        Inner diameter [m].
    roughness
        Absolute wall roughness [m]; default 1.5e-6 m (drawn copper / plastic tube, see
        :data:`thermo.correlations.fittings.ROUGHNESS`).
    k_minor
        Sum of fitting loss coefficients referred to the pipe velocity [-] (bends, tees, entry and
        exit; see :mod:`thermo.correlations.fittings`).
    elevation_change
        Outlet height minus inlet height [m].
    heat_transfer_coefficient
        Overall coefficient from fluid to ambient per inner surface [W/(m²·K)]; 0 = adiabatic.
    ambient_temperature
        Ambient temperature for the heat loss [K]; required when the coefficient is > 0.
    friction_law
        One of :data:`thermo.correlations.friction.FRICTION_LAWS`; ``None`` takes the network's
        ``friction_law`` (default ``"colebrook"``).
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        length: float,
        diameter: float,
        roughness: float = 1.5e-6,
        k_minor: float = 0.0,
        elevation_change: float = 0.0,
        heat_transfer_coefficient: float = 0.0,
        ambient_temperature: float | None = None,
        friction_law: str | None = None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        from thermo.correlations.friction import check_law

        self.friction_law = (
            None if friction_law is None else check_law(friction_law, f"{name}.friction_law")
        )
        self.length = check_positive(length, "length", name)
        self.diameter = check_positive(diameter, "diameter", name)
        self.roughness = check_nonnegative(roughness, "roughness", name)
        self.k_minor = check_nonnegative(k_minor, "k_minor", name)
        self.elevation_change = float(elevation_change)
        self.heat_transfer_coefficient = check_nonnegative(
            heat_transfer_coefficient, "heat_transfer_coefficient", name
        )
        if self.heat_transfer_coefficient > 0:
            if ambient_temperature is None:
                raise InputError(
                    "ambient_temperature is required when heat_transfer_coefficient > 0",
                    key=f"{name}.ambient_temperature",
                )
            ambient_temperature = check_positive(ambient_temperature, "ambient_temperature", name)
        self.ambient_temperature = ambient_temperature
        if self.roughness / self.diameter > 0.05:
            raise InputError(
                f"relative roughness {self.roughness / self.diameter:.3g} exceeds 0.05, the range of "
                "the Colebrook equation (Moody chart); check roughness and diameter units",
                key=f"{name}.roughness",
                value=roughness,
            )


class PipeGroup(BranchGroup):
    """All pipes of a network, evaluated at once."""

    parameter_arrays = {"ambient_temperature": "t_amb"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.length = np.array([p.length for p in c])
        self.diameter = np.array([p.diameter for p in c])
        self.roughness = np.array([p.roughness for p in c])
        self.k_minor = np.array([p.k_minor for p in c])
        self.dz = np.array([p.elevation_change for p in c])
        self.ua = np.array([p.heat_transfer_coefficient * np.pi * p.diameter * p.length for p in c])
        self.t_amb = np.array([p.ambient_temperature or 0.0 for p in c])
        self.lossy = self.ua > 0
        self.set_default_friction_law(None)

    def set_default_friction_law(self, law: str | None) -> None:
        """The law of pipes that name none (the network's ``friction_law``, else the default)."""
        from thermo.correlations.friction import DEFAULT_FRICTION_LAW

        fallback = law or DEFAULT_FRICTION_LAW
        laws = [p.friction_law or fallback for p in self.components]
        # one law for all pipes (the usual case) is passed as a name: the friction factor then
        # needs no per-law selection
        self.law = laws[0] if len(set(laws)) == 1 else np.array(laws, dtype=object)

    def _drop(self, ctx):
        from thermo.correlations.friction import pipe_pressure_drop

        # iterates may pass through flows far from the solution: the range of the friction
        # correlation is judged on the solved state, as a flag (see :meth:`flags`)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pipe_pressure_drop(
                ctx.m,
                self.diameter,
                self.length,
                self.roughness,
                ctx.rho,
                ctx.mu,
                self.k_minor,
                self.law,
            )

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        """``friction_extrapolated`` where Re exceeds the Moody chart (1e8)."""
        from thermo.correlations.friction import MAX_REYNOLDS

        re = 4.0 * np.abs(ctx.m) / (np.pi * self.diameter * ctx.mu)
        return [
            (
                int(i),
                "friction_extrapolated",
                f"Reynolds number {re[i]:.3g} exceeds {MAX_REYNOLDS:.0e}, the range of the Moody "
                "chart; the Colebrook friction factor is extrapolated",
            )
            for i in np.nonzero(re > MAX_REYNOLDS)[0]
        ]

    def hydraulics(self, ctx) -> Hydraulics:
        d = self._drop(ctx)
        dp = d.dp + ctx.rho * G * self.dz
        d_dT = d.ddp_drho * ctx.drho_dT + d.ddp_dmu * ctx.dmu_dT + G * self.dz * ctx.drho_dT
        return Hydraulics(dp, [d.ddp_dm, d_dT])

    def thermal(self, ctx) -> Thermal:
        T_up = ctx.T_up
        if not self.lossy.any():
            ones = np.ones_like(T_up)
            zeros = np.zeros_like(T_up)
            return Thermal(T_up.copy(), [ones, zeros], zeros)
        am = np.maximum(np.abs(ctx.m), 1e-300)
        beta = np.where(self.lossy, self.ua / (am * ctx.cp), 0.0)
        decay = np.exp(-beta)
        dT = T_up - self.t_amb
        T_exit = np.where(self.lossy, self.t_amb + dT * decay, T_up)
        dbeta_dT = -beta / ctx.cp * ctx.dcp_dT
        d_dTup = np.where(self.lossy, decay - dT * decay * dbeta_dT, 1.0)
        m_safe = np.where(ctx.m == 0.0, 1.0, ctx.m)
        d_dm = np.where(self.lossy & (ctx.m != 0.0), dT * decay * beta / m_safe, 0.0)
        h_exit, _ = ctx.enthalpy_cp(T_exit)
        heat = np.abs(ctx.m) * (h_exit - ctx.h)
        return Thermal(T_exit, [d_dTup, d_dm], heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        d = self._drop(ctx)
        return {
            "velocity_m_s": d.velocity,
            "Re": d.reynolds,
            "friction_factor": d.friction,
        }


Pipe.group = PipeGroup
