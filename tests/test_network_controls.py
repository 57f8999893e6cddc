"""Controls as equations: setpoints met, checked against the same network solved with the actuator
fixed at the value found (an independent solve) or against a hand energy balance; unreachable
setpoints reported as saturated."""

from __future__ import annotations

import pytest

from thermo import Coolant
from thermo.errors import InputError
from thermo.network import (
    Control,
    Cooler,
    DifferentialPressure,
    ExpansionTank,
    HeatLoad,
    MassFlow,
    Network,
    NodeTemperature,
    Pipe,
    Pump,
    Valve,
    VolumeFlow,
)

WATER = Coolant("water")
CURVE = [(0.0, 10.0), (5e-4, 9.0), (1e-3, 6.0)]  # head [m] of a small circulator


def two_branch_loop() -> Network:
    """Pump -> (valve a -> load a -> pipe) || (valve b -> load b -> pipe) -> cooler."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", head_curve=CURVE),
        Valve("valve_a", "S", "A", kv=1.0),
        HeatLoad("load_a", "A", "Ha", heat=3000.0),
        Pipe("pipe_a", "Ha", "R", length=2.0, diameter=0.01),
        Valve("valve_b", "S", "B", kv=1.0),
        HeatLoad("load_b", "B", "Hb", heat=1000.0),
        Pipe("pipe_b", "Hb", "R", length=2.0, diameter=0.01),
        Cooler("cooler", "R", "C", outlet_temperature=303.15),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    return net


def assert_closed(result) -> None:
    """Mass and energy close to the solver's own tolerance (scaled residuals below 1e-8)."""
    assert result.converged
    assert result.closure["mass_rel"] < 1e-8
    assert result.closure["energy_rel"] < 1e-8


def control_row(result, name: str):
    return result.controls.loc[name]


# --------------------------------------------------------------------------------------------
# setpoints within reach
# --------------------------------------------------------------------------------------------
def test_pump_speed_holds_a_differential_pressure() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "dp_control",
            component="pump",
            parameter="speed",
            target=DifferentialPressure("S", "R", 50e3),
            lower=0.2,
            upper=1.5,
        )
    )
    result = net.solve()
    assert_closed(result)
    assert result.pressure("S") - result.pressure("R") == pytest.approx(50e3, rel=1e-9)
    row = control_row(result, "dp_control")
    speed = row["value"]
    assert 0.2 < speed < 1.0  # the uncontrolled loop runs at 89 kPa: the pump must slow down
    assert row["achieved"] == pytest.approx(50e3, rel=1e-9) and not row["saturated"]
    assert result.flags == []
    # independent check: the same loop without control, pump speed fixed at the value found
    fixed = two_branch_loop()
    fixed.set_parameter("pump", "speed", speed)
    check = fixed.solve()
    assert check.pressure("S") - check.pressure("R") == pytest.approx(50e3, rel=1e-7)
    assert check.mass_flow("pump") == pytest.approx(result.mass_flow("pump"), rel=1e-7)


def test_heat_of_a_load_holds_a_temperature() -> None:
    """The heat found must equal m (h(T_set) - h(T_in)) for the solved flow (hand balance)."""
    net = two_branch_loop()
    net.add(
        Control(
            "temperature",
            component="load_b",
            parameter="heat",
            target=NodeTemperature("Hb", 308.15),
            lower=0.0,
            upper=1e4,
        )
    )
    result = net.solve()
    assert_closed(result)
    q = control_row(result, "temperature")["value"]
    m = result.mass_flow("load_b")
    expected = m * (WATER.enthalpy(308.15) - WATER.enthalpy(result.temperature("B")))
    assert q == pytest.approx(expected, rel=1e-9)
    assert result.heat("load_b") == pytest.approx(q, rel=1e-9)
    assert result.temperature("Hb") == pytest.approx(308.15, abs=1e-8)
    assert 1000.0 < q < 1e4  # more than the uncontrolled 1 kW


