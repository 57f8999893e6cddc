"""Units of the console summary: ``[outputs] units = "SI" | "engineering" | "US"`` (issue 18, item 3).

The values stay SI everywhere inside thermo and in results.json (the unit in every key); what a
person reads is converted at this edge: the console headline and check lines, the CSV tables'
headers and values, report.md, report.html and the flag messages.

============ ======= =========== ================ ==========
quantity     SI key  SI          engineering      US
============ ======= =========== ================ ==========
temperature  ``_C``  °C          °C               °F
difference   ``_K``  K           K                Δ°F
pressure     ``_Pa`` Pa          kPa              psi
power        ``_W``  W           kW               kBtu/h
energy       ``_kWh``, ``_MWh``  MWh              MMBtu (10⁶ Btu)
volume flow  ``_L_min``, ``_m3_s`` L/min          gpm (US gallon per minute)
============ ======= =========== ================ ==========

Other keys (ratios such as PUE, counts, hours) are printed as they are.
"""

from __future__ import annotations

import math
import re
from typing import Any

UNIT_SYSTEMS = ("SI", "engineering", "US")

# key suffix -> (pint unit of the SI value, engineering unit, US unit), longest suffixes first
_SUFFIXES: tuple[tuple[str, str, str, str], ...] = (
    ("_L_min", "liter / minute", "liter / minute", "gallon / minute"),
    ("_m3_s", "meter ** 3 / second", "liter / minute", "gallon / minute"),
    ("_kWh", "kilowatt_hour", "megawatt_hour", "megaBtu"),
    ("_MWh", "megawatt_hour", "megawatt_hour", "megaBtu"),
    ("_Pa", "pascal", "kilopascal", "psi"),
    ("_W", "watt", "kilowatt", "kiloBtu / hour"),
    ("_C", "degC", "degC", "degF"),
    ("_K", "kelvin", "kelvin", "delta_degF"),
)

_SHOWN = {
    "liter / minute": "L/min",
    "gallon / minute": "gpm",
    "megawatt_hour": "MWh",
    "megaBtu": "MMBtu",
    "kilopascal": "kPa",
    "psi": "psi",
    "kilowatt": "kW",
    "kiloBtu / hour": "kBtu/h",
    "degC": "°C",
    "degF": "°F",
    "kelvin": "K",
    "delta_degF": "Δ°F",
}


def convert(key: str, value: float, system: str) -> tuple[str, float, str] | None:
    """``(label, value, unit)`` of SI summary entry ``key`` in ``system``; None if not converted.

    The label is the key without its SI unit suffix (``pump_power_W`` -> ``pump_power``).
    """
    if system not in UNIT_SYSTEMS:
        raise ValueError(f'unknown unit system "{system}" (one of {", ".join(UNIT_SYSTEMS)})')
    if system == "SI" or not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    for suffix, si, eng, us in _SUFFIXES:
        if key.endswith(suffix):
            target = eng if system == "engineering" else us
            if not math.isfinite(value):
                return key[: -len(suffix)], float(value), _SHOWN[target]
            from thermo.units import registry

            ureg = registry()
            q = ureg.Quantity(float(value), si)
            return key[: -len(suffix)], float(q.to(target).magnitude), _SHOWN[target]
    return None


def number(value: Any, digits: int = 4) -> str:
    """``value`` to ``digits`` significant figures, no scientific notation for 1e-3 … 1e12."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == 0.0:
        return "0"
    if not 1e-3 <= abs(v) < 1e12:
        return f"{v:.{digits - 1}e}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(v))))
    return f"{v:,.{decimals}f}"


def plain(value: Any, digits: int = 6) -> str:
    """Up to ``digits`` significant figures, trailing zeros dropped, no thousands separator and
    no exponent for 1e-3 <= |value| < 1e12 (``3000000``, not ``3e+06``); other numbers as
    ``.{digits}g``. The SI console rows and report.md use it (a script may parse them)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    v = float(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(v) or v == 0.0 or not 1e-3 <= abs(v) < 1e12:
        return f"{v:.{digits}g}"
    places = digits - 1 - math.floor(math.log10(abs(v)))
    v = round(v, places)  # negative places round big numbers to their significant figures
    text = f"{v:.{max(0, places)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def compact(value: Any, digits: int = 4) -> str:
    """:func:`number` without trailing zeros (a limit as written: ``85``, not ``85.00``)."""
    text = number(value, digits)
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return text


def summary_rows(summary: dict[str, Any], keys: list[str], system: str) -> list[tuple[str, str]]:
    """The console rows ``(label, text)`` of ``keys`` of ``summary`` in ``system``."""
    rows = []
    for k in keys:
        v = summary[k]
        got = convert(k, v, system)
        if got is None:
            rows.append((k, plain(v)))
        else:
            label, x, unit = got
            rows.append((label, f"{number(x)} {unit}"))
    return rows


# quantity kind -> (unit for thermo.units.from_si, shown unit) per system; kinds not listed are
# shown in their SI unit (a check's limit written in a unit of its own keeps it under "SI")
_KIND_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "temperature": {"SI": ("degC", "°C"), "engineering": ("degC", "°C"), "US": ("degF", "°F")},
    "temperature_difference": {
        "SI": ("K", "K"),
        "engineering": ("K", "K"),
        "US": ("delta_degF", "Δ°F"),
    },
    "pressure": {"SI": ("Pa", "Pa"), "engineering": ("kPa", "kPa"), "US": ("psi", "psi")},
    "pressure_difference": {
        "SI": ("Pa", "Pa"),
        "engineering": ("kPa", "kPa"),
        "US": ("psi", "psi"),
    },
    "volume_flow": {
        "SI": ("L/min", "L/min"),
        "engineering": ("L/min", "L/min"),
        "US": ("gallon/minute", "gpm"),
    },
    "mass_flow": {"SI": ("kg/s", "kg/s"), "engineering": ("kg/s", "kg/s"), "US": ("lb/s", "lb/s")},
    "power": {"SI": ("W", "W"), "engineering": ("kW", "kW"), "US": ("kBtu/h", "kBtu/h")},
    "energy": {"SI": ("kWh", "kWh"), "engineering": ("MWh", "MWh"), "US": ("megaBtu", "MMBtu")},
    "length": {"SI": ("m", "m"), "engineering": ("m", "m"), "US": ("ft", "ft")},
    "velocity": {"SI": ("m/s", "m/s"), "engineering": ("m/s", "m/s"), "US": ("ft/s", "ft/s")},
}


