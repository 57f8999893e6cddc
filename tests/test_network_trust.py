"""Issue 11 ("every number thermo prints is right, or it says loudly why not"): network results
against hand balances (energy in = energy out), each with mass and energy closure.

References are conservation laws and exact statements of the models (an ideal cooler removes
exactly ``max(0, m (h(T_in) - h(T_set)))``), never thermo's own earlier output.
"""

from __future__ import annotations

import pytest

from thermo import Coolant
from thermo.network import Cooler, ExpansionTank, HeatLoad, Network, Pipe, Pump
from thermo.network.results import CLOSURE_TOLERANCE

WATER = Coolant("water")
T_SET = 303.15


def assert_closed(result, tol: float = 1e-9) -> None:
    assert result.converged
    assert result.closure["mass_rel"] < tol
    assert result.closure["energy_rel"] < tol


def loop(heat: float, *, setpoint: float = T_SET, coolant=WATER) -> Network:
    net = Network(coolant=coolant)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=heat),
        Cooler("cooler", "R", "C", outlet_temperature=setpoint),
        ExpansionTank("tank", "C", pressure=3e5),
    )
    return net


# --------------------------------------------------------------------------------------------
# items 2 and 10: the ideal cooler removes exactly max(0, heat needed); zero heat converges
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("heat", [5e3, 100.0, 1.0, 1e-3, 0.0])
def test_ideal_cooler_removes_exactly_the_load(heat: float) -> None:
    """Before: a 100 W load left the cooler 0.14 mK below its setpoint, 1 W 14 mK below, and
    1 mW / 0 W did not converge (smoothed switch). Now the outlet is the setpoint to the solver
    tolerance and the cooler removes the load: energy in = energy out."""
    result = loop(heat).solve()
    assert_closed(result)
    assert result.temperature("C") == pytest.approx(T_SET, abs=1e-9)
    assert result.exit_temperature("cooler") == pytest.approx(T_SET, abs=1e-12)
    m = result.mass_flow("cooler")
    # the solver's energy tolerance is 1e-8 K of the flow through a node
    assert result.heat("cooler") == pytest.approx(-heat, abs=1e-8 * m * 4200.0)
    assert result.heat("load") == pytest.approx(heat, rel=1e-12)


