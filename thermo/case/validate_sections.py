"""Validation of the case file's sections other than components and controls: ``[case]``,
``[coolants]``, ``[facility]``, ``[solver]``, ``[network]``, ``[outputs]`` and ``[scenario]``.

Split from :mod:`thermo.case.validate` (size); the validators stay importable from there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from thermo.case.it_load_spec import it_load_spec
from thermo.case.problems import has_unsafe, printable, suggest
from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_bool,
    expect_int,
    expect_number,
    expect_str,
    expect_str_list,
    parse_quantity,
)
from thermo.case.spec import (
    CaseModel,
    Drive,
    FacilitySpec,
    OutputSpec,
    ScenarioSpec,
)

CASE_KEYS = ("name", "title", "description", "author", "version", "tags", "references")
_CASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "differential_pressure": ("pressure_difference", ("high", "low")),
    "node_temperature": ("temperature", ("node",)),
    "mass_flow": ("mass_flow", ("branch",)),
    "volume_flow": ("volume_flow", ("branch",)),
}
SOLVER_KEYS = {
    "tolerance": "number",
    "max_iterations": "int",
    "max_temperature_step": "temperature_difference",
    "initial_flow": "mass_flow",
    "initial_temperature": "temperature",
}
NETWORK_KEYS = ("friction_law", "property_pressure")
"""Keys of ``[network]``: model choices of the whole network (keywords of ``Network``)."""
OUTPUT_NODES = ("supply_node", "return_node", "facility_supply_node", "facility_return_node")
OUTPUT_KEYS = ("directory", "tables", "plots", "report", "units", *OUTPUT_NODES)
TABLES = ("nodes", "components", "boundaries", "controls")
FACILITY_KEYS = ("it_components", "it_power", "other_power", "reuse_components")
"""Keys of ``[facility]`` checked here; the facility-model keys are in
:data:`thermo.case.reuse.FACILITY_MODEL_KEYS`."""
SCENARIO_KEYS = ("type", "weather", "hours", "batch", "it_load", "drive")
DRIVE_KEYS = ("components", "parameter", "source", "offset", "minimum", "maximum")
DRIVE_SOURCES = ("it_load", "dry_bulb", "dew_point")


def safe_case_name(stem: str) -> str:
    """A file stem as a case name (characters other than letters, digits, ``_-.`` become ``_``)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", stem)[:100].lstrip("._-")
    return name or "case"


