"""Valve or orifice: flow coefficient Kv (or loss coefficient K) with an opening characteristic."""

from __future__ import annotations

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    adiabatic_thermal,
    check_fraction,
    check_positive,
)
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError

KV_REFERENCE_DP = 1e5
"""Pressure drop of the Kv definition [Pa]: Kv is the flow in m³/h of water at 1 bar (IEC 60534-1)."""
KV_REFERENCE_DENSITY = 1000.0
"""Water density of the Kv definition [kg/m³] (IEC 60534-1; VDI/VDE 2173)."""
DEFAULT_RANGEABILITY = 50.0
"""Kv_max / Kv_min of a control valve [-]; 50 is typical of globe control valves (VDI/VDE 2173)."""


def kv_from_k(k: float, diameter: float) -> float:
    """Kv [m³/h] equivalent to loss coefficient ``k`` [-] referred to ``diameter`` [m].

    Equating ``dp = k rho v²/2`` with the Kv definition ``dp = dp_ref (rho/rho_ref) (V/Kv)²``
    gives ``Kv = 3600 A sqrt(2 dp_ref / (rho_ref k))``.
    """
    area = np.pi * diameter**2 / 4.0
    return 3600.0 * area * np.sqrt(2.0 * KV_REFERENCE_DP / (KV_REFERENCE_DENSITY * k))


class Valve(Branch):
    """A valve, balancing valve or orifice.

    ``dp = dp_ref (rho/rho_ref) (V / Kv(x))²`` with ``V`` in m³/h (IEC 60534-1 definition of Kv), sign
    following the flow. The opening ``x`` in [0, 1] (controllable) sets ``Kv(x) = Kv_max f(x)``:

    - ``"linear"``: ``f = 1/R + (1 - 1/R) x``
    - ``"equal_percentage"``: ``f = R^(x - 1)``

    with rangeability ``R`` (default 50; so a closed valve still passes ``Kv_max/R`` — real control
    valves leak, and the network stays solvable). Below 1 % of the flow that gives 1 kPa at full
    opening the law turns linear (see :func:`~thermo.components.laws.regularised_power_law`).

    Give either ``kv`` [m³/h] or ``k`` [-] with ``diameter`` [m].
    """

    controllable = ("opening",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        kv: float | None = None,
        k: float | None = None,
        diameter: float | None = None,
        opening: float = 1.0,
        characteristic: str = "linear",
        rangeability: float = DEFAULT_RANGEABILITY,
    ) -> None:
        super().__init__(name, inlet, outlet)
        if (kv is None) == (k is None):
            raise InputError("give exactly one of kv [m3/h] or k [-] (with diameter)", key=name)
        if kv is not None:
            self.kv = check_positive(kv, "kv", name)
        else:
            if diameter is None:
                raise InputError("k needs the diameter it refers to", key=f"{name}.diameter")
            self.kv = kv_from_k(
                check_positive(k, "k", name), check_positive(diameter, "diameter", name)
            )
        self.opening = check_fraction(opening, "opening", name)
        if characteristic not in ("linear", "equal_percentage"):
            raise InputError(
                f"characteristic must be 'linear' or 'equal_percentage', got {characteristic!r}",
                key=f"{name}.characteristic",
            )
        self.characteristic = characteristic
        self.rangeability = check_positive(rangeability, "rangeability", name)
        if self.rangeability <= 1:
            raise InputError("rangeability must exceed 1", key=f"{name}.rangeability")


class ValveGroup(BranchGroup):
    parameter_arrays = {"opening": "opening"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.kv = np.array([v.kv for v in c])
        self.opening = np.array([v.opening for v in c])
        self.eqp = np.array([v.characteristic == "equal_percentage" for v in c])
        self.R = np.array([v.rangeability for v in c])

    def _kv(self, x):
        lin = 1.0 / self.R + (1.0 - 1.0 / self.R) * x
        dlin = 1.0 - 1.0 / self.R
        eq = self.R ** (x - 1.0)
        deq = eq * np.log(self.R)
        f = np.where(self.eqp, eq, lin)
        df = np.where(self.eqp, deq, dlin)
        return self.kv * f, self.kv * df

    def hydraulics(self, ctx) -> Hydraulics:
        x = np.clip(ctx.control(self.control_index, self.opening), 0.0, 1.0)
        kv, dkv = self._kv(x)
        # dp = c m|m| with c = dp_ref * 3600² / (rho_ref rho kv²)
        c = KV_REFERENCE_DP * 3600.0**2 / (KV_REFERENCE_DENSITY * ctx.rho * kv**2)
        m_lin = 0.01 * ctx.rho * kv / 3600.0 * np.sqrt(1e3 / KV_REFERENCE_DP)
        dp, ddp_dm = regularised_power_law(ctx.m, c, 2.0, m_lin)
        ddp_dT = -dp / ctx.rho * ctx.drho_dT
        ddp_du = -2.0 * dp / kv * dkv
        derivs = [ddp_dm, ddp_dT]
        if len(self.hydraulic_dependencies) > 2:
            derivs.append(ddp_du)
        return Hydraulics(dp, derivs)

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))

    def report(self, ctx) -> dict[str, np.ndarray]:
        x = np.clip(ctx.control(self.control_index, self.opening), 0.0, 1.0)
        return {"opening": x, "kv_m3_h": self._kv(x)[0]}


Valve.group = ValveGroup
