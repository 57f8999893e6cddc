"""Assembly of the network equations and their analytic sparse Jacobian.

Unknowns, in this order: node pressures ``p`` [Pa], node temperatures ``T`` [K], branch mass flows
``m`` [kg/s], boundary flows ``m_ext`` [kg/s] and control values ``u``. Equations, in the same
order and count: node mass balances, node energy balances, branch hydraulic laws, boundary
equations, control setpoints.

Node energy balance (upwind mixing), for node ``i`` and each incident branch ``b``::

    E_i = sum_b [ max(q_ib, 0) * (h(T_exit_b) - h(T_i)) + eps_b * (h(T_far_b) - h(T_i)) ]
          + sum_boundaries max(m_ext, 0) * (h(T_bc) - h(T_i))

where ``q_ib`` is the flow of ``b`` into ``i`` and ``T_far_b`` the temperature of the other end of
``b``. The tiny conduction-like term ``eps_b`` (``EPS_FLOW`` times the reference flow) keeps the
balance regular at nodes where no flow enters (dead ends, closed valves); its effect on energy
closure is of order ``EPS_FLOW`` (1e-10) and is reported in the closure figures.

The Jacobian pattern is a fixed superset (both end nodes of every branch appear, whatever the flow
direction), computed once; each iteration only refreshes the numeric values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from thermo.components.base import Dependency
from thermo.network.branch_context import BranchContext
from thermo.network.fluid_set import FluidSet

if TYPE_CHECKING:
    from thermo.network.model import Network

EPS_FLOW = 1e-10
"""Relative weight of the conduction-like regularisation in node energy balances [-]."""
STAGNANT_FLOW = 1e-9
"""A node whose through-flow is below this fraction of the largest flow counts as stagnant [-]."""
G = 9.80665
"""Standard gravity [m/s²] (static head between nodes at different elevations)."""


@dataclass
class Layout:
    """Sizes and offsets of the unknown vector (equal to those of the residual vector)."""

    n_nodes: int
    n_branches: int
    n_boundaries: int
    n_controls: int

    @property
    def p(self) -> slice:
        return slice(0, self.n_nodes)

    @property
    def T(self) -> slice:
        return slice(self.n_nodes, 2 * self.n_nodes)

    @property
    def m(self) -> slice:
        o = 2 * self.n_nodes
        return slice(o, o + self.n_branches)

    @property
    def m_ext(self) -> slice:
        o = 2 * self.n_nodes + self.n_branches
        return slice(o, o + self.n_boundaries)

    @property
    def u(self) -> slice:
        o = 2 * self.n_nodes + self.n_branches + self.n_boundaries
        return slice(o, o + self.n_controls)

    @property
    def size(self) -> int:
        return 2 * self.n_nodes + self.n_branches + self.n_boundaries + self.n_controls


class System:
    """The assembled nonlinear system of one network (see module docstring)."""

    def __init__(self, network: Network) -> None:
        net = network
        self.network = net
        self.node_names = list(net.node_names)
        node_id = {n: i for i, n in enumerate(self.node_names)}
        self.branches = net.branches
        self.boundaries = net.boundaries + list(getattr(net, "_isolation_refs", []))
        self.controls = net.controls
        self.layout = Layout(
            len(self.node_names), len(self.branches), len(self.boundaries), len(self.controls)
        )
        self.inlet = np.array([node_id[b.inlet] for b in self.branches], dtype=np.int64)
        self.outlet = np.array([node_id[b.outlet] for b in self.branches], dtype=np.int64)
        self.bnode = np.array([node_id[b.node] for b in self.boundaries], dtype=np.int64)
        fluids, fluid_of_node = net.fluid_assignment(node_id)
        self.fluids = FluidSet(fluids, fluid_of_node)
        self.branch_fluid = fluid_of_node[self.inlet] if len(self.inlet) else np.zeros(0, int)
        self.boundary_fluid = fluid_of_node[self.bnode] if len(self.bnode) else np.zeros(0, int)
        # groups, one per branch class, in first-appearance order
        by_class: dict[type, list[int]] = {}
        for i, b in enumerate(self.branches):
            by_class.setdefault(type(b), []).append(i)
        branch_pos = {b.name: i for i, b in enumerate(self.branches)}
        self.groups = []
        for cls, idx in by_class.items():
            idx_arr = np.array(idx, dtype=np.int64)
            group = cls.group([self.branches[i] for i in idx], idx_arr, branch_pos)
            if hasattr(group, "set_default_friction_law"):
                group.set_default_friction_law(getattr(net, "friction_law", None))
            self.groups.append(group)
        for j, ctl in enumerate(self.controls):
            ctl.bind(j, self, branch_pos, node_id)
        self.control_fixed: list[float | None] = [None] * len(self.controls)
        """Per control: ``None`` (free: its setpoint equation) or the value it is held at."""
        self.control_provisional: list[bool] = [False] * len(self.controls)
        """Per control: held only as a start-up aid (released at the first convergence)."""
        self.control_releases: list[int] = [0] * len(self.controls)
        """Per control: how often it was released from a bound in the current solve."""
        for g in self.groups:
            local = {int(b): i for i, b in enumerate(g.branch_index)}
            mine = [c for c in self.controls if c.branch in local]
            if not mine:
                continue
            params = {c.parameter for c in mine}
            if len(params) > 1:
                from thermo.errors import InputError

                raise InputError(
                    f"controls act on different parameters {sorted(params)} of "
                    f"{type(self.branches[mine[0].branch]).__name__} components; use one",
                    key=mine[0].name,
                )
            ci = np.full(len(g.branch_index), -1, dtype=np.int64)
            for c in mine:
                if ci[local[c.branch]] >= 0:
                    from thermo.errors import InputError

                    raise InputError(
                        f"component {c.component!r} has two controls", key=f"{c.name}.component"
                    )
                ci[local[c.branch]] = c.index
            g.bind_controls(mine[0].parameter, ci)
        self.node_index = node_id
        self.branch_position = branch_pos
        # static head: node elevations [m] (Network.set_elevation); a branch whose ends differ in
        # height adds rho_up g (z_out - z_in) to its pressure change
        elev = getattr(net, "elevations", {})
        self.elevation = np.array([float(elev.get(nm, 0.0)) for nm in self.node_names])
        self.dz = self.elevation[self.outlet] - self.elevation[self.inlet]
        self.has_elevation = bool(np.any(self.dz != 0.0))
        self._node_degree = np.zeros(len(self.node_names))
        np.add.at(self._node_degree, self.inlet, 1.0)
        np.add.at(self._node_degree, self.outlet, 1.0)
        for b in self.branches:
            if getattr(b, "elevation_change", 0.0) and (b.inlet in elev or b.outlet in elev):
                from thermo.errors import InputError

                raise InputError(
                    f"{b.name} has its own elevation_change and joins nodes with an elevation: "
                    "give heights either as node elevations or as the pipe's elevation_change",
                    key=f"{b.name}.elevation_change",
                )
        self.group_of: dict[str, tuple] = {}
        for g in self.groups:
            for local, comp in enumerate(g.components):
                self.group_of[comp.name] = (g, local)
        self._pattern: tuple[np.ndarray, np.ndarray] | None = None
        self._control_pattern: tuple[np.ndarray, np.ndarray] | None = None
        self.m_ref = 1.0
        self._last_eval: tuple | None = None
        self.storage = None
        """Optional energy-storage terms of the node balances (time stepping, see
        :mod:`thermo.transient`): an object with ``energy_terms(T, h, cp) -> (E, dE_dT)`` adding
        ``E`` [W] to each node's energy balance. ``None`` (steady state): no change."""

    # ------------------------------------------------------------------ helpers
    def upstream(self, x: np.ndarray) -> np.ndarray:
        m = x[self.layout.m]
        return np.where(m >= 0.0, self.inlet, self.outlet)

    def _dep_columns(
        self, dep: Dependency, x: np.ndarray, own: np.ndarray
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Map a dependency to (valid mask, column, multiplier) pairs (two for ``Tup``).

        The mask is ``None`` when every entry is present, the multiplier ``None`` when it is one
        (see :func:`_entry`).

        Entries of absent dependencies (index -1) keep their slot in the fixed pattern with a zero
        value; they are placed in the column of the branch's own flow (``own``: global branch
        indices), so that they never join independent sub-systems (the hours of a batched run)
        in the Jacobian's structure. Columns are computed once per dependency (the pattern is
        fixed); only the upstream choice of ``Tup`` follows the flow.
        """
        cache = self.__dict__.setdefault("_dep_cache", {})
        key = id(dep)
        hit = cache.get(key)
        if hit is None or hit[0] is not dep:
            lay = self.layout
            idx = dep.index
            valid = idx >= 0
            safe = np.where(valid, idx, 0)
            dummy = lay.m.start + own
            start = {"m": lay.m.start, "u": lay.u.start, "T": lay.T.start, "p": lay.p.start}
            if dep.kind in start:
                cols = (np.where(valid, start[dep.kind] + safe, dummy),)
            elif dep.kind == "Tup":
                cols = (
                    np.where(valid, lay.T.start + self.inlet[safe], dummy),
                    np.where(valid, lay.T.start + self.outlet[safe], dummy),
                )
            else:
                raise ValueError(f"unknown dependency kind {dep.kind!r}")
            # every entry present: no masking needed (None), and a multiplier of one is left out
            hit = (dep, None if valid.all() else valid, safe, cols, np.ones(len(idx)))
            cache[key] = hit
        _, valid, safe, cols, ones = hit
        if dep.kind != "Tup":
            return [(valid, cols[0], None if valid is None else ones)]
        m = x[self.layout.m][safe] if len(safe) else np.zeros(0)
        fwd = (m >= 0.0).astype(float)
        return [(valid, cols[0], fwd), (valid, cols[1], 1.0 - fwd)]

    # ------------------------------------------------------------------ evaluation
    def evaluate(
        self, x: np.ndarray, *, jacobian: bool = True, isothermal: np.ndarray | None = None
    ) -> Evaluation:
        """Residuals (and Jacobian entries) at ``x``.

        With ``isothermal`` (node temperatures), the energy balances are replaced by
        ``T - isothermal = 0``: the hydraulic start-up phase that gives Newton consistent flows
        before heat is coupled in. The Jacobian pattern is the same in both modes.
        """
        lay = self.layout
        n, nb = lay.n_nodes, lay.n_branches
        p = x[lay.p]
        T = x[lay.T]
        m = x[lay.m]
        m_ext = x[lay.m_ext]
        node_state = self.fluids.state(self.fluids.fluid_of_node, T)
        h_node = node_state["h"]
        cp_node = node_state["cp"]
        F = np.zeros(lay.size)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []

        # the pattern is fixed: row/column arrays are built on the first call only
        build = self._pattern is None

        def add(v, where):
            # where() gives (rows, columns): needed only when the pattern is built (first call)
            if build:
                r, c = where()
                r = np.asarray(r, dtype=np.int64)
                rows.append(r)
                cols.append(np.broadcast_to(np.asarray(c, dtype=np.int64), r.shape))
                vals.append(np.broadcast_to(np.asarray(v, dtype=float), r.shape))
            else:
                vals.append(v)

        T_exit = np.empty(nb)
        heat = np.empty(nb)
        dp_all = np.empty(nb)
        therm_entries = []  # (branch idx, cols, vals) for dT_exit/d(dep)
        ctxs = []
        for g in self.groups:
            ctx = BranchContext(self, g.branch_index, x, node_state)
            ctxs.append(ctx)
            hyd = g.hydraulics(ctx)
            th = g.thermal(ctx)
            bi = g.branch_index
            dp_all[bi] = hyd.dp
            T_exit[bi] = th.T_exit
            heat[bi] = th.heat
            hrow = 2 * n + bi
            for dep, d in zip(g.hydraulic_dependencies, hyd.derivatives, strict=True):
                for valid, col, mult in self._dep_columns(dep, x, bi):
                    add(_entry(valid, -d, mult), lambda r=hrow, k=col: (r, k))
            for dep, d in zip(g.thermal_dependencies, th.derivatives, strict=True):
                for valid, col, mult in self._dep_columns(dep, x, bi):
                    therm_entries.append((bi, col, _entry(valid, d, mult)))

        # ---- branch hydraulic rows: p_in - p_out - dp = 0
        a, c = self.inlet, self.outlet
        bidx = np.arange(nb)
        F[2 * n : 2 * n + nb] = p[a] - p[c] - dp_all
        add(1.0, lambda: (2 * n + bidx, lay.p.start + a))
        add(-1.0, lambda: (2 * n + bidx, lay.p.start + c))
        if self.has_elevation:
            # p_in - p_out - dp - rho_up g (z_out - z_in) = 0, rho at the upstream node
            up_fwd = m >= 0.0
            up = np.where(up_fwd, a, c)
            F[2 * n : 2 * n + nb] -= node_state["rho"][up] * G * self.dz
            d_static = -node_state["drho_dT"][up] * G * self.dz
            add(np.where(up_fwd, d_static, 0.0), lambda: (2 * n + bidx, lay.T.start + a))
            add(np.where(up_fwd, 0.0, d_static), lambda: (2 * n + bidx, lay.T.start + c))

        # ---- node mass rows
        np.add.at(F, c, m)
        np.subtract.at(F, a, m)
        add(1.0, lambda: (c, lay.m.start + bidx))
        add(-1.0, lambda: (a, lay.m.start + bidx))

        # ---- node energy rows
        h_exit, cp_exit = self.fluids.enthalpy_cp(self.branch_fluid, T_exit)
        eps = EPS_FLOW * self.m_ref
        w_c = np.maximum(m, 0.0)
        w_a = np.maximum(-m, 0.0)
        Er = n  # offset of energy rows
        E = np.zeros(n)
        np.add.at(E, c, w_c * (h_exit - h_node[c]) + eps * (h_node[a] - h_node[c]))
        np.add.at(E, a, w_a * (h_exit - h_node[a]) + eps * (h_node[c] - h_node[a]))
        fwd = m > 0.0
        rev = m < 0.0
        add(np.where(fwd, h_exit - h_node[c], 0.0), lambda: (Er + c, lay.m.start + bidx))
        add(np.where(rev, -(h_exit - h_node[a]), 0.0), lambda: (Er + a, lay.m.start + bidx))
        add(-(w_c + eps) * cp_node[c], lambda: (Er + c, lay.T.start + c))
        add(eps * cp_node[a], lambda: (Er + c, lay.T.start + a))
        add(-(w_a + eps) * cp_node[a], lambda: (Er + a, lay.T.start + a))
        add(eps * cp_node[c], lambda: (Er + a, lay.T.start + c))
        for bi, col, d in therm_entries:
            factor = cp_exit[bi] * d
            add(w_c[bi] * factor, lambda b=bi, k=col: (Er + c[b], k))
            add(w_a[bi] * factor, lambda b=bi, k=col: (Er + a[b], k))

        # ---- boundaries
        nk = lay.n_boundaries
        if nk:
            bn = self.bnode
            kidx = np.arange(nk)
            np.add.at(F, bn, m_ext)
            add(1.0, lambda: (bn, lay.m_ext.start + kidx))
            T_bc = self._boundary_inflow_temperature(T[bn])
            h_bc, _ = self.fluids.enthalpy_cp(self.boundary_fluid, T_bc)
            w = np.maximum(m_ext, 0.0)
            np.add.at(E, bn, w * (h_bc - h_node[bn]))
            add(
                np.where(m_ext > 0, h_bc - h_node[bn], 0.0),
                lambda: (Er + bn, lay.m_ext.start + kidx),
            )
            # boundaries without a fixed inflow temperature follow the node: no T derivative of h_bc
            add(
                np.where(self._bd_fixed_T, -w * cp_node[bn], 0.0),
                lambda: (Er + bn, lay.T.start + bn),
            )
            brow = 2 * n + nb + kidx
            value, coef_p, coef_m = self._boundary_rows(p[bn], m_ext)
            F[brow] = value
            add(coef_p, lambda: (brow, lay.p.start + bn))
            add(coef_m, lambda: (brow, lay.m_ext.start + kidx))
        diag_value: np.ndarray | float = 0.0
        if self.storage is not None and isothermal is None:
            # stored energy and ambient losses of nodes holding fluid (time stepping)
            E_store, diag_value = self.storage.energy_terms(T, h_node, cp_node)
            E = E + E_store
        F[Er : Er + n] = E
        diag = np.arange(n)
        steady_E = None
        if isothermal is not None:
            steady_E = E  # the steady energy balances, kept for Evaluation.steady
            F[Er : Er + n] = T - isothermal
        diag_slot = len(vals)
        add(1.0 if isothermal is not None else diag_value, lambda: (Er + diag, lay.T.start + diag))

        # ---- controls
        # every control row lists the same columns in both modes (free / held at a bound), so
        # the fixed pattern holds when a control saturates or is released
        crow0 = 2 * n + nb + nk
        if self.controls:
            if self._control_pattern is None:
                ccols = [ctl.columns(self) for ctl in self.controls]
                self._control_pattern = (
                    np.concatenate(
                        [np.full(len(cc), crow0 + j) for j, cc in enumerate(ccols)]
                    ).astype(np.int64),
                    np.concatenate([np.asarray(cc, dtype=np.int64) for cc in ccols]),
                )
            value, coefs = self._control_rows(x, node_state)
            F[crow0 : crow0 + len(self.controls)] = value
            add(coefs, lambda: (self._control_pattern[0], self._control_pattern[1]))

        ev = Evaluation(F=F, T_exit=T_exit, heat=heat, dp=dp_all, h_exit=h_exit, h_node=h_node)
        ev.control_errors = self._control_errors if self.controls else np.zeros(0)
        ev.node_state = node_state
        ev.contexts = ctxs
        if jacobian:
            if build:
                r = np.concatenate(rows)
                self._pattern = (r, np.concatenate(cols))
                self._slot_sizes = [len(v) for v in vals]
                start = sum(self._slot_sizes[:diag_slot])
                self._energy_entries = (r >= Er) & (r < Er + n)
                self._energy_entries[start : start + n] = False  # the isothermal diagonal
                # as indices: gathers and scatters by index beat a boolean mask of every entry
                self._energy_entries = np.flatnonzero(self._energy_entries)
                self.energy_diagonal = slice(start, start + n)
                self._constant_slots = {}
            # one concatenation of the slots (a copy per slot cost more in call overhead);
            # constant slots (a scalar) are kept as arrays between evaluations
            parts = []
            const = self._constant_slots
            for i, (val, size) in enumerate(zip(vals, self._slot_sizes, strict=True)):
                if isinstance(val, np.ndarray) and val.shape == (size,):
                    parts.append(val)
                    continue
                key = (i, float(val)) if np.ndim(val) == 0 else None
                arr = const.get(key) if key is not None else None
                if arr is None:
                    arr = np.broadcast_to(np.asarray(val, dtype=float), (size,))
                    if key is not None:
                        arr = const[key] = np.array(arr)
                parts.append(arr)
            v = np.concatenate(parts) if parts else np.empty(0)
            if isothermal is not None:
                if self.storage is None:
                    ev.steady = (steady_E, v[self._energy_entries])
                v[self._energy_entries] = 0.0
            ev.jac = (self._pattern[0], self._pattern[1], v)
        return ev

    def steady_evaluation(self, ev: Evaluation) -> Evaluation | None:
        """The steady evaluation (energy balances restored) at the state of the isothermal
        evaluation ``ev``: bit for bit what :meth:`evaluate` without ``isothermal`` returns
        there, without evaluating the components again (``None`` when ``ev`` did not keep its
        energy rows, e.g. with storage terms). Used once, by the first Newton iteration after
        the hydraulic start-up."""
        kept = getattr(ev, "steady", None)
        if kept is None or ev.jac is None:
            return None
        E, v_energy = kept
        n = self.layout.n_nodes
        F = ev.F.copy()
        F[n : 2 * n] = E
        v = ev.jac[2].copy()
        v[self._energy_entries] = v_energy
        v[self.energy_diagonal] = 0.0
        out = Evaluation(
            F=F,
            T_exit=ev.T_exit,
            heat=ev.heat,
            dp=ev.dp,
            h_exit=ev.h_exit,
            h_node=ev.h_node,
            jac=(ev.jac[0], ev.jac[1], v),
        )
        out.control_errors = ev.control_errors
        out.node_state = ev.node_state
        out.contexts = ev.contexts
        return out

    def evaluation_at(self, x: np.ndarray) -> Evaluation:
        """The evaluation at ``x``: the solver's last one when it was made at this very state
        (the physical quantities do not depend on the control modes), else a new one."""
        last = getattr(self, "_last_eval", None)
        if last is not None and (last[0] is x or np.array_equal(last[0], x)):
            return last[1]
        return self.evaluate(x, jacobian=False)

    # ------------------------------------------------------------------ vectorised rows
    def _boundary_setup(self) -> None:
        from thermo.components.boundaries import ExpansionTank, FlowSource, PressureBoundary

        bds = self.boundaries
        self._bd_fixed_T = np.array([bd.has_inflow_temperature for bd in bds], dtype=bool)
        known = (ExpansionTank, PressureBoundary, FlowSource)
        self._bd_generic = [k for k, bd in enumerate(bds) if type(bd) not in known]
        self._bd_flow = np.array([isinstance(bd, FlowSource) for bd in bds], dtype=bool)
        for k, bd in enumerate(bds):
            if isinstance(bd, FlowSource) and getattr(bd, "volume_flow", None) is not None:
                fluid = self.fluids.fluids[self.boundary_fluid[k]]
                bd.set_density(float(fluid.density(bd.temperature, check=False)))

    def _boundary_inflow_temperature(self, T_nodes: np.ndarray) -> np.ndarray:
        """Temperature of fluid entering through each boundary [K]."""
        if not hasattr(self, "_bd_fixed_T"):
            self._boundary_setup()
        out = T_nodes.copy()
        for k, bd in enumerate(self.boundaries):
            if self._bd_fixed_T[k] or k in self._bd_generic:
                out[k] = bd.inflow_temperature(T_nodes[k])
        return out

    def _boundary_rows(self, p_b: np.ndarray, m_ext: np.ndarray):
        """Boundary equations: residuals and coefficients on the node pressure and on m_ext.

        Pressure references: ``p - pressure``; flow sources: ``m_ext - mass_flow`` (the
        attributes are read at every evaluation, so they may change between solves); other
        boundary classes through their own ``equation``.
        """
        if not hasattr(self, "_bd_fixed_T"):
            self._boundary_setup()
        bds = self.boundaries
        flow = self._bd_flow
        target = np.array(
            [bd.mass_flow if f else bd.pressure for bd, f in zip(bds, flow, strict=True)]
        )
        value = np.where(flow, m_ext, p_b) - target
        coef_p = np.where(flow, 0.0, 1.0)
        coef_m = np.where(flow, 1.0, 0.0)
        for k in self._bd_generic:
            v, entries = bds[k].equation(p_b[k], m_ext[k])
            value[k] = v
            coef_p[k] = coef_m[k] = 0.0
            for kind, c in entries:
                if kind == "p":
                    coef_p[k] += c
                else:
                    coef_m[k] += c
        return value, coef_p, coef_m

    def _control_setup(self) -> None:
        from thermo.network.controls import (
            DifferentialPressure,
            MassFlow,
            NodeTemperature,
            VolumeFlow,
        )

        lay = self.layout
        kinds = {DifferentialPressure: 0, NodeTemperature: 1, MassFlow: 2, VolumeFlow: 3}
        self._ctl_kind = np.array([kinds[type(c.target)] for c in self.controls])
        widths = np.array([(3, 2, 2, 4)[k] for k in self._ctl_kind])
        self._ctl_offset = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)
        self._ctl_width = widths
        a = np.zeros(len(self.controls), dtype=np.int64)
        b = np.zeros(len(self.controls), dtype=np.int64)
        for j, c in enumerate(self.controls):
            k = self._ctl_kind[j]
            if k == 0:
                a[j], b[j] = c._nodes
            elif k == 1:
                a[j] = c._nodes[0]
            else:
                a[j] = c._target_branch
        self._ctl_a, self._ctl_b = a, b
        self._ctl_u = lay.u.start + np.arange(len(self.controls))

    def _control_rows(self, x: np.ndarray, node_state: dict):
        """Residuals of all control rows and their coefficients, aligned with the pattern
        (:meth:`thermo.network.controls.Control.columns`); same equations as
        :meth:`~thermo.network.controls.Control.equation`, vectorised."""
        if getattr(self, "_ctl_kind", None) is None or len(self._ctl_kind) != len(self.controls):
            self._control_setup()
        lay = self.layout
        kind, a, b = self._ctl_kind, self._ctl_a, self._ctl_b
        setpoint = np.array([c.target.value for c in self.controls])
        fixed = np.array([np.nan if f is None else f for f in self.control_fixed])
        held = ~np.isnan(fixed)
        p, T, m = x[lay.p], x[lay.T], x[lay.m]
        u = x[self._ctl_u]
        coefs = np.zeros(int(self._ctl_width.sum()))
        off = self._ctl_offset
        measured = np.zeros(len(kind))
        sel = kind == 0
        measured[sel] = p[a[sel]] - p[b[sel]]
        sel = kind == 1
        measured[sel] = T[a[sel]]
        sel = kind == 2
        measured[sel] = m[a[sel]]
        free = ~held
        for k, cols in ((0, (1.0, -1.0)), (1, (1.0,)), (2, (1.0,))):
            sel = (kind == k) & free
            for i, c in enumerate(cols):
                coefs[off[sel] + i] = c
        sel = kind == 3
        if sel.any():
            br = a[sel]
            mb = m[br]
            fwd = mb >= 0
            up = np.where(fwd, self.inlet[br], self.outlet[br])
            rho = node_state["rho"][up]
            d_up = -mb / rho**2 * node_state["drho_dT"][up]
            measured[sel] = mb / rho
            fs = free[sel]
            o = off[sel]
            coefs[o] = np.where(fs, 1.0 / rho, 0.0)
            coefs[o + 1] = np.where(fs & fwd, d_up, 0.0)
            coefs[o + 2] = np.where(fs & ~fwd, d_up, 0.0)
        value = np.where(held, u - np.where(held, fixed, 0.0), measured - setpoint)
        coefs[(off + self._ctl_width - 1)[held]] = 1.0
        self._control_errors = measured - setpoint
        return value, coefs

    def control_errors(self, ev: Evaluation) -> np.ndarray:
        """``measured - setpoint`` of every control at the state of evaluation ``ev``, whatever
        the control's mode (computed with the rows of the last evaluation)."""
        return ev.control_errors

    def residual_scales(self, x: np.ndarray, ev: Evaluation) -> np.ndarray:
        """Per-equation scales that turn residuals into comparable, dimensionless numbers.

        Mass rows by the reference flow; energy rows by (flow through the node x cp) so they read
        as kelvin; hydraulic rows by the largest branch pressure change; boundary and control rows
        by their own references.
        """
        lay = self.layout
        n, nb = lay.n_nodes, lay.n_branches
        m = np.abs(x[lay.m])
        m_ref = max(float(m.max()) if len(m) else 0.0, 1e-6)
        s = np.empty(lay.size)
        s[lay.p] = m_ref
        through = np.zeros(n)
        np.add.at(through, self.outlet, m)
        np.add.at(through, self.inlet, m)
        cp = ev.node_state["cp"]
        # nodes without flow (dead ends, behind shut valves, stopped pumps) are held only by the
        # conduction-like EPS_FLOW terms: their rows are scaled by those, so that they too read
        # as kelvin and their temperature converges (else it could drift by kelvins unnoticed)
        eps = EPS_FLOW * self.m_ref
        stagnant = through < STAGNANT_FLOW * m_ref
        s[lay.T] = (
            np.where(
                stagnant,
                np.maximum(eps * self._node_degree, 1e-300),
                np.maximum(0.5 * through, 1e-3 * m_ref),
            )
            * cp
        )
        if self.storage is not None:
            # fluid stored at a node: its balance reads as kelvin of (flow + mass/time step)
            s[lay.T] += self.storage.mass * self.storage.rate * cp + self.storage.ua
        dp_ref = max(float(np.abs(ev.dp).max()) if nb else 0.0, 1.0)
        s[lay.m] = dp_ref
        if lay.n_boundaries:
            s[lay.m_ext] = self._boundary_scales(dp_ref, m_ref)
        if lay.n_controls:
            s[lay.u] = self._control_scales(dp_ref, m_ref)
        return s

    def _boundary_scales(self, dp_ref: float, m_ref: float) -> np.ndarray:
        """``bd.residual_scale(dp_ref, m_ref)`` of every boundary, vectorised for the classes
        whose scale is ``dp_ref`` or ``m_ref`` (many in a batched annual run: one per hour)."""
        from thermo.components.boundaries import ExpansionTank, FlowSource, PressureBoundary

        bds = self.boundaries
        code = getattr(self, "_bd_scale_code", None)
        if code is None or len(code) != len(bds):
            by_dp = (ExpansionTank.residual_scale, PressureBoundary.residual_scale)
            code = np.array(
                [
                    0
                    if type(bd).residual_scale in by_dp
                    else 1
                    if type(bd).residual_scale is FlowSource.residual_scale
                    else 2
                    for bd in bds
                ]
            )
            self._bd_scale_code = code
        out = np.where(code == 0, dp_ref, m_ref)
        for k in np.flatnonzero(code == 2):
            out[k] = bds[k].residual_scale(dp_ref, m_ref)
        return out

    def _control_scales(self, dp_ref: float, m_ref: float) -> np.ndarray:
        """Scale of every control row: :meth:`~thermo.network.controls.Control.residual_scale`
        of a free control, the actuator's range for a held one (``u - bound``), vectorised."""
        free = self._control_free_scales(dp_ref, m_ref)
        held = np.array([f is not None for f in self.control_fixed], dtype=bool)
        if not held.any():
            return free
        span = np.array([c.upper - c.lower for c in self.controls], dtype=float)
        return np.where(held, span, free)

    def _control_free_scales(self, dp_ref: float, m_ref: float) -> np.ndarray:
        """:meth:`~thermo.network.controls.Control.residual_scale` of every control, vectorised."""
        if getattr(self, "_ctl_kind", None) is None or len(self._ctl_kind) != len(self.controls):
            self._control_setup()
        kind = self._ctl_kind
        value = np.abs(np.array([c.target.value for c in self.controls], dtype=float))
        return np.select(
            [kind == 0, kind == 1, kind == 2],
            [np.maximum(value, dp_ref), np.ones(len(kind)), np.maximum(value, m_ref)],
            np.maximum(value, m_ref / 1000.0),
        )

    def row_name(self, i: int) -> str:
        """Readable name of equation ``i`` (e.g. ``"node 'S'.energy"``, ``"pipe3.hydraulic"``)."""
        lay = self.layout
        n, nb, nk = lay.n_nodes, lay.n_branches, lay.n_boundaries
        if i < n:
            return f"node {self.node_names[i]}: mass balance"
        if i < 2 * n:
            return f"node {self.node_names[i - n]}: energy balance"
        if i < 2 * n + nb:
            return f"{self.branches[i - 2 * n].name}: pressure drop law"
        if i < 2 * n + nb + nk:
            return f"{self.boundaries[i - 2 * n - nb].name}: boundary condition"
        return f"{self.controls[i - 2 * n - nb - nk].name}: setpoint"


def _entry(valid: np.ndarray | None, d: np.ndarray, mult: np.ndarray | None) -> np.ndarray:
    """``where(valid, d * mult, 0)`` with ``valid``/``mult`` ``None`` meaning all/one (the
    same numbers, fewer array operations)."""
    v = d if mult is None else d * mult
    return v if valid is None else np.where(valid, v, 0.0)


@dataclass
class Evaluation:
    """Residuals and by-products of one evaluation of the system."""

    F: np.ndarray
    T_exit: np.ndarray
    heat: np.ndarray
    dp: np.ndarray
    h_exit: np.ndarray
    h_node: np.ndarray
    jac: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    node_state: dict | None = None
    contexts: list | None = None
    control_errors: np.ndarray | None = None
    """``measured - setpoint`` of every control (whatever its mode)."""
    steady: tuple | None = None
    """Isothermal evaluations only: the steady energy balances and their Jacobian entries
    (:meth:`System.steady_evaluation`)."""
