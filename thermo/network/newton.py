"""Newton's method with a sparse analytic Jacobian and a backtracking line search.

Hydraulics and heat are solved *jointly*: one Newton system holds pressures, flows and temperatures,
so temperature-dependent properties (viscosity, density) and flow-dependent temperatures converge
together, not in alternating sweeps with stale values.

The solver returns a :class:`SolveReport`; the caller (``Network.solve``) decides whether a failure
raises (default) or returns partial results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermo.errors import Residual
from thermo.network.assembly import System
from thermo.network.linear import HUB_DEGREE, MAX_HUB_NODES, LinearSolver

STALL_ITERATIONS = 8
"""Newton gives up (and the caller may switch strategy) when this many iterations did not halve
the residual [-]."""


@dataclass(frozen=True)
class SolverOptions:
    """Settings of the Newton solver.

    Parameters
    ----------
    tolerance
        Convergence when every scaled residual is below this: node mass balances relative to the
        largest branch flow, energy balances in kelvin, pressure laws relative to the largest branch
        pressure change [-].
    max_iterations
        Newton iterations before giving up.
    max_temperature_step
        Largest change of any temperature in one Newton step [K]; longer steps are shortened.
    initial_flow
        Mass flow every branch starts from when no warm start is given [kg/s].
    initial_temperature
        Temperature every node starts from when no warm start or boundary gives one [K].
    """

    tolerance: float = 1e-8
    max_iterations: int = 60
    max_temperature_step: float = 40.0
    initial_flow: float = 0.05
    initial_temperature: float | None = None
    pseudo_transient_retry: bool = True
    """Retry a stalled solve with pseudo-transient continuation (switched off by callers that
    handle failed sub-systems themselves, e.g. batched hourly runs)."""
    abandon_stuck: bool = False
    """Stop iterating an independent sub-system whose line search failed in two successive
    iterations (no descent along the Newton step), and end the solve unconverged once all the
    others have converged. For callers that re-solve failed sub-systems on their own (batched
    hourly runs): one stuck hour then no longer costs every other hour of its batch a dozen
    evaluations per iteration."""


@dataclass(frozen=True)
class SolveReport:
    """How a solve went."""

    converged: bool
    iterations: int
    residual_norm: float
    """Largest scaled residual at the end [-]."""
    worst: list[Residual] = field(default_factory=list)
    """The largest scaled residuals with readable names, largest first."""
    message: str = ""
    factorisations: int = 0
    control_passes: int = 1


def hub_dofs(system: System) -> np.ndarray:
    """Unknown indices of hub nodes (pressure and temperature), see :mod:`thermo.network.linear`."""
    lay = system.layout
    degree = np.zeros(lay.n_nodes, dtype=np.int64)
    np.add.at(degree, system.inlet, 1)
    np.add.at(degree, system.outlet, 1)
    order = np.argsort(-degree, kind="stable")
    hubs = order[degree[order] > HUB_DEGREE][:MAX_HUB_NODES]
    return np.concatenate([lay.p.start + hubs, lay.T.start + hubs]).astype(np.int64)


def _blocks(system: System, linear: LinearSolver) -> tuple[np.ndarray, int]:
    """Label of the independent sub-system each unknown/equation belongs to (cached)."""
    cached = getattr(system, "_blocks", None)
    if cached is not None:
        return cached
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = system.layout.size
    g = coo_matrix((np.ones(len(linear.rows)), (linear.rows, linear.cols)), shape=(n, n))
    count, labels = connected_components(g, directed=False)
    system._blocks = (labels, count)
    return system._blocks


def worst_residuals(system: System, Fs: np.ndarray, count: int = 5) -> list[Residual]:
    a = -np.abs(Fs)
    if len(a) > 8 * count:
        # the candidates (every value at least the count-th largest, ties included) are found
        # in linear time; only they are sorted (a full argsort cost ~1 ms per solve at 1e4)
        kth = np.partition(a, count - 1)[count - 1]
        cand = np.flatnonzero(~(a > kth))  # NaN kept, as argsort would place them last
        order = cand[np.argsort(a[cand])][:count]
    else:
        order = np.argsort(a)[:count]
    return [Residual(system.row_name(int(i)), float(Fs[i])) for i in order if np.isfinite(Fs[i])]


def newton(
    system: System,
    x0: np.ndarray,
    options: SolverOptions,
    linear: LinearSolver | None = None,
    *,
    isothermal: np.ndarray | None = None,
    tolerance: float | None = None,
    pseudo_transient: float | None = None,
    first=None,
) -> tuple[np.ndarray, SolveReport, LinearSolver | None]:
    """Solve ``system`` from ``x0``. Returns the last iterate, a report and the linear solver.

    ``isothermal`` (node temperatures) freezes temperatures: the hydraulic start-up phase.

    ``pseudo_transient`` (a pseudo time step, relative) turns on pseudo-transient continuation
    for the energy balances (Kelley & Keyes, SIAM J. Numer. Anal. 35(2), 1998): each node gets a
    fictitious heat capacity, ``(flow through the node × cp) / dt``, on the Jacobian diagonal, and
    ``dt`` grows as the residual falls (switched evolution relaxation), so the iteration follows
    a physical warm-up instead of jumping through regimes where a loop's temperature level is
    not anchored (e.g. a cooler passing fluid through). It ends as plain Newton; the converged
    state solves the steady equations exactly.

    ``first``: the evaluation at ``x0`` when the caller has it (the steady evaluation at the end
    of the hydraulic start-up, :meth:`System.steady_evaluation`); it is used as the first
    iteration's evaluation instead of evaluating again.
    """
    dt = pseudo_transient
    system.control_switches = [0] * system.layout.n_controls
    # bounds of the actuators for the projection of each step (they may change between solves)
    system._u_lower = np.array([c.lower for c in system.controls])
    system._u_upper = np.array([c.upper for c in system.controls])
    norm_prev = None
    history: list[float] = []
    tol = options.tolerance if tolerance is None else tolerance
    lay = system.layout
    x = x0.copy()
    Tsl = lay.T
    report_iter = 0
    norm = np.inf
    Fs = np.zeros(lay.size)
    ev = first
    stuck: np.ndarray | None = None  # per sub-system: failed line searches in a row
    abandoned: np.ndarray | None = None
    for it in range(options.max_iterations + 1):
        report_iter = it
        if ev is None:  # otherwise the accepted trial point's evaluation is reused
            ev = system.evaluate(x, jacobian=True, isothermal=isothermal)
        # the evaluation at the iterate (reused by results and the release test, never for an
        # isothermal start-up state)
        system._last_eval = (x, ev) if isothermal is None else None
        scales = system.residual_scales(x, ev)
        if isothermal is not None:
            scales[Tsl] = 1.0
        Fs = ev.F / scales
        if not np.all(np.isfinite(Fs)):
            return x, _failed(system, Fs, it, "non-finite residuals", linear), linear
        norm = float(np.max(np.abs(Fs))) if len(Fs) else 0.0
        if norm <= tol:
            if isothermal is not None:
                system._start_up_eval = (x, ev)  # for the steady pass that follows
            return x, _report(True, it, norm, system, Fs, linear, "converged"), linear
        if abandoned is not None and abandoned.any():
            blocks, _ = _blocks(system, linear)
            live = ~abandoned[blocks]
            if not live.any() or float(np.max(np.abs(Fs[live]))) <= tol:
                msg = f"{int(abandoned.sum())} sub-system(s) abandoned (no descent)"
                return x, _failed(system, Fs, it, msg, linear), linear
        if it == options.max_iterations:
            break
        if dt is None:
            # stagnation: no halving of the residual in STALL_ITERATIONS steps (the caller may
            # then retry with pseudo-transient continuation)
            history.append(norm)
            if len(history) > STALL_ITERATIONS and norm > 0.5 * history[-STALL_ITERATIONS - 1]:
                return (
                    x,
                    _failed(system, Fs, it, "stalled (residual not decreasing)", linear),
                    linear,
                )
        if lay.n_controls and _release_held(system, ev.control_errors):
            # a held actuator whose controller now drives it back into its range is freed
            ev, scales, Fs, norm = _reevaluate(system, x, isothermal)
        if linear is None:
            r, c, _ = ev.jac
            linear = LinearSolver(lay.size, r, c, hub_dofs(system), ev.jac[2])
        if dt is not None and isothermal is None:
            if norm_prev is not None:
                dt = min(dt * max(norm_prev / max(norm, 1e-300), 0.5), 1e12)
            norm_prev = norm
        dx, error = _direction(system, ev, scales, linear, dt if isothermal is None else None)
        if error and _hold_temperature_controls(system, x, ev.control_errors):
            # a temperature setpoint without gain (a start at uniform temperature, a loop on its
            # coolant's range limit): held, at the bound its controller drives it to when its
            # action is known, else at its current value for now
            ev, scales, Fs, norm = _reevaluate(system, x, isothermal)
            dx, error = _direction(system, ev, scales, linear, dt if isothermal is None else None)
        if error:
            return x, _failed(system, Fs, it, f"singular Jacobian ({error})", linear), linear
        if _clamp_controls(system, x, dx, ev.F):
            # a free control would leave its bounds: hold it at the bound and recompute the step
            ev, scales, Fs, norm = _reevaluate(system, x, isothermal)
            dx, error = _direction(system, ev, scales, linear, dt if isothermal is None else None)
            if error:
                return x, _failed(system, Fs, it, f"singular Jacobian ({error})", linear), linear
        # Independent sub-systems (e.g. the hours of a batched annual run) get their own step
        # lengths: a hard block backtracks without holding the others back.
        blocks, n_blocks = _blocks(system, linear)
        dT_block = np.zeros(n_blocks)
        if n_blocks == 1:  # one connected system: a plain maximum (ufunc.at is slow)
            dT_block[0] = max(float(np.max(np.abs(dx[Tsl]), initial=0.0)), 0.0)
        else:
            np.maximum.at(dT_block, blocks[Tsl], np.abs(dx[Tsl]))
        alpha = np.minimum(1.0, options.max_temperature_step / np.maximum(dT_block, 1e-300))
        if lay.n_controls:
            # free actuators stop at their bounds and move at most half their range per step
            np.minimum.at(alpha, blocks[lay.u], _control_step_caps(system, x, dx))
        merit0 = np.bincount(blocks, weights=Fs * Fs, minlength=n_blocks)
        # sub-systems already within tolerance take their (tiny) step without a line search: at
        # round-off level their merit need not decrease, and waiting for it would make every
        # trial re-evaluate the whole system
        block_norm = np.zeros(n_blocks)
        if n_blocks == 1:
            block_norm[0] = max(float(np.max(np.abs(Fs), initial=0.0)), 0.0)
        else:
            np.maximum.at(block_norm, blocks, np.abs(Fs))
        pending = block_norm > tol
        if options.abandon_stuck and n_blocks > 1:
            if stuck is None or len(stuck) != n_blocks:
                stuck = np.zeros(n_blocks, dtype=np.int64)
                abandoned = np.zeros(n_blocks, dtype=bool)
            # an abandoned sub-system keeps its state (no step, no line search)
            alpha = np.where(abandoned, 0.0, alpha)
            pending &= ~abandoned
        if dt is not None and isothermal is None:
            # pseudo-transient steps follow a fictitious warm-up: the steady residual may rise
            # on the way, so no line search on it (dt controls the step instead)
            x = x + alpha[blocks] * dx
            x[Tsl] = system.fluids.clip_nodes(x[Tsl])
            _project_controls(system, x)
            ev = None
            continue
        ev_try = None
        for halving in range(12):
            x_try = x + alpha[blocks] * dx
            x_try[Tsl] = system.fluids.clip_nodes(x_try[Tsl])
            _project_controls(system, x_try)
            ev_try = system.evaluate(x_try, jacobian=True, isothermal=isothermal)
            F_try = ev_try.F / scales
            merit = np.bincount(
                blocks,
                weights=np.where(np.isfinite(F_try), F_try * F_try, np.inf),
                minlength=n_blocks,
            )
            ok = merit <= (1.0 - 1e-4 * alpha) * merit0
            pending &= ~ok
            if not pending.any():
                break
            if stuck is not None and halving >= 3 and pending.sum() <= 0.1 * n_blocks:
                # a few sub-systems without descent: not worth re-evaluating all the others
                break
            alpha = np.where(pending, 0.5 * alpha, alpha)
        if stuck is not None:
            stuck = np.where(pending, stuck + 1, 0)
            abandoned |= stuck >= 2
        if pending.any():
            # the shortest steps are taken anyway: a plateau of the merit function is often left
            # this way; the evaluation at the accepted point is redone
            x_try = x + alpha[blocks] * dx
            x_try[Tsl] = system.fluids.clip_nodes(x_try[Tsl])
            _project_controls(system, x_try)
            ev_try = None
        x = x_try
        ev = ev_try
    msg = f"no convergence after {options.max_iterations} iterations"
    return x, _failed(system, Fs, report_iter, msg, linear), linear


def _direction(system: System, ev, scales: np.ndarray, linear: LinearSolver, dt: float | None):
    """Newton step ``J dx = -F`` (with the pseudo-transient diagonal when ``dt`` is given).

    Returns ``(dx, None)`` or ``(None, reason)`` when the Jacobian is singular.
    """
    vals = ev.jac[2]
    if dt is not None:
        vals = vals.copy()
        vals[system.energy_diagonal] -= scales[system.layout.T] / dt
    try:
        dx = linear.solve(vals, -ev.F)
    except RuntimeError as exc:
        return None, str(exc)
    if not np.all(np.isfinite(dx)):
        return None, "non-finite step"
    return dx, None


def _reevaluate(system: System, x: np.ndarray, isothermal: np.ndarray | None):
    """Evaluation, scales, scaled residuals and norm at ``x`` (after a change of control modes)."""
    ev = system.evaluate(x, jacobian=True, isothermal=isothermal)
    system._last_eval = (x, ev) if isothermal is None else None
    scales = system.residual_scales(x, ev)
    if isothermal is not None:
        scales[system.layout.T] = 1.0
    Fs = ev.F / scales
    return ev, scales, Fs, float(np.max(np.abs(Fs))) if len(Fs) else 0.0


MAX_CONTROL_STEP = 0.5
"""Largest change of a free actuator in one Newton step, as a fraction of its range [-]."""


def _pushed_out(system: System, j: int, at_upper: bool, error: float, du: float) -> bool:
    """Whether control ``j`` on a bound wants to go further out.

    With a known action (``sign``), as a controller with anti-windup: the setpoint error
    ``measured - setpoint`` says which way the controller drives the actuator. Otherwise the
    Newton step ``du`` says it.
    """
    ctl = system.controls[j]
    sign = ctl.sign
    if sign is not None and abs(error) > ERROR_BAND * ctl.residual_scale(1.0, system.m_ref):
        push = -sign * error  # > 0: the controller raises the actuator
        return push > 0.0 if at_upper else push < 0.0
    return du > 0.0 if at_upper else du < 0.0


ERROR_BAND = 1e-3
"""Setpoint errors below this fraction of the control's residual scale (1 mK for a temperature)
are too small to say which way a controller drives its actuator; the Newton step decides [-]."""

MAX_SWITCHES = 6
"""Mode switches (held → free) of one control during one Newton pass, beyond which it stays as
it is until the pass converges (guards against chattering between the modes) [-]."""


def _release_held(system: System, errors: np.ndarray) -> bool:
    """Free held controls (of known action) that their controller would now drive inwards.

    While iterating, the state a control was held in can change (another control moves, a loop
    warms up): keeping the hold until convergence can leave a network with no steady state (fans
    held at minimum speed while the water heats up). Returns True when any control was freed.
    """
    freed = False
    for j, ctl in enumerate(system.controls):
        f = system.control_fixed[j]
        if f is None or system.control_provisional[j] or ctl.sign is None:
            continue
        if system.control_switches[j] >= MAX_SWITCHES:
            continue
        at_upper = f >= 0.5 * (ctl.lower + ctl.upper)
        err = errors[j]
        scale = ctl.residual_scale(1.0, system.m_ref)
        if abs(err) > ERROR_BAND * scale and not _pushed_out(system, j, at_upper, err, 0.0):
            system.control_fixed[j] = None
            system.control_switches[j] += 1
            freed = True
    return freed


def _clamp_controls(system: System, x: np.ndarray, dx: np.ndarray, F: np.ndarray) -> bool:
    """Hold every free control that sits on a bound while it is pushed outwards.

    Projected active-set Newton: an actuator never leaves ``[lower, upper]`` (steps that would
    cross a bound stop on it, :func:`_control_step_caps`), so component laws are only evaluated
    where they are defined; once on the bound and still pushed out (:func:`_pushed_out`), its
    equation becomes ``u = bound``. Whether a held control is truly saturated is decided at
    convergence by :func:`release_controls`. Returns True when a control changed mode.
    """
    lay = system.layout
    u0 = lay.u.start
    changed = False
    for j, ctl in enumerate(system.controls):
        if system.control_fixed[j] is not None:
            continue
        u, du, err = x[u0 + j], dx[u0 + j], F[u0 + j]
        span = ctl.upper - ctl.lower
        slack = 1e-9 * span
        at_upper = u >= ctl.upper - slack
        if not (at_upper or u <= ctl.lower + slack):
            continue
        bound = ctl.upper if at_upper else ctl.lower
        if _pushed_out(system, j, at_upper, err, du):
            system.control_fixed[j] = bound
            system.control_provisional[j] = False
            changed = True
    return changed


def _control_step_caps(system: System, x: np.ndarray, dx: np.ndarray) -> np.ndarray:
    """Per control, the largest step fraction that moves a free actuator by at most
    :data:`MAX_CONTROL_STEP` of its range (1 for held controls). Bounds are enforced by
    projection (:func:`_project_controls`), not by shortening the step: a control resting on a
    bound must not stop the rest of its sub-system from moving."""
    lay = system.layout
    du = np.abs(dx[lay.u])
    lo = np.array([c.lower for c in system.controls])
    hi = np.array([c.upper for c in system.controls])
    free = np.array([f is None for f in system.control_fixed])
    with np.errstate(divide="ignore", invalid="ignore"):
        cap = np.where(du > 0.0, MAX_CONTROL_STEP * (hi - lo) / du, 1.0)
    return np.where(free, np.minimum(cap, 1.0), 1.0)


def _project_controls(system: System, x: np.ndarray) -> None:
    """Clip every actuator to ``[lower, upper]`` in place (projected Newton step)."""
    if not system.layout.n_controls:
        return
    lay = system.layout
    x[lay.u] = np.clip(x[lay.u], system._u_lower, system._u_upper)


def _hold_temperature_controls(system: System, x: np.ndarray, errors: np.ndarray) -> bool:
    """Hold free temperature controls while the Jacobian is singular; True if any.

    A temperature setpoint has no gain where the temperatures do not depend on its actuator (a
    start at uniform temperature, a loop resting on the coolant's range limit). A control of known
    action whose setpoint is missed goes to the bound its controller drives it to, as an
    integrating controller without gain winds up (a normal hold at a bound: kept if saturated,
    released at convergence otherwise, :func:`release_controls`); the others are held at their
    current value as a start-up aid (provisional, released at the first convergence). A
    provisional hold at the current value alone would come back at every pass from a state
    without gain, and the solve would end there with the control neither at its setpoint nor at a
    bound.
    """
    from thermo.network.controls import NodeTemperature

    u0 = system.layout.u.start
    held = False
    for j, ctl in enumerate(system.controls):
        if system.control_fixed[j] is None and isinstance(ctl.target, NodeTemperature):
            err = errors[j]
            if ctl.sign is not None and abs(err) > ERROR_BAND * ctl.residual_scale(
                1.0, system.m_ref
            ):
                raise_it = -ctl.sign * err > 0.0
                bound = ctl.upper if raise_it else ctl.lower
                system.control_fixed[j] = bound
                system.control_provisional[j] = False
                x[u0 + j] = bound
            else:
                system.control_fixed[j] = float(x[u0 + j])
                system.control_provisional[j] = True
            held = True
    return held


MAX_RELEASES = 2
"""A control released from a bound this many times stays held (guards against cycling) [-]."""


def _free_errors(system: System, x: np.ndarray, ev) -> np.ndarray:
    """``measured - setpoint`` of every control at ``x`` (whatever its mode)."""
    return ev.control_errors


def _rounds(system: System, linear: LinearSolver, controls: list[int]) -> list[list[int]]:
    """Split ``controls`` into rounds with at most one control per independent sub-system."""
    lay = system.layout
    blocks, _ = _blocks(system, linear)
    by_block: dict[int, list[int]] = {}
    for j in controls:
        by_block.setdefault(int(blocks[lay.u.start + j]), []).append(j)
    n = max((len(v) for v in by_block.values()), default=0)
    return [[v[r] for v in by_block.values() if len(v) > r] for r in range(n)]


def infer_actions(system: System, x: np.ndarray, linear: LinearSolver | None) -> None:
    """Find the action (sign of the steady-state gain) of controls that have none yet.

    With every actuator held at its current value, the sensitivity ``dx/du_j`` of the network
    solves ``J z = e_j`` (``e_j`` the unit vector of control ``j``'s row); the gain is the
    derivative of the measured value along it. Controls of independent sub-systems share a solve.
    A gain that vanishes (e.g. a temperature at uniform temperature) leaves the action unknown.
    """
    todo = [j for j, c in enumerate(system.controls) if c.sign is None]
    if not todo or linear is None:
        return
    lay = system.layout
    saved = list(system.control_fixed)
    u = x[lay.u]
    for j in range(lay.n_controls):
        system.control_fixed[j] = float(u[j])
    try:
        ev = system.evaluate(x, jacobian=True)
        for trial in _rounds(system, linear, todo):
            b = np.zeros(lay.size)
            b[[lay.u.start + j for j in trial]] = 1.0
            try:
                z = linear.solve(ev.jac[2], b)
            except RuntimeError:
                continue
            if not np.all(np.isfinite(z)):
                continue
            for j in trial:
                ctl = system.controls[j]
                _, coefs = ctl.equation(x, system, ev.node_state, None)
                cols = ctl.columns(system)
                gain = float(sum(c * z[k] for c, k in zip(coefs, cols, strict=True)))
                scale = ctl.residual_scale(1.0, system.m_ref) / max(ctl.upper - ctl.lower, 1e-300)
                if abs(gain) > 1e-9 * scale:
                    ctl.sign = 1 if gain > 0 else -1
    finally:
        system.control_fixed = saved


def release_controls(system: System, x: np.ndarray, linear: LinearSolver | None) -> bool:
    """Decide, at a converged state, which held controls are really saturated.

    Provisional holds (a start-up aid, not at a bound) are simply released. A control held at a
    bound stays held (saturated) when the controller still pushes it out (:func:`_pushed_out`):
    with a known action, when its setpoint error has the sign that asks for more than the bound
    allows — a controller's anti-windup; without one, when one Newton step of the network with
    its setpoint restored (the other held controls kept) points out of its range. The others
    are released. Returns True when any control was released (the caller then solves again).
    """
    infer_actions(system, x, linear)
    provisional = [j for j, p in enumerate(system.control_provisional) if p]
    if provisional:
        for j in provisional:
            system.control_fixed[j] = None
            system.control_provisional[j] = False
        return True
    held = [
        j
        for j, f in enumerate(system.control_fixed)
        if f is not None and system.control_releases[j] < MAX_RELEASES
    ]
    if not held:
        return False
    lay = system.layout
    ev = system.evaluation_at(x)
    errors = _free_errors(system, x, ev)
    to_release: list[int] = []
    unknown: list[int] = []
    for j in held:
        ctl = system.controls[j]
        if ctl.sign is None or abs(errors[j]) <= ERROR_BAND * ctl.residual_scale(1.0, system.m_ref):
            unknown.append(j)  # no action, or an error too small to tell: the Newton step decides
            continue
        at_upper = system.control_fixed[j] >= 0.5 * (ctl.lower + ctl.upper)
        if not _pushed_out(system, j, at_upper, errors[j], 0.0):
            to_release.append(j)
    if unknown and linear is not None:
        for trial in _rounds(system, linear, unknown):
            saved = {j: system.control_fixed[j] for j in trial}
            for j in trial:
                system.control_fixed[j] = None
            ev = system.evaluate(x, jacobian=True)
            try:
                dx = linear.solve(ev.jac[2], -ev.F)
            except RuntimeError:
                dx = None
            if dx is not None and not np.all(np.isfinite(dx)):
                dx = None
            for j in trial:
                system.control_fixed[j] = saved[j]  # each test sees the others held
                if dx is None:
                    continue
                ctl = system.controls[j]
                at_upper = saved[j] >= 0.5 * (ctl.lower + ctl.upper)
                if not _pushed_out(system, j, at_upper, 0.0, dx[lay.u.start + j]):
                    to_release.append(j)
    for j in to_release:
        system.control_fixed[j] = None
        system.control_releases[j] += 1
    return bool(to_release)


def unconverged_restart(
    system: System,
    x: np.ndarray,
    x_start: np.ndarray,
    fixed_start: list,
    tol: float,
    linear: LinearSolver | None,
) -> tuple[np.ndarray, list]:
    """Start for a retry after a failed pass: converged sub-systems keep ``x`` (and their control
    holds), the others go back to ``x_start`` (and ``fixed_start``)."""
    if linear is None:
        return x_start.copy(), list(fixed_start)
    blocks, n_blocks = _blocks(system, linear)
    ev = system.evaluate(x, jacobian=False)
    Fs = np.abs(ev.F / system.residual_scales(x, ev))
    Fs = np.where(np.isfinite(Fs), Fs, np.inf)
    norm = np.zeros(n_blocks)
    np.maximum.at(norm, blocks, Fs)
    bad = norm[blocks] > tol
    out = np.where(bad, x_start, x)
    u0 = system.layout.u.start
    fixed = [
        fixed_start[j] if bad[u0 + j] else system.control_fixed[j]
        for j in range(system.layout.n_controls)
    ]
    return out, fixed


def _report(ok, it, norm, system, Fs, linear, msg) -> SolveReport:
    return SolveReport(
        converged=ok,
        iterations=it,
        residual_norm=norm,
        worst=worst_residuals(system, Fs),
        message=msg,
        factorisations=linear.factorisations if linear else 0,
    )


def _failed(system, Fs, it, msg, linear) -> SolveReport:
    finite = np.where(np.isfinite(Fs), np.abs(Fs), np.inf)
    norm = float(np.max(finite)) if len(Fs) else 0.0
    return _report(False, it, norm, system, Fs, linear, msg)
