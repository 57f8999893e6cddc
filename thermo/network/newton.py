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
) -> tuple[np.ndarray, SolveReport, LinearSolver | None]:
    """Solve ``system`` from ``x0``. Returns the last iterate, a report and the linear solver.

    ``isothermal`` (node temperatures) freezes temperatures: the hydraulic start-up phase.
    """
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
        if linear is None:
            r, c, _ = ev.jac
            linear = LinearSolver(lay.size, r, c, hub_dofs(system), ev.jac[2])
        try:
            dx = linear.solve(ev.jac[2], -ev.F)
        except RuntimeError as exc:
            return x, _failed(system, Fs, it, f"singular Jacobian ({exc})", linear), linear
        if not np.all(np.isfinite(dx)):
            return x, _failed(system, Fs, it, "singular Jacobian (non-finite step)", linear), linear
        dT = np.max(np.abs(dx[Tsl])) if lay.n_nodes else 0.0
        alpha = min(1.0, options.max_temperature_step / dT) if dT > 0 else 1.0
        merit0 = 0.5 * float(np.sum(Fs * Fs))
        accepted = False
        ev_try = None
        for _ in range(12):
            x_try = x + alpha * dx
            x_try[Tsl] = system.fluids.clip_nodes(x_try[Tsl])
            ev_try = system.evaluate(x_try, jacobian=True, isothermal=isothermal)
            F_try = ev_try.F / scales
            if np.all(np.isfinite(F_try)):
                merit = 0.5 * float(np.sum(F_try * F_try))
                if merit <= (1.0 - 1e-4 * alpha) * merit0:
                    accepted = True
                    break
            alpha *= 0.5
        if not accepted:
            # take the shortest step anyway: a plateau of the merit function is often left this way
            x_try = x + alpha * dx
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
