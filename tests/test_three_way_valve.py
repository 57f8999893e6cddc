"""Three-way valve (two Valve ports with complementary openings): the flow split against the Kv
definition by hand, the analytic Jacobian with a control on the leading port against central
differences, and a temperature held by diverting flow around a heat load's cooler."""

from __future__ import annotations

import numpy as np
import pytest
from test_network_jacobian import assert_jacobian

from thermo import Coolant
from thermo.errors import InputError
from thermo.network import (
    Control,
    Cooler,
    ExpansionTank,
    HeatLoad,
    Network,
    NodeTemperature,
    Pipe,
    PressureBoundary,
    ThreeWayValve,
    Valve,
)

WATER = Coolant("water")
R = 50.0  # default rangeability


def split_network(opening: float) -> Network:
    """A diverting valve between two pressure boundaries: both ports see the same pressure drop."""
    net = Network(coolant=WATER)
    net.add(
        ThreeWayValve("v", "in", "a", "b", kv=10.0, opening=opening),
        PressureBoundary("src", "in", pressure=2.0e5, temperature=303.15),
        PressureBoundary("sink_a", "a", pressure=1.5e5, temperature=303.15),
        PressureBoundary("sink_b", "b", pressure=1.5e5, temperature=303.15),
    )
    return net


@pytest.mark.parametrize("opening", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_split_follows_the_kv_definition(opening: float) -> None:
    res = split_network(opening).solve()
    assert res.converged and res.closure["mass_rel"] < 1e-12
    rho = WATER.density(303.15)
    for branch, x in (("v.a", opening), ("v.b", 1.0 - opening)):
        kv = 10.0 * (1.0 / R + (1.0 - 1.0 / R) * x)  # linear characteristic, IEC 60534-1 Kv
        v_m3_h = kv * np.sqrt(0.5 * 1000.0 / rho)  # dp = 0.5 bar
        assert res.mass_flow(branch) == pytest.approx(v_m3_h / 3600.0 * rho, rel=1e-6)
    # linear ports: the total Kv is the same at every opening
    total = res.mass_flow("v.a") + res.mass_flow("v.b")
    assert total == pytest.approx(
        10.0 * (1 + 1 / R) * np.sqrt(0.5 * 1000 / rho) / 3600 * rho, rel=1e-6
    )


def bypass_loop() -> Network:
    """Pump → load (heats) → diverting valve: port a through a cooler at 20 °C, port b bypass."""
    from thermo.network import Pump

    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "c", "s", pressure_rise=60e3),
        HeatLoad("load", "s", "h", heat=20e3),
        ThreeWayValve("v", "h", "a", "b", kv=3.0, opening=0.5),
        Cooler("cooler", "a", "ca", outlet_temperature=293.15),
        Pipe("coil", "ca", "m", length=5.0, diameter=0.02),
        Pipe("bypass", "b", "m", length=5.0, diameter=0.02),
        Pipe("back", "m", "c", length=2.0, diameter=0.02),
        ExpansionTank("tank", "c", pressure=2e5),
    )
    return net


def test_control_on_the_leading_port_holds_a_mixed_temperature() -> None:
    net = bypass_loop()
    net.add(
        Control(
            "t",
            component="v.a",
            parameter="opening",
            target=NodeTemperature("c", 303.15),
            lower=0.0,
            upper=1.0,
        )  # fmt: skip
    )
    res = net.solve()
    assert res.converged and res.closure["energy_rel"] < 1e-8
    assert res.temperature("c") == pytest.approx(303.15, abs=1e-6)
    row = res.controls.loc["t"]
    assert 0.0 < row["value"] < 1.0 and not row["saturated"]
    assert net["t"].sign == -1  # more flow through the cooler: colder mix (reverse acting)
    comps = res.components
    assert comps.loc["v.b", "opening"] == pytest.approx(1.0 - row["value"], abs=1e-12)
    # the mix by hand: m_a at 20 °C and m_b at the load outlet give 30 °C
    m_a, m_b = res.mass_flow("v.a"), res.mass_flow("v.b")
    t_h = res.temperature("h")
    t_mix = (m_a * 293.15 + m_b * t_h) / (m_a + m_b)
    assert t_mix == pytest.approx(303.15, abs=0.05)  # cp varies < 0.1 % over 20–40 °C
    assert_jacobian(net.system(), res.state)


def test_follower_is_not_controllable_and_needs_a_leader() -> None:
    net = bypass_loop()
    net.add(
        Control(
            "t",
            component="v.b",
            parameter="opening",
            target=NodeTemperature("c", 303.15),
            lower=0.0,
            upper=1.0,
        )  # fmt: skip
    )
    with pytest.raises(InputError, match="no controllable parameter 'opening'"):
        net.solve()
    lone = Network(coolant=WATER)
    lone.add(
        Valve("x", "in", "out", kv=1.0, complement_of="nobody"),
        PressureBoundary("p1", "in", pressure=2e5, temperature=300.0),
        PressureBoundary("p2", "out", pressure=1e5, temperature=300.0),
    )
    with pytest.raises(InputError, match="mirrors 'nobody'"):
        lone.solve()
