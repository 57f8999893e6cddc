"""Friction factor and pipe pressure drop, checked against fluids, Hagen–Poiseuille and finite
differences."""

from __future__ import annotations

import math
import warnings

import fluids
import numpy as np
import pytest

from thermo.correlations.friction import (
    RE_LAMINAR,
    RE_TURBULENT,
    colebrook_friction,
    darcy_friction,
    darcy_friction_derivative,
    pipe_pressure_drop,
)
from thermo.errors import InputError, RangeError

ROUGHNESSES = [0.0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05]


def _fd(func, x, rel=1e-6):
    h = np.maximum(np.abs(x) * rel, 1e-9)
    return (func(x + h) - func(x - h)) / (2 * h)


# ---------------------------------------------------------------------------------- friction
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # inside fluids
@pytest.mark.parametrize("ed", ROUGHNESSES)
def test_turbulent_matches_fluids_clamond_and_exact_colebrook(ed):
    re = np.logspace(math.log10(RE_TURBULENT), 8, 60)
    f = darcy_friction(re, ed)
    clamond = np.array([fluids.Clamond(r, ed) for r in re])
    colebrook = np.array([fluids.friction_factor(r, ed, Method="Colebrook") for r in re])
    # same algorithm as fluids.Clamond: agreement to rounding (brief: 1e-10)
    np.testing.assert_allclose(f, clamond, rtol=1e-12)
    # the iterative Colebrook solution: Clamond's algorithm is exact to machine precision
    np.testing.assert_allclose(f, colebrook, rtol=1e-10)


def test_colebrook_friction_has_no_regime_switch():
    # below 2040 fluids switches to 64/Re; fluids.Clamond itself does not
    for re in (500.0, 1500.0, 3000.0):
        assert colebrook_friction(re, 1e-4) == pytest.approx(fluids.Clamond(re, 1e-4), rel=1e-12)


def test_laminar_is_hagen_poiseuille_and_matches_fluids():
    re = np.array([1.0, 10.0, 640.0, 1000.0, 2000.0, RE_LAMINAR])
    np.testing.assert_allclose(darcy_friction(re, 1e-3), 64.0 / re, rtol=1e-14)
    for r in re[re < 2040]:  # fluids is laminar only below 2040
        assert darcy_friction(r, 1e-3) == pytest.approx(fluids.friction_factor(r, 1e-3), rel=1e-14)


@pytest.mark.parametrize("law", ["blend", "colebrook"])
@pytest.mark.parametrize("ed", [0.0, 1e-4, 1e-2])
def test_blend_is_c1_at_both_ends_and_between_the_two_laws(ed, law):
    top = RE_TURBULENT if law == "blend" else 2320.0
    for re0 in (RE_LAMINAR, top):
        d = (1e-10 if law == "colebrook" else 1e-8) * re0  # the colebrook join is only 20 wide
        f_lo, df_lo = darcy_friction_derivative(re0 - d, ed, law)
        f_hi, df_hi = darcy_friction_derivative(re0 + d, ed, law)
        # continuous value: the jump across re0 is what the slope predicts, to O(d²)
        assert f_hi - f_lo == pytest.approx(0.5 * (df_lo + df_hi) * 2 * d, rel=1e-4)
        assert df_hi == pytest.approx(df_lo, rel=1e-4)  # continuous slope (C¹)
    re = np.linspace(RE_LAMINAR, top, 200)
    f = darcy_friction(re, ed, law)
    lam = 64.0 / re
    turb = np.array([fluids.Clamond(r, ed) for r in re])
    assert np.all(f >= np.minimum(lam, turb) - 1e-15)
    assert np.all(f <= np.maximum(lam, turb) + 1e-15)


