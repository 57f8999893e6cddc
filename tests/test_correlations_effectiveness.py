"""ε-NTU relations, checked against ht.effectiveness_from_NTU / ht.NTU_from_effectiveness,
closed-form limits (Incropera Table 11.3), an asymptotic result and finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ht import NTU_from_effectiveness, effectiveness_from_NTU

from thermo.correlations.effectiveness import (
    ARRANGEMENTS,
    effectiveness,
    effectiveness_derivatives,
    ntu_from_effectiveness,
)
from thermo.errors import InputError, RangeError

HT_NAME = {
    "counterflow": "counterflow",
    "parallel": "parallel",
    "crossflow_unmixed": "crossflow",  # ht's exact (Triboix 2009 integral) form
    "crossflow_mixed_cmin": "crossflow, mixed Cmin",
    "crossflow_mixed_cmax": "crossflow, mixed Cmax",
}

_rng = np.random.default_rng(20240611)
NTU = np.concatenate([_rng.uniform(0.01, 12.0, 80), [1e-4, 0.3, 1.0, 2.5, 6.0, 30.0, 120.0]])
CR = np.concatenate([_rng.uniform(0.0, 1.0, 80), [0.5, 1.0, 0.999, 0.6, 1e-4, 1.0, 0.3]])


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_matches_ht(arrangement):
    ours = effectiveness(NTU, CR, arrangement)
    ref = np.array(
        [effectiveness_from_NTU(n, c, HT_NAME[arrangement]) for n, c in zip(NTU, CR, strict=True)]
    )
    # closed forms: rounding only; crossflow: ht integrates numerically (quad, ~1e-10)
    rtol = 1e-9 if arrangement == "crossflow_unmixed" else 1e-11
    np.testing.assert_allclose(ours, ref, rtol=rtol)


def test_counterflow_balanced_limit_is_exact():
    n = np.array([0.0, 0.5, 3.0, 9.0, 1e3])
    np.testing.assert_allclose(effectiveness(n, 1.0, "counterflow"), n / (1 + n), rtol=1e-15)
    assert effectiveness(9.0, 1.0) == pytest.approx(effectiveness_from_NTU(9.0, 1.0), rel=1e-15)
    # no 0/0 and no cancellation just below Cr = 1 (the naive formula loses ~8 digits here)
    near = effectiveness(3.0, 1.0 - 1e-9)
    assert near == pytest.approx(0.75, abs=1e-9) and near >= 0.75


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_zero_capacity_ratio_is_one_minus_exp(arrangement):
    n = np.array([0.0, 0.1, 1.0, 4.0, 50.0])
    np.testing.assert_allclose(effectiveness(n, 0.0, arrangement), -np.expm1(-n), rtol=1e-15)
    tiny = effectiveness(n, 1e-12, arrangement)
    np.testing.assert_allclose(tiny, -np.expm1(-n), rtol=1e-10)


def test_crossflow_unmixed_large_ntu_asymptote():
    # ε = E[min(X, Y)]/(Cr N) with X, Y ~ Poisson(N); for Cr = 1 and N -> inf the normal limit
    # gives 1 - ε -> 1/sqrt(pi N) (E|X - Y| = sqrt(4N/pi))
    for n in (1e3, 1e4, 1e5):
        gap = 1.0 - effectiveness(n, 1.0, "crossflow_unmixed")
        assert gap == pytest.approx(1.0 / math.sqrt(math.pi * n), rel=3.0 / math.sqrt(n))


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_ordering_and_monotonicity(arrangement):
    n = np.linspace(0.05, 8.0, 40)[:, None]
    c = np.linspace(0.0, 1.0, 11)[None, :]
    eps, dn, dc = effectiveness_derivatives(n, c, arrangement)
    # counterflow is the best and parallel flow the worst single-pass arrangement
    assert np.all(effectiveness(n, c, "counterflow") >= eps - 1e-15)
    assert np.all(effectiveness(n, c, "parallel") <= eps + 1e-15)
    assert np.all(dn > 0) and np.all(dc <= 1e-15) and np.all((eps >= 0) & (eps < 1))


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_derivatives_match_finite_differences(arrangement):
    n = np.array([0.02, 0.4, 1.0, 2.7, 6.0, 15.0])[:, None]
    c = np.array([0.0, 1e-7, 0.05, 0.4, 0.8, 0.99])[None, :]
    eps, dn, dc = effectiveness_derivatives(n, c, arrangement)
    np.testing.assert_allclose(eps, effectiveness(n, c, arrangement), rtol=0)
    h = 1e-6
    fd_n = (
        effectiveness(n * (1 + h), c, arrangement) - effectiveness(n * (1 - h), c, arrangement)
    ) / (2 * h * n)
    np.testing.assert_allclose(dn, fd_n, rtol=2e-6, atol=1e-9)
    hc = 1e-7
    lo = effectiveness(n, np.maximum(c - hc, 0.0), arrangement)
    hi = effectiveness(n, c + hc, arrangement)
    fd_c = (hi - lo) / (c + hc - np.maximum(c - hc, 0.0))
    np.testing.assert_allclose(dc, fd_c, rtol=1e-5, atol=1e-7)


def test_derivatives_at_the_limits():
    _, dn, dc = effectiveness_derivatives(0.0, 0.6, "counterflow")
    assert dn == pytest.approx(1.0) and dc == 0.0
    for arrangement in ARRANGEMENTS:  # ε ≈ NTU for small NTU
        assert effectiveness_derivatives(0.0, 0.3, arrangement)[1] == pytest.approx(1.0)
    # Cr = 1 counterflow: dε/dN = 1/(1+N)²
    _, dn, dc = effectiveness_derivatives(3.0, 1.0)
    assert dn == pytest.approx(1 / 16, rel=1e-14)
    h = 1e-7
    assert dc == pytest.approx(
        (effectiveness(3.0, 1.0) - effectiveness(3.0, 1.0 - h)) / h, rel=1e-5
    )


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
def test_inverse_matches_ht_and_round_trips(arrangement):
    n = np.array([0.05, 0.5, 1.0, 2.0, 3.5])
    c = np.array([0.0, 0.3, 0.7, 0.95, 1.0])
    eps = effectiveness(n, c, arrangement)
    back = ntu_from_effectiveness(eps, c, arrangement)
    np.testing.assert_allclose(back, n, rtol=1e-10)
    for e, cr in zip(eps, c, strict=True):
        if cr == 0.0:
            continue  # ht divides by Cr in the mixed forms
        ref = NTU_from_effectiveness(e, cr, HT_NAME[arrangement])
        assert ntu_from_effectiveness(e, cr, arrangement) == pytest.approx(ref, rel=1e-8)


def test_inverse_counterflow_balanced_and_zero():
    assert ntu_from_effectiveness(0.9, 1.0) == pytest.approx(9.0, rel=1e-14)
    assert ntu_from_effectiveness(0.0, 0.5) == 0.0
    assert ntu_from_effectiveness(0.5, 0.0, "crossflow_unmixed") == pytest.approx(math.log(2.0))


@pytest.mark.parametrize(
    ("arrangement", "cr", "limit"),
    [
        ("parallel", 0.6, 1 / 1.6),
        ("crossflow_mixed_cmin", 0.7, 1 - math.exp(-1 / 0.7)),
        ("crossflow_mixed_cmax", 0.7, (1 - math.exp(-0.7)) / 0.7),
    ],
)
def test_inverse_rejects_unreachable_effectiveness(arrangement, cr, limit):
    with pytest.raises(RangeError, match=f"must be below {limit:.6g}, its limit as NTU"):
        ntu_from_effectiveness(limit + 1e-6, cr, arrangement)
    assert ntu_from_effectiveness(limit - 1e-6, cr, arrangement) > 5.0


def test_bad_input_is_rejected():
    with pytest.raises(RangeError, match=r"effectiveness.*must be < 1"):
        ntu_from_effectiveness(1.0, 0.5)
    with pytest.raises(RangeError, match=r"effectiveness.*must be >= 0"):
        ntu_from_effectiveness(-0.1, 0.5)
    with pytest.raises(RangeError, match=r"capacity_ratio.*must be <= 1.*got 1.2"):
        effectiveness(2.0, 1.2)
    with pytest.raises(RangeError, match=r"ntu.*must be >= 0"):
        effectiveness(-1.0, 0.5, "parallel")
    with pytest.raises(RangeError, match=r"ntu.*finite"):
        effectiveness(np.inf, 0.5)
    with pytest.raises(RangeError, match=r"ntu.*must be <= 1e\+05 for crossflow_unmixed"):
        effectiveness(2e5, 0.5, "crossflow_unmixed")
    with pytest.raises(InputError, match="arrangement must be one of counterflow, parallel"):
        effectiveness(1.0, 0.5, "shell_and_tube")


def test_shapes():
    assert isinstance(effectiveness(1.0, 0.5), float)
    assert isinstance(effectiveness(1.0, 0.5, "crossflow_unmixed"), float)
    out = effectiveness(np.ones((3, 1)), np.array([0.1, 0.5]), "crossflow_unmixed")
    assert out.shape == (3, 2)
    assert all(x.shape == (3, 2) for x in effectiveness_derivatives(np.ones((3, 1)), [0.1, 0.5]))
    assert ntu_from_effectiveness(np.full((2, 2), 0.5), 0.5, "crossflow_unmixed").shape == (2, 2)
