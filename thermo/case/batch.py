"""``thermo check`` of many case files in one process (one import, one line per case).

A CI job that checks 50 small designs pays the interpreter start and the imports once instead of
50 times. The combined exit code is the most serious outcome over all cases, in this order:

* ``2`` some case file is invalid (or unreadable): it was not checked at all;
* ``3`` some case did not converge: its checks have no trustworthy numbers;
* ``1`` some check failed;
* ``0`` every case ran and every check passed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_CHECK_FAILED, EXIT_INVALID_INPUT, EXIT_NOT_CONVERGED = 0, 1, 2, 3
SEVERITY = (EXIT_OK, EXIT_CHECK_FAILED, EXIT_NOT_CONVERGED, EXIT_INVALID_INPUT)
"""Exit codes from least to most serious; the combined code is the most serious one seen."""


def expand_cases(items: Sequence[str]) -> list[str]:
    """Case arguments with every folder replaced by its ``*.toml`` files (sorted, not recursive)."""
    out: list[str] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(str(f) for f in sorted(p.glob("*.toml")))
        else:
            out.append(item)
    return out


def combine(codes: Sequence[int]) -> int:
    """The most serious of several exit codes (see :data:`SEVERITY`)."""
    return max(codes, key=SEVERITY.index, default=EXIT_OK)


def check_many(
    items: Sequence[str],
    solve: Callable[[Any], Any],
    *,
    allow_paths: Sequence[str] = (),
    overrides: dict[str, Any] | None = None,
    junit: str | None = None,
    out: str | None = None,
    quiet: bool = False,
    stream: TextIO | None = None,
) -> int:
    """Load, solve and check each case; print one line per case; return the combined exit code.

    ``solve(case)`` returns the run (the CLI passes its own solver wrapper). With ``out`` the full
    results of each case go to ``out/<case name>/``; with ``junit`` one JUnit file holds one
    ``<testsuite>`` per case (an invalid or unconverged case is a suite with one error).
    """
    from thermo.case import load_case
    from thermo.case.output import junit_xml, write_outputs
    from thermo.case.problems import printable
    from thermo.errors import ConvergenceError, InputError

    stream = stream or sys.stdout
    files = expand_cases(items)
    if not files:
        print(f"error: no case files (*.toml) in {', '.join(items)}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    codes: list[int] = []
    suites: list[str] = []
    width = max(len(f) for f in files)
    for f in files:
        try:
            case = load_case(f, overrides, allow_paths=list(allow_paths))
            run = solve(case)
        except (InputError, OSError) as exc:
            codes.append(EXIT_INVALID_INPUT)
            msg = printable(str(exc).splitlines()[0] if str(exc) else exc, 300)
            print(f"ERROR  {f.ljust(width)}  invalid input: {msg}", file=stream)
            suites.append(_error_suite(f, "invalid input", str(exc)))
            continue
        except ConvergenceError as exc:
            codes.append(EXIT_NOT_CONVERGED)
            msg = printable(str(exc).splitlines()[0], 300)
            print(f"NOCONV {f.ljust(width)}  did not converge: {msg}", file=stream)
            suites.append(_error_suite(f, "did not converge", str(exc)))
            continue
        failed = [r for r in run.checks if not r.passed]
        codes.append(EXIT_CHECK_FAILED if not run.passed else EXIT_OK)
        if out:
            write_outputs(run, Path(out) / case.name)
        suites.append(_suite_of(junit_xml(run)))
        if failed:
            names = ", ".join(r.to_dict()["name"] for r in failed)
            print(
                f"FAIL   {f.ljust(width)}  {len(failed)} of {len(run.checks)} checks failed: "
                f"{printable(names, 300)}",
                file=stream,
            )
        elif not quiet:
            note = "" if run.checks else " (no [[checks]])"
            print(f"PASS   {f.ljust(width)}  {len(run.checks)} checks{note}", file=stream)
    code = combine(codes)
    counts = {c: codes.count(c) for c in SEVERITY}
    print(
        f"{len(files)} cases: {counts[EXIT_OK]} passed, {counts[EXIT_CHECK_FAILED]} failed, "
        f"{counts[EXIT_NOT_CONVERGED]} not converged, {counts[EXIT_INVALID_INPUT]} invalid "
        f"(exit {code})",
        file=stream,
    )
    if junit:
        _write_junit(Path(junit), suites, codes)
    return code


def _suite_of(document: str) -> str:
    """The ``<testsuite>`` element of a one-suite JUnit document from :func:`junit_xml`."""
    start = document.index("<testsuite ")
    end = document.index("</testsuite>") + len("</testsuite>")
    return "  " + document[start:end]


def _error_suite(file: str, what: str, detail: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    return (
        f'  <testsuite name={quoteattr(file)} tests="1" failures="0" errors="1">\n'
        f"    <testcase classname={quoteattr(file)} name={quoteattr(what)}>\n"
        f"      <error message={quoteattr(what)}>{escape(detail)}</error>\n"
        "    </testcase>\n  </testsuite>"
    )


def _write_junit(path: Path, suites: list[str], codes: list[int]) -> None:
    if path.parent != Path(""):
        path.parent.mkdir(parents=True, exist_ok=True)
    failures = codes.count(EXIT_CHECK_FAILED)
    errors = codes.count(EXIT_INVALID_INPUT) + codes.count(EXIT_NOT_CONVERGED)
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="thermo check" tests="{len(codes)}" failures="{failures}" '
        f'errors="{errors}">'
    )
    path.write_text("\n".join([head, *suites, "</testsuites>", ""]), encoding="utf-8")