@pytest.mark.parametrize("law", ["colebrook", "blend", "churchill", "haaland", "swamee_jain"])
@pytest.mark.parametrize("ed", [0.0, 1e-4, 1e-2, 0.05])
def test_friction_derivative_matches_finite_differences(ed, law):
    # points away from the join edges (2300, 2320, 4000: only C¹, so FD converges slowly)
    re = np.array([5.0, 800.0, 2200.0, 2400.0, 3000.0, 3900.0, 4100.0, 1e4, 1e5, 1e6, 1e7])
    f, df = darcy_friction_derivative(re, ed, law)
    fd = _fd(lambda r: darcy_friction(r, ed, law), re)
    scale = f / re  # natural size of df/dRe
    np.testing.assert_allclose(df, fd, rtol=0, atol=1e-6 * scale.max())
    np.testing.assert_allclose(df / scale, fd / scale, rtol=1e-5, atol=1e-7)


def test_scalar_and_array_shapes():
    assert isinstance(darcy_friction(1e5, 1e-4), float)
    f, df = darcy_friction_derivative(1e5)
    assert isinstance(f, float) and isinstance(df, float)
    grid = np.array([[1e3, 3e3], [1e4, 1e6]])
    assert darcy_friction(grid, 1e-4).shape == (2, 2)
    assert darcy_friction(grid, np.array([0.0, 1e-3])).shape == (2, 2)


def test_friction_rejects_impossible_input():
    with pytest.raises(RangeError, match=r"reynolds.*must be > 0.*got 0"):
        darcy_friction(0.0)
    with pytest.raises(RangeError, match=r"reynolds.*must be > 0.*got -5"):
        darcy_friction(np.array([100.0, -5.0]))
    with pytest.raises(RangeError, match=r"relative_roughness.*must be >= 0"):
        darcy_friction(1e4, -1e-3)
    with pytest.raises(RangeError, match=r"reynolds.*finite"):
        darcy_friction(np.nan)


