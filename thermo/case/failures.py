"""Single-failure analysis of a case: each failure solved as a new steady state, checks judged.

For every single failure of the list below (derived from the case's components; the case may
drop some by name with ``[failures] exclude = ["pattern", ...]``, shell-style patterns matched
against the scenario names the table prints), the network is copied, the failure
applied to the copy, the steady state solved from the design solution and every ``[[checks]]``
entry evaluated:

- each running pump trips: one unit of a group of ``count`` identical pumps stops (the group keeps
  ``count - 1``), a single pump stops (``speed = 0``; a speed control on it is removed); a CDU's
  standby pump starts in its place when the CDU has one (N+1);
- each dry cooler's fans stop (``speed = 0``, natural draught neglected: a conservative choice);
- each control valve (class ``Valve``; couplings are not) sticks at its design position (when a
  control drives it; the control is removed) and, separately, closes
  (``opening = 0``, the leakage ``Kv_max/R`` of its characteristic remains); each open isolation
  valve closes;
- each heat exchanger fouls: ``UA × 0.7``;
- each rack (or IT component) runs at 120 % power;
- each CDU loses its facility water (every pump of the facility loop stops).

A failure that cannot be solved is reported as not converged (a failed scenario), never a crash;
one whose solution carries a flag of :data:`INVALID_STATE_FLAGS` (temperatures beyond the
coolant's valid range, heat not delivered: a state that exists only because temperatures were
clipped) is reported ``INVALID`` and fails too.
:func:`run_failures` returns a :class:`FailureStudy`; :func:`failures_table`,
:func:`failures_junit` and :func:`failures_plot` present it.
"""

from __future__ import annotations

import copy
import fnmatch
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Failure",
    "FailureOutcome",
    "FailureStudy",
    "single_failures",
    "run_failures",
    "failures_table",
    "failures_junit",
    "failures_plot",
    "FOULING_FACTOR",
    "OVERLOAD_FACTOR",
]

INVALID_STATE_FLAGS = (
    "above_max_temperature",
    "below_min_temperature",
    "boiling",
    "heat_not_delivered",
)
"""Result flags after which a failure's steady state is not trusted (reported ``INVALID``)."""
FOULING_FACTOR = 0.7
"""UA of a fouled heat exchanger over its clean UA [-] (issue 14's fouling scenario)."""
OVERLOAD_FACTOR = 1.2
"""Power of an overloaded rack over its design power [-] (issue 14: a rack at 120 %)."""


@dataclass
class Failure:
    """One single failure: a name, its kind and the change it makes to a copy of the network."""

    name: str
    kind: str
    """``pump_trip``, ``fans_off``, ``valve_stuck``, ``valve_closed``, ``fouling``, ``overload``
    or ``facility_loss``."""
    apply: Callable[[Any], None] = field(repr=False)
    """Changes a (copied, unsolved) network in place."""


@dataclass
class FailureOutcome:
    """The new steady state of one failure and its checks."""

    failure: Failure
    converged: bool
    message: str
    checks: list[Any]
    """:class:`~thermo.case.checks.CheckResult` per check (empty when not converged)."""
    result: Any = None
    invalid: dict[str, int] = field(default_factory=dict)
    """Flags that make the solved state untrustworthy (code -> count), e.g. nodes beyond the
    coolant's valid range: the steady state exists only because temperatures were clipped."""

    @property
    def passed(self) -> bool:
        return self.converged and not self.invalid and all(c.passed for c in self.checks)

    def broken(self) -> list[Any]:
        return [c for c in self.checks if not c.passed]


@dataclass
class FailureStudy:
    """Design point and the outcome of every single failure."""

    case: Any
    baseline: FailureOutcome
    outcomes: list[FailureOutcome]

    @property
    def passed(self) -> bool:
        return self.baseline.passed and all(o.passed for o in self.outcomes)


# --------------------------------------------------------------------------- the failure list
def _controls_of(net: Any, component: str) -> list[Any]:
    return [c for c in net.controls if c.component == component]


def _drop_controls(net: Any, component: str) -> None:
    for ctl in _controls_of(net, component):
        net.controls.remove(ctl)
        del net._components[ctl.name]


