"""Implicit, adaptive time integration of a network with storage (BDF-1/BDF-2, variable step).

Every time step is one solve of the network's own equations — pressures, flows, temperatures and
controls together, with the network's analytic Jacobian — with the storage terms of
:mod:`thermo.transient.storage` added, started from a prediction extrapolated from the previous
steps (:mod:`thermo.transient.steps`), by a simplified Newton method that keeps the Jacobian's
factors across iterations and steps (:mod:`thermo.transient.stepper`; the network's full Newton
method of :mod:`thermo.network.newton` takes over a step it cannot converge). Hydraulics are
quasi-steady (incompressible); temperatures of fluid volumes and plate walls, and the speeds of
coasting pumps, carry memory. Events act at given times or when a condition is met
(:mod:`thermo.transient.conditions`).

Time discretisation: the variable-step second-order backward differentiation formula (BDF-2,
stiffly stable), for ``y`` a stored quantity with ``dy/dt = f``::

    a0 y_{n+1} + a1 y_n + a2 y_{n-1} = dt f_{n+1},   w = dt/dt_prev,
    a0 = (1+2w)/(1+w),   a1 = -(1+w),   a2 = w²/(1+w)

(Hairer & Wanner, *Solving ODEs II*, 2nd ed., Springer 1996, sec. III.5), started — and restarted
after every event and input breakpoint — by one BDF-1 (backward Euler) step. A model with
plug-flow delay pipes (:mod:`thermo.transient.plugflow`) takes backward-Euler steps throughout;
their parcel histories advance when a step is accepted. The step length
follows a local error estimate from the difference between the solution and a polynomial
extrapolation of the previous steps (Milne's device): ``err = C |y - y_pred| / atol`` with
``C = dt/(2 dt + dt_prev)`` for BDF-1 and ``2/11`` for BDF-2; a step with ``err > 1`` is
rejected; the next step is ``dt · clip(0.9 err^(-1/(p+1)), 0.2, 2)``, or ``dt`` unchanged when that
factor lies in [1, 1.5) (the factorised Jacobian of :mod:`thermo.transient.stepper` then stays
valid). ``atol`` is
``temperature_tolerance`` (0.01 K) for temperatures and ``speed_tolerance`` (1e-3) for relative
pump speeds. Steps end exactly at event times, input breakpoints and output times.

Energy ledger: the heat flows of every step (device power, heat gained or removed by branches,
ambient losses of tanks, inflow through boundaries) are integrated with the integrator's own
quadrature — for BDF-2, ``I_n = (dt Q_{n+1} + a2 I_{n-1})/a0``, the weights under which the
discrete equations conserve energy — so ``heat in − heat out − Δ(stored energy)`` measures how
well each step's equations were solved (Newton tolerance); it is printed relative to the heat
throughput and must stay below 1e-6.
"""

from __future__ import annotations

import bisect
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermo.errors import ConvergenceError, InputError
from thermo.network.newton import SolverOptions
from thermo.transient.conditions import ConditionWatch
from thermo.transient.drives import Drive, Event
from thermo.transient.model import TransientModel
from thermo.transient.steps import Run, bdf_coefficients, extrapolate

__all__ = ["TransientOptions", "TransientResult", "simulate"]

KEEP_STEP = 1.5
"""An accepted step is kept unchanged while the error estimate allows growth by less than this
factor (as CVODE does), so that the step solver's factorised Jacobian stays valid [-]."""


@dataclass(frozen=True)
class TransientOptions:
    """Settings of a transient run (SI units)."""

    duration: float
    output_interval: float = 1.0
    max_step: float | None = None
    """Longest time step [s]; default a twentieth of the duration."""
    initial_step: float = 0.01
    """First step, and the first step after each event [s]."""
    min_step: float = 1e-6
    temperature_tolerance: float = 0.01
    speed_tolerance: float = 1e-3
    order: int = 2
    newton_tolerance: float = 1e-8
    loop_temperature: float | None = None
    """Stated temperature [K] of loops that hold no temperature reference (no cooler, boundary
    temperature, ...): the steady start and the steps solve at it (see
    :class:`~thermo.network.newton.SolverOptions` ``initial_temperature``)."""
    check_valve_stroke: float = 0.5
    """Time a check valve takes to open fully or close [s] (assumption [D]: swing check
    valves close within about a second; give the valve's own figure)."""

    def __post_init__(self) -> None:
        for key in ("duration", "output_interval", "initial_step", "min_step"):
            v = getattr(self, key)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InputError(f"{key} must be a positive number of seconds, got {v!r}", key=key)
        if self.order not in (1, 2):
            raise InputError(f"order must be 1 or 2, got {self.order!r}", key="order")
        if not (self.temperature_tolerance > 0 and self.speed_tolerance > 0):
            raise InputError("tolerances must be > 0", key="temperature_tolerance")


