"""Dry coolers: crossflow ε-NTU, rating, off-design by hand, fan laws, fan-speed control.

Independent references: ``ht.hx.effectiveness_from_NTU(..., 'crossflow')`` (exact crossflow,
both unmixed, Triboix 2009 integral form), CoolProp air density, the fan affinity laws, and a hand
ε-NTU calculation (also written out in docs/validation/devices.md).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.correlations import dry_cooler as dc
from thermo.errors import InputError

T0 = 273.15
R = dc.EXAMPLE_RATING


def test_air_density_vs_coolprop() -> None:
    from CoolProp.CoolProp import PropsSI

    assert dc.air_density(300.0) == pytest.approx(
        PropsSI("D", "T", 300.0, "P", 101325.0, "Air"), rel=2e-3
    )


def test_rating_is_reproduced_at_design() -> None:
    st = dc.leaving_water_temperature(
        R.T_water_in_design, R.m_water_design, R.T_air_in_design, 1.0, R
    )
    assert st.Q == pytest.approx(R.Q_design, rel=1e-9)
    assert st.T_water_out == pytest.approx(
        R.T_water_in_design - R.Q_design / (R.m_water_design * R.cp_water), abs=1e-7
    )
    assert st.P_fan == pytest.approx(R.P_fan_design, rel=1e-12)
    assert st.UA == pytest.approx(R.UA_design, rel=1e-12)


def test_off_design_by_hand() -> None:
    """Ambient 10 °C, half fan speed, design water flow and inlet: the hand ε-NTU of devices.md."""
    from ht.hx import effectiveness_from_NTU

    Ta, s = T0 + 10.0, 0.5
    rho = 101325.0 / (287.05 * Ta)
    rho_d = 101325.0 / (287.05 * R.T_air_in_design)
    m_air = rho * R.V_air_design * s
    m_air_d = rho_d * R.V_air_design
    # rating UA: bisection of the exact crossflow relation (ht) at the rating point
    Cw_d, Ca_d = R.m_water_design * R.cp_water, m_air_d * 1007.0
    eps_d = R.Q_design / (min(Cw_d, Ca_d) * (R.T_water_in_design - R.T_air_in_design))
    lo, hi = 0.0, 20.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if effectiveness_from_NTU(mid, min(Cw_d, Ca_d) / max(Cw_d, Ca_d), "crossflow") < eps_d:
            lo = mid
        else:
            hi = mid
    UA_d = 0.5 * (lo + hi) * min(Cw_d, Ca_d)
    assert R.UA_design == pytest.approx(UA_d, rel=1e-8)
    hA_a = UA_d * 1.5 * (m_air / m_air_d) ** 0.8
    hA_w = UA_d * 1.5 / 0.5
    UA = 1 / (1 / hA_a + 1 / hA_w)
    Cw, Ca = R.m_water_design * R.cp_water, m_air * 1007.0
    Cmin, Cmax = min(Cw, Ca), max(Cw, Ca)
    eps = effectiveness_from_NTU(UA / Cmin, Cmin / Cmax, "crossflow")
    Q = eps * Cmin * (R.T_water_in_design - Ta)
    st = dc.leaving_water_temperature(R.T_water_in_design, R.m_water_design, Ta, s, R)
    assert st.Q == pytest.approx(Q, rel=1e-8)  # ht integrates the exact series numerically
    assert st.T_water_out == pytest.approx(R.T_water_in_design - Q / Cw, rel=1e-12)
    # fan affinity: P ∝ ρ N³
    assert st.P_fan == pytest.approx(R.P_fan_design * (rho / rho_d) * 0.125, rel=1e-12)


@pytest.mark.parametrize(
    "mw, s, Ta", [(23.9, 1.0, 298.15), (20.0, 0.6, 288.15), (5.0, 0.25, 263.15), (0.1, 0.9, 293.15)]
)
def test_leaving_temperature_derivatives(mw: float, s: float, Ta: float) -> None:
    st = dc.leaving_water_temperature(318.15, mw, Ta, s, R)
    h = 1e-5

    def T(m, sp):
        return dc.leaving_water_temperature(318.15, m, Ta, sp, R).T_water_out

    fd_m = (T(mw + h, s) - T(mw - h, s)) / (2 * h)
    lo, hi = s - h, min(s + h, 1.0)
    fd_s = (T(mw, hi) - T(mw, lo)) / (hi - lo)
    assert st.dT_out_dm_water == pytest.approx(fd_m, rel=1e-5, abs=1e-8)
    assert st.dT_out_dspeed == pytest.approx(fd_s, rel=1e-5, abs=1e-8)
    fd_p = (
        dc.leaving_water_temperature(318.15, mw, Ta, hi, R).P_fan
        - dc.leaving_water_temperature(318.15, mw, Ta, lo, R).P_fan
    ) / (hi - lo)
    assert st.dP_fan_dspeed == pytest.approx(fd_p, rel=1e-4)  # one-sided at full speed


def test_fan_control_holds_setpoint_saturates_and_floors() -> None:
    Tin = np.full(4, T0 + 45.0)
    Ta = np.array([-20.0, 10.0, 25.0, 38.0]) + T0
    fc = dc.speed_for_leaving_temperature(Tin, R.m_water_design, Ta, T0 + 35.0, R)
    assert fc.speed.shape == (4,)
    # very cold: minimum speed over-cools
    assert fc.at_minimum[0] and fc.speed[0] == R.speed_min and fc.state.T_water_out[0] < T0 + 35.0
    # interior: setpoint held
    assert not fc.saturated[1] and R.speed_min < fc.speed[1] < 1.0
    assert fc.state.T_water_out[1] == pytest.approx(T0 + 35.0, abs=1e-4)
    # the rating point itself needs full speed
    assert fc.speed[2] == pytest.approx(1.0, abs=1e-5)
    # hot day: full speed is not enough
    assert fc.saturated[3] and fc.speed[3] == 1.0 and fc.state.T_water_out[3] > T0 + 35.0
    assert fc.state.P_fan[3] == pytest.approx(
        R.P_fan_design * (R.T_air_in_design / Ta[3]), rel=1e-12
    )
    # leaving temperature falls monotonically with speed
    speeds = np.linspace(0.2, 1.0, 9)
    T_out = dc.leaving_water_temperature(
        T0 + 45.0, R.m_water_design, T0 + 10.0, speeds, R
    ).T_water_out
    assert np.all(np.diff(T_out) < 0)


def test_rating_validation() -> None:
    with pytest.raises(InputError, match="impossible"):
        dc.DryCoolerRating(5e6, 10.0, T0 + 45, T0 + 25, 70.0, 2e4)
    with pytest.raises(InputError, match="must be above the rated air"):
        dc.DryCoolerRating(1e6, 24.0, T0 + 25, T0 + 25, 70.0, 2e4)
    with pytest.raises(InputError, match="speed_min must be in"):
        dc.DryCoolerRating(1e6, 24.0, T0 + 45, T0 + 25, 70.0, 2e4, speed_min=0.0)
    with pytest.raises(InputError, match="fan speed must be in"):
        dc.leaving_water_temperature(T0 + 45, 20.0, T0 + 20, 1.2, R)
    assert math.isclose(R.hA_air_design, R.r_design * R.hA_water_design)
