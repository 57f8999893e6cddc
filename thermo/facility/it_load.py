"""IT power profiles: constant, from a series, or generated with the fast swings of AI training.

A profile is a sequence of time steps (hourly by default) holding the **mean IT power as a
fraction of a nominal power** over each step, plus the **peak fraction within the step** so that
callers can size electrical and cooling plant for it. Multiply by the nominal power [W] to get
watts (:meth:`ITProfile.power_W`). Pure numpy: no files, no network, no time loop.

Training power swings
---------------------
Large synchronous training jobs alternate, every iteration, between a compute-heavy phase (GPUs
near their power limit) and a communication-heavy phase (all-reduce; GPUs near idle), and dip
further during checkpoints. Across thousands of GPUs in lock-step the swings add up at rack,
hall and grid level (Choukse et al., *Power Stabilization for AI Training Datacenters*,
Microsoft/OpenAI/NVIDIA, arXiv 2508.14318, 2025, abstract [V]); their spectrum is "often
concentrated between 0.2–3 Hz" (themoonlight.io review of that paper [S]); Uptime Intelligence
(Update 382, 2025) describes spikes and falls "every second or two" [S]. NVIDIA's GB300 NVL72
power supplies store energy to smooth such swings and "reduce peak grid demand by up to 30%"
(NVIDIA developer blog, *How New GB300 NVL72 Features Provide Steady Power for AI*, 2025 [V]);
a DCD report quoted by factorytechnews.com (2025-10-31) describes load moving between 50 and
90 % within milliseconds [S].

Sources: docs/references.md has no section on AI power swings (its §4 is facility metrics); the
sources here were checked against retrieved abstracts or pages and tagged with its convention
([V] seen in the source, [S] secondary, [D] derived, [M] memory, [?] uncertain).

Over an hour such swings average to a duty-weighted mean, not the peak. :class:`TrainingSwing`
models one job's power as a periodic square or trapezoid wave with checkpoint pauses and
integrates it **exactly** over any window, partial periods included (equations in its Notes).

Reproducibility
---------------
Random choices (idle-gap placement, utilisation noise) use one ``numpy.random.Generator``
seeded by the ``seed`` argument. No global state.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from thermo.errors import InputError

__all__ = [
    "SWING_HIGH_DEFAULT",
    "SWING_LOW_DEFAULT",
    "SWING_DUTY_DEFAULT",
    "SWING_PERIOD_DEFAULT",
    "IDLE_LEVEL_DEFAULT",
    "UTILISATION_DEFAULT",
    "FRACTION_MAX",
    "TrainingSwing",
    "ITProfile",
    "constant_it_profile",
    "it_profile_from_series",
    "generated_it_profile",
]

SWING_HIGH_DEFAULT = 1.0
"""Compute-phase power as a fraction of the nominal IT power [-].

Definition rather than measurement: the nominal power is taken to be the compute-phase power.
If the nominal is a nameplate rating use about 0.76–0.82 instead: an 8-GPU H100 HGX node
training Llama2-13b peaked at about 8.4 kW of its 10.2 kW rating (Latif et al., arXiv 2412.08602,
IEEE Access 13, 2025, abstract [V]; 8.4/10.2 = 0.82 [D]), and "even computationally intensive
workloads operate at only 76% of the 10.2 kW TDP rating" (arXiv 2506.14551, 2025, abstract seen
on an aggregator [S]). Validity: (0, 2], the IT-load fraction range of case files
(``thermo.case.validate``).
"""

SWING_LOW_DEFAULT = 0.3
"""Communication-phase power as a fraction of nominal [-].

Assumption [?] between [S] sources. Communication phases run GPUs "near idle power" (review of
arXiv 2508.14318 [S]), but the server (CPUs, NICs, memory, fans) keeps drawing. The DCD report's
50–90 % swing [S] gives 0.5/0.9 = 0.56 of the compute level [D]. NVIDIA's power smoothing sets a
"power floor" on Blackwell and newer GPUs (NVML API, *Power Smoothing Information* [V that the
setting exists; no values]), raising this level. Typical range 0.1–0.6 [?]. Validity: [0, high].
"""

SWING_DUTY_DEFAULT = 0.8
"""Share of each training iteration spent in the compute phase [-].

Assumption [?]: no measured compute/communication split was retrieved; 0.7–0.9 is plausible for
well-overlapped large jobs. Validity: [0, 1].
"""

SWING_PERIOD_DEFAULT = 2.0
"""Period of the compute/communication cycle [s].

