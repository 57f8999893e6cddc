"""The verification suite: every case passes, cites a source and is explained in docs/validation/."""

from __future__ import annotations

import json
import subprocess
import sys

from thermo.verification import all_cases


def test_verify_json_contract_and_all_pass() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thermo", "verify", "--json"], capture_output=True, text=True
    )
    records = json.loads(out.stdout)
    keys = {
        "id",
        "title",
        "source",
        "quantity",
        "reference",
        "value",
        "unit",
        "tolerance",
        "kind",
        "passed",
    }
    for r in records:
        assert keys <= set(r), r
    assert len(records) >= 10
    assert len({r["source"] for r in records}) >= 10, (
        "cases should rest on many independent sources"
    )
    failed = [r for r in records if not r["passed"]]
    assert not failed, failed
    assert out.returncode == 0
    assert {r["kind"] for r in records} <= {"published", "analytic", "peer", "plausibility"}


def test_verify_prints_the_counts_by_kind() -> None:
    from thermo.cli import _print_verify_table
    from thermo.verification import run_cases

    cases = [c for c in all_cases() if c.id.startswith(("metrics.", "greenhouse.greenlight"))]
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        _print_verify_table(run_cases(cases))
    text = buf.getvalue()
    n_plaus = sum(c.kind == "plausibility" for c in cases)
    assert n_plaus >= 1
    assert f"plausibility {n_plaus} counted apart" in text
    assert f"verification {len(cases) - n_plaus} cases" in text


def test_the_mutation_list_applies_to_the_source() -> None:
    # every named mutant's line occurs exactly once in the package (else the list is stale)
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "mutants.py"
    spec = importlib.util.spec_from_file_location("mutants", path)
    mutants = importlib.util.module_from_spec(spec)
    import sys as _sys

    _sys.modules["mutants"] = mutants  # dataclasses look their module up
    spec.loader.exec_module(mutants)
    assert len(mutants.MUTANTS) >= 25
    assert len({m.name for m in mutants.MUTANTS}) == len(mutants.MUTANTS)
    stale = {m.name: why for m in mutants.MUTANTS if (why := mutants.check_mutant(m))}
    assert not stale, stale


def test_every_case_cites_a_source_and_is_documented(repo_root) -> None:
    docs = "\n".join(p.read_text() for p in (repo_root / "docs" / "validation").glob("*.md"))
    for case in all_cases():
        assert len(case.source) > 10, case.id
        assert case.tolerance > 0, case.id
        assert f"`{case.id}`" in docs, f"{case.id} is not explained in docs/validation/"
