"""The parallel loop against pandapipes, this checkout and a baseline checkout side by side.

    python benchmarks/peers_side_by_side.py --python PEER_PYTHON --baseline ../base --branches 4096

Runs ``parallel_loop.py --peers --json`` ``--rounds`` times with the interpreter of an
environment that has pandapipes (``--python``; pandapipes 0.16 wants older pandas and scipy than
this project, so it usually lives in a virtual environment of its own), alternately importing the
baseline's package and this one, each in a fresh process. Every run solves pandapipes and thermo
on the same network in the same process, so their ratio is measured under the same load. Prints
one JSON object: per checkout the medians over the rounds of thermo's solve time (wall and CPU),
pandapipes' and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()


def _run(python: str, package: Path, n: int, repeats: int) -> dict:
    env = dict(os.environ, PYTHONPATH=f"{package}{os.pathsep}{HERE.parent}")
    cmd = [python, str(HERE.parent / "parallel_loop.py"), "--branches", str(n), "--peers"]
    cmd += ["--json", "--repeats", str(repeats)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=package)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--python", default=sys.executable, help="interpreter with pandapipes")
    ap.add_argument("--baseline", required=True, metavar="DIR", help="checkout to compare with")
    ap.add_argument("--branches", type=int, default=4096)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    roots = {"baseline": Path(args.baseline).resolve(), "this": HERE.parents[1]}
    runs: dict[str, list[dict]] = {k: [] for k in roots}
    for _ in range(max(1, args.rounds)):
        for name, root in roots.items():
            runs[name].append(_run(args.python, root, args.branches, args.repeats))
    out: dict = {"branches": args.branches, "rounds": args.rounds}
    for name, rs in runs.items():
        pp = [r["peers"]["pandapipes"] for r in rs]
        out[name] = {
            "thermo_solve_s": statistics.median(r["solve_s"] for r in rs),
            "thermo_solve_cpu_s": statistics.median(r["solve_cpu_s"] for r in rs),
            "pandapipes_solve_s": statistics.median(p["solve_s"] for p in pp),
            "pandapipes_solve_cpu_s": statistics.median(p["solve_cpu_s"] for p in pp),
            "ratio_wall": statistics.median(p["speed_ratio"] for p in pp),
            "ratio_cpu": statistics.median(p["speed_ratio_cpu"] for p in pp),
            "m_first_rel_diff": pp[-1]["m_first_rel_diff"],
            "T_return_diff_K": pp[-1]["T_return_diff_K"],
        }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
