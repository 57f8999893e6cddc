"""Exchanger duty with cp varying along the exchanger (issue 11, item 5).

References: a direct ODE integration of the exchanger equations
(:func:`thermo.verification.exchanger_ode.exchanger_ode`, ``solve_ivp`` + shooting), the
classic ε-NTU closed forms (``ht``) for constant cp, central differences for the derivatives, and
energy closure of the solved networks.
"""

from __future__ import annotations

import numpy as np
import pytest
from ht.hx import effectiveness_from_NTU

from thermo import Coolant
from thermo.components.exchanger_profile import Dual, coolant_duty, exchanger_duty
from thermo.components.heat_exchanger import HeatExchanger
from thermo.correlations.effectiveness import effectiveness_derivatives
from thermo.network import FlowSource, Network, PressureBoundary
from thermo.verification.exchanger_ode import exchanger_ode

T0 = 273.15
PG25 = Coolant("PG25")
WATER = Coolant("water")
ARRANGEMENTS = (
    "counterflow",
    "parallel",
    "crossflow_unmixed",
    "crossflow_mixed_cmin",
    "crossflow_mixed_cmax",
)


def once_through(hx, hot, cold, m_hot, m_cold, T_hot, T_cold) -> Network:
    net = Network()
    net.add(
        hx,
        FlowSource("hs", "h1", mass_flow=m_hot, temperature=T_hot, coolant=hot),
        PressureBoundary("hb", "h2", pressure=2e5, temperature=T_hot, coolant=hot),
        FlowSource("cs", "c1", mass_flow=m_cold, temperature=T_cold, coolant=cold),
        PressureBoundary("cb", "c2", pressure=2e5, temperature=T_cold, coolant=cold),
    )
    return net


def exchanger(ua: float, arrangement: str = "counterflow") -> HeatExchanger:
    return HeatExchanger(
        "hx",
        hot_inlet="h1",
        hot_outlet="h2",
        cold_inlet="c1",
        cold_outlet="c2",
        ua=ua,
        arrangement=arrangement,
    )


def test_counterflow_pg25_water_outlets_match_the_ode_within_5_mK() -> None:
    """The issue's case: PG25 0.15 kg/s at 60 °C against water 0.2 kg/s at 30 °C, UA 3000 W/K.

    With cp at each inlet the outlets were 121 mK (hot) and 86 mK (cold) off the ODE."""
    res = once_through(exchanger(3000.0), PG25, WATER, 0.15, 0.2, T0 + 60, T0 + 30).solve()
    assert res.converged
    assert res.closure["energy_rel"] < 1e-6
    q, t_hot, t_cold = exchanger_ode(
        PG25, WATER, 0.15, 0.2, T0 + 60, T0 + 30, 3000.0, "counterflow"
    )
    assert abs(res.exit_temperature("hx.hot") - t_hot) < 0.005
    assert abs(res.exit_temperature("hx.cold") - t_cold) < 0.005
    assert res.heat("hx.cold") == pytest.approx(q, rel=1e-5)
    # both sides compute the same duty (res.heat re-evaluates each exit enthalpy: round-off)
    assert res.heat("hx.hot") == pytest.approx(-res.heat("hx.cold"), rel=1e-12)


@pytest.mark.parametrize(
    ("hot", "cold", "m_hot", "m_cold", "T_hot", "T_cold", "ntu", "arrangement"),
    [
        (PG25, WATER, 0.15, 0.2, 60.0, 30.0, 3000 / (0.15 * 3950), "parallel"),
        (PG25, WATER, 0.15, 0.5, 80.0, 10.0, 5.0, "counterflow"),
        (PG25, WATER, 0.2, 0.19, 80.0, 10.0, 8.0, "counterflow"),  # nearly balanced
        (WATER, PG25, 0.3, 0.15, 80.0, 10.0, 4000 / (0.15 * 3900), "counterflow"),
        (PG25, WATER, 0.15, 0.3, 80.0, 10.0, 3.0, "parallel"),
        (PG25, WATER, 0.1, 0.8, 80.0, 10.0, 12.0, "counterflow"),  # pinched
    ],
)
def test_duty_against_the_ode(hot, cold, m_hot, m_cold, T_hot, T_cold, ntu, arrangement) -> None:
    ua = ntu * min(m_hot * hot.specific_heat(T0 + T_hot), m_cold * cold.specific_heat(T0 + T_cold))
    q, t1, t2 = coolant_duty(ua, arrangement, hot, cold, T0 + T_hot, T0 + T_cold, m_hot, m_cold)
    q_ref, r1, r2 = exchanger_ode(
        hot, cold, m_hot, m_cold, T0 + T_hot, T0 + T_cold, ua, arrangement
    )
    assert abs(t1 - r1) < 5e-4 and abs(t2 - r2) < 5e-4  # measured ≤ 0.07 mK
    assert q == pytest.approx(q_ref, rel=2e-5)


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_constant_cp_gives_the_classic_effectiveness(arrangement: str) -> None:
    fluid = Coolant.custom(
        "const",
        density=1000.0,
        specific_heat=4000.0,
        viscosity=1e-3,
        conductivity=0.6,
        freezing_point=T0,
        max_temperature=T0 + 100,
    )
    m1, m2, ua = 0.3, 0.5, 2500.0
    q, _, _ = coolant_duty(ua, arrangement, fluid, fluid, T0 + 70, T0 + 20, m1, m2)
    c_min, c_max = 4000.0 * m1, 4000.0 * m2
    subtype = {
        "crossflow_unmixed": "crossflow",
        "crossflow_mixed_cmin": "crossflow, mixed Cmin",
        "crossflow_mixed_cmax": "crossflow, mixed Cmax",
    }.get(arrangement, arrangement)
    eps = effectiveness_from_NTU(ua / c_min, c_min / c_max, subtype=subtype)
    assert q == pytest.approx(eps * c_min * 50.0, rel=1e-10)


