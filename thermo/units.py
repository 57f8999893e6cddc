"""Units at the edges: parse user quantities to SI floats, and nothing else.

thermo computes in SI (K, Pa, kg/s, m³/s, W, m, J) on plain floats and numpy arrays. pint is used only
here, to turn what a user writes (``"30 degC"``, ``"1.5 L/min"``, ``"0.3 bar"``) into SI floats, and
it is imported lazily so that ``import thermo`` and ``thermo --help`` stay fast.

Rules
-----
- **Temperatures vs temperature differences.** A *temperature* may be written in ``degC``, ``°C``,
  ``degF`` or ``K``; a *temperature difference* in ``K``, ``delta_degC`` or ``delta_degF``. ``"10 degC"``
  given where a difference is expected is an error (it would mean 283.15 K), and so is
  ``"10 delta_degC"`` where a temperature is expected. pint's ``autoconvert_offset_to_baseunit`` stays
  off, so an offset unit can never silently enter a product (see LIBS.md §5).
- **Pressure is absolute.** ``barg``, ``bar(g)``, ``psig`` and ``kPag`` are rejected with a message
  giving the absolute value to write instead (gauge + 101.325 kPa standard atmosphere). Pressure
  *differences* (pump heads, pressure drops) are written with ordinary pressure units.
- **Bare numbers** are taken as SI when ``allow_bare=True`` (the Python API); case files call with
  ``allow_bare=False`` so that a missing unit is an error.
- Shorthands accepted in addition to pint's own: ``m2``, ``m3`` (and ``cm2``, ``mm2``, ``ft3``, …),
  ``gpm`` (US gallon per minute), ``lpm`` (litre per minute), ``mWC`` (metre of water column),
  ``TR`` (ton of refrigeration).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from thermo.errors import UnitError

__all__ = ["KINDS", "Kind", "registry", "to_si", "parse_quantity", "from_si"]

STANDARD_ATMOSPHERE_PA = 101_325.0
"""Standard atmosphere [Pa] (ISO 2533), used only to explain gauge pressures in error messages."""


@dataclass(frozen=True)
class Kind:
    """A physical kind of quantity: its SI unit and how to describe it to a user."""

    name: str
    si_unit: str
    description: str
    example: str


_KIND_LIST = [
    Kind("temperature", "K", "a temperature", "30 degC"),
    Kind("temperature_difference", "K", "a temperature difference", "10 K"),
    Kind("pressure", "Pa", "an absolute pressure", "2 bar"),
    Kind("pressure_difference", "Pa", "a pressure difference", "45 kPa"),
    Kind("volume_flow", "m^3/s", "a volume flow", "1.5 L/min"),
    Kind("mass_flow", "kg/s", "a mass flow", "0.025 kg/s"),
    Kind("power", "W", "a power or heat flow", "120 kW"),
    Kind("energy", "J", "an energy", "1.2 MWh"),
    Kind("length", "m", "a length", "25 mm"),
    Kind("area", "m^2", "an area", "40000 m2"),
    Kind("volume", "m^3", "a volume", "2 m3"),
    Kind("velocity", "m/s", "a velocity", "1.5 m/s"),
    Kind("time", "s", "a time", "1 h"),
    Kind("density", "kg/m^3", "a density", "1000 kg/m3"),
    Kind("specific_heat", "J/(kg*K)", "a specific heat capacity", "3.9 kJ/(kg*K)"),
    Kind("dynamic_viscosity", "Pa*s", "a dynamic viscosity", "1 mPa*s"),
    Kind("thermal_conductivity", "W/(m*K)", "a thermal conductivity", "0.6 W/(m*K)"),
    Kind("thermal_resistance", "K/W", "a thermal resistance", "0.03 K/W"),
    Kind("thermal_conductance", "W/K", "a thermal conductance (UA)", "150 kW/K"),
    Kind("heat_transfer_coefficient", "W/(m^2*K)", "a heat transfer coefficient", "4 W/(m2*K)"),
    Kind("irradiance", "W/m^2", "an irradiance or heat flux", "500 W/m2"),
    Kind("emission_factor", "kg/J", "an emission factor", "0.185 kg/kWh"),
    Kind("frequency", "1/s", "a rate per time", "1 1/h"),
    Kind("dimensionless", "dimensionless", "a plain number or fraction", "0.25"),
]
KINDS: dict[str, Kind] = {k.name: k for k in _KIND_LIST}
"""Every kind of quantity :func:`to_si` understands, by name."""

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_POWER_SHORTHAND = re.compile(r"\b(m|cm|mm|km|dm|ft|in)([23])\b")
_GAUGE = re.compile(r"^(bar|kPa|Pa|MPa|psi)\s*(?:\(g\)|g)$", re.IGNORECASE)
_GAUGE_UNIT_PA = {"bar": 1e5, "kpa": 1e3, "pa": 1.0, "mpa": 1e6, "psi": 6894.757293168361}
_OFFSET_UNITS = {"degC", "°C", "celsius", "degree_Celsius", "degF", "°F", "fahrenheit"}
_DELTA_UNITS = {"delta_degC", "delta_degF", "delta_celsius", "delta_fahrenheit", "Δ°C"}

_FAST_FACTORS: dict[str, tuple[str, float]] = {
    "W": ("W", 1.0),
    "kW": ("W", 1000.0),
    "MW": ("W", 1000000.0),
    "K": ("K", 1.0),
    "Pa": ("Pa", 1.0),
    "kPa": ("Pa", 1000.0),
    "bar": ("Pa", 100000.0),
    "MPa": ("Pa", 1000000.0),
    "kg/s": ("kg/s", 1.0),
    "L/min": ("m^3/s", 1.666666666666667e-05),
    "m^3/s": ("m^3/s", 1.0),
    "m^3/h": ("m^3/s", 0.0002777777777777778),
    "m": ("m", 1.0),
    "mm": ("m", 0.001),
    "cm": ("m", 0.01),
    "km": ("m", 1000.0),
    "s": ("s", 1.0),
    "min": ("s", 60.0),
    "h": ("s", 3600.0),
    "m^2": ("m^2", 1.0),
    "m^3": ("m^3", 1.0),
    "L": ("m^3", 0.0010000000000000002),
    "W/K": ("W/K", 1.0),
    "kW/K": ("W/K", 1000.0),
    "MW/K": ("W/K", 1000000.0),
    "J/(kg*K)": ("J/(kg*K)", 1.0),
    "kJ/(kg*K)": ("J/(kg*K)", 1000.0),
    "m/s": ("m/s", 1.0),
    "J": ("J", 1.0),
    "kWh": ("J", 3600000.0),
    "MWh": ("J", 3600000000.0),
    "kg/m^3": ("kg/m^3", 1.0),
    "K/W": ("K/W", 1.0),
    "W/(m^2*K)": ("W/(m^2*K)", 1.0),
    "W/(m*K)": ("W/(m*K)", 1.0),
    "W/m^2": ("W/m^2", 1.0),
}
"""The most common case-file units with pint's own SI factor, so that a small case converts its
quantities without importing pint (about 0.4 s of CPU with its optional dependencies). Each
factor is the float pint computes; ``x * factor`` equals pint's conversion bit for bit
(tests/test_units_fast.py checks every entry against pint). Any other unit goes through pint."""
_KELVIN_OFFSET = 273.15
"""degC -> K as pint applies it (``x + 273.15``, checked bit for bit against pint)."""

MAX_QUANTITY_LENGTH = 64
"""Longest quantity text accepted (number, unit and spaces), in characters."""
MAX_UNIT_NESTING = 3
"""Deepest parenthesis nesting accepted in a unit, e.g. ``W/(m^2*K)`` has 1."""
_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_°µΔΩ%][A-Za-z0-9_°µΔΩ%]*)|(?P<one>1)(?![0-9.])"
    r"|(?P<pow>\*\*|\^)\s*(?P<exp>[-+]?\d{1,2}(?:\.\d{1,3})?)|(?P<op>[*/])|(?P<paren>[()]))"
)


@functools.lru_cache(maxsize=1)
def registry() -> Any:
    """The one pint ``UnitRegistry`` of thermo (created on first use).

    Offset units are kept strict: ``autoconvert_offset_to_baseunit`` is off, so ``"30 degC"`` can only
    enter through :func:`to_si`, which builds it from value and unit separately.
    """
    import pint

    ureg = pint.UnitRegistry()
    ureg.define("gpm = gallon / minute")
    ureg.define("lpm = liter / minute = LPM")
    ureg.define("mWC = meter_H2O")
    ureg.define("TR = ton_of_refrigeration")
    return ureg


def _describe(value: Any) -> str:
    return repr(value) if not isinstance(value, str) else f"`{value}`"


def _unit_shape_error(unit: str) -> str | None:
    """Why ``unit`` is not a plain unit expression, or None.

    A unit is names (``kW``, ``degC``, ``L``) joined by ``*``, ``/`` or spaces, each optionally
    raised to a small whole or decimal power (``^2``, ``**-1``), with at most
    :data:`MAX_UNIT_NESTING` levels of parentheses, and ``1`` only as in ``1/h``. Nothing else
    reaches pint, so a case file can never make pint evaluate arithmetic (``kW*9**9**9``).
    """
    pos = 0
    depth = 0
    expect_factor = True
    while pos < len(unit):
        if unit[pos:].strip() == "":
            break
        m = _UNIT_TOKEN.match(unit, pos)
        if m is None:
            return f"unexpected `{unit[pos : pos + 10]}`"
        pos = m.end()
        if m.group("name") or m.group("one"):
            if not expect_factor and m.group("one"):
                return "a number inside the unit"
            expect_factor = False
        elif m.group("pow"):
            if expect_factor:
                return "a power without a unit before it"
        elif m.group("op"):
            if expect_factor:
                return f"`{m.group('op')}` without a unit before it"
            expect_factor = True
        elif m.group("paren") == "(":
            if not expect_factor:
                expect_factor = True
            depth += 1
            if depth > MAX_UNIT_NESTING:
                return f"more than {MAX_UNIT_NESTING} levels of parentheses"
        else:
            if expect_factor or depth == 0:
                return "unbalanced `)`"
            depth -= 1
    if depth:
        return "unbalanced `(`"
    if expect_factor and unit.strip():
        return "the unit ends with an operator"
    return None


def _split(text: str, kind: Kind, key: str | None) -> tuple[float, str]:
    if len(text) > MAX_QUANTITY_LENGTH:
        raise UnitError(
            f"a quantity of {len(text)} characters is too long (at most "
            f"{MAX_QUANTITY_LENGTH}); write a number and a unit, e.g. `{kind.example}`",
            key=key,
            value=text[:MAX_QUANTITY_LENGTH] + "…",
        )
    m = _NUMBER.match(text)
    if not m:
        raise UnitError(
            f"cannot read {_describe(text)} as {kind.description}; write a number and a unit, "
            f"e.g. `{kind.example}`",
            key=key,
            value=text,
        )
    unit = _POWER_SHORTHAND.sub(r"\1^\2", m.group(2).strip())
    if not _GAUGE.match(unit):
        why = _unit_shape_error(unit)
        if why is not None:
            raise UnitError(
                f"cannot read {_describe(text)} as {kind.description}: {why}; write a number and "
                f"a unit such as `{kind.example}` (units are names joined by `*`, `/` and `^n`)",
                key=key,
                value=text,
            )
    return float(m.group(1)), unit


def to_si(value: Any, kind: str, *, key: str | None = None, allow_bare: bool = True) -> float:
    """Convert a user quantity to a float in SI units.

    Parameters
    ----------
    value
        A string with number and unit (``"1.5 L/min"``), a pint Quantity, or a bare number. A bare
        number is taken as already in SI when ``allow_bare`` is true.
    kind
        Name of the expected kind, a key of :data:`KINDS` (e.g. ``"temperature"``, ``"volume_flow"``).
    key
        Key path used in error messages (e.g. ``"components.pump1.head"``).
    allow_bare
        Accept numbers without unit as SI. Case files pass ``False``: a dimensional value needs a unit.

    Returns
    -------
    float
        The value in the SI unit of ``kind`` (``KINDS[kind].si_unit``).

    Raises
    ------
    UnitError
        Unknown unit, wrong dimension, a temperature given where a difference is expected (or the
        reverse), a gauge pressure, or a bare number where a unit is required.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown quantity kind {kind!r}; expected one of {sorted(KINDS)}")
    k = KINDS[kind]
    if isinstance(value, bool):
        raise UnitError(
            f"expected {k.description} (e.g. `{k.example}`), got the boolean {value}",
            key=key,
            value=value,
        )
    if isinstance(value, (int, float)):
        if kind == "dimensionless" or allow_bare:
            return float(value)
        raise UnitError(
            f"expected {k.description} with a unit (e.g. `{k.example}`), got the bare number {value}",
            key=key,
            value=value,
        )
    if isinstance(value, str):
        number, unit = _split(value, k, key)
        return _convert(number, unit, k, key, value)
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        return _convert(float(value.magnitude), str(value.units), k, key, value)
    raise UnitError(
        f"expected {k.description} as text with a unit (e.g. `{k.example}`), "
        f"got {type(value).__name__} {value!r}",
        key=key,
        value=value,
    )


