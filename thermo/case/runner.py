"""Run a case: one operating point, or an hourly year; evaluate its checks; summarise.

An annual run solves the network once per hour with :func:`thermo.simulate.hourly.run_hourly`
(batched, warm-started), with the scenario's drives applied (IT-load profile times each driven
component's nominal value; weather temperature plus an offset). Checks are evaluated every hour;
the worst hour counts, except PUE and ERF, which use annual energies as the standards define
them (The Green Grid; ISO/IEC 30134-2 and -6).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermo.case.checks import KELVIN_OFFSET, CheckResult, View
from thermo.case.spec import CaseSpec

__all__ = ["CaseRun", "run_case", "hourly_summary"]

JOULES_PER_KWH = 3.6e6


@dataclass
class CaseRun:
    """Everything a case run produced."""

    case: CaseSpec
    network: Any
    result: Any = None
    """:class:`~thermo.network.Results` of an operating point (None for annual runs)."""
    hourly: Any = None
    """pandas DataFrame, one row per hour (annual runs)."""
    checks: list[CheckResult] = field(default_factory=list)
    summary: dict[str, float] = field(default_factory=dict)
    annual: dict[str, Any] | None = None
    solver: dict[str, Any] = field(default_factory=dict)
    wall_s: float = 0.0
    transient: Any = None
    """:class:`thermo.transient.TransientResult` of a dynamic run (``[transient]``)."""
    power: Any = None
    """:class:`thermo.power.case.PowerResult` of a ``[power]`` section, or None."""
    plausibility: list[str] = field(default_factory=list)
    """Warnings on inputs far outside engineering practice (:mod:`thermo.case.plausibility`)."""
    flag_summary: list[dict[str, Any]] = field(default_factory=list)
    """The flags grouped by kind (:func:`flag_rows`): severity, code, count (of elements, or of
    hours in an annual run), the worst element, its value and message (and hour)."""

    @property
    def converged(self) -> bool:
        return bool(self.solver.get("converged", False))

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def run_case(case: CaseSpec, *, progress: bool = False, hours: int | None = None) -> CaseRun:
    """Build and solve ``case``; evaluate its checks.

    ``hours`` limits an annual run to its first hours (a quick try; the case's own ``hours``
    otherwise); ``progress`` shows progress on standard error during annual runs
    (:class:`thermo.progress.Progress`: a bar on a terminal, plain lines in a log).

    Raises
    ------
    CaseError
        The network cannot be built (see :func:`~thermo.case.builder.build_network`).
    ConvergenceError
        The solver did not converge (its ``result`` holds the last iterate when available).
    """
    from thermo.case.builder import build_network
    from thermo.errors import InputError
    from thermo.network import SolverOptions

    if hours is not None and hours < 1:
        raise InputError(f"hours must be at least 1, got {hours}", key="hours", value=hours)
    t0 = time.perf_counter()
    net = build_network(case)
    from thermo.case.plausibility import plausibility

    doubts = plausibility(net)
    for text in doubts:  # shown on the console by the CLI, even if the solve then fails
        warnings.warn(text, UserWarning, stacklevel=2)
    options = SolverOptions(**case.solver)
    if case.scenario.kind == "annual":
        run = _run_annual(case, net, options, progress, hours)
    else:
        result = net.solve(options)
        view = View(result, case.model)
        run = CaseRun(case, net, result=result)
        run.checks = [c.evaluate(view) for c in case.checks]
        run.summary = point_summary(case, result, view)
        run.solver = solver_dict(result)
        run.flag_summary = flag_rows(result.flags)
        if case.transient is not None:
            from thermo.transient.case import run_transient

            run_transient(case, net, run)
    if getattr(case, "power", None) is not None:
        from thermo.power.case import run_power

        run.power = run_power(case.power, run.summary)
        run.summary.update(run.power.summary())
        run.checks += run.power.checks()
    run.plausibility = doubts
    error_check = error_flags_check(run.flag_summary)
    if error_check is not None:
        run.checks.append(error_check)
    run.wall_s = time.perf_counter() - t0
    return run


def flag_rows(flags: list) -> list[dict[str, Any]]:
    """The flags of one solve grouped by kind (see :func:`thermo.network.results.group_flags`)."""
    from thermo.network.results import group_flags

    return [
        {
            "severity": sev,
            "code": code,
            "count": count,
            "element": worst.element,
            "value": worst.value,
            "message": worst.message,
        }
        for sev, code, count, worst in group_flags(flags)
    ]


FLAG_COLUMN = "flag_"
"""Prefix of the hourly-table columns of network flags: ``flag_<code>`` (elements flagged in
that hour, 0 when none) and ``flag_<code>_value`` (the worst flagged value, SI; NaN if none)."""


def hour_flags(
    result: Any, tag: str, detail: dict[tuple[str, float | None], tuple[str, str]]
) -> dict[str, float]:
    """The flags of one hour of a (batched) annual run as table columns (see
    :data:`FLAG_COLUMN`); ``detail`` collects the element and message of each (code, worst
    value) so that the annual summary can name the worst hour's element."""
    from thermo.network.results import group_flags

    flags = result.flags_tagged(tag) if tag else result.flags
    row: dict[str, float] = {}
    for _, code, count, worst in group_flags(flags):
        value = worst.value
        row[f"{FLAG_COLUMN}{code}"] = float(count)
        row[f"{FLAG_COLUMN}{code}_value"] = math.nan if value is None else float(value)
        element = worst.element[: -len(tag)] if tag else worst.element
        message = worst.message.replace(tag, "") if tag else worst.message
        detail.setdefault((code, value), (element, message))
    return row


