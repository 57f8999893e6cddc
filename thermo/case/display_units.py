"""Units of the console summary: ``[outputs] units = "SI" | "engineering" | "US"`` (issue 18, item 3).

The values stay SI everywhere inside thermo and in results.json (the unit in every key); only the
headline rows printed by ``thermo run`` / ``thermo check`` are converted, with pint, at this edge.

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


def summary_rows(summary: dict[str, Any], keys: list[str], system: str) -> list[tuple[str, str]]:
    """The console rows ``(label, text)`` of ``keys`` of ``summary`` in ``system``."""
    rows = []
    for k in keys:
        v = summary[k]
        got = convert(k, v, system)
        if got is None:
            rows.append((k, f"{v:.6g}" if isinstance(v, float) else str(v)))
        else:
            label, x, unit = got
            rows.append((label, f"{number(x)} {unit}"))
    return rows
