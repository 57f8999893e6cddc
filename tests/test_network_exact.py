"""Network solutions against exact or independent solutions.

References used here, none of them thermo's own output:

* laminar pipes: Hagen–Poiseuille, dp = 128 mu L Q / (pi D^4) (exact);
* turbulent pipes: Darcy–Weisbach with ``fluids.friction_factor`` called directly;
* two loops coupled by a heat exchanger: ε-NTU with ``ht.effectiveness_from_NTU``;
* reversed flow: the energy balance of each node written by hand;
* the Hardy Cross network of ``thermo.verification.cases_network``: the same equations solved by
  ``scipy.optimize.fsolve`` (fixed friction factors, and Colebrook friction via ``fluids``);
* a pump on a system curve: the closed-form intersection of the two parabolas.

Every solved network is also checked for mass and energy closure and for non-triviality.
"""

from __future__ import annotations

import math

import fluids
import numpy as np
import pytest
from ht.hx import effectiveness_from_NTU
from scipy.optimize import fsolve

from thermo import Coolant
from thermo.network import (
    Cooler,
    ExpansionTank,
    HeatExchanger,
    HeatLoad,
    Network,
    Pipe,
    PressureBoundary,
    Pump,
)
from thermo.verification import cases_network as hc
from thermo.verification.exchanger_ode import exchanger_ode

WATER = Coolant("water")
T0 = 303.15
G = 9.80665


def assert_closed(result, tol: float = 1e-9) -> None:
    assert result.converged
    assert result.closure["mass_rel"] < tol
    assert result.closure["energy_rel"] < tol


def assert_isothermal(result, T: float) -> None:
    """Energy statement of an adiabatic network fed at one temperature: every node stays at T.

    (Used instead of ``closure["energy_rel"]`` for adiabatic open networks, where that ratio is
    not meaningful, see ``test_energy_closure_of_adiabatic_open_network``.)
    """
    assert result.converged
    assert result.closure["mass_rel"] < 1e-9
    assert np.allclose(result.nodes["T_K"], T, rtol=0, atol=1e-9)


def open_line(*pipes: Pipe, p_in: float, p_out: float) -> Network:
    net = Network(coolant=WATER)
    net.add(PressureBoundary("in", "I", pressure=p_in, temperature=T0))
    net.add(*pipes)
    net.add(PressureBoundary("out", "O", pressure=p_out, temperature=T0))
    return net


def hagen_poiseuille_resistance(length: float, diameter: float) -> float:
    """dp / Q for laminar flow [Pa s/m³]."""
    return 128.0 * WATER.viscosity(T0) * length / (math.pi * diameter**4)


# --------------------------------------------------------------------------------------------
# laminar: Hagen-Poiseuille
# --------------------------------------------------------------------------------------------
def test_laminar_series_pipes_hagen_poiseuille() -> None:
    dp = 200.0
    net = open_line(
        Pipe("a", "I", "M", length=3.0, diameter=0.006),
        Pipe("b", "M", "O", length=2.0, diameter=0.004),
        p_in=2e5 + dp,
        p_out=2e5,
    )
    result = net.solve()
    Ra = hagen_poiseuille_resistance(3.0, 0.006)
    Rb = hagen_poiseuille_resistance(2.0, 0.004)
    Q = dp / (Ra + Rb)
    rho = WATER.density(T0)
    assert result.mass_flow("a") == pytest.approx(rho * Q, rel=1e-9)
    assert result.mass_flow("b") == pytest.approx(rho * Q, rel=1e-9)
    assert result.pressure("M") == pytest.approx(2e5 + dp - Ra * Q, abs=1e-5)
    assert result.value("b", "Re") < 2300  # laminar: the law is exact
    assert result.mass_flow("a") > 1e-4
    assert_isothermal(result, T0)