def _pump_trip(name: str, cdu_name: str | None) -> Callable[[Any], None]:
    def apply(net: Any) -> None:
        pump = net[name]
        speed = pump.speed
        if pump.count > 1:
            pump.count -= 1
        else:
            pump.speed = 0.0
            _drop_controls(net, name)
        if cdu_name is not None:
            standby = net[cdu_name].standby
            standby.count = 1
            standby.speed = speed if speed > 0 else 1.0

    return apply


def _set(name: str, attribute: str, value: Any, drop_control: bool = True):
    def apply(net: Any) -> None:
        setattr(net[name], attribute, value)
        if drop_control:
            _drop_controls(net, name)

    return apply


def _scale_ua(exchanger_of: Callable[[Any], Any]):
    def apply(net: Any) -> None:
        hx = exchanger_of(net)
        hx.ua = hx.ua * FOULING_FACTOR

    return apply


def _scale_heat(branches: list[str]):
    def apply(net: Any) -> None:
        for b in branches:
            net[b].heat = net[b].heat * OVERLOAD_FACTOR

    return apply


def _stop_all(pumps: list[str]):
    def apply(net: Any) -> None:
        for p in pumps:
            net[p].speed = 0.0
            _drop_controls(net, p)

    return apply


def single_failures(case: Any, net: Any, baseline: Any = None) -> list[Failure]:
    """The single failures of ``case`` (network ``net``, design solution ``baseline``)."""
    from thermo.components.cdu import CDU
    from thermo.components.check_valve import IsolationValve
    from thermo.components.dry_cooler import DryCooler
    from thermo.components.pump import Pump
    from thermo.components.valve import Valve

    out: list[Failure] = []
    cdus = [c for c in net._components.values() if isinstance(c, CDU)]
    duty_of = {c.pump.name: c.name for c in cdus if c.standby is not None}
    standby_names = {c.standby.name for c in cdus if c.standby is not None}
    for b in net.branches:
        if isinstance(b, Pump) and b.name not in standby_names and b.speed > 0:
            cdu = duty_of.get(b.name)
            what = f"{b.name} trips" + (" (standby starts)" if cdu else "")
            if b.count > 1:
                what = f"one of {b.count} {b.name} trips" + (" (standby starts)" if cdu else "")
            out.append(Failure(what, "pump_trip", _pump_trip(b.name, cdu)))
    for b in net.branches:
        if isinstance(b, DryCooler):
            out.append(Failure(f"{b.name} fans off", "fans_off", _set(b.name, "speed", 0.0)))
    for b in net.branches:
        # control and balancing valves (not the couplings and other Valve subclasses)
        if type(b) is Valve and b.complement_of is None:
            if _controls_of(net, b.name) and baseline is not None:
                x = float(baseline.value(b.name, "opening"))
                out.append(
                    Failure(f"{b.name} stuck at {x:.2f}", "valve_stuck", _set(b.name, "opening", x))
                )
            out.append(Failure(f"{b.name} closed", "valve_closed", _set(b.name, "opening", 0.0)))
        elif isinstance(b, IsolationValve) and not b.closed:
            out.append(Failure(f"{b.name} closed", "valve_closed", _set(b.name, "closed", True)))
    seen: set[int] = set()
    for b in net.branches:
        hx = getattr(b, "exchanger", None)
        if hx is None or not hasattr(hx, "ua") or id(hx) in seen:
            continue
        seen.add(id(hx))
        side = b.name

        def exchanger_of(n: Any, side: str = side) -> Any:
            return n[side].exchanger

        out.append(Failure(f"{hx.name} fouled (UA x 0.7)", "fouling", _scale_ua(exchanger_of)))
    out += _overloads(case, net)
    out += _facility_losses(net, cdus, out)
    excluded = list(getattr(case, "failure_exclude", []) or [])
    return [f for f in out if not any(fnmatch.fnmatchcase(f.name, p) for p in excluded)]


