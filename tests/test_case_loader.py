"""Case files: parsing, templates, includes and strict validation (messages pinned)."""

from __future__ import annotations

import textwrap

import pytest

from thermo.case import CaseError, load_case
from thermo.case.locate import KeyLocator

# A small valid loop: pump, two parallel branches from a template, a cooler and a tank.
BASE = textwrap.dedent(
    """\
    [case]
    name = "mini"
    title = "mini loop"

    [coolants]
    loop = "water"

    [templates.branch]
    ports = ["supply", "return"]
    parameters = { heat = "2 kW" }

    [templates.branch.components.pipe]
    type = "Pipe"
    inlet = "{supply}"
    outlet = "mid"
    length = "2 m"
    diameter = "10 mm"

    [templates.branch.components.load]
    type = "HeatLoad"
    inlet = "mid"
    outlet = "{return}"
    heat = "{heat}"

    [[instances]]
    template = "branch"
    count = 2
    connect = { supply = "S", return = "R" }

    [components.pump]
    type = "Pump"
    inlet = "C"
    outlet = "S"
    pressure_rise = "30 kPa"

    [components.cooler]
    type = "Cooler"
    inlet = "R"
    outlet = "C"
    outlet_temperature = "30 degC"

    [components.tank]
    type = "ExpansionTank"
    node = "C"
    pressure = "2 bar"
    """
)


