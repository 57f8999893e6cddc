"""Every script in examples/ runs to completion in a fresh process (headless, in a temporary
directory, so that files it writes do not land in the repository)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO

EXAMPLES = sorted((REPO / "examples").glob("*.py"))

SLOW = {
    # measured on the 2-core machine while other jobs ran: > 5 s
    "nvl72_rack.py",
    "greenhouse_reuse.py",
}


def _param(path):
    marks = [pytest.mark.slow] if path.name in SLOW else []
    return pytest.param(path, id=path.name, marks=marks)


def test_there_are_examples() -> None:
    assert any(p.name == "cdu_loop.py" for p in EXAMPLES)


@pytest.mark.parametrize("script", [_param(p) for p in EXAMPLES])
def test_example_runs(script, tmp_path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"{script.name} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    assert done.stdout.strip(), f"{script.name} printed nothing"
