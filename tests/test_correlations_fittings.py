"""Fittings, valves, Kv/Cv and roughness: checked against fluids, the Kv definition (IEC 60534-1)
and published Crane TP-410 values."""

from __future__ import annotations

import math

import fluids
import numpy as np
import pytest

from thermo.correlations.fittings import (
    ROUGHNESS,
    ROUGHNESS_SOURCES,
    TEE_KINDS,
    change_k_basis,
    crane_ft,
    cv_to_kv,
    dp_from_kv,
    dp_from_kv_derivative,
    k_ball_valve,
    k_bend,
    k_butterfly_valve,
    k_entrance_projecting,
    k_entrance_rounded,
    k_entrance_sharp,
    k_exit,
    k_gate_valve,
    k_globe_valve,
    k_miter_bend,
    k_tee,
    k_to_kv,
    kv_to_cv,
    kv_to_k,
    roughness,
)
from thermo.correlations.friction import pipe_pressure_drop
from thermo.errors import InputError, RangeError

D2IN = 0.0525  # 2" schedule 40 inner diameter [m]


# ------------------------------------------------------------------------------------- Kv, Cv
def test_kv_definition_one_bar_at_kv_flow_of_water():
    # IEC 60534-1: Kv is the flow in m³/h of water (1000 kg/m³) at 1 bar pressure drop
    kv = np.array([0.5, 4.0, 63.0])
    np.testing.assert_allclose(dp_from_kv(kv / 3600.0, kv, 1000.0), 1e5, rtol=1e-14)
    # other liquids scale with density; twice the flow, four times the drop; reversed flow
    assert dp_from_kv(4.0 / 3600, 4.0, 1040.0) == pytest.approx(1.04e5, rel=1e-14)
    assert dp_from_kv(8.0 / 3600, 4.0, 1000.0) == pytest.approx(4e5, rel=1e-14)
    assert dp_from_kv(-4.0 / 3600, 4.0, 1000.0) == pytest.approx(-1e5, rel=1e-14)


def test_kv_drop_derivatives_match_finite_differences():
    q = np.array([-3e-3, -1e-4, 0.0, 2e-5, 5e-3])
    kv, rho = 12.0, 1030.0
    res = dp_from_kv_derivative(q, kv, rho)
    h = 1e-9
    np.testing.assert_allclose(
        res.ddp_dq,
        (dp_from_kv(q + h, kv, rho) - dp_from_kv(q - h, kv, rho)) / (2 * h),
        rtol=1e-6,
        atol=20.0,  # FD of q|q| at q = 0 is c·h, not 0
    )
    np.testing.assert_allclose(
        res.ddp_dkv,
        (dp_from_kv(q, kv + 1e-6, rho) - dp_from_kv(q, kv - 1e-6, rho)) / 2e-6,
        rtol=1e-6,
        atol=1e-9,
    )
    np.testing.assert_allclose(res.ddp_drho, res.dp / rho, rtol=1e-15)
    assert res.ddp_dq[2] == 0.0


def test_kv_and_k_describe_the_same_drop():
    # the Kv law and the K law dp = K ρ v²/2 (via pipe_pressure_drop with L = 0) agree
    kv, d, rho = 25.0, 0.04, 990.0
    k = kv_to_k(kv, d)
    q = 6e-3
    via_k = pipe_pressure_drop(rho * q, d, 0.0, 0.0, rho, 1e-3, k_minor=k).dp
    assert dp_from_kv(q, kv, rho) == pytest.approx(via_k, rel=1e-13)


