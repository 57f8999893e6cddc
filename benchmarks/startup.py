"""End-to-end time of small cases: process start, imports, solve and outputs (no plots).

Usage::

    python benchmarks/startup.py                 # table
    python benchmarks/startup.py --json          # one JSON object
    python benchmarks/startup.py --cases cold_plate --repeats 3

Each case is run ``--repeats`` times (default 5) as ``python -m thermo run CASE --no-plots`` in a
fresh process; ``wall_s`` is the median wall time and ``cpu_s`` the median user + system CPU time
of the child process (``resource.getrusage(RUSAGE_CHILDREN)``), which moves less than wall time on
a loaded machine. ``import_s`` is the time spent importing modules in one more run under
``python -X importtime`` (sum of the top-level cumulative import times), and ``import_share`` that
time over the wall time of the same run.
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
CASES = ("cold_plate", "secondary_loop", "nvl72_rack")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time, CPU time (user + sys) and stderr of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):  # 1: a design check failed, still a complete run
        raise RuntimeError(f"{' '.join(args)} exited {out.returncode}: {out.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stderr


def import_seconds(importtime_log: str) -> float:
    """Sum of the top-level cumulative times of a ``-X importtime`` log, in seconds."""
    total_us = 0
    for line in importtime_log.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue  # the header line
        name = parts[2]
        if len(name) - len(name.lstrip()) == 1:  # depth 0: one space after the bar
            total_us += int(parts[1])
    return total_us / 1e6


def bench_case(case: str, repeats: int) -> dict:
    env = _env()
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "thermo", "run", case, "--no-plots", "--out", tmp]
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu, _ = _run(base, env)
            walls.append(wall)
            cpus.append(cpu)
        wall_imp, _, log = _run([sys.executable, "-X", "importtime", *base[1:]], env)
    imp = import_seconds(log)
    return {
        "case": case,
        "repeats": repeats,
        "wall_s": statistics.median(walls),
        "cpu_s": statistics.median(cpus),
        "import_s": imp,
        "import_share": imp / wall_imp if wall_imp > 0 else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", default=list(CASES), help="shipped case names or files")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    rows = [bench_case(c, args.repeats) for c in args.cases]
    if args.json:
        print(json.dumps({"python": sys.version.split()[0], "cases": rows}, indent=2))
        return 0
    print(f"{'case':<16} {'wall_s':>8} {'cpu_s':>8} {'import_s':>9} {'import share':>13}")
    for r in rows:
        print(
            f"{r['case']:<16} {r['wall_s']:8.3f} {r['cpu_s']:8.3f} {r['import_s']:9.3f} "
            f"{r['import_share']:13.0%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
