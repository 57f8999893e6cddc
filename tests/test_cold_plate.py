"""Cold plates: datasheet power laws (cold_plate.py) and the microchannel geometry model.

References used as independent checks:
- OCP OAI System Liquid Cooling Guidelines (Chen et al., 2023), Fig. 7, 1 kW OAM cold plate with
  PG25, as tabulated in the Modelica Buildings record ``OCP_1kW_OAM_PG25``.
- Shah & London (1978) exact values for ducts: Fanning f·Re = 24 (parallel plates) and 14.227
  (square duct); Nu_H1 = 8.235 (parallel plates) and 3.608 (square); Nu_T = 7.541 and 2.976.
- ``ht.Nu_laminar_rectangular_Shan_London`` and ``fluids`` fitting loss coefficients.
- Shah (1975) thermal-entry mean Nusselt number, circular tube, H boundary condition.
- Hagen–Poiseuille pressure drop and energy balances (analytic).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.correlations import cold_plate as cpl
from thermo.correlations import microchannel as mc
from thermo.errors import InputError

LPM = 1e-3 / 60.0


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2.0 * h)


# ----------------------------------------------------------------------------- pressure drop
def test_single_point_uses_ocp_exponent_and_reproduces_the_point() -> None:
    law = cpl.fit_pressure_drop([(cpl.OCP_FLOW_REF, cpl.OCP_DP_REF)])
    assert law.n == 1.85
    assert law.dp(10 * LPM) == pytest.approx(50e3, rel=1e-12)
    # 1.85 power law by hand: 50 kPa * 0.5**1.85
    assert law.dp(5 * LPM) == pytest.approx(50e3 * 0.5**1.85, rel=1e-12)
    assert law.V_lam == pytest.approx(0.01 * 10 * LPM)


def test_multi_point_fit_recovers_an_exact_power_law() -> None:
    V = np.array([2.0, 5.0, 10.0, 15.0]) * LPM
    dp = 3.0e9 * V**1.7
    law = cpl.fit_pressure_drop(list(zip(V, dp, strict=True)))
    assert law.n == pytest.approx(1.7, rel=1e-10)
    assert law.a == pytest.approx(3.0e9, rel=1e-8)
    assert law.V_range == (pytest.approx(V[0]), pytest.approx(V[-1]))
    fixed = cpl.fit_pressure_drop(list(zip(V, dp, strict=True)), exponent=1.7)
    assert fixed.a == pytest.approx(3.0e9, rel=1e-10)


def test_dp_is_odd_and_vectorised() -> None:
    law = cpl.fit_pressure_drop([(10 * LPM, 50e3)])
    V = np.array([[-10.0, -0.05], [0.05, 10.0]]) * LPM
    dp = law.dp(V)
    assert dp.shape == (2, 2)
    np.testing.assert_allclose(dp[0, ::-1], -dp[1], rtol=1e-14)
    assert law.dp(0.0) == 0.0


def test_laminar_blend_is_c1_at_the_junction_and_jacobian_finite_at_zero() -> None:
    law = cpl.fit_pressure_drop([(10 * LPM, 50e3)])
    Vl = law.V_lam
    below, above = Vl * (1 - 1e-12), Vl * (1 + 1e-12)
    assert law.dp(below) == pytest.approx(law.dp(above), rel=1e-9)
    assert law.ddp_dV(below) == pytest.approx(law.ddp_dV(above), rel=1e-9)
    # slope at zero: (3 - n)/2 * a * Vl^(n-1) > 0 (finite, so dV/dp is finite too)
    assert law.ddp_dV(0.0) == pytest.approx(0.5 * (3 - 1.85) * law.a * Vl**0.85, rel=1e-12)
    assert np.all(np.diff(law.dp(np.linspace(-2 * Vl, 2 * Vl, 401))) > 0)


@pytest.mark.parametrize("frac", [-3.0, -1.0, -0.5, 0.0, 0.3, 0.999, 1.001, 2.0, 100.0, 120.0])
def test_ddp_dV_matches_central_differences(frac: float) -> None:
    law = cpl.fit_pressure_drop([(10 * LPM, 50e3)])
    V = frac * law.V_lam
    h = 1e-6 * law.V_lam
    assert law.ddp_dV(V) == pytest.approx(central(law.dp, V, h), rel=1e-6)


def test_flow_inverts_dp_on_both_branches() -> None:
    law = cpl.fit_pressure_drop([(10 * LPM, 50e3)])
    V = np.array([-12.0, -0.04, 0.0, 0.03, 0.1, 0.5, 10.0]) * LPM
    np.testing.assert_allclose(law.flow(law.dp(V)), V, rtol=1e-10, atol=1e-15)


def test_fit_errors_are_clear() -> None:
    with pytest.raises(InputError, match="non-empty list of"):
        cpl.fit_pressure_drop([])
    with pytest.raises(InputError, match="flow > 0 and value > 0"):
        cpl.fit_pressure_drop([(10 * LPM, -5.0)])
    with pytest.raises(InputError, match="two different flows"):
        cpl.fit_pressure_drop([(10 * LPM, 5e4), (10 * LPM, 5.1e4)])
    with pytest.raises(InputError, match="between 0.5 and 2.5"):
        cpl.fit_pressure_drop([(10 * LPM, 5e4)], exponent=3.0)
    with pytest.warns(RuntimeWarning, match="outside the physical range"):
        cpl.fit_pressure_drop([(1 * LPM, 1e3), (2 * LPM, 4.6e3)])  # n = 2.2
    with pytest.raises(InputError, match="must be > 0"):
        cpl.PowerLaw(a=-1.0, n=1.85)


# ----------------------------------------------------------------------------- resistance
OCP = np.array(cpl.OCP_OAI_1KW_PG25_R_CURVE)


def test_resistance_power_law_fits_ocp_oai_figure7_curve() -> None:
    # Chen et al. 2023 (OCP OAI guidelines) Fig. 7: 14 points 0.4–2.4 L/min.
    law = cpl.fit_thermal_resistance(OCP)
    rel = law.R(OCP[:, 0]) / OCP[:, 1] - 1
    assert np.max(np.abs(rel)) < 0.101  # worst at 0.4 L/min, where R·V stops being linear
    assert np.max(np.abs(rel[1:])) < 0.05
    assert 0.3 < law.m < 0.4  # inside the 0.3–0.6 band quoted for commercial plates (REFERENCE §3)


def test_two_point_resistance_fit_is_exact_and_derivative_matches() -> None:
    pts = [(0.5 * LPM, 0.0325), (2.0 * LPM, 0.0204)]
    law = cpl.fit_thermal_resistance(pts, V_ref=1.0 * LPM)
    m = -math.log(0.0204 / 0.0325) / math.log(4.0)
    assert law.m == pytest.approx(m, rel=1e-12)
    for V, R in pts:
        assert law.R(V) == pytest.approx(R, rel=1e-12)
    for V in (0.6 * LPM, 1.7 * LPM, -1.0 * LPM):
        assert law.dR_dV(V) == pytest.approx(
            central(lambda x: law.R(x, warn=False), V, 1e-6 * LPM), rel=1e-6
        )


def test_resistance_warns_outside_datasheet_range() -> None:
    law = cpl.fit_thermal_resistance(OCP)
    with pytest.warns(RuntimeWarning, match="extrapolated outside the datasheet flow range"):
        law.R(5.0 * LPM)
    assert np.isinf(law.R(0.0, warn=False))
    with pytest.raises(InputError, match="at least two points"):
        cpl.fit_thermal_resistance([(1 * LPM, 0.02)])
    with pytest.warns(RuntimeWarning, match="outside 0–1"):
        cpl.fit_thermal_resistance([(1 * LPM, 0.04), (2 * LPM, 0.01)])  # m = 2


def test_case_temperature_outlet_and_caloric_conversion() -> None:
    T_in, Q, R = 313.15, 1000.0, 0.0245
    assert cpl.case_temperature(T_in, Q, R) == pytest.approx(313.15 + 24.5)
    assert cpl.case_margin(cpl.case_temperature(T_in, Q, R), 358.15) == pytest.approx(20.5)
    m, cp = 1.0 * LPM * 1014.0, 3960.0
    T_out = cpl.outlet_temperature(T_in, Q, m, cp)
    assert (T_out - T_in) * m * cp == pytest.approx(Q)  # energy balance
    # mean coolant sits half the rise above the inlet
    R_in = cpl.inlet_referred_resistance(0.01, m, cp)
    assert R_in * Q == pytest.approx(0.01 * Q + 0.5 * (T_out - T_in))
    with pytest.raises(InputError, match="mass flow > 0"):
        cpl.outlet_temperature(T_in, Q, 0.0, cp)
    np.testing.assert_allclose(
        cpl.case_temperature(np.array([300.0, 310.0]), 1e3, np.array([0.02, 0.03])), [320.0, 340.0]
    )


def test_design_constants() -> None:
    assert cpl.GB200_R_TARGET == 0.03 and cpl.GB200_DP_MAX == 20e3
    assert cpl.OCP_FLOW_REF == pytest.approx(1.6667e-4, rel=1e-4)


# ----------------------------------------------------------------------------- microchannel
def test_rectangular_duct_limits_match_exact_solutions() -> None:
    # Shah & London (1978): exact parallel-plate and square-duct values
    assert mc.fanning_fRe_rectangular(1e-9) == pytest.approx(24.0, rel=1e-6)
    assert mc.fanning_fRe_rectangular(1.0) == pytest.approx(14.227, rel=2e-3)
    assert mc.nusselt_h1_rectangular(1e-9) == pytest.approx(8.235, rel=1e-6)
    assert mc.nusselt_h1_rectangular(1.0) == pytest.approx(3.608, rel=2e-3)
    assert mc.nusselt_t_rectangular(1e-9) == pytest.approx(7.541, rel=1e-6)
    assert mc.nusselt_t_rectangular(1.0) == pytest.approx(2.976, rel=2e-3)
    # aspect ratio > 1 is folded
    assert mc.fanning_fRe_rectangular(4.0) == pytest.approx(mc.fanning_fRe_rectangular(0.25))


@pytest.mark.parametrize("alpha", [0.05, 0.125, 0.25, 0.5, 0.7, 1.0])
def test_nu_h1_matches_ht(alpha: float) -> None:
    from ht import Nu_laminar_rectangular_Shan_London

    assert mc.nusselt_h1_rectangular(alpha) == pytest.approx(
        Nu_laminar_rectangular_Shan_London(alpha), rel=1e-12
    )


def test_developing_flow_asymptotes() -> None:
    fre = mc.fanning_fRe_rectangular(0.2)
    assert mc.apparent_fRe_developing(0.2, 1e6) == pytest.approx(fre, rel=1e-6)
    assert mc.apparent_fRe_developing(0.2, 1e-8) == pytest.approx(3.44 / 1e-4, rel=1e-4)
    nu = mc.nusselt_h1_rectangular(0.2)
    assert mc.nusselt_thermal_entry_h(0.2, 1e9) == pytest.approx(nu, rel=1e-6)
    assert mc.nusselt_thermal_entry_h(0.2, 1e-9) == pytest.approx(1.953e3, rel=1e-3)


def test_thermal_entry_blend_vs_shah_circular_tube() -> None:
    # Shah (1975), mean Nu, H condition, circular tube (Shah & London 1978):
    # 1.953 x*^(-1/3) for x* <= 0.03; 4.364 + 0.0722/x* above.
    x = np.logspace(-4, 0, 200)
    shah = np.where(x <= 0.03, 1.953 * x ** (-1 / 3), 4.364 + 0.0722 / x)
    blend = mc.nusselt_thermal_entry_h(1.0, x, nu_fd=4.364)
    assert np.max(np.abs(blend / shah - 1)) < 0.102


def test_fin_and_surface_efficiency_by_hand() -> None:
    # m = sqrt(2h/(k t)); choose h, k, t so that mH = 1
    h, k, t = 1e4, 200.0, 1e-3
    H = 1.0 / math.sqrt(2 * h / (k * t))
    assert mc.fin_efficiency(h, k, t, H) == pytest.approx(math.tanh(1.0), rel=1e-12)
    assert mc.fin_efficiency(0.0, k, t, H) == pytest.approx(1.0)
    assert mc.overall_surface_efficiency(0.5, 3.0, 4.0) == pytest.approx(1 - 0.75 * 0.5)


def test_loss_coefficients_match_fluids() -> None:
    from fluids.fittings import entrance_sharp, exit_normal

    assert mc.K_ENTRANCE_SHARP == pytest.approx(entrance_sharp(), rel=1e-12)
    assert mc.K_EXIT == pytest.approx(exit_normal(), rel=1e-12)


WATER_30C = (995.74, 4179.5, 0.7972e-3, 0.6145)  # IF97 water at 30 °C (CoolProp, LIBS.md table)


def _geom(**kw) -> mc.MicrochannelGeometry:
    base = dict(
        channel_width=0.2e-3,
        channel_height=2.0e-3,
        fin_thickness=0.15e-3,
        length=0.04,
        n_channels=100,
        base_thickness=1.0e-3,
        k_solid=390.0,
    )
    base.update(kw)
    return mc.MicrochannelGeometry(**base)


def test_long_channel_pressure_drop_is_hagen_poiseuille() -> None:
    g = _geom(length=5.0)  # x+ >> 1: fully developed
    V = 1.0 * LPM
    R, dp, d = mc.microchannel_cold_plate(g, V, *WATER_30C, K_in=0.0, K_out=0.0)
    u = V / g.flow_area
    hp = (
        2
        * mc.fanning_fRe_rectangular(g.alpha)
        * WATER_30C[2]
        * g.length
        * u
        / g.hydraulic_diameter**2
    )
    assert dp == pytest.approx(hp, rel=0.01)
    assert d["x_plus"] > 10


def test_resistance_assembly_by_hand() -> None:
    g = _geom()
    V = 2.0 * LPM
    rho, cp, mu, k = WATER_30C
    R, dp, d = mc.microchannel_cold_plate(g, V, rho, cp, mu, k, caloric="mean")
    h = d["h"]
    eta = mc.fin_efficiency(h, g.k_solid, g.fin_thickness, g.channel_height)
    R_conv = 1 / (h * (g.base_area + eta * g.fin_area))
    R_base = g.base_thickness / (g.k_solid * g.footprint_area)
    R_cal = 1 / (2 * rho * cp * V)
    assert R == pytest.approx(R_conv + R_base + R_cal, rel=1e-12)
    # h from the thermal-entry Nusselt number
    Re = rho * (V / g.flow_area) * g.hydraulic_diameter / mu
    x_star = g.length / (g.hydraulic_diameter * Re * cp * mu / k)
    assert h == pytest.approx(
        mc.nusselt_thermal_entry_h(g.alpha, x_star) * k / g.hydraulic_diameter, rel=1e-12
    )
    R_out, *_ = mc.microchannel_cold_plate(g, V, rho, cp, mu, k, caloric="outlet")
    assert R_out - R == pytest.approx(R_cal, rel=1e-10)


@pytest.mark.parametrize("V_lpm", [-3.0, 0.02, 0.5, 2.0, 8.0])
def test_microchannel_derivatives_match_central_differences(V_lpm: float) -> None:
    g = _geom()
    V = V_lpm * LPM
    h = 1e-6 * abs(V)

    def dp(x):
        return mc.microchannel_cold_plate(g, x, *WATER_30C)[1]

    def R(x):
        return mc.microchannel_cold_plate(g, x, *WATER_30C)[0]

    _, _, d = mc.microchannel_cold_plate(g, V, *WATER_30C)
    assert d["ddp_dV"] == pytest.approx(central(dp, V, h), rel=1e-6)
    assert d["dR_dV"] == pytest.approx(central(R, V, h), rel=1e-6)


def test_microchannel_zero_flow_and_vectorised_reverse_flow() -> None:
    g = _geom()
    V = np.array([-2.0, 0.0, 2.0]) * LPM
    R, dp, d = mc.microchannel_cold_plate(g, V, *WATER_30C)
    assert R.shape == (3,) and np.isinf(R[1]) and R[0] == pytest.approx(R[2])
    assert dp[1] == 0.0 and dp[0] == pytest.approx(-dp[2])
    # laminar slope at zero flow: Hagen–Poiseuille with the fully developed f·Re
    Kf = 2 * g.length * WATER_30C[2] / (g.flow_area * g.hydraulic_diameter**2)
    assert d["ddp_dV"][1] == pytest.approx(Kf * mc.fanning_fRe_rectangular(g.alpha), rel=1e-12)


def test_geometry_validation_and_warnings() -> None:
    with pytest.raises(InputError, match="more than the footprint width"):
        _geom(footprint_width=0.02)
    with pytest.raises(InputError, match="n_channels must be an integer"):
        _geom(n_channels=10.5)
    with pytest.raises(InputError, match="channel_width must be a number > 0"):
        _geom(channel_width=-1e-4)
    with pytest.raises(InputError, match="caloric must be one of"):
        mc.microchannel_cold_plate(_geom(), 1 * LPM, *WATER_30C, caloric="inlet")
    with pytest.warns(RuntimeWarning, match="exceeds the laminar limit"):
        mc.microchannel_cold_plate(_geom(n_channels=5, footprint_width=None), 20 * LPM, *WATER_30C)
