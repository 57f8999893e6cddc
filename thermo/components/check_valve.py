"""Valves that truly stop the flow, and zero-loss connections.

- :class:`CheckValve`: passes forward flow with a Kv loss once the pressure difference exceeds
  its cracking pressure; blocks reverse flow completely (``m = 0``, not a leak).
- :class:`IsolationValve`: a shut-off valve, open (Kv loss) or closed (``m = 0`` exactly). A closed
  valve separates the network: a part left without a pressure reference is solved as *isolated*
  (no flow, its pressure level held at that of the loop it was cut from) and reported so.
- :class:`Connection`: a zero-loss link between two nodes (``p_in = p_out``), for networks drawn
  with explicit joints.

Check-valve law (for forward pressure difference ``Δ = p_in - p_out - p_crack`` and the valve's
loss ``R(m) = dp_ref (rho/rho_ref) (V/Kv)²`` of IEC 60534-1) — the complementarity condition::

    0 <= m   ⊥   R(m) - Δ >= 0

either the valve is open (``m > 0``, ``Δ = R(m)``) or closed (``m = 0`` with ``Δ <= 0``). It is
solved as one smooth equation with the Fischer–Burmeister function
``φ(a, b) = a + b - sqrt(a² + b²)`` (zero exactly when ``a >= 0``, ``b >= 0``, ``a b = 0``;
Fischer, *Optimization* 24, 1992, 269–284), with ``a = S m`` scaled by ``S`` (Pa per kg/s: the
valve's loss slope at the flow that gives 10 kPa) so both arguments read in pascals. Newton's method
on ``φ`` converges without switching logic, and a closed valve carries no flow at all.
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
CLOSED_FLOW_TOLERANCE = 1e-9
"""A check valve whose flow is below this fraction of its 10 kPa flow is reported closed [-]."""


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
    exactly (see the module docstring for the law). Results report ``closed`` (1 when shut).
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
        delta = ctx.p_inlet - ctx.p_outlet - self.crack
        a = S * ctx.m
        b = R - delta
        r = np.sqrt(a * a + b * b)
        r = np.where(r > 0, r, 1.0)
        fa = 1.0 - a / r
        fb = 1.0 - b / r
        phi = a + b - np.hypot(a, b)
        # the row is p_in - p_out - dp = phi: dp = p_in - p_out - phi
        dp = ctx.p_inlet - ctx.p_outlet - phi
        d_dm = -(fa * S + fb * dR)
        d_dT = -fb * dR_dT
        d_pin = 1.0 + fb
        d_pout = -1.0 - fb
        return Hydraulics(dp, [d_dm, d_dT, d_pin, d_pout])

    def report(self, ctx) -> dict[str, np.ndarray]:
        _, _, _, S = self._loss(ctx)
        m10 = SCALE_DP / S * 2.0
        return {"closed": (ctx.m <= CLOSED_FLOW_TOLERANCE * m10).astype(float)}


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
