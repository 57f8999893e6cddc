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
  :class:`thermo.facility.it_load.TrainingSwing` at ``resolution`` (1 s by default): its exact
  mean over each window, held through the window; breakpoints where the level changes.

An :class:`Event` changes the network at an exact time: ``trip`` / ``start`` / ``stop`` of pumps,
``set`` of a component parameter (valve ``opening``, cooler ``outlet_temperature``, a dry cooler's
fan, …) — or when a :class:`Condition` is met (a temperature passes a limit, a flow or a pump's
speed falls below one: a standby pump started by a flow switch or a high-temperature alarm).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from thermo.errors import InputError

__all__ = ["Condition", "Event", "PiecewiseLinear", "SwingDrive", "Drive"]

EVENT_KINDS = ("trip", "start", "stop", "set")


CONDITION_KINDS = ("node_temperature", "case_temperature", "flow", "speed")


@dataclass
class Condition:
    """A limit whose crossing sets off an event: the first time ``kind`` of ``targets`` passes
    ``threshold`` (``above``: rising through it; else falling), plus ``delay`` seconds.

    ``kind``: ``node_temperature`` (one node [K]), ``case_temperature`` (the hottest of the named
    cold plates' case temperatures [K]), ``flow`` (volume flow of one branch [m³/s], signed),
    ``speed`` (relative speed of one pump [-]). The crossing time is interpolated within the
    step that crosses (:mod:`thermo.transient.conditions`), and the integrator ends a step exactly
    at the action time (the
    crossing plus the delay), so the event acts at that time, not at the next step's end.
    A condition already met at t = 0 fires at t = ``delay``.
    """

    kind: str
    targets: list[str]
    threshold: float
    above: bool = True
    delay: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in CONDITION_KINDS:
            raise InputError(
                f"condition kind must be one of {', '.join(CONDITION_KINDS)}, got {self.kind!r}",
                key="when",
            )
        if not np.isfinite(self.threshold):
            raise InputError(f"condition threshold must be finite, got {self.threshold!r}")
        if not (np.isfinite(self.delay) and self.delay >= 0):
            raise InputError(f"condition delay must be >= 0 s, got {self.delay!r}", key="delay")
        if not self.targets:
            raise InputError("a condition needs a target", key="when")

    def met(self, value: float) -> bool:
        return value >= self.threshold if self.above else value <= self.threshold

    def describe(self) -> str:
        unit = {"node_temperature": "K", "case_temperature": "K", "flow": "m3/s", "speed": ""}
        word = "above" if self.above else "below"
        what = f"{self.kind.replace('_', ' ')} of {', '.join(self.targets[:3])}"
        if len(self.targets) > 3:
            what += f" (+{len(self.targets) - 3})"
        delay = f" + {self.delay:g} s" if self.delay else ""
        return f"{what} {word} {self.threshold:g} {unit[self.kind]}".rstrip() + delay


@dataclass
class Event:
    """A change of ``targets`` (component names) at ``time`` [s], or — with ``when`` — once a
    :class:`Condition` is met (``time`` is then ignored)."""

    time: float
    kind: str
    targets: list[str]
    parameter: str | None = None
    value: float | None = None
    duration: float = 0.0
    """Speed ramp of a pump start [s]."""
    label: str = ""
    when: Condition | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise InputError(
                f"event kind must be one of {', '.join(EVENT_KINDS)}, got {self.kind!r}", key="kind"
            )
        if self.when is not None:
            if self.kind == "stop":
                raise InputError("`stop` holds a pump from t = 0; a condition cannot set it off")
            return
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
    """An AI-training swing (``TrainingSwing``) starting at ``start`` [s], sampled at
    ``resolution`` [s]; before the start, ``before``.

    The power is the swing's exact mean over each window ``[start + k r, start + (k+1) r)``
    (``r`` the resolution), held through the window — the series a power meter or
    :func:`thermo.facility.it_load.generated_it_profile` gives at that resolution (for a square
    wave whose phases last whole windows it is the swing itself). Breakpoints are the window
    edges where the level changes; windows of equal level are one stretch for the integrator.
    """

    def __init__(self, swing, *, start: float = 0.0, resolution: float = 1.0, before: float = 1.0):
        if not resolution > 0:
            raise InputError(f"resolution must be > 0 s, got {resolution!r}", key="resolution")
        self.swing = swing
        self.start = float(start)
        self.resolution = float(resolution)
        self.before = float(before)

    def _level(self, k: np.ndarray | int) -> np.ndarray:
        """Level of window ``k`` (its exact mean of the swing)."""
        r = self.resolution
        k = np.asarray(k, dtype=float)
        return (self.swing.cumulative((k + 1) * r) - self.swing.cumulative(k * r)) / r

    def _window(self, t: float, side: str) -> int:
        x = (t - self.start) / self.resolution
        k = int(np.floor(x + 1e-12))
        if side == "left" and abs(x - round(x)) <= 1e-12:
            k = int(round(x)) - 1  # at a window edge: the window that ends there
        return k

    def value(self, t: float, side: str = "right") -> float:
        """Level at ``t``; at a window edge the next window's (``side="left"``: the one ending
        there)."""
        k = self._window(t, side)
        return self.before if k < 0 else float(self._level(k))

    def initial(self) -> float:
        return self.value(0.0, side="right" if self.start <= 0 else "left")

    def integral(self, t: float) -> float:
        """Integral of the level from ``start`` to ``t`` [s] (negative before the start)."""
        if t <= self.start:
            return (t - self.start) * self.before
        r = self.resolution
        k = self._window(t, "right")
        return float(self.swing.cumulative(k * r)) + (t - self.start - k * r) * float(
            self._level(k)
        )

    def mean(self, t0: float, t1: float) -> float:
        if t1 <= t0:
            return self.value(t0)
        return (self.integral(t1) - self.integral(t0)) / (t1 - t0)

    def breakpoints(self, duration: float) -> np.ndarray:
        n = int(np.floor((duration - self.start) / self.resolution + 1e-9))
        k = np.arange(0, n + 1)
        pts = self.start + self.resolution * k
        levels = self._level(k)
        prev = np.concatenate([[self.before], levels[:-1]])
        change = np.abs(levels - prev) > 1e-12 * max(1.0, float(np.max(np.abs(levels))))
        pts = pts[change]
        return pts[(pts > 0) & (pts < duration)]


@dataclass
class Drive:
    """A power profile applied to heat branches (their nominal ``heat`` times the fraction)."""

    targets: list[str]
    profile: PiecewiseLinear | SwingDrive
    label: str = ""
    nominal: dict[str, float] = field(default_factory=dict)
