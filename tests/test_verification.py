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


def test_every_case_cites_a_source_and_is_documented(repo_root) -> None:
    docs = "\n".join(p.read_text() for p in (repo_root / "docs" / "validation").glob("*.md"))
    for case in all_cases():
        assert len(case.source) > 10, case.id
        assert case.tolerance > 0, case.id
        assert f"`{case.id}`" in docs, f"{case.id} is not explained in docs/validation/"
