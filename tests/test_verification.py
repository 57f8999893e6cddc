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


def _boom() -> float:
    raise RuntimeError("no value")


def test_parallel_run_gives_the_serial_results_in_the_same_order() -> None:
    # thermo verify -j N: same values, verdicts, errors and order as one process; the shared
    # network solves (hydraulics, network) run in one worker each
    from thermo.verification import VerificationCase, run_cases

    cases = [c for c in all_cases() if c.id.startswith(("hydraulics.", "network.", "metrics."))]
    extra = [
        VerificationCase("x.raises", "t", "s", "q", 1.0, "-", _boom, abs_tol=1.0),
        VerificationCase("x.fails", "t", "s", "q", 1.0, "-", lambda: 3.0, abs_tol=1.0),
    ]
    cases = [*cases[:3], *extra, *cases[3:]]
    serial = run_cases(cases, jobs=1)
    parallel = run_cases(cases, jobs=2)
    assert [r.case.id for r in parallel] == [c.id for c in cases]
    for s, p in zip(serial, parallel, strict=True):
        assert (s.passed, s.error) == (p.passed, p.error)
        assert s.value == p.value or (s.value != s.value and p.value != p.value)
    by_id = {r.case.id: r for r in parallel}
    assert by_id["x.raises"].error == "RuntimeError: no value" and not by_id["x.raises"].passed
    assert not by_id["x.fails"].passed and by_id["x.fails"].value == 3.0


def test_groups_keep_shared_computations_together_and_start_the_slow_families() -> None:
    from thermo.verification.parallel import family, groups

    cases = all_cases()
    grouped = groups(cases)
    assert sorted(i for g in grouped for i in g) == list(range(len(cases)))
    for g in grouped:
        assert len({cases[i].shares for i in g}) == 1
        if len(g) > 1:
            assert cases[g[0]].shares
    annual = [g for g in grouped if family(cases[g[0]]) == "annual"]
    assert len(annual) == 1 and len(annual[0]) >= 2  # the flagship's January runs once
    assert grouped.index(annual[0]) == 0
    first_other = next(
        n for n, g in enumerate(grouped) if family(cases[g[0]]) not in ("annual", "transient")
    )
    assert all(family(cases[g[0]]) in ("annual", "transient") for g in grouped[:first_other])


def test_verify_jobs_option(capsys) -> None:
    from thermo.cli import main

    assert main(["verify", "-q", "-j", "2", "-k", "friction"]) == 0
    assert "passed, 0 failed" in capsys.readouterr().out
    assert main(["verify", "-q", "-j", "0", "-k", "friction"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err
