"""Hostile and broken case files: clean exit-2 errors, bounded cost, no leaked file contents.

Each test is one defect of issue 12 (a traceback, a hang, a leak, a path escape) with the exact
case text that showed it; ``thermo`` must answer with exit code 2 and a message naming the file
and key, never a traceback and never the contents of a file it was pointed at.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

from thermo.case import load_case, shipped_cases
from thermo.case.problems import CaseError
from thermo.cli import main

SECONDARY = shipped_cases()["secondary_loop"].read_text()
LONDON = shipped_cases()["london_on_glasshouse"].read_text()
WINNIPEG = shipped_cases()["winnipeg_year"].read_text()
SECRET = "SECRET_TOKEN=hunter2-do-not-print"


def _write(folder, text: str, name: str = "case.toml"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _cli(capsys, *args) -> tuple[int, str]:
    rc = main([str(a) for a in args])
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def _errors(path, **kw) -> str:
    with pytest.raises(CaseError) as info:
        load_case(path, **kw)
    return str(info.value)


def _annual_with_it_file(folder, file: str, column: str = "load"):
    text = re.sub(
        r"it_load = \[[^\]]*\]", f'it_load = {{ file = "{file}", column = "{column}" }}', WINNIPEG
    )
    return _write(folder, text)


# ----------------------------------------------------------------------------- 1. no echo
def test_it_load_file_contents_never_echoed(tmp_path, capsys) -> None:
    (tmp_path / "secret.csv").write_text(f"{SECRET},x\n1,2\n")
    case = _annual_with_it_file(tmp_path, "secret.csv")
    rc, text = _cli(capsys, "run", case, "--hours", "2", "--out", tmp_path / "out", "-q")
    assert rc == 2
    assert "hunter2" not in text and "SECRET_TOKEN" not in text
    assert "secret.csv:1" in text and "scenario.it_load.column" in text


def test_it_load_bad_value_never_echoed(tmp_path, capsys) -> None:
    (tmp_path / "load.csv").write_text(f"load\n0.9\n{SECRET}\n")
    case = _annual_with_it_file(tmp_path, "load.csv")
    rc, text = _cli(capsys, "run", case, "--hours", "3", "--out", tmp_path / "out", "-q")
    assert rc == 2
    assert "hunter2" not in text
    assert "load.csv:3" in text


def test_weather_file_contents_never_echoed(tmp_path, capsys) -> None:
    (tmp_path / "w.epw").write_text(f"{SECRET},a,b\n" * 20)
    text = WINNIPEG.replace('weather = "winnipeg"', 'weather = "w.epw"')
    case = _write(tmp_path, text)
    rc, out = _cli(capsys, "run", case, "--hours", "2", "--out", tmp_path / "out", "-q")
    assert rc == 2
    assert "hunter2" not in out and "SECRET" not in out
    assert "w.epw" in out


def test_include_of_a_non_toml_file_is_not_echoed(tmp_path) -> None:
    (tmp_path / "creds").write_text(f"{SECRET}\n")
    case = _write(tmp_path, 'include = "creds"\n' + SECONDARY)
    message = _errors(case)
    assert "hunter2" not in message
    assert "creds" in message and "not valid TOML" in message


# ----------------------------------------------------------------------------- 3. units
@pytest.mark.parametrize(
    "value",
    [
        "2 kW*9**9**9/9**9**9",
        "2 kW)",
        "2 kW/0",
        "2 kW**kW",
        "2 kW*",
        "2 " + "(" * 30 + "kW" + ")" * 30,
        "2 ((((kW))))",
        "2 kW" + " " * 100,
        "2 __import__",
        "2 kW^99999",
    ],
)
def test_unit_strings_are_data(tmp_path, capsys, value) -> None:
    text = SECONDARY.replace(
        'parameters = { heat = "12.5 kW" }', f'parameters = {{ heat = "{value}" }}'
    )
    case = _write(tmp_path, text)
    rc, out = _cli(capsys, "validate", case)
    assert rc == 2
    assert "templates.rack.parameters.heat" in out or "heat" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("value", ["1.5 kW", "3.9 kJ/(kg*K)", "1 1/h", "4 W/(m2*K)", "2 m^3/h"])
def test_plain_units_still_read(value) -> None:
    from thermo.units import to_si

    kind = {
        "1.5 kW": "power",
        "3.9 kJ/(kg*K)": "specific_heat",
        "1 1/h": "frequency",
        "4 W/(m2*K)": "heat_transfer_coefficient",
        "2 m^3/h": "volume_flow",
    }[value]
    expected = {
        "1.5 kW": 1500.0,
        "3.9 kJ/(kg*K)": 3900.0,
        "1 1/h": 1 / 3600,
        "4 W/(m2*K)": 4.0,
        "2 m^3/h": 2 / 3600,
    }[value]
    assert to_si(value, kind) == pytest.approx(expected)


# ----------------------------------------------------------------------------- 4. tracebacks
def test_nul_in_include_path(tmp_path, capsys) -> None:
    case = _write(tmp_path, 'include = "a\\u0000b.toml"\n' + SECONDARY)
    rc, out = _cli(capsys, "validate", case)
    assert rc == 2 and "`include`" in out and "control characters" in out


def test_it_components_without_heat_gives_no_division_by_zero(tmp_path, capsys) -> None:
    text = SECONDARY.replace('it_components = ["rack*.it"]', 'it_components = ["supply_main"]')
    case = _write(tmp_path, text)
    rc, out = _cli(capsys, "run", case, "--out", tmp_path / "out", "--no-plots")
    assert rc == 1  # the PUE check cannot pass
    # no PUE without IT heat: the summary shows nan and the check says it cannot evaluate
    assert re.search(r"\bpue\s+nan\b", out) and "cannot evaluate" in out


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'boiler_components = ["boiler"]',
            "boiler_components = []",
            "facility.boiler_components",
        ),
        ('it_components = ["racks"]', "it_components = []", "facility.it_components"),
        ("seed = 1", "seed = -1", "scenario.it_load.seed"),
        (
            'hot_design_flow = "60 kg/s"',
            'hot_design_flow = "1e300 kg/s"',
            "components.gh_hx.hot_design_flow",
        ),
    ],
)
def test_reuse_case_values_refused_at_key(tmp_path, old, new, key) -> None:
    assert old in LONDON
    case = _write(tmp_path, LONDON.replace(old, new))
    assert f"`{key}`" in _errors(case)


def test_huge_diameter_refused_not_nan(tmp_path) -> None:
    case = _write(tmp_path, SECONDARY.replace('diameter = "16 mm"', 'diameter = "1e300 mm"'))
    message = _errors(case)
    assert "templates.rack.components.hose.diameter" in message
    assert "beyond" in message


def test_deep_toml_nesting(tmp_path) -> None:
    case = _write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n" + SECONDARY)
    assert "nested deeper" in _errors(case)


def test_deep_dotted_key_nesting(tmp_path) -> None:
    case = _write(tmp_path, "x." * 2000 + "y = 1\n" + SECONDARY)
    assert "nested deeper" in _errors(case)


def test_long_include_chain(tmp_path) -> None:
    n = 3000
    for k in range(n):
        _write(tmp_path, f'include = "inc{k + 1}.toml"\n' if k + 1 < n else "", f"inc{k}.toml")
    case = _write(tmp_path, 'include = "inc0.toml"\n' + SECONDARY)
    assert "includes nested deeper" in _errors(case)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_include_does_not_block(tmp_path) -> None:
    os.mkfifo(tmp_path / "pipe")
    case = _write(tmp_path, 'include = "pipe"\n' + SECONDARY)
    assert "not a regular file" in _errors(case)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_device_include_refused(tmp_path) -> None:
    os.symlink("/dev/zero", tmp_path / "zero.toml")
    case = _write(tmp_path, 'include = "zero.toml"\n' + SECONDARY)
    message = _errors(case, allow_paths=["/dev"])
    assert "not a regular file" in message


def test_oversized_include_refused(tmp_path) -> None:
    from thermo.case.files import MAX_CASE_FILE_BYTES

    (tmp_path / "big.toml").write_text("# " + "x" * MAX_CASE_FILE_BYTES + "\n")
    case = _write(tmp_path, 'include = "big.toml"\n' + SECONDARY)
    assert "at most" in _errors(case)


# ----------------------------------------------------------------------------- 5. paths
@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.toml", "/dev/zero"])
def test_include_outside_case_folder_refused(tmp_path, target) -> None:
    (tmp_path / "outside.toml").write_text("")
    case = _write(tmp_path / "case", f'include = "{target}"\n' + SECONDARY)
    assert "outside the case folder" in _errors(case)


def test_symlink_out_of_case_folder_refused(tmp_path) -> None:
    (tmp_path / "outside.toml").write_text("")
    (tmp_path / "case").mkdir()
    os.symlink(tmp_path / "outside.toml", tmp_path / "case" / "link.toml")
    case = _write(tmp_path / "case", 'include = "link.toml"\n' + SECONDARY)
    assert "outside the case folder" in _errors(case)


def test_allow_path_admits_a_named_folder(tmp_path, capsys) -> None:
    shared = tmp_path / "shared"
    _write(shared, "[templates.spare]\nports = []\n[templates.spare.components]\n", "lib.toml")
    case = _write(tmp_path / "case", 'include = "../shared/lib.toml"\n' + SECONDARY)
    rc, out = _cli(capsys, "validate", case)
    assert rc == 2 and "outside the case folder" in out
    rc, out = _cli(capsys, "validate", case, "--allow-path", shared)
    assert rc == 0, out


@pytest.mark.parametrize("target", ["/proc/self/environ", "../secret.csv"])
def test_it_load_outside_case_folder_refused(tmp_path, target) -> None:
    (tmp_path / "secret.csv").write_text(f"{SECRET}\n")
    case = _annual_with_it_file(tmp_path / "case", target)
    message = _errors(case)
    assert "outside the case folder" in message and "scenario.it_load.file" in message
    assert "hunter2" not in message


def test_weather_outside_case_folder_refused(tmp_path) -> None:
    (tmp_path / "w.epw").write_text("x")
    text = WINNIPEG.replace('weather = "winnipeg"', 'weather = "../w.epw"')
    message = _errors(_write(tmp_path / "case", text))
    assert "outside the case folder" in message and "scenario.weather" in message


def test_shipped_cases_still_load() -> None:
    for name in shipped_cases():
        load_case(name)


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX paths")


# ----------------------------------------------------------------------------- 2. bounded size
NESTED = """
[templates.l2]
ports = ["a", "b"]
[[templates.l2.instances]]
template = "rack"
count = 1000
name = "x{i}"
connect = { supply = "{a}", return = "{b}" }