[D] The swing spectrum is concentrated at 0.2–3 Hz (review of arXiv 2508.14318 [S]), periods of
0.3–5 s; Uptime Intelligence reports swings "every second or two" [S]. 2 s is in that band. For
hourly steps it hardly matters (a partial period is at most 2 s of 3600 s). Validity: > 0.
"""

IDLE_LEVEL_DEFAULT = 0.2
"""Power of idle (allocated-to-nothing) IT equipment as a fraction of nominal [-].

Assumption [M]: idle accelerators plus host CPUs, memory, network and fans. Not retrieved for
GB200/GB300 racks [?]. Validity: [0, high].
"""

UTILISATION_DEFAULT = 0.85
"""Share of the IT capacity running jobs (the rest idles at ``idle_level``) [-].

Scenario assumption [?], not a measured fleet figure. Validity: [0, 1].
"""

FRACTION_MAX = 2.0
"""Largest accepted IT power [fraction of nominal]: the bound of IT-load fractions in case files
(``thermo.case.validate``). A sanity limit, not a physical one."""


# -- validation helpers ------------------------------------------------------------------------


def _number(
    value: Any,
    name: str,
    lo: float = -math.inf,
    hi: float = math.inf,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name} must be a number, got {value!r}", key=name, value=value)
    v = float(value)
    too_low = v <= lo if lo_open else v < lo
    too_high = v >= hi if hi_open else v > hi
    if not math.isfinite(v) or too_low or too_high:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise InputError(
            f"{name} must be in {left}{lo:g}, {hi:g}{right}, got {value!r}", key=name, value=value
        )
    return v


def _n_steps(hours: Any, step_s: Any) -> int:
    h = _number(hours, "hours", 0.0, lo_open=True)
    s = _number(step_s, "step_s", 0.0, lo_open=True)
    n = h * 3600.0 / s
    k = round(n)
    if k < 1 or abs(n - k) > 1e-9 * max(1.0, n):
        raise InputError(
            f"hours must be a whole number of time steps: {h:g} h / {s:g} s = {n:.6g} steps",
            key="hours",
            value=hours,
        )
    return int(k)


def _series(values: Any, key: str) -> np.ndarray:
    """A finite, non-negative 1-D float array, with errors that name the element."""
    if isinstance(values, (str, bytes)):
        raise InputError(f"{key} must be a sequence of numbers, got a string", key=key)
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        for i, item in enumerate(values if hasattr(values, "__iter__") else [values]):
            try:
                float(item)
            except (TypeError, ValueError):
                raise InputError(
                    f"{key}[{i}] must be a number, got {item!r}", key=f"{key}[{i}]", value=item
                ) from None
        raise InputError(f"{key} must be a 1-D sequence of numbers", key=key) from None
    if arr.ndim != 1:
        raise InputError(
            f"{key} must be a 1-D sequence (one value per time step), got shape {arr.shape}",
            key=key,
        )
    if arr.size == 0:
        raise InputError(f"{key} must not be empty", key=key)
    bad = ~np.isfinite(arr)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise InputError(
            f"{key}[{i}] must be finite, got {float(arr[i])}",
            key=f"{key}[{i}]",
            value=float(arr[i]),
        )
    neg = arr < 0
    if np.any(neg):
        i = int(np.argmax(neg))
        raise InputError(
            f"{key}[{i}] must be >= 0 (IT power cannot be negative), got {float(arr[i]):g}",
            key=f"{key}[{i}]",
            value=float(arr[i]),
        )
    return arr


def _window(t0: Any, t1: Any) -> tuple[np.ndarray, np.ndarray]:
    """Finite window bounds [s] with ``t1 > t0`` everywhere (broadcast)."""
    a, b = np.broadcast_arrays(np.asarray(t0, dtype=float), np.asarray(t1, dtype=float))
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise InputError("window bounds t0, t1 must be finite", key="t0")
    if np.any(b <= a):
        i = int(np.argmax((b <= a).ravel()))
        raise InputError(
            f"t1 must be later than t0, got t0 = {a.ravel()[i]:g} s, t1 = {b.ravel()[i]:g} s",
            key="t1",
            value=float(b.ravel()[i]),
        )
    return a, b


def _integer(value: Any, name: str, lo: int | None = None) -> int:
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok or (lo is not None and value < lo):
        need = "" if lo is None else f" >= {lo}"
        raise InputError(f"{name} must be an integer{need}, got {value!r}", key=name, value=value)
    return int(value)


def _readonly(arr: np.ndarray) -> np.ndarray:
    out = np.array(arr, dtype=float, copy=True)
    out.flags.writeable = False
    return out


# -- training swing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingSwing:
    """Power of one synchronous training job: a periodic square/trapezoid wave with checkpoints.

    One cycle of length ``period_s`` starts with the compute phase: a rise of ``ramp_s`` from
    ``low`` to ``high``, a plateau at ``high``, a fall of ``ramp_s`` back to ``low``, then the
    communication plateau at ``low``. ``duty`` is the compute share measured at half amplitude
    (plateau + one ramp), so the mean over whole cycles is ``high·duty + low·(1 − duty)`` for
    any ramp. With checkpoints, every ``checkpoint_interval_s`` the job trains for
    ``checkpoint_interval_s − checkpoint_duration_s`` (the cycles restart at the start of each
    training segment) and then holds ``checkpoint_level`` for ``checkpoint_duration_s``.
    Time ``t = 0`` is the start of a training segment.

    Parameters
    ----------
    high, low : float
        Compute- and communication-phase power [fraction of nominal], ``0 <= low <= high``,
        ``0 < high <= 2``. Defaults :data:`SWING_HIGH_DEFAULT`, :data:`SWING_LOW_DEFAULT`.
    duty : float
        Compute share of a cycle [-], in [0, 1]. Default :data:`SWING_DUTY_DEFAULT`.
    period_s : float
        Cycle length [s], > 0. Default :data:`SWING_PERIOD_DEFAULT`.
    ramp_s : float
        Duration of each ramp [s], ``0 <= ramp_s <= min(duty, 1 − duty)·period_s``. Default 0, a
        square wave (assumption [?]: no measured rise time was retrieved; the ramp never changes
        the mean, only sub-cycle peaks and the instantaneous shape).
    checkpoint_interval_s : float or None
        Checkpoint cycle [s], > 0. Default None (no checkpoints). Assumption [?]: not sourced;
        large jobs checkpoint every tens of minutes.
    checkpoint_duration_s : float
        Length of each checkpoint pause [s], ``0 <= duration < interval``; must be 0 without
        ``checkpoint_interval_s``. Default 0.
    checkpoint_level : float or None
        Power during a checkpoint [fraction of nominal], [0, 2]. Default None, meaning ``low``
        (GPUs "near idle power" during all-reduce or checkpointing, review of arXiv 2508.14318
        [S]).

    Errors use the parameter names of :func:`generated_it_profile` (``swing_high``, ...).

    Notes
    -----
    With ``P`` the period, ``r`` the ramp, ``h = duty·P − r`` the plateau and ``Δ = high − low``,
    the integral over the first ``x`` seconds of a cycle (``0 <= x <= P``) is::

        I(x) = low·x + Δ·[min(x, r)²/(2r) + clip(x − r, 0, h) + u − u²/(2r)],
        u    = clip(x − r − h, 0, r)                      (ramp terms vanish for r = 0)

    so ``I(P) = P·(low + Δ·duty)``. A training segment of length ``T`` integrates to
    ``S(x) = ⌊x/P⌋·I(P) + I(x − ⌊x/P⌋·P)`` and, with checkpoints (interval ``C``, duration
    ``d``, level ``L``, ``T = C − d``), ``F(t) = m·(S(T) + L·d) + S(min(ρ, T)) + L·max(ρ − T, 0)``
    with ``m = ⌊t/C⌋`` and ``ρ = t − m·C``. The window mean is ``(F(t1) − F(t0))/(t1 − t0)``.
    """

    high: float = SWING_HIGH_DEFAULT
    low: float = SWING_LOW_DEFAULT
    duty: float = SWING_DUTY_DEFAULT
    period_s: float = SWING_PERIOD_DEFAULT
    ramp_s: float = 0.0
    checkpoint_interval_s: float | None = None
    checkpoint_duration_s: float = 0.0
    checkpoint_level: float | None = None

    def __post_init__(self) -> None:
        high = _number(self.high, "swing_high", 0.0, FRACTION_MAX, lo_open=True)
        low = _number(self.low, "swing_low", 0.0, high)
        duty = _number(self.duty, "swing_duty", 0.0, 1.0)
        period = _number(self.period_s, "swing_period_s", 0.0, lo_open=True)
        ramp_max = min(duty, 1.0 - duty) * period
        ramp = _number(self.ramp_s, "swing_ramp_s", 0.0)
        if ramp > ramp_max * (1 + 1e-12):
            raise InputError(
                f"swing_ramp_s must be <= min(duty, 1 - duty)·period = {ramp_max:.6g} s "
                f"(the two ramps must fit in the cycle), got {self.ramp_s!r}",
                key="swing_ramp_s",
                value=self.ramp_s,
            )
        for k, v in (("high", high), ("low", low), ("duty", duty), ("period_s", period)):
            object.__setattr__(self, k, v)
        object.__setattr__(self, "ramp_s", min(ramp, ramp_max))
        if self.checkpoint_interval_s is not None:
            interval = _number(
                self.checkpoint_interval_s, "checkpoint_interval_s", 0.0, lo_open=True
            )
            dur = _number(
                self.checkpoint_duration_s, "checkpoint_duration_s", 0.0, interval, hi_open=True
            )
            object.__setattr__(self, "checkpoint_interval_s", interval)
            object.__setattr__(self, "checkpoint_duration_s", dur)
        else:
            dur = _number(self.checkpoint_duration_s, "checkpoint_duration_s", 0.0)
            if dur != 0.0:
                raise InputError(
                    f"checkpoint_duration_s = {dur:g} s needs checkpoint_interval_s "
                    "(no checkpoints are modelled without an interval)",
                    key="checkpoint_duration_s",
                    value=self.checkpoint_duration_s,
                )
            object.__setattr__(self, "checkpoint_duration_s", dur)
        level = low if self.checkpoint_level is None else self.checkpoint_level
        object.__setattr__(
            self, "checkpoint_level", _number(level, "checkpoint_level", 0.0, FRACTION_MAX)
        )

    # -- geometry -----------------------------------------------------------------------------

    @property
    def _plateau_s(self) -> float:
        return max(self.duty * self.period_s - self.ramp_s, 0.0)

    @property
    def _compute_s(self) -> float:
        """Length of the compute phase including both ramps [s] (where the power exceeds low)."""
        return min(self.duty * self.period_s + self.ramp_s, self.period_s)

    @property
    def _segment_s(self) -> float:
        """Training time between checkpoints [s] (inf without checkpoints)."""
        if self.checkpoint_interval_s is None:
            return math.inf
        return self.checkpoint_interval_s - self.checkpoint_duration_s

    @property
    def mean(self) -> float:
        """Long-run mean power [fraction of nominal], checkpoints included."""
        if self.checkpoint_interval_s is None:
            return self.high * self.duty + self.low * (1.0 - self.duty)
        return float(self.cumulative(self.checkpoint_interval_s)) / self.checkpoint_interval_s

    # -- exact integrals ----------------------------------------------------------------------

    def _cycle_integral(self, x: np.ndarray) -> np.ndarray:
        """∫₀ˣ f dτ within one cycle, x in [0, period] [fraction·s]."""
        P, r, h = self.period_s, self.ramp_s, self._plateau_s
        dh = self.high - self.low
        x = np.clip(x, 0.0, P)
        out = self.low * x + dh * np.clip(x - r, 0.0, h)
        if r > 0.0:
            xr = np.minimum(x, r)
            u = np.clip(x - r - h, 0.0, r)
            out = out + dh * (xr * xr / (2.0 * r) + u - u * u / (2.0 * r))
        return out

    def _segment_integral(self, x: np.ndarray) -> np.ndarray:
        """∫₀ˣ f dτ over a training segment whose cycles start at 0 [fraction·s]."""
        P = self.period_s
        n = np.floor(x / P)
        return n * self._cycle_integral(np.asarray(P)) + self._cycle_integral(x - n * P)

    def cumulative(self, t: ArrayLike) -> np.ndarray:
        """Exact integral ``∫₀ᵗ f(τ) dτ`` [fraction·s] for ``t >= 0`` [s] (array)."""
        t = np.asarray(t, dtype=float)
        if self.checkpoint_interval_s is None:
            return self._segment_integral(t)
        C, T, L = self.checkpoint_interval_s, self._segment_s, self.checkpoint_level
        m = np.floor(t / C)
        rho = t - m * C
        per_cycle = self._segment_integral(np.asarray(T)) + L * self.checkpoint_duration_s
        return (
            m * per_cycle
            + self._segment_integral(np.minimum(rho, T))
            + L * np.clip(rho - T, 0.0, None)
        )

    def window_mean(self, t0: ArrayLike, t1: ArrayLike) -> np.ndarray:
        """Exact mean power over ``[t0, t1]`` [fraction of nominal]; ``t0 < t1`` [s] (arrays)."""
        t0, t1 = _window(t0, t1)
        return (self.cumulative(t1) - self.cumulative(t0)) / (t1 - t0)

    def _indicator(self, *, compute: bool) -> TrainingSwing:
        """A 0/1 wave with this timing: 1 in the compute phase (ramps included) when
        ``compute``, else 1 during checkpoints only."""
        return TrainingSwing(
            high=1.0,
            low=0.0,
            duty=self._compute_s / self.period_s if compute else 0.0,
            period_s=self.period_s,
            checkpoint_interval_s=self.checkpoint_interval_s,
            checkpoint_duration_s=self.checkpoint_duration_s,
            checkpoint_level=0.0 if compute else 1.0,
        )

    def phase_times(
        self, t0: ArrayLike, t1: ArrayLike
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exact time [s] that ``[t0, t1]`` spends in the compute phase (ramps included), the
        communication plateau and checkpoints (the same integral with 0/1 levels)."""
        t0, t1 = _window(t0, t1)
        ind = self._indicator(compute=True)
        compute = ind.cumulative(t1) - ind.cumulative(t0)
        if self.checkpoint_interval_s is None:
            ck = np.zeros(np.broadcast(t0, t1).shape)
        else:
            ind_ck = self._indicator(compute=False)
            ck = ind_ck.cumulative(t1) - ind_ck.cumulative(t0)
        comm = np.clip((t1 - t0) - compute - ck, 0.0, None)
        return compute, comm, ck

    def window_peak(self, t0: ArrayLike, t1: ArrayLike) -> np.ndarray:
        """Highest level reached in ``[t0, t1]`` [fraction of nominal].

        ``high`` if any part of a compute phase (ramps included) falls in the window, else the
        larger of ``low`` and ``checkpoint_level`` among the phases present. Exact for square
        waves; for trapezoids a window that cuts a ramp counts the ramp's top (conservative).
        """
        t0, t1 = _window(t0, t1)
        compute, comm, ck = self.phase_times(t0, t1)
        eps = 1e-9 * np.maximum(t1 - t0, 1.0)
        out = np.where(compute > eps, self.high, 0.0)
        out = np.maximum(out, np.where(comm > eps, self.low, 0.0))
        return np.maximum(out, np.where(ck > eps, self.checkpoint_level, 0.0))

    def value(self, t: ArrayLike) -> np.ndarray:
        """Instantaneous power at ``t`` [fraction of nominal] (for plots and sampling checks)."""
        t = np.asarray(t, dtype=float)
        if self.checkpoint_interval_s is None:
            x = t
            in_ck = np.zeros(t.shape, dtype=bool)
        else:
            C = self.checkpoint_interval_s
            x = t - np.floor(t / C) * C
            in_ck = x >= self._segment_s
        P, r, h = self.period_s, self.ramp_s, self._plateau_s
        ph = x - np.floor(x / P) * P
        shape = np.where(ph < r + h, 1.0, 0.0)
        if r > 0.0:
            shape = np.where(ph < r, ph / r, shape)
            fall = (ph >= r + h) & (ph < 2 * r + h)
            shape = np.where(fall, 1.0 - (ph - r - h) / r, shape)
        f = self.low + (self.high - self.low) * shape
        return np.where(in_ck, self.checkpoint_level, f)

    def to_dict(self) -> dict[str, Any]:
        """Parameters (JSON-friendly)."""
        out = {
            f"swing_{k}": getattr(self, k) for k in ("high", "low", "duty", "period_s", "ramp_s")
        }
        for k in ("checkpoint_interval_s", "checkpoint_duration_s", "checkpoint_level"):
            out[k] = getattr(self, k)
        return out


