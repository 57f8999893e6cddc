"""Capital cost curves of the equipment of a heat-reuse plant: purchased cost ``a + b * S**n``.

Each curve states its size variable and unit, its validity range, its currency and cost year, and
its source. Where no published curve was at hand, the entry is an **assumption** and says so
(``assumption=True``); replace it with a quotation or a published figure for a real project.
Costs are *purchased* equipment costs unless the curve says ``installed``; installation (piping, foundations, electrical, controls,
engineering) is a separate factor (:func:`installed_cost`), e.g. Lang-type factors of about 2-4
(Towler & Sinnott, sec. 7.6).

Sizes above a curve's range are priced as several equal units within the range (the usual
estimating practice for modular equipment); sizes below its range are priced at the range's
lower end and flagged (a warning), never extrapolated silently.

Sources
-------
[TS] G. Towler, R. Sinnott, *Chemical Engineering Design*, 2nd ed., Butterworth-Heinemann, 2012,
     Table 6.6 (purchased equipment cost, US Gulf Coast basis, January 2010, USD; CEPCI 532.9).
     No copy of the book could be retrieved here. Cross-check (December 2026) against two
     independent secondary transcriptions in public code: the plate-and-frame (1600, 210, 0.95;
     1-500 m2) and single-stage centrifugal pump (8000, 240, 0.9; 0.2-126 L/s) constants agree
     exactly with a January-2010 transcription; the cone-roof tank (5800, 1600, 0.7) was found
     only on the 2007 basis (5000, 1400, 0.7; CEPCI 509.7), which scaled by 532.9/509.7 gives
     5230 + 1460 S^0.7, about 10 % below the value used here: the tank curve stays unverified.
[DEA] Danish Energy Agency & Energinet, *Technology Data: Generation of Electricity and District
     Heating* (2016, updated), sheets "Large-scale heat pumps" and "District heating boilers,
     natural gas"; nominal investment per MW of heat, EUR 2015.
[PW] U. Persson, S. Werner, "Heat distribution and the future competitiveness of district
     heating", Applied Energy 88 (2011) 568-576: the construction cost of a district-heating
     pipe per trench metre is linear in the mean pipe diameter, ``C1 + C2 * d``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from thermo.errors import InputError

__all__ = ["CostCurve", "CURVES", "purchased_cost", "installed_cost"]


@dataclass(frozen=True)
class CostCurve:
    """Purchased cost ``a + b * S**n`` of one unit of size ``S`` in ``unit`` (``low..high``)."""

    name: str
    a: float
    b: float
    n: float
    unit: str
    si_per_unit: float
    """SI value of one ``unit`` (1 for m2, m3, m; 1000 for kW; 1e-3 for L/s)."""
    low: float
    high: float
    currency: str
    year: int
    source: str
    assumption: bool = False
    per_length: bool = False
    """Cost per metre (pipes): multiply by the length."""
    installed: bool = False
    """The curve gives an installed cost already (no installation factor by default)."""

    def unit_cost(self, size: float) -> float:
        return self.a + self.b * size**self.n


CURVES: dict[str, CostCurve] = {
    c.name: c
    for c in (
        CostCurve(
            "plate_heat_exchanger",
            1600.0,
            210.0,
            0.95,
            "m2",
            1.0,
            1.0,
            500.0,
            "USD",
            2010,
            "[TS] Table 6.6, plate and frame exchanger, area 1-500 m2",
        ),
        CostCurve(
            "storage_tank",
            5800.0,
            1600.0,
            0.7,
            "m3",
            1.0,
            10.0,
            4000.0,
            "USD",
            2010,
            "[TS] Table 6.6, storage tank, cone roof, capacity 10-4000 m3",
        ),
        CostCurve(
            "pump",
            8000.0,
            240.0,
            0.9,
            "L/s",
            1e-3,
            0.2,
            126.0,
            "USD",
            2010,
            "[TS] Table 6.6, centrifugal pump, single stage, flow 0.2-126 L/s",
        ),
        CostCurve(
            "heat_pump",
            0.0,
            700.0,
            1.0,
            "kW",
            1e3,
            1000.0,
            50000.0,
            "EUR",
            2015,
            "[DEA] large-scale electric heat pumps, about 0.5-0.9 MEUR per MW of heat; 0.7 "
            "MEUR/MW taken (an assumption within the published span); installed cost",
            assumption=True,
            installed=True,
        ),
        CostCurve(
            "boiler",
            0.0,
            60.0,
            1.0,
            "kW",
            1e3,
            1000.0,
            50000.0,
            "EUR",
            2015,
            "[DEA] district-heating boilers on natural gas, about 0.05-0.1 MEUR per MW; 0.06 "
            "MEUR/MW taken (an assumption within the published span); installed cost",
            assumption=True,
            installed=True,
        ),
        CostCurve(
            "dry_cooler",
            0.0,
            60.0,
            1.0,
            "kW",
            1e3,
            100.0,
            20000.0,
            "EUR",
            2020,
            "assumption: 60 EUR per kW of rated heat rejection (no published cost curve "
            "retrieved; replace with a quotation)",
            assumption=True,
        ),
        CostCurve(
            "pipe",
            300.0,
            2000.0,
            1.0,
            "m",
            1.0,
            0.02,
            1.2,
            "EUR",
            2007,
            "form of [PW]: cost per trench metre C1 + C2 * d (d: inner diameter, m); C1 = 300 "
            "EUR/m and C2 = 2000 EUR/m2 are assumptions of this project of the order of [PW]'s "
            "outer-city values; verify before use",
            assumption=True,
            per_length=True,
            installed=True,
        ),
    )
}


def purchased_cost(
    curve: str | CostCurve, size: float, *, length: float = 1.0
) -> tuple[float, int]:
    """Purchased cost (curve currency) and number of units for ``size`` (in the curve's unit).

    ``length`` multiplies a per-metre curve (pipes).

    Raises
    ------
    InputError
        Unknown curve, or a size that is not a positive finite number.
    """
    c = CURVES.get(curve) if isinstance(curve, str) else curve
    if c is None:
        raise InputError(
            f"unknown cost curve {curve!r} (known: {', '.join(CURVES)})", key="curve", value=curve
        )
    if not (math.isfinite(size) and size > 0):
        raise InputError(
            f"{c.name}: size must be a positive number of {c.unit}, got {size!r}",
            key="size",
            value=size,
        )
    units = 1
    if size > c.high and not c.per_length:
        units = math.ceil(size / c.high)
        size = size / units
    elif size > c.high or size < c.low:
        warnings.warn(
            f"cost curve {c.name}: size {size:g} {c.unit} outside its range "
            f"{c.low:g}-{c.high:g} {c.unit}; priced at the nearest end ({c.source})",
            UserWarning,
            stacklevel=2,
        )
        size = min(max(size, c.low), c.high)
    return units * c.unit_cost(size) * (length if c.per_length else 1.0), units


def installed_cost(purchased: float, installation_factor: float) -> float:
    """``purchased * installation_factor`` (a Lang-type factor >= 1)."""
    if not (math.isfinite(installation_factor) and installation_factor >= 1.0):
        raise InputError(
            f"installation factor must be >= 1 (installed / purchased), got {installation_factor!r}",
            key="installation_factor",
            value=installation_factor,
        )
    return purchased * installation_factor
