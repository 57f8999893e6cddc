"""One time step of a transient run: inputs, events and the solve of the step's equations.

:class:`Run` holds the state :func:`thermo.transient.integrator.simulate` advances: it applies
IT-power drives and events, sets the BDF coefficients of the storage terms, predicts the new
state from the previous steps, and solves the step with the step solver of
:mod:`thermo.transient.stepper` (coasting pump speeds as extra unknowns,
:class:`thermo.transient.pumps.Coasting`), handing a step that solver cannot converge to the
network's full Newton method of :mod:`thermo.network.newton`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.errors import InputError
from thermo.network.control_audit import audit_controls, release
from thermo.network.newton import newton
from thermo.transient.drives import Event
from thermo.transient.model import TransientModel
from thermo.transient.pumps import Coasting
from thermo.transient.stepper import StepSolver

__all__ = ["Run", "bdf_coefficients", "extrapolate"]

FALLBACK_STEP = 0.1
"""A step the step solver cannot converge is shortened (to a quarter) until it is this fraction
of ``initial_step`` before the network's full Newton method takes it over [-]."""


def bdf_coefficients(order: int, dt: float, dt_prev: float | None) -> tuple[float, float, float]:
    if order == 1 or dt_prev is None:
        return 1.0, -1.0, 0.0
    w = dt / dt_prev
    return (1 + 2 * w) / (1 + w), -(1 + w), w * w / (1 + w)


def extrapolate(ts: list[float], ys: list[np.ndarray], t: float, k: int) -> np.ndarray:
    """Lagrange extrapolation through the last ``k`` points to ``t``."""
    pts = list(range(len(ts) - k, len(ts)))
    out = np.zeros_like(ys[-1])
    for i in pts:
        w = 1.0
        for j in pts:
            if j != i:
                w *= (t - ts[j]) / (ts[i] - ts[j])
        out = out + w * ys[i]
    return out


