"""Case files: the ``[transient]`` section and ``[[events]]``, validated and run.

::

    [transient]
    duration = "120 s"
    output_interval = "0.5 s"
    cell_length = "1 m"                 # pipe cells: ceil(L / cell_length) per pipe (default 1)
    plug_flow = ["riser"]               # exact plug-flow delay pipes instead of cells
    plug_flow_length = "20 m"           # ... and every pipe at least this long (no heat loss)
    plate_heat_capacity = "400 J/K"     # cold plates' lumped wall capacity
    heat_capacity = { cdu_hx = "40 kJ/K" }   # other components' capacity (metal + fluid)
    check_valves = ["cv_duty", "cv_standby"]
    output_nodes = ["rack_supply", "rack_return"]
    ride_through_min = "30 s"           # a check: time from the first event to the first limit

    [transient.pumps.pump_a]
    inertia = 0.08                      # kg m2
    rated_speed_rpm = 2900

    [[events]]
    time = "10 s"
    action = "trip"                     # trip | start | stop | set | it_power
    components = ["pump_a"]

The initial state is the steady solution of the network with the inputs at t = 0. Events:

- ``trip`` pumps (they coast down on their rotor inertia), ``start`` pumps (speed ramp over
  ``duration``), ``stop`` pumps at t = 0 (a standby pump before its start);
- ``set``: ``parameter`` of ``components`` to ``value`` (valve ``opening``, cooler
  ``outlet_temperature``, dry cooler ``speed``/fan, …);
- ``it_power``: the power of the heat branches ``components`` (glob patterns) as a fraction of
  their nominal heat, with ``profile`` ``step`` (``level``), ``ramp`` (``level`` reached after
  ``duration``), ``series`` (``file``: CSV with columns ``time_s`` and ``fraction``, linear
  between samples) or ``swing`` (the AI-training swing of
  :class:`thermo.facility.it_load.TrainingSwing`: ``swing_high``, ``swing_low``,
  ``swing_duty``, ``swing_period_s``, ``swing_ramp_s``, ``resolution_s``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo.case.schema import (
    INVALID,
    Context,
    Raw,
    Source,
    check_keys,
    describe,
    expect_int,
    expect_number,
    expect_str,
    expect_str_list,
    parse_quantity,
)

__all__ = ["TransientSpec", "validate_transient", "run_transient"]

TRANSIENT_KEYS = {
    "duration": "time",
    "output_interval": "time",
    "max_step": "time",
    "initial_step": "time",
    "temperature_tolerance": "temperature_difference",
    "speed_tolerance": "number",
    "order": "int",
    "cell_length": "length",
    "plug_flow": "names",
    "plug_flow_length": "length",
    "plate_heat_capacity": "number_or_quantity",
    "check_valves": "names",
    "output_nodes": "names",
    "output_branches": "names",
    "ride_through_min": "time",
    "check_valve_stroke": "time",
    "pumps": "pumps",
    "heat_capacity": "capacities",
}
EVENT_KEYS = (
    "time",
    "action",
    "components",
    "parameter",
    "value",
    "duration",
    "profile",
    "level",
    "file",
    "swing_high",
    "swing_low",
    "swing_duty",
    "swing_period_s",
    "swing_ramp_s",
    "resolution_s",
    "label",
    "when",
)
WHEN_KEYS = ("node", "case_temperature", "flow", "speed", "above", "below", "delay")
WHEN_KINDS = {
    "node": ("node_temperature", "temperature"),
    "case_temperature": ("case_temperature", "temperature"),
    "flow": ("flow", "volume_flow"),
    "speed": ("speed", "dimensionless"),
}
ACTIONS = ("trip", "start", "stop", "set", "it_power")
PROFILES = ("step", "ramp", "series", "swing")


@dataclass
class TransientSpec:
    """A validated ``[transient]`` section with its events (SI units)."""

    options: dict[str, Any]
    pumps: dict[str, dict[str, float]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    power: list[dict[str, Any]] = field(default_factory=list)
    check_valves: list[str] = field(default_factory=list)
    output_nodes: list[str] = field(default_factory=list)
    output_branches: list[str] = field(default_factory=list)
    cell_length: float | None = None
    plug_flow: list[str] = field(default_factory=list)
    plug_flow_length: float | None = None
    plate_heat_capacity: float | None = None
    ride_through_min: float | None = None
    heat_capacity: dict[str, float] = field(default_factory=dict)


def _positive(raw: Raw, kind: str, ctx: Context) -> Any:
    v = parse_quantity(raw, kind, ctx) if kind not in ("number",) else expect_number(raw, ctx)
    if v is not INVALID and not v > 0:
        ctx.add(f"`{raw.src.path[-1]}` must be positive, got {describe(raw.value)}", raw.src)
        return INVALID
    return v


def validate_transient(
    raw: Any, raw_events: Any, src: Source, ev_src: Source, ctx: Context, model: Any, base: Path
) -> TransientSpec | None:
    """Validate ``[transient]`` and ``[[events]]``; problems go to ``ctx``."""
    if raw is None:
        ctx.add("`[[events]]` need a `[transient]` section (at least `duration`)", ev_src)
        return None
    if not isinstance(raw, dict):
        ctx.add(f"expected a `[transient]` table, got {describe(raw)}", src)
        return None
    check_keys(raw, tuple(TRANSIENT_KEYS), src, ctx, "`[transient]`")
    if "duration" not in raw:
        ctx.add('`[transient]` needs `duration`, e.g. `duration = "120 s"`', src)
    spec = TransientSpec(options={})
    nodes = model.node_set if hasattr(model, "node_set") else set()
    branches = set(model.branch_ports)
    for key, kind in TRANSIENT_KEYS.items():
        if key not in raw:
            continue
        r = Raw(raw[key], src.child(key))
        if kind in ("time", "temperature_difference", "length"):
            v = _positive(r, kind, ctx)
            if v is INVALID:
                continue
            if key == "check_valve_stroke":
                spec.options[key] = v
            elif key == "cell_length":
                spec.cell_length = v
            elif key == "plug_flow_length":
                spec.plug_flow_length = v
            elif key == "ride_through_min":
                spec.ride_through_min = v
            else:
                spec.options[key] = v
        elif kind == "number":
            v = _positive(r, "number", ctx)
            if v is not INVALID:
                spec.options[key] = v
        elif kind == "int":
            v = expect_int(r, ctx, 1, 2)
            if v is not INVALID:
                spec.options[key] = v
        elif kind == "number_or_quantity":
            v = r.value
            if isinstance(v, str):
                from thermo.units import registry

                try:
                    v = float(registry().Quantity(v).to("J/K").magnitude)
                except Exception:  # noqa: BLE001 - reported as a case problem
                    ctx.add(f'expected a heat capacity such as "400 J/K", got "{v}"', r.src)
                    continue
            v = expect_number(Raw(v, r.src), ctx) if not isinstance(v, float) else v
            if v is not INVALID and v > 0:
                spec.plate_heat_capacity = float(v)
            elif v is not INVALID:
                ctx.add(f"`{key}` must be positive, got {describe(raw[key])}", r.src)
        elif kind == "names":
            names = expect_str_list(r, ctx)
            if names is INVALID:
                continue
            known = nodes if key == "output_nodes" else branches
            for n in names:
                if n not in known:
                    what = "node" if key == "output_nodes" else "branch"
                    ctx.add(f"`{key}` names unknown {what} {n!r}", r.src)
            setattr(spec, key, [n for n in names if n in known])
        elif kind == "pumps":
            _pumps(r, ctx, model, spec)
        elif kind == "capacities":
            _capacities(r, ctx, model, spec)
    if raw_events is not None and not isinstance(raw_events, list):
        ctx.add(
            f"expected an array of event tables ([[events]]), got {describe(raw_events)}", ev_src
        )
        raw_events = []
    for k, ev in enumerate(raw_events or []):
        _event(ev, ev_src.child(k), ctx, model, spec, base)
    if not spec.output_nodes:
        spec.output_nodes = [n for n in (getattr(model, "supply_node", None),) if n]
    return spec


def _heat_capacity_value(v: Any, r: Raw, ctx: Context) -> float | None:
    """``"40 kJ/K"`` (or a number of J/K) -> J/K; problems go to ``ctx``."""
    if isinstance(v, str):
        from thermo.units import registry

        try:
            v = float(registry().Quantity(v).to("J/K").magnitude)
        except Exception:  # noqa: BLE001 - reported as a case problem
            ctx.add(f'expected a heat capacity such as "400 J/K", got "{v}"', r.src)
            return None
    v = expect_number(Raw(v, r.src), ctx) if not isinstance(v, float) else v
    if v is INVALID:
        return None
    if not (math.isfinite(v) and v > 0):
        ctx.add(f"a heat capacity must be positive, got {describe(r.value)}", r.src)
        return None
    return float(v)


def _capacities(r: Raw, ctx: Context, model: Any, spec: TransientSpec) -> None:
    """``heat_capacity = { cdu_hx = "40 kJ/K", ... }``: per component name."""
    if not isinstance(r.value, dict):
        ctx.add(
            f'expected a table such as `heat_capacity = {{ cdu_hx = "40 kJ/K" }}`, got '
            f"{describe(r.value)}",
            r.src,
        )
        return
    for name, v in r.value.items():
        s = r.src.child(name)
        if name not in model.component_branches and name not in model.branch_ports:
            ctx.add(f"`heat_capacity` names unknown component {name!r}", s)
            continue
        C = _heat_capacity_value(v, Raw(v, s), ctx)
        if C is not None:
            spec.heat_capacity[name] = C


def _pumps(r: Raw, ctx: Context, model: Any, spec: TransientSpec) -> None:
    if not isinstance(r.value, dict):
        ctx.add(f"expected `[transient.pumps.<pump>]` tables, got {describe(r.value)}", r.src)
        return
    for name, table in r.value.items():
        s = r.src.child(name)
        if model.branch_class.get(name) != "Pump":
            ctx.add(f"`[transient.pumps]` names {name!r}, which is not a Pump", s)
            continue
        if not isinstance(table, dict):
            ctx.add(
                f"expected a table with `inertia` and `rated_speed_rpm`, got {describe(table)}", s
            )
            continue
        check_keys(table, ("inertia", "rated_speed_rpm"), s, ctx, f"`[transient.pumps.{name}]`")
        vals = {}
        for key in ("inertia", "rated_speed_rpm"):
            if key not in table:
                ctx.add(f"`[transient.pumps.{name}]` needs `{key}`", s)
                continue
            v = _positive(Raw(table[key], s.child(key)), "number", ctx)
            if v is not INVALID:
                vals[key] = v
        if len(vals) == 2:
            spec.pumps[name] = {
                "inertia": vals["inertia"],
                "rated_speed": vals["rated_speed_rpm"] * 2 * math.pi / 60,
            }


def _event(raw: Any, src: Source, ctx: Context, model: Any, spec: TransientSpec, base: Path):
    if not isinstance(raw, dict):
        ctx.add(f"expected an event table, got {describe(raw)}", src)
        return
    check_keys(raw, EVENT_KEYS, src, ctx, "an `[[events]]` table")
    conditional = "when" in raw
    if conditional and "time" in raw:
        ctx.add("an event acts at a `time` or `when` a condition is met, not both", src)
        return
    for key in ("action", "components") if conditional else ("time", "action", "components"):
        if key not in raw:
            ctx.add(f"an event needs `{key}` (or `when` instead of `time`)", src)
            return
    t = 0.0 if conditional else parse_quantity(Raw(raw["time"], src.child("time")), "time", ctx)
    action = expect_str(Raw(raw["action"], src.child("action")), ctx, ACTIONS)
    comps = expect_str_list(Raw(raw["components"], src.child("components")), ctx)
    if INVALID in (t, action, comps):
        return
    if t < 0:
        ctx.add(f"event time must be >= 0 s, got {raw['time']!r}", src.child("time"))
        return
    when = None
    if conditional:
        if action not in ("trip", "start", "set"):
            ctx.add(
                f"`when` sets off `trip`, `start` or `set`, not `{action}`", src.child("action")
            )
            return
        when = _when(Raw(raw["when"], src.child("when")), ctx, model, spec)
        if when is None:
            return
    label = raw.get("label", f"{action} {', '.join(comps)}")
    if action == "it_power":
        targets = model.select_branches(comps)
        heat = [b for b in targets if model.branch_class.get(b) in _HEAT_CLASSES]
        if not heat:
            ctx.add(
                f"`components` {comps} select no heat branch (cold plate or heat load)",
                src.child("components"),
            )
            return
        ev = {"time": t, "targets": heat, "label": label}
        profile = expect_str(Raw(raw.get("profile", "step"), src.child("profile")), ctx, PROFILES)
        if profile is INVALID:
            return
        ev["profile"] = profile
        if profile in ("step", "ramp"):
            if "level" not in raw:
                ctx.add(f"a `{profile}` needs `level` (fraction of the nominal heat)", src)
                return
            lv = expect_number(Raw(raw["level"], src.child("level")), ctx)
            if lv is INVALID or lv < 0 or lv > 2:
                if lv is not INVALID:
                    ctx.add(f"`level` must lie in [0, 2], got {lv}", src.child("level"))
                return
            ev["level"] = float(lv)
            if profile == "ramp":
                if "duration" not in raw:
                    ctx.add("a `ramp` needs `duration`", src)
                    return
                d = _positive(Raw(raw["duration"], src.child("duration")), "time", ctx)
                if d is INVALID:
                    return
                ev["duration"] = d
        elif profile == "series":
            ev["series"] = _series(raw, src, ctx, base)
            if ev["series"] is None:
                return
        else:
            ev["swing"] = _swing(raw, src, ctx)
            if ev["swing"] is None:
                return
        spec.power.append(ev)
        return
    names = []
    for c in comps:
        if c not in model.branch_ports:
            ctx.add(f"event names unknown component {c!r}", src.child("components"))
        else:
            names.append(c)
    if not names:
        return
    ev = {"time": t, "kind": action, "targets": names, "label": label}
    if when is not None:
        ev["when"] = when
    if action in ("trip", "start", "stop"):
        bad = [n for n in names if model.branch_class.get(n) != "Pump"]
        if bad:
            ctx.add(f"`{action}` acts on pumps; {bad} are not pumps", src.child("components"))
            return
        missing = [n for n in names if n not in spec.pumps and action != "stop"]
        if missing:
            ctx.add(
                f"`{action}` of {missing}: give their rotor in `[transient.pumps.<name>]` "
                "(inertia, rated_speed_rpm)",
                src.child("components"),
            )
            return
        if action == "stop" and t != 0:
            ctx.add("`stop` holds a pump stopped from t = 0 (a standby pump): use time = 0", src)
            return
        if action == "start":
            d = raw.get("duration", "0 s")
            dv = parse_quantity(Raw(d, src.child("duration")), "time", ctx)
            if dv is INVALID:
                return
            ev["duration"] = dv
    else:
        for key in ("parameter", "value"):
            if key not in raw:
                ctx.add(f"a `set` event needs `{key}`", src)
                return
        p = expect_str(Raw(raw["parameter"], src.child("parameter")), ctx)
        v = raw["value"]
        if isinstance(v, str):
            from thermo.units import registry, to_si

            try:
                if "temperature" in str(raw["parameter"]):
                    v = float(to_si(v, "temperature"))
                else:
                    v = float(registry().Quantity(v).to_base_units().magnitude)
            except Exception:  # noqa: BLE001 - reported as a case problem
                ctx.add(
                    f'cannot read value {v!r} as a quantity (e.g. "45 degC", "0.5")',
                    src.child("value"),
                )
                return
        v = expect_number(Raw(v, src.child("value")), ctx)
        if INVALID in (p, v):
            return
        ev["parameter"] = p
        ev["value"] = float(v)
    spec.events.append(ev)


_HEAT_CLASSES = ("HeatLoad", "ColdPlate", "MicrochannelColdPlate")
_PLATE_CLASSES = ("ColdPlate", "MicrochannelColdPlate")


def _when(r: Raw, ctx: Context, model: Any, spec: TransientSpec) -> dict[str, Any] | None:
    """``when = { node | case_temperature | flow | speed = ..., above | below = ..., delay }``
    -> keyword arguments of :class:`thermo.transient.drives.Condition` (SI)."""
    src = r.src
    if not isinstance(r.value, dict):
        ctx.add(
            f'expected a table such as `when = {{ node = "rack_supply", above = "45 degC" }}`, '
            f"got {describe(r.value)}",
            src,
        )
        return None
    raw = r.value
    check_keys(raw, WHEN_KEYS, src, ctx, "`when`")
    what = [k for k in WHEN_KINDS if k in raw]
    side = [k for k in ("above", "below") if k in raw]
    if len(what) != 1 or len(side) != 1:
        ctx.add(
            "`when` needs one of `node`, `case_temperature`, `flow`, `speed` and one of "
            f"`above`, `below`; got {sorted(raw)}",
            src,
        )
        return None
    key, bound = what[0], side[0]
    kind, quantity = WHEN_KINDS[key]
    if key == "case_temperature":
        pats = expect_str_list(Raw(raw[key], src.child(key)), ctx)
        if pats is INVALID:
            return None
        targets = [
            b for b in model.select_branches(pats) if model.branch_class.get(b) in _PLATE_CLASSES
        ]
        if not targets:
            ctx.add(f"`case_temperature` {pats} selects no cold plate", src.child(key))
            return None
    else:
        name = expect_str(Raw(raw[key], src.child(key)), ctx)
        if name is INVALID:
            return None
        known = model.node_set if key == "node" else set(model.branch_ports)
        if name not in known:
            what_ = "node" if key == "node" else "branch"
            ctx.add(f"`when.{key}` names unknown {what_} {name!r}", src.child(key))
            return None
        if key == "speed" and name not in spec.pumps:
            ctx.add(
                f"`when.speed` watches pump {name!r}: give its rotor in `[transient.pumps.{name}]`"
                " (before the events)",
                src.child(key),
            )
            return None
        targets = [name]
    threshold = parse_quantity(Raw(raw[bound], src.child(bound)), quantity, ctx)
    delay = 0.0
    if "delay" in raw:
        delay = parse_quantity(Raw(raw["delay"], src.child("delay")), "time", ctx)
        if delay is not INVALID and delay < 0:
            ctx.add(f"`delay` must be >= 0 s, got {raw['delay']!r}", src.child("delay"))
            return None
    if INVALID in (threshold, delay):
        return None
    return {
        "kind": kind,
        "targets": targets,
        "threshold": float(threshold),
        "above": bound == "above",
        "delay": float(delay),
    }


def _series(raw: dict, src: Source, ctx: Context, base: Path):
    if "file" not in raw:
        ctx.add("a `series` needs `file` (CSV with columns time_s, fraction)", src)
        return None
    f = expect_str(Raw(raw["file"], src.child("file")), ctx)
    if f is INVALID:
        return None
    path = (base / f).resolve()
    try:
        with path.open(newline="") as fh:
            rows = list(csv.DictReader(fh))
        times = [float(r["time_s"]) for r in rows]
        fracs = [float(r["fraction"]) for r in rows]
    except (OSError, KeyError, ValueError, TypeError) as exc:
        ctx.add(
            f"cannot read the power series {f!r} (columns time_s, fraction): {exc}",
            src.child("file"),
        )
        return None
    if len(times) < 1 or any(b < a for a, b in zip(times, times[1:], strict=False)):
        ctx.add(f"the series {f!r} needs increasing times", src.child("file"))
        return None
    if any(not (0 <= v <= 2) for v in fracs):
        ctx.add(f"the series {f!r} has fractions outside [0, 2]", src.child("file"))
        return None
    return times, fracs


def _swing(raw: dict, src: Source, ctx: Context):
    from thermo.errors import InputError
    from thermo.facility.it_load import TrainingSwing

    kw = {}
    names = {
        "swing_high": "high",
        "swing_low": "low",
        "swing_duty": "duty",
        "swing_period_s": "period_s",
        "swing_ramp_s": "ramp_s",
    }
    for key, arg in names.items():
        if key in raw:
            v = expect_number(Raw(raw[key], src.child(key)), ctx)
            if v is INVALID:
                return None
            kw[arg] = float(v)
    try:
        swing = TrainingSwing(**kw)
    except InputError as exc:
        ctx.add(str(exc), src)
        return None
    res = 1.0
    if "resolution_s" in raw:
        res = expect_number(Raw(raw["resolution_s"], src.child("resolution_s")), ctx)
        if res is INVALID or not res > 0:
            return None
    return swing, float(res)


# ---------------------------------------------------------------------- running


def run_transient(case: Any, net: Any, run: Any) -> Any:
    """Run the case's transient on ``net``; fills ``run`` (a CaseRun) and returns the result."""
    from thermo.transient.drives import Drive, PiecewiseLinear, SwingDrive
    from thermo.transient.integrator import TransientOptions, simulate
    from thermo.transient.model import TransientModel

    spec: TransientSpec = case.transient
    model = TransientModel(
        net,
        cell_length=spec.cell_length,
        plug_flow=spec.plug_flow or None,
        plug_flow_length=spec.plug_flow_length,
        plate_capacity=spec.plate_heat_capacity,
        pumps=spec.pumps,
        heat_capacity=spec.heat_capacity,
    )
    events = build_events(spec)
    drives = _drives(spec, Drive, PiecewiseLinear, SwingDrive)
    opts = TransientOptions(**spec.options)
    from thermo.transient.outputs import default_record

    def record(r, x, ev, t):
        r.output_nodes = spec.output_nodes
        r.output_branches = spec.output_branches
        return default_record(r, x, ev, t)

    if not spec.output_nodes:
        spec.output_nodes = [
            n for n in (case.outputs.supply_node, case.outputs.return_node) if n is not None
        ]
    result = simulate(
        model,
        opts,
        events=events,
        drives=drives,
        record=record,
        check_valves=spec.check_valves,
    )
    run.transient = result
    run.summary.update(transient_summary(result, opts.duration))
    if spec.ride_through_min is not None:
        run.checks.append(_ride_through_check(spec, result, opts.duration))
    return result


