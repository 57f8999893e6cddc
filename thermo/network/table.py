"""A result table without pandas: named columns over a labelled index.

A point run (``thermo run CASE``) writes its tables as CSV and ``results.json`` and reads one
column for its summary; importing pandas for that costs more than the whole solve of a small case.
:class:`Table` holds the columns as built (numpy arrays or lists), writes them in the same bytes
``DataFrame.to_csv`` writes (shortest round-trip floats, empty cells for NaN, ``True``/``False``,
minimal quoting, ``\\n`` line ends) and turns into a DataFrame only when someone asks for one
(:attr:`thermo.network.results.Results.nodes` and friends).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


class Table:
    """Columns (name -> sequence of one value per row) over the row labels ``index``.

    ``from_rows`` keeps the construction of the DataFrame from a list of row dicts (the controls
    table), so that its column types are inferred exactly as before.
    """

    def __init__(
        self,
        columns: dict[str, Any],
        index: Sequence[Any],
        index_name: str | None,
        *,
        from_rows: bool = False,
    ) -> None:
        self.columns = dict(columns)
        self.index = list(index)
        self.index_name = index_name
        self.from_rows = from_rows

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def column(self, name: str) -> np.ndarray:
        return np.asarray(self.columns[name])

    def to_frame(self) -> Any:
        """The pandas DataFrame of this table."""
        import pandas as pd

        index = pd.Index(self.index, name=self.index_name)
        if self.from_rows:
            names = list(self.columns)
            rows = [dict(zip(names, vals, strict=True)) for vals in self._rows()]
            return pd.DataFrame(rows, index=index, columns=names)
        return pd.DataFrame(self.columns, index=index)

    def _rows(self) -> list[tuple]:
        cols = [list(v) for v in self.columns.values()]
        return list(zip(*cols, strict=True)) if cols else [() for _ in self.index]

    def records(self) -> dict[str, dict[str, Any]]:
        """``{row label: {column: value}}`` (what ``DataFrame.to_dict("index")`` gives); the row
        labels must be unique."""
        if len(set(self.index)) != len(self.index):
            raise ValueError("table index must be unique for records")
        names = list(self.columns)
        return {
            str(k): dict(zip(names, vals, strict=True))
            for k, vals in zip(self.index, self._rows(), strict=True)
        }

    def write_csv(self, path: Path) -> None:
        """Write the table as ``DataFrame.to_csv(path)`` would (index first, header row)."""
        cells = [_csv_cells(v) for v in self.columns.values()]
        header = ["" if self.index_name is None else self.index_name, *self.columns]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(header)
            for i, label in enumerate(self.index):
                w.writerow([_text(label), *(c[i] for c in cells)])


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v)


def _csv_cells(values: Any) -> list[str]:
    """One column as the strings pandas writes: float and bool columns through numpy's ``str``
    (the shortest round-trip repr; NaN as an empty cell), anything else through ``str``."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        out = arr.astype(str)
        out[np.isnan(arr)] = ""
        return out.tolist()
    if arr.dtype.kind in "biu":
        return arr.astype(str).tolist()
    return [_text(v) for v in values]
