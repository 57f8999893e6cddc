"""The result of one network solve: tidy tables, summary, flags, closure and the solver report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.network.newton import SolveReport
from thermo.network.table import Table

KELVIN_OFFSET = 273.15
STANDARD_ATMOSPHERE = 101325.0
"""Pressure subtracted from absolute pressures to give the gauge pressure of ``head_m`` [Pa]."""
G = 9.80665
"""Standard gravity [m/s²]."""

CLOSURE_TOLERANCE = 1e-6
"""Largest mass or energy closure (:attr:`Results.closure`) of a solution that may be called
converged [-]. A converged Newton solve closes to ~1e-10 or better; a larger imbalance means a
state the equations do not describe (e.g. heat lost at a clipped temperature), see
:func:`not_a_solution`."""
EDGE_K = 1e-6
"""A node or branch-exit temperature this close to the edge of its coolant's evaluable window
(the valid range widened by ``thermo.network.fluid_set.MARGIN_K``) was clipped there [K]."""


ERROR_CODES = frozenset(
    {
        "heat_not_delivered",
        "above_max_temperature",
        "below_min_temperature",
        "boiling",
        "negative_pressure",
    }
)
"""Flag codes of states the models cannot honour (severity ``"error"``): heat that does not reach
the fluid, a coolant outside the range its properties are valid in (freezing included), boiling
in a single-phase model, a negative absolute pressure. An error flag fails ``thermo check``.
Every other flag (a saturated control, a curve or correlation extrapolated, a temperature cross
of a pure counterflow exchanger, reverse flow, a design limit) is a ``"warning"``."""


@dataclass(frozen=True)
class Flag:
    """A physically impossible or questionable state found in a solution."""

    element: str
    """Component, node or control name."""
    code: str
    """Short machine-readable code, e.g. ``"above_max_temperature"``, ``"beyond_curve"``."""
    message: str
    value: float | None = None
    """The flagged quantity in SI (a temperature [K], a heat [W], ...) when there is one: the
    worst flag of a kind is the one with the largest value (smallest for ``below_*``)."""

    @property
    def severity(self) -> str:
        """``"error"`` for codes in :data:`ERROR_CODES`, else ``"warning"``."""
        return "error" if self.code in ERROR_CODES else "warning"

    def to_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "value": self.value,
        }


def worst_flag(flags: list[Flag]) -> Flag:
    """The worst of flags of one kind: by value (lowest for ``below_*`` codes), else the first."""
    valued = [f for f in flags if f.value is not None and np.isfinite(f.value)]
    if not valued:
        return flags[0]
    if flags[0].code.startswith("below"):
        return min(valued, key=lambda f: f.value)
    return max(valued, key=lambda f: abs(f.value))


def group_flags(flags: list[Flag]) -> list[tuple[str, str, int, Flag]]:
    """``(severity, code, count, worst flag)`` per code, errors first, then by count."""
    by: dict[str, list[Flag]] = {}
    for f in flags:
        by.setdefault(f.code, []).append(f)
    rows = [(fs[0].severity, code, len(fs), worst_flag(fs)) for code, fs in by.items()]
    return sorted(rows, key=lambda r: (r[0] != "error", -r[2], r[1]))


class Results:
    """Everything one solve produced. Tables are pandas DataFrames with unit-suffixed columns.

    Tables, summary and flags are computed on first access, so a solve inside an hourly loop pays
    only for what it reads; :meth:`temperature`, :meth:`mass_flow`, :meth:`heat` and :meth:`value`
    read single values without building tables.

    Attributes
    ----------
    nodes
        One row per node: ``T_K``, ``T_C``, ``p_Pa``, ``p_bar``, ``coolant``, ``elevation_m`` and
        ``head_m`` (hydraulic grade: elevation plus gauge pressure over rho g), ``isolated`` (cut
        off by closed valves).
    components
        One row per branch: ``type``, ``inlet``, ``outlet``, ``m_dot_kg_s``, ``V_dot_m3_s``,
        ``V_dot_L_min``, ``dp_Pa`` (inlet minus outlet pressure), ``Q_W`` (heat into the fluid),
        ``T_in_C``, ``T_out_C`` (at the inlet and outlet ports), plus component-specific columns
        (``velocity_m_s``, ``Re``, ``P_el_W``, ``effectiveness``, …; NaN where not applicable).
    boundaries
        One row per boundary element: ``node``, ``m_ext_kg_s`` (into the network), ``p_Pa``.
    controls
        One row per control: actuator ``value``, ``target``, ``achieved``, ``saturated``.
    summary
        Scalar KPIs with unit-suffixed keys.
    closure
        ``mass_rel``: largest node mass imbalance over the largest branch flow; ``energy_rel``:
        net heat into the fluid plus net enthalpy inflow at boundaries over the total heat
        exchanged (both ~1e-10 or better for a converged solve).
    flags
        Physically impossible or questionable states (:class:`Flag`); empty when all is well.
    report
        The solver report (converged, iterations, residual norm, worst residuals).
    state
        The solution vector, for a warm start of the next solve of the same network.
    """

    def __init__(self, system, x: np.ndarray, report: SolveReport) -> None:
        self._system = system
        self.state = x.copy()
        self.report = report
        self._ev = system.evaluation_at(x)
        self._control_fixed = [
            None if prov else f
            for f, prov in zip(system.control_fixed, system.control_provisional, strict=True)
        ]
        self._cache: dict[str, Any] = {}
        self.closure = _closure(system, self.state, self._ev)

    def __repr__(self) -> str:
        r = self.report
        return (
            f"Results(converged={r.converged}, iterations={r.iterations}, "
            f"nodes={self._system.layout.n_nodes}, branches={self._system.layout.n_branches})"
        )

    @property
    def converged(self) -> bool:
        return self.report.converged

    # ------------------------------------------------------------ single values, no tables
    def temperature(self, node: str) -> float:
        """Temperature of ``node`` [K]."""
        return float(self.state[self._system.layout.T][self._system.node_index[node]])

    def pressure(self, node: str) -> float:
        """Absolute pressure at ``node`` [Pa]."""
        return float(self.state[self._system.layout.p][self._system.node_index[node]])

    def mass_flow(self, component: str) -> float:
        """Mass flow through branch ``component`` [kg/s] (positive inlet → outlet)."""
        return float(self.state[self._system.layout.m][self._system.branch_position[component]])

    def heat(self, component: str) -> float:
        """Heat into the fluid in branch ``component`` [W]."""
        return float(self._ev.heat[self._system.branch_position[component]])

    def exit_temperature(self, component: str) -> float:
        """Temperature of the fluid leaving branch ``component`` downstream [K]."""
        return float(self._ev.T_exit[self._system.branch_position[component]])

    def value(self, component: str, column: str) -> float:
        """A component-specific reported value, e.g. ``value("pump", "P_el_W")``."""
        b = self._system.branch_position[component]
        where = self._cache.get("where")
        if where is None:
            # group and position within it of every branch (one pass, then O(1) per value)
            n = len(self._system.branches)
            group = np.full(n, -1, dtype=np.int64)
            local = np.zeros(n, dtype=np.int64)
            for k, g in enumerate(self._system.groups):
                idx = np.asarray(g.branch_index, dtype=np.int64)
                group[idx] = k
                local[idx] = np.arange(len(idx))
            where = self._cache["where"] = (group, local)
        k = int(where[0][b])
        if k < 0:
            raise KeyError(component)
        g = self._system.groups[k]
        rep = self._group_report(g, self._ev.contexts[k])
        if column not in rep:
            raise KeyError(f"{component} reports no {column!r}; it has {sorted(rep)}")
        return float(np.asarray(rep[column])[where[1][b]])

    def _group_report(self, g, ctx) -> dict:
        key = f"report:{id(g)}"
        if key not in self._cache:
            self._cache[key] = g.report(ctx)
        return self._cache[key]

    # ------------------------------------------------------------ tables (lazy)
    def _tables(self) -> dict[str, Any]:
        if "tables" not in self._cache:
            self._cache["tables"] = _build_tables(self)
        return self._cache["tables"]

    def table(self, name: str) -> Table:
        """Result table ``name`` (``nodes``, ``components``, ``boundaries``, ``controls``) as a
        pandas-free :class:`~thermo.network.table.Table`: what the CLI writes, without importing
        pandas."""
        return self._tables()[name]

    def _frame(self, name: str):
        key = f"frame:{name}"
        if key not in self._cache:
            self._cache[key] = self._tables()[name].to_frame()
        return self._cache[key]

    @property
    def nodes(self):
        return self._frame("nodes")

    @property
    def components(self):
        return self._frame("components")

    @property
    def boundaries(self):
        return self._frame("boundaries")

    @property
    def controls(self):
        return self._frame("controls")

    @property
    def summary(self) -> dict[str, float]:
        return self._tables()["summary"]

    @property
    def flags(self) -> list[Flag]:
        if "flags" not in self._cache:
            self._cache["flags"] = _build_flags(self)
        return self._cache["flags"]

    def flags_tagged(self, tag: str) -> list[Flag]:
        """The flags of the elements whose names end in ``tag`` (one hour ``@k`` of a batched
        annual run), bucketed once per result."""
        buckets = self._cache.get("flags_by_tag")
        if buckets is None:
            buckets = {}
            for f in self.flags:
                head, sep, tail = f.element.rpartition("@")
                buckets.setdefault("@" + tail if sep else "", []).append(f)
            self._cache["flags_by_tag"] = buckets
        return buckets.get(tag, [])

    def flags_of(self, code: str) -> list[Flag]:
        return [f for f in self.flags if f.code == code]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (SI values; temperatures also in °C)."""

        def table(name: str) -> dict[str, dict[str, Any]]:
            return {
                k: {c: _plain(v) for c, v in row.items()}
                for k, row in self.table(name).records().items()
            }

        return {
            "converged": self.converged,
            "summary": {k: _plain(v) for k, v in self.summary.items()},
            "closure": {k: _plain(v) for k, v in self.closure.items()},
            "nodes": table("nodes"),
            "components": table("components"),
            "boundaries": table("boundaries"),
            "controls": table("controls"),
            "flags": [f.to_dict() for f in self.flags],
            "solver": {
                "converged": self.report.converged,
                "iterations": self.report.iterations,
                "residual_norm": self.report.residual_norm,
                "message": self.report.message,
                "worst_residuals": [{"name": r.name, "value": r.value} for r in self.report.worst],
            },
        }


