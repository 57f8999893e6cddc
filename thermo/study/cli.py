"""``thermo sweep``: the command-line front of :mod:`thermo.study`."""

from __future__ import annotations

import argparse
import sys

__all__ = ["cmd_sweep"]


def cmd_sweep(args: argparse.Namespace) -> int:
    from thermo.study.spec import parse_set

    params = parse_set(args.set) if args.set else None
    settings = {
        "design": args.design,
        "samples": args.samples,
        "seed": args.seed,
        "hours": args.hours,
        "workers": args.workers,
        "scheduler": args.scheduler,
    }
    if args.optimize:
        from thermo.study.optimize import optimize_case

        res = optimize_case(
            args.case,
            out=args.out,
            progress=not args.quiet,
            allow_paths=args.allow_path,
            **settings,
        )
        print(res.report())
        return 0 if res.success else 1
    from thermo.study.runner import sweep

    res = sweep(
        args.case,
        params,
        out=args.out,
        plots=not args.no_plots,
        progress=not args.quiet,
        cache=not args.no_cache,
        allow_paths=args.allow_path,
        **settings,
    )
    s = res.study
    cached = len(s.variants) - s.executed
    print(
        f"{len(s.variants)} runs ({s.executed} run, {cached} from the cache, {s.failed} failed) "
        f"on {s.workers} worker(s) [{s.scheduler}] in {s.wall_s:.1f} s"
    )
    if res.pareto_runs:
        print(f"Pareto front: runs {', '.join(map(str, res.pareto_runs))}")
    for v, o in zip(s.variants, s.outcomes, strict=True):
        if o.row.get("status") != "ok":
            print(f"run {v.index} {o.row.get('status')}: {o.row.get('error')}", file=sys.stderr)
    print(f"wrote {len(res.written)} files to {res.out}")
    return 0 if s.failed == 0 else 1


def cmd_balance(args: argparse.Namespace) -> int:
    from fnmatch import fnmatchcase

    from thermo.case import build_network, load_case
    from thermo.errors import InputError
    from thermo.network import SolverOptions
    from thermo.study.balance import balance
    from thermo.units import to_si

    case = load_case(args.case, allow_paths=args.allow_path)
    net = build_network(case)
    names = [n for n in case.model.branch_class if fnmatchcase(n, args.valves)]
    if not names:
        raise InputError(f"no component matches {args.valves!r}", key="--valves", value=args.valves)
    options = SolverOptions(**case.solver)
    if args.flow:
        flow = to_si(args.flow, "volume_flow", key="--flow", allow_bare=False)
        res = balance(
            net,
            targets={n: flow for n in names},
            insert_kv=args.insert_kv,
            min_opening=args.min_opening,
            options=options,
        )
    else:
        res = balance(
            net, names, insert_kv=args.insert_kv, min_opening=args.min_opening, options=options
        )
    print(res.table().to_string(float_format=lambda x: f"{x:.4g}"))
    print(
        f"largest deviation {res.deviation:.2e} ({res.solves} balancing solve(s), "
        f"{res.analysis_solves} analysis solve(s)); index circuit: {res.index or 'none'}"
    )
    for name, p in res.pumps.items():
        print(
            f"pump {name}: head {p['head_m']:.3g} m ({p['dp_Pa'] / 1e5:.4g} bar), speed "
            f"{p['speed']:.3g}, {p['P_el_W']:.4g} W electric"
        )
    for u in res.unmet:
        print(f"UNMET {u}", file=sys.stderr)
    return 0 if not res.unmet else 1
