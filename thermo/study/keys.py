"""Key paths of a case document: apply a study variant's overrides; parse ``--set`` values.

A key path names a value of the case file as the TOML document spells it, with dots between the
tables: ``components.gh_hx.ua``, ``greenhouse.floor_area``, ``scenario.it_load``. A component
table must exist (a typo is an error, with a suggestion); its last key may be new (an optional
parameter the case did not set).
"""

from __future__ import annotations

import tomllib
from typing import Any

from thermo.case.problems import CaseError, Problem, Where, suggest

__all__ = ["apply_overrides", "split_key", "parse_value", "override_problems"]


def split_key(key: str) -> list[str]:
    """``"components.gh_hx.ua"`` -> ``["components", "gh_hx", "ua"]`` (quoted parts allowed)."""
    parts: list[str] = []
    buf = ""
    quoted = False
    for ch in key:
        if ch == '"':
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    return [p.strip() for p in parts]


def override_problems(data: dict, overrides: dict[str, Any], label: str) -> list[Problem]:
    """Problems with the key paths of ``overrides`` in document ``data`` (nothing changed)."""
    problems = []
    for key in overrides:
        parts = split_key(key)
        if not key or any(not p for p in parts):
            problems.append(
                Problem(f"bad key path {key!r} (expected e.g. components.hx.ua)", Where(label))
            )
            continue
        table: Any = data
        for depth, part in enumerate(parts[:-1]):
            if not isinstance(table, dict) or part not in table:
                known = list(table) if isinstance(table, dict) else []
                where = ".".join(parts[:depth]) or "the top level"
                problems.append(
                    Problem(
                        f"study key `{key}`: no table `{part}` in {where}{suggest(part, known)}",
                        Where(label, tuple(parts[: depth + 1])),
                    )
                )
                break
            table = table[part]
        else:
            if not isinstance(table, dict):
                problems.append(
                    Problem(
                        f"study key `{key}`: `{'.'.join(parts[:-1])}` is not a table",
                        Where(label, tuple(parts[:-1])),
                    )
                )
    return problems


def apply_overrides(data: dict, overrides: dict[str, Any], label: str) -> None:
    """Set each key path of ``overrides`` in ``data`` (in place).

    Raises
    ------
    CaseError
        A key path that names no table of the document (every such key listed).
    """
    problems = override_problems(data, overrides, label)
    if problems:
        raise CaseError(problems)
    for key, value in overrides.items():
        parts = split_key(key)
        table = data
        for part in parts[:-1]:
            table = table[part]
        table[parts[-1]] = value


def parse_value(text: str) -> Any:
    """One value of ``--set``: a TOML literal (number, boolean, quoted text, array) or bare text.

    ``2.5`` -> 2.5; ``true`` -> True; ``2 MW`` -> ``"2 MW"`` (a quantity, read by the case loader).
    """
    text = text.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
