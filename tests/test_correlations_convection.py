"""Internal convection, checked against ht.conv_internal functions called directly (never
ht's Nu_conv_internal, whose laminar-entry method names are swapped), published limits and finite
differences."""

from __future__ import annotations

import math
import warnings

import fluids
import numpy as np
import pytest
from ht.conv_internal import (
    laminar_entry_thermal_Hausen,
    laminar_Q_const,
    laminar_T_const,
    turbulent_Gnielinski,
)

from thermo.correlations.convection import (
    RE_NU_LAMINAR,
    RE_NU_TURBULENT,
    nusselt_internal,
    nusselt_internal_derivative,
)
from thermo.correlations.friction import darcy_friction, darcy_friction_derivative
from thermo.errors import InputError, RangeError

Q = "constant_heat_flux"


def petukhov(re):
    """Incropera et al. (2007) Eq. 8.21, smooth tubes."""
    return (0.790 * math.log(re) - 1.64) ** -2


def test_fully_developed_laminar_matches_ht():
    re = np.array([0.0, 1.0, 500.0, 2300.0])
    np.testing.assert_array_equal(nusselt_internal(re, 7.0), laminar_T_const())
    np.testing.assert_allclose(nusselt_internal(re, 7.0, boundary=Q), laminar_Q_const(), rtol=1e-15)


@pytest.mark.parametrize("pr", [0.7, 5.0, 40.0, 300.0])
@pytest.mark.parametrize("l_over_d", [5.0, 60.0, 2000.0])
def test_developing_laminar_constant_wall_temperature_is_hausen(pr, l_over_d):
    d = 0.003
    length = l_over_d * d
    for re in (10.0, 300.0, 1500.0, 2300.0):
        ours = nusselt_internal(re, pr, length=length, diameter=d)
        assert ours == pytest.approx(laminar_entry_thermal_Hausen(re, pr, length, d), rel=1e-13)


def test_developing_laminar_constant_heat_flux_limits():
    # VDI Heat Atlas G1 §3.2: Nu_m,q -> 4.364 for Gz -> 0 and -> 1.953 Gz^(1/3) (Leveque) for
    # large Gz; evaluated here from the published equation at one point by hand as well
    d = 0.002
    assert nusselt_internal(0.0, 7.0, length=1.0, diameter=d, boundary=Q) == pytest.approx(4.364)
    re, pr, length = 2000.0, 50.0, 0.01  # Gz = 2e4
    gz = re * pr * d / length
    nu = nusselt_internal(re, pr, length=length, diameter=d, boundary=Q)
    assert nu == pytest.approx(1.953 * gz ** (1 / 3), rel=0.015)  # offset -0.6 of the fit
    by_hand = (4.364**3 + 0.6**3 + (1.953 * gz ** (1 / 3) - 0.6) ** 3) ** (1 / 3)
    assert nu == pytest.approx(by_hand, rel=1e-13)
    # long tube: fully developed value (4.364 vs 48/11 = 4.3636: 0.01 % apart)
    long = nusselt_internal(10.0, 1.0, length=100.0, diameter=d, boundary=Q)
    assert long == pytest.approx(laminar_Q_const(), rel=1e-3)


@pytest.mark.parametrize("pr", [0.7, 3.0, 7.0, 50.0, 500.0])
def test_turbulent_is_gnielinski_as_in_ht(pr):
    for re in (RE_NU_TURBULENT, 3e4, 2e5, 4e6):
        assert nusselt_internal(re, pr) == pytest.approx(
            turbulent_Gnielinski(re, pr, petukhov(re)), rel=1e-13
        )
        f = fluids.friction_factor(re, 1e-3)
        assert nusselt_internal(re, pr, friction=f) == pytest.approx(
            turbulent_Gnielinski(re, pr, f), rel=1e-13
        )


