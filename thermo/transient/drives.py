"""Time-varying inputs (IT power) and discrete events of a transient run.

An IT-power **drive** gives the power of a set of heat branches (cold plates, heat loads) as a
fraction of their nominal ``heat`` over time. The integrator ends steps at the drive's
breakpoints (jumps and kinks) and restarts there with a backward-Euler step, which applies the
drive's **exact mean over the step** (so the heat put in equals the integral of the profile);
the BDF-2 steps in between take the profile's value at the end of the step (the collocation
point of the formula, so the heat put in is the profile's integral to second order):

- :class:`PiecewiseLinear`: steps (a jump at one instant), ramps, and CSV series (linear between
  samples);
- :class:`SwingDrive`: the AI-training power swing of
  :class:`thermo.facility.it_load.TrainingSwing`, averaged exactly over each step (its
  ``window_mean``), with breakpoints every ``resolution`` seconds (1 s by default).

An :class:`Event` changes the network at an exact time: ``trip`` / ``start`` / ``stop`` of pumps,
``set`` of a component parameter (valve ``opening``, cooler ``outlet_temperature``, a dry cooler's
fan, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermo.errors import InputError

__all__ = ["Event", "PiecewiseLinear", "SwingDrive", "Drive"]

EVENT_KINDS = ("trip", "start", "stop", "set")


@dataclass
class Event:
    """A change at ``time`` [s] of ``targets`` (component names)."""

    time: float
    kind: str
    targets: list[str]
    parameter: str | None = None
    value: float | None = None
    duration: float = 0.0
    """Speed ramp of a pump start [s]."""
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise InputError(
                f"event kind must be one of {', '.join(EVENT_KINDS)}, got {self.kind!r}", key="kind"
            )
        if not np.isfinite(self.time) or self.time < 0:
            raise InputError(f"event time must be >= 0 s, got {self.time!r}", key="time")


class PiecewiseLinear:
    """Fraction of nominal power through knots ``(t_k, f_k)``; a repeated time is a jump."""

    def __init__(self, times, fractions) -> None:
        t = np.asarray(times, dtype=float)
        f = np.asarray(fractions, dtype=float)
        if t.ndim != 1 or t.shape != f.shape or len(t) < 1:
            raise InputError("a power profile needs matching time and fraction lists", key="times")
        if not (np.all(np.isfinite(t)) and np.all(np.isfinite(f))):
            raise InputError("a power profile must be finite", key="times")
        if np.any(np.diff(t) < 0):
            raise InputError("profile times must not decrease", key="times")
        if np.any(f < 0):
            raise InputError("power fractions must be >= 0", key="fractions")
        self.t = t
        self.f = f
        seg = np.diff(t) * 0.5 * (f[1:] + f[:-1])
        self.F = np.concatenate([[0.0], np.cumsum(seg)])

    def value(self, t: float, side: str = "right") -> float:
        """Value at ``t``; at a jump, the value after it (``side="left"``: before it)."""
        k = int(np.searchsorted(self.t, t, side=side)) - 1
        if k < 0:
            return float(self.f[0])
        if k >= len(self.t) - 1:
            return float(self.f[-1])
        t0, t1 = self.t[k], self.t[k + 1]
        return float(self.f[k] + (self.f[k + 1] - self.f[k]) * (t - t0) / (t1 - t0))

    def initial(self) -> float:
        """Value at t = 0 from the left (a jump at t = 0 happens after the initial state)."""
        k = int(np.searchsorted(self.t, 0.0, side="left")) - 1
        return float(self.f[max(k, 0)]) if k >= 0 else float(self.f[0])

    def integral(self, t: float) -> float:
        """Integral of the fraction from ``t_0`` to ``t`` (constant outside the knots) [s]."""
        if t <= self.t[0]:
            return (t - self.t[0]) * float(self.f[0])
        k = int(np.searchsorted(self.t, t, side="right")) - 1
        if k >= len(self.t) - 1:
            return float(self.F[-1]) + (t - self.t[-1]) * float(self.f[-1])
        return float(self.F[k]) + (t - self.t[k]) * 0.5 * (float(self.f[k]) + self.value(t))

    def mean(self, t0: float, t1: float) -> float:
        if t1 <= t0:
            return self.value(t0)
        return (self.integral(t1) - self.integral(t0)) / (t1 - t0)

    def breakpoints(self, duration: float) -> np.ndarray:
        return np.unique(self.t[(self.t > 0) & (self.t < duration)])


class SwingDrive:
    """An AI-training swing (``TrainingSwing``) starting at ``start`` [s]; before it, ``before``."""

    def __init__(self, swing, *, start: float = 0.0, resolution: float = 1.0, before: float = 1.0):
        if not resolution > 0:
            raise InputError(f"resolution must be > 0 s, got {resolution!r}", key="resolution")
        self.swing = swing
        self.start = float(start)
        self.resolution = float(resolution)
        self.before = float(before)

    def value(self, t: float, side: str = "right") -> float:
        if t < self.start or (side == "left" and t == self.start):
            return self.before
        return float(self.swing.value(t - self.start))

    def initial(self) -> float:
        return self.before if self.start > 0 else float(self.swing.value(0.0))

    def mean(self, t0: float, t1: float) -> float:
        if t1 <= t0:
            return self.value(t0)
        a, b = max(t0, self.start), max(t1, self.start)
        pre = max(min(t1, self.start) - t0, 0.0) * self.before
        body = 0.0
        if b > a:
            body = float(self.swing.window_mean(a - self.start, b - self.start)) * (b - a)
        return (pre + body) / (t1 - t0)

    def breakpoints(self, duration: float) -> np.ndarray:
        n = int(np.floor((duration - self.start) / self.resolution + 1e-9))
        pts = self.start + self.resolution * np.arange(0, n + 1)
        return pts[(pts > 0) & (pts < duration)]


@dataclass
class Drive:
    """A power profile applied to heat branches (their nominal ``heat`` times the fraction)."""

    targets: list[str]
    profile: PiecewiseLinear | SwingDrive
    label: str = ""
    nominal: dict[str, float] = field(default_factory=dict)
