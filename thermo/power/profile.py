"""IT power of an AI hall at 0.1 s – 1 h steps: synchronous training jobs and inference.

Built on :mod:`thermo.facility.it_load`: each training job is a
:class:`~thermo.facility.it_load.TrainingSwing` (compute and communication phases, checkpoint
pauses) averaged **exactly** over every step, plus job start and stop ramps; inference follows a
daily cosine (:func:`~thermo.facility.it_load.generated_it_profile`, exact step means); the rest
of the hall idles. A GPU **power floor** (software smoothing: the GPUs burn dummy work so their
power never drops below the floor while a job runs; NVIDIA's power smoothing on GB300 NVL72 and
the "software-only mitigation" of Choukse et al. 2025) raises the communication and checkpoint
levels; the energy it adds produces no tokens and is reported separately.

>>> from thermo.power.profile import TrainingJob, hall_it_power
>>> it = hall_it_power(1e6, 0.5, step_s=1.0, jobs=[TrainingJob(share=1.0)])
>>> round(float(it.power_W.mean()) / 1e6, 3)     # 0.8·1.0 + 0.2·0.3 (duty-weighted swing)
0.86

Token accounting (an input scenario, never a constant: docs/references.md §4 found a ~200× spread):
``token_rate`` is the token throughput of the whole hall with every job running at nominal;
a job running on a share ``s`` of the hall makes ``s·token_rate`` tokens per second while it runs
(throughput does not depend on the power floor), inference makes ``share·u(t)·token_rate``.
Demand-response curtailment pauses a share of the training (those GPUs idle and make no tokens).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from thermo.errors import InputError
from thermo.facility.it_load import (
    IDLE_LEVEL_DEFAULT,
    TrainingSwing,
    generated_it_profile,
)

__all__ = ["TrainingJob", "Inference", "DemandResponse", "ITPower", "hall_it_power"]


def _check(value: float, name: str, lo: float, hi: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InputError(f"{name} must be a number, got {value!r}", key=name, value=value)
    v = float(value)
    if not (math.isfinite(v) and lo <= v <= hi):
        raise InputError(f"{name} must be in [{lo:g}, {hi:g}], got {value!r}", key=name, value=v)
    return v


@dataclass(frozen=True)
class TrainingJob:
    """One synchronous training job on a share of the hall.

    Parameters
    ----------
    share : float
        Share of the hall's nominal IT power the job runs on [-], (0, 1].
    swing : TrainingSwing
        Its power swing in fractions of nominal (default: the defaults of
        :class:`~thermo.facility.it_load.TrainingSwing`: 1.0/0.3, duty 0.8, 2 s).
    start_h, stop_h : float
        When the job runs [h from midnight of day 0]; ``stop_h`` None = to the end.
    ramp_s : float
        Length of the linear start and stop ramps [s] between idle and the full swing
        (NVIDIA's GB300 power smoothing limits the ramp at job start and end). Default 0: the
        job starts and stops as a step (the worst case for the grid).
    phase_s : float
        Time shift of the job's iteration cycle [s] (jobs in phase add their swings).
    """

    share: float
    swing: TrainingSwing = field(default_factory=TrainingSwing)
    start_h: float = 0.0
    stop_h: float | None = None
    ramp_s: float = 0.0
    phase_s: float = 0.0

    def __post_init__(self) -> None:
        _check(self.share, "share", 0.0, 1.0)
        _check(self.start_h, "start_h", 0.0)
        if self.stop_h is not None and _check(self.stop_h, "stop_h", 0.0) <= self.start_h:
            raise InputError(
                f"stop_h = {self.stop_h:g} h must be after start_h = {self.start_h:g} h",
                key="stop_h",
                value=self.stop_h,
            )
        _check(self.ramp_s, "ramp_s", 0.0)
        _check(self.phase_s, "phase_s", -math.inf)


@dataclass(frozen=True)
class Inference:
    """Inference on a share of the hall with a daily cycle.

    ``utilisation`` [-] and ``diurnal_amplitude`` [-] as in
    :func:`~thermo.facility.it_load.generated_it_profile` (exact step means of
    ``u0·(1 + A·cos ω(t − t_peak))``), peak at ``peak_hour`` [h]. Busy capacity draws
    ``busy_level`` of nominal, the rest ``idle_level`` (assumption [?]: inference batches keep
    GPUs near their power limit while busy).
    """

    share: float
    utilisation: float = 0.6
    diurnal_amplitude: float = 0.5
    peak_hour: float = 15.0
    busy_level: float = 1.0

    def __post_init__(self) -> None:
        _check(self.share, "inference.share", 0.0, 1.0)
        _check(self.busy_level, "inference.busy_level", 0.0, 2.0)


@dataclass(frozen=True)
class DemandResponse:
    """A daily demand-response window: ``curtail`` [-] of the training paused from
    ``start_h`` to ``end_h`` [h of day] (the paused GPUs idle and make no tokens).

    ``mode = "shift"`` makes up the paused work right after the window, for as long as it
    lasted, on idle capacity of the hall (the same share of each job runs twice over, on other
    GPUs; assumption [?]: the work is divisible); the day's tokens are then kept. There must be
    enough idle capacity (``1 −`` job and inference shares ≥ the shifted share), else an error.
    A field trial cut a 256-GPU cluster's power by 25 % for three hours while keeping its
    quality of service (Colangelo et al., arXiv:2507.00909, 2025 [V abstract]).
    """

    start_h: float
    end_h: float
    curtail: float
    mode: str = "curtail"

    def __post_init__(self) -> None:
        _check(self.start_h, "demand_response.start_h", 0.0, 24.0)
        _check(self.end_h, "demand_response.end_h", 0.0, 24.0)
        if self.end_h <= self.start_h:
            raise InputError(
                f"demand_response.end_h = {self.end_h:g} must be after start_h = "
                f"{self.start_h:g} (hours of the day)",
                key="demand_response.end_h",
                value=self.end_h,
            )
        _check(self.curtail, "demand_response.curtail", 0.0, 1.0)
        if self.mode not in ("curtail", "shift"):
            raise InputError(
                f'demand_response.mode must be "curtail" or "shift", got {self.mode!r}',
                key="demand_response.mode",
                value=self.mode,
            )


@dataclass(frozen=True, eq=False)
class ITPower:
    """IT power per step (mean over the step) and the tokens made in it.

    Attributes
    ----------
    step_s : float
        Step [s].
    power_W : numpy.ndarray
        IT power drawn, power floor included [W].
    floor_W : numpy.ndarray
        Part of ``power_W`` added by the power floor (no tokens) [W].
    tokens : numpy.ndarray
        Tokens made in each step [-].
    nominal_W : float
        Nominal IT power of the hall [W].
    """

    step_s: float
    power_W: np.ndarray
    floor_W: np.ndarray
    tokens: np.ndarray
    nominal_W: float

    def __len__(self) -> int:
        return int(self.power_W.size)

    @property
    def t_s(self) -> np.ndarray:
        """Start of each step [s from midnight of day 0]."""
        return np.arange(len(self)) * self.step_s


def _running(t0: np.ndarray, t1: np.ndarray, job: TrainingJob) -> np.ndarray:
    """Share of each step ``[t0, t1]`` during which the job runs at its full swing (ramps
    counted linearly, integrated exactly over the step)."""
    a = job.start_h * 3600.0
    b = math.inf if job.stop_h is None else job.stop_h * 3600.0
    r = job.ramp_s

    def ramp_integral(t: np.ndarray) -> np.ndarray:
        # ∫_{-∞}^{t} of the on-ramp (0 before a, linear to 1 over r, then 1)
        if r == 0.0:
            return np.maximum(t - a, 0.0)
        x = np.clip(t - a, 0.0, r)
        return x * x / (2.0 * r) + np.maximum(t - a - r, 0.0)

    def off_integral(t: np.ndarray) -> np.ndarray:
        # ∫ of the stop ramp (1 before b − r, linear to 0 at b): same shape, mirrored
        if not math.isfinite(b):
            return np.zeros_like(t)
        if r == 0.0:
            return np.maximum(t - b, 0.0)
        x = np.clip(t - (b - r), 0.0, r)
        return x * x / (2.0 * r) + np.maximum(t - b, 0.0)

    on = ramp_integral(t1) - ramp_integral(t0)
    off = off_integral(t1) - off_integral(t0)
    return np.clip((on - off) / (t1 - t0), 0.0, 1.0)


def hall_it_power(
    nominal_W: float,
    hours: float,
    *,
    step_s: float = 1.0,
    jobs: list[TrainingJob] | tuple[TrainingJob, ...] = (),
    inference: Inference | None = None,
    idle_level: float = IDLE_LEVEL_DEFAULT,
    gpu_floor: float | None = None,
    demand_response: list[DemandResponse] | tuple[DemandResponse, ...] = (),
    token_rate: float = 0.0,
) -> ITPower:
    """IT power of a hall: training jobs + inference + idle capacity, per step.

    Parameters
    ----------
    nominal_W : float
        Nominal IT power [W] (the compute-phase power of the whole hall), > 0.
    hours : float
        Duration [h]; a whole number of steps.
    step_s : float
        Step [s], 0.1 s to 1 h. Default 1 s.
    jobs, inference
        Workloads; their shares must add up to at most 1 (the rest idles).
    idle_level : float
        Idle power [fraction of nominal] (default :data:`~thermo.facility.it_load.IDLE_LEVEL_DEFAULT`,
        assumption [M]).
    gpu_floor : float, optional
        Power floor of running training jobs [fraction of nominal], in [0, swing high]. None: off.
    demand_response : list of DemandResponse
        Daily curtailment or shift windows (training only).
    token_rate : float
        Tokens per second of the whole hall at nominal [1/s], >= 0 (scenario input).

    Raises
    ------
    InputError
        Bad values, shares above 1, or a step outside 0.1 s – 1 h.
    """
    nominal = _check(nominal_W, "it_nominal", 0.0)
    if nominal <= 0.0:
        raise InputError("it_nominal must be > 0", key="it_nominal", value=nominal_W)
    step = _check(step_s, "step_s", 0.1, 3600.0)
    n_f = _check(hours, "hours", 0.0) * 3600.0 / step
    n = int(round(n_f))
    if n < 1 or abs(n - n_f) > 1e-9 * max(1.0, n_f):
        raise InputError(
            f"hours must be a whole number of steps: {hours:g} h / {step:g} s = {n_f:.6g}",
            key="hours",
            value=hours,
        )
    idle = _check(idle_level, "idle_level", 0.0, 2.0)
    total = sum(j.share for j in jobs) + (inference.share if inference else 0.0)
    if total > 1.0 + 1e-12:
        raise InputError(
            f"the job and inference shares add up to {total:.4g} > 1 (shares of the hall)",
            key="jobs",
            value=total,
        )
    rate = _check(token_rate, "token_rate", 0.0)
    t0 = np.arange(n, dtype=float) * step
    t1 = t0 + step
    hour_of_day = ((t0 + 0.5 * step) / 3600.0) % 24.0
    curtail = np.zeros(n)
    catch_up = np.zeros(n)
    for w in demand_response:
        inside = (hour_of_day >= w.start_h) & (hour_of_day < w.end_h)
        curtail = np.maximum(curtail, np.where(inside, w.curtail, 0.0))
        if w.mode == "shift":
            after = (hour_of_day >= w.end_h) & (hour_of_day < 2 * w.end_h - w.start_h)
            catch_up = np.maximum(catch_up, np.where(after, w.curtail, 0.0))
    if np.any(catch_up > 0):
        need = float(catch_up.max()) * sum(j.share for j in jobs)
        if need > 1.0 - total + 1e-12:
            raise InputError(
                f"demand_response shift needs {need:.3g} of the hall idle to make up the paused "
                f"training, only {1.0 - total:.3g} is free (lower curtail, or use curtail mode)",
                key="demand_response.mode",
                value="shift",
            )

    frac = np.full(n, idle * (1.0 - total))
    floor_frac = np.zeros(n)
    tok = np.zeros(n)
    for k, job in enumerate(jobs):
        sw = job.swing
        if idle > sw.high:
            raise InputError(
                f"idle_level {idle:g} is above job {k}'s compute level {sw.high:g}",
                key="idle_level",
                value=idle,
            )
        run = _running(t0, t1, job) * (1.0 - curtail + catch_up)
        mean = sw.window_mean(
            t0 - job.phase_s - job.start_h * 3600.0, t1 - job.phase_s - job.start_h * 3600.0
        )
        if gpu_floor is not None:
            fl = _check(gpu_floor, "gpu_floor", 0.0, sw.high)
            lifted = TrainingSwing(
                sw.high,
                max(sw.low, fl),
                sw.duty,
                sw.period_s,
                sw.ramp_s,
                sw.checkpoint_interval_s,
                sw.checkpoint_duration_s,
                max(sw.checkpoint_level, fl),
            )
            shift = job.phase_s + job.start_h * 3600.0
            mean_floor = lifted.window_mean(t0 - shift, t1 - shift)
            floor_frac += job.share * run * (mean_floor - mean)
            mean = mean_floor
        frac += job.share * (run * mean + (1.0 - run) * idle)
        tok += job.share * run * rate * step
    if inference is not None and inference.share > 0.0:
        prof = generated_it_profile(
            n * step / 3600.0,
            utilisation=inference.utilisation,
            diurnal_amplitude=inference.diurnal_amplitude,
            diurnal_peak_hour=inference.peak_hour,
            swing_high=max(inference.busy_level, idle, 1e-12),
            swing_low=max(inference.busy_level, idle, 1e-12),
            swing_duty=1.0,
            idle_level=idle,
            step_s=step,
        )
        frac += inference.share * np.asarray(prof.fraction)
        busy = (np.asarray(prof.fraction) - idle) / max(inference.busy_level - idle, 1e-300)
        if inference.busy_level > idle:
            tok += inference.share * np.clip(busy, 0.0, 1.0) * rate * step
    return ITPower(step, frac * nominal, floor_frac * nominal, tok, nominal)