def test_cooler_below_its_setpoint_removes_nothing() -> None:
    """Two coolers in series, 25 °C then 30 °C: the second receives 25 °C water and must pass it
    unchanged (before: the smooth switch took ~3 mW and cooled it by 5 µK)."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=2e3),
        Cooler("cold", "R", "M", outlet_temperature=298.15),
        Cooler("warm", "M", "C", outlet_temperature=T_SET),
        ExpansionTank("tank", "C", pressure=3e5),
    )
    result = net.solve()
    assert_closed(result)
    assert result.heat("warm") == 0.0
    assert result.temperature("C") == pytest.approx(298.15, abs=1e-9)
    assert result.heat("cold") == pytest.approx(-2e3, rel=1e-9)


def test_idle_loop_settles_on_the_setpoint() -> None:
    """No load at all: the loop settles exactly at the setpoint and nothing is removed."""
    result = loop(0.0).solve()
    assert_closed(result)
    assert result.nodes["T_K"].to_numpy() == pytest.approx(T_SET, abs=1e-9)
    assert abs(result.heat("cooler")) < 1e-6
    assert result.summary["heat_removed_W"] < 1e-6


def test_closure_of_an_idle_loop_is_measured_on_its_flow() -> None:
    """The energy closure of a loop that carries no heat is its imbalance over the flow times
    1 K of heating (the solver's energy tolerance is in kelvin), not over its vanishing heat:
    before, a converged 0 W loop reported energy_rel = 1."""
    result = loop(0.0).solve()
    assert result.closure["energy_rel"] < CLOSURE_TOLERANCE


# --------------------------------------------------------------------------------------------
# item 11: the hottest fluid includes every branch outlet
# --------------------------------------------------------------------------------------------
def test_max_temperature_sees_a_trickle_through_a_closed_valve() -> None:
    """A valve at opening 0 still leaks a trickle into a 1 kW load (Kv residual of the valve
    law); the load's outlet is far hotter than the node it mixes into. Before: max_temperature_C
    said 30.0 °C (nodes only). The outlet is checked against Q = m (h_out - h_in) by hand."""
    from thermo.network import Valve

    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("main", "S", "R", length=2.0, diameter=0.02),
        Valve("valve", "S", "V", kv=1.0, opening=0.0),
        HeatLoad("load", "V", "R", heat=1e3),
        Cooler("cooler", "R", "C", outlet_temperature=T_SET),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    m = result.mass_flow("load")
    assert 0.0 < m < 0.01
    T_out = result.exit_temperature("load")
    h_in = WATER.enthalpy(result.temperature("V"))
    assert m * (WATER.enthalpy(T_out) - h_in) == pytest.approx(1e3, rel=1e-9)
    assert T_out > 373.15  # above 100 °C
    assert result.summary["max_temperature_C"] == pytest.approx(T_out - 273.15, abs=1e-9)
    assert result.nodes["T_C"].max() < 31.0  # no node shows it
    # 126 °C at 2 bar boils (saturation 120.2 °C, CoolProp): flagged on the load itself
    assert [f.element for f in result.flags_of("boiling")] == ["load"]


# --------------------------------------------------------------------------------------------
# item 3: summary heat counts external sources and sinks only
# --------------------------------------------------------------------------------------------
def test_summary_heat_counts_an_exchanger_duty_once() -> None:
    """A 20 kW load, an exchanger to a second loop, a cooler there. Before: heat_added_W
    40 kW (load + cold side) and heat_removed_W 40 kW (hot side + cooler)."""
    from thermo.network import HeatExchanger

    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=1e4),
        Pipe("pipe1", "S1", "L1", length=5.0, diameter=0.015),
        HeatLoad("load", "L1", "H1", heat=20e3),
        HeatExchanger(
            "hx", hot_inlet="H1", hot_outlet="C1", cold_inlet="S2", cold_outlet="H2", ua=2e3
        ),
        Pump("p2", "C2", "P2", pressure_rise=1e4),
        Pipe("pipe2", "P2", "S2", length=5.0, diameter=0.015),
        Cooler("cooler", "H2", "C2", outlet_temperature=293.15),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    s = result.summary
    assert s["heat_added_W"] == pytest.approx(20e3, rel=1e-12)
    assert s["heat_removed_W"] == pytest.approx(20e3, rel=1e-9)
    assert s["heat_exchanged_W"] == pytest.approx(-result.heat("hx.hot"), rel=1e-12)
    assert s["heat_exchanged_W"] == pytest.approx(20e3, rel=1e-9)  # steady: all of it


def test_open_network_balance_from_boundaries_and_no_negative_zero() -> None:
    """Water enters at 30 °C, takes 10 kW and leaves: nothing is removed (the summary says 0,
    not -0), and the boundary rows carry the temperatures and enthalpy flows that close the
    balance from the file alone: heat added + sum of enthalpy flows = 0."""
    import math

    from thermo.network import PressureBoundary

    net = Network(coolant=WATER)
    net.add(
        PressureBoundary("in", "I", pressure=2e5, temperature=T_SET),
        Pipe("pipe", "I", "M", length=5.0, diameter=0.02),
        HeatLoad("load", "M", "O", heat=1e4),
        PressureBoundary("out", "O", pressure=1.9e5, temperature=T_SET),
    )
    result = net.solve()
    assert result.converged and result.closure["mass_rel"] < 1e-9
    s = result.summary
    assert s["heat_removed_W"] == 0.0 and math.copysign(1.0, s["heat_removed_W"]) == 1.0
    assert s["heat_added_W"] == pytest.approx(1e4, rel=1e-12)
    b = result.boundaries
    assert b.loc["in", "T_C"] == pytest.approx(30.0, abs=1e-9)
    assert b.loc["out", "T_C"] == pytest.approx(result.temperature("O") - 273.15, abs=1e-12)
    m = b.loc["in", "m_ext_kg_s"]
    assert b.loc["in", "enthalpy_flow_W"] == pytest.approx(m * WATER.enthalpy(T_SET), rel=1e-12)
    assert s["heat_added_W"] + b["enthalpy_flow_W"].sum() == pytest.approx(0.0, abs=1e-6)
    assert s["boundary_heat_in_W"] == pytest.approx(-1e4, rel=1e-9)
    assert "enthalpy_flow_W" in result.to_dict()["boundaries"]["out"]


# --------------------------------------------------------------------------------------------
# item 12: an expansion tank passes no net flow
# --------------------------------------------------------------------------------------------
def test_expansion_tank_that_swallows_a_flow_source_is_not_a_solution() -> None:
    """A FlowSource feeding 0.05 kg/s into a closed loop: before, the tank silently absorbed it
    (converged). A tank cannot pass a steady flow: the solve fails naming the tank."""
    from thermo.errors import ConvergenceError
    from thermo.network import FlowSource

    net = loop(1e3)
    net.add(FlowSource("feed", "H", mass_flow=0.05, temperature=T_SET))
    with pytest.raises(ConvergenceError, match=r"expansion tank tank passes 0.05 kg/s out of"):
        net.solve()
    result = net.solve(strict=False)
    # the balance itself holds: 0.05 kg/s in through the source, out through the tank
    assert result.closure["mass_rel"] < 1e-9
    assert result.boundaries["m_ext_kg_s"].sum() == pytest.approx(0.0, abs=1e-12)


def test_tank_of_a_closed_loop_passes_nothing() -> None:
    result = loop(1e3).solve()
    assert_closed(result)
    assert abs(result.boundaries.loc["tank", "m_ext_kg_s"]) < 1e-12


# --------------------------------------------------------------------------------------------
# item 14: a round-off linear term does not make a falling pump curve non-monotonic
# --------------------------------------------------------------------------------------------
def test_falling_pump_curve_with_round_off_term_is_not_flagged() -> None:
    """Points of H = 3 - 1.2e6 V² (falling everywhere): the least-squares fit leaves a linear term
    of +4.5e-13 m/(m³/s), which used to raise ``non_monotonic_curve``. A curve with a real rise
    (peak 0.267 m above shut-off, the hand-computed vertex of the parabola) still is flagged."""
    import numpy as np

    falling = [(v, 3.0 - 1.2e6 * v * v) for v in np.linspace(0.0, 1e-3, 4)]
    pump = Pump("pump", "C", "S", head_curve=falling)
    assert pump.coef[1] > 0.0  # the round-off term is there
    assert not pump.non_monotonic
    rising = [(0.0, 3.0), (5e-4, 3.2), (1e-3, 2.2)]
    # through 3 points exactly: a1 = 1600, a2 = -2.4e6; peak a1²/(4|a2|) = 0.2667 m above H(0)
    p2 = Pump("p2", "C", "S", head_curve=rising)
    assert p2.non_monotonic
    from thermo.components.pump import curve_rise

    assert curve_rise(p2.coef, 1e-3) == pytest.approx(1600.0**2 / (4 * 2.4e6), rel=1e-9)


# --------------------------------------------------------------------------------------------
# item 4: a loop needs a temperature reference
# --------------------------------------------------------------------------------------------
def test_isothermal_loop_needs_a_stated_temperature() -> None:
    """A pump loop with nothing that sets its temperature used to solve silently at the solver's
    25 °C start value. Now it is refused, naming the loop and the keys that fix it; with the
    temperature stated it solves there, and its flow matches the pump against the pipe at that
    temperature's properties (Darcy-Weisbach with fluids' Colebrook, called directly)."""
    import math

    import fluids

    from thermo.errors import InputError
    from thermo.network import SolverOptions

    def net() -> Network:
        n = Network(coolant=WATER)
        n.add(
            Pump("pump", "C", "S", pressure_rise=2e4),
            Pipe("pipe", "S", "C", length=20.0, diameter=0.02),
            ExpansionTank("tank", "C", pressure=2e5),
        )
        return n

    with pytest.raises(InputError, match=r"loop of pump, pipe has no temperature reference"):
        net().solve()
    T = 308.15
    result = net().solve(SolverOptions(initial_temperature=T))
    assert_closed(result)
    assert result.nodes["T_K"].to_numpy() == pytest.approx(T, abs=1e-12)
    rho, mu = float(WATER.density(T)), float(WATER.viscosity(T))
    m = result.mass_flow("pipe")
    area = math.pi * 0.02**2 / 4
    v = m / rho / area
    re = rho * v * 0.02 / mu
    f = fluids.friction_factor(Re=re, eD=1.5e-6 / 0.02)  # the pipe's default roughness
    dp = f * 20.0 / 0.02 * rho * v * v / 2
    assert dp == pytest.approx(2e4, rel=1e-6)


# --------------------------------------------------------------------------------------------
# item 8: friction law per pipe and per network
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("law", ["colebrook", "blend", "churchill", "haaland", "swamee_jain"])
def test_friction_law_per_network_and_per_pipe(law: str) -> None:
    """Two pipes between fixed pressures, flow in the transition band (Re ≈ 2600-3000): the
    pressure drop of each pipe equals Darcy-Weisbach with the law's friction factor from the
    fluids package at the solved Reynolds number (the blend from its formula). The network's
    law applies to the pipe that names none; the other keeps its own."""
    import math

    import fluids

    from thermo.network import PressureBoundary

    refs = {
        "colebrook": fluids.friction.Colebrook,
        "churchill": fluids.friction.Churchill_1977,
        "haaland": fluids.friction.Haaland,
        "swamee_jain": lambda re, ed: 0.25 / math.log10(ed / 3.7 + 5.74 / re**0.9) ** 2,
    }

    def blend(re, ed):
        t = math.log(min(max(re, 2300.0), 4000.0) / 2300.0) / math.log(4000.0 / 2300.0)
        w = t * t * (3 - 2 * t)
        return (1 - w) * 64 / re + w * fluids.friction.Colebrook(re, ed)

    refs["blend"] = blend
    net = Network(coolant=WATER, friction_law=law)
    net.add(
        PressureBoundary("in", "I", pressure=2e5, temperature=T_SET),
        Pipe("a", "I", "M", length=10.0, diameter=0.01),
        Pipe("b", "M", "O", length=10.0, diameter=0.01, friction_law="colebrook"),
        PressureBoundary("out", "O", pressure=2e5 - 2.5e3, temperature=T_SET),
    )
    result = net.solve()
    assert result.converged and result.closure["mass_rel"] < 1e-9
    rho, mu = float(WATER.density(T_SET)), float(WATER.viscosity(T_SET))
    m = result.mass_flow("a")
    v = m / rho / (math.pi * 0.01**2 / 4)
    re = rho * v * 0.01 / mu
    assert 2320.0 < re < 4000.0  # the band where the laws differ
    ed = 1.5e-6 / 0.01
    dp = {name: f(re, ed) * 10.0 / 0.01 * rho * v * v / 2 for name, f in refs.items()}
    assert result.components.loc["a", "dp_Pa"] == pytest.approx(dp[law], rel=1e-6)
    assert result.components.loc["b", "dp_Pa"] == pytest.approx(dp["colebrook"], rel=1e-6)
