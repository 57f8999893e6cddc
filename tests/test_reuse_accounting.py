"""Reuse accounting an engineer can check on the back of an envelope (issue: the flagship's
headline over-stated the reuse). A four-hour table written out by hand; every annual figure is
recomputed here from the rules in ``thermo.facility.annual`` (heat reused serves the demand,
surplus is reported, fuel per boiler type, rejection while the boiler fires and a backwards
exchanger reported) and must agree to 0.1 %."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thermo.errors import InputError
from thermo.facility.annual import ReuseEconomics, annual_balance
from thermo.facility.energy import FacilityModel

H = 3600.0
MWH = 3.6e9
KW = 1e3

# four hours, in kW: (0) winter, the data centre covers part of the demand, the boiler the rest;
# (1) mild, the data centre offers more than the demand (surplus); (2) summer, no demand, the
# rails are shut and everything is rejected; (3) the boiler fires while the dry coolers reject,
# and the exchanger runs backwards for part of it
DEMAND = np.array([2000.0, 500.0, 0.0, 1500.0])
OFFERED = np.array([1200.0, 620.0, 0.0, 900.0])  # exchanger + heat-pump condenser
HP_HEAT = np.array([300.0, 0.0, 0.0, 100.0])
HP_POWER = np.array([60.0, 0.0, 0.0, 20.0])
BOILER = np.array([800.0, 0.0, 0.0, 600.0])
REJECTED = np.array([0.0, 1700.0, 2550.0, 1200.0])
REVERSE = np.array([0.0, 0.0, 0.0, 150.0])


def _table() -> pd.DataFrame:
    it = np.full(4, 3000.0)
    delivered = OFFERED + BOILER
    return pd.DataFrame(
        {
            "it_power_W": it * KW,
            "heat_to_liquid_W": 2550.0 * KW * np.ones(4),
            "pump_power_W": 20.0 * KW * np.ones(4),
            "fan_power_W": np.array([0.0, 5.0, 8.0, 4.0]) * KW,
            "heat_pump_power_W": HP_POWER * KW,
            "heat_reused_W": OFFERED * KW,
            "heat_reused_direct_W": (OFFERED - HP_HEAT) * KW,
            "heat_pump_heat_W": HP_HEAT * KW,
            "heat_pump_source_W": (HP_HEAT - HP_POWER) * KW,
            "heat_rejected_W": REJECTED * KW,
            "greenhouse_demand_W": DEMAND * KW,
            "greenhouse_delivered_W": delivered * KW,
            "boiler_heat_W": BOILER * KW,
            "boiler_fuel_W": BOILER * KW / 0.99,
            "unmet_W": np.zeros(4),
            "heat_net_W": np.zeros(4),
            "heat_gross_W": np.full(4, 6000.0 * KW),
            "reuse_reverse_W": REVERSE * KW,
            "greenhouse_return_C": np.full(4, 40.0),
        }
    )


def _run(fuel: str, eta: float):
    eco = ReuseEconomics.defaults()
    return eco, annual_balance(
        _table(),
        FacilityModel(),
        reference_efficiency=lambda T: np.full(np.shape(T), eta),
        economics=eco,
        boiler_fuel=fuel,
    )[1]


# hand arithmetic, hour by hour (kWh):
#   surplus = max(delivered - demand, 0) = [0, 120, 0, 0]
#   useful  = clip(min(offered - surplus, demand), 0)  = [1200, 500, 0, 900]  -> 2600 kWh
#   served  = min(delivered, demand) = [2000, 500, 0, 1500]                    -> 4000 kWh
USEFUL_KWH = 1200 + 500 + 0 + 900
SERVED_KWH = 2000 + 500 + 0 + 1500
DEMAND_KWH = 2000 + 500 + 1500
BOILER_KWH = 800 + 600
HP_KWH = 60 + 20


def test_heat_reused_is_what_serves_the_demand() -> None:
    _, a = _run("electric", 0.99)
    assert a["heat_reused_MWh"] == pytest.approx(USEFUL_KWH / 1e3, rel=1e-3)
    assert a["heat_offered_MWh"] == pytest.approx((1200 + 620 + 900) / 1e3, rel=1e-3)
    assert a["heat_surplus_MWh"] == pytest.approx(0.120, rel=1e-3)
    assert a["surplus_hours"] == 1
    assert a["greenhouse_coverage"] == pytest.approx(USEFUL_KWH / DEMAND_KWH, rel=1e-3)
    # never beyond the demand, never beyond what was offered
    assert a["heat_reused_MWh"] <= a["greenhouse_demand_MWh"]
    assert a["heat_reused_MWh"] <= a["heat_offered_MWh"]


def test_electric_boilers_save_electricity_not_gas() -> None:
    eco, a = _run("electric", 0.99)
    fuel_ref = SERVED_KWH / 0.99  # kWh of electricity in the boiler-only reference
    fuel = BOILER_KWH / 0.99
    avoided = fuel_ref - fuel
    assert a["boiler_fuel"] == "electric"
    assert a["gas_avoided_m3"] is None
    assert a["electricity_avoided_MWh"] == pytest.approx(avoided / 1e3, rel=1e-3)
    grid_kg_per_kwh = eco.grid_co2 * 3.6e6
    co2 = (avoided - HP_KWH) * grid_kg_per_kwh
    assert a["co2_avoided_t"] == pytest.approx(co2 / 1e3, rel=1e-3)
    price_per_kwh = eco.electricity_price * 3.6e6
    money = (avoided - HP_KWH) * price_per_kwh
    assert a[f"money_saved_{eco.currency}"] == pytest.approx(money, rel=1e-3)
    # the old bug: 2,600 kWh of electric-boiler heat read as ~250 m³ of gas and ~0.5 t CO2;
    # at Manitoba's 1 g/kWh it is ~2.6 kg
    assert a["co2_avoided_t"] < 0.01


def test_gas_boilers_save_gas() -> None:
    eco, a = _run("gas", 0.92)
    fuel_ref = SERVED_KWH / 0.92
    fuel = BOILER_KWH / 0.99  # the table's boiler burnt at 0.99 (what the network reported)
    gas_m3 = (fuel_ref - fuel) * 3.6e6 / eco.gas_hhv
    assert a["boiler_fuel"] == "gas"
    assert a["electricity_avoided_MWh"] is None
    assert a["gas_avoided_m3"] == pytest.approx(gas_m3, rel=1e-3)
    co2 = gas_m3 * eco.gas_co2 - HP_KWH * 3.6e6 * eco.grid_co2
    assert a["co2_avoided_t"] == pytest.approx(co2 / 1e3, rel=1e-3)
    money = gas_m3 * eco.gas_price - HP_KWH * 3.6e6 * eco.electricity_price
    assert a[f"money_saved_{eco.currency}"] == pytest.approx(money, rel=1e-3)


def test_rejecting_while_buying_and_backwards_exchanger_are_reported() -> None:
    _, a = _run("gas", 0.92)
    # hour 3 only: 1,200 kW rejected while the boiler gives 600 kW
    assert a["reject_while_boiler_hours"] == 1
    assert a["reject_while_boiler_MWh"] == pytest.approx(1.2, rel=1e-3)
    assert a["reuse_reverse_hours"] == 1
    assert a["reuse_reverse_MWh"] == pytest.approx(0.15, rel=1e-3)
    assert a["reuse_reverse_max_kW"] == pytest.approx(150.0, rel=1e-3)


def test_unknown_fuel_is_an_error() -> None:
    with pytest.raises(InputError, match="boiler_fuel"):
        annual_balance(
            _table(),
            FacilityModel(),
            reference_efficiency=lambda T: np.full(np.shape(T), 0.9),
            boiler_fuel="coal",
        )


def test_headline_prints_fuel_surplus_and_warnings() -> None:
    from thermo.case.output import reuse_headline

    _, a = _run("electric", 0.99)
    lines = dict(reuse_headline(a))
    assert "boiler electricity avoided" in lines and "gas avoided" not in lines
    assert "surplus heat" in lines
    assert "WARNING rejecting" in lines and "1 h" in lines["WARNING rejecting"]
    assert "WARNING backwards" in lines
    _, g = _run("gas", 0.92)
    assert "gas avoided" in dict(reuse_headline(g))
