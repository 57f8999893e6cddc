"""Heat-reuse plant: heat pumps and boilers as cited, vectorised physics functions.

The modules import numpy only; CoolProp and scipy load inside the functions that need them.
"""

from __future__ import annotations

from thermo.plant.boiler import ElectricBoiler, GasBoiler, top_up_heat
from thermo.plant.heat_pump import (
    CarnotHeatPump,
    HeatPumpOperation,
    OperatingFlags,
    VaporCompressionHeatPump,
    carnot_cop,
    vapor_compression_cycle,
)

__all__ = [
    "CarnotHeatPump",
    "ElectricBoiler",
    "GasBoiler",
    "top_up_heat",
    "HeatPumpOperation",
    "OperatingFlags",
    "VaporCompressionHeatPump",
    "carnot_cop",
    "vapor_compression_cycle",
]