def annual_flag_rows(table: Any, detail: dict) -> list[dict[str, Any]]:
    """Per flag kind of an annual run: severity, hours flagged, the worst hour, its element,
    value and message (the hourly table keeps one count and one value column per kind)."""
    from thermo.network.results import Flag

    rows = []
    for col in [c for c in table.columns if c.startswith(FLAG_COLUMN) and not c.endswith("_value")]:
        code = col[len(FLAG_COLUMN) :]
        counts = table[col].fillna(0.0).to_numpy()
        table[col] = counts
        values = table[f"{col}_value"].to_numpy()
        flagged = counts > 0
        if np.isfinite(values).any():
            finite = np.where(np.isfinite(values), values, np.nan)
            h = int(np.nanargmin(finite) if code.startswith("below") else np.nanargmax(finite))
            value = float(values[h])
        else:
            h = int(np.argmax(flagged))
            value = None
        key = (code, value) if (code, value) in detail else next(k for k in detail if k[0] == code)
        element, message = detail[key]
        rows.append(
            {
                "severity": Flag(element, code, message).severity,
                "code": code,
                "count": int(flagged.sum()),
                "hour": h,
                "element": element,
                "value": value,
                "message": message,
            }
        )
    return sorted(rows, key=lambda r: (r["severity"] != "error", -r["count"], r["code"]))


def error_flags_check(rows: list[dict[str, Any]]) -> Any:
    """A failed check listing the error flags (None when there are none): an error flag (a state
    the models cannot honour) fails ``thermo check`` like a broken design limit."""
    from thermo.case.checks import FlagCheck

    errors = [r for r in rows if r["severity"] == "error"]
    if not errors:
        return None
    return FlagCheck(errors)


def solver_dict(result: Any) -> dict[str, Any]:
    r = result.report
    return {
        "converged": bool(r.converged),
        "iterations": int(r.iterations),
        "residual_norm": float(r.residual_norm),
        "message": r.message,
        "worst_residuals": [{"name": w.name, "value": float(w.value)} for w in r.worst],
        "closure": {k: float(v) for k, v in result.closure.items()},
    }


def _common(case: CaseSpec, view: View) -> dict[str, float]:
    out: dict[str, float] = {}
    model = case.model
    margins = [
        view.T(n) - model.node_coolant[n].freezing_point
        for n in model.nodes
        if n in model.node_coolant
    ]
    if margins:
        out["min_freezing_margin_K"] = float(min(margins))
    for key in ("supply_node", "return_node"):
        node = getattr(case.outputs, key)
        if node:
            out[key.replace("_node", "_temperature_C")] = view.T(node) - KELVIN_OFFSET
    if model.facility is not None:
        fac = view.facility()
        if not model.facility.reuse_branches:
            fac.pop("heat_recovered_W")
        out.update(fac)
        # an idle hour (IT power 0) has no PUE: NaN, not a crash (annual figures use energies)
        it = fac["it_power_W"]
        out["pue"] = fac["facility_power_W"] / it if it > 0 else math.nan
        if model.facility.reuse_branches:
            total = fac["facility_power_W"]
            out["erf"] = fac["heat_recovered_W"] / total if total > 0 else math.nan
    return out


def point_summary(case: CaseSpec, result: Any, view: View) -> dict[str, float]:
    """Scalar KPIs of a solve (unit-suffixed keys)."""
    out = {k: float(v) for k, v in result.summary.items()}
    comps = result.table("components")  # no pandas on the run path of a point case
    if "T_case_C" in comps:
        col = comps.column("T_case_C").astype(float)
        col = col[~np.isnan(col)]
        if len(col):
            out["max_case_temperature_C"] = float(col.max())
    out.update(_common(case, view))
    return out


