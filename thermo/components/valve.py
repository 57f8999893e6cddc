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

    ``complement_of`` names another ``Valve`` whose opening this one mirrors as ``1 - x``: the
    two ports of a three-way valve (:class:`ThreeWayValve`). Such a valve follows its leader's
    opening — set or controlled — and is not controllable itself.
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
        complement_of: str | None = None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        if complement_of is not None:
            if not isinstance(complement_of, str) or complement_of == name:
                raise InputError(
                    f"complement_of must name another Valve, got {complement_of!r}",
                    key=f"{name}.complement_of",
                )
            self.controllable = ()  # follows its leader
        self.complement_of = complement_of
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
        local = {v.name: i for i, v in enumerate(c)}
        self.follower = np.array([v.complement_of is not None for v in c])
        self.leader = np.arange(len(c))
        for i, v in enumerate(c):
            if v.complement_of is None:
                continue
            j = local.get(v.complement_of)
            if j is None or c[j].complement_of is not None:
                raise InputError(
                    f"valve {v.name!r} mirrors {v.complement_of!r}, which is not a (leading) Valve "
                    "of this network",
                    key=f"{v.name}.complement_of",
                )
            self.leader[i] = j

    def bind_controls(self, parameter: str, control_index: np.ndarray) -> None:
        ci = np.asarray(control_index, dtype=np.int64).copy()
        ci[self.follower] = ci[self.leader[self.follower]]  # followers use the leader's unknown
        super().bind_controls(parameter, ci)

    def _x(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """Openings and d(opening)/du (-1 for a follower of a controlled leader)."""
        base = ctx.control(self.control_index, self.opening[self.leader])
        x = np.where(self.follower, 1.0 - base, base)
        return np.clip(x, 0.0, 1.0), np.where(self.follower, -1.0, 1.0)

    def _kv(self, x):
        lin = 1.0 / self.R + (1.0 - 1.0 / self.R) * x
        dlin = 1.0 - 1.0 / self.R
        eq = self.R ** (x - 1.0)
        deq = eq * np.log(self.R)
        f = np.where(self.eqp, eq, lin)
        df = np.where(self.eqp, deq, dlin)
        return self.kv * f, self.kv * df

    def hydraulics(self, ctx) -> Hydraulics:
        x, dx_du = self._x(ctx)
        kv, dkv = self._kv(x)
        # dp = c m|m| with c = dp_ref * 3600² / (rho_ref rho kv²)
        c = KV_REFERENCE_DP * 3600.0**2 / (KV_REFERENCE_DENSITY * ctx.rho * kv**2)
        m_lin = 0.01 * ctx.rho * kv / 3600.0 * np.sqrt(1e3 / KV_REFERENCE_DP)
        dp, ddp_dm = regularised_power_law(ctx.m, c, 2.0, m_lin)
        ddp_dT = -dp / ctx.rho * ctx.drho_dT
        ddp_du = -2.0 * dp / kv * dkv * dx_du
        derivs = [ddp_dm, ddp_dT]
        if len(self.hydraulic_dependencies) > 2:
            derivs.append(ddp_du)
        return Hydraulics(dp, derivs)

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))

    def report(self, ctx) -> dict[str, np.ndarray]:
        x, _ = self._x(ctx)
        return {"opening": x, "kv_m3_h": self._kv(x)[0]}


class ThreeWayValve:
    """A three-way valve as two :class:`Valve` ports with complementary openings (composite).

    Diverting (default): flow enters at ``common`` and leaves through ``port_a`` (branch
    ``"<name>.a"``, opening ``x``) and ``port_b`` (branch ``"<name>.b"``, opening ``1 - x``).
    Mixing (``mixing=True``): flows from ``port_a`` and ``port_b`` meet at ``common``. Each port
    follows the Kv law of :class:`Valve` with the same ``kv`` (full-port Kv [m³/h]),
    ``characteristic`` and ``rangeability``: with linear ports the total Kv stays nearly constant
    over the stroke, the usual design of a three-way control valve (VDI/VDE 2173). A control acts on
    the opening of ``"<name>.a"``.
    """

    def __init__(
        self,
        name: str,
        common: str,
        port_a: str,
        port_b: str,
        *,
        kv: float,
        opening: float = 1.0,
        characteristic: str = "linear",
        rangeability: float = DEFAULT_RANGEABILITY,
        mixing: bool = False,
    ) -> None:
        from thermo.components.base import Component

        Component(name)  # validates the name
        self.name = name
        ends_a = (port_a, common) if mixing else (common, port_a)
        ends_b = (port_b, common) if mixing else (common, port_b)
        kw = dict(kv=kv, characteristic=characteristic, rangeability=rangeability)
        self.a = Valve(f"{name}.a", *ends_a, opening=opening, **kw)
        self.b = Valve(f"{name}.b", *ends_b, complement_of=self.a.name, **kw)

    def parts(self) -> list[Valve]:
        return [self.a, self.b]

    def __repr__(self) -> str:
        return f"ThreeWayValve({self.name!r}, kv={self.a.kv:.4g} m3/h)"


Valve.group = ValveGroup
