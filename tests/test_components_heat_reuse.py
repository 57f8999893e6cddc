"""Heat-reuse network components: HeatPump, Boiler, GreenhouseRail, and the greenhouse loop.

Independent references: the plant models' own ``performance``/``efficiency`` functions (thermo.plant,
themselves checked against published data), the coolant's enthalpy (the energy balance), scipy's
adaptive ODE integration of the GreenLight emission law, the closed-form solution for a pure
power-law emitter, and central finite differences of the assembled residuals for every Jacobian.
"""

from __future__ import annotations

import runpy

import numpy as np
import pytest
from conftest import REPO

from thermo import Coolant
from thermo.components.boiler import Boiler, exact_max
from thermo.components.greenhouse import (
    GreenhouseRail,
    rail_exit_temperature,
    rail_heat,
    rail_supply_temperature,
)
from thermo.components.heat_pump import HeatPump
from thermo.errors import InputError, RangeError
from thermo.greenhouse import PipeRail, emission_per_metre
from thermo.network import (
    Cooler,
    ExpansionTank,
    FlowSource,
    HeatExchanger,
    HeatLoad,
    Network,
    PressureBoundary,
    Pump,
)
from thermo.plant import CarnotHeatPump, ElectricBoiler, GasBoiler
from thermo.plant.boiler import gas_co2, gas_volume

C = 273.15
WATER = Coolant("water")


# ----------------------------------------------------------------------------------- helpers
def jacobian_error(net: Network, result) -> float:
    """Largest |analytic - central difference| of the Jacobian, relative to each row's scale."""
    from scipy.sparse import coo_matrix

    system = net.system()
    x = result.state.copy()
    rows, cols, vals = system.evaluate(x).jac
    J = coo_matrix((vals, (rows, cols)), shape=(len(x), len(x))).toarray()
    lay = system.layout
    fd = np.zeros_like(J)
    for j in range(len(x)):
        h = 1e-5 if lay.T.start <= j < lay.T.stop else 1e-6 * max(1.0, abs(x[j]))
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        fd[:, j] = (
            system.evaluate(xp, jacobian=False).F - system.evaluate(xm, jacobian=False).F
        ) / (2 * h)
    scale = np.abs(fd).max(axis=1, keepdims=True) + 1e-300
    return float((np.abs(J - fd) / scale).max())


def open_side(net: Network, tag: str, inlet: str, outlet: str, m: float, T: float) -> None:
    """Feed ``inlet`` with a fixed flow at T and let it leave at ``outlet`` (open test rig)."""
    net.add(
        FlowSource(f"{tag}.in", inlet, mass_flow=m, temperature=T),
        PressureBoundary(f"{tag}.out", outlet, pressure=2e5, temperature=T),
    )


def hp_rig(
    T_si=40 + C, m_s=20.0, T_ki=30 + C, m_k=10.0, setpoint=60 + C, **kw
) -> tuple[Network, HeatPump]:
    net = Network(coolant=WATER)
    hp = HeatPump(
        "hp",
        source_inlet="s1",
        source_outlet="s2",
        sink_inlet="k1",
        sink_outlet="k2",
        sink_setpoint=setpoint,
        **kw,
    )
    net.add(hp)
    open_side(net, "src", "s1", "s2", m_s, T_si)
    open_side(net, "snk", "k1", "k2", m_k, T_ki)
    return net, hp


def boiler_rig(T_in=40 + C, m=10.0, **kw) -> Network:
    net = Network(coolant=WATER)
    net.add(Boiler("boiler", "a", "b", **kw))
    open_side(net, "w", "a", "b", m, T_in)
    return net


def h(T):
    return WATER.enthalpy(T)


