"""The network's analytic sparse Jacobian against central finite differences of its residuals.

Every state below is chosen on one side of each non-smooth switch, never on it: the upwind choice
at m = 0 (both signs are tested with |m| larger than the difference step), the Cmin/Cmax swap of
heat exchangers, a cooler's capacity limit and a valve's opening bounds. The laminar/turbulent
blend of the friction factor is C¹, so differences work inside it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo import Coolant
from thermo.network import (
    Control,
    Cooler,
    DifferentialPressure,
    ExpansionTank,
    FlowSource,
    HeatExchanger,
    HeatLoad,
    MassFlow,
    Network,
    NodeTemperature,
    Pipe,
    PressureBoundary,
    Pump,
    Valve,
    VolumeFlow,
)

WATER = Coolant("water")


def analytic(system, x: np.ndarray) -> np.ndarray:
    """Dense Jacobian from the COO triplets (duplicates summed)."""
    rows, cols, vals = system.evaluate(x).jac
    n = system.layout.size
    jac = np.zeros((n, n))
    np.add.at(jac, (rows, cols), vals)
    return jac


def steps(system, x: np.ndarray) -> np.ndarray:
    """Difference step per unknown: relative to the value, kept below |m| for small flows."""
    lay = system.layout
    typical = np.empty(lay.size)
    typical[lay.p] = 1e5
    typical[lay.T] = 300.0
    typical[lay.m] = 1e-2
    typical[lay.m_ext] = 1e-2
    typical[lay.u] = 1.0
    h = 1e-6 * np.maximum(np.abs(x), typical)
    m = np.abs(x[lay.m])
    h[lay.m] = np.minimum(h[lay.m], 1e-3 * np.where(m > 0, m, np.inf))
    return h


def central(system, x: np.ndarray) -> np.ndarray:
    h = steps(system, x)
    jac = np.zeros((len(x), len(x)))
    for j in range(len(x)):
        xp, xm = x.copy(), x.copy()
        xp[j] += h[j]
        xm[j] -= h[j]
        fp = system.evaluate(xp, jacobian=False).F
        fm = system.evaluate(xm, jacobian=False).F
        jac[:, j] = (fp - fm) / (2.0 * h[j])
    return jac


def assert_jacobian(system, x: np.ndarray, rtol: float = 2e-5) -> None:
    """Analytic and finite-difference Jacobians agree entry by entry.

    Tolerance: ``rtol`` relative to the entry plus 1e-7 of the largest entry of its row (the
    round-off of a residual that sums terms of very different size, e.g. m·h in an energy row).
    """
    ja = analytic(system, x)
    jf = central(system, x)
    row_scale = np.maximum(np.abs(jf).max(axis=1, keepdims=True), 1e-300)
    bad = np.abs(ja - jf) > rtol * np.abs(jf) + 1e-7 * row_scale
    if bad.any():
        lines = []
        for i, j in np.argwhere(bad)[:10]:
            lines.append(
                f"{system.row_name(int(i))} / column {int(j)}: {ja[i, j]!r} vs {jf[i, j]!r}"
            )
        pytest.fail("Jacobian mismatch:\n" + "\n".join(lines))
    assert np.count_nonzero(ja) > len(x)  # non-trivial: more than a diagonal


def column(system, kind: str, name: str) -> int:
    lay = system.layout
    if kind == "p":
        return lay.p.start + system.node_index[name]
    if kind == "T":
        return lay.T.start + system.node_index[name]
    if kind == "m":
        return lay.m.start + system.branch_position[name]
    raise ValueError(kind)


# --------------------------------------------------------------------------------------------
# networks
# --------------------------------------------------------------------------------------------
def rich_network() -> Network:
    """Every component kind: curve pump, ideal source, laminar/turbulent pipes with elevation,
    fittings and heat loss, valve, heat load, cooler, counterflow exchanger between two loops."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", head_curve=[(0.0, 8.0), (1e-3, 7.0), (2e-3, 4.0)]),
        Pipe("laminar", "S", "A", length=20.0, diameter=0.004),
        Pipe("turbulent", "S", "B", length=2.0, diameter=0.02, k_minor=1.5, elevation_change=0.5),
        Valve("valve", "A", "R1", kv=0.5, characteristic="equal_percentage", opening=0.7),
        HeatLoad("load", "B", "R1", heat=2000.0),
        Pipe(
            "lossy",
            "R1",
            "R",
            length=3.0,
            diameter=0.015,
            heat_transfer_coefficient=10.0,
            ambient_temperature=290.0,
        ),
        HeatExchanger(
            "hx",
            hot_inlet="R",
            hot_outlet="C",
            cold_inlet="c1",
            cold_outlet="c2",
            ua=500.0,
            hot_pressure_drop=(5e3, 0.3),
            cold_pressure_drop=(5e3, 0.3),
        ),
        Pump("secondary", "c0", "c1", pressure_rise=2e4),
        Cooler("cooler", "c2", "c0", outlet_temperature=285.0),
        ExpansionTank("tank", "C", pressure=2e5),
        ExpansionTank("tank2", "c0", pressure=2e5),
    )
    return net