class Run:
    """State of one integration (see :func:`simulate`)."""

    def __init__(self, model: TransientModel, events, drives, opts, solver, outputs, limits):
        self.model = model
        self.sys = model.system
        self.events = sorted(events, key=lambda e: e.time)
        self.drives = drives
        self.opts = opts
        self.solver = solver
        self.outputs = outputs
        self.limits = limits
        self.linear = None
        self.newton_iterations = 0
        self.plate_local: dict[str, tuple[Any, int]] = {}
        for w in model.walls:
            for i, c in enumerate(w.group.components):
                self.plate_local[c.name] = (w, i)
        self.check_valves: list[str] = []
        self.cv_stroke = opts.check_valve_stroke
        self.stepper = StepSolver(self.sys, solver.tolerance)
        self.ev_accepted = None
        """The evaluation at the last accepted state."""

    # ------------------------------------------------------------------ inputs
    def apply_drives(self, t0: float, t1: float | None, order: int = 1) -> float:
        """Set the heat of driven branches for a step [t0, t1]: the mean over the step for
        backward Euler (``order`` 1), the value at its end for BDF-2 (``t1`` None: the initial
        value); returns the driven power."""
        total = 0.0
        for d in self.drives:
            if t1 is None:
                frac = d.profile.initial()
            elif order == 2:
                frac = d.profile.value(t1, side="left")
            else:
                frac = d.profile.mean(t0, t1)
            for name in d.targets:
                q = d.nominal[name] * frac
                total += q
                if name in self.plate_local:
                    w, i = self.plate_local[name]
                    w.P[i] = q
                    w.group.q[i] = q
                else:
                    g, i = self.sys.group_of[name]
                    g.q[i] = q
        return total

    def apply_event(self, ev: Event, x: np.ndarray) -> None:
        rotors = self.model.rotors
        for name in ev.targets:
            if ev.kind == "trip":
                r = rotors.rotor(name)
                ev_x = self.ev_accepted
                P = self.shaft_power(ev_x, r) if ev_x is not None else 0.0
                rotors.trip(name, x, P)
            elif ev.kind == "start":
                rotors.start(name, ev.duration, x)
            elif ev.kind == "stop":
                rotors.stop(name)
            else:
                loc = self.sys.group_of.get(name)
                if loc is None:
                    raise InputError(f"event sets {name!r}, not a branch of the network", key=name)
                g, i = loc
                if not g.set_parameter(i, ev.parameter, ev.value):
                    raise InputError(
                        f"{type(self.sys.branches[g.branch_index[i]]).__name__} {name!r}: "
                        f"parameter {ev.parameter!r} cannot change during a run",
                        key=f"{name}.{ev.parameter}",
                    )

    # ------------------------------------------------------------------ one step
    def solve(self, x0: np.ndarray) -> tuple[np.ndarray, bool]:
        """The network's full Newton method (line search; pseudo-transient on failure)."""
        x, rep, self.linear = newton(self.sys, x0, self.solver, self.linear)
        self.newton_iterations += rep.iterations
        if not rep.converged:
            # a hard change (a check valve opening, a pump starting): pseudo-transient
            # continuation from the same start, as the steady solver does
            x, rep, self.linear = newton(
                self.sys, x0, self.solver, self.linear, pseudo_transient=0.3
            )
            self.newton_iterations += rep.iterations
        if rep.converged and self.unsettled_controls(x):
            # a control neither at its setpoint nor saturated: released, solved once more
            release(self.sys, self.unsettled_controls(x))
            x, rep, self.linear = newton(self.sys, x, self.solver, self.linear)
            self.newton_iterations += rep.iterations
            return x, rep.converged and not self.unsettled_controls(x)
        return x, rep.converged

    def unsettled_controls(self, x: np.ndarray) -> list:
        """The post-solve control audit (:mod:`thermo.network.control_audit`) at ``x``; pump
        speeds set by the run-down or start-up of their rotor are not the controller's."""
        exempt = [r.control for r in self.model.rotors.rotors.values() if r.control >= 0]
        ev = self.sys.evaluation_at(x)
        return audit_controls(self.sys, x, ev, self.solver.tolerance, exempt)

    def shaft_power(self, ev, rotor) -> float:
        """Shaft power of ``rotor``'s pump at the state of evaluation ``ev`` [W]."""
        k = self.sys.groups.index(rotor.group)
        rep = rotor.group.report(ev.contexts[k])
        return float(rep["P_shaft_W"][rotor.local])

    def pump_shaft_power(self, x: np.ndarray, rotor) -> float:
        return self.shaft_power(self.sys.evaluation_at(x), rotor)

    def step(self, hist, t: float, dt: float, order: int):
        """Attempt a step from ``t``; returns (x, converged)."""
        ts, xs, walls, speeds = hist["t"], hist["x"], hist["wall"], hist["speed"]
        dt_prev = ts[-1] - ts[-2] if (order == 2 and len(ts) >= 2) else None
        a0, a1, a2 = bdf_coefficients(order, dt, dt_prev)
        rate = a0 / dt
        sys_ = self.sys
        lay = sys_.layout
        fl = sys_.fluids
        h_n, _ = fl.enthalpy_cp(fl.fluid_of_node, xs[-1][lay.T])
        st = self.model.storage
        st.rate = rate
        if self.model.plug is not None:
            self.model.plug.dt = dt
        st.reference = h_n
        st.history = np.zeros_like(h_n)
        if a2:
            h_m, _ = fl.enthalpy_cp(fl.fluid_of_node, xs[-2][lay.T])
            st.history = -a2 * (h_n - h_m) / dt
        for k, w in enumerate(self.model.walls):
            hw = a1 * walls[-1][k] + (a2 * walls[-2][k] if a2 else 0.0)
            w.rate = rate
            w.history = hw / dt
        self.apply_drives(t, t + dt, order if a2 else 1)
        for name, (opening, direction) in hist["cv"][-1].items():
            g, i = self.sys.group_of[name]
            g.opening[i] = float(np.clip(opening + direction * dt / self.cv_stroke, 0.0, 1.0))
        rotors = self.model.rotors
        n_now = speeds[-1]
        rotors.ramp(t + dt, n_now, dt)
        coasting = [r for r in rotors.rotors.values() if r.mode == "coasting"]
        # the predictor: the polynomial through the last points (that of the error estimate)
        k = 3 if (order == 2 and len(ts) >= 3) else 2
        guess = xs[-1] if len(ts) < 2 else extrapolate(ts, xs, t + dt, k)
        guess = guess.copy()
        guess[lay.T] = fl.clip_nodes(guess[lay.T])
        n_hist = {
            r.name: (a1 * n_now[r.name] + (a2 * speeds[-2][r.name] if a2 else 0.0)) / dt
            for r in coasting
        }
        for r in coasting:
            # first guess of the new speed: the rotor under the load of the last state
            ev0 = self.ev_accepted
            P = self.shaft_power(ev0, r) if ev0 is not None else self.pump_shaft_power(xs[-1], r)
            rotors.set_speed(r, rotors.coast(r, P, n_now[r.name], rate, n_hist[r.name]))

        if self.stepper.usable:
            it0 = self.stepper.iterations
            extras = Coasting(rotors, coasting, rate, n_hist) if coasting else None
            x, ok = self.stepper.solve(guess, extras)
            self.newton_iterations += self.stepper.iterations - it0
            settled = not ok or not self.unsettled_controls(x)
            if ok and settled:
                return x, True
            self.stepper.invalidate()
            # (a control left unsettled by the stepper's fixed modes: the full method decides)
            if settled and self.stepper.usable and dt > FALLBACK_STEP * self.opts.initial_step:
                return x, False  # a shorter step first: its prediction lies closer
            self.stepper.fallbacks += 1
        x, ok = self.solve(guess)
        if not ok:
            return x, False
        for _ in range(30):
            change = 0.0
            for r in coasting:
                n_cur = float(r.group.speed[r.local])
                P = self.pump_shaft_power(x, r)
                n_new = rotors.coast(r, P, n_cur, rate, n_hist[r.name])
                change = max(change, abs(n_new - n_cur))
                rotors.set_speed(r, n_new)
            if change < 1e-12:
                break
            x, ok = self.solve(x)
            if not ok:
                return x, False
        return x, True

    def speeds_now(self) -> dict[str, float]:
        return {n: float(r.group.speed[r.local]) for n, r in self.model.rotors.rotors.items()}
