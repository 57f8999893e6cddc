"""Coolants written as tables in a case file's ``[coolants]``.

Besides a name (``loop = "PG25"``), a coolant may be

- a CoolProp incompressible mixture by name and mass fraction::

      glycol = { name = "EG", fraction = 0.3 }

- a custom fluid with constant or tabulated properties (:meth:`thermo.Coolant.custom`; tables are
  ``[[temperature, value], ...]`` interpolated by monotone cubics)::

      oil = { density = "850 kg/m3", specific_heat = "2.0 kJ/(kg*K)", viscosity = "10 mPa*s",
              conductivity = "0.13 W/(m*K)", freezing_point = "-40 degC",
              max_temperature = "120 degC" }

so every network that can be written in Python can be written as a case file.
"""

from __future__ import annotations

from typing import Any

from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_number,
    expect_str,
    parse_quantity,
)

__all__ = ["MIXTURE_KEYS", "CUSTOM_KEYS", "coolant_from_table"]

MIXTURE_KEYS = ("name", "fraction")
_PROPERTIES = {
    "density": "density",
    "specific_heat": "specific_heat",
    "viscosity": "dynamic_viscosity",
    "conductivity": "thermal_conductivity",
}
_LIMITS = ("freezing_point", "max_temperature", "min_temperature")
CUSTOM_KEYS = ("label", *_PROPERTIES, *_LIMITS)


def _property(raw: Any, src: Source, kind: str, ctx: Context) -> Any:
    if isinstance(raw, list):
        if len(raw) < 2 or not all(isinstance(p, list) and len(p) == 2 for p in raw):
            ctx.add(
                f"expected a constant or a table [[temperature, value], ...] of at least 2 points,"
                f" got {describe(raw)}",
                src,
            )
            return INVALID
        temps, values = [], []
        for k, (t, v) in enumerate(raw):
            tt = parse_quantity(Raw(t, src.child(k, 0)), "temperature", ctx)
            vv = parse_quantity(Raw(v, src.child(k, 1)), kind, ctx)
            if tt is INVALID or vv is INVALID:
                return INVALID
            temps.append(tt)
            values.append(vv)
        return (temps, values)
    return parse_quantity(Raw(raw, src), kind, ctx)


def coolant_from_table(name: str, table: dict, src: Source, ctx: Context) -> Any:
    """The :class:`~thermo.Coolant` a ``[coolants]`` table describes, or INVALID (problems in
    ``ctx``)."""
    from thermo.coolants import Coolant
    from thermo.errors import InputError

    if "name" in table or "fraction" in table:
        check_keys(table, MIXTURE_KEYS, src, ctx, f"coolant `{name}`")
        kind = expect_str(Raw(table.get("name"), src.child("name")), ctx, what='a name ("EG")')
        x = expect_number(Raw(table.get("fraction"), src.child("fraction")), ctx, "a mass fraction")
        if kind is INVALID or x is INVALID:
            return INVALID
        try:
            return Coolant(kind, float(x))
        except InputError as exc:
            ctx.add(exc.reason, src)
            return INVALID
    check_keys(table, CUSTOM_KEYS, src, ctx, f"coolant `{name}`")
    kwargs: dict[str, Any] = {}
    ok = True
    for key, kind in _PROPERTIES.items():
        if key not in table:
            ctx.add(f"custom coolant `{name}` needs `{key}` (a constant or a table)", src)
            ok = False
            continue
        value = _property(table[key], src.child(key), kind, ctx)
        ok &= value is not INVALID
        kwargs[key] = value
    for key in _LIMITS:
        if key in table:
            value = parse_quantity(Raw(table[key], src.child(key)), "temperature", ctx)
            ok &= value is not INVALID
            kwargs[key] = value
        elif key != "min_temperature":
            ctx.add(f"custom coolant `{name}` needs `{key}`", src)
            ok = False
    if not ok:
        return INVALID
    label = table.get("label", name)
    try:
        return Coolant.custom(str(label), **kwargs)
    except InputError as exc:
        where = src.child(exc.key) if exc.key in table else src
        ctx.add(exc.reason, where)
        return INVALID
