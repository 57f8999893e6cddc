"""Condition events (a limit crossed sets off a pump start, a trip or a change) and the buffer-tank
variant of the pump trip.

References: the closed-form response of a mixed tank (first-order lag, so the crossing time of a
temperature limit is known exactly), the plug-flow time V/V̇ of a stratified tank, the first law
(energy ledger), and the case's own recorded series (the event acts at the interpolated crossing
plus the stated delay).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.case.problems import CaseError
from thermo.errors import InputError
from thermo.transient import (
    Condition,
    Drive,
    Event,
    PiecewiseLinear,
    TransientModel,
    TransientOptions,
    simulate,
)
from thermo.verification.cases_transient import FLOW, HEAT, storage_loop


def _tank_run(condition: Condition, *, duration_tau: float = 2.0, tol: float = 1e-5):
    """Mixed tank (1 m³, tau = M/m ≈ 500 s) after a heat step 20 -> 40 kW at t = 0; the condition
    event lowers the cooler setpoint by the step's temperature rise, so the tank inlet returns
    to its initial temperature and the outlet decays from the crossing on."""
    net, _ = storage_loop("tank", cells=1, volume=1.0)
    model = TransientModel(net)
    rise = 0.5 * HEAT / (FLOW * float(net.coolant.specific_heat(303.15)))
    setpoint = float(net["cooler"].outlet_temperature)
    ev = Event(0.0, "set", ["cooler"], "outlet_temperature", setpoint - rise, when=condition)

    def record(run, x, e, t):
        return {"T_out": float(x[run.model.system.layout.T][run.model.system.node_index["c"]])}

    res = simulate(
        model,
        TransientOptions(
            duration=duration_tau * 500.0,
            output_interval=5.0,
            initial_step=1e-2,
            temperature_tolerance=tol,
        ),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        events=[ev],
        record=record,
    )
    tau = float(np.sum(model.storage.mass)) / FLOW
    return res, tau, rise


def _half_way(T0: float) -> float:
    """Temperature of water half-way, in enthalpy, from ``T0`` to its value after the heat
    step (the mixed tank is a first-order lag in enthalpy: M dh/dt = m (h_in - h))."""
    from scipy.optimize import brentq

    from thermo import Coolant

    water = Coolant("water")
    h_half = float(water.enthalpy(T0)) + 0.25 * HEAT / FLOW
    return brentq(lambda T: float(water.enthalpy(T)) - h_half, T0, T0 + 10.0, xtol=1e-12)


def test_condition_event_acts_at_the_crossing_of_a_first_order_lag() -> None:
    # outlet h(t) = h0 + dh (1 - exp(-t/tau)) crosses h0 + dh/2 at tau ln 2
    probe, tau, rise = _tank_run(Condition("node_temperature", ["c"], 0.0), duration_tau=0.01)
    T0 = float(probe.step_series["T_out"][0])
    res, tau, rise = _tank_run(Condition("node_temperature", ["c"], _half_way(T0)))
    (fired,) = res.events
    assert fired["condition_met_s"] == pytest.approx(tau * math.log(2.0), rel=1e-3)
    assert fired["time_s"] == pytest.approx(fired["condition_met_s"], abs=1e-9)
    # after the setpoint change the inlet is back at its initial temperature: the outlet decays
    # from the limit, T0 + rise/2 exp(-(t - t_c)/tau), and never exceeds the limit
    t, T = res.step_times, res.step_series["T_out"]
    after = t >= fired["time_s"]
    expected = T0 + 0.5 * rise * np.exp(-(t[after] - fired["time_s"]) / tau)
    assert np.max(np.abs(T[after] - expected)) < 2e-3 * rise
    assert T.max() <= T0 + 0.5 * rise + 1e-3 * rise
    assert res.ledger["imbalance_relative"] < 1e-6
    assert res.conditions_not_met == []


def test_condition_delay_and_a_condition_never_met() -> None:
    probe, tau, rise = _tank_run(Condition("node_temperature", ["c"], 0.0), duration_tau=0.01)
    T0 = float(probe.step_series["T_out"][0])
    res, tau, rise = _tank_run(
        Condition("node_temperature", ["c"], _half_way(T0), delay=30.0), duration_tau=1.0
    )
    (fired,) = res.events
    assert fired["time_s"] == pytest.approx(tau * math.log(2.0) + 30.0, rel=1e-3)
    # rising through the limit, the outlet keeps rising for the 30 s of delay
    T = res.step_series["T_out"]
    assert T.max() > T0 + 0.5 * rise + 0.01 * rise
    res, _, _ = _tank_run(Condition("node_temperature", ["c"], T0 + 2.0 * rise), duration_tau=0.2)
    assert res.events == [] and len(res.conditions_not_met) == 1


def test_condition_met_at_the_start_fires_at_its_delay() -> None:
    res, _, _ = _tank_run(Condition("node_temperature", ["c"], 200.0, delay=5.0), duration_tau=0.05)
    (fired,) = res.events
    assert fired["time_s"] == pytest.approx(5.0) and fired["condition_met_s"] == 0.0


def test_conditions_reject_bad_input() -> None:
    with pytest.raises(InputError, match="condition kind"):
        Condition("pressure", ["a"], 1.0)
    with pytest.raises(InputError, match="delay"):
        Condition("speed", ["p"], 0.5, above=False, delay=-1.0)
    with pytest.raises(InputError, match="cannot set it off"):
        Event(0.0, "stop", ["pump"], when=Condition("speed", ["pump"], 0.5))
    net, _ = storage_loop("tank", cells=1, volume=1.0)
    with pytest.raises(InputError, match="unknown node"):
        simulate(
            TransientModel(net),
            TransientOptions(duration=1.0),
            events=[
                Event(
                    0.0,
                    "set",
                    ["cooler"],
                    "outlet_temperature",
                    300.0,
                    when=Condition("node_temperature", ["nowhere"], 300.0),
                )
            ],
        )


def _case(tmp_path, events: str, transient: str = "") -> str:
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
[components.et]
type = "ExpansionTank"
node = "a"
pressure = "2 bar"
[transient]
duration = "10 s"
{transient}
{events}
"""
    p = tmp_path / "t.toml"
    p.write_text(text)
    return str(p)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (
            '[[events]]\ntime = "1 s"\nwhen = { node = "a", above = "40 degC" }\n'
            'action = "set"\ncomponents = ["cooler"]\nparameter = "outlet_temperature"\n'
            'value = "25 degC"',
            "not both",
        ),
        (
            '[[events]]\nwhen = { node = "zz", above = "40 degC" }\naction = "set"\n'
            'components = ["cooler"]\nparameter = "outlet_temperature"\nvalue = "25 degC"',
            "unknown node 'zz'",
        ),
        (
            '[[events]]\nwhen = { node = "a" }\naction = "set"\ncomponents = ["cooler"]\n'
            'parameter = "outlet_temperature"\nvalue = "25 degC"',
            "one of `above`, `below`",
        ),
        (
            '[[events]]\nwhen = { speed = "pump", below = 0.5 }\naction = "set"\n'
            'components = ["cooler"]\nparameter = "outlet_temperature"\nvalue = "25 degC"',
            "give its rotor",
        ),
        (
            '[[events]]\nwhen = { node = "a", above = "40 degC" }\naction = "stop"\n'
            'components = ["pump"]',
            "sets off `trip`, `start` or `set`",
        ),
        (
            '[[events]]\nwhen = { flow = "pump", below = "10 L/min", delay = "-1 s" }\n'
            'action = "set"\ncomponents = ["cooler"]\nparameter = "outlet_temperature"\n'
            'value = "25 degC"',
            "delay",
        ),
    ],
)
def test_case_file_condition_errors_name_the_key(tmp_path, events, message) -> None:
    from thermo.case import load_case

    with pytest.raises(CaseError, match=message):
        load_case(_case(tmp_path, events))


