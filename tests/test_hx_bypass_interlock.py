"""Heat exchanger with a bypass valve at a side (``through``) and a differential-temperature
interlock, checked against a hand ε-NTU calculation (``ht``) with the plate flow
``f m = (1/R + (1 - 1/R) x) m`` and against the first law (mixed outlet ``h_in - Q/m``)."""

from __future__ import annotations

import pytest
from ht.hx import effectiveness_from_NTU

from thermo import Coolant
from thermo.components.heat_exchanger import BYPASS_LEAK
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
    """Q into the cold side from the solved flows and inlets, plate flow f m_hot."""
    f = BYPASS_LEAK + (1 - BYPASS_LEAK) * x
    m_hot, m_cold = result.mass_flow("hx.hot"), result.mass_flow("hx.cold")
    T_h, T_c = result.temperature("H1"), result.temperature("S2")
    C_h = f * m_hot * WATER.specific_heat(T_h)
    C_c = m_cold * WATER.specific_heat(T_c)
    c_min, c_max = min(C_h, C_c), max(C_h, C_c)
    eps = effectiveness_from_NTU(UA / c_min, c_min / c_max, subtype="counterflow")
    return eps * c_min * (T_h - T_c)


@pytest.mark.parametrize("x", [1.0, 0.4, 0.0])
def test_bypass_share_follows_the_hand_calculation(x: float) -> None:
    net = _loops()
    net.set_parameter("hx.hot", "through", x)
    r = net.solve()
    assert r.converged and r.closure["energy_rel"] < 1e-9
    q = _hand(r, x)
    assert r.heat("hx.cold") == pytest.approx(q, rel=1e-9)
    assert r.heat("hx.hot") == pytest.approx(-q, rel=1e-9)
    # the hot side leaves mixed: plate outlet and bypass together, h_in - Q/m of the full flow
    m = r.mass_flow("hx.hot")
    h_out = WATER.enthalpy(r.temperature("H1")) - q / m
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
    assert r.heat("hx.cold") == pytest.approx(_hand(r, x), rel=1e-8)


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
    assert normal.heat("hx.cold") == pytest.approx(_hand(normal, 1.0), rel=1e-9) and (
        normal.heat("hx.cold") > 0
    )
