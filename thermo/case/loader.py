"""Case files: read, include, expand templates, validate -> :class:`CaseSpec`.

Nothing is solved or built here. Every problem in the file is collected first; then one
:class:`~thermo.case.problems.CaseError` lists them all, each with file, line, key path, the value
and what was expected. The format is documented in ``docs/case-files.md``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo.case.files import (
    MAX_CASE_FILE_BYTES,
    FileProblem,
    confined_path,
    read_limited,
)
from thermo.case.locate import KeyLocator, decode_error_line
from thermo.case.problems import CaseError, Problem, Problems, Where, suggest
from thermo.case.registry import REGISTRY, ComponentType
from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_int,
    expect_str,
    valid_name,
)
from thermo.case.shipped import case_folders, copy_case, resolve_case, shipped_cases
from thermo.case.spec import CaseSpec

__all__ = [
    "load_case",
    "resolve_case",
    "shipped_cases",
    "case_folders",
    "copy_case",
]

TOP_KEYS = (
    "case",
    "include",
    "coolants",
    "components",
    "controls",
    "templates",
    "instances",
    "scenario",
    "solver",
    "network",
    "checks",
    "outputs",
    "facility",
    "greenhouse",
    "storage",
    "transient",
    "events",
    "power",
    "study",
    "nodes",
    "failures",
)
CASE_KEYS = ("name", "title", "description", "author", "version", "tags", "references")
INCLUDE_KEYS = ("include", "templates", "coolants")
TEMPLATE_KEYS = ("description", "ports", "parameters", "components", "controls", "instances")
INSTANCE_KEYS = ("template", "name", "count", "start", "connect", "parameters")
MAX_COUNT = 100_000
MAX_DEPTH = 8
MAX_COMPONENTS = 200_000
"""Most components a case may have once its templates are expanded (the largest shipped case has
about 60; a 100,000-pipe loop validates in seconds)."""
MAX_INCLUDE_DEPTH = 16
"""Longest chain of includes (a file including a file including ...)."""
MAX_INCLUDE_FILES = 256
"""Most files one case may include in all."""
MAX_NESTING = 32
"""Deepest nesting of tables and arrays in a case file."""
_PORT_REF = re.compile(r"\{([A-Za-z_]\w*)\}")
_INDEX = re.compile(r"\{i(?:([+-])(\d+))?(?::([^{}]*))?\}")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_FORMAT_SPEC = re.compile(r"[<>=^]?[+ -]?0?\d{0,2}[dxXob]?")


# ----------------------------------------------------------------------------- documents
@dataclass
class _Document:
    path: Path
    label: str
    data: dict
    locator: KeyLocator

    def source(self, *path: str | int) -> Source:
        return Source(self.label, self.locator, tuple(path))


def _read(path: Path, label: str, problems: Problems, at: Source | None) -> _Document | None:
    where = at.where if at is not None else Where(label)
    try:
        text = read_limited(path, MAX_CASE_FILE_BYTES).decode("utf-8")
    except FileProblem as exc:
        problems.add(str(exc), where)
        return None
    except UnicodeDecodeError:
        problems.add("the file is not UTF-8 text", Where(label))
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = decode_error_line(msg)
        problems.add(f"not valid TOML: {msg}", Where(label, (), line))
        return None
    except RecursionError:
        problems.add(f"not valid TOML: nested deeper than {MAX_NESTING} levels", Where(label))
        return None
    if _depth(data) > MAX_NESTING:
        problems.add(f"tables and arrays nested deeper than {MAX_NESTING} levels", Where(label))
        return None
    return _Document(path, label, data, KeyLocator(text))


def _depth(data: Any) -> int:
    """Deepest nesting of tables and arrays (iterative: no recursion limit)."""
    deepest = 0
    todo = [(data, 1)]
    while todo:
        item, d = todo.pop()
        deepest = max(deepest, d)
        if d > MAX_NESTING:
            return d
        children = item.values() if isinstance(item, dict) else item
        todo.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return deepest


# ----------------------------------------------------------------------------- templates
@dataclass
class _Template:
    name: str
    table: dict
    src: Source
    ports: tuple[str, ...]
    params: dict[str, Raw]


@dataclass
class _Scope:
    prefix: str = ""
    ports: dict[str, str] | None = None
    params: dict[str, Raw] = field(default_factory=dict)
    instance: str | None = None
    stack: tuple[str, ...] = ()
    template: str | None = None


@dataclass
class _Draft:
    name: str
    raw: dict[str, Raw]
    src: Source
    instance: str | None
    ctype: ComponentType | None


class _Loader:
    def __init__(self, roots: tuple[Path, ...] = ()) -> None:
        self.roots = roots
        """Folders that files named by the case may come from."""
        self.problems = Problems()
        self.templates: dict[str, _Template] = {}
        self.coolants: dict[str, tuple[Any, Source]] = {}
        self.drafts: list[_Draft] = []
        self.control_drafts: list[tuple[str, dict, Source, _Scope]] = []
        self.seen_files: set[Path] = set()
        self.sizes: dict[str, int] = {}
        self.too_many = False

    def size(self, tname: str, stack: tuple[str, ...] = ()) -> int:
        """Components one instance of template ``tname`` makes (capped above the limit)."""
        if tname in self.sizes:
            return self.sizes[tname]
        tpl = self.templates.get(tname)
        if tpl is None or tname in stack or len(stack) > MAX_DEPTH:
            return 0
        comps = tpl.table.get("components")
        n = len(comps) if isinstance(comps, dict) else 0
        inst = tpl.table.get("instances")
        for item in inst if isinstance(inst, list) else ():
            if not isinstance(item, dict) or not isinstance(item.get("template"), str):
                continue
            count = item.get("count", 1)
            count = count if isinstance(count, int) and not isinstance(count, bool) else 1
            n += max(count, 0) * self.size(item["template"], (*stack, tname))
            n = min(n, MAX_COMPONENTS + 1)
        self.sizes[tname] = n
        return n

    def over_limit(self, extra: int, src: Source, what: str) -> bool:
        """True (and one problem reported) if ``extra`` more components pass the limit."""
        if len(self.drafts) + extra <= MAX_COMPONENTS:
            return False
        if not self.too_many:
            self.too_many = True
            self.ctx().add(
                f"{what} take the case past {MAX_COMPONENTS:,} components (templates expanded); "
                "split the study into smaller cases",
                src,
            )
        return True

    def ctx(self, instance: str | None = None) -> Context:
        return Context(self.problems, instance)

    # ---- includes
    def include(self, doc: _Document, stack: tuple[Path, ...]) -> None:
        inc = doc.data.get("include")
        if inc is None:
            return
        src = doc.source("include")
        items = [inc] if isinstance(inc, str) else inc
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            self.ctx().add(f"expected a file path or an array of paths, got {describe(inc)}", src)
            return
        if len(stack) > MAX_INCLUDE_DEPTH:
            self.ctx().add(f"includes nested deeper than {MAX_INCLUDE_DEPTH} files", src)
            return
        for k, rel in enumerate(items):
            isrc = src.child(k) if isinstance(inc, list) else src
            try:
                path = confined_path(rel, doc.path.parent, self.roots)
            except FileProblem as exc:
                self.ctx().add(str(exc), isrc)
                continue
            if path in stack:
                self.ctx().add(f'"{rel}" includes itself (include cycle)', isrc)
                continue
            if path in self.seen_files:
                continue
            if len(self.seen_files) > MAX_INCLUDE_FILES:
                self.ctx().add(f"more than {MAX_INCLUDE_FILES} included files", isrc)
                return
            self.seen_files.add(path)
            sub = _read(path, rel, self.problems, isrc)
            if sub is None:
                continue
            check_keys(sub.data, INCLUDE_KEYS, sub.source(), self.ctx(), "an included file")
            self.collect(sub)
            self.include(sub, (*stack, path))

    def collect(self, doc: _Document) -> None:
        """Templates and coolants of a document."""
        ctx = self.ctx()
        cool = doc.data.get("coolants")
        if cool is not None:
            if not isinstance(cool, dict):
                ctx.add(
                    f"expected a table of coolants, got {describe(cool)}", doc.source("coolants")
                )
            else:
                for name, spec in cool.items():
                    src = doc.source("coolants", name)
                    if not valid_name(name, Raw(name, src), ctx, "coolant name"):
                        continue
                    if name in self.coolants:
                        ctx.add(f'coolant "{name}" is defined twice', src)
                    self.coolants[name] = (spec, src)
        tpl = doc.data.get("templates")
        if tpl is None:
            return
        if not isinstance(tpl, dict):
            ctx.add(f"expected a table of templates, got {describe(tpl)}", doc.source("templates"))
            return
        for name, table in tpl.items():
            src = doc.source("templates", name)
            if name in self.templates:
                ctx.add(
                    f'template "{name}" is defined twice (also at {self.templates[name].src.where})',
                    src,
                )
                continue
            t = self._template(name, table, src)
            if t is not None:
                self.templates[name] = t

    def _template(self, name: str, table: Any, src: Source) -> _Template | None:
        ctx = self.ctx()
        if not isinstance(table, dict):
            ctx.add(f"expected a template table, got {describe(table)}", src)
            return None
        if not valid_name(name, Raw(name, src), ctx, "template name"):
            return None
        check_keys(table, TEMPLATE_KEYS, src, ctx, f'template "{name}"')
        ports: list[str] = []
        raw_ports = table.get("ports", [])
        if not isinstance(raw_ports, list) or not all(isinstance(p, str) for p in raw_ports):
            ctx.add(
                f"expected an array of port names, got {describe(raw_ports)}", src.child("ports")
            )
        else:
            for p in raw_ports:
                if not _IDENT.fullmatch(p) or p == "i":
                    ctx.add(
                        f'port name "{p}" must be an identifier (letters, digits, _), not "i"',
                        src.child("ports"),
                    )
                elif p in ports:
                    ctx.add(f'port "{p}" is listed twice', src.child("ports"))
                else:
                    ports.append(p)
        params: dict[str, Raw] = {}
        raw_params = table.get("parameters", {})
        if not isinstance(raw_params, dict):
            ctx.add(
                f"expected a table of parameter defaults, got {describe(raw_params)}",
                src.child("parameters"),
            )
        else:
            for p, v in raw_params.items():
                psrc = src.child("parameters", p)
                if not _IDENT.fullmatch(p) or p == "i" or p in ports:
                    ctx.add(
                        f'template parameter "{p}" must be an identifier other than "i" and the port names',
                        psrc,
                    )
                    continue
                params[p] = Raw(v, psrc)
        return _Template(name, table, src, tuple(ports), params)

    # ---- expansion
    def body(self, table: dict, src: Source, scope: _Scope) -> None:
        ctx = self.ctx(scope.instance)
        comps = table.get("components")
        if comps is not None:
            if not isinstance(comps, dict):
                ctx.add(
                    f"expected a table of components, got {describe(comps)}",
                    src.child("components"),
                )
            else:
                for key, ctable in comps.items():
                    self.component(key, ctable, src.child("components", key), scope)
        controls = table.get("controls")
        if controls is not None:
            if not isinstance(controls, dict):
                ctx.add(
                    f"expected a table of controls, got {describe(controls)}", src.child("controls")
                )
            else:
                for key, c in controls.items():
                    csrc = src.child("controls", key)
                    if valid_name(key, Raw(key, csrc), ctx, "control name"):
                        self.control_drafts.append((scope.prefix + key, c, csrc, scope))
        inst = table.get("instances")
        if inst is not None:
            if not isinstance(inst, list):
                ctx.add(
                    f"expected an array of instance tables ([[instances]]), got {describe(inst)}",
                    src.child("instances"),
                )
            else:
                for k, item in enumerate(inst):
                    self.instance(item, src.child("instances", k), scope)

    def subst(self, raw: Raw, scope: _Scope) -> Raw:
        v = raw.value
        if isinstance(v, str):
            m = _PORT_REF.fullmatch(v.strip())
            if m and m.group(1) != "i":
                p = m.group(1)
                if p in scope.params:
                    given = scope.params[p]
                    note = f" (template parameter `{p}` used at `{raw.src.key}`)"
                    return Raw(given.value, given.src, given.note or note)
                where = f'template "{scope.template}"' if scope.template else "the top level"
                self.ctx(scope.instance).add(
                    f'"{v}" names no parameter of {where}{suggest(p, scope.params)}', raw.src
                )
                return Raw(INVALID, raw.src)
        return raw

    def node(self, raw: Raw, scope: _Scope) -> Any:
        ctx = self.ctx(scope.instance)
        v = raw.value
        if not isinstance(v, str) or not v:
            ctx.add(f"expected a node name (text), got {describe(v)}", raw.src, raw.note)
            return INVALID
        if scope.ports is None:
            return v if valid_name(v, raw, ctx, "node name") else INVALID
        m = _PORT_REF.fullmatch(v)
        if m:
            port = m.group(1)
            if port in scope.ports:
                return scope.ports[port]
            ctx.add(
                f'"{v}" names no port of template "{scope.template}"{suggest(port, scope.ports)} '
                f"(ports: {', '.join(scope.ports) or 'none'})",
                raw.src,
            )
            return INVALID
        if not valid_name(v, raw, ctx, "node name"):
            return INVALID
        return scope.prefix + v

    def component(self, key: str, table: Any, src: Source, scope: _Scope) -> None:
        ctx = self.ctx(scope.instance)
        if self.too_many or self.over_limit(1, src, "the components"):
            return
        if not valid_name(key, Raw(key, src), ctx, "component name"):
            return
        if not isinstance(table, dict):
            ctx.add(f"expected a component table (with `type = ...`), got {describe(table)}", src)
            return
        ctype = None
        if "type" not in table:
            ctx.add("missing required key `type` (one of " + ", ".join(REGISTRY) + ")", src)
        else:
            t = self.subst(Raw(table["type"], src.child("type")), scope)
            tname = (
                expect_str(t, ctx, what="a component type name")
                if t.value is not INVALID
                else INVALID
            )
            if tname is not INVALID:
                ctype = REGISTRY.get(tname)
                if ctype is None:
                    ctx.add(
                        f'unknown component type "{tname}"{suggest(tname, REGISTRY)} '
                        f"(known: {', '.join(REGISTRY)})",
                        t.src,
                    )
        ports = ctype.ports if ctype is not None else ()
        raw: dict[str, Raw] = {}
        for k, v in table.items():
            r = Raw(v, src.child(k))
            if k in ports:
                raw[k] = Raw(self.node(r, scope), r.src)
            elif k != "type":
                raw[k] = self.subst(r, scope)
        self.drafts.append(_Draft(scope.prefix + key, raw, src, scope.instance, ctype))

    def instance(self, item: Any, src: Source, scope: _Scope) -> None:
        ctx = self.ctx(scope.instance)
        if not isinstance(item, dict):
            ctx.add(f"expected an instance table, got {describe(item)}", src)
            return
        check_keys(item, INSTANCE_KEYS, src, ctx, "an instance")
        if "template" not in item:
            ctx.add("missing required key `template`", src)
            return
        tname = expect_str(
            Raw(item["template"], src.child("template")), ctx, what="a template name"
        )
        if tname is INVALID:
            return
        tpl = self.templates.get(tname)
        if tpl is None:
            ctx.add(
                f'unknown template "{tname}"{suggest(tname, self.templates)}', src.child("template")
            )
            return
        if tname in scope.stack or len(scope.stack) >= MAX_DEPTH:
            ctx.add(
                f'template "{tname}" instantiates itself (cycle: {" -> ".join((*scope.stack, tname))})',
                src.child("template"),
            )
            return
        count = expect_int(Raw(item.get("count", 1), src.child("count")), ctx, 1, MAX_COUNT)
        start = expect_int(Raw(item.get("start", 1), src.child("start")), ctx, 0)
        if count is INVALID or start is INVALID:
            return
        size = self.size(tname)
        if self.too_many or self.over_limit(
            count * size,
            src.child("count"),
            f'{count:,} instances of template "{tname}" ('
            + (f"{size:,}" if size <= MAX_COMPONENTS else f"over {MAX_COMPONENTS:,}")
            + " components each)",
        ):
            return
        width = len(str(start + count - 1))
        default = tname if count == 1 else f"{tname}{{i:0{width}d}}"
        pattern = item.get("name", default)
        nsrc = src.child("name")
        if not isinstance(pattern, str) or not pattern:
            ctx.add(f"expected an instance name pattern (text), got {describe(pattern)}", nsrc)
            return
        if count > 1 and not _INDEX.search(pattern):
            ctx.add(
                f'with count = {count} the name "{pattern}" needs `{{i}}` (e.g. "{pattern}{{i}}")',
                nsrc,
            )
            return
        connect = item.get("connect", {})
        csrc = src.child("connect")
        if not isinstance(connect, dict):
            ctx.add(f"expected a table port -> node, got {describe(connect)}", csrc)
            return
        ok = True
        for port in tpl.ports:
            if port not in connect:
                ctx.add(
                    f'port "{port}" of template "{tname}" is not connected (add `{port} = "<node>"` to `connect`)',
                    csrc,
                )
                ok = False
        for port in connect:
            if port not in tpl.ports:
                ctx.add(
                    f'template "{tname}" has no port "{port}"{suggest(port, tpl.ports)} (ports: {", ".join(tpl.ports) or "none"})',
                    csrc.child(port),
                )
                ok = False
        params = item.get("parameters", {})
        psrc = src.child("parameters")
        if not isinstance(params, dict):
            ctx.add(f"expected a table of template parameters, got {describe(params)}", psrc)
            return
        given: dict[str, Raw] = {}
        for p, v in params.items():
            if p not in tpl.params:
                ctx.add(
                    f'template "{tname}" has no parameter "{p}"{suggest(p, tpl.params)} (parameters: {", ".join(tpl.params) or "none"})',
                    psrc.child(p),
                )
                ok = False
                continue
            given[p] = self.subst(Raw(v, psrc.child(p)), scope)
        if not ok:
            return
        for i in range(start, start + count):
            name = _format_index(pattern, i, nsrc, ctx)
            if name is INVALID:
                return
            if not valid_name(name, Raw(name, nsrc), ctx, "instance name"):
                return
            ports: dict[str, str] = {}
            for port in tpl.ports:
                text = _format_index(connect[port], i, csrc.child(port), ctx)
                if text is INVALID:
                    return
                node = self.node(Raw(text, csrc.child(port)), scope)
                if node is INVALID:
                    return
                ports[port] = node
            full = scope.prefix + name
            sub = _Scope(
                full + ".", ports, {**tpl.params, **given}, full, (*scope.stack, tname), tname
            )
            self.body(tpl.table, tpl.src, sub)


def _format_index(pattern: Any, i: int, src: Source, ctx: Context) -> Any:
    if not isinstance(pattern, str):
        ctx.add(f"expected text, got {describe(pattern)}", src)
        return INVALID

    for m in _INDEX.finditer(pattern):
        if m.group(3) is not None and not _FORMAT_SPEC.fullmatch(m.group(3)):
            ctx.add(
                f'index format "{m.group(3)}" in "{pattern}" is not allowed: use an alignment, '
                "a sign, a width of at most 2 digits and d, x, X, o or b (e.g. `{i:03d}`)",
                src,
            )
            return INVALID

    def repl(m: re.Match) -> str:
        value = i + (int(m.group(2)) * (1 if m.group(1) == "+" else -1) if m.group(1) else 0)
        return format(value, m.group(3) or "")

    try:
        return _INDEX.sub(repl, pattern)
    except ValueError as exc:
        ctx.add(f'bad index format in "{pattern}": {exc}', src)
        return INVALID


# ----------------------------------------------------------------------------- entry point
def load_case(
    case: str | Path,
    overrides: dict[str, Any] | None = None,
    *,
    allow_paths: Sequence[str | Path] = (),
) -> CaseSpec:
    """Read, expand and validate a case file (a path or the name of a shipped case).

    ``overrides`` maps dotted key paths of the top-level document (``"components.hx.ua"``) to
    values that replace (or add) those keys before validation -- one variant of a design study
    (:mod:`thermo.study`); the ``[study]`` section itself is read by :mod:`thermo.study`.
    Files the case names (includes, weather, IT-load CSV) must lie in the folder tree of the case
    file or in one of ``allow_paths`` (see ``docs/case-files.md``, "Limits").

    Raises
    ------
    CaseError
        Listing every problem found, each with file, line, key path, value and expectation.
    """
    from thermo.case.builder import construct_all
    from thermo.case.checks import validate_check
    from thermo.case.spec import OutputSpec, ScenarioSpec
    from thermo.case.validate import (
        build_model,
        check_topology,
        validate_components,
        validate_control,
        validate_coolants,
        validate_facility,
        validate_meta,
        validate_network,
        validate_outputs,
        validate_scenario,
        validate_solver,
    )

    path, label = resolve_case(case)
    roots = (path.parent.resolve(), *(Path(p).resolve() for p in allow_paths))
    L = _Loader(roots)
    doc = _read(path, label, L.problems, None)
    if doc is None:
        L.problems.raise_if_any()
    assert doc is not None
    if overrides:
        from thermo.study.keys import apply_overrides

        apply_overrides(doc.data, overrides, label)
    if not isinstance(doc.data, dict):  # pragma: no cover - tomllib always returns a table
        raise CaseError([Problem("expected a TOML document", Where(label))])
    ctx = L.ctx()
    data = doc.data
    check_keys(data, TOP_KEYS, doc.source(), ctx, "a case file")
    meta = validate_meta(data.get("case", {}), doc.source("case"), ctx, path.stem)
    L.seen_files.add(path.resolve())
    L.collect(doc)
    L.include(doc, (path.resolve(),))
    if not L.coolants:
        ctx.add(
            'missing `[coolants]`: name at least one coolant, e.g. `[coolants]` with `loop = "PG25"`',
            doc.source(),
        )
    coolants = validate_coolants(L.coolants, ctx)
    names = tuple(L.coolants)
    L.body(data, doc.source(), _Scope())
    specs, complete = validate_components(L.drafts, L.problems, names)
    from thermo.coolants import Coolant

    coolant_objects = {
        name: spec if isinstance(spec, Coolant) else Coolant(spec)
        for name, spec in coolants.items()
    }
    coolants = {name: str(spec) for name, spec in coolants.items()}
    default = coolant_objects.get(names[0]) if names else None
    built = (
        complete
        and len(coolants) == len(names)
        and construct_all(specs, coolant_objects, L.problems)
    )
    model = build_model(specs)
    controls = []
    checks = []
    greenhouse = None
    storage = None
    transient = None
    power = None
    scenario = ScenarioSpec()
    outputs = OutputSpec()
    solver = validate_solver(data.get("solver", {}), doc.source("solver"), ctx)
    network = validate_network(data.get("network", {}), doc.source("network"), ctx)
    if built:
        # references to components and nodes are checked once everything could be built
        raw_nodes = data.get("nodes")
        declared_dead = {
            n
            for n, t in (raw_nodes.items() if isinstance(raw_nodes, dict) else ())
            if isinstance(t, dict) and t.get("dead_end") is True
        }
        check_topology(specs, model, default, L.problems, dead_ends=declared_dead)
        for cname, table, csrc, scope in L.control_drafts:
            spec = validate_control(cname, table, csrc, scope, model, L.node, L.problems)
            if spec is not None:
                controls.append(spec)
        if "facility" in data:
            model.facility = validate_facility(data["facility"], doc.source("facility"), ctx, model)
        raw_checks = data.get("checks", [])
        if not isinstance(raw_checks, list):
            ctx.add(
                f"expected an array of check tables ([[checks]]), got {describe(raw_checks)}",
                doc.source("checks"),
            )
            raw_checks = []
        for k, raw in enumerate(raw_checks):
            c = validate_check(raw, doc.source("checks", k), ctx, model)
            if c is not None:
                checks.append(c)
        if "greenhouse" in data:
            from thermo.case.reuse import validate_greenhouse

            greenhouse = validate_greenhouse(
                data["greenhouse"], doc.source("greenhouse"), ctx, model
            )
        if "storage" in data:
            from thermo.case.storage_spec import validate_storage

            storage = validate_storage(data["storage"], doc.source("storage"), ctx, model)
        components = {s.name: s for s in specs}
        scenario = validate_scenario(
            data.get("scenario", {}),
            doc.source("scenario"),
            ctx,
            model,
            components,
            path.parent,
            roots=L.roots,
            controls={c.name: c for c in controls},
            greenhouse=greenhouse,
        )
        if storage is not None and (scenario.kind != "annual" or greenhouse is None):
            ctx.add(
                "`[storage]` needs an annual scenario with a `[greenhouse]` (the tank runs on "
                "the hourly heat-reuse year)",
                doc.source("storage"),
            )
        outputs = validate_outputs(data.get("outputs", {}), doc.source("outputs"), ctx, model)
        if "transient" in data or "events" in data:
            from thermo.transient.case import validate_transient

            transient = validate_transient(
                data.get("transient"),
                data.get("events"),
                doc.source("transient"),
                doc.source("events"),
                ctx,
                model,
                path.parent,
            )
        if "power" in data:
            from thermo.power.case import validate_power

            power = validate_power(
                data["power"],
                doc.source("power"),
                ctx,
                path.parent,
                has_facility=model.facility is not None,
                roots=L.roots,
            )
    failure_exclude: list[str] = []
    if "failures" in data:
        from thermo.case.schema import expect_str_list

        raw_f = data["failures"]
        fsrc = doc.source("failures")
        if not isinstance(raw_f, dict):
            ctx.add(f"expected a `[failures]` table, got {describe(raw_f)}", fsrc)
        else:
            check_keys(raw_f, ("exclude",), fsrc, ctx, "`[failures]`")
            if "exclude" in raw_f:
                got = expect_str_list(
                    Raw(raw_f["exclude"], fsrc.child("exclude")), ctx, "an array of patterns"
                )
                if isinstance(got, list):
                    failure_exclude = got
    elevations: dict[str, float] = {}
    if built and "nodes" in data:
        from thermo.case.nodes import validate_nodes

        elevations = validate_nodes(data["nodes"], doc.source("nodes"), ctx, model.nodes)
    L.problems.raise_if_any()
    return CaseSpec(
        name=meta["name"],
        title=meta.get("title", ""),
        description=meta.get("description", ""),
        file=path,
        label=label,
        meta=meta,
        coolants=coolants,
        components=specs,
        controls=controls,
        checks=checks,
        scenario=scenario,
        solver=solver,
        network=network,
        outputs=outputs,
        model=model,
        default_coolant=names[0] if names else None,
        default_coolant_object=default,
        greenhouse=greenhouse,
        storage=storage,
        transient=transient,
        power=power,
        elevations=elevations,
        failure_exclude=failure_exclude,
        overrides=dict(overrides or {}),
    )
