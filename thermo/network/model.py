"""The network model: components joined at named nodes, checked, then solved.

>>> from thermo import Coolant
>>> from thermo.network import Network, Pipe, Pump, HeatLoad, Cooler, ExpansionTank
>>> net = Network(coolant=Coolant("water"))
>>> net.add(
...     Pump("pump", "cold", "supply", pressure_rise=30e3),
...     Pipe("pipe", "supply", "hot_in", length=10.0, diameter=0.02),
...     HeatLoad("load", "hot_in", "return", heat=20e3),
...     Cooler("cooler", "return", "cold", outlet_temperature=303.15),
...     ExpansionTank("tank", "cold", pressure=2e5),
... )
>>> result = net.solve()
>>> round(result.components.loc["load", "T_out_C"] - result.components.loc["load", "T_in_C"], 2) > 0
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import numpy as np

from thermo.components.base import Boundary, Branch, Component
from thermo.components.boundaries import ExpansionTank
from thermo.errors import ConvergenceError, InputError, TopologyError
from thermo.network.assembly import System
from thermo.network.control_audit import audit_controls, audit_message, release
from thermo.network.controls import Control, NodeTemperature
from thermo.network.newton import SolverOptions, newton, release_controls, unconverged_restart

DEFAULT_TEMPERATURE = 298.15
"""Starting temperature when nothing in the network suggests one [K]."""
COLD_START_OFFSET_K = 0.1
"""A cold start this close to an ideal cooler's setpoint begins this far above it [K]."""


