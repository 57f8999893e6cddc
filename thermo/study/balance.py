"""Flow balancing in design mode: valve openings as unknowns, flows as equations, one solve.

Every balancing valve of a group gets a :class:`~thermo.network.controls.Control` on its
``opening`` (bounded to ``[min_opening, 1]``) with a flow target, and the network is solved once
with all of them together -- TESPy's "design mode" idea on thermo's existing controls, so the
settings come out of the same Newton solve as the flows, pressures and temperatures.

- **Target flows** (``targets={valve: flow}``): each valve holds its own flow.
- **Equal flows** (``group=[valves]``): the hydraulically least-favoured valve (least flow with
  every valve open, or ``index``) stays fully open -- the index circuit of balancing practice
  (e.g. CIBSE Commissioning Code W, 2010; the proportional method) -- and the others hold the
  group's mean flow. When a control elsewhere holds the group's total flow (a pump on a flow
  setpoint), the index circuit then carries the mean too and one solve balances the group
  exactly. Without such a control, throttling lowers the total; the targets are then moved to
  the index circuit's flow and the network solved again (``solves`` counts them), until the
  spread is within ``tolerance``.

The result lists each valve's opening and Kv, each flow and its deviation from the group's mean
or its target, the pumps' head and pressure rise, and every target that could not be met (a
valve at a bound: the target needs more head than the pump gives, or an opening below the
minimum).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermo.errors import InputError

__all__ = ["BalanceResult", "balance"]

G = 9.80665


@dataclass
class BalanceResult:
    """Settings and flows of a balanced network."""

    result: Any
    """:class:`~thermo.network.Results` of the balancing solve (the last one)."""
    openings: dict[str, float]
    kv: dict[str, float]
    flows: dict[str, float]
    """Volume flow through each balanced valve [m³/s]."""
    targets: dict[str, float]
    index: str | None
    deviation: float
    """Largest |flow / reference - 1| over the valves (reference: target, or the group mean)."""
    pumps: dict[str, dict[str, float]]
    """Per pump: ``head_m``, ``dp_Pa`` (pressure rise), ``speed``, ``P_el_W``."""
    unmet: list[str] = field(default_factory=list)
    solves: int = 1
    analysis_solves: int = 0

    def table(self) -> Any:
        import pandas as pd

        rows = [
            {
                "valve": v,
                "opening": self.openings[v],
                "kv_m3_h": self.kv[v],
                "flow_L_min": self.flows[v] * 6e4,
                "target_L_min": self.targets[v] * 6e4 if v in self.targets else np.nan,
                "index": v == self.index,
            }
            for v in self.openings
        ]
        return pd.DataFrame(rows).set_index("valve")


def _pumps(result: Any, net: Any) -> dict[str, dict[str, float]]:
    from thermo.components.pump import Pump

    comps = result.components
    out = {}
    for p in net.components_of(Pump):
        row = comps.loc[p.name]
        out[p.name] = {
            "head_m": float(row["head_m"]),
            "dp_Pa": float(-row["dp_Pa"]),
            "speed": float(row["speed"]),
            "P_el_W": float(row["P_el_W"]),
        }
    return out


def balance(
    network: Any,
    group: Sequence[str] | None = None,
    *,
    targets: dict[str, float] | None = None,
    index: str | None = None,
    min_opening: float = 0.05,
    insert_kv: float | None = None,
    tolerance: float = 1e-3,
    max_solves: int = 10,
    options: Any = None,
) -> BalanceResult:
    """Set balancing valves for equal flows in ``group`` or for volume-flow ``targets`` [m³/s].

    ``network`` is not changed (a copy gets the controls). ``group`` and ``targets`` name
    :class:`~thermo.components.valve.Valve` branches with a controllable opening -- or, with
    ``insert_kv`` [m³/h], any branches (a tray's quick disconnect, a rack's hose): a balancing
    valve ``<name>.balancing`` of that fully-open Kv is then inserted at each one's inlet (in
    series, linear characteristic) and its opening is set; results are keyed by the valve.

    Raises
    ------
    InputError
        No valves, an unknown or non-valve branch, a bad target, ``index`` not in ``group``.
    ConvergenceError
        The balancing solve did not converge.
    """
    from thermo.components.valve import Valve
    from thermo.network import Control, VolumeFlow

    if (group is None) == (targets is None):
        raise InputError("give either group (equal flows) or targets (flow per valve)", key="group")
    names = list(group) if group is not None else list(targets or {})
    if len(names) < (2 if group is not None else 1):
        raise InputError(f"need at least two valves to balance a group, got {names}", key="group")
    if not 0.0 <= min_opening < 1.0:
        raise InputError(f"min_opening must be in [0, 1), got {min_opening}", key="min_opening")
    for n in names:
        if n not in network:
            raise InputError(f"no component {n!r} in the network", key="group", value=n)
    if insert_kv is not None:
        if not (np.isfinite(insert_kv) and insert_kv > 0):
            raise InputError(
                f"insert_kv must be a positive Kv [m3/h], got {insert_kv!r}",
                key="insert_kv",
                value=insert_kv,
            )
        network = copy.deepcopy(network)
        for n in names:
            branch = network[n]
            mid = f"{n}.balancing_out"
            inlet, branch.inlet = branch.inlet, mid
            network.add(Valve(f"{n}.balancing", inlet, mid, kv=float(insert_kv)))
        rename = {n: f"{n}.balancing" for n in names}
        names = [rename[n] for n in names]
        if targets is not None:
            targets = {rename[n]: t for n, t in targets.items()}
        if index is not None:
            index = rename.get(index, index)
    for n in names:
        if not isinstance(network[n], Valve) or "opening" not in network[n].controllable:
            raise InputError(
                f"{n!r} is not a valve with a controllable opening (give insert_kv to insert a "
                "balancing valve in series)",
                key="group",
                value=n,
            )
    if targets is not None:
        for n, t in targets.items():
            if not (np.isfinite(t) and t > 0):
                raise InputError(
                    f"target flow of {n!r} must be a positive number of m3/s, got {t!r}",
                    key=f"targets.{n}",
                    value=t,
                )
    analysis = 0
    base = network
    if group is not None:
        ref = network.solve(options)
        analysis = 1
        flows0 = {n: float(ref.components.loc[n, "V_dot_m3_s"]) for n in names}
        if index is None:
            index = min(flows0, key=flows0.get)
        elif index not in names:
            raise InputError(f"index {index!r} is not in the group", key="index", value=index)
        mean = float(np.mean(list(flows0.values())))
        goal = {n: mean for n in names if n != index}
    else:
        goal = dict(targets or {})
    solves = 0
    while True:
        net = copy.deepcopy(base)
        for n in names:
            net[n].opening = 1.0
        for n, t in goal.items():
            net.add(
                Control(
                    f"balance:{n}",
                    component=n,
                    parameter="opening",
                    target=VolumeFlow(n, t),
                    lower=min_opening,
                    upper=1.0,
                    action="direct",
                )
            )
        result = net.solve(options)
        solves += 1
        comps = result.components
        flows = {n: float(comps.loc[n, "V_dot_m3_s"]) for n in names}
        if group is None:
            dev = max(abs(flows[n] / goal[n] - 1.0) for n in names)
            break
        mean = float(np.mean(list(flows.values())))
        dev = max(abs(f / mean - 1.0) for f in flows.values())
        if dev <= tolerance or solves >= max_solves:
            break
        assert index is not None
        goal = {n: flows[index] for n in names if n != index}  # match the index circuit
    unmet = []
    ctl = result.controls
    for n, t in goal.items():
        row = ctl.loc[f"balance:{n}"]
        if bool(row["saturated"]) or abs(flows[n] / t - 1.0) > max(tolerance, 1e-6):
            unmet.append(
                f"{n}: target {t * 6e4:.4g} L/min, achieved {flows[n] * 6e4:.4g} L/min at "
                f"opening {float(comps.loc[n, 'opening']):.3g} (bounds {min_opening:g}-1)"
            )
    return BalanceResult(
        result=result,
        openings={n: float(comps.loc[n, "opening"]) for n in names},
        kv={n: float(comps.loc[n, "kv_m3_h"]) for n in names},
        flows=flows,
        targets=goal,
        index=index,
        deviation=float(dev),
        pumps=_pumps(result, net),
        unmet=unmet,
        solves=solves,
        analysis_solves=analysis,
    )
