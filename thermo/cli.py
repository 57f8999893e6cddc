"""The ``thermo`` command line.

Kept import-light: heavy libraries (CoolProp, scipy, matplotlib, pint) load only inside the
sub-command that needs them, so ``thermo --help`` and ``thermo --version`` answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from thermo import __version__

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_NOT_CONVERGED = 3

_EPILOG = """\
exit codes:
  0  success
  1  a check (or a verification case) failed
  2  invalid input (the message names the file, key and value)
  3  the solver did not converge (the message names the worst residuals)
"""


def _add_allow_path(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-path",
        action="append",
        default=[],
        metavar="DIR",
        help="also let the case read includes, weather and IT-load files from DIR (repeatable; "
        "by default only the case file's folder tree)",
    )


def _add_set(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="replace one key of the case file before validation, e.g. "
        "--set 'greenhouse.floor_area=30000 m2' or --set components.pump.speed=0.8 (repeatable; "
        "the changes are printed and recorded in results.json and the reports)",
    )


def _overrides(items: Sequence[str]) -> dict:
    """``--set KEY=VALUE`` items -> ``{key: value}``; raises CaseError for a malformed item."""
    if not items:
        return {}
    from thermo.case.problems import CaseError, Problem, Where
    from thermo.study.keys import parse_value

    out: dict = {}
    problems = []
    for item in items:
        key, eq, text = item.partition("=")
        key = key.strip()
        if not eq or not key or not text.strip():
            problems.append(
                Problem(
                    f"{item!r}: expected KEY=VALUE, e.g. 'greenhouse.floor_area=30000 m2'",
                    Where("--set"),
                )
            )
        elif key in out:
            problems.append(Problem(f"{key!r} is given twice", Where("--set")))
        else:
            out[key] = parse_value(text)
    if problems:
        raise CaseError(problems)
    return out


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thermo",
        description="Thermal engineering of liquid-cooled AI data centres and waste-heat reuse.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"thermo {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "verify",
        help="run the built-in verification suite (published-value checks)",
        description="Compare thermo with published values; exit 1 if any case fails.",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    p.add_argument("-k", "--filter", default="", help="only cases whose id contains this text")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on standard error")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: the number of CPUs; 1 runs in this process); "
        "same results, same order, same exit code",
    )
    p.set_defaults(func=_cmd_verify)

    case_help = "a case file (.toml) or the name of a shipped case (see `thermo cases`)"
    p = sub.add_parser(
        "run",
        help="solve a case file and write results.json, CSV tables, plots and report.md",
        description="Solve CASE, print a summary and write results into DIR. Exit 1 if a check "
        "fails, 2 if the case file is invalid, 3 if the solver does not converge.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default: [outputs] directory, else results/<case file name>)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--hours", type=int, metavar="N", help="annual runs: only the first N hours")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary, no progress line")
    _add_set(p)
    _add_allow_path(p)
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "check",
        help="solve a case file and evaluate its checks (exit 1 if one fails)",
        description="Solve CASE and evaluate its [[checks]]. Exit 0 when all pass, 1 when one "
        "fails, 2 for an invalid case file, 3 when the solver does not converge.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "case",
        metavar="CASE",
        nargs="+",
        help=case_help + "; several files or a folder (its *.toml) are checked in one process, "
        "one line per case; the exit code is then the most serious: 2 invalid input over 3 not "
        "converged over 1 a check failed over 0",
    )
    p.add_argument(
        "--junit", metavar="FILE", help="also write the checks as JUnit XML (one suite per case)"
    )
    p.add_argument(
        "--out", metavar="DIR", help="also write the full results into DIR (DIR/<case> for many)"
    )
    p.add_argument("--hours", type=int, metavar="N", help="annual runs: only the first N hours")
    p.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    _add_set(p)
    _add_allow_path(p)
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser(
        "failures",
        help="single-failure analysis: every pump trip, fan stop, valve fault, fouling, "
        "overload; which checks break",
        description="Solve CASE at its design point and after each single failure (pump trips "
        "with the standby starting, dry-cooler fans off, valves stuck or closed, heat exchangers "
        "fouled, racks at 120 %% power, loss of facility water); print which checks break and by "
        "how much, write a failure x check plot. Exit 1 if any scenario breaks a check or does "
        "not converge.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("--junit", metavar="FILE", help="also write one JUnit test case per failure")
    p.add_argument(
        "--out", metavar="DIR", help="folder for failures.png (default: results/<case file name>)"
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plot")
    p.set_defaults(func=_cmd_failures)

    p = sub.add_parser(
        "validate",
        help="check a case file without solving it",
        description="Read and validate CASE and build its network (no solve). Every problem is "
        "listed with file, line and key; exit 2 if there is one.",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    _add_allow_path(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "sweep",
        help="run a design study: vary case keys (sweep, Latin hypercube, optimisation)",
        description="Run the [study] of CASE, or vary keys given with --set: every run is "
        "validated first, then run locally (all cores) or on a Dask cluster; finished runs are "
        "cached. Writes study.csv, study.parquet, study.json and plots into DIR. Exit 2 for "
        "invalid input, 1 if a run failed.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUES",
        help="vary KEY: V1,V2,... or LOW..HIGH[:STEPS] [UNIT] (repeatable)",
    )
    p.add_argument("--design", choices=("factorial", "lhs", "oat", "zip"), help="design of runs")
    p.add_argument("--samples", type=int, metavar="N", help="Latin hypercube: number of runs")
    p.add_argument("--seed", type=int, metavar="N", help="Latin hypercube: random seed")
    p.add_argument("--hours", type=int, metavar="N", help="annual runs: only the first N hours")
    p.add_argument("--workers", type=int, metavar="N", help="local worker processes (1: serial)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786")
    p.add_argument("--optimize", action="store_true", help="run [study.optimize] instead")
    p.add_argument("--out", metavar="DIR", help="output folder (default results/NAME_study)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--no-cache", action="store_true", help="run everything again")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line")
    _add_allow_path(p)
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser(
        "balance",
        help="set balancing valves for equal (or target) flows in one solve (design mode)",
        description="Solve CASE with the openings of the matched valves as unknowns: equal flows "
        "through the group (the least-favoured valve stays open), or --flow each. Prints each "
        "setting, the flows, the pump head and any target that cannot be met (exit 1).",
    )
    p.add_argument("case", metavar="CASE", help=case_help)
    p.add_argument("--valves", required=True, metavar="PATTERN", help='e.g. "rack.tray*.qd_in"')
    p.add_argument("--flow", metavar="FLOW", help='target flow of each valve, e.g. "8 L/min"')
    p.add_argument(
        "--insert-kv", type=float, metavar="KV", help="insert a balancing valve of this Kv [m3/h]"
    )
    p.add_argument("--min-opening", type=float, default=0.05, metavar="X", help="default 0.05")
    _add_allow_path(p)
    p.set_defaults(func=_cmd_balance)

    p = sub.add_parser(
        "cases",
        help="list the case files shipped with thermo, or copy one",
        description="List the shipped case files; with --copy NAME, copy one (and the files it "
        "includes) into DIR to start your own.",
    )
    p.add_argument("--copy", metavar="NAME", help="copy this shipped case")
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="target folder for --copy")
    p.set_defaults(func=_cmd_cases)
    return parser


def _cmd_verify(args: argparse.Namespace) -> int:
    from thermo.verification import all_cases, run_cases
    from thermo.verification.parallel import default_jobs

    if args.jobs is not None and args.jobs < 1:
        print(f"thermo verify: --jobs must be 1 or more, got {args.jobs}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    cases = [c for c in all_cases() if args.filter in c.id]
    jobs = default_jobs() if args.jobs is None else args.jobs
    results = run_cases(cases, progress=not args.quiet, jobs=jobs)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        _print_verify_table(results)
    return EXIT_OK if all(r.passed for r in results) else EXIT_CHECK_FAILED


def _print_verify_table(results: list) -> None:
    rows = []
    for r in results:
        c = r.case
        value = "error" if r.error else f"{r.value:.6g}"
        rows.append(
            (
                "PASS" if r.passed else "FAIL",
                c.id,
                f"{c.reference:.6g}",
                value,
                f"±{c.tolerance:.3g}",
                c.unit,
                c.kind,
            )
        )
    header = ("", "case", "reference", "thermo", "tolerance", "unit", "kind")
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    failed = [r for r in results if not r.passed]
    for r in failed:
        if r.error:
            print(f"{r.case.id}: {r.error}", file=sys.stderr)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    counts = []
    for kind in ("published", "analytic", "peer", "plausibility"):
        of_kind = [r for r in results if r.case.kind == kind]
        if of_kind:
            ok = sum(r.passed for r in of_kind)
            counts.append(f"{kind} {ok}/{len(of_kind)}")
    plaus = sum(r.case.kind == "plausibility" for r in results)
    print(
        f"by kind (passed/cases): {', '.join(counts)}; verification {len(results) - plaus} "
        f"cases, plausibility {plaus} counted apart"
    )


# ----------------------------------------------------------------------------- case commands
def _solve(case, quiet: bool, out_dir_for_partial: str | None, hours: int | None = None):
    """Run a loaded case, printing each solver warning once; returns the run."""
    import warnings

    from thermo.case import run_case
    from thermo.errors import ConvergenceError

    if hours is not None and case.scenario.kind != "annual":
        print("note: --hours applies to annual cases only; ignored", file=sys.stderr)
        hours = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            run = run_case(case, progress=not quiet, hours=hours)
        except ConvergenceError as exc:
            if out_dir_for_partial is not None:
                from pathlib import Path

                from thermo.case.outdir import prepare_out_dir, write_manifest
                from thermo.case.output import write_partial

                note = prepare_out_dir(Path(out_dir_for_partial))
                if note:
                    print(note, file=sys.stderr)
                path = write_partial(case, exc, Path(out_dir_for_partial))
                from thermo.report.html import write_partial_html

                page = write_partial_html(case, exc, Path(out_dir_for_partial))
                write_manifest(Path(out_dir_for_partial), [path, page])
                print(f"partial results (last iterate): {path}", file=sys.stderr)
            raise
        finally:
            _print_warnings(caught)
    return run


def _print_warnings(caught: list) -> None:
    counts: dict[str, int] = {}
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        counts[text] = counts.get(text, 0) + 1
    for text, n in counts.items():
        print(f"warning: {text}" + (f" ({n} times)" if n > 1 else ""), file=sys.stderr)


def _out_dir(args: argparse.Namespace, case) -> str:
    from thermo.case.outdir import default_out_dir

    if args.out:
        return args.out
    return case.outputs.directory or default_out_dir(case.name, case.file)


def _write_results(run, out: str, plots: bool | None = None) -> list:
    """Replace an earlier run's files in ``out`` (notice on stderr), write, record the files."""
    from pathlib import Path

    from thermo.case.outdir import prepare_out_dir, write_manifest
    from thermo.case.output import write_outputs

    note = prepare_out_dir(Path(out))
    if note:
        print(note, file=sys.stderr)
    written = write_outputs(run, Path(out), plots=plots)
    write_manifest(Path(out), written)
    return written


