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
    """A validated component: SI keyword arguments for its constructor."""

    name: str
    ctype: ComponentType
    nodes: dict[str, str]
    kwargs: dict[str, Any]
    src: Source
    key_src: dict[str, Source]
    instance: str | None = None
    valid: bool = True
    """False when a parameter failed validation (then it is kept for topology checks only)."""

    def branches(self) -> list[tuple[str, str, str]]:
        """``(branch name, inlet node, outlet node)`` of the network branches it creates."""
        return [
            (self.name + sfx, self.nodes[a], self.nodes[b]) for sfx, a, b in self.ctype.branches
        ]


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


@dataclass
class FacilitySpec:
    it_branches: list[str]
    it_power: float | None
    other_power: float
    reuse_branches: list[str]


@dataclass
class CaseModel:
    """Names and topology of a validated case (used by checks and the builder)."""

    nodes: list[str] = field(default_factory=list)
    branch_ports: dict[str, tuple[str, str]] = field(default_factory=dict)
    branch_type: dict[str, ComponentType] = field(default_factory=dict)
    component_types: dict[str, ComponentType] = field(default_factory=dict)
    node_coolant_name: dict[str, str] = field(default_factory=dict)
    node_coolant: dict[str, Any] = field(default_factory=dict)
    facility: FacilitySpec | None = None

    @property
    def node_set(self) -> set[str]:
        return set(self.nodes)

    @property
    def component_names(self) -> list[str]:
        return list(self.component_types)

    def select_branches(self, patterns: list[str]) -> list[str]:
        """Branches matching a pattern, or belonging to a component whose name matches one."""
        from thermo.case.checks import select

        comps = set(select(patterns, self.component_types))
        direct = set(select(patterns, self.branch_ports))
        out = []
        for b in self.branch_ports:
            owner = _owner(b, self.component_types)
            if b in direct or owner in comps:
                out.append(b)
        return out

    def branch_reports(self, branch: str) -> tuple[str, ...]:
        return self.branch_type[branch].reports

    def has_sides(self, name: str) -> bool:
        return f"{name}.hot" in self.branch_ports and f"{name}.cold" in self.branch_ports

    @property
    def electric_branches(self) -> list[str]:
        from thermo.case.checks import ELECTRIC_COLUMNS

        return [
            b for b, t in self.branch_type.items() if any(c in t.reports for c in ELECTRIC_COLUMNS)
        ]


def _owner(branch: str, components: dict) -> str:
    if branch in components:
        return branch
    head = branch.rsplit(".", 1)[0]
    return head if head in components else branch


@dataclass
class Drive:
    components: list[str]
    parameter: str
    source: str
    offset: float
    src: Source


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
    supply_node: str | None = None
    return_node: str | None = None


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