def kind_unit(kind: str, system: str) -> tuple[str, str] | None:
    """``(unit for from_si, shown unit)`` of quantity ``kind`` in ``system``; None: keep SI."""
    return _KIND_UNITS.get(kind, {}).get(system)


def kind_value(value: float, kind: str, system: str) -> tuple[float, str] | None:
    """An SI ``value`` of ``kind`` in ``system``: ``(value, shown unit)``; None if ``kind`` has
    no display unit of its own (plain numbers, ratios)."""
    got = kind_unit(kind, system)
    if got is None:
        from thermo.units import KINDS

        k = KINDS.get(kind)
        if k is None or k.si_unit == "dimensionless":
            return None
        return value, k.si_unit
    from thermo.units import from_si

    return from_si(value, got[0]), got[1]


def quantity(key: str, value: Any, system: str) -> tuple[str, str, str]:
    """``(label, number, unit)`` of summary entry ``key`` in ``system`` (SI: the key's own unit)."""
    got = convert(key, value, system) if system != "SI" else None
    if got is not None:
        label, x, unit = got
        return label, number(x), unit
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        for suffix, _si, _e, _u in _SUFFIXES:
            if key.endswith(suffix):
                return key[: -len(suffix)], number(value), _SI_SHOWN[suffix]
        return key, number(value), ""
    return key, str(value), ""


_SI_SHOWN = {
    "_L_min": "L/min",
    "_m3_s": "m³/s",
    "_kWh": "kWh",
    "_MWh": "MWh",
    "_Pa": "Pa",
    "_W": "W",
    "_C": "°C",
    "_K": "K",
}


def check_row(d: dict[str, Any], kind: str, system: str) -> dict[str, Any]:
    """A check result (``CheckResult.to_dict()``, its quantity ``kind``) as text in ``system``:
    value, limit, unit and the margin (positive on the safe side; also as a share of the limit).

    Under "SI" a check keeps the unit its limit was written in; otherwise value and limit are
    converted from SI by the check's quantity kind.
    """
    unit, value, limit = d["unit"], d["value"], d["limit"]
    target = kind_unit(kind, system) if system != "SI" else None
    if target is not None and d.get("limit_si") is not None:
        from thermo.units import from_si

        if d.get("value_si") is not None:
            value = from_si(d["value_si"], target[0])
        limit = from_si(d["limit_si"], target[0])
        unit = target[0]
    shown = {"degC": "°C", "degF": "°F", "delta_degF": "Δ°F", "gallon/minute": "gpm", "-": ""}
    margin = ""
    if value is not None and limit is not None:
        m = (limit - value) if d["bound"] == "max" else (value - limit)
        share = f" ({100 * m / abs(limit):+.1f} %)" if limit != 0 and kind != "temperature" else ""
        delta = {"degC": "K", "degF": "Δ°F"}.get(unit, shown.get(unit, unit))
        margin = f"{number(m)} {delta}".strip() + share
    return {
        "name": d["name"],
        "element": d.get("element"),
        "value": "n/a" if value is None else number(value),
        "limit": compact(limit),
        "op": "≤" if d["bound"] == "max" else "≥",
        "unit": shown.get(unit, unit),
        "margin": margin,
        "passed": d["passed"],
        "error": d.get("error") or "",
    }


def check_kind(result: Any) -> str:
    """The quantity kind of a check result (``""`` for the implicit error-flag check)."""
    check = getattr(result, "check", None)
    return getattr(check, "kind", "") or ""


