"""The post-solve audit of controls: at its setpoint, or saturated at a bound — nothing else.

A control (a setpoint equation with a manipulated variable, :mod:`thermo.network.controls`) is
settled in a converged state only when

- it is free and its setpoint equation holds to the solver tolerance (in the units of its target,
  scaled as the solver scales that row), or
- it is held at a bound of its actuator — either meeting its setpoint there anyway, or saturated:
  its controller still drives it out of its range (with a known action: the setpoint error asks
  for more than the bound gives). The results then flag it ``saturated`` with the side (min/max),
  the setpoint and the value reached.

Anything else — a control held at a value inside its range (a start-up hold never released), or
held at a bound its controller would leave — means the state is not the network's answer, however
small the residuals: the solver re-decides the control's mode and, if that does not settle it,
reports non-convergence naming the control (:func:`audit_message`). The audit reads a handful of
numbers of the last evaluation (no new solve); it runs after every point solve, every batch of an
annual run (per hour there) and every algebraic solve of a transient step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

BOUND_SLACK = 1e-9
"""A held actuator within this fraction of its range from a bound is at that bound [-]."""


@dataclass(frozen=True)
class ControlMiss:
    """A control that is neither at its setpoint nor saturated at a bound."""

    index: int
    name: str
    actuator: str
    """``component.parameter``"""
    value: float
    """Actuator value (in the parameter's units)."""
    lower: float
    upper: float
    setpoint: str
    """The setpoint, in display units."""
    reached: str
    """The achieved value, in display units."""
    why: str

    def __str__(self) -> str:
        return (
            f"control {self.name} ({self.actuator} = {self.value:.6g}, range "
            f"[{self.lower:.4g}, {self.upper:.4g}]): setpoint {self.setpoint}, reached "
            f"{self.reached}; {self.why}"
        )


def audit_controls(
    system, x: np.ndarray, ev, tol: float, exempt: Iterable[int] = ()
) -> list[ControlMiss]:
    """Controls of ``system`` at the state ``x`` (evaluated as ``ev``) that are not settled.

    ``tol`` is the solver tolerance (scaled residual); ``exempt`` lists controls whose actuator is
    set by something else (a tripped pump's run-down in a transient).
    """
    if not system.controls:
        return []
    from thermo.network.newton import ERROR_BAND, _pushed_out
    from thermo.network.results import _display

    skip = set(exempt)
    lay = system.layout
    errors = ev.control_errors
    dp_ref = max(float(np.abs(ev.dp).max()) if len(ev.dp) else 0.0, 1.0)
    m_ref = getattr(system, "m_ref", 1e-3)
    misses: list[ControlMiss] = []
    for j, ctl in enumerate(system.controls):
        if j in skip:
            continue
        fixed = system.control_fixed[j]
        err = float(errors[j])
        u = float(x[lay.u.start + j])
        why = None
        on_setpoint = abs(err) <= tol * ctl.residual_scale(dp_ref, m_ref)
        if fixed is None:
            if not on_setpoint:
                why = (
                    "free, but its setpoint equation is not solved (the solver stopped while "
                    "re-deciding its mode)"
                )
        else:
            slack = BOUND_SLACK * (ctl.upper - ctl.lower)
            at_upper = abs(fixed - ctl.upper) <= slack
            at_lower = abs(fixed - ctl.lower) <= slack
            if system.control_provisional[j] or not (at_upper or at_lower):
                if not on_setpoint:
                    why = "held at a value inside its range, neither at its setpoint nor at a bound"
            elif (
                abs(err) > ERROR_BAND * ctl.residual_scale(1.0, m_ref)
                and ctl.sign is not None
                and not _pushed_out(system, j, at_upper, err, 0.0)
            ):
                side = "upper" if at_upper else "lower"
                why = f"held at its {side} bound although its controller drives it back into range"
        if why is not None:
            misses.append(
                ControlMiss(
                    j,
                    ctl.name,
                    f"{ctl.component}.{ctl.parameter}",
                    u,
                    ctl.lower,
                    ctl.upper,
                    _display(ctl.target, ctl.target.value),
                    _display(ctl.target, err + ctl.target.value),
                    why,
                )
            )
    return misses


def release(system, misses: list[ControlMiss]) -> None:
    """Free the controls of ``misses`` (their setpoint equations back in the system)."""
    for miss in misses:
        system.control_fixed[miss.index] = None
        system.control_provisional[miss.index] = False


def audit_message(misses: list[ControlMiss], limit: int = 5) -> str:
    """The non-convergence message naming the unsettled controls."""
    shown = "; ".join(str(m) for m in misses[:limit])
    more = f"; and {len(misses) - limit} more" if len(misses) > limit else ""
    return f"{len(misses)} control(s) neither at their setpoint nor saturated at a bound: {shown}{more}"
