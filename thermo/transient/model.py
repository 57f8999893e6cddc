"""A network prepared for time stepping: its copy with pipe cells, storage and pump rotors.

:class:`TransientModel` copies a :class:`~thermo.network.Network` (the original is not changed),
splits pipes into finite-volume cells, and attaches to the copy's assembled equations

- the fluid mass of every pipe cell and tank layer at its downstream node, and the tanks' ambient
  losses (:class:`~thermo.transient.storage.NodeStorage`);
- the wall capacity of cold plates (:class:`~thermo.transient.storage.PlateWalls`);
- the rotor inertia of pumps (:class:`~thermo.transient.pumps.PumpRotors`).

Pipe cells: a pipe of length ``L`` becomes ``N`` pipes of length ``L/N`` (the first keeps the
pipe's name, so controls and checks that name it still find it; the others are ``name~2`` ...
joined at nodes ``name~c1`` ...). ``N`` is given per pipe, or by a length rule
``ceil(L / cell_length)``; the default is one cell per pipe. Each cell's fluid, ``rho A L/N`` at
the initial temperature, is a mixed volume at the cell's downstream node (in the direction of the
initial flow). A temperature step then arrives after the transport delay ``V/V̇`` on average and
is spread as the Erlang distribution of ``N`` mixed cells in series (the dispersion of the cell
model; verified in ``thermo verify -k transient``); use more cells for a sharper front, or make
the pipe an exact plug-flow delay (``plug_flow``, :mod:`thermo.transient.plugflow`): it stays
whole, holds no node mass, and carries a front sharp after the volume ``V`` has passed.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence

import numpy as np

from thermo.components.base import Branch
from thermo.components.pipe import Pipe
from thermo.errors import InputError
from thermo.network.model import Network
from thermo.transient.plugflow import PlugFlowPipes
from thermo.transient.pumps import PumpRotors
from thermo.transient.storage import NodeStorage, PlateWalls
from thermo.transient.tank import TankLayer

__all__ = ["TransientModel", "DEFAULT_PLATE_CAPACITY"]

DEFAULT_PLATE_CAPACITY = 400.0
"""Heat capacity of a cold plate with its device [J/K] when none is given: about 0.8 kg of copper
(specific heat 385 J/(kg K), Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed.,
Table A.1) plus package and lid [D]. An assumption: give the plate's own value
(``plate_heat_capacity``) when the case-temperature lag matters."""


def split_pipes(
    network: Network,
    cells: Mapping[str, int] | None,
    cell_length: float | None,
    keep: frozenset[str] = frozenset(),
):
    """A copy of ``network`` with pipes split into cells; returns ``(copy, cells_of_pipe)``.
    Pipes named in ``keep`` (plug-flow delay pipes) stay whole."""
    cells = dict(cells or {})
    net = Network(network.coolant, name=network.name)
    net.transient_source = network
    cells_of: dict[str, list[str]] = {}
    known = {b.name for b in network.branches}
    for name in cells:
        if name not in known or not isinstance(network[name], Pipe):
            raise InputError(
                f"pipe_cells names {name!r}, which is not a Pipe", key=f"pipe_cells.{name}"
            )
    for b in network.branches:
        n = 1
        if isinstance(b, Pipe) and b.name not in keep:
            if b.name in cells:
                n = int(cells[b.name])
            elif cell_length is not None:
                n = max(1, math.ceil(b.length / cell_length - 1e-9))
            if n < 1 or n > 1000:
                raise InputError(
                    f"number of cells of pipe {b.name!r} must lie in 1..1000, got {n}",
                    key=f"pipe_cells.{b.name}",
                )
        if n == 1:
            # the component itself (not a copy): composites relate their parts by identity
            # (a heat exchanger knows its cold side as `exchanger.cold`); a transient run
            # changes only its own assembled arrays, never the component objects
            net._add_branch(b)
            if isinstance(b, Pipe):
                cells_of[b.name] = [b.name]
            continue
        nodes = [b.inlet] + [f"{b.name}~c{k}" for k in range(1, n)] + [b.outlet]
        names = [b.name] + [f"{b.name}~{k + 1}" for k in range(1, n)]
        for k in range(n):
            seg = copy.copy(b)
            seg.name = names[k]
            seg.inlet, seg.outlet = nodes[k], nodes[k + 1]
            seg.length = b.length / n
            seg.elevation_change = b.elevation_change / n
            seg.k_minor = b.k_minor / n
            net._add_branch(seg)
        cells_of[b.name] = names
    for bd in network.boundaries:
        net._check_name(bd.name)
        net._components[bd.name] = bd
        net.boundaries.append(bd)
    for ctl in network.controls:
        net.add(copy.copy(ctl))
    return net, cells_of


class TransientModel:
    """A network with storage, ready for :func:`thermo.transient.integrator.simulate`.

    Parameters
    ----------
    network
        The steady network (not modified).
    pipe_cells
        Cells per pipe name (overrides ``cell_length``).
    cell_length
        Length rule: ``ceil(L / cell_length)`` cells per pipe [m]; None: one cell per pipe.
    plate_capacity
        Heat capacity of cold plates [J/K]: one value for all, or per plate name (``fnmatch``
        patterns allowed); default :data:`DEFAULT_PLATE_CAPACITY`.
    pumps
        Rotor data per pump name: ``{"inertia": J [kg m²], "rated_speed": [rad/s]}``.
    node_volumes
        Extra fluid volume [m³] held at named nodes (headers, plate channels, HX passes).
    heat_capacity
        Heat capacity [J/K] of components that otherwise hold none — the metal and fluid of a
        heat exchanger or dry cooler, a manifold — by branch or component name; a component
        with several branches (a heat exchanger's two sides) shares it equally, a split pipe
        among its cells. Each branch holds its share at its downstream node, as fluid of the
        same heat capacity (mass ``C / cp`` at the initial temperature): a lumped capacity in
        the stream, which delays and damps what leaves the component with the time constant
        ``C / (ṁ cp)`` and leaves the steady state unchanged (an approximation: a wall between
        two streams is not resolved, see docs/transient.md).
    plug_flow
        Pipes that are exact plug-flow (transport-delay) elements instead of mixed cells
        (:mod:`thermo.transient.plugflow`); such a run takes backward-Euler steps.
    plug_flow_length
        Length rule: every pipe at least this long [m] is a delay pipe too.
    """

    def __init__(
        self,
        network: Network,
        *,
        pipe_cells: Mapping[str, int] | None = None,
        cell_length: float | None = None,
        plate_capacity: float | Mapping[str, float] | None = None,
        pumps: Mapping[str, Mapping[str, float]] | None = None,
        node_volumes: Mapping[str, float] | None = None,
        heat_capacity: Mapping[str, float] | None = None,
        plug_flow: Sequence[str] | None = None,
        plug_flow_length: float | None = None,
    ) -> None:
        if cell_length is not None and not cell_length > 0:
            raise InputError(f"cell_length must be > 0 m, got {cell_length!r}", key="cell_length")
        self.source = network
        delay = _delay_pipes(network, plug_flow, plug_flow_length, pipe_cells)
        self.network, self.cells_of = split_pipes(network, pipe_cells, cell_length, delay)
        self.system = self.network.system()
        sys_ = self.system
        self.plug = (
            PlugFlowPipes(sys_, [b.name for b in network.branches if b.name in delay])
            if delay
            else None
        )
        """The exact plug-flow delay pipes (None: none)."""
        self.storage = NodeStorage(sys_.layout.n_nodes)
        sys_.storage = self.storage
        self._plate_capacity = plate_capacity
        self._node_volumes = dict(node_volumes or {})
        for node in self._node_volumes:
            if node not in sys_.node_index:
                raise InputError(
                    f"node_volumes names unknown node {node!r}", key=f"node_volumes.{node}"
                )
        self._capacity = self._capacity_of_branches(dict(heat_capacity or {}))
        self.walls: list[PlateWalls] = []
        self._install_walls()
        self.rotors = PumpRotors(sys_, dict(pumps or {}))
        self.tanks = self._tanks()
        self.masses_set = False

    # ------------------------------------------------------------------ set-up
    def _install_walls(self) -> None:
        from fnmatch import fnmatch

        from thermo.components.cold_plate import _PlateGroup

        cap = self._plate_capacity
        for g in self.system.groups:
            if not isinstance(g, _PlateGroup):
                continue
            C = np.full(len(g.components), DEFAULT_PLATE_CAPACITY)
            if isinstance(cap, Mapping):
                for i, c in enumerate(g.components):
                    for pattern, v in cap.items():
                        if fnmatch(c.name, pattern):
                            C[i] = float(v)
            elif cap is not None:
                C[:] = float(cap)
            if not np.all(C > 0):
                raise InputError("plate_heat_capacity must be > 0 J/K", key="plate_heat_capacity")
            self.walls.append(PlateWalls(g, C))

    def _capacity_of_branches(self, given: dict[str, float]) -> dict[str, float]:
        """Heat capacity [J/K] per branch of the transient network from ``heat_capacity``."""
        out: dict[str, float] = {}
        for name, C in given.items():
            key = f"heat_capacity.{name}"
            if not (isinstance(C, (int, float)) and math.isfinite(C) and C >= 0):
                raise InputError(f"heat capacity of {name!r} must be >= 0 J/K, got {C!r}", key=key)
            try:
                comp = self.source[name]
            except Exception:  # noqa: BLE001 - any lookup failure is an unknown name here
                raise InputError(
                    f"heat_capacity names {name!r}, which is not a component", key=key
                ) from None
            parts = [comp] if isinstance(comp, Branch) else list(getattr(comp, "parts", list)())
            branches = [c for p in parts for c in self.cells_of.get(p.name, [p.name])]
            if not branches:
                raise InputError(f"heat_capacity: {name!r} has no branches", key=key)
            for b in branches:
                out[b] = out.get(b, 0.0) + float(C) / len(branches)
        return out

    def _tanks(self) -> dict[str, list[int]]:
        """Tank name -> node indices of its layers (inlet side first)."""
        out: dict[str, list[int]] = {}
        for b in self.network.branches:
            if isinstance(b, TankLayer):
                out.setdefault(b.tank, []).append(self.system.node_index[b.outlet])
        return out

    def set_masses(self, x: np.ndarray) -> None:
        """Fluid mass at each node from the state ``x`` (the initial steady state)."""
        sys_ = self.system
        lay = sys_.layout
        T = x[lay.T]
        state = sys_.fluids.state(sys_.fluids.fluid_of_node, T)
        rho = state["rho"]
        m = x[lay.m]
        st = self.storage
        st.mass[:] = 0.0
        st.ua[:] = 0.0
        delay = set(self.plug.names) if self.plug is not None else set()
        for i, b in enumerate(sys_.branches):
            down = sys_.outlet[i] if m[i] >= 0 else sys_.inlet[i]
            if b.name in delay:
                continue  # its fluid is held by the delay element
            if isinstance(b, Pipe):
                vol = math.pi * b.diameter**2 / 4 * b.length
            elif isinstance(b, TankLayer):
                vol = b.volume
                st.ua[down] += b.ua
                st.T_amb[down] = b.ambient_temperature
            else:
                continue
            st.mass[down] += rho[down] * vol
        for node, vol in self._node_volumes.items():
            k = sys_.node_index[node]
            st.mass[k] += rho[k] * float(vol)
        for name, C in self._capacity.items():
            i = sys_.branch_position[name]
            down = sys_.outlet[i] if m[i] >= 0 else sys_.inlet[i]
            st.mass[down] += C / state["cp"][down]
        if self.plug is not None:
            self.plug.start(x)
        self.masses_set = True

    def set_ambient_losses(self) -> None:
        """Tank losses to ambient, for the initial steady state (masses not yet known)."""
        sys_ = self.system
        st = self.storage
        for i, b in enumerate(sys_.branches):
            if isinstance(b, TankLayer):
                down = sys_.outlet[i]
                st.ua[down] += b.ua
                st.T_amb[down] = b.ambient_temperature

    # ------------------------------------------------------------------ quantities
    def stored_energy(self, x: np.ndarray) -> float:
        """Energy held by fluid masses and plate walls relative to the enthalpy reference [J]."""
        sys_ = self.system
        T = x[sys_.layout.T]
        h, _ = sys_.fluids.enthalpy_cp(sys_.fluids.fluid_of_node, T)
        e = float(np.sum(self.storage.mass * h))
        for w in self.walls:
            e += float(np.sum(w.C * w.T_wall))
        if self.plug is not None and self.plug.queues:
            e += self.plug.stored_energy()
        return e

    def heat_channels(self, x: np.ndarray, ev) -> dict[str, float]:
        """Heat flows across the boundary of the model at state ``x`` [W], by channel: device
        power into plate walls; heat gained and removed by branches (``|m| (h_exit - h_up)``;
        plates excluded, their walls are inside the ledger; heat-exchanger sides summed apart,
        their net is the exchangers' own imbalance); ambient losses of storage nodes; the net
        enthalpy carried in and out through boundaries (open loops)."""
        sys_ = self.system
        lay = sys_.layout
        m = x[lay.m]
        up = sys_.upstream(x)
        q_branch = np.abs(m) * (ev.h_exit - ev.h_node[up])
        if not hasattr(self, "_plate_mask"):
            plate = np.zeros(len(m), dtype=bool)
            for w in self.walls:
                plate[w.group.branch_index] = True
            hx = np.array(["HeatExchangerSide" in type(b).__name__ for b in sys_.branches])
            if self.plug is not None:
                # a delay pipe's inflow minus outflow is its stored energy, not a heat flow
                plate[self.plug.branch_index] = True
            self._plate_mask = plate
            self._hx_mask = hx if len(hx) else np.zeros(0, dtype=bool)
        device = float(sum(np.sum(w.P) for w in self.walls))
        exchangers = float(np.sum(q_branch[self._hx_mask]))
        q = np.where(self._plate_mask | self._hx_mask, 0.0, q_branch)
        out = {
            "device": device,
            "branch_gain": float(np.sum(np.where(q > 0, q, 0.0))),
            "branch_removed": float(np.sum(np.where(q < 0, q, 0.0))),
            "exchangers": exchangers,
            "ambient": float(np.sum(self.storage.loss(x[lay.T]))),
            "boundary": 0.0,
        }
        if lay.n_boundaries:
            m_ext = x[lay.m_ext]
            T_bc = sys_._boundary_inflow_temperature(x[lay.T][sys_.bnode])
            h_bc, _ = sys_.fluids.enthalpy_cp(sys_.boundary_fluid, T_bc)
            h_n = ev.h_node[sys_.bnode]
            out["boundary"] = float(
                np.sum(np.maximum(m_ext, 0.0) * h_bc - np.maximum(-m_ext, 0.0) * h_n)
            )
        # the conduction-like regularisation of the assembly cancels over the network
        return out

    def wall_temperatures(self) -> dict[str, float]:
        out = {}
        for w in self.walls:
            for c, t in zip(w.group.components, w.T_wall, strict=True):
                out[c.name] = float(t)
        return out

    def plate_limits(self) -> tuple[list[str], np.ndarray]:
        names: list[str] = []
        lim: list[float] = []
        for w in self.walls:
            names += [c.name for c in w.group.components]
            lim += list(w.group.T_limit)
        return names, np.array(lim)

    def branch(self, name: str) -> Branch:
        return self.network[name]  # type: ignore[return-value]


def _delay_pipes(
    network: Network,
    names: Sequence[str] | None,
    length: float | None,
    cells: Mapping[str, int] | None,
) -> frozenset[str]:
    """Names of the pipes that are plug-flow delay elements (validated)."""
    if isinstance(names, str):
        raise InputError("plug_flow must be a list of pipe names", key="plug_flow")
    out = set()
    known = {b.name for b in network.branches}
    for name in names or []:
        if name not in known or not isinstance(network[name], Pipe):
            raise InputError(
                f"plug_flow names {name!r}, which is not a Pipe", key=f"plug_flow.{name}"
            )
        out.add(name)
    if length is not None:
        if not (isinstance(length, (int, float)) and math.isfinite(length) and length > 0):
            raise InputError(
                f"plug_flow_length must be > 0 m, got {length!r}", key="plug_flow_length"
            )
        out |= {
            b.name
            for b in network.branches
            if isinstance(b, Pipe) and b.length >= length and b.heat_transfer_coefficient == 0
        }
    for name in sorted(out & set(cells or {})):
        raise InputError(
            f"pipe {name!r} is given both cells (pipe_cells) and plug flow: choose one",
            key=f"plug_flow.{name}",
        )
    return frozenset(out)