def _duty(x: np.ndarray, arrangement: str, ua: float, dua: tuple[float, float] = (0.0, 0.0)):
    """Duty and its four derivatives at x = (T_hot, T_cold, m_hot, m_cold), PG25 hot, water cold."""

    def inverse(fluid):
        def inv(h, guess):
            T = np.asarray(fluid.temperature_from_enthalpy(h, check=False))
            return T, np.asarray(fluid.specific_heat(T, check=False))

        return inv

    s1, s2 = PG25.state(np.array([x[0]])), WATER.state(np.array([x[1]]))
    g = np.zeros((4, 1))
    g[2, 0], g[3, 0] = dua
    ua_now = ua + dua[0] * (x[2] - 0.15) + dua[1] * (x[3] + 0.2)  # linear in the signed flows
    Q, _ = exchanger_duty(
        [arrangement],
        Dual(np.array([ua_now]), g),
        x[:1],
        x[1:2],
        x[2:3],
        x[3:4],
        s1.h,
        s2.h,
        s1.cp,
        s2.cp,
        s1.dcp_dT,
        s2.dcp_dT,
        inverse(PG25),
        inverse(WATER),
        lambda n, c: effectiveness_derivatives(n, c, arrangement),
        lambda T: (PG25.specific_heat(T), PG25.specific_heat_dT(T)),
        lambda T: (WATER.specific_heat(T), WATER.specific_heat_dT(T)),
    )
    return float(Q.v[0]), Q.g[:, 0]


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
@pytest.mark.parametrize("dua", [(0.0, 0.0), (4000.0, 2500.0)])
def test_derivatives_match_central_differences(arrangement: str, dua) -> None:
    x = np.array([T0 + 60.0, T0 + 25.0, 0.15, -0.2])  # the cold side's flow reversed in sign
    _, grad = _duty(x, arrangement, 3000.0, dua)
    for j, step in enumerate((1e-4, 1e-4, 1e-7, 1e-7)):
        xp, xm = x.copy(), x.copy()
        xp[j] += step
        xm[j] -= step
        fd = (_duty(xp, arrangement, 3000.0, dua)[0] - _duty(xm, arrangement, 3000.0, dua)[0]) / (
            2 * step
        )
        assert grad[j] == pytest.approx(fd, rel=1e-6, abs=1e-6 * abs(fd) + 1e-3)


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_network_energy_closes_and_sides_agree(arrangement: str) -> None:
    res = once_through(
        exchanger(2500.0, arrangement), PG25, WATER, 0.15, 0.3, T0 + 65, T0 + 20
    ).solve()
    assert res.converged
    assert res.closure["mass_rel"] < 1e-6 and res.closure["energy_rel"] < 1e-6
    assert res.heat("hx.hot") == pytest.approx(-res.heat("hx.cold"), rel=1e-12)
    q = res.heat("hx.cold")
    assert WATER.enthalpy(res.exit_temperature("hx.cold")) - WATER.enthalpy(T0 + 20) == (
        pytest.approx(q / 0.3, rel=1e-9)
    )


def test_verify_case_references_are_the_ode_outlets() -> None:
    from thermo.verification import cases_components as cc

    hx = cc._HX
    _, t_hot, t_cold = exchanger_ode(
        PG25, WATER, hx["m_hot"], hx["m_cold"], hx["T_hot"], hx["T_cold"], hx["ua"], "counterflow"
    )
    assert cc._HX_ODE_HOT_OUT_C == pytest.approx(t_hot - T0, abs=1e-8)
    assert cc._HX_ODE_COLD_OUT_C == pytest.approx(t_cold - T0, abs=1e-8)


