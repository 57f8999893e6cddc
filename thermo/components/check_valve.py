"""Valves that truly stop the flow, and zero-loss connections.

- :class:`CheckValve`: passes forward flow with a Kv loss once the pressure difference exceeds
  its cracking pressure; blocks reverse flow (a leak of 1e-12 of its nominal flow per 10 kPa).
- :class:`IsolationValve`: a shut-off valve, open (Kv loss) or closed (``m = 0`` exactly). A closed
  valve separates the network: a part left without a pressure reference is solved as *isolated*
  (no flow, its pressure level held at that of the loop it was cut from) and reported so.
- :class:`Connection`: a zero-loss link between two nodes (``p_in = p_out``), for networks drawn
  with explicit joints.

Check-valve law, monotone in the mass flow ``m`` (``R(m) = dp_ref (rho/rho_ref) (V/Kv)²`` of
IEC 60534-1, ``m10`` the flow of water that takes 10 kPa through the open valve)::

    dp = p_crack min(m / m_o, 1) + R(m)      for m >= 0   (m_o = CRACK_RAMP m10)
    dp = k_rev m                             for m < 0    (k_rev = 10 kPa / (REVERSE_LEAK m10))

so below its cracking pressure the valve passes at most ``CRACK_RAMP`` of its nominal flow, and
against back pressure it leaks ``REVERSE_LEAK`` of it per 10 kPa — numerically nil (EPANET's solver
likewise gives a closed link a very large resistance rather than removing it), while the law stays
monotone, so Newton's method
needs no switching logic and the pressures on both sides stay determined.
"""

from __future__ import annotations

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Dependency,
    Hydraulics,
    adiabatic_thermal,
    check_nonnegative,
    check_positive,
)
from thermo.components.laws import regularised_power_law
from thermo.components.valve import KV_REFERENCE_DENSITY, KV_REFERENCE_DP, kv_from_k
from thermo.errors import InputError

__all__ = ["CheckValve", "IsolationValve", "Connection"]

SCALE_DP = 1e4
"""Pressure drop [Pa] at which the slope that scales a closed valve's flow residual is taken."""
REVERSE_LEAK = 1e-12
"""Reverse flow of a shut check valve per 10 kPa of back pressure, as a fraction of its forward
flow at 10 kPa [-]: the stiff law that stands for "no reverse flow" (a few 1e-12 kg/s per bar)."""
CRACK_RAMP = 1e-9
"""Forward flow, as a fraction of the 10 kPa flow, over which the pressure difference rises from 0
to the cracking pressure [-] (the vertical step of an ideal valve made steep but finite)."""


def _kv_of(name: str, kv: float | None, k: float | None, diameter: float | None) -> float:
    if (kv is None) == (k is None):
        raise InputError("give exactly one of kv [m3/h] or k [-] (with diameter)", key=name)
    if kv is not None:
        return check_positive(kv, "kv", name)
    if diameter is None:
        raise InputError("k needs the diameter it refers to", key=f"{name}.diameter")
    return kv_from_k(check_positive(k, "k", name), check_positive(diameter, "diameter", name))


class CheckValve(Branch):
    """A non-return valve: forward flow only, above ``cracking_pressure`` [Pa].

    Give the open valve's ``kv`` [m³/h] (or ``k`` [-] with ``diameter`` [m]). ``cracking_pressure``
    is the forward pressure difference at which the disc lifts (datasheet value; default 0, an
    ideal valve); once open the valve takes ``cracking_pressure + R(m)``. Reverse flow is blocked
    (see the module docstring for the law). Results report ``closed`` (1 when shut).
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        kv: float | None = None,
        k: float | None = None,
        diameter: float | None = None,
        cracking_pressure: float = 0.0,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.kv = _kv_of(name, kv, k, diameter)
        self.cracking_pressure = check_nonnegative(cracking_pressure, "cracking_pressure", name)


class IsolationValve(Branch):
    """A shut-off (isolation) valve: open with a Kv loss, or ``closed`` with no flow at all.

    Give ``kv`` [m³/h] (or ``k`` [-] with ``diameter`` [m]) of the open valve. ``closed`` may be
    changed between solves (``Network.set_parameter(name, "closed", True)``); the network then
    re-derives which parts are isolated.
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        kv: float | None = None,
        k: float | None = None,
        diameter: float | None = None,
        closed: bool = False,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.kv = _kv_of(name, kv, k, diameter)
        if not isinstance(closed, (bool, np.bool_)):
            raise InputError(f"closed must be true or false, got {closed!r}", key=f"{name}.closed")
        self.closed = bool(closed)

    @property
    def blocks_flow(self) -> bool:
        """True while the valve is closed (the network treats it as a cut)."""
        return self.closed