def test_laminar_parallel_pipes_split_inversely_to_resistance() -> None:
    dp = 150.0
    net = open_line(
        Pipe("short", "I", "O", length=1.0, diameter=0.005),
        Pipe("long", "I", "O", length=4.0, diameter=0.005),
        Pipe("narrow", "I", "O", length=1.0, diameter=0.003),
        p_in=2e5 + dp,
        p_out=2e5,
    )
    result = net.solve()
    rho = WATER.density(T0)
    for name, length, d in (("short", 1.0, 0.005), ("long", 4.0, 0.005), ("narrow", 1.0, 0.003)):
        Q = dp / hagen_poiseuille_resistance(length, d)
        assert result.mass_flow(name) == pytest.approx(rho * Q, rel=1e-9), name
        assert result.value(name, "Re") < 2300
    # exact ratios: 4 for the length, (5/3)^4 for the diameter
    assert result.mass_flow("short") / result.mass_flow("long") == pytest.approx(4.0, rel=1e-9)
    assert result.mass_flow("short") / result.mass_flow("narrow") == pytest.approx(
        (5 / 3) ** 4, rel=1e-9
    )
    assert_isothermal(result, T0)


# --------------------------------------------------------------------------------------------
# turbulent: Darcy-Weisbach with fluids.friction_factor
# --------------------------------------------------------------------------------------------
def darcy_weisbach_dp(m: float, length: float, d: float, roughness: float, k: float = 0.0) -> float:
    """Independent pipe pressure drop [Pa] at mass flow ``m`` (Clamond-Colebrook from fluids)."""
    rho, mu = WATER.density(T0), WATER.viscosity(T0)
    area = math.pi * d * d / 4.0
    v = m / (rho * area)
    re = rho * abs(v) * d / mu
    assert re > 4000  # fully turbulent: fluids and thermo use the same law there
    f = fluids.friction_factor(Re=re, eD=roughness / d)
    return (f * length / d + k) * rho * v * abs(v) / 2.0


def test_turbulent_series_and_parallel_pipes_against_fluids() -> None:
    """I -> (a in series with b) -> O in parallel with c (with fittings and a rise of 1.5 m)."""
    net = open_line(
        Pipe("a", "I", "M", length=6.0, diameter=0.025, roughness=4.5e-5),
        Pipe("b", "M", "O", length=4.0, diameter=0.02, roughness=1.5e-6),
        Pipe("c", "I", "O", length=8.0, diameter=0.03, k_minor=2.5, elevation_change=1.5),
        p_in=2.5e5,
        p_out=2e5,
    )
    result = net.solve()
    rho = WATER.density(T0)
    dp_a = darcy_weisbach_dp(result.mass_flow("a"), 6.0, 0.025, 4.5e-5)
    dp_b = darcy_weisbach_dp(result.mass_flow("b"), 4.0, 0.02, 1.5e-6)
    dp_c = darcy_weisbach_dp(result.mass_flow("c"), 8.0, 0.03, 1.5e-6, k=2.5) + rho * G * 1.5
    assert dp_a + dp_b == pytest.approx(5e4, rel=1e-9)  # series: drops add up
    assert dp_c == pytest.approx(5e4, rel=1e-9)  # parallel: same difference
    assert result.pressure("M") == pytest.approx(2.5e5 - dp_a, abs=1e-3)  # 1e-8 of 50 kPa
    assert result.mass_flow("a") == pytest.approx(result.mass_flow("b"), rel=1e-12)
    assert result.value("c", "friction_factor") == pytest.approx(
        fluids.friction_factor(Re=result.value("c", "Re"), eD=1.5e-6 / 0.03), rel=1e-10
    )
    assert result.mass_flow("a") > 0.5 and result.mass_flow("c") > 0.5
    assert_isothermal(result, T0)


def test_laminar_and_turbulent_branches_in_one_network() -> None:
    dp = 2e4
    net = open_line(
        Pipe("capillary", "I", "O", length=5.0, diameter=0.002),
        Pipe("main", "I", "O", length=5.0, diameter=0.02),
        p_in=2e5 + dp,
        p_out=2e5,
    )
    result = net.solve()
    rho = WATER.density(T0)
    assert result.mass_flow("capillary") == pytest.approx(
        rho * dp / hagen_poiseuille_resistance(5.0, 0.002), rel=1e-9
    )
    assert darcy_weisbach_dp(result.mass_flow("main"), 5.0, 0.02, 1.5e-6) == pytest.approx(
        dp, rel=1e-9
    )
    assert_isothermal(result, T0)


# --------------------------------------------------------------------------------------------
# heat exchanger between two loops: epsilon-NTU with ht
# --------------------------------------------------------------------------------------------
HT_SUBTYPE = {
    "counterflow": "counterflow",
    "parallel": "parallel",
    "crossflow_unmixed": "crossflow",
    "crossflow_mixed_cmin": "crossflow, mixed Cmin",
    "crossflow_mixed_cmax": "crossflow, mixed Cmax",
}


