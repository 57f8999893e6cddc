"""Energy storage terms added to the network equations for time stepping.

Three kinds of storage, all advanced by the same backward-differentiation formula (BDF)::

    d y/dt  ~=  rate * y_{n+1} + history        rate = a0/dt,  history = (a1 y_n + a2 y_{n-1})/dt

- :class:`NodeStorage`: fluid held at a node (a mixed tank, a tank layer, a pipe cell) of mass
  ``M`` [kg] and a loss to ambient ``UA (T_amb - T)`` [W]. The node's energy balance (upwind
  mixing, :mod:`thermo.network.assembly`) becomes

      sum_in m (h_in - h_i) + UA (T_amb - T_i) = M dh_i/dt

  which is the fully mixed control volume (incompressible fluid, outflow at the node state).
- :class:`PlateWalls`: the lumped metal and chip of a cold plate, heat capacity ``C`` [J/K], fed by
  the device power ``P`` [W] and coupled to the coolant by the plate's case-to-inlet resistance
  ``R`` [K/W] (the same ``R`` as the steady :class:`~thermo.components.cold_plate.ColdPlate`)::

      C dT_w/dt = P - (T_w - T_in)/R,       heat into the coolant  q = (T_w - T_in)/R

  The wall temperature of the new time level is eliminated in closed form inside the plate's
  thermal law (``T_w = (P + T_in/R - C history) / (C rate + 1/R)``), so the coupled system stays
  implicit without new unknowns. ``R`` is taken at the flow of the last accepted step (its flow
  dependence lags one step). ``T_w`` is the case temperature; in steady state it equals the
  steady plate's ``T_in + R P``.
- pump rotors (:mod:`thermo.transient.pumps`).

None of this changes a steady solve: the hooks exist only on a network assembled for a transient
run (``System.storage`` is ``None`` otherwise) and with ``rate = 0`` they reproduce the steady
equations plus the ambient losses of tanks.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NodeStorage", "PlateWalls"]

_M_FLOOR = 1e-9
"""Smallest |m| [kg/s] used when dividing by a flow (as in thermo.components.heat)."""


class NodeStorage:
    """Fluid mass and ambient loss of every node (zeros for nodes that hold nothing)."""

    def __init__(self, n_nodes: int) -> None:
        self.mass = np.zeros(n_nodes)
        """Fluid mass held at each node [kg]."""
        self.ua = np.zeros(n_nodes)
        """Loss coefficient to ambient [W/K]."""
        self.T_amb = np.full(n_nodes, 293.15)
        """Ambient temperature of the loss [K]."""
        self.rate = 0.0
        """a0/dt [1/s]; 0 in steady state."""
        self.reference = np.zeros(n_nodes)
        """Enthalpy of the last time level h_n [J/kg] (differences avoid round-off)."""
        self.history = np.zeros(n_nodes)
        """-a2 (h_n - h_{n-1})/dt [J/(kg s)], so that the rate of change is
        ``rate (h - h_n) + history`` (the BDF formula, as a0 + a1 + a2 = 0)."""

    def energy_terms(
        self, T: np.ndarray, h: np.ndarray, cp: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Storage and loss terms of the node energy balances [W] and their dE/dT [W/K]."""
        E = -self.mass * (self.rate * (h - self.reference) + self.history) + self.ua * (
            self.T_amb - T
        )
        return E, -self.mass * self.rate * cp - self.ua

    def loss(self, T: np.ndarray) -> np.ndarray:
        """Heat each node receives from ambient [W] (negative: lost)."""
        return self.ua * (self.T_amb - T)


class PlateWalls:
    """Lumped wall capacity of every plate of one cold-plate group (see module docstring).

    Installs itself as the group's ``thermal`` (an attribute of this group object only, which
    belongs to the transient run's own network assembly).
    """

    def __init__(self, group, capacity: np.ndarray) -> None:
        self.group = group
        self.C = np.asarray(capacity, dtype=float)
        self.P = np.array(group.q, dtype=float)
        """Device power into each wall [W] (IT power; starts at the plates' ``heat``)."""
        self.rate = 0.0
        self.history = np.zeros(len(self.C))
        self._base = group.thermal
        group.thermal = self.thermal
        self.T_wall = np.zeros(len(self.C))
        self.q = np.zeros(len(self.C))
        self.R_lag: np.ndarray | None = None
        """Resistances of the last accepted state, used through the next step (the flow
        dependence of R lags one step: the coupled equations stay smooth in the flow; energy
        is conserved either way, the heat leaving the wall is the heat entering the fluid)."""

    def wall(self, T_in: np.ndarray, R: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Wall temperature of the new time level [K] and ``dq/dT_in`` [W/K]."""
        D = self.C * self.rate + 1.0 / R
        Tw = (self.P + T_in / R - self.C * self.history) / D
        return Tw, (1.0 / (R * D) - 1.0) / R

    def thermal(self, ctx):
        g = self.group
        if self.rate > 0.0 and self.R_lag is not None:
            R = self.R_lag
        else:
            R, _ = g.resistance(ctx)
        Tw, dq = self.wall(ctx.T_up, R)
        q = (Tw - ctx.T_up) / R
        saved = g.q
        g.q = q
        try:
            th = self._base(ctx)
        finally:
            g.q = saved
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        _, cp_exit = ctx.enthalpy_cp(th.T_exit)
        th.derivatives[0] = th.derivatives[0] + dq / (am * cp_exit)
        self.T_wall = Tw
        self.q = q
        return th

    def update_resistance(self, ctx) -> None:
        """Take the plates' resistances at an accepted state for the next time step."""
        self.R_lag, _ = self.group.resistance(ctx)
