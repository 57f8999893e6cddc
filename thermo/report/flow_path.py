"""The flow path an engineer follows through a solved loop (issue 18, item 2).

:func:`critical_path` finds the branches from the coolant supply through the hottest heated
component (the cold plate with the hottest case, else the branch leaving hottest) and back: the
closed loop through it when there is one (breadth-first, along the solved flow directions), else
from a source through it to a sink. :func:`segments` collapses runs of similar elements (the 17
header pipes of a rack, a tray's parts) into one labelled segment with its pressure and
temperature at each end, the heat it takes up and the pressure it loses or adds. The temperature
path and hydraulic-grade-line plots (:mod:`thermo.report.point_plots`) draw these segments.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any

__all__ = ["Segment", "critical_path", "segments", "hottest_branch"]


@dataclass
class Segment:
    """Consecutive branches of the path with one label: pressures [Pa] at the end nodes,
    temperatures [°C] at the first branch's inlet and the last branch's outlet (a cold plate's own
    outlet, not the mixed tray outlet)."""

    label: str
    branches: list[str]
    node_in: str
    node_out: str
    p_in: float
    p_out: float
    T_in: float
    T_out: float
    heat_W: float
    types: set[str]

    @property
    def dp(self) -> float:
        """Pressure lost along the segment [Pa] (negative where a pump adds pressure)."""
        return self.p_in - self.p_out


def hottest_branch(components: Any) -> str | None:
    """The cold plate with the hottest case, else the heated branch with the hottest outlet."""
    if "T_case_C" in components and components["T_case_C"].notna().any():
        return str(components["T_case_C"].idxmax())
    heated = components[components["Q_W"] > 0]
    if len(heated):
        return str(heated["T_out_C"].idxmax())
    return None


def _directed(components: Any) -> tuple[dict[str, list[tuple[str, str]]], dict[str, tuple]]:
    """Out-edges per node and (from, to) per branch, along the solved flow direction."""
    m = components["m_dot_kg_s"].astype(float)
    big = float(m.abs().max()) if len(m) else 0.0
    floor = 1e-6 * big
    out: dict[str, list[tuple[str, str]]] = {}
    ends: dict[str, tuple] = {}
    for name, row in components.iterrows():
        flow = float(row["m_dot_kg_s"])
        if not abs(flow) > floor:
            continue
        a, b = (row["inlet"], row["outlet"]) if flow > 0 else (row["outlet"], row["inlet"])
        ends[str(name)] = (a, b)
        out.setdefault(a, []).append((b, str(name)))
    for edges in out.values():  # widest branch first: the main path, not a bypass
        edges.sort(key=lambda e: -abs(float(m[e[1]])))
    return out, ends


def _bfs(out: dict, start: str, goal: Any) -> list[str] | None:
    """Branches of the shortest path from ``start`` to a node for which ``goal(node)`` holds."""
    prev: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node != start and goal(node):
            path = []
            while prev[node] is not None:
                node, branch = prev[node]  # type: ignore[misc]
                path.append(branch)
            return path[::-1]
        for nxt, branch in out.get(node, ()):
            if nxt not in prev:
                prev[nxt] = (node, branch)
                queue.append(nxt)
    return None


def critical_path(result: Any, supply_node: str | None = None) -> list[str]:
    """Branch names along the flow through the hottest heated component (see the module doc).

    A closed loop starts at ``supply_node`` when it lies on the loop, else at the outlet of the
    branch that removes the most heat (the cooler or the heat exchanger's hot side).
    """
    comps = result.components
    hot = hottest_branch(comps)
    if hot is None:
        return []
    out, ends = _directed(comps)
    if hot not in ends:
        return []
    a, b = ends[hot]
    back = _bfs(out, b, lambda n: n == a)
    if back is not None:
        cycle = [hot, *back]
        starts = [ends[x][0] for x in cycle]
        k = None
        if supply_node is not None and supply_node in starts:
            k = starts.index(supply_node)
        else:
            q = comps.loc[cycle, "Q_W"].astype(float)
            if float(q.min()) < 0:
                k = (cycle.index(str(q.idxmin())) + 1) % len(cycle)
        return cycle[k:] + cycle[:k] if k else cycle
    into: dict[str, list[tuple[str, str]]] = {}
    for name, (x, y) in ends.items():
        into.setdefault(y, []).append((x, name))
    up = _bfs(into, a, lambda n: n not in into) or []
    down = _bfs(out, b, lambda n: n not in out) or []
    return [*up[::-1], hot, *down]


def _key(name: str, owner: str) -> tuple[str, str]:
    local = name[len(owner) + 1 :] if name.startswith(owner + ".") else name
    return owner, re.sub(r"\d+", "#", local.split(".")[0]) + (
        "." + local.split(".", 1)[1] if "." in local else ""
    )


def _port_T(comps: Any, branch: str, *, upstream: bool) -> float:
    """Temperature [°C] at the upstream or downstream end of ``branch`` in the solved flow
    direction (a branch with reversed flow enters at its outlet port)."""
    forward = float(comps.loc[branch, "m_dot_kg_s"]) >= 0
    column = "T_in_C" if upstream == forward else "T_out_C"
    return float(comps.loc[branch, column])


def segments(result: Any, path: list[str], owner: dict[str, str]) -> list[Segment]:
    """``path`` collapsed into labelled segments (runs of one owner's similar elements)."""
    comps = result.components
    nodes = result.nodes
    _, ends = _directed(comps)
    groups: list[list[str]] = []
    last = None
    for b in path:
        own = owner.get(b, b)
        key = _key(b, own) if own != b else (b, "")
        trayish = key[1].startswith("tray#.")
        if groups and key == last and not trayish:
            groups[-1].append(b)
        else:
            groups.append([b])
        last = key
    out = []
    for g in groups:
        first, final = g[0], g[-1]
        n_in, n_out = ends[first][0], ends[final][1]
        own = owner.get(first, first)
        if own == first:
            label = first
        else:
            local = first[len(own) + 1 :] if first.startswith(own + ".") else first
            if len(g) > 1:
                local = re.sub(r"\d+$", "", local.split(".")[0]) + f" ×{len(g)}"
            label = f"{own}.{local}"
        out.append(
            Segment(
                label=label,
                branches=g,
                node_in=n_in,
                node_out=n_out,
                p_in=float(nodes.loc[n_in, "p_Pa"]),
                p_out=float(nodes.loc[n_out, "p_Pa"]),
                T_in=_port_T(comps, first, upstream=True),
                T_out=_port_T(comps, final, upstream=False),
                heat_W=float(comps.loc[g, "Q_W"].sum()),
                types={str(t) for t in comps.loc[g, "type"]},
            )
        )
    return out
