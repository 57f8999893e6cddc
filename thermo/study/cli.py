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

        res = optimize_case(args.case, out=args.out, progress=not args.quiet, **settings)
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
