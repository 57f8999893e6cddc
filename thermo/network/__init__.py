"""Hydraulic–thermal networks: build from components, solve jointly with sparse Newton.

The components most loops need are re-exported here, so a script needs one import line.
"""

from thermo.components.boundaries import ExpansionTank, FlowSource, PressureBoundary
from thermo.components.check_valve import CheckValve, Connection, IsolationValve
from thermo.components.heat import Cooler, HeatLoad
from thermo.components.heat_exchanger import HeatExchanger
from thermo.components.pipe import Pipe
from thermo.components.pump import Pump
from thermo.components.valve import ThreeWayValve, Valve
from thermo.network.controls import (
    Control,
    DifferentialPressure,
    MassFlow,
    NodeTemperature,
    VolumeFlow,
)
from thermo.network.model import Network
from thermo.network.newton import SolveReport, SolverOptions
from thermo.network.results import Flag, Results

__all__ = [
    "Network",
    "SolverOptions",
    "SolveReport",
    "Results",
    "Flag",
    "Pipe",
    "ThreeWayValve",
    "Valve",
    "CheckValve",
    "IsolationValve",
    "Connection",
    "Pump",
    "HeatLoad",
    "Cooler",
    "HeatExchanger",
    "ExpansionTank",
    "PressureBoundary",
    "FlowSource",
    "Control",
    "DifferentialPressure",
    "MassFlow",
    "VolumeFlow",
    "NodeTemperature",
]