def test_rich_network_at_its_solution_and_off_it() -> None:
    net = rich_network()
    result = net.solve()
    system = net.system()
    x = result.state.copy()
    # the state covers laminar and turbulent pipes, an active cooler and a heat exchanger
    assert result.value("laminar", "Re") < 2300 < 4000 < result.value("turbulent", "Re")
    assert result.temperature("c0") == pytest.approx(285.0, abs=0.01)
    assert result.closure["mass_rel"] < 1e-9 and result.closure["energy_rel"] < 1e-9
    assert_jacobian(system, x)
    # away from the solution: every residual non-zero, temperatures and pressures spread
    rng = np.random.default_rng(7)
    lay = system.layout
    x[lay.T] += rng.uniform(-3.0, 3.0, lay.n_nodes)
    x[lay.p] += rng.uniform(-2e3, 2e3, lay.n_nodes)
    x[lay.m] *= rng.uniform(0.7, 1.3, lay.n_branches)
    assert_jacobian(system, x)


def regime_network() -> Network:
    """Parallel pipes between S and R (one defined backwards), a source and a cooler."""
    net = Network(coolant=WATER)
    net.add(
        Pump("source", "C", "S", pressure_rise=3e4),
        Pipe("p_laminar", "S", "R", length=4.0, diameter=0.01),
        Pipe("p_blend", "S", "R", length=4.0, diameter=0.01, k_minor=0.8),
        Pipe("p_turbulent", "S", "R", length=4.0, diameter=0.02, roughness=2e-5),
        Pipe("p_reverse", "R", "S", length=4.0, diameter=0.02),
        Pipe("p_reverse_laminar", "R", "S", length=4.0, diameter=0.01),
        Pipe(
            "p_lossy_reverse",
            "R",
            "S",
            length=4.0,
            diameter=0.01,
            heat_transfer_coefficient=20.0,
            ambient_temperature=295.0,
        ),
        Pipe("p_still_pos", "S", "R", length=4.0, diameter=0.01),
        Pipe("p_still_neg", "S", "R", length=4.0, diameter=0.01),
        HeatLoad("load", "R", "H", heat=1500.0),
        Cooler("cooler", "H", "C", outlet_temperature=300.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    return net


def flow_for(reynolds: float, diameter: float, temperature: float) -> float:
    """Mass flow [kg/s] of water giving ``reynolds`` in a pipe (Re = 4 m / (pi D mu))."""
    return reynolds * math.pi * diameter * WATER.viscosity(temperature) / 4.0


def test_pipe_regimes_and_both_flow_directions() -> None:
    """Laminar, inside the blend, turbulent, reversed and near-zero flow of both signs.

    The upwind node differs by 20 K from the downstream one, so a wrong upwind choice in any
    derivative would show.
    """
    net = regime_network()
    system = net.system()
    lay = system.layout
    x = np.zeros(lay.size)
    T = {"C": 300.0, "S": 300.5, "R": 320.0, "H": 325.0}
    p = {"C": 2e5, "S": 2.3e5, "R": 2.05e5, "H": 2.05e5}
    for node, value in T.items():
        x[column(system, "T", node)] = value
        x[column(system, "p", node)] = p[node]
    flows = {
        "p_laminar": flow_for(1000.0, 0.01, T["S"]),
        "p_blend": flow_for(3000.0, 0.01, T["S"]),  # inside the 2300-4000 blend
        "p_turbulent": flow_for(1e5, 0.02, T["S"]),
        "p_reverse": -flow_for(5e4, 0.02, T["S"]),  # runs S -> R against its definition
        "p_reverse_laminar": -flow_for(800.0, 0.01, T["S"]),
        "p_lossy_reverse": -flow_for(1500.0, 0.01, T["S"]),
        "p_still_pos": 1e-7,  # zero flow approached from both sides
        "p_still_neg": -1e-7,
        "source": 0.4,
        "load": 0.4,
        "cooler": 0.4,
    }
    for name, m in flows.items():
        x[column(system, "m", name)] = m
    system.m_ref = 0.4
    assert_jacobian(system, x)


def test_isothermal_start_up_mode() -> None:
    """The hydraulic start-up system (energy rows replaced by T - T0) has a consistent Jacobian."""
    net = regime_network()
    result = net.solve()
    system = net.system()
    x = result.state.copy()
    x[system.layout.m] *= 1.1
    T0 = x[system.layout.T] - 1.0
    rows, cols, vals = system.evaluate(x, isothermal=T0).jac
    n = system.layout.size
    ja = np.zeros((n, n))
    np.add.at(ja, (rows, cols), vals)
    h = steps(system, x)
    jf = np.zeros((n, n))
    for j in range(n):
        xp, xm = x.copy(), x.copy()
        xp[j] += h[j]
        xm[j] -= h[j]
        fp = system.evaluate(xp, jacobian=False, isothermal=T0).F
        fm = system.evaluate(xm, jacobian=False, isothermal=T0).F
        jf[:, j] = (fp - fm) / (2 * h[j])
    row_scale = np.abs(jf).max(axis=1, keepdims=True)
    assert np.all(np.abs(ja - jf) <= 2e-5 * np.abs(jf) + 1e-7 * row_scale)
    energy_rows = slice(system.layout.n_nodes, 2 * system.layout.n_nodes)
    assert np.allclose(ja[energy_rows][:, system.layout.T], np.eye(system.layout.n_nodes))


@pytest.mark.parametrize(
    "arrangement",
    [
        "counterflow",
        "parallel",
        "crossflow_unmixed",
        "crossflow_mixed_cmin",
        "crossflow_mixed_cmax",
    ],
)
@pytest.mark.parametrize("hot_is_cmin", [True, False])
def test_heat_exchanger_arrangements(arrangement: str, hot_is_cmin: bool) -> None:
    """Both capacity orderings (the Cmin/Cmax swap is not on the tested states)."""
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=1e4),
        HeatLoad("load", "S1", "H1", heat=3000.0),
        HeatExchanger(
            "hx",
            hot_inlet="H1",
            hot_outlet="C1",
            cold_inlet="S2",
            cold_outlet="H2",
            ua=800.0,
            arrangement=arrangement,
            hot_pressure_drop=(1e4, 0.2),
            cold_pressure_drop=(1e4, 0.2),
        ),
        Pump("p2", "C2", "S2", pressure_rise=1e4),
        Cooler("cooler", "H2", "C2", outlet_temperature=290.0),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    system = net.system()
    lay = system.layout
    x = np.zeros(lay.size)
    for node, T in {
        "C1": 305.0,
        "S1": 305.2,
        "H1": 312.0,
        "S2": 290.0,
        "H2": 297.0,
        "C2": 290.0,
    }.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = 2e5 if node.startswith("C") else 2.1e5
    m_hot, m_cold = (0.05, 0.09) if hot_is_cmin else (0.09, 0.05)
    for name in ("p1", "load", "hx.hot"):
        x[column(system, "m", name)] = m_hot
    for name in ("p2", "cooler", "hx.cold"):
        x[column(system, "m", name)] = m_cold
    system.m_ref = 0.09
    assert_jacobian(system, x)


def test_heat_exchanger_with_a_reversed_side() -> None:
    """Flow backwards through the cold side: its upstream node is its outlet port."""
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=1e4),
        HeatLoad("load", "S1", "H1", heat=3000.0),
        HeatExchanger(
            "hx",
            hot_inlet="H1",
            hot_outlet="C1",
            cold_inlet="H2",  # defined backwards: fluid enters at the "outlet" port
            cold_outlet="S2",
            ua=600.0,
        ),
        Pump("p2", "C2", "S2", pressure_rise=1e4),
        Cooler("cooler", "H2", "C2", outlet_temperature=290.0),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    system = net.system()
    x = np.zeros(system.layout.size)
    for node, T in {
        "C1": 305.0,
        "S1": 305.0,
        "H1": 312.0,
        "S2": 291.0,
        "H2": 297.0,
        "C2": 290.0,
    }.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = 2e5
    for name, m in {"p1": 0.06, "load": 0.06, "hx.hot": 0.06}.items():
        x[column(system, "m", name)] = m
    for name, m in {"p2": 0.08, "cooler": 0.08, "hx.cold": -0.08}.items():
        x[column(system, "m", name)] = m
    system.m_ref = 0.08
    assert_jacobian(system, x)