def hourly_summary(case: CaseSpec, view: View) -> dict[str, float]:
    """Per-hour KPIs read through single-value accessors (no tables)."""
    model = case.model
    from thermo.network.results import heat_balance, internal_branches

    heat = np.array([view.Q(b) for b in model.branch_ports])
    temps = np.array([view.T(n) for n in model.nodes])
    system = view.result._system
    pos = [system.branch_position[b + view.tag] for b in model.branch_ports]
    internal = internal_branches(system)[pos]
    added, removed, exchanged = heat_balance(heat, internal)
    # every branch outlet counts for the hottest/coldest fluid (issue 11, item 11)
    flowing = np.abs(view.result.state[system.layout.m][pos]) > 0.0
    temps = np.concatenate([temps, view.result._ev.T_exit[pos][flowing]])
    row = {
        "heat_added_W": added,
        "heat_removed_W": removed,
        "heat_exchanged_W": exchanged,
        "pump_power_W": float(
            sum(
                _finite(view.column(b, "P_el_W"))
                for b, c in model.branch_class.items()
                if c == "Pump"
            )
        ),
        "max_temperature_C": float(temps.max() - KELVIN_OFFSET),
        "min_temperature_C": float(temps.min() - KELVIN_OFFSET),
    }
    cases = [
        view.column(b, "T_case_C")
        for b in model.branch_ports
        if "T_case_C" in model.branch_reports(b)
    ]
    if cases:
        row["max_case_temperature_C"] = float(np.nanmax(cases))
    row.update(_common(case, view))
    return row


def _finite(v: float) -> float:
    return v if math.isfinite(v) else 0.0


# ----------------------------------------------------------------------------- annual
def _fractions(case: CaseSpec, weather: Any, hours: int) -> np.ndarray:

    spec = case.scenario.it_load
    if isinstance(spec, float):
        return np.full(hours, spec)
    if isinstance(spec, list):
        return np.asarray(spec)[np.asarray(weather.hour[:hours]) - 1]
    if spec[0] == "generated":
        from thermo.facility.it_load import generated_it_profile

        return np.asarray(generated_it_profile(hours, **spec[1]).fraction, dtype=float)
    from thermo.case.it_load_spec import read_it_load_csv

    path, column = spec
    values = read_it_load_csv(path, column, hours)
    return np.asarray(values[:hours])


