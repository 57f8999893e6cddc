"""Annual case runs: weather and IT-load drives, hourly table, annual energies and checks."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pandas as pd
import pytest

from thermo.case import shipped_cases
from thermo.cli import main
from thermo.climate import read_epw

HOURS = 72


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    out = tmp_path_factory.mktemp("annual") / "out"
    assert main(["run", "winnipeg_year", "--hours", str(HOURS), "--out", str(out), "-q"]) == 0
    doc = json.loads((out / "results.json").read_text())
    table = pd.read_csv(out / "hourly.csv", index_col="hour")
    return out, doc, table


def test_hourly_table_follows_the_weather_and_the_load_profile(year) -> None:
    _, _, t = year
    assert len(t) == HOURS
    weather = read_epw("winnipeg")
    dry_bulb = np.asarray(weather.dry_bulb[:HOURS]) - 273.15
    assert np.allclose(t["dry_bulb_C"], dry_bulb)
    # the coldest point of the network is the cooler outlet: max(dry bulb + 6 K, 20 degC)
    assert np.allclose(t["min_temperature_C"], np.maximum(dry_bulb + 6.0, 20.0), atol=0.02)
    case = tomllib.loads(shipped_cases()["winnipeg_year"].read_text())
    profile = np.asarray(case["scenario"]["it_load"])
    expected = 1e6 * profile[t["hour_of_day"].to_numpy() - 1]
    assert np.allclose(t["it_power_W"], expected, rtol=1e-9)


def test_annual_summary_is_the_sum_of_the_hours(year) -> None:
    _, doc, t = year
    a = doc["annual"]
    assert a["hours"] == HOURS and doc["hourly_csv"] == "hourly.csv"
    assert a["pump_energy_kWh"] == pytest.approx(t["pump_power_W"].sum() / 1e3)
    assert a["it_energy_kWh"] == pytest.approx(t["it_power_W"].sum() / 1e3)
    # PUE on energies (The Green Grid), not the mean of hourly PUEs
    pue = t["facility_power_W"].sum() / t["it_power_W"].sum()
    assert a["pue"] == pytest.approx(pue)
    checks = {c["name"]: c for c in doc["checks"]}
    assert checks["annual partial PUE (pumps)"]["value"] == pytest.approx(pue)
    # limit checks report the worst hour
    worst = checks["hall supply temperature (hottest hour)"]
    h = int(t["supply_temperature_C"].idxmax())
    assert worst["element"] == f"hour {h}"
    assert worst["value"] == pytest.approx(t["supply_temperature_C"].max())


def test_drive_of_unknown_parameter_and_operating_point_keys_are_rejected(tmp_path, capsys):
    text = shipped_cases()["winnipeg_year"].read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('parameter = "outlet_temperature"', 'parameter = "outlet_temp"'))
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert 'a Cooler ("dry_coolers") has no parameter "outlet_temp"' in err
    assert "did you mean `outlet_temperature`?" in err
    bad.write_text(text.replace('type = "annual"', 'type = "operating_point"'))
    assert main(["validate", str(bad)]) == 2
    assert '`weather` applies to `type = "annual"` only' in capsys.readouterr().err
