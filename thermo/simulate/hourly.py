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
    for attr in ("inlet", "outlet", "node"):
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
    previous = None
    n_batches = 0
    worst = {"mass_rel": 0.0, "energy_rel": 0.0}
    for start in range(0, hours, batch):
        count = min(batch, hours - start)
        net = stacked if count == batch else replicate(template, count)
        if net is not stacked:
            previous = None
        for (comp, param), values in updates.items():
            for k in range(count):
                net.set_parameter(f"{comp}@{k}", param, _value(values[start + k]))
        try:
            result = net.solve(options, warm_start=previous)
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


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return float(v)
