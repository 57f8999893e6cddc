"""Power chain of a grid-interactive AI data centre: IT power at 0.1 s – 1 h, PSU and site
storage, UPS and distribution losses, grid ramp and peak limits, TokEnergy.

See ``docs/power.md``. Layers: :mod:`~thermo.power.profile` (IT power),
:mod:`~thermo.power.ups`, :mod:`~thermo.power.storage` (storage and dispatch),
:mod:`~thermo.power.signals` (hourly price/carbon), :mod:`~thermo.power.chain` (the chain and
its metrics), :mod:`~thermo.power.case` (the ``[power]`` case section).
"""

from __future__ import annotations

from thermo.power.chain import PowerChain, PowerRun, simulate
from thermo.power.profile import DemandResponse, Inference, ITPower, TrainingJob, hall_it_power
from thermo.power.signals import GridSignals, read_signals
from thermo.power.storage import Storage, dispatch
from thermo.power.ups import UPS, Distribution

__all__ = [
    "PowerChain",
    "PowerRun",
    "simulate",
    "TrainingJob",
    "Inference",
    "DemandResponse",
    "ITPower",
    "hall_it_power",
    "GridSignals",
    "read_signals",
    "Storage",
    "dispatch",
    "UPS",
    "Distribution",
]