@pytest.mark.parametrize(
    "geometry", [{}, {"length": 0.4, "diameter": 0.01}], ids=["developed", "developing"]
)
def test_transition_is_linear_interpolation_of_the_ht_endpoints(geometry):
    pr = 6.0
    if geometry:
        lam = laminar_entry_thermal_Hausen(
            RE_NU_LAMINAR, pr, geometry["length"], geometry["diameter"]
        )
    else:
        lam = laminar_T_const()
    turb = turbulent_Gnielinski(RE_NU_TURBULENT, pr, petukhov(RE_NU_TURBULENT))
    re = np.array([2300.0, 3000.0, 5000.0, 8000.0, 9999.0])
    gamma = (re - 2300.0) / (1e4 - 2300.0)
    expected = (1 - gamma) * lam + gamma * turb
    np.testing.assert_allclose(nusselt_internal(re, pr, **geometry), expected, rtol=1e-13)


def test_nusselt_is_continuous_at_both_ends_of_the_transition():
    for kw in (
        {},
        {"length": 0.2, "diameter": 0.004},
        {"length": 0.2, "diameter": 0.004, "boundary": Q},
    ):
        for re0 in (RE_NU_LAMINAR, RE_NU_TURBULENT):
            lo = nusselt_internal(re0 * (1 - 1e-12), 4.0, **kw)
            hi = nusselt_internal(re0 * (1 + 1e-12), 4.0, **kw)
            assert hi == pytest.approx(lo, rel=1e-9)
    # with a caller friction f(Re) the 1e4 end stays continuous too
    ed = 2e-3
    lo = nusselt_internal(1e4 - 1e-6, 4.0, friction=darcy_friction(1e4 - 1e-6, ed))
    hi = nusselt_internal(1e4 + 1e-6, 4.0, friction=darcy_friction(1e4 + 1e-6, ed))
    assert hi == pytest.approx(lo, rel=1e-9)


_RE = np.array([0.5, 300.0, 2000.0, 2600.0, 6000.0, 9500.0, 1.2e4, 1e5, 3e6])