def test_case_file_condition_event_runs(tmp_path) -> None:
    from thermo.case import load_case, run_case

    events = (
        '[[events]]\nwhen = { node = "b", above = "30.25 degC" }\naction = "set"\n'
        'components = ["cooler"]\nparameter = "outlet_temperature"\nvalue = "20 degC"\n'
        '[[events]]\ntime = "0 s"\naction = "it_power"\ncomponents = ["load"]\n'
        'profile = "step"\nlevel = 2.0'
    )
    run = run_case(load_case(_case(tmp_path, events)))
    res = run.transient
    assert [e["label"] for e in res.events] == ["set cooler"]
    # 30 kg/s (0.3 bar over the tank's 1 kPa per kg/s): the load outlet b steps from 30.16 to
    # 30.32 degC at t = 0+, through the limit in the first step
    assert res.events[0]["condition"].startswith("node temperature of b above 303.4")
    assert 0.0 < res.events[0]["condition_met_s"] < 0.1
    assert res.ledger["imbalance_relative"] < 1e-6


# ------------------------------------------------------------------ the buffer-tank pump trip


@pytest.fixture(scope="module")
def buffer_runs():
    from thermo.case import load_case, run_case

    with_tank = run_case(load_case("pump_trip_buffer"))
    without = run_case(
        load_case(
            "pump_trip_buffer",
            overrides={"components.buffer.volume": "1 L", "transient.duration": "40 s"},
        )
    )
    return with_tank, without