# ----------------------------------------------------------------------------------- heat pump
def test_heat_pump_holds_setpoint_and_matches_plant_model():
    net, hp = hp_rig()
    r = net.solve()
    T_so = r.exit_temperature("hp.evaporator")
    T_ko = r.exit_temperature("hp.condenser")
    assert T_ko == pytest.approx(60 + C, abs=1e-9)
    Q_c = r.heat("hp.condenser")
    assert Q_c == pytest.approx(10.0 * (h(60 + C) - h(30 + C)), rel=1e-9)
    # plant layer at the solved water temperatures: COP, electricity and source heat
    perf = CarnotHeatPump().performance(Q_c, T_so, T_ko)
    assert r.value("hp.condenser", "COP") == pytest.approx(perf.cop, rel=1e-9)
    assert r.value("hp.condenser", "P_el_W") == pytest.approx(perf.P_el, rel=1e-9)
    assert -r.heat("hp.evaporator") == pytest.approx(perf.Q_source, rel=1e-9)
    # energy: evaporator heat + electricity = condenser heat, and the network closes
    assert -r.heat("hp.evaporator") + r.value("hp.condenser", "P_el_W") == pytest.approx(
        Q_c, rel=1e-12
    )
    assert r.closure["energy_rel"] < 1e-9
    assert 20.0 < r.value("hp.condenser", "lift_K") < 70.0
    assert r.flags == []
    assert np.isnan(r.value("hp.evaporator", "P_el_W"))  # electricity on the condenser row only


def test_heat_pump_capacity_limit():
    net, _ = hp_rig(T_si=35 + C, heating_capacity=800e3)
    r = net.solve()
    assert r.heat("hp.condenser") == pytest.approx(800e3, rel=1e-9)
    T_ko = r.exit_temperature("hp.condenser")
    assert 30 + C < T_ko < 60 + C
    assert h(T_ko) - h(30 + C) == pytest.approx(800e3 / 10.0, rel=1e-9)
    assert r.value("hp.condenser", "load_fraction") == pytest.approx(1.0, rel=1e-9)
    assert [f.code for f in r.flags] == ["capacity_limited"]
    perf = CarnotHeatPump().performance(800e3, r.exit_temperature("hp.evaporator"), T_ko)
    assert r.value("hp.condenser", "P_el_W") == pytest.approx(perf.P_el, rel=1e-9)


def test_heat_pump_maximum_lift():
    # 15 °C source cannot lift 40 °C water to 84 °C within 70 K: the unit runs at exactly 70 K
    net, _ = hp_rig(T_si=15 + C, T_ki=40 + C, setpoint=84 + C)
    r = net.solve()
    T_so = r.exit_temperature("hp.evaporator")
    T_ko = r.exit_temperature("hp.condenser")
    assert T_ko - T_so == pytest.approx(70.0, abs=1e-8)
    assert T_ko < 84 + C
    assert r.value("hp.condenser", "lift_K") == pytest.approx(70.0, abs=1e-8)
    assert "max_lift" in [f.code for f in r.flags]
    perf = CarnotHeatPump().performance(r.heat("hp.condenser"), T_so, T_ko)
    assert r.value("hp.condenser", "P_el_W") == pytest.approx(perf.P_el, rel=1e-9)
    assert r.closure["energy_rel"] < 1e-9


def test_heat_pump_no_lift_possible_and_disabled_pass_through():
    net, _ = hp_rig(T_si=10 + C, T_ki=82 + C, setpoint=84 + C)  # 10 + 70 < 82
    r = net.solve()
    assert r.heat("hp.condenser") == 0.0
    assert r.heat("hp.evaporator") == 0.0
    assert r.value("hp.condenser", "P_el_W") == 0.0
    assert "no_lift_possible" in [f.code for f in r.flags]
    net, _ = hp_rig(enabled=False)
    r = net.solve()
    assert r.exit_temperature("hp.condenser") == pytest.approx(30 + C, abs=1e-8)
    assert r.exit_temperature("hp.evaporator") == pytest.approx(40 + C, abs=1e-8)
    assert r.heat("hp.condenser") == 0.0
    assert np.isnan(r.value("hp.condenser", "COP"))


def test_heat_pump_below_min_lift_holds_cop():
    # 45 °C source, 50 °C sink: refrigerant lift below 20 K, COP held at its 20 K value
    net, _ = hp_rig(T_si=45 + C, T_ki=40 + C, setpoint=50 + C)
    r = net.solve()
    T_ko = r.exit_temperature("hp.condenser")
    assert r.value("hp.condenser", "COP") == pytest.approx(
        CarnotHeatPump().cop(T_ko - 20.0, T_ko), rel=1e-12
    )
    assert "below_min_lift" in [f.code for f in r.flags]


