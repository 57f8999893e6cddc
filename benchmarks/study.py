"""Benchmark: a design study of annual runs, serial against two local Dask workers (issue 17).

    python benchmarks/study.py --json [--runs 16] [--workers 2] [--hours 8760]

The runs are a Latin hypercube (seed 0) over the shipped study ``greenhouse_sizing`` (greenhouse
area, exchanger UA, heat-pump capacity), each an annual run of ``--hours`` hours (the whole year
by default). Prints one JSON object:

- ``serial_s``: the study in this process, one run after the other (no cache);
- ``wall_s``: the same study on a fresh ``LocalCluster`` of ``workers`` processes, including the
  cluster's start and the workers' imports (no cache);
- ``speedup`` = ``serial_s / wall_s`` (target >= 1.8 with two workers on two cores);
- ``overhead_s``: study machinery per run (validation, cache keys, scheduling, collection):
  ``(serial_s - sum of the runs' own times) / runs`` (target <= 0.2 s; thermo's one-time
  imports are done before the clocks start);
- ``rerun_s``: ``thermo sweep`` a second time on the finished study, as a command (a new Python
  process: imports, cache look-ups, table and plots; target <= 2 s);
- ``tables_identical``: the serial and the Dask tables are equal;
- ``dask_run_s_mean`` against ``run_s_mean``: a run's own time inside a worker and in this
  process (a larger figure in the workers means the two runs slow each other: memory bandwidth,
  other load); ``dask_idle_s``: the Dask wall time the workers did not spend running (cluster
  start, imports, scheduling, an uneven last round).

The machine's other load counts: quote medians of quiet runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--case", default="greenhouse_sizing")
    ap.add_argument("--runs", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hours", type=int, default=None, help="first N hours (default: the year)")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args(argv)

    # one-time imports are not per-run overhead: load them before the clocks start
    import thermo.case.runner  # noqa: F401
    import thermo.simulate.hourly  # noqa: F401
    from thermo.case.loader import resolve_case
    from thermo.study import load_study, run_study, variants
    from thermo.study.table import study_table

    path, _, spec = load_study(args.case, design="lhs", samples=args.runs, seed=0)
    spec.hours = args.hours
    runs = variants(spec)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        serial = run_study(path, runs, hours=spec.hours, economics=spec.economics, workers=1)
        serial_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        dask = run_study(
            path,
            runs,
            hours=spec.hours,
            economics=spec.economics,
            workers=args.workers,
            cache_dir=Path(tmp) / "out" / "cache",
        )
        wall_s = time.perf_counter() - t0
        same = study_table(serial).equals(study_table(dask))
        # the finished study again, as a user would: a new process, everything from the cache
        cmd = [
            sys.executable,
            "-m",
            "thermo",
            "sweep",
            str(resolve_case(args.case)[0]),
            "--design",
            "lhs",
            "--samples",
            str(args.runs),
            "--seed",
            "0",
            "--out",
            str(Path(tmp) / "out"),
            "-q",
        ]
        if args.hours:
            cmd += ["--hours", str(args.hours)]
        env = dict(os.environ, MPLBACKEND="Agg")
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, env=env)
        rerun_s = time.perf_counter() - t0
    run_sum = sum(o.wall_s for o in serial.outcomes)
    out = {
        "benchmark": "study",
        "case": args.case,
        "runs": len(runs),
        "hours": args.hours or 8760,
        "workers": dask.workers,
        "wall_s": wall_s,
        "serial_s": serial_s,
        "speedup": serial_s / wall_s,
        "overhead_s": (serial_s - run_sum) / len(runs),
        "run_s_mean": run_sum / len(runs),
        "dask_run_s_mean": sum(o.wall_s for o in dask.outcomes) / len(runs),
        "dask_idle_s": wall_s - sum(o.wall_s for o in dask.outcomes) / max(dask.workers, 1),
        "rerun_s": rerun_s,
        "rerun_output": done.stdout.strip().splitlines()[:1],
        "failed": serial.failed + dask.failed,
        "tables_identical": bool(same),
        "cpu_count": os.cpu_count(),
        "load_avg_1min": os.getloadavg()[0],
        "targets": {"speedup": 1.8, "overhead_s": 0.2, "rerun_s": 2.0},
    }
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