def test_valve_opening_holds_a_mass_flow() -> None:
    """Linear characteristic: Kv(x) = Kv_max (1/R + (1 - 1/R) x); the valve's pressure drop must
    follow the Kv definition dp = 1 bar (rho / 1000) (V / Kv)² at the opening found."""
    net = two_branch_loop()
    net.add(
        Control(
            "flow",
            component="valve_a",
            parameter="opening",
            target=MassFlow("valve_a", 0.1),
            lower=0.0,
            upper=1.0,
        )
    )
    result = net.solve()
    assert_closed(result)
    assert result.mass_flow("valve_a") == pytest.approx(0.1, rel=1e-9)
    x = control_row(result, "flow")["value"]
    assert 0.0 < x < 1.0
    kv = 1.0 * (1 / 50 + (1 - 1 / 50) * x)
    rho = WATER.density(result.temperature("S"))
    v_m3_h = 0.1 / rho * 3600.0
    dp = 1e5 * (rho / 1000.0) * (v_m3_h / kv) ** 2
    assert result.pressure("S") - result.pressure("A") == pytest.approx(dp, rel=1e-7)


def test_pump_speed_holds_mass_and_volume_flow() -> None:
    for target, check in (
        (MassFlow("pump", 0.5), lambda r: r.mass_flow("pump")),
        (
            VolumeFlow("pump", 5e-4),
            lambda r: r.mass_flow("pump") / WATER.density(r.temperature("C")),
        ),
    ):
        net = two_branch_loop()
        net.add(
            Control("c", component="pump", parameter="speed", target=target, lower=0.2, upper=2.0)
        )
        result = net.solve()
        assert_closed(result)
        assert check(result) == pytest.approx(target.value, rel=1e-9)
        assert result.value("pump", "speed") == pytest.approx(control_row(result, "c")["value"])


def test_changed_setpoint_warm_started() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "dp",
            component="pump",
            parameter="speed",
            target=DifferentialPressure("S", "R", 5e4),
            lower=0.2,
            upper=1.5,
        )
    )
    first = net.solve()
    net.set_parameter("dp", "setpoint", 5.5e4)
    second = net.solve(warm_start=first)
    assert second.pressure("S") - second.pressure("R") == pytest.approx(5.5e4, rel=1e-9)
    assert second.report.iterations < first.report.iterations
    assert control_row(second, "dp")["value"] > control_row(first, "dp")["value"]


# --------------------------------------------------------------------------------------------
# setpoints out of reach: saturated, not a convergence failure
# --------------------------------------------------------------------------------------------
def test_unreachable_flow_saturates_the_pump_at_its_upper_speed() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "flow",
            component="pump",
            parameter="speed",
            target=MassFlow("pump", 5.0),
            lower=0.2,
            upper=1.5,
        )
    )
    result = net.solve()
    assert_closed(result)
    row = control_row(result, "flow")
    assert row["saturated"] and row["value"] == pytest.approx(1.5)
    assert row["achieved"] < 5.0
    [flag] = result.flags_of("saturated")
    assert flag.element == "flow"
    # plain words (issue 11): where it is held, and what was achieved of what was asked
    assert "pump.speed held at 1.5 (max)" in flag.message
    assert f"not reached: {row['achieved']:.4g} kg/s of 5 kg/s" in flag.message
    # what the pump delivers at 1.5: the same loop with the speed fixed there
    fixed = two_branch_loop()
    fixed.set_parameter("pump", "speed", 1.5)
    assert fixed.solve().mass_flow("pump") == pytest.approx(row["achieved"], rel=1e-7)


def test_unreachable_flow_saturates_the_pump_at_its_lower_speed() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "flow",
            component="pump",
            parameter="speed",
            target=MassFlow("pump", 0.01),
            lower=0.5,
            upper=1.5,
        )
    )
    result = net.solve()
    assert_closed(result)
    row = control_row(result, "flow")
    assert row["saturated"] and row["value"] == pytest.approx(0.5)
    assert row["achieved"] > 0.01


def test_unreachable_differential_pressure_saturates() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "dp",
            component="pump",
            parameter="speed",
            target=DifferentialPressure("S", "R", 5e5),
            lower=0.2,
            upper=1.5,
        )
    )
    result = net.solve()
    row = control_row(result, "dp")
    assert result.converged and row["saturated"] and row["value"] == pytest.approx(1.5)


def test_unreachable_temperature_saturates_the_heat() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "t",
            component="load_b",
            parameter="heat",
            target=NodeTemperature("Hb", 350.15),
            lower=0.0,
            upper=1e3,
        )
    )
    result = net.solve()
    row = control_row(result, "t")
    assert result.converged and row["saturated"] and row["value"] == pytest.approx(1e3)


