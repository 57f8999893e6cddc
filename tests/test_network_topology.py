"""Networks that cannot be solved as drawn, and bad component input: named errors, pinned text."""

from __future__ import annotations

import pytest

from thermo import Coolant
from thermo.errors import ConvergenceError, InputError, TopologyError
from thermo.network import (
    Control,
    Cooler,
    ExpansionTank,
    FlowSource,
    HeatExchanger,
    HeatLoad,
    MassFlow,
    Network,
    Pipe,
    PressureBoundary,
    Pump,
    Valve,
)

WATER = Coolant("water")


def loop(net: Network, suffix: str = "", tank: bool = True) -> Network:
    """A closed loop pump -> pipe -> load -> cooler, with or without its expansion tank."""
    net.add(
        Pump(f"pump{suffix}", f"C{suffix}", f"S{suffix}", pressure_rise=2e4),
        Pipe(f"pipe{suffix}", f"S{suffix}", f"H{suffix}", length=2.0, diameter=0.01),
        HeatLoad(f"load{suffix}", f"H{suffix}", f"R{suffix}", heat=1000.0),
        Cooler(f"cooler{suffix}", f"R{suffix}", f"C{suffix}", outlet_temperature=303.15),
    )
    if tank:
        net.add(ExpansionTank(f"tank{suffix}", f"C{suffix}", pressure=2e5))
    return net


def test_a_valid_loop_solves() -> None:
    """Reference point for the failures below: the same loop, complete, solves."""
    result = loop(Network(coolant=WATER)).solve()
    assert result.converged
    # energy closure to the solver's tolerance (1e-8 K of the flow through each node; the
    # exact cooler of issue 11 ends this solve one Newton step earlier, at 3e-9)
    assert result.closure["mass_rel"] < 1e-9 and result.closure["energy_rel"] < 1e-8
    assert result.heat("load") == pytest.approx(1000.0, rel=1e-9)


def test_a_dead_end_solves_with_no_flow_and_is_flagged() -> None:
    """A node joined by one branch only (issue 14): accepted, zero flow, flagged loudly."""
    net = loop(Network(coolant=WATER))
    net.add(Pipe("stub", "S", "dead_end", length=1.0, diameter=0.01))
    result = net.solve()
    assert abs(result.mass_flow("stub")) < 1e-12
    assert result.pressure("dead_end") == pytest.approx(result.pressure("S"), abs=1e-6)
    assert [f.element for f in result.flags_of("dead_end")] == ["dead_end"]
    assert result.closure["mass_rel"] < 1e-9 and result.closure["energy_rel"] < 1e-9


def test_unconnected_port_names_the_node_and_the_component() -> None:
    """A node held only by a boundary element has nothing to connect it: still an error."""
    net = loop(Network(coolant=WATER))
    net.add(FlowSource("lonely", "nowhere", mass_flow=0.0, temperature=300.0))
    with pytest.raises(
        TopologyError, match=r"unconnected port\(s\): node 'nowhere' \(only lonely\)"
    ) as info:
        net.solve()
    assert info.value.elements == ["lonely"]
    assert isinstance(info.value, InputError)  # catchable as bad input, and as ValueError
    assert isinstance(info.value, ValueError)


def test_isolated_sub_network_without_pressure_reference() -> None:
    net = loop(Network(coolant=WATER))
    loop(net, suffix="_b", tank=False)  # a second, separate loop without a tank
    with pytest.raises(
        TopologyError,
        match=r"the loop of pump_b, pipe_b, load_b, cooler_b has no pressure reference: add an "
        r"ExpansionTank",
    ) as info:
        net.solve()
    assert info.value.elements == ["pump_b", "pipe_b", "load_b", "cooler_b"]