def test_friction_warns_outside_moody_chart_only():
    with pytest.warns(RuntimeWarning, match="relative roughness 0.08 exceeds 0.05"):
        darcy_friction(1e5, 0.08)
    with pytest.warns(RuntimeWarning, match="Reynolds number 2e\\+08 exceeds"):
        darcy_friction(2e8, 1e-4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        darcy_friction(np.logspace(0, 8, 50), 0.05)


# ---------------------------------------------------------------------------- pipe pressure drop
WATER = dict(density=997.0, viscosity=0.89e-3)


def test_pipe_dp_matches_fluids_one_phase_dp_away_from_blend():
    d, length, eps = 0.05, 12.0, 4.57e-5
    area = math.pi * d * d / 4
    for re in (50.0, 500.0, 1900.0, 4500.0, 2e4, 3e5, 2e6):
        m = re * WATER["viscosity"] * area / d
        ours = pipe_pressure_drop(m, d, length, eps, **WATER)
        ref = fluids.one_phase_dP(m, WATER["density"], WATER["viscosity"], d, eps, length)
        assert ours.dp == pytest.approx(ref, rel=1e-10), re
        assert ours.reynolds == pytest.approx(re, rel=1e-12)
        v = m / (WATER["density"] * area)
        assert ours.velocity == pytest.approx(v, rel=1e-12)
        assert ours.friction == pytest.approx(fluids.friction_factor(re, eps / d), rel=1e-10)


def test_pipe_dp_minor_losses_match_fluids_dp_from_k():
    d, k = 0.025, 3.7
    m = 0.9
    rho = WATER["density"]
    v = m / (rho * math.pi * d * d / 4)
    only_minor = pipe_pressure_drop(m, d, 0.0, 0.0, k_minor=k, **WATER)
    assert only_minor.dp == pytest.approx(fluids.dP_from_K(k, rho, v), rel=1e-12)
    both = pipe_pressure_drop(m, d, 5.0, 1e-5, k_minor=k, **WATER)
    friction_only = pipe_pressure_drop(m, d, 5.0, 1e-5, **WATER)
    assert both.dp == pytest.approx(friction_only.dp + only_minor.dp, rel=1e-12)


def test_laminar_pipe_is_hagen_poiseuille_down_to_zero_flow():
    d, length, mu, rho = 0.004, 0.3, 2.0e-3, 1020.0
    q = np.array([0.0, 1e-9, 1e-7, 2e-6])  # m³/s, Re <= ~320
    res = pipe_pressure_drop(rho * q, d, length, 1e-6, rho, mu)
    hagen = 128.0 * mu * length * q / (math.pi * d**4)
    np.testing.assert_allclose(res.dp, hagen, rtol=1e-12, atol=0)
    slope = 128.0 * mu * length / (math.pi * d**4) / rho  # d(dp)/d(m_dot)
    np.testing.assert_allclose(res.ddp_dm, slope, rtol=1e-12)
    assert res.dp[0] == 0.0 and res.friction[0] == np.inf and res.reynolds[0] == 0.0


def test_zero_flow_never_warns_and_has_positive_slope():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = pipe_pressure_drop(np.zeros(3), 0.02, 3.0, 4.57e-5, 998.0, 1e-3, 2.0)
    assert np.all(res.dp == 0.0)
    assert np.all(res.ddp_dm > 0.0) and np.all(np.isfinite(res.ddp_dm))


def test_pipe_dp_is_odd_in_mass_flow():
    m = np.array([1e-4, 0.01, 0.08, 0.3, 2.0, 20.0])
    fwd = pipe_pressure_drop(m, 0.04, 7.0, 4.57e-5, k_minor=1.2, **WATER)
    rev = pipe_pressure_drop(-m, 0.04, 7.0, 4.57e-5, k_minor=1.2, **WATER)
    np.testing.assert_array_equal(rev.dp, -fwd.dp)
    np.testing.assert_array_equal(rev.ddp_dm, fwd.ddp_dm)
    np.testing.assert_array_equal(rev.velocity, -fwd.velocity)


# points: zero, laminar, inside the blend, turbulent, reversed (turbulent and blend)
_D, _L, _EPS, _RHO, _MU, _K = 0.02, 4.0, 1.5e-6, 1010.0, 1.3e-3, 2.5
_AREA = math.pi * _D**2 / 4
_M_POINTS = np.array([0.0, 1e-3, 0.02, 0.045, 0.055, 0.2, 3.0, -0.05, -0.5])


def test_pipe_points_cover_all_regimes():
    re = np.abs(_M_POINTS) * _D / (_MU * _AREA)
    assert re[0] == 0
    assert np.any(re[1:] < RE_LAMINAR)
    assert np.any((re > RE_LAMINAR) & (re < RE_TURBULENT) & (_M_POINTS > 0))
    assert np.any((re > RE_LAMINAR) & (re < RE_TURBULENT) & (_M_POINTS < 0))
    assert np.any(re > RE_TURBULENT)


def test_pipe_derivatives_match_finite_differences():
    def dp(m=_M_POINTS, rho=_RHO, mu=_MU):
        return pipe_pressure_drop(m, _D, _L, _EPS, rho, mu, _K).dp

    res = pipe_pressure_drop(_M_POINTS, _D, _L, _EPS, _RHO, _MU, _K)
    h_m = 1e-7 * np.maximum(np.abs(_M_POINTS), 1e-3)
    fd_m = (dp(m=_M_POINTS + h_m) - dp(m=_M_POINTS - h_m)) / (2 * h_m)
    np.testing.assert_allclose(res.ddp_dm, fd_m, rtol=1e-6)
    fd_rho = (dp(rho=_RHO * (1 + 1e-7)) - dp(rho=_RHO * (1 - 1e-7))) / (2e-7 * _RHO)
    np.testing.assert_allclose(res.ddp_drho, fd_rho, rtol=1e-6, atol=1e-12)
    fd_mu = (dp(mu=_MU * (1 + 1e-7)) - dp(mu=_MU * (1 - 1e-7))) / (2e-7 * _MU)
    np.testing.assert_allclose(res.ddp_dmu, fd_mu, rtol=1e-6, atol=1e-9)


def test_pipe_broadcasts_arrays_and_returns_floats_for_scalars():
    res = pipe_pressure_drop(0.1, 0.02, 1.0, 0.0, 998.0, 1e-3)
    assert all(isinstance(x, float) for x in res)
    res = pipe_pressure_drop(np.ones((2, 3)), np.array([0.01, 0.02, 0.03]), 1.0, 0.0, 998.0, 1e-3)
    assert res.dp.shape == (2, 3) and res.ddp_dmu.shape == (2, 3)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (dict(diameter=-0.01), r"diameter.*must be > 0 \[m\], got -0.01"),
        (dict(diameter=0.0), r"diameter.*must be > 0"),
        (dict(length=-1.0), r"length.*must be >= 0"),
        (dict(roughness=-1e-6), r"roughness.*must be >= 0"),
        (dict(density=0.0), r"density.*must be > 0"),
        (dict(viscosity=-1e-3), r"viscosity.*must be > 0"),
        (dict(k_minor=-0.5), r"k_minor.*must be >= 0"),
        (dict(m_dot=np.inf), r"m_dot.*finite"),
        (dict(m_dot="fast"), r"m_dot.*must be a number"),
    ],
)
def test_pipe_rejects_bad_input(kwargs, pattern):
    args = dict(m_dot=0.1, diameter=0.02, length=1.0, roughness=0.0, density=998.0, viscosity=1e-3)
    args.update(kwargs)
    with pytest.raises((RangeError, ValueError), match=pattern):
        pipe_pressure_drop(**args)


