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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.errors import ConvergenceError, InputError
from thermo.network.controls import Control
from thermo.network.model import Network
from thermo.network.newton import SolverOptions
from thermo.progress import Progress

HOUR_CLOSURE_TOL = 1e-6
"""Relative mass and energy closure each recorded hour must reach on its own [-] (a converged
hour closes to ~1e-10; the annual study asks <= 1e-6 for the whole year)."""

Probe = Callable[[Any, str], Mapping[str, float]]
"""``probe(results, tag) -> {column: value}``: reads one hour from a solved batch; component and
node names of that hour are the template names plus ``tag`` (e.g. ``result.heat("hall" + tag)``)."""


def replicate(template: Network, count: int, *, name: str | None = None) -> Network:
    """A network holding ``count`` independent copies of ``template``, names suffixed ``@k``.

    Component, node and control names of copy ``k`` are the template's plus ``f"@{k}"``.
    """
    if count < 1:
        raise InputError(f"count must be >= 1, got {count}", key="count")
    net = Network(
        template.coolant,
        name=name or f"{template.name} x{count}",
        friction_law=getattr(template, "friction_law", None),
        property_pressure=getattr(template, "property_pressure", None),
    )
    items = _top_level_items(template)
    for k in range(count):
        tag = f"@{k}"
        clones = copy.deepcopy(items)
        for item in clones:
            _rename(item, tag)
        net.add(*clones)
        for node, z in getattr(template, "elevations", {}).items():
            net.set_elevation(node + tag, z)
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
    """Worst mass and energy closure over the recorded hours (each hour's own, see
    :attr:`hour_closure`)."""
    fallback_hours: list[int] = dataclasses.field(default_factory=list)
    """Hours that did not converge in their batch and were solved on their own."""
    hour_closure: Any = None
    """pandas DataFrame, one row per hour: ``mass_rel`` and ``energy_rel`` of that hour's own
    solved network (every one within the run's ``closure_tol``)."""