def _overloads(case: Any, net: Any) -> list[Failure]:
    model = case.model
    racks = [s.name for s in case.components if s.ctype.name in ("Rack", "ServerTray")]
    if not racks and model.facility is not None:
        racks = [model.owner.get(b, b) for b in model.facility.it_branches]
        racks = list(dict.fromkeys(racks))
    out = []
    for r in racks:
        heated = [
            b
            for b in model.component_branches.get(r, [])
            if isinstance(getattr(net[b], "heat", None), float | int) and net[b].heat > 0
        ]
        if heated:
            out.append(Failure(f"{r} at 120 % power", "overload", _scale_heat(heated)))
    return out


def _facility_losses(net: Any, cdus: list[Any], found: list[Failure]) -> list[Failure]:
    from thermo.components.pump import Pump

    count, labels, node_id = net.islands()
    out = []
    for cdu in cdus:
        loop = labels[node_id[cdu.facility_supply]]
        pumps = [
            b.name
            for b in net.branches
            if isinstance(b, Pump) and labels[node_id[b.inlet]] == loop and b.speed > 0
        ]
        if not pumps:
            continue
        if len(pumps) == 1:
            for f in found:
                if f.kind == "pump_trip" and f.name.startswith(f"{pumps[0]} trips"):
                    f.name += f" (loss of {cdu.name} facility water)"
            continue
        out.append(Failure(f"loss of {cdu.name} facility water", "facility_loss", _stop_all(pumps)))
    return out


# --------------------------------------------------------------------------- solving
def _outcome(case: Any, failure: Failure, net: Any, warm: Any) -> FailureOutcome:
    from thermo.case.checks import View
    from thermo.errors import ThermoError
    from thermo.network import SolverOptions

    try:
        result = net.solve(SolverOptions(**case.solver), warm_start=warm, strict=False)
    except (ThermoError, ValueError, FloatingPointError, ZeroDivisionError) as exc:
        return FailureOutcome(failure, False, f"{type(exc).__name__}: {exc}", [])
    if not result.report.converged:
        return FailureOutcome(failure, False, result.report.message, [], result)
    view = View(result, case.model)
    invalid: dict[str, int] = {}
    for flag in result.flags:
        if flag.code in INVALID_STATE_FLAGS:
            invalid[flag.code] = invalid.get(flag.code, 0) + 1
    return FailureOutcome(
        failure, True, "converged", [c.evaluate(view) for c in case.checks], result, invalid
    )


def run_failures(case: Any, failures: list[Failure] | None = None) -> FailureStudy:
    """Solve the design point of ``case`` and every single failure; evaluate the checks.

    ``failures`` defaults to :func:`single_failures`. Raises only for a case whose design point
    cannot be built (a :class:`~thermo.case.CaseError`).
    """
    from thermo.case.builder import build_network

    if case.scenario.kind == "annual":
        from thermo.errors import InputError

        raise InputError(
            "thermo failures analyses one operating point; this case is an annual run",
            key="scenario",
        )
    template = build_network(case)
    design = copy.deepcopy(template)
    baseline = _outcome(case, Failure("design point", "design", lambda n: None), design, None)
    warm = baseline.result if baseline.converged else None
    failures = (
        single_failures(case, template, baseline.result if baseline.converged else None)
        if failures is None
        else failures
    )
    outcomes = []
    for f in failures:
        net = copy.deepcopy(template)
        f.apply(net)
        net._system = None
        outcomes.append(_outcome(case, f, net, warm))
    return FailureStudy(case, baseline, outcomes)


# --------------------------------------------------------------------------- presenting
def margin(check_result: Any) -> float:
    """Margin to the limit as a fraction of it: > 0 holds, < 0 breaks (NaN: no value)."""
    c = check_result.check
    v = check_result.value
    if v is None or check_result.error:
        return math.nan
    scale = max(abs(c.limit), 1e-12)
    if c.kind == "temperature":  # margins of temperatures in kelvin over the limit in degC
        scale = max(abs(c.limit - 273.15), 1.0)
    return (c.limit - v) / scale if c.bound == "max" else (v - c.limit) / scale


