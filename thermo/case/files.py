"""Files a case file names (includes, weather, IT-load CSV): where they may be and how they are read.

Case files come from colleagues and pull requests and run in CI next to secrets, so every file a
case names is

- **confined**: after resolving ``..`` and symbolic links it must lie inside the folder tree of the
  case file, or inside a folder the user names on the command line (``--allow-path DIR``);
- **a regular file**: never a FIFO, a device (``/dev/zero``) or a directory, so reading cannot block
  or run without end;
- **bounded**: at most :data:`MAX_CASE_FILE_BYTES` for TOML, :data:`MAX_DATA_FILE_BYTES` for data;
- **never echoed**: messages name the file and the problem, never its contents.

The limits and messages are listed in ``docs/case-files.md`` (section "Limits").
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "MAX_CASE_FILE_BYTES",
    "MAX_DATA_FILE_BYTES",
    "FileProblem",
    "check_regular",
    "confined_path",
    "data_file",
    "read_limited",
]

MAX_CASE_FILE_BYTES = 4_000_000
"""Largest case or include file read [bytes] (the largest shipped case is under 20 kB)."""
MAX_DATA_FILE_BYTES = 64_000_000
"""Largest weather or IT-load file read [bytes] (an hourly EPW year is about 1.6 MB)."""


class FileProblem(Exception):
    """Why a named file may not be used; ``str()`` is the message (no file contents in it)."""


def confined_path(name: str, base: Path, roots: Sequence[Path]) -> Path:
    """``name`` relative to ``base``, resolved; must lie inside one of ``roots``.

    Raises
    ------
    FileProblem
        NUL or control characters in the name, or a path outside every root.
    """
    if not isinstance(name, str) or not name.strip():
        raise FileProblem("expected a file path (non-empty text)")
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise FileProblem("a file path may not contain control characters (NUL, newline, ...)")
    if len(name) > 4096:
        raise FileProblem("a file path longer than 4096 characters")
    try:
        path = (base / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise FileProblem(f"cannot resolve the path: {type(exc).__name__}") from None
    for root in roots:
        try:
            path.relative_to(root.resolve())
            return path
        except ValueError:
            continue
    shown = ", ".join(str(r) for r in roots) or "none"
    raise FileProblem(
        f'"{name}" lies outside the case folder ({shown}); files a case names must be inside the '
        "folder tree of the case file, or in a folder given with `--allow-path DIR`"
    )


def check_regular(path: Path, limit: int) -> None:
    """Raise :class:`FileProblem` unless ``path`` is a regular file of at most ``limit`` bytes."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileProblem(f"file not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise FileProblem(f"cannot read {path}: {_reason(exc)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem(f"{path} is not a regular file (a folder, device, FIFO or socket)")
    if st.st_size > limit:
        raise FileProblem(f"{path} has {st.st_size:,} bytes; at most {limit:,} are read")


def data_file(name: str, base: Path, roots: Sequence[Path]) -> Path:
    """A weather or IT-load file named in a case: confined, regular, within the size limit."""
    path = confined_path(name, base, roots)
    check_regular(path, MAX_DATA_FILE_BYTES)
    return path


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises
    ------
    FileProblem
        Missing, not a regular file, too large, or unreadable (the message names the file and the
        problem only).
    """
    check_regular(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced between stat and open
            raise FileProblem(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise FileProblem(f"cannot read {path}: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(f"{path} has more than {limit:,} bytes; at most {limit:,} are read")
    return data


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__