def _cmd_run(args: argparse.Namespace) -> int:

    from thermo.case import load_case
    from thermo.case.output import print_summary

    case = load_case(args.case, _overrides(args.set), allow_paths=args.allow_path)
    out = _out_dir(args, case)
    run = _solve(case, args.quiet, out, args.hours)
    written = _write_results(run, out, plots=False if args.no_plots else None)
    if not args.quiet:
        print_summary(run, sys.stdout)
        print(f"wrote {len(written)} files to {out}")
    return EXIT_OK if run.passed else EXIT_CHECK_FAILED


def _cmd_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thermo.case import load_case
    from thermo.case.output import junit_xml, print_summary

    if len(args.case) > 1 or Path(args.case[0]).is_dir():
        from thermo.case.batch import check_many

        return check_many(
            args.case,
            lambda case: _solve(case, True, None, args.hours),
            allow_paths=args.allow_path,
            overrides=_overrides(args.set),
            junit=args.junit,
            out=args.out,
            quiet=args.quiet,
        )
    case = load_case(args.case[0], _overrides(args.set), allow_paths=args.allow_path)
    run = _solve(case, args.quiet, args.out, args.hours)
    if args.junit:
        path = Path(args.junit)
        if path.parent != Path(""):
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(junit_xml(run))
    if args.out:
        _write_results(run, args.out)
    if args.quiet:
        for r in run.checks:
            if not r.passed:
                d = r.to_dict()
                print(
                    f"FAIL {d['name']}: {d['value']} (limit {d['bound']} {d['limit']} {d['unit']})"
                )
    else:
        print_summary(run, sys.stdout)
    if not run.checks:
        print("note: the case defines no [[checks]]", file=sys.stderr)
    return EXIT_OK if run.passed else EXIT_CHECK_FAILED


