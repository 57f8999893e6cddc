"""Hourly grid signals (price, carbon intensity) from CSV, and the charging schedule they give.

CSV format: a header row, then one row per hour; the columns named by the caller (defaults
``price_per_MWh`` and ``carbon_kg_per_MWh``). Values are SI inside: price per joule, kg CO2 per
joule. Hour ``k`` of the file covers ``[k, k+1)`` h from midnight of day 0; shorter runs use
the first rows, longer runs are an error (never wrapped silently).

Schedule (:func:`soc_schedule`): within each day, the ``charge_hours`` hours with the lowest
signal get the state-of-charge target ``soc_max`` less a 10 % headroom (charge when cheap or
clean), the
``discharge_hours`` highest get the reserve level ``soc_min + reserve·(soc_max − soc_min)``
(discharge when dear or dirty, but keep a reserve for the ramp and peak limits), the rest the
middle of the window. A rule of thumb, not an optimiser (assumption [?]; reserve default 0.3).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from thermo.errors import InputError

__all__ = ["GridSignals", "read_signals", "soc_schedule", "hourly_to_steps"]

J_PER_MWH = 3.6e9
HEADROOM = 0.1
"""Share of the SoC window left free in charging hours, to absorb sudden drops of the load
(assumption [?])."""


@dataclass(frozen=True, eq=False)
class GridSignals:
    """Hourly price [currency/J] and carbon intensity [kg/J] (either may be None)."""

    price_per_J: np.ndarray | None
    carbon_kg_per_J: np.ndarray | None
    currency: str = "USD"
    source: str = ""

    @property
    def hours(self) -> int:
        arr = self.price_per_J if self.price_per_J is not None else self.carbon_kg_per_J
        return 0 if arr is None else int(arr.size)


def read_signals(
    path: str | Path,
    *,
    price_column: str | None = "price_per_MWh",
    carbon_column: str | None = "carbon_kg_per_MWh",
    currency: str = "USD",
) -> GridSignals:
    """Read an hourly CSV (see the module notes). Errors name the file, line and column."""
    p = Path(path)
    try:
        fh = p.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read {p}: {exc.strerror or exc}", key="signals", file=str(p)
        ) from None
    with fh:
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        for c in (price_column, carbon_column):
            if c is not None and c not in cols:
                raise InputError(
                    f"no column {c!r} in {p.name} (it has {len(cols)} columns; the file's "
                    "header is not shown)",
                    key="signals",
                    file=str(p),
                )
        price: list[float] = []
        carbon: list[float] = []
        for line, row in enumerate(reader, start=2):
            for c, out in ((price_column, price), (carbon_column, carbon)):
                if c is None:
                    continue
                try:
                    v = float(row[c])
                except (TypeError, ValueError):
                    raise InputError(
                        f"expected a number in column {c!r} (the cell is not shown)",
                        key="signals",
                        file=str(p),
                        line=line,
                    ) from None
                if not math.isfinite(v) or (c == carbon_column and v < 0):
                    raise InputError(
                        f"column {c!r} must be finite (and carbon >= 0)",
                        key="signals",
                        file=str(p),
                        line=line,
                    )
                out.append(v)
    if not (price or carbon):
        raise InputError(f"{p.name} has no data rows", key="signals", file=str(p))
    return GridSignals(
        np.asarray(price) / J_PER_MWH if price_column else None,
        np.asarray(carbon) / J_PER_MWH if carbon_column else None,
        currency,
        p.name,
    )


def hourly_to_steps(hourly: np.ndarray, n: int, step_s: float, what: str) -> np.ndarray:
    """Hourly values repeated onto ``n`` steps of ``step_s`` [s] (hour of each step's middle)."""
    idx = ((np.arange(n) + 0.5) * step_s // 3600.0).astype(int)
    if idx[-1] >= hourly.size:
        raise InputError(
            f"the {what} series has {hourly.size} hours, the run needs {idx[-1] + 1}",
            key="signals",
            value=int(hourly.size),
        )
    return hourly[idx]


def soc_schedule(
    signal: np.ndarray,
    soc_min: float,
    soc_max: float,
    charge_hours: int,
    discharge_hours: int,
    reserve: float = 0.3,
) -> np.ndarray:
    """Hourly state-of-charge target from an hourly signal (see the module notes)."""
    if charge_hours < 0 or discharge_hours < 0 or charge_hours + discharge_hours > 24:
        raise InputError(
            "charge_hours and discharge_hours must be >= 0 and add up to at most 24, got "
            f"{charge_hours} and {discharge_hours}",
            key="battery.charge_hours",
        )
    if not 0.0 <= reserve <= 1.0:
        raise InputError(f"reserve must be in [0, 1], got {reserve!r}", key="battery.reserve")
    n = signal.size
    out = np.full(n, 0.5 * (soc_min + soc_max))
    for day in range(0, n, 24):
        block = signal[day : day + 24]
        order = np.argsort(block, kind="stable")
        lo = order[: min(charge_hours, block.size)]
        hi = order[::-1][: min(discharge_hours, block.size)]
        out[day + hi] = soc_min + reserve * (soc_max - soc_min)
        out[day + lo] = soc_max - HEADROOM * (soc_max - soc_min)
    return out
