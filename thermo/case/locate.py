"""Line numbers for TOML key paths (``tomllib`` gives none).

:class:`KeyLocator` scans the text once and records the first line defining each table header
and each ``key = value`` line, with arrays of tables (``[[checks]]``) numbered as ``tomllib``
numbers them. Limits (documented in ``docs/case-files.md``): keys inside inline tables
(``connect = { supply = "S" }``) and array elements get the line of the enclosing key; a key
defined on a continuation line of a multi-line array is not seen. A path that is not found falls
back to its longest recorded prefix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["KeyLocator", "decode_error_line"]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_DECODE_POS = re.compile(r"\(at line (\d+), column \d+\)")


def decode_error_line(message: str) -> int | None:
    """The line number in a ``tomllib.TOMLDecodeError`` message, if any."""
    m = _DECODE_POS.search(message)
    return int(m.group(1)) if m else None


def _skip_ws(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t":
        i += 1
    return i


def _parse_key(s: str, i: int) -> tuple[list[str], int] | None:
    """A dotted key starting at ``s[i]``: (parts, index after it), or None."""
    parts: list[str] = []
    while True:
        i = _skip_ws(s, i)
        if i >= len(s):
            return None
        c = s[i]
        if c == '"':
            j = i + 1
            buf = []
            while j < len(s) and s[j] != '"':
                if s[j] == "\\" and j + 1 < len(s):
                    buf.append(s[j + 1])
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            if j >= len(s):
                return None
            parts.append("".join(buf))
            i = j + 1
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return None
            parts.append(s[i + 1 : j])
            i = j + 1
        else:
            m = _BARE.match(s, i)
            if not m:
                return None
            parts.append(m.group(0))
            i = m.end()
        i = _skip_ws(s, i)
        if i < len(s) and s[i] == ".":
            i += 1
            continue
        return parts, i


class _ValueScanner:
    """Tracks brackets and strings across lines to find where a value ends."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None

    @property
    def open(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, s: str, i: int = 0) -> None:
        n = len(s)
        while i < n:
            if self.multiline is not None:
                j = s.find(self.multiline, i)
                if j < 0:
                    return
                i = j + 3
                self.multiline = None
                continue
            c = s[i]
            if c == "#":
                return
            if s.startswith('"""', i) or s.startswith("'''", i):
                self.multiline = s[i : i + 3]
                i += 3
                continue
            if c == '"':
                j = i + 1
                while j < n and s[j] != '"':
                    j += 2 if s[j] == "\\" else 1
                i = j + 1
                continue
            if c == "'":
                j = s.find("'", i + 1)
                i = n if j < 0 else j + 1
                continue
            if c in "[{":
                self.depth += 1
            elif c in "]}":
                self.depth = max(0, self.depth - 1)
            i += 1


class KeyLocator:
    """Map TOML key paths to the (1-based) line that first defines them."""

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple, int] = {}
        self._arrays: dict[tuple, int] = {}
        current: tuple = ()
        scanner = _ValueScanner()
        for lineno, line in enumerate(text.splitlines(), start=1):
            if scanner.open:
                scanner.feed(line)
                continue
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("[["):
                parsed = _parse_key(stripped, 2)
                if parsed:
                    current = self._array_header(parsed[0])
                    self._record(current[:-1], lineno)
                    self._record(current, lineno)
                continue
            if stripped.startswith("["):
                parsed = _parse_key(stripped, 1)
                if parsed:
                    current = self._resolve(parsed[0])
                    self._record(current, lineno)
                continue
            parsed = _parse_key(stripped, 0)
            if parsed and parsed[1] < len(stripped) and stripped[parsed[1]] == "=":
                path = current + tuple(parsed[0])
                for k in range(len(current) + 1, len(path) + 1):
                    self._record(path[:k], lineno)
                scanner.feed(stripped, parsed[1] + 1)

    def _resolve(self, parts: Sequence[str]) -> tuple:
        out: tuple = ()
        for part in parts:
            out = (*out, part)
            if out in self._arrays:
                out = (*out, self._arrays[out])
        return out

    def _array_header(self, parts: Sequence[str]) -> tuple:
        parent = self._resolve(parts[:-1])
        full = (*parent, parts[-1])
        index = self._arrays.get(full, -1) + 1
        self._arrays[full] = index
        return (*full, index)

    def _record(self, path: tuple, lineno: int) -> None:
        self._lines.setdefault(path, lineno)

    def line(self, path: Sequence[str | int]) -> int | None:
        """Line of ``path`` or of its longest recorded prefix (None if nothing matches)."""
        p = tuple(path)
        while p:
            found = self._lines.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return None