def test_heat_pump_source_temperature_limit():
    # 2 kg/s of 10 °C source water cannot give what a 60 °C setpoint needs without freezing:
    # the source leaves at 1.1 °C (Trane freeze-protection cutout) and the sink gets the rest
    net, _ = hp_rig(T_si=10 + C, m_s=2.0)
    r = net.solve()
    T_so, T_ko = r.exit_temperature("hp.evaporator"), r.exit_temperature("hp.condenser")
    assert T_so == pytest.approx(1.1 + C, abs=1e-9)
    assert -r.heat("hp.evaporator") == pytest.approx(2.0 * (h(10 + C) - h(1.1 + C)), rel=1e-9)
    perf = CarnotHeatPump().performance(r.heat("hp.condenser"), T_so, T_ko)
    assert -r.heat("hp.evaporator") == pytest.approx(perf.Q_source, rel=1e-9)
    assert r.value("hp.condenser", "P_el_W") == pytest.approx(perf.P_el, rel=1e-9)
    assert [f.code for f in r.flags] == ["source_temperature_limited"]
    net, _ = hp_rig(T_si=1.0 + C)
    r = net.solve()
    assert r.heat("hp.condenser") == 0.0
    assert [f.code for f in r.flags] == ["source_too_cold"]


def test_heat_pump_sink_temperature_limit():
    net, _ = hp_rig(setpoint=90 + C, T_si=50 + C)
    r = net.solve()
    assert r.exit_temperature("hp.condenser") == pytest.approx(85 + C, abs=1e-9)
    assert "sink_temperature_limited" in [f.code for f in r.flags]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"heating_capacity": 800e3},
        {"T_si": 15 + C, "T_ki": 40 + C, "setpoint": 84 + C},
        {"T_si": 45 + C, "T_ki": 40 + C, "setpoint": 50 + C},
        {"T_ki": 60 + C - 0.004},  # 4 mK below the setpoint (the former blend band)
        {"T_si": 10 + C, "m_s": 2.0},
        {"m_s": -20.0},  # reversed flow through the evaporator
    ],
    ids=["setpoint", "capacity", "max_lift", "min_lift", "just_below", "source_limit", "reversed"],
)
def test_heat_pump_jacobian_matches_finite_differences(kw):
    net, _ = hp_rig(**kw)
    r = net.solve()
    assert jacobian_error(net, r) < 1e-6


def test_heat_pump_set_parameter_in_place():
    net, _ = hp_rig()
    r = net.solve()
    system = net.system()
    net.set_parameter("hp", "sink_setpoint", 55 + C)
    assert net.system() is system
    r2 = net.solve(warm_start=r)
    assert r2.exit_temperature("hp.condenser") == pytest.approx(55 + C, abs=1e-9)
    net.set_parameter("hp", "heating_capacity", 100e3)
    net.set_parameter("hp", "enabled", True)
    assert net.solve(warm_start=r2).heat("hp.condenser") == pytest.approx(100e3, rel=1e-9)


def test_heat_pump_input_errors():
    with pytest.raises(InputError, match="did you pass degC"):
        HeatPump("hp", source_inlet="a", source_outlet="b", sink_inlet="c", sink_outlet="d",
                 sink_setpoint=60.0)  # fmt: skip
    with pytest.raises(InputError, match="model must be a thermo.plant"):
        HeatPump("hp", source_inlet="a", source_outlet="b", sink_inlet="c", sink_outlet="d",
                 sink_setpoint=333.15, model="R134a")  # fmt: skip
    with pytest.raises(InputError, match="heating_capacity must be greater than zero"):
        HeatPump("hp", source_inlet="a", source_outlet="b", sink_inlet="c", sink_outlet="d",
                 sink_setpoint=333.15, heating_capacity=0.0)  # fmt: skip