def write(tmp_path, text: str, name: str = "case.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(write(tmp_path, text))
    return [str(p) for p in info.value.problems]


def test_valid_case_expands_templates_with_counted_names(tmp_path) -> None:
    case = load_case(write(tmp_path, BASE))
    names = [c.name for c in case.components]
    assert names == [
        "pump",
        "cooler",
        "tank",
        "branch1.pipe",
        "branch1.load",
        "branch2.pipe",
        "branch2.load",
    ]
    pipe = case.components[3]
    # ports: "{supply}" is the connected node, "mid" is local to the instance
    assert pipe.nodes == {"inlet": "S", "outlet": "branch1.mid"}
    # units converted to SI (exact factors)
    assert pipe.kwargs["length"] == 2.0
    assert pipe.kwargs["diameter"] == pytest.approx(0.010)
    assert case.components[4].kwargs["heat"] == 2000.0
    assert case.components[2].kwargs["pressure"] == 2e5
    assert case.coolants == {"loop": "water"}


def test_instance_parameters_override_template_defaults(tmp_path) -> None:
    text = BASE.replace(
        'connect = { supply = "S", return = "R" }',
        'connect = { supply = "S", return = "R" }\nparameters = { heat = "3.5 kW" }',
    )
    case = load_case(write(tmp_path, text))
    loads = [c for c in case.components if c.name.endswith(".load")]
    assert [c.kwargs["heat"] for c in loads] == [3500.0, 3500.0]


def test_index_placeholders_and_padding(tmp_path) -> None:
    text = BASE.replace("count = 2", 'count = 12\nname = "b{i:02d}"').replace(
        'connect = { supply = "S", return = "R" }',
        'connect = { supply = "S", return = "R" }',
    )
    case = load_case(write(tmp_path, text))
    names = [c.name for c in case.components if c.name.endswith(".pipe")]
    assert names[0] == "b01.pipe" and names[-1] == "b12.pipe" and len(names) == 12


def test_nested_templates_prefix_names_and_nodes(tmp_path) -> None:
    text = BASE + textwrap.dedent(
        """\

        [templates.pair]
        ports = ["a", "b"]

        [[templates.pair.instances]]
        template = "branch"
        count = 2
        connect = { supply = "{a}", return = "{b}" }

        [[instances]]
        template = "pair"
        name = "rack"
        connect = { a = "S", b = "R" }
        """
    )
    case = load_case(write(tmp_path, text))
    names = {c.name: c for c in case.components}
    assert "rack.branch2.load" in names
    assert names["rack.branch1.pipe"].nodes == {"inlet": "S", "outlet": "rack.branch1.mid"}


def test_includes_share_templates(tmp_path) -> None:
    lib = textwrap.dedent(
        """\
        [templates.branch]
        ports = ["supply", "return"]

        [templates.branch.components.load]
        type = "HeatLoad"
        inlet = "{supply}"
        outlet = "{return}"
        heat = "1 kW"
        """
    )
    (tmp_path / "lib").mkdir()
    write(tmp_path, lib, "lib/branches.toml")
    start = BASE.index("[templates.branch]")
    end = BASE.index("[[instances]]")
    text = 'include = ["lib/branches.toml"]\n' + BASE[:start] + BASE[end:]
    case = load_case(write(tmp_path, text))
    assert [c.name for c in case.components][-2:] == ["branch1.load", "branch2.load"]


def test_include_cycle_and_missing_file(tmp_path) -> None:
    write(tmp_path, 'include = ["a.toml"]\n', "b.toml")
    write(tmp_path, 'include = ["b.toml"]\n', "a.toml")
    msgs = problems(tmp_path, 'include = ["a.toml", "nothere.toml"]\n' + BASE)
    text = "\n".join(msgs)
    assert "include cycle" in text
    assert "file not found" in text and "`include[1]`" in text


def test_all_errors_at_once_with_file_line_key_value_and_expectation(tmp_path) -> None:
    text = (
        BASE.replace('length = "2 m"', 'length = "2 m"\ndiamter = "10 mm"')
        .replace('pressure_rise = "30 kPa"', 'pressure_rise = "30 degC"')
        .replace('outlet_temperature = "30 degC"', 'outlet_temperature = "1.5 L/min"')
        .replace('pressure = "2 bar"', "")
    )
    msgs = problems(tmp_path, text)
    joined = "\n".join(msgs)
    assert len(msgs) >= 4
    # unknown key with a suggestion, located in the template and naming the instances
    assert (
        "case.toml:17: `templates.branch.components.pipe.diamter`: unknown key `diamter` for a "
        "Pipe; did you mean `diameter`?"
    ) in joined
    assert "(in instance branch1 and 1 more)" in joined
    # wrong dimensions, with the value and the expected kind
    assert (
        "`components.pump.pressure_rise`: expected a pressure difference (e.g. `45 kPa`), "
        in joined
    )
    assert "got `30 degC`" in joined
    assert "expected a temperature (e.g. `30 degC`), got `1.5 L/min`" in joined
    # missing required key
    assert "`components.tank`: missing required key `pressure` of a ExpansionTank" in joined


def test_line_numbers_point_at_the_key(tmp_path) -> None:
    text = BASE.replace('pressure_rise = "30 kPa"', 'pressure_rise = "30 apples"')
    (msg,) = problems(tmp_path, text)
    line = text.splitlines().index('pressure_rise = "30 apples"') + 1
    assert msg.startswith(f"{tmp_path / 'case.toml'}:{line}: `components.pump.pressure_rise`")
    assert "unknown unit `apples`" in msg


def test_dangling_connection_with_suggestion(tmp_path) -> None:
    text = BASE.replace('outlet = "C"\noutlet_temperature', 'outlet = "CC"\noutlet_temperature')
    msgs = problems(tmp_path, text)
    assert any(
        '`components.cooler.outlet`: node "CC" is connected only to `outlet` of Cooler "cooler"'
        in m
        and "did you mean `C`?" in m
        for m in msgs
    ), msgs


def test_unknown_type_template_port_and_parameter(tmp_path) -> None:
    text = BASE.replace('type = "Cooler"', 'type = "Coolr"').replace(
        'connect = { supply = "S", return = "R" }', 'connect = { suply = "S", return = "R" }'
    )
    msgs = "\n".join(problems(tmp_path, text))
    assert 'unknown component type "Coolr"; did you mean `Cooler`?' in msgs
    assert 'template "branch" has no port "suply"; did you mean `supply`?' in msgs
    assert 'port "supply" of template "branch" is not connected' in msgs


def test_template_parameter_errors_point_at_the_value_given(tmp_path) -> None:
    text = BASE.replace(
        'connect = { supply = "S", return = "R" }',
        'connect = { supply = "S", return = "R" }\nparameters = { heat = "3 m" }',
    )
    (msg,) = problems(tmp_path, text)
    assert "`instances[0].parameters.heat`" in msg
    assert "expected a power or heat flow" in msg
    assert "template parameter `heat` used at `templates.branch.components.load.heat`" in msg


def test_count_needs_index_in_name_and_positive(tmp_path) -> None:
    msgs = "\n".join(problems(tmp_path, BASE.replace("count = 2", 'count = 2\nname = "b"')))
    assert 'with count = 2 the name "b" needs `{i}`' in msgs
    msgs = "\n".join(problems(tmp_path, BASE.replace("count = 2", "count = 0")))
    assert "`instances[0].count`: expected a whole number >= 1, got 0" in msgs


def test_toml_syntax_error_names_the_line(tmp_path) -> None:
    text = BASE.replace('length = "2 m"', "length = 2 m")
    (msg,) = problems(tmp_path, text)
    line = text.splitlines().index("length = 2 m") + 1
    assert f"case.toml:{line}: not valid TOML" in msg


def test_missing_coolants_and_loop_without_pressure_reference(tmp_path) -> None:
    text = BASE.replace('[coolants]\nloop = "water"\n', "")
    assert any("missing `[coolants]`" in m for m in problems(tmp_path, text))
    text = BASE[: BASE.index("[components.tank]")]
    (msg,) = problems(tmp_path, text)
    assert "has no pressure reference: add an ExpansionTank" in msg


def test_controls_and_checks_are_validated_against_the_network(tmp_path) -> None:
    text = BASE + textwrap.dedent(
        """\

        [controls.flow]
        component = "pmp"
        parameter = "speed"
        target = "mass_flow"
        branch = "pump"
        setpoint = "0.1 kg/s"
        lower = 0.1
        upper = 2.0

        [controls.heat]
        component = "branch1.load"
        parameter = "speed"
        target = "node_temperature"
        node = "R"
        setpoint = "40 degC"
        lower = "1 kW"
        upper = "5 kW"

        [[checks]]
        metric = "temprature"
        max = "50 degC"

        [[checks]]
        metric = "approach"
        component = "pump"
        max = "4 K"

        [[checks]]
        metric = "case_temperature"
        max = "85 degC"
        """
    )
    msgs = "\n".join(problems(tmp_path, text))
    assert 'no branch component "pmp" to control; did you mean `pump`?' in msgs
    assert 'a HeatLoad has no controllable parameter "speed"' in msgs
    assert "(controllable: `heat`)" in msgs
    assert "expected one of `temperature`" in msgs and "did you mean `temperature`?" in msgs
    assert '"pump" is not a heat exchanger (or CDU)' in msgs
    assert "needs components that report `T_case_C`" in msgs


def test_locator_arrays_of_tables_and_dotted_keys() -> None:
    loc = KeyLocator(
        '[a]\nx = 1\n[[c]]\nm = "p"\n[[c]]\nm = "q"\ny.z = [\n  1,\n  2,\n]\n'
        '[[t.u.v]]\nw = """\nk = 3\n"""\nq = 1\n'
    )
    assert loc.line(("a", "x")) == 2
    assert loc.line(("c", 1, "m")) == 6
    assert loc.line(("c", 1, "y", "z", 1)) == 7  # array element -> its key's line
    assert loc.line(("t", "u", "v", 0, "q")) == 15  # a multi-line string hides "k = 3"
    assert loc.line(("t", "u", "v", 0, "k")) == 11  # not a key: falls back to the table
    assert loc.line(("nothing",)) is None