@dataclass
class TransientResult:
    """Time series and figures of a transient run."""

    times: np.ndarray
    series: dict[str, np.ndarray]
    """Output columns (unit-suffixed names) at the output times."""
    steps: int
    rejected: int
    """Steps rejected (by the error estimate, or because Newton did not converge)."""
    newton_iterations: int
    wall_s: float
    ledger: dict[str, float]
    ride_through_s: float | None
    """Time from the first event until the first limit broke [s] (None: no limit broke)."""
    first_break: dict[str, Any] | None
    max_case: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    final_state: np.ndarray | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    rejected_newton: int = 0
    """Of the rejected steps, those where Newton did not converge (step cut to a quarter)."""
    step_times: np.ndarray | None = None
    """Times of the accepted steps [s] (``series`` is interpolated from them)."""
    step_series: dict[str, np.ndarray] | None = None
    """The recorded values at the accepted steps."""
    cpu_s: float = 0.0
    """Processor time of the run [s] (``wall_s`` also counts waiting on a busy machine)."""
    solver_stats: dict[str, int] = field(default_factory=dict)
    conditions_not_met: list[str] = field(default_factory=list)
    """Labels of condition events whose condition was never met."""
    """Residual evaluations, LU factorisations and full-Newton fallbacks of the step solver."""
    plug_flow: list[str] = field(default_factory=list)
    """Pipes that were exact plug-flow delays (the run then took backward-Euler steps)."""

    @property
    def newton_per_step(self) -> float:
        return self.newton_iterations / max(self.steps, 1)


