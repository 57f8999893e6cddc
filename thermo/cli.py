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
    p.set_defaults(func=_cmd_verify)
    return parser


def _cmd_verify(args: argparse.Namespace) -> int:
    from thermo.verification import all_cases, run_cases

    cases = [c for c in all_cases() if args.filter in c.id]
    results = run_cases(cases)
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
            )
        )
    header = ("", "case", "reference", "thermo", "tolerance", "unit")
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    failed = [r for r in results if not r.passed]
    for r in failed:
        if r.error:
            print(f"{r.case.id}: {r.error}", file=sys.stderr)
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")


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
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    except ConvergenceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NOT_CONVERGED


if __name__ == "__main__":
    sys.exit(main())
