"""Build component objects and the :class:`~thermo.network.Network` of a case.

Components are built while the case is loaded (:func:`construct_all`), so that topology,
controls and checks are validated against the real objects (composites such as a rack or a CDU
contribute their internal branches, nodes and tanks). Constructors get SI keyword arguments;
nested sub-tables are built first (``Param.factory``) and coolant names become
:class:`~thermo.Coolant` objects. A constructor that still rejects a value raises an
:class:`~thermo.errors.InputError`, reported like any other case-file problem at the key it names.
"""

from __future__ import annotations

from typing import Any

from thermo.case.problems import Problems, Where
from thermo.case.registry import Param, load
from thermo.case.spec import CaseSpec, ComponentSpec

__all__ = ["construct_all", "build_network"]


def _where_of(spec: ComponentSpec, key: str | None) -> Where:
    """Source of the constructor key an error names (``"<name>.<param>"``), else the table."""
    if key:
        for prefix in (spec.name + ".", ""):
            if key.startswith(prefix):
                rest = key[len(prefix) :].split("[")[0]
                head = rest.split(".")[0]
                for cand in (rest, head):
                    if cand in spec.key_src:
                        return spec.key_src[cand].where
    return spec.src.where


def _materialise(param: Param, value: Any, coolants: dict[str, Any]) -> Any:
    if param.kind == "coolant":
        return coolants[value]
    if param.kind == "table":
        built = _materialise_fields(param, value, coolants)
        return load(param.factory)(**built) if param.factory else built
    if param.kind == "named_tables":
        return {
            label: _materialise_fields(param, table, coolants) for label, table in value.items()
        }
    return value


def _materialise_fields(param: Param, table: dict, coolants: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in table.items():
        f = param.field(k)
        out[k] = _materialise(f, v, coolants) if f is not None else v
    return out


MAX_ELEMENTS = 1_000_000
"""Most network elements (branches and boundaries, composites counted by their parts) a case
may build; beyond it building stops with an error at the component that passes it."""


def _elements(obj: Any) -> int:
    parts = getattr(obj, "parts", None)
    if parts is None:
        return 1
    return sum(_elements(p) for p in parts())


def construct_all(specs: list[ComponentSpec], coolants: dict[str, Any], problems: Problems) -> bool:
    """Build the object of every valid spec (``spec.obj``); False if any failed."""
    from thermo.errors import InputError

    ok = True
    built = 0
    for s in specs:
        if not s.valid:
            ok = False
            continue
        if built > MAX_ELEMENTS:
            problems.add(
                f"the case builds more than {MAX_ELEMENTS:,} network elements (branches and "
                "boundaries, racks and CDUs counted by their parts); split it into smaller cases",
                s.src.where,
                s.instance,
            )
            return False
        try:
            kwargs = {}
            for k, v in s.kwargs.items():
                p = s.ctype.param(k)
                kwargs[k] = _materialise(p, v, coolants) if p is not None else v
            s.obj = s.ctype.build()(name=s.name, **s.nodes, **kwargs)
            built += _elements(s.obj)
        except InputError as exc:
            problems.add(exc.reason, _where_of(s, exc.key), s.instance)
            ok = False
        except (TypeError, ValueError) as exc:
            problems.add(f"cannot build this {s.ctype.name}: {exc}", s.src.where, s.instance)
            ok = False
    return ok


def build_network(case: CaseSpec) -> Any:
    """The network of ``case`` (its components, controls and coolants), topology-checked.

    Raises
    ------
    CaseError
        When the network cannot be solved as drawn (e.g. nothing drives flow in a loop).
    """
    from thermo.errors import InputError, TopologyError
    from thermo.network import (
        Control,
        DifferentialPressure,
        MassFlow,
        Network,
        NodeTemperature,
        VolumeFlow,
    )

    problems = Problems()
    default = case.default_coolant_object
    net = Network(coolant=default, name=case.name, **getattr(case, "network", {}))
    by_name = {s.name: s for s in case.components}
    net.add(*(s.obj for s in case.components))
    for node, z in getattr(case, "elevations", {}).items():
        net.set_elevation(node, z)
    targets = {
        "differential_pressure": lambda r, v: DifferentialPressure(r["high"], r["low"], v),
        "node_temperature": lambda r, v: NodeTemperature(r["node"], v),
        "mass_flow": lambda r, v: MassFlow(r["branch"], v),
        "volume_flow": lambda r, v: VolumeFlow(r["branch"], v),
    }
    for c in case.controls:
        try:
            net.add(
                Control(
                    c.name,
                    component=c.component,
                    parameter=c.parameter,
                    target=targets[c.target](c.refs, c.setpoint),
                    lower=c.lower,
                    upper=c.upper,
                    initial=c.initial,
                    action=c.action,
                )
            )
        except InputError as exc:
            problems.add(exc.reason, c.src.where)
    problems.raise_if_any()
    try:
        net.check()
    except TopologyError as exc:
        owners = [case.model.owner.get(e, e) for e in exc.elements]
        first = next((by_name[o] for o in owners if o in by_name), None)
        where = first.src.where if first is not None else Where(case.label)
        problems.add(exc.reason, where, first.instance if first is not None else None)
    problems.raise_if_any()
    return net