def test_kv_k_conversions_match_fluids():
    kv = np.array([1.0, 10.0, 40.0, 300.0])
    d = np.array([0.015, 0.025, 0.05, 0.15])
    ref = np.array([fluids.Kv_to_K(a, b) for a, b in zip(kv, d, strict=True)])
    # fluids takes the water density at 60 °F (999.3 kg/m³) instead of 1000: 0.07 % apart
    np.testing.assert_allclose(kv_to_k(kv, d), ref, rtol=1e-3)
    np.testing.assert_allclose(k_to_kv(kv_to_k(kv, d), d), kv, rtol=1e-14)
    cv = np.array([0.0, 1.0, 11.56, 250.0])
    np.testing.assert_allclose(cv_to_kv(cv), [fluids.Cv_to_Kv(c) for c in cv], rtol=1e-12)
    np.testing.assert_allclose(kv_to_cv(cv_to_kv(cv)), cv, rtol=1e-14)
    assert cv_to_kv(1.0) == pytest.approx(0.865, abs=5e-4)  # IEC 60534-1: Kv = 0.865 Cv


def test_change_k_basis_keeps_the_pressure_drop():
    k1, d1, d2 = 2.0, 0.05, 0.04
    k2 = change_k_basis(k1, d1, d2)
    m, rho = 1.2, 998.0
    dp1 = pipe_pressure_drop(m, d1, 0.0, 0.0, rho, 1e-3, k1).dp
    dp2 = pipe_pressure_drop(m, d2, 0.0, 0.0, rho, 1e-3, k2).dp
    assert dp2 == pytest.approx(dp1, rel=1e-13)
    assert change_k_basis(k1, d1, d2) == pytest.approx(fluids.change_K_basis(k1, d1, d2), rel=1e-14)


# ------------------------------------------------------------------------------ fitting K
def test_crane_fully_turbulent_friction_table_2_inch():
    # Crane TP-410 (2009), f_T for 2" clean commercial steel pipe: 0.019
    assert crane_ft(D2IN) == pytest.approx(0.019, abs=0.0005)


def test_crane_valves_against_published_multiples_of_ft():
    # Crane TP-410 (2009) A-27: gate 8 f_T, ball 3 f_T, globe 340 f_T (full bore); f_T(2") 0.019
    ft = 0.019
    tol = 0.0005 / 0.019  # rounding of the published f_T
    assert k_gate_valve(D2IN) == pytest.approx(8 * ft, rel=tol)
    assert k_ball_valve(D2IN) == pytest.approx(3 * ft, rel=tol)
    assert k_globe_valve(D2IN) == pytest.approx(340 * ft, rel=tol)


def test_wrappers_equal_the_fluids_calls():
    assert k_gate_valve(0.04, 0.05, 20.0) == fluids.K_gate_valve_Crane(0.04, 0.05, 20.0)
    assert k_ball_valve(0.01, 0.02, 50.0) == fluids.K_ball_valve_Crane(0.01, 0.02, 50.0)
    assert k_globe_valve(0.04, 0.05) == fluids.K_globe_valve_Crane(0.04, 0.05)
    assert k_butterfly_valve(0.1, "triple_offset") == fluids.K_butterfly_valve_Crane(0.1, style=2)
    assert k_bend(0.05, 90.0, bend_diameters=1.5, friction=0.02) == fluids.bend_rounded(
        0.05, 90.0, fd=0.02, bend_diameters=1.5
    )
    assert k_bend(
        0.05, 45.0, bend_radius=0.1, reynolds=1e5, roughness=4.57e-5
    ) == fluids.bend_rounded(0.05, 45.0, rc=0.1, Re=1e5, roughness=4.57e-5)
    assert k_bend(0.05, 90.0, bend_diameters=2.0, method="Crane") == fluids.bend_rounded(
        0.05, 90.0, bend_diameters=2.0, method="Crane"
    )
    assert k_miter_bend(0.05, 60.0) == fluids.bend_miter(60.0, Di=0.05)
    assert k_entrance_sharp() == fluids.entrance_sharp() == 0.57
    assert k_entrance_rounded(0.05, 0.005) == fluids.entrance_rounded(0.05, 0.005)
    assert k_entrance_projecting(0.1, 5e-4) == fluids.entrance_distance(0.1, 5e-4)
    assert k_exit() == fluids.exit_normal() == 1.0