def validate_meta(raw: Any, src: Source, ctx: Context, default_name: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": safe_case_name(default_name), "title": "", "description": ""}
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[case]` table, got {describe(raw)}", src)
        return meta
    check_keys(raw, CASE_KEYS, src, ctx, "`[case]`")
    for key in ("name", "title", "description", "author", "version"):
        if key in raw:
            v = expect_str(Raw(raw[key], src.child(key)), ctx)
            if v is not INVALID and key == "name" and not _CASE_NAME.fullmatch(v):
                ctx.add(
                    f'case name "{printable(v)}" must be a plain file name: letters, digits, '
                    "`_`, `-` and `.`, starting with a letter or digit, at most 100 characters "
                    "(it names the results folder)",
                    src.child(key),
                )
                v = INVALID
            if v is not INVALID:
                meta[key] = v
    for key in ("tags", "references"):
        if key in raw:
            v = expect_str_list(
                Raw(raw[key], src.child(key)), ctx, "an array of text", allow_empty=True
            )
            if v is not INVALID:
                meta[key] = v
    return meta


def validate_coolants(items: dict[str, tuple[Any, Source]], ctx: Context) -> dict[str, Any]:
    """Coolant names, or :class:`~thermo.Coolant` objects for tables (see
    :mod:`thermo.case.coolant_spec`), by their ``[coolants]`` key."""
    from thermo.coolants import Coolant
    from thermo.errors import InputError

    out: dict[str, Any] = {}
    for name, (spec, src) in items.items():
        if isinstance(spec, dict):  # a mixture by name and fraction, or a custom fluid
            from thermo.case.coolant_spec import coolant_from_table

            built = coolant_from_table(name, spec, src, ctx)
            if built is not INVALID:
                out[name] = built
            continue
        value = expect_str(
            Raw(spec, src), ctx, what='a coolant name such as "water", "PG25", "EG30"'
        )
        if value is INVALID:
            continue
        try:
            Coolant(value)
        except InputError as exc:
            ctx.add(exc.reason, src)
            continue
        out[name] = value
    return out


def _patterns(raw: Raw, ctx: Context, model: CaseModel) -> Any:
    from thermo.case.checks import select

    pats = expect_str_list(raw, ctx, "an array of component names or patterns")
    if pats is INVALID:
        return INVALID
    names = [*model.component_branches, *model.branch_ports]
    for p in pats:
        if not select([p], names):
            ctx.add(f'component pattern "{p}" matches nothing{suggest(p, names)}', raw.src)
            return INVALID
    return pats


def validate_facility(raw: Any, src: Source, ctx: Context, model: CaseModel) -> FacilitySpec | None:
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[facility]` table, got {describe(raw)}", src)
        return None
    from thermo.case.reuse import FACILITY_MODEL_KEYS, validate_facility_model

    check_keys(raw, (*FACILITY_KEYS, *FACILITY_MODEL_KEYS), src, ctx, "`[facility]`")
    it_branches: list[str] = []
    reuse: list[str] = []
    if "it_components" in raw:
        pats = _patterns(Raw(raw["it_components"], src.child("it_components")), ctx, model)
        if pats is INVALID:
            return None
        it_branches = model.select_branches(pats)
    it_power = None
    if "it_power" in raw:
        it_power = parse_quantity(Raw(raw["it_power"], src.child("it_power")), "power", ctx)
        if it_power is INVALID:
            return None
        if not it_power > 0:
            ctx.add(f"`it_power` must be positive, got {raw['it_power']}", src.child("it_power"))
            return None
    if not it_branches and it_power is None:
        ctx.add("give `it_components` (heat into the coolant = IT power) or `it_power`", src)
        return None
    other = 0.0
    if "other_power" in raw:
        other = parse_quantity(Raw(raw["other_power"], src.child("other_power")), "power", ctx)
        if other is INVALID:
            return None
    if "reuse_components" in raw:
        pats = _patterns(Raw(raw["reuse_components"], src.child("reuse_components")), ctx, model)
        if pats is INVALID:
            return None
        reuse = model.select_branches(pats)
    extra = validate_facility_model(raw, src, ctx, model)
    return FacilitySpec(it_branches, it_power, other, reuse, extra)


def validate_solver(raw: Any, src: Source, ctx: Context) -> dict[str, Any]:
    from thermo.units import KINDS

    out: dict[str, Any] = {}
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[solver]` table, got {describe(raw)}", src)
        return out
    check_keys(raw, tuple(SOLVER_KEYS), src, ctx, "`[solver]`")
    for key, kind in SOLVER_KEYS.items():
        if key not in raw:
            continue
        r = Raw(raw[key], src.child(key))
        if kind == "int":
            v = expect_int(r, ctx, 1, 10_000)
        elif kind == "number":
            v = expect_number(r, ctx)
            if v is not INVALID and not 0 < v < 1:
                ctx.add(f"`{key}` must lie between 0 and 1, got {v}", r.src)
                v = INVALID
        else:
            assert kind in KINDS
            v = parse_quantity(r, kind, ctx)
            if v is not INVALID and not v > 0:
                ctx.add(f"`{key}` must be positive, got {raw[key]}", r.src)
                v = INVALID
        if v is not INVALID:
            out[key] = v
    return out


def validate_network(raw: Any, src: Source, ctx: Context) -> dict[str, Any]:
    """``[network]`` -> keywords of :class:`~thermo.network.Network` (``friction_law``,
    ``property_pressure``)."""
    from thermo.correlations.friction import FRICTION_LAWS

    out: dict[str, Any] = {}
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[network]` table, got {describe(raw)}", src)
        return out
    check_keys(raw, NETWORK_KEYS, src, ctx, "`[network]`")
    if "friction_law" in raw:
        v = expect_str(
            Raw(raw["friction_law"], src.child("friction_law")),
            ctx,
            FRICTION_LAWS,
            "a friction law",
        )
        if v is not INVALID:
            out["friction_law"] = v
    if "property_pressure" in raw:
        from thermo.coolants import PROPERTY_PRESSURE_MAX, PROPERTY_PRESSURE_MIN

        r = Raw(raw["property_pressure"], src.child("property_pressure"))
        v = parse_quantity(r, "pressure", ctx)
        if v is not INVALID and not PROPERTY_PRESSURE_MIN <= v <= PROPERTY_PRESSURE_MAX:
            ctx.add(
                f"`property_pressure` must lie between {PROPERTY_PRESSURE_MIN / 1e5:g} and "
                f"{PROPERTY_PRESSURE_MAX / 1e5:g} bar (absolute), got {raw['property_pressure']}",
                r.src,
            )
            v = INVALID
        if v is not INVALID:
            out["property_pressure"] = v
    return out


def validate_outputs(raw: Any, src: Source, ctx: Context, model: CaseModel) -> OutputSpec:
    out = OutputSpec()
    if not isinstance(raw, dict):
        ctx.add(f"expected an `[outputs]` table, got {describe(raw)}", src)
        return out
    check_keys(raw, OUTPUT_KEYS, src, ctx, "`[outputs]`")
    if "directory" in raw:
        r = Raw(raw["directory"], src.child("directory"))
        v = expect_str(r, ctx, what="a directory path")
        if v is not INVALID:
            why = _output_dir_problem(v)
            if why:
                ctx.add(f'output directory "{printable(v)}" {why}', r.src)
            else:
                out.directory = v
    if "tables" in raw:
        r = Raw(raw["tables"], src.child("tables"))
        v = expect_str_list(r, ctx, "an array of table names", allow_empty=True)
        if v is not INVALID:
            for t in v:
                if t not in TABLES:
                    ctx.add(
                        f'unknown table "{t}"{suggest(t, TABLES)} (tables: {", ".join(TABLES)})',
                        r.src,
                    )
            out.tables = tuple(t for t in v if t in TABLES)
    if "units" in raw:
        from thermo.case.display_units import UNIT_SYSTEMS

        r = Raw(raw["units"], src.child("units"))
        v = expect_str(r, ctx, what=f"one of {', '.join(UNIT_SYSTEMS)}")
        if v is not INVALID:
            if v in UNIT_SYSTEMS:
                out.units = v
            else:
                ctx.add(
                    f'unknown unit system "{printable(v)}"{suggest(v, UNIT_SYSTEMS)} '
                    f"(one of {', '.join(UNIT_SYSTEMS)})",
                    r.src,
                )
    for key in ("plots", "report"):
        if key in raw:
            v = expect_bool(Raw(raw[key], src.child(key)), ctx)
            if v is not INVALID:
                setattr(out, key, v)
    for key in OUTPUT_NODES:
        if key in raw:
            r = Raw(raw[key], src.child(key))
            v = expect_str(r, ctx, what="a node name")
            if v is INVALID:
                continue
            if v not in model.node_set:
                ctx.add(f'unknown node "{v}"{suggest(v, model.nodes)}', r.src)
                continue
            setattr(out, key, v)
    return out


def _output_dir_problem(text: str) -> str:
    """Why ``[outputs] directory`` could write outside the working folder, or ``""``."""
    from pathlib import PurePosixPath, PureWindowsPath

    if not text.strip() or len(text) > 500 or has_unsafe(text):
        return "must be a short relative path of plain text"
    posix, windows = PurePosixPath(text), PureWindowsPath(text)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or text.startswith("~"):
        return "must be relative (results stay below the folder thermo runs in; use `--out` for another place)"
    if ".." in posix.parts or ".." in windows.parts:
        return "may not contain `..` (results stay below the folder thermo runs in)"
    return ""


def validate_scenario(
    raw: Any,
    src: Source,
    ctx: Context,
    model: CaseModel,
    components: dict,
    case_dir: Path,
    *,
    roots: tuple[Path, ...] = (),
    controls: dict | None = None,
    greenhouse: Any = None,
) -> ScenarioSpec:
    sc = ScenarioSpec()
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[scenario]` table, got {describe(raw)}", src)
        return sc
    check_keys(raw, SCENARIO_KEYS, src, ctx, "`[scenario]`")
    kind = expect_str(
        Raw(raw.get("type", "operating_point"), src.child("type")),
        ctx,
        ("operating_point", "annual"),
    )
    if kind is INVALID:
        return sc
    sc.kind = kind
    annual_only = [k for k in ("weather", "hours", "batch", "it_load", "drive") if k in raw]
    if kind == "operating_point":
        for k in annual_only:
            ctx.add(f'`{k}` applies to `type = "annual"` only', src.child(k))
        return sc
    if "weather" not in raw:
        ctx.add(
            'an annual scenario needs `weather` (a shipped name such as "winnipeg" or an .epw path)',
            src,
        )
    else:
        r = Raw(raw["weather"], src.child("weather"))
        w = expect_str(r, ctx, what="a weather name or .epw path")
        if w is not INVALID:
            from thermo.case.files import FileProblem, data_file
            from thermo.climate import SHIPPED_WEATHER

            if w.strip().lower() in SHIPPED_WEATHER:
                sc.weather = w.strip().lower()
            else:
                try:
                    sc.weather = str(data_file(w, case_dir, roots or (case_dir.resolve(),)))
                except FileProblem as exc:
                    ctx.add(
                        f"{exc} (a weather path is relative to the case file; shipped weather: "
                        f"{', '.join(SHIPPED_WEATHER)}{suggest(w, SHIPPED_WEATHER)})",
                        r.src,
                    )
    for key in ("hours", "batch"):
        if key in raw:
            v = expect_int(Raw(raw[key], src.child(key)), ctx, 1, 8784)
            if v is not INVALID:
                setattr(sc, key, v)
    if "it_load" in raw:
        sc.it_load = it_load_spec(
            Raw(raw["it_load"], src.child("it_load")), ctx, case_dir, roots=roots
        )
    drives = raw.get("drive", [])
    dsrc = src.child("drive")
    if not isinstance(drives, list):
        ctx.add(f"expected an array of tables ([[scenario.drive]]), got {describe(drives)}", dsrc)
        drives = []
    for k, d in enumerate(drives):
        drive = _drive(d, dsrc.child(k), ctx, model, components, controls or {}, greenhouse)
        if drive is not None:
            sc.drives.append(drive)
    return sc


GREENHOUSE_SOURCES = (
    "greenhouse_demand",
    "greenhouse_air_temperature",
    "greenhouse_supply_temperature",
)


def _drive(
    raw: Any,
    src: Source,
    ctx: Context,
    model: CaseModel,
    components: dict,
    controls: dict,
    greenhouse: Any,
) -> Drive | None:
    from thermo.case.checks import select

    if not isinstance(raw, dict):
        ctx.add(f"expected a drive table, got {describe(raw)}", src)
        return None
    check_keys(raw, DRIVE_KEYS, src, ctx, "a drive")
    missing = [k for k in ("components", "parameter", "source") if k not in raw]
    for k in missing:
        ctx.add(f"missing required key `{k}` of a drive", src)
    if missing:
        return None
    pats = expect_str_list(Raw(raw["components"], src.child("components")), ctx)
    param = expect_str(Raw(raw["parameter"], src.child("parameter")), ctx)
    source = expect_str(
        Raw(raw["source"], src.child("source")), ctx, (*DRIVE_SOURCES, *GREENHOUSE_SOURCES)
    )
    if INVALID in (pats, param, source):
        return None
    if source in GREENHOUSE_SOURCES and greenhouse is None:
        ctx.add(f'source "{source}" needs a `[greenhouse]` section', src.child("source"))
        return None
    chosen = select(pats, [*components, *controls])
    if not chosen:
        ctx.add(
            f"no component or control matches {pats}{suggest(pats[0], [*components, *controls])}",
            src.child("components"),
        )
        return None
    want = "power" if source in ("it_load", "greenhouse_demand") else "temperature"
    for name in chosen:
        if name in controls:
            if param != "setpoint":
                ctx.add(
                    f'a drive sets the `"setpoint"` of control "{name}", got "{param}"',
                    src.child("parameter"),
                )
                return None
            kind, _ = TARGETS[controls[name].target]
            if kind != want or source == "it_load":
                ctx.add(
                    f'source "{source}" gives a {want}; the setpoint of "{name}" is a {kind}',
                    src.child("source"),
                )
                return None
            continue
        spec = components[name]
        p = spec.ctype.param(param)
        if p is None:
            ctx.add(
                f'a {spec.ctype.name} ("{name}") has no parameter "{param}"'
                f"{suggest(param, [q.name for q in spec.ctype.params])}",
                src.child("parameter"),
            )
            return None
        if p.kind != want:
            ctx.add(
                f'source "{source}" drives {want} parameters; `{param}` is {p.kind}',
                src.child("parameter"),
            )
            return None
        if source == "it_load" and param not in spec.kwargs:
            ctx.add(
                f'"{name}" needs a nominal `{param}` in the case for the IT load to scale',
                src.child("parameter"),
            )
            return None
    offset = 0.0
    limits: dict[str, float | None] = {"minimum": None, "maximum": None}
    for key in ("offset", "minimum", "maximum"):
        if key not in raw:
            continue
        if want == "power":
            ctx.add(f"`{key}` applies to temperature sources only", src.child(key))
            return None
        kind = "temperature_difference" if key == "offset" else "temperature"
        v = parse_quantity(Raw(raw[key], src.child(key)), kind, ctx)
        if v is INVALID:
            return None
        if key == "offset":
            offset = v
        else:
            limits[key] = v
    lo, hi = limits["minimum"], limits["maximum"]
    if lo is not None and hi is not None and not lo < hi:
        ctx.add("`minimum` must be below `maximum`", src.child("minimum"))
        return None
    return Drive(chosen, param, source, offset, src, lo, hi)
