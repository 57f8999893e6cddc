"""Dry cooler in a network: leaving temperature and fan power against the correlation called
directly, fan control against the correlation's own bisection, the speed continuation, and the
Jacobian (temperature, flow and speed derivatives) by central differences."""

from __future__ import annotations

import numpy as np
import pytest

from thermo import Coolant
from thermo.components.dry_cooler import DryCooler
from thermo.correlations import dry_cooler as dcl
from thermo.errors import InputError
from thermo.network import (
    ExpansionTank,
    FlowSource,
    HeatLoad,
    Network,
    PressureBoundary,
    Pump,
    SolverOptions,
)

WATER = Coolant("water")
RATING = dcl.EXAMPLE_RATING  # illustrative 1 MW rating shipped by the correlations module
M = RATING.m_water_design
T0 = 273.15


def jacobian_error(net, result) -> float:
    """Largest relative difference between the analytic Jacobian and central differences."""
    system = net.system()
    x = result.state.copy()
    rows, cols, vals = system.evaluate(x).jac
    n = len(x)
    J = np.zeros((n, n))
    np.add.at(J, (rows, cols), vals)
    Jfd = np.zeros_like(J)
    for j in range(n):
        h = 1e-6 * max(abs(x[j]), 1e-3)
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        Jfd[:, j] = (
            system.evaluate(xp, jacobian=False).F - system.evaluate(xm, jacobian=False).F
        ) / (2 * h)
    # entries below 1e-6 of their column's largest are round-off and regularisation terms
    scale = np.abs(Jfd) + 1e-6 * np.abs(Jfd).max(axis=0, keepdims=True) + 1e-300
    return float(np.max(np.abs(J - Jfd) / scale))


def once_through(dc: DryCooler, T_in: float, m: float = M) -> Network:
    net = Network(coolant=WATER)
    net.add(
        dc,
        FlowSource("src", dc.inlet, mass_flow=m, temperature=T_in),
        PressureBoundary("sink", dc.outlet, pressure=2e5, temperature=T_in),
    )
    return net


def loop(dc: DryCooler, heat: float = 1e6) -> Network:
    """Pump, load and dry cooler in a closed loop; the dry cooler needs a water-side pressure drop
    (it is the loop's only resistance)."""
    net = Network(coolant=WATER)
    net.add(
        dc,
        Pump("pump", dc.outlet, "c", pressure_rise=80e3),
        HeatLoad("load", "c", dc.inlet, heat=heat),
        ExpansionTank("tank", dc.outlet, pressure=2e5),
    )
    return net


# the network starts all flows at this value: near the loop's flow (see the report on cold starts)
START = SolverOptions(initial_flow=30.0)


@pytest.mark.parametrize("speed", [0.5, 1.0])
def test_leaving_temperature_and_fan_power_match_the_correlation(speed: float) -> None:
    dc = DryCooler("dc", "a", "b", rating=RATING, ambient_temperature=T0 + 10.0, speed=speed)
    T_in = T0 + 45.0
    res = once_through(dc, T_in).solve()
    ref = dcl.leaving_water_temperature(
        T_in, M, T0 + 10.0, speed, RATING, cp=float(WATER.specific_heat(T_in))
    )
    # duty of the correlation (cp at the inlet), water enthalpy balanced exactly
    assert -res.heat("dc") == pytest.approx(float(ref.Q), rel=1e-9)
    # the exit differs from the constant-cp one only by cp(T) over the cooling range
    assert res.exit_temperature("dc") == pytest.approx(float(ref.T_water_out), abs=0.02)
    row = res.components.loc["dc"]
    assert row["fan_power_W"] == pytest.approx(float(ref.P_fan), rel=1e-12)
    assert row["fan_power_W"] == pytest.approx(
        RATING.P_fan_design * speed**3 * RATING.T_air_in_design / (T0 + 10.0), rel=1e-12
    )  # fan law: P ∝ ρ n³ (ASHRAE Handbook), ρ ∝ 1/T at fixed pressure
    assert row["T_ambient_C"] == pytest.approx(10.0)


