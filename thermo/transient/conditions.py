"""Events set off by conditions: watching limits during a transient run (see
:class:`thermo.transient.drives.Condition`).

After every accepted step the watched quantities are compared with their values at the previous
step; a condition crossed within the step gets its crossing time on the quadratic through the
last three accepted values (the order of the BDF-2 solution; on the straight line through the
last two right after an event or input jump, or when the quadratic has no root near the line's),
and its event acts at that time plus the condition's delay. When that lies inside the step just
taken, the step is taken again, shorter, to end exactly there (event location by interpolation
of the solution, as DASSL's root finding does, Brenan, Campbell & Petzold 1996, sec. 5.4); the
event then acts at the start of the next step, like an event at a fixed time. Each condition
fires once. The crossing time inherits the accuracy of the solution (its local error tolerance).
"""

from __future__ import annotations

from dataclasses import replace
from fnmatch import fnmatch
from typing import Any

import numpy as np

from thermo.errors import InputError
from thermo.transient.drives import Condition, Event

__all__ = ["ConditionWatch"]


class ConditionWatch:
    """The condition events of one run and the last values of what they watch."""

    def __init__(self, run: Any, events: list[Event]) -> None:
        self.run = run
        self.events = list(events)
        self.last: list[float] = []
        self.before: list[float] | None = None  # values one accepted step earlier
        self.t_last = 0.0
        self.t_before = 0.0
        self._probes = [self._probe(e.when) for e in self.events]

    def _probe(self, c: Condition):
        """A function ``(x, ev) -> value`` of the watched quantity."""
        sys_ = self.run.sys
        lay = sys_.layout
        if c.kind == "node_temperature":
            if c.targets[0] not in sys_.node_index:
                raise InputError(f"condition watches unknown node {c.targets[0]!r}", key="when")
            k = sys_.node_index[c.targets[0]]
            return lambda x, ev: float(x[lay.T][k])
        if c.kind == "case_temperature":
            plates = [
                name
                for name in self.run.plate_local
                if any(fnmatch(name, pattern) for pattern in c.targets)
            ]
            if not plates:
                raise InputError(f"condition names no cold plate: {c.targets}", key="when")
            where = [self.run.plate_local[name] for name in plates]
            return lambda x, ev: max(float(w.T_wall[i]) for w, i in where)
        if c.kind == "flow":
            name = c.targets[0]
            if name not in sys_.branch_position:
                raise InputError(f"condition watches unknown branch {name!r}", key="when")
            b = sys_.branch_position[name]

            def flow(x, ev):
                up = sys_.inlet[b] if x[lay.m][b] >= 0 else sys_.outlet[b]
                return float(x[lay.m][b] / ev.node_state["rho"][up])

            return flow
        rotor = self.run.model.rotors.rotor(c.targets[0])
        return lambda x, ev: float(rotor.group.speed[rotor.local])

    def start(self, x: np.ndarray, ev: Any) -> list[Event]:
        """Record the initial values; returns the events whose condition is met already."""
        self.last = [p(x, ev) for p in self._probes]
        self.before = None
        return [e for e, v in zip(self.events, self.last, strict=True) if e.when.met(v)]

    def crossing(
        self, x: np.ndarray, ev: Any, t: float, h: float, smooth: bool = False
    ) -> tuple[float, Event, float] | None:
        """The earliest ``(action time, event, crossing time)`` of the conditions crossed in
        the step ``[t, t + h]`` ending at state ``x``; None if none was. ``smooth``: the step
        before this one lies on the same smooth stretch (no event or input jump at ``t``), so
        the crossing is found on the quadratic through the last three values (the order of
        the BDF-2 solution), else on the straight line through the last two."""
        best = None
        for k, (e, probe) in enumerate(zip(self.events, self._probes, strict=True)):
            v0, v1 = self.last[k], probe(x, ev)
            if e.when.met(v0) or not e.when.met(v1):
                continue
            thr = e.when.threshold
            frac = (thr - v0) / (v1 - v0) if v1 != v0 else 1.0
            frac = float(np.clip(frac, 0.0, 1.0))
            if smooth and self.before is not None and self.t_last - self.t_before > 0:
                frac = _quadratic_root((self.t_before - t) / h, self.before[k], v0, v1, thr, frac)
            t_c = t + frac * h
            t_act = t_c + e.when.delay
            if best is None or t_act < best[0]:
                best = (t_act, e, t_c)
        return best

    def accept(self, x: np.ndarray, ev: Any, t: float) -> None:
        """The step ending at ``x`` (time ``t``) was accepted: its values are the new
        reference."""
        self.before, self.t_before = self.last, self.t_last
        self.last, self.t_last = [p(x, ev) for p in self._probes], t

    def fire(self, event: Event, t_act: float) -> Event:
        """Remove ``event`` from the watch; the timed event that acts at ``t_act``."""
        k = self.events.index(event)
        del self.events[k], self._probes[k], self.last[k]
        if self.before is not None:
            del self.before[k]
        return replace(event, time=t_act, when=None)


def _quadratic_root(s_m: float, v_m: float, v0: float, v1: float, thr: float, lin: float):
    """Where, in step units ``s`` in [0, 1], the quadratic through ``(s_m, v_m)``, ``(0, v0)``,
    ``(1, v1)`` (``s_m < 0``) reaches ``thr``; ``lin`` (the linear estimate) when it has no
    root there or one far from it."""
    # q(s) = v0 + b s + c s^2 with q(1) = v1, q(s_m) = v_m
    c = ((v_m - v0) / s_m - (v1 - v0)) / (s_m - 1.0)
    b = (v1 - v0) - c
    if abs(c) < 1e-14 * max(abs(b), 1e-300):
        return lin
    disc = b * b - 4.0 * c * (v0 - thr)
    if disc < 0.0:
        return lin
    r = np.sqrt(disc)
    roots = [(-b + r) / (2.0 * c), (-b - r) / (2.0 * c)]
    inside = [s for s in roots if 0.0 <= s <= 1.0]
    if not inside:
        return lin
    s = min(inside, key=lambda z: abs(z - lin))
    return float(s) if abs(s - lin) <= 0.5 else lin
