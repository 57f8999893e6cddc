"""Checks that used to be ``thermo verify`` cases but compare thermo with itself or only call
another package (issue 20): kept here as unit tests, against the published figures."""

from __future__ import annotations

import pytest

from thermo.correlations import k_gate_valve, k_tee, nusselt_internal
from thermo.facility.metrics import ere, erf, pue


@pytest.mark.parametrize(
    ("boundary", "nu"), [("constant_wall_temperature", 3.66), ("constant_heat_flux", 4.36)]
)
def test_fully_developed_laminar_nusselt(boundary: str, nu: float) -> None:
    # Incropera et al., Fundamentals of Heat and Mass Transfer, 6th ed., Eqs. 8.55 and 8.53
    assert nusselt_internal(1000.0, 7.0, boundary=boundary) == pytest.approx(nu, abs=0.005)


def test_crane_gate_valve_and_wye_branch() -> None:
    # Crane TP-410 (2009): gate valve K = 8 f_T, f_T(2 in) = 0.019 (p. A-27); Example 7-36 (TP-410M)
    assert k_gate_valve(0.0525) == pytest.approx(0.152, abs=0.004)
    k = k_tee("branch_diverging", 0.146, 0.146, 1515 / 60000, 950 / 60000, angle_deg=45.0)
    assert k == pytest.approx(0.464, abs=0.0005)


@pytest.mark.parametrize(("ef", "ei", "er"), [(1.25e6, 8.2e5, 2.1e5), (3.0, 2.5, 0.0)])
def test_ere_is_pue_times_one_minus_erf(ef: float, ei: float, er: float) -> None:
    # The Green Grid definitions (White Paper #29, 2010; ERF task force 2012)
    assert ere(ef, ei, er) == pytest.approx(pue(ef, ei) * (1.0 - erf(er, ef)), rel=1e-14)


def test_cdu_datasheet_round_trips() -> None:
    # UA from the datasheet point, then epsilon-NTU forward, returns the datasheet approach
    # (Modelica Buildings CDU records; consistency of thermo's sizing and rating, not validation)
    from thermo.verification.cases_components import _cdu_approach
    from thermo.verification.cases_devices import _cdu_2mw_design, _xdu

    assert _cdu_2mw_design() == pytest.approx(3.0, abs=1e-6)
    assert _xdu(1.0) == pytest.approx(4.0, abs=1e-6)
    assert _cdu_approach() == pytest.approx(3.0, abs=1e-6)
