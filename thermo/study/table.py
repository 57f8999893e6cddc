"""The study's tidy table: one row per run -- the inputs varied, every summary and annual metric,
the economics, the checks and flag counts, the status and error -- written as CSV and Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thermo.study.execute import StudyRun

__all__ = ["study_table", "write_table", "FIRST", "LAST"]

FIRST = ("run", "status")
LAST = (
    "converged",
    "checks_passed",
    "checks_failed",
    "failed_checks",
    "flags",
    "warnings",
    "error",
)


def study_table(study: StudyRun) -> Any:
    """pandas DataFrame, one row per run in design order (no timings: the same design gives the
    same table wherever it ran)."""
    import pandas as pd

    inputs = list(study.variants[0].inputs) if study.variants else []
    rows = []
    metrics: list[str] = []
    for v, o in zip(study.variants, study.outcomes, strict=True):
        row: dict[str, Any] = {"run": v.index, "status": o.row.get("status", "failed")}
        row.update(v.inputs)
        for k, x in o.row.items():
            if k not in row and k not in LAST and k != "status":
                row[k] = x
                if k not in metrics:
                    metrics.append(k)
        for k in LAST:
            row[k] = o.row.get(k)
        rows.append(row)
    cols = [*FIRST, *inputs, *metrics, *LAST]
    df = pd.DataFrame(rows, columns=cols)
    for k in ("error", "failed_checks"):
        df[k] = df[k].fillna("").astype(str)
    return df


def write_table(df: Any, out: Path) -> list[Path]:
    """``study.csv`` and ``study.parquet`` in ``out``; files that already hold this table are left
    as they are (a finished study's second invocation writes nothing and skips pyarrow's import)."""
    out.mkdir(parents=True, exist_ok=True)
    csv = out / "study.csv"
    text = df.to_csv(index=False)
    pq = out / "study.parquet"
    unchanged = csv.is_file() and pq.is_file() and csv.read_text() == text
    written = [csv]
    if unchanged:
        return [csv, pq]
    csv.write_text(text)
    try:
        df.to_parquet(pq, index=False)
        written.append(pq)
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        pass
    return written
