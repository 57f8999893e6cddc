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
    fallback_hours: list[int] = dataclasses.field(default_factory=list)
    """Hours that did not converge in their batch and were solved on their own."""


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
    options = options or SolverOptions()
    batch_options = dataclasses.replace(options, pseudo_transient_retry=False)
    single = None
    fallback: list[int] = []
    try:
        previous = pilot_result = pilot.solve(options)
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
        result = net.solve(batch_options, warm_start=warm, strict=False)
        n_batches += 1
        iterations[start : start + count] = result.report.iterations
        if result.report.converged:
            previous = result
            for key in worst:
                worst[key] = max(worst[key], result.closure[key])
            for k in range(count):
                rows.append(dict(probe(result, f"@{k}")))
        else:
            # some hours did not converge in the batch: solve them one by one, each from the
            # nearest converged hour of the batch (or from a cold start)
            good = _converged_copies(net, result, count, batch_options.tolerance)
            near = np.flatnonzero(good)
            for k in range(count):
                if good[k]:
                    rows.append(dict(probe(result, f"@{k}")))
                    continue
                h = start + k
                single = replicate(template, 1) if single is None else single
                for (comp, param), values in updates.items():
                    single.set_parameter(f"{comp}@0", param, _value(values[h]))
                good_k = int(near[np.argmin(np.abs(near - k))]) if len(near) else None
                warm = None if good_k is None else carry_state(result, single, copy=good_k)
                try:
                    one = single.solve(options, warm_start=warm)
                except ConvergenceError:
                    try:
                        one = single.solve(options)
                    except ConvergenceError as exc:
                        raise ConvergenceError(
                            f"hour {h}: {exc}",
                            worst=exc.worst,
                            iterations=exc.iterations,
                            result=exc.result,
                        ) from None
                fallback.append(h)
                iterations[h] += one.report.iterations
                for key in worst:
                    worst[key] = max(worst[key], one.closure[key])
                rows.append(dict(probe(one, "@0")))
            # the next batch starts from this one's converged hours (a failed hour's copy from
            # its nearest converged one)
            previous = _patched(result, net, good) if len(near) else pilot_result
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
        fallback_hours=fallback,
    )


@dataclass(frozen=True)
class _WarmStart:
    state: np.ndarray
    _control_fixed: list
    _system: Any


def carry_state(
    previous: Any,
    network: Network,
    *,
    copy: int | None = None,
    copy_map: dict[int, int] | None = None,
) -> Any:
    """A warm start for ``network`` (copies ``@0`` … ``@n``) from a solved replicated network.

    Unknowns are matched by name: copy ``k`` starts from copy ``k`` of ``previous`` when it has
    one, else from its copy 0 (e.g. the single-hour pilot); with ``copy``, every copy starts from
    that copy of ``previous``; ``copy_map`` redirects individual copies (``{k: donor}``). Control actions found in
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
        m = pattern.match(name)
        if copy is not None and m:
            return table.get(f"{m.group(1)}@{copy}")
        if copy_map and m and int(m.group(2)) in copy_map:
            return table.get(f"{m.group(1)}@{copy_map[int(m.group(2))]}")
        if name in table:
            return table[name]
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
    return _WarmStart(x, fixed, new)


def _copy_of_unknowns(net: Network) -> np.ndarray:
    """Copy number ``k`` of every unknown of a replicated network (from the ``@k`` names)."""
    cached = getattr(net, "_copy_of_unknowns", None)
    system = net.system()
    if cached is not None and len(cached) == system.layout.size:
        return cached

    def tag(name: str) -> int:
        return int(name.rsplit("@", 1)[1])

    nodes = [tag(n) for n in system.node_names]
    out = np.array(
        nodes
        + nodes
        + [tag(b.name) for b in system.branches]
        + [tag(b.name) for b in system.boundaries]
        + [tag(c.name) for c in system.controls],
        dtype=np.int64,
    )
    net._copy_of_unknowns = out
    return out


def _converged_copies(net: Network, result: Any, count: int, tol: float) -> np.ndarray:
    """Which copies of a replicated network satisfy every scaled residual to ``tol``."""
    system = net.system()
    x = np.asarray(result.state)
    ev = system.evaluate(x, jacobian=False)
    Fs = np.abs(ev.F / system.residual_scales(x, ev))
    Fs = np.where(np.isfinite(Fs), Fs, np.inf)
    worst = np.zeros(count)
    tags = _copy_of_unknowns(net)
    np.maximum.at(worst, tags, Fs)
    # a provisional hold (a start-up aid) left in place, or a control held at a bound that its
    # controller would release, means the copy is not settled either (the batch stopped before
    # the release test)
    from thermo.network.newton import _free_errors, _pushed_out

    u = system.layout.u
    errors = _free_errors(system, x, ev)
    for j, ctl in enumerate(system.controls):
        f = system.control_fixed[j]
        if f is None:
            continue
        unsettled = system.control_provisional[j]
        band = 1e-3 * ctl.residual_scale(1.0, system.m_ref)
        if not unsettled and ctl.sign is not None and abs(errors[j]) > band:
            at_upper = f >= 0.5 * (ctl.lower + ctl.upper)
            unsettled = not _pushed_out(system, j, at_upper, errors[j], 0.0)
        if unsettled:
            worst[tags[u.start + j]] = np.inf
    return worst <= tol


def _patched(result: Any, net: Network, good: np.ndarray) -> Any:
    """A warm start like ``result`` whose unconverged copies take the nearest converged copy's
    state (``good``: converged copies)."""
    near = np.flatnonzero(good)
    donor = {k: int(near[np.argmin(np.abs(near - k))]) for k in np.flatnonzero(~good)}
    return carry_state(result, net, copy_map=donor)


def _value(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    return float(v)
