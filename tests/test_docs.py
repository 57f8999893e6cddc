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


def _quickstart() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- quickstart -->", 1)[1].split("<!-- /quickstart -->", 1)[0]
    return [line for line in block.splitlines() if line.startswith("pip install")]


def test_quickstart_is_two_commands_running_the_shipped_flagship() -> None:
    from thermo.case import shipped_cases

    first, second = _quickstart()
    assert first.startswith("pip install . && thermo run ")
    name = first.rsplit(" ", 1)[1]
    assert name in shipped_cases()
    assert 'type = "annual"' in shipped_cases()[name].read_text()  # the annual reuse study
    assert "[greenhouse]" in shipped_cases()[name].read_text()
    assert second == "pip install '.[test]' && pytest"


def test_readme_thermo_commands_run(tmp_path, monkeypatch, capsys) -> None:
    """The README's other ```` ``` ```` lines that start with ``thermo`` run as shown."""
    import shlex

    from thermo.cli import main

    monkeypatch.chdir(tmp_path)
    text = (REPO / "README.md").read_text(encoding="utf-8")
    lines = [
        line.split("#", 1)[0].strip()
        for line in re.findall(r"^```\n(.*?)^```", text, re.S | re.M)[-1].splitlines()
    ]
    commands = [shlex.split(line)[1:] for line in lines if line.startswith("thermo ")]
    assert commands
    for argv in commands:
        assert main(argv) == 0, argv