# -- profiles ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ITProfile:
    """IT power per time step as fractions of a nominal power. Arrays are read-only.

    Attributes
    ----------
    fraction : numpy.ndarray
        Mean IT power over each step [fraction of nominal], shape ``(n,)``.
    peak_fraction : numpy.ndarray
        Highest instantaneous IT power within each step [fraction of nominal], ``>= fraction``.
    step_s : float
        Length of a time step [s].
    kind : str
        ``"constant"``, ``"series"`` or ``"generated"``.
    inputs : Mapping
        The arguments the profile was built from (read-only).
    """

    fraction: np.ndarray
    peak_fraction: np.ndarray
    step_s: float = 3600.0
    kind: str = "series"
    inputs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        f = _series(self.fraction, "fraction")
        p = _series(self.peak_fraction, "peak_fraction")
        if p.shape != f.shape:
            raise InputError(
                f"peak_fraction has {p.size} values, fraction has {f.size}", key="peak_fraction"
            )
        if np.any(p < f * (1 - 1e-12) - 1e-15):
            i = int(np.argmax(p < f * (1 - 1e-12) - 1e-15))
            raise InputError(
                f"peak_fraction[{i}] = {p[i]:.6g} is below the mean fraction {f[i]:.6g}",
                key=f"peak_fraction[{i}]",
                value=float(p[i]),
            )
        object.__setattr__(self, "fraction", _readonly(f))
        object.__setattr__(self, "peak_fraction", _readonly(np.maximum(p, f)))
        object.__setattr__(self, "step_s", _number(self.step_s, "step_s", 0.0, lo_open=True))
        object.__setattr__(self, "inputs", types.MappingProxyType(dict(self.inputs)))

    def __len__(self) -> int:
        return int(self.fraction.size)

    @property
    def hours(self) -> float:
        """Duration of the profile [h]."""
        return len(self) * self.step_s / 3600.0

    def power_W(self, nominal_W: float) -> np.ndarray:
        """Mean IT power per step [W] for a nominal IT power ``nominal_W`` [W]."""
        return self.fraction * _number(nominal_W, "nominal_W", 0.0)

    def peak_power_W(self, nominal_W: float) -> np.ndarray:
        """Peak IT power within each step [W]."""
        return self.peak_fraction * _number(nominal_W, "nominal_W", 0.0)

    def describe(self) -> dict[str, Any]:
        """Inputs and a short summary (JSON-friendly)."""
        return {
            "kind": self.kind,
            "steps": len(self),
            "step_s": self.step_s,
            "mean_fraction": float(np.mean(self.fraction)),
            "max_peak_fraction": float(np.max(self.peak_fraction)),
            "inputs": dict(self.inputs),
        }