def test_tee_crane_example_7_36():
    # Crane TP-410M (2009) example 7-36: DN150 sch. 80 wye, 1515 L/min straight on and
    # 950 L/min through a 45° branch; published branch K = 0.4640
    k = k_tee("branch_diverging", 0.146, 0.146, 1515 / 60000, 950 / 60000, angle_deg=45.0)
    assert k == pytest.approx(0.4640, abs=5e-4)


@pytest.mark.parametrize("kind", TEE_KINDS)
def test_tee_kinds_dispatch_to_fluids(kind):
    func = {
        "branch_diverging": fluids.K_branch_diverging_Crane,
        "run_diverging": fluids.K_run_diverging_Crane,
        "branch_converging": fluids.K_branch_converging_Crane,
        "run_converging": fluids.K_run_converging_Crane,
    }[kind]
    assert k_tee(kind, 0.1, 0.05, 0.01, 0.003) == func(0.1, 0.05, 0.01, 0.003, angle=90)


def test_fitting_input_errors():
    with pytest.raises(InputError, match="kind must be one of branch_diverging"):
        k_tee("branch", 0.1, 0.05, 0.01, 0.003)
    with pytest.raises(InputError, match="q_run \\+ q_branch must be > 0"):
        k_tee("run_diverging", 0.1, 0.05, 0.0, 0.0)
    with pytest.raises(InputError, match=r"d_seat \(0.06 m\) must not exceed d_pipe"):
        k_gate_valve(0.06, 0.05)
    with pytest.raises(InputError, match="the Rennels bend method needs reynolds"):
        k_bend(0.05, 90.0)
    with pytest.raises(InputError, match="bend_radius or bend_diameters, not both"):
        k_bend(0.05, 90.0, bend_radius=0.1, bend_diameters=2.0, friction=0.02)
    with pytest.raises(InputError, match="style must be one of centric"):
        k_butterfly_valve(0.1, "eccentric")
    with pytest.raises(RangeError, match=r"angle_deg.*must be <= 180"):
        k_bend(0.05, 270.0, friction=0.02)
    with pytest.raises(InputError, match=r"d_seat.*must be a single number"):
        k_gate_valve(np.array([0.05, 0.1]))
    with pytest.raises(RangeError, match=r"kv.*must be > 0"):
        dp_from_kv(1e-3, 0.0, 1000.0)
    with pytest.raises(RangeError, match=r"density.*must be > 0"):
        dp_from_kv(1e-3, 5.0, 0.0)
    with pytest.raises(RangeError, match=r"diameter.*must be > 0"):
        kv_to_k(10.0, -0.05)


# ------------------------------------------------------------------------------- roughness
def test_roughness_table_is_sourced_and_plausible():
    assert set(ROUGHNESS) == set(ROUGHNESS_SOURCES)
    for name, value in ROUGHNESS.items():
        assert 0.0 < value < 1e-3, name
        assert len(ROUGHNESS_SOURCES[name]) > 20, name
    # Moody (1944): commercial steel 0.00015 ft, drawn tubing 0.000005 ft
    assert ROUGHNESS["commercial_steel"] == pytest.approx(0.00015 * 0.3048, rel=1e-14)
    assert ROUGHNESS["drawn_copper"] == pytest.approx(0.000005 * 0.3048, rel=1e-14)
    assert roughness("stainless_steel_welded") == ROUGHNESS["stainless_steel_welded"]


def test_roughness_lookup_is_exact_not_fuzzy():
    # fluids.material_roughness('Copper') silently returns 3 mm (severely corroded cast iron)
    with pytest.raises(InputError, match="unknown pipe material 'Copper'; known: cast_iron"):
        roughness("Copper")


def test_k_values_are_floats_and_positive():
    values = [
        k_gate_valve(0.1),
        k_ball_valve(0.1),
        k_globe_valve(0.1),
        k_butterfly_valve(0.1),
        k_bend(0.1, 90.0, reynolds=2e5),
        k_miter_bend(0.1),
        k_entrance_sharp(),
        k_exit(),
    ]
    assert all(isinstance(v, float) and v > 0 for v in values)
    assert math.isclose(kv_to_k(k_to_kv(3.0, 0.02), 0.02), 3.0, rel_tol=1e-14)