@pytest.mark.parametrize("arrangement", list(HT_SUBTYPE))
def test_two_loops_coupled_by_a_heat_exchanger(arrangement: str) -> None:
    """Loop 1 carries a 12 kW load to the exchanger; loop 2 returns it to a 20 °C cooler.

    Counterflow and parallel flow: the duty and outlets of a direct ODE integration with cp(T) at
    the solved flows and inlets. Every arrangement: a hand ε-NTU with ``ht.effectiveness_from_NTU``
    and each stream's mean capacity rate m Δh/ΔT (the model adds a correction for cp varying inside
    the exchanger, here ~1e-5).
    In steady state Q also equals the load (energy conservation of loop 1).
    """
    q_load, ua = 12e3, 1500.0
    net = Network(coolant=WATER)
    net.add(
        Pump("p1", "C1", "S1", pressure_rise=2e4),
        Pipe("supply1", "S1", "L1", length=5.0, diameter=0.02),
        HeatLoad("load", "L1", "H1", heat=q_load),
        HeatExchanger(
            "hx",
            hot_inlet="H1",
            hot_outlet="C1",
            cold_inlet="S2",
            cold_outlet="H2",
            ua=ua,
            arrangement=arrangement,
        ),
        Pump("p2", "C2", "S2", pressure_rise=1e4),
        Pipe("return2", "H2", "R2", length=5.0, diameter=0.02),
        Cooler("cooler", "R2", "C2", outlet_temperature=293.15),
        ExpansionTank("t1", "C1", pressure=2e5),
        ExpansionTank("t2", "C2", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    m_hot, m_cold = result.mass_flow("hx.hot"), result.mass_flow("hx.cold")
    T_hot_in, T_cold_in = result.temperature("H1"), result.temperature("S2")
    T_hot_out, T_cold_out = result.temperature("C1"), result.temperature("H2")
    q = result.heat("hx.cold")
    assert result.heat("hx.hot") == pytest.approx(-q, rel=1e-12)
    assert q == pytest.approx(q_load, rel=1e-9)  # the exchanger carries the whole load
    # outlets from the enthalpy balance of each side
    assert WATER.enthalpy(T_cold_out) == pytest.approx(WATER.enthalpy(T_cold_in) + q / m_cold)
    assert WATER.enthalpy(T_hot_out) == pytest.approx(WATER.enthalpy(T_hot_in) - q / m_hot)
    if arrangement in ("counterflow", "parallel"):
        # exact integration of the exchanger equations with cp(T)
        q_ref, t1, t2 = exchanger_ode(
            WATER, WATER, m_hot, m_cold, T_hot_in, T_cold_in, ua, arrangement
        )
        assert q == pytest.approx(q_ref, rel=1e-7)
        assert abs(T_hot_out - t1) < 1e-5 and abs(T_cold_out - t2) < 1e-5
    # hand ε-NTU with each stream's mean capacity rate m Δh/ΔT (``ht``): within the correction
    # for cp varying inside the exchanger (here ~1e-5)
    C_hot = q / (T_hot_in - T_hot_out)
    C_cold = q / (T_cold_out - T_cold_in)
    c_min, c_max = min(C_hot, C_cold), max(C_hot, C_cold)
    eps = effectiveness_from_NTU(ua / c_min, c_min / c_max, subtype=HT_SUBTYPE[arrangement])
    q_hand = eps * c_min * (T_hot_in - T_cold_in)
    assert q == pytest.approx(q_hand, rel=1e-4)
    # ε is reported with the secant rates of the last pass (they lag the final duty by one pass)
    assert result.value("hx.cold", "effectiveness") == pytest.approx(
        q / (c_min * (T_hot_in - T_cold_in)), rel=1e-7
    )
    assert result.temperature("C2") == pytest.approx(293.15, abs=0.01)  # cooler at its setpoint
    assert T_hot_in - T_cold_in > 2.0  # non-trivial: a real driving difference


# --------------------------------------------------------------------------------------------
# reversed flow
# --------------------------------------------------------------------------------------------
def test_pump_forcing_flow_backwards_through_two_branches() -> None:
    """Three branches between nodes X and Y, all defined X -> Y: a strong pump with a cooler, a
    weak pump and a heated pipe. The strong pump wins: flow runs backwards (Y -> X) through the
    weak pump and through the heated pipe, which must then heat the fluid on its way to X.
    """
    net = Network(coolant=WATER)
    net.add(
        Pump("strong", "X", "P", pressure_rise=4e4),
        Cooler("cooler", "P", "Y", outlet_temperature=300.0),
        Pump("weak", "X", "W", pressure_rise=5e3),
        Pipe("weak_pipe", "W", "Y", length=2.0, diameter=0.015),
        Pipe("heated_pipe", "X", "Z", length=3.0, diameter=0.015),
        HeatLoad("heater", "Z", "Y", heat=6000.0),
        ExpansionTank("tank", "X", pressure=2e5),
    )
    result = net.solve()
    assert_closed(result)
    m_weak, m_heat = result.mass_flow("weak"), result.mass_flow("heater")
    assert m_weak < -0.05 and m_heat < -0.05  # both reversed
    assert result.mass_flow("strong") == pytest.approx(-(m_weak + m_heat), rel=1e-12)
    # Y is fed only by the cooler: setpoint (within the 0.01 K smoothing of the switch)
    T_y = result.temperature("Y")
    assert T_y == pytest.approx(300.0, abs=0.01)
    # the heater's downstream end is Z: h(Z) = h(Y) + Q / |m|
    assert WATER.enthalpy(result.temperature("Z")) == pytest.approx(
        WATER.enthalpy(T_y) + 6000.0 / abs(m_heat), rel=1e-10
    )
    # X mixes the two reversed streams: the weak pump's at T_y and the heated pipe's at T_z
    h_mix = (
        abs(m_weak) * WATER.enthalpy(T_y) + abs(m_heat) * WATER.enthalpy(result.temperature("Z"))
    ) / (abs(m_weak) + abs(m_heat))
    assert WATER.enthalpy(result.temperature("X")) == pytest.approx(h_mix, rel=1e-10)
    # the results table reports the ports: for reversed flow the fluid enters at the outlet port
    row = result.components.loc["heater"]
    assert row["T_out_C"] == pytest.approx(T_y - 273.15, abs=1e-9)  # port Y, where fluid enters
    assert row["T_in_C"] == pytest.approx(result.temperature("Z") - 273.15, abs=1e-9)
    assert row["Q_W"] == pytest.approx(6000.0, rel=1e-10)
    assert [f.code for f in result.flags_of("reverse_flow")] == ["reverse_flow"]


def test_reversed_heated_branch_between_pressure_boundaries() -> None:
    """An open line defined from B to A while A has the higher pressure: the flow and the heat go
    A -> B, and B sees A's temperature raised by Q / (m cp)."""
    net = Network(coolant=WATER)
    net.add(
        PressureBoundary("high", "A", pressure=2.2e5, temperature=310.0),
        Pipe("pipe", "B", "M", length=4.0, diameter=0.02),
        HeatLoad("heater", "M", "A", heat=3000.0),
        PressureBoundary("low", "B", pressure=2e5, temperature=290.0),
    )
    result = net.solve()
    m = result.mass_flow("pipe")
    assert m < -0.1
    assert result.mass_flow("heater") == pytest.approx(m, rel=1e-12)
    assert result.temperature("A") == pytest.approx(310.0, abs=1e-8)  # inflow boundary
    h_b = WATER.enthalpy(310.0) + 3000.0 / abs(m)
    assert WATER.enthalpy(result.temperature("M")) == pytest.approx(h_b, rel=1e-10)
    assert WATER.enthalpy(result.temperature("B")) == pytest.approx(h_b, rel=1e-10)
    # the "low" boundary takes the fluid out at the node temperature, not its own 290 K
    assert result.boundaries.loc["low", "m_ext_kg_s"] == pytest.approx(m, rel=1e-12)
    # to the solver tolerance (1e-8 K per node): with the Colebrook-from-2320 default the Newton
    # path through the transition band ends one step earlier, at 1.4e-9
    assert_closed(result, tol=1e-8)


def test_energy_closure_of_adiabatic_open_network() -> None:
    """``closure["energy_rel"]`` of an adiabatic open network (inflow and outflow enthalpies
    cancel, no heat): the ratio is normalised by the *net* boundary enthalpy flow, which is
    round-off, so it reads 1.0 (or 0.1, or 0) instead of ~1e-16."""
    result = hc.hardy_cross_network("fixed").solve()
    assert result.converged
    assert result.closure["energy_rel"] < 1e-9


# --------------------------------------------------------------------------------------------
# Hardy Cross network (thermo.verification.cases_network) against scipy.optimize.fsolve
# --------------------------------------------------------------------------------------------
def independent_network_solution(friction: str) -> np.ndarray:
    """Pipe flows [m³/s] of the vignette's network from node heads and Darcy–Weisbach.

    Unknowns: 10 flows and 7 heads (node A is the datum). Equations: head drop of each pipe,
    continuity at the 7 other nodes. Friction: the fixed factors, or Colebrook (``fluids``) at
    the pipe's Reynolds number with water at 20 °C.
    """
    pipes = hc.HARDY_CROSS_PIPES
    nodes = sorted({p[0] for p in pipes} | {p[1] for p in pipes})
    index = {n: i for i, n in enumerate(nodes)}
    nu = WATER.viscosity(hc.HARDY_CROSS_TEMPERATURE) / WATER.density(hc.HARDY_CROSS_TEMPERATURE)

    def friction_factor(q: float, d: float, f_fixed: float) -> float:
        if friction == "fixed":
            return f_fixed
        re = 4.0 * abs(q) / (math.pi * d * nu)
        return fluids.friction_factor(Re=re, eD=hc.HARDY_CROSS_ROUGHNESS / d, Method="Colebrook")

    def residuals(z: np.ndarray) -> np.ndarray:
        q, heads = z[:10], np.concatenate([[0.0], z[10:]])
        out = []
        for j, (a, b, d, length, f) in enumerate(pipes):
            r = 8.0 * friction_factor(q[j], d, f) * length / (math.pi**2 * G * d**5)
            out.append(heads[index[a]] - heads[index[b]] - r * q[j] * abs(q[j]))
        balance = np.zeros(len(nodes))
        for j, (a, b, *_) in enumerate(pipes):
            balance[index[a]] -= q[j]
            balance[index[b]] += q[j]
        for node, demand in hc.HARDY_CROSS_DEMANDS.items():
            balance[index[node]] -= demand
        return np.concatenate([out, balance[1:]])

    z0 = np.concatenate([np.full(10, 0.01), -np.arange(1, 8, dtype=float)])
    z, info, ier, msg = fsolve(residuals, z0, xtol=1e-13, full_output=True)
    assert ier == 1, msg
    assert np.max(np.abs(residuals(z))) < 1e-10
    return z[:10]


@pytest.mark.parametrize("friction", ["fixed", "colebrook"])
def test_hardy_cross_network_against_independent_solution(friction: str) -> None:
    result = hc.hardy_cross_network(friction).solve()
    rho = WATER.density(hc.HARDY_CROSS_TEMPERATURE)
    q = np.array([result.mass_flow(f"pipe{i}") / rho for i in range(1, 11)])
    expected = independent_network_solution(friction)
    assert np.allclose(q, expected, rtol=1e-7, atol=0.0)
    assert np.all(q > 1e-3)  # every pipe carries flow in the published direction
    # 80 L/s in at A, 40 + 20 + 20 L/s out
    assert result.boundaries.loc["supply", "m_ext_kg_s"] / rho == pytest.approx(0.08, rel=1e-10)
    assert_isothermal(result, hc.HARDY_CROSS_TEMPERATURE)
    if friction == "colebrook":
        # all pipes turbulent, where fluids' Colebrook and thermo's Clamond solution agree
        assert result.components["Re"].min() > 1e4


def test_pump_operating_point_closed_form() -> None:
    """Pump h = a + c Q² on system h = hs + K Q²: Q = sqrt((a - hs) / (K - c))."""
    net, K = hc.operating_point_network()
    result = net.solve()
    op = hc.OPERATING_POINT
    cfs = np.array(op["curve_gpm"]) * 3.785411784e-3 / 60.0 / 0.3048**3
    (a, c), *_ = np.linalg.lstsq(
        np.column_stack([np.ones(3), cfs**2]), np.array(op["curve_ft"]), rcond=None
    )
    q = math.sqrt((a - op["static_head_ft"]) / (K - c))
    q_thermo = result.components.loc["pump", "V_dot_m3_s"] / 0.3048**3
    assert q_thermo == pytest.approx(q, rel=1e-9)
    assert result.value("pump", "head_m") / 0.3048 == pytest.approx(a + c * q * q, rel=1e-9)
    assert_isothermal(result, 288.15)