class Connection(Branch):
    """A zero-loss connection: the two nodes share one pressure (static head aside)."""


class _KvGroup(BranchGroup):
    """Shared part of the two valve groups: Kv law and the pressure dependencies."""

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.kv = np.array([v.kv for v in self.components])
        # node pressures enter the law of a closed valve; their node indices are filled in on
        # the first evaluation (the pattern is read after it)
        n = len(self.components)
        self._p_in = Dependency("p", np.full(n, -1, dtype=np.int64))
        self._p_out = Dependency("p", np.full(n, -1, dtype=np.int64))
        self.hydraulic_dependencies += [self._p_in, self._p_out]
        self._bound = False

    def _bind_nodes(self, ctx) -> None:
        if not self._bound:
            system = ctx._system
            self._p_in.index[:] = system.inlet[self.branch_index]
            self._p_out.index[:] = system.outlet[self.branch_index]
            self._bound = True

    def _loss(self, ctx) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Open-valve loss R(m), dR/dm, dR/dT and the residual scale S [Pa s/kg]."""
        rho = ctx.rho
        c = KV_REFERENCE_DP * 3600.0**2 / (KV_REFERENCE_DENSITY * rho * self.kv**2)
        m_lin = 0.01 * rho * self.kv / 3600.0 * np.sqrt(1e3 / KV_REFERENCE_DP)
        R, dR = regularised_power_law(ctx.m, c, 2.0, m_lin)
        dR_dT = -R / rho * ctx.drho_dT
        # S: slope of the law at 10 kPa for water of the Kv definition (independent of T)
        c_ref = KV_REFERENCE_DP * 3600.0**2 / (KV_REFERENCE_DENSITY**2 * self.kv**2)
        S = 2.0 * np.sqrt(SCALE_DP * c_ref)
        return R, dR, dR_dT, S

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))


class CheckValveGroup(_KvGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.crack = np.array([v.cracking_pressure for v in self.components])

    def hydraulics(self, ctx) -> Hydraulics:
        self._bind_nodes(ctx)
        R, dR, dR_dT, S = self._loss(ctx)
        m10 = 2.0 * SCALE_DP / S  # flow of water that takes 10 kPa through the open valve
        m_open = CRACK_RAMP * m10
        m = ctx.m
        fwd = m >= 0.0
        ramp = np.minimum(np.maximum(m, 0.0) / m_open, 1.0)
        k_rev = SCALE_DP / (REVERSE_LEAK * m10)
        dp = np.where(fwd, self.crack * ramp + R, k_rev * m)
        d_dm = np.where(fwd, np.where(m < m_open, self.crack / m_open, 0.0) + dR, k_rev)
        d_dT = np.where(fwd, dR_dT, 0.0)
        z = np.zeros_like(m)
        return Hydraulics(dp, [d_dm, d_dT, z, z])

    def report(self, ctx) -> dict[str, np.ndarray]:
        _, _, _, S = self._loss(ctx)
        m10 = 2.0 * SCALE_DP / S
        return {"closed": (ctx.m <= CRACK_RAMP * m10).astype(float)}


class IsolationValveGroup(_KvGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.closed = np.array([v.closed for v in self.components], dtype=bool)

    def set_parameter(self, local: int, name: str, value) -> bool:
        return False  # opening or closing re-derives the isolated parts: rebuild

    def hydraulics(self, ctx) -> Hydraulics:
        self._bind_nodes(ctx)
        R, dR, dR_dT, S = self._loss(ctx)
        shut = self.closed
        dpp = ctx.p_inlet - ctx.p_outlet
        # closed: the row p_in - p_out - dp becomes S m = 0
        dp = np.where(shut, dpp - S * ctx.m, R)
        d_dm = np.where(shut, -S, dR)
        d_dT = np.where(shut, 0.0, dR_dT)
        d_pin = np.where(shut, 1.0, 0.0)
        d_pout = np.where(shut, -1.0, 0.0)
        return Hydraulics(dp, [d_dm, d_dT, d_pin, d_pout])

    def report(self, ctx) -> dict[str, np.ndarray]:
        return {"closed": self.closed.astype(float)}


class ConnectionGroup(BranchGroup):
    def hydraulics(self, ctx) -> Hydraulics:
        z = np.zeros_like(ctx.m)
        return Hydraulics(z, [z] * len(self.hydraulic_dependencies))

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))


CheckValve.group = CheckValveGroup
IsolationValve.group = IsolationValveGroup
Connection.group = ConnectionGroup
