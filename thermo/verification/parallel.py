"""Running the verification cases, in this process or in worker processes (``thermo verify -j``).

The unit of parallel work is a group: one case, or every case that names the same
:attr:`~thermo.verification.VerificationCase.shares` (they read one cached computation, which
then runs once). Groups of the slow families start first so that the longest one does not start
last. Workers are forked from this process after the case modules and CoolProp are imported
(each would otherwise pay CoolProp's ~2 s import again); where fork is not available the cases
run serially. Each worker returns plain ``(index, value, error)`` triples, so the results are
assembled in the order of the input, identical to a serial run's.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from thermo.progress import Progress
from thermo.verification import VerificationCase, VerificationResult, evaluate, result_of

__all__ = ["default_jobs", "family", "groups", "run_parallel", "run_serial"]

SLOW_FAMILIES = ("annual", "transient")
"""Families whose cases take seconds each (a month of the flagship, time-stepped runs): their
groups are handed out first."""

_TODO: list[VerificationCase] = []
"""The cases of the current parallel run, inherited by the forked workers."""


def family(case: VerificationCase) -> str:
    """The part of the case id before the first dot (``"annual"``, ``"coolant"``)."""
    return case.id.split(".", 1)[0]


def default_jobs() -> int:
    """Worker processes by default: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def groups(cases: list[VerificationCase]) -> list[list[int]]:
    """Indices of ``cases`` grouped for the workers (cases sharing a computation together),
    slow families first, otherwise in input order."""
    by_key: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_key.setdefault(case.shares or f"\0{case.id}", []).append(i)
    out = list(by_key.values())

    def rank(group: list[int]) -> int:
        fam = family(cases[group[0]])
        return SLOW_FAMILIES.index(fam) if fam in SLOW_FAMILIES else len(SLOW_FAMILIES)

    return sorted(out, key=rank)  # stable: input order within a rank


def run_serial(
    cases: list[VerificationCase], *, progress: bool = False
) -> list[VerificationResult]:
    """Evaluate ``cases`` one after the other in this process."""
    bar = Progress(len(cases), "case", enabled=progress)
    results = []
    for case in cases:
        bar.update(len(results), note=family(case))
        results.append(result_of(case, *evaluate(case)))
    bar.update(len(results), note="")
    bar.close()
    return results


def _run_group(indices: list[int]) -> list[tuple[int, float, str]]:
    return [(i, *evaluate(_TODO[i])) for i in indices]


def run_parallel(
    cases: list[VerificationCase], jobs: int, *, progress: bool = False
) -> list[VerificationResult]:
    """Evaluate ``cases`` in ``jobs`` forked worker processes; results in input order."""
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return run_serial(cases, progress=progress)
    global _TODO
    try:  # imported once here, inherited by every worker
        import CoolProp.CoolProp  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency
        pass
    todo = groups(cases)
    jobs = min(jobs, len(todo))
    bar = Progress(len(cases), "case", enabled=progress)
    values: dict[int, tuple[float, str]] = {}
    _TODO = cases
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = {pool.submit(_run_group, g): n for n, g in enumerate(todo)}
            while pending:
                # the pool hands groups out in submission order: the running ones are the first
                # `jobs` unfinished
                running = sorted(pending.values())[:jobs]
                note = ", ".join(dict.fromkeys(family(cases[todo[n][0]]) for n in running))
                bar.update(len(values), note=note)
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    pending.pop(future)
                    for i, value, error in future.result():
                        values[i] = (value, error)
    finally:
        _TODO = []
    bar.update(len(values), note="")
    bar.close()
    return [result_of(c, *values.get(i, (math.nan, "not run"))) for i, c in enumerate(cases)]
