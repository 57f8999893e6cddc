"""Problems found in a case file, collected and raised together as one :class:`CaseError`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from thermo.errors import InputError

__all__ = ["Where", "Problem", "CaseError", "Problems", "key_path", "suggest"]

Path = tuple[str | int, ...]


def key_path(path: Sequence[str | int]) -> str:
    """``("components", "pump", "head_curve", 2)`` -> ``"components.pump.head_curve[2]"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            if not text or any(c in text for c in ' ."[]'):
                text = f'"{text}"'
            out += ("." if out else "") + text
    return out


def suggest(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` for the closest candidate, or ``""``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


@dataclass(frozen=True)
class Where:
    """Where a value came from: file, key path, line (None when unknown)."""

    file: str | None
    path: Path = ()
    line: int | None = None

    @property
    def key(self) -> str:
        return key_path(self.path)

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.path:
            parts.append(f"`{self.key}`")
        return ": ".join(parts)


@dataclass
class Problem:
    """One thing wrong with a case file."""

    message: str
    where: Where
    instances: list[str] = field(default_factory=list)
    """Template instances the problem occurs in (empty outside templates)."""

    def __str__(self) -> str:
        prefix = str(self.where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.instances:
            more = len(self.instances) - 1
            text += f" (in instance {self.instances[0]}"
            text += f" and {more} more)" if more else ")"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.where.file,
            "line": self.where.line,
            "key": self.where.key,
            "message": self.message,
            "instances": list(self.instances),
        }


class CaseError(InputError):
    """A case file is invalid. ``problems`` lists every problem found, each with its location.

    ``str(error)`` gives one line per problem: ``file:line: `key.path`: message``.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0].where if self.problems else Where(None)
        super().__init__(
            "invalid case file", key=first.key or None, file=first.file, line=first.line
        )

    def _format(self) -> str:
        if not self.problems:
            return "invalid case file"
        return "\n".join(str(p) for p in self.problems)


class Problems:
    """Collects problems (one entry per location and message; template instances merged)."""

    def __init__(self) -> None:
        self._items: dict[tuple, Problem] = {}

    def add(self, message: str, where: Where, instance: str | None = None) -> None:
        key = (where.file, where.path, message)
        item = self._items.get(key)
        if item is None:
            item = self._items[key] = Problem(message, where)
        if instance and (not item.instances or item.instances[-1] != instance):
            item.instances.append(instance)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise CaseError(sorted(self._items.values(), key=_order))


def _order(p: Problem) -> tuple:
    return (p.where.file or "", p.where.line or 0)
