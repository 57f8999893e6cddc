"""``thermo verify``: published-value checks that ship with the package.

Each :class:`VerificationCase` reproduces one number from a source outside this project (a textbook
table, a paper, a datasheet, an IAPWS release) and compares thermo's value with it within a stated
tolerance. Cases live in modules named ``cases_<area>.py`` in this package, each defining a list
``CASES``; :func:`all_cases` discovers them, so adding an area needs no edit elsewhere. Every case is
explained in ``docs/validation/`` (a test checks that each id is documented).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["KINDS", "VerificationCase", "VerificationResult", "all_cases", "run_cases"]

KINDS = ("published", "analytic", "peer", "plausibility")
"""Kinds of reference of a verification case (see :class:`VerificationCase`)."""


@dataclass(frozen=True)
class VerificationCase:
    """One published-value check.

    Parameters
    ----------
    id
        Stable identifier, ``<area>.<name>``, e.g. ``"coolant.pg25_cp_25C"``.
    title
        One line saying what is checked.
    source
        The independent source of the reference value (author, title, year, table/page).
    quantity
        What is compared, e.g. ``"specific heat"``.
    reference
        The published value, in ``unit``.
    unit
        Display unit of ``reference`` and of the computed value.
    compute
        Zero-argument callable returning thermo's value in ``unit``.
    rel_tol, abs_tol
        Tolerance: the case passes when ``|value - reference| <= abs_tol + rel_tol * |reference|``.
        The tolerance should be justified by the precision of the source (say why in ``notes``).
    notes
        Why this tolerance, and any difference in assumptions between thermo and the source.
    kind
        What the reference is (:data:`KINDS`): ``"published"`` (a value printed in a paper,
        standard, datasheet or textbook table), ``"analytic"`` (a closed-form solution or a
        conservation law), ``"peer"`` (another established tool run on the same input) or
        ``"plausibility"`` (an order-of-magnitude figure whose band is wider than a model error
        would move it; counted apart from verification).
    shares
        Name of a cached computation this case shares with other cases (the flagship's January,
        one network solve read by several cases). Cases with the same ``shares`` run in one
        process under ``thermo verify -j N`` so the computation runs once; empty: independent.
    """

    id: str
    title: str
    source: str
    quantity: str
    reference: float
    unit: str
    compute: Callable[[], float]
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    notes: str = ""
    kind: str = "published"
    shares: str = ""

    @property
    def tolerance(self) -> float:
        """Absolute tolerance in ``unit``."""
        return self.abs_tol + self.rel_tol * abs(self.reference)


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of one case (JSON-ready through :meth:`to_dict`)."""

    case: VerificationCase
    value: float
    passed: bool
    error: str = field(default="")

    def to_dict(self) -> dict[str, object]:
        c = self.case
        return {
            "id": c.id,
            "title": c.title,
            "source": c.source,
            "quantity": c.quantity,
            "reference": c.reference,
            "value": None if math.isnan(self.value) else self.value,
            "unit": c.unit,
            "tolerance": c.tolerance,
            "kind": c.kind,
            "passed": self.passed,
            **({"error": self.error} if self.error else {}),
        }


def all_cases() -> list[VerificationCase]:
    """Every shipped verification case, in module then list order.

    Raises
    ------
    ValueError
        If two cases share an id, or a case has an unknown kind.
    """
    cases: list[VerificationCase] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cases_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            cases.extend(module.CASES)
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            raise ValueError(f"duplicate verification case id {c.id!r}")
        if c.kind not in KINDS:
            raise ValueError(f"verification case {c.id!r}: kind {c.kind!r} is not one of {KINDS}")
        seen.add(c.id)
    return cases


def run_cases(
    cases: list[VerificationCase] | None = None, *, progress: bool = False, jobs: int = 1
) -> list[VerificationResult]:
    """Evaluate cases (all by default). An exception inside a case fails that case, not the run.

    ``progress`` shows the case count and the family being run on standard error
    (:class:`thermo.progress.Progress`). ``jobs`` > 1 evaluates the cases in that many worker
    processes (:mod:`thermo.verification.parallel`); the results come back in the order of
    ``cases`` whatever the number of workers, and each value is the one a serial run gives.
    """
    from thermo.verification.parallel import run_parallel, run_serial

    todo = all_cases() if cases is None else cases
    if jobs > 1 and len(todo) > 1:
        return run_parallel(todo, jobs, progress=progress)
    return run_serial(todo, progress=progress)


def evaluate(case: VerificationCase) -> tuple[float, str]:
    """``(value, error)`` of one case: the error is empty unless the case raised."""
    try:
        return float(case.compute()), ""
    except Exception as exc:  # noqa: BLE001 - reported per case, the run goes on
        return math.nan, f"{type(exc).__name__}: {exc}"


def result_of(case: VerificationCase, value: float, error: str) -> VerificationResult:
    """The verdict on ``value`` against the case's reference and tolerance."""
    if error:
        return VerificationResult(case, math.nan, False, error)
    ok = math.isfinite(value) and abs(value - case.reference) <= case.tolerance
    return VerificationResult(case, value, ok)
