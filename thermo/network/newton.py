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
    order = np.argsort(-np.abs(Fs))[:count]
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
    """
    dt = pseudo_transient
    norm_prev = None
    history: list[float] = []
    tol = options.tolerance if tolerance is None else tolerance
    lay = system.layout
    x = x0.copy()
    Tsl = lay.T
    report_iter = 0
    norm = np.inf
    Fs = np.zeros(lay.size)
    ev = None
    for it in range(options.max_iterations + 1):
        report_iter = it
        if ev is None:  # otherwise the accepted trial point's evaluation is reused
            ev = system.evaluate(x, jacobian=True, isothermal=isothermal)
        scales = system.residual_scales(x, ev)
        if isothermal is not None:
            scales[Tsl] = 1.0
        Fs = ev.F / scales
        if not np.all(np.isfinite(Fs)):
            return x, _failed(system, Fs, it, "non-finite residuals", linear), linear
        norm = float(np.max(np.abs(Fs))) if len(Fs) else 0.0
        if norm <= tol:
            return x, _report(True, it, norm, system, Fs, linear, "converged"), linear
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
        if linear is None:
            r, c, _ = ev.jac
            linear = LinearSolver(lay.size, r, c, hub_dofs(system), ev.jac[2])
        vals = ev.jac[2]
        if dt is not None and isothermal is None:
            if norm_prev is not None:
                dt = min(dt * max(norm_prev / max(norm, 1e-300), 0.5), 1e12)
            norm_prev = norm
            vals = vals.copy()
            vals[system.energy_diagonal] -= scales[Tsl] / dt
        try:
            dx = linear.solve(vals, -ev.F)
        except RuntimeError as exc:
            return x, _failed(system, Fs, it, f"singular Jacobian ({exc})", linear), linear
        if not np.all(np.isfinite(dx)):
            return x, _failed(system, Fs, it, "singular Jacobian (non-finite step)", linear), linear
        # Independent sub-systems (e.g. the hours of a batched annual run) get their own step
        # lengths: a hard block backtracks without holding the others back.
        blocks, n_blocks = _blocks(system, linear)
        dT_block = np.zeros(n_blocks)
        np.maximum.at(dT_block, blocks[Tsl], np.abs(dx[Tsl]))
        alpha = np.minimum(1.0, options.max_temperature_step / np.maximum(dT_block, 1e-300))
        merit0 = np.bincount(blocks, weights=Fs * Fs, minlength=n_blocks)
        pending = merit0 > 0.0
        alpha = np.where(pending, alpha, 0.0)
        if dt is not None and isothermal is None:
            # pseudo-transient steps follow a fictitious warm-up: the steady residual may rise
            # on the way, so no line search on it (dt controls the step instead)
            x = x + alpha[blocks] * dx
            x[Tsl] = system.fluids.clip_nodes(x[Tsl])
            ev = None
            continue
        ev_try = None
        for _ in range(12):
            x_try = x + alpha[blocks] * dx
            x_try[Tsl] = system.fluids.clip_nodes(x_try[Tsl])
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
            alpha = np.where(pending, 0.5 * alpha, alpha)
        if pending.any():
            # the shortest steps are taken anyway: a plateau of the merit function is often left
            # this way; the evaluation at the accepted point is redone
            x_try = x + alpha[blocks] * dx
            x_try[Tsl] = system.fluids.clip_nodes(x_try[Tsl])
            ev_try = None
        x = x_try
        ev = ev_try
    msg = f"no convergence after {options.max_iterations} iterations"
    return x, _failed(system, Fs, report_iter, msg, linear), linear


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
