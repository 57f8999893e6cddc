"""The result of one network solve: tidy tables, summary, flags, closure and the solver report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.network.newton import SolveReport

KELVIN_OFFSET = 273.15
STANDARD_ATMOSPHERE = 101325.0
"""Pressure subtracted from absolute pressures to give the gauge pressure of ``head_m`` [Pa]."""
G = 9.80665
"""Standard gravity [m/s²]."""


@dataclass(frozen=True)
class Flag:
    """A physically impossible or questionable state found in a solution."""

    element: str
    """Component, node or control name."""
    code: str
    """Short machine-readable code, e.g. ``"above_max_temperature"``, ``"beyond_curve"``."""
    message: str


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

    @property
    def nodes(self):
        return self._tables()["nodes"]

    @property
    def components(self):
        return self._tables()["components"]

    @property
    def boundaries(self):
        return self._tables()["boundaries"]

    @property
    def controls(self):
        return self._tables()["controls"]

    @property
    def summary(self) -> dict[str, float]:
        return self._tables()["summary"]

    @property
    def flags(self) -> list[Flag]:
        return self._tables()["flags"]

    def flags_of(self, code: str) -> list[Flag]:
        return [f for f in self.flags if f.code == code]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (SI values; temperatures also in °C)."""

        def table(df) -> dict[str, dict[str, Any]]:
            return {
                str(k): {c: _plain(v) for c, v in row.items()}
                for k, row in df.to_dict("index").items()
            }

        return {
            "converged": self.converged,
            "summary": {k: _plain(v) for k, v in self.summary.items()},
            "closure": {k: _plain(v) for k, v in self.closure.items()},
            "nodes": table(self.nodes),
            "components": table(self.components),
            "boundaries": table(self.boundaries),
            "controls": table(self.controls),
            "flags": [f.__dict__ for f in self.flags],
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
    scale = max(float(np.sum(np.abs(ev.heat))) + gross, through, 1e-12)
    return {
        "mass_rel": float(np.max(np.abs(mass)) / m_ref) if len(mass) else 0.0,
        "energy_rel": float(abs(heat_total + boundary_enthalpy) / scale),
    }


def _build_tables(res: Results) -> dict[str, Any]:
    import pandas as pd

    system = res._system
    x = res.state
    ev = res._ev
    lay = system.layout
    T = x[lay.T]
    p = x[lay.p]
    m = x[lay.m]
    m_ext = x[lay.m_ext]
    flags: list[Flag] = []
    names = system.node_names
    fluids = system.fluids
    nodes = pd.DataFrame(
        {
            "T_K": T,
            "T_C": T - KELVIN_OFFSET,
            "p_Pa": p,
            "p_bar": p / 1e5,
            "coolant": [str(fluids.fluids[i]) for i in fluids.fluid_of_node],
        },
        index=pd.Index(names, name="node"),
    )
    elevation = getattr(system, "elevation", np.zeros(len(names)))
    nodes["elevation_m"] = elevation
    # hydraulic grade: elevation plus gauge pressure head at the node's own density
    nodes["head_m"] = elevation + (p - STANDARD_ATMOSPHERE) / (ev.node_state["rho"] * G)
    net = getattr(system, "network", None)
    isolated = np.zeros(len(names), dtype=bool)
    for part, valves in getattr(net, "isolated", []):
        idx = [system.node_index[nm] for nm in part]
        isolated[idx] = True
        shown = ", ".join(part[:6]) + (f" and {len(part) - 6} more" if len(part) > 6 else "")
        flags.append(
            Flag(
                part[0],
                "isolated",
                f"nodes {shown} are isolated by closed valve(s) {', '.join(valves)}: no flow; "
                "their pressure is held at the level of the loop they were cut from",
            )
        )
    nodes["isolated"] = isolated
    for nm in getattr(net, "dead_ends", []):
        flags.append(Flag(nm, "dead_end", f"node {nm!r} is a dead end (one connection): no flow"))
    for f, fluid in enumerate(fluids.fluids):
        sel = np.nonzero(fluids.fluid_of_node == f)[0]
        lo, hi = fluid.min_temperature, fluid.max_temperature
        for i in sel[T[sel] < lo]:
            flags.append(
                Flag(
                    names[i],
                    "below_min_temperature",
                    f"{fluid} at {T[i] - KELVIN_OFFSET:.2f} °C is below its lowest valid "
                    f"temperature {lo - KELVIN_OFFSET:.2f} °C (freezing point "
                    f"{fluid.freezing_point - KELVIN_OFFSET:.2f} °C)",
                )
            )
        for i in sel[T[sel] > hi]:
            flags.append(
                Flag(
                    names[i],
                    "above_max_temperature",
                    f"{fluid} at {T[i] - KELVIN_OFFSET:.2f} °C is above its highest valid "
                    f"temperature {hi - KELVIN_OFFSET:.2f} °C",
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
                        )
                    )
        for i in sel[p[sel] <= 0]:
            flags.append(Flag(names[i], "negative_pressure", f"absolute pressure {p[i]:.4g} Pa"))

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
        for local, code, msg in g.flags(ctx):
            flags.append(Flag(g.components[local].name, code, msg))
    cols.update(extra)
    components = pd.DataFrame(cols, index=pd.Index([b.name for b in br], name="component"))

    # ---- boundaries and controls
    boundaries = pd.DataFrame(
        {
            "type": [type(b).__name__ for b in system.boundaries],
            "node": [b.node for b in system.boundaries],
            "m_ext_kg_s": m_ext,
            "p_Pa": p[system.bnode] if len(system.bnode) else np.zeros(0),
        },
        index=pd.Index([b.name for b in system.boundaries], name="boundary"),
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
        if saturated:
            flags.append(
                Flag(
                    ctl.name,
                    "saturated",
                    f"{ctl.component}.{ctl.parameter} held at its bound {u:.4g}; setpoint "
                    f"{ctl.target.value:.6g} not reached (achieved {achieved:.6g})",
                )
            )
    controls = pd.DataFrame(
        ctl_rows,
        index=pd.Index([c.name for c in system.controls], name="control"),
        columns=[
            "component",
            "parameter",
            "value",
            "lower",
            "upper",
            "target",
            "achieved",
            "saturated",
        ],
    )

    p_el = extra.get("P_el_W")
    summary = {
        "nodes": float(lay.n_nodes),
        "branches": float(lay.n_branches),
        "heat_added_W": float(np.sum(ev.heat[ev.heat > 0])),
        "heat_removed_W": float(-np.sum(ev.heat[ev.heat < 0])),
        "pump_power_W": float(np.nansum(p_el)) if p_el is not None else 0.0,
        "max_temperature_C": float(T.max() - KELVIN_OFFSET),
        "min_temperature_C": float(T.min() - KELVIN_OFFSET),
        "max_pressure_Pa": float(p.max()),
        "min_pressure_Pa": float(p.min()),
    }
    return {
        "nodes": nodes,
        "components": components,
        "boundaries": boundaries,
        "controls": controls,
        "summary": summary,
        "flags": flags,
    }
