"""Failure behaviour, physical flags and warm starts of network solves."""

from __future__ import annotations

import pytest

from thermo import Coolant
from thermo.errors import ConvergenceError, Residual
from thermo.network import (
    Cooler,
    ExpansionTank,
    HeatExchanger,
    HeatLoad,
    Network,
    Pipe,
    Pump,
    Results,
    SolverOptions,
)

WATER = Coolant("water")


def loop(
    heat: float = 5e3,
    *,
    setpoint: float = 303.15,
    capacity: float | None = None,
    pressure: float = 3e5,
    pump: Pump | None = None,
) -> Network:
    net = Network(coolant=WATER)
    net.add(
        pump or Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=heat),
        Cooler("cooler", "R", "C", outlet_temperature=setpoint, capacity=capacity),
        ExpansionTank("tank", "C", pressure=pressure),
    )
    return net


def assert_closed(result) -> None:
    assert result.converged
    assert result.closure["mass_rel"] < 1e-9
    assert result.closure["energy_rel"] < 1e-9


# --------------------------------------------------------------------------------------------
# failure
# --------------------------------------------------------------------------------------------
def test_iteration_limit_raises_with_named_worst_residuals() -> None:
    net = loop()
    with pytest.raises(
        ConvergenceError,
        match=r"no convergence after 2 iterations; worst residuals: [\w ]+: "
        r"(energy balance|mass balance|pressure drop law) = ",
    ) as info:
        net.solve(SolverOptions(max_iterations=2))
    err = info.value
    assert err.worst and all(isinstance(r, Residual) for r in err.worst)
    names = {"node C", "node S", "node H", "node R", "pipe", "pump", "load", "cooler", "tank"}
    assert all(any(r.name.startswith(n) for n in names) for r in err.worst)
    assert abs(err.worst[0].value) >= abs(err.worst[-1].value)  # largest first
    assert isinstance(err.result, Results) and not err.result.converged
    assert err.iterations >= 2


def test_no_steady_state_raises() -> None:
    """A loop that only loses heat (the load removes 5 kW, a cooler cannot heat) has no steady
    state: the solver must say so, not return a temperature."""
    net = loop(heat=-5e3)
    with pytest.raises(ConvergenceError, match=r"worst residuals: .*energy balance"):
        net.solve()


def test_strict_false_returns_the_partial_result() -> None:
    net = loop()
    result = net.solve(SolverOptions(max_iterations=2), strict=False)
    assert result.report.converged is False and result.converged is False
    assert result.report.message == "no convergence after 2 iterations"
    assert result.report.residual_norm > SolverOptions().tolerance
    assert result.report.worst[0].name.split(":")[0] in {f"node {n}" for n in "CSHR"} | {
        "pipe",
        "pump",
    }
    # tables are there for diagnosis
    assert list(result.nodes.index) == ["C", "S", "H", "R"]
    assert result.to_dict()["solver"]["converged"] is False
    # and the same network then solves normally
    assert net.solve().converged


# --------------------------------------------------------------------------------------------
# flags
# --------------------------------------------------------------------------------------------
def test_no_flags_in_a_normal_loop() -> None:
    result = loop().solve()
    assert_closed(result)
    assert result.flags == []


def test_friction_beyond_the_moody_chart_is_flagged_not_warned() -> None:
    # hot water in a 1 m pipe at ~35 m/s: Re > 1e8, outside Moody's chart (Colebrook
    # extrapolated)
    import warnings

    from fluids.core import Reynolds

    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=8e4),
        Pipe("pipe", "S", "H", length=10.0, diameter=1.0),
        HeatLoad("load", "H", "R", heat=5e6),
        Cooler("cooler", "R", "C", outlet_temperature=363.15),
        ExpansionTank("tank", "C", pressure=3e5),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # iterates must not warn
        result = net.solve()
    assert_closed(result)
    m = result.mass_flow("pipe")
    T = 363.15
    rho, mu = float(WATER.density(T)), float(WATER.viscosity(T))
    re = Reynolds(V=m / rho / (3.141592653589793 * 0.5**2), D=1.0, rho=rho, mu=mu)
    assert re > 1e8
    flags = result.flags_of("friction_extrapolated")
    assert [f.element for f in flags] == ["pipe"]
    assert "exceeds 1e+08" in flags[0].message


def test_above_the_coolant_maximum_temperature() -> None:
    """Water is valid to 150 °C here; a 145 °C cooler setpoint plus 10 kW gives about 160 °C
    after the load (10 bar, so not boiling). The solution itself must still be right (the
    iterate window reaches 15 K beyond the range): check it against Q = m (h_R - h_H)."""
    result = loop(10e3, setpoint=418.15, pressure=1e6).solve()
    assert_closed(result)
    T_R = result.temperature("R")
    assert WATER.max_temperature < T_R < WATER.max_temperature + 15.0
    assert result.mass_flow("load") * (
        WATER.enthalpy(T_R, check=False) - WATER.enthalpy(result.temperature("H"))
    ) == pytest.approx(10e3, rel=1e-9)
    [flag] = result.flags
    assert (flag.element, flag.code) == ("R", "above_max_temperature")
    assert "is above its highest valid temperature 150.00 °C" in flag.message


