"""Benchmark: dynamic simulation (issue 15).

    python benchmarks/transient.py --json [--repeats 1] [--swing-duration 3600] [--baseline DIR]

Two runs, one JSON line each with ``case``, ``simulated_s``, ``steps``, ``wall_s`` (median of
the repeats), ``newton_per_step``, ``rejected`` and ``imbalance_relative``:

- ``nvl72_pump_trip``: the shipped ``pump_trip`` case (NVL72-class rack, 184 branches; duty pump
  trips at 10 s, standby starts 4 s later), 120 s simulated. Target of issue 15: <= 1 s.
- ``row_training_swings``: a four-rack data-hall row (4 NVL72-class racks on 20 m hall headers,
  one CDU heat exchanger against facility water; 750 branches), GPUs swinging 30-100 % every
  3 s at 1-s resolution for ``--swing-duration`` seconds (default 1 h). Target: <= 10 s.

Times :func:`thermo.transient.simulate` only (not the case loading or output writing):
``wall_s`` and ``cpu_s`` (processor time; on a shared machine the wall time also counts
waiting), medians of the repeats. ``--baseline DIR`` runs the same cases, interleaved, with the
``thermo`` package found in ``DIR`` (e.g. an exported older commit, ``git archive <commit> |
tar -x -C DIR``) in a subprocess and prints its rows first, tagged ``"version": "baseline"``, so
that before and after are measured in the same machine state.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def pump_trip(duration: float) -> dict:
    from thermo.case import load_case
    from thermo.case.builder import build_network
    from thermo.transient.case import _drives

    try:
        from thermo.transient.case import build_events
    except ImportError:  # an older thermo (--baseline)
        build_events = None
    from thermo.transient.drives import Drive, Event, PiecewiseLinear, SwingDrive
    from thermo.transient.integrator import TransientOptions, simulate
    from thermo.transient.model import TransientModel

    case = load_case("pump_trip")
    spec = case.transient
    net = build_network(case)
    model = TransientModel(
        net, cell_length=spec.cell_length, plate_capacity=spec.plate_heat_capacity, pumps=spec.pumps
    )
    events = build_events(spec) if build_events else _events_v1(spec, Event)
    opts = dict(spec.options, duration=duration, output_interval=1.0)
    cpu = time.process_time()
    res = simulate(
        model,
        TransientOptions(**opts),
        events=events,
        drives=_drives(spec, Drive, PiecewiseLinear, SwingDrive),
        check_valves=spec.check_valves,
    )
    return _row("nvl72_pump_trip", duration, res, cpu_s=time.process_time() - cpu)


def _events_v1(spec, Event) -> list:
    return [
        Event(
            e["time"],
            e["kind"],
            e["targets"],
            e.get("parameter"),
            e.get("value"),
            e.get("duration", 0.0),
        )
        for e in spec.events
    ]


def row_network():
    """Four NVL72-class racks on hall headers, a counterflow CDU exchanger, facility water."""
    from thermo import Coolant
    from thermo.components.rack import PlateSpec, Rack
    from thermo.network import (
        ExpansionTank,
        FlowSource,
        HeatExchanger,
        Network,
        Pipe,
        PressureBoundary,
        Pump,
    )

    net = Network(coolant=Coolant("PG25"), name="row")
    gpu = PlateSpec("gpu", heat=1000.0, case_limit=358.15)
    cpu = PlateSpec("cpu", heat=700.0, case_limit=358.15)
    loops = [[gpu], [gpu], [gpu], [gpu], [cpu], [cpu]]
    for k in range(4):
        net.add(
            Pipe(f"feed{k}", f"hs{k}", f"in{k}", length=10.0, diameter=0.05, k_minor=2.0),
            Rack(
                f"rack{k}",
                f"in{k}",
                f"out{k}",
                trays=18,
                loops=loops,
                header_diameter=0.05,
                quick_disconnect_kv=2.0,
                routing="Z",
            ),
            Pipe(f"back{k}", f"out{k}", f"hr{k}", length=10.0, diameter=0.05, k_minor=2.0),
        )
        if k:
            net.add(
                Pipe(f"sup_hdr{k}", f"hs{k - 1}", f"hs{k}", length=3.0, diameter=0.1),
                Pipe(f"ret_hdr{k}", f"hr{k}", f"hr{k - 1}", length=3.0, diameter=0.1),
            )
    net.add(
        Pipe("main_return", "hr0", "hx_in", length=20.0, diameter=0.1, k_minor=3.0),
        HeatExchanger(
            "cdu",
            hot_inlet="hx_in",
            hot_outlet="pump_in",
            cold_inlet="fac_in",
            cold_outlet="fac_out",
            ua=40e3,
            arrangement="counterflow",
            hot_pressure_drop=(30e3, 16.0),
            cold_pressure_drop=(30e3, 20.0),
        ),
        Pump(
            "pump",
            "pump_in",
            "pump_out",
            pressure_curve=[(0.0, 3.2e5), (600 / 6e4, 2.6e5), (1000 / 6e4, 1.4e5)],
            efficiency=0.6,
        ),
        Pipe("main_supply", "pump_out", "hs0", length=20.0, diameter=0.1, k_minor=3.0),
        ExpansionTank("et", "pump_in", pressure=2.5e5),
        FlowSource(
            "fac_feed", "fac_in", mass_flow=20.0, temperature=305.15, coolant=Coolant("water")
        ),
        PressureBoundary(
            "fac_out_bc", "fac_out", pressure=2e5, temperature=305.15, coolant=Coolant("water")
        ),
    )
    return net


def row_swings(duration: float) -> dict:
    from thermo.facility.it_load import TrainingSwing
    from thermo.transient import Drive, SwingDrive, TransientModel, TransientOptions, simulate

    net = row_network()
    model = TransientModel(net, cell_length=2.0, plate_capacity=400.0)
    gpus = [b.name for b in net.branches if ".gpu" in b.name]
    swing = TrainingSwing(high=1.0, low=0.3, duty=0.5, period_s=6.0)
    cpu = time.process_time()
    res = simulate(
        model,
        TransientOptions(duration=duration, output_interval=10.0, max_step=1.0),
        drives=[Drive(gpus, SwingDrive(swing, resolution=1.0))],
    )
    cpu = time.process_time() - cpu
    return _row(
        "row_training_swings", duration, res, cpu_s=cpu, branches=len(model.network.branches)
    )


def _row(case: str, duration: float, res, **extra) -> dict:
    return {
        "case": case,
        "simulated_s": duration,
        "steps": res.steps,
        "wall_s": res.wall_s,
        "cpu_s": None,
        "newton_per_step": round(res.newton_per_step, 3),
        "rejected": res.rejected,
        "rejected_newton": res.rejected_newton,
        "imbalance_relative": res.ledger["imbalance_relative"],
        **getattr(res, "solver_stats", {}),
        **extra,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true", help="print JSON lines (default: the same)")
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--trip-duration", type=float, default=120.0)
    p.add_argument("--swing-duration", type=float, default=3600.0)
    p.add_argument("--baseline", metavar="DIR", help="also run with the thermo package in DIR")
    p.add_argument("--only", choices=("trip", "swings"), help="run one of the two cases")
    args = p.parse_args(argv)
    cases = [(pump_trip, args.trip_duration, "trip"), (row_swings, args.swing_duration, "swings")]
    cases = [c for c in cases if args.only in (None, c[2])]
    for fn, dur, key in cases:
        rows: dict[str, list[dict]] = {"baseline": [], "current": []}
        for _ in range(max(args.repeats, 1)):
            if args.baseline:
                rows["baseline"].append(_in_subprocess(args.baseline, key, dur))
            rows["current"].append(fn(dur))
        for version, rs in rows.items():
            if not rs:
                continue
            row = dict(rs[-1])
            for k in ("wall_s", "cpu_s"):
                vals = [r[k] for r in rs if r.get(k) is not None]
                row[k] = statistics.median(vals) if vals else None
                row[f"{k}_all"] = vals
            if args.baseline:
                row["version"] = version
            print(json.dumps(row), flush=True)
    return 0


def _in_subprocess(package_dir: str, key: str, duration: float) -> dict:
    """One run of case ``key`` with the ``thermo`` package of ``package_dir``."""
    env = dict(os.environ, PYTHONPATH=os.path.abspath(package_dir))
    flag = "--trip-duration" if key == "trip" else "--swing-duration"
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--only", key, flag, str(duration)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