def simulate(
    model: TransientModel,
    options: TransientOptions,
    *,
    events: list[Event] | None = None,
    drives: list[Drive] | None = None,
    solver: SolverOptions | None = None,
    record: Any = None,
    limits: dict[str, float] | None = None,
    check_valves: list[str] | None = None,
) -> TransientResult:
    """Integrate ``model`` over ``options.duration`` from its steady state at t = 0.

    ``record(run, x, ev, t)`` returns a dict of output values at an output time (default: see
    :func:`thermo.transient.outputs.default_record`). ``limits``: extra node temperature limits
    ``{node: max K}`` for the ride-through time (plate case limits are always watched).
    ``check_valves``: names of Valve branches that close (opening 0) when their flow reverses
    and reopen when the pressure drives flow forward again.
    """
    from thermo.transient.outputs import default_record

    t_wall = time.perf_counter()
    t_cpu = time.process_time()
    opts = options
    events = list(events or [])
    drives = list(drives or [])
    solver = solver or SolverOptions(
        tolerance=opts.newton_tolerance,
        pseudo_transient_retry=False,
        initial_temperature=opts.loop_temperature,
    )
    record = record or default_record
    watched = [e for e in events if e.when is not None]
    events = [e for e in events if e.when is None]
    run = Run(model, events, drives, opts, solver, None, limits or {})
    sys_ = model.system
    lay = sys_.layout
    net = model.network
    for d in drives:
        for name in d.targets:
            if name not in sys_.group_of or not hasattr(sys_.group_of[name][0], "q"):
                raise InputError(
                    f"IT power drive names {name!r}, which is not a heat branch", key=name
                )
            if name not in d.nominal:
                d.nominal[name] = float(net[name].heat)
    for ev in events + watched:
        for name in ev.targets:
            if name not in sys_.group_of:
                raise InputError(f"event {ev.label!r} names unknown component {name!r}", key=name)
    # ---- initial steady state (events at t = 0 of kind "stop" apply before it)
    model.set_ambient_losses()
    for ev in events:
        if ev.time == 0.0 and ev.kind in ("stop", "set"):
            run.apply_event(ev, np.zeros(lay.size))
    run.apply_drives(0.0, None)
    steady = net.solve(
        SolverOptions(tolerance=opts.newton_tolerance, initial_temperature=opts.loop_temperature),
        strict=True,
    )
    x = np.array(steady.state, dtype=float)
    model.storage.ua[:] = 0.0
    model.set_masses(x)
    ev0 = sys_.evaluate(x, jacobian=False)
    run.ev_accepted = ev0
    _update_resistances(model, ev0)
    for cv in check_valves or []:
        if cv not in sys_.group_of or not hasattr(sys_.group_of[cv][0], "opening"):
            raise InputError(f"check_valves names {cv!r}, which is not a Valve", key=cv)
        run.check_valves.append(cv)
    hist = {
        "cv": [_cv_state(run, x)],
        "t": [0.0],
        "x": [x],
        "wall": [[w.T_wall.copy() for w in model.walls]],
        "speed": [run.speeds_now()],
    }
    hist["wall"] = [[w.T_wall.copy() for w in model.walls]]
    E0 = model.stored_energy(x)
    channels = model.heat_channels(x, ev0)
    integ = dict.fromkeys(channels, 0.0)
    last_I = dict.fromkeys(channels, 0.0)
    breaks = set()
    for d in drives:
        breaks.update(float(b) for b in d.profile.breakpoints(opts.duration))
    breaks.update(e.time for e in events if 0 < e.time < opts.duration)
    n_out = int(math.floor(opts.duration / opts.output_interval + 1e-9))
    out_times = [k * opts.output_interval for k in range(1, n_out + 1)]
    if not out_times or out_times[-1] < opts.duration - 1e-9:
        out_times.append(opts.duration)
    stops = sorted(breaks | {opts.duration})
    break_arr = np.array(sorted(breaks))

    def near_breaks(t: float) -> np.ndarray:
        k = int(np.searchsorted(break_arr, t))
        return break_arr[max(k - 1, 0) : k + 1]

    rows = [record(run, x, ev0, 0.0)]
    times = [0.0]
    max_step = opts.max_step or opts.duration / 20.0
    stateful = model.storage.mass > 0
    plate_names, plate_limit = model.plate_limits()
    limit_nodes = [(sys_.node_index[n], v, n) for n, v in run.limits.items()]
    first_break = None
    t0_event = min((e.time for e in events if e.kind in ("trip", "set")), default=0.0)
    max_case = {"T_case_C": -np.inf, "name": "", "time_s": 0.0}
    if model.walls:  # the initial state counts too (a quiet stretch takes no step)
        Tw0 = np.concatenate([w.T_wall for w in model.walls])
        i0 = int(np.argmax(Tw0))
        max_case = {"T_case_C": float(Tw0[i0] - 273.15), "name": plate_names[i0], "time_s": 0.0}
    inversions: set[str] = set()
    pending = [e for e in run.events if not (e.time == 0.0 and e.kind in ("stop", "set"))]
    watch = ConditionWatch(run, watched) if watched else None
    condition_of: dict[
        int, tuple[str, float]
    ] = {}  # timed copy of a condition event -> (what, met)
    if watch is not None:
        for e in watch.start(x, ev0):
            timed = watch.fire(e, e.when.delay)
            condition_of[id(timed)] = (e.when.describe(), 0.0)
            pending.append(timed)
            if 0 < timed.time < opts.duration:
                bisect.insort(stops, timed.time)
    land = None  # (time, event, crossing time): a condition's event acts inside the step
    h_first: float | None = None  # length of the step after a breakpoint (sized, see below)
    after_first = sized = False
    fl = sys_.fluids
    T_valid_lo = np.array([f.min_temperature for f in fl.fluids])[fl.fluid_of_node]
    T_valid_hi = np.array([f.max_temperature for f in fl.fluids])[fl.fluid_of_node]
    out_of_range = None  # (time, node, T, lo, hi) of the first node outside its coolant's range
    pump_idx, pump_speed = _pumps(sys_)
    m_pump_ref = max(float(np.max(np.abs(x[lay.m][pump_idx]))) if len(pump_idx) else 0.0, 1e-12)
    reverse: dict[str, tuple[float, float, float]] = {}  # pump -> (reverse share, time, speed)
    t = 0.0
    dt = opts.initial_step
    restart = True
    steps = rejected = rejected_newton = 0
    applied: list[dict[str, Any]] = []
    walls_prev = [w.T_wall.copy() for w in model.walls]
    stop_i = 0
    t_quiet = _quiet_until(run, hist, pending, stops)
    if t_quiet > 0.0:
        # nothing acts before the first event or input change: the steady initial state holds
        # exactly (it solves the step equations with x_{n+1} = x_n); one step, no solve
        for key, q in channels.items():
            integ[key] += t_quiet * q
            last_I[key] = t_quiet * q
        if model.plug is not None:
            model.plug.advance(x, t_quiet)
        t = t_quiet
        steps += 1
        rows.append(record(run, x, ev0, t))
        times.append(t)
        hist = {key: [v[-1]] for key, v in hist.items()}
        hist["t"] = [t]
        dt = min(max_step, opts.duration)
    while t < opts.duration - 1e-12:
        fired = [e for e in pending if e.time <= t + 1e-12]
        if fired:
            for e in fired:
                run.apply_event(e, x)
                run.stepper.invalidate()
                pending.remove(e)
                applied.append(
                    {"time_s": e.time, "kind": e.kind, "targets": e.targets, "label": e.label}
                )
                if id(e) in condition_of:
                    what, met = condition_of[id(e)]
                    applied[-1].update(condition=what, condition_met_s=met)
            restart = True
            for key in ("t", "x", "wall", "speed", "cv"):
                del hist[key][:-1]
            dt = min(dt, opts.initial_step)
        while stop_i < len(stops) and stops[stop_i] <= t + 1e-12:
            stop_i += 1
        nxt = stops[stop_i] if stop_i < len(stops) else opts.duration
        if land is not None:
            nxt = min(nxt, land[0])
        h = min(dt, max_step, nxt - t)
        for o, d in hist["cv"][-1].values():
            # a check valve moves: steps of at most a quarter of its stroke, one ending where
            # the valve reaches its stop (a kink of its opening)
            left = (1.0 - o if d > 0 else o) * run.cv_stroke
            if left > 1e-12:
                h = min(h, 0.25 * run.cv_stroke, left)
        first = restart and len(hist["t"]) == 1 and t > 0.0
        if first:
            # the backward-Euler step after an input breakpoint or event has no error estimate
            # of its own: it is sized by the estimate of the step after the last such one, and
            # followed by at least one more step before the next stop, whose estimate includes
            # its error
            if h_first is not None:
                h = min(h, h_first)
            h = min(h, 0.5 * (nxt - t))
        elif nxt - t - h < 0.05 * h:
            h = nxt - t
        elif nxt - t < 2.0 * h:
            h = 0.5 * (nxt - t)  # two even steps to the stop, not a long one and a stub
        # (delay pipes: backward Euler throughout, see thermo.transient.plugflow)
        order = 1 if (restart or opts.order == 1 or model.plug is not None) else 2
        for w, T in zip(model.walls, hist["wall"][-1], strict=True):
            w.T_wall = T
        x_new, ok = run.step(hist, t, h, order)
        if not ok:
            rejected += 1
            rejected_newton += 1
            run.stepper.invalidate()
            _restore_speeds(run, hist)
            dt = h / 4
            if dt < opts.min_step:
                raise ConvergenceError(
                    f"{net.name}: the time step fell below {opts.min_step} s at t = {t:.6g} s "
                    "(Newton did not converge)",
                    worst=[],
                    iterations=run.newton_iterations,
                )
            continue
        # ---- local error estimate (Milne's device)
        err = 0.0
        k = 2
        if len(hist["t"]) >= 2:
            k = 3 if (order == 2 and len(hist["t"]) >= 3) else 2
            pred = extrapolate(hist["t"], hist["x"], t + h, k)
            # differential states only: the temperature of a node without mass is algebraic
            # (a stagnant node may jump with the direction of a leak flow)
            dT = np.abs(x_new[lay.T] - pred[lay.T])[stateful]
            hp = hist["t"][-1] - hist["t"][-2]
            C = 2.0 / 11.0 if k == 3 else h / (2 * h + hp)
            err = C * float(np.max(dT)) / opts.temperature_tolerance if len(dT) else 0.0
            for wk, w in enumerate(model.walls):
                wp = extrapolate(hist["t"], [ww[wk] for ww in hist["wall"]], t + h, k)
                if len(wp):
                    err = max(
                        err, C * float(np.max(np.abs(w.T_wall - wp))) / opts.temperature_tolerance
                    )
            for name in run.model.rotors.rotors:
                sp = extrapolate(hist["t"], [np.array([s[name]]) for s in hist["speed"]], t + h, k)
                n_new = float(
                    run.model.rotors.rotors[name].group.speed[run.model.rotors.rotors[name].local]
                )
                err = max(err, C * abs(n_new - float(sp[0])) / opts.speed_tolerance)
        # the estimate's order: a linear predictor (k = 2) leaves an O(h²) difference, the
        # quadratic one (k = 3) an O(h³) one
        p = 1 if err == 0.0 or k == 2 else 2
        if after_first and not sized and err > 0.0:
            # the step after a first step: its estimate is mostly that first step's error
            h_first = (hist["t"][-1] - hist["t"][-2]) * min(2.0, max(0.2, 0.9 * err**-0.5))
            sized = True
        if err > 1.0 and h > opts.min_step * 4:
            rejected += 1
            dt = h * max(0.2, 0.9 * err ** (-1.0 / (p + 1)))
            _restore_speeds(run, hist)
            continue
        if watch is not None and watch.events:
            if land is not None and abs(t + h - land[0]) <= 1e-9 * max(1.0, land[0]):
                hit = land  # the step ends where the event acts
            else:
                hit = watch.crossing(
                    x_new, sys_.evaluation_at(x_new), t, h, smooth=len(hist["t"]) >= 2
                )
            if hit is not None and hit[0] < t + h - 1e-9 * max(1.0, hit[0]):
                land = hit  # the event acts inside this step: take it again, ending there
                _restore_speeds(run, hist)
                continue
            if hit is not None:
                t_act, e, t_c = hit
                timed = watch.fire(e, max(t_act, t + h))
                condition_of[id(timed)] = (e.when.describe(), t_c)
                pending.append(timed)
                if timed.time > t + h + 1e-9 and timed.time < opts.duration:
                    bisect.insort(stops, timed.time)
                land = None
        # ---- accepted
        ev = sys_.evaluation_at(x_new)
        run.ev_accepted = ev
        _update_resistances(model, ev)
        a0, a1, a2 = bdf_coefficients(
            order, h, hist["t"][-1] - hist["t"][-2] if len(hist["t"]) >= 2 else None
        )
        ch = model.heat_channels(x_new, ev)
        for key, q in ch.items():
            I = (h * q + (a2 * last_I[key] if order == 2 else 0.0)) / a0
            integ[key] += I
            last_I[key] = I
        if model.plug is not None:
            model.plug.check_direction(x_new, t + h)
            model.plug.advance(x_new, h)
        t_prev = t
        t = t + h
        if abs(t - nxt) < 1e-9:
            t = nxt
        steps += 1
        walls_now = [w.T_wall.copy() for w in model.walls]
        # ---- limits: the first break (interpolated within the step)
        if model.walls:
            Tw_prev = np.concatenate(walls_prev) if walls_prev else np.zeros(0)
            Tw = np.concatenate(walls_now)
            i_hot = int(np.argmax(Tw))
            if Tw[i_hot] - 273.15 > max_case["T_case_C"]:
                max_case = {
                    "T_case_C": float(Tw[i_hot] - 273.15),
                    "name": plate_names[i_hot],
                    "time_s": t,
                }
            over = Tw > plate_limit
            if first_break is None and over.any():
                frac = np.where(
                    over, (plate_limit - Tw_prev) / np.maximum(Tw - Tw_prev, 1e-300), 1.0
                )
                j = int(np.argmin(np.where(over, frac, np.inf)))
                tb = t_prev + float(np.clip(frac[j], 0.0, 1.0)) * h
                first_break = {
                    "time_s": tb,
                    "what": f"case temperature of {plate_names[j]}",
                    "limit_C": float(plate_limit[j] - 273.15),
                }
        if first_break is None and limit_nodes:
            for k, lim, name in limit_nodes:
                if x_new[lay.T][k] > lim:
                    Tp = hist["x"][-1][lay.T][k]
                    frac = (lim - Tp) / max(x_new[lay.T][k] - Tp, 1e-300)
                    first_break = {
                        "time_s": t_prev + float(np.clip(frac, 0, 1)) * h,
                        "what": f"temperature of node {name}",
                        "limit_C": lim - 273.15,
                    }
                    break
        if len(pump_idx):
            share = -x_new[lay.m][pump_idx] / m_pump_ref
            speed = pump_speed()
            for j in np.nonzero((share > REVERSE_SHARE) & (speed > REVERSE_SPEED))[0]:
                name = sys_.branches[pump_idx[j]].name
                if share[j] > reverse.get(name, (0.0,))[0]:
                    reverse[name] = (float(share[j]), t, float(speed[j]))
        if out_of_range is None:
            T_new = x_new[lay.T]
            bad = (T_new > T_valid_hi) | (T_new < T_valid_lo)
            if bad.any():
                j = int(
                    np.argmax(np.where(bad, np.abs(T_new - 0.5 * (T_valid_hi + T_valid_lo)), -1))
                )
                out_of_range = (
                    t,
                    sys_.node_names[j],
                    float(T_new[j]),
                    T_valid_lo[j],
                    T_valid_hi[j],
                )
        for tank, nodes in model.tanks.items():
            Tl = x_new[lay.T][nodes]
            if len(Tl) > 1 and np.any(np.diff(Tl) > 0.05):
                inversions.add(tank)
        walls_prev = walls_now
        rotors = run.model.rotors
        rotors.finish_ramps()
        hist["t"].append(t)
        hist["x"].append(x_new)
        hist["wall"].append(walls_now)
        hist["speed"].append(run.speeds_now())
        hist["cv"].append(_cv_state(run, x_new))
        if watch is not None:
            watch.accept(x_new, ev, t)
        for key in ("t", "x", "wall", "speed", "cv"):
            if len(hist[key]) > 4:
                del hist[key][0]
        x = x_new
        after_first, sized = first, False
        restart = any(abs(t - b) < 1e-9 for b in near_breaks(t))
        if restart:
            # no extrapolation across a jump of the inputs: the history starts again here
            for key in ("t", "x", "wall", "speed", "cv"):
                del hist[key][:-1]
        rows.append(record(run, x, ev, t))
        times.append(t)
        fac = 2.0 if err <= 0 else min(2.0, max(0.2, 0.9 * err ** (-1.0 / (p + 1))))
        if 1.0 <= fac < KEEP_STEP:
            fac = 1.0  # keep the step: the step solver's factorised Jacobian stays valid
        dt = h * fac
    E1 = model.stored_energy(x)
    dE = E1 - E0
    net_in = sum(integ.values())
    throughput = sum(abs(v) for v in integ.values()) + abs(dE)
    ledger = {
        "stored_start_J": E0,
        "stored_end_J": E1,
        "stored_change_J": dE,
        "heat_in_J": sum(v for v in integ.values() if v > 0),
        "heat_out_J": -sum(v for v in integ.values() if v < 0),
        **{f"{k}_J": v for k, v in integ.items()},
        "imbalance_J": net_in - dE,
        "imbalance_relative": abs(net_in - dE) / max(throughput, 1e-300),
    }
    flags = [
        f"tank_inversion: {t} (a warmer layer below a colder one; buoyant mixing is not modelled)"
        for t in sorted(inversions)
    ]
    for name, (share, t_r, n_r) in sorted(reverse.items()):
        flags.append(
            f"pump_reverse_flow: {name} carried {share:.1%} of the initial pump flow backwards "
            f"while turning at speed {n_r:.2f} (at {t_r:.4g} s): its curve is extrapolated "
            "into reverse flow, where a quadratic fit can even give a negative resistance; "
            "check valves closing faster, or the pump's four-quadrant data, settle it"
        )
    if out_of_range is not None:
        t_o, node, T_o, lo, hi = out_of_range
        flags.append(
            f"coolant_range: node {node} reached {T_o - 273.15:.1f} °C at {t_o:.4g} s, outside the "
            f"coolant's valid range {lo - 273.15:.0f}..{hi - 273.15:.0f} °C: properties are "
            "extrapolated or clipped from there on (boiling and freezing are not modelled), and "
            "results after that time are not trustworthy"
        )
    if ledger["imbalance_relative"] > 1e-6:
        flags.append(
            f"energy_ledger: imbalance {ledger['imbalance_relative']:.2e} of the heat throughput exceeds 1e-6"
        )
    # outputs at the output times: linear interpolation between the accepted steps (steps are
    # not shortened to land on them)
    t_steps = np.array(times)
    t_out = np.array([0.0] + out_times)
    raw = {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}
    series = {k: np.interp(t_out, t_steps, v) for k, v in raw.items()}
    series["time_s"] = t_out
    times = list(t_out)
    ride = None if first_break is None else first_break["time_s"] - t0_event
    return TransientResult(
        times=np.array(times),
        series=series,
        steps=steps,
        rejected=rejected,
        newton_iterations=run.newton_iterations,
        wall_s=time.perf_counter() - t_wall,
        ledger=ledger,
        ride_through_s=ride,
        first_break=first_break,
        max_case=max_case if model.walls else {},
        flags=flags,
        final_state=x,
        events=applied,
        rejected_newton=rejected_newton,
        step_times=t_steps,
        step_series=raw,
        cpu_s=time.process_time() - t_cpu,
        conditions_not_met=[f"{e.label} ({e.when.describe()})" for e in watch.events]
        if watch is not None
        else [],
        plug_flow=list(model.plug.names) if model.plug is not None else [],
        solver_stats={
            "evaluations": run.stepper.evaluations,
            "factorisations": run.stepper.factorisations,
            "fallbacks": run.stepper.fallbacks,
        },
    )


