"""Boundary elements: expansion tank (pressure reference), pressure boundary, flow source.

A boundary sits at one node and carries an external flow ``m_ext`` [kg/s], positive *into* the
network. Every closed hydraulic loop needs exactly one pressure reference (an
:class:`ExpansionTank` or a :class:`PressureBoundary`); the loop's coolant can be given there.
"""

from __future__ import annotations

from typing import Any

from thermo.components.base import Boundary, _as_float, check_positive
from thermo.errors import InputError


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
    """A fixed flow into the network at ``temperature`` [K]: ``mass_flow`` [kg/s] or
    ``volume_flow`` [m³/s].

    A negative flow draws fluid out (a sink: its temperature is then that of the node). A
    ``volume_flow`` is turned into a mass flow with the density of the loop's coolant at
    ``temperature`` when the network is assembled (for a sink, give the temperature expected at
    the node: the volume is measured there).
    """

    has_inflow_temperature = True
    pressure = None

    def __init__(
        self,
        name: str,
        node: str,
        *,
        mass_flow: float | None = None,
        temperature: float,
        coolant: Any = None,
        volume_flow: float | None = None,
    ) -> None:
        super().__init__(name, node)
        if (mass_flow is None) == (volume_flow is None):
            raise InputError(
                "give exactly one of mass_flow [kg/s] or volume_flow [m3/s]",
                key=f"{name}.mass_flow",
            )
        self._mass = None if mass_flow is None else _as_float(mass_flow, "mass_flow", name)
        self.volume_flow = (
            None if volume_flow is None else _as_float(volume_flow, "volume_flow", name)
        )
        self._rho: float | None = None
        self.temperature = check_positive(temperature, "temperature", name)
        self.coolant = coolant

    @property
    def mass_flow(self) -> float:
        """Mass flow into the network [kg/s] (from ``volume_flow`` once assembled)."""
        if self._mass is not None:
            return self._mass
        if self._rho is None:
            raise InputError(
                f"{self.name}: the mass flow of a volume-flow source is known once the network is "
                "assembled (the density of its loop's coolant)",
                key=f"{self.name}.volume_flow",
            )
        return self.volume_flow * self._rho

    @mass_flow.setter
    def mass_flow(self, value: float) -> None:
        self._mass = _as_float(value, "mass_flow", self.name)
        self.volume_flow = None

    def set_density(self, rho: float) -> None:
        """Density [kg/m³] that turns ``volume_flow`` into a mass flow (set at assembly)."""
        self._rho = float(rho)

    def inflow_temperature(self, T_node: float) -> float:
        return self.temperature

    def equation(self, p: float, m_ext: float) -> tuple[float, list[tuple[str, float]]]:
        return m_ext - self.mass_flow, [("m", 1.0)]

    def residual_scale(self, dp_ref: float, m_ref: float) -> float:
        return m_ref
