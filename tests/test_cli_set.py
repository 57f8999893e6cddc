"""`thermo run/check --set KEY=VALUE`: one case changed before validation, the change recorded."""

from __future__ import annotations

import json

import pytest

from thermo.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_run_set_changes_the_case_and_says_so(tmp_path, capsys) -> None:
    code = main(
        ["run", "cold_plate", "--set", "components.gpu.heat=1200 W", "--no-plots", "--out", "o"]
    )
    assert code in (0, 1)  # a check may fail at 1.2 kW; the run itself is valid
    out = capsys.readouterr().out
    assert "case changed by --set: components.gpu.heat = '1200 W'" in out
    doc = json.loads((tmp_path / "o" / "results.json").read_text())
    assert doc["case"]["overrides"] == {"components.gpu.heat": "1200 W"}
    s = doc["summary"]
    # first law of the loop: the GPU's 1.2 kW (not the file's 1 kW) reaches the chiller
    assert s["heat_added_W"] == pytest.approx(1200.0, rel=1e-9)
    assert s["heat_removed_W"] == pytest.approx(1200.0, rel=1e-6)
    assert "changed by --set" in (tmp_path / "o" / "report.md").read_text()
    assert "Changed by --set" in (tmp_path / "o" / "report.html").read_text()


def test_run_without_set_records_no_overrides(tmp_path) -> None:
    assert main(["run", "cold_plate", "--no-plots", "--out", "o", "-q"]) == 0
    doc = json.loads((tmp_path / "o" / "results.json").read_text())
    assert "overrides" not in doc["case"]
    assert doc["summary"]["heat_added_W"] == pytest.approx(1000.0, rel=1e-9)


@pytest.mark.parametrize(
    ("item", "expect"),
    [
        ("components.gpu.heat", "expected KEY=VALUE"),
        ("components.gpux.heat=5 W", "no table `gpux` in components"),
        ("components.gpu.heat=lots", "gpu"),
    ],
)
def test_bad_set_is_invalid_input_naming_the_key(item, expect, capsys) -> None:
    assert main(["run", "cold_plate", "--set", item, "--no-plots", "--out", "o"]) == 2
    assert expect in capsys.readouterr().err


def test_set_twice_is_refused(capsys) -> None:
    argv = ["check", "cold_plate", "--set", "components.gpu.heat=1 kW"]
    assert main(argv + ["--set", "components.gpu.heat=2 kW"]) == 2
    assert "given twice" in capsys.readouterr().err


def test_check_applies_set_to_each_case(capsys) -> None:
    # at 2 kW the case temperature passes its 85 degC limit (R * 2 kW above a 45 degC inlet)
    assert main(["check", "cold_plate", "--set", "components.gpu.heat=2 kW", "-q"]) == 1
    assert "FAIL GPU case temperature" in capsys.readouterr().out
    code = main(["check", "cold_plate", "cold_plate", "--set", "components.gpu.heat=2 kW", "-q"])
    assert code == 1
    assert capsys.readouterr().out.count("1 of 4 checks failed: GPU case temperature") == 2
    assert main(["check", "cold_plate", "cold_plate", "-q"]) == 0