@pytest.mark.slow
def test_buffer_tank_rides_through_the_cooling_outage(buffer_runs) -> None:
    with_tank, without = buffer_runs
    r, r0 = with_tank.transient, without.transient
    # without the tank the loop's own water lasts seconds; with it the whole 3-min outage
    assert r0.ride_through_s is not None and 5.0 < r0.ride_through_s < 40.0
    assert r.ride_through_s is None
    assert r.max_case["T_case_C"] < 85.0
    assert with_tank.summary["ride_through_s"] is None
    for res in (r, r0):
        assert res.ledger["imbalance_relative"] < 1e-6
        assert not [f for f in res.flags if f.startswith(("energy_ledger", "coolant_range"))]


@pytest.mark.slow
def test_buffer_tank_delivers_cold_water_for_about_its_plug_flow_time(buffer_runs) -> None:
    r = buffer_runs[0].transient
    t = r.step_times
    s = r.step_series
    flow = s["flow_supply_hose_L_min"]
    start = next(e for e in r.events if e["kind"] == "start")
    settled = t > start["time_s"] + 5.0
    v_dot = float(np.median(flow[settled & (t < 150.0)])) / 6e4  # m3/s
    plug = 0.4 / v_dot  # V / V_dot of the 400 L tank
    T = s["T_rack_supply_C"]
    # 20 mixed layers: Erlang(20) has released < 1 % of the front at half the plug-flow time
    assert np.all(T[t < 10.0 + 0.5 * plug] < 40.0 + 0.01 * (T.max() - 40.0) + 0.02)
    # and most of it by 1.3 times (before the plant comes back at 190 s)
    k = np.searchsorted(t, 10.0 + 1.3 * plug)
    assert T[k] > 40.0 + 0.5 * (T[t < 190.0].max() - 40.0)


@pytest.mark.slow
def test_flow_switch_starts_the_standby_at_the_crossing_plus_its_delay(buffer_runs) -> None:
    r = buffer_runs[0].transient
    start = next(e for e in r.events if e["kind"] == "start")
    assert start["time_s"] == pytest.approx(start["condition_met_s"] + 2.0, abs=1e-9)
    # the supply flow passes 100 L/min at the recorded crossing (interpolated between steps)
    t, flow = r.step_times, r.step_series["flow_supply_hose_L_min"]
    assert float(np.interp(start["condition_met_s"], t, flow)) == pytest.approx(100.0, rel=2e-3)
    assert 10.0 < start["condition_met_s"] < 14.0