@pytest.mark.slow
def test_heat_pump_with_refrigerant_cycle_model():
    from thermo.plant import VaporCompressionHeatPump

    model = VaporCompressionHeatPump("R134a")
    net, _ = hp_rig(model=model)
    r = net.solve()
    T_so, T_ko = r.exit_temperature("hp.evaporator"), r.exit_temperature("hp.condenser")
    assert T_ko == pytest.approx(60 + C, abs=1e-9)
    assert r.value("hp.condenser", "COP") == pytest.approx(model.cop(T_so, T_ko), rel=1e-9)
    assert jacobian_error(net, r) < 1e-6


# ----------------------------------------------------------------------------------- boiler
def test_boiler_tops_up_to_setpoint_with_plant_fuel_and_co2():
    net = boiler_rig(setpoint=70 + C)
    r = net.solve()
    assert r.exit_temperature("boiler") == pytest.approx(70 + C, abs=1e-12)
    Q = r.heat("boiler")
    assert Q == pytest.approx(10.0 * (h(70 + C) - h(40 + C)), rel=1e-12)
    eta = GasBoiler().efficiency(40 + C)
    assert r.value("boiler", "efficiency") == pytest.approx(eta, rel=1e-12)
    assert r.value("boiler", "fuel_W") == pytest.approx(Q / eta, rel=1e-12)
    assert r.value("boiler", "co2_kg_s") == pytest.approx(gas_co2(gas_volume(Q / eta)), rel=1e-12)
    assert r.closure["energy_rel"] < 1e-9
    assert r.flags == []


def test_boiler_preheating_saves_fuel():
    # the Manitoba arrangement: a warmer inlet needs less fuel despite the lower efficiency
    fuel = [boiler_rig(T_in=t, setpoint=70 + C).solve().value("boiler", "fuel_W") for t in
            (30 + C, 40 + C, 50 + C)]  # fmt: skip
    assert fuel[0] > fuel[1] > fuel[2] > 0


def test_boiler_capacity_limit_and_pass_through():
    r = boiler_rig(setpoint=70 + C, capacity=500e3).solve()
    assert r.heat("boiler") == pytest.approx(500e3, rel=1e-9)
    assert h(r.exit_temperature("boiler")) - h(40 + C) == pytest.approx(50e3, rel=1e-9)
    assert [f.code for f in r.flags] == ["capacity_limited"]
    r = boiler_rig(setpoint=35 + C).solve()  # inlet above setpoint: no heat at all
    assert r.heat("boiler") == 0.0
    r = boiler_rig(setpoint=70 + C, enabled=False).solve()
    assert r.heat("boiler") == 0.0


def test_boiler_efficiency_out_of_range_and_electric():
    r = boiler_rig(T_in=5 + C, setpoint=40 + C).solve()
    assert np.isnan(r.value("boiler", "fuel_W"))
    assert "efficiency_out_of_range" in [f.code for f in r.flags]
    r = boiler_rig(setpoint=70 + C, boiler=ElectricBoiler()).solve()
    assert r.value("boiler", "fuel_W") == pytest.approx(r.heat("boiler") / 0.99, rel=1e-12)
    assert np.isnan(r.value("boiler", "co2_kg_s"))
    r = boiler_rig(setpoint=70 + C, boiler=ElectricBoiler(), grid_co2_per_J=1e-3 / 3.6e6).solve()
    assert r.value("boiler", "co2_kg_s") == pytest.approx(
        r.heat("boiler") / 0.99 * 1e-3 / 3.6e6, rel=1e-12
    )


@pytest.mark.parametrize(
    "kw",
    [{"setpoint": 70 + C}, {"setpoint": 70 + C, "capacity": 500e3}, {"setpoint": 40.004 + C}],
    ids=["setpoint", "capacity", "just_below"],
)
def test_boiler_jacobian_matches_finite_differences(kw):
    net = boiler_rig(**kw)
    assert jacobian_error(net, net.solve()) < 1e-6


def test_exact_max_is_the_maximum_with_a_newton_derivative():
    t = np.linspace(-0.02, 0.02, 4001)
    v, d = exact_max(t, 0.0)
    assert np.all(v == np.maximum(t, 0.0))  # exact everywhere, no blend
    assert np.all(d[t <= 0.0] == 0.0) and np.all(d[t >= 0.01] == 1.0)  # exact outside the ramp
    assert np.all((d >= 0.0) & (d <= 1.0))


