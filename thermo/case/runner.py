"""Run a case: one operating point, or an hourly year; evaluate its checks; summarise.

An annual run solves the network once per hour with :func:`thermo.simulate.hourly.run_hourly`
(batched, warm-started), with the scenario's drives applied (IT-load profile times each driven
component's nominal value; weather temperature plus an offset). Checks are evaluated every hour;
the worst hour counts, except PUE and ERF, which use annual energies as the standards define
them (The Green Grid; ISO/IEC 30134-2 and -6).
"""

from __future__ import annotations

import csv
import math
import time
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
    power: Any = None
    """:class:`thermo.power.case.PowerResult` of a ``[power]`` section, or None."""

    @property
    def converged(self) -> bool:
        return bool(self.solver.get("converged", False))

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def run_case(case: CaseSpec, *, progress: bool = False, hours: int | None = None) -> CaseRun:
    """Build and solve ``case``; evaluate its checks.

    ``hours`` limits an annual run to its first hours (a quick try; the case's own ``hours``
    otherwise); ``progress`` prints a progress line on standard error during annual runs.

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
    if getattr(case, "power", None) is not None:
        from thermo.power.case import run_power

        run.power = run_power(case.power, run.summary)
        run.summary.update(run.power.summary())
        run.checks += run.power.checks()
    run.wall_s = time.perf_counter() - t0
    return run


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
        out["pue"] = fac["facility_power_W"] / fac["it_power_W"]
        if model.facility.reuse_branches:
            out["erf"] = fac["heat_recovered_W"] / fac["facility_power_W"]
    return out


def point_summary(case: CaseSpec, result: Any, view: View) -> dict[str, float]:
    """Scalar KPIs of a solve (unit-suffixed keys)."""
    out = {k: float(v) for k, v in result.summary.items()}
    comps = result.components
    if "T_case_C" in comps:
        col = comps["T_case_C"].dropna()
        if len(col):
            out["max_case_temperature_C"] = float(col.max())
    out.update(_common(case, view))
    return out


def hourly_summary(case: CaseSpec, view: View) -> dict[str, float]:
    """Per-hour KPIs read through single-value accessors (no tables)."""
    model = case.model
    heat = np.array([view.Q(b) for b in model.branch_ports])
    temps = np.array([view.T(n) for n in model.nodes])
    row = {
        "heat_added_W": float(heat[heat > 0].sum()),
        "heat_removed_W": float(-heat[heat < 0].sum()),
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
    from thermo.errors import InputError

    spec = case.scenario.it_load
    if isinstance(spec, float):
        return np.full(hours, spec)
    if isinstance(spec, list):
        return np.asarray(spec)[np.asarray(weather.hour[:hours]) - 1]
    if spec[0] == "generated":
        from thermo.facility.it_load import generated_it_profile

        return np.asarray(generated_it_profile(hours, **spec[1]).fraction, dtype=float)
    path, column = spec
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise InputError(
                f"no column {column!r} in {path} (columns: {reader.fieldnames})",
                key="scenario.it_load.column",
                file=path,
            )
        values = []
        for line, row in enumerate(reader, start=2):
            try:
                values.append(float(row[column]))
            except (TypeError, ValueError):
                raise InputError(
                    f"expected a number in column {column!r}, got {row[column]!r}",
                    key="scenario.it_load",
                    file=path,
                    line=line,
                ) from None
    if len(values) < hours:
        raise InputError(
            f"{len(values)} IT-load values for {hours} hours",
            key="scenario.it_load",
            file=path,
        )
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

    def probe(result: Any, tag: str) -> dict[str, float]:
        view = View(result, case.model, tag)
        row = hourly_summary(case, view)
        if reuse:
            row.update(reuse_columns(case, view))
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
    out.annual = annual
    out.summary = {k: v for k, v in annual.items() if isinstance(v, (int, float))}
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
