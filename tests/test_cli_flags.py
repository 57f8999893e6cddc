"""Issue 11: flags reach the person (console of `run` and `check`), error flags fail `check`.

Each case is checked against a hand balance too: the cold plate's heat leaves through the
chiller (energy in = energy out, from results.json)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from thermo.case import shipped_cases
from thermo.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _variant(tmp_path, **subs) -> str:
    text = shipped_cases()["cold_plate"].read_text(encoding="utf-8")
    for old, new in subs.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "variant.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _closed(out_dir) -> dict:
    doc = json.loads((out_dir / "results.json").read_text(encoding="utf-8"))
    s = doc["summary"]
    assert doc["converged"]
    assert s["heat_added_W"] == pytest.approx(s["heat_removed_W"], rel=1e-7)
    assert doc["solver"]["closure"]["energy_rel"] < 1e-9
    return doc


def test_saturated_control_is_printed_in_plain_words(tmp_path, capsys) -> None:
    """The pump's speed is capped at 0.5: the 1.5 L/min setpoint is not reached. The console
    says so in L/min (before: the flag was only in report.md / results.json)."""
    case = _variant(tmp_path, **{"upper = 3.0": "upper = 0.5"})
    code = main(["run", case, "--no-plots", "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0  # a warning does not fail a run
    assert "WARNING  saturated (1 element): worst plate_flow: pump.speed held at 0.5 (max)" in out
    assert "L/min of 1.5 L/min" in out
    doc = _closed(tmp_path / "o")
    [row] = doc["flag_summary"]
    assert (row["severity"], row["code"], row["count"]) == ("warning", "saturated", 1)


def test_error_flag_fails_check_with_its_own_junit_case(tmp_path, capsys) -> None:
    """A 96 °C chiller setpoint: the plate heats PG25 beyond its valid 100 °C (within the solver's
    15 K iterate margin, so it converges). That is an error flag: `check` exits 1 and the JUnit
    file has a failing "no error flags" case; the console names the worst element and value."""
    case = _variant(
        tmp_path, **{'outlet_temperature = "45 degC"': 'outlet_temperature = "96 degC"'}
    )
    junit = tmp_path / "j.xml"
    code = main(["check", case, "--junit", str(junit), "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 1
    assert "ERROR    above_max_temperature" in out
    assert "FAIL  no error flags" in out
    cases = ET.parse(junit).getroot().iter("testcase")
    [flag_case] = [c for c in cases if c.get("name") == "no error flags"]
    assert flag_case.find("failure") is not None
    doc = _closed(tmp_path / "o")
    errors = [r for r in doc["flag_summary"] if r["severity"] == "error"]
    assert errors[0]["code"] == "above_max_temperature"
    assert errors[0]["value"] > 373.15  # the worst temperature, K
    assert all("severity" in f for f in doc["flags"])


def test_shipped_case_without_errors_has_no_flag_check(tmp_path, capsys) -> None:
    assert main(["check", "cold_plate", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "no error flags" not in out
    _closed(tmp_path / "o")


def _idle_year(tmp_path) -> str:
    import re

    text = shipped_cases()["winnipeg_year"].read_text(encoding="utf-8")
    fractions = [0.0] * 6 + [0.8, 0.9] + [1.0] * 11 + [0.9, 0.8] + [0.0] * 3
    text, n = re.subn(r"it_load = \[[^\]]*\]", f"it_load = {fractions}", text, flags=re.S)
    assert n == 1
    path = tmp_path / "idle.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_annual_run_with_idle_hours_keeps_its_flags(tmp_path, capsys) -> None:
    """Idle hours (IT load 0) used to abort an annual run (the cooler's smooth switch did not
    converge at 0 W, then PUE divided by 0); flags of every hour used to be dropped. Now: the run
    completes, the heat balance of every hour closes (heat in = IT heat, heat out = heat in, with
    the hall exchanger counted once), idle hours have no PUE, and the flags are aggregated per
    kind (hours flagged, worst hour) in the console, results.json and hourly.csv."""
    import pandas as pd

    hours = 30
    code = main(["run", _idle_year(tmp_path), "--hours", str(hours), "--no-plots", "--out", "o"])
    out = capsys.readouterr().out
    assert code == 0, out
    table = pd.read_csv(tmp_path / "o" / "hourly.csv")
    it = 1e6 * table["it_load_fraction"]  # the hall's nominal 1 MW
    assert (table["it_load_fraction"] == 0.0).sum() == 15  # hours 0-5, 21-23, 24-29
    assert table["heat_added_W"].to_numpy() == pytest.approx(it.to_numpy(), rel=1e-9, abs=1e-6)
    assert table["heat_removed_W"].to_numpy() == pytest.approx(
        table["heat_added_W"].to_numpy(), rel=1e-7, abs=1e-3
    )
    assert table.loc[table["it_load_fraction"] == 0.0, "pue"].isna().all()
    doc = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
    rows = {r["code"]: r for r in doc["annual"]["flags"]}
    assert set(rows) >= {"temperature_cross", "non_monotonic_curve"}
    cross = rows["temperature_cross"]
    flagged = table["flag_temperature_cross"] > 0
    assert cross["count"] == int(flagged.sum()) > 0
    assert bool(flagged[cross["hour"]]) and cross["element"] == "hx.cold"
    assert f"temperature_cross ({cross['count']} hours): worst hx.cold, hour {cross['hour']}" in out
    assert rows["non_monotonic_curve"]["count"] == hours


def test_implausible_pipe_sizes_warn_or_fail(tmp_path, capsys) -> None:
    """Valid but implausible inputs (issue 11): a 40 m hose bore warns with the range of
    practice; a 0.01 mm bore cannot be meant and is an input error (exit 2) naming the key."""
    case = _variant(tmp_path, **{'diameter = "6 mm"': 'diameter = "40 m"'})
    assert main(["validate", case]) == 2  # 40 m > 10 m: cannot be meant
    err = capsys.readouterr().err
    assert "supply_hose.diameter" in err or "return_hose.diameter" in err
    assert "cannot be meant" in err
    case = _variant(tmp_path, **{'diameter = "6 mm"': 'diameter = "2 m"'})
    assert main(["validate", case]) == 0
    err = capsys.readouterr().err
    assert "warning: return_hose.diameter = 2000 mm is outside the range of practice" in err
    # run prints the warning too, whatever the solve then does (a 0.5 mm hose starves the plate)
    case = _variant(tmp_path, **{'diameter = "6 mm"': 'diameter = "0.5 mm"'})
    main(["run", case, "--no-plots", "--out", "o"])
    assert "0.5 mm is outside the range of practice 1 mm" in capsys.readouterr().err
