"""The pint-free fast path of thermo.units gives pint's own numbers, bit for bit."""

from __future__ import annotations

import random

import pytest

from thermo.units import _FAST_FACTORS, KINDS, from_si, registry, to_si

SI_UNITS = {k.si_unit for k in KINDS.values()}


def _numbers() -> list[float]:
    rng = random.Random(19)
    values = [0.0, 1.0, 1.5, 45.0, 85.0, 2.0, 0.1, 1e-6, 123456.789]
    for _ in range(400):
        digits = rng.randint(0, 6)
        values.append(float(f"{rng.uniform(-1000, 1000):.{digits}f}") * 10 ** rng.randint(-6, 6))
    return values


@pytest.mark.parametrize("unit", sorted(_FAST_FACTORS))
def test_fast_factor_matches_pint_bit_for_bit(unit):
    si, factor = _FAST_FACTORS[unit]
    assert si in SI_UNITS
    ureg = registry()
    assert factor == ureg.Quantity(1.0, unit).to(si).magnitude
    kind = next(k.name for k in KINDS.values() if k.si_unit == si)
    for x in _numbers():
        assert to_si(f"{x!r} {unit}", kind) == ureg.Quantity(x, unit).to(si).magnitude
        assert from_si(x, unit) == x / ureg.Quantity(1.0, unit).to_base_units().magnitude


def test_celsius_fast_path_matches_pint_bit_for_bit():
    ureg = registry()
    for x in _numbers():
        assert to_si(f"{x!r} degC", "temperature") == ureg.Quantity(x, "degC").to("K").magnitude
        assert from_si(x, "degC") == ureg.Quantity(x, "K").to("degC").magnitude


def test_fast_path_keeps_dimension_errors():
    from thermo.errors import InputError

    with pytest.raises(InputError, match="a pressure difference"):
        to_si("3 kW", "pressure_difference")
    with pytest.raises(InputError, match="temperature difference"):
        to_si("3 degC", "temperature_difference")
    assert to_si("2 m3", "volume") == 2.0
