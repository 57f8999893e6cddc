"""Verification cases for dynamic simulation (``transient.*``); explained in
docs/validation/transient.md.

Each case runs :func:`thermo.transient.simulate` on a small loop and compares with an analytic
solution:

* a fully mixed tank after a step of its inlet enthalpy: ``1 - exp(-t/tau)``, ``tau = M/m``
  (first-order system; e.g. Incropera et al., *Fundamentals of Heat and Mass Transfer*, 7th ed.,
  sec. 5.2, lumped capacitance);
* ``N`` mixed cells in series (pipe cells, tank layers): the Erlang distribution
  ``1 - exp(-x) sum_{k<N} x^k/k!``, ``x = N t/tau`` (tanks-in-series model, Levenspiel,
  *Chemical Reaction Engineering*, 3rd ed., 1999, ch. 14), whose mean is the plug-flow delay
  ``V/V̇``;
* a cold plate's case temperature after a power step: ``T_in + P R (1 - exp(-t/(R C)))``
  (lumped RC);
* a tripped pump on a quadratic system: ``n = 1/(1 + t/T)``, ``T = J w0²/P0`` (inertia against a
  load torque proportional to speed squared; Stepanoff, *Centrifugal and Axial Flow Pumps*, 1957);
* energy conservation of a 1-h run of AI-training power swings (heat in − heat out = Δ stored).

The loops hold their mass flow with a pump-speed control, so that the time constants are exact
(temperature-dependent viscosity would otherwise change the flow by a few 1e-4).
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from thermo.verification import VerificationCase

__all__ = [
    "CASES",
    "storage_loop",
    "erlang_cdf",
    "mixed_tank_error",
    "pipe_mean_arrival",
    "cell_dispersion_error",
    "stratified_tank_error",
    "rundown_loop",
    "swing_loop",
    "cold_plate_rc_error",
    "pump_rundown_error",
    "swing_ledger",
    "condition_event_error",
    "shutoff_rundown_error",
    "exchanger_capacity_error",
    "plug_loop",
    "plug_flow_run",
    "plug_flow_front_error",
    "plug_flow_arrival",
    "plug_flow_ledger",
    "plug_flow_window",
    "plug_flow_sampled_arrival_error",
]

FLOW = 2.0
"""Mass flow of the verification loops [kg/s]."""
HEAT = 40e3
"""Heat step [W] (5 K rise at 2 kg/s of water)."""
T_SUPPLY = 303.15
"""Cooler setpoint [K]."""


def erlang_cdf(t: np.ndarray, tau: float, n: int) -> np.ndarray:
    """Outlet response of ``n`` equal mixed cells in series (total residence time ``tau``) to a
    unit inlet step at ``t = 0``."""
    x = n * np.asarray(t, dtype=float) / tau
    term = np.exp(-x)
    total = np.zeros_like(x)
    for k in range(n):
        total = total + term
        term = term * x / (k + 1)
    return 1.0 - total


def storage_loop(kind: str, *, cells: int = 1, volume: float = 1.0, plate=None):
    """A water loop: cooler (30 °C) -> heat -> storage -> pump, flow held at :data:`FLOW`.

    ``kind`` ``"tank"``: a StorageTank of ``volume`` with ``cells`` layers; ``"pipe"``: a 50 mm
    pipe holding ``volume`` (split into ``cells`` cells); ``"plate"``: a cold plate
    (``plate = (R, heat)``) instead of the heat load and no storage volume.
    Returns ``(network, storage element name)``.
    """
    from thermo import Coolant
    from thermo.components.cold_plate import ColdPlate
    from thermo.network import Control, Cooler, ExpansionTank, HeatLoad, MassFlow, Network, Pump
    from thermo.transient import StorageTank

    net = Network(coolant=Coolant("water"), name=f"verify_{kind}")
    net.add(
        Pump("pump", "c", "d", pressure_rise=30e3),
        Cooler("cooler", "d", "a", outlet_temperature=T_SUPPLY),
        ExpansionTank("et", "a", pressure=2e5),
        Control(
            "flow",
            component="pump",
            parameter="speed",
            target=MassFlow("pump", FLOW),
            lower=0.05,
            upper=3.0,
        ),
    )
    if kind == "plate":
        R, q = plate
        net.add(ColdPlate("plate", "a", "c", heat=q, resistance=R, case_limit=400.0))
        return net, "plate"
    net.add(HeatLoad("load", "a", "b", heat=HEAT))
    if kind == "tank":
        net.add(StorageTank("tank", "b", "c", volume=volume, layers=cells, nominal_flow=FLOW))
        return net, "tank"
    from thermo.network import Pipe

    d = 0.05
    length = volume / (math.pi * d * d / 4)
    net.add(Pipe("pipe", "b", "c", length=length, diameter=d))
    return net, "pipe"


def _step_run(kind: str, cells: int, volume: float, duration: float, output: float, tol: float):
    """Heat step at t = 0 through the storage; returns (times, normalised outlet response, tau)."""
    from thermo.transient import Drive, PiecewiseLinear, TransientModel, TransientOptions, simulate

    net, name = storage_loop(kind, cells=cells, volume=volume)
    model = TransientModel(net, pipe_cells={"pipe": cells} if kind == "pipe" else None)
    outlet = "c"
    drive = Drive(["load"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))
    run_nodes = [outlet]
    res = simulate(
        model,
        TransientOptions(
            duration=duration,
            output_interval=output,
            max_step=output,
            initial_step=1e-3,
            temperature_tolerance=tol,
        ),
        drives=[drive],
        record=_recorder(run_nodes),
    )
    M = float(np.sum(model.storage.mass))
    tau = M / FLOW
    # compared at the accepted steps (the output series is interpolated between them)
    h = res.step_series["h_out"]
    y = (h - h[0]) / (0.5 * HEAT / FLOW)
    del name
    return res.step_times, y, tau, res


def _recorder(nodes):
    def record(run, x, ev, t):
        sys_ = run.model.system
        return {"h_out": float(ev.h_node[sys_.node_index[nodes[0]]])}

    return record


@functools.cache
def mixed_tank_error() -> float:
    """Largest deviation of a mixed tank's normalised outlet response from ``1 - exp(-t/tau)``
    over five time constants (tau = 500 s)."""
    t, y, tau, _ = _step_run("tank", 1, 1.0, 2500.0, 10.0, 1e-4)
    return float(np.max(np.abs(y - (1.0 - np.exp(-t / tau)))))


@functools.cache
def _pipe_run():
    return _step_run("pipe", 20, 0.02, 60.0, 0.25, 1e-4)


def pipe_mean_arrival() -> float:
    """Mean arrival time of a step through a 20-cell pipe divided by the plug-flow delay V/V̇."""
    t, y, tau, _ = _pipe_run()
    mean = float(np.trapezoid(1.0 - y, t))
    return mean / tau


def cell_dispersion_error() -> float:
    """Largest deviation of the 20-cell pipe's outlet response from the Erlang distribution."""
    t, y, tau, _ = _pipe_run()
    return float(np.max(np.abs(y - erlang_cdf(t, tau, 20))))


