"""Key paths of a case document: apply a study variant's overrides; parse ``--set`` values.

A key path names a value of the case file as the TOML document spells it, with dots between the
tables: ``components.gh_hx.ua``, ``greenhouse.floor_area``, ``scenario.it_load``, and ``[i]``
after a key for the element ``i`` (from 0) of an array, as thermo's error messages write key paths:
``components.pump.head_curve[2]``, ``events[0].time``. A component table must exist (a typo is an
error, with a suggestion); its last key may be new (an optional parameter the case did not set); an
array element must exist (an override replaces a value, it does not lengthen an array).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from thermo.case.problems import CaseError, Problem, Where, key_path, suggest

__all__ = ["apply_overrides", "split_key", "key_steps", "parse_value", "override_problems"]

_INDEXED = re.compile(r"(.*?)((?:\[\s*\d+\s*\])+)")


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


def key_steps(key: str) -> list[str | int]:
    """``"components.pump.head_curve[2]"`` -> ``["components", "pump", "head_curve", 2]``."""
    steps: list[str | int] = []
    for part in split_key(key):
        m = _INDEXED.fullmatch(part)
        if m is None:
            steps.append(part)
            continue
        if m.group(1).strip():
            steps.append(m.group(1).strip())
        steps.extend(int(i) for i in re.findall(r"\d+", m.group(2)))
    return steps


def _key_problem(key: str, steps: list[str | int], data: dict, label: str) -> Problem | None:
    node: Any = data
    for depth, step in enumerate(steps):
        here = key_path(steps[:depth]) or "the top level"
        last = depth == len(steps) - 1
        if isinstance(step, int):
            if not isinstance(node, list):
                return Problem(
                    f"key `{key}`: `{here}` is not an array",
                    Where(label, tuple(steps[:depth])),
                )
            if step >= len(node):
                return Problem(
                    f"key `{key}`: no element [{step}] in `{here}` (it has {len(node)}; "
                    "an override replaces a value, it does not lengthen an array)",
                    Where(label, tuple(steps[: depth + 1])),
                )
        elif not isinstance(node, dict):
            return Problem(
                f"key `{key}`: `{here}` is not a table", Where(label, tuple(steps[:depth]))
            )
        elif step not in node and not last:
            return Problem(
                f"key `{key}`: no table `{step}` in {here}{suggest(step, list(node))}",
                Where(label, tuple(steps[: depth + 1])),
            )
        if not last:
            node = node[step]
    return None


def override_problems(data: dict, overrides: dict[str, Any], label: str) -> list[Problem]:
    """Problems with the key paths of ``overrides`` in document ``data`` (nothing changed)."""
    problems = []
    for key in overrides:
        parts = split_key(key)
        steps = key_steps(key) if key else []
        if not key or any(not p for p in parts) or not isinstance(steps[0], str):
            problems.append(
                Problem(
                    f"bad key path {key!r} (expected e.g. components.hx.ua or "
                    "components.pump.head_curve[2])",
                    Where(label),
                )
            )
            continue
        problem = _key_problem(key, steps, data, label)
        if problem is not None:
            problems.append(problem)
    return problems


def apply_overrides(data: dict, overrides: dict[str, Any], label: str) -> None:
    """Set each key path of ``overrides`` in ``data`` (in place).

    Raises
    ------
    CaseError
        A key path that names no table or array element of the document (every such key listed).
    """
    problems = override_problems(data, overrides, label)
    if problems:
        raise CaseError(problems)
    for key, value in overrides.items():
        steps = key_steps(key)
        node: Any = data
        for step in steps[:-1]:
            node = node[step]
        node[steps[-1]] = value


def parse_value(text: str) -> Any:
    """One value of ``--set``: a TOML literal (number, boolean, quoted text, array) or bare text.

    ``2.5`` -> 2.5; ``true`` -> True; ``2 MW`` -> ``"2 MW"`` (a quantity, read by the case loader).
    """
    text = text.strip()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