def _run_annual(
    case: CaseSpec, net: Any, options: Any, progress: bool, hours: int | None
) -> CaseRun:
    from thermo.case.annual_reuse import finish, greenhouse_sources, is_reuse_study, reuse_columns
    from thermo.climate import read_epw
    from thermo.errors import InputError
    from thermo.facility.metrics import erf, pue
    from thermo.simulate.hourly import run_hourly

    sc = case.scenario
    weather = read_epw(sc.weather)
    hours = hours or sc.hours or weather.n_hours
    if hours > weather.n_hours:
        raise InputError(
            f"{hours} hours asked, the weather file has {weather.n_hours}", key="scenario.hours"
        )
    fraction = _fractions(case, weather, hours)
    reuse = is_reuse_study(case)
    sources = greenhouse_sources(case, weather, hours) if case.greenhouse is not None else {}
    updates: dict[tuple[str, str], np.ndarray] = {}
    for d in sc.drives:
        for name in d.components:
            if d.source == "it_load":
                nominal = next(s for s in case.components if s.name == name).kwargs[d.parameter]
                values = nominal * fraction
            elif d.source == "greenhouse_demand":
                values = sources[d.source]
            else:
                if d.source in sources:
                    values = sources[d.source] + d.offset
                else:
                    values = np.asarray(getattr(weather, d.source)[:hours]) + d.offset
                lo = -np.inf if d.minimum is None else d.minimum
                hi = np.inf if d.maximum is None else d.maximum
                values = np.clip(values, lo, hi)
            updates[(name, d.parameter)] = values
    checks = case.checks
    storage = getattr(case, "storage", None)
    if storage is not None and not reuse:
        raise InputError("[storage] needs an annual heat-reuse study", key="storage")
    flag_detail: dict[tuple[str, float | None], tuple[str, str]] = {}

    def probe(result: Any, tag: str) -> dict[str, float]:
        view = View(result, case.model, tag)
        row = hourly_summary(case, view)
        row.update(hour_flags(result, tag, flag_detail))
        if reuse:
            row.update(reuse_columns(case, view))
        if storage is not None:  # the tank's inputs (thermo.case.storage_spec)
            row["storage_source_C"] = view.T(storage.charge_node) - KELVIN_OFFSET
            row["storage_feed_C"] = view.T(storage.feed_node) - KELVIN_OFFSET
            row["storage_feed_flow_kg_s"] = view.m(storage.boiler)
        for k, c in enumerate(checks):
            r = c.evaluate(view)
            row[f"check_{k}"] = math.nan if r.value is None else r.value
        return row

    run = run_hourly(
        net, updates, probe, hours=hours, batch=sc.batch, options=options, progress=progress
    )
    table = run.table
    table.insert(0, "month", np.asarray(weather.month[:hours]))
    table.insert(1, "day", np.asarray(weather.day[:hours]))
    table.insert(2, "hour_of_day", np.asarray(weather.hour[:hours]))
    table.insert(3, "dry_bulb_C", np.asarray(weather.dry_bulb[:hours]) - KELVIN_OFFSET)
    table.insert(4, "it_load_fraction", fraction)
    reuse_annual: dict[str, Any] = {}
    if reuse:
        if "greenhouse_demand" in sources:
            table["greenhouse_demand_W"] = sources["greenhouse_demand"]
            table["greenhouse_air_C"] = sources["greenhouse_air_temperature"] - KELVIN_OFFSET
            table["greenhouse_supply_target_C"] = (
                sources["greenhouse_supply_temperature"] - KELVIN_OFFSET
            )
        if storage is not None:  # a buffer tank: hours in sequence on the stateless year
            from thermo.case.storage_spec import run_storage

            table, reuse_annual = run_storage(case, table, fraction)
        else:
            table, reuse_annual = finish(case, table, fraction)
        table["pue"] = table["facility_power_W"] / table["it_power_W"]
        table["heat_recovered_W"] = table["heat_reused_W"]
    out = CaseRun(case, net, hourly=table)
    annual: dict[str, Any] = {
        "hours": int(hours),
        "weather": weather.source,
        "batches": int(run.batches),
        "wall_s": float(run.wall_s),
        "heat_added_kWh": float(table["heat_added_W"].sum() / 1e3),
        "heat_removed_kWh": float(table["heat_removed_W"].sum() / 1e3),
        "pump_energy_kWh": float(table["pump_power_W"].sum() / 1e3),
        "max_temperature_C": float(table["max_temperature_C"].max()),
        "min_temperature_C": float(table["min_temperature_C"].min()),
    }
    if "max_case_temperature_C" in table:
        annual["max_case_temperature_C"] = float(table["max_case_temperature_C"].max())
    energies = {}
    if case.model.facility is not None and not reuse:
        for key in ("it_power_W", "cooling_power_W", "facility_power_W", "heat_recovered_W"):
            if key not in table:
                continue
            energies[key] = float(table[key].sum() * 3600.0)
            annual[key.replace("_power_W", "_energy_kWh").replace("_W", "_kWh")] = (
                energies[key] / JOULES_PER_KWH
            )
        annual["pue"] = float(pue(energies["facility_power_W"], energies["it_power_W"]))
        if case.model.facility.reuse_branches:
            annual["erf"] = float(erf(energies["heat_recovered_W"], energies["facility_power_W"]))
    annual.update(reuse_annual)
    annual["fallback_hours"] = len(run.fallback_hours)
    out.flag_summary = annual_flag_rows(table, flag_detail)
    annual["flags"] = out.flag_summary
    out.annual = annual
    out.summary = {
        k: v for k, v in annual.items() if isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    for k, c in enumerate(checks):
        col = table[f"check_{k}"].to_numpy()
        if c.metric.name in ("pue", "erf", "pue_enefg"):
            value = annual.get(c.metric.name, annual.get("pue"))
            out.checks.append(c.judge([("annual", value)]))
            continue
        if np.isnan(col).any():
            h = int(np.argmax(np.isnan(col)))
            out.checks.append(CheckResult(c, None, f"hour {h}", f"no value in hour {h}"))
            continue
        h = int(np.argmax(col) if c.bound == "max" else np.argmin(col))
        res = c.judge([(f"hour {h}", float(col[h]))])
        res.element = f"hour {h}"
        out.checks.append(res)
    out.solver = {
        "converged": True,
        "iterations": int(run.iterations.sum()),
        "max_iterations_per_batch": int(run.iterations.max()) if len(run.iterations) else 0,
        "residual_norm": None,
        "closure": {k: float(v) for k, v in run.closure.items()},
    }
    return out