def test_unreachable_flow_saturates_the_valve_fully_open() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "flow",
            component="valve_a",
            parameter="opening",
            target=MassFlow("valve_a", 2.0),
            lower=0.0,
            upper=1.0,
        )
    )
    result = net.solve()
    row = control_row(result, "flow")
    assert result.converged and row["saturated"] and row["value"] == pytest.approx(1.0)


def test_valve_opening_holds_a_temperature() -> None:
    net = two_branch_loop()
    net.add(
        Control(
            "t",
            component="valve_a",
            parameter="opening",
            target=NodeTemperature("Ha", 313.15),
            lower=0.0,
            upper=1.0,
        )
    )
    result = net.solve()
    assert result.temperature("Ha") == pytest.approx(313.15, abs=1e-6)


def test_warm_start_releases_and_saturates_again() -> None:
    """A control held at its bound in one solve is freed by the next when its setpoint comes back
    into reach (warm start), and held again when it leaves; closure holds throughout."""
    net = two_branch_loop()
    net.add(
        Control(
            "dp",
            component="pump",
            parameter="speed",
            target=DifferentialPressure("S", "R", 5e5),
            lower=0.2,
            upper=1.5,
        )
    )
    first = net.solve()
    assert control_row(first, "dp")["saturated"]
    assert control_row(first, "dp")["value"] == pytest.approx(1.5)
    net.set_parameter("dp", "setpoint", 50e3)
    second = net.solve(warm_start=first)
    assert_closed(second)
    row = control_row(second, "dp")
    assert not row["saturated"] and 0.2 < row["value"] < 1.5
    assert second.pressure("S") - second.pressure("R") == pytest.approx(50e3, rel=1e-9)
    net.set_parameter("dp", "setpoint", 1e3)  # below what the slowest pump gives
    third = net.solve(warm_start=second)
    assert_closed(third)
    row = control_row(third, "dp")
    assert row["saturated"] and row["value"] == pytest.approx(0.2)
    assert third.pressure("S") - third.pressure("R") > 1e3
    assert any(f.code == "saturated" for f in third.flags)


def test_action_found_from_the_network_and_stated_action_used() -> None:
    """Without ``action`` the sign of the steady-state gain is found at the first converged state:
    pump speed raises a pressure difference (direct); more heat raises a temperature (direct);
    opening the valve of a heated branch lowers its exit temperature (reverse). A stated action
    is kept, and decides saturation as a controller's anti-windup would."""
    net = two_branch_loop()
    dp = Control(
        "dp", component="pump", parameter="speed", target=DifferentialPressure("S", "R", 50e3),
        lower=0.2, upper=1.5,
    )  # fmt: skip
    heat = Control(
        "t_b", component="load_b", parameter="heat", target=NodeTemperature("Hb", 310.15),
        lower=0.0, upper=1e4,
    )  # fmt: skip
    valve = Control(
        "t_a", component="valve_a", parameter="opening", target=NodeTemperature("Ha", 313.15),
        lower=0.0, upper=1.0,
    )  # fmt: skip
    net.add(dp, heat, valve)
    result = net.solve()
    assert_closed(result)
    assert (dp.sign, heat.sign, valve.sign) == (1, 1, -1)
    assert result.temperature("Hb") == pytest.approx(310.15, abs=1e-6)
    assert result.temperature("Ha") == pytest.approx(313.15, abs=1e-6)

    with pytest.raises(InputError, match="action must be 'direct'"):
        Control("x", component="pump", parameter="speed", target=MassFlow("pump", 1.0),
                lower=0.0, upper=1.0, action="up")  # fmt: skip

    # the heat load cannot bring node Hb to 350 °C: a direct-acting control ends at its maximum
    net = two_branch_loop()
    net.add(
        Control(
            "t",
            component="load_b",
            parameter="heat",
            target=NodeTemperature("Hb", 623.15),
            lower=0.0,
            upper=1e3,
            action="direct",
        )  # fmt: skip
    )
    result = net.solve()
    assert_closed(result)
    row = control_row(result, "t")
    assert row["saturated"] and row["value"] == pytest.approx(1e3)