def run_hourly(
    template: Network,
    updates: Mapping[tuple[str, str], np.ndarray],
    probe: Probe,
    *,
    hours: int | None = None,
    batch: int = 168,
    options: SolverOptions | None = None,
    progress: bool = False,
    order: str = "similar",
    closure_tol: float = HOUR_CLOSURE_TOL,
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
        Show progress on standard error (:class:`thermo.progress.Progress`: a bar on a
        terminal, a plain line every few seconds in a log).
    order
        ``"similar"`` (default): batches of hours with similar inputs (ordered along the first
        principal component of the scaled inputs), each started from the nearest solved hours
        of the previous batch; ``"time"``: consecutive hours. Results are per hour either way.
    closure_tol
        An hour is recorded only when its own network converged (every residual scaled by that
        hour's flows) and closes mass and energy to this relative tolerance; other hours are
        re-solved (together, then one by one).

    Raises
    ------
    ConvergenceError
        If an hour converges neither in its batch nor re-solved, or its solution does not close
        to ``closure_tol``; the message names the hours (and the worst residuals).
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
    rows: dict[int, dict[str, float]] = {}
    iterations = np.zeros(hours, dtype=np.int64)
    n_batches = 0
    hour_mass = np.full(hours, np.nan)
    hour_energy = np.full(hours, np.nan)
    options = options or SolverOptions()
    batch_options = dataclasses.replace(options, pseudo_transient_retry=False, abandon_stuck=True)
    single = None
    fallback: list[int] = []
    deferred: list[tuple[int, Any]] = []
    features = _input_features(updates, hours)
    # batches of similar hours (not consecutive ones): each batch then starts close to the
    # solution, from the hours of the previous batch with the nearest inputs
    sequence = _similarity_order(features) if order == "similar" else np.arange(hours)

    def set_hour(network: Network, k: int, h: int) -> None:
        for (comp, param), values in updates.items():
            network.set_parameter(f"{comp}@{k}", param, _value(values[h]))

    def single_hour() -> Network:
        nonlocal single
        single = replicate(template, 1) if single is None else single
        return single

    def solve_alone(h: int, donor: Any, copy: int | None) -> Any:
        net = single_hour()
        set_hour(net, 0, h)
        warm = None if donor is None else carry_state(donor, net, copy=copy)
        try:
            return net.solve(options, warm_start=warm)
        except ConvergenceError:
            if warm is None:
                raise
            return net.solve(options)  # from a cold start

    # pilot: the first hour alone, from a cold start (a cold start of a large batch is slower and
    # less robust than one of a single hour)
    # an extreme first hour (e.g. a valve nearly shut) may not converge from a cold start: then
    # the hours nearest the median inputs are tried, and the first batch starts from that one
    central = np.argsort(((features - np.median(features, axis=0)) ** 2).sum(axis=1))
    candidates = [int(sequence[0])] + [int(h) for h in central[:4] if h != sequence[0]]
    pilot_result = None
    for first in candidates:
        try:
            pilot_result = solve_alone(first, None, None)
            break
        except ConvergenceError as exc:
            failure = exc
            failed_hour = first
    if pilot_result is None:
        label = f"hour {failed_hour} (cold start, after {len(candidates)} pilot hours)"
        raise _hour_error(label, failure) from None
    previous, prev_hours = pilot_result, np.array([first])
    bar = Progress(hours, "hour", enabled=progress)
    for start in range(0, hours, batch):
        batch_hours = sequence[start : start + batch]
        count = len(batch_hours)
        net = stacked if count == batch else replicate(template, count)
        for k, h in enumerate(batch_hours):
            set_hour(net, k, int(h))
        warm = carry_state(
            previous, net, copy_map=_nearest_inputs(features, prev_hours, batch_hours)
        )
        result = net.solve(batch_options, warm_start=warm, strict=False)
        n_batches += 1
        iterations[batch_hours] = result.report.iterations
        good = (
            np.ones(count, dtype=bool)
            if result.report.converged
            else _converged_copies(net, result, count, batch_options.tolerance)
        )
        mass_rel, energy_rel = _copy_closure(net, result, count)
        good &= (mass_rel <= closure_tol) & (energy_rel <= closure_tol)
        near = np.flatnonzero(good)
        for k, h in enumerate(batch_hours):
            h = int(h)
            if good[k]:
                rows[h] = dict(probe(result, f"@{k}"))
                hour_mass[h], hour_energy[h] = mass_rel[k], energy_rel[k]
                continue
            # not settled in the batch: solved later with the other such hours, from the
            # converged hour of this batch (else of the previous one) with the nearest inputs
            if len(near):
                d = ((features[batch_hours[near]] - features[h]) ** 2).sum(axis=1)
                donor, copy = result, int(near[np.argmin(d)])
            else:
                donor, copy = previous, _nearest_inputs(features, prev_hours, np.array([h]))[0]
            deferred.append((h, carry_state(donor, single_hour(), copy=copy)))
        if len(near):
            previous = result if good.all() else _patched(result, net, good)
            prev_hours = batch_hours
        bar.update(start + count)
    bar.close()
    # the unsettled hours, together in one batch with pseudo-transient continuation (a batch
    # evaluation costs little more than that of one hour); what still fails, one by one
    failed: list[tuple[int, str]] = []
    first_error: ConvergenceError | None = None
    if deferred:
        # rounds: a copy that diverges in a batch can stop the others short of convergence
        retry: dict[int, tuple[Any, str, float, float]] = {}
        pending = deferred
        for _ in range(3):
            got, onward = _solve_deferred(
                template, pending, set_hour, options, closure_tol, single_hour()
            )
            retry.update(got)
            # the next round goes on from where this one left each unsettled hour
            pending = [(h, onward.get(h, ws)) for h, ws in pending if h not in got]
            if len(pending) < 2:
                break
        for h, ws in deferred:
            one = retry.get(h)
            if one is None:
                try:
                    res = solve_alone(h, ws, 0)
                except ConvergenceError as exc:
                    first_error = first_error or exc
                    failed.append((h, "did not converge"))
                    continue
                one = (res, "@0", res.closure["mass_rel"], res.closure["energy_rel"])
            res, tag, m_rel, e_rel = one
            if not (m_rel <= closure_tol and e_rel <= closure_tol):
                failed.append((h, f"closure mass {m_rel:.1e}, energy {e_rel:.1e}"))
                continue
            fallback.append(h)
            iterations[h] += res.report.iterations
            rows[h] = dict(probe(res, tag))
            hour_mass[h], hour_energy[h] = m_rel, e_rel
    if failed:
        raise _hours_error(failed, closure_tol, first_error)
    rows = [rows[h] for h in range(hours)]
    table = pd.DataFrame(rows, index=pd.RangeIndex(hours, name="hour"))
    return HourlyRun(
        table=table,
        iterations=iterations,
        wall_s=time.perf_counter() - t0,
        batches=n_batches,
        closure={"mass_rel": float(hour_mass.max()), "energy_rel": float(hour_energy.max())},
        fallback_hours=sorted(fallback),
        hour_closure=pd.DataFrame(
            {"mass_rel": hour_mass, "energy_rel": hour_energy}, index=table.index
        ),
    )


def _hours_error(
    failed: list[tuple[int, str]], closure_tol: float, exc: ConvergenceError | None
) -> ConvergenceError:
    """One error naming every hour that could not be solved to a balanced state."""
    failed = sorted(failed)
    shown = "; ".join(f"hour {h}: {why}" for h, why in failed[:20])
    more = f"; and {len(failed) - 20} more" if len(failed) > 20 else ""
    msg = (
        f"{len(failed)} hour(s) not solved to a converged state closing mass and energy to "
        f"{closure_tol:g} (neither in their batch nor re-solved): {shown}{more}"
    )
    if exc is None:
        return ConvergenceError(msg)
    return ConvergenceError(
        f"{msg}. First solver failure: {exc}",
        worst=exc.worst,
        iterations=exc.iterations,
        result=exc.result,
    )


def _hour_error(label: str, exc: ConvergenceError) -> ConvergenceError:
    """``exc`` with the hour it belongs to in front of its message."""
    return ConvergenceError(
        f"{label}: {exc}", worst=exc.worst, iterations=exc.iterations, result=exc.result
    )


def _solve_deferred(
    template: Network,
    deferred: list[tuple[int, Any]],
    set_hour: Any,
    options: SolverOptions,
    closure_tol: float,
    single: Network,
) -> tuple[dict[int, tuple[Any, str, float, float]], dict[int, Any]]:
    """Solve the ``(hour, single-hour warm start)`` pairs as one batch. Return the converged
    hours that close to ``closure_tol`` as ``hour -> (result, copy tag, mass_rel, energy_rel)``,
    and for the others (with a finite state) a warm start of ``single`` from where they stopped."""
    n = len(deferred)
    if n < 2:
        return {}, {}
    net = replicate(template, n)
    for j, (h, _) in enumerate(deferred):
        set_hour(net, j, h)
    system = net.system()
    tags = _copy_of_unknowns(net)
    x = np.zeros(system.layout.size)
    ctl_tags = tags[system.layout.u]
    fixed: list = [None] * system.layout.n_controls
    for j, (_, ws) in enumerate(deferred):
        w = carry_state(ws, net, copy=0)
        if w is None:
            return {}, {}
        sel = tags == j
        x[sel] = w.state[sel]
        for i in np.flatnonzero(ctl_tags == j):
            fixed[i] = w._control_fixed[i]
    opts = dataclasses.replace(options, abandon_stuck=True, pseudo_transient_retry=True)
    result = net.solve(opts, warm_start=_WarmStart(x, fixed, system), strict=False)
    good = (
        np.ones(n, dtype=bool)
        if result.report.converged
        else _converged_copies(net, result, n, options.tolerance)
    )
    mass_rel, energy_rel = _copy_closure(net, result, n)
    good &= (mass_rel <= closure_tol) & (energy_rel <= closure_tol)
    done = {
        h: (result, f"@{j}", float(mass_rel[j]), float(energy_rel[j]))
        for j, (h, _) in enumerate(deferred)
        if good[j]
    }
    broken = np.zeros(n, dtype=bool)
    np.logical_or.at(broken, tags, ~np.isfinite(np.asarray(result.state)))
    onward = {}
    for j, (h, _) in enumerate(deferred):
        if not good[j] and not broken[j]:
            w = carry_state(result, single, copy=j)
            if w is not None:
                onward[h] = w
    return done, onward


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
    old = previous._system
    new = network.system()
    lay_o, lay_n = old.layout, new.layout
    x_o = np.asarray(previous.state)
    parts_o, parts_n = _name_parts(old), _name_parts(new)
    x = np.zeros(lay_n.size)
    fixed_o = list(getattr(previous, "_control_fixed", [None] * lay_o.n_controls))
    src_u = None
    for sec in ("p", "T", "m", "m_ext", "u"):
        _, _, lookup_o, _ = parts_o[sec]
        base_n, k_n, _, _ = parts_n[sec]
        if not len(base_n):
            continue
        if copy is not None:
            want = np.full(len(k_n), copy)
        else:
            want = k_n.copy()
            if copy_map:
                cm = np.array(sorted(copy_map.items()), dtype=np.int64)
                pos = np.searchsorted(cm[:, 0], want)
                pos = np.minimum(pos, len(cm) - 1)
                hit = cm[pos, 0] == want
                want = np.where(hit, cm[pos, 1], want)
            # copies that the source lacks start from its copy 0 (e.g. the single-hour pilot)
            want = np.where(want < lookup_o.shape[1], want, 0)
        cache = new.__dict__.setdefault("_base_maps", {})
        hit_c = cache.get(sec)
        if hit_c is None or hit_c[0] is not old:
            hit_c = (old, _map_bases(base_n, parts_o[sec][3]))
            cache[sec] = hit_c
        b_idx = hit_c[1]
        if np.any(b_idx < 0) or np.any(want >= lookup_o.shape[1]) or np.any(want < 0):
            return None
        src = lookup_o[b_idx, want]
        if np.any(src < 0):
            return None
        so, sn = getattr(lay_o, sec), getattr(lay_n, sec)
        x[sn] = x_o[so][src]
        if sec == "u":
            src_u = src
    fixed = []
    for j, c in enumerate(new.controls):
        i = int(src_u[j])
        fixed.append(fixed_o[i])
        if c.sign is None and c.action is None:
            c.sign = old.controls[i].sign
    return _WarmStart(x, fixed, new)


def _map_bases(base_n: list[str], base_index: dict[str, int]) -> np.ndarray:
    return np.array([base_index.get(b, -1) for b in base_n], dtype=np.int64)


def _name_parts(system: Any) -> dict[str, tuple]:
    """Per section of the unknowns: base names, copy numbers, a (base, copy) → index table and
    the base → row dictionary, for names ``"<base>@<k>"`` (cached on the system)."""
    cached = getattr(system, "_name_parts", None)
    if cached is not None:
        return cached
    names = {
        "p": system.node_names,
        "T": system.node_names,
        "m": [b.name for b in system.branches],
        "m_ext": [b.name for b in system.boundaries],
        "u": [c.name for c in system.controls],
    }
    out = {}
    for sec, ns in names.items():
        base, ks = [], []
        for n in ns:
            b, sep, k = n.rpartition("@")
            if sep and k.isdigit():
                base.append(b)
                ks.append(int(k))
            else:
                base.append(n)
                ks.append(0)
        index = {b: i for i, b in enumerate(dict.fromkeys(base))}
        k_arr = np.asarray(ks, dtype=np.int64)
        table = np.full((len(index), int(k_arr.max()) + 1 if len(k_arr) else 1), -1, dtype=np.int64)
        if len(ns):
            table[[index[b] for b in base], k_arr] = np.arange(len(ns))
        out[sec] = (base, k_arr, table, index)
    system._name_parts = out
    return out


def _input_features(updates: Mapping[tuple[str, str], np.ndarray], hours: int) -> np.ndarray:
    """Hourly inputs as a (hours, n) array scaled to unit spread (for nearest-hour warm starts)."""
    cols = []
    for values in updates.values():
        v = np.array([np.nan if x is None else float(x) for x in values[:hours]], dtype=float)
        v = np.where(np.isfinite(v), v, 0.0)
        spread = float(np.std(v))
        cols.append((v - v.mean()) / spread if spread > 0 else np.zeros(hours))
    return np.column_stack(cols) if cols else np.zeros((hours, 1))


def _similarity_order(features: np.ndarray) -> np.ndarray:
    """Hours ordered along the first principal component of their inputs (ties by time)."""
    if features.shape[1] == 0 or not np.any(features):
        return np.arange(len(features))
    _, _, vt = np.linalg.svd(features - features.mean(axis=0), full_matrices=False)
    key = features @ vt[0]
    return np.lexsort((np.arange(len(features)), np.round(key, 9)))


def _nearest_inputs(features: np.ndarray, donors: np.ndarray, hours: np.ndarray) -> dict[int, int]:
    """For each copy ``k`` (hour ``hours[k]``), the copy of the donor batch (hours ``donors``)
    whose inputs are nearest."""
    cur = features[np.asarray(hours)]
    ref = features[donors]
    d = ((cur[:, None, :] - ref[None, :, :]) ** 2).sum(axis=2)
    return {k: int(i) for k, i in enumerate(np.argmin(d, axis=1))}


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


def _copy_scales(system: Any, x: np.ndarray, ev: Any, tags: np.ndarray, count: int) -> np.ndarray:
    """:meth:`~thermo.network.assembly.System.residual_scales` with the reference flow and
    pressure change taken **per copy** (the system's own are the largest over the whole batch, so
    one diverged copy with huge flows would make every other copy's residuals look small)."""
    lay = system.layout
    n = lay.n_nodes
    m = np.abs(x[lay.m])
    t_node, t_branch = tags[lay.T], tags[lay.m]
    t_bd, t_ctl = tags[lay.m_ext], tags[lay.u]
    m_ref = np.zeros(count)
    np.maximum.at(m_ref, t_branch, m)
    m_ref = np.maximum(m_ref, 1e-6)
    dp_ref = np.zeros(count)
    np.maximum.at(dp_ref, t_branch, np.abs(ev.dp))
    dp_ref = np.maximum(dp_ref, 1.0)
    s = np.empty(lay.size)
    s[lay.p] = m_ref[t_node]
    through = np.zeros(n)
    np.add.at(through, system.outlet, m)
    np.add.at(through, system.inlet, m)
    s[lay.T] = np.maximum(0.5 * through, 1e-3 * m_ref[t_node]) * ev.node_state["cp"]
    s[lay.m] = dp_ref[t_branch]
    for k, bd in enumerate(system.boundaries):
        s[lay.m_ext.start + k] = bd.residual_scale(dp_ref[t_bd[k]], m_ref[t_bd[k]])
    for j, ctl in enumerate(system.controls):
        if system.control_fixed[j] is None:
            s[lay.u.start + j] = ctl.residual_scale(dp_ref[t_ctl[j]], m_ref[t_ctl[j]])
        else:
            s[lay.u.start + j] = ctl.upper - ctl.lower
    return s


def _copy_closure(net: Network, result: Any, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Mass and energy closure of every copy of a replicated network, as
    :attr:`thermo.network.results.Results.closure` defines them for a whole network: the largest
    node mass imbalance over the largest branch flow, and the net heat plus net boundary enthalpy
    inflow over the heat exchanged (each copy against its own flows, not the batch's)."""
    system = net.system()
    lay = system.layout
    x = np.asarray(result.state)
    ev = result._ev
    tags = _copy_of_unknowns(net)
    t_node, t_branch, t_bd = tags[lay.T], tags[lay.m], tags[lay.m_ext]
    m, m_ext, T = x[lay.m], x[lay.m_ext], x[lay.T]
    mass = np.zeros(lay.n_nodes)
    np.add.at(mass, system.outlet, m)
    np.subtract.at(mass, system.inlet, m)
    np.add.at(mass, system.bnode, m_ext)
    worst_mass = np.zeros(count)
    np.maximum.at(worst_mass, t_node, np.abs(mass))
    m_ref = np.zeros(count)
    np.maximum.at(m_ref, t_branch, np.abs(m))
    mass_rel = worst_mass / np.maximum(m_ref, 1e-12)
    heat = np.zeros(count)
    np.add.at(heat, t_branch, ev.heat)
    gross_heat = np.zeros(count)
    np.add.at(gross_heat, t_branch, np.abs(ev.heat))
    # enthalpy relative to each copy's mean node enthalpy (the sum does not depend on it up to the
    # mass closure; the gross boundary flow then does not depend on the zero of enthalpy)
    h_ref = np.bincount(t_node, ev.h_node, count) / np.maximum(np.bincount(t_node, None, count), 1)
    bd_flow = np.zeros(count)
    bd_gross = np.zeros(count)
    through = np.zeros(count)
    if lay.n_boundaries:
        bn = system.bnode
        T_in = system._boundary_inflow_temperature(T[bn])
        h_in, _ = system.fluids.enthalpy_cp(system.boundary_fluid, T_in)
        h_b = np.where(m_ext > 0, h_in, ev.h_node[bn])
        flow = m_ext * (h_b - h_ref[t_bd])
        np.add.at(bd_flow, t_bd, flow)
        np.add.at(bd_gross, t_bd, np.abs(flow))
        cp = ev.node_state["cp"][bn] if ev.node_state is not None else np.full(len(bn), 4180.0)
        np.add.at(through, t_bd, np.abs(m_ext) * cp)
    scale = np.maximum(np.maximum(gross_heat + bd_gross, through), 1e-12)
    return mass_rel, np.abs(heat + bd_flow) / scale


def _converged_copies(net: Network, result: Any, count: int, tol: float) -> np.ndarray:
    """Which copies of a replicated network satisfy every scaled residual to ``tol``, each
    residual scaled by its own copy's reference flow and pressure change."""
    system = net.system()
    x = np.asarray(result.state)
    ev = system.evaluate(x, jacobian=False)
    tags = _copy_of_unknowns(net)
    Fs = np.abs(ev.F / _copy_scales(system, x, ev, tags, count))
    Fs = np.where(np.isfinite(Fs), Fs, np.inf)
    worst = np.zeros(count)
    np.maximum.at(worst, tags, Fs)
    # a copy resting on a clipped temperature (heat lost at the coolant's range) is not solved
    from thermo.network.results import clipped_states

    nodes, branches = clipped_states(system, x, ev)
    lay = system.layout
    worst[tags[lay.T][nodes]] = np.inf
    worst[tags[lay.m][branches]] = np.inf
    # a control neither at its setpoint nor saturated at a bound (a start-up hold left in place,
    # a bound its controller would leave) means the copy is not settled either
    from thermo.network.control_audit import audit_controls

    for miss in audit_controls(system, x, ev, tol):
        worst[tags[lay.u.start + miss.index]] = np.inf
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
