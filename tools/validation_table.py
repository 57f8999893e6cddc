"""Write the table of verification cases into docs/validation.md (between the
``<!-- cases -->`` markers): case, quantity, reference and its kind, tolerance and its reason,
thermo's result. Run after adding or changing a case::

    python tools/validation_table.py          # runs thermo verify, rewrites the table
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "validation.md"
START, END = "<!-- cases -->", "<!-- /cases -->"


def _cell(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(results: list) -> str:
    lines = [
        "| case | kind | quantity | reference | tolerance | why this tolerance | thermo | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r.case
        value = "error" if r.error else f"{r.value:.6g}"
        lines.append(
            f"| `{c.id}` | {c.kind} | {_cell(c.quantity, 60)} | {c.reference:.6g} {c.unit} "
            f"(source: {_cell(c.source, 120)}) | ±{c.tolerance:.3g} | {_cell(c.notes)} | "
            f"{value} | {'pass' if r.passed else 'FAIL'} |"
        )
    return "\n".join(lines)


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from thermo.verification import run_cases

    results = run_cases()
    text = DOC.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(f"{head}{START}\n{table(results)}\n{END}{tail}", encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: {len(results)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
