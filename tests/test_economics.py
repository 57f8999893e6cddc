"""thermo.economics against a hand calculation (each step written out below) to 0.1 %.

Example: an investment of 1 000 000 paid now, 6 %/yr over 20 years.
  1.06**20 = 3.207135472; CRF = 0.06 * 3.207135472 / 2.207135472 = 0.0871845570
  LCOH with 50 000/yr running cost and 10 000 MWh/yr: (87 184.56 + 50 000) / 10 000 = 13.71846 /MWh
  NPV of saving 120 000/yr: annuity factor (1 - 1.06**-20)/0.06 = 11.4699212,
      -1 000 000 + 120 000 * 11.4699212 = 376 390.55
  simple payback 1 000 000 / 120 000 = 8.3333 yr
  discounted payback: cumulative PV after 11 years 120 000 * 7.8868746 = 946 424.95, after 12
      years 120 000 * 8.3838439 = 1 006 061.27 -> 11 + 53 575.05 / 59 636.32 = 11.8984 yr
  plate exchanger of 100 m2 (Towler & Sinnott Table 6.6): 1600 + 210 * 100**0.95
      = 1600 + 210 * 79.43282 = 18 280.89 USD
"""

from __future__ import annotations

import math
import warnings

import pytest

from thermo.economics import (
    CURVES,
    annualised_cost,
    crf,
    discounted_payback,
    installed_cost,
    lcoh,
    npv,
    purchased_cost,
    simple_payback,
)
from thermo.economics.assess import evaluate, validate_economics
from thermo.errors import InputError

REL = 1e-3


def test_capital_recovery_factor_by_hand() -> None:
    assert crf(0.06, 20) == pytest.approx(0.0871845570, rel=REL)
    assert crf(0.0, 10) == pytest.approx(0.1)


def test_lcoh_npv_and_paybacks_by_hand() -> None:
    assert annualised_cost(1e6, 0.06, 20, 50_000) == pytest.approx(137_184.56, rel=REL)
    assert lcoh(1e6, 50_000, 10_000, 0.06, 20) == pytest.approx(13.71846, rel=REL)
    assert npv(1e6, 120_000, 0.06, 20) == pytest.approx(376_390.55, rel=REL)
    assert simple_payback(1e6, 120_000) == pytest.approx(8.33333, rel=REL)
    assert discounted_payback(1e6, 120_000, 0.06, 20) == pytest.approx(11.8984, rel=REL)
    assert discounted_payback(1e6, 50_000, 0.06, 20) == math.inf  # never within the lifetime
    assert simple_payback(1e6, -1.0) == math.inf


def test_yearly_series_equal_the_constant_case_and_discount_correctly() -> None:
    assert lcoh(1e6, [50_000] * 20, [10_000] * 20, 0.06, 20) == pytest.approx(13.71846, rel=REL)
    # one saving of 1.06**5 in year 5 only is worth exactly 1 today
    flows = [0.0] * 20
    flows[4] = 1.06**5
    assert npv(0.0, flows, 0.06, 20) == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(InputError, match="3 yearly values for a lifetime of 20"):
        npv(1.0, [1.0, 2.0, 3.0], 0.06, 20)
    with pytest.raises(InputError, match="discount rate"):
        crf(-1.5, 20)


def test_cost_curves_cite_their_source_and_price_by_hand() -> None:
    cost, units = purchased_cost("plate_heat_exchanger", 100.0)
    assert (cost, units) == (pytest.approx(18_280.89, rel=REL), 1)
    assert installed_cost(cost, 2.5) == pytest.approx(45_702.2, rel=REL)
    for c in CURVES.values():
        assert c.source and c.currency and c.year and c.low < c.high
        if c.assumption:
            assert "assumption" in c.source
    # above the range: equal units within the range (1000 m2 = 2 x 500 m2)
    cost2, units2 = purchased_cost("plate_heat_exchanger", 1000.0)
    assert units2 == 2
    assert cost2 == pytest.approx(2 * (1600 + 210 * 500**0.95), rel=1e-12)
    with pytest.warns(UserWarning, match="outside its range"):
        purchased_cost("pipe", 2.0, length=10.0)
    with pytest.raises(InputError, match="unknown cost curve"):
        purchased_cost("flux_capacitor", 1.0)


def test_study_economics_of_one_run_by_hand() -> None:
    econ = {
        "currency": "CAD",
        "discount_rate": 0.06,
        "lifetime": 20,
        "installation_factor": 2.0,
        "om_fraction": 0.0,
        "electricity_price": 0.10,  # CAD/kWh
        "gas_price": 0.03,
        "carbon_price": 100.0,
        "fx": {"USD": 1.25},
        "equipment": [
            {"curve": "plate_heat_exchanger", "size": "components.hx.ua", "per": "4000 W/(m2*K)"}
        ],
    }
    assert validate_economics(econ, "t.toml") == []
    data = {"components": {"hx": {"ua": "400 kW/K"}}}  # -> 100 m2
    row = {
        "heat_reused_MWh": 10_000.0,
        "heat_pump_energy_MWh": 500.0,
        "boiler_only_fuel_MWh": 12_000.0,
        "boiler_fuel_MWh": 2_000.0,
        "co2_avoided_t": 1_000.0,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = evaluate(econ, data, row, None)
    capex = 18_280.89 * 1.25 * 2.0  # 45 702.23 CAD
    cost = 500 * 1000 * 0.10  # 50 000 CAD/yr of electricity
    saving = 10_000 * 1000 * 0.03 + 1_000 * 100.0 - cost  # 350 000 CAD/yr
    assert out["capex_CAD"] == pytest.approx(45_702.23, rel=REL)
    assert out["lcoh_CAD_per_MWh"] == pytest.approx((capex * 0.0871845570 + cost) / 10_000, rel=REL)
    assert out["annual_saving_CAD"] == pytest.approx(saving, rel=REL)
    assert out["npv_CAD"] == pytest.approx(-capex + saving * 11.4699212, rel=REL)
    assert out["simple_payback_yr"] == pytest.approx(capex / saving, rel=REL)
    # a quarter-year run is scaled to a year and says so
    quarter = {k: v / 4 for k, v in row.items()}
    scaled = evaluate(econ, data, quarter, 2190)
    assert scaled["economics_scaled_from_hours"] == 2190
    assert scaled["lcoh_CAD_per_MWh"] == pytest.approx(out["lcoh_CAD_per_MWh"], rel=1e-9)


def test_bad_economics_are_listed_together() -> None:
    problems = validate_economics(
        {"discount_rate": 2, "lifetim": 20, "equipment": [{"curve": "hx"}]}, "t.toml"
    )
    text = "\n".join(str(p) for p in problems)
    assert "lifetim" in text and "did you mean `lifetime`" in text
    assert "discount_rate" in text
    assert "unknown cost curve 'hx'" in text
