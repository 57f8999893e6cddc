"""``thermo check`` of several files or a folder in one process: lines, exit code, JUnit."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from thermo.case import shipped_cases
from thermo.case.batch import combine
from thermo.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


def _folder(tmp_path, *, failing: bool = False, invalid: bool = False, slow: bool = False):
    d = tmp_path / "designs"
    d.mkdir()
    cold = shipped_cases()["cold_plate"].read_text()
    loop = shipped_cases()["secondary_loop"].read_text()
    (d / "a_cold_plate.toml").write_text(cold)
    # the plate flow varied: 1.3 L/min lowers the plate pressure drop, the case stays below 85 degC
    assert 'setpoint = "1.5 L/min"' in cold
    (d / "b_cold_plate_1p3lpm.toml").write_text(cold.replace('"1.5 L/min"', '"1.3 L/min"', 1))
    (d / "c_loop.toml").write_text(loop)
    if failing:  # the loop supplies 35 degC; a 30 degC limit must fail (as in test_cli.py)
        assert 'max = "45 degC"' in loop
        (d / "d_loop_tight.toml").write_text(loop.replace('max = "45 degC"', 'max = "30 degC"'))
    if invalid:
        (d / "e_bad.toml").write_text(cold.replace('heat = "1000 W"', 'heat = "1000 kPa"'))
    if slow:
        (d / "f_slow.toml").write_text(loop + "\n[solver]\nmax_iterations = 2\n")
    return d


def test_folder_of_passing_cases_exits_0_one_line_each(tmp_path, capsys) -> None:
    d = _folder(tmp_path)
    assert main(["check", str(d)]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith(("PASS", "FAIL", "ERROR", "NOCONV"))]
    assert len(lines) == 3 and all(ln.startswith("PASS") for ln in lines)
    assert "3 cases: 3 passed, 0 failed" in out


def test_folder_with_a_failing_case_exits_1_and_junit_has_one_suite_per_case(
    tmp_path, capsys
) -> None:
    d = _folder(tmp_path, failing=True)
    junit = tmp_path / "reports" / "all.xml"
    assert main(["check", str(d), "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    (fail,) = [ln for ln in out.splitlines() if ln.startswith("FAIL")]
    assert "d_loop_tight.toml" in fail and "rack supply temperature" in fail
    root = ET.parse(junit).getroot()
    suites = root.findall("testsuite")
    assert len(suites) == 4 and root.get("failures") == "1"
    failed = [
        (s.get("name"), c.get("name"))
        for s in suites
        for c in s.findall("testcase")
        if c.find("failure") is not None
    ]
    # the same failure the one-file check reports (test_cli.py), and nothing else
    assert [name for _, name in failed] == ["rack supply temperature"]
    # each case alone gives the code the batch combined
    assert main(["check", str(d / "d_loop_tight.toml"), "-q"]) == 1
    assert main(["check", str(d / "a_cold_plate.toml"), "-q"]) == 0


def test_invalid_input_outranks_non_convergence_outranks_a_failed_check(tmp_path, capsys) -> None:
    d = _folder(tmp_path, failing=True, slow=True)
    assert main(["check", str(d), "-q"]) == 3
    d2 = tmp_path / "more"
    d2.mkdir()
    (d2 / "bad.toml").write_text(
        shipped_cases()["cold_plate"].read_text().replace('heat = "1000 W"', 'heat = "1000 kPa"')
    )
    capsys.readouterr()
    assert main(["check", str(d), str(d2), "--junit", "j.xml"]) == 2
    out = capsys.readouterr().out
    assert "ERROR" in out and "bad.toml" in out and "NOCONV" in out and "f_slow.toml" in out
    errors = ET.parse(tmp_path / "j.xml").getroot().findall("testsuite/testcase/error")
    assert sorted(e.get("message") for e in errors) == ["did not converge", "invalid input"]
    assert combine([0, 1, 3, 2, 0]) == 2 and combine([1, 3]) == 3 and combine([0, 1]) == 1
    assert combine([]) == 0


def test_explicit_files_and_an_empty_folder(tmp_path, capsys) -> None:
    d = _folder(tmp_path)
    files = [str(d / "a_cold_plate.toml"), str(d / "c_loop.toml")]
    assert main(["check", *files, "--out", "res"]) == 0
    assert (tmp_path / "res" / "cold_plate" / "results.json").is_file()
    assert (tmp_path / "res" / "secondary_loop" / "results.json").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty)]) == 2
