"""The generated reference part of ``docs/case-files.md``: component types and check metrics.

Both tables come from the registries the loader uses (:data:`thermo.case.registry.REGISTRY`,
:data:`thermo.case.checks.METRICS`), so the documentation cannot drift: a test compares the page
with :func:`reference_markdown`. After adding a type or a metric, refresh the page with::

    python -m thermo.case.docs docs/case-files.md
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from thermo.case.param_types import ComponentType, Param, load

__all__ = ["BEGIN", "END", "reference_markdown", "metric_table", "parameter_tables", "update"]

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


def _default_text(ctype: ComponentType, param: Param) -> str:
    if param.required:
        return "required"
    default = inspect.Parameter.empty
    for path in (ctype.factory, ctype.adapter):
        if not path:
            continue
        p = inspect.signature(load(path)).parameters.get(param.name)
        if p is not None and p.default is not inspect.Parameter.empty:
            default = p.default
            break
    if default is inspect.Parameter.empty:
        return "—"
    if default is None:
        return "none"
    if isinstance(default, str):
        return f'"{default}"'
    if isinstance(default, bool):
        return "true" if default else "false"
    if param.kind in ("number", "int"):
        return f"{default:g}" if isinstance(default, float) else str(default)
    from thermo.units import KINDS

    if param.kind == "temperature":
        return f"{default - 273.15:g} degC"
    unit = KINDS[param.kind].si_unit if param.kind in KINDS else ""
    return f"{default:g} {unit}".strip()


def _kind_text(param: Param) -> str:
    from thermo.units import KINDS

    if param.kind in KINDS:
        return f"{param.kind} (e.g. `{KINDS[param.kind].example}`)"
    if param.kind in ("curve", "pair"):
        a, b = (KINDS[c].example for c in param.columns)
        sample = f'["{a}", "{b}"]'
        return f"{param.kind} of [{param.columns[0]}, {param.columns[1]}] (e.g. `{sample}`)"
    if param.kind == "str" and param.choices:
        return "one of " + ", ".join(f"`{c}`" for c in param.choices)
    return param.kind


def parameter_tables() -> str:
    """Markdown: one section per registered type with its ports and parameter table.

    ``docs/case-files.md`` embeds this text between generated-section markers; a test checks
    that it is current.
    """
    out: list[str] = []
    from thermo.case.registry import REGISTRY

    for ctype in REGISTRY.values():
        out.append(f"### `{ctype.name}`\n\n")
        out.append(ctype.doc + "\n")
        ports = ", ".join(f"`{p}`" for p in ctype.ports)
        out.append(f"Ports (node names): {ports}.")
        if ctype.one_of:
            groups = "; ".join(" / ".join(f"`{k}`" for k in g) for g in ctype.one_of)
            out.append(f" Give exactly one of: {groups}.")
        controllable = ctype.controllable()
        if controllable:
            out.append(" Controllable: " + ", ".join(f"`{c}`" for c in controllable) + ".")
        out.append("\n\n| key | kind | default | meaning |\n|---|---|---|---|\n")
        for p in ctype.params:
            out.append(f"| `{p.name}` | {_kind_text(p)} | {_default_text(ctype, p)} | {p.doc} |\n")
        out.append("\n")
    return "".join(out).rstrip() + "\n"