REVERSE_SHARE = 0.01
"""Reverse flow through a pump, as a share of the largest initial pump flow, above which a
transient run flags it (the leak of a closed check valve stays below) [-]."""
REVERSE_SPEED = 0.05
"""Relative speed above which a pump with reverse flow counts as spinning [-]."""


def _pumps(sys_) -> tuple[np.ndarray, Any]:
    """Branch indices of all pumps and a function returning their speeds now."""
    from thermo.components.pump import PumpGroup

    groups = [g for g in sys_.groups if isinstance(g, PumpGroup)]
    idx = np.array([int(b) for g in groups for b in g.branch_index], dtype=np.int64)

    def speeds() -> np.ndarray:
        return np.concatenate([g.speed for g in groups]) if groups else np.zeros(0)

    return idx, speeds


def _quiet_until(run: Run, hist, pending, stops) -> float:
    """End of the stretch from t = 0 in which nothing changes (0 if something does at once):
    no event, no input breakpoint, constant drives, no moving check valve, no coasting or
    starting pump."""
    t_end = min([e.time for e in pending] + stops[:1], default=0.0)
    if not t_end > 0.0:
        return 0.0
    for d in run.drives:
        f0 = d.profile.initial()
        for f in (d.profile.value(0.0), d.profile.value(t_end, side="left")):
            if abs(f - f0) > 1e-12 * max(1.0, abs(f0)):
                return 0.0
    for o, d in hist["cv"][-1].values():
        if (d > 0 and o < 1.0) or (d < 0 and o > 0.0):
            return 0.0
    if run.model.rotors.dynamic:
        return 0.0
    return float(t_end)


def _restore_speeds(run: Run, hist) -> None:
    """Speeds of coasting and starting pumps back to the start of a rejected step."""
    for name, n in hist["speed"][-1].items():
        r = run.model.rotors.rotors[name]
        if r.mode != "running":
            run.model.rotors.set_speed(r, n)


def _update_resistances(model: TransientModel, ev) -> None:
    groups = model.system.groups
    for w in model.walls:
        w.update_resistance(ev.contexts[groups.index(w.group)])


def _cv_state(run: Run, x: np.ndarray) -> dict[str, tuple[float, float]]:
    """Opening of each check valve and the way it moves next: closing (-1) on reverse flow,
    opening (+1) when the pressure drives flow forward (through the leak of a closed valve)."""
    sys_ = run.sys
    m = x[sys_.layout.m]
    out = {}
    for name in run.check_valves:
        g, i = sys_.group_of[name]
        out[name] = (float(g.opening[i]), 1.0 if m[g.branch_index[i]] > 0 else -1.0)
    return out