def build_events(spec: TransientSpec) -> list:
    """The :class:`~thermo.transient.drives.Event` objects of a validated spec."""
    from thermo.transient.drives import Condition, Event

    return [
        Event(
            e["time"],
            e["kind"],
            e["targets"],
            e.get("parameter"),
            e.get("value"),
            e.get("duration", 0.0),
            e["label"],
            when=Condition(**e["when"]) if "when" in e else None,
        )
        for e in spec.events
    ]


def transient_summary(result: Any, duration: float) -> dict[str, Any]:
    """Headline figures of a transient run (SI; temperatures in °C as named)."""
    out: dict[str, Any] = {
        "transient_simulated_s": duration,
        "transient_steps": result.steps,
        "transient_rejected_steps": result.rejected,
        "transient_newton_per_step": result.newton_per_step,
        "energy_imbalance_relative": result.ledger["imbalance_relative"],
        "stored_energy_change_J": result.ledger["stored_change_J"],
    }
    if result.max_case:
        out["transient_max_case_temperature_C"] = result.max_case["T_case_C"]
        out["transient_max_case_temperature_at"] = result.max_case["name"]
        out["transient_max_case_temperature_time_s"] = result.max_case["time_s"]
    out["ride_through_s"] = result.ride_through_s
    if result.first_break is not None:
        out["first_limit_broken"] = result.first_break["what"]
    return out