def test_two_separate_loops_each_with_a_tank_solve() -> None:
    net = loop(Network(coolant=WATER))
    loop(net, suffix="_b")
    result = net.solve()
    assert result.converged
    assert result.mass_flow("pump") == pytest.approx(result.mass_flow("pump_b"), rel=1e-9)
    assert result.closure["energy_rel"] < 1e-8  # solver tolerance, see test_a_valid_loop_solves


def test_loop_without_pump_or_pressure_source() -> None:
    net = Network(coolant=WATER)
    net.add(
        Pipe("a", "S", "H", length=1.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=500.0),
        Cooler("cooler", "R", "S", outlet_temperature=300.0),
        ExpansionTank("tank", "S", pressure=2e5),
    )
    with pytest.raises(
        TopologyError, match=r"nothing drives flow in the loop of a, load, cooler: add a Pump"
    ) as info:
        net.solve()
    assert info.value.elements == ["a", "load", "cooler"]


def test_two_pressure_boundaries_drive_an_open_network() -> None:
    """Not an error: two pressure boundaries drive flow without a pump."""
    net = Network(coolant=WATER)
    net.add(
        PressureBoundary("in", "A", pressure=2.1e5, temperature=300.0),
        Pipe("a", "A", "B", length=1.0, diameter=0.01),
        PressureBoundary("out", "B", pressure=2e5, temperature=300.0),
    )
    result = net.solve()
    assert result.mass_flow("a") > 0.1
    assert result.closure["mass_rel"] < 1e-12


def test_two_expansion_tanks_in_one_loop() -> None:
    net = loop(Network(coolant=WATER))
    net.add(ExpansionTank("second_tank", "S", pressure=2e5))
    with pytest.raises(TopologyError, match=r"tank.*second_tank"):
        net.solve()


def test_duplicate_names() -> None:
    net = Network(coolant=WATER)
    net.add(Pipe("a", "S", "C", length=1.0, diameter=0.01))
    with pytest.raises(InputError, match=r"duplicate component name 'a'"):
        net.add(Pipe("a", "C", "S", length=1.0, diameter=0.01))
    # a control may not share a component's name either
    with pytest.raises(InputError, match=r"duplicate component name 'a'"):
        net.add(
            Control(
                "a", component="a", parameter="speed", target=MassFlow("a", 1.0), lower=0, upper=1
            )
        )
    # nor may a heat exchanger side collide with an existing branch
    net.add(Pipe("hx.hot", "S", "X", length=1.0, diameter=0.01))
    with pytest.raises(InputError, match=r"duplicate component name 'hx.hot'"):
        net.add(
            HeatExchanger(
                "hx", hot_inlet="P", hot_outlet="Q", cold_inlet="U", cold_outlet="V", ua=10.0
            )
        )


def test_component_connected_to_itself() -> None:
    with pytest.raises(
        TopologyError, match=r"pipe is connected to itself: inlet and outlet are both node 'S'"
    ) as info:
        Network(coolant=WATER).add(Pipe("pipe", "S", "S", length=1.0, diameter=0.01))
    assert info.value.elements == ["pipe"]


def test_empty_network() -> None:
    with pytest.raises(TopologyError, match=r"has no two-port components"):
        Network(coolant=WATER).solve()


def test_missing_coolant() -> None:
    with pytest.raises(InputError, match=r"no coolant for the loop of node 'C': pass Network"):
        loop(Network()).solve()


def test_two_coolants_in_one_loop() -> None:
    net = loop(Network())
    net.add(FlowSource("fill", "S", mass_flow=0.0, temperature=300.0, coolant=Coolant("water")))
    net["tank"].coolant = Coolant("PG25")
    with pytest.raises(InputError, match=r"loop of fill has two coolants"):
        net.solve()


def test_loops_with_their_own_coolants() -> None:
    """Not an error: each loop's tank names its coolant; the network default is not needed."""
    net = Network()
    loop(net, suffix="_w")
    loop(net, suffix="_g")
    net["tank_w"].coolant = WATER
    net["tank_g"].coolant = Coolant("PG25")
    result = net.solve()
    assert result.nodes.loc["C_w", "coolant"] != result.nodes.loc["C_g", "coolant"]
    # same pump and pipe, more viscous and less dense glycol: less mass flow
    assert result.mass_flow("pump_g") < result.mass_flow("pump_w")


