"""Heat exchanger with a bypass valve at a side (``through``) and a differential-temperature
interlock, checked against a direct integration of the exchanger equations with cp(T)
(:func:`~thermo.verification.exchanger_ode.exchanger_ode`) and a hand ε-NTU calculation (``ht``,
cp at the inlets: within the cp-variation correction) at the plate flow
``f m = (1/R + (1 - 1/R) x) m``, and against the first law (mixed outlet ``h_in - Q/m``)."""

from __future__ import annotations

import numpy as np
import pytest
from ht.hx import effectiveness_from_NTU

from thermo import Coolant
from thermo.components.heat_exchanger import BYPASS_LEAK
from thermo.components.plate_heat_exchanger import PlateHeatExchanger
from thermo.network import (
    Control,
    Cooler,
    ExpansionTank,
    HeatExchanger,
    HeatLoad,
    Network,
    NodeTemperature,
    Pump,
)
from thermo.verification.exchanger_ode import exchanger_ode

WATER = Coolant("water")
UA = 3000.0


def _loops(
    *,
    interlock: bool = False,
    cold_setpoint: float = 293.15,
    load: float = 20e3,
    cold_load: float = 0.0,
):
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=2e4),
        HeatLoad("load", "S1", "H1", heat=load),
        HeatExchanger(
            "hx",
            hot_inlet="H1",
            hot_outlet="M1",
            cold_inlet="S2",
            cold_outlet="H2",
            ua=UA,
            hot_pressure_drop=(1e4, 0.5),
            cold_pressure_drop=(1e4, 0.5),
            interlock=interlock,
        ),
        Cooler("trim", "M1", "C1", outlet_temperature=303.15),
        Pump("p2", "C2", "P2", pressure_rise=2e4),
        HeatLoad("cold_load", "P2", "S2", heat=cold_load),
        Cooler("sink", "H2", "C2", outlet_temperature=cold_setpoint),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    return net


def _hand(result, x: float) -> float:
    """Q into the cold side from the solved flows and inlets, plate flow f m_hot: the exchanger
    equations integrated with cp(T); a constant-cp ε-NTU (``ht``, cp at the inlets) agrees
    within the correction for cp varying along the exchanger (measured up to 2.4e-4)."""
    f = BYPASS_LEAK + (1 - BYPASS_LEAK) * x
    m_hot, m_cold = result.mass_flow("hx.hot"), result.mass_flow("hx.cold")
    T_h, T_c = result.temperature("H1"), result.temperature("S2")
    q_ode, _, _ = exchanger_ode(WATER, WATER, f * m_hot, m_cold, T_h, T_c, UA, "counterflow")
    C_h = f * m_hot * WATER.specific_heat(T_h)
    C_c = m_cold * WATER.specific_heat(T_c)
    c_min, c_max = min(C_h, C_c), max(C_h, C_c)
    eps = effectiveness_from_NTU(UA / c_min, c_min / c_max, subtype="counterflow")
    assert eps * c_min * (T_h - T_c) == pytest.approx(q_ode, rel=1e-3)
    return q_ode


@pytest.mark.parametrize("x", [1.0, 0.4, 0.0])
def test_bypass_share_follows_the_hand_calculation(x: float) -> None:
    net = _loops()
    net.set_parameter("hx.hot", "through", x)
    r = net.solve()
    assert r.converged and r.closure["energy_rel"] < 1e-9
    q = _hand(r, x)
    assert r.heat("hx.cold") == pytest.approx(q, rel=1e-7)
    assert r.heat("hx.hot") == pytest.approx(-q, rel=1e-7)
    # the hot side leaves mixed: plate outlet and bypass together, h_in - Q/m of the full flow,
    # Q the cold side's gain (first law across the exchanger)
    m = r.mass_flow("hx.hot")
    h_out = WATER.enthalpy(r.temperature("H1")) - r.heat("hx.cold") / m
    assert WATER.enthalpy(r.temperature("M1")) == pytest.approx(h_out, rel=1e-9)
    assert r.value("hx.hot", "through") == pytest.approx(x)