@pytest.mark.parametrize("capped", [False, True])
def test_cooler_both_sides_of_its_capacity_limit(capped: bool) -> None:
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=1e4),
        HeatLoad("load", "S", "H", heat=4000.0),
        Cooler("cooler", "H", "C", outlet_temperature=300.0, capacity=2000.0 if capped else 1e5),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    system = net.system()
    x = np.zeros(system.layout.size)
    for node, T in {"C": 301.0, "S": 301.0, "H": 315.0}.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = 2e5
    for name in ("pump", "load", "cooler"):
        x[column(system, "m", name)] = 0.1
    system.m_ref = 0.1
    # 0.1 kg/s x 4.2 kJ/(kg K) x 15 K = 6.3 kW to reach the setpoint: beyond 2 kW, within 100 kW
    assert_jacobian(system, x)


@pytest.mark.parametrize("offset", [0.05, -0.05])
def test_cooler_on_either_side_of_its_setpoint(offset: float) -> None:
    """The cooler's outlet is exactly min(T_in, setpoint) (issue 11): its Jacobian is exact on
    the holding side (0) and beyond SMOOTHING_K below the setpoint (1); within that band below
    the setpoint the entry is a deliberate quasi-Newton ramp (thermo.components.heat.exact_min)
    and at the kink itself no finite difference is meaningful."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=1e4),
        HeatLoad("load", "S", "H", heat=4000.0),
        Cooler("cooler", "H", "C", outlet_temperature=300.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    system = net.system()
    x = np.zeros(system.layout.size)
    for node, T in {"C": 300.0, "S": 300.0, "H": 300.0 + offset}.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = 2e5
    for name in ("pump", "load", "cooler"):
        x[column(system, "m", name)] = 0.1
    system.m_ref = 0.1
    assert_jacobian(system, x)


def test_open_network_with_boundaries() -> None:
    """Pressure boundaries with inflow and outflow, a flow source and a flow sink."""
    net = Network(coolant=WATER)
    net.add(
        PressureBoundary("supply", "A", pressure=3e5, temperature=320.0),
        Pipe("a", "A", "B", length=10.0, diameter=0.02),
        HeatLoad("load", "B", "C", heat=-5000.0),
        Pipe("b", "C", "D", length=10.0, diameter=0.02),
        PressureBoundary("drain", "D", pressure=2e5, temperature=290.0),
        FlowSource("inject", "B", mass_flow=0.05, temperature=280.0),
        FlowSource("bleed", "C", mass_flow=-0.02, temperature=300.0),
    )
    system = net.system()
    x = np.zeros(system.layout.size)
    for node, (T, p) in {
        "A": (320.0, 3e5),
        "B": (318.0, 2.6e5),
        "C": (300.0, 2.5e5),
        "D": (300.5, 2e5),
    }.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = p
    for name, m in {"a": 0.3, "load": 0.35, "b": 0.33}.items():
        x[column(system, "m", name)] = m
    lay = system.layout
    x[lay.m_ext] = [0.3, -0.33, 0.05, -0.02]  # supply in, drain out, source in, sink out
    system.m_ref = 0.35
    assert_jacobian(system, x)


def test_controls() -> None:
    """Control unknowns in every target kind: pump speed for a pressure difference and for a
    volume flow, valve opening for a mass flow, heat of a load for a node temperature."""
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", head_curve=[(0.0, 6.0), (5e-4, 5.5), (1e-3, 4.0)]),
        Valve("valve", "S", "A", kv=2.0),
        HeatLoad("load", "A", "H", heat=2000.0),
        Pump("booster", "S", "B", pressure_rise=5e3),
        Pipe("pipe", "B", "H", length=3.0, diameter=0.012),
        Cooler("cooler", "H", "C", outlet_temperature=300.0),
        ExpansionTank("tank", "C", pressure=2e5),
        Control(
            "dp",
            component="pump",
            parameter="speed",
            target=DifferentialPressure("S", "H", 3e4),
            lower=0.2,
            upper=1.5,
        ),
        Control(
            "flow",
            component="valve",
            parameter="opening",
            target=MassFlow("valve", 0.1),
            lower=0.0,
            upper=1.0,
        ),
        Control(
            "temp",
            component="load",
            parameter="heat",
            target=NodeTemperature("H", 310.0),
            lower=0.0,
            upper=1e5,
        ),
        Control(
            "vol",
            component="booster",
            parameter="speed",
            target=VolumeFlow("pipe", 2e-4),
            lower=0.1,
            upper=2.0,
        ),
    )
    system = net.system()
    lay = system.layout
    x = np.zeros(lay.size)
    for node, T in {"C": 300.0, "S": 300.2, "A": 300.4, "B": 301.0, "H": 309.0}.items():
        x[column(system, "T", node)] = T
        x[column(system, "p", node)] = 2.1e5
    for name, m in {
        "pump": 0.3,
        "valve": 0.12,
        "load": 0.12,
        "booster": 0.18,
        "pipe": 0.18,
        "cooler": 0.3,
    }.items():
        x[column(system, "m", name)] = m
    x[lay.u] = [0.9, 0.6, 2500.0, 1.1]  # inside the bounds (the valve clips outside [0, 1])
    system.m_ref = 0.3
    assert_jacobian(system, x)
