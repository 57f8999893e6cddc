"""Time of ``thermo verify`` end to end (process start, imports, every case), serial and parallel.

Usage::

    python benchmarks/verify.py                         # table
    python benchmarks/verify.py --json                  # one JSON object
    python benchmarks/verify.py --jobs 1 2 --repeats 3
    python benchmarks/verify.py --baseline ../before    # the same runs of another checkout

Each configuration runs ``--repeats`` times (default 3) as ``python -m thermo verify --json -q
[-j N]`` in a fresh process; ``wall_s`` is the median wall time and ``cpu_s`` the median user +
system CPU time of the child and its workers (``resource.getrusage(RUSAGE_CHILDREN)``), which
moves less than wall time on a loaded machine. Every run must pass all cases (the benchmark stops
otherwise). ``--baseline ROOT`` runs the same command from another checkout (e.g. ``git worktree
add ../before main``) right before each repeat of this checkout, so both see the same load; a
checkout without ``-j`` is run without it, and the rows gain the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _supports_jobs(root: Path) -> bool:
    return (root / "thermo" / "verification" / "parallel.py").is_file()


def _run(root: Path, jobs: int | None, cwd: str) -> tuple[float, float, int]:
    """Wall time, CPU time (user + sys, workers included) and number of cases of one run."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env.setdefault("MPLBACKEND", "Agg")
    cmd = [sys.executable, "-m", "thermo", "verify", "--json", "-q"]
    if jobs is not None and _supports_jobs(root):
        cmd += ["-j", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    records = json.loads(out.stdout)
    if out.returncode != 0 or not all(r["passed"] for r in records):
        raise SystemExit(f"verify failed in {root} (jobs {jobs}): {out.stderr[-2000:]}")
    return wall, cpu, len(records)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to time")
    ap.add_argument(
        "--baseline", metavar="ROOT", type=Path, help="another checkout to run side by side"
    )
    args = ap.parse_args(argv)
    roots = [ROOT] if args.baseline is None else [args.baseline.resolve(), ROOT]
    configs = []  # (label, root, jobs): a checkout without -j is run once, serially
    for jobs in args.jobs:
        for root in roots:
            label = "this" if root == ROOT else "baseline"
            n = jobs if _supports_jobs(root) else 1
            if (label, root, n) not in configs:
                configs.append((label, root, n))
    samples: dict[tuple[str, int], list[tuple[float, float, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="thermo_verify_bench_") as cwd:
        for _ in range(args.repeats):  # interleaved: every configuration sees the same load
            for label, root, jobs in configs:
                samples.setdefault((label, jobs), []).append(_run(root, jobs, cwd))
    rows = []
    for (which, jobs), runs in samples.items():
        rows.append(
            {
                "checkout": which,
                "jobs": jobs,
                "cases": runs[0][2],
                "wall_s": round(statistics.median(r[0] for r in runs), 2),
                "cpu_s": round(statistics.median(r[1] for r in runs), 2),
                "wall_runs": [round(r[0], 2) for r in runs],
                "cpu_runs": [round(r[1], 2) for r in runs],
            }
        )
    if args.baseline is not None:
        base = {r["jobs"]: r for r in rows if r["checkout"] == "baseline"}
        serial = next(r for r in rows if r["checkout"] == "baseline")
        for r in rows:
            if r["checkout"] == "this":
                b = base.get(r["jobs"], serial)
                r["wall_ratio"] = round(r["wall_s"] / b["wall_s"], 3)
                r["cpu_ratio"] = round(r["cpu_s"] / b["cpu_s"], 3)
    doc = {
        "benchmark": "verify",
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "rows": rows,
    }
    if args.json:
        print(json.dumps(doc, indent=2))
        return 0
    print(f"thermo verify, medians of {args.repeats}, load {doc['load_avg']}")
    for r in rows:
        ratio = f"  wall x{r['wall_ratio']}  cpu x{r['cpu_ratio']}" if "wall_ratio" in r else ""
        print(
            f"{r['checkout']:8s} -j {r['jobs']}: {r['cases']} cases  wall {r['wall_s']:6.2f} s  "
            f"cpu {r['cpu_s']:6.2f} s{ratio}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
