"""Validation of case-file values: quantities, numbers, choices, curves; component and control tables.

Every function here adds problems to a :class:`~thermo.case.problems.Problems` collector instead of
raising, so that one pass reports everything wrong with a file. A value that fails returns
:data:`INVALID`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from thermo.case.problems import Problems, Where, has_unsafe, key_path, printable, suggest
from thermo.case.registry import Param

__all__ = [
    "INVALID",
    "Source",
    "Raw",
    "describe",
    "parse_quantity",
    "parse_param",
    "check_keys",
    "expect_str",
    "expect_int",
    "expect_number",
    "expect_bool",
    "expect_str_list",
    "valid_name",
]


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"

    def __bool__(self) -> bool:
        return False


INVALID: Any = _Invalid()
"""Marker for a value that failed validation (its problem has been recorded)."""


@dataclass(frozen=True)
class Source:
    """Where a raw value lives: the document (file label and line locator) and the key path."""

    label: str | None
    locator: Any
    path: tuple = ()

    def child(self, *keys: str | int) -> Source:
        return Source(self.label, self.locator, (*self.path, *keys))

    @property
    def where(self) -> Where:
        line = self.locator.line(self.path) if self.locator is not None else None
        return Where(self.label, self.path, line)

    @property
    def key(self) -> str:
        return key_path(self.path)


@dataclass
class Raw:
    """A raw TOML value with its source (after template-parameter substitution)."""

    value: Any
    src: Source
    note: str = ""
    """Extra context for messages, e.g. which template parameter the value came from."""


@dataclass
class Context:
    """What a validator needs besides the value: problem collector and current instance."""

    problems: Problems
    instance: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, message: str, src: Source, note: str = "") -> None:
        self.problems.add(message + note, src.where, self.instance)


def describe(value: Any) -> str:
    """A TOML value as a user wrote it, for messages."""
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, str):
        return f'the text "{value}"' if value.strip() else "an empty text"
    if isinstance(value, list):
        return f"an array of {len(value)} item(s)"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__} value ({value!s})"


SI_LIMITS: dict[str, float] = {
    "temperature": 1e5,
    "temperature_difference": 1e5,
    "pressure": 1e10,
    "pressure_difference": 1e10,
    "volume_flow": 1e4,
    "mass_flow": 1e6,
    "power": 1e13,
    "energy": 1e20,
    "length": 1e6,
    "area": 1e10,
    "volume": 1e10,
    "velocity": 1e4,
    "time": 1e10,
    "density": 1e5,
    "specific_heat": 1e7,
    "dynamic_viscosity": 1e6,
    "thermal_conductivity": 1e5,
    "thermal_resistance": 1e9,
    "thermal_conductance": 1e13,
    "heat_transfer_coefficient": 1e8,
    "irradiance": 1e7,
    "emission_factor": 1e-3,
    "frequency": 1e6,
    "dimensionless": 1e15,
}
"""Largest magnitude (SI) a case-file quantity of each kind may have: far beyond anything a
cooling or heat-reuse design means (100 km², 10 TW, 1,000 km), small enough that no correlation
overflows to inf or NaN on the way. Beyond it the value is refused at its key (exit 2)."""


@functools.lru_cache(maxsize=8192)
def _to_si_cached(text: str, kind: str) -> tuple[bool, Any]:
    from thermo.errors import InputError
    from thermo.units import to_si

    try:
        return True, to_si(text, kind, allow_bare=False)
    except InputError as exc:
        return False, exc.reason


def parse_quantity(raw: Raw, kind: str, ctx: Context) -> Any:
    """A quantity written with a unit -> SI float; ``dimensionless`` also takes a bare number."""
    from thermo.units import KINDS

    k = KINDS[kind]
    v = raw.value
    if isinstance(v, str):
        ok, result = _to_si_cached(v, kind)
        if not ok:
            ctx.add(result, raw.src, raw.note)
            return INVALID
        if not math.isfinite(result):
            ctx.add(f"expected a finite {k.description}, got `{v}`", raw.src, raw.note)
            return INVALID
        return _within_limit(result, kind, v, raw, ctx)
    if kind == "dimensionless" and isinstance(v, (int, float)) and not isinstance(v, bool):
        if not math.isfinite(v):
            ctx.add(f"expected a finite number, got {v}", raw.src, raw.note)
            return INVALID
        return _within_limit(float(v), kind, v, raw, ctx)
    hint = f' (write the number and unit in quotes, e.g. "{k.example}")'
    ctx.add(
        f"expected {k.description} with a unit (e.g. `{k.example}`), got {describe(v)}"
        + (hint if isinstance(v, (int, float)) and not isinstance(v, bool) else ""),
        raw.src,
        raw.note,
    )
    return INVALID


def _within_limit(value: float, kind: str, given: Any, raw: Raw, ctx: Context) -> Any:
    from thermo.units import KINDS

    limit = SI_LIMITS.get(kind)
    if limit is not None and abs(value) > limit:
        k = KINDS[kind]
        ctx.add(
            f"{k.description} of `{given}` is beyond any design this tool models "
            f"(|value| <= {limit:g} {k.si_unit})",
            raw.src,
            raw.note,
        )
        return INVALID
    if kind == "temperature" and value < 0:
        ctx.add(f"`{given}` is below absolute zero", raw.src, raw.note)
        return INVALID
    return value


def expect_number(raw: Raw, ctx: Context, what: str = "a plain number") -> Any:
    v = raw.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        extra = ""
        if isinstance(v, str):
            extra = " without a unit"
        ctx.add(f"expected {what}{extra}, got {describe(v)}", raw.src, raw.note)
        return INVALID
    if not math.isfinite(v):
        ctx.add(f"expected a finite number, got {v}", raw.src, raw.note)
        return INVALID
    return float(v)


def expect_int(raw: Raw, ctx: Context, minimum: int | None = None, maximum: int | None = None):
    v = raw.value
    if isinstance(v, bool) or not isinstance(v, int):
        ctx.add(f"expected a whole number, got {describe(v)}", raw.src, raw.note)
        return INVALID
    if minimum is not None and v < minimum:
        ctx.add(f"expected a whole number >= {minimum}, got {v}", raw.src, raw.note)
        return INVALID
    if maximum is not None and v > maximum:
        ctx.add(f"expected a whole number <= {maximum}, got {v}", raw.src, raw.note)
        return INVALID
    return v


def expect_bool(raw: Raw, ctx: Context) -> Any:
    if not isinstance(raw.value, bool):
        ctx.add(f"expected true or false, got {describe(raw.value)}", raw.src, raw.note)
        return INVALID
    return raw.value


def expect_str(raw: Raw, ctx: Context, choices: tuple[str, ...] = (), what: str = "text") -> Any:
    v = raw.value
    if not isinstance(v, str):
        ctx.add(f"expected {what}, got {describe(v)}", raw.src, raw.note)
        return INVALID
    if choices and v not in choices:
        listing = ", ".join(f"`{c}`" for c in choices)
        ctx.add(f'expected one of {listing}, got "{v}"{suggest(v, choices)}', raw.src, raw.note)
        return INVALID
    return v


def expect_str_list(
    raw: Raw, ctx: Context, what: str = "an array of names", *, allow_empty: bool = False
) -> Any:
    v = raw.value
    if isinstance(v, str):
        v = [v]
    if isinstance(v, list) and not v and not allow_empty:
        ctx.add(f"expected {what} (at least one), got an empty array", raw.src, raw.note)
        return INVALID
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        ctx.add(f"expected {what} (text), got {describe(raw.value)}", raw.src, raw.note)
        return INVALID
    return list(v)


MAX_COMPONENT_INT = 1_000
"""Largest whole-number component parameter (``trays``, ``n_channels``, pump counts)."""
MAX_NAME_LENGTH = 200
"""Longest component, node, control or template name [characters]."""

_NAME_MARKUP = re.compile(r"[<>&|`]")
_NAME_BAD = re.compile(r"[{}@\s\"'\[\]#]")


def valid_name(name: Any, raw: Raw, ctx: Context, what: str) -> bool:
    """A component, node or control name: non-empty text without spaces, braces, ``@`` or quotes."""
    if not isinstance(name, str) or not name:
        ctx.add(f"expected a {what} (non-empty text), got {describe(name)}", raw.src, raw.note)
        return False
    if len(name) > MAX_NAME_LENGTH:
        ctx.add(
            f"a {what} of {len(name):,} characters is too long (at most {MAX_NAME_LENGTH})",
            raw.src,
            raw.note,
        )
        return False
    if has_unsafe(name) or _NAME_MARKUP.search(name):
        ctx.add(
            f'{what} "{printable(name)}" may not contain control characters, bidirectional '
            "overrides or markup (`<`, `>`, `&`, `|`, backtick); names are plain text",
            raw.src,
            raw.note,
        )
        return False
    if name[0] in "=+-":
        ctx.add(
            f'{what} "{name}" may not start with `=`, `+` or `-` (spreadsheets read it as a '
            "formula)",
            raw.src,
            raw.note,
        )
        return False
    if _NAME_BAD.search(name):
        ctx.add(
            f'{what} "{name}" may not contain spaces, braces, quotes, brackets, `#` or `@`',
            raw.src,
            raw.note,
        )
        return False
    return True


def check_keys(
    table: Mapping[str, Any], allowed: tuple[str, ...], src: Source, ctx: Context, what: str
) -> None:
    """Report every key of ``table`` not in ``allowed``, with a suggestion."""
    for key in table:
        if key not in allowed:
            listing = ", ".join(f"`{a}`" for a in allowed)
            ctx.add(
                f"unknown key `{key}` in {what}{suggest(key, allowed)} (allowed: {listing})",
                src.child(key),
            )


def parse_param(param: Param, raw: Raw, ctx: Context) -> Any:
    """Validate one component parameter per its spec; SI value or :data:`INVALID`."""
    from thermo.units import KINDS

    kind = param.kind
    if kind in KINDS:
        return parse_quantity(raw, kind, ctx)
    if kind == "number":
        return expect_number(raw, ctx)
    if kind == "int":
        return expect_int(raw, ctx, None, MAX_COMPONENT_INT)
    if kind == "bool":
        return expect_bool(raw, ctx)
    if kind == "str":
        return expect_str(raw, ctx, param.choices)
    if kind == "coolant":
        names = tuple(ctx.extra.get("coolants", ()))
        value = expect_str(raw, ctx, what="the name of a coolant from `[coolants]`")
        if value is INVALID:
            return INVALID
        if value not in names:
            listing = ", ".join(f"`{n}`" for n in names) or "none defined"
            ctx.add(
                f'coolant "{value}" is not defined in `[coolants]`{suggest(value, names)} '
                f"(defined: {listing})",
                raw.src,
                raw.note,
            )
            return INVALID
        return value
    if kind in ("curve", "pair"):
        return _parse_points(param, raw, ctx)
    if kind == "table":
        return _parse_table(param, raw, ctx)
    if kind == "named_tables":
        v = raw.value
        if not isinstance(v, dict) or not v:
            ctx.add(f"expected a table of named sub-tables, got {describe(v)}", raw.src, raw.note)
            return INVALID
        out = {}
        for label, table in v.items():
            sub = _parse_table(param, Raw(table, raw.src.child(label), raw.note), ctx)
            if sub is INVALID:
                return INVALID
            out[label] = sub
        return out
    if kind == "name_lists":
        v = raw.value
        if (
            not isinstance(v, list)
            or not v
            or not all(
                isinstance(row, list) and row and all(isinstance(x, str) for x in row) for row in v
            )
        ):
            ctx.add(
                'expected an array of arrays of names, e.g. [["gpu", "gpu"], ["cpu"]], got '
                + describe(v),
                raw.src,
                raw.note,
            )
            return INVALID
        return [list(row) for row in v]
    raise ValueError(f"registry bug: unknown parameter kind {kind!r} of {param.name!r}")


def _parse_table(param: Param, raw: Raw, ctx: Context) -> Any:
    v = raw.value
    names = tuple(f.name for f in param.fields)
    if not isinstance(v, dict):
        listing = ", ".join(f"`{n}`" for n in names)
        ctx.add(f"expected a table with keys {listing}, got {describe(v)}", raw.src, raw.note)
        return INVALID
    check_keys(v, names, raw.src, ctx, f"`{param.name}`")
    out: dict[str, Any] = {}
    ok = all(k in names for k in v)
    for f in param.fields:
        if f.name not in v:
            if f.required:
                ctx.add(f"missing required key `{f.name}` in `{param.name}`: {f.doc}", raw.src)
                ok = False
            continue
        x = parse_param(f, Raw(v[f.name], raw.src.child(f.name), raw.note), ctx)
        if x is INVALID:
            ok = False
        else:
            out[f.name] = x
    return out if ok else INVALID


def _parse_points(param: Param, raw: Raw, ctx: Context) -> Any:
    from thermo.units import KINDS

    a, b = param.columns
    example = f'["{KINDS[a].example}", "{KINDS[b].example}"]'
    v = raw.value
    if param.kind == "pair":
        rows = [v]
        if not (isinstance(v, list) and len(v) == 2):
            ctx.add(
                f"expected a pair [{a}, {b}] (e.g. `{example}`), got {describe(v)}",
                raw.src,
                raw.note,
            )
            return INVALID
    else:
        if not isinstance(v, list) or len(v) < param.minimum_points:
            ctx.add(
                f"expected a list of at least {param.minimum_points} [{a}, {b}] points "
                f"(e.g. `[{example}, ...]`), got {describe(v)}",
                raw.src,
                raw.note,
            )
            return INVALID
        rows = v
    out = []
    ok = True
    for i, row in enumerate(rows):
        src = raw.src if param.kind == "pair" else raw.src.child(i)
        if not (isinstance(row, list) and len(row) == 2):
            ctx.add(f"expected a point [{a}, {b}] (e.g. `{example}`), got {describe(row)}", src)
            ok = False
            continue
        x = parse_quantity(Raw(row[0], src, raw.note), a, ctx)
        y = parse_quantity(Raw(row[1], src, raw.note), b, ctx)
        if x is INVALID or y is INVALID:
            ok = False
            continue
        out.append((x, y))
    if not ok:
        return INVALID
    return out[0] if param.kind == "pair" else out
