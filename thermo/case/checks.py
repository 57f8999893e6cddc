"""Checks: design limits a CI run asserts. Each evaluates to a value, a limit and pass/fail.

A check names a **metric** (:data:`METRICS`), what it applies to (node or component names, glob
patterns allowed: ``"rack*.gpu*"``) and one bound, ``max`` or ``min``, written as a quantity
(``max = "85 degC"``). Over several elements the worst one counts (the highest for ``max``, the
lowest for ``min``); summed metrics (pump power, heat) add up their elements.

Metrics read a solved network through :class:`View`, which works on a plain solve and on one hour
of a batched annual run alike (names carry the hour's tag).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_str,
    expect_str_list,
    parse_quantity,
)

__all__ = ["Metric", "METRICS", "CheckSpec", "CheckResult", "View", "display_unit", "to_display"]

KELVIN_OFFSET = 273.15


def display_unit(kind: str) -> str:
    """Unit in which values of ``kind`` are reported (SI, but temperatures in °C)."""
    from thermo.units import KINDS

    if kind == "temperature":
        return "degC"
    if kind == "dimensionless":
        return "-"
    return KINDS[kind].si_unit


def to_display(value: float, kind: str) -> float:
    return value - KELVIN_OFFSET if kind == "temperature" else value


@dataclass(frozen=True)
class Metric:
    """A quantity a check can bound.

    ``selectors`` maps selector keys to what they select: ``"nodes"`` / ``"branches"`` (lists of
    glob patterns; optional keys default to everything), ``"node"`` / ``"component"`` (one name),
    ``"text"``. ``evaluate(view, selection)`` returns ``[(element, SI value), ...]``.
    """

    name: str
    kind: str
    doc: str
    selectors: dict[str, str]
    evaluate: Callable[[View, dict[str, Any]], list[tuple[str, float]]]
    required: tuple[str, ...] = ()
    aggregate: str = "worst"
    needs_facility: bool = False
    needs_column: str | None = None


class View:
    """Read access to one solved state (``tag`` is the hour suffix of a batched annual run)."""

    def __init__(self, result: Any, model: Any, tag: str = "") -> None:
        self.result = result
        self.model = model
        self.tag = tag
        self._T: dict[str, float] = {}  # the checks and probes of an hour ask for the same nodes
        self._Q: dict[str, float] = {}  # ... and the same branches
        self._facility: dict[str, float] | None = None

    def T(self, node: str) -> float:
        t = self._T.get(node)
        if t is None:
            t = self._T[node] = self.result.temperature(node + self.tag)
        return t

    def p(self, node: str) -> float:
        return self.result.pressure(node + self.tag)

    def m(self, branch: str) -> float:
        return self.result.mass_flow(branch + self.tag)

    def Q(self, branch: str) -> float:
        q = self._Q.get(branch)
        if q is None:
            q = self._Q[branch] = self.result.heat(branch + self.tag)
        return q

    def column(self, branch: str, column: str) -> float:
        try:
            return self.result.value(branch + self.tag, column)
        except KeyError:
            return math.nan

    def T_in(self, branch: str) -> float:
        inlet, _ = self.model.branch_ports[branch]
        if self.m(branch) >= 0:
            return self.T(inlet)
        return self.result.exit_temperature(branch + self.tag)

    def T_out(self, branch: str) -> float:
        _, outlet = self.model.branch_ports[branch]
        if self.m(branch) >= 0:
            return self.result.exit_temperature(branch + self.tag)
        return self.T(outlet)

    def dp(self, branch: str) -> float:
        inlet, outlet = self.model.branch_ports[branch]
        return self.p(inlet) - self.p(outlet)

    def V(self, branch: str) -> float:
        inlet, outlet = self.model.branch_ports[branch]
        m = self.m(branch)
        up = inlet if m >= 0 else outlet
        rho = self.model.node_coolant[up].density(self.T(up), check=False)
        return m / float(rho)

    def electric_power(self) -> float:
        """Cooling power: pumps and fans (:data:`~thermo.case.registry.COOLING_POWER`) [W]."""
        total = 0.0
        for branch, col in self.model.cooling_power:
            v = self.column(branch, col)
            if math.isfinite(v):
                total += v
        return total

    def flags(self) -> list:
        flags = self.result.flags
        if not self.tag:
            return list(flags)
        return [f for f in flags if f.element.endswith(self.tag)]

    def facility(self) -> dict[str, float]:
        """IT, cooling, other and facility power, reused heat [W] (needs ``[facility]``)."""
        if self._facility is None:
            self._facility = self._facility_powers()
        return dict(self._facility)

    def _facility_powers(self) -> dict[str, float]:
        fac = self.model.facility
        if fac.it_power is not None:
            it = fac.it_power
        else:
            it = sum(self.Q(b) for b in fac.it_branches)
        cooling = self.electric_power()
        reuse = sum(reused_heat(b, self.Q(b)) for b in fac.reuse_branches)
        total = it + cooling + fac.other_power
        return {
            "it_power_W": it,
            "cooling_power_W": cooling,
            "facility_power_W": total,
            "heat_recovered_W": reuse,
        }


_RECEIVING_SIDES = (".cold", ".condenser")
_GIVING_SIDES = (".hot", ".evaporator")


def reused_heat(branch: str, q: float) -> float:
    """Heat reused through ``branch`` [W] from its heat into the fluid ``q``, signed: a side that
    receives heat for reuse (``.cold`` of an exchanger, ``.condenser`` of a heat pump) counts
    ``q``, a giving side (``.hot``, ``.evaporator``) ``-q`` — so a reuse exchanger running
    backwards (its other stream the warmer) counts against the reuse. Other components count
    ``|q|``."""
    name = branch.rsplit("@", 1)[0]
    if name.endswith(_RECEIVING_SIDES):
        return q
    if name.endswith(_GIVING_SIDES):
        return -q
    return abs(q)


def _per_node(fn: Callable[[View, str], float]):
    return lambda view, sel: [(n, fn(view, n)) for n in sel["nodes"]]


def _per_branch(fn: Callable[[View, str], float]):
    return lambda view, sel: [(b, fn(view, b)) for b in sel["components"]]


def _freezing(view: View, node: str) -> float:
    return view.T(node) - view.model.node_coolant[node].freezing_point


def _approach(view: View, sel: dict) -> list[tuple[str, float]]:
    name = sel["component"]
    hot, cold = view.model.sides(name)
    return [(name, view.T_out(hot) - view.T_in(cold))]


def _pue(view: View, sel: dict) -> list[tuple[str, float]]:
    f = view.facility()
    return [("facility", f["facility_power_W"] / f["it_power_W"])]


def _erf(view: View, sel: dict) -> list[tuple[str, float]]:
    f = view.facility()
    return [("facility", f["heat_recovered_W"] / f["facility_power_W"])]


def _flags(view: View, sel: dict) -> list[tuple[str, float]]:
    code = sel.get("code")
    found = [f for f in view.flags() if code is None or f.code == code]
    return [("flags", float(len(found)))]


def _value(view: View, sel: dict) -> list[tuple[str, float]]:
    column = sel["column"]
    out = []
    for b in sel["components"]:
        v = view.column(b, column)
        if column.endswith("_C"):
            v += KELVIN_OFFSET
        elif column.endswith("_L_min"):
            v /= 6e4
        out.append((b, v))
    return out


def _pressure_difference(view: View, sel: dict) -> list[tuple[str, float]]:
    return [(f"{sel['high']}-{sel['low']}", view.p(sel["high"]) - view.p(sel["low"]))]


_ALL_NODES = {"nodes": "nodes"}
_BRANCHES = {"components": "branches"}

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        Metric(
            "temperature",
            "temperature",
            "Node temperature (all nodes unless `nodes` is given).",
            _ALL_NODES,
            _per_node(lambda v, n: v.T(n)),
        ),
        Metric(
            "inlet_temperature",
            "temperature",
            "Temperature at the inlet port of components.",
            _BRANCHES,
            _per_branch(lambda v, b: v.T_in(b)),
            required=("components",),
        ),
        Metric(
            "outlet_temperature",
            "temperature",
            "Temperature at the outlet port of components.",
            _BRANCHES,
            _per_branch(lambda v, b: v.T_out(b)),
            required=("components",),
        ),
        Metric(
            "case_temperature",
            "temperature",
            "Case temperature reported by cold plates (`T_case_C`).",
            _BRANCHES,
            _per_branch(lambda v, b: v.column(b, "T_case_C") + KELVIN_OFFSET),
            needs_column="T_case_C",
        ),
        Metric(
            "pressure",
            "pressure",
            "Absolute node pressure.",
            _ALL_NODES,
            _per_node(lambda v, n: v.p(n)),
        ),
        Metric(
            "pressure_difference",
            "pressure_difference",
            "Pressure at node `high` minus pressure at node `low`.",
            {"high": "node", "low": "node"},
            _pressure_difference,
            required=("high", "low"),
        ),
        Metric(
            "pressure_drop",
            "pressure_difference",
            "Inlet minus outlet pressure of components.",
            _BRANCHES,
            _per_branch(lambda v, b: v.dp(b)),
            required=("components",),
        ),
        Metric(
            "pressure_rise",
            "pressure_difference",
            "Outlet minus inlet pressure of components (pumps: the loop pressure drop).",
            _BRANCHES,
            _per_branch(lambda v, b: -v.dp(b)),
            required=("components",),
        ),
        Metric(
            "volume_flow",
            "volume_flow",
            "Volume flow through components (at the upstream density).",
            _BRANCHES,
            _per_branch(lambda v, b: v.V(b)),
            required=("components",),
        ),
        Metric(
            "mass_flow",
            "mass_flow",
            "Mass flow through components.",
            _BRANCHES,
            _per_branch(lambda v, b: v.m(b)),
            required=("components",),
        ),
        Metric(
            "velocity",
            "velocity",
            "Mean velocity reported by pipes (`velocity_m_s`).",
            _BRANCHES,
            _per_branch(lambda v, b: v.column(b, "velocity_m_s")),
            needs_column="velocity_m_s",
        ),
        Metric(
            "approach",
            "temperature_difference",
            "Heat-exchanger approach: hot-side outlet minus cold-side inlet temperature (for a "
            "CDU: secondary supply minus facility supply).",
            {"component": "exchanger"},
            _approach,
            required=("component",),
        ),
        Metric(
            "freezing_margin",
            "temperature_difference",
            "Node temperature minus the freezing point of its coolant.",
            _ALL_NODES,
            _per_node(_freezing),
        ),
        Metric(
            "pump_power",
            "power",
            "Electrical power of pumps (`P_el_W`), summed.",
            {"components": "branches"},
            _per_branch(lambda v, b: _finite(v.column(b, "P_el_W"))),
            aggregate="sum",
            needs_column="P_el_W",
        ),
        Metric(
            "heat",
            "power",
            "Heat into the fluid in components (negative: removed), summed.",
            _BRANCHES,
            _per_branch(lambda v, b: v.Q(b)),
            required=("components",),
            aggregate="sum",
        ),
        Metric(
            "pue",
            "dimensionless",
            "Power usage effectiveness of the modelled facility (needs `[facility]`); annual "
            "runs use annual energies.",
            {},
            _pue,
            needs_facility=True,
        ),
        Metric(
            "pue_enefg",
            "dimensionless",
            "PUE as the German EnEfG § 11(2) counts it: the electricity of heat pumps that "
            "upgrade heat for reuse left out (needs `[facility]`; equals `pue` without "
            "`heat_pump_components`); annual runs use annual energies.",
            {},
            _pue,
            needs_facility=True,
        ),
        Metric(
            "erf",
            "dimensionless",
            "Energy reuse factor: reused heat over facility power (needs `[facility]` with "
            "`reuse_components`); annual runs use annual energies.",
            {},
            _erf,
            needs_facility=True,
        ),
        Metric(
            "flags",
            "dimensionless",
            "Number of result flags (optionally only those with `code`, e.g. `beyond_curve`).",
            {"code": "text"},
            _flags,
            aggregate="count",
        ),
        Metric(
            "value",
            "dimensionless",
            "Any column a component type reports (`column`, e.g. `P_el_W`, `fan_power_W`); the "
            "limit is a quantity of the kind its unit suffix names (`_W`: a power, `_C`: a "
            "temperature, no suffix: a plain number).",
            {"components": "branches", "column": "text"},
            _value,
            required=("components", "column"),
        ),
    )
}
"""Every metric a check can use, by name."""

_SUFFIX_KINDS = (
    ("_C", "temperature"),
    ("_W_K", "thermal_conductance"),
    ("_K_W", "thermal_resistance"),
    ("_K", "temperature_difference"),
    ("_W", "power"),
    ("_Pa", "pressure_difference"),
    ("_kg_s", "mass_flow"),
    ("_m3_s", "volume_flow"),
    ("_L_min", "volume_flow"),
    ("_m_s", "velocity"),
    ("_m", "length"),
)


def column_kind(column: str) -> str:
    """Quantity kind of a result column, from its unit suffix (``dimensionless`` if none)."""
    for suffix, kind in _SUFFIX_KINDS:
        if column.endswith(suffix):
            return kind
    return "dimensionless"


def _finite(v: float) -> float:
    return v if math.isfinite(v) else 0.0


@dataclass
class CheckSpec:
    """A validated check."""

    name: str
    metric: Metric
    bound: str
    """``"max"`` or ``"min"``."""
    limit: float
    """Limit in SI."""
    kind: str
    selection: dict[str, Any] = field(default_factory=dict)
    src: Source | None = None
    unit: str = ""
    """Display unit: the unit the limit was written in (``"-"`` for plain numbers)."""

    def display(self, value: float) -> float:
        """An SI value of this check in its display unit."""
        from thermo.units import from_si

        if self.unit in ("", "-"):
            return to_display(value, self.kind)
        return from_si(value, self.unit)

    def evaluate(self, view: View) -> CheckResult:
        try:
            values = self.metric.evaluate(view, self.selection)
        except (KeyError, ValueError, ZeroDivisionError) as exc:
            return CheckResult(self, None, None, f"cannot evaluate: {exc}")
        return self.judge(values)

    def judge(self, values: list[tuple[str, float]]) -> CheckResult:
        if not values:
            return CheckResult(self, None, None, "no element to evaluate")
        bad = [e for e, v in values if not math.isfinite(v)]
        if bad:
            return CheckResult(self, None, bad[0], f"no value for {bad[0]}")
        if self.metric.aggregate in ("sum", "count"):
            return CheckResult(self, sum(v for _, v in values), None, "")
        pick = max if self.bound == "max" else min
        element, value = pick(values, key=lambda ev: ev[1])
        return CheckResult(self, value, element if len(values) > 1 else None, "")

    @property
    def limit_display(self) -> float:
        return self.display(self.limit)


@dataclass
class CheckResult:
    """Outcome of one check: SI ``value`` (None if it could not be evaluated) and the worst
    ``element`` when several were compared."""

    check: CheckSpec
    value: float | None
    element: str | None
    error: str = ""

    @property
    def passed(self) -> bool:
        if self.value is None or self.error:
            return False
        # a tiny relative allowance so that a value equal to the limit up to solver round-off
        # (1e-9 relative; the Newton tolerance is 1e-8 on scaled residuals) is not a failure
        slack = 1e-9 * max(abs(self.check.limit), 1.0)
        if self.check.bound == "max":
            return self.value <= self.check.limit + slack
        return self.value >= self.check.limit - slack

    def to_dict(self) -> dict[str, Any]:
        c = self.check
        return {
            "name": c.name,
            "metric": c.metric.name,
            "passed": self.passed,
            "value": None if self.value is None else c.display(self.value),
            "limit": c.limit_display,
            "bound": c.bound,
            "unit": c.unit or display_unit(c.kind),
            "value_si": self.value,
            "limit_si": c.limit,
            "si_unit": display_unit(c.kind) if c.kind != "temperature" else "K",
            "element": self.element,
            "error": self.error or None,
        }


@dataclass
class FlagCheck:
    """The implicit check "no error flags" (see :data:`thermo.network.results.ERROR_CODES`),
    added to a run's checks when a solve carries error flags; it always fails."""

    errors: list[dict[str, Any]]
    """Error rows of :func:`thermo.case.runner.flag_rows`."""

    @property
    def passed(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        count = sum(int(r["count"]) for r in self.errors)
        first = self.errors[0]
        kinds = ", ".join(f"{r['code']} ({r['count']})" for r in self.errors)
        return {
            "name": "no error flags",
            "metric": "error_flags",
            "passed": self.passed,
            "value": float(count),
            "limit": 0.0,
            "bound": "max",
            "unit": "",
            "value_si": float(count),
            "limit_si": 0.0,
            "si_unit": "",
            "element": first["element"],
            "error": f"{kinds}; worst: {first['element']}: {first['message']}",
        }


# --------------------------------------------------------------------------- validation
_CHECK_KEYS = ("name", "metric", "max", "min", "nodes", "components", "component", "high", "low")
_CHECK_KEYS_ALL = (*_CHECK_KEYS, "code", "column")


def select(patterns: Iterable[str], candidates: Iterable[str]) -> list[str]:
    """Names matching any glob pattern, in candidate order."""
    pats = list(patterns)
    return [c for c in candidates if any(fnmatch.fnmatchcase(c, p) for p in pats)]


def validate_check(raw: dict, src: Source, ctx: Context, model: Any) -> CheckSpec | None:
    """A check table -> :class:`CheckSpec` (problems recorded in ``ctx``)."""
    from thermo.case.problems import suggest

    if not isinstance(raw, dict):
        ctx.add(f"expected a table (a `[[checks]]` entry), got {describe(raw)}", src)
        return None
    check_keys(raw, _CHECK_KEYS_ALL, src, ctx, "a check")
    if "metric" not in raw:
        ctx.add(
            "missing required key `metric` (one of " + ", ".join(f"`{m}`" for m in METRICS) + ")",
            src,
        )
        return None
    mname = expect_str(Raw(raw["metric"], src.child("metric")), ctx, tuple(METRICS))
    if mname is INVALID:
        return None
    metric = METRICS[mname]
    for key in ("nodes", "components", "component", "high", "low", "code", "column"):
        if key in raw and key not in metric.selectors:
            allowed = ", ".join(f"`{k}`" for k in metric.selectors) or "none"
            ctx.add(f"metric `{mname}` takes no `{key}` (its selectors: {allowed})", src.child(key))
    for key in metric.required:
        if key not in raw:
            ctx.add(f"missing required key `{key}` for metric `{mname}`", src)
    bounds = [b for b in ("max", "min") if b in raw]
    if len(bounds) != 1:
        ctx.add(
            "give exactly one bound, `max` or `min` (write two checks for a range), got "
            + (" and ".join(f"`{b}`" for b in bounds) or "none"),
            src,
        )
        return None
    bound = bounds[0]
    kind = metric.kind
    selection: dict[str, Any] = {}
    ok = True
    needs = metric.needs_column
    if "column" in metric.selectors and "column" in raw:
        column = expect_str(Raw(raw["column"], src.child("column")), ctx)
        if column is INVALID:
            ok = False
        else:
            selection["column"] = column
            kind = column_kind(column)
            needs = column
    for key, what in metric.selectors.items():
        if key == "column":
            continue
        value = raw.get(key)
        ksrc = src.child(key)
        if what == "nodes":
            pats = ["*"] if value is None else expect_str_list(Raw(value, ksrc), ctx)
            if pats is INVALID:
                ok = False
                continue
            chosen = select(pats, model.nodes)
            ok &= _report_unmatched(pats, model.nodes, ksrc, ctx, "node", value is not None)
            selection[key] = chosen
        elif what == "branches":
            if value is None and key in metric.required:
                ok = False
                continue
            pats = ["*"] if value is None else expect_str_list(Raw(value, ksrc), ctx)
            if pats is INVALID:
                ok = False
                continue
            chosen = model.select_branches(pats)
            names = list(model.branch_ports) + list(model.component_names)
            ok &= _report_unmatched(pats, names, ksrc, ctx, "component", value is not None)
            if needs:
                chosen = [b for b in chosen if needs in model.branch_reports(b)]
                if not chosen:
                    ctx.add(
                        f"metric `{mname}` needs components that report `{needs}`; none of the "
                        + ("selected ones does" if value is not None else "case's components does"),
                        ksrc,
                    )
                    ok = False
            selection[key] = chosen
        elif what == "node":
            if value is None:
                continue
            name = expect_str(Raw(value, ksrc), ctx, what="a node name")
            if name is INVALID:
                ok = False
            elif name not in model.node_set:
                ctx.add(f'unknown node "{name}"{suggest(name, model.nodes)}', ksrc)
                ok = False
            else:
                selection[key] = name
        elif what == "exchanger":
            if value is None:
                continue
            name = expect_str(Raw(value, ksrc), ctx, what="a component name")
            if name is INVALID:
                ok = False
            elif not model.has_sides(name):
                ctx.add(
                    f'"{name}" is not a heat exchanger (or CDU) with `.hot` and `.cold` sides'
                    + suggest(name, model.component_names),
                    ksrc,
                )
                ok = False
            else:
                selection[key] = name
        elif what == "text" and value is not None:
            text = expect_str(Raw(value, ksrc), ctx)
            if text is INVALID:
                ok = False
            else:
                selection[key] = text
    if metric.needs_facility and model.facility is None:
        ctx.add(f"metric `{mname}` needs a `[facility]` section", src.child("metric"))
        ok = False
    if mname == "erf" and model.facility is not None and not model.facility.reuse_branches:
        ctx.add("metric `erf` needs `reuse_components` in `[facility]`", src.child("metric"))
        ok = False
    limit = parse_quantity(Raw(raw[bound], src.child(bound)), kind, ctx)
    if limit is INVALID or not ok:
        return None
    name = raw.get("name")
    if name is not None:
        name = expect_str(Raw(name, src.child("name")), ctx)
        if name is INVALID:
            return None
    if not name:
        shown = raw[bound]
        name = f"{mname} {'<=' if bound == 'max' else '>='} {shown}"
    return CheckSpec(name, metric, bound, limit, kind, selection, src, _unit_of(raw[bound], kind))


_NUMBER_UNIT = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*(.*?)\s*$")


def _unit_of(text: Any, kind: str) -> str:
    """The unit a limit was written in, if it can display values; else the SI display unit."""
    from thermo.errors import ThermoError
    from thermo.units import from_si

    if isinstance(text, str):
        m = _NUMBER_UNIT.match(text)
        unit = m.group(1) if m else ""
        if unit:
            try:
                from_si(1.0, unit)
            except (ThermoError, ValueError, AttributeError, KeyError, TypeError):
                return display_unit(kind)
            except Exception:  # noqa: BLE001 - pint raises its own types for odd units
                return display_unit(kind)
            return unit
    return display_unit(kind)


def _report_unmatched(pats, names, src: Source, ctx: Context, what: str, given: bool) -> bool:
    from thermo.case.problems import suggest

    if not given:
        return True
    ok = True
    for p in pats:
        if not any(fnmatch.fnmatchcase(n, p) for n in names):
            ctx.add(f'{what} pattern "{p}" matches nothing{suggest(p, names)}', src)
            ok = False
    return ok
