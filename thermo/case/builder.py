"""Turn a validated :class:`~thermo.case.spec.CaseSpec` into a :class:`~thermo.network.Network`.

Constructors get SI keyword arguments. A constructor that still rejects a value (a range the
registry does not know, e.g. a relative roughness above 0.05) raises an
:class:`~thermo.errors.InputError`; it is reported like every other case-file problem, at the
key it names.
"""

from __future__ import annotations

from typing import Any

from thermo.case.problems import Problems, Where
from thermo.case.spec import CaseSpec, ComponentSpec

__all__ = ["build_network"]


def _where_of(spec: ComponentSpec, key: str | None) -> Where:
    """Source of the constructor key an error names (``"<name>.<param>"``), else the table."""
    if key and key.startswith(spec.name + "."):
        param = key[len(spec.name) + 1 :]
        param = param.split("[")[0]
        if param in spec.key_src:
            return spec.key_src[param].where
    return spec.src.where


def build_network(case: CaseSpec) -> Any:
    """The network of ``case`` (components, controls, coolants), topology-checked.

    Raises
    ------
    CaseError
        When a constructor rejects a value or the network cannot be solved as drawn (no pump,
        no pressure reference, ...).
    """
    from thermo.coolants import Coolant
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
    coolants = {name: Coolant(spec) for name, spec in case.coolants.items()}
    default = coolants.get(case.default_coolant) if case.default_coolant else None
    net = Network(coolant=default, name=case.name)
    by_name = {s.name: s for s in case.components}
    items: list[Any] = []
    for s in case.components:
        kwargs = dict(s.kwargs)
        if isinstance(kwargs.get("coolant"), str):
            kwargs["coolant"] = coolants[kwargs["coolant"]]
        try:
            items.append(s.ctype.constructor()(name=s.name, **s.nodes, **kwargs))
        except InputError as exc:
            problems.add(exc.reason, _where_of(s, exc.key), s.instance)
        except (TypeError, ValueError) as exc:
            problems.add(f"cannot build this {s.ctype.name}: {exc}", s.src.where, s.instance)
    problems.raise_if_any()
    net.add(*items)
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
                )
            )
        except InputError as exc:
            problems.add(exc.reason, c.src.where)
    problems.raise_if_any()
    try:
        net.check()
    except TopologyError as exc:
        first = next((by_name[e] for e in exc.elements if e in by_name), None)
        if first is None:
            owners = [e.rsplit(".", 1)[0] for e in exc.elements]
            first = next((by_name[e] for e in owners if e in by_name), None)
        where = first.src.where if first is not None else Where(case.label)
        problems.add(exc.reason, where, first.instance if first is not None else None)
    problems.raise_if_any()
    case.model.node_coolant = {
        node: coolants[name] for node, name in case.model.node_coolant_name.items()
    }
    return net