def _broken_text(r: Any) -> str:
    d = r.to_dict()
    if d["value"] is None:
        return f"{d['name']}: no value ({d['error']})"
    op = ">" if d["bound"] == "max" else "<"
    by = d["value"] - d["limit"]
    return f"{d['name']}: {d['value']:.4g} {op} {d['limit']:.4g} {d['unit']} (by {abs(by):.3g})"


def failures_table(study: FailureStudy) -> str:
    """The single-failure table as text: one line per scenario, broken checks and by how much."""
    rows = [study.baseline, *study.outcomes]
    width = max(len(o.failure.name) for o in rows)
    n_ok = sum(o.passed for o in study.outcomes)
    lines = [
        f"{study.case.name}: {len(study.outcomes)} single failures, {n_ok} hold every check "
        f"({len(study.case.checks)} checks)",
        f"  {'scenario':<{width}}  result   broken checks",
    ]
    for o in rows:
        if not o.converged:
            status, detail = "NOCONV", f"not converged: {o.message}"
        elif o.invalid:
            flags = ", ".join(f"{code} x{n}" for code, n in o.invalid.items())
            status = "INVALID"
            detail = f"no trustworthy steady state ({flags})"
            if o.broken():
                detail += "; " + "; ".join(_broken_text(r) for r in o.broken())
        elif o.passed:
            status, detail = "pass", "-"
        else:
            status, detail = "FAIL", "; ".join(_broken_text(r) for r in o.broken())
        lines.append(f"  {o.failure.name:<{width}}  {status:<7}  {detail}")
    verdict = "single-failure tolerant" if study.passed else "NOT single-failure tolerant"
    lines.append(f"{verdict}: {n_ok}/{len(study.outcomes)} failures keep every limit")
    return "\n".join(lines) + "\n"


def failures_junit(study: FailureStudy) -> str:
    """JUnit XML: one test case per failure scenario (and the design point)."""
    from xml.sax.saxutils import escape, quoteattr

    rows = [study.baseline, *study.outcomes]
    failed = sum(not o.passed for o in rows)
    name = study.case.name
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr("thermo failures")} tests="{len(rows)}" failures="{failed}">',
        f'  <testsuite name={quoteattr(name + " single failures")} tests="{len(rows)}" '
        f'failures="{failed}" errors="0">',
    ]
    for o in rows:
        out.append(f"    <testcase classname={quoteattr(name)} name={quoteattr(o.failure.name)}>")
        if not o.converged:
            text = f"not converged: {o.message}"
            out.append(f"      <failure message={quoteattr(text)}>{escape(text)}</failure>")
        elif not o.passed:
            text = "; ".join(_broken_text(r) for r in o.broken())
            if o.invalid:
                text = f"no trustworthy steady state ({', '.join(o.invalid)}); " + text
            out.append(f"      <failure message={quoteattr(text)}>{escape(text)}</failure>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)


def failures_plot(study: FailureStudy, path: Path) -> Path:
    """Failure × check grid coloured by margin (green holds, red breaks, grey not converged)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    rows = [study.baseline, *study.outcomes]
    checks = [c.name for c in study.case.checks]
    grid = np.full((len(rows), len(checks)), np.nan)
    for i, o in enumerate(rows):
        for j, r in enumerate(o.checks):
            grid[i, j] = margin(r)
    fig, ax = plt.subplots(figsize=(2.0 + 1.1 * len(checks), 1.2 + 0.35 * len(rows)))
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="0.75")
    im = ax.imshow(np.clip(grid, -0.5, 0.5), cmap=cmap, vmin=-0.5, vmax=0.5, aspect="auto")
    for i, o in enumerate(rows):
        for j in range(len(checks)):
            v = grid[i, j]
            text = "n/c" if not o.converged else ("n/a" if math.isnan(v) else f"{100 * v:.0f}%")
            ax.text(j, i, text, ha="center", va="center", fontsize=7)
    ax.set_xticks(range(len(checks)), checks, rotation=35, ha="right", fontsize=8)
    labels = [o.failure.name + (" (INVALID)" if o.invalid else "") for o in rows]
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_title(f"{study.case.name}: margin to each limit under single failures", fontsize=9)
    fig.colorbar(im, ax=ax, label="margin (fraction of limit; < 0 breaks)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