def test_bypass_control_holds_the_cold_outlet() -> None:
    net = _loops()
    net.add(
        Control(
            "c",
            component="hx.hot",
            parameter="through",
            target=NodeTemperature("H2", 298.15),
            lower=0.0,
            upper=1.0,
            initial=0.3,
            action="direct",
        )
    )
    r = net.solve()
    assert r.converged and r.closure["energy_rel"] < 1e-9
    assert r.temperature("H2") == pytest.approx(298.15, abs=1e-6)
    x = float(r.controls.loc["c", "value"])
    assert 0.0 < x < 1.0
    assert r.heat("hx.cold") == pytest.approx(_hand(r, x), rel=1e-7)


def test_interlock_stops_heat_flowing_backwards() -> None:
    """The "cold" loop heated to 80 °C, the "hot" one near 30 °C: without the interlock heat
    flows backwards and is flagged; with it the exchanger passes nothing (exactly 0 W)."""
    backwards = dict(cold_setpoint=353.15, load=1e3, cold_load=20e3)
    free = _loops(**backwards).solve()
    assert free.converged
    assert free.heat("hx.cold") < -1e3
    assert any(f.code == "heat_backwards" for f in free.flags)
    locked = _loops(**backwards, interlock=True).solve()
    assert locked.converged and locked.closure["energy_rel"] < 1e-9
    assert locked.heat("hx.cold") == 0.0
    assert not any(f.code == "heat_backwards" for f in locked.flags)
    # the interlock never acts when the hot side is the warmer one
    normal = _loops(interlock=True).solve()
    assert normal.heat("hx.cold") == pytest.approx(_hand(normal, 1.0), rel=1e-7) and (
        normal.heat("hx.cold") > 0
    )


# --------------------------------------------------------------------------------------------
# exact derivatives: the network's analytic Jacobian against central differences
# --------------------------------------------------------------------------------------------
def _jacobian_mismatch(system, x) -> float:
    """Largest relative difference between the analytic Jacobian and central differences of the
    residuals (entries below 1e-7 of their row's largest are round-off)."""
    rows, cols, vals = system.evaluate(x).jac
    n = system.layout.size
    ja = np.zeros((n, n))
    np.add.at(ja, (rows, cols), vals)
    lay = system.layout
    typical = np.full(n, 1.0)
    typical[lay.p], typical[lay.T], typical[lay.m] = 1e5, 300.0, 1e-2
    h = 1e-6 * np.maximum(np.abs(x), typical)
    m = np.abs(x[lay.m])
    h[lay.m] = np.minimum(h[lay.m], 1e-3 * np.where(m > 0, m, np.inf))
    jf = np.zeros((n, n))
    for j in range(n):
        xp, xm = x.copy(), x.copy()
        xp[j] += h[j]
        xm[j] -= h[j]
        jf[:, j] = (
            system.evaluate(xp, jacobian=False).F - system.evaluate(xm, jacobian=False).F
        ) / (2.0 * h[j])
    scale = np.abs(jf) + 1e-7 * np.abs(jf).max(axis=1, keepdims=True) + 1e-300
    return float(np.max(np.abs(ja - jf) / scale))