[templates.l3]
ports = ["a", "b"]
[[templates.l3.instances]]
template = "l2"
count = 1000
name = "y{i}"
connect = { a = "{a}", b = "{b}" }

[[instances]]
template = "l3"
count = 1000
name = "z{i}"
connect = { a = "sec_supply", b = "sec_return" }
"""


def test_nested_templates_refused_before_expansion(tmp_path) -> None:
    message = _errors(_write(tmp_path, SECONDARY + NESTED))
    assert "past 200,000 components" in message
    assert "instances[1].count" in message


def test_component_limit_counts_every_component(tmp_path, monkeypatch) -> None:
    import thermo.case.loader as loader

    monkeypatch.setattr(loader, "MAX_COMPONENTS", 12)
    message = _errors(_write(tmp_path, SECONDARY))
    assert "past 12 components" in message


def test_element_limit_counts_parts_of_composites(tmp_path, monkeypatch) -> None:
    import thermo.case.builder as builder

    monkeypatch.setattr(builder, "MAX_ELEMENTS", 5)
    assert "more than 5 network elements" in _errors(_write(tmp_path, SECONDARY))


def test_huge_tray_count_refused(tmp_path) -> None:
    text = shipped_cases()["data_hall"].read_text().replace("trays = 18", "trays = 1000000000")
    assert "`templates.nvl72.components.rack.trays`: expected a whole number <= 1000" in _errors(
        _write(tmp_path, text)
    )


def test_huge_name_format_refused(tmp_path) -> None:
    text = SECONDARY.replace("count = 8\n", 'count = 8\nname = "x{i:0300000000d}"\n')
    message = _errors(_write(tmp_path, text))
    assert "`instances[0].name`" in message and "not allowed" in message


def test_long_name_refused_and_shortened_in_message(tmp_path) -> None:
    long = "a" * 100_000
    text = SECONDARY.replace("[components.sec_pump]", f"[components.{long}]")
    message = _errors(_write(tmp_path, text))
    assert "too long" in message and len(message) < 20_000


def test_many_problems_listed_once_each_and_counted(tmp_path) -> None:
    from thermo.case.problems import MAX_LISTED

    stub = """
