"""Exceptions raised by thermo.

Every error derives from :class:`ThermoError`, so one ``except ThermoError`` catches anything thermo
raises on purpose. Input errors also derive from :class:`ValueError` so that generic callers that
already catch ``ValueError`` keep working.

Messages say what was wrong, where (the key path, the file and line when known), the value given and
what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ThermoError",
    "InputError",
    "UnitError",
    "RangeError",
    "TopologyError",
    "ConvergenceError",
    "Residual",
]


class ThermoError(Exception):
    """Base class of every error thermo raises on purpose."""


class InputError(ThermoError, ValueError):
    """A bad input value: wrong type, wrong unit, missing or unknown key, impossible number.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    key
        Key path of the offending input, e.g. ``"components.pump1.curve[2]"``. Optional.
    value
        The value that was given. Optional.
    file, line
        Where the value came from, when it came from a file.
    """

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        value: Any = None,
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.reason = message
        self.key = key
        self.value = value
        self.file = file
        self.line = line
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.key:
            where.append(f"`{self.key}`")
        prefix = ": ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class UnitError(InputError):
    """A quantity with the wrong physical dimension or an unparseable unit."""


class RangeError(InputError):
    """A value outside the validity range of a property fit or correlation."""


class TopologyError(InputError):
    """A network that cannot be solved as drawn: unconnected ports, islands, missing reference."""

    def __init__(self, message: str, *, elements: Sequence[str] = ()) -> None:
        self.elements = list(elements)
        super().__init__(message, key=", ".join(self.elements) if self.elements else None)


@dataclass(frozen=True)
class Residual:
    """One named residual of a nonlinear system, as reported after a failed solve."""

    name: str
    """Readable name, e.g. ``"CDU1.hot.energy"``."""
    value: float
    """Scaled residual value (dimensionless)."""

    def __str__(self) -> str:
        return f"{self.name} = {self.value:.3g}"


class ConvergenceError(ThermoError):
    """The solver did not converge.

    Attributes
    ----------
    worst
        The largest scaled residuals with their names, largest first.
    iterations
        Newton iterations performed.
    result
        Partial result for diagnosis (the last iterate), when available.
    """

    def __init__(
        self,
        message: str,
        *,
        worst: Sequence[Residual] = (),
        iterations: int = 0,
        result: Any = None,
    ) -> None:
        self.worst = list(worst)
        self.iterations = iterations
        self.result = result
        text = message
        if self.worst:
            text += "; worst residuals: " + ", ".join(str(r) for r in self.worst)
        super().__init__(text)
