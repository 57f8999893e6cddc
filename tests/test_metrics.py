"""Facility metrics: definitions, the ERE = PUE·(1 - ERF) identity, guards, summary, compliance."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermo.errors import InputError
from thermo.facility.metrics import (
    KWH,
    FacilityMetrics,
    cue,
    enefg_compliance,
    ere,
    erf,
    eu_eed_report_items,
    pue,
    tokens_per_kwh,
    tokens_per_kwh_net,
    wue,
)
from thermo.plant.boiler import NATURAL_GAS_CO2_PER_M3, NATURAL_GAS_HHV

EF, EI, ER = 1_250_000 * KWH, 820_000 * KWH, 210_000 * KWH


def test_worked_example() -> None:
    # calcsimpler.com ERE calculator example with The Green Grid definitions:
    # PUE 1.524, ERE 1.27 (published, 2 d.p.), ERF 0.168.
    assert pue(EF, EI) == pytest.approx(1.524, abs=5e-4)
    assert ere(EF, EI, ER) == pytest.approx(1.27, abs=5e-3)
    assert erf(ER, EF) == pytest.approx(0.168, abs=5e-4)


@settings(max_examples=200, deadline=None)
@given(
    e_it=st.floats(1.0, 1e15),
    overhead=st.floats(0.0, 2.0),
    reuse_share=st.floats(0.0, 1.0),
)
def test_ere_equals_pue_times_one_minus_erf(
    e_it: float, overhead: float, reuse_share: float
) -> None:
    # The Green Grid identity (STULZ, "ERE = (1 - ERF) x PUE"): a conservation-style check that
    # the three functions share one energy boundary.
    e_f = e_it * (1.0 + overhead)
    e_r = reuse_share * e_f
    p, e, f = pue(e_f, e_it), ere(e_f, e_it, e_r), erf(e_r, e_f)
    assert e == pytest.approx(p * (1.0 - f), rel=1e-12, abs=1e-12)
    assert 0.0 <= e <= p + 1e-12 and 0.0 <= f <= 1.0 and p >= 1.0


def test_hourly_arrays_broadcast() -> None:
    Ef = np.array([1.3, 1.2, 1.5]) * KWH
    Ei = np.array([1.0, 1.0, 1.0]) * KWH
    Er = np.array([0.0, 0.6, 1.5]) * KWH
    np.testing.assert_allclose(pue(Ef, Ei), [1.3, 1.2, 1.5])
    np.testing.assert_allclose(ere(Ef, Ei, Er), [1.3, 0.6, 0.0])  # ERE < 1 and = 0 are legitimate
    np.testing.assert_allclose(erf(Er, Ef), [0.0, 0.5, 1.0])
    assert isinstance(pue(2.0, 1.0), float)


def test_guards() -> None:
    with pytest.raises(
        InputError, match=r"E_facility must include the IT energy \(E_facility >= E_it\)"
    ):
        pue(0.9 * KWH, 1.0 * KWH)
    with pytest.raises(InputError, match="E_it must be > 0"):
        pue(np.array([1.0, 1.0]), np.array([1.0, 0.0]))
    with pytest.raises(InputError, match=r"E_reuse cannot exceed E_facility \(ERF <= 1"):
        ere(1.2, 1.0, 1.3)
    with pytest.raises(InputError, match="E_reuse must be >= 0"):
        erf(-1.0, 2.0)
    with pytest.raises(InputError, match="E_facility must be finite"):
        pue(np.nan, 1.0)


def test_cue_wue_units() -> None:
    # CUE = CEF x PUE for one grid factor (The Green Grid): 0.5 kg/kWh x 1.5 = 0.75 kg/kWh_IT
    assert cue(0.5 / KWH * 1.5e6 * KWH, 1.0e6 * KWH) * KWH == pytest.approx(0.75)
    # 1.8 L/kWh: 1.8e6 L = 1800 m³ over 1e6 kWh of IT energy
    assert wue(1800.0, 1.0e6 * KWH) * 1000.0 * KWH == pytest.approx(1.8)


def test_tokens_definitions_and_identities() -> None:
    # Samsi et al. 2023 (arXiv 2310.03003): 3–4 J per token on V100/A100 -> 0.9–1.2 M tokens/kWh
    assert tokens_per_kwh(1.0, 3.0) == pytest.approx(1.2e6)
    assert tokens_per_kwh(1.0, 4.0) == pytest.approx(0.9e6)
    # with an IT-level efficiency tau [tokens/J]: gross = KWH tau / PUE, net = KWH tau / ERE
    tau = 0.25
    n = tau * EI
    assert tokens_per_kwh(n, EF) == pytest.approx(KWH * tau / pue(EF, EI), rel=1e-12)
    assert tokens_per_kwh_net(n, EF, ER) == pytest.approx(KWH * tau / ere(EF, EI, ER), rel=1e-12)
    assert tokens_per_kwh_net(n, EF, 0.0) == pytest.approx(tokens_per_kwh(n, EF))
    assert tokens_per_kwh_net(n, EF, EF) == np.inf  # all energy reused: ERE = 0


def test_facility_metrics_summary_and_to_dict() -> None:
    hourly = np.ones(8760)
    m = FacilityMetrics.from_energies(
        EF / 8760 * hourly,
        EI / 8760 * hourly,
        ER / 8760 * hourly,
        E_heat_upgrade=50_000 * KWH,
        tokens_per_joule_it=0.25,
        water=1500.0,
        greenhouse_heat_demand=400_000 * KWH,
    )
    d = m.to_dict()
    assert d["pue"] == pytest.approx(1.52439, rel=1e-5)
    assert d["pue_enefg"] == pytest.approx((1_250_000 - 50_000) / 820_000)
    assert d["ere"] == pytest.approx(d["pue"] * (1 - d["erf"]))
    assert d["heat_reused_MWh"] == pytest.approx(210.0)
    assert d["greenhouse_coverage"] == pytest.approx(0.525)
    assert d["wue_L_per_kWh"] == pytest.approx(1500.0 * 1000.0 / 820_000)
    assert d["tokens_per_kWh_gross"] == pytest.approx(KWH * 0.25 / d["pue"])
    assert d["tokens_per_kWh_net"] == pytest.approx(KWH * 0.25 / d["ere"])
    # boiler fuel avoided at 0.92 (HHV): 210 MWh / 0.92; gas via SOR/2018-261 HHV; ECCC CO2 factor
    fuel = 210_000 * KWH / 0.92
    gas = fuel / NATURAL_GAS_HHV
    assert d["boiler_fuel_avoided_MWh"] == pytest.approx(210.0 / 0.92)
    assert d["gas_avoided_m3"] == pytest.approx(gas)
    grid = 1e-3 / KWH  # Manitoba 1 g/kWh
    assert d["co2_avoided_t"] == pytest.approx(
        (gas * NATURAL_GAS_CO2_PER_M3 - 50_000 * KWH * grid) / 1000
    )
    assert d["money_saved_CAD"] == pytest.approx(gas * 0.4306 - 50_000 * 0.0873)
    assert d["grid_co2_t"] == pytest.approx(1.25)
    assert d["cue_kg_per_kWh"] == pytest.approx(1e-3 * d["pue"])
    assert set(d) >= {"pue", "ere", "erf", "heat_reused_MWh", "co2_avoided_t", "money_saved_CAD"}


def test_facility_metrics_electric_boiler_counterfactual() -> None:
    m = FacilityMetrics.from_energies(
        EF, EI, ER, displaced="electricity", electricity_price=0.1 / KWH
    )
    assert m.gas_avoided == 0.0
    assert m.boiler_fuel_avoided == pytest.approx(ER / 0.99)
    assert m.money_saved == pytest.approx(ER / 0.99 / KWH * 0.1)
    assert m.tokens_per_kwh_gross is None and m.wue is None and m.greenhouse_coverage is None


def test_facility_metrics_errors() -> None:
    with pytest.raises(InputError, match="reused heat must not exceed the greenhouse heat demand"):
        FacilityMetrics.from_energies(EF, EI, ER, greenhouse_heat_demand=100_000 * KWH)
    with pytest.raises(InputError, match="give either tokens or tokens_per_joule_it, not both"):
        FacilityMetrics.from_energies(EF, EI, ER, tokens=1.0, tokens_per_joule_it=1.0)
    with pytest.raises(InputError, match="E_heat_upgrade is part of the non-IT facility energy"):
        FacilityMetrics.from_energies(EF, EI, ER, E_heat_upgrade=EF)
    with pytest.raises(InputError, match="displaced must be 'natural_gas' or 'electricity'"):
        FacilityMetrics.from_energies(EF, EI, ER, displaced="coal")  # type: ignore[arg-type]


def _line(lines, text):  # type: ignore[no-untyped-def]
    return next(ln for ln in lines if text in ln.requirement)


def test_enefg_new_data_centre() -> None:
    # EnEfG § 11(2): operation from 1 July 2026 -> PUE <= 1.2, ERF >= 10 %; from 1 July 2027 15 %;
    # from 1 July 2028 20 %; binding two years after commissioning.
    E_f, E_i = 1.15e6 * KWH, 1.0e6 * KWH
    lines = enefg_compliance(E_f, E_i, 0.12 * E_f, "2026-09-01", assessment_date="2029-01-01")
    p, f = _line(lines, "PUE"), _line(lines, "ERF")
    assert (p.limit, p.passed, p.binding) == (1.2, True, True)
    assert (f.limit, f.passed) == (0.10, True)
    later = enefg_compliance(
        E_f, E_i, 0.12 * E_f, dt.date(2028, 7, 1), assessment_date="2029-01-01"
    )
    f2 = _line(later, "ERF")
    assert (f2.limit, f2.passed, f2.binding) == (0.20, False, False)
    assert "not yet binding" in f2.note
    mid = enefg_compliance(E_f, E_i, 0.12 * E_f, "2027-07-01", assessment_date="2030-01-01")
    assert _line(mid, "ERF").limit == 0.15


def test_enefg_heat_pump_electricity_excluded_from_pue() -> None:
    # § 11(2): electricity of plant that only upgrades the waste heat does not count in the PUE.
    E_i = 1.0e6 * KWH
    E_f = 1.3e6 * KWH
    lines = enefg_compliance(
        E_f, E_i, 0.3 * E_f, "2026-07-01", assessment_date="2029-01-01", E_heat_upgrade=0.12e6 * KWH
    )
    p = _line(lines, "PUE")
    assert p.value == pytest.approx(1.18) and p.passed


def test_enefg_existing_data_centre() -> None:
    # § 11(1): operating before 1 July 2026 -> PUE <= 1.5 from 1 July 2027, <= 1.3 from 1 July 2030.
    E_f, E_i = 1.4e6 * KWH, 1.0e6 * KWH
    early = enefg_compliance(E_f, E_i, 0.0, "2015-03-01", assessment_date="2027-01-01")
    assert _line(early, "PUE").limit is None and _line(early, "PUE").passed is None
    mid = enefg_compliance(E_f, E_i, 0.0, "2015-03-01", assessment_date="2028-01-01")
    assert (_line(mid, "PUE").limit, _line(mid, "PUE").passed) == (1.5, True)
    late = enefg_compliance(
        E_f, E_i, 0.0, "2015-03-01", assessment_date="2030-07-01", renewable_share=0.8
    )
    assert (_line(late, "PUE").limit, _line(late, "PUE").passed) == (1.3, False)
    assert _line(late, "ERF").limit is None
    ren = _line(late, "renewable")
    assert (ren.limit, ren.passed) == (1.0, False)


def test_enefg_bad_date() -> None:
    with pytest.raises(
        InputError, match=r"operation_start must be a date \(datetime.date or 'YYYY-MM-DD'\)"
    ):
        enefg_compliance(EF, EI, ER, "July 2026", assessment_date="2030-01-01")


def test_eu_eed_items() -> None:
    items = {
        i.symbol: i
        for i in eu_eed_report_items(
            EF,
            EI,
            ER,
            water=1500.0,
            E_renewable=EF,
            installed_it_power=1.2e6,
            waste_heat_temperature=45.0 + 273.15,
        )
    }
    assert items["EDC"].value == pytest.approx(1_250_000) and items["EDC"].unit == "kWh"
    assert items["EIT"].value == pytest.approx(820_000)
    assert items["EREUSE"].value == pytest.approx(210_000)
    assert items["PUE"].value == pytest.approx(pue(EF, EI))
    assert items["ERF"].value == pytest.approx(0.168)
    assert items["WUE"].value == pytest.approx(1500.0 * 1000.0 / 820_000)
    assert items["REF"].value == pytest.approx(1.0)
    assert items["P_IT"].value == pytest.approx(1200.0)
    assert items["T_WH"].value == pytest.approx(45.0)
    assert any(not i.computed and i.value is None for i in items.values())
