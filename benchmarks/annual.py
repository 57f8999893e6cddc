"""Benchmark: the flagship annual heat-reuse run (issue 7), 8760 hours of the Winnipeg year.

    python benchmarks/annual.py --json [--case canaan_bitforest] [--hours 8760] [--repeats 3]
    python benchmarks/annual.py --json --baseline ../base      # a checkout of the earlier commit

Times :func:`thermo.case.run_case` (weather, hourly drives, the batched network solves, the per-hour
probes and the facility balance; not the case loading, not the CSV/PNG/report writing, which
``thermo run`` adds). Prints one JSON object: ``hours``, ``wall_s`` (median of the repeats),
``wall_s_all``, ``solves`` (network solves: batches, the deferred batch and single-hour
fallbacks), ``batches``, ``mean_iterations`` (Newton iterations per batch solve, averaged over the
hours), ``fallback_hours``, ``closure_rel`` and the headline results (to see that a faster run
still gives the same answer). Target of issue 7: ``wall_s`` <= 10 s for the 8760-hour flagship.

``cpu_s`` is the process's CPU time of the same span (on a machine shared with other jobs the
wall time moves with their load; CPU time much less). With ``--baseline DIR`` (a checkout of
another commit, e.g. ``git worktree add ../base <commit>``) every repeat runs this script once
with that checkout's package and once with this one, alternately, each in a fresh process; the
JSON then holds both (``baseline``) and ``ratio_wall`` / ``ratio_cpu`` (this / baseline, of the
medians) and the largest relative difference of the headline results.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


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
        t0, c0 = time.perf_counter(), time.process_time()
        run = run_case(case, hours=hours)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        model.Network.solve = original
    return wall, cpu, run, solves


HEADLINE = (
    "heat_reused_MWh",
    "greenhouse_coverage",
    "boiler_heat_MWh",
    "pue",
    "erf",
    "closure_rel",
)


def _child(package: Path, args: argparse.Namespace) -> dict:
    """One repeat of this script in a fresh process importing ``package``'s ``thermo``."""
    env = dict(os.environ, PYTHONPATH=str(package), MPLBACKEND="Agg")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--repeats", "1"]
    cmd += ["--case", args.case] + (["--hours", str(args.hours)] if args.hours else [])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=package)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median_of(runs: list[dict]) -> dict:
    out = dict(runs[-1])
    out["wall_s_all"] = [r["wall_s"] for r in runs]
    out["cpu_s_all"] = [r["cpu_s"] for r in runs]
    out["wall_s"] = statistics.median(out["wall_s_all"])
    out["cpu_s"] = statistics.median(out["cpu_s_all"])
    return out


def compare(args: argparse.Namespace) -> dict:
    """This checkout against ``args.baseline``, alternately, each repeat in a fresh process."""
    here = Path(__file__).resolve().parents[1]
    base_dir = Path(args.baseline).resolve()
    ours, theirs = [], []
    for _ in range(max(1, args.repeats)):
        theirs.append(_child(base_dir, args))
        ours.append(_child(here, args))
    out, base = _median_of(ours), _median_of(theirs)
    out["baseline"] = base
    out["ratio_wall"] = out["wall_s"] / base["wall_s"]
    out["ratio_cpu"] = out["cpu_s"] / base["cpu_s"]
    diffs = {}
    for k in HEADLINE[:-1]:
        a, b = out.get(k), base.get(k)
        if a is not None and b is not None:
            diffs[k] = abs(a - b) / max(abs(b), 1e-300)
    out["headline_rel_diff"] = diffs
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--case", default="canaan_bitforest", help="shipped case name or file")
    ap.add_argument("--hours", type=int, default=None, help="first N hours (default: the year)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs (median reported)")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    ap.add_argument(
        "--baseline",
        metavar="DIR",
        help="checkout of another commit to run alternately with this one (see above)",
    )
    args = ap.parse_args(argv)
    if args.baseline:
        out = compare(args)
        print(json.dumps(out) if args.json else json.dumps(out, indent=2))
        return 0

    walls, cpus = [], []
    for _ in range(max(1, args.repeats)):
        wall, cpu, run, solves = run_once(args.case, args.hours)
        walls.append(wall)
        cpus.append(cpu)
    a = run.annual
    hours = int(a["hours"])
    iterations = run.solver["iterations"]
    out = {
        "benchmark": "annual",
        "case": args.case,
        "hours": hours,
        "wall_s": statistics.median(walls),
        "wall_s_all": walls,
        "cpu_s": statistics.median(cpus),
        "cpu_s_all": cpus,
        "solves": solves,
        "batches": int(a["batches"]),
        "mean_iterations": iterations / hours,
        "fallback_hours": int(a["fallback_hours"]),
        "closure_rel": a.get("closure_rel"),
        **{k: a.get(k) for k in HEADLINE if k != "closure_rel"},
        "target_wall_s": 10.0 if hours == 8760 else None,
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
