"""Benchmark: the flagship annual heat-reuse run (issue 7), 8760 hours of the Winnipeg year.

    python benchmarks/annual.py --json [--case canaan_bitforest] [--hours 8760] [--repeats 3]

Times :func:`thermo.case.run_case` (weather, hourly drives, the batched network solves, the per-hour
probes and the facility balance; not the case loading, not the CSV/PNG/report writing, which
``thermo run`` adds). Prints one JSON object: ``hours``, ``wall_s`` (median of the repeats),
``wall_s_all``, ``solves`` (network solves: batches, the deferred batch and single-hour
fallbacks), ``batches``, ``mean_iterations`` (Newton iterations per batch solve, averaged over the
hours), ``fallback_hours``, ``closure_rel`` and the headline results (to see that a faster run
still gives the same answer). Target of issue 7: ``wall_s`` <= 10 s for the 8760-hour flagship.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time


def run_once(case_name: str, hours: int | None) -> tuple[float, dict, int]:
    import thermo.network.model as model
    from thermo.case import load_case, run_case

    case = load_case(case_name)
    solves = 0
    original = model.Network.solve

    def counted(self, *args, **kwargs):
        nonlocal solves
        solves += 1
        return original(self, *args, **kwargs)

    model.Network.solve = counted
    try:
        t0 = time.perf_counter()
        run = run_case(case, hours=hours)
        wall = time.perf_counter() - t0
    finally:
        model.Network.solve = original
    return wall, run, solves


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--case", default="canaan_bitforest", help="shipped case name or file")
    ap.add_argument("--hours", type=int, default=None, help="first N hours (default: the year)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args(argv)

    walls = []
    for _ in range(max(1, args.repeats)):
        wall, run, solves = run_once(args.case, args.hours)
        walls.append(wall)
    a = run.annual
    hours = int(a["hours"])
    iterations = run.solver["iterations"]
    out = {
        "benchmark": "annual",
        "case": args.case,
        "hours": hours,
        "wall_s": statistics.median(walls),
        "wall_s_all": walls,
        "solves": solves,
        "batches": int(a["batches"]),
        "mean_iterations": iterations / hours,
        "fallback_hours": int(a["fallback_hours"]),
        "closure_rel": a.get("closure_rel"),
        "heat_reused_MWh": a.get("heat_reused_MWh"),
        "pue": a.get("pue"),
        "erf": a.get("erf"),
        "target_wall_s": 10.0 if hours == 8760 else None,
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
