"""Building blocks of the case-file component registry (:mod:`thermo.case.registry`): the
:class:`Param` and :class:`ComponentType` specs, the value kinds a parameter may have, lazy
constructor import, and the port tuples and parameter groups several component types share.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["VALUE_KINDS", "Param", "ComponentType", "load"]

VALUE_KINDS = (
    "number",
    "int",
    "bool",
    "str",
    "curve",
    "pair",
    "coolant",
    "table",
    "named_tables",
    "name_lists",
)
"""Parameter kinds besides the quantity kinds of :data:`thermo.units.KINDS`:

- ``number``: a plain number (int or float) with no unit;
- ``int``: a whole number;
- ``bool``: ``true`` / ``false``;
- ``str``: text, optionally one of ``choices``;
- ``curve``: a list of ``[x, y]`` pairs, each a quantity of the kinds in ``columns``;
- ``pair``: one ``[a, b]`` pair of quantities of the kinds in ``columns``;
- ``coolant``: the name of an entry of the case's ``[coolants]`` table;
- ``table``: a sub-table whose keys are the specs in ``fields`` (built with ``factory`` if given);
- ``named_tables``: a table of named sub-tables, each with the keys in ``fields``;
- ``name_lists``: an array of arrays of names (e.g. the series loops of a server tray).
"""


@dataclass(frozen=True)
class Param:
    """One parameter of a component type as written in a case file.

    Parameters
    ----------
    name
        Key in the case file; also the constructor keyword unless ``argument`` is given.
    kind
        A quantity kind of :data:`thermo.units.KINDS` (value written with a unit, converted to SI)
        or one of :data:`VALUE_KINDS`.
    doc
        One line for the documentation table (units in square brackets for SI values).
    required
        The key must be present.
    columns
        For ``curve`` and ``pair``: the quantity kinds of the two entries.
    choices
        For ``str``: the accepted values.
    minimum_points
        For ``curve``: the fewest points accepted.
    fields
        For ``table`` and ``named_tables``: the specs of the sub-table's keys.
    factory
        For ``table``: ``"module:attribute"`` called with the sub-table's SI values.
    """

    name: str
    kind: str
    doc: str
    required: bool = False
    columns: tuple[str, str] = ("", "")
    choices: tuple[str, ...] = ()
    minimum_points: int = 2
    fields: tuple[Param, ...] = ()
    factory: str = ""

    def field(self, name: str) -> Param | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class ComponentType:
    """A component type usable in case files.

    Parameters
    ----------
    name
        The ``type`` written in the case file (``"Pipe"``).
    factory
        ``"module:attribute"`` of the component class (its defaults and ``controllable`` are
        documented from it); called as ``factory(name=..., <port>=<node>, ..., <param>=<SI
        value>, ...)`` unless ``adapter`` is given.
    adapter
        ``"module:function"`` with the same call signature that builds the component when the
        case-file keys differ from the constructor's (nested specs, renamed ports).
    ports
        Port keys (each names a node).
    params
        Parameter specs.
    doc
        One paragraph for the documentation.
    one_of
        Groups of parameters of which exactly one must be given.
    exclusive
        Groups of parameters of which at most one may be given.
    """

    name: str
    factory: str
    ports: tuple[str, ...]
    params: tuple[Param, ...]
    doc: str
    one_of: tuple[tuple[str, ...], ...] = ()
    exclusive: tuple[tuple[str, ...], ...] = ()
    adapter: str = ""
    _param_index: dict[str, Param] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._param_index.update({p.name: p for p in self.params})

    def param(self, name: str) -> Param | None:
        return self._param_index.get(name)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key a component table of this type may hold."""
        return ("type", *self.ports, *(p.name for p in self.params))

    def constructor(self) -> Any:
        """The component class."""
        return load(self.factory)

    def build(self) -> Any:
        """The callable that builds the component from SI keyword arguments."""
        return load(self.adapter or self.factory)

    def controllable(self) -> tuple[str, ...]:
        """Parameters a control may adjust (from the constructor class)."""
        cls = self.constructor()
        found = getattr(cls, "controllable", ())
        return tuple(found)


def load(path: str) -> Any:
    """Import ``"module:attribute"``."""
    module, attr = path.split(":")
    return getattr(importlib.import_module(module), attr)


_BRANCH = ("inlet", "outlet")
_HX_PORTS = ("hot_inlet", "hot_outlet", "cold_inlet", "cold_outlet")
_ADAPT = "thermo.case.adapters:"

_CURVE_FLOW = "volume_flow"

_PD_PAIR = ("pressure_difference", "mass_flow")


def _pair(name: str, doc: str) -> Param:
    return Param(name, "pair", doc, columns=_PD_PAIR)


_PLATE_FIELDS = (
    Param("heat", "power", "Heat into the coolant [W].", required=True),
    Param(
        "pressure_drop",
        "curve",
        "Datasheet points [[flow, pressure drop], ...] (one point with an exponent, or more).",
        columns=("volume_flow", "pressure_difference"),
        minimum_points=1,
    ),
    Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ Vⁿ for a single point [-]."),
    Param("resistance", "thermal_resistance", "Constant case-to-inlet resistance [K/W]."),
    Param(
        "resistance_curve",
        "curve",
        "Datasheet points [[flow, resistance], ...] [K/W].",
        columns=("volume_flow", "thermal_resistance"),
        minimum_points=1,
    ),
    Param("case_limit", "temperature", "Case-temperature limit [K]."),
)

_GEOMETRY = Param(
    "geometry",
    "table",
    "Microchannel geometry (sub-table).",
    required=True,
    factory="thermo.correlations.microchannel:MicrochannelGeometry",
    fields=(
        Param("channel_width", "length", "Channel width [m].", required=True),
        Param("channel_height", "length", "Channel height (fin height) [m].", required=True),
        Param("fin_thickness", "length", "Fin thickness [m].", required=True),
        Param("length", "length", "Channel length in the flow direction [m].", required=True),
        Param("n_channels", "int", "Number of parallel channels.", required=True),
        Param("base_thickness", "length", "Base plate thickness [m].", required=True),
        Param("k_solid", "thermal_conductivity", "Plate conductivity [W/(m·K)].", required=True),
        Param("footprint_width", "length", "Heated footprint width [m]."),
        Param("footprint_length", "length", "Heated footprint length [m]."),
    ),
)

_TRAY_PARAMS = (
    Param(
        "plates",
        "named_tables",
        "Cold-plate blueprints by label (keys as a ColdPlate, or `geometry` for microchannels).",
        required=True,
        fields=(*_PLATE_FIELDS, replace(_GEOMETRY, required=False)),
    ),
    Param(
        "loops",
        "name_lists",
        'Series loops of plate labels, e.g. [["gpu", "gpu"], ["cpu"]]; loops run in parallel.',
        required=True,
    ),
    Param(
        "quick_disconnect_kv", "number", "Kv of each tray coupling [m³/h at 1 bar]; none = none."
    ),
)
