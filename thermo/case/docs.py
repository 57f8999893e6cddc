"""The generated reference part of ``docs/case-files.md``: component types and check metrics.

Both tables come from the registries the loader uses (:data:`thermo.case.registry.REGISTRY`,
:data:`thermo.case.checks.METRICS`), so the documentation cannot drift: a test compares the page
with :func:`reference_markdown`. After adding a type or a metric, refresh the page with::

    python -m thermo.case.docs docs/case-files.md
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["BEGIN", "END", "reference_markdown", "metric_table", "update"]

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m thermo.case.docs docs/case-files.md) -->"
END = "<!-- END GENERATED REFERENCE -->"


def metric_table() -> str:
    """Markdown table of the check metrics."""
    from thermo.case.checks import METRICS
    from thermo.units import KINDS

    rows = ["| metric | selects | limit is | meaning |", "|---|---|---|---|"]
    for m in METRICS.values():
        sel = ", ".join(
            f"`{k}`" + ("" if k in m.required or not m.selectors else " (optional)")
            for k in m.selectors
        )
        kind = KINDS[m.kind].description if m.kind in KINDS else m.kind
        if m.name == "value":
            kind = "per the column's unit suffix"
        rows.append(f"| `{m.name}` | {sel or '—'} | {kind} | {m.doc} |")
    return "\n".join(rows) + "\n"


def reference_markdown() -> str:
    """The generated section (without the markers)."""
    from thermo.case.registry import parameter_tables

    return (
        "## Reference: component types\n\n"
        + parameter_tables()
        + "\n## Reference: check metrics\n\n"
        + metric_table()
    )


def update(path: str | Path) -> bool:
    """Rewrite the generated section of ``path``; True if it changed."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{reference_markdown()}{END}{tail}"
    if new != text:
        p.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    for arg in sys.argv[1:]:
        print(f"{arg}: {'updated' if update(arg) else 'current'}")
