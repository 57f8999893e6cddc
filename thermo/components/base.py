"""The component protocol shared by every network element.

A network has **nodes** (unknowns: pressure ``p`` [Pa] and mixed temperature ``T`` [K]) and
**elements** of three kinds:

- :class:`Branch` components (two-port: pipe, valve, pump, cold plate, heat load, one side of a heat
  exchanger) carry a mass flow ``m`` [kg/s], positive from ``inlet`` to ``outlet``; reversed flow is
  allowed. Each branch contributes one hydraulic equation

  ``p_inlet - p_outlet - dp(m, T_up, u) = 0``

  where ``dp`` is the pressure *loss* in the direction inlet → outlet (a pump's ``dp`` is negative)
  and ``T_up`` the temperature of the upstream node (the inlet for ``m >= 0``). Fluid properties of a
  branch are taken at ``T_up``. Each branch also returns the temperature ``T_exit`` at which fluid
  leaves it at its downstream end; node energy balances mix these exits.
- :class:`Boundary` elements (one-port at a node: expansion tank, pressure boundary, flow source)
  carry an external flow ``m_ext`` [kg/s], positive *into* the network, and one equation of their own.
- Controls (``thermo.network.controls``) add an unknown actuator value ``u`` and a setpoint equation.

Components never see the whole network. The network groups the instances of one class and calls the
class's :class:`BranchGroup` once per Newton iteration with arrays, so that 100 000 pipes cost one
numpy evaluation, not 100 000 Python calls (DESIGN.md, performance habits).

Sign convention for heat: ``Q > 0`` is heat *into* the fluid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from thermo.errors import InputError

if TYPE_CHECKING:
    from thermo.network.assembly import BranchContext

__all__ = [
    "Component",
    "Branch",
    "Boundary",
    "BranchGroup",
    "Dependency",
    "Hydraulics",
    "Thermal",
    "check_positive",
    "check_nonnegative",
    "check_fraction",
]


def check_positive(value: Any, what: str, owner: str) -> float:
    """Return ``value`` as a float if it is finite and > 0, else raise :class:`InputError`."""
    v = _as_float(value, what, owner)
    if not v > 0:
        raise InputError(f"{what} must be greater than zero, got {value!r}", key=f"{owner}.{what}")
    return v


def check_nonnegative(value: Any, what: str, owner: str) -> float:
    """Return ``value`` as a float if it is finite and >= 0, else raise :class:`InputError`."""
    v = _as_float(value, what, owner)
    if v < 0:
        raise InputError(f"{what} must not be negative, got {value!r}", key=f"{owner}.{what}")
    return v


def check_fraction(value: Any, what: str, owner: str) -> float:
    """Return ``value`` as a float if it lies in [0, 1], else raise :class:`InputError`."""
    v = _as_float(value, what, owner)
    if not 0.0 <= v <= 1.0:
        raise InputError(f"{what} must lie between 0 and 1, got {value!r}", key=f"{owner}.{what}")
    return v


def _as_float(value: Any, what: str, owner: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise InputError(
            f"{what} must be a number in SI units, got {type(value).__name__} {value!r} "
            "(use thermo.to_si to convert text such as '25 mm')",
            key=f"{owner}.{what}",
            value=value,
        )
    v = float(value)
    if not np.isfinite(v):
        raise InputError(
            f"{what} must be finite, got {value!r}", key=f"{owner}.{what}", value=value
        )
    return v


class Component:
    """Base of every network element. ``name`` is unique within a network."""

    controllable: ClassVar[tuple[str, ...]] = ()
    """Parameters a :class:`~thermo.network.controls.Control` may adjust (e.g. ``("speed",)``)."""

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"component name must be a non-empty string, got {name!r}", key="name")
        self.name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class Branch(Component):
    """A two-port component between ``inlet`` and ``outlet`` nodes (see module docstring)."""

    group: ClassVar[type[BranchGroup]]
    """The :class:`BranchGroup` subclass that evaluates all instances of this class at once."""

    def __init__(self, name: str, inlet: str, outlet: str) -> None:
        super().__init__(name)
        for port, node in (("inlet", inlet), ("outlet", outlet)):
            if not isinstance(node, str) or not node.strip():
                raise InputError(
                    f"{port} must be a node name (non-empty string), got {node!r}",
                    key=f"{name}.{port}",
                )
        self.inlet = inlet
        self.outlet = outlet

    @property
    def nodes(self) -> tuple[str, str]:
        return (self.inlet, self.outlet)


class Boundary(Component):
    """A one-port element at ``node`` with an external flow ``m_ext`` (positive into the network)."""

    def __init__(self, name: str, node: str) -> None:
        super().__init__(name)
        if not isinstance(node, str) or not node.strip():
            raise InputError(f"node must be a node name, got {node!r}", key=f"{name}.node")
        self.node = node


@dataclass(frozen=True)
class Dependency:
    """A column a branch quantity depends on, per branch of a group.

    ``kind`` is one of ``"m"`` (mass flow of branch ``index``), ``"Tup"`` (temperature of the upstream
    node of branch ``index``; the network resolves it to the inlet or outlet node by the flow sign),
    ``"T"`` / ``"p"`` (node ``index``), ``"u"`` (control ``index``). ``index`` is an integer array with
    one entry per branch of the group; entries < 0 mean "no such dependency for this branch".
    """

    kind: str
    index: np.ndarray


@dataclass
class Hydraulics:
    """Result of :meth:`BranchGroup.hydraulics`: pressure loss and its partial derivatives.

    ``dp`` [Pa] per branch; ``derivatives`` aligned with the group's ``hydraulic_dependencies``.
    """

    dp: np.ndarray
    derivatives: list[np.ndarray]


@dataclass
class Thermal:
    """Result of :meth:`BranchGroup.thermal`: exit temperature and its partial derivatives.

    ``T_exit`` [K] per branch; ``derivatives`` aligned with the group's ``thermal_dependencies``.
    ``heat`` [W] is the heat the branch adds to the fluid (for results and closure).
    """

    T_exit: np.ndarray
    derivatives: list[np.ndarray]
    heat: np.ndarray


class BranchGroup:
    """Vectorised evaluation of every instance of one :class:`Branch` class.

    Built once per network assembly with the instances (in network branch order) and their global
    branch indices; called every Newton iteration with a :class:`BranchContext` that exposes the
    current flows, upstream temperatures and properties for exactly these branches.

    Subclasses set ``hydraulic_dependencies`` and ``thermal_dependencies`` (lists of
    :class:`Dependency`) in ``__init__``; the first hydraulic dependency must be the own flow
    (``"m"``) and the second the own upstream temperature (``"Tup"``); the first thermal dependencies
    likewise ``"Tup"`` then ``"m"``. The network derives the Jacobian pattern from these once.
    """

    def __init__(
        self,
        components: Sequence[Branch],
        branch_index: np.ndarray,
        branch_position: dict[str, int] | None = None,
    ) -> None:
        self.components = list(components)
        self.branch_index = np.asarray(branch_index, dtype=np.int64)
        own = self.branch_index
        self.hydraulic_dependencies: list[Dependency] = [
            Dependency("m", own),
            Dependency("Tup", own),
        ]
        self.thermal_dependencies: list[Dependency] = [Dependency("Tup", own), Dependency("m", own)]
        self.control_index = np.full(len(own), -1, dtype=np.int64)

    parameter_arrays: ClassVar[dict[str, str]] = {}
    """Component parameters that may change between solves without rebuilding the network:
    parameter name -> name of the group's array holding it (see ``Network.set_parameter``)."""

    def set_parameter(self, local: int, name: str, value: float | None) -> bool:
        """Update parameter ``name`` of component ``local``; False if it needs a rebuild."""
        attr = self.parameter_arrays.get(name)
        if attr is None:
            return False
        getattr(self, attr)[local] = np.inf if value is None else float(value)
        return True

    def bind_controls(self, parameter: str, control_index: np.ndarray) -> None:
        """Register which branches have parameter ``parameter`` driven by a control unknown."""
        self.control_index = np.asarray(control_index, dtype=np.int64)
        self.controlled_parameter = parameter
        self.hydraulic_dependencies.append(Dependency("u", self.control_index))
        self.thermal_dependencies.append(Dependency("u", self.control_index))

    def hydraulics(self, ctx: BranchContext) -> Hydraulics:
        raise NotImplementedError

    def thermal(self, ctx: BranchContext) -> Thermal:
        raise NotImplementedError

    def report(self, ctx: BranchContext) -> dict[str, np.ndarray]:
        """Extra result columns (unit-suffixed names) and flags for these branches."""
        return {}

    def flags(self, ctx: BranchContext) -> list[tuple[int, str, str]]:
        """Physically impossible or questionable states: ``(local index, code, message)``."""
        return []


def adiabatic_thermal(ctx: BranchContext, n_deps: int) -> Thermal:
    """Thermal result for a branch that neither adds nor removes heat: ``T_exit = T_up``."""
    ones = np.ones_like(ctx.T_up)
    zeros = np.zeros_like(ctx.T_up)
    return Thermal(ctx.T_up.copy(), [ones, zeros] + [zeros] * (n_deps - 2), zeros)
