"""Dynamic simulation (thermo.transient): storage terms, integrator, ledger, events, case files.

References are independent of the code under test: closed forms (first-order lag, Erlang
distribution of cells in series, lumped RC, pump run-down 1/(1 + t/T)), direct integrals of the
input profiles, and the first law (heat in - heat out = change of stored energy).
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from thermo.case.problems import CaseError
from thermo.errors import InputError
from thermo.facility.it_load import TrainingSwing
from thermo.network import SolverOptions
from thermo.transient import (
    Drive,
    Event,
    PiecewiseLinear,
    StorageTank,
    SwingDrive,
    TransientModel,
    TransientOptions,
    simulate,
)
from thermo.verification.cases_transient import (
    FLOW,
    HEAT,
    T_SUPPLY,
    erlang_cdf,
    rundown_loop,
    storage_loop,
)


def _h_recorder(node):
    def record(run, x, ev, t):
        return {"h": float(ev.h_node[run.model.system.node_index[node]])}

    return record


def _step(kind, cells, volume, duration, out, tol=1e-3, order=2):
    net, _ = storage_loop(kind, cells=cells, volume=volume)
    model = TransientModel(net, pipe_cells={"pipe": cells} if kind == "pipe" else None)
    res = simulate(
        model,
        TransientOptions(
            duration=duration, output_interval=out, temperature_tolerance=tol, order=order
        ),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        record=_h_recorder("c"),
    )
    tau = float(np.sum(model.storage.mass)) / FLOW
    y = (res.series["h"] - res.series["h"][0]) / (0.5 * HEAT / FLOW)
    return res, y, tau, model


def test_mixed_tank_follows_first_order_lag_and_conserves_energy() -> None:
    res, y, tau, model = _step("tank", 1, 0.2, 400.0, 10.0, tol=2e-4)
    assert tau == pytest.approx(0.2 * 995.6 / FLOW, rel=2e-3)  # water near 30-35 C
    exact = 1.0 - np.exp(-res.times / tau)
    assert np.max(np.abs(y - exact)) < 2e-3
    L = res.ledger
    assert L["imbalance_relative"] < 1e-6
    # by hand: the heat of the load minus the heat the cooler removed is what the tank stored
    assert L["branch_gain_J"] + L["branch_removed_J"] == pytest.approx(
        L["stored_change_J"], rel=1e-6
    )
    # the stored change is M * (h_end - h_start) at the tank (the only mass)
    k = model.system.node_index["c"]
    M = model.storage.mass[k]
    dh = (res.series["h"][-1] - res.series["h"][0]) * M
    assert L["stored_change_J"] == pytest.approx(dh, rel=1e-6)


def test_backward_euler_puts_in_exactly_the_integral_of_the_profile() -> None:
    """With BDF-1 every step applies the exact mean of the profile, so the heat put in over the
    run is the integral of the profile (here a ramp and a step, integrated by hand)."""
    net, _ = storage_loop("tank", cells=2, volume=0.1)
    model = TransientModel(net)
    profile = PiecewiseLinear([0.0, 20.0, 50.0, 50.0], [0.5, 1.0, 1.0, 0.7])
    res = simulate(
        model,
        TransientOptions(duration=80.0, output_interval=5.0, order=1),
        drives=[Drive(["load"], profile)],
    )
    by_hand = HEAT * (20 * 0.75 + 30 * 1.0 + 30 * 0.7)
    assert res.ledger["branch_gain_J"] == pytest.approx(by_hand, rel=1e-9)
    assert res.ledger["imbalance_relative"] < 1e-6


def test_pipe_cells_give_the_erlang_response_with_mean_delay_v_over_q() -> None:
    res, y, tau, _ = _step("pipe", 8, 0.01, 40.0, 0.25, tol=1e-4)
    assert np.max(np.abs(y - erlang_cdf(res.times, tau, 8))) < 3e-3
    mean = float(np.trapezoid(1.0 - y, res.times))
    assert mean == pytest.approx(tau, rel=5e-3)
    # tau is the plug-flow delay V rho / m of the pipe
    d = 0.05
    assert tau == pytest.approx(0.01 * 995.6 / FLOW, rel=3e-3)
    assert math.isclose(math.pi * d * d / 4 * (0.01 / (math.pi * d * d / 4)), 0.01)


def test_stratified_tank_front_is_erlang() -> None:
    res, y, tau, model = _step("tank", 5, 0.1, 200.0, 1.0, tol=1e-4)
    assert len(model.tanks["tank"]) == 5
    assert np.max(np.abs(y - erlang_cdf(res.times, tau, 5))) < 3e-3
    assert res.flags == []  # charged from the top: no inversion


def test_cold_plate_wall_lags_with_rc_and_starts_at_the_steady_case_temperature() -> None:
    R, P, C = 0.03, 1000.0, 300.0
    net, _ = storage_loop("plate", plate=(R, P))
    steady = net.solve()
    T_case_steady = steady.components.loc["plate", "T_case_C"] + 273.15
    model = TransientModel(net, plate_capacity=C)

    def record(run, x, ev, t):
        return {"Tw": float(run.model.walls[0].T_wall[0])}

    res = simulate(
        model,
        TransientOptions(duration=40.0, output_interval=1.0, temperature_tolerance=1e-3),
        drives=[Drive(["plate"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        record=record,
    )
    # initial wall = T_in + R P/2 (the steady plate at half power)
    assert res.series["Tw"][0] == pytest.approx(T_SUPPLY + R * P / 2, abs=1e-4)
    assert T_case_steady == pytest.approx(T_SUPPLY + R * P, abs=1e-4)
    exact = T_SUPPLY + R * P / 2 * (2.0 - np.exp(-res.times / (R * C)))
    assert np.max(np.abs(res.series["Tw"] - exact)) < 0.02
    assert res.ledger["imbalance_relative"] < 1e-6


def test_pump_run_down_follows_inertia_against_quadratic_load() -> None:
    net = rundown_loop()
    J, w0 = 0.05, 2 * math.pi * 2900 / 60
    P0 = float(
        net.solve(SolverOptions(initial_temperature=293.15)).components.loc["pump", "P_shaft_W"]
    )
    T = J * w0 * w0 / P0
    model = TransientModel(
        net, pumps={"pump": {"inertia": J, "rated_speed": w0}}, node_volumes={"a": 0.01}
    )

    def record(run, x, ev, t):
        return {"n": float(run.model.rotors.rotors["pump"].group.speed[0])}

    res = simulate(
        model,
        TransientOptions(
            duration=2 * T, output_interval=T / 10, speed_tolerance=1e-5, loop_temperature=293.15
        ),
        events=[Event(0.0, "trip", ["pump"])],
        record=record,
    )
    exact = 1.0 / (1.0 + res.times / T)
    assert np.max(np.abs(res.series["n"] - exact) / exact) < 1e-3
    assert res.series["n"][-1] == pytest.approx(1 / 3, rel=1e-3)


def test_swing_drive_means_are_the_training_swing_window_means() -> None:
    swing = TrainingSwing(high=1.0, low=0.3, duty=0.8, period_s=2.0)
    d = SwingDrive(swing, start=5.0, resolution=1.0, before=0.9)
    assert d.mean(0.0, 5.0) == pytest.approx(0.9)
    assert d.mean(0.0, 0.01) == pytest.approx(0.9)  # well before the start
    assert d.mean(5.0, 7.0) == pytest.approx(0.86)
    assert d.mean(4.0, 6.0) == pytest.approx((0.9 + float(swing.window_mean(0.0, 1.0))) / 2)
    assert list(d.breakpoints(8.0)) == [5.0, 6.0, 7.0]


def test_swing_run_conserves_energy_and_swings_the_case_temperature() -> None:
    from thermo.verification.cases_transient import swing_ledger

    L = swing_ledger(60.0)
    assert L["imbalance_relative"] < 1e-6
    # 8 plates of 1 kW at 1-s means of the default swing (1.0 / 0.72 alternating)
    assert L["device_J"] > 0.8 * 8000 * 60


def test_storage_hook_leaves_steady_solves_unchanged() -> None:
    net, _ = storage_loop("tank", cells=3, volume=0.5)
    a = net.solve()
    model = TransientModel(net)
    assert net.system().storage is None  # the original network is not touched
    b = model.network.solve()
    assert model.system.storage is not None
    for name in ("load", "cooler"):
        assert b.components.loc[name, "T_out_C"] == pytest.approx(
            a.components.loc[name, "T_out_C"], abs=1e-9
        )


def test_bad_inputs_are_named() -> None:
    net, _ = storage_loop("tank")
    with pytest.raises(InputError, match="not a Pump"):
        TransientModel(net, pumps={"load": {"inertia": 1.0, "rated_speed": 100.0}})
    with pytest.raises(InputError, match="event kind"):
        Event(1.0, "explode", ["pump"])
    with pytest.raises(InputError, match="layers"):
        StorageTank("t", "a", "b", volume=1.0, layers=0)
    with pytest.raises(InputError, match="duration"):
        TransientOptions(duration=-1.0)
    model = TransientModel(net)
    with pytest.raises(InputError, match="no rotor data"):
        simulate(model, TransientOptions(duration=1.0), events=[Event(0.5, "trip", ["pump"])])


def _case(tmp_path, transient: str, events: str = "") -> str:
    text = f"""
