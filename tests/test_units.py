"""Unit parsing at the edges: SI results checked against hand conversions (exact factors)."""

from __future__ import annotations

import pytest

from thermo.errors import UnitError
from thermo.units import from_si, to_si


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("30 degC", "temperature", 303.15),
        ("30 °C", "temperature", 303.15),
        ("-5 degC", "temperature", 268.15),
        ("303.15 K", "temperature", 303.15),
        ("86 degF", "temperature", 303.15),
        ("10 K", "temperature_difference", 10.0),
        ("10 delta_degC", "temperature_difference", 10.0),
        ("18 delta_degF", "temperature_difference", 10.0),
        ("1.5 L/min", "volume_flow", 1.5e-3 / 60),
        ("12 m3/h", "volume_flow", 12 / 3600),
        ("12 m^3/h", "volume_flow", 12 / 3600),
        ("10 gpm", "volume_flow", 10 * 3.785411784e-3 / 60),
        ("0.025 kg/s", "mass_flow", 0.025),
        ("120 kW", "power", 120e3),
        ("1 TR", "power", 3516.8528),
        ("0.3 bar", "pressure_difference", 30e3),
        ("45 kPa", "pressure", 45e3),
        ("1 mWC", "pressure_difference", 9806.65),
        ("25 mm", "length", 0.025),
        ("40000 m2", "area", 4e4),
        ("0.03 K/W", "thermal_resistance", 0.03),
        ("4 W/(m2*K)", "heat_transfer_coefficient", 4.0),
        ("0.185 kg/kWh", "emission_factor", 0.185 / 3.6e6),
        ("25 %", "dimensionless", 0.25),
        ("1.2 MWh", "energy", 1.2 * 3.6e9),
    ],
)
def test_to_si_hand_conversions(text: str, kind: str, expected: float) -> None:
    assert to_si(text, kind) == pytest.approx(expected, rel=1e-6)


def test_bare_numbers_are_si_in_python_but_rejected_in_files() -> None:
    assert to_si(0.025, "mass_flow") == 0.025
    with pytest.raises(UnitError, match=r"`pump.flow`: expected a mass flow with a unit"):
        to_si(0.025, "mass_flow", key="pump.flow", allow_bare=False)


@pytest.mark.parametrize(
    ("text", "kind", "match"),
    [
        ("30 degC", "volume_flow", r"expected a volume flow \(e.g. `1.5 L/min`\), got `30 degC`"),
        ("10 degC", "temperature_difference", r"write `10 K` or `10 delta_degC`"),
        ("10 delta_degC", "temperature", "temperature difference, but a temperature is expected"),
        ("3 barg", "pressure", r"gauge pressure.*`4.01325 bar`"),
        ("3 bar(g)", "pressure", r"gauge pressure.*`4.01325 bar`"),
        ("30 psig", "pressure", "gauge pressure"),
        ("5 furlongs_per_fortnight", "velocity", "unknown unit"),
        ("fast", "velocity", "write a number and a unit"),
        ("12", "volume_flow", "with a unit"),
    ],
)
def test_bad_quantities_name_key_value_and_expectation(text: str, kind: str, match: str) -> None:
    with pytest.raises(UnitError, match=match) as info:
        to_si(text, kind, key="loop.pump.flow")
    assert info.value.key == "loop.pump.flow"
    assert "`loop.pump.flow`" in str(info.value)


def test_offset_units_never_enter_products_silently() -> None:
    # pint's strict default must stay on: degC times anything raises rather than using 303.15 K.
    import pint

    from thermo.units import registry

    q = registry().Quantity
    with pytest.raises(pint.errors.OffsetUnitCalculusError):
        _ = q(2.0, "kg/s") * q(15.0, "degC")


def test_from_si_round_trip() -> None:
    assert from_si(303.15, "degC") == pytest.approx(30.0)
    assert from_si(2.5e-5, "L/min") == pytest.approx(1.5)
    assert from_si(12 / 3600, "m3/h") == pytest.approx(12.0)
