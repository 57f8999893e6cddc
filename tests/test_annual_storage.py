"""The buffer tank of the annual study (thermo.facility.annual_storage, [storage]): one hour by
hand, implicit Euler against its closed form and the exact exponential, the first law of an hour
and of a run, the control's limits and flags, and the storage variant of the flagship over its
first week (the year closes the same way; docs/facility.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.case import load_case, run_case
from thermo.case.problems import CaseError
from thermo.facility.annual_storage import MixedTank, run_tank, step_temperature

K = 273.15


def _tank(**kw) -> MixedTank:
    base = dict(
        volume=100.0,
        max_temperature=K + 80.0,
        initial_temperature=K + 60.0,
        ambient_temperature=K + 10.0,
        u_value=0.2,
        charge_flow=10.0,
    )
    base.update(kw)
    return MixedTank(**base)


def test_one_discharge_hour_by_hand() -> None:
    # 100 m3 at 60 degC discharging into a 10 kg/s feed at 40 degC, need 2 MW (not reached):
    # C/dt (T - 60) + UA (T - 10) + m c (T - 40) = 0 on the temperature-limited segment
    t = _tank()
    C = 983.2 * 100.0 * 4185.0
    d = (4.0 * 100.0 / math.pi) ** (1 / 3)
    ua = 0.2 * (math.pi * d * d + 2 * math.pi * d * d / 4)
    mc = 10.0 * 4185.0
    a = C / 3600.0
    T_hand = (a * 60.0 + ua * 10.0 + mc * 40.0) / (a + ua + mc)
    y = run_tank(t, surplus=[0.0], need=[2e6], T_source=[K + 70], T_feed=[K + 40], feed_flow=[10.0])
    assert y.temperature[0] - K == pytest.approx(T_hand, rel=1e-12)
    assert y.discharge[0] == pytest.approx(mc * (T_hand - 40.0), rel=1e-12)
    assert y.loss[0] == pytest.approx(ua * (T_hand - 10.0), rel=1e-12)
    # the first law of the hour, by hand
    stored = C * (T_hand - 60.0)
    assert (0.0 - y.discharge[0] - y.loss[0]) * 3600.0 == pytest.approx(stored, rel=1e-12)


def test_need_limited_hour_is_exact() -> None:
    # need 0.5 MW, well within what the tank can give: the hour loses exactly 0.5 MWh + losses
    t = _tank(u_value=0.0)
    y = run_tank(t, surplus=[0.0], need=[5e5], T_source=[K + 70], T_feed=[K + 40], feed_flow=[10.0])
    assert y.discharge[0] == pytest.approx(5e5, rel=1e-12)
    assert y.temperature[0] - K == pytest.approx(60.0 - 5e5 * 3600 / t.capacity, rel=1e-12)


def test_implicit_euler_against_its_closed_form_and_the_exponential() -> None:
    # a tank relaxing towards the feed temperature (no loss): T_n - T_f = (T0 - T_f)/(1 + r)^n,
    # r = dt/tau, tau = M/m; the exact solution exp(-n r) differs by at most n r^2/2 (T0 - T_f)
    t = _tank(u_value=0.0)
    n, m = 24, 10.0
    y = run_tank(
        t,
        surplus=np.zeros(n),
        need=np.full(n, 1e9),
        T_source=np.full(n, K + 70),
        T_feed=np.full(n, K + 40),
        feed_flow=np.full(n, m),
    )
    r = 3600.0 * m / (983.2 * 100.0)
    k = np.arange(1, n + 1)
    ie = 40.0 + 20.0 * (1 + r) ** -k
    exact = 40.0 + 20.0 * np.exp(-r * k)
    np.testing.assert_allclose(y.temperature - K, ie, rtol=1e-12)
    assert np.all(np.abs(y.temperature - K - exact) <= k * r * r / 2 * 20.0)
    # the energy given up over the run is exactly the stored energy lost (no timing error in it)
    assert y.ledger()["closure_rel"] < 1e-12


def test_charge_stops_at_the_maximum_temperature_and_is_flagged() -> None:
    t = _tank(initial_temperature=K + 79.0, max_temperature=K + 80.0)
    y = run_tank(
        t,
        surplus=[3e6, 3e6],
        need=[0, 0],
        T_source=[K + 90] * 2,
        T_feed=[K + 40] * 2,
        feed_flow=[10.0] * 2,
    )
    assert np.all(y.temperature <= K + 80.0 + 1e-12)
    assert y.full.all() and not y.empty.any()
    assert np.all(y.charge <= 3e6) and y.charge[1] == pytest.approx(y.loss[1], rel=1e-9)
    assert y.ledger()["closure_rel"] < 1e-12


def test_a_tank_no_warmer_than_the_feed_gives_nothing_and_is_flagged_empty() -> None:
    t = _tank(initial_temperature=K + 35.0)
    y = run_tank(t, surplus=[0.0], need=[1e6], T_source=[K + 70], T_feed=[K + 40], feed_flow=[10.0])
    assert y.discharge[0] == 0.0 and y.empty[0]


def test_random_hours_keep_the_limits_and_close_the_first_law() -> None:
    rng = np.random.default_rng(7)
    n = 500
    surplus = np.where(rng.random(n) < 0.4, rng.uniform(0, 4e6, n), 0.0)
    need = np.where(rng.random(n) < 0.6, rng.uniform(0, 4e6, n), 0.0)
    t_src = K + rng.uniform(50, 85, n)
    t_feed = K + rng.uniform(30, 70, n)
    t_amb = K + rng.uniform(-30, 25, n)
    t = _tank(volume=300.0, u_value=0.5, charge_flow=20.0)
    y = run_tank(
        t,
        surplus=surplus,
        need=need,
        T_source=t_src,
        T_feed=t_feed,
        feed_flow=np.full(n, 30.0),
        T_ambient=t_amb,
    )
    assert np.all(y.charge >= 0) and np.all(y.charge <= surplus * (1 + 1e-12))
    assert np.all(y.discharge >= 0) and np.all(y.discharge <= need * (1 + 1e-12))
    assert np.all(y.temperature <= t.max_temperature + 1e-9)
    # hour by hour: M c dT/dt = in - out - loss, from the recorded columns
    T = np.concatenate([[t.initial_temperature], y.temperature])
    lhs = t.capacity * np.diff(T) / 3600.0
    np.testing.assert_allclose(lhs, y.charge - y.discharge - y.loss, atol=1e-6 * 4e6)
    # loss evaluated at the end temperature, against the hour's ambient
    np.testing.assert_allclose(y.loss, t.ua * (y.temperature - t_amb), rtol=1e-12)
    # a discharge never warms the feed above the tank; a charge never heats it above the coil
    assert np.all(y.discharge <= 30.0 * t.cp * np.clip(y.temperature - t_feed, 0, None) + 1e-6)
    assert y.ledger()["closure_rel"] < 1e-10


def test_step_temperature_is_the_root_of_the_balance() -> None:
    kw = dict(
        capacity_rate=1e5,
        ua=100.0,
        T_amb=K,
        surplus=2e6,
        charge_rate=4e4,
        T_charge=K + 75,
        need=1e6,
        feed_rate=1e5,
        T_feed=K + 55,
    )
    T = step_temperature(K + 60, **kw)
    qc = max(min(2e6, 4e4 * (K + 75 - T)), 0)
    qd = max(min(1e6, 1e5 * (T - K - 55)), 0)
    assert 1e5 * (T - K - 60) + 100 * (T - K) - qc + qd == pytest.approx(0.0, abs=1e-6)


def test_cyclic_start_is_where_the_run_ends() -> None:
    import pandas as pd

    from thermo.facility.annual_storage import apply_storage

    n = 24 * 14
    hours = np.arange(n) % 24
    day = (hours >= 9) & (hours < 17)
    table = pd.DataFrame(
        {
            "heat_rejected_W": np.where(day, 2e6, 0.0),
            "boiler_heat_W": np.where(day, 0.0, 1e6),
            "boiler_fuel_W": np.where(day, 0.0, 1e6 / 0.99),
            "unmet_W": 0.0,
            "greenhouse_delivered_W": 1e6,
            "heat_reused_W": 0.0,
            "heat_reused_direct_W": 0.0,
            "storage_source_C": 76.0,
            "storage_feed_C": 50.0,
            "storage_feed_flow_kg_s": 40.0,
        }
    )
    t = _tank(volume=300.0, initial_temperature=K + 20.0)
    h, y = apply_storage(
        t, table, boiler_efficiency=lambda T: np.full(np.shape(T), 0.99), cyclic=True
    )
    first = run_tank(
        t,
        surplus=table["heat_rejected_W"],
        need=table["boiler_heat_W"],
        T_source=table["storage_source_C"] + K,
        T_feed=table["storage_feed_C"] + K,
        feed_flow=table["storage_feed_flow_kg_s"],
    )
    assert y.initial_temperature == first.temperature[-1]
    # the tank's table, by hand: boiler heat and fuel fall by the discharge, rejection by the charge
    np.testing.assert_allclose(h["boiler_heat_W"], table["boiler_heat_W"] - y.discharge)
    np.testing.assert_allclose(h["boiler_fuel_W"], (table["boiler_heat_W"] - y.discharge) / 0.99)
    np.testing.assert_allclose(h["heat_rejected_W"], table["heat_rejected_W"] - y.charge)
    np.testing.assert_allclose(h["heat_reused_W"], y.discharge)


def test_storage_section_errors_name_the_key(tmp_path) -> None:
    from thermo.case import shipped_cases

    text = shipped_cases()["canaan_bitforest_storage"].read_text(encoding="utf-8")
    bad = text.replace('charge_node = "m_mix"', 'charge_node = "m_mixx"').replace(
        'insulation_thickness = "200 mm"',
        'u_value = "0.2 W/(m2*K)"\ninsulation_thickness = "200 mm"',
    )
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(CaseError) as exc:
        load_case(str(path))
    msg = str(exc.value)
    assert "m_mixx" in msg and "storage.charge_node" in msg
    assert "either `u_value` or both" in msg


def test_flagship_storage_variant_first_week_closes() -> None:
    run = run_case(load_case("canaan_bitforest_storage"), hours=168)
    a, t = run.annual, run.hourly
    s = a["storage"]
    # the tank's first law over the run, by hand from the hourly columns
    e_in = t["storage_charge_W"].sum() * 3600.0
    e_out = t["storage_discharge_W"].sum() * 3600.0
    e_loss = t["storage_loss_W"].sum() * 3600.0
    spec = load_case("canaan_bitforest_storage").storage
    tank = spec.tank
    # cyclic: the run starts where a first pass from the spec's temperature ends
    assert spec.cyclic
    first = run_tank(
        tank,
        surplus=t["heat_rejected_W"] + t["storage_charge_W"],
        need=t["boiler_heat_W"] + t["storage_discharge_W"],
        T_source=t["storage_source_C"] + K,
        T_feed=t["storage_feed_C"] + K,
        feed_flow=t["storage_feed_flow_kg_s"],
        T_ambient=t["dry_bulb_C"] + K,
    )
    t0 = s["initial_temperature_C"] + K
    assert t0 == pytest.approx(first.temperature[-1], abs=1e-9)
    stored = tank.capacity * (t["storage_temperature_C"].iloc[-1] + K - t0)
    assert e_in > 0  # the week has hours of surplus
    assert abs(e_in - e_out - e_loss - stored) <= 1e-6 * max(e_in, e_out)
    assert s["closure_rel"] <= 1e-6 and a["closure_rel"] <= 1e-6
    # the data centre's heat: captured = exchanger heat + (tank charge + rejected after the tank)
    exchanger = t["heat_offered_W"].sum() - e_out / 3600.0
    captured = t["heat_to_liquid_W"].sum()
    rejected = t["heat_rejected_W"].sum()
    assert abs(captured - exchanger - rejected - e_in / 3600.0) <= 1e-6 * captured
    # heat reused counts only heat that serves demand; the tank's discharge replaced boiler heat
    assert a["heat_reused_MWh"] <= a["greenhouse_demand_MWh"] * (1 + 1e-12)
    avoided = s["boiler_heat_avoided_MWh"]
    assert avoided == pytest.approx(e_out / 3.6e9, rel=1e-9, abs=1e-9)
    assert a["boiler_heat_MWh"] == pytest.approx(s["boiler_heat_without_MWh"] - avoided)
    # the sweep starts at no tank: nothing avoided, the stateless year
    sweep = a["storage_sweep"]
    assert sweep[0]["volume_m3"] == 0 and sweep[0]["boiler_fuel_avoided_MWh"] == 0.0


def test_storage_benchmark_prints_its_fields() -> None:
    import json
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "annual_storage.py"
    out = subprocess.run(
        [sys.executable, str(bench), "--json", "--hours", "48"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    d = json.loads(out.stdout)
    for key in ("wall_s", "storage_wall_s", "stateless_wall_s", "tank_pass_cpu_s"):
        assert d[key] >= 0
    assert d["hours"] == 48 and d["sweep_volumes"] == 7 and d["tank_closure_rel"] <= 1e-6


def _variant(tmp_path, old: str, new: str) -> str:
    from thermo.case import shipped_cases

    text = shipped_cases()["canaan_bitforest_storage"].read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('volume = "1200 m3"', 'volume = "-5 m3"', "volume must be finite and >= 0"),
        ('max_temperature = "80 degC"', 'max_temperature = "-50 degC"', "below max_temperature"),
        ('boiler = "boiler"', 'boiler = "rail"', "expected a Boiler"),
        ('"4800 m3"]', '"4800 kg"]', "storage.volumes"),
        ('charge_flow = "40 kg/s"\n', "", "missing required key `charge_flow`"),
        ('type = "annual"', 'type = "operating_point"', "needs an annual scenario"),
        ("[storage]\n", "[storage]\ntank = 3\n", "unknown key `tank`"),
    ],
)
def test_bad_storage_input_is_named(tmp_path, old, new, expected) -> None:
    with pytest.raises(CaseError) as exc:
        load_case(_variant(tmp_path, old, new))
    assert expected in str(exc.value)


def test_charge_node_defaults_to_the_rejection_inlet(tmp_path) -> None:
    path = _variant(tmp_path, 'charge_node = "m_mix"', "")
    spec = load_case(path).storage
    assert spec.charge_node == "m_mix" and spec.feed_node == "g_hx"


# ----------------------------------------------------------------------------- stratified limit
def test_stratified_discharge_is_plug_flow_by_hand() -> None:
    # 100 m3 at 70 degC pushed out by a 40 degC feed at 10 kg/s: 10 * 4185 * 30 W for
    # M/m = 9832 s = 2.731 h, then nothing; the whole stored energy above 40 degC comes out
    t = _tank(initial_temperature=K + 70.0, u_value=0.0, stratified=True)
    n = 5
    y = run_tank(
        t,
        surplus=np.zeros(n),
        need=np.full(n, 1e9),
        T_source=np.full(n, K + 70),
        T_feed=np.full(n, K + 40),
        feed_flow=np.full(n, 10.0),
    )
    rate = 10.0 * 4185.0 * 30.0
    np.testing.assert_allclose(y.discharge[:2], rate, rtol=1e-12)
    assert y.discharge[2] == pytest.approx(rate * (983.2 * 100 / 10 - 7200) / 3600, rel=1e-12)
    assert y.discharge[3] == 0.0 and y.empty[3]
    assert y.discharge.sum() * 3600 == pytest.approx(983.2 * 100 * 4185 * 30, rel=1e-12)
    # the mixed tank gives less in the same hours (its outlet cools from the first hour)
    mixed = run_tank(
        _tank(initial_temperature=K + 70.0, u_value=0.0),
        surplus=np.zeros(n),
        need=np.full(n, 1e9),
        T_source=np.full(n, K + 70),
        T_feed=np.full(n, K + 40),
        feed_flow=np.full(n, 10.0),
    )
    assert mixed.discharge[:3].sum() < y.discharge[:3].sum()


def test_stratified_charge_by_hand() -> None:
    # 100 m3 at 40 degC charged from 76 degC water (2 K approach: 74 degC) at 10 kg/s, surplus
    # unlimited: 10 * 4185 * 34 W until the whole tank is at 74 degC, then nothing
    t = _tank(initial_temperature=K + 40.0, u_value=0.0, stratified=True)
    n = 4
    y = run_tank(
        t,
        surplus=np.full(n, 1e9),
        need=np.zeros(n),
        T_source=np.full(n, K + 76),
        T_feed=np.full(n, K + 40),
        feed_flow=np.full(n, 10.0),
    )
    np.testing.assert_allclose(y.charge[:2], 10.0 * 4185.0 * 34.0, rtol=1e-12)
    assert y.charge[3] == 0.0
    assert y.temperature[-1] - K == pytest.approx(74.0, abs=1e-9)
    assert y.top[0] - K == pytest.approx(74.0) and y.bottom[0] - K == pytest.approx(40.0)


def test_stratified_random_hours_keep_the_limits_and_close() -> None:
    rng = np.random.default_rng(11)
    n = 500
    surplus = np.where(rng.random(n) < 0.4, rng.uniform(0, 4e6, n), 0.0)
    need = np.where(rng.random(n) < 0.6, rng.uniform(0, 4e6, n), 0.0)
    t = _tank(volume=300.0, u_value=0.5, charge_flow=20.0, stratified=True)
    y = run_tank(
        t,
        surplus=surplus,
        need=need,
        T_source=K + rng.uniform(50, 85, n),
        T_feed=K + rng.uniform(30, 70, n),
        feed_flow=np.full(n, 30.0),
        T_ambient=K + rng.uniform(-30, 25, n),
    )
    assert np.all(y.charge <= surplus * (1 + 1e-9)) and np.all(y.discharge <= need * (1 + 1e-9))
    assert np.all(y.top >= y.bottom - 1e-9) and np.all(y.top <= t.max_temperature + 1e-9)
    T = np.concatenate([[t.initial_temperature], y.temperature])
    lhs = t.capacity * np.diff(T) / 3600.0
    np.testing.assert_allclose(lhs, y.charge - y.discharge - y.loss, atol=1e-6 * 4e6)
    assert y.ledger()["closure_rel"] < 1e-10


def test_stratified_cyclic_run_starts_from_its_own_end_profile() -> None:
    import dataclasses

    n = 24 * 7
    hours = np.arange(n) % 24
    day = (hours >= 9) & (hours < 17)
    kw = dict(
        surplus=np.where(day, 2e6, 0.0),
        need=np.where(day, 0.0, 1.5e6),
        T_source=np.full(n, K + 76),
        T_feed=np.full(n, K + 55),
        feed_flow=np.full(n, 40.0),
    )
    t = _tank(volume=300.0, stratified=True)
    first = run_tank(t, **kw)
    again = run_tank(
        dataclasses.replace(t, initial_temperature=float(first.temperature[-1])),
        initial_state=first.state,
        **kw,
    )
    # the parcels carried over hold the tank's mass and the first run's end energy
    assert sum(m for m, _ in first.state) == pytest.approx(983.2 * 300.0, rel=1e-12)
    assert again.initial_temperature == pytest.approx(first.temperature[-1], rel=1e-12)
    assert again.ledger()["closure_rel"] < 1e-10
    # a regular day/night cycle: the stratified limit gives more than the mixed one
    mixed = run_tank(dataclasses.replace(t, stratified=False), **kw)
    assert first.discharge.sum() > mixed.discharge.sum()
