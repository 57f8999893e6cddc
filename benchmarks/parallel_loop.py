"""Benchmark: a closed loop with N parallel branches between two headers (issue 3).

Supply at 30 °C; a pressure source lifts 0.3 bar from the cooled return to the supply header;
branch i (i = 0 … N-1) is a pipe of inner diameter 4.0 mm, roughness 0.0015 mm, length
L_i = 1.9194 m × (0.9 + 0.2·i/(N-1)), followed by a 1200 W heat load; a cooler brings the return
back to 30 °C. With ``--headers pipes`` the headers are pipe segments between branch take-offs
(reverse-return is not used: supply enters at branch 0, return leaves after branch N-1), so
branches see different pressure differences.

    python benchmarks/parallel_loop.py --branches 4096 --json [--fluid PG25] [--headers pipes] [--peers]
    python benchmarks/parallel_loop.py --branches 1024 --json --baseline ../base   # another commit

Prints one JSON object (see ``--help``). Timing: median of ``--repeats`` solves after one warm-up
solve; the network build is timed separately. Peers (pandapipes, TESPy) are solved on the identical
network when installed (``pip install '.[bench]'``) and ``--peers`` is given. With ``--baseline
DIR`` (a checkout of another commit, e.g. ``git worktree add ../base <commit>``) the same
benchmark runs ``--rounds`` times alternately with that checkout's package and with this one, each
in a fresh process; the JSON then holds ``baseline`` (its figures, medians over the rounds) and
``ratio`` (this solve time / the baseline's).
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

import numpy as np

SUPPLY_T = 303.15
DP = 0.3e5
D = 4.0e-3
ROUGH = 1.5e-6
L0 = 1.9194
Q_BRANCH = 1200.0
HEADER_SEGMENT = 0.05
DESIGN_FLOW_PER_KW = 1.5 / 60000.0
"""Design flow per kW of heat [m³/s per kW]: 1.5 L/min per kW, OCP OAI liquid-cooling guideline
(docs/references.md §2)."""
HEADER_VELOCITY = 1.5
"""Largest mean velocity in a header at the design flow [m/s] (the OCP cold-plate limit,
docs/references.md §2, used here as the sizing velocity of the headers)."""


def header_diameter(n: int) -> float:
    """Inner diameter of the headers of ``n`` branches [m]: the design flow of all branches
    (:data:`DESIGN_FLOW_PER_KW` × 1.2 kW each) at :data:`HEADER_VELOCITY` where it is largest."""
    flow = n * DESIGN_FLOW_PER_KW * Q_BRANCH / 1000.0
    return float(np.sqrt(4.0 * flow / (np.pi * HEADER_VELOCITY)))


def lengths(n: int) -> np.ndarray:
    i = np.arange(n)
    return L0 * (0.9 + 0.2 * i / max(n - 1, 1))


def build(n: int, fluid: str, headers: str, header_d: float | None = None):
    from thermo import Coolant
    from thermo.network import Cooler, ExpansionTank, HeatLoad, Network, Pipe, Pump

    net = Network(coolant=Coolant(fluid), name=f"parallel loop N={n}")
    L = lengths(n)
    net.add(Pump("source", "C", "S0" if headers == "pipes" else "S", pressure_rise=DP))
    net.add(Cooler("cooler", "R", "C", outlet_temperature=SUPPLY_T))
    net.add(ExpansionTank("tank", "C", pressure=2e5))
    items = []
    hd = header_diameter(n) if header_d is None else header_d
    for i in range(n):
        s = f"S{i}" if headers == "pipes" else "S"
        r = f"R{i}" if headers == "pipes" else "R"
        items.append(Pipe(f"pipe{i}", s, f"M{i}", length=float(L[i]), diameter=D, roughness=ROUGH))
        items.append(HeatLoad(f"load{i}", f"M{i}", r, heat=Q_BRANCH))
        if headers == "pipes" and i < n - 1:
            kw = dict(length=HEADER_SEGMENT, diameter=hd, roughness=ROUGH)
            items.append(Pipe(f"hs{i}", f"S{i}", f"S{i + 1}", **kw))
            items.append(Pipe(f"hr{i}", f"R{i}", f"R{i + 1}", **kw))
    if headers == "pipes":
        items.append(Pipe("hr_out", f"R{n - 1}", "R", length=HEADER_SEGMENT, diameter=hd))
    net.add(*items)
    return net


def run_thermo(
    n: int, fluid: str, headers: str, repeats: int, header_d: float | None = None
) -> dict:
    t0 = time.perf_counter()
    net = build(n, fluid, headers, header_d)
    net.system()
    build_s = time.perf_counter() - t0
    result = net.solve()  # warm-up (also checks convergence)
    times, cpu = [], []
    for _ in range(repeats):
        # a cold start each time (no warm start); the assembled equations are reused (build_s)
        t, c = time.perf_counter(), time.process_time()
        result = net.solve()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    comp = result.components
    m = comp["m_dot_kg_s"]
    return {
        "branches": n,
        "fluid": fluid,
        "headers": headers,
        "build_s": build_s,
        "header_diameter_m": (header_diameter(n) if header_d is None else header_d)
        if headers == "pipes"
        else None,
        "solve_s": statistics.median(times),
        "solve_cpu_s": statistics.median(cpu),
        "iterations": result.report.iterations,
        "converged": result.converged,
        "T_return_C": float(comp.loc["cooler", "T_in_C"]),
        "m_total_kg_s": float(m["source"]),
        "m_first_kg_s": float(m[f"pipe{0}"]),
        "m_last_kg_s": float(m[f"pipe{n - 1}"]),
        "first_last_ratio": float(m["pipe0"] / m[f"pipe{n - 1}"]),
        "mass_closure_rel": result.closure["mass_rel"],
        "energy_closure_rel": result.closure["energy_rel"],
    }


def _child(package: Path, args: argparse.Namespace) -> dict:
    """This benchmark in a fresh process importing ``package``'s ``thermo``."""
    env = dict(os.environ, PYTHONPATH=str(package))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json"]
    cmd += ["--branches", str(args.branches), "--fluid", args.fluid, "--headers", args.headers]
    cmd += ["--repeats", str(args.repeats)]
    if args.header_diameter is not None:
        cmd += ["--header-diameter", str(args.header_diameter)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True, cwd=package)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(args: argparse.Namespace) -> dict:
    """This checkout against ``args.baseline``, alternately, ``args.rounds`` times."""
    here = Path(__file__).resolve().parents[1]
    base_dir = Path(args.baseline).resolve()
    ours, theirs = [], []
    for _ in range(max(1, args.rounds)):
        theirs.append(_child(base_dir, args))
        ours.append(_child(here, args))
    out, base = dict(ours[-1]), dict(theirs[-1])
    for d, runs in ((out, ours), (base, theirs)):
        d["solve_s_all"] = [r["solve_s"] for r in runs]
        d["solve_s"] = statistics.median(d["solve_s_all"])
        d["solve_cpu_s_all"] = [r["solve_cpu_s"] for r in runs if "solve_cpu_s" in r]
        if d["solve_cpu_s_all"]:
            d["solve_cpu_s"] = statistics.median(d["solve_cpu_s_all"])
    out["baseline"] = base
    out["ratio"] = out["solve_s"] / base["solve_s"]
    if "solve_cpu_s" in base:
        out["ratio_cpu"] = out["solve_cpu_s"] / base["solve_cpu_s"]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--branches", type=int, default=1024)
    ap.add_argument("--fluid", default="water", choices=["water", "PG25"])
    ap.add_argument("--headers", default="ideal", choices=["ideal", "pipes"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument(
        "--header-diameter",
        type=float,
        help="with --headers pipes: header inner diameter [m] (default: sized, header_diameter)",
    )
    ap.add_argument("--peers", action="store_true", help="also solve with pandapipes / TESPy")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    ap.add_argument("--baseline", metavar="DIR", help="checkout of another commit to compare with")
    ap.add_argument("--rounds", type=int, default=5, help="alternate runs with --baseline")
    args = ap.parse_args(argv)
    if args.baseline:
        out = compare(args)
        print(json.dumps(out) if args.json else json.dumps(out, indent=2))
        return 0
    out = run_thermo(args.branches, args.fluid, args.headers, args.repeats, args.header_diameter)
    if args.peers:
        from peers import run_peers  # optional, only with --peers

        out["peers"] = run_peers(args, out)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>20}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