def _ride_through_check(spec: TransientSpec, result: Any, duration: float):
    from thermo.case.checks import CheckResult, CheckSpec, Metric

    metric = Metric(
        "ride_through",
        "time",
        "time from the first event until the first limit breaks (the run's length after the "
        "event when none breaks)",
        {},
        lambda view, sel: [],
    )
    check = CheckSpec(
        name="ride-through time",
        metric=metric,
        bound="min",
        limit=float(spec.ride_through_min),
        kind="time",
        unit="s",
    )
    if result.ride_through_s is None:
        first = min((e["time_s"] for e in result.events), default=0.0)
        return CheckResult(check, duration - first, "no limit broken")
    return CheckResult(check, float(result.ride_through_s), result.first_break["what"])


def _drives(spec: TransientSpec, Drive, PiecewiseLinear, SwingDrive) -> list:
    """IT-power drives: steps and ramps accumulated per target set; series and swings as given."""
    drives = []
    knots: dict[tuple, list] = {}
    for ev in sorted(spec.power, key=lambda e: e["time"]):
        key = tuple(ev["targets"])
        if ev["profile"] == "series":
            times, fracs = ev["series"]
            drives.append(
                Drive(
                    list(key), PiecewiseLinear([ev["time"] + t for t in times], fracs), ev["label"]
                )
            )
        elif ev["profile"] == "swing":
            swing, res = ev["swing"]
            drives.append(
                Drive(list(key), SwingDrive(swing, start=ev["time"], resolution=res), ev["label"])
            )
        else:
            k = knots.setdefault(key, [(0.0, 1.0)])
            prev = k[-1][1]
            k.append((ev["time"], prev))
            if ev["profile"] == "step":
                k.append((ev["time"], ev["level"]))
            else:
                k.append((ev["time"] + ev["duration"], ev["level"]))
    for key, k in knots.items():
        drives.append(
            Drive(list(key), PiecewiseLinear([a for a, _ in k], [b for _, b in k]), "it_power")
        )
    return drives