def constant_it_profile(
    hours: float, fraction: float = 1.0, *, step_s: float = 3600.0
) -> ITProfile:
    """Constant IT power ``fraction`` of nominal [-], [0, 2], for ``hours`` [h].

    Defaults: ``fraction`` 1 (the nominal load; a convention, not a measurement), ``step_s``
    3600 s (hourly steps, as in the annual hourly simulation).
    """
    n = _n_steps(hours, step_s)
    f = _number(fraction, "fraction", 0.0, FRACTION_MAX)
    arr = np.full(n, f)
    return ITProfile(
        arr, arr, step_s=step_s, kind="constant", inputs={"hours": hours, "fraction": f}
    )


def it_profile_from_series(
    values: ArrayLike,
    *,
    nominal_W: float | None = None,
    step_s: float = 3600.0,
    n_steps: int | None = None,
    key: str = "it_power",
) -> ITProfile:
    """A profile from a measured or exported series (e.g. a CSV column), one value per step.

    Parameters
    ----------
    values : sequence of numbers (numeric strings accepted)
        IT power per step: fractions of nominal [-], or watts [W] when ``nominal_W`` is given.
        After division by ``nominal_W`` every value must lie in [0, 2] (catches percentages
        and watts passed as fractions).
    nominal_W : float, optional
        Nominal IT power [W], > 0, that divides ``values``. Default None (values are fractions).
    step_s : float
        Step length [s]. Default 3600 (hourly).
    n_steps : int, optional
        Expected number of values (e.g. 8760 for an hourly year); a mismatch raises.
    key : str
        Name used in error messages (e.g. ``"it_load.csv:power_W"``).

    The series carries no sub-step information, so ``peak_fraction = fraction``.
    """
    arr = _series(values, key)
    if n_steps is not None and arr.size != _integer(n_steps, "n_steps", 1):
        raise InputError(
            f"{key} has {arr.size} values, expected {n_steps} (one per time step)",
            key=key,
            value=int(arr.size),
        )
    inputs: dict[str, Any] = {"n_values": int(arr.size), "nominal_W": nominal_W, "key": key}
    if nominal_W is not None:
        arr = arr / _number(nominal_W, "nominal_W", 0.0, lo_open=True)
    if np.any(arr > FRACTION_MAX):
        i = int(np.argmax(arr > FRACTION_MAX))
        unit = "W" if nominal_W is not None else "fraction of nominal"
        raise InputError(
            f"{key}[{i}] = {arr[i]:.6g} {unit} after scaling exceeds {FRACTION_MAX:g} × nominal "
            "(percent instead of a fraction, or watts without nominal_W?)",
            key=f"{key}[{i}]",
            value=float(arr[i]),
        )
    return ITProfile(arr, arr, step_s=step_s, kind="series", inputs=inputs)


