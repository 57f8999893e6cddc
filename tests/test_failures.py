"""``thermo failures``: single-failure scenarios, the N+1 pump trip, table, JUnit and plot.

The N+1 pair: the same CDU loop (two duty pumps) with and without a standby pump. When a duty
pump trips, the started standby (a twin of the remaining unit) restores at least the design flow, while without it one pump is left and the flow check must fail. Mass and energy closure of every solved scenario are checked too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from thermo.case import load_case
from thermo.case.failures import failures_junit, failures_plot, failures_table, run_failures
from thermo.cli import main

CASE = """
[case]
name = "nplus1"
[coolants]
tcs = "PG25"
facility = "water"

[components.cdu]
type = "CDU"
secondary_supply = "S"
secondary_return = "R"
facility_supply = "FS"
facility_return = "FR"
capacity = "100 kW"
approach = "3 K"
secondary_design_flow = "2.5 kg/s"
facility_design_flow = "2.5 kg/s"
facility_design_temperature = "30 degC"
secondary_coolant = "tcs"
facility_coolant = "facility"
pump_curve = [["0 L/min", "2.5 bar"], ["150 L/min", "2.0 bar"], ["250 L/min", "1.0 bar"]]
pumps_running = 2
standby_pumps = STANDBY
pump_efficiency = 0.6
secondary_pressure_drop = "30 kPa"
facility_pressure_drop = "30 kPa"

[components.supply]
type = "Pipe"
inlet = "S"
outlet = "L_in"
length = "20 m"
diameter = "40 mm"
k_minor = 10.0

[components.it]
type = "HeatLoad"
inlet = "L_in"
outlet = "L_out"
heat = "80 kW"

[components.return]
type = "Pipe"
inlet = "L_out"
outlet = "R"
length = "20 m"
diameter = "40 mm"
k_minor = 10.0

[components.cooler]
type = "Cooler"
inlet = "FR"
outlet = "C_out"
outlet_temperature = "30 degC"

[components.fac_pump]
type = "Pump"
inlet = "C_out"
outlet = "FS"
pressure_rise = "1 bar"

[components.fac_tank]
type = "ExpansionTank"
node = "C_out"
pressure = "2 bar"
coolant = "facility"

[facility]
it_components = ["it"]

[failures]
exclude = ["fac_pump*", "cdu.valve*"]

[[checks]]
name = "IT flow"
metric = "volume_flow"
components = ["it"]
min = "200 L/min"

[[checks]]
name = "IT outlet temperature"
metric = "temperature"
nodes = ["L_out"]
max = "50 degC"
"""


def case_file(tmp_path, standby: int):
    path = tmp_path / f"nplus1_{standby}.toml"
    path.write_text(CASE.replace("STANDBY", str(standby)))
    return path


def closure_ok(result) -> None:
    assert result.closure["mass_rel"] < 1e-9 and result.closure["energy_rel"] < 1e-9


def trip(study):
    (outcome,) = [o for o in study.outcomes if o.failure.kind == "pump_trip"]
    return outcome


@pytest.mark.slow
def test_standby_pump_holds_every_limit_after_a_duty_trip(tmp_path) -> None:
    study = run_failures(load_case(case_file(tmp_path, 1)))
    names = [o.failure.name for o in study.outcomes]
    assert names == [
        "one of 2 cdu.pump trips (standby starts)",
        "cdu.hx fouled (UA x 0.7)",
        "it at 120 % power",
    ]
    assert study.baseline.passed
    outcome = trip(study)
    assert outcome.passed, failures_table(study)
    r, design = outcome.result, study.baseline.result
    closure_ok(r)
    # the remaining duty unit and the started standby are twins (same curve, same check valve):
    # equal flows; together at least the design flow, as each check valve now passes one unit's
    # flow instead of the duty path's two
    assert r.mass_flow("cdu.standby") == pytest.approx(r.mass_flow("cdu.pump"), rel=1e-9)
    total = r.mass_flow("cdu.pump") + r.mass_flow("cdu.standby")
    assert design.mass_flow("cdu.pump") <= total < 1.05 * design.mass_flow("cdu.pump")
    assert abs(design.mass_flow("cdu.standby")) < 1e-8  # stopped, behind its shut check valve
    assert r.heat("it") == pytest.approx(80e3, rel=1e-9)


@pytest.mark.slow
def test_without_standby_the_trip_breaks_the_flow_check(tmp_path) -> None:
    study = run_failures(load_case(case_file(tmp_path, 0)))
    outcome = trip(study)
    assert outcome.failure.name == "one of 2 cdu.pump trips"
    assert outcome.converged and not outcome.passed and not study.passed
    (broken,) = outcome.broken()
    assert broken.check.name == "IT flow" and broken.value < 200 / 6e4
    closure_ok(outcome.result)
    # one pump left on the same circuit: less flow than two, more than half of it
    design = study.baseline.result.mass_flow("it")
    assert 0.5 * design < outcome.result.mass_flow("it") < design
    text = failures_table(study)
    (line,) = [ln for ln in text.splitlines() if "one of 2 cdu.pump trips" in ln]
    assert line.split()[5:8] == ["FAIL", "IT", "flow:"]
    assert "NOT single-failure tolerant" in text
    suite = ET.fromstring(failures_junit(study))
    cases = suite.findall(".//testcase")
    assert [c.get("name") for c in cases][:2] == ["design point", "one of 2 cdu.pump trips"]
    assert cases[1].find("failure") is not None and cases[0].find("failure") is None
    png = failures_plot(study, tmp_path / "out" / "failures.png")
    assert png.stat().st_size > 1000


@pytest.mark.slow
def test_cli_failures_exit_code_and_junit(tmp_path, capsys) -> None:
    junit = tmp_path / "f.xml"
    code = main(
        ["failures", str(case_file(tmp_path, 0)), "--junit", str(junit), "--out", str(tmp_path)]
    )
    assert code == 1
    out = capsys.readouterr().out
    assert "single failures" in out and (tmp_path / "failures.png").exists()
    assert ET.parse(junit).getroot().get("failures") != "0"


@pytest.mark.slow
def test_an_impossible_failure_state_is_invalid_or_unsolved_never_a_plain_result(tmp_path) -> None:
    """4 MW into a 200 L/min PG25 loop would heat it by ~300 K: far beyond the coolant's range.
    Such a scenario must be NOCONV or INVALID (flagged clipped state), never judged on its
    numbers alone."""
    from thermo.case.failures import Failure

    case = load_case(case_file(tmp_path, 1))
    study = run_failures(
        case, [Failure("it at 50x", "overload", lambda n: setattr(n["it"], "heat", 4e6))]
    )
    (o,) = study.outcomes
    assert not o.passed
    assert not o.converged or o.invalid
    line = [ln for ln in failures_table(study).splitlines() if "it at 50x" in ln][0]
    assert "NOCONV" in line or "INVALID" in line