@functools.cache
def stratified_tank_error() -> float:
    """Largest deviation of a 10-layer tank's outlet response (charging front) from Erlang."""
    t, y, tau, _ = _step_run("tank", 10, 0.5, 1000.0, 2.0, 5e-5)
    return float(np.max(np.abs(y - erlang_cdf(t, tau, 10))))


@functools.cache
def cold_plate_rc_error() -> float:
    """Largest deviation of a cold plate's case temperature after a 0.5 -> 1 kW step from
    ``T_in + R (P/2 + P/2 (1 - exp(-t/(R C))))`` (R = 0.03 K/W, C = 400 J/K: RC = 12 s), in kelvin."""
    from thermo.transient import Drive, PiecewiseLinear, TransientModel, TransientOptions, simulate

    R, P, C = 0.03, 1000.0, 400.0
    net, _ = storage_loop("plate", plate=(R, P))
    model = TransientModel(net, plate_capacity=C)

    def record(run, x, ev, t):
        return {"T_case_K": float(run.model.walls[0].T_wall[0])}

    res = simulate(
        model,
        TransientOptions(
            duration=60.0, output_interval=0.5, initial_step=1e-3, temperature_tolerance=1e-5
        ),
        drives=[Drive(["plate"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        record=record,
    )
    t = res.step_times
    expected = T_SUPPLY + 0.5 * P * R * (2.0 - np.exp(-t / (R * C)))
    return float(np.max(np.abs(res.step_series["T_case_K"] - expected)))


def rundown_loop():
    """Water loop: fixed-rise pump (1 bar at full speed) and a valve (pure quadratic law)."""
    from thermo import Coolant
    from thermo.network import ExpansionTank, Network, Pump, Valve

    net = Network(coolant=Coolant("water"), name="verify_rundown")
    net.add(
        Pump("pump", "a", "b", pressure_rise=1e5, efficiency=0.7),
        Valve("valve", "b", "a", kv=20.0),
        ExpansionTank("et", "a", pressure=2e5),
    )
    return net


@functools.cache
def pump_rundown_error() -> float:
    """Largest relative deviation of a tripped pump's speed from ``1/(1 + t/T)`` over 4 T."""
    from thermo.transient import Event, TransientModel, TransientOptions, simulate

    net = rundown_loop()
    J, w0 = 0.05, 2 * math.pi * 2900 / 60
    model = TransientModel(
        net, pumps={"pump": {"inertia": J, "rated_speed": w0}}, node_volumes={"a": 0.01}
    )
    from thermo.network import SolverOptions

    # the loop holds no heat source or sink: its temperature is stated (20 degC)
    steady = net.solve(SolverOptions(initial_temperature=293.15))
    P0 = float(steady.components.loc["pump", "P_shaft_W"])
    T = J * w0 * w0 / P0

    def record(run, x, ev, t):
        return {"speed": float(run.model.rotors.rotors["pump"].group.speed[0])}

    res = simulate(
        model,
        TransientOptions(
            duration=4 * T,
            output_interval=T / 20,
            initial_step=1e-4,
            speed_tolerance=2e-7,
            loop_temperature=293.15,
        ),
        events=[Event(0.0, "trip", ["pump"])],
        record=record,
    )
    t = res.step_times
    n = res.step_series["speed"]
    expected = 1.0 / (1.0 + t / T)
    return float(np.max(np.abs(n - expected) / expected))


def swing_loop():
    """A CDU-like loop: 8 cold plates of 1 kW on parallel branches, pipes with volume, cooler."""
    from thermo import Coolant
    from thermo.components.cold_plate import ColdPlate
    from thermo.network import Control, Cooler, ExpansionTank, MassFlow, Network, Pipe, Pump

    net = Network(coolant=Coolant("PG25"), name="verify_swing")
    net.add(
        Pump("pump", "r", "s0", pressure_rise=1e5),
        Cooler("cdu", "s0", "s1", outlet_temperature=T_SUPPLY),
        Pipe("supply", "s1", "hs", length=10.0, diameter=0.032),
        Pipe("return", "hr", "r", length=10.0, diameter=0.032),
        ExpansionTank("et", "r", pressure=2e5),
        Control(
            "flow",
            component="pump",
            parameter="speed",
            target=MassFlow("pump", 0.25),
            lower=0.05,
            upper=3.0,
        ),
    )
    for k in range(8):
        net.add(ColdPlate(f"gpu{k}", "hs", "hr", heat=1000.0))
    return net


@functools.cache
def swing_ledger(duration: float = 600.0) -> dict:
    """Energy ledger of a run of AI-training swings (1-s steps) through :func:`swing_loop`
    (10 min here; the 1-h run is a slow test and the benchmark)."""
    from thermo.facility.it_load import TrainingSwing
    from thermo.transient import Drive, SwingDrive, TransientModel, TransientOptions, simulate

    net = swing_loop()
    model = TransientModel(net, cell_length=1.0)
    drive = Drive([f"gpu{k}" for k in range(8)], SwingDrive(TrainingSwing()))
    res = simulate(
        model,
        TransientOptions(duration=duration, output_interval=10.0, max_step=1.0),
        drives=[drive],
    )
    return res.ledger


@functools.cache
def condition_event_error() -> float:
    """Relative error of the time at which a condition event fires: a mixed tank's outlet
    (tau = M/m) crossing half its enthalpy step, expected at tau ln 2."""
    from scipy.optimize import brentq

    from thermo import Coolant
    from thermo.transient import (
        Condition,
        Drive,
        Event,
        PiecewiseLinear,
        TransientModel,
        TransientOptions,
        simulate,
    )

    net, _ = storage_loop("tank", volume=1.0)
    model = TransientModel(net)
    water = Coolant("water")
    half, _ = storage_loop("tank", volume=1.0)
    half["load"].heat = 0.5 * HEAT  # the initial state: the drive starts at half the load
    T0 = float(half.solve().nodes.loc["c", "T_K"])
    h_half = float(water.enthalpy(T0)) + 0.25 * HEAT / FLOW
    T_half = brentq(lambda T: float(water.enthalpy(T)) - h_half, T0, T0 + 10.0, xtol=1e-12)
    ev = Event(
        0.0,
        "set",
        ["cooler"],
        "outlet_temperature",
        T_SUPPLY - 1.0,
        when=Condition("node_temperature", ["c"], T_half),
    )
    res = simulate(
        model,
        TransientOptions(duration=500.0, output_interval=10.0, temperature_tolerance=1e-5),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [0.5, 1.0]))],
        events=[ev],
    )
    tau = float(np.sum(model.storage.mass)) / FLOW
    return abs(res.events[0]["condition_met_s"] / (tau * math.log(2.0)) - 1.0)


