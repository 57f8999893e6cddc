"""The annual heat-reuse study through the CLI (first week of the flagship): conservation of the
hourly table, Green Grid identities, the boiler-only reference, outputs and headline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from thermo.cli import main

HOURS = 72


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    out = tmp_path_factory.mktemp("manitoba")
    assert main(["run", "ai_hall_greenhouse", "--hours", str(HOURS), "--out", str(out)]) == 0
    doc = json.loads((out / "results.json").read_text())
    table = pd.read_csv(out / "hourly.csv", index_col=0)
    return out, doc, table


def test_outputs_and_headline(week) -> None:
    out, doc, _ = week
    for name in ("monthly_energy.png", "load_duration.png", "sankey.png", "temperatures.png"):
        assert (out / name).stat().st_size > 10_000
    report = (out / "report.md").read_text()
    for line in ("heat reused", "greenhouse coverage", "gas avoided", "CO2 avoided", "PUE / ERE"):
        assert line in report
    assert doc["annual"]["hours"] == HOURS


def test_every_hour_balances(week) -> None:
    _, _, t = week
    W = t.filter(like="_W").astype(float)
    # the network: net heat of all branches vanishes each hour (to the solver tolerance)
    assert (W["heat_net_W"].abs() <= 1e-6 * W["heat_gross_W"]).all()
    # reuse offered: direct (exchanger) + heat-pump condenser; condenser = evaporator + compressor
    np.testing.assert_allclose(
        W["heat_offered_W"], W["heat_offered_direct_W"] + W["heat_pump_heat_W"], rtol=1e-12
    )
    # reuse credited: what serves the demand, never more than offered or demanded
    assert (W["heat_reused_W"] <= W["greenhouse_demand_W"] * (1 + 1e-12) + 1e-6).all()
    assert (W["heat_reused_W"] <= W["heat_offered_W"].clip(lower=0) * (1 + 1e-12) + 1e-6).all()
    surplus = (W["greenhouse_delivered_W"] - W["greenhouse_demand_W"]).clip(lower=0)
    np.testing.assert_allclose(W["heat_surplus_W"], surplus, rtol=1e-12, atol=1e-9)
    # no demand: the rails are shut, nothing is delivered
    idle = W["greenhouse_demand_W"] == 0
    assert (W.loc[idle, "greenhouse_delivered_W"].abs() <= 1e-6 * 3e6).all()
    np.testing.assert_allclose(
        W["heat_pump_heat_W"],
        W["heat_pump_source_W"] + W["heat_pump_power_W"],
        rtol=1e-6,
        atol=1.0,
    )
    # the data-centre side: what the liquid took from the racks went to the greenhouse exchanger
    # (signed: it runs backwards when the greenhouse return is the warmer), the heat pump's
    # evaporator or the dry coolers (pumps are adiabatic, the pipes exchange no heat)
    np.testing.assert_allclose(
        W["heat_to_liquid_W"],
        W["heat_offered_direct_W"] + W["heat_pump_source_W"] + W["heat_rejected_W"],
        rtol=1e-6,
        atol=1.0,
    )
    # the greenhouse gets what the hall and the boiler give it, less what it could not take
    delivered = W["heat_offered_W"] + W["boiler_heat_W"]
    assert (delivered - W["greenhouse_delivered_W"]).abs().max() <= 1e-3 * delivered.max()
    # facility identity
    parts = (
        W["it_power_W"]
        + W["cooling_power_W"]
        + W["heat_pump_power_W"]
        + W["distribution_loss_W"]
        + W["other_power_W"]
    )
    np.testing.assert_allclose(W["facility_power_W"], parts, rtol=1e-12)


def test_annual_figures_are_the_sums_of_the_hours(week) -> None:
    _, doc, t = week
    a = doc["annual"]
    mwh = {c: float(t[c].sum()) / 1e6 for c in t.columns if c.endswith("_W")}
    assert a["heat_reused_MWh"] == pytest.approx(mwh["heat_reused_W"], rel=1e-9)
    assert a["facility_energy_MWh"] == pytest.approx(mwh["facility_power_W"], rel=1e-9)
    assert a["pue"] == pytest.approx(mwh["facility_power_W"] / mwh["it_power_W"], rel=1e-9)
    assert a["erf"] == pytest.approx(mwh["heat_reused_W"] / mwh["facility_power_W"], rel=1e-9)
    assert a["ere"] == pytest.approx(a["pue"] * (1 - a["erf"]), rel=1e-9)  # Green Grid
    assert 0 <= a["ere"] <= a["pue"]
    assert a["closure_rel"] <= 1e-6
    # coverage and the gas the boiler did not burn (more gas than this would mean a sign error)
    assert a["greenhouse_coverage"] == pytest.approx(
        mwh["heat_reused_W"] / mwh["greenhouse_demand_W"], rel=1e-9
    )
    assert a["boiler_only_fuel_MWh"] > a["boiler_fuel_MWh"] > 0
    assert a["gas_avoided_m3"] > 0 and a["co2_avoided_t"] > 0


def test_rack_supply_stays_within_w45(week) -> None:
    _, doc, t = week
    assert t["T_tcs_supply_C"].max() <= 45.0
    assert all(c["passed"] for c in doc["checks"])
