"""Tests of thermo.facility.it_load against independent references.

References used here, never the module's own earlier output:

* closed-form window means of a square/trapezoid wave worked by hand (duty-weighted mean over
  whole cycles, hand-integrated partial periods, checkpoint-weighted means);
* a waveform written independently in this file (``np.interp`` on the cycle's breakpoints)
  integrated by the midpoint rule on a fine grid;
* a central finite difference of ``cumulative``;
* exact means of a cosine over whole days and over one hour (``sin(x)/x``).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from thermo.errors import InputError
from thermo.facility.it_load import (
    IDLE_LEVEL_DEFAULT,
    SWING_DUTY_DEFAULT,
    SWING_HIGH_DEFAULT,
    SWING_LOW_DEFAULT,
    UTILISATION_DEFAULT,
    ITProfile,
    TrainingSwing,
    constant_it_profile,
    generated_it_profile,
    it_profile_from_series,
)

# Swing shapes exercised throughout: square, trapezoid, with checkpoints, odd period.
SHAPES = {
    "square": dict(high=1.0, low=0.3, duty=0.8, period_s=2.0),
    "trapezoid": dict(high=1.0, low=0.2, duty=0.6, period_s=2.0, ramp_s=0.3),
    "checkpoints": dict(
        high=1.0,
        low=0.3,
        duty=0.8,
        period_s=2.0,
        ramp_s=0.1,
        checkpoint_interval_s=37.0,
        checkpoint_duration_s=5.0,
        checkpoint_level=0.1,
    ),
    "odd": dict(
        high=1.5,
        low=0.0,
        duty=0.3,
        period_s=1.3,
        ramp_s=0.1,
        checkpoint_interval_s=20.0,
        checkpoint_duration_s=3.0,
        checkpoint_level=1.8,
    ),
}


def ref_wave(t, *, high, low, duty, period_s, ramp_s=0.0, **ck):
    """Independent instantaneous waveform: breakpoints of one cycle, linear in between."""
    t = np.asarray(t, dtype=float)
    C = ck.get("checkpoint_interval_s")
    x = t if C is None else np.mod(t, C)
    ph = np.mod(x, period_s)
    on = duty * period_s  # half-amplitude compute time = end of the plateau
    if ramp_s == 0.0:
        f = np.where(ph < on, high, low)
    else:
        xp = [0.0, ramp_s, on, on + ramp_s, period_s]
        f = np.interp(ph, xp, [low, high, high, low, low])
    if C is None:
        return f
    in_ck = x >= C - ck["checkpoint_duration_s"]
    return np.where(in_ck, ck["checkpoint_level"], f)


def grid_mean(shape, t0, t1, n=400_000):
    """Midpoint-rule mean of ``ref_wave`` over [t0, t1]."""
    dt = (t1 - t0) / n
    t = t0 + (np.arange(n) + 0.5) * dt
    return float(np.mean(ref_wave(t, **shape)))


# ---------------------------------------------------------------- TrainingSwing: analytic means


@pytest.mark.parametrize("ramp", [0.0, 0.1, 0.35])
@pytest.mark.parametrize("t0", [0.0, 0.37, 1234.5])
def test_whole_cycles_mean_is_duty_weighted(ramp, t0):
    high, low, duty, P = 1.2, 0.25, 0.65, 1.0
    s = TrainingSwing(high=high, low=low, duty=duty, period_s=P, ramp_s=ramp)
    expected = high * duty + low * (1.0 - duty)  # independent of the ramp (half-amplitude duty)
    for k in (1, 7, 1800):
        assert float(s.window_mean(t0, t0 + k * P)) == pytest.approx(expected, rel=1e-12)
    assert s.mean == pytest.approx(expected, rel=1e-15)


def test_partial_period_square_wave_by_hand():
    s = TrainingSwing(high=1.0, low=0.3, duty=0.8, period_s=2.0)  # compute on [0, 1.6) per 2 s
    assert float(s.window_mean(0.0, 1.6)) == pytest.approx(1.0, abs=1e-15)
    assert float(s.window_mean(1.6, 2.0)) == pytest.approx(0.3, abs=1e-15)
    # [1.5, 2.5]: 0.1 s high, 0.4 s low, 0.5 s high
    assert float(s.window_mean(1.5, 2.5)) == pytest.approx((0.6 * 1.0 + 0.4 * 0.3) / 1.0)
    # [0, 1 h] holds exactly 1800 cycles
    assert float(s.window_mean(0.0, 3600.0)) == pytest.approx(0.86, rel=1e-13)


def test_partial_period_trapezoid_by_hand():
    # rise [0, 0.5], plateau [0.5, 1.0], fall [1.0, 1.5], low [1.5, 2.0]
    s = TrainingSwing(high=1.0, low=0.0, duty=0.5, period_s=2.0, ramp_s=0.5)
    assert float(s.window_mean(0.0, 0.5)) == pytest.approx(0.5)  # triangle 0.25 / 0.5
    assert float(s.window_mean(0.0, 0.25)) == pytest.approx(0.25)  # (0.25²/(2·0.5))/0.25
    assert float(s.window_mean(0.0, 1.5)) == pytest.approx((0.25 + 0.5 + 0.25) / 1.5)
    assert float(s.window_mean(1.5, 2.0)) == pytest.approx(0.0, abs=1e-15)
    assert float(s.window_mean(1.25, 1.5)) == pytest.approx(0.25)  # fall from 0.5 to 0


def test_checkpoint_weighted_mean():
    # 32 s of training = 16 whole cycles, then 5 s at 0.1: mean = (32·0.86 + 5·0.1) / 37
    s = TrainingSwing(**SHAPES["checkpoints"])
    expected = (32.0 * 0.86 + 5.0 * 0.1) / 37.0
    assert s.mean == pytest.approx(expected, rel=1e-13)
    for t0 in (0.0, 11.3, 3.0e6):
        got = float(s.window_mean(t0, t0 + 10 * 37.0))
        assert got == pytest.approx(expected, rel=1e-9)
    # a window inside a checkpoint pause holds the checkpoint level exactly
    assert float(s.window_mean(33.0, 36.0)) == pytest.approx(0.1, abs=1e-13)


@pytest.mark.parametrize("name", list(SHAPES))
def test_window_mean_matches_fine_grid(name):
    shape = SHAPES[name]
    s = TrainingSwing(**shape)
    rng = np.random.default_rng(42)
    for _ in range(4):
        t0 = float(rng.uniform(0.0, 200.0))
        t1 = t0 + float(rng.uniform(0.05, 40.0))
        # midpoint rule on a step function: error <= jumps·dt·Δ/window, well below 1e-3 here
        assert float(s.window_mean(t0, t1)) == pytest.approx(grid_mean(shape, t0, t1), abs=1e-3)


def test_window_mean_is_vectorised():
    s = TrainingSwing(**SHAPES["checkpoints"])
    t0 = np.array([[0.0, 5.0], [10.0, 100.0]])
    t1 = t0 + np.array([[3.0, 4.0], [0.5, 60.0]])
    got = s.window_mean(t0, t1)
    assert got.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            assert got[i, j] == pytest.approx(float(s.window_mean(t0[i, j], t1[i, j])), rel=1e-14)


def test_window_mean_precise_late_in_a_year():
    s = TrainingSwing()  # defaults: 2 s period, an hour is 1800 whole cycles
    t0 = np.arange(8755, 8760) * 3600.0
    expected = SWING_HIGH_DEFAULT * SWING_DUTY_DEFAULT + SWING_LOW_DEFAULT * (
        1 - SWING_DUTY_DEFAULT
    )
    np.testing.assert_allclose(s.window_mean(t0, t0 + 3600.0), expected, rtol=1e-10)


# ---------------------------------------------------------------- value, cumulative, peaks


@pytest.mark.parametrize("name", list(SHAPES))
def test_value_matches_independent_waveform(name):
    shape = SHAPES[name]
    t = np.random.default_rng(1).uniform(0.0, 300.0, 5000)
    np.testing.assert_allclose(TrainingSwing(**shape).value(t), ref_wave(t, **shape), atol=1e-9)


@pytest.mark.parametrize("name", list(SHAPES))
def test_cumulative_monotone_and_derivative_is_value(name):
    shape = SHAPES[name]
    s = TrainingSwing(**shape)
    grid = np.linspace(0.0, 150.0, 20_001)
    assert s.cumulative(0.0) == pytest.approx(0.0, abs=1e-15)
    assert np.all(np.diff(s.cumulative(grid)) >= -1e-12)  # power >= 0
    h = 1e-6
    t = np.random.default_rng(7).uniform(0.0, 150.0, 2000)
    smooth = np.abs(ref_wave(t + 2 * h, **shape) - ref_wave(t - 2 * h, **shape)) < 1e-3
    deriv = (s.cumulative(t + h) - s.cumulative(t - h)) / (2 * h)
    assert smooth.sum() > 1500
    np.testing.assert_allclose(deriv[smooth], ref_wave(t[smooth], **shape), atol=1e-5)
    np.testing.assert_allclose(deriv[smooth], s.value(t[smooth]), atol=1e-5)


@pytest.mark.parametrize("name", list(SHAPES))
def test_window_peak_bounds_fine_grid_max(name):
    shape = SHAPES[name]
    s = TrainingSwing(**shape)
    rng = np.random.default_rng(3)
    for _ in range(20):
        t0 = float(rng.uniform(0.0, 100.0))
        t1 = t0 + float(rng.uniform(0.01, 5.0))
        fine = ref_wave(np.linspace(t0, t1, 20_001), **shape).max()
        peak = float(s.window_peak(t0, t1))
        assert peak >= fine - 1e-12
        if shape.get("ramp_s", 0.0) == 0.0:
            assert peak == pytest.approx(fine)  # exact for square waves


def test_window_peak_by_phase():
    s = TrainingSwing(**SHAPES["checkpoints"])  # compute [0, 1.7) incl. ramps, comm to 2 s
    assert float(s.window_peak(1.75, 1.95)) == pytest.approx(0.3)  # communication only
    assert float(s.window_peak(1.75, 2.05)) == pytest.approx(1.0)  # reaches the next cycle
    assert float(s.window_peak(33.0, 36.0)) == pytest.approx(0.1)  # inside a checkpoint
    assert float(s.window_peak(0.0, 3600.0)) == pytest.approx(1.0)


def test_phase_times_add_up():
    s = TrainingSwing(**SHAPES["checkpoints"])
    compute, comm, ck = s.phase_times(0.0, 370.0)  # 10 checkpoint cycles of 16 iterations
    assert float(compute) == pytest.approx(10 * 16 * (0.8 * 2.0 + 0.1))
    assert float(ck) == pytest.approx(10 * 5.0)
    assert float(compute + comm + ck) == pytest.approx(370.0)


def test_to_dict_round_trip():
    s = TrainingSwing(**SHAPES["odd"])
    d = s.to_dict()
    assert d["swing_period_s"] == 1.3 and d["checkpoint_level"] == 1.8
    rebuilt = TrainingSwing(
        **{k.removeprefix("swing_"): v for k, v in d.items() if k.startswith("swing_")},
        **{k: v for k, v in d.items() if k.startswith("checkpoint_")},
    )
    assert rebuilt == s


# ---------------------------------------------------------------- TrainingSwing: bad input


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        (dict(high=0.0), "swing_high"),
        (dict(high=2.5), "swing_high"),
        (dict(high=float("nan")), "swing_high"),
        (dict(high=True), "swing_high"),
        (dict(low=-0.1), "swing_low"),
        (dict(high=0.5, low=0.6), "swing_low"),
        (dict(duty=1.2), "swing_duty"),
        (dict(duty=-0.1), "swing_duty"),
        (dict(period_s=0.0), "swing_period_s"),
        (dict(period_s="2"), "swing_period_s"),
        (dict(duty=0.8, period_s=2.0, ramp_s=0.5), "swing_ramp_s"),
        (dict(ramp_s=-0.1), "swing_ramp_s"),
        (dict(checkpoint_interval_s=0.0), "checkpoint_interval_s"),
        (dict(checkpoint_interval_s=60.0, checkpoint_duration_s=60.0), "checkpoint_duration_s"),
        (dict(checkpoint_duration_s=5.0), "checkpoint_duration_s"),
        (dict(checkpoint_level=-0.5), "checkpoint_level"),
    ],
)
def test_swing_rejects_bad_parameters(kwargs, key):
    with pytest.raises(InputError, match=key) as err:
        TrainingSwing(**kwargs)
    assert err.value.key == key
    assert isinstance(err.value, ValueError)


def test_window_needs_t1_after_t0():
    s = TrainingSwing()
    with pytest.raises(InputError, match="t1 must be later than t0") as err:
        s.window_mean(5.0, 5.0)
    assert err.value.key == "t1"
    with pytest.raises(InputError, match="t1"):
        s.window_peak(np.array([0.0, 3.0]), np.array([1.0, 2.0]))
    with pytest.raises(InputError, match="finite"):
        s.window_mean(0.0, float("nan"))


# ---------------------------------------------------------------- generated profiles


def test_default_year_mean_and_peak_by_hand():
    p = generated_it_profile(8760)
    assert len(p) == 8760 and p.hours == 8760 and p.kind == "generated"
    u, idle = UTILISATION_DEFAULT, IDLE_LEVEL_DEFAULT
    swing_mean = SWING_HIGH_DEFAULT * SWING_DUTY_DEFAULT + SWING_LOW_DEFAULT * (
        1 - SWING_DUTY_DEFAULT
    )
    np.testing.assert_allclose(p.fraction, u * swing_mean + (1 - u) * idle, rtol=1e-10)
    np.testing.assert_allclose(p.peak_fraction, u * SWING_HIGH_DEFAULT + (1 - u) * idle)
    assert 0.0 <= p.fraction.min() and p.peak_fraction.max() <= 1.0
    assert np.all(p.peak_fraction >= p.fraction)


def test_diurnal_conserves_utilisation_over_whole_days():
    u0, amp = 0.6, 0.5
    # flat swing (high = low = 1) and idle 0, so fraction = utilisation exactly
    p = generated_it_profile(
        48, utilisation=u0, diurnal_amplitude=amp, swing_high=1.0, swing_low=1.0, idle_level=0.0
    )
    assert float(np.mean(p.fraction)) == pytest.approx(u0, abs=1e-12)
    # busiest hour: [14 h, 15 h] or [15 h, 16 h]; mean of cos over ±1 h beside the peak is
    # sin(π/12)/(π/12)
    x = math.pi / 12.0
    assert p.fraction.max() == pytest.approx(u0 * (1 + amp * math.sin(x) / x), rel=1e-12)
    assert p.fraction.min() == pytest.approx(u0 * (1 - amp * math.sin(x) / x), rel=1e-12)
    assert int(np.argmax(p.fraction)) in (14, 15)
    # the step starting at 15:00 contains the daily maximum u0·(1 + A)
    assert p.peak_fraction.max() == pytest.approx(u0 * (1 + amp), rel=1e-12)
    assert np.all(p.peak_fraction >= p.fraction) and p.peak_fraction.max() <= 1.0
    # peak at 15:30, inside a step: that step's peak is still the daily maximum
    q = generated_it_profile(
        24,
        utilisation=u0,
        diurnal_amplitude=amp,
        diurnal_peak_hour=15.5,
        swing_high=1.0,
        swing_low=1.0,
        idle_level=0.0,
    )
    assert q.peak_fraction[15] == pytest.approx(u0 * (1 + amp), rel=1e-12)
    assert q.fraction[15] == pytest.approx(u0 * (1 + amp * math.sin(x / 2) / (x / 2)))


def test_generated_mean_with_swing_and_diurnal():
    u0, amp, idle = 0.7, 0.3, 0.15
    p = generated_it_profile(72, utilisation=u0, diurnal_amplitude=amp, idle_level=idle)
    expected = u0 * 0.86 + (1 - u0) * idle  # swing mean 1·0.8 + 0.3·0.2
    assert float(np.mean(p.fraction)) == pytest.approx(expected, abs=1e-12)
    assert np.all((p.fraction >= 0) & (p.peak_fraction <= 1) & (p.peak_fraction >= p.fraction))


def test_peak_bounds_instantaneous_power_when_swing_sits_below_idle():
    # duty 0: running jobs draw low = 0, below idle (0.5); more utilisation means LESS power,
    # so the in-step peak is set by the lowest utilisation in the step.
    # peak at 15:30, so the daily minimum (03:30) falls inside a step, not on its edge
    u0, amp, idle, tpk = 0.5, 0.5, 0.5, 15.5
    kw = dict(swing_duty=0.0, swing_low=0.0, idle_level=idle, diurnal_peak_hour=tpk)
    p = generated_it_profile(48, utilisation=u0, diurnal_amplitude=amp, **kw)
    t = np.linspace(0.0, 48 * 3600.0, 48 * 600, endpoint=False).reshape(48, 600)
    u_t = u0 * (1 + amp * np.cos(2 * math.pi * (t - tpk * 3600.0) / 86400.0))
    inst_max = ((1 - u_t) * idle).max(axis=1)
    assert np.all(p.peak_fraction >= inst_max - 1e-12)
    assert float(np.mean(p.fraction)) == pytest.approx((1 - u0) * idle, abs=1e-12)


def test_random_idle_gaps_exact_count_and_mean():
    n, f, block = 1000, 0.2, 5
    p = generated_it_profile(n, idle_fraction=f, idle_block_steps=block, seed=11)
    idle, busy = IDLE_LEVEL_DEFAULT, 0.85 * 0.86 + 0.15 * IDLE_LEVEL_DEFAULT
    is_idle = np.isclose(p.fraction, idle)
    assert int(is_idle.sum()) == round(f * n)
    assert float(np.mean(p.fraction)) == pytest.approx((1 - f) * busy + f * idle, rel=1e-12)
    np.testing.assert_allclose(p.peak_fraction[is_idle], idle)
    # runs of idle steps are whole blocks (adjacent blocks may touch)
    edges = np.flatnonzero(np.diff(np.r_[0, is_idle.astype(int), 0]))
    runs = edges[1::2] - edges[::2]
    assert np.all(runs % block == 0)


def test_scheduled_idle_mask():
    mask = np.zeros(24, dtype=bool)
    mask[2:5] = True
    p = generated_it_profile(24, idle_mask=mask, idle_level=0.1)
    np.testing.assert_allclose(p.fraction[mask], 0.1)
    np.testing.assert_allclose(p.fraction[~mask], 0.85 * 0.86 + 0.15 * 0.1)
    assert p.inputs["scheduled_idle_steps"] == 3


def test_noise_mean_within_sampling_tolerance():
    u0, sigma, n = 0.5, 0.02, 8760
    p = generated_it_profile(
        n, utilisation=u0, utilisation_noise=sigma, swing_high=1, swing_low=1, idle_level=0.0
    )
    # clipping at 0/1 is 25 sigma away: unbiased; 5 standard errors of the mean
    assert abs(float(np.mean(p.fraction)) - u0) < 5 * sigma / math.sqrt(n)
    assert float(np.std(p.fraction)) == pytest.approx(sigma, rel=0.05)
    assert np.all((p.fraction >= 0) & (p.fraction <= 1))


def test_checkpoints_and_short_steps():
    # 1-second steps over a minute; checkpoint in the last 10 s of each minute at level 0
    p = generated_it_profile(
        1 / 60,
        step_s=1.0,
        utilisation=0.5,
        checkpoint_interval_s=60.0,
        checkpoint_duration_s=10.0,
        checkpoint_level=0.0,
        idle_level=0.2,
    )
    assert len(p) == 60
    np.testing.assert_allclose(p.fraction[50:], 0.5 * 0.0 + 0.5 * 0.2)
    np.testing.assert_allclose(p.fraction[48], 0.5 * 1.0 + 0.5 * 0.2)  # [48, 49] all compute
    # [49, 50]: 0.6 s compute, 0.4 s communication
    np.testing.assert_allclose(p.fraction[49], 0.5 * (0.6 + 0.4 * 0.3) + 0.5 * 0.2)
    assert p.peak_fraction[49] == pytest.approx(0.5 * 1.0 + 0.5 * 0.2)


def test_seed_reproducibility():
    kw = dict(utilisation_noise=0.05, idle_fraction=0.1, idle_block_steps=3)
    a = generated_it_profile(500, seed=5, **kw)
    b = generated_it_profile(500, seed=5, **kw)
    c = generated_it_profile(500, seed=6, **kw)
    np.testing.assert_array_equal(a.fraction, b.fraction)
    np.testing.assert_array_equal(a.peak_fraction, b.peak_fraction)
    assert not np.array_equal(a.fraction, c.fraction)
    assert a.inputs["seed"] == 5


def test_generated_bounds_over_random_inputs():
    rng = np.random.default_rng(2024)
    for _ in range(15):
        u0 = float(rng.uniform(0, 1))
        amp = float(rng.uniform(0, min(1.0, 1 / u0 - 1 if u0 > 0 else 1)))
        low = float(rng.uniform(0, 1))
        p = generated_it_profile(
            96,
            utilisation=u0,
            diurnal_amplitude=amp,
            swing_low=low,
            swing_duty=float(rng.uniform(0, 1)),
            idle_level=float(rng.uniform(0, 1)),
            idle_fraction=float(rng.uniform(0, 0.5)),
            utilisation_noise=float(rng.uniform(0, 0.1)),
            seed=int(rng.integers(1000)),
        )
        assert np.all(p.fraction >= 0) and np.all(p.peak_fraction <= 1.0 + 1e-12)
        assert np.all(p.peak_fraction >= p.fraction)
        assert p.peak_fraction.max() >= p.fraction.mean()


# ---------------------------------------------------------------- generated: bad input


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        (dict(utilisation=1.1), "utilisation"),
        (dict(utilisation=-0.1), "utilisation"),
        (dict(diurnal_amplitude=1.5), "diurnal_amplitude"),
        (dict(utilisation=0.85, diurnal_amplitude=0.5), "diurnal_amplitude"),
        (dict(diurnal_peak_hour=24.0), "diurnal_peak_hour"),
        (dict(idle_level=-0.2), "idle_level"),
        (dict(idle_level=1.2), "idle_level"),
        (dict(idle_fraction=1.0), "idle_fraction"),
        (dict(idle_fraction=-0.1), "idle_fraction"),
        (dict(idle_block_steps=0), "idle_block_steps"),
        (dict(idle_block_steps=1.5), "idle_block_steps"),
        (dict(utilisation_noise=-0.01), "utilisation_noise"),
        (dict(seed="a"), "seed"),
        (dict(swing_duty=2.0), "swing_duty"),
        (dict(idle_mask=np.zeros(5, dtype=bool)), "idle_mask"),
        (dict(idle_mask=np.zeros(24, dtype=int)), "idle_mask"),
        (dict(step_s=-3600.0), "step_s"),
        (dict(utilisation=float("nan")), "utilisation"),
    ],
)
def test_generated_rejects_bad_input(kwargs, key):
    with pytest.raises(InputError, match=key) as err:
        generated_it_profile(24, **kwargs)
    assert err.value.key == key


@pytest.mark.parametrize(("hours", "step_s"), [(0, 3600.0), (-5, 3600.0), (1.5, 3600.0)])
def test_hours_must_be_whole_positive_steps(hours, step_s):
    with pytest.raises(InputError, match="hours") as err:
        generated_it_profile(hours, step_s=step_s)
    assert err.value.key == "hours"


# ---------------------------------------------------------------- constant and series profiles


def test_constant_profile_power():
    p = constant_it_profile(24, 0.9)
    assert len(p) == 24 and p.kind == "constant" and p.step_s == 3600.0
    np.testing.assert_allclose(p.power_W(1.2e6), 0.9 * 1.2e6)
    np.testing.assert_allclose(p.peak_power_W(1.2e6), 0.9 * 1.2e6)
    assert p.describe()["mean_fraction"] == pytest.approx(0.9)


def test_series_in_watts_and_strings():
    p = it_profile_from_series([600e3, 900e3, "1200000"], nominal_W=1.2e6, n_steps=3)
    np.testing.assert_allclose(p.fraction, [0.5, 0.75, 1.0])
    np.testing.assert_allclose(p.power_W(1.2e6), [600e3, 900e3, 1.2e6])
    np.testing.assert_array_equal(p.peak_fraction, p.fraction)


def test_profile_arrays_and_inputs_are_read_only():
    p = constant_it_profile(3, 0.5)
    with pytest.raises(ValueError):
        p.fraction[0] = 1.0
    with pytest.raises(TypeError):
        p.inputs["fraction"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("values", "kwargs", "key", "match"),
    [
        ([], {}, "it_power", "must not be empty"),
        ([0.5, float("nan")], {}, "it_power[1]", "finite"),
        ([0.5, float("inf")], {}, "it_power[1]", "finite"),
        ([0.5, -0.1], {}, "it_power[1]", "negative"),
        ([0.5, "x"], {}, "it_power[1]", "must be a number"),
        ([[0.5, 0.6], [0.7, 0.8]], {}, "it_power", "1-D"),
        ("0.5", {}, "it_power", "string"),
        ([85.0], {}, "it_power[0]", "percent"),
        ([0.5, 0.6], {"n_steps": 3}, "it_power", "expected 3"),
        ([0.5], {"n_steps": 0}, "n_steps", "integer"),
        ([5e5], {"nominal_W": 0.0}, "nominal_W", "nominal_W"),
        ([5e5], {"nominal_W": -1e6}, "nominal_W", "nominal_W"),
        ([0.5, -1.0], {"key": "load.csv:power"}, "load.csv:power[1]", "negative"),
    ],
)
def test_series_rejects_bad_input(values, kwargs, key, match):
    with pytest.raises(InputError, match=match) as err:
        it_profile_from_series(values, **kwargs)
    assert err.value.key == key
    assert f"`{key}`" in str(err.value)


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda: constant_it_profile(24, -0.1), "fraction"),
        (lambda: constant_it_profile(24, 2.5), "fraction"),
        (lambda: constant_it_profile(-1, 0.5), "hours"),
        (lambda: constant_it_profile(24, 0.5).power_W(-1.0), "nominal_W"),
        (lambda: ITProfile(np.ones(3), np.ones(2)), "peak_fraction"),
        (lambda: ITProfile(np.ones(3), np.array([1.0, 0.5, 1.0])), "peak_fraction[1]"),
        (lambda: ITProfile(np.ones(2), np.ones(2), step_s=0.0), "step_s"),
    ],
)
def test_profile_rejects_bad_input(call, key):
    with pytest.raises(InputError, match=re.escape(f"`{key}`")) as err:
        call()
    assert err.value.key == key
