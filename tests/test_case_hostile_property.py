"""Property tests: hostile case files of every kind in issue 12 end in a clean exit code.

Hypothesis builds case files from the shipped ``secondary_loop`` with hostile unit strings,
extreme numbers, odd names, huge counts, hostile include paths and deleted keys. In process,
``thermo validate`` must return 0 or 2 and raise nothing. In a subprocess with a wall-clock
timeout and an address-space limit (``resource.setrlimit``), ``thermo check`` must exit with 0,
1, 2 or 3 and print no traceback; when ``results.json`` says converged it holds no NaN and its
mass and energy closure is within 1e-6.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermo.case import shipped_cases
from thermo.cli import main

SOURCE = shipped_cases()["secondary_loop"].read_text()
QUANTITIES = sorted(
    {m.group(0) for m in re.finditer(r'"\d[\d.]* (?:mm|m|kW|kPa|bar|degC|K|kW/K|L/min)"', SOURCE)}
)
HOSTILE_UNITS = st.sampled_from(
    [
        "2 kW*9**9**9/9**9**9",
        "2 kW)",
        "2 kW/0",
        "2 kW**kW",
        "2 kW*",
        "2 " + "(" * 40 + "kW" + ")" * 40,
        "1e300 mm",
        "-1e300 kW",
        "1e-300 m",
        "nan m",
        "inf kW",
        "-500 degC",
        "2 __import__",
    ]
)
EXTREME = st.sampled_from(["1e300", "-1e300", "1e-300", "nan", "inf", "0", "-1", "9" * 30])
ODD_NAME = st.one_of(
    st.sampled_from(
        ["a\\u0000b", "a\\u001b[31m", "<b>x</b>", "a\\u202eb", "../../x", "=cmd", "x" * 300]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\'),
        min_size=1,
        max_size=12,
    ),
)
INCLUDE = st.sampled_from(
    ["a\\u0000b.toml", "/dev/zero", "../x.toml", "/proc/self/environ", "pipe", "missing.toml"]
)


@st.composite
def hostile_cases(draw) -> str:
    text = SOURCE
    kind = draw(
        st.sampled_from(
            ["unit", "extreme", "name", "node", "count", "include", "delete", "case_name"]
        )
    )
    if kind == "unit":
        old = draw(st.sampled_from(QUANTITIES))
        text = text.replace(old, f'"{draw(HOSTILE_UNITS)}"', 1)
    elif kind == "extreme":
        old = draw(st.sampled_from(["k_minor = 3.0", "efficiency = 0.6", "lower = 0.3"]))
        text = text.replace(old, old.split("=")[0] + "= " + draw(EXTREME), 1)
    elif kind == "name":
        text = text.replace("[components.sec_pump]", f'[components."{draw(ODD_NAME)}"]')
    elif kind == "node":
        text = text.replace('outlet = "pump_out"', f'outlet = "{draw(ODD_NAME)}"')
    elif kind == "count":
        n = draw(st.sampled_from([0, -1, 100_000, 10**9, 2**63 - 1]))
        text = text.replace("count = 8", f"count = {n}")
    elif kind == "include":
        text = f'include = "{draw(INCLUDE)}"\n' + text
    elif kind == "delete":
        lines = text.splitlines()
        keys = [i for i, line in enumerate(lines) if re.match(r"^\w+ = ", line)]
        del lines[draw(st.sampled_from(keys))]
        text = "\n".join(lines) + "\n"
    else:
        text = text.replace('name = "secondary_loop"', f'name = "{draw(ODD_NAME)}"')
    return text


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if hasattr(os, "mkfifo") and not (folder / "pipe").exists():
        os.mkfifo(folder / "pipe")
    path = folder / "case.toml"
    path.write_text(text, encoding="utf-8")
    return path


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_cases())
def test_validate_hostile_cases_in_process(tmp_path_factory, text) -> None:
    case = _write(tmp_path_factory.mktemp("case"), text)
    rc = main(["validate", str(case)])
    assert rc in (0, 2)


def _limits() -> None:
    import resource

    limit = 2048 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_cases())
def test_check_hostile_cases_bounded_and_conserving(tmp_path_factory, text) -> None:
    folder = tmp_path_factory.mktemp("run")
    case = _write(folder, text)
    out = folder / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "thermo", "check", str(case), "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        cwd=folder,
        env={**os.environ, "MPLBACKEND": "Agg"},
        preexec_fn=_limits,
    )
    assert proc.returncode in (0, 1, 2, 3), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    results = out / "results.json"
    if proc.returncode in (0, 1) and results.exists():
        raw = results.read_text()
        doc = json.loads(raw)
        if doc["converged"]:
            assert "NaN" not in raw and "Infinity" not in raw
            assert all(v is not None for v in doc["summary"].values())
            closure = doc["solver"]["closure"]
            assert all(math.isfinite(v) and abs(v) <= 1e-6 for v in closure.values()), closure


def test_fuzz_tool_mutates_and_writes_valid_toml() -> None:
    """tools/fuzz_cases.py: its TOML writer round-trips a shipped case and mutants differ."""
    import importlib.util
    import random

    path = Path(__file__).resolve().parents[1] / "tools" / "fuzz_cases.py"
    spec = importlib.util.spec_from_file_location("fuzz_cases", path)
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    import tomllib

    data = tomllib.loads(SOURCE)
    assert tomllib.loads(fuzz.dumps(data)) == data
    rng = random.Random(3)
    mutants = [fuzz.make_mutant("secondary_loop", SOURCE, rng)[0] for _ in range(20)]
    assert sum(m != fuzz.dumps(data) and m != SOURCE for m in mutants) >= 15
