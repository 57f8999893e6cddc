"""Exact plug-flow (transport-delay) pipes for transient runs.

A delay pipe holds the fluid mass ``M = rho_0 V`` (``V = pi D² L / 4``, ``rho_0`` the density at
the initial temperature) as a queue of parcels, each with its mass and enthalpy, in the order they
entered. Let ``C(t)`` be the cumulative mass that has entered since the start (the cumulative
volume at ``rho_0``); the fluid leaving at ``t`` is the fluid that entered when the cumulative mass
was ``C(t) - M``, whatever the flow did in between: the delay follows the volume passed, not the
time (``V/V̇`` at constant flow).

Over a time step ``dt`` with the step's flow ``m`` (its end value, as backward Euler), the parcel
``ΔM = m dt`` with the step's inlet enthalpy ``h_in`` enters and the mass window
``[C_n - M, C_n - M + ΔM]`` leaves; the outlet enthalpy of the step is the mean over that window::

    h_out = (1/ΔM) ∫_{C_n - M}^{C_n - M + ΔM} h(c) dc

where ``h(c)`` is the stored history, continued beyond ``C_n`` by the step's own parcel when more
than ``M`` passes in one step. Its derivatives enter the step's Newton equations exactly:
``∂h_out/∂m = (h(C_n - M + ΔM) - h_out)/m`` (the enthalpy at the window's leading edge minus the
mean) and ``∂h_out/∂h_in = max(ΔM - M, 0)/ΔM``.

Energy is conserved exactly: the pipe's stored energy is the integral of its contents,
``∫_{C - M}^{C} h(c) dc``, and each step changes it by ``ΔM h_in - ΔM h_out``, the enthalpy the
network's nodes give and receive. The history advances only when a step is accepted, so a
rejected step leaves it as it was. Reverse flow is not modelled: an accepted step with flow
against the pipe's direction stops the run with an error naming the pipe.

The network's BDF-2 steps would weight the node fluxes of successive steps (a non-monotone
filter on a sharp front); a run with delay pipes therefore takes backward-Euler steps throughout
(see docs/transient.md).
"""

from __future__ import annotations

import math

import numpy as np

from thermo.components.pipe import PipeGroup
from thermo.errors import InputError

__all__ = ["PlugFlowPipes", "REVERSE_FLOW"]

REVERSE_FLOW = 1e-9
"""Backward flow [kg/s] through a delay pipe above which an accepted step is refused."""

_M_MIN = 1e-12
"""Flow [kg/s] below which a delay pipe is taken as stagnant within a step."""


class _Queue:
    """Parcels of one delay pipe: cumulative mass at each parcel's end and its enthalpy."""

    def __init__(self, mass: float, h0: float) -> None:
        self.mass = mass
        self.ends = [mass]  # cumulative mass at the end of each parcel [kg]
        self.h = [h0]  # enthalpy of each parcel [J/kg]
        self.entered = mass  # cumulative mass entered (the pipe started full) [kg]

    @property
    def left(self) -> float:
        """Cumulative mass that has left [kg] (the position of the outlet in the history)."""
        return self.entered - self.mass

    def window(self, dM: float, h_in: float) -> tuple[float, float]:
        """Energy [J] of the window of ``dM`` leaving this step and the enthalpy at its leading
        edge [J/kg]; beyond the history the step's own parcel (``h_in``) fills it."""
        a = self.left
        b = a + dM
        E = 0.0
        lo = a  # the first parcel holds the outlet (parcels ending at or before it are gone)
        for k, end in enumerate(self.ends):
            hi = min(end, b)
            if hi > lo:
                E += (hi - lo) * self.h[k]
            if b < end or (b == end and dM > 0.0):
                return E, self.h[k]
            lo = max(lo, end)
        E += (b - self.entered) * h_in
        return E, h_in

    def stored(self) -> float:
        """Energy of the contents [J]: the history between ``left`` and ``entered``."""
        E, _ = self.window(self.mass, 0.0)
        return E

    def advance(self, dM: float, h_in: float) -> float:
        """Take an accepted step: the parcel ``dM`` enters; returns the energy that left [J]."""
        E_out, _ = self.window(dM, h_in)
        if dM > 0.0:
            self.entered += dM
            if abs(h_in - self.h[-1]) <= 1e-12 * max(1.0, abs(h_in)):
                self.ends[-1] = self.entered
            else:
                self.ends.append(self.entered)
                self.h.append(h_in)
        a = self.left
        drop = 0
        while drop < len(self.ends) - 1 and self.ends[drop] <= a:
            drop += 1
        if drop:
            del self.ends[:drop]
            del self.h[:drop]
        return E_out