@functools.cache
def shutoff_rundown_error() -> float:
    """Largest relative deviation of an isolated tripped pump's speed (its valve shut at the
    trip) from 1/(1 + t/T0), T0 = J w0² / (f P_trip), f the shut-off power fraction."""
    from thermo import Coolant
    from thermo.network import ExpansionTank, Network, Pump, SolverOptions, Valve
    from thermo.transient import Event, TransientModel, TransientOptions, simulate
    from thermo.transient.pumps import SHUTOFF_POWER_FRACTION

    net = Network(coolant=Coolant("water"), name="verify_shutoff")
    net.add(
        Pump("pump", "a", "b", pressure_rise=1e5, efficiency=0.7),
        Valve("valve", "b", "a", kv=20.0, rangeability=1e6),
        ExpansionTank("et", "a", pressure=2e5),
    )
    J, w0 = 0.05, 2 * math.pi * 2900 / 60
    P_trip = float(
        net.solve(SolverOptions(initial_temperature=293.15)).components.loc["pump", "P_shaft_W"]
    )
    model = TransientModel(
        net, pumps={"pump": {"inertia": J, "rated_speed": w0}}, node_volumes={"a": 0.01}
    )
    T0 = J * w0 * w0 / (SHUTOFF_POWER_FRACTION * P_trip)

    def record(run, x, ev, t):
        return {"n": float(run.model.rotors.rotors["pump"].group.speed[0])}

    res = simulate(
        model,
        TransientOptions(
            duration=1.0 + 3 * T0,
            output_interval=T0 / 10,
            speed_tolerance=1e-6,
            loop_temperature=293.15,
        ),
        events=[Event(1.0, "trip", ["pump"]), Event(1.0, "set", ["valve"], "opening", 0.0)],
        record=record,
    )
    t, n = res.step_times, res.step_series["n"]
    after = t > 1.0
    expected = 1.0 / (1.0 + (t[after] - 1.0) / T0)
    return float(np.max(np.abs(n[after] - expected) / expected))