def test_boiler_input_errors():
    with pytest.raises(InputError, match="did you pass degC"):
        Boiler("b", "a", "c", setpoint=70.0)
    with pytest.raises(InputError, match="boiler must be a thermo.plant GasBoiler"):
        Boiler("b", "a", "c", setpoint=343.15, boiler="gas")
    with pytest.raises(InputError, match="enabled must be True or False"):
        Boiler("b", "a", "c", setpoint=343.15, enabled="yes")


# ----------------------------------------------------------------------------------- rails
L_RAIL = 18_750.0  # 1 ha at 1.875 m/m² (Vanthoor 2011)
T_AIR = 19.5 + C


@pytest.mark.parametrize(
    ("t_in", "m"), [(80 + C, 20.0), (60 + C, 10.0), (50 + C, 3.0), (45 + C, 1.0), (80 + C, 0.5)]
)
def test_rail_exit_temperature_matches_adaptive_integration(t_in, m):
    from scipy.integrate import solve_ivp

    sol = solve_ivp(
        lambda x, T: -emission_per_metre(T, T_AIR) / (m * 4180.0),
        (0.0, L_RAIL),
        [t_in],
        method="DOP853",
        rtol=1e-12,
        atol=1e-12,
    )
    t_out, _, _ = rail_exit_temperature(t_in, m, T_AIR, length=L_RAIL)
    assert float(t_out) == pytest.approx(sol.y[0, -1], abs=1e-5)


@pytest.mark.parametrize(("t_in", "m"), [(80 + C, 20.0), (60 + C, 5.0), (50 + C, 1.0)])
def test_rail_pure_convection_closed_form(t_in, m):
    # emissivity 0: m cp dΔ/dx = -c Δ^1.32 has Δ_out^-0.32 = Δ_in^-0.32 + 0.32 c L/(m cp)
    c = 1.99 * np.pi * 0.051
    d0 = t_in - T_AIR
    exact = (d0**-0.32 + 0.32 * c * L_RAIL / (m * 4180.0)) ** (-1 / 0.32)
    t_out, _, _ = rail_exit_temperature(t_in, m, T_AIR, length=L_RAIL, emissivity=0.0)
    assert float(t_out) - T_AIR == pytest.approx(exact, rel=2e-6)


def test_rail_heat_agrees_with_log_mean_for_small_drops():
    # greenhouse module: log-mean within 0.4 % of the exact integral for drops < 0.6 x mean excess
    rail = PipeRail(L_RAIL)
    for t_in, m in [(80 + C, 20.0), (60 + C, 20.0), (70 + C, 15.0)]:
        t_out = float(rail_exit_temperature(t_in, m, T_AIR, length=L_RAIL)[0])
        drop, mean = t_in - t_out, 0.5 * (t_in + t_out) - T_AIR
        assert drop < 0.6 * mean
        q = float(rail_heat(t_in, m, T_AIR, length=L_RAIL))
        assert q == pytest.approx(float(rail.heat_output(t_in, t_out, T_AIR)), rel=4e-3)


def test_rail_derivatives_match_finite_differences():
    t_in = np.array([80 + C, 50 + C, 30 + C, 15 + C])
    m = np.array([10.0, 3.0, 1.0, 4.0])
    _, d_t, d_b = rail_exit_temperature(t_in, m, T_AIR, length=L_RAIL)
    e = 1e-5
    tp = rail_exit_temperature(t_in + e, m, T_AIR, length=L_RAIL)[0]
    tm = rail_exit_temperature(t_in - e, m, T_AIR, length=L_RAIL)[0]
    np.testing.assert_allclose(d_t, (tp - tm) / (2 * e), rtol=1e-6)
    beta = L_RAIL / (m * 4180.0)
    k = 1e-6
    tp = rail_exit_temperature(t_in, m / (1 + k), T_AIR, length=L_RAIL)[0]  # beta (1 + k)
    tm = rail_exit_temperature(t_in, m / (1 - k), T_AIR, length=L_RAIL)[0]
    np.testing.assert_allclose(d_b, (tp - tm) / (2 * k * beta), rtol=1e-5)