@pytest.mark.parametrize(
    "kw",
    [{}, {"length": 0.3, "diameter": 0.005}, {"length": 0.3, "diameter": 0.005, "boundary": Q}],
    ids=["developed", "hausen", "vdi-q"],
)
def test_nusselt_derivative_matches_finite_differences(kw):
    nu, dnu = nusselt_internal_derivative(_RE, 8.0, **kw)
    h = 1e-6 * _RE
    fd = (nusselt_internal(_RE + h, 8.0, **kw) - nusselt_internal(_RE - h, 8.0, **kw)) / (2 * h)
    np.testing.assert_allclose(dnu, fd, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(nu, nusselt_internal(_RE, 8.0, **kw), rtol=0)


def test_total_derivative_with_caller_friction():
    ed = 5e-4
    f, df = darcy_friction_derivative(_RE, ed)
    nu, dnu = nusselt_internal_derivative(_RE, 5.0, friction=f, dfriction_dre=df)
    h = 1e-6 * _RE

    def nu_at(re):
        return nusselt_internal(re, 5.0, friction=darcy_friction(re, ed))

    fd = (nu_at(_RE + h) - nu_at(_RE - h)) / (2 * h)
    np.testing.assert_allclose(dnu, fd, rtol=1e-6, atol=1e-12)
    # without dfriction_dre a given friction is held constant: the partial derivative
    _, partial = nusselt_internal_derivative(1e5, 5.0, friction=0.02)
    # at fixed f Gnielinski's Nu is linear in Re, so the slope is Nu(Re + 1) - Nu(Re)
    assert partial == pytest.approx(
        turbulent_Gnielinski(1, 5.0, 0.02) - turbulent_Gnielinski(0, 5.0, 0.02)
    )


def test_pipe_drop_friction_can_be_passed_through_including_zero_flow():
    from thermo.correlations.friction import pipe_pressure_drop

    m = np.array([0.0, 1e-3, 0.05, 0.4])
    d = 0.012
    drop = pipe_pressure_drop(m, d, 2.0, 1.5e-6, 998.0, 1e-3)
    assert drop.friction[0] == np.inf
    _, df = darcy_friction_derivative(np.maximum(drop.reynolds, 1.0), 1.5e-6 / d)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nu = nusselt_internal(drop.reynolds, 7.0, friction=drop.friction)
        nu2, _ = nusselt_internal_derivative(
            drop.reynolds, 7.0, friction=drop.friction, dfriction_dre=df
        )
    assert nu[0] == laminar_T_const() and np.all(np.isfinite(nu2))
    assert nu[-1] == pytest.approx(turbulent_Gnielinski(drop.reynolds[-1], 7.0, drop.friction[-1]))


def test_derivative_at_zero_flow():
    _, d = nusselt_internal_derivative(0.0, 7.0)
    assert d == 0.0
    _, d = nusselt_internal_derivative(0.0, 7.0, length=0.1, diameter=0.002)
    assert d == pytest.approx(0.0668 * 7.0 * 0.002 / 0.1)  # Hausen slope at Gz = 0
    _, d = nusselt_internal_derivative(0.0, 7.0, length=0.1, diameter=0.002, boundary=Q)
    assert d == np.inf  # the VDI constant-heat-flux form has a Gz^(1/3) term


def test_shapes():
    assert isinstance(nusselt_internal(5000.0, 4.0), float)
    out = nusselt_internal(
        np.full((2, 3), 5000.0), np.array([2.0, 4.0, 8.0]), length=1.0, diameter=0.01
    )
    assert out.shape == (2, 3)
    nu, dnu = nusselt_internal_derivative(np.array([1e3, 1e5]), 4.0)
    assert nu.shape == dnu.shape == (2,)


def test_bad_input_is_rejected_with_clear_errors():
    with pytest.raises(InputError, match="boundary must be one of constant_wall_temperature"):
        nusselt_internal(1e4, 5.0, boundary="isothermal")
    with pytest.raises(InputError, match="give both length and diameter"):
        nusselt_internal(1e3, 5.0, length=1.0)
    with pytest.raises(RangeError, match=r"reynolds.*must be >= 0.*got -10"):
        nusselt_internal(-10.0, 5.0)
    with pytest.raises(RangeError, match=r"prandtl.*must be > 0"):
        nusselt_internal(1e3, 0.0)
    with pytest.raises(RangeError, match=r"diameter.*must be > 0"):
        nusselt_internal(1e3, 5.0, length=1.0, diameter=-0.01)
    with pytest.raises(RangeError, match=r"friction.*must be finite and > 0 where reynolds > 2300"):
        nusselt_internal(np.array([10.0, 1e5]), 5.0, friction=np.array([0.5, 0.0]))
    with pytest.raises(RangeError, match=r"dfriction_dre.*must be finite"):
        nusselt_internal_derivative(1e5, 5.0, friction=0.02, dfriction_dre=np.nan)
    with pytest.raises(InputError, match="dfriction_dre is only meaningful with friction"):
        nusselt_internal_derivative(1e5, 5.0, dfriction_dre=1e-7)


def test_warnings_only_outside_gnielinski_range():
    with pytest.warns(RuntimeWarning, match="Prandtl number 3000 is outside 0.5–2000"):
        nusselt_internal(2e4, 3000.0)
    with pytest.warns(RuntimeWarning, match="Prandtl number 0.2"):
        nusselt_internal(5000.0, 0.2)
    with pytest.warns(RuntimeWarning, match="Reynolds number 8e\\+06 exceeds"):
        nusselt_internal(8e6, 5.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # laminar flow of a very viscous fluid, and the whole water/glycol range
        nusselt_internal(np.array([0.0, 100.0, 2300.0]), 5000.0, length=0.1, diameter=0.001)
        nusselt_internal(np.logspace(0, 6.5, 40), np.linspace(1.5, 400.0, 40))