def test_isolated_coasting_pump_runs_down_on_its_shutoff_power() -> None:
    """A pump tripped while its valve shuts: no hydraulic power, but the impeller absorbs
    SHUTOFF_POWER_FRACTION of its power before the trip times n³, so n = 1/(1 + t/T0),
    T0 = J w0² / (0.44 P_trip) (the closed form of the run-down with that load)."""
    from thermo import Coolant
    from thermo.network import ExpansionTank, Network, Pump, Valve
    from thermo.transient.pumps import SHUTOFF_POWER_FRACTION

    net = Network(coolant=Coolant("water"), name="isolated")
    net.add(
        Pump("pump", "a", "b", pressure_rise=1e5, efficiency=0.7),
        Valve("valve", "b", "a", kv=20.0, rangeability=1e6),
        ExpansionTank("et", "a", pressure=2e5),
    )
    J, w0 = 0.05, 2 * math.pi * 2900 / 60
    from thermo.network import SolverOptions

    steady = net.solve(SolverOptions(initial_temperature=293.15))
    P_trip = float(steady.components.loc["pump", "P_shaft_W"])
    model = TransientModel(
        net, pumps={"pump": {"inertia": J, "rated_speed": w0}}, node_volumes={"a": 0.01}
    )

    def record(run, x, ev, t):
        return {"n": float(run.model.rotors.rotors["pump"].group.speed[0])}

    T0 = J * w0 * w0 / (SHUTOFF_POWER_FRACTION * P_trip)
    res = simulate(
        model,
        TransientOptions(
            duration=1.0 + 3 * T0,
            output_interval=T0 / 10,
            speed_tolerance=1e-6,
            loop_temperature=293.15,
        ),
        events=[
            Event(1.0, "trip", ["pump"]),
            Event(1.0, "set", ["valve"], "opening", 0.0),
        ],
        record=record,
    )
    t, n = res.step_times, res.step_series["n"]
    after = t > 1.0
    expected = 1.0 / (1.0 + (t[after] - 1.0) / T0)
    assert np.max(np.abs(n[after] - expected) / expected) < 2e-3
    # (no heat moves in this loop: its energy ledger has no throughput to compare with)


# ------------------------------------------------------------------ heat capacity of components


def _exchanger():
    """Two once-through water streams through a counterflow exchanger (UA 5 kW/K): hot 1 kg/s
    from 60 degC through a heat load, cold 2 kg/s from 20 degC."""
    from thermo import Coolant
    from thermo.network import FlowSource, HeatExchanger, HeatLoad, Network, PressureBoundary

    w = Coolant("water")
    net = Network(coolant=w, name="hx")
    net.add(
        FlowSource("hot_in", "h0", mass_flow=1.0, temperature=333.15),
        HeatLoad("load", "h0", "h1", heat=20e3),
        HeatExchanger(
            "hx",
            hot_inlet="h1",
            hot_outlet="h2",
            cold_inlet="c1",
            cold_outlet="c2",
            ua=5e3,
            arrangement="counterflow",
        ),
        PressureBoundary("hot_out", "h2", pressure=2e5, temperature=333.15),
        FlowSource("cold_in", "c1", mass_flow=2.0, temperature=293.15),
        PressureBoundary("cold_out", "c2", pressure=2e5, temperature=293.15),
    )
    return net


def test_exchanger_capacity_lags_its_outlet_as_a_first_order_system() -> None:
    """The capacity sits at each side's outlet: after a step of the hot inlet, the cold outlet
    enthalpy follows h_end + (h_0 - h_end) exp(-t/tau), tau = (C/2)/(cp m_c), h_end the steady
    outlet after the step (a steady solve of the same network)."""
    from thermo import Coolant

    C = 200e3  # J/K (e.g. 400 kg of steel at 500 J/(kg K))
    net = _exchanger()
    model = TransientModel(net, heat_capacity={"hx": C})
    end = _exchanger()
    end["load"].heat = 40e3
    h_end = float(Coolant("water").enthalpy(end.solve().nodes.loc["c2", "T_K"]))

    def record(run, x, ev, t):
        return {"h": float(ev.h_node[run.model.system.node_index["c2"]])}

    res = simulate(
        model,
        TransientOptions(duration=600.0, output_interval=10.0, temperature_tolerance=1e-5),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [1.0, 2.0]))],
        record=record,
    )
    k = model.system.node_index["c2"]
    tau = model.storage.mass[k] / 2.0
    T0 = float(_exchanger().solve().nodes.loc["c2", "T_K"])
    cp0 = float(Coolant("water").specific_heat(T0))
    assert model.storage.mass[k] == pytest.approx(0.5 * C / cp0, rel=1e-9)
    t, h = res.step_times, res.step_series["h"]
    expected = h_end + (h[0] - h_end) * np.exp(-t / tau)
    assert np.max(np.abs(h - expected)) < 2e-3 * abs(h_end - h[0])
    assert res.ledger["imbalance_relative"] < 1e-6
    # without the capacity the outlet follows at once
    quick = simulate(
        TransientModel(_exchanger()),
        TransientOptions(duration=10.0, output_interval=1.0),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [1.0, 2.0]))],
        record=record,
    )
    assert quick.step_series["h"][-1] == pytest.approx(h_end, rel=1e-6)