def test_pipe_warns_for_very_rough_pipe():
    with pytest.warns(RuntimeWarning, match="relative roughness"):
        pipe_pressure_drop(1.0, 0.01, 1.0, 1e-3, 998.0, 1e-3)


def test_pipe_pressure_drop_is_vectorised():
    n = 100_000
    m = np.linspace(-2.0, 2.0, n)
    dp = pipe_pressure_drop(m, 0.05, 10.0, 4.57e-5, 997.0, 8.9e-4, 1.5)
    dp = dp[0] if isinstance(dp, tuple) else dp
    assert np.shape(dp) == (n,) and np.all(np.diff(dp) >= 0)  # one array out, monotone in m


# issue 11, item 8: named friction laws against the fluids package (called directly)
@pytest.mark.parametrize(
    ("law", "reference"),
    [
        ("colebrook", lambda re, ed: fluids.friction.Colebrook(re, ed)),
        ("churchill", lambda re, ed: fluids.friction.Churchill_1977(re, ed)),
        ("haaland", lambda re, ed: fluids.friction.Haaland(re, ed)),
        ("swamee_jain", lambda re, ed: fluids.friction.Swamee_Jain_1976(re, ed)),
    ],
)
def test_named_friction_laws_match_fluids(law, reference):
    for re in (2630.0, 3500.0, 1e4, 1e5, 1e7):
        for ed in (0.0, 1e-4, 1e-2):
            # fluids writes Swamee-Jain's 5.74/Re^0.9 as (6.97/Re)^0.9 = 5.7368/Re^0.9: 2e-6 apart
            rel = 1e-5 if law == "swamee_jain" else 1e-12
            assert darcy_friction(re, ed, law) == pytest.approx(reference(re, ed), rel=rel)
    assert darcy_friction(1000.0, 1e-4, law) == pytest.approx(
        0.064, rel=1e-3 if law == "churchill" else 1e-14
    )


def test_default_law_is_colebrook_from_2320_as_industry_tools():
    """At Re 2630 the default (Colebrook from 2320, as commercial network tools and pandapipes
    use) gives Colebrook's factor; the former 2300-4000 blend gave 39.6 % less."""
    ed = 1e-4
    col = fluids.friction.Colebrook(2630.0, ed)
    assert darcy_friction(2630.0, ed) == pytest.approx(col, rel=1e-14)
    assert 1 - darcy_friction(2630.0, ed, "blend") / col == pytest.approx(0.396, abs=1e-3)
    with pytest.raises(InputError, match="unknown friction law 'moody'"):
        darcy_friction(2630.0, ed, "moody")
