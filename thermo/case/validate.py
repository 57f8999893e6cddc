"""Validation of expanded case data: components, topology, controls and the small sections.

Called by :func:`thermo.case.loader.load_case` after includes and templates are expanded; every
function records problems in the shared collector and returns what it could validate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thermo.case.problems import Problems, suggest
from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_str,
    parse_param,
    parse_quantity,
)
from thermo.case.spec import (
    CaseModel,
    ComponentSpec,
    ControlSpec,
)
from thermo.case.validate_sections import (  # noqa: F401 - re-exported
    CASE_KEYS,
    DRIVE_KEYS,
    DRIVE_SOURCES,
    FACILITY_KEYS,
    NETWORK_KEYS,
    OUTPUT_KEYS,
    OUTPUT_NODES,
    SCENARIO_KEYS,
    SOLVER_KEYS,
    TABLES,
    TARGETS,
    safe_case_name,
    validate_coolants,
    validate_facility,
    validate_meta,
    validate_network,
    validate_outputs,
    validate_scenario,
    validate_solver,
)

__all__ = [
    "validate_components",
    "build_model",
    "check_topology",
    "validate_control",
    "validate_meta",
    "validate_coolants",
    "validate_facility",
    "validate_scenario",
    "validate_solver",
    "validate_network",
    "validate_outputs",
]

CONTROL_KEYS = (
    "component",
    "parameter",
    "target",
    "setpoint",
    "lower",
    "upper",
    "initial",
    "action",
    "high",
    "low",
    "node",
    "branch",
)
CONTROL_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("Valve", "opening"): (0.0, 1.0),
    ("DryCooler", "speed"): (0.0, 1.0),
    ("Pump", "speed"): (0.0, 10.0),
}
"""Ranges of controlled parameters: valve opening and fan speed are fractions (the constructors
check the same); a pump speed (fraction of the rated one) above 10 means nothing (affinity laws
far outside any datasheet)."""


# ----------------------------------------------------------------------------- components
def validate_components(drafts: list, problems: Problems, coolants: tuple[str, ...]):
    """Drafts -> ``(specs, complete)``; ``complete`` is false when some draft had no valid type
    or port (topology checks are then skipped to avoid follow-on errors)."""
    specs: list[ComponentSpec] = []
    complete = True
    seen: dict[str, Source] = {}
    for d in drafts:
        ctx = Context(problems, d.instance, {"coolants": coolants})
        if d.name in seen:
            ctx.add(
                f'duplicate component name "{d.name}" (first defined at {seen[d.name].where})',
                d.src,
            )
            complete = False
            continue
        seen[d.name] = d.src
        if d.ctype is None:
            complete = False
            continue
        t = d.ctype
        for key, raw in d.raw.items():
            if key not in t.keys:
                ctx.add(
                    f"unknown key `{key}` for a {t.name}{suggest(key, t.keys)} "
                    f"(keys: {', '.join(t.keys)})",
                    raw.src,
                )
        nodes: dict[str, str] = {}
        ok = True
        for port in t.ports:
            raw = d.raw.get(port)
            if raw is None:
                ctx.add(f"missing required port `{port}` of a {t.name} (a node name)", d.src)
                ok = False
            elif raw.value is INVALID:
                ok = False
            else:
                nodes[port] = raw.value
        kwargs: dict[str, Any] = {}
        key_src: dict[str, Source] = {}
        for p in t.params:
            raw = d.raw.get(p.name)
            if raw is None:
                if p.required:
                    ctx.add(f"missing required key `{p.name}` of a {t.name}: {p.doc}", d.src)
                    ok = False
                continue
            key_src[p.name] = raw.src
            if raw.value is INVALID:
                ok = False
                continue
            value = parse_param(p, raw, ctx)
            if value is INVALID:
                ok = False
            else:
                kwargs[p.name] = value
        for group in t.exclusive:
            given = [k for k in group if k in d.raw]
            if len(given) > 1:
                listing = " and ".join(f"`{k}`" for k in given)
                ctx.add(f"a {t.name} takes at most one of {listing}", d.src)
                ok = False
        for group in t.one_of:
            given = [k for k in group if k in d.raw]
            if len(given) != 1:
                listing = ", ".join(f"`{k}`" for k in group)
                got = ", ".join(f"`{k}`" for k in given) or "none"
                ctx.add(f"a {t.name} needs exactly one of {listing} (got {got})", d.src)
                ok = False
        if not ok or len(nodes) != len(t.ports):
            complete = False
        # invalid ones are kept (valid=False) for the topology checks, never built
        specs.append(ComponentSpec(d.name, t, nodes, kwargs, d.src, key_src, d.instance, ok))
    return specs, complete


def _flatten(obj: Any, branches: list, boundaries: list, controls: list) -> None:
    from thermo.components.base import Boundary, Branch

    if hasattr(obj, "parts"):
        for part in obj.parts():
            _flatten(part, branches, boundaries, controls)
        controls.extend(getattr(obj, "controls", lambda: [])())
    elif isinstance(obj, Branch):
        branches.append(obj)
    elif isinstance(obj, Boundary):
        boundaries.append(obj)


def build_model(specs: list[ComponentSpec]) -> CaseModel:
    """Names and topology from the built component objects."""
    model = CaseModel()
    seen: dict[str, None] = {}
    for s in specs:
        if s.obj is None:
            continue
        branches: list = []
        boundaries: list = []
        controls: list = []
        _flatten(s.obj, branches, boundaries, controls)
        model.component_branches[s.name] = [b.name for b in branches]
        model.element_names.add(s.name)
        for b in branches:
            model.branch_ports[b.name] = (b.inlet, b.outlet)
            model.branch_class[b.name] = type(b).__name__
            model.branch_object[b.name] = b
            model.owner[b.name] = s.name
            model.element_names.add(b.name)
            seen.setdefault(b.inlet)
            seen.setdefault(b.outlet)
        for bd in boundaries:
            model.boundaries.append(bd)
            model.owner[bd.name] = s.name
            model.element_names.add(bd.name)
            seen.setdefault(bd.node)
        for c in controls:
            model.owner[c.name] = s.name
            model.element_names.add(c.name)
    model.nodes = list(seen)
    return model


def check_topology(
    specs: list[ComponentSpec],
    model: CaseModel,
    default_coolant: Any,
    problems: Problems,
    dead_ends: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Unconnected ports (except nodes declared ``dead_end`` in ``[nodes]``), loops without a
    pressure reference, one coolant per loop; fills ``model.node_coolant``."""
    by_name = {s.name: s for s in specs}
    users: dict[str, list[str]] = {n: [] for n in model.nodes}
    for b, (a, c) in model.branch_ports.items():
        users[a].append(b)
        users[c].append(b)
    for bd in model.boundaries:
        users[bd.node].append(bd.name)
    hints = 20  # suggestions for the first dangling nodes only: each one scans every node
    for node, used in users.items():
        if len(used) != 1 or node in dead_ends:
            continue
        s = by_name[model.owner[used[0]]]
        port = next((p for p, n in s.nodes.items() if n == node), None)
        where = s.key_src.get(port, s.src.child(port)) if port else s.src
        what = f'`{port}` of {s.ctype.name} "{s.name}"' if port else f'"{used[0]}"'
        hint = suggest(node, model.nodes) if hints > 0 and not problems.full else ""
        hints -= 1
        Context(problems, s.instance).add(
            f'node "{node}" is connected only to {what}; every node needs at least two '
            f"connections{hint} (a deliberate dead end is declared as "
            f"`[nodes]` `{node} = {{ dead_end = true }}`)",
            where,
        )
    parent = {n: n for n in model.nodes}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in model.branch_ports.values():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    loops: dict[str, list[str]] = {}
    for node in model.nodes:
        loops.setdefault(find(node), []).append(node)
    bds: dict[str, list] = {}
    for bd in model.boundaries:
        bds.setdefault(find(bd.node), []).append(bd)
    members: dict[str, dict[str, None]] = {}
    for b, (a, _) in model.branch_ports.items():
        members.setdefault(find(a), {})[model.owner[b]] = None
    for root, nodes in loops.items():
        owners = list(members.get(root, ())) or [model.owner[bd.name] for bd in bds.get(root, [])]
        first = by_name[owners[0]]
        shown = ", ".join(owners[:5]) + (f" and {len(owners) - 5} more" if len(owners) > 5 else "")
        here = bds.get(root, [])
        if not any(getattr(bd, "pressure", None) is not None for bd in here):
            Context(problems, first.instance).add(
                f"the loop of {shown} has no pressure reference: add an ExpansionTank (or a "
                "PressureBoundary) at one of its nodes",
                first.src,
            )
        coolants = []
        for bd in here:
            c = getattr(bd, "coolant", None)
            if c is not None and c not in coolants:
                coolants.append(c)
        if len(coolants) > 1:
            s = by_name[model.owner[here[-1].name]]
            Context(problems, s.instance).add(
                f"the loop of {shown} is given two coolants: "
                + " and ".join(str(c) for c in coolants),
                s.key_src.get("coolant", s.src),
            )
        loop_coolant = coolants[0] if coolants else default_coolant
        if loop_coolant is not None:
            for node in nodes:
                model.node_coolant[node] = loop_coolant