def test_rail_supply_temperature_inverts_rail_heat():
    demand = np.array([0.0, 2e5, 8e5, 1.5e6, 5e6])
    t_sup, met = rail_supply_temperature(demand, T_AIR, 10.0, length=L_RAIL, coolant=WATER)
    assert met.tolist() == [True, True, True, True, False]
    assert t_sup[0] == T_AIR
    assert t_sup[-1] == pytest.approx(95 + C)
    q = rail_heat(t_sup[1:4], 10.0, T_AIR, length=L_RAIL, coolant=WATER)
    np.testing.assert_allclose(q, demand[1:4], rtol=1e-9)
    assert rail_heat(95 + C, 10.0, T_AIR, length=L_RAIL, coolant=WATER) < 5e6


def rail_loop(supply=70 + C, demand=1.0e6, m=10.0) -> Network:
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "r", "a", pressure_rise=30e3),
        Boiler("boiler", "a", "s", setpoint=supply),
        GreenhouseRail(
            "rail",
            "s",
            "r",
            length=L_RAIL,
            air_temperature=T_AIR,
            demand=demand,
            pressure_drop=(30e3, m),
        ),  # fmt: skip
        ExpansionTank("tank", "r", pressure=2e5),
    )
    return net


def test_rail_in_a_loop_delivers_rail_heat_and_reports_unmet():
    net = rail_loop()
    r = net.solve()
    assert r.mass_flow("rail") == pytest.approx(10.0, rel=1e-9)
    delivered = r.value("rail", "Q_delivered_W")
    assert delivered == pytest.approx(
        float(rail_heat(70 + C, 10.0, T_AIR, length=L_RAIL, coolant=WATER)), rel=1e-9
    )
    assert delivered == pytest.approx(r.heat("boiler"), rel=1e-9)  # steady closed loop
    assert r.closure["energy_rel"] < 1e-9
    assert r.value("rail", "unmet_W") == 0.0
    net.set_parameter("rail", "demand", 2.0e6)
    r = net.solve(warm_start=r)
    assert r.value("rail", "unmet_W") == pytest.approx(2.0e6 - delivered, rel=1e-9)
    assert "unmet_demand" in [f.code for f in r.flags]
    assert jacobian_error(net, r) < 1e-6


def test_rail_input_errors():
    with pytest.raises(RangeError, match="outside 15–110 mm"):
        GreenhouseRail("g", "a", "b", length=100.0, air_temperature=T_AIR, diameter=0.2)
    with pytest.raises(InputError, match="did you pass degC"):
        GreenhouseRail("g", "a", "b", length=100.0, air_temperature=19.5)
    with pytest.raises(RangeError, match="outside the water range"):
        rail_heat(130 + C, 1.0, T_AIR, length=100.0)


# ----------------------------------------------------------------------------------- the loop
def greenhouse_network(hp_on: bool, boiler_on: bool, supply: float, demand: float) -> Network:
    """Data hall → plate HX → heat pump → boiler → rails, as in examples/greenhouse_reuse.py."""
    m_f, m_g = 1e6 / (4180.0 * 10.0), 10.0
    net = Network(coolant=WATER)
    net.add(
        Pump("f.pump", "f1", "f2", pressure_rise=50e3),
        HeatLoad("hall", "f2", "f3", heat=1e6),
        HeatExchanger(
            "hx",
            hot_inlet="f3",
            hot_outlet="f4",
            cold_inlet="g1",
            cold_outlet="g2",
            ua=250e3,
            hot_pressure_drop=(20e3, m_f),
            cold_pressure_drop=(20e3, m_g),
        ),  # fmt: skip
        HeatPump(
            "hp",
            source_inlet="f4",
            source_outlet="f5",
            sink_inlet="g2",
            sink_outlet="g3",
            sink_setpoint=supply,
            heating_capacity=800e3,
            enabled=hp_on,
            source_pressure_drop=(30e3, m_f),
            sink_pressure_drop=(10e3, m_g),
        ),  # fmt: skip
        Cooler("drycooler", "f5", "f1", outlet_temperature=35 + C),
        ExpansionTank("f.tank", "f1", pressure=2e5),
        Pump("g.pump", "g0", "g1", pressure_rise=60e3),
        Boiler("boiler", "g3", "g4", setpoint=supply, enabled=boiler_on),
        GreenhouseRail(
            "rail",
            "g4",
            "g0",
            length=L_RAIL,
            air_temperature=T_AIR,
            demand=demand,
            pressure_drop=(30e3, m_g),
        ),  # fmt: skip
        ExpansionTank("g.tank", "g0", pressure=2e5),
    )
    return net