# a number followed by a unit in a flag message (flag messages are written in °C, K, kPa, L/min, W)
_IN_TEXT = re.compile(
    r"(?<![\w.])([-+]?\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][-+]?\d+)?) ?(°C|kPa|Pa|bar|L/min|kW|MW|W|K)"
    r"(?![\w/°])"
)
_TEXT_UNITS = {
    "°C": ("temperature", 1.0, 273.15),
    "K": ("temperature_difference", 1.0, 0.0),
    "Pa": ("pressure_difference", 1.0, 0.0),
    "kPa": ("pressure_difference", 1e3, 0.0),
    "bar": ("pressure_difference", 1e5, 0.0),
    "L/min": ("volume_flow", 1.0 / 60000.0, 0.0),
    "W": ("power", 1.0, 0.0),
    "kW": ("power", 1e3, 0.0),
    "MW": ("power", 1e6, 0.0),
}


def flag_text(message: str, system: str) -> str:
    """A flag (or any) message with its quantities in ``system`` ("SI": unchanged)."""
    if system == "SI":
        return message

    def repl(m: re.Match) -> str:
        kind, factor, offset = _TEXT_UNITS[m.group(2)]
        try:
            si = float(m.group(1).replace(",", "")) * factor + offset
        except ValueError:
            return m.group(0)
        got = kind_value(si, kind, system)
        if got is None or got[1] == m.group(2):
            return m.group(0)
        return f"{number(got[0])} {got[1]}"

    return _IN_TEXT.sub(repl, message)


# column suffix of a result table -> (quantity kind, SI value of one unit, offset to SI);
# longest first; ``None``: a compound unit left as it is (thermal resistance, UA)
_COLUMN_SUFFIXES: tuple[tuple[str, tuple[str, float, float] | None], ...] = (
    ("_W_K", None),
    ("_K_W", None),
    ("_L_min", ("volume_flow", 1.0 / 60000.0, 0.0)),
    ("_m3_s", ("volume_flow", 1.0, 0.0)),
    ("_kg_s", ("mass_flow", 1.0, 0.0)),
    ("_m_s", ("velocity", 1.0, 0.0)),
    ("_MWh", ("energy", 3.6e9, 0.0)),
    ("_kWh", ("energy", 3.6e6, 0.0)),
    ("_kPa", ("pressure", 1e3, 0.0)),
    ("_Pa", ("pressure", 1.0, 0.0)),
    ("_bar", ("pressure", 1e5, 0.0)),
    ("_MW", ("power", 1e6, 0.0)),
    ("_kW", ("power", 1e3, 0.0)),
    ("_W", ("power", 1.0, 0.0)),
    ("_C", ("temperature", 1.0, 273.15)),
    ("_K", ("temperature_difference", 1.0, 0.0)),
    ("_m", ("length", 1.0, 0.0)),
)

_HEADER_UNIT = {
    "°C": "C",
    "°F": "F",
    "Δ°F": "dF",
    "L/min": "L_min",
    "kBtu/h": "kBtu_h",
    "kg/s": "kg_s",
    "lb/s": "lb_s",
    "m/s": "m_s",
    "ft/s": "ft_s",
}


def column_unit(column: str, system: str) -> tuple[str, float, float] | None:
    """``(new column name, scale, offset)`` of a result-table column shown in ``system``
    (displayed = scale x SI value + offset); None when the column stays as it is."""
    if system == "SI" or column == "T_K":
        return None
    for suffix, spec in _COLUMN_SUFFIXES:
        if not column.endswith(suffix):
            continue
        if spec is None:
            return None
        kind, one, offset = spec
        target = kind_unit(kind, system)
        if target is None:
            return None
        from thermo.units import from_si

        zero = from_si(offset, target[0])
        scale = from_si(offset + one, target[0]) - zero
        name = column[: -len(suffix)] + "_" + _HEADER_UNIT.get(target[1], target[1])
        return name, scale, zero
    return None


def convert_table(table: Any, system: str) -> Any:
    """A copy of a result table (pandas DataFrame or :class:`~thermo.network.table.Table`) with
    its unit-suffixed columns in ``system``, the headers naming the new units (``dp_Pa`` ->
    ``dp_kPa``); a column whose new name is already taken (``V_dot_m3_s`` and ``V_dot_L_min`` both
    in L/min) is left out."""
    if system == "SI":
        return table
    import numpy as np

    from thermo.network.table import Table

    plain = isinstance(table, Table)
    out = {}
    names = set()
    for col in table.columns:
        got = column_unit(str(col), system) if isinstance(col, str) else None
        if got is None:
            new, values = col, table.columns[col] if plain else table[col]
        else:
            new, scale, zero = got
            try:
                if plain:
                    values = np.asarray(table.columns[col]).astype(float) * scale + zero
                else:
                    values = table[col].astype(float) * scale + zero
            except (TypeError, ValueError):
                new, values = col, table.columns[col] if plain else table[col]
        if new in names:
            continue
        names.add(new)
        out[new] = values
    if plain:
        return Table(out, table.index, table.index_name, from_rows=table.from_rows)
    import pandas as pd

    return pd.DataFrame(out, index=table.index)
