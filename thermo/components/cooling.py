"""Liquid-cooling network components and composites, in one import.

>>> from thermo.components.cooling import ColdPlate, PlateSpec, Rack, CDU, DryCooler

- :class:`ColdPlate`, :class:`MicrochannelColdPlate` (``thermo.components.cold_plate``)
- :class:`PlateSpec`, :class:`QuickDisconnect`, :class:`ServerTray`, :class:`Rack`,
  :func:`rack_summary` (``thermo.components.rack``)
- :class:`PlateHeatExchanger` (``thermo.components.plate_heat_exchanger``)
- :class:`CDU`, :func:`cdu_summary` (``thermo.components.cdu``)
- :class:`DryCooler` (``thermo.components.dry_cooler``)

Importing this module imports numpy and thermo only (the correlations that need ``fluids``/``ht``
are imported when a component is built). Equations, parameters and sources: docs/components.md.
"""

from thermo.components.cdu import CDU, cdu_summary
from thermo.components.cold_plate import ColdPlate, MicrochannelColdPlate
from thermo.components.dry_cooler import DryCooler
from thermo.components.plate_heat_exchanger import PlateHeatExchanger
from thermo.components.rack import PlateSpec, QuickDisconnect, Rack, ServerTray, rack_summary

__all__ = [
    "CDU",
    "ColdPlate",
    "DryCooler",
    "MicrochannelColdPlate",
    "PlateHeatExchanger",
    "PlateSpec",
    "QuickDisconnect",
    "Rack",
    "ServerTray",
    "cdu_summary",
    "rack_summary",
]