@pytest.mark.parametrize(
    ("hp_on", "boiler_on"), [(False, False), (False, True), (True, True), (True, False)]
)
def test_greenhouse_loop_energy_balance_and_jacobian(hp_on, boiler_on):
    demand = 1.1e6
    supply = float(rail_supply_temperature(demand, T_AIR, 10.0, length=L_RAIL, coolant=WATER)[0])
    net = greenhouse_network(hp_on, boiler_on, supply, demand)
    r = net.solve()
    assert r.closure["energy_rel"] < 1e-9
    dc = r.heat("hx.cold")
    hp = r.heat("hp.condenser")
    boiler = r.heat("boiler")
    delivered = r.value("rail", "Q_delivered_W")
    # greenhouse loop in steady state: what the rails emit is what the loop receives
    assert dc + hp + boiler == pytest.approx(delivered, rel=1e-9)
    # facility loop: the hall's 1 MW goes to the HX, the heat pump or the dry cooler
    assert -r.heat("hx.hot") - r.heat("hp.evaporator") - r.heat("drycooler") == pytest.approx(
        1e6, rel=1e-9
    )
    unmet = r.value("rail", "unmet_W")
    if boiler_on:  # the boiler covers the rest: the supply reaches its setpoint
        assert r.temperature("g4") == pytest.approx(supply, abs=1e-6)
        assert unmet == pytest.approx(0.0, abs=1e-3)
    else:  # 45 °C water (or a capped heat pump) cannot deliver 1.1 MW: the network shows it
        assert unmet > (1e4 if hp_on else 3e5)
        assert "unmet_demand" in [f.code for f in r.flags]
    if hp_on:
        assert hp > 0 and r.value("hp.condenser", "P_el_W") > 0
    assert jacobian_error(net, r) < 1e-6


@pytest.mark.slow
def test_example_greenhouse_reuse(tmp_path):
    ns = runpy.run_path(str(REPO / "examples" / "greenhouse_reuse.py"), run_name="example")
    out = ns["main"](tmp_path, verbose=False)
    assert (tmp_path / "greenhouse_reuse.png").stat().st_size > 10_000
    cov = out["coverage"]
    assert 0 < cov["direct"]["dc"] < cov["heat_pump_boiler"]["dc"] + 1e-12
    for case in ("direct_boiler", "heat_pump_boiler"):
        assert cov[case]["unmet"] < 0.01
        total = cov[case]["dc"] + cov[case]["hp_el"] + cov[case]["boiler"] + cov[case]["unmet"]
        assert total == pytest.approx(1.0, abs=0.01)
    assert out["gas_saving"]["heat_pump_boiler"] > out["gas_saving"]["direct_boiler"] > 0
    assert out["interpolation_error"] < 0.01


