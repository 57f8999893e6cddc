"""Fuzzing the case loader: every broken file gives exit code 2 and a message naming the key.

Starting from a valid shipped case, hypothesis deletes required keys, swaps value types, swaps
units for quantities of another dimension, writes garbage and inserts unknown keys or broken
TOML lines. ``thermo validate`` must exit 2 (never 0, never a traceback) and name the key path.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermo.case import shipped_cases
from thermo.case.checks import METRICS
from thermo.case.problems import key_path
from thermo.case.registry import REGISTRY
from thermo.case.validate import TARGETS
from thermo.cli import main
from thermo.units import KINDS

SOURCE = shipped_cases()["secondary_loop"].read_text()
DATA = tomllib.loads(SOURCE)

# one quantity of each dimension, to swap in for a quantity of another dimension
SAMPLES = {
    "m": "25 mm",
    "K": "30 degC",
    "Pa": "45 kPa",
    "m^3/s": "1.5 L/min",
    "kg/s": "0.3 kg/s",
    "W": "12 kW",
    "K/W": "0.03 K/W",
    "W/K": "30 kW/K",
    "m/s": "1.5 m/s",
}
GARBAGE = ["", "@@@", "12 flurbs", "nan m", "1e999 m", "{nope}", "  "]
BAD_TOML = ["=", "[[", "]]]", "x = ", "= 1", "a = 1 2", "[components.sec_pump]", "k = 'open"]


# --------------------------------------------------------------------------- a tiny TOML writer
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def _aot(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dumps(doc: dict) -> str:
    lines: list[str] = []

    def table(path: list[str], t: dict) -> None:
        for k, v in t.items():
            if not isinstance(v, dict) and not _aot(v):
                lines.append(f"{_key(k)} = {_value(v)}")
        for k, v in t.items():
            if isinstance(v, dict):
                lines.append(f"\n[{'.'.join(_key(p) for p in [*path, k])}]")
                table([*path, k], v)
            elif _aot(v):
                for item in v:
                    lines.append(f"\n[[{'.'.join(_key(p) for p in [*path, k])}]]")
                    for ik, iv in item.items():
                        lines.append(f"{_key(ik)} = {_value(iv)}")

    table([], doc)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- where to mutate
def _component_tables(doc: dict):
    for name, t in doc.get("components", {}).items():
        yield ("components", name), t
    for tname, tpl in doc.get("templates", {}).items():
        for name, t in tpl.get("components", {}).items():
            yield ("templates", tname, "components", name), t


def leaves(doc: dict) -> list[tuple[tuple, str | None]]:
    """Mutable leaves: (path, quantity kind or None)."""
    out: list[tuple[tuple, str | None]] = []
    for path, t in _component_tables(doc):
        ctype = REGISTRY[t["type"]]
        for k in t:
            p = ctype.param(k)
            out.append(((*path, k), p.kind if p is not None and p.kind in KINDS else None))
    for tname, tpl in doc.get("templates", {}).items():
        out.append((("templates", tname, "ports"), None))
        for k in tpl.get("parameters", {}):
            out.append((("templates", tname, "parameters", k), "power"))
    for i, inst in enumerate(doc.get("instances", [])):
        for k in inst:
            out.append((("instances", i, k), None))
    for name, c in doc.get("controls", {}).items():
        for k in c:
            kind = TARGETS[c["target"]][0] if k == "setpoint" else None
            out.append((("controls", name, k), kind))
    for i, c in enumerate(doc.get("checks", [])):
        for k in c:
            if k in ("name", "code", "column"):
                continue  # any text is a valid name or flag code
            kind = METRICS[c["metric"]].kind if k in ("max", "min") else None
            out.append((("checks", i, k), kind))
    for name in doc.get("coolants", {}):
        out.append((("coolants", name), None))
    return out


def required(doc: dict) -> list[tuple[tuple, str]]:
    """(table path, key) pairs whose deletion must be an error."""
    out = []
    for path, t in _component_tables(doc):
        ctype = REGISTRY[t["type"]]
        for k in t:
            p = ctype.param(k)
            if k == "type" or k in ctype.ports or (p is not None and p.required):
                out.append((path, k))
    for name in doc.get("controls", {}):
        for k in ("component", "parameter", "target", "setpoint", "lower", "upper"):
            out.append((("controls", name), k))
    for i, c in enumerate(doc.get("checks", [])):
        out.append((("checks", i), "metric"))
        out.append((("checks", i), "max" if "max" in c else "min"))
    for i in range(len(doc.get("instances", []))):
        out.append((("instances", i), "template"))
    out.append(((), "coolants"))
    return out


LEAVES = leaves(DATA)
REQUIRED = required(DATA)


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _swap_for(value):
    if isinstance(value, bool):
        return ["yes", 1.5, [True]]
    if isinstance(value, (int, float)):
        return [True, "abc", [value], {"x": value}]
    if isinstance(value, str):
        return [3, True, [value], {"x": value}]
    if isinstance(value, list):
        return [7, "abc", {"x": 1}] if value and isinstance(value[0], list) else [7, {"x": 1}]
    if isinstance(value, dict):
        return [7, [1, 2]]
    return [7]


def validate(text: str, tmp_path_factory, capsys) -> tuple[int, str]:
    path = tmp_path_factory.mktemp("fuzz") / "case.toml"
    path.write_text(text)
    code = main(["validate", str(path)])
    return code, capsys.readouterr().err


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(st.sampled_from(REQUIRED))
def test_deleting_a_required_key(tmp_path_factory, capsys, target) -> None:
    table_path, key = target
    doc = copy.deepcopy(DATA)
    del _get(doc, table_path)[key]
    code, err = validate(dumps(doc), tmp_path_factory, capsys)
    assert code == 2, err
    assert f"`{key}`" in err or "missing `[coolants]`" in err, err
    if table_path:
        assert f"`{key_path(table_path)}" in err, err


@SETTINGS
@given(st.sampled_from(LEAVES), st.data())
def test_type_swap(tmp_path_factory, capsys, leaf, data) -> None:
    path, _ = leaf
    doc = copy.deepcopy(DATA)
    parent, key = _get(doc, path[:-1]), path[-1]
    parent[key] = data.draw(st.sampled_from(_swap_for(parent[key])))
    code, err = validate(dumps(doc), tmp_path_factory, capsys)
    assert code == 2, (path, parent[key], err)
    assert f"`{key_path(path)}" in err, (path, err)


@SETTINGS
@given(st.sampled_from([leaf for leaf in LEAVES if leaf[1] is not None]), st.data())
def test_unit_swap(tmp_path_factory, capsys, leaf, data) -> None:
    path, kind = leaf
    si = KINDS[kind].si_unit
    choices = [v for u, v in SAMPLES.items() if u != si.replace("*", "")]
    if kind == "temperature_difference":
        choices.append("4 degC")  # a temperature where a difference is meant
    if kind == "dimensionless":
        choices = list(SAMPLES.values())
    doc = copy.deepcopy(DATA)
    parent, key = _get(doc, path[:-1]), path[-1]
    parent[key] = data.draw(st.sampled_from(choices))
    code, err = validate(dumps(doc), tmp_path_factory, capsys)
    assert code == 2, (path, parent[key], err)
    assert f"`{key_path(path)}" in err, (path, err)


@SETTINGS
@given(
    st.sampled_from([leaf for leaf in LEAVES if isinstance(_get(DATA, leaf[0]), str)]),
    st.sampled_from(GARBAGE),
)
def test_garbage_text(tmp_path_factory, capsys, leaf, garbage) -> None:
    path, _ = leaf
    doc = copy.deepcopy(DATA)
    _get(doc, path[:-1])[path[-1]] = garbage
    code, err = validate(dumps(doc), tmp_path_factory, capsys)
    assert code == 2, (path, garbage, err)
    assert f"`{key_path(path)}" in err, (path, err)


@SETTINGS
@given(
    st.sampled_from([p for p, _ in _component_tables(DATA)] + [("controls", "header_dp")]),
    st.from_regex(r"[a-z][a-z_]{2,12}", fullmatch=True),
)
def test_unknown_key(tmp_path_factory, capsys, table_path, key) -> None:
    doc = copy.deepcopy(DATA)
    table = _get(doc, table_path)
    if key in table or key in ("type",):
        return
    table[key] = "1 m"
    code, err = validate(dumps(doc), tmp_path_factory, capsys)
    assert code == 2, err
    assert f"unknown key `{key}`" in err and f"`{key_path((*table_path, key))}`" in err, err


_LINES = SOURCE.splitlines()
_IN_STRING = set()
_open = None
for _i, _line in enumerate(_LINES):
    if _line.count('"""') % 2 == 1:
        if _open is None:
            _open = _i
        else:
            _IN_STRING.update(range(_open, _i + 1))
            _open = None
_POSITIONS = [i for i in range(len(_LINES) + 1) if i not in _IN_STRING]


@SETTINGS
@given(st.sampled_from(_POSITIONS), st.sampled_from(BAD_TOML))
def test_broken_toml_line(tmp_path_factory, capsys, position, garbage) -> None:
    lines = list(_LINES)
    lines.insert(position, garbage)
    code, err = validate("\n".join(lines) + "\n", tmp_path_factory, capsys)
    assert code == 2, (position, garbage, err)
    assert "error: " in err and "case.toml:" in err
