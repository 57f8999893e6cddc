"""Problems found in a case file, collected and raised together as one :class:`CaseError`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from thermo.errors import InputError

__all__ = ["Where", "Problem", "CaseError", "Problems", "key_path", "suggest", "printable"]

Path = tuple[str | int, ...]


_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"
)


def unsafe_char(c: str) -> bool:
    """A control character (C0, DEL, C1), a bidirectional override or isolate, a line or
    paragraph separator or a byte-order mark: characters that change how a terminal or viewer
    shows what follows."""
    return _UNSAFE.match(c) is not None


def has_unsafe(text: str) -> bool:
    """True if ``text`` holds a character :func:`unsafe_char` rejects."""
    return _UNSAFE.search(text) is not None


def printable(text: str, limit: int = 200) -> str:
    """``text`` safe to print: unsafe characters as ``\\xNN``/``\\uNNNN`` escapes, and at most
    ``limit`` characters (then ``…``). Names and values from a case file go through this before
    they reach a terminal, a report or an XML file."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    if not has_unsafe(text):
        return text

    def escape(m: re.Match) -> str:
        o = ord(m.group(0))
        return f"\\x{o:02x}" if o < 256 else f"\\u{o:04x}"

    return _UNSAFE.sub(escape, text)


def key_path(path: Sequence[str | int]) -> str:
    """``("components", "pump", "head_curve", 2)`` -> ``"components.pump.head_curve[2]"``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = printable(str(part), 64)
            if not text or any(c in text for c in ' ."[]'):
                text = f'"{text}"'
            out += ("." if out else "") + text
    return out


SUGGEST_POOL = 400
"""Most candidates :func:`suggest` compares in full (after a cheap length and first-letter
filter), so that one suggestion costs O(candidates) simple steps, not a difflib ratio each."""


def suggest(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean `x`?"`` for the closest candidate, or ``""``."""
    word = str(word)
    pool = [str(c) for c in candidates]
    if len(pool) > SUGGEST_POOL:
        n = len(word)
        head = word[:1].lower()
        pool = [c for c in pool if abs(len(c) - n) <= 3 and c[:1].lower() == head][:SUGGEST_POOL]
    pool = [c for c in pool if c != word]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
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
            file = printable(self.file, 500)
            parts.append(f"{file}:{self.line}" if self.line else file)
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
        message = printable(self.message, 2000)
        text = f"{prefix}: {message}" if prefix else message
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


MAX_LISTED = 200
"""Most problems listed in one :class:`CaseError`; the rest are counted in a last line."""


class Problems:
    """Collects problems (one entry per location and message; template instances merged).

    At most :data:`MAX_LISTED` distinct problems are kept; later ones are only counted.
    """

    def __init__(self) -> None:
        self._items: dict[tuple, Problem] = {}
        self.dropped = 0

    @property
    def full(self) -> bool:
        """True once :data:`MAX_LISTED` problems are kept (callers may skip costly hints)."""
        return len(self._items) >= MAX_LISTED

    def add(self, message: str, where: Where, instance: str | None = None) -> None:
        key = (where.file, where.path, message)
        item = self._items.get(key)
        if item is None:
            if self.full:
                self.dropped += 1
                return
            item = self._items[key] = Problem(message, where)
        if instance and (not item.instances or item.instances[-1] != instance):
            item.instances.append(instance)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            listed = sorted(self._items.values(), key=_order)
            if self.dropped:
                listed.append(
                    Problem(
                        f"... and {self.dropped} more problem(s) not listed (the first "
                        f"{MAX_LISTED} are shown)",
                        Where(listed[0].where.file),
                    )
                )
            raise CaseError(listed)


def _order(p: Problem) -> tuple:
    return (p.where.file or "", p.where.line or 0)