def test_several_units_per_group_with_different_models_and_diameters():
    # two heat pumps (Carnot 0.45 and 0.55, one switched off) and two rails of different diameter
    net = Network(coolant=WATER)
    a = HeatPump("a", source_inlet="s1", source_outlet="s2", sink_inlet="k1", sink_outlet="k2",
                 sink_setpoint=60 + C)  # fmt: skip
    b = HeatPump("b", source_inlet="t1", source_outlet="t2", sink_inlet="j1", sink_outlet="j2",
                 sink_setpoint=55 + C, model=CarnotHeatPump(carnot_fraction=0.55))  # fmt: skip
    c = HeatPump("c", source_inlet="u1", source_outlet="u2", sink_inlet="i1", sink_outlet="i2",
                 sink_setpoint=55 + C, enabled=False)  # fmt: skip
    net.add(a, b, c)
    for tag, (i, o, T) in {"s": ("s1", "s2", 40), "k": ("k1", "k2", 30), "t": ("t1", "t2", 35),
                           "j": ("j1", "j2", 30), "u": ("u1", "u2", 35),
                           "i": ("i1", "i2", 30)}.items():  # fmt: skip
        open_side(net, tag, i, o, 10.0, T + C)
    net.add(
        GreenhouseRail("r51", "x1", "x2", length=500.0, air_temperature=T_AIR),
        GreenhouseRail("r35", "y1", "y2", length=500.0, air_temperature=T_AIR, diameter=0.035),
    )
    open_side(net, "x", "x1", "x2", 1.0, 70 + C)
    open_side(net, "y", "y1", "y2", 1.0, 70 + C)
    r = net.solve()
    for name, model in (("a", CarnotHeatPump()), ("b", CarnotHeatPump(carnot_fraction=0.55))):
        T_so = r.exit_temperature(f"{name}.evaporator")
        T_ko = r.exit_temperature(f"{name}.condenser")
        perf = model.performance(r.heat(f"{name}.condenser"), T_so, T_ko)
        assert r.value(f"{name}.condenser", "P_el_W") == pytest.approx(perf.P_el, rel=1e-9)
    assert r.heat("c.condenser") == 0.0
    for name, d in (("r51", 0.051), ("r35", 0.035)):
        expected = rail_heat(70 + C, 1.0, T_AIR, length=500.0, diameter=d, coolant=WATER)
        assert r.value(name, "Q_delivered_W") == pytest.approx(float(expected), rel=1e-9)
    assert r.value("r35", "Q_delivered_W") < r.value("r51", "Q_delivered_W")
    assert jacobian_error(net, r) < 1e-6


# ------------------------------------------------------------ exact setpoint switches (issue 11)
@pytest.mark.parametrize("dT", [0.005, 0.0002, 0.5])
def test_boiler_above_its_setpoint_adds_exactly_nothing(dT):
    """An inlet above the setpoint passes unchanged: 0 W (the former C1 blend added heat up to
    2.5 mK above the setpoint, e.g. 0.6 mK x cp x m = 25 W at 5 mK above for 10 kg/s)."""
    r = boiler_rig(T_in=70 + C + dT, setpoint=70 + C).solve()
    assert abs(r.heat("boiler")) < 1e-6
    assert r.exit_temperature("boiler") == pytest.approx(70 + C + dT, abs=1e-9)
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


@pytest.mark.parametrize("dT", [0.001, 0.005])
def test_boiler_just_below_its_setpoint_adds_exactly_the_top_up(dT):
    """1 mK below the setpoint: Q = m (h(setpoint) - h(T_in)) = cp m 1 mK (CoolProp enthalpy)."""
    T_in = 70 + C - dT
    r = boiler_rig(T_in=T_in, setpoint=70 + C).solve()
    expected = 10.0 * (h(70 + C) - h(T_in))
    assert expected == pytest.approx(10.0 * WATER.specific_heat(70 + C) * dT, rel=1e-3)
    assert r.heat("boiler") == pytest.approx(expected, rel=1e-6)
    assert r.exit_temperature("boiler") == pytest.approx(70 + C, abs=1e-9)
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


@pytest.mark.parametrize("dT", [0.005, -0.001])
def test_heat_pump_condenser_switch_is_exact(dT):
    """Sink water above the setpoint gets no heat; 1 mK below, exactly m (h(set) - h(T_in))."""
    T_ki = 60 + C + dT
    net, _ = hp_rig(T_ki=T_ki)
    r = net.solve()
    expected = max(0.0, 10.0 * (h(60 + C) - h(T_ki)))
    assert r.heat("hp.condenser") == pytest.approx(expected, abs=1e-6)
    assert r.exit_temperature("hp.condenser") == pytest.approx(max(T_ki, 60 + C), abs=1e-9)
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9
