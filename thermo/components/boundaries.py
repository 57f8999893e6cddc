"""Boundary elements: expansion tank (pressure reference), pressure boundary, flow source.

A boundary sits at one node and carries an external flow ``m_ext`` [kg/s], positive *into* the
network. Every closed hydraulic loop needs exactly one pressure reference (an
:class:`ExpansionTank` or a :class:`PressureBoundary`); the loop's coolant can be given there.
"""

from __future__ import annotations

from typing import Any

from thermo.components.base import Boundary, check_positive


class ExpansionTank(Boundary):
    """Pressure reference of a closed loop: holds ``pressure`` [Pa, absolute] at ``node``.

    In steady state no fluid enters or leaves (``m_ext = 0``); the tank only fixes the pressure
    level, as a real expansion vessel does at its connection point. ``coolant`` (a
    :class:`~thermo.Coolant`) sets the fluid of the loop the tank belongs to.
    """

    has_inflow_temperature = False

    def __init__(self, name: str, node: str, *, pressure: float, coolant: Any = None) -> None:
        super().__init__(name, node)
        self.pressure = check_positive(pressure, "pressure", name)
        self.coolant = coolant

    def inflow_temperature(self, T_node: float) -> float:
        return T_node

    def equation(self, p: float, m_ext: float) -> tuple[float, list[tuple[str, float]]]:
        return p - self.pressure, [("p", 1.0)]

    def residual_scale(self, dp_ref: float, m_ref: float) -> float:
        return dp_ref


class PressureBoundary(Boundary):
    """An open connection at fixed ``pressure`` [Pa]; fluid entering comes in at ``temperature`` [K].

    Use two of them for an open network driven by a pressure difference (e.g. a supply and a
    return main at given pressures).
    """

    has_inflow_temperature = True

    def __init__(
        self, name: str, node: str, *, pressure: float, temperature: float, coolant: Any = None
    ) -> None:
        super().__init__(name, node)
        self.pressure = check_positive(pressure, "pressure", name)
        self.temperature = check_positive(temperature, "temperature", name)
        self.coolant = coolant

    def inflow_temperature(self, T_node: float) -> float:
        return self.temperature

    def equation(self, p: float, m_ext: float) -> tuple[float, list[tuple[str, float]]]:
        return p - self.pressure, [("p", 1.0)]

    def residual_scale(self, dp_ref: float, m_ref: float) -> float:
        return dp_ref


class FlowSource(Boundary):
    """A fixed mass flow ``mass_flow`` [kg/s] into the network at ``temperature`` [K].

    A negative ``mass_flow`` draws fluid out (its temperature is then that of the node).
    """

    has_inflow_temperature = True
    pressure = None

    def __init__(
        self, name: str, node: str, *, mass_flow: float, temperature: float, coolant: Any = None
    ) -> None:
        super().__init__(name, node)
        self.mass_flow = float(mass_flow)
        self.temperature = check_positive(temperature, "temperature", name)
        self.coolant = coolant

    def inflow_temperature(self, T_node: float) -> float:
        return self.temperature

    def equation(self, p: float, m_ext: float) -> tuple[float, list[tuple[str, float]]]:
        return m_ext - self.mass_flow, [("m", 1.0)]

    def residual_scale(self, dp_ref: float, m_ref: float) -> float:
        return m_ref