@pytest.mark.parametrize(
    ("m_hot", "m_cold", "T_hot", "T_cold", "ua"),
    [
        (0.15, 0.2, 60.0, 30.0, 3000.0),  # the exchanger
        (0.15, 0.5, 80.0, 10.0, 1800.0),
        (0.2, 0.19, 80.0, 10.0, 2500.0),  # nearly balanced
        (0.3, 0.15, 70.0, 20.0, 1500.0),
    ],
)
def test_crossflow_unmixed_against_a_converged_grid(m_hot, m_cold, T_hot, T_cold, ua) -> None:
    """Measured +1.0, +3.0, +3.7 mK on the first three (secant rates alone: +22, +115, +76 mK)."""
    from thermo.verification.exchanger_ode import crossflow_unmixed_reference

    _, r1, r2 = crossflow_unmixed_reference(PG25, WATER, m_hot, m_cold, T0 + T_hot, T0 + T_cold, ua)
    _, t1, t2 = coolant_duty(
        ua, "crossflow_unmixed", PG25, WATER, T0 + T_hot, T0 + T_cold, m_hot, m_cold
    )
    assert abs(t1 - r1) < 0.005 and abs(t2 - r2) < 0.005


@pytest.mark.parametrize(
    ("m_hot", "m_cold", "T_hot", "T_cold", "ua"),
    [
        (0.15, 0.2, 60.0, 30.0, 3000.0),
        (0.15, 0.5, 80.0, 10.0, 1800.0),
        (0.3, 0.15, 70.0, 20.0, 1500.0),
    ],
)
@pytest.mark.parametrize("mixed", ["hot", "cold"])
def test_crossflow_one_mixed_against_the_exact_march(
    m_hot, m_cold, T_hot, T_cold, ua, mixed
) -> None:
    """Measured ≤ 0.14 mK (secant rates alone: 2–111 mK)."""
    from thermo.verification.exchanger_ode import crossflow_one_mixed

    _, r1, r2 = crossflow_one_mixed(PG25, WATER, m_hot, m_cold, T0 + T_hot, T0 + T_cold, ua, mixed)
    c_hot = m_hot * PG25.specific_heat(T0 + T_hot)
    c_cold = m_cold * WATER.specific_heat(T0 + T_cold)
    mixed_is_cmin = (c_hot < c_cold) == (mixed == "hot")
    arrangement = "crossflow_mixed_cmin" if mixed_is_cmin else "crossflow_mixed_cmax"
    _, t1, t2 = coolant_duty(ua, arrangement, PG25, WATER, T0 + T_hot, T0 + T_cold, m_hot, m_cold)
    assert abs(t1 - r1) < 5e-4 and abs(t2 - r2) < 5e-4


def test_one_mixed_reference_reproduces_the_closed_form_with_constant_cp() -> None:
    from thermo.correlations.effectiveness import effectiveness
    from thermo.verification.exchanger_ode import crossflow_one_mixed

    def const(cp):
        return Coolant.custom(
            f"c{cp}",
            density=1000.0,
            specific_heat=cp,
            viscosity=1e-3,
            conductivity=0.6,
            freezing_point=250.0,
            max_temperature=380.0,
        )

    hot, cold = const(3950.0), const(4180.0)
    c_hot, c_cold = 0.15 * 3950.0, 0.2 * 4180.0
    for mixed, arrangement in (("cold", "crossflow_mixed_cmax"), ("hot", "crossflow_mixed_cmin")):
        q, _, _ = crossflow_one_mixed(hot, cold, 0.15, 0.2, T0 + 60, T0 + 30, 3000.0, mixed)
        eps = effectiveness(3000.0 / c_hot, c_hot / c_cold, arrangement)
        assert q == pytest.approx(eps * c_hot * 30.0, rel=1e-10)


def test_crossflow_verify_references_are_recomputed() -> None:
    from thermo.verification import cases_components as cc
    from thermo.verification.exchanger_ode import crossflow_one_mixed, crossflow_unmixed_reference

    hx = cc._HX
    args = (PG25, WATER, hx["m_hot"], hx["m_cold"], hx["T_hot"], hx["T_cold"], hx["ua"])
    _, t_hot, _ = crossflow_unmixed_reference(*args, n=80)  # the stored value used 160 cells
    assert cc._HX_XFLOW_UNMIXED_HOT_OUT_C == pytest.approx(t_hot - T0, abs=2e-4)
    _, t_hot, _ = crossflow_one_mixed(*args, "hot")
    assert cc._HX_XFLOW_CMIN_MIXED_HOT_OUT_C == pytest.approx(t_hot - T0, abs=1e-8)
