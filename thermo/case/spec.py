"""Validated case data: what the loader produces and the builder and runner consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo.case.registry import ComponentType
from thermo.case.schema import Source

__all__ = [
    "ComponentSpec",
    "ControlSpec",
    "FacilitySpec",
    "CaseModel",
    "Drive",
    "ScenarioSpec",
    "OutputSpec",
    "CaseSpec",
]


@dataclass
class ComponentSpec:
    """A validated component: SI keyword arguments, and the built object once constructed."""

    name: str
    ctype: ComponentType
    nodes: dict[str, str]
    kwargs: dict[str, Any]
    src: Source
    key_src: dict[str, Source]
    instance: str | None = None
    valid: bool = True
    """False when a parameter failed validation (the component is then never built)."""
    obj: Any = None
    """The component object (set by :func:`thermo.case.builder.construct_all`)."""


@dataclass
class ControlSpec:
    """A validated control: adjust ``component.parameter`` to hold ``target`` at ``setpoint``."""

    name: str
    component: str
    parameter: str
    target: str
    refs: dict[str, str]
    setpoint: float
    lower: float
    upper: float
    initial: float | None
    src: Source
    action: str | None = None
    """``"direct"``, ``"reverse"`` or None (found from the network), see
    :class:`thermo.network.Control`."""


@dataclass
class FacilitySpec:
    it_branches: list[str]
    it_power: float | None
    other_power: float
    reuse_branches: list[str]
    model: Any = None
    """:class:`thermo.case.reuse.FacilityModelSpec` (the facility-model keys)."""


@dataclass
class CaseModel:
    """Names and topology of a case, read from its built component objects.

    Used to validate controls and checks before solving, and by the checks' :class:`View`.
    """

    nodes: list[str] = field(default_factory=list)
    branch_ports: dict[str, tuple[str, str]] = field(default_factory=dict)
    branch_class: dict[str, str] = field(default_factory=dict)
    branch_object: dict[str, Any] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    """Element (branch, boundary, internal control) -> name of the case component it belongs to."""
    component_branches: dict[str, list[str]] = field(default_factory=dict)
    boundaries: list[Any] = field(default_factory=list)
    element_names: set[str] = field(default_factory=set)
    node_coolant: dict[str, Any] = field(default_factory=dict)
    facility: FacilitySpec | None = None

    @property
    def node_set(self) -> set[str]:
        """The nodes as a set (cached while ``nodes`` keeps its length)."""
        cached = self.__dict__.get("_node_set")
        if cached is None or len(cached) != len(self.nodes):
            cached = self.__dict__["_node_set"] = set(self.nodes)
        return cached

    @property
    def component_names(self) -> list[str]:
        return list(self.component_branches)

    def select_branches(self, patterns: list[str]) -> list[str]:
        """Branches matching a pattern, or belonging to a component whose name matches one."""
        from thermo.case.checks import select

        comps = set(select(patterns, self.component_branches))
        direct = set(select(patterns, self.branch_ports))
        return [b for b in self.branch_ports if b in direct or self.owner.get(b) in comps]

    def branch_reports(self, branch: str) -> tuple[str, ...]:
        from thermo.case.registry import CLASS_REPORTS

        return CLASS_REPORTS.get(self.branch_class.get(branch, ""), ())

    def sides(self, name: str) -> tuple[str, str] | None:
        """Hot and cold branches of a heat exchanger (or of a CDU's plate heat exchanger)."""
        for base in (name, f"{name}.hx"):
            hot, cold = f"{base}.hot", f"{base}.cold"
            if hot in self.branch_ports and cold in self.branch_ports:
                return hot, cold
        return None

    def has_sides(self, name: str) -> bool:
        return self.sides(name) is not None

    @property
    def cooling_power(self) -> list[tuple[str, str]]:
        """``(branch, column)`` of every electrical power counted as cooling power."""
        from thermo.case.registry import COOLING_POWER

        return [(b, COOLING_POWER[c]) for b, c in self.branch_class.items() if c in COOLING_POWER]


@dataclass
class Drive:
    """A component parameter set every hour of an annual run.

    ``source`` ``"it_load"``: nominal value x IT-load fraction; a weather field
    (``"dry_bulb"``, ``"dew_point"``) or a greenhouse quantity (``"greenhouse_air_temperature"``,
    ``"greenhouse_supply_temperature"``): the hour's value + ``offset``, clipped to
    [``minimum``, ``maximum``] [K]; ``"greenhouse_demand"``: the hour's heat demand [W].
    Names in ``components`` may also be controls (``parameter = "setpoint"``).
    """

    components: list[str]
    parameter: str
    source: str
    offset: float
    src: Source
    minimum: float | None = None
    maximum: float | None = None


@dataclass
class ScenarioSpec:
    kind: str = "operating_point"
    weather: str | None = None
    hours: int | None = None
    batch: int = 168
    it_load: Any = 1.0
    """A constant fraction, a list of 24 fractions (hour of day) or ``(csv path, column)``."""
    drives: list[Drive] = field(default_factory=list)


@dataclass
class OutputSpec:
    directory: str | None = None
    tables: tuple[str, ...] = ("nodes", "components", "boundaries", "controls")
    plots: bool = True
    report: bool = True
    units: str = "SI"
    """Units of the console summary rows: "SI", "engineering" or "US" (results.json stays SI)."""
    supply_node: str | None = None
    """Supply node of the rack (technology cooling) loop."""
    return_node: str | None = None
    facility_supply_node: str | None = None
    facility_return_node: str | None = None


@dataclass
class CaseSpec:
    """A validated case file."""

    name: str
    title: str
    description: str
    file: Path | None
    label: str
    meta: dict[str, Any]
    coolants: dict[str, str]
    components: list[ComponentSpec]
    controls: list[ControlSpec]
    checks: list[Any]
    scenario: ScenarioSpec
    solver: dict[str, Any]
    outputs: OutputSpec
    model: CaseModel
    default_coolant: str | None = None
    default_coolant_object: Any = None
    greenhouse: Any = None
    """:class:`thermo.case.reuse.GreenhouseSpec` of a heat-reuse study, or None."""
    storage: Any = None
    """:class:`thermo.case.storage_spec.StorageSpec` of an annual study with a buffer tank
    (``[storage]``), or None."""
    transient: Any = None
    """:class:`thermo.transient.case.TransientSpec` of a dynamic run (``[transient]``), or None."""
    power: Any = None
    """:class:`thermo.power.case.PowerSpec` of the ``[power]`` section, or None."""
    elevations: dict[str, float] = field(default_factory=dict)
    """Node elevations [m] from the ``[nodes]`` table."""
    failure_exclude: list[str] = field(default_factory=list)
    """Scenario-name patterns ``thermo failures`` leaves out (``[failures] exclude``)."""
    network: dict[str, Any] = field(default_factory=dict)
    """Keywords of :class:`~thermo.network.Network` from the ``[network]`` section."""
    overrides: dict[str, Any] = field(default_factory=dict)
    """Keys replaced before validation (``thermo run --set``, a study's variant): key path ->
    value, as given."""