def _diurnal_stats(
    t0: np.ndarray, t1: np.ndarray, peak_hour: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact mean, min and max of ``cos(ω(t − t_peak))`` over each ``[t0, t1]``, ω = 2π/day."""
    w = 2.0 * math.pi / 86400.0
    a = w * (t0 - peak_hour * 3600.0)
    b = w * (t1 - peak_hour * 3600.0)
    mean = (np.sin(b) - np.sin(a)) / (b - a)
    ends_max = np.maximum(np.cos(a), np.cos(b))
    ends_min = np.minimum(np.cos(a), np.cos(b))
    has_peak = 2.0 * math.pi * np.ceil(a / (2.0 * math.pi)) <= b
    has_trough = 2.0 * math.pi * np.ceil((a - math.pi) / (2.0 * math.pi)) + math.pi <= b
    return mean, np.where(has_trough, -1.0, ends_min), np.where(has_peak, 1.0, ends_max)


def _idle_mask(n: int, n_idle: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """Exactly ``n_idle`` idle steps in blocks of ``block`` at random non-overlapping places."""
    if n_idle <= 0:
        return np.zeros(n, dtype=bool)
    k = -(-n_idle // block)
    sizes = np.full(k, block, dtype=int)
    sizes[-1] = n_idle - (k - 1) * block
    n_busy = n - n_idle
    positions = np.sort(rng.choice(n_busy + k, size=k, replace=False))
    is_block = np.zeros(n_busy + k, dtype=bool)
    is_block[positions] = True
    lengths = np.ones(n_busy + k, dtype=int)
    lengths[positions] = rng.permutation(sizes)
    return np.repeat(is_block, lengths)


def generated_it_profile(
    hours: float,
    *,
    utilisation: float = UTILISATION_DEFAULT,
    diurnal_amplitude: float = 0.0,
    diurnal_peak_hour: float = 15.0,
    swing_high: float = SWING_HIGH_DEFAULT,
    swing_low: float = SWING_LOW_DEFAULT,
    swing_duty: float = SWING_DUTY_DEFAULT,
    swing_period_s: float = SWING_PERIOD_DEFAULT,
    swing_ramp_s: float = 0.0,
    checkpoint_interval_s: float | None = None,
    checkpoint_duration_s: float = 0.0,
    checkpoint_level: float | None = None,
    idle_level: float = IDLE_LEVEL_DEFAULT,
    idle_fraction: float = 0.0,
    idle_block_steps: int = 1,
    idle_mask: ArrayLike | None = None,
    utilisation_noise: float = 0.0,
    step_s: float = 3600.0,
    seed: int = 0,
) -> ITProfile:
    """A generated IT profile: utilisation × training swings averaged exactly over each step.

    For step ``i`` covering ``[t0, t1] = [i·step_s, (i+1)·step_s]`` (``t = 0`` is midnight)::

        u_i      = clip(utilisation · (1 + A·⟨cos ω(t − t_peak)⟩_i) + noise_i, 0, 1)
        fraction = u_i · ⟨swing⟩_i + (1 − u_i) · idle_level
        peak     = max over u in {u_i,min, u_i,max} of u · swing_peak_i + (1 − u) · idle_level

    where ``⟨·⟩_i`` is the exact mean over the step (:meth:`TrainingSwing.window_mean`),
    ``swing_peak_i`` its highest level (:meth:`TrainingSwing.window_peak`) and ``u_i,min/max``
    use the extreme diurnal factors in the step (the peak is linear in ``u``). Running jobs swing
    in phase (one synchronous job: the worst case for the peak, as in arXiv 2508.14318); ``u`` is
    held at its step mean within a step. Idle steps (scheduled and random gaps) hold
    ``idle_level`` for the whole step.

    Conservation: over whole days, without noise or gaps, ``mean(u) = utilisation`` exactly, so
    ``mean(fraction) = utilisation·⟨swing⟩ + (1 − utilisation)·idle_level``. Hence
    ``utilisation·(1 + A) > 1`` raises instead of clipping the daily peak. Noise is clipped to
    [0, 1], which biases ``mean(u)`` by up to about ``0.4·utilisation_noise`` near a bound.

    Parameters
    ----------
    hours : float
        Duration [h]; ``hours·3600/step_s`` must be a whole number of steps.
    utilisation : float
        Share of IT capacity running jobs [-], [0, 1]. Default :data:`UTILISATION_DEFAULT`.
    diurnal_amplitude : float
        Relative amplitude A of a daily cosine on the utilisation [-], [0, 1], with
        ``utilisation·(1 + A) <= 1``. Default 0 (assumption [?]: training halls run flat;
        inference halls follow users).
    diurnal_peak_hour : float
        Hour of the daily maximum [h], [0, 24). Default 15 (assumption [?], not sourced).
    swing_high, swing_low, swing_duty, swing_period_s, swing_ramp_s : float
        Training swing (see :class:`TrainingSwing`): levels [fraction of nominal], compute share
        [-], period [s], ramp [s]. Defaults :data:`SWING_HIGH_DEFAULT`,
        :data:`SWING_LOW_DEFAULT`, :data:`SWING_DUTY_DEFAULT`, :data:`SWING_PERIOD_DEFAULT`, 0.
    checkpoint_interval_s, checkpoint_duration_s, checkpoint_level
        Optional checkpoint pauses (see :class:`TrainingSwing`). Default: none.
    idle_level : float
        Power of idle capacity [fraction of nominal], [0, swing_high]. Default
        :data:`IDLE_LEVEL_DEFAULT` (assumption [M]).
    idle_fraction, idle_block_steps : float, int
        Share of steps that are random whole-hall gaps [-], [0, 1) (exactly
        ``round(idle_fraction·n)`` steps), in blocks of ``idle_block_steps`` >= 1. Defaults 0
        and 1 (no gaps: a neutral choice, not a measurement).
    idle_mask : array of bool, optional
        Scheduled gaps (True = idle), one per step; combined with the random gaps.
    utilisation_noise : float
        Standard deviation of Gaussian noise added to the utilisation per step [-], >= 0.
        Default 0 (no noise; neutral choice).
    step_s : float
        Time step [s]. Default 3600 (hourly, as in the annual simulation).
    seed : int
        Seed of the ``numpy.random.Generator`` (same seed, same profile). Default 0.

    Returns
    -------
    ITProfile
        ``kind="generated"``, with the inputs in ``inputs``.
    """
    n = _n_steps(hours, step_s)
    u0 = _number(utilisation, "utilisation", 0.0, 1.0)
    amp = _number(diurnal_amplitude, "diurnal_amplitude", 0.0, 1.0)
    if u0 * (1.0 + amp) > 1.0 + 1e-12:
        raise InputError(
            f"diurnal_amplitude = {amp:g} lifts the daily peak utilisation to "
            f"{u0:g}·(1 + {amp:g}) = {u0 * (1 + amp):.4g} > 1; use diurnal_amplitude <= "
            f"{1 / u0 - 1 if u0 > 0 else 1:.4g} or a lower utilisation",
            key="diurnal_amplitude",
            value=diurnal_amplitude,
        )
    peak_hour = _number(diurnal_peak_hour, "diurnal_peak_hour", 0.0, 24.0, hi_open=True)
    swing = TrainingSwing(  # positional, in field order
        *(swing_high, swing_low, swing_duty, swing_period_s, swing_ramp_s),
        *(checkpoint_interval_s, checkpoint_duration_s, checkpoint_level),
    )
    idle = _number(idle_level, "idle_level", 0.0, swing.high)
    f_idle = _number(idle_fraction, "idle_fraction", 0.0, 1.0, hi_open=True)
    block = _integer(idle_block_steps, "idle_block_steps", 1)
    sigma = _number(utilisation_noise, "utilisation_noise", 0.0)
    rng = np.random.default_rng(_integer(seed, "seed"))

    scheduled = np.zeros(n, dtype=bool)
    if idle_mask is not None:
        m = np.asarray(idle_mask)
        if m.shape != (n,) or m.dtype != bool:
            raise InputError(
                f"idle_mask must hold one boolean per step (True = idle; {n} steps), got shape "
                f"{m.shape}, dtype {m.dtype}",
                key="idle_mask",
            )
        scheduled = m.copy()

    step = float(step_s)
    t0 = np.arange(n, dtype=float) * step
    t1 = t0 + step
    if amp > 0.0:
        cmean, cmin, cmax = _diurnal_stats(t0, t1, peak_hour)
    else:
        cmean = cmin = cmax = np.zeros(n)
    noise = rng.normal(0.0, sigma, n) if sigma > 0.0 else np.zeros(n)
    u = np.clip(u0 * (1.0 + amp * cmean) + noise, 0.0, 1.0)
    u_min = np.clip(u0 * (1.0 + amp * cmin) + noise, 0.0, 1.0)
    u_max = np.clip(u0 * (1.0 + amp * cmax) + noise, 0.0, 1.0)

    s_mean = swing.window_mean(t0, t1)
    s_peak = swing.window_peak(t0, t1)
    fraction = u * s_mean + (1.0 - u) * idle
    peak = np.maximum(u_max * s_peak + (1.0 - u_max) * idle, u_min * s_peak + (1.0 - u_min) * idle)
    peak = np.maximum(peak, fraction)

    random_idle = _idle_mask(n, int(round(f_idle * n)), block, rng)
    is_idle = scheduled | random_idle
    fraction = np.where(is_idle, idle, fraction)
    peak = np.where(is_idle, idle, peak)

    inputs: dict[str, Any] = {
        "hours": hours,
        "utilisation": u0,
        "diurnal_amplitude": amp,
        "diurnal_peak_hour": peak_hour,
        **swing.to_dict(),
        "idle_level": idle,
        "idle_fraction": f_idle,
        "idle_block_steps": block,
        "scheduled_idle_steps": int(scheduled.sum()),
        "utilisation_noise": sigma,
        "step_s": step,
        "seed": int(seed),
    }
    return ITProfile(fraction, peak, step_s=step, kind="generated", inputs=inputs)