@functools.cache
def exchanger_capacity_error() -> float:
    """Largest deviation of a heat exchanger's cold outlet (capacity 200 kJ/K, half per side)
    after a step of its hot inlet from the first-order lag with tau = (C/2)/(m_c cp), as a share
    of the step."""
    from thermo import Coolant
    from thermo.network import FlowSource, HeatExchanger, HeatLoad, Network, PressureBoundary
    from thermo.transient import Drive, PiecewiseLinear, TransientModel, TransientOptions, simulate

    def exchanger(load: float):
        w = Coolant("water")
        net = Network(coolant=w, name="verify_hx")
        net.add(
            FlowSource("hot_in", "h0", mass_flow=1.0, temperature=333.15),
            HeatLoad("load", "h0", "h1", heat=load),
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

    C = 200e3
    water = Coolant("water")
    h_end = float(water.enthalpy(exchanger(40e3).solve().nodes.loc["c2", "T_K"]))
    model = TransientModel(exchanger(20e3), heat_capacity={"hx": C})

    def record(run, x, ev, t):
        return {"h": float(ev.h_node[run.model.system.node_index["c2"]])}

    res = simulate(
        model,
        TransientOptions(duration=600.0, output_interval=10.0, temperature_tolerance=1e-5),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 0.0], [1.0, 2.0]))],
        record=record,
    )
    tau = model.storage.mass[model.system.node_index["c2"]] / 2.0
    t, h = res.step_times, res.step_series["h"]
    expected = h_end + (h[0] - h_end) * np.exp(-t / tau)
    return float(np.max(np.abs(h - expected)) / abs(h_end - h[0]))