# ----------------------------------------------------------------------------- controls
def validate_control(
    name: str,
    table: Any,
    src: Source,
    scope: Any,
    model: CaseModel,
    resolve_node: Callable[[Raw, Any], Any],
    problems: Problems,
) -> ControlSpec | None:
    from thermo.case.registry import REGISTRY, Param

    ctx = Context(problems, scope.instance)
    if not isinstance(table, dict):
        ctx.add(f"expected a control table, got {describe(table)}", src)
        return None
    check_keys(table, CONTROL_KEYS, src, ctx, "a control")
    for key in ("component", "parameter", "target", "setpoint", "lower", "upper"):
        if key not in table:
            ctx.add(f"missing required key `{key}` of a control", src)
    if any(k not in table for k in ("component", "parameter", "target", "setpoint")):
        return None
    if name in model.element_names:
        ctx.add(f'control name "{name}" is already the name of a component', src)
        return None
    comp = expect_str(Raw(table["component"], src.child("component")), ctx, what="a component name")
    param = expect_str(
        Raw(table["parameter"], src.child("parameter")), ctx, what="a parameter name"
    )
    target = expect_str(Raw(table["target"], src.child("target")), ctx, tuple(TARGETS))
    if INVALID in (comp, param, target):
        return None
    comp = scope.prefix + comp
    obj = model.branch_object.get(comp)
    if obj is None:
        ctx.add(
            f'no branch component "{comp}" to control{suggest(comp, model.branch_ports)}',
            src.child("component"),
        )
        return None
    controllable = tuple(getattr(type(obj), "controllable", ()))
    if param not in controllable:
        allowed = ", ".join(f"`{c}`" for c in controllable) or "nothing"
        ctx.add(
            f'a {type(obj).__name__} has no controllable parameter "{param}"'
            f"{suggest(param, controllable)} (controllable: {allowed})",
            src.child("parameter"),
        )
        return None
    kind, ref_keys = TARGETS[target]
    refs: dict[str, str] = {}
    ok = True
    for key in ("high", "low", "node", "branch"):
        if key in table and key not in ref_keys:
            ctx.add(
                f"a `{target}` control takes no `{key}` (it takes {', '.join(ref_keys)})",
                src.child(key),
            )
            ok = False
    for key in ref_keys:
        if key not in table:
            ctx.add(f"missing required key `{key}` of a `{target}` control", src)
            ok = False
            continue
        raw = Raw(table[key], src.child(key))
        if key == "branch":
            b = expect_str(raw, ctx, what="a branch name")
            if b is INVALID:
                ok = False
                continue
            b = scope.prefix + b
            if b not in model.branch_ports:
                ctx.add(f'unknown branch "{b}"{suggest(b, model.branch_ports)}', raw.src)
                ok = False
                continue
            refs[key] = b
        else:
            node = resolve_node(raw, scope)
            if node is INVALID:
                ok = False
                continue
            if node not in model.node_set:
                ctx.add(f'unknown node "{node}"{suggest(node, model.nodes)}', raw.src)
                ok = False
                continue
            refs[key] = node
    setpoint = parse_quantity(Raw(table["setpoint"], src.child("setpoint")), kind, ctx)
    ctype = REGISTRY.get(type(obj).__name__)
    spec = ctype.param(param) if ctype is not None else None
    if spec is None:
        spec = Param(param, "power" if param == "heat" else "number", "")
    bounds = []
    for key in ("lower", "upper", "initial"):
        if key not in table:
            bounds.append(None)
            continue
        bounds.append(parse_param(spec, Raw(table[key], src.child(key)), ctx))
    lower, upper, initial = bounds
    action = None
    if "action" in table:
        action = expect_str(Raw(table["action"], src.child("action")), ctx, ("direct", "reverse"))
    if (
        INVALID in (setpoint, lower, upper, initial, action)
        or not ok
        or lower is None
        or upper is None
    ):
        return None
    if not lower < upper:
        ctx.add(
            f"`lower` must be below `upper`, got {table['lower']} and {table['upper']}",
            src.child("lower"),
        )
        return None
    span = CONTROL_RANGES.get((type(obj).__name__, param))
    if span is not None:
        for key, v in (("lower", lower), ("upper", upper), ("initial", initial)):
            if v is not None and not span[0] <= v <= span[1]:
                ctx.add(
                    f"the {param} of a {type(obj).__name__} lies in [{span[0]:g}, {span[1]:g}]; "
                    f"`{key}` = {table[key]} is outside",
                    src.child(key),
                )
                return None
    return ControlSpec(
        name, comp, param, target, refs, setpoint, lower, upper, initial, src, action
    )


# ----------------------------------------------------------------------------- small sections
