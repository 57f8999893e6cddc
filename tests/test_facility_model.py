"""Facility energy balance (thermo.facility.energy) and the annual reuse summary
(thermo.facility.annual): hand-computed balances, conservation and the Green Grid identities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thermo.errors import InputError
from thermo.facility.annual import HOURLY_NETWORK_COLUMNS, ReuseEconomics, annual_balance
from thermo.facility.energy import FacilityModel


def test_balance_by_hand() -> None:
    # 1 MW IT, 90 % to liquid, air COP 4, 96 % distribution, 10 kW + 1 % other loads
    fm = FacilityModel(
        liquid_fraction=0.9,
        air_cooling_cop=4.0,
        distribution_efficiency=0.96,
        other_power=1e4,
        other_fraction=0.01,
    )
    b = fm.balance(1e6, pump_power=2e4, fan_power=5e3, heat_pump_power=3e4)
    assert float(b.heat_to_air_W) == pytest.approx(1e5)
    assert float(b.air_cooling_power_W) == pytest.approx(2.5e4)
    assert float(b.distribution_loss_W) == pytest.approx(1e6 / 0.96 - 1e6)
    assert float(b.other_power_W) == pytest.approx(2e4)
    assert float(b.cooling_power_W) == pytest.approx(2e4 + 5e3 + 2.5e4)
    facility = 1e6 + 5e4 + 3e4 + (1e6 / 0.96 - 1e6) + 2e4
    assert float(b.facility_power_W) == pytest.approx(facility)
    assert float(b.pue) == pytest.approx(facility / 1e6)


def test_network_heat_overrides_the_liquid_fraction() -> None:
    fm = FacilityModel(liquid_fraction=0.5)
    b = fm.balance(np.array([1e6, 2e6]), heat_to_liquid=np.array([8e5, 2.5e6]))
    # the air takes what the liquid did not; never negative
    np.testing.assert_allclose(b.heat_to_air_W, [2e5, 0.0])
    np.testing.assert_allclose(b.heat_to_liquid_W + b.heat_to_air_W, [1e6, 2e6])


def test_arrays_broadcast_and_zero_it_power_has_no_pue() -> None:
    b = FacilityModel().balance(np.array([0.0, 1e6]), pump_power=1e3)
    assert b.facility_power_W.shape == (2,)
    assert np.isnan(b.pue[0]) and b.pue[1] > 1.0
    d = b.to_dict()
    assert d["facility_power_W"][1] == pytest.approx(float(b.facility_power_W[1]))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("liquid_fraction", 1.2),
        ("air_cooling_cop", 0.0),
        ("distribution_efficiency", 1.5),
        ("other_fraction", -0.1),
        ("other_power", -1.0),
        ("air_cooling_cop", float("nan")),
    ],
)
def test_bad_parameters_name_the_key(key: str, value: float) -> None:
    with pytest.raises(InputError, match=key):
        FacilityModel(**{key: value})


def test_negative_or_nan_power_is_refused() -> None:
    with pytest.raises(InputError, match="pump_power"):
        FacilityModel().balance(1e6, pump_power=-1.0)
    with pytest.raises(InputError, match="it_power"):
        FacilityModel().balance(np.array([1e6, np.nan]))


def _year(hours: int = 48) -> pd.DataFrame:
    """A synthetic hourly table whose network heat balance closes exactly."""
    rng = np.random.default_rng(3)
    it = 1e6 * (0.8 + 0.2 * rng.random(hours))
    liquid = 0.9 * it
    hp_el = 1e5 * rng.random(hours)
    direct = 0.5 * liquid
    hp_heat = 0.3 * liquid + hp_el  # the condenser gives source heat + electricity
    rejected = liquid - direct - 0.3 * liquid
    demand = direct + hp_heat + 2e5
    boiler = demand - direct - hp_heat
    t = pd.DataFrame(
        {
            "it_power_W": it,
            "heat_to_liquid_W": liquid,
            "pump_power_W": 0.01 * it,
            "fan_power_W": 1e3 * np.ones(hours),
            "heat_pump_power_W": hp_el,
            "heat_reused_W": direct + hp_heat,
            "heat_reused_direct_W": direct,
            "heat_pump_heat_W": hp_heat,
            "heat_pump_source_W": 0.3 * liquid,
            "heat_rejected_W": rejected,
            "greenhouse_demand_W": demand,
            "greenhouse_delivered_W": demand,
            "boiler_heat_W": boiler,
            "boiler_fuel_W": boiler / 0.95,
            "unmet_W": np.zeros(hours),
            "heat_net_W": np.zeros(hours),
            "heat_gross_W": 2 * (liquid + demand),
            "greenhouse_return_C": 40.0 * np.ones(hours),
        }
    )
    assert set(HOURLY_NETWORK_COLUMNS) <= set(t.columns)
    return t


def test_annual_balance_identities_and_savings() -> None:
    t = _year()
    eco = ReuseEconomics.defaults()
    hourly, a = annual_balance(
        t,
        FacilityModel(air_cooling_cop=4.0, distribution_efficiency=0.96),
        reference_efficiency=lambda T: np.full(np.shape(T), 0.90),
        economics=eco,
        tokens_per_kWh=1e6,
    )
    E = {c: float(hourly[c].sum()) * 3600.0 for c in hourly.columns if c.endswith("_W")}
    # the facility identity, hour by hour
    parts = (
        hourly["it_power_W"]
        + hourly["pump_power_W"]
        + hourly["fan_power_W"]
        + hourly["air_cooling_power_W"]
        + hourly["heat_pump_power_W"]
        + hourly["distribution_loss_W"]
        + hourly["other_power_W"]
    )
    np.testing.assert_allclose(hourly["facility_power_W"], parts, rtol=1e-12)
    assert a["closure_rel"] <= 1e-6
    # Green Grid definitions on the annual energies
    pue = E["facility_power_W"] / E["it_power_W"]
    erf = E["heat_reused_W"] / E["facility_power_W"]
    assert a["pue"] == pytest.approx(pue)
    assert a["erf"] == pytest.approx(erf)
    assert a["ere"] == pytest.approx((1 - erf) * pue)
    # EnEfG PUE leaves out the heat-upgrade electricity
    assert a["pue_enefg"] == pytest.approx(
        (E["facility_power_W"] - E["heat_pump_power_W"]) / E["it_power_W"]
    )
    assert a["greenhouse_coverage"] == pytest.approx(E["heat_reused_W"] / E["greenhouse_demand_W"])
    # boiler-only reference at 90 %: fuel = delivered / 0.90; gas avoided from the HHV
    fuel_ref = E["greenhouse_delivered_W"] / 0.90
    gas_avoided = (fuel_ref - E["boiler_fuel_W"]) / eco.gas_hhv
    assert a["boiler_only_fuel_MWh"] == pytest.approx(fuel_ref / 3.6e9)
    assert a["gas_avoided_m3"] == pytest.approx(gas_avoided)
    co2 = gas_avoided * eco.gas_co2 - E["heat_pump_power_W"] * eco.grid_co2
    assert a["co2_avoided_t"] == pytest.approx(co2 / 1000.0)
    money = gas_avoided * eco.gas_price - E["heat_pump_power_W"] * eco.electricity_price
    assert a[f"money_saved_{eco.currency}"] == pytest.approx(money)
    assert a["tokens_per_kWh_gross"] == pytest.approx(1e6 * E["it_power_W"] / E["facility_power_W"])


def test_annual_closure_reports_an_unbalanced_network() -> None:
    t = _year()
    t["heat_net_W"] = 1e-3 * t["heat_gross_W"]  # a network that lost 0.1 % of its heat
    _, a = annual_balance(
        t, FacilityModel(), reference_efficiency=lambda T: np.full(np.shape(T), 0.9)
    )
    assert a["closure_rel"] == pytest.approx(1e-3)