def _cmd_failures(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thermo.case import load_case
    from thermo.case.failures import failures_junit, failures_plot, failures_table, run_failures

    case = load_case(args.case)
    study = run_failures(case)
    sys.stdout.write(failures_table(study))
    if args.junit:
        path = Path(args.junit)
        if path.parent != Path(""):
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(failures_junit(study))
    if not args.no_plots:
        from thermo.case.outdir import default_out_dir

        out = Path(args.out or default_out_dir(case.name, case.file))
        print(f"plot: {failures_plot(study, out / 'failures.png')}")
    if not case.checks:
        print("note: the case defines no [[checks]]", file=sys.stderr)
    return EXIT_OK if study.passed else EXIT_CHECK_FAILED


def _cmd_validate(args: argparse.Namespace) -> int:
    from thermo.case import build_network, load_case
    from thermo.case.plausibility import plausibility

    case = load_case(args.case, allow_paths=args.allow_path)
    for text in plausibility(build_network(case)):
        print(f"warning: {text}", file=sys.stderr)
    m = case.model
    print(
        f"{case.label}: valid ({len(case.components)} components, {len(m.nodes)} nodes, "
        f"{len(case.controls)} controls, {len(case.checks)} checks, "
        f"scenario {case.scenario.kind})"
    )
    return EXIT_OK


def _cmd_sweep(args: argparse.Namespace) -> int:
    from thermo.study.cli import cmd_sweep

    return cmd_sweep(args)


def _cmd_balance(args: argparse.Namespace) -> int:
    from thermo.study.cli import cmd_balance

    return cmd_balance(args)


def _cmd_cases(args: argparse.Namespace) -> int:
    import tomllib
    from pathlib import Path

    from thermo.case import shipped_cases

    shipped = shipped_cases()
    if args.copy:
        from thermo.case.loader import copy_case
        from thermo.case.outdir import add_gitignore

        written = copy_case(args.copy, args.dir)
        for path in written:
            print(f"copied {path}")
        ignored = add_gitignore(Path(args.dir))
        if ignored:
            print(f"{ignored[1]} {ignored[0]} (keeps the results of thermo run out of git)")
        return EXIT_OK
    width = max((len(n) for n in shipped), default=0)
    for name, path in shipped.items():
        try:
            title = tomllib.loads(path.read_text(encoding="utf-8")).get("case", {}).get("title", "")
        except (OSError, tomllib.TOMLDecodeError):
            title = "(unreadable)"
        print(f"{name.ljust(width)}  {title}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``thermo`` console script; returns the exit code."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK
    from thermo.errors import ConvergenceError, InputError

    try:
        return int(args.func(args))
    except InputError as exc:
        from thermo.case.problems import printable

        for line in str(exc).splitlines():
            print(f"error: {printable(line, 4000)}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except ConvergenceError as exc:
        from thermo.case.problems import printable

        print(f"error: the solver did not converge: {printable(exc, 4000)}", file=sys.stderr)
        return EXIT_NOT_CONVERGED
    except OSError as exc:
        from thermo.case.problems import printable

        print(f"error: {printable(exc, 4000)}", file=sys.stderr)
        return EXIT_INVALID_INPUT


if __name__ == "__main__":
    sys.exit(main())