[templates.rack.components.stub]
type = "Pipe"
inlet = "{supply}"
outlet = "dead_end"
length = "1 m"
diameter = "10 mm"
"""
    text = SECONDARY.replace("count = 8\n", "count = 1000\n") + stub
    with pytest.raises(CaseError) as info:
        load_case(_write(tmp_path, text))
    problems = info.value.problems
    assert len(problems) == MAX_LISTED + 1
    assert "more problem(s) not listed" in problems[-1].message
    assert sum("did you mean" in p.message for p in problems) <= 20


# ----------------------------------------------------------------------------- 5. outputs
@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "a/b", ".hidden", "x\\u0000y", ""])
def test_case_name_cannot_leave_results_folder(tmp_path, name) -> None:
    text = SECONDARY.replace('name = "secondary_loop"', f'name = "{name}"')
    assert "`case.name`" in _errors(_write(tmp_path, text))


@pytest.mark.parametrize("directory", ["../out", "/tmp/out", "a/../../b", "~/x", "C:\\\\x"])
def test_outputs_directory_cannot_leave_working_folder(tmp_path, directory) -> None:
    text = SECONDARY.replace("[outputs]\n", f'[outputs]\ndirectory = "{directory}"\n')
    assert "`outputs.directory`" in _errors(_write(tmp_path, text))


def test_default_case_name_is_a_safe_file_name(tmp_path) -> None:
    text = SECONDARY.replace('name = "secondary_loop"\n', "")
    case = load_case(_write(tmp_path, text, "my case;rm.toml"))
    assert case.name == "my_case_rm"


# ----------------------------------------------------------------------------- 6. names are text
@pytest.mark.parametrize(
    "bad", ["a\\u0001b", "a\\u001b[31mred", "<b>x</b>", "a\\u202eb", "x&y", "=cmd", "a|b"]
)
def test_hostile_component_and_node_names_refused(tmp_path, bad) -> None:
    as_component = SECONDARY.replace("[components.sec_pump]", f'[components."{bad}"]')
    assert "components." in _errors(_write(tmp_path / "c", as_component))
    as_node = SECONDARY.replace('outlet = "pump_out"', f'outlet = "{bad}"')
    message = _errors(_write(tmp_path / "n", as_node))
    assert "components.sec_pump.outlet" in message
    assert "\x1b" not in message and "\u202e" not in message and "\x01" not in message


def test_error_messages_escape_control_characters(tmp_path) -> None:
    text = SECONDARY.replace("[coolants]\n", '[coolants]\n"\\u001b[2J" = "water"\n')
    message = str(_errors(_write(tmp_path, text)))
    assert "\x1b" not in message


def test_check_names_escaped_in_junit_report_and_console(tmp_path, capsys) -> None:
    import xml.etree.ElementTree as ET

    text = SECONDARY.replace(
        'name = "rack supply temperature"',
        'name = "sup\\u0001ply <script>alert(1)</script> | \\u202e\\u001b[31m"',
    )
    case = _write(tmp_path, text)
    junit = tmp_path / "junit.xml"
    out_dir = tmp_path / "out"
    rc, out = _cli(capsys, "check", case, "--junit", junit, "--out", out_dir)
    assert rc in (0, 1)
    assert "\x01" not in out and "\x1b" not in out and "\u202e" not in out
    root = ET.parse(junit).getroot()  # valid XML
    names = [t.get("name") for t in root.iter("testcase")]
    assert any("<script>" in n for n in names)  # kept as text, escaped by XML
    report = (out_dir / "report.md").read_text()
    assert "<script>" not in report and "&lt;script&gt;" in report
    assert "\x01" not in report and "\u202e" not in report
    page = (out_dir / "report.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x01" not in page and "\u202e" not in page and "\x1b" not in page


@pytest.mark.parametrize("upper", ["9223372036854775807", "1.5"])
def test_control_bound_outside_parameter_range_refused(tmp_path, upper) -> None:
    # found by tools/fuzz_cases.py: a valve opening bound of 2^63 made the annual run hang
    text = LONDON.replace("lower = 0.0\nupper = 1.0", f"lower = 0.0\nupper = {upper}", 1)
    assert text != LONDON
    message = _errors(_write(tmp_path, text))
    assert "lies in [0, 1]" in message and "upper" in message
