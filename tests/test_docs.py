"""Docs cannot rot: every ```python block in README.md and docs/*.md is executed.

Blocks of one page run in order in one namespace (a page is a small script), in a temporary
working directory, with the Agg backend. A block that is illustration only (a fragment, a
signature) is fenced as ```text or ```pycon-skip instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = sorted([REPO / "README.md", *(REPO / "docs").rglob("*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _pages_with_code() -> list[Path]:
    return [p for p in PAGES if BLOCK.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", _pages_with_code(), ids=lambda p: str(p.relative_to(REPO)))
def test_python_blocks_run(page: Path, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict = {"__name__": "__docs__"}
    for i, code in enumerate(BLOCK.findall(page.read_text(encoding="utf-8"))):
        try:
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(
                f"{page.relative_to(REPO)} block {i} failed: {type(exc).__name__}: {exc}\n{code}"
            ) from exc
