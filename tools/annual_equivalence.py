"""Batched annual solves against hour-by-hour solves (``batch = 1``), hour by hour.

    python tools/annual_equivalence.py [--quick] [--json] [--case NAME ...]

A change of the batched solve path (:func:`thermo.simulate.hourly.run_hourly`) is right only if
every hour lands in the same state as when it is solved on its own. For every shipped case with
an annual scenario and a few perturbed variants (greenhouse floor area +-20 %, heat-pump size,
exchanger UA), this solves slices of the year (the first 336 hours, a winter, a shoulder and a
summer week; two slices for the variants) twice -- batched as the case asks (and in batches of 56 hours, so that several
batches, warm starts and the deferred re-solve are exercised) and with ``batch = 1`` -- and
compares every probed column of every hour (heats, boiler heat, temperatures, control values)
and the flags raised each hour (reported apart: hours whose flags differ). It prints the largest relative difference per slice, ``|a - b| / max(|a|, |b|, 1e-3 x
the column's largest magnitude)`` (for powers, columns ending ``_W``: the largest power of any
column, so that a milliwatt at round-off beside megawatts does not count); anything above 1e-6
is a defect (exit status 1).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

ANNUAL_CASES = (
    "canaan_bitforest",
    "ai_hall_greenhouse",
    "london_on_glasshouse",
    "greenhouse_sizing",
    "winnipeg_year",
)
"""Shipped cases whose scenario is annual (``grep -l 'type = "annual"' cases/*.toml``)."""

VARIANTS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "canaan_bitforest": [
        ("floor -20 %", {"greenhouse.floor_area": "31200 m2", "components.rail.length": "58500 m"}),
        ("floor +20 %", {"greenhouse.floor_area": "46800 m2", "components.rail.length": "87750 m"}),
        ("hx UA x0.5", {"components.gh_hx.ua": "0.3 MW/K"}),
    ],
    "ai_hall_greenhouse": [
        ("floor -20 %", {"greenhouse.floor_area": "32000 m2", "components.rail.length": "60000 m"}),
        ("hp 3 MW", {"components.hp.heating_capacity": "3 MW"}),
        ("hx UA 1 MW/K", {"components.gh_hx.ua": "1 MW/K"}),
    ],
    "greenhouse_sizing": [
        (
            "floor 20450 m2, hp 2.03 MW",
            {
                "greenhouse.floor_area": "20450 m2",
                "components.rail.length": "38343.75 m",
                "components.hp.heating_capacity": "2.03 MW",
            },
        ),
        ("floor +20 %", {"greenhouse.floor_area": "48000 m2", "components.rail.length": "90000 m"}),
    ],
}

SLICES = (
    ("first 336 h", 0, 336),
    ("winter week", 840, 168),
    ("shoulder week", 2616, 168),
    ("summer week", 4728, 168),
)
"""Slices of the year solved for the shipped cases: (name, first hour, hours)."""
VARIANT_SLICES = (("first 168 h", 0, 168), ("shoulder week", 2616, 168))
"""Slices solved for the perturbed variants."""
QUICK_SLICES = (("first 48 h", 0, 48), ("shoulder 48 h", 2616, 48))
LIMIT = 1e-6
FLOOR = 1e-3
"""Values below this fraction of their scale are compared by their difference relative to that
fraction of the scale: powers derived from temperatures converged to ~1e-8 K carry milliwatts of
round-off whatever their size (e.g. an unmet demand of 0.8 mW beside 0 in a 5 MW plant) [-]."""


class _Captured(Exception):
    pass


def captured(case_name: str, overrides: dict[str, Any] | None = None) -> tuple:
    """The template network, hourly updates, probe and batch size of an annual case."""
    import thermo.simulate.hourly as hourly
    from thermo.case import load_case, run_case

    got: dict[str, Any] = {}
    original = hourly.run_hourly

    def capture(net, updates, probe, **kw):
        got.update(net=net, updates=updates, probe=probe, batch=kw.get("batch", 168))
        raise _Captured

    case = load_case(case_name, overrides=overrides or None)
    hourly.run_hourly = capture
    try:
        run_case(case)
    except _Captured:
        pass
    finally:
        hourly.run_hourly = original
    return got["net"], got["updates"], got["probe"], int(got["batch"])


def compare_tables(a: Any, b: Any) -> tuple[float, str, int]:
    """Largest relative difference of two hourly tables (same columns, same hours): value,
    column, hour."""
    worst, where, hour = 0.0, "", -1
    if set(a.columns) != set(b.columns):
        return np.inf, f"columns differ: {sorted(set(a.columns) ^ set(b.columns))}", -1
    b = b[list(a.columns)]  # flag columns come in the order the flags were first met

    def magnitude(col: str) -> float:
        both = np.abs(np.concatenate([np.asarray(a[col], float), np.asarray(b[col], float)]))
        return float(np.nanmax(both, initial=0.0)) if len(both) else 0.0

    # powers [W] near zero (a milliwatt of unmet demand at solver round-off) are measured
    # against the plant's power scale, the largest power of any column
    power_scale = max((magnitude(c) for c in a.columns if str(c).endswith("_W")), default=0.0)
    for col in a.columns:
        x = np.asarray(a[col], dtype=float)
        y = np.asarray(b[col], dtype=float)
        both_nan = np.isnan(x) & np.isnan(y)
        scale = power_scale if str(col).endswith("_W") else magnitude(col)
        den = np.maximum(np.maximum(np.abs(x), np.abs(y)), max(FLOOR * scale, 1e-300))
        rel = np.where(both_nan, 0.0, np.abs(x - y) / den)
        rel = np.where(np.isnan(rel), np.inf, rel)
        k = int(np.argmax(rel)) if len(rel) else 0
        if len(rel) and rel[k] > worst:
            worst, where, hour = float(rel[k]), col, int(a.index[k])
    return worst, where, hour


def _flag_differences(a: Any, b: Any, flags: list[str]) -> list[tuple[int, str]]:
    """Hours (and the flag) where the two runs raise different flags (counts of flagged items;
    the ``_value`` columns hold the flagged quantity)."""
    out = []
    for col in flags:
        if str(col).endswith("_value") or col not in b.columns:
            continue
        x = np.nan_to_num(np.asarray(a[col], dtype=float))
        y = np.nan_to_num(np.asarray(b[col], dtype=float))
        out += [(int(a.index[k]), col) for k in np.flatnonzero(x != y)]
    return sorted(out)


def compare_slice(
    net: Any, updates: dict, probe: Any, start: int, length: int, batches: list[int]
) -> list[dict[str, Any]]:
    """One slice solved hour by hour and batched (each of ``batches``); the largest difference
    of each batched solve from the hour-by-hour one."""
    from thermo.errors import ConvergenceError
    from thermo.simulate.hourly import run_hourly

    part = {k: np.asarray(v)[start : start + length] for k, v in updates.items()}
    t0 = time.process_time()
    try:
        alone = run_hourly(net, part, probe, batch=1)
    except ConvergenceError as exc:  # a defect of the single-hour solve: said, not compared
        return [
            {
                "batch": 1,
                "max_rel": np.inf,
                "column": f"batch 1 failed: {exc}"[:160],
                "hour": -1,
                "flag_hours": [],
                "re_solved": 0,
                "closure": np.nan,
                "cpu_batched_s": np.nan,
                "cpu_alone_s": time.process_time() - t0,
            }
        ]
    cpu_alone = time.process_time() - t0
    rows = []
    for batch in batches:
        t0 = time.process_time()
        try:
            batched = run_hourly(net, part, probe, batch=batch)
        except ConvergenceError as exc:
            rows.append(
                {
                    "batch": batch,
                    "max_rel": np.inf,
                    "column": f"failed: {exc}"[:160],
                    "hour": -1,
                    "flag_hours": [],
                    "re_solved": 0,
                    "closure": np.nan,
                    "cpu_batched_s": time.process_time() - t0,
                    "cpu_alone_s": cpu_alone,
                }
            )
            continue
        cpu = time.process_time() - t0
        quantities = [c for c in batched.table.columns if not str(c).startswith("flag_")]
        flags = [c for c in batched.table.columns if str(c).startswith("flag_")]
        rel, column, hour = compare_tables(batched.table, alone.table)
        if np.isfinite(rel):
            rel, column, hour = compare_tables(batched.table[quantities], alone.table[quantities])
        flag_hours = _flag_differences(batched.table, alone.table, flags)
        rows.append(
            {
                "batch": batch,
                "max_rel": rel,
                "column": column,
                "hour": start + hour if hour >= 0 else hour,
                "flag_hours": [(start + h, c) for h, c in flag_hours],
                "re_solved": len(batched.fallback_hours),
                "closure": max(batched.closure.values()),
                "cpu_batched_s": cpu,
                "cpu_alone_s": cpu_alone,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--case", action="append", help="only these cases (repeatable)")
    ap.add_argument("--quick", action="store_true", help="two 48-hour slices, base cases only")
    ap.add_argument("--no-variants", action="store_true", help="base cases only")
    ap.add_argument("--only-variants", action="store_true", help="the perturbed variants only")
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    args = ap.parse_args(argv)
    slices = QUICK_SLICES if args.quick else SLICES
    variant_slices = QUICK_SLICES if args.quick else VARIANT_SLICES
    bad = 0
    for name in args.case or ANNUAL_CASES:
        variants = [] if args.only_variants else [("base", {})]
        if not (args.quick or args.no_variants):
            variants += VARIANTS.get(name, [])
        for label, overrides in variants:
            net, updates, probe, case_batch = captured(name, overrides)
            batches = sorted({case_batch, 56}, reverse=True)
            for slice_name, start, length in slices if label == "base" else variant_slices:
                for row in compare_slice(net, updates, probe, start, length, batches):
                    row = {"case": name, "variant": label, "slice": slice_name, **row}
                    bad += row["max_rel"] > LIMIT or bool(row["flag_hours"])
                    if args.json:
                        print(json.dumps(row), flush=True)
                    else:
                        print(
                            f"{name:22s} {label:28s} {slice_name:14s} batch {row['batch']:3d}: "
                            f"max rel {row['max_rel']:.1e} ({row['column']}, hour {row['hour']}), "
                            f"flags differ in {len(row['flag_hours'])} h {row['flag_hours'][:3]}, "
                            f"re-solved {row['re_solved']}, closure {row['closure']:.0e}, "
                            f"CPU {row['cpu_batched_s']:.1f} s / {row['cpu_alone_s']:.1f} s alone",
                            flush=True,
                        )
    print(f"{bad} slice(s) above {LIMIT:g}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
