"""Hour-by-hour simulation of a network over a year (or any sequence of operating points).

Each hour is a steady state: the caller gives, per hour, the values of the component parameters
that change (weather-driven ambient temperatures, IT heat, setpoints, on/off), and a *probe* that
reads the quantities to record from each solved hour.

Speed: one small network solved 8760 times costs mostly Python overhead per solve. The hours are
therefore solved in **batches**: the network is replicated ``batch`` times (names suffixed
``@k``), each copy set to one hour, and all copies solved in one sparse Newton system (the copies
are independent, so the Jacobian is block-diagonal and the cost grows linearly). Each batch starts
from the previous batch's solution (warm start), the first from a cold start.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.errors import ConvergenceError, InputError
from thermo.network.controls import Control
from thermo.network.model import Network
from thermo.network.newton import SolverOptions

Probe = Callable[[Any, str], Mapping[str, float]]
"""``probe(results, tag) -> {column: value}``: reads one hour from a solved batch; component and
node names of that hour are the template names plus ``tag`` (e.g. ``result.heat("hall" + tag)``)."""


def replicate(template: Network, count: int, *, name: str | None = None) -> Network:
    """A network holding ``count`` independent copies of ``template``, names suffixed ``@k``.

    Component, node and control names of copy ``k`` are the template's plus ``f"@{k}"``.
    """
    if count < 1:
        raise InputError(f"count must be >= 1, got {count}", key="count")
    net = Network(template.coolant, name=name or f"{template.name} x{count}")
    items = _top_level_items(template)
    for k in range(count):
        tag = f"@{k}"
        clones = copy.deepcopy(items)
        for item in clones:
            _rename(item, tag)
        net.add(*clones)
    return net


def _top_level_items(template: Network) -> list:
    """Items as they were added: composites (not their parts), plain branches, boundaries, controls."""
    part_names = set()
    for item in template._components.values():
        if hasattr(item, "parts"):
            for p in item.parts():
                part_names.add(p.name)
            for c in getattr(item, "controls", lambda: [])():
                part_names.add(c.name)
    return [it for n, it in template._components.items() if n not in part_names]


def _rename(item: Any, tag: str, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(item) in seen:
        return
    seen.add(id(item))
    if isinstance(item, Control):
        item.name += tag
        item.component += tag
        t = item.target
        changes = {
            f.name: getattr(t, f.name) + tag
            for f in dataclasses.fields(t)
            if isinstance(getattr(t, f.name), str)
        }
        item.target = dataclasses.replace(t, **changes)
        return
    item.name += tag
    for attr in ("inlet", "outlet", "node", "complement_of"):
        if isinstance(getattr(item, attr, None), str):
            setattr(item, attr, getattr(item, attr) + tag)
    if hasattr(item, "parts"):
        for p in item.parts():
            _rename(p, tag, seen)
        for c in getattr(item, "controls", lambda: [])():
            _rename(c, tag, seen)


@dataclass(frozen=True)
class HourlyRun:
    """Result of :func:`run_hourly`."""

    table: Any
    """pandas DataFrame, one row per hour, one column per probed quantity."""
    iterations: np.ndarray
    """Newton iterations of the batch each hour belonged to."""
    wall_s: float
    """Wall time of the whole run [s]."""
    batches: int
    """Number of batch solves."""
    closure: dict[str, float]
    """Worst mass and energy closure over all batches."""


def run_hourly(
    template: Network,
    updates: Mapping[tuple[str, str], np.ndarray],
    probe: Probe,
    *,
    hours: int | None = None,
    batch: int = 168,
    options: SolverOptions | None = None,
    progress: bool = False,
) -> HourlyRun:
    """Solve ``template`` once per hour with ``updates`` applied, recording ``probe`` each hour.

    Parameters
    ----------
    template
        The network of one hour.
    updates
        ``(component, parameter) -> array of values per hour`` (SI), applied with
        :meth:`~thermo.network.Network.set_parameter`; ``None`` entries are allowed in object
        arrays (e.g. no capacity limit).
    probe
        Reads each solved hour (see :data:`Probe`).
    hours
        Number of hours (default: the length of the update arrays).
    batch
        Hours solved together in one replicated network.
    progress
        Print a progress line to standard error.

    Raises
    ------
    ConvergenceError
        If a batch does not converge; the message names the hour range and the worst residuals.
    """
    import pandas as pd

    lengths = {len(v) for v in updates.values()}
    if hours is None:
        if len(lengths) != 1:
            raise InputError(f"update arrays differ in length: {sorted(lengths)}", key="updates")
        hours = lengths.pop()
    elif any(n < hours for n in lengths):
        raise InputError(f"update arrays shorter than {hours} hours", key="updates")
    for comp, _param in updates:
        if comp not in template:
            raise InputError(f"update names unknown component {comp!r}", key=f"updates.{comp}")
    batch = max(1, min(batch, hours))
    t0 = time.perf_counter()
    stacked = replicate(template, batch)
    rows: list[dict[str, float]] = []
    iterations = np.zeros(hours, dtype=np.int64)
    n_batches = 0
    worst = {"mass_rel": 0.0, "energy_rel": 0.0}
    # pilot: the first hour alone, from a cold start; every copy of the first batch then starts
    # from it (a cold start of a large batch is slower and less robust than one of a single hour)
    pilot = replicate(template, 1)
    for (comp, param), values in updates.items():
        pilot.set_parameter(f"{comp}@0", param, _value(values[0]))
    try:
        previous = pilot.solve(options)
    except ConvergenceError as exc:
        raise ConvergenceError(
            f"hour 0 (cold start): {exc}",
            worst=exc.worst,
            iterations=exc.iterations,
            result=exc.result,
        ) from None
    for start in range(0, hours, batch):
        count = min(batch, hours - start)
        net = stacked if count == batch else replicate(template, count)
        for (comp, param), values in updates.items():
            for k in range(count):
                net.set_parameter(f"{comp}@{k}", param, _value(values[start + k]))
        warm = carry_state(previous, net)
        try:
            result = net.solve(options, warm_start=warm)
        except ConvergenceError as exc:
            raise ConvergenceError(
                f"hours {start}-{start + count - 1}: {exc}",
                worst=exc.worst,
                iterations=exc.iterations,
                result=exc.result,
            ) from None
        previous = result
        n_batches += 1
        for key in worst:
            worst[key] = max(worst[key], result.closure[key])
        iterations[start : start + count] = result.report.iterations
        for k in range(count):
            rows.append(dict(probe(result, f"@{k}")))
        if progress:
            done = start + count
            print(
                f"\r  hour {done:5d}/{hours}  ({100 * done / hours:5.1f} %)",
                end="" if done < hours else "\n",
                file=sys.stderr,
                flush=True,
            )
    table = pd.DataFrame(rows, index=pd.RangeIndex(hours, name="hour"))
    return HourlyRun(
        table=table,
        iterations=iterations,
        wall_s=time.perf_counter() - t0,
        batches=n_batches,
        closure=worst,
    )


@dataclass(frozen=True)
class _WarmStart:
    state: np.ndarray
    _control_fixed: list


def carry_state(previous: Any, network: Network) -> Any:
    """A warm start for ``network`` (copies ``@0`` … ``@n``) from a solved replicated network.

    Unknowns are matched by name: copy ``k`` starts from copy ``k`` of ``previous`` when it has
    one, else from its copy 0 (e.g. the single-hour pilot). Control actions found in
    ``previous`` are carried over too. Returns None when nothing matches.
    """
    import re

    old = previous._system
    new = network.system()
    lay_o, lay_n = old.layout, new.layout
    x_o = np.asarray(previous.state)
    pattern = re.compile(r"^(.*)@(\d+)$")

    def index(names: list[str]) -> dict[str, int]:
        return {n: i for i, n in enumerate(names)}

    def source(name: str, table: dict[str, int]) -> int | None:
        if name in table:
            return table[name]
        m = pattern.match(name)
        return table.get(f"{m.group(1)}@0") if m else None

    x = np.zeros(lay_n.size)
    sections = (
        ("p", old.node_names, new.node_names),
        ("T", old.node_names, new.node_names),
        ("m", [b.name for b in old.branches], [b.name for b in new.branches]),
        ("m_ext", [b.name for b in old.boundaries], [b.name for b in new.boundaries]),
        ("u", [c.name for c in old.controls], [c.name for c in new.controls]),
    )
    for sec, names_o, names_n in sections:
        so, sn = getattr(lay_o, sec), getattr(lay_n, sec)
        table = index(names_o)
        src = [source(n, table) for n in names_n]
        if any(i is None for i in src):
            return None
        x[sn] = x_o[so][np.asarray(src, dtype=np.int64)] if len(src) else x[sn]
    fixed_o = list(getattr(previous, "_control_fixed", [None] * lay_o.n_controls))
    table = index([c.name for c in old.controls])
    fixed = []
    for c in new.controls:
        i = source(c.name, table)
        fixed.append(fixed_o[i])
        if c.sign is None and c.action is None:
            c.sign = old.controls[i].sign
    return _WarmStart(x, fixed)


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return float(v)