T_STEP = -5.0
"""Inlet temperature step of the plug-flow cases [K] (the cooler's setpoint drops)."""
T_STEP_AT = 1.0
"""Time of the inlet temperature step [s]."""


def plug_loop(held_flow: bool = True):
    """Water loop: fixed-rise pump, heat load (40 kW), cooler setting the pipe's inlet
    temperature (35 °C), a 50 mm pipe of 20 L as a plug-flow delay and a valve; the pump speed
    holds :data:`FLOW` (``held_flow``), else the valve's opening sets the flow."""
    from thermo import Coolant
    from thermo.network import (
        Control,
        Cooler,
        ExpansionTank,
        HeatLoad,
        MassFlow,
        Network,
        Pipe,
        Pump,
        Valve,
    )

    net = Network(coolant=Coolant("water"), name="verify_plug_flow")
    d = 0.05
    net.add(
        Pump("pump", "c", "d", pressure_rise=30e3),
        HeatLoad("load", "d", "e", heat=HEAT),
        Cooler("cooler", "e", "b", outlet_temperature=T_SUPPLY - T_STEP),
        ExpansionTank("et", "b", pressure=2e5),
        Pipe("pipe", "b", "v", length=0.02 / (math.pi * d * d / 4), diameter=d),
        Valve("valve", "v", "c", kv=25.0),
    )
    if held_flow:
        target = MassFlow("pump", FLOW)
        net.add(
            Control(
                "flow", component="pump", parameter="speed", target=target, lower=0.05, upper=3.0
            )
        )
    return net


@functools.cache
def plug_flow_run(flow_change: bool):
    """Inlet temperature step of :data:`T_STEP` at :data:`T_STEP_AT` through the 20-L delay pipe
    of :func:`plug_loop`: at the held flow, or with ``flow_change`` (no flow control) the valve
    closing to 40 % at 4 s, with the front mid-pipe. Returns the result and the pipe's mass
    ``M``."""
    from thermo.transient import Event, TransientModel, TransientOptions, simulate

    net = plug_loop(held_flow=not flow_change)
    model = TransientModel(net, plug_flow=["pipe"])
    sys_ = model.system

    def record(run, x, ev, t):
        return {
            "h_out": float(ev.h_node[sys_.node_index["v"]]),
            "h_in": float(ev.h_node[sys_.node_index["b"]]),
            "m": float(x[sys_.layout.m][sys_.branch_position["pipe"]]),
        }

    events = [Event(T_STEP_AT, "set", ["cooler"], "outlet_temperature", T_SUPPLY)]
    if flow_change:
        events.append(Event(4.0, "set", ["valve"], "opening", 0.4))
    res = simulate(
        model,
        TransientOptions(duration=30.0, output_interval=0.5, max_step=0.5, initial_step=1e-3),
        events=events,
        record=record,
    )
    return res, model.plug.queues["pipe"].mass


