"""The component registry of case files: type name -> constructor, ports and parameter specs.

Adding a component type to case files is one :class:`ComponentType` entry in :data:`REGISTRY`:
the loader validates every parameter against its :class:`Param` spec (unknown keys get a
"did you mean" suggestion, quantities are converted to SI with :func:`thermo.units.to_si`), the
builder calls the constructor with SI keyword arguments, and ``docs/case-files.md`` carries a
parameter table generated from the same entry (:func:`parameter_tables`; a test keeps the page
current).

Constructors are named by import path (``"thermo.components.pipe:Pipe"``) and imported only when
a case is built, so reading the registry costs nothing.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Param",
    "ComponentType",
    "REGISTRY",
    "VALUE_KINDS",
    "component_type",
    "parameter_tables",
]

VALUE_KINDS = ("number", "int", "bool", "str", "curve", "pair", "coolant")
"""Parameter kinds besides the quantity kinds of :data:`thermo.units.KINDS`:

- ``number``: a plain number (int or float) with no unit;
- ``int``: a whole number;
- ``bool``: ``true`` / ``false``;
- ``str``: text, optionally one of ``choices``;
- ``curve``: a list of ``[x, y]`` pairs, each a quantity of the kinds in ``columns``;
- ``pair``: one ``[a, b]`` pair of quantities of the kinds in ``columns``;
- ``coolant``: the name of an entry of the case's ``[coolants]`` table.
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
    """

    name: str
    kind: str
    doc: str
    required: bool = False
    columns: tuple[str, str] = ("", "")
    choices: tuple[str, ...] = ()
    minimum_points: int = 2


@dataclass(frozen=True)
class ComponentType:
    """A component type usable in case files.

    Parameters
    ----------
    name
        The ``type`` written in the case file (``"Pipe"``).
    factory
        ``"module:attribute"`` of the constructor, called as
        ``factory(name=..., <port>=<node>, ..., <param>=<SI value>, ...)``.
    ports
        Port keys (each names a node).
    params
        Parameter specs.
    doc
        One paragraph for the documentation.
    one_of
        Groups of parameters of which exactly one must be given.
    branches
        Network branches the component creates, as suffixes of its name (``""``: the component
        itself is a branch; ``(".hot", ".cold")`` for a heat exchanger), each with its inlet and
        outlet port. Empty for one-port boundary elements.
    pressure_reference
        The element fixes the pressure of its loop (expansion tank, pressure boundary).
    reports
        Result columns this type adds beyond the common ones (for metric validation and docs).
    """

    name: str
    factory: str
    ports: tuple[str, ...]
    params: tuple[Param, ...]
    doc: str
    one_of: tuple[tuple[str, ...], ...] = ()
    branches: tuple[tuple[str, str, str], ...] = (("", "inlet", "outlet"),)
    pressure_reference: bool = False
    reports: tuple[str, ...] = ()
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
        module, attr = self.factory.split(":")
        return getattr(importlib.import_module(module), attr)

    def controllable(self) -> tuple[str, ...]:
        """Parameters a control may adjust (from the constructor class)."""
        cls = self.constructor()
        found = getattr(cls, "controllable", ())
        return tuple(found)


_BRANCH = ("inlet", "outlet")

_CURVE_FLOW = "volume_flow"

REGISTRY: dict[str, ComponentType] = {
    t.name: t
    for t in (
        ComponentType(
            "Pipe",
            "thermo.components.pipe:Pipe",
            _BRANCH,
            (
                Param("length", "length", "Pipe length [m].", required=True),
                Param("diameter", "length", "Inner diameter [m].", required=True),
                Param("roughness", "length", "Absolute wall roughness [m]."),
                Param("k_minor", "number", "Sum of fitting loss coefficients [-]."),
                Param("elevation_change", "length", "Outlet height minus inlet height [m]."),
                Param(
                    "heat_transfer_coefficient",
                    "heat_transfer_coefficient",
                    "Fluid-to-ambient coefficient per inner surface [W/(m²·K)]; 0 = adiabatic.",
                ),
                Param(
                    "ambient_temperature",
                    "temperature",
                    "Ambient temperature for heat loss [K]; needed with a coefficient > 0.",
                ),
            ),
            "Straight pipe: Darcy–Weisbach friction, fittings, elevation, optional heat loss.",
            reports=("velocity_m_s", "Re", "friction_factor"),
        ),
        ComponentType(
            "Valve",
            "thermo.components.valve:Valve",
            _BRANCH,
            (
                Param("kv", "number", "Flow coefficient Kv at full opening [m³/h at 1 bar]."),
                Param(
                    "k", "number", "Loss coefficient referred to `diameter` [-] (instead of kv)."
                ),
                Param("diameter", "length", "Diameter `k` refers to [m]."),
                Param("opening", "number", "Opening in [0, 1] [-] (controllable)."),
                Param(
                    "characteristic",
                    "str",
                    "Opening characteristic.",
                    choices=("linear", "equal_percentage"),
                ),
                Param("rangeability", "number", "Kv_max / Kv_min [-]."),
            ),
            "Valve, balancing valve or orifice with an opening characteristic.",
            one_of=(("kv", "k"),),
            reports=("opening", "kv_m3_h"),
        ),
        ComponentType(
            "Pump",
            "thermo.components.pump:Pump",
            _BRANCH,
            (
                Param(
                    "head_curve",
                    "curve",
                    "Datasheet head curve: [[flow, head], ...] at nominal speed.",
                    columns=(_CURVE_FLOW, "length"),
                ),
                Param(
                    "pressure_curve",
                    "curve",
                    "Datasheet curve as pressure rise: [[flow, pressure difference], ...].",
                    columns=(_CURVE_FLOW, "pressure_difference"),
                ),
                Param(
                    "pressure_rise",
                    "pressure_difference",
                    "Ideal pressure source: fixed rise at any flow [Pa].",
                ),
                Param(
                    "efficiency_curve",
                    "curve",
                    "Hydraulic efficiency curve: [[flow, efficiency], ...].",
                    columns=(_CURVE_FLOW, "dimensionless"),
                ),
                Param("efficiency", "number", "Constant hydraulic efficiency [-]."),
                Param("motor_efficiency", "number", "Motor efficiency [-]."),
                Param("drive_efficiency", "number", "Variable-frequency drive efficiency [-]."),
                Param("count", "int", "Identical pumps running in parallel."),
                Param("speed", "number", "Relative speed [-] (controllable)."),
            ),
            "Centrifugal pump from datasheet curves (affinity laws), or an ideal pressure source.",
            one_of=(("head_curve", "pressure_curve", "pressure_rise"),),
            reports=("speed", "head_m", "efficiency", "P_hydraulic_W", "P_shaft_W", "P_el_W"),
        ),
        ComponentType(
            "HeatLoad",
            "thermo.components.heat:HeatLoad",
            _BRANCH,
            (
                Param(
                    "heat",
                    "power",
                    "Heat into the fluid [W] (negative removes heat; controllable).",
                    required=True,
                ),
            ),
            "Fixed heat flow into the fluid, no pressure drop (stand-in for a server or cold plate).",
        ),
        ComponentType(
            "Cooler",
            "thermo.components.heat:Cooler",
            _BRANCH,
            (
                Param(
                    "outlet_temperature",
                    "temperature",
                    "Temperature the fluid leaves at [K].",
                    required=True,
                ),
                Param("capacity", "power", "Largest heat removed [W]; none = unlimited."),
            ),
            "Ideal cooler holding its outlet temperature, optionally capacity-limited.",
        ),
        ComponentType(
            "HeatExchanger",
            "thermo.components.heat_exchanger:HeatExchanger",
            ("hot_inlet", "hot_outlet", "cold_inlet", "cold_outlet"),
            (
                Param("ua", "thermal_conductance", "Overall conductance UA [W/K].", required=True),
                Param(
                    "arrangement",
                    "str",
                    "Flow arrangement of the ε-NTU relation.",
                    choices=(
                        "counterflow",
                        "parallel",
                        "crossflow_unmixed",
                        "crossflow_mixed_cmin",
                        "crossflow_mixed_cmax",
                    ),
                ),
                Param(
                    "hot_pressure_drop",
                    "pair",
                    "Hot-side design point [pressure drop, mass flow].",
                    columns=("pressure_difference", "mass_flow"),
                ),
                Param(
                    "cold_pressure_drop",
                    "pair",
                    "Cold-side design point [pressure drop, mass flow].",
                    columns=("pressure_difference", "mass_flow"),
                ),
                Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
            ),
            "Liquid-to-liquid heat exchanger (ε-NTU); its sides are branches `<name>.hot` and "
            "`<name>.cold`.",
            branches=((".hot", "hot_inlet", "hot_outlet"), (".cold", "cold_inlet", "cold_outlet")),
            reports=("effectiveness", "UA_W_K"),
        ),
        ComponentType(
            "ExpansionTank",
            "thermo.components.boundaries:ExpansionTank",
            ("node",),
            (
                Param("pressure", "pressure", "Absolute pressure held at the node [Pa].", True),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Pressure reference of a closed loop (no net flow).",
            branches=(),
            pressure_reference=True,
        ),
        ComponentType(
            "PressureBoundary",
            "thermo.components.boundaries:PressureBoundary",
            ("node",),
            (
                Param("pressure", "pressure", "Absolute pressure [Pa].", required=True),
                Param(
                    "temperature",
                    "temperature",
                    "Temperature of fluid entering the network here [K].",
                    required=True,
                ),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Open connection at a fixed pressure.",
            branches=(),
            pressure_reference=True,
        ),
        ComponentType(
            "FlowSource",
            "thermo.components.boundaries:FlowSource",
            ("node",),
            (
                Param(
                    "mass_flow",
                    "mass_flow",
                    "Mass flow into the network [kg/s] (negative draws out).",
                    required=True,
                ),
                Param("temperature", "temperature", "Temperature of the entering fluid [K].", True),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Fixed mass flow into (or out of) the network.",
            branches=(),
        ),
    )
}
"""Every component type case files know, by ``type`` name."""


def component_type(name: str) -> ComponentType | None:
    """The registry entry of ``name`` (None if unknown)."""
    return REGISTRY.get(name)


def _default_text(ctype: ComponentType, param: Param) -> str:
    if param.required:
        return "required"
    try:
        sig = inspect.signature(ctype.constructor())
    except (TypeError, ValueError, ImportError):  # pragma: no cover - every entry imports
        return ""
    p = sig.parameters.get(param.name)
    if p is None or p.default is inspect.Parameter.empty:
        return ""
    if p.default is None:
        return "none"
    if isinstance(p.default, str):
        return f'"{p.default}"'
    if param.kind in ("number", "int", "bool"):
        return f"{p.default:g}" if isinstance(p.default, float) else str(p.default)
    from thermo.units import KINDS

    unit = KINDS[param.kind].si_unit if param.kind in KINDS else ""
    return f"{p.default:g} {unit}".strip()


def _kind_text(param: Param) -> str:
    from thermo.units import KINDS

    if param.kind in KINDS:
        return f"{param.kind} (e.g. `{KINDS[param.kind].example}`)"
    if param.kind in ("curve", "pair"):
        a, b = (KINDS[c].example for c in param.columns)
        sample = f'["{a}", "{b}"]'
        return f"{param.kind} of [{param.columns[0]}, {param.columns[1]}] (e.g. `{sample}`)"
    if param.kind == "str" and param.choices:
        return "one of " + ", ".join(f"`{c}`" for c in param.choices)
    return param.kind


def parameter_tables() -> str:
    """Markdown: one section per registered type with its ports and parameter table.

    ``docs/case-files.md`` embeds this text between generated-section markers; a test checks
    that it is current.
    """
    out: list[str] = []
    for ctype in REGISTRY.values():
        out.append(f"### `{ctype.name}`\n")
        out.append(ctype.doc + "\n")
        ports = ", ".join(f"`{p}`" for p in ctype.ports)
        out.append(f"Ports (node names): {ports}.")
        if ctype.one_of:
            groups = "; ".join(" / ".join(f"`{k}`" for k in g) for g in ctype.one_of)
            out.append(f" Give exactly one of: {groups}.")
        controllable = ctype.controllable()
        if controllable:
            out.append(" Controllable: " + ", ".join(f"`{c}`" for c in controllable) + ".")
        out.append("\n\n| key | kind | default | meaning |\n|---|---|---|---|\n")
        for p in ctype.params:
            out.append(f"| `{p.name}` | {_kind_text(p)} | {_default_text(ctype, p)} | {p.doc} |\n")
        out.append("\n")
    return "".join(out).rstrip() + "\n"
