"""Cold plates in a network: hydraulics against the fitted laws, energy balance, case temperature
against the resistance law, flags, microchannel plates against the correlation called directly,
and the analytic Jacobian against central differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from thermo import Coolant
from thermo.components.cold_plate import (
    DEFAULT_CASE_LIMIT,
    DEFAULT_PRESSURE_DROP,
    DEFAULT_REFERENCE_FLOW,
    DEFAULT_RESISTANCE,
    DEFAULT_RESISTANCE_EXPONENT,
    ColdPlate,
    MicrochannelColdPlate,
    pressure_law,
)
from thermo.correlations import cold_plate as cpl
from thermo.correlations import microchannel as mc
from thermo.errors import InputError
from thermo.network import Network, PressureBoundary, Pump

PG25 = Coolant("PG25")
LPM = 1e-3 / 60.0
T_IN = 273.15 + 45.0


def jacobian_error(net, result) -> float:
    """Largest relative difference between the analytic Jacobian and central differences."""
    system = net.system()
    x = result.state.copy()
    rows, cols, vals = system.evaluate(x).jac
    n = len(x)
    J = np.zeros((n, n))
    np.add.at(J, (rows, cols), vals)
    Jfd = np.zeros_like(J)
    for j in range(n):
        h = 1e-6 * max(abs(x[j]), 1e-3)
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        Jfd[:, j] = (
            system.evaluate(xp, jacobian=False).F - system.evaluate(xm, jacobian=False).F
        ) / (2 * h)
    # entries below 1e-6 of their column's largest are round-off and regularisation terms
    scale = np.abs(Jfd) + 1e-6 * np.abs(Jfd).max(axis=0, keepdims=True) + 1e-300
    return float(np.max(np.abs(J - Jfd) / scale))


def open_plate_network(plate, dp: float, T: float = T_IN) -> Network:
    """A plate between two pressure boundaries (``dp`` from inlet to outlet, may be negative)."""
    net = Network(coolant=PG25)
    net.add(
        plate,
        PressureBoundary("in", plate.inlet, pressure=3e5, temperature=T),
        PressureBoundary("out", plate.outlet, pressure=3e5 - dp, temperature=T),
    )
    return net


GEOMETRY = mc.MicrochannelGeometry(
    channel_width=200e-6,
    channel_height=2e-3,
    fin_thickness=150e-6,
    length=0.04,
    n_channels=100,
    base_thickness=1e-3,
    k_solid=390.0,
)


def test_default_exponent_is_the_fit_to_the_ocp_oai_curve() -> None:
    # Chen et al. 2023 (OCP OAI guidelines) Fig. 7 data, as shipped by the correlations module
    law = cpl.fit_thermal_resistance(cpl.OCP_OAI_1KW_PG25_R_CURVE)
    assert law.m == pytest.approx(DEFAULT_RESISTANCE_EXPONENT, abs=0.005)
    assert DEFAULT_REFERENCE_FLOW == pytest.approx(1.5 * 1.2 * LPM)  # 1.5 L/min/kW x 1.2 kW
    assert DEFAULT_CASE_LIMIT == pytest.approx(358.15)


def test_default_law_passes_its_datasheet_point() -> None:
    # GB200-class targets: 20 kPa and 0.03 K/W at the reference flow (docs/references.md §3)
    plate = ColdPlate("cp", "a", "b", heat=1200.0)
    law = plate.pressure_law
    assert float(law.dp(DEFAULT_REFERENCE_FLOW)) == pytest.approx(DEFAULT_PRESSURE_DROP)
    assert law.n == pytest.approx(cpl.OCP_DP_EXPONENT)
    assert float(plate.resistance_law.R(DEFAULT_REFERENCE_FLOW)) == pytest.approx(
        DEFAULT_RESISTANCE
    )


@pytest.mark.parametrize("dp", [50e3, 2e3, -10e3])
def test_flow_at_a_given_pressure_drop_inverts_the_fitted_law(dp: float) -> None:
    # the OCP-style point (50 kPa at 10 L/min, n = 1.85); the network must give the flow that
    # PowerLaw.flow (the correlation's own inverse) gives, for both flow directions
    plate = ColdPlate("cp", "a", "b", heat=0.0, pressure_drop=[(cpl.OCP_FLOW_REF, cpl.OCP_DP_REF)])
    res = open_plate_network(plate, dp).solve()
    V_expected = float(plate.pressure_law.flow(dp))
    rho = float(PG25.density(T_IN))
    assert res.mass_flow("cp") / rho == pytest.approx(V_expected, rel=1e-9)
    if dp == 50e3:
        assert V_expected == pytest.approx(10 * LPM, rel=1e-12)


def test_energy_balance_and_case_temperature_against_the_resistance_law() -> None:
    plate = ColdPlate(
        "cp",
        "a",
        "b",
        heat=1000.0,
        pressure_drop=[(cpl.OCP_FLOW_REF, cpl.OCP_DP_REF)],
        resistance=cpl.OCP_OAI_1KW_PG25_R_CURVE,
    )
    res = open_plate_network(plate, 2e3).solve()
    m = res.mass_flow("cp")
    T_out = res.exit_temperature("cp")
    # conservation: the enthalpy rise carries exactly the chip heat
    assert m * (float(PG25.enthalpy(T_out)) - float(PG25.enthalpy(T_IN))) == pytest.approx(
        1000.0, rel=1e-9
    )
    V = m / float(PG25.density(T_IN))
    R = float(plate.resistance_law.R(V, warn=False))
    row = res.components.loc["cp"]
    assert row["R_K_W"] == pytest.approx(R, rel=1e-12)
    # case temperature referred to the plate inlet coolant (datasheet definition)
    # temperatures to the solver's energy tolerance (1e-8 K)
    T_node = res.temperature("a")
    assert T_node == pytest.approx(T_IN, abs=1e-6)
    assert row["T_case_C"] == pytest.approx(T_node - 273.15 + R * 1000.0, rel=1e-12)
    assert row["case_margin_K"] == pytest.approx(DEFAULT_CASE_LIMIT - T_node - R * 1000.0)


def test_case_limit_flag_and_extrapolation_flag() -> None:
    plate = ColdPlate(
        "cp", "a", "b", heat=1200.0, resistance=cpl.OCP_OAI_1KW_PG25_R_CURVE, case_limit=360.0
    )
    res = open_plate_network(plate, 20e3).solve()
    T_case = res.value("cp", "T_case_C") + 273.15
    codes = {f.code for f in res.flags_of("case_temperature_limit")}
    assert (T_case > 360.0) == bool(codes)
    # the OCP curve spans 0.4-2.4 L/min; 20 kPa on the default law drives ~1.8 L/min: inside
    assert not res.flags_of("outside_datasheet_range")
    hot = ColdPlate(
        "cp", "a", "b", heat=1200.0, resistance=cpl.OCP_OAI_1KW_PG25_R_CURVE, case_limit=320.0
    )
    res = open_plate_network(hot, 200e3).solve()  # ~6 L/min: beyond the datasheet flows
    assert res.value("cp", "case_margin_K") < 0
    assert res.flags_of("case_temperature_limit")
    assert res.flags_of("outside_datasheet_range")


def test_heat_is_controllable_and_updatable() -> None:
    plate = ColdPlate("cp", "a", "b", heat=500.0)
    net = open_plate_network(plate, 20e3)
    first = net.solve()
    net.set_parameter("cp", "heat", 1500.0)
    second = net.solve(warm_start=first)
    assert second.heat("cp") == pytest.approx(1500.0, rel=1e-9)
    assert second.value("cp", "T_case_C") > first.value("cp", "T_case_C")


def test_jacobian_with_both_plate_kinds_in_series() -> None:
    net = Network(coolant=PG25)
    net.add(
        PressureBoundary("in", "c", pressure=2e5, temperature=T_IN),
        Pump("pump", "c", "s", pressure_rise=60e3),
        ColdPlate("cp1", "s", "m", heat=1200.0),
        MicrochannelColdPlate("cp2", "m", "r", heat=1000.0, geometry=GEOMETRY),
        PressureBoundary("out", "r", pressure=2e5, temperature=T_IN),
    )
    res = net.solve()
    assert res.closure["energy_rel"] < 1e-9
    assert jacobian_error(net, res) < 1e-5


@pytest.mark.parametrize("dp", [1.0, -3e3])
def test_jacobian_near_zero_and_reversed_flow(dp: float) -> None:
    # 1 Pa puts the datasheet plate inside its laminar blend (below 1 % of the rated flow);
    # 5 W keeps its exit inside PG25's range at that trickle (50 W would heat it past 115 °C:
    # heat not delivered, which is no longer a converged solution, issue 11)
    plate = ColdPlate("cp", "a", "b", heat=5.0 if dp == 1.0 else 50.0)
    net = open_plate_network(plate, dp)
    res = net.solve()
    V = abs(res.mass_flow("cp")) / float(PG25.density(T_IN))
    if dp == 1.0:
        assert V < plate.pressure_law.V_lam
    else:
        assert res.mass_flow("cp") < 0 and res.flags_of("reverse_flow")
    assert jacobian_error(net, res) < 1e-5


def test_microchannel_plate_matches_the_correlation_called_directly() -> None:
    plate = MicrochannelColdPlate("cp", "a", "b", heat=800.0, geometry=GEOMETRY)
    res = open_plate_network(plate, 15e3).solve()
    m = res.mass_flow("cp")
    s = PG25.state(res.temperature("a"))
    V = m / s.rho
    R, dp, det = mc.microchannel_cold_plate(GEOMETRY, V, s.rho, s.cp, s.mu, s.k, caloric="mean")
    assert float(dp) == pytest.approx(15e3, rel=1e-9)
    assert res.value("cp", "R_K_W") == pytest.approx(float(R), rel=1e-12)
    assert res.value("cp", "Re") == pytest.approx(float(det["Re"]), rel=1e-12)
    assert not res.flags_of("laminar_range_exceeded")


def test_microchannel_plate_flags_turbulent_flow_without_warning_spam() -> None:
    wide = mc.MicrochannelGeometry(
        channel_width=1e-3,
        channel_height=3e-3,
        fin_thickness=1e-3,
        length=0.05,
        n_channels=10,
        base_thickness=1e-3,
        k_solid=390.0,
    )
    plate = MicrochannelColdPlate("cp", "a", "b", heat=800.0, geometry=wide)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = open_plate_network(plate, 30e3).solve()
        flags = res.flags_of("laminar_range_exceeded")
    assert res.value("cp", "Re") > 2300 and flags


def test_laminar_blend_added_to_a_law_without_one() -> None:
    law = cpl.PowerLaw(a=1e9, n=1.8, V_lam=0.0, V_range=(1e-5, 2e-5))
    fixed = pressure_law(law)
    assert fixed.V_lam == pytest.approx(cpl.LAMINAR_FRACTION * 2e-5)
    assert float(fixed.ddp_dV(0.0)) > 0


def test_bad_input_is_named() -> None:
    with pytest.raises(InputError, match=r"heat must be a finite number \[W\], got 'hot'"):
        ColdPlate("cp", "a", "b", heat="hot")
    with pytest.raises(InputError, match="thermal-resistance fit needs at least two points"):
        ColdPlate("cp", "a", "b", heat=1.0, resistance=[(1e-5, 0.03)])
    with pytest.raises(InputError, match="resistance must be greater than zero"):
        ColdPlate("cp", "a", "b", heat=1.0, resistance=-0.1)
    with pytest.raises(InputError, match="geometry must be a MicrochannelGeometry, got dict"):
        MicrochannelColdPlate("cp", "a", "b", heat=1.0, geometry={})
    with pytest.raises(InputError, match="case_limit must be greater than zero"):
        ColdPlate("cp", "a", "b", heat=1.0, case_limit=0.0)