class Network:
    """A hydraulic–thermal network of components joined at named nodes.

    Parameters
    ----------
    coolant
        Default coolant (:class:`~thermo.Coolant`) of every loop whose pressure reference does not
        name its own.
    name
        Name used in messages and results.
    friction_law
        Friction law of every pipe that names none (:data:`thermo.correlations.friction.
        FRICTION_LAWS`); default ``"colebrook"`` (laminar to Re 2300, Colebrook from 2320).
    property_pressure
        Absolute pressure [Pa] at which water's properties (density, cp, viscosity,
        conductivity) are evaluated in every loop, a network-level reference (not each node's
        solved pressure); default ``None``: 0.5 MPa. Glycols ignore pressure (CoolProp's fits).
    """

    def __init__(
        self,
        coolant: Any = None,
        *,
        name: str = "network",
        friction_law: str | None = None,
        property_pressure: float | None = None,
    ) -> None:
        from thermo.correlations.friction import check_law

        self.property_pressure = None if property_pressure is None else float(property_pressure)
        """Absolute pressure [Pa] at which water's properties are evaluated in every loop
        (``None``: 0.5 MPa, the shipped fit); glycols ignore pressure."""
        self.coolant = self._at_property_pressure(coolant)
        self.name = name
        self.friction_law = None if friction_law is None else check_law(friction_law)
        """Friction law of the pipes that name none (``None``: ``"colebrook"``)."""
        self._components: dict[str, Component] = {}
        self.branches: list[Branch] = []
        self.boundaries: list[Boundary] = []
        self.controls: list[Control] = []
        self._system: System | None = None
        self._node_names: list[str] | None = None
        self._islands: tuple | None = None
        self.dead_ends: list[str] = []
        """Nodes joined by one branch only (zero flow), found by :meth:`check`."""
        self.isolated: list[tuple[list[str], list[str]]] = []
        """Parts cut off by closed valves: ``(nodes, valves)``, found by :meth:`check`."""
        self._isolation_refs: list[Boundary] = []
        self.elevations: dict[str, float] = {}
        """Node elevations [m] above an arbitrary datum (0 for nodes not listed)."""

    def _at_property_pressure(self, coolant: Any) -> Any:
        if coolant is None or self.property_pressure is None or not hasattr(coolant, "at_pressure"):
            return coolant
        return coolant.at_pressure(self.property_pressure)

    # ------------------------------------------------------------------ building
    def set_elevation(self, node: str, elevation: float) -> None:
        """Set the elevation of ``node`` [m] above the network's datum (default 0).

        Every branch between nodes at different heights then carries the static head
        ``rho g (z_outlet - z_inlet)`` on top of its own pressure change (rho at the upstream
        node), and results report the hydraulic grade ``head_m`` per node.
        """
        from thermo.components.base import _as_float

        z = _as_float(elevation, "elevation", node)
        self.elevations[node] = z
        self._system = None

    def add(self, *items: Component | Control) -> Component | Control:
        """Add components, composites (objects with ``parts()`` and optionally ``controls()``) or
        controls; returns the last one added.

        Raises :class:`~thermo.errors.InputError` for a duplicate name and
        :class:`~thermo.errors.TopologyError` for a component connected to itself.
        """
        last = None
        for item in items:
            if isinstance(item, Control):
                self._check_name(item.name)
                self.controls.append(item)
                self._components[item.name] = item  # type: ignore[assignment]
            elif hasattr(item, "parts"):
                # a composite (heat exchanger, rack, CDU): its branches, boundaries and controls
                self._check_name(item.name)
                self._components[item.name] = item
                for part in item.parts():
                    self.add(part)
                for ctl in getattr(item, "controls", lambda: [])():
                    self.add(ctl)
            elif isinstance(item, Branch):
                self._add_branch(item)
            elif isinstance(item, Boundary):
                self._check_name(item.name)
                self._components[item.name] = item
                self.boundaries.append(item)
            else:
                raise InputError(
                    f"cannot add {type(item).__name__} {item!r} to a network: expected a component "
                    "or a Control",
                    value=item,
                )
            last = item
        self._system = None
        self._node_names = None
        self._islands = None
        return last

    def _add_branch(self, branch: Branch) -> None:
        self._check_name(branch.name)
        if branch.inlet == branch.outlet:
            raise TopologyError(
                f"{branch.name} is connected to itself: inlet and outlet are both node "
                f"{branch.inlet!r}",
                elements=[branch.name],
            )
        self._components[branch.name] = branch
        self.branches.append(branch)

    def _check_name(self, name: str) -> None:
        if name in self._components:
            raise InputError(f"duplicate component name {name!r}", key=name)

    def __getitem__(self, name: str) -> Component:
        try:
            return self._components[name]
        except KeyError:
            raise KeyError(f"no component named {name!r} in {self.name}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._components

    @property
    def node_names(self) -> list[str]:
        """Node names in order of first appearance."""
        if self._node_names is not None:
            return self._node_names
        seen: dict[str, None] = {}
        for b in self.branches:
            seen.setdefault(b.inlet)
            seen.setdefault(b.outlet)
        for bd in self.boundaries:
            seen.setdefault(bd.node)
        self._node_names = list(seen)
        return self._node_names

    # ------------------------------------------------------------------ topology
    def islands(self) -> tuple[int, np.ndarray, dict[str, int]]:
        """Hydraulically connected groups of nodes: ``(count, label per node, node index)``."""
        if self._islands is not None:
            return self._islands
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        names = self.node_names
        node_id = {n: i for i, n in enumerate(names)}
        a = [node_id[b.inlet] for b in self.branches]
        c = [node_id[b.outlet] for b in self.branches]
        n = len(names)
        g = coo_matrix((np.ones(len(a)), (a, c)), shape=(n, n))
        count, labels = connected_components(g, directed=False)
        self._islands = (count, labels, node_id)
        return self._islands

    def check(self) -> None:
        """Raise :class:`~thermo.errors.TopologyError` if the network cannot be solved as drawn.

        Checks: at least one branch; every node joined by at least two elements (no unconnected
        port); every hydraulic island has exactly one pressure reference (or pressure boundaries)
        and something that drives flow (a pump, two pressure boundaries or a flow source).
        """
        if not self.branches:
            raise TopologyError(f"{self.name} has no two-port components")
        names = self.node_names
        degree = dict.fromkeys(names, 0)
        users: dict[str, list[str]] = {n: [] for n in names}
        for b in self.branches:
            for node in (b.inlet, b.outlet):
                degree[node] += 1
                users[node].append(b.name)
        for bd in self.boundaries:
            degree[bd.node] += 1
            users[bd.node].append(bd.name)
        branch_nodes = {nd for b in self.branches for nd in (b.inlet, b.outlet)}
        # a node joined by one branch only is a dead end: zero flow, accepted and flagged
        self.dead_ends = [n for n in names if degree[n] == 1 and n in branch_nodes]
        dangling = [n for n in names if degree[n] < 2 and n not in self.dead_ends]
        if dangling:
            desc = "; ".join(f"node {n!r} (only {', '.join(users[n])})" for n in dangling[:8])
            more = f" and {len(dangling) - 8} more" if len(dangling) > 8 else ""
            raise TopologyError(
                f"unconnected port(s): {desc}{more}. Every node needs at least two connections; "
                "connect the port or end it with a boundary element",
                elements=[users[n][0] for n in dangling],
            )
        count, labels, node_id = self.islands()
        members: dict[int, list[str]] = {}
        for b in self.branches:
            members.setdefault(int(labels[node_id[b.inlet]]), []).append(b.name)
        refs: dict[int, list[Boundary]] = {}
        for bd in self.boundaries:
            refs.setdefault(int(labels[node_id[bd.node]]), []).append(bd)
        for isl in range(count):
            comps = members.get(isl, [])
            shown = ", ".join(comps[:6]) + (f" and {len(comps) - 6} more" if len(comps) > 6 else "")
            bds = refs.get(isl, [])
            pressure_refs = [b for b in bds if getattr(b, "pressure", None) is not None]
            tanks = [b for b in bds if isinstance(b, ExpansionTank)]
            if tanks and len(pressure_refs) > 1:
                names = ", ".join(b.name for b in pressure_refs)
                raise TopologyError(
                    f"the loop of {shown} has {len(pressure_refs)} pressure references ({names}): "
                    f"an ExpansionTank ({tanks[0].name}) must be the only pressure reference of "
                    "its loop (no fluid enters or leaves through it in steady state); remove the "
                    "others, or use PressureBoundary elements for an open network",
                    elements=[b.name for b in pressure_refs],
                )
            if not pressure_refs:
                raise TopologyError(
                    f"the loop of {shown} has no pressure reference: add an ExpansionTank (or a "
                    "PressureBoundary) at one of its nodes",
                    elements=comps,
                )
            drives = any(getattr(self._components[c], "drives_flow", False) for c in comps)
            open_drive = len(pressure_refs) >= 2 or any(
                getattr(b, "pressure", None) is None for b in bds
            )
            if not (drives or open_drive):
                raise TopologyError(
                    f"nothing drives flow in the loop of {shown}: add a Pump, a second pressure "
                    "boundary or a flow source",
                    elements=comps,
                )
        self._check_zero_loss_loops()
        self._find_isolated(labels, node_id, refs)

    def _check_zero_loss_loops(self) -> None:
        """Zero-loss connections that close a loop among themselves leave its flow undetermined."""
        from thermo.components.check_valve import Connection

        joints = [b for b in self.branches if isinstance(b, Connection)]
        parent: dict[str, str] = {}

        def root(n: str) -> str:
            parent.setdefault(n, n)
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for b in joints:
            ra, rb = root(b.inlet), root(b.outlet)
            if ra == rb:
                loop = [j.name for j in joints if root(j.inlet) == ra]
                raise TopologyError(
                    f"zero-loss connections {', '.join(loop)} form a closed loop: the flow around "
                    "it is undetermined; remove one of them (the nodes are one node already)",
                    elements=loop,
                )
            parent[ra] = rb

    def _find_isolated(self, labels: np.ndarray, node_id: dict[str, int], refs: dict) -> None:
        """Parts cut off from every pressure reference by closed valves (``blocks_flow``).

        Each such part gets an internal pressure reference (:class:`IsolatedReference`) at the
        pressure level of the loop it was cut from, so that it solves (no flow), and is listed in
        ``self.isolated`` as ``(nodes, closed valves around it)`` for the results.
        """
        self.isolated: list[tuple[list[str], list[str]]] = []
        self._isolation_refs: list[Boundary] = []
        shut = [b for b in self.branches if getattr(b, "blocks_flow", False)]
        if not shut:
            return
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        from thermo.components.check_valve import CheckValve

        checks = [b for b in self.branches if isinstance(b, CheckValve)]
        cut_names = {b.name for b in shut} | {b.name for b in checks}
        names = self.node_names
        open_b = [b for b in self.branches if b.name not in cut_names]
        a = [node_id[b.inlet] for b in open_b]
        c = [node_id[b.outlet] for b in open_b]
        g = coo_matrix((np.ones(len(a)), (a, c)), shape=(len(names), len(names)))
        _, sub = connected_components(g, directed=False)
        referenced = {
            int(sub[node_id[bd.node]])
            for bd in self.boundaries
            if getattr(bd, "pressure", None) is not None or getattr(bd, "mass_flow", 0.0)
        }
        groups: dict[int, list[str]] = {}
        for nm in names:
            groups.setdefault(int(sub[node_id[nm]]), []).append(nm)
        for part, nodes in groups.items():
            if part in referenced:
                continue
            members = set(nodes)
            # a part reached only through check valves that all point the same way (all in, or
            # all out) and closed valves cannot carry flow either: it is isolated too
            into = {
                b.outlet in members for b in checks if (b.inlet in members) != (b.outlet in members)
            }
            if len(into) > 1 or not any(b.inlet in members or b.outlet in members for b in shut):
                continue
            valves = [
                b.name for b in shut + checks if (b.inlet in members) != (b.outlet in members)
            ]
            loop_refs = refs.get(int(labels[node_id[nodes[0]]]), [])
            levels = [bd.pressure for bd in loop_refs if getattr(bd, "pressure", None) is not None]
            self.isolated.append((nodes, valves))
            self._isolation_refs.append(
                IsolatedReference(f"{nodes[0]}.isolated", nodes[0], pressure=float(levels[0]))
            )

    def unanchored_loops(self) -> list[list[str]]:
        """Loops (hydraulic islands, joined by heat exchangers) whose temperature nothing sets.

        Pipes, pumps, valves and heat loads pass a temperature on but do not set one; every other
        element does (a cooler, dry cooler, boiler, heat pump, greenhouse, a boundary with a
        temperature), and an exchanger side sets it when the loop on its other side is anchored.
        A loop of passing elements only would silently take the solver's start temperature
        (issue 11, item 4). Returns the component names of each such loop.
        """
        from thermo.components.boundaries import ExpansionTank
        from thermo.components.cold_plate import ColdPlate, MicrochannelColdPlate
        from thermo.components.heat import HeatLoad
        from thermo.components.heat_exchanger import HeatExchangerSide
        from thermo.components.pipe import Pipe
        from thermo.components.pump import Pump
        from thermo.components.valve import Valve

        passing = (Pipe, Pump, Valve, HeatLoad, ColdPlate, MicrochannelColdPlate)
        count, labels, node_id = self.islands()
        anchored = np.zeros(count, dtype=bool)
        for bd in self.boundaries:
            if not isinstance(bd, ExpansionTank) or getattr(bd, "temperature", None) is not None:
                anchored[labels[node_id[bd.node]]] = True
        links = []
        for b in self.branches:
            isl = labels[node_id[b.inlet]]
            if isinstance(b, HeatExchangerSide):
                links.append((isl, labels[node_id[b.partner.inlet]]))
            elif not isinstance(b, passing):
                anchored[isl] = True
        for _ in range(count):  # anchors spread through exchangers
            changed = False
            for i, j in links:
                if anchored[j] and not anchored[i]:
                    anchored[i] = changed = True
            if not changed:
                break
        out = []
        for isl in np.nonzero(~anchored)[0]:
            names = [b.name for b in self.branches if labels[node_id[b.inlet]] == isl]
            if names:
                out.append(names)
        return out

    def fluid_assignment(self, node_id: dict[str, int]) -> tuple[list, np.ndarray]:
        """Coolant of every node: from the loop's pressure reference, else the network default."""
        count, labels, ids = self.islands()
        fluid_of_island: dict[int, Any] = {}
        for bd in self.boundaries:
            coolant = getattr(bd, "coolant", None)
            if coolant is None:
                continue
            isl = int(labels[ids[bd.node]])
            prev = fluid_of_island.get(isl)
            if prev is not None and prev != coolant:
                raise InputError(
                    f"loop of {bd.name} has two coolants: {prev!r} and {coolant!r}",
                    key=f"{bd.name}.coolant",
                )
            fluid_of_island[isl] = coolant
        fluids: list = []
        fluid_of_node = np.zeros(len(node_id), dtype=np.int64)
        for name, i in node_id.items():
            isl = int(labels[ids[name]])
            coolant = self._at_property_pressure(fluid_of_island.get(isl, self.coolant))
            if coolant is None:
                raise InputError(
                    f"no coolant for the loop of node {name!r}: pass Network(coolant=...) or give "
                    "the loop's ExpansionTank a coolant",
                    key=name,
                )
            if coolant not in fluids:
                fluids.append(coolant)
            fluid_of_node[i] = fluids.index(coolant)
        return fluids, fluid_of_node

    # ------------------------------------------------------------------ solving
    def system(self) -> System:
        """The assembled equations (cached until the network changes)."""
        if self._system is None:
            self.check()
            self._system = System(self)
        return self._system

    def initial_state(self, system: System, options: SolverOptions) -> np.ndarray:
        lay = system.layout
        x = np.zeros(lay.size)
        _, labels, node_id = self.islands()
        p_ref: dict[int, list[float]] = {}
        t_hint: list[float] = []
        for bd in self.boundaries:
            if getattr(bd, "pressure", None) is not None:
                p_ref.setdefault(int(labels[node_id[bd.node]]), []).append(bd.pressure)
            if getattr(bd, "has_inflow_temperature", False):
                t_hint.append(bd.temperature)
        # the branches with an outlet setpoint, found once per assembled system (their values
        # are read anew: they may change between solves)
        cached = getattr(self, "_setpoint_branches", None)
        if cached is None or cached[0] is not system:
            with_setpoint = [b for b in self.branches if hasattr(b, "outlet_temperature")]
            cached = self._setpoint_branches = (system, with_setpoint)
        setpoints = [b.outlet_temperature for b in cached[1]]
        t_hint += setpoints
        T0 = options.initial_temperature or (
            float(np.mean(t_hint)) if t_hint else DEFAULT_TEMPERATURE
        )
        near = [t for t in setpoints if abs(T0 - t) < COLD_START_OFFSET_K]
        if near and not options.initial_temperature:
            # a start on an ideal cooler's setpoint sits on its smoothed switch (outlet/inlet
            # derivative 1/2), where the first coupled Newton step overshoots the loop's
            # temperature rise twofold and is halved by the line search; just above it the
            # cooler starts as holding its setpoint, as it does in a loop that carries heat
            T0 = max(near) + COLD_START_OFFSET_K
        island_p = np.full(int(labels.max()) + 1 if len(labels) else 0, 1e5)
        for isl, refs in p_ref.items():
            island_p[isl] = float(np.mean(refs))
        x[lay.p] = island_p[labels]
        x[lay.T] = T0
        x[lay.m] = options.initial_flow
        for j, ctl in enumerate(self.controls):
            x[lay.u.start + j] = ctl.initial_value(system)
        return x

    def solve(
        self,
        options: SolverOptions | None = None,
        *,
        warm_start: Any = None,
        strict: bool = True,
    ):
        """Solve the network; return a :class:`~thermo.network.results.Results`.

        Parameters
        ----------
        options
            Solver settings (:class:`~thermo.network.newton.SolverOptions`).
        warm_start
            A previous :class:`~thermo.network.results.Results` of the same network to start from.
        strict
            Raise :class:`~thermo.errors.ConvergenceError` (naming the worst residuals) when the
            solver fails (default). With ``strict=False`` the partial result is returned for
            diagnosis, with ``result.report.converged`` false.
        """
        from thermo.network.results import build_results, knowable_causes, not_a_solution

        options = options or SolverOptions()
        system = self.system()
        if options.initial_temperature is None:
            loose = getattr(self, "_unanchored", None)
            if loose is None or loose[0] is not system:
                loose = self._unanchored = (system, self.unanchored_loops())
            if loose[1]:
                names = loose[1][0]
                shown = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
                raise InputError(
                    f"{self.name}: the loop of {shown} has no temperature reference (no cooler, "
                    "dry cooler, boiler, heat pump, boundary temperature or exchanger to a loop "
                    "that has one), so its temperature and the properties that follow from it "
                    "would be the solver's start value. Add such an element, or state the "
                    "loop's temperature: SolverOptions(initial_temperature=...) (case file: "
                    "[solver] initial_temperature)",
                    key=names[0],
                )
        lay = system.layout
        nc = lay.n_controls
        system.control_provisional = [False] * nc
        system.control_releases = [0] * nc
        if warm_start is not None and len(getattr(warm_start, "state", ())) == lay.size:
            x = np.array(warm_start.state, dtype=float)
            # controls held at a bound last time start held (at today's bounds); the release
            # test at convergence frees those that can reach their setpoint again
            previous = list(getattr(warm_start, "_control_fixed", [None] * nc))
            system.control_fixed = [
                None if f is None else _bound_of(ctl, f)
                for f, ctl in zip(previous, self.controls, strict=True)
            ]
            for j, ctl in enumerate(self.controls):
                x[lay.u.start + j] = float(np.clip(x[lay.u.start + j], ctl.lower, ctl.upper))
            cold_start = False
        else:
            x = self.initial_state(system, options)
            system.control_fixed = [None] * nc
            cold_start = True
        system.m_ref = max(float(np.max(np.abs(x[lay.m]))) if lay.n_branches else 0.0, 1e-3)
        linear = getattr(system, "_linear", None)
        iso_iterations = 0
        first = None
        if cold_start:
            # temperature setpoints are held at their initial actuator values until the first
            # converged state: at uniform temperature no actuator changes a temperature yet
            for j, ctl in enumerate(self.controls):
                if isinstance(ctl.target, NodeTemperature):
                    system.control_fixed[j] = float(x[lay.u.start + j])
                    system.control_provisional[j] = True
            # hydraulic start-up at uniform temperature: consistent flows before heat is coupled
            x_iso, rep_iso, linear = newton(
                system, x, options, linear, isothermal=x[lay.T].copy(), tolerance=1e-1
            )
            iso_iterations = rep_iso.iterations
            if rep_iso.converged:
                x = x_iso
                zero = x[lay.m] == 0.0
                x[lay.m] = np.where(zero, 1e-9, x[lay.m])
                kept = getattr(system, "_start_up_eval", None)
                if kept is not None and kept[0] is x and not zero.any():
                    # the start-up's last evaluation, energy balances restored: the first
                    # steady iteration needs no evaluation of its own
                    first = system.steady_evaluation(kept[1])
            else:
                # the start-up may have held a flow or pressure control; begin again free
                for j, ctl in enumerate(self.controls):
                    if not isinstance(ctl.target, NodeTemperature):
                        system.control_fixed[j] = None
        system._start_up_eval = None
        total_iterations = 0
        passes = 0
        report = None

        def control_passes(x, linear):
            # Newton passes until the held controls are settled (release test at convergence)
            nonlocal total_iterations, passes, first
            report = None
            for _ in range(2 * nc + 2):
                passes += 1
                x_start = x
                fixed_start = list(system.control_fixed)
                x, report, linear = newton(system, x, options, linear, first=first)
                first = None  # the start-up's evaluation serves the first pass only
                if not report.converged and options.pseudo_transient_retry:
                    # fall back to pseudo-transient continuation from the same start — for
                    # the independent sub-systems (hours of a batch) that did not converge;
                    # the others keep their solution
                    total_iterations += report.iterations
                    x, system.control_fixed = unconverged_restart(
                        system, x, x_start, fixed_start, options.tolerance, linear
                    )
                    x, report, linear = newton(system, x, options, linear, pseudo_transient=0.3)
                total_iterations += report.iterations
                if not report.converged:
                    break
                if not release_controls(system, x, linear):
                    break
            # (out of passes while still releasing: the last converged state, with its holds)
            return x, report, linear

        x, report, linear = control_passes(x, linear)
        if report.converged and nc:
            # every control at its setpoint or saturated at a bound: else its mode is decided
            # again (released), and what is still unsettled is reported as not converged
            misses = audit_controls(system, x, system.evaluation_at(x), options.tolerance)
            if misses:
                release(system, misses)
                x, report, linear = control_passes(x, linear)
                if report.converged:
                    misses = audit_controls(system, x, system.evaluation_at(x), options.tolerance)
                    if misses:
                        report = replace(report, converged=False, message=audit_message(misses))
        system._linear = linear
        report = replace(report, iterations=total_iterations + iso_iterations)
        result = build_results(self, system, x, report, passes)
        if report.converged:
            # converged means conserved: a state on a clipped temperature or with an open
            # energy balance is not a solution, whatever its residuals say
            problem = not_a_solution(result)
            if problem:
                report = replace(result.report, converged=False, message=problem)
                result.report = report
        if not report.converged:
            causes = [c for c in knowable_causes(system) if c not in report.message]
            if causes:
                report = replace(
                    result.report, message=report.message + "; likely cause: " + "; ".join(causes)
                )
                result.report = report
        if not report.converged and strict:
            raise ConvergenceError(
                f"{self.name}: {report.message}",
                worst=report.worst,
                iterations=report.iterations,
                result=result,
            )
        return result

    def set_parameter(self, name: str, parameter: str, value: Any) -> None:
        """Change one parameter of a component, composite or control between solves.

        Parameters that components declare as updatable (heat of a ``HeatLoad``, outlet
        temperature of a ``Cooler``, pump speed, valve opening, heat-exchanger UA, ambient
        temperatures, …) are changed in place, so the next solve reuses the assembled equations and
        can warm-start from the previous result; others make the network rebuild its equations.
        For a :class:`~thermo.network.controls.Control`, ``parameter`` may be ``"setpoint"``,
        ``"lower"`` or ``"upper"``.
        """
        item = self[name]
        if isinstance(item, Control):
            if parameter == "setpoint":
                item.target = replace(item.target, value=float(value))
            elif parameter in ("lower", "upper"):
                setattr(item, parameter, float(value))
            else:
                raise InputError(
                    f"a control's parameter is 'setpoint', 'lower' or 'upper', got {parameter!r}",
                    key=f"{name}.{parameter}",
                )
            return
        if not hasattr(item, parameter):
            raise InputError(
                f"{type(item).__name__} {name!r} has no parameter {parameter!r}",
                key=f"{name}.{parameter}",
            )
        setattr(item, parameter, value)
        if self._system is None:
            return
        parts = item.parts() if hasattr(item, "parts") else [item]
        for part in parts:
            located = self._system.group_of.get(part.name)
            if located is None:
                continue  # boundaries read their attributes at every evaluation
            group, local = located
            if hasattr(part, parameter) and part is not item:
                setattr(part, parameter, value)
            if not group.set_parameter(local, parameter, value):
                self._system = None  # not updatable in place: rebuild on the next solve
                return

    def components_of(self, cls: type) -> Iterable[Component]:
        return (c for c in self._components.values() if isinstance(c, cls))


class IsolatedReference(ExpansionTank):
    """Internal pressure reference of a part isolated by closed valves (no flow through it).

    Holds the part at the pressure level of the loop it was cut from; added by the network, not
    by users, and reported in the boundaries table under ``<node>.isolated``.
    """


def _bound_of(ctl: Control, value: float) -> float:
    """The bound of ``ctl`` nearer to ``value`` (a held control keeps its side)."""
    return ctl.upper if value >= 0.5 * (ctl.lower + ctl.upper) else ctl.lower