def parse_quantity(text: str, kind: str, *, key: str | None = None) -> float:
    """Like :func:`to_si` for text that must carry a unit (bare numbers are rejected)."""
    return to_si(text, kind, key=key, allow_bare=False)


def _convert(number: float, unit: str, k: Kind, key: str | None, original: Any) -> float:
    gauge = _GAUGE.match(unit)
    if gauge:
        scale = _GAUGE_UNIT_PA[gauge.group(1).lower()]
        absolute = number * scale + STANDARD_ATMOSPHERE_PA
        raise UnitError(
            f"{_describe(original)} is a gauge pressure; thermo takes absolute pressures: write "
            f"`{absolute / scale:.6g} {gauge.group(1)}` (gauge + 101.325 kPa standard atmosphere), "
            "or use a pressure difference where one is meant",
            key=key,
            value=original,
        )
    if unit == "" and k.name != "dimensionless":
        raise UnitError(
            f"expected {k.description} with a unit (e.g. `{k.example}`), got {_describe(original)}",
            key=key,
            value=original,
        )
    is_offset = unit in _OFFSET_UNITS
    is_delta = unit in _DELTA_UNITS
    if k.name == "temperature_difference" and is_offset:
        raise UnitError(
            f"{_describe(original)} is a temperature, but a temperature difference is expected; "
            f"write `{number:g} K` or `{number:g} delta_degC`",
            key=key,
            value=original,
        )
    if k.name == "temperature" and is_delta:
        raise UnitError(
            f"{_describe(original)} is a temperature difference, but a temperature is expected; "
            f"write e.g. `{number:g} degC` or a value in K",
            key=key,
            value=original,
        )
    fast = _FAST_FACTORS.get(unit)
    if fast is not None and fast[0] == k.si_unit:
        return number * fast[1]
    if unit == "degC" and k.name == "temperature":
        return number + _KELVIN_OFFSET
    import pint

    ureg = registry()
    try:
        q = ureg.Quantity(number, unit or "dimensionless")
        result = q.to(k.si_unit).magnitude
    except pint.errors.UndefinedUnitError:
        raise UnitError(
            f"unknown unit `{unit}` in {_describe(original)}; expected {k.description} "
            f"(e.g. `{k.example}`)",
            key=key,
            value=original,
        ) from None
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"expected {k.description} (e.g. `{k.example}`), got {_describe(original)}",
            key=key,
            value=original,
        ) from None
    except (pint.errors.OffsetUnitCalculusError, ValueError, AttributeError) as exc:
        raise UnitError(
            f"cannot read {_describe(original)} as {k.description}: {exc}", key=key, value=original
        ) from None
    except Exception:  # noqa: BLE001 - pint's parser raises many kinds; all mean "not a unit"
        raise UnitError(
            f"cannot read {_describe(original)} as {k.description}; write a number and a unit, "
            f"e.g. `{k.example}`",
            key=key,
            value=original,
        ) from None
    return float(result)


def from_si(value: float, unit: str) -> float:
    """Express an SI float in a display unit: ``from_si(303.15, "degC") -> 30.0``.

    ``value`` must be in the coherent SI unit of the dimension of ``unit`` (K for temperatures).
    """
    unit = _POWER_SHORTHAND.sub(r"\1^\2", unit)
    if unit == "degC":
        return value - _KELVIN_OFFSET
    fast = _FAST_FACTORS.get(unit)
    if fast is not None:
        return value / fast[1]
    ureg = registry()
    if unit in _OFFSET_UNITS:
        return float(ureg.Quantity(value, "K").to(unit).magnitude)
    factor = ureg.Quantity(1.0, unit).to_base_units().magnitude
    return float(value / factor)