def plug_flow_window(res, M: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Normalised outlet response at the accepted steps and the plug-flow law evaluated from the
    run's flows: over the step ending at ``t_n`` the mass window ``[C_(n-1) - M, C_n - M]``
    leaves (``C`` the cumulative mass since the inlet step), of which the share
    ``clip((C_n - M)/(C_n - C_(n-1)), 0, 1)`` entered after the step; also ``C`` and the index
    of the step's time."""
    t = res.step_times
    m = res.step_series["m"]
    h = res.step_series["h_out"]
    dM = np.concatenate([[0.0], m[1:] * np.diff(t)])  # backward Euler: the step's end flow
    k0 = int(np.argmin(np.abs(t - T_STEP_AT)))  # steps end at the event
    C = np.cumsum(dM) - np.sum(dM[: k0 + 1])
    h_in = res.step_series["h_in"]
    y = (h - h[0]) / (h_in[-1] - h_in[0])
    share = np.clip((C - M) / np.where(dM > 0, dM, 1.0), 0.0, 1.0)
    return y, share, C, k0


def plug_flow_front_error(flow_change: bool = False) -> float:
    """Largest deviation of the delay pipe's outlet response from the plug-flow law."""
    res, M = plug_flow_run(flow_change)
    y, share, _, _ = plug_flow_window(res, M)
    return float(np.max(np.abs(y - share)))


def plug_flow_arrival(flow_change: bool = False) -> float:
    """Arrival time of the front after the inlet step, reconstructed from the step in which it
    leaves (``t_n - y_n (t_n - t_(n-1))``), divided by the exact delay: ``rho V/m`` at the held
    flow, the time at which the cumulative mass reaches ``M = rho V`` with the flow change."""
    res, M = plug_flow_run(flow_change)
    y, _, C, _ = plug_flow_window(res, M)
    t = res.step_times
    n = int(np.argmax(y > 1e-9))
    t_front = t[n] - y[n] * (t[n] - t[n - 1]) - T_STEP_AT
    if not flow_change:
        return t_front / (M / FLOW)
    m = res.step_series["m"]
    k = int(np.argmax(C >= M))  # the step in which the cumulative mass passes M
    return t_front / (t[k - 1] - T_STEP_AT + (M - C[k - 1]) / m[k])


def plug_flow_sampled_arrival_error() -> float:
    """Arrival read from the outlet samples at the accepted steps (the 50 % crossing, linear
    between them) minus ``rho V/m`` [s]; the step's outlet is the mean over the mass window, so
    this lies within 0.59 of the step that holds the front (steps of at most 0.5 s here)."""
    res, M = plug_flow_run(False)
    y, _, _, _ = plug_flow_window(res, M)
    t = res.step_times
    n = int(np.argmax(y >= 0.5))
    t50 = t[n - 1] + (0.5 - y[n - 1]) / (y[n] - y[n - 1]) * (t[n] - t[n - 1])
    return float(t50 - T_STEP_AT - M / FLOW)


def plug_flow_ledger() -> float:
    res, _ = plug_flow_run(True)
    return float(res.ledger["imbalance_relative"])


_LEVENSPIEL = "O. Levenspiel, Chemical Reaction Engineering, 3rd ed., Wiley 1999, ch. 14 (tanks-in-series model)"

CASES = [
    VerificationCase(
        id="transient.mixed_tank_step",
        title="mixed tank (1 m3, 2 kg/s): outlet after an inlet step vs 1 - exp(-t/tau)",
        source="first-order lumped system, e.g. Incropera et al., Fundamentals of Heat and Mass Transfer, 7th ed., sec. 5.2",
        quantity="largest deviation of the normalised response",
        reference=0.0,
        unit="-",
        compute=mixed_tank_error,
        abs_tol=1e-4,
        notes="BDF-2 with a 1e-4 K local error tolerance on a 2.4 K step; response normalised "
        "by the enthalpy step Q/(2m)",
    ),
    VerificationCase(
        id="transient.pipe_plug_flow_arrival",
        title="pipe (20 L, 20 cells, 2 kg/s): mean arrival time of a step vs plug-flow delay V/Q",
        source="plug-flow transport delay V/Q; mean of the tanks-in-series response ("
        + _LEVENSPIEL
        + ")",
        quantity="mean arrival / (V/Q)",
        reference=1.0,
        unit="-",
        compute=pipe_mean_arrival,
        shares="transient.pipe_run",
        abs_tol=2e-3,
        notes="mean from the trapezoidal integral of 1 - response over 6 delays at 0.25 s samples",
    ),
    VerificationCase(
        id="transient.pipe_cell_dispersion",
        title="pipe (20 cells): outlet response vs the Erlang distribution of 20 mixed cells",
        source=_LEVENSPIEL,
        quantity="largest deviation of the normalised response",
        reference=0.0,
        unit="-",
        compute=cell_dispersion_error,
        shares="transient.pipe_run",
        abs_tol=2e-3,
        notes="the cell model's dispersion is exactly that of N tanks in series; BDF-2 at a 1e-4 K "
        "local tolerance accumulates about 1e-3 of the step over the 6 delays",
    ),
    VerificationCase(
        id="transient.stratified_tank_front",
        title="stratified tank (0.5 m3, 10 layers): charging front at the outlet vs Erlang",
        source=_LEVENSPIEL
        + "; multi-node tank as in Kleinbach, Beckman & Klein, Solar Energy 50(2), 1993",
        quantity="largest deviation of the normalised response",
        reference=0.0,
        unit="-",
        compute=stratified_tank_error,
        abs_tol=1e-3,
        notes="no inter-layer conduction or buoyant mixing (see docs/transient.md)",
    ),
    VerificationCase(
        id="transient.cold_plate_rc",
        title="cold plate (R 0.03 K/W, C 400 J/K): case temperature after a 0.5 -> 1 kW step vs lumped RC",
        source="lumped RC closed form T_in + P R (1 - exp(-t/RC)), Incropera et al., 7th ed., sec. 5.2",
        quantity="largest deviation of the case temperature",
        reference=0.0,
        unit="K",
        compute=cold_plate_rc_error,
        abs_tol=1e-3,
        notes="15 K step; 1e-3 K is 7e-5 of it",
    ),
    VerificationCase(
        id="transient.pump_rundown",
        title="pump trip on a quadratic system: speed vs 1/(1 + t/T), T = J w0^2/P0",
        source="inertia against a load torque proportional to speed squared (Stepanoff, Centrifugal and Axial Flow Pumps, 2nd ed., Wiley 1957, ch. 13)",
        quantity="largest relative deviation of the speed over 4 T",
        reference=0.0,
        unit="-",
        compute=pump_rundown_error,
        abs_tol=1e-4,
        notes="fixed-rise pump (affinity laws) and a valve (pure quadratic law): P_shaft = P0 n^3",
    ),
    VerificationCase(
        id="transient.energy_ledger_swing",
        title="10-min AI-training swing run (8 plates, 1-s steps): heat in - heat out - stored change",
        source="conservation of energy (first law)",
        quantity="imbalance relative to the heat throughput",
        reference=0.0,
        unit="-",
        compute=lambda: swing_ledger()["imbalance_relative"],
        abs_tol=1e-6,
        notes="heat flows integrated with the integrator's own BDF weights",
    ),
    VerificationCase(
        id="transient.condition_event_time",
        title="event on a condition: mixed tank outlet passing half its step, fired at tau ln 2",
        source="first-order lumped system h(t) = h0 + dh (1 - exp(-t/tau)) crosses h0 + dh/2 at "
        "t = tau ln 2 (Incropera et al., 7th ed., sec. 5.2)",
        quantity="relative error of the firing time",
        reference=0.0,
        unit="-",
        compute=condition_event_error,
        abs_tol=1e-3,
        notes="crossing found on the quadratic through the last three steps; the firing time "
        "inherits the solution's accuracy (local error tolerance 1e-5 K, about 2e-4 here)",
    ),
    VerificationCase(
        id="transient.shutoff_rundown",
        title="tripped pump isolated by its shut valve: speed vs 1/(1 + t/T0) on its shut-off power",
        source="inertia against a load torque proportional to speed squared (Stepanoff 1957, "
        "ch. 13) with the shut-off power 0.44 P_trip n^3 (Karassik et al., Pump Handbook)",
        quantity="largest relative deviation of the speed over 3 T0",
        reference=0.0,
        unit="-",
        compute=shutoff_rundown_error,
        abs_tol=2e-3,
        notes="the shut valve still leaks 1e-6 of its Kv, whose small hydraulic power adds to the "
        "floor; speed tolerance 1e-6",
    ),
    VerificationCase(
        id="transient.exchanger_capacity_lag",
        title="heat exchanger with 200 kJ/K: cold outlet after a hot-inlet step vs first-order lag",
        source="a lumped capacity C/2 in the cold stream after the exchanger's law is a first-order "
        "lag with tau = C/(2 m cp) (Incropera et al., 7th ed., sec. 5.2)",
        quantity="largest deviation as a share of the step",
        reference=0.0,
        unit="-",
        compute=exchanger_capacity_error,
        abs_tol=2e-3,
        notes="final outlet from a steady solve with the stepped load; local error tolerance "
        "1e-5 K",
    ),
]

_PLUG = (
    "plug-flow transport delay: the fluid leaving is the fluid that entered when the cumulative "
    "volume passed since then equals the pipe's volume V, so a step arrives after V/V̇ at "
    "constant flow (Levenspiel 1999, ch. 11, ideal plug flow)"
)
CASES += [
    VerificationCase(
        id="transient.plug_flow_arrival",
        title="delay pipe (20 L, 2 kg/s): arrival of a 5 K inlet step vs V/V̇",
        source=_PLUG,
        quantity="arrival (from the step holding the front) / (rho V/m)",
        reference=1.0,
        unit="-",
        compute=plug_flow_arrival,
        shares="transient.plug_flow_run_held",
        abs_tol=1e-6,
        notes="the step's outlet enthalpy is the exact mean over the mass window leaving, so the "
        "arrival inside the step is recovered exactly; 1e-6 allows the Newton tolerance",
    ),
    VerificationCase(
        id="transient.plug_flow_sampled_front",
        title="delay pipe: 50 % crossing of the outlet samples (steps <= 0.5 s) minus V/V̇",
        source=_PLUG,
        quantity="arrival error read from the samples",
        reference=0.0,
        unit="s",
        compute=plug_flow_sampled_arrival_error,
        shares="transient.plug_flow_run_held",
        abs_tol=0.3,
        notes="a sharp front spreads over the one step that holds it, no further: a sample "
        "holds the window mean, and the linear reading of the 50 % crossing errs by at most "
        "0.59 of that step (0.29 s for 0.5-s steps)",
    ),
    VerificationCase(
        id="transient.plug_flow_front_law",
        title="delay pipe, flow cut to 45 % mid-transit: outlet vs the cumulative-volume law",
        source=_PLUG,
        quantity="largest deviation of the normalised outlet from the window share",
        reference=0.0,
        unit="-",
        compute=lambda: plug_flow_front_error(True),
        shares="transient.plug_flow_run_changed",
        abs_tol=1e-6,
        notes="the share of each step's mass window that entered after the step, from the run's "
        "flows; the front arrives 1.60x later than V/V̇ at the initial flow (9.29 s vs 5.80 s)",
    ),
    VerificationCase(
        id="transient.plug_flow_variable_arrival",
        title="delay pipe, flow cut mid-transit: arrival vs the time the cumulative volume reaches V",
        source=_PLUG,
        quantity="arrival / exact",
        reference=1.0,
        unit="-",
        compute=lambda: plug_flow_arrival(True),
        shares="transient.plug_flow_run_changed",
        abs_tol=1e-6,
        notes="exact: the time at which the mass passed since the inlet step reaches rho V",
    ),
    VerificationCase(
        id="transient.plug_flow_ledger",
        title="delay pipe run with the flow cut: heat in - heat out - stored change",
        source="conservation of energy (first law); the pipe stores the integral of its contents",
        quantity="imbalance relative to the heat throughput",
        reference=0.0,
        unit="-",
        compute=plug_flow_ledger,
        shares="transient.plug_flow_run_changed",
        abs_tol=1e-6,
        notes="the issue's target; the parcels' energy is summed exactly, so what remains is "
        "the Newton tolerance of the steps",
    ),
]
# closed forms and the first law, none of them a printed value
CASES = [dataclasses.replace(c, kind="analytic") for c in CASES]
