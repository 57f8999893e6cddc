"""The `thermo` command line on case files: run, check, validate, cases; exit codes; outputs."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from thermo.case import shipped_cases
from thermo.cli import main

SHIPPED = sorted(shipped_cases())


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_help_imports_nothing_heavy_and_documents_exit_codes() -> None:
    # speed is measured in benchmarks/, never asserted here; what keeps `--help` quick is that it
    # imports none of the numerical stack
    code = (
        "import sys, contextlib, io\n"
        "from thermo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = sorted(m for m in ('pandas', 'matplotlib', 'CoolProp', 'scipy', 'pint', 'dask')"
        " if m in sys.modules)\n"
        "print(repr(heavy))\n"
        "print(out.getvalue())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    heavy, _, text = done.stdout.partition("\n")
    assert heavy == "[]", heavy
    for word in ("run", "check", "validate", "cases", "exit codes", "did not converge"):
        assert word in text


def test_shipped_cases_are_listed(capsys) -> None:
    assert {"secondary_loop", "cold_plate", "nvl72_rack", "data_hall"} <= set(SHIPPED)
    assert main(["cases"]) == 0
    out = capsys.readouterr().out
    for name in SHIPPED:
        assert name in out


def _annual(name: str) -> bool:
    return 'type = "annual"' in shipped_cases()[name].read_text()


@pytest.mark.parametrize("name", [n for n in SHIPPED if not n.endswith("_no_storage")])
def test_every_shipped_case_passes_its_checks(name, tmp_path, capsys) -> None:
    """Single-point cases in full; annual ones over their first week (the full year: slow)."""
    junit = tmp_path / "junit.xml"
    extra = ["--hours", "168"] if _annual(name) else []
    assert main(["check", name, "--junit", str(junit), *extra]) == 0, capsys.readouterr()
    suite = ET.parse(junit).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("failures") == "0" and len(cases) >= 4
    assert all(c.find("failure") is None for c in cases)


@pytest.mark.slow
# the storage variant's network year is the flagship's (the tank runs on its hourly results):
# its year would repeat the flagship's two minutes of CI for the same network
@pytest.mark.parametrize("name", [n for n in SHIPPED if _annual(n) and not n.endswith("_storage")])
def test_annual_shipped_cases_pass_over_the_full_year(name, capsys) -> None:
    assert main(["check", name, "-q"]) == 0, capsys.readouterr()


def test_run_writes_the_results_contract(tmp_path, capsys) -> None:
    assert main(["run", "secondary_loop", "--out", "out"]) == 0
    out = capsys.readouterr().out
    assert "7 passed, 0 failed" in out and "CDU approach" in out
    folder = tmp_path / "out"
    for f in ("results.json", "nodes.csv", "components.csv", "report.md", "flows.png"):
        assert (folder / f).is_file(), f
    assert (folder / "temperatures.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = json.loads((folder / "results.json").read_text())
    assert {
        "thermo_version",
        "case",
        "converged",
        "summary",
        "components",
        "nodes",
        "checks",
    } <= set(doc)
    assert doc["converged"] is True and doc["solver"]["iterations"] > 0
    assert doc["solver"]["closure"]["energy_rel"] < 1e-9
    s = doc["summary"]
    for key in ("pump_power_W", "max_temperature_C", "supply_temperature_C", "pue"):
        assert key in s
    nodes, comps = doc["nodes"], doc["components"]
    # summary values agree with the tables they summarise
    assert s["supply_temperature_C"] == pytest.approx(nodes["sec_supply"]["T_C"])
    pumps = [c["P_el_W"] for c in comps.values() if c["type"] == "Pump"]
    assert s["pump_power_W"] == pytest.approx(sum(pumps))
    # PUE from its definition (IT heat of the racks + pump power) / IT heat
    it = sum(c["Q_W"] for n, c in comps.items() if n.endswith(".it"))
    assert it == pytest.approx(100e3)
    assert s["pue"] == pytest.approx((it + sum(pumps)) / it)
    checks = {c["name"]: c for c in doc["checks"]}
    approach = checks["CDU approach"]
    assert approach["unit"] == "K" and approach["passed"] is True
    assert approach["value"] == pytest.approx(
        nodes["cdu_out"]["T_C"] - nodes["fac_supply"]["T_C"], abs=1e-9
    )
    flow = checks["flow per kW"]
    assert flow["unit"] == "L/min" and flow["limit"] == pytest.approx(15.6)
    least = min(c["V_dot_L_min"] for n, c in comps.items() if n.endswith(".hose"))
    assert flow["value"] == pytest.approx(least)


def test_violated_limit_exits_1_and_junit_names_the_failing_check(tmp_path, capsys) -> None:
    assert main(["cases", "--copy", "secondary_loop", "mine"]) == 0
    path = tmp_path / "mine" / "secondary_loop.toml"
    text = path.read_text()
    assert 'max = "45 degC"' in text
    path.write_text(text.replace('max = "45 degC"', 'max = "30 degC"'))
    junit = tmp_path / "reports" / "junit.xml"
    assert main(["check", str(path), "--junit", str(junit)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  rack supply temperature: 35 <= 30 degC" in out
    suite = ET.parse(junit).getroot().find("testsuite")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["rack supply temperature"]
    assert "35 <= 30 degC" in failed[0].find("failure").get("message")


def test_copy_change_and_check_like_an_engineer(tmp_path, capsys) -> None:
    """The issue's "done when": copy a shipped case, change a count or a diameter, run CI."""
    assert main(["cases", "--copy", "nvl72_rack", "ci"]) == 0
    path = tmp_path / "ci" / "nvl72_rack.toml"
    assert path.read_text() == shipped_cases()["nvl72_rack"].read_text()
    text = path.read_text()
    path.write_text(text.replace("trays = 18", "trays = 12").replace('"146 L/min"', '"97 L/min"'))
    assert main(["check", str(path), "-q"]) == 0
    # a header too small for the flow breaks the velocity limit
    path.write_text(text.replace('header_diameter = "50 mm"', 'header_diameter = "30 mm"'))
    assert main(["check", str(path), "-q"]) == 1
    assert "FAIL header velocity" in capsys.readouterr().out


