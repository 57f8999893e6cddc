"""Dynamic simulation of thermo networks: thermal mass, storage tanks, pump trips, power swings.

The steady network of :mod:`thermo.network` gains memory: fluid volumes (pipe cells, tank
layers), plate walls and pump rotors store energy, and an implicit, adaptive BDF integrator
(:func:`simulate`) solves the network once per time step with its own sparse Newton method.
See docs/transient.md for the equations, tolerances and limits.
"""

from thermo.transient.drives import Condition, Drive, Event, PiecewiseLinear, SwingDrive
from thermo.transient.integrator import TransientOptions, TransientResult, simulate
from thermo.transient.model import DEFAULT_PLATE_CAPACITY, TransientModel
from thermo.transient.tank import StorageTank, TankLayer

__all__ = [
    "DEFAULT_PLATE_CAPACITY",
    "Drive",
    "Condition",
    "Event",
    "PiecewiseLinear",
    "StorageTank",
    "SwingDrive",
    "TankLayer",
    "TransientModel",
    "TransientOptions",
    "TransientResult",
    "simulate",
]
