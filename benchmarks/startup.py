"""End-to-end time of small cases: process start, imports, solve and outputs (no plots).

Usage::

    python benchmarks/startup.py                 # table
    python benchmarks/startup.py --json          # one JSON object
    python benchmarks/startup.py --cases cold_plate --repeats 3
    python benchmarks/startup.py --baseline ../old-checkout   # the same runs of another checkout

Each case is run ``--repeats`` times (default 5) as ``python -m thermo run CASE --no-plots`` in a
fresh process; ``wall_s`` is the median wall time and ``cpu_s`` the median user + system CPU time
of the child process (``resource.getrusage(RUSAGE_CHILDREN)``), which moves less than wall time on
a loaded machine. ``import_s`` is the time spent importing modules in one more run under
``python -X importtime`` (sum of the top-level cumulative import times), and ``import_share`` that
time over the wall time of the same run.

The children compile their modules once into a private bytecode cache (``PYTHONPYCACHEPREFIX`` in
a temporary folder, one untimed warm-up run per case) and then reuse it, as an installed package
does; ``--cold-bytecode`` keeps the caller's environment instead (with ``PYTHONDONTWRITEBYTECODE``
set, every run compiles every module of the package from source, ~0.2 s more).

``--baseline ROOT`` runs the same cases from another checkout of the project (e.g. ``git worktree
add ../before <commit>``), each repeat of the baseline right before the same repeat of this
checkout, so that both see the same load; the table gains the baseline columns and the ratio.
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


def _env(root: Path, pycache: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    env.setdefault("MPLBACKEND", "Agg")
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def _run(args: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, str]:
    """Wall time, CPU time (user + sys) and stderr of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # the child runs in the (empty) home folder of the benchmark: `python -m` puts its working
    # directory first on sys.path, which would shadow PYTHONPATH with the caller's checkout
    out = subprocess.run(
        args,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
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


def bench_case(
    case: str, repeats: int, roots: list[Path], cold_bytecode: bool = False
) -> list[dict]:
    """One result row per checkout in ``roots``; the repeats of the checkouts are interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        home = os.path.join(tmp, "cwd")
        os.mkdir(home)
        envs = [
            _env(root, None if cold_bytecode else os.path.join(tmp, f"pycache{k}"))
            for k, root in enumerate(roots)
        ]
        arg = str(Path(case).resolve()) if case.endswith(".toml") else case
        base = [sys.executable, "-m", "thermo", "run", arg, "--no-plots", "--out", tmp]
        if not cold_bytecode:
            for env in envs:  # warm-up: fill the bytecode cache
                _run(base, env, home)
        walls: list[list[float]] = [[] for _ in roots]
        cpus: list[list[float]] = [[] for _ in roots]
        for _ in range(repeats):
            for k, env in enumerate(envs):
                wall, cpu, _ = _run(base, env, home)
                walls[k].append(wall)
                cpus[k].append(cpu)
        rows = []
        for k, env in enumerate(envs):
            wall_imp, _, log = _run([sys.executable, "-X", "importtime", *base[1:]], env, home)
            imp = import_seconds(log)
            rows.append(
                {
                    "case": case,
                    "repeats": repeats,
                    "wall_s": statistics.median(walls[k]),
                    "cpu_s": statistics.median(cpus[k]),
                    "import_s": imp,
                    "import_share": imp / wall_imp if wall_imp > 0 else float("nan"),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="+", default=list(CASES), help="shipped case names or files")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument(
        "--baseline", metavar="ROOT", type=Path, help="another checkout to run side by side"
    )
    ap.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="no private bytecode cache: the children inherit the environment as it is",
    )
    args = ap.parse_args(argv)
    roots = [ROOT] if args.baseline is None else [args.baseline.resolve(), ROOT]
    rows, base_rows = [], []
    for c in args.cases:
        got = bench_case(c, args.repeats, roots, args.cold_bytecode)
        rows.append(got[-1])
        if args.baseline is not None:
            base_rows.append(got[0])
    if args.json:
        doc: dict = {"python": sys.version.split()[0], "cold_bytecode": args.cold_bytecode}
        doc["cases"] = rows
        if base_rows:
            doc["baseline"] = {"root": str(args.baseline), "cases": base_rows}
        print(json.dumps(doc, indent=2))
        return 0
    head = f"{'case':<16} {'wall_s':>8} {'cpu_s':>8} {'import_s':>9} {'import share':>13}"
    if base_rows:
        head += f" {'base wall':>10} {'base cpu':>9} {'cpu ratio':>10}"
    print(head)
    for k, r in enumerate(rows):
        line = (
            f"{r['case']:<16} {r['wall_s']:8.3f} {r['cpu_s']:8.3f} {r['import_s']:9.3f} "
            f"{r['import_share']:13.0%}"
        )
        if base_rows:
            b = base_rows[k]
            line += f" {b['wall_s']:10.3f} {b['cpu_s']:9.3f} {r['cpu_s'] / b['cpu_s']:10.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