def test_below_the_coolant_minimum_temperature() -> None:
    result = loop(2e3, setpoint=268.15).solve()
    assert_closed(result)
    flags = result.flags_of("below_min_temperature")
    assert {f.element for f in flags} == {"C", "S", "H", "R"}  # R: -5 °C + 2 kW / (m cp)
    assert "freezing point 0.00 °C" in flags[0].message


def test_boiling_is_flagged() -> None:
    """The same 160 °C at 3 bar absolute is above the saturation temperature (133.5 °C)."""
    result = loop(10e3, setpoint=418.15, pressure=3e5).solve()
    assert {(f.element, f.code) for f in result.flags} >= {("R", "boiling")}


def test_pump_beyond_its_curve() -> None:
    """Datasheet points to 0.2 L/s; a short wide pipe lets the pump run beyond them."""
    pump = Pump("pump", "C", "S", head_curve=[(0.0, 3.0), (1e-4, 2.5), (2e-4, 1.5)])
    net = Network(coolant=WATER)
    net.add(
        pump,
        Pipe("pipe", "S", "H", length=0.5, diameter=0.02),
        HeatLoad("load", "H", "R", heat=500.0),
        Cooler("cooler", "R", "C", outlet_temperature=303.15),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    volume_flow = result.components.loc["pump", "V_dot_m3_s"]
    assert volume_flow > 2e-4
    codes = {f.code for f in result.flags if f.element == "pump"}
    assert "beyond_curve" in codes
    [flag] = [f for f in result.flags if f.code == "beyond_curve"]
    assert "beyond the last datasheet point (12 L/min at this speed)" in flag.message
    # the head reported is the extrapolated quadratic at that flow
    assert result.value("pump", "head_m") == pytest.approx(pump.head(volume_flow), rel=1e-6)


def test_heat_exchanger_temperature_cross() -> None:
    """Counterflow with a large UA and nearly balanced flows: the cold outlet leaves warmer than
    the hot outlet, which only pure counterflow can do."""
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=1e4),
        Pipe("pipe1", "S1", "L1", length=5.0, diameter=0.015),
        HeatLoad("load", "L1", "H1", heat=20e3),
        HeatExchanger(
            "hx", hot_inlet="H1", hot_outlet="C1", cold_inlet="S2", cold_outlet="H2", ua=2e4
        ),
        Pump("p2", "C2", "P2", pressure_rise=1e4),
        Pipe("pipe2", "P2", "S2", length=5.0, diameter=0.015),
        Cooler("cooler", "H2", "C2", outlet_temperature=293.15),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    assert result.temperature("H2") > result.temperature("C1")
    [flag] = result.flags_of("temperature_cross")
    assert flag.element == "hx.cold" and "needs pure counterflow" in flag.message


