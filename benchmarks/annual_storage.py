"""Benchmark: the flagship year with a buffer tank (issue 15 item 4), ``canaan_bitforest_storage``.

    python benchmarks/annual_storage.py --json [--case canaan_bitforest_storage] [--hours 8760]

Times :func:`thermo.case.run_case` and, inside it, the storage stage
(:func:`thermo.case.storage_spec.run_storage`: the tank's sequential hours with the cyclic
pre-pass, the no-tank comparison and the volume sweep, each with its annual balance) and one tank
pass alone (:func:`thermo.facility.annual_storage.run_tank` over the run's hours). Prints one JSON
object: ``hours``, ``wall_s`` and ``cpu_s`` of the run, ``storage_wall_s`` and
``storage_cpu_s`` of the storage stage, ``stateless_wall_s`` (the rest: the batched network year,
unchanged by the tank), ``tank_pass_cpu_s``, ``sweep_volumes`` and the headline (boiler fuel
avoided by the tank, the tank's first-law closure). Target of issue 15: the year with a tank
<= 10 s; the storage stage adds well under a second, the rest is the stateless year
(benchmarks/annual.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--case", default="canaan_bitforest_storage", help="shipped case or file")
    ap.add_argument("--hours", type=int, default=None, help="first N hours (default: the year)")
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args(argv)

    import thermo.case.storage_spec as storage_spec
    from thermo.case import load_case, run_case
    from thermo.facility.annual_storage import run_tank

    stage = {"wall": 0.0, "cpu": 0.0}
    original = storage_spec.run_storage
    captured = {}

    def timed(case, table, fraction):
        captured["table"] = table.copy()
        w, c = time.perf_counter(), time.process_time()
        try:
            return original(case, table, fraction)
        finally:
            stage["wall"] += time.perf_counter() - w
            stage["cpu"] += time.process_time() - c

    storage_spec.run_storage = timed
    try:
        case = load_case(args.case)
        w, c = time.perf_counter(), time.process_time()
        run = run_case(case, hours=args.hours)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
    finally:
        storage_spec.run_storage = original
    t = captured["table"]
    k = 273.15
    c = time.process_time()
    run_tank(
        case.storage.tank,
        surplus=t["heat_rejected_W"],
        need=t["boiler_heat_W"],
        T_source=t["storage_source_C"] + k,
        T_feed=t["storage_feed_C"] + k,
        feed_flow=t["storage_feed_flow_kg_s"],
    )
    tank_cpu = time.process_time() - c
    s = run.annual["storage"]
    out = {
        "case": args.case,
        "hours": int(run.annual["hours"]),
        "wall_s": wall,
        "cpu_s": cpu,
        "storage_wall_s": stage["wall"],
        "storage_cpu_s": stage["cpu"],
        "stateless_wall_s": wall - stage["wall"],
        "tank_pass_cpu_s": tank_cpu,
        "sweep_volumes": len(case.storage.volumes),
        "volume_m3": s["volume_m3"],
        "boiler_fuel_avoided_MWh": s["boiler_fuel_avoided_MWh"],
        "tank_closure_rel": s["closure_rel"],
    }
    if args.json:
        print(json.dumps(out))
    else:
        for key, v in out.items():
            print(f"{key:26s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