class PlugFlowPipes:
    """The delay pipes of one transient network; installs itself as their group's ``thermal``.

    ``names``: pipes of the network (a :class:`PipeGroup` each, not split into cells, no heat
    loss to ambient). The group's own law (``T_exit = T_up``) acts in steady solves (``dt`` 0).
    """

    def __init__(self, system, names: list[str]) -> None:
        self.system = system
        self.names = list(names)
        self.dt = 0.0
        """Length of the step being solved [s]; 0 outside a step (steady law)."""
        self.queues: dict[str, _Queue] = {}
        self.local: dict[int, list[tuple[int, str]]] = {}  # id(group) -> [(local, name)]
        self.groups: dict[int, PipeGroup] = {}
        self.branch_index = np.array(
            [system.branch_position[n] for n in self.names], dtype=np.int64
        )
        for name in self.names:
            g, i = system.group_of[name]
            if not isinstance(g, PipeGroup):
                raise InputError(f"plug_flow names {name!r}, which is not a Pipe", key=name)
            if g.ua[i] > 0:
                raise InputError(
                    f"plug_flow pipe {name!r} has a heat loss to ambient (heat_transfer_"
                    "coefficient > 0), which the delay element does not model: use pipe cells",
                    key=f"plug_flow.{name}",
                )
            self.local.setdefault(id(g), []).append((i, name))
            self.groups[id(g)] = g
        for gid, g in self.groups.items():
            base = g.thermal
            g.thermal = self._wrap(g, base, self.local[gid])

    # ------------------------------------------------------------------ set-up
    def start(self, x: np.ndarray) -> None:
        """Fill each pipe with its inlet fluid of the initial steady state ``x``."""
        self.dt = 0.0  # (a model run again starts from its steady law)
        sys_ = self.system
        lay = sys_.layout
        T = x[lay.T]
        st = sys_.fluids.state(sys_.fluids.fluid_of_node, T)
        h, _ = sys_.fluids.enthalpy_cp(sys_.fluids.fluid_of_node, T)
        m = x[lay.m]
        for name in self.names:
            i = sys_.branch_position[name]
            a = sys_.inlet[i]
            if m[i] < -REVERSE_FLOW:
                raise InputError(
                    f"plug_flow pipe {name!r} carries reverse flow ({m[i]:.4g} kg/s) in the "
                    "initial state: the delay element takes forward flow only (inlet -> "
                    "outlet); swap its ports or use pipe cells",
                    key=f"plug_flow.{name}",
                )
            pipe = sys_.branches[i]
            vol = math.pi * pipe.diameter**2 / 4 * pipe.length
            self.queues[name] = _Queue(float(st["rho"][a]) * vol, float(h[a]))

    # ------------------------------------------------------------------ equations
    def _wrap(self, group: PipeGroup, base, locs: list[tuple[int, str]]):
        def thermal(ctx):
            th = base(ctx)
            if self.dt <= 0.0 or not self.queues:
                return th
            idx = np.array([i for i, _ in locs], dtype=np.int64)
            h_in = ctx.h[idx]
            cp_in = ctx.cp[idx]
            m = ctx.m[idx]
            h_out = np.empty(len(idx))
            dh_dm = np.zeros(len(idx))
            dh_dhin = np.zeros(len(idx))
            for k, (_, name) in enumerate(locs):
                q = self.queues[name]
                dM = max(float(m[k]), 0.0) * self.dt
                if m[k] <= _M_MIN:
                    _, h_edge = q.window(0.0, float(h_in[k]))
                    h_out[k] = h_edge
                    continue
                E, h_edge = q.window(dM, float(h_in[k]))
                h_out[k] = E / dM
                dh_dm[k] = (h_edge - h_out[k]) / m[k]
                dh_dhin[k] = max(dM - q.mass, 0.0) / dM
            guess = th.T_exit[idx] + (h_out - h_in) / cp_in
            T_out, cp_out = ctx.enthalpy_inverse(ctx.index[idx])(h_out, guess)
            # fresh arrays: the group's law may return one array in several places
            th.T_exit = np.array(th.T_exit, dtype=float)
            th.derivatives = [np.array(d, dtype=float) for d in th.derivatives]
            th.heat = np.array(th.heat, dtype=float)
            th.T_exit[idx] = T_out
            th.derivatives[0][idx] = dh_dhin * cp_in / cp_out
            th.derivatives[1][idx] = dh_dm / cp_out
            th.heat[idx] = np.abs(m) * (h_out - h_in)
            return th

        return thermal

    # ------------------------------------------------------------------ steps
    def check_direction(self, x: np.ndarray, t: float) -> None:
        """Refuse an accepted state with reverse flow through a delay pipe."""
        m = x[self.system.layout.m][self.branch_index]
        for name, mk in zip(self.names, m, strict=True):
            if mk < -REVERSE_FLOW:
                raise InputError(
                    f"plug_flow pipe {name!r}: the flow reversed ({mk:.4g} kg/s) at t = {t:.6g} s; "
                    "the plug-flow delay element takes forward flow only (inlet -> outlet): use "
                    "pipe cells for this pipe (remove it from plug_flow)",
                    key=f"plug_flow.{name}",
                )

    def advance(self, x: np.ndarray, dt: float) -> None:
        """Append the parcels of an accepted step of length ``dt`` ending at state ``x``."""
        sys_ = self.system
        lay = sys_.layout
        T = x[lay.T]
        h, _ = sys_.fluids.enthalpy_cp(sys_.fluids.fluid_of_node, T)
        m = x[lay.m]
        for name, i in zip(self.names, self.branch_index, strict=True):
            dM = max(float(m[i]), 0.0) * dt if m[i] > _M_MIN else 0.0
            self.queues[name].advance(dM, float(h[sys_.inlet[i]]))

    def stored_energy(self) -> float:
        """Energy held by the delay pipes' contents [J] (same enthalpy reference as nodes)."""
        return float(sum(q.stored() for q in self.queues.values()))

    def arrival_position(self, name: str) -> float:
        """Cumulative mass [kg] that has left ``name`` (for tests and reports)."""
        return self.queues[name].left