def _controlled(kind: str, *, interlock: bool, arrangement: str = "counterflow") -> Network:
    """Both sides of the exchanger with a bypass control (hot side: the cold outlet H2; cold
    side: the hot outlet M1), so each side's heat depends on its own and its partner's control."""
    sides = dict(
        hot_inlet="H1",
        hot_outlet="M1",
        cold_inlet="S2",
        cold_outlet="H2",
        hot_pressure_drop=(1e4, 0.5),
        cold_pressure_drop=(1e4, 0.5),
        interlock=interlock,
    )
    if kind == "plate":
        hx = PlateHeatExchanger(
            "hx", ua=UA, hot_design_flow=0.5, cold_design_flow=0.6, film_ratio=1.3, **sides
        )
    else:
        hx = HeatExchanger("hx", ua=UA, arrangement=arrangement, **sides)
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=2e4),
        HeatLoad("load", "S1", "H1", heat=20e3),
        hx,
        Cooler("trim", "M1", "C1", outlet_temperature=303.15),
        Pump("p2", "C2", "P2", pressure_rise=2e4),
        HeatLoad("cold_load", "P2", "S2", heat=0.0),
        Cooler("sink", "H2", "C2", outlet_temperature=293.15),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
        Control(
            "c_hot",
            component="hx.hot",
            parameter="through",
            target=NodeTemperature("H2", 298.15),
            lower=0.0,
            upper=1.0,
        ),
        Control(
            "c_cold",
            component="hx.cold",
            parameter="through",
            target=NodeTemperature("M1", 310.0),
            lower=0.0,
            upper=1.0,
        ),
    )
    return net


def _state(system, T_hot_in: float, T_cold_in: float) -> np.ndarray:
    """A state off the solution, on one side of every switch (flows of different size, both
    bypass valves part-open)."""
    lay = system.layout
    x = np.zeros(lay.size)
    temps = {"C1": 303.0, "S1": 303.1, "H1": T_hot_in, "M1": 306.0}
    temps |= {"C2": 293.0, "P2": 293.1, "S2": T_cold_in, "H2": 297.0}
    for node, T in temps.items():
        x[lay.T.start + system.node_index[node]] = T
        x[lay.p.start + system.node_index[node]] = 2.1e5 if node[0] in "SP" else 2e5
    for name, m in {"p1": 0.45, "load": 0.45, "hx.hot": 0.45, "trim": 0.45}.items():
        x[lay.m.start + system.branch_position[name]] = m
    for name, m in {"p2": 0.6, "cold_load": 0.6, "hx.cold": 0.6, "sink": 0.6}.items():
        x[lay.m.start + system.branch_position[name]] = m
    x[lay.u] = [0.55, 0.7]
    system.m_ref = 0.6
    return x


@pytest.mark.parametrize(
    ("kind", "arrangement"),
    [("plain", "counterflow"), ("plain", "crossflow_unmixed"), ("plate", "counterflow")],
)
@pytest.mark.parametrize("interlock", [False, True])
def test_jacobian_with_bypass_controls_on_both_sides(kind, arrangement, interlock) -> None:
    """d(heat)/d(own and partner through) and the flow-dependent UA of the plate exchanger at
    the flows through the plates: exact (forward mode), against central differences; the
    interlock present but not acting (the hot side is the warmer)."""
    system = _controlled(kind, interlock=interlock, arrangement=arrangement).system()
    x = _state(system, 318.0, 294.0)
    assert _jacobian_mismatch(system, x) < 2e-5
    # non-trivial: the energy balance at H2 depends on both controls
    rows, cols, vals = system.evaluate(x).jac
    u_cols = set(range(system.layout.u.start, system.layout.u.stop))
    assert sum(1 for c, v in zip(cols, vals, strict=True) if c in u_cols and v != 0.0) >= 4


@pytest.mark.parametrize("kind", ["plain", "plate"])
def test_jacobian_where_the_interlock_acts(kind) -> None:
    """The "cold" inlet warmer than the "hot" one: with the interlock the exchanger passes no
    heat and all its derivatives vanish (differences agree: the state is away from dT = 0);
    without it heat runs backwards with the full derivatives."""
    for interlock in (True, False):
        system = _controlled(kind, interlock=interlock).system()
        x = _state(system, 300.0, 312.0)
        assert _jacobian_mismatch(system, x) < 2e-5
        rows, cols, vals = system.evaluate(x).jac
        lay = system.layout
        by_u = (cols >= lay.u.start) & (cols < lay.u.stop) & (vals != 0.0)
        rows_by_u = {system.row_name(int(i)) for i in rows[by_u]}
        outlets = {"node H2: energy balance", "node M1: energy balance"}
        assert rows_by_u == (set() if interlock else outlets)
