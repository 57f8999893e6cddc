"""Storage tanks: fully mixed (one layer) or stratified (N layers in series), with ambient loss.

A :class:`StorageTank` of volume ``V`` with ``N`` layers is drawn as ``N`` :class:`TankLayer`
branches in series, ``inlet -> name~1 -> ... -> name~{N-1} -> outlet``. Layer ``k`` is the fluid
volume ``V/N`` at the node downstream of its branch (the last layer is the ``outlet`` node, so
connect nothing else into it): in a transient run each such node is a fully mixed control volume
(:class:`thermo.transient.storage.NodeStorage`)::

    M/N dh_k/dt = m (h_{k-1} - h_k) + UA/N (T_amb - T_k)

Fluid entering at the inlet (the top, for charging with warm water) pushes the layers along; in
reverse flow they move the other way (upwind). This is the one-dimensional multi-node tank of the
TRNSYS Type 4/60 family (Kleinbach, Beckman & Klein, Solar Energy 50(2), 1993) without
inter-layer conduction and without buoyancy mixing: the front spreads by the numerical dispersion
of N mixed cells in series, whose step response is the Erlang distribution (the tanks-in-series
model, Levenspiel, *Chemical Reaction Engineering*, 3rd ed., 1999, ch. 14) — see
``thermo verify -k transient``. A layer warmer than the one above it (an inversion) is not mixed;
the transient results flag it (``tank_inversion``).

Hydraulics: each layer branch has a linear pressure loss ``dp = port_pressure_drop / N * m /
nominal_flow`` (the ports and diffusers, not modelled further; default 1 kPa at the nominal flow).
In a steady solve a tank is a lossless pass-through; its heat loss and capacity act in transient
runs (including their initial steady state).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    adiabatic_thermal,
    check_nonnegative,
    check_positive,
)
from thermo.errors import InputError

__all__ = ["StorageTank", "TankLayer"]

DEFAULT_PORT_PRESSURE_DROP = 1e3
"""Pressure loss of a tank between its ports at the nominal flow [Pa] (assumption [D]: a
low-velocity diffuser tank; give the real value when it matters)."""


class TankLayer(Branch):
    """One layer of a :class:`StorageTank` (see module docstring); built by the tank."""

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        volume: float,
        resistance: float,
        ua: float = 0.0,
        ambient_temperature: float = 293.15,
        tank: str | None = None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.volume = check_positive(volume, "volume", name)
        self.resistance = check_positive(resistance, "resistance", name)
        self.ua = check_nonnegative(ua, "ua", name)
        self.ambient_temperature = check_positive(ambient_temperature, "ambient_temperature", name)
        self.tank = tank or name


class TankLayerGroup(BranchGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.k = np.array([c.resistance for c in self.components])

    def hydraulics(self, ctx) -> Hydraulics:
        z = np.zeros_like(ctx.m)
        return Hydraulics(
            self.k * ctx.m, [self.k.copy(), z] + [z] * (len(self.hydraulic_dependencies) - 2)
        )

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))


TankLayer.group = TankLayerGroup


class StorageTank:
    """A hot-water storage tank between ``inlet`` and ``outlet`` (see module docstring).

    Parameters
    ----------
    volume
        Fluid volume [m³].
    layers
        Number of fully mixed layers ``N`` (1: a mixed tank).
    ua_ambient
        Loss coefficient of the whole tank to ambient [W/K] (e.g. U of the insulated shell times
        its area), shared by the layers in proportion to their volume.
    ambient_temperature
        Temperature around the tank [K].
    nominal_flow
        Mass flow at which the ports lose ``port_pressure_drop`` [kg/s].
    port_pressure_drop
        Pressure loss inlet to outlet at ``nominal_flow`` [Pa].
    """

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        volume: float,
        layers: int = 1,
        ua_ambient: float = 0.0,
        ambient_temperature: float = 293.15,
        nominal_flow: float = 1.0,
        port_pressure_drop: float = DEFAULT_PORT_PRESSURE_DROP,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"tank name must be a non-empty string, got {name!r}", key="name")
        self.name = name
        self.inlet = inlet
        self.outlet = outlet
        self.volume = check_positive(volume, "volume", name)
        if isinstance(layers, bool) or not isinstance(layers, (int, np.integer)) or layers < 1:
            raise InputError(
                f"layers must be a whole number >= 1, got {layers!r}", key=f"{name}.layers"
            )
        if layers > 200:
            raise InputError(f"layers must be at most 200, got {layers}", key=f"{name}.layers")
        self.layers = int(layers)
        self.ua_ambient = check_nonnegative(ua_ambient, "ua_ambient", name)
        self.ambient_temperature = check_positive(ambient_temperature, "ambient_temperature", name)
        self.nominal_flow = check_positive(nominal_flow, "nominal_flow", name)
        self.port_pressure_drop = check_positive(port_pressure_drop, "port_pressure_drop", name)
        n = self.layers
        nodes = [inlet] + [f"{name}~{k}" for k in range(1, n)] + [outlet]
        r = self.port_pressure_drop / n / self.nominal_flow
        self._parts = [
            TankLayer(
                f"{name}.layer{k + 1}",
                nodes[k],
                nodes[k + 1],
                volume=self.volume / n,
                resistance=r,
                ua=self.ua_ambient / n,
                ambient_temperature=self.ambient_temperature,
                tank=name,
            )
            for k in range(n)
        ]

    @property
    def layer_nodes(self) -> list[str]:
        """Nodes holding the layers, from the inlet side (top) to the outlet."""
        return [p.outlet for p in self._parts]

    def parts(self) -> list[Any]:
        return list(self._parts)

    def __repr__(self) -> str:
        return f"StorageTank({self.name!r}, {self.volume} m3, {self.layers} layers)"