def test_fan_control_finds_the_speed_of_the_correlations_bisection() -> None:
    dc = DryCooler(
        "dc",
        "a",
        "b",
        rating=RATING,
        ambient_temperature=T0 + 20.0,
        speed=0.5,
        pressure_drop=(40e3, M),
    )
    net = loop(dc)
    net.add(dc.leaving_temperature_control(T0 + 35.0))
    res = net.solve(START)
    assert res.temperature("b") == pytest.approx(T0 + 35.0, abs=1e-8)
    speed = res.value("dc", "speed")
    T_in = res.temperature("a")
    ref = dcl.speed_for_leaving_temperature(
        T_in, res.mass_flow("dc"), T0 + 20.0, T0 + 35.0, RATING, cp=float(WATER.specific_heat(T_in))
    )
    # bisection tolerance 1e-6; the network's exit uses the exact enthalpy balance (cp(T)),
    # which moves the required speed by ~1e-5 (measured 1.5e-5)
    assert speed == pytest.approx(float(ref.speed), abs=1e-4)
    assert not bool(ref.saturated)
    assert jacobian_error(net, res) < 1e-5


@pytest.mark.parametrize("u", [-0.3, 0.4, 1.6])
def test_jacobian_inside_and_beyond_the_speed_range(u: float) -> None:
    dc = DryCooler(
        "dc",
        "a",
        "b",
        rating=RATING,
        ambient_temperature=T0 + 15.0,
        speed=0.5,
        pressure_drop=(40e3, M),
    )
    net = loop(dc, heat=6e5)
    # the fan speed is the control unknown: move it where the continuation applies
    net.add(dc.leaving_temperature_control(T0 + 30.0))
    res = net.solve(START)
    res.state[-1] = u
    assert jacobian_error(net, res) < 1e-5


def test_continuation_beyond_full_speed_never_cools_below_ambient() -> None:
    dc = DryCooler("dc", "a", "b", rating=RATING, ambient_temperature=T0 + 15.0, speed=1.0)
    net = once_through(dc, T0 + 40.0)
    res = net.solve()
    system = net.system()
    x = res.state.copy()
    exits = []
    for u in (1.0, 1.5, 3.0, 30.0):
        group, local = system.group_of["dc"]
        group.speed[local] = u
        exits.append(system.evaluate(x, jacobian=False).T_exit[system.branch_position["dc"]])
    assert np.all(np.diff(exits) < 0)
    assert 0.0 < exits[-1] - (T0 + 15.0) < 0.05


def test_fan_saturates_at_full_speed_on_a_hot_day() -> None:
    dc = DryCooler(
        "dc",
        "a",
        "b",
        rating=RATING,
        ambient_temperature=T0 + 30.0,
        speed=0.5,
        pressure_drop=(40e3, M),
    )
    net = loop(dc)
    net.add(dc.leaving_temperature_control(T0 + 36.0))
    res = net.solve(START)
    assert res.controls["saturated"].iloc[0]
    assert res.value("dc", "speed") == pytest.approx(1.0)
    assert res.temperature("b") > T0 + 36.0


def test_water_side_pressure_drop() -> None:
    dc = DryCooler(
        "dc", "a", "b", rating=RATING, ambient_temperature=T0 + 10.0, pressure_drop=(40e3, M)
    )
    res = once_through(dc, T0 + 45.0, m=0.5 * M).solve()
    assert res.components.loc["dc", "dp_Pa"] == pytest.approx(40e3 * 0.25, rel=1e-9)


def test_bad_input_is_named() -> None:
    with pytest.raises(InputError, match="rating must be a DryCoolerRating, got dict"):
        DryCooler("dc", "a", "b", rating={}, ambient_temperature=300.0)
    with pytest.raises(InputError, match="speed must lie between 0 and 1, got 1.2"):
        DryCooler("dc", "a", "b", rating=RATING, ambient_temperature=300.0, speed=1.2)
    with pytest.raises(InputError, match="ambient_temperature must be greater than zero"):
        DryCooler("dc", "a", "b", rating=RATING, ambient_temperature=-5.0)
    with pytest.raises(InputError, match="pressure_drop must be \\(dp_design"):
        DryCooler("dc", "a", "b", rating=RATING, ambient_temperature=300.0, pressure_drop=5.0)
