"""Benchmark of the power chain: one day at 1 s and a year hourly of the shipped case's chain.

    python benchmarks/power.py --json      # one JSON object per line: case, simulated_s, steps, wall_s

Times the IT-power generation, the power chain and both storage dispatches (the thermal network
of the case is solved once beforehand and not timed). Median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time


def _setup():
    from thermo.case import load_case
    from thermo.power.case import _build

    case = load_case("grid_interactive_aidc")
    return case.power, _build


def bench(repeat: int) -> list[dict[str, object]]:
    from dataclasses import replace

    from thermo.power import hall_it_power, simulate

    spec, build = _setup()
    out = []
    for label, hours, step in (("day_1s", 24.0, 1.0), ("year_hourly", 8760.0, 3600.0)):
        it_kw, chain = build(spec, cooling_per_it=0.05, hours=hours, step_s=step)
        if hours > 24:
            it_kw["jobs"] = [
                replace(j, start_h=0.0, stop_h=None, ramp_s=0.0) for j in it_kw["jobs"]
            ]
            chain = replace(chain, psu=None)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run = simulate(chain, hall_it_power(**it_kw))
            times.append(time.perf_counter() - t0)
        out.append(
            {
                "case": f"grid_interactive_aidc:{label}",
                "simulated_s": run.metrics["simulated_s"],
                "steps": int(run.metrics["steps"]),
                "wall_s": statistics.median(times),
            }
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print JSON lines")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    for row in bench(args.repeat):
        if args.json:
            print(json.dumps(row))
        else:
            print(f"{row['case']}: {row['steps']} steps, median {row['wall_s']:.3f} s")


if __name__ == "__main__":
    main()