def test_adding_something_that_is_not_a_component() -> None:
    with pytest.raises(InputError, match=r"cannot add str 'pipe' to a network"):
        Network(coolant=WATER).add("pipe")


def test_lookup_of_unknown_component() -> None:
    with pytest.raises(KeyError, match=r"no component named 'nope'"):
        loop(Network(coolant=WATER))["nope"]


# --------------------------------------------------------------------------------------------
# controls that cannot be bound
# --------------------------------------------------------------------------------------------
def test_control_on_unknown_component() -> None:
    net = loop(Network(coolant=WATER))
    net.add(
        Control(
            "c",
            component="nope",
            parameter="speed",
            target=MassFlow("pipe", 0.1),
            lower=0.1,
            upper=1.5,
        )
    )
    with pytest.raises(InputError, match=r"control acts on unknown component 'nope'"):
        net.solve()


def test_control_of_a_parameter_that_is_not_controllable() -> None:
    net = loop(Network(coolant=WATER))
    net.add(
        Control(
            "c",
            component="pipe",
            parameter="speed",
            target=MassFlow("pipe", 0.1),
            lower=0.1,
            upper=1.5,
        )
    )
    with pytest.raises(
        InputError,
        match=r"Pipe 'pipe' has no controllable parameter 'speed' \(controllable: nothing\)",
    ):
        net.solve()


def test_control_target_unknown() -> None:
    net = loop(Network(coolant=WATER))
    net.add(
        Control(
            "c",
            component="pump",
            parameter="speed",
            target=MassFlow("nope", 0.1),
            lower=0.1,
            upper=1.5,
        )
    )
    with pytest.raises(InputError, match=r"control target refers to unknown element 'nope'"):
        net.solve()


def test_two_controls_on_one_component() -> None:
    net = loop(Network(coolant=WATER))
    net.add(
        Control(
            "c1",
            component="pump",
            parameter="speed",
            target=MassFlow("pipe", 0.1),
            lower=0.1,
            upper=2.0,
        ),
        Control(
            "c2",
            component="pump",
            parameter="speed",
            target=MassFlow("pipe", 0.2),
            lower=0.1,
            upper=2.0,
        ),
    )
    with pytest.raises(InputError, match=r"component 'pump' has two controls"):
        net.solve()


def test_control_bounds_and_target_type() -> None:
    with pytest.raises(InputError, match=r"bounds must be finite with lower < upper, got \[2, 1\]"):
        Control(
            "c", component="pump", parameter="speed", target=MassFlow("p", 0.1), lower=2, upper=1
        )
    with pytest.raises(InputError, match=r"target must be DifferentialPressure, MassFlow"):
        Control("c", component="pump", parameter="speed", target=0.1, lower=0, upper=1)


def test_set_parameter_errors() -> None:
    net = loop(Network(coolant=WATER))
    with pytest.raises(InputError, match=r"Pipe 'pipe' has no parameter 'speed'"):
        net.set_parameter("pipe", "speed", 1.0)
    net.add(
        Control(
            "c",
            component="pump",
            parameter="speed",
            target=MassFlow("pipe", 0.1),
            lower=0.1,
            upper=2.0,
        )
    )
    with pytest.raises(
        InputError, match=r"a control's parameter is 'setpoint', 'lower' or 'upper'"
    ):
        net.set_parameter("c", "gain", 1.0)