[case]
name = "t"
[coolants]
w = "water"
[components.pump]
type = "Pump"
inlet = "c"
outlet = "d"
pressure_rise = "0.3 bar"
[components.cooler]
type = "Cooler"
inlet = "d"
outlet = "a"
outlet_temperature = "30 degC"
[components.load]
type = "HeatLoad"
inlet = "a"
outlet = "b"
heat = "20 kW"
[components.tank]
type = "StorageTank"
inlet = "b"
outlet = "c"
volume = "0.2 m3"
layers = 2
[components.et]
type = "ExpansionTank"
node = "a"
pressure = "2 bar"
{transient}
{events}
"""
    p = tmp_path / "t.toml"
    p.write_text(text)
    return str(p)


def test_case_file_transient_runs_with_power_events(tmp_path) -> None:
    from thermo.case import load_case, run_case

    path = _case(
        tmp_path,
        '[transient]\nduration = "60 s"\noutput_interval = "5 s"\n'
        'output_nodes = ["a", "c"]\nride_through_min = "10 s"',
        '[[events]]\ntime = "10 s"\naction = "it_power"\ncomponents = ["load"]\n'
        'profile = "step"\nlevel = 0.5\n'
        '[[events]]\ntime = "30 s"\naction = "it_power"\ncomponents = ["load"]\n'
        'profile = "ramp"\nlevel = 1.0\nduration = "10 s"\n',
    )
    run = run_case(load_case(path))
    res = run.transient
    by_hand = 20e3 * (10 + 20 * 0.5 + 10 * 0.75 + 20 * 1.0)
    assert res.ledger["branch_gain_J"] == pytest.approx(by_hand, rel=2e-3)
    assert res.ledger["imbalance_relative"] < 1e-6
    assert "T_a_C" in res.series and "T_tank_layer2_C" in res.series
    assert run.summary["energy_imbalance_relative"] < 1e-6
    assert [c.passed for c in run.checks] == [True]  # no limit: the run after the event counts


def test_case_file_set_event_and_csv_series(tmp_path) -> None:
    from thermo.case import load_case, run_case

    (tmp_path / "p.csv").write_text("time_s,fraction\n0,1.0\n20,0.5\n40,0.5\n")
    path = _case(
        tmp_path,
        '[transient]\nduration = "60 s"\noutput_interval = "5 s"',
        '[[events]]\ntime = "5 s"\naction = "set"\ncomponents = ["cooler"]\n'
        'parameter = "outlet_temperature"\nvalue = "35 degC"\n'
        '[[events]]\ntime = "0 s"\naction = "it_power"\ncomponents = ["load"]\n'
        'profile = "series"\nfile = "p.csv"\n',
    )
    case = load_case(path)
    assert case.transient.events[0]["value"] == pytest.approx(308.15)
    run = run_case(case)
    L = run.transient.ledger
    # the series integrated by hand: 20 s ramp 1.0 -> 0.5, then 40 s at 0.5
    assert L["branch_gain_J"] == pytest.approx(20e3 * (20 * 0.75 + 40 * 0.5), rel=1e-6)
    assert L["imbalance_relative"] < 1e-6
    # the cooler holds 35 C after the event: the loop warms
    T = run.transient.series["T_tank_layer2_C"]
    assert T[-1] > T[0] + 0.5


@pytest.mark.parametrize(
    ("transient", "events", "message"),
    [
        ('[transient]\noutput_interval = "1 s"', "", "needs `duration`"),
        ('[transient]\nduration = "1 s"\nbogus = 1', "", "unknown key `bogus`"),
        (
            '[transient]\nduration = "10 s"',
            '[[events]]\ntime = "1 s"\naction = "trip"\ncomponents = ["pump"]',
            "give their rotor",
        ),
        (
            '[transient]\nduration = "10 s"',
            '[[events]]\ntime = "1 s"\naction = "it_power"\ncomponents = ["pipe*"]',
            "select no heat branch",
        ),
        (
            '[transient]\nduration = "10 s"',
            '[[events]]\ntime = "1 s"\naction = "explode"\ncomponents = ["pump"]',
            "expected one of",
        ),
        ("", '[[events]]\ntime = "1 s"\naction = "trip"\ncomponents = ["pump"]', "need a"),
    ],
)
def test_case_file_errors_name_the_key(tmp_path, transient, events, message) -> None:
    from thermo.case import load_case

    with pytest.raises(CaseError, match=message):
        load_case(_case(tmp_path, transient, events))


@pytest.mark.slow
def test_pump_trip_case_runs_from_the_cli(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thermo", "run", "pump_trip", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "ride-through time" in out.stdout
    assert "energy ledger" in out.stdout
    assert (tmp_path / "transient.csv").exists() and (tmp_path / "transient.png").exists()
    import pandas as pd

    d = pd.read_csv(tmp_path / "transient.csv")
    # the duty pump runs down after the trip at 10 s; the standby reaches full speed by 16 s
    assert d.loc[d.time_s == 12.0, "speed_pump_duty"].iloc[0] < 0.9
    assert d.loc[d.time_s == 20.0, "speed_pump_standby"].iloc[0] == pytest.approx(1.0)


@pytest.mark.slow
def test_one_hour_of_training_swings_conserves_energy() -> None:
    from thermo.verification.cases_transient import swing_ledger

    L = swing_ledger(3600.0)
    assert L["imbalance_relative"] < 1e-6


@pytest.mark.slow
def test_benchmark_prints_its_fields() -> None:
    import json
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "transient.py"
    out = subprocess.run(
        [sys.executable, str(script), "--json", "--trip-duration", "16", "--swing-duration", "7"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["case"] for r in rows] == ["nvl72_pump_trip", "row_training_swings"]
    for r in rows:
        assert {"case", "simulated_s", "steps", "wall_s", "newton_per_step"} <= set(r)
        assert r["steps"] >= 1 and r["imbalance_relative"] < 1e-6
    # the swing holds 100 % for 3 s, 30 % for 3 s, ...: steps end at both level changes
    assert rows[1]["steps"] >= 3
