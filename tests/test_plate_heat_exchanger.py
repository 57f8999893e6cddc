"""Plate heat exchangers: counterflow ε-NTU, design and off-design UA, chevron geometry.

Independent references: ``ht.hx`` (NTU_from_effectiveness, effectiveness_NTU_method), the
closed forms of Incropera Table 11.3/11.4, energy balances,
``ht.conv_plate`` / ``fluids.friction_plate_*`` called directly, Martin's (1996) equations
evaluated by hand, and the Modelica Buildings CDU records (design data).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.correlations import plate_heat_exchanger as phe
from thermo.errors import InputError, RangeError

CP_PG25 = 3963.4  # CoolProp INCOMP::MPG[0.25] at 37.8 °C [J/(kg K)]
CP_W = 4178.6  # IF97 water at 34.2 °C [J/(kg K)]
T0 = 273.15


def test_outlets_match_ht_and_conserve_energy() -> None:
    from ht.hx import effectiveness_NTU_method

    ref = effectiveness_NTU_method(
        mh=2.0,
        mc=1.6,
        Cph=3957.0,
        Cpc=4180.0,
        subtype="counterflow",
        Thi=318.15,
        Tci=298.15,
        UA=15000.0,
    )
    r = phe.counterflow_outlets(15000.0, 2.0, 3957.0, 318.15, 1.6, 4180.0, 298.15)
    assert r.Q == pytest.approx(ref["Q"], rel=1e-12)
    assert r.T_hot_out == pytest.approx(ref["Tho"], rel=1e-12)
    assert r.T_cold_out == pytest.approx(ref["Tco"], rel=1e-12)
    assert r.Q == pytest.approx(2.0 * 3957.0 * (318.15 - r.T_hot_out), rel=1e-12)
    assert r.Q == pytest.approx(1.6 * 4180.0 * (r.T_cold_out - 298.15), rel=1e-12)
    assert r.temperature_cross  # cold leaves at 39.6 °C, hot at 32.7 °C


def test_temperature_cross_flag() -> None:
    # equal capacity rates, NTU = 4: eps = 0.8, outlets cross (Tco = 316, Tho = 304)
    r = phe.counterflow_outlets(4 * 4000.0, 1.0, 4000.0, 320.0, 1.0, 4000.0, 300.0)
    assert r.effectiveness == pytest.approx(0.8)
    assert r.T_cold_out == pytest.approx(316.0) and r.T_hot_out == pytest.approx(304.0)
    assert r.temperature_cross
    r = phe.counterflow_outlets(0.5 * 4000.0, 1.0, 4000.0, 320.0, 1.0, 4000.0, 300.0)
    assert not r.temperature_cross


def test_zero_flow_and_arrays() -> None:
    r = phe.counterflow_outlets(5e4, np.array([0.0, 2.0]), 4000.0, 320.0, 2.0, 4180.0, 300.0)
    assert r.Q[0] == 0.0 and r.T_hot_out[0] == pytest.approx(300.0)
    assert r.T_cold_out[0] == pytest.approx(300.0)
    assert r.Q.shape == (2,) and r.Q[1] > 0
    with pytest.raises(InputError, match="m_hot must be finite and >= 0"):
        phe.counterflow_outlets(5e4, -1.0, 4000.0, 320.0, 2.0, 4180.0, 300.0)


@pytest.mark.parametrize(
    "mh, mc", [(31.48, 32.30), (31.48, 31.48 * CP_PG25 / CP_W), (10.0, 40.0), (40.0, 8.0)]
)
def test_duty_derivatives_match_central_differences(mh: float, mc: float) -> None:
    UA, Thi, Tci = 5.6e5, 318.0, 300.0

    def Q(ua, a, b):
        return phe.counterflow_outlets(ua, a, CP_PG25, Thi, b, CP_W, Tci).Q

    r = phe.counterflow_outlets(UA, mh, CP_PG25, Thi, mc, CP_W, Tci, derivatives=True)
    h = 1e-4
    assert r.dQ_dm_hot == pytest.approx(
        (Q(UA, mh + h, mc) - Q(UA, mh - h, mc)) / (2 * h), rel=1e-5, abs=1e-2
    )
    assert r.dQ_dm_cold == pytest.approx(
        (Q(UA, mh, mc + h) - Q(UA, mh, mc - h)) / (2 * h), rel=1e-5, abs=1e-2
    )
    assert r.dQ_dUA == pytest.approx(
        (Q(UA + 1, mh, mc) - Q(UA - 1, mh, mc)) / 2, rel=1e-6, abs=1e-8
    )
    assert r.dQ_dT_hot_in == pytest.approx(r.effectiveness * min(mh * CP_PG25, mc * CP_W))


def test_ua_from_design_round_trip_and_ht() -> None:
    from ht.hx import NTU_from_effectiveness

    Q, Thi, Tci, mh, mc = 1.0e6, 318.0, 300.0, 20.0, 25.0
    UA = phe.ua_from_design(Q, Thi, Tci, mh, CP_PG25, mc, CP_W)
    assert phe.counterflow_outlets(UA, mh, CP_PG25, Thi, mc, CP_W, Tci).Q == pytest.approx(
        Q, rel=1e-10
    )
    Cmin, Cmax = mh * CP_PG25, mc * CP_W
    assert UA == pytest.approx(
        Cmin * NTU_from_effectiveness(Q / (Cmin * (Thi - Tci)), Cmin / Cmax, "counterflow"),
        rel=1e-9,
    )


def test_ua_from_design_rejects_impossible_designs() -> None:
    with pytest.raises(InputError, match="impossible in counterflow"):
        phe.ua_from_design(3.0e6, 318.0, 300.0, 20.0, CP_PG25, 25.0, CP_W)
    with pytest.raises(InputError, match="must be above the cold inlet"):
        phe.ua_from_design(1.0e5, 300.0, 300.0, 20.0, CP_PG25, 25.0, CP_W)
    with pytest.raises(InputError, match="approach must be > 0 K"):
        phe.ua_from_approach(2e6, 0.0, T0 + 26.8, 31.48, CP_PG25, 32.30, CP_W)


def test_cdu_2mw_design_point_from_modelica_record() -> None:
    # Modelica Buildings, CDUs.Data.GoogleProjectDeschutes: 2 MW, approach 3 K, facility in 26.8 °C,
    # IT loop 31.48 kg/s (PG25), facility loop 32.30 kg/s (water).
    UA = phe.ua_from_approach(2e6, 3.0, T0 + 26.8, 31.48, CP_PG25, 32.30, CP_W)
    Thi = T0 + 26.8 + 3.0 + 2e6 / (31.48 * CP_PG25)
    r = phe.counterflow_outlets(UA, 31.48, CP_PG25, Thi, 32.30, CP_W, T0 + 26.8)
    assert r.T_hot_out - (T0 + 26.8) == pytest.approx(3.0, abs=1e-9)
    assert r.Q == pytest.approx(2e6, rel=1e-12)
    assert r.temperature_cross  # 45.8 → 29.8 °C against 26.8 → 41.6 °C


def test_ua_off_design_law() -> None:
    UA_d, mhd, mcd = 5e5, 30.0, 32.0
    od = phe.ua_off_design(UA_d, mhd, mcd, mhd, mcd, 0.7)
    assert od.UA == pytest.approx(UA_d, rel=1e-12)
    # both flows scaled by x with equal exponents: UA scales exactly as x^n
    for x in (0.3, 0.5, 1.5):
        assert phe.ua_off_design(UA_d, x * mhd, x * mcd, mhd, mcd, 0.7).UA == pytest.approx(
            UA_d * x**0.7, rel=1e-12
        )
    # series films by hand, r = 2, one side at half flow
    r = 2.0
    hA_h, hA_c = UA_d * (1 + r), UA_d * (1 + r) / r
    ua = phe.ua_off_design(UA_d, mhd, 0.5 * mcd, mhd, mcd, 0.8, r_design=r).UA
    assert ua == pytest.approx(1 / (1 / hA_h + 1 / (hA_c * 0.5**0.8)), rel=1e-12)


@pytest.mark.parametrize(
    "frac_h, frac_c", [(1.0, 1.0), (0.5, 1.2), (0.02, 0.7), (0.0, 0.5), (0.06, 0.05)]
)
def test_ua_off_design_derivatives(frac_h: float, frac_c: float) -> None:
    UA_d, mhd, mcd = 5e5, 30.0, 32.0
    mh, mc = frac_h * mhd, frac_c * mcd
    od = phe.ua_off_design(UA_d, mh, mc, mhd, mcd, 0.7, exponent_cold=0.6, r_design=1.3)
    h = 1e-6

    def ua(a, b):
        return phe.ua_off_design(UA_d, a, b, mhd, mcd, 0.7, exponent_cold=0.6, r_design=1.3).UA

    fd_h = (ua(mh + h, mc) - ua(max(mh - h, 0.0), mc)) / (mh + h - max(mh - h, 0.0))
    fd_c = (ua(mh, mc + h) - ua(mh, mc - h)) / (2 * h)
    assert od.dUA_dm_hot == pytest.approx(fd_h, rel=1e-5)
    assert od.dUA_dm_cold == pytest.approx(fd_c, rel=1e-5)
    assert np.isfinite(od.dUA_dm_hot)
    with pytest.raises(InputError, match="exponent must be in"):
        phe.ua_off_design(UA_d, mh, mc, mhd, mcd, 1.5)


PLATE = dict(
    amplitude=1.5e-3,
    wavelength=8e-3,
    chevron_angle=45.0,
    width=0.5,
    length=1.5,
    plates=101,
    plate_thickness=0.5e-3,
    k_plate=16.0,
)
HOT = phe.ChevronSide(m_dot=15.0, rho=1011.0, cp=CP_PG25, mu=1.43e-3, k=0.484)
COLD = phe.ChevronSide(m_dot=16.0, rho=994.4, cp=CP_W, mu=0.731e-3, k=0.621)


def test_chevron_geometry_matches_ht_and_fluids_called_directly() -> None:
    import fluids
    from ht.conv_plate import Nu_plate_Martin

    res = phe.ua_from_chevron_geometry(HOT, COLD, **PLATE)
    pe = fluids.PlateExchanger(
        amplitude=1.5e-3, wavelength=8e-3, chevron_angle=45.0, width=0.5, length=1.5, plates=101
    )
    Dh, A = pe.D_hydraulic, pe.A_heat_transfer
    hs = []
    for side, n_ch, i in ((HOT, 50, 0), (COLD, 50, 1)):
        u = side.m_dot / (side.rho * n_ch * 0.5 * 3e-3)
        Re = side.rho * u * Dh / side.mu
        Nu = Nu_plate_Martin(Re, side.cp * side.mu / side.k, 45.0)
        hs.append(Nu * side.k / Dh)
        assert res.Re[i] == pytest.approx(Re, rel=1e-12)
        fd = fluids.friction_plate_Martin_1999(Re, 45.0)
        assert res.dp[i] == pytest.approx(fd * 1.5 / Dh * 0.5 * side.rho * u**2, rel=1e-12)
    UA = 1 / (1 / (hs[0] * A) + 0.5e-3 / (16.0 * A) + 1 / (hs[1] * A))
    assert res.UA == pytest.approx(UA, rel=1e-12)


def test_martin_equations_by_hand() -> None:
    # Martin (1999, Banff) friction in Fanning form, as printed in the fluids docs:
    # 1/sqrt(f) = cos φ / sqrt(0.045 tan φ + 0.09 sin φ + f0/cos φ) + (1 - cos φ)/sqrt(3.8 f1)
    # with (Re < 2000) f0 = 16/Re, f1 = 149/Re + 0.9625, in Fanning form (x4 for Darcy);
    # Martin (1996): Nu = 0.122 Pr^(1/3) (f_D Re^2 sin 2φ)^0.374, f_D = 4 f.
    res = phe.ua_from_chevron_geometry(HOT, COLD, **PLATE)
    Re = res.Re[1]
    assert 200.0 < Re < 2000.0
    phi = math.radians(45.0)
    f0 = 16.0 / Re
    f1 = 149.0 / Re + 0.9625
    inv = math.cos(phi) / math.sqrt(
        0.045 * math.tan(phi) + 0.09 * math.sin(phi) + f0 / math.cos(phi)
    )
    inv += (1 - math.cos(phi)) / math.sqrt(3.8 * f1)
    f = 4.0 * inv**-2
    Pr = COLD.cp * COLD.mu / COLD.k
    Nu = 0.122 * Pr ** (1 / 3) * (f * Re**2 * math.sin(2 * phi)) ** 0.374
    assert res.Nu[1] == pytest.approx(Nu, rel=1e-12)
    # order of magnitude expected of a water PHE channel: h of several kW/(m² K)
    assert 3e3 < res.h[1] < 3e4


def test_chevron_kumar_and_range_checks() -> None:
    from ht.conv_plate import Nu_plate_Kumar

    res = phe.ua_from_chevron_geometry(HOT, COLD, correlation="Kumar", **PLATE)
    Pr = HOT.cp * HOT.mu / HOT.k
    assert res.Nu[0] == pytest.approx(Nu_plate_Kumar(res.Re[0], Pr, 45.0), rel=1e-12)
    bad = dict(PLATE, chevron_angle=70.0)
    with pytest.raises(RangeError, match="outside the Kumar range"):
        phe.ua_from_chevron_geometry(HOT, COLD, correlation="Kumar", **bad)
    slow = phe.ChevronSide(m_dot=0.05, rho=1011.0, cp=CP_PG25, mu=1.43e-3, k=0.484)
    with pytest.warns(RuntimeWarning, match="outside the Martin range"):
        phe.ua_from_chevron_geometry(slow, COLD, **PLATE)
    with pytest.raises(InputError, match="plates must be an integer >= 3"):
        phe.ua_from_chevron_geometry(HOT, COLD, **dict(PLATE, plates=2))