def test_heat_capacity_names_are_checked() -> None:
    with pytest.raises(InputError, match="not a component"):
        TransientModel(_exchanger(), heat_capacity={"nope": 1.0})
    with pytest.raises(InputError, match=">= 0"):
        TransientModel(_exchanger(), heat_capacity={"hx": -1.0})


def test_case_file_heat_capacity(tmp_path) -> None:
    from thermo.case import load_case, run_case

    case = load_case(_case(tmp_path, "", 'heat_capacity = { cooler = "10 kJ/K", tank = 500 }'))
    assert case.transient.heat_capacity == {"cooler": 10e3, "tank": 500.0}
    run = run_case(case)
    assert run.transient.ledger["imbalance_relative"] < 1e-6
    for text, message in (
        ('heat_capacity = { nope = "1 kJ/K" }', "unknown component 'nope'"),
        ('heat_capacity = { cooler = "1 kW" }', "expected a heat capacity"),
        ('heat_capacity = { cooler = "-1 J/K" }', "must be positive"),
        ('heat_capacity = "1 kJ/K"', "expected a table"),
    ):
        with pytest.raises(CaseError, match=message):
            load_case(_case(tmp_path, "", text))


def test_reverse_flow_through_a_spinning_pump_is_flagged() -> None:
    """The standby pump pushes back through the duty pump while its check valve closes (20 ms):
    the recorded flow shows it, and so must the flags (the curve is extrapolated there)."""
    from thermo.case import load_case, run_case

    res = run_case(load_case("pump_trip")).transient
    q = res.step_series["flow_pump_duty_L_min"]
    n = res.step_series["speed_pump_duty"]
    backwards = (q < -0.01 * q[0]) & (n > 0.05)
    assert backwards.any()
    (flag,) = [f for f in res.flags if f.startswith("pump_reverse_flow")]
    assert "pump_duty" in flag and "pump_standby" not in flag
    share = float(flag.split("carried ")[1].split("%")[0]) / 100
    # (the flag prints one decimal of a percent, of the mass flow; the series is volume flow)
    assert share == pytest.approx(float(np.max(-q[backwards])) / q[0], abs=1.5e-3)


def test_full_newton_path_gives_the_same_run(monkeypatch) -> None:
    """Without the step solver (as for a network whose LU would fill in too much), every step is
    solved by the network's full Newton method: the same run to the Newton tolerance."""
    import thermo.transient.stepper as stepper

    def run():
        net, _ = storage_loop("tank", cells=3, volume=0.5)
        res = simulate(
            TransientModel(net),
            TransientOptions(duration=300.0, output_interval=10.0, max_step=10.0),
            drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        )
        return res

    fast = run()
    monkeypatch.setattr(stepper, "MAX_FILL", 0)
    slow = run()
    assert fast.solver_stats["evaluations"] > 0 and slow.solver_stats["evaluations"] <= 1
    assert slow.steps == fast.steps
    for key in ("T_tank_layer3_C", "stored_energy_J"):
        assert np.allclose(slow.series[key], fast.series[key], rtol=1e-9, atol=1e-6)
    assert slow.ledger["imbalance_relative"] < 1e-6


def test_hottest_case_counts_the_initial_state() -> None:
    """Power falls after a quiet stretch (taken in one step): the hottest case temperature of
    the run is the initial steady one, as the recorded series shows."""
    net, _ = storage_loop("plate", plate=(0.03, 1000.0))
    res = simulate(
        TransientModel(net, plate_capacity=400.0),
        TransientOptions(duration=30.0, output_interval=1.0),
        drives=[Drive(["plate"], PiecewiseLinear([0.0, 10.0, 10.0], [1.0, 1.0, 0.5]))],
    )
    assert res.max_case["time_s"] == 0.0
    assert res.max_case["T_case_C"] == pytest.approx(res.series["hottest_case_C"].max(), abs=1e-9)
    assert res.series["hottest_case_C"][-1] < res.max_case["T_case_C"] - 10.0