def test_cooler_at_capacity() -> None:
    """Two coolers in series: the first is limited to 3 kW, the second (setpoint 35 °C) removes
    the remaining 2 kW of the 5 kW load."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=5e3),
        Cooler("limited", "R", "M", outlet_temperature=303.15, capacity=3e3),
        Cooler("trim", "M", "C", outlet_temperature=308.15),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    assert result.heat("limited") == pytest.approx(-3e3, rel=1e-9)
    assert result.heat("trim") == pytest.approx(-2e3, rel=1e-7)
    assert result.temperature("M") > 303.15  # the limited cooler misses its setpoint
    [flag] = result.flags_of("saturated")
    assert flag.element == "limited" and "cooler at its capacity" in flag.message


def test_load_that_cannot_be_removed() -> None:
    """5 kW in, at most 2 kW out: no steady state. Either the solve fails, or, if it stops on
    the clipped temperatures of the iterate window, the load (which then delivers less than its
    5 kW) must be flagged: never a silently wrong heat balance."""
    result = loop(5e3, capacity=2e3).solve(strict=False)
    assert not result.converged or any(f.element == "load" for f in result.flags)
    assert result.flags_of("saturated")  # the cooler at its capacity is reported either way


# --------------------------------------------------------------------------------------------
# warm start
# --------------------------------------------------------------------------------------------
def test_warm_start_after_a_small_change_needs_fewer_iterations() -> None:
    net = loop(5e3)
    first = net.solve()
    net.set_parameter("load", "heat", 5.25e3)
    warm = net.solve(warm_start=first)
    cold = loop(5.25e3).solve()  # the same network solved from scratch
    assert_closed(warm)
    assert warm.report.iterations < cold.report.iterations
    assert warm.temperature("R") == pytest.approx(cold.temperature("R"), abs=1e-8)
    assert warm.temperature("R") > first.temperature("R")  # something changed
    assert warm.heat("load") == pytest.approx(5.25e3, rel=1e-9)


def test_warm_start_from_another_network_is_ignored() -> None:
    """A state of a different size cannot seed this network: it falls back to a cold start."""
    other = Network(coolant=WATER)
    other.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "C", length=5.0, diameter=0.01),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    seed = other.solve(SolverOptions(initial_temperature=303.15))  # isothermal: stated
    result = loop().solve(warm_start=seed)
    assert_closed(result)
    assert result.heat("load") == pytest.approx(5e3, rel=1e-9)


def test_load_starved_of_flow_fails_naming_the_load() -> None:
    """A 500 W load on a 2 mm capillary gets 0.2 g/s: its exit would be ~600 K above its inlet,
    beyond the range the coolant can be evaluated in, so it could deliver only part of its heat.
    Its exit mixes into the main flow at R, which stays at 30 °C: no node is out of range. A
    state that loses heat at a clipped temperature is not a solution (issue 11, item 1): the
    solve fails naming the load, the quantity and the range; the partial result flags the load
    ``heat_not_delivered``."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("main", "S", "R", length=2.0, diameter=0.02),
        Pipe("capillary", "S", "M", length=50.0, diameter=0.002),
        HeatLoad("load", "M", "R", heat=500.0),
        Cooler("cooler", "R", "C", outlet_temperature=303.15),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    with pytest.raises(
        ConvergenceError,
        match=r"no solution within the range of water: load: exit temperature would be above "
        r"165.00 °C.*valid range 0.01 to 150.00 °C",
    ):
        net.solve()
    result = net.solve(strict=False)
    assert not result.converged
    delivered = result.heat("load")
    assert 0.0 < delivered < 400.0
    # what was delivered is balanced by the cooler (the residuals vanish), but not the 500 W
    assert result.heat("cooler") == pytest.approx(-delivered, rel=1e-7)
    assert result.closure["mass_rel"] < 1e-9 and result.closure["energy_rel"] < 1e-9
    [flag] = result.flags_of("heat_not_delivered")
    assert flag.element == "load"
    assert f"{delivered:.4g} W of the specified 500 W" in flag.message


def test_cold_plate_on_an_absurd_hose_is_not_converged() -> None:
    """A cold plate fed through a 1e15 m hose (issue 11, item 9) gets almost no flow: the solve
    must not report a converged case temperature of thousands of °C; the partial result flags
    the plate ``heat_not_delivered`` (plates used to drop HeatLoad's flag)."""
    from thermo.components.cold_plate import ColdPlate

    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("main", "S", "R", length=2.0, diameter=0.02),
        Pipe("hose", "S", "M", length=1e15, diameter=0.01),
        ColdPlate("plate", "M", "R", heat=1000.0),
        Cooler("cooler", "R", "C", outlet_temperature=303.15),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    with pytest.raises(ConvergenceError, match=r"plate: exit temperature would be above"):
        net.solve()
    result = net.solve(strict=False)
    assert [f.element for f in result.flags_of("heat_not_delivered")] == ["plate"]


def test_loop_without_a_heat_sink_fails_naming_the_cause() -> None:
    """Pump, pipe and a 5 kW load, no cooler: no steady state. Before issue 11 the temperatures
    ran to the top of the iterate window and the load's heat was clipped away with a converged
    report; now the loop is refused before solving (nothing sets its temperature), and with a
    stated start temperature the solve fails asking for a heat sink."""
    from thermo.errors import InputError

    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "C", heat=5e3),
        ExpansionTank("tank", "C", pressure=3e5),
    )
    with pytest.raises(InputError, match=r"the loop of pump, pipe, load has no temperature ref"):
        net.solve()
    with pytest.raises(ConvergenceError) as info:
        net.solve(SolverOptions(initial_temperature=303.15))
    assert "heat sink" in str(info.value) or "energy balance" in str(info.value)


def test_cooler_setpoint_outside_the_coolant_range_is_named() -> None:
    """A PG25 loop with its cooler set to 140 °C (issue 11, item 1) or below PG25's freezing
    point (item 13): the failure names the cooler's setpoint and the coolant's range."""
    pg = Coolant("PG25")
    for setpoint, words in ((413.15, "above the highest valid"), (243.15, "below the lowest")):
        net = Network(coolant=pg)
        net.add(
            Pump("pump", "C", "S", pressure_rise=2e4),
            Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
            HeatLoad("load", "H", "R", heat=5e3),
            Cooler("cooler", "R", "C", outlet_temperature=setpoint),
            ExpansionTank("tank", "C", pressure=3e5),
        )
        with pytest.raises(ConvergenceError, match=rf"cooler.outlet_temperature = .* {words}"):
            net.solve()
