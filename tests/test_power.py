"""thermo.power: IT power, UPS, storage dispatch, chain closure, the [power] case section.

References are independent: closed forms (square-wave means, pulse areas, ramp triangles),
conservation of energy, and the published UPS points quoted in thermo/power/ups.py.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from thermo.errors import InputError
from thermo.facility.it_load import TrainingSwing
from thermo.power import (
    UPS,
    DemandResponse,
    Distribution,
    Inference,
    PowerChain,
    Storage,
    TrainingJob,
    dispatch,
    hall_it_power,
    simulate,
)
from thermo.power.chain import moving_mean
from thermo.power.signals import soc_schedule

MW = 1e6


# ----------------------------------------------------------------------------- IT power
def test_training_job_mean_is_the_duty_weighted_swing() -> None:
    sw = TrainingSwing(1.0, 0.3, 0.8, 2.0)
    it = hall_it_power(10 * MW, 1.0, step_s=0.5, jobs=[TrainingJob(0.6, sw)], idle_level=0.2)
    expected = 0.6 * (0.8 * 1.0 + 0.2 * 0.3) + 0.4 * 0.2
    assert it.power_W.mean() == pytest.approx(expected * 10 * MW, rel=1e-12)
    # at 0.5 s steps the swing is resolved: the peak is the compute level of the job share
    assert it.power_W.max() == pytest.approx((0.6 * 1.0 + 0.4 * 0.2) * 10 * MW, rel=1e-12)


def test_gpu_floor_energy_equals_the_lifted_communication_phase() -> None:
    sw = TrainingSwing(1.0, 0.3, 0.8, 2.0)
    kw = dict(step_s=1.0, jobs=[TrainingJob(1.0, sw)], token_rate=100.0)
    base = hall_it_power(1 * MW, 1.0, **kw)
    floor = hall_it_power(1 * MW, 1.0, gpu_floor=0.5, **kw)
    extra = floor.power_W.sum() - base.power_W.sum()
    assert extra == pytest.approx(0.2 * (0.5 - 0.3) * 1 * MW * 3600, rel=1e-12)
    assert floor.floor_W.sum() == pytest.approx(extra, rel=1e-12)
    assert floor.tokens.sum() == base.tokens.sum() == pytest.approx(100.0 * 3600)


def test_job_start_ramp_integrates_exactly() -> None:
    sw = TrainingSwing(1.0, 1.0, 1.0, 2.0)  # flat compute: only the ramp shapes the power
    job = TrainingJob(1.0, sw, start_h=0.01, stop_h=0.03, ramp_s=20.0)
    it = hall_it_power(1 * MW, 0.05, step_s=1.0, jobs=[job], idle_level=0.0)
    # 36 s to 108 s with a 20 s ramp at each end (the stop ramp ends at stop_h):
    # full power from 56 to 88 s plus two triangles of 10 s each = 52 s × 1 MW
    assert it.power_W.sum() == pytest.approx(52 * MW, rel=1e-12)


def test_demand_response_pauses_training_and_its_tokens() -> None:
    sw = TrainingSwing(1.0, 1.0, 1.0, 2.0)
    dr = [DemandResponse(1.0, 2.0, 0.5)]
    it = hall_it_power(
        1 * MW,
        3.0,
        step_s=60.0,
        jobs=[TrainingJob(1.0, sw)],
        idle_level=0.2,
        demand_response=dr,
        token_rate=1.0,
    )
    hour = np.arange(len(it)) // 60
    assert it.power_W[hour == 1] == pytest.approx(0.5 * MW + 0.5 * 0.2 * MW)
    assert it.tokens.sum() == pytest.approx(3 * 3600 - 0.5 * 3600)


def test_inference_follows_its_daily_mean() -> None:
    it = hall_it_power(
        1 * MW, 24.0, step_s=3600.0, inference=Inference(1.0, 0.5, 0.5), idle_level=0.2
    )
    assert it.power_W.mean() == pytest.approx((0.5 * 1.0 + 0.5 * 0.2) * MW, rel=1e-9)


def test_bad_it_inputs_raise_with_the_key() -> None:
    with pytest.raises(InputError, match="shares add up to 1.2"):
        hall_it_power(1 * MW, 1.0, jobs=[TrainingJob(0.7), TrainingJob(0.5)])
    with pytest.raises(InputError, match="whole number of steps"):
        hall_it_power(1 * MW, 1.0, step_s=7.0)
    with pytest.raises(InputError, match="stop_h"):
        TrainingJob(0.5, start_h=2.0, stop_h=1.0)


# ----------------------------------------------------------------------------- UPS
def test_ups_curve_matches_the_loss_model_and_eco_divides_losses_by_three() -> None:
    ups = UPS(1 * MW)
    x = np.array([0.25, 0.5, 0.75, 1.0])
    eff = ups.efficiency(x)
    loss = 0.002 + 0.0265 * x + 0.002 * x * x
    np.testing.assert_allclose(eff, x / (x + loss), rtol=1e-14)
    assert np.all(np.abs(eff - 0.97) < 0.005)
    eco = UPS(1 * MW, "eco")
    assert eco.losses_W(0.5 * MW) == pytest.approx(ups.losses_W(0.5 * MW) / 3)
    assert eco.losses_W(0.05 * MW) == pytest.approx(ups.losses_W(0.05 * MW))  # below 10 %
    with pytest.raises(InputError, match="ups.mode"):
        UPS(1 * MW, "offline")


def test_distribution_losses() -> None:
    d = Distribution(10 * MW)
    assert d.losses_W(10 * MW) == pytest.approx(0.02 * 10 * MW)


# ----------------------------------------------------------------------------- storage
def test_square_wave_peak_shaving_matches_the_closed_form() -> None:
    # 3 cycles of 40 MW for 100 s / 20 MW for 200 s, cap 30 MW, lossless, no recharge pull
    load = np.tile(np.r_[np.full(100, 40 * MW), np.full(200, 20 * MW)], 3)
    need = (40 - 30) * MW * 100  # J per cycle
    st = Storage(1e12, 1e9, 1e9, 0.0, 1.0, 0.5, 1.0)
    res = dispatch(load, 1.0, st, cap_W=30 * MW, recharge_time_s=1e15)
    assert res.meter_W.max() == pytest.approx(30 * MW)
    assert res.energy_J[0] - res.energy_J.min() == pytest.approx(3 * need, rel=1e-12)
    # a battery one joule short of one cycle's need violates the cap, and says so
    small = Storage(need - 1.0, 1e9, 1e9, 0.0, 1.0, 1.0, 1.0)
    res = dispatch(load[:300], 1.0, small, cap_W=30 * MW, recharge_time_s=1e15)
    assert res.meter_W.max() > 30 * MW
    assert np.count_nonzero(res.shortfall_W > 0) >= 1


def test_dispatch_energy_balance_with_losses() -> None:
    rng = np.random.default_rng(1)
    load = 20 * MW + 5 * MW * rng.standard_normal(5000)
    st = Storage.from_c_rate(2 * 3.6e9, 2.0, round_trip=0.85)
    res = dispatch(load, 1.0, st, ramp_W_per_s=0.1 * MW, cap_W=26 * MW)
    assert res.balance_error(1.0) < 1e-12
    eta = math.sqrt(0.85)
    lost = (res.charge_W.sum() * (1 - eta) + res.discharge_W.sum() * (1 / eta - 1)) * 1.0
    assert res.losses_J == pytest.approx(lost, rel=1e-12)
    assert np.all(res.soc >= 0.1 - 1e-12) and np.all(res.soc <= 0.9 + 1e-12)
    # wherever the limits held (this step and the one before), the meter obeys them
    ok = np.abs(res.shortfall_W) < 1e-6
    ramps = np.abs(np.diff(res.meter_W))
    assert np.all(ramps[ok[1:] & ok[:-1]] <= 0.1 * MW * (1 + 1e-9))
    assert np.all(res.meter_W[ok] <= 26 * MW * (1 + 1e-12))


def test_storage_rejects_bad_windows() -> None:
    with pytest.raises(InputError, match="battery.soc_max"):
        Storage(1e9, 1e6, 1e6, soc_min=0.8, soc_max=0.2)
    with pytest.raises(InputError, match="round_trip"):
        Storage(1e9, 1e6, 1e6, round_trip=1.2)


def test_soc_schedule_charges_in_cheap_hours_and_keeps_a_reserve() -> None:
    price = np.tile(np.arange(24.0), 2)
    s = soc_schedule(price, 0.1, 0.9, 3, 2, reserve=0.25)
    assert s[0] == pytest.approx(0.9 - 0.1 * 0.8) and s[2] == s[0]
    assert s[23] == pytest.approx(0.1 + 0.25 * 0.8) and s[24 + 22] == s[23]
    assert s[10] == pytest.approx(0.5)


def test_moving_mean_equals_a_direct_mean() -> None:
    x = np.arange(10.0)
    m = moving_mean(x, 3)
    assert m[0] == 0 and m[1] == 0.5 and m[5] == pytest.approx((3 + 4 + 5) / 3)


# ----------------------------------------------------------------------------- chain
def _chain(**kw) -> PowerChain:
    base = dict(
        psu=Storage(30e6, 20 * MW, 20 * MW, round_trip=0.98, name="psu"),
        psu_ramp_W_per_s=2 * MW,
        distribution=Distribution(45 * MW),
        ups=UPS(48 * MW),
        cooling_per_it=0.05,
        other_W=0.4 * MW,
        battery=Storage.from_c_rate(10 * 3.6e9, 2.0),
        ramp_W_per_s=10 * MW / 60,
        cap_W=38 * MW,
    )
    base.update(kw)
    return PowerChain(**base)


@pytest.fixture(scope="module")
def it_day() -> object:
    sw = TrainingSwing(checkpoint_interval_s=1800.0, checkpoint_duration_s=60.0)
    return hall_it_power(
        40 * MW,
        4.0,
        step_s=1.0,
        gpu_floor=0.5,
        token_rate=1e7,
        jobs=[TrainingJob(0.8, sw, start_h=0.5, stop_h=3.5, ramp_s=60.0)],
    )


def test_chain_closes_and_meters_are_ordered(it_day) -> None:
    run = simulate(_chain(), it_day)
    s, m = run.series, run.metrics
    stored = run.battery.energy_J[-1] - run.battery.energy_J[0]
    parts = (
        (s["it_meter_W"] + s["distribution_loss_W"] + s["ups_loss_W"] + s["cooling_W"]).sum()
        + 0.4 * MW * len(it_day)
        + run.battery.losses_J
        + stored
    )
    assert abs(s["grid_W"].sum() - parts) / s["grid_W"].sum() < 1e-12
    # facility = IT + UPS/distribution losses + cooling, so PUE by hand
    pue = s["facility_W"].sum() / s["it_meter_W"].sum()
    assert m["pue"] == pytest.approx(pue) and m["pue"] > 1.05
    assert m["tokens_per_kWh_it"] > m["tokens_per_kWh_facility"] > 0
    assert m["kWh_per_Mtok_grid"] == pytest.approx(1e6 / m["tokens_per_kWh_grid"])
    assert m["grid_ramp_violations"] == 0 and m["grid_cap_violations"] == 0
    assert m["battery_cycles"] > 0


def test_without_storage_the_violations_are_reported_not_hidden(it_day) -> None:
    run = simulate(_chain(psu=None, battery=None, cap_W=34 * MW), it_day)
    m = run.metrics
    assert m["grid_ramp_violation_share"] > 0.5
    assert m["grid_cap_violations"] > 0
    assert any("ramp limit exceeded" in f for f in run.flags)
    assert any("cap exceeded" in f for f in run.flags)


def test_an_undersized_battery_runs_empty_and_is_flagged(it_day) -> None:
    tiny = Storage.from_c_rate(0.05 * 3.6e9, 2.0)
    run = simulate(_chain(battery=tiny), it_day)
    assert run.metrics["shortfall_steps"] > 0
    assert run.metrics["grid_ramp_violations"] + run.metrics["grid_cap_violations"] > 0
    assert any("could not hold the grid limits" in f for f in run.flags)


# ----------------------------------------------------------------------------- case section
def test_shipped_case_runs_and_prints_the_headline(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thermo", "run", "grid_interactive_aidc", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    for text in ("grid peak", "ramp violations", "storage cycles", "PUE", "TokEnergy"):
        assert text in out.stdout
    assert "no smoothing" in out.stdout and "+ site battery" in out.stdout
    for f in ("power_timeseries.png", "power_ramp_histogram.png", "power_energy_balance.png"):
        assert (tmp_path / f).stat().st_size > 1000
    res = json.loads((tmp_path / "results.json").read_text())
    m = res["power"]["metrics"]
    assert m["grid_ramp_violations"] == 0 and m["grid_peak_W"] <= 38e6 * (1 + 1e-9)
    assert m["battery_balance_error"] < 1e-9
    assert res["power"]["year_hourly"]["metrics"]["steps"] == 8760


def test_variant_without_storage_fails_its_grid_checks(tmp_path) -> None:
    """The _no_storage variant exists to show the violations: `thermo check` must exit 1."""
    junit = tmp_path / "junit.xml"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "thermo",
            "check",
            "grid_interactive_aidc_no_storage",
            "--junit",
            str(junit),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 1, out.stderr
    xml = junit.read_text()
    assert 'name="grid ramp rate"' in xml and 'name="grid peak"' in xml
    assert xml.count("<failure") == 2  # the thermal checks still pass


def test_power_section_errors_name_the_key(tmp_path) -> None:
    from thermo.case import CaseError, load_case
    from thermo.case.loader import shipped_cases

    text = shipped_cases()["grid_interactive_aidc"].read_text()
    bad = text.replace('ramp_limit = "10 MW/min"', 'ramp_limit = "10 MW"').replace(
        "c_rate = 2.0", "c_rate = 2.0\npowr = 1"
    )
    p = tmp_path / "bad.toml"
    p.write_text(bad)
    with pytest.raises(CaseError) as err:
        load_case(p)
    msg = str(err.value)
    assert "power.grid.ramp_limit" in msg and "MW/min" in msg
    assert "unknown key `powr`" in msg