def test_copy_refuses_to_overwrite(tmp_path, capsys) -> None:
    assert main(["cases", "--copy", "cold_plate", "x"]) == 0
    assert main(["cases", "--copy", "cold_plate", "x"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["cases", "--copy", "cold_plat", "x"]) == 2
    assert "did you mean `cold_plate`?" in capsys.readouterr().err


def test_validate_lists_every_problem_on_its_own_line(tmp_path, capsys) -> None:
    assert main(["validate", "data_hall"]) == 0
    assert "valid (" in capsys.readouterr().out
    text = shipped_cases()["secondary_loop"].read_text()
    bad = tmp_path / "bad.toml"
    bad.write_text(
        text.replace('diameter = "16 mm"', 'diamter = "16 mm"').replace(
            'outlet_temperature = "32 degC"', 'outlet_temperature = "32 bar"'
        )
    )
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert all(line.startswith(f"error: {bad}:") for line in err), err
    joined = "\n".join(err)
    assert "did you mean `diameter`?" in joined
    assert "`components.dry_cooler.outlet_temperature`: expected a temperature" in joined


def test_missing_file_and_unknown_name_exit_2(capsys) -> None:
    assert main(["check", "nothere.toml"]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["run", "secondary_lop"]) == 2
    assert "did you mean `secondary_loop`?" in capsys.readouterr().err


def test_no_convergence_exits_3_with_partial_results(tmp_path, capsys) -> None:
    text = shipped_cases()["secondary_loop"].read_text() + "\n[solver]\nmax_iterations = 2\n"
    path = tmp_path / "slow.toml"
    path.write_text(text)
    assert main(["run", str(path), "--out", "out", "-q"]) == 3
    err = capsys.readouterr().err
    assert "did not converge" in err and "worst residuals" in err
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["converged"] is False and doc["checks"] == []
    assert doc["solver"]["worst_residuals"]
    # report.html says so in its verdict and names the worst residuals; no stale plots beside it
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "did not converge" in page and "<img" not in page
    worst = doc["solver"]["worst_residuals"][0]["name"]
    assert worst.split(":")[0] in page


def test_shipped_cases_live_in_the_top_level_cases_folder(repo_root) -> None:
    """The layout of the design card: case files in cases/, none left in the package folder of
    the source tree, and every one of them found by name."""
    from thermo.case.loader import shipped_cases

    on_disk = {p.stem for p in (repo_root / "cases").glob("*.toml")}
    stray = sorted((repo_root / "thermo" / "cases").glob("*.toml"))
    assert not stray, f"move these to cases/: {[p.name for p in stray]}"
    assert on_disk and on_disk <= set(shipped_cases())
    assert "setup.py" in (repo_root / "cases" / "README.md").read_text()


def test_setup_installs_the_cases_folder_as_thermo_cases(repo_root) -> None:
    """setup.py maps cases/ to the package thermo.cases and pyproject ships its TOML files (a
    wheel built in CI by `pip install .` carries them; the README test command runs from it)."""
    import ast
    import tomllib

    tree = ast.parse((repo_root / "setup.py").read_text())
    call = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup"
    )
    kw = {k.arg: k.value for k in call.keywords}
    assert ast.literal_eval(kw["package_dir"]) == {"thermo.cases": "cases"}
    data = tomllib.loads((repo_root / "pyproject.toml").read_text())
    assert "*.toml" in data["tool"]["setuptools"]["package-data"]["thermo.cases"]