# --------------------------------------------------------------------------------------------
# component input
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (
            lambda: Pipe("p", "a", "b", length="3 m", diameter=0.01),
            r"`p.length`: length must be a number in SI units, got str '3 m'",
        ),
        (
            lambda: Pipe("p", "a", "b", length=1.0, diameter=-0.01),
            r"diameter must be greater than zero, got -0.01",
        ),
        (
            lambda: Pipe("p", "a", "b", length=1.0, diameter=0.001, roughness=1e-4),
            r"relative roughness 0.1 exceeds 0.05",
        ),
        (
            lambda: Pipe("p", "a", "b", length=1.0, diameter=0.01, heat_transfer_coefficient=5.0),
            r"ambient_temperature is required",
        ),
        (
            lambda: Pipe("", "a", "b", length=1.0, diameter=0.01),
            r"component name must be a non-empty string",
        ),
        (
            lambda: Pipe("p", "", "b", length=1.0, diameter=0.01),
            r"`p.inlet`: inlet must be a node name",
        ),
        (lambda: Pump("p", "a", "b"), r"give exactly one of head_curve"),
        (
            lambda: Pump("p", "a", "b", pressure_rise=1e4, head_curve=[(0, 1), (1, 0)]),
            r"give exactly one of head_curve",
        ),
        (
            lambda: Pump("p", "a", "b", head_curve=[(0.0, 1.0)]),
            r"head_curve needs at least 2 points",
        ),
        (
            lambda: Pump("p", "a", "b", head_curve=[(0.0, 1.0), (0.0, 2.0)]),
            r"flows must be non-negative and distinct",
        ),
        (
            lambda: Pump("p", "a", "b", pressure_rise=1e4, count=0),
            r"count must be a whole number >= 1",
        ),
        (lambda: Valve("v", "a", "b", kv=1.0, k=1.0, diameter=0.01), r"give exactly one of kv"),
        (lambda: Valve("v", "a", "b", k=1.0), r"k needs the diameter it refers to"),
        (
            lambda: Valve("v", "a", "b", kv=1.0, opening=1.5),
            r"opening must lie between 0 and 1, got 1.5",
        ),
        (
            lambda: Valve("v", "a", "b", kv=1.0, characteristic="quick"),
            r"characteristic must be 'linear' or 'equal_percentage'",
        ),
        (
            lambda: HeatLoad("q", "a", "b", heat=float("nan")),
            r"heat must be a finite number \[W\], got nan",
        ),
        (
            lambda: Cooler("c", "a", "b", outlet_temperature=-5.0),
            r"outlet_temperature must be greater than zero",
        ),
        (
            lambda: ExpansionTank("t", "a", pressure=0.0),
            r"pressure must be greater than zero, got 0",
        ),
        (
            lambda: HeatExchanger(
                "hx",
                hot_inlet="a",
                hot_outlet="b",
                cold_inlet="c",
                cold_outlet="d",
                ua=10.0,
                arrangement="shell",
            ),
            r"arrangement must be one of counterflow",
        ),
        (
            lambda: HeatExchanger(
                "hx", hot_inlet="a", hot_outlet="b", cold_inlet="c", cold_outlet="d", ua=-1.0
            ),
            r"ua must be greater than zero, got -1",
        ),
        (
            lambda: HeatExchanger(
                "hx",
                hot_inlet="a",
                hot_outlet="b",
                cold_inlet="c",
                cold_outlet="d",
                ua=1.0,
                hot_pressure_drop=5e3,
            ),
            r"pressure drop must be \(dp_design \[Pa\], m_design \[kg/s\]\)",
        ),
    ],
)
def test_bad_component_input(make, match: str) -> None:
    with pytest.raises(InputError, match=match):
        make()


def test_a_network_that_cannot_converge_raises_a_named_error() -> None:
    """Named failure, not a crash: ConvergenceError is a ThermoError, not an InputError."""
    from thermo.errors import ThermoError
    from thermo.network import SolverOptions

    net = loop(Network(coolant=WATER))
    with pytest.raises(ConvergenceError) as info:
        net.solve(SolverOptions(max_iterations=1))
    assert isinstance(info.value, ThermoError) and not isinstance(info.value, InputError)