def _plain(v: Any) -> Any:
    if isinstance(v, (np.floating, float)):
        return None if not np.isfinite(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def build_results(network, system, x: np.ndarray, report: SolveReport, passes: int) -> Results:
    """The :class:`Results` of a solve (tables are built lazily)."""
    return Results(system, x, SolveReport(**{**report.__dict__, "control_passes": passes}))


def _closure(system, x: np.ndarray, ev) -> dict[str, float]:
    lay = system.layout
    m = x[lay.m]
    m_ext = x[lay.m_ext]
    T = x[lay.T]
    a, c = system.inlet, system.outlet
    mass = np.zeros(lay.n_nodes)
    np.add.at(mass, c, m)
    np.subtract.at(mass, a, m)
    np.add.at(mass, system.bnode, m_ext)
    m_ref = max(float(np.max(np.abs(m))) if len(m) else 0.0, 1e-12)
    heat_total = float(np.sum(ev.heat))
    stored = 0.0
    storage = getattr(system, "storage", None)
    if storage is not None and ev.node_state is not None:
        # time stepping: fluid stored at nodes and their ambient losses (thermo.transient) take
        # or give heat like branches do; the balance is heat in = heat out + stored
        E_store, _ = storage.energy_terms(T, ev.h_node, ev.node_state["cp"])
        stored = float(np.sum(E_store))
        heat_total += stored
    # boundary enthalpy flows relative to a reference enthalpy (the mean node enthalpy): the sum
    # is independent of the reference up to the mass closure, and its gross size is a scale
    # that does not depend on the arbitrary zero of enthalpy
    h_ref = float(np.mean(ev.h_node)) if len(ev.h_node) else 0.0
    boundary_enthalpy = 0.0
    gross = 0.0
    for k, bd in enumerate(system.boundaries):
        i = system.bnode[k]
        if m_ext[k] > 0:
            T_in = np.array([bd.inflow_temperature(T[i])])
            h_in, _ = system.fluids.enthalpy_cp(system.boundary_fluid[k : k + 1], T_in)
            flow = m_ext[k] * (float(h_in[0]) - h_ref)
        else:
            flow = m_ext[k] * (float(ev.h_node[i]) - h_ref)
        boundary_enthalpy += flow
        gross += abs(flow)
    # an open network at uniform temperature carries no enthalpy difference: then measure the
    # imbalance against the boundary flows times 1 K of heating
    cp = ev.node_state["cp"] if ev.node_state is not None else np.array([4180.0])
    through = float(np.sum(np.abs(m_ext))) * float(np.mean(cp)) * 1.0
    # ... and never below the largest branch flow times 1 K of heating: the solver's energy
    # tolerance is in kelvin of the flow through each node, so a loop carrying (almost) no heat
    # is measured on that scale, not on its vanishing heat (a 0 W loop is closed, not 100 % off)
    carried = (float(np.max(np.abs(m))) if len(m) else 0.0) * float(np.mean(cp)) * 1.0
    scale = max(float(np.sum(np.abs(ev.heat))) + abs(stored) + gross, through, carried, 1e-12)
    return {
        "mass_rel": float(np.max(np.abs(mass)) / m_ref) if len(mass) else 0.0,
        "energy_rel": float(abs(heat_total + boundary_enthalpy) / scale),
    }


def clipped_states(system, x: np.ndarray, ev) -> tuple[np.ndarray, np.ndarray]:
    """Masks of nodes and of (flowing) branch exits whose temperature sits on the edge of the
    coolant's evaluable window, where the solver clips it (see :func:`not_a_solution`)."""
    lay = system.layout
    fs = system.fluids
    T = x[lay.T]
    f_node = fs.fluid_of_node
    nodes = (T >= fs.T_hi[f_node] - EDGE_K) | (T <= fs.T_lo[f_node] + EDGE_K)
    hi = fs.T_hi[system.branch_fluid] - EDGE_K
    lo = fs.T_lo[system.branch_fluid] + EDGE_K
    branches = ((ev.T_exit >= hi) | (ev.T_exit <= lo)) & (np.abs(x[lay.m]) > 0.0)
    return nodes, branches


def not_a_solution(result: Results) -> str:
    """Why a state whose residuals vanish is nevertheless not a solution ("" if it is one).

    Two reasons: (1) a node or a component's exit temperature sits on the edge of its coolant's
    evaluable window (valid range widened by ``MARGIN_K``), where the solver clips it: the heat
    the component should have carried is then lost, not delivered; (2) the mass or energy
    closure exceeds :data:`CLOSURE_TOLERANCE`. The message names the component, the quantity and
    the range, and the likely cause.
    """
    system = result._system
    lay = system.layout
    fs = system.fluids
    ev = result._ev
    T = result.state[lay.T]
    f_node = fs.fluid_of_node
    problems: list[str] = []
    node_mask, branch_mask = clipped_states(system, result.state, ev)
    clipped = np.nonzero(branch_mask)[0]
    node_clipped = np.nonzero(node_mask)[0]
    if len(clipped) or len(node_clipped):
        causes = knowable_causes(system)
        if len(clipped):
            b = _most_telling(system, clipped, ev.T_exit - T[system.inlet])
            fluid = fs.fluids[int(system.branch_fluid[b])]
            where = f"{system.branches[b].name}: exit temperature"
            t_edge = ev.T_exit[b]
            count = len(clipped)
            what = "component exit(s)"
        else:
            i = int(node_clipped[0])
            fluid = fs.fluids[int(f_node[i])]
            where = f"node {system.node_names[i]}: temperature"
            t_edge = T[i]
            count = len(node_clipped)
            what = "node(s)"
        side = "above" if t_edge > fluid.max_temperature else "below"
        if not causes:
            causes = [
                "is there a heat sink (cooler, exchanger, boundary) on this loop, and enough "
                "flow through the component?"
                if side == "above"
                else "is a setpoint or boundary temperature below the coolant's freezing point, "
                "or is there a heat source on this loop?"
            ]
        problems.append(
            f"no solution within the range of {fluid}: {where} would be {side} "
            f"{t_edge - KELVIN_OFFSET:.2f} °C, where it was clipped (valid range "
            f"{fluid.min_temperature - KELVIN_OFFSET:.2f} to "
            f"{fluid.max_temperature - KELVIN_OFFSET:.2f} °C; {count} {what} clipped), so heat "
            f"the network should carry is lost — " + "; ".join(causes)
        )
    problems += _tank_flows(system, result.state)
    c = result.closure
    if c["mass_rel"] > CLOSURE_TOLERANCE or c["energy_rel"] > CLOSURE_TOLERANCE:
        problems.append(
            f"closure exceeds {CLOSURE_TOLERANCE:g} (mass {c['mass_rel']:.3g}, energy "
            f"{c['energy_rel']:.3g}): the state does not conserve mass or energy"
        )
    return "; ".join(problems)


def internal_branches(system) -> np.ndarray:
    """Mask of branches that exchange heat with another branch of the network (the sides of heat
    exchangers and heat pumps: groups with a ``partner`` array), cached on the system."""
    mask = getattr(system, "_internal_mask", None)
    if mask is None or len(mask) != system.layout.n_branches:
        mask = np.zeros(system.layout.n_branches, dtype=bool)
        for g in system.groups:
            if getattr(g, "partner", None) is not None:
                mask[g.branch_index] = True
        system._internal_mask = mask
    return mask


def heat_balance(heat: np.ndarray, internal: np.ndarray) -> tuple[float, float, float]:
    """``(added, removed, exchanged)`` [W]: heat into and out of the fluid from *outside* the
    network, and the heat moved between its loops by exchangers.

    Loads, coolers, dry coolers, boilers, greenhouses count as they are; the sides of a heat
    exchanger (or heat pump) count only with their net (zero for an exchanger, the compressor
    work for a heat pump), so a duty is not counted twice. ``exchanged`` is the heat given up by
    the losing sides (hot sides, evaporators). A net below 1e-9 of the gross internal heat is
    round-off and counts as zero; no value is ``-0``.
    """
    ext = heat[~internal]
    inner = heat[internal]
    net = float(inner.sum())
    if abs(net) <= 1e-9 * float(np.abs(inner).sum()):
        net = 0.0
    added = float(ext[ext > 0].sum()) + max(net, 0.0)
    removed = float(-ext[ext < 0].sum()) + max(-net, 0.0)
    exchanged = float(-inner[inner < 0].sum())
    return added + 0.0, removed + 0.0, exchanged + 0.0


def _tank_flows(system, x: np.ndarray) -> list[str]:
    """Expansion tanks through which fluid enters or leaves: an expansion vessel only fixes the
    pressure level; a steady net flow through it (e.g. from a FlowSource on a closed loop) would
    fill or drain it, so the state is not a steady solution."""
    from thermo.components.boundaries import ExpansionTank

    lay = system.layout
    m_ext = x[lay.m_ext]
    m = np.abs(x[lay.m])
    m_ref = max(float(m.max()) if len(m) else 0.0, 1e-12)
    out = []
    for k, bd in enumerate(system.boundaries):
        if isinstance(bd, ExpansionTank) and abs(m_ext[k]) > CLOSURE_TOLERANCE * m_ref:
            way = "into" if m_ext[k] > 0 else "out of"
            out.append(
                f"expansion tank {bd.name} passes {abs(m_ext[k]):.4g} kg/s {way} the network; a "
                "tank holds the pressure of a closed loop and passes no net flow — give the flow "
                "a way out (a PressureBoundary) or remove the FlowSource"
            )
    return out


def _most_telling(system, candidates: np.ndarray, rise: np.ndarray) -> int:
    """The clipped branch to name: one with a configured heat first, then the largest rise."""
    heat = np.array([abs(getattr(system.branches[b], "heat", 0.0) or 0.0) for b in candidates])
    key = np.lexsort((-np.abs(rise[candidates]), -heat))
    return int(candidates[key[0]])


SETPOINT_ATTRIBUTES = ("outlet_temperature", "setpoint")
"""Attributes of branches that hold an outlet temperature [K] (ideal coolers, boilers)."""


def knowable_causes(system) -> list[str]:
    """Causes of a failed or clipped solve that can be named from the inputs alone.

    A temperature setpoint outside the valid range of the component's coolant (e.g. a PG25
    cooler set below the coolant's freezing point, or above its highest valid temperature)
    cannot be held by any state the property model can describe.
    """
    out = []
    fs = system.fluids
    for b, br in enumerate(system.branches):
        for attr in SETPOINT_ATTRIBUTES:
            t = getattr(br, attr, None)
            if not isinstance(t, (int, float)) or isinstance(t, bool):
                continue
            fluid = fs.fluids[int(system.branch_fluid[b])]
            lo, hi = fluid.min_temperature, fluid.max_temperature
            if t < lo or t > hi:
                what = (
                    f"below the lowest valid temperature {lo - KELVIN_OFFSET:.2f} °C (freezing "
                    f"point {fluid.freezing_point - KELVIN_OFFSET:.2f} °C)"
                    if t < lo
                    else f"above the highest valid temperature {hi - KELVIN_OFFSET:.2f} °C"
                )
                out.append(f"{br.name}.{attr} = {t - KELVIN_OFFSET:.2f} °C is {what} of {fluid}")
    return out


def _flag_value(group, ctx, local: int, code: str) -> float | None:
    """The SI value behind a component flag, for ranking (the heat not delivered [W], a case
    temperature [K]); None when the flag has no single quantity."""
    if code == "heat_not_delivered":
        th = group.thermal(ctx)
        q = ctx.control(group.control_index, group.q)
        return float(abs(q[local] - th.heat[local]))
    if code == "case_temperature_limit":
        rep = group.report(ctx)
        return float(rep["T_case_C"][local] + KELVIN_OFFSET)
    return None


def _display(target, value: float) -> str:
    """A control's measured or set value in the units engineers read (L/min, °C, kPa, kg/s)."""
    kind = type(target).__name__
    if kind == "VolumeFlow":
        return f"{value * 6e4:.4g} L/min"
    if kind == "NodeTemperature":
        return f"{value - KELVIN_OFFSET:.2f} °C"
    if kind == "DifferentialPressure":
        return f"{value / 1e3:.4g} kPa"
    if kind == "MassFlow":
        return f"{value:.4g} kg/s"
    return f"{value:.6g}"


def _state_flags(flags, names, T, p, fluid_id, fluid_list, *, pressure: bool) -> None:
    """Range, freezing and boiling flags of fluid states (nodes or branch outlets)."""
    for f, fluid in enumerate(fluid_list):
        sel = np.nonzero(fluid_id == f)[0]
        lo, hi = fluid.min_temperature, fluid.max_temperature
        for i in sel[T[sel] < lo]:
            flags.append(
                Flag(
                    names[i],
                    "below_min_temperature",
                    f"{fluid} at {T[i] - KELVIN_OFFSET:.2f} °C is below its lowest valid "
                    f"temperature {lo - KELVIN_OFFSET:.2f} °C (freezing point "
                    f"{fluid.freezing_point - KELVIN_OFFSET:.2f} °C)",
                    float(T[i]),
                )
            )
        for i in sel[T[sel] > hi]:
            flags.append(
                Flag(
                    names[i],
                    "above_max_temperature",
                    f"{fluid} at {T[i] - KELVIN_OFFSET:.2f} °C is above its highest valid "
                    f"temperature {hi - KELVIN_OFFSET:.2f} °C",
                    float(T[i]),
                )
            )
        boil = getattr(fluid, "saturation_temperature", None)
        if boil is not None and len(sel):
            with np.errstate(all="ignore"):
                try:
                    t_sat = np.asarray(boil(np.maximum(p[sel], 1.0)), dtype=float)
                except Exception:  # noqa: BLE001 - outside the saturation fit: no flag possible
                    t_sat = np.full(len(sel), np.inf)
            for i, ts in zip(sel, t_sat, strict=True):
                if T[i] >= ts:
                    flags.append(
                        Flag(
                            names[i],
                            "boiling",
                            f"{T[i] - KELVIN_OFFSET:.2f} °C at {p[i] / 1e5:.3f} bar is at or above "
                            f"the saturation temperature {ts - KELVIN_OFFSET:.2f} °C",
                            float(T[i]),
                        )
                    )
        if pressure:
            for i in sel[p[sel] <= 0]:
                flags.append(
                    Flag(names[i], "negative_pressure", f"absolute pressure {p[i]:.4g} Pa")
                )


def _build_flags(res: Results) -> list[Flag]:
    """The flags of a solution (no tables built: annual runs read them every hour)."""
    system = res._system
    x = res.state
    ev = res._ev
    lay = system.layout
    T = x[lay.T]
    p = x[lay.p]
    m = x[lay.m]
    names = system.node_names
    fluids = system.fluids
    flags: list[Flag] = []
    net = getattr(system, "network", None)
    for part, valves in getattr(net, "isolated", []):
        shown = ", ".join(part[:6]) + (f" and {len(part) - 6} more" if len(part) > 6 else "")
        flags.append(
            Flag(
                part[0],
                "isolated",
                f"nodes {shown} are isolated by closed valve(s) {', '.join(valves)}: no flow; "
                "their pressure is held at the level of the loop they were cut from",
            )
        )
    for nm in getattr(net, "dead_ends", []):
        flags.append(Flag(nm, "dead_end", f"node {nm!r} is a dead end (one connection): no flow"))
    _state_flags(flags, names, T, p, fluids.fluid_of_node, fluids.fluids, pressure=True)
    # every branch's outlet too: a trickle through a nearly closed valve may leave its load far
    # hotter (or boiling) while the node it mixes into stays cool (issue 11, item 11)
    a_, c_ = system.inlet, system.outlet
    exit_node = np.where(m >= 0, c_, a_)
    leaving = np.nonzero(np.abs(m) > 0.0)[0]
    T_leave = ev.T_exit[leaving]
    hotter = np.abs(T_leave - T[exit_node[leaving]]) > 1e-6
    sel_b = leaving[hotter]
    _state_flags(
        flags,
        [system.branches[i].name for i in sel_b],
        ev.T_exit[sel_b],
        p[exit_node[sel_b]],
        system.branch_fluid[sel_b],
        fluids.fluids,
        pressure=False,
    )

    for g, ctx in zip(system.groups, ev.contexts, strict=True):
        for local, code, msg in g.flags(ctx):
            flags.append(
                Flag(g.components[local].name, code, msg, _flag_value(g, ctx, local, code))
            )
    for j, ctl in enumerate(system.controls):
        if res._control_fixed[j] is None:
            continue
        u = res._control_fixed[j]  # the bound it is held at (the iterate differs by round-off)
        achieved = ctl.measured(x, system, ev.node_state)
        side = "max" if u >= 0.5 * (ctl.lower + ctl.upper) else "min"
        got, want = _display(ctl.target, achieved), _display(ctl.target, ctl.target.value)
        flags.append(
            Flag(
                ctl.name,
                "saturated",
                f"{ctl.component}.{ctl.parameter} held at {u:.4g} ({side}); setpoint not "
                f"reached: {got} of {want}",
                float(abs(achieved - ctl.target.value)),
            )
        )
    return flags


def _build_tables(res: Results) -> dict[str, Any]:
    """The result tables (:class:`Table`, no pandas) and the summary of a solve."""

    system = res._system
    x = res.state
    ev = res._ev
    lay = system.layout
    T = x[lay.T]
    p = x[lay.p]
    m = x[lay.m]
    m_ext = x[lay.m_ext]
    names = system.node_names
    fluids = system.fluids
    node_cols: dict[str, Any] = {
        "T_K": T,
        "T_C": T - KELVIN_OFFSET,
        "p_Pa": p,
        "p_bar": p / 1e5,
        "coolant": [str(fluids.fluids[i]) for i in fluids.fluid_of_node],
    }
    elevation = getattr(system, "elevation", np.zeros(len(names)))
    node_cols["elevation_m"] = elevation
    # hydraulic grade: elevation plus gauge pressure head at the node's own density
    node_cols["head_m"] = elevation + (p - STANDARD_ATMOSPHERE) / (ev.node_state["rho"] * G)
    net = getattr(system, "network", None)
    isolated = np.zeros(len(names), dtype=bool)
    for part, _valves in getattr(net, "isolated", []):
        isolated[[system.node_index[nm] for nm in part]] = True
    node_cols["isolated"] = isolated
    nodes = Table(node_cols, names, "node")
    # ---- branches
    br = system.branches
    a, c = system.inlet, system.outlet
    rho_up = ev.node_state["rho"][system.upstream(x)]
    fwd = m >= 0
    T_in = np.where(fwd, T[a], ev.T_exit)
    T_out = np.where(fwd, ev.T_exit, T[c])
    cols: dict[str, Any] = {
        "type": [type(b).__name__ for b in br],
        "inlet": [b.inlet for b in br],
        "outlet": [b.outlet for b in br],
        "m_dot_kg_s": m,
        "V_dot_m3_s": m / rho_up,
        "V_dot_L_min": m / rho_up * 6e4,
        "dp_Pa": p[a] - p[c],
        "Q_W": ev.heat,
        "T_in_C": T_in - KELVIN_OFFSET,
        "T_out_C": T_out - KELVIN_OFFSET,
    }
    extra: dict[str, np.ndarray] = {}
    for g, ctx in zip(system.groups, ev.contexts, strict=True):
        for key, values in res._group_report(g, ctx).items():
            arr = extra.setdefault(key, np.full(len(br), np.nan))
            arr[g.branch_index] = values
    cols.update(extra)
    components = Table(cols, [b.name for b in br], "component")

    # ---- boundaries and controls
    # temperature of what crosses each boundary (inflow: the boundary's; outflow: the node's)
    # and its enthalpy flow, so an open network's energy balance can be audited from the file:
    # heat_added - heat_removed + sum(enthalpy_flow_W) = 0 (enthalpy zero of the coolant model)
    T_node_b = T[system.bnode] if len(system.bnode) else np.zeros(0)
    T_cross = np.where(m_ext > 0, system._boundary_inflow_temperature(T_node_b), T_node_b)
    h_cross = (
        system.fluids.enthalpy_cp(system.boundary_fluid, T_cross)[0] if len(T_cross) else T_cross
    )
    enthalpy_flow = m_ext * h_cross
    boundaries = Table(
        {
            "type": [type(b).__name__ for b in system.boundaries],
            "node": [b.node for b in system.boundaries],
            "m_ext_kg_s": m_ext,
            "p_Pa": p[system.bnode] if len(system.bnode) else np.zeros(0),
            "T_C": T_cross - KELVIN_OFFSET,
            "enthalpy_flow_W": enthalpy_flow,
        },
        [b.name for b in system.boundaries],
        "boundary",
    )
    ctl_rows = []
    for j, ctl in enumerate(system.controls):
        u = x[lay.u.start + j]
        achieved = ctl.measured(x, system, ev.node_state)
        saturated = res._control_fixed[j] is not None
        ctl_rows.append(
            {
                "component": ctl.component,
                "parameter": ctl.parameter,
                "value": u,
                "lower": ctl.lower,
                "upper": ctl.upper,
                "target": ctl.target.value,
                "achieved": achieved,
                "saturated": saturated,
            }
        )
    ctl_names = ["component", "parameter", "value", "lower", "upper", "target", "achieved"]
    ctl_names.append("saturated")
    controls = Table(
        {k: [r[k] for r in ctl_rows] for k in ctl_names},
        [c.name for c in system.controls],
        "control",
        from_rows=True,
    )

    p_el = extra.get("P_el_W")
    added, removed, exchanged = heat_balance(ev.heat, internal_branches(system))
    # the hottest and coldest fluid anywhere: nodes and every branch's outlet (a nearly closed
    # branch may leave far hotter than the node its trickle mixes into)
    T_all = np.concatenate([T, ev.T_exit[np.abs(m) > 0.0]])
    summary = {
        "nodes": float(lay.n_nodes),
        "branches": float(lay.n_branches),
        "heat_added_W": added,
        "heat_removed_W": removed,
        "heat_exchanged_W": exchanged,
        "boundary_heat_in_W": float(np.sum(enthalpy_flow)) + 0.0,
        "pump_power_W": float(np.nansum(p_el)) if p_el is not None else 0.0,
        "max_temperature_C": float(T_all.max() - KELVIN_OFFSET),
        "min_temperature_C": float(T_all.min() - KELVIN_OFFSET),
        "max_pressure_Pa": float(p.max()),
        "min_pressure_Pa": float(p.min()),
    }
    return {
        "nodes": nodes,
        "components": components,
        "boundaries": boundaries,
        "controls": controls,
        "summary": summary,
    }
