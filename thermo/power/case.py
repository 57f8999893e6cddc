"""The ``[power]`` section of a case file: parse it, run it after the thermal solve, summarise.

The section is documented in ``docs/power.md``. Parsing records problems in the case loader's
collector (file, line, key path, value, what was expected), like every other section.
:func:`run_power` runs the chain once with everything in the file and once per smoothing
measure removed (no smoothing, + GPU floor, + PSU storage, + site battery) so the console shows
what each measure costs in energy and buys in grid friendliness; with ``annual_hourly = true``
it adds a year at hourly steps (battery arbitrage, energy, cost, carbon, tokens).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from thermo.case.schema import INVALID, Context, Raw, Source, check_keys, describe, parse_quantity
from thermo.errors import InputError

__all__ = ["POWER_KEYS", "PowerSpec", "PowerResult", "validate_power", "run_power"]

POWER_KEYS = (
    "it_nominal",
    "hours",
    "step",
    "idle_level",
    "token_rate",
    "gpu_floor",
    "cooling_from_network",
    "cooling_per_it",
    "cooling_fixed",
    "cooling_window",
    "cooling_fixed_share",
    "other_load",
    "signals",
    "currency",
    "annual_hourly",
    "jobs",
    "inference",
    "demand_response",
    "psu",
    "ups",
    "distribution",
    "battery",
    "grid",
)
JOB_KEYS = (
    "share",
    "start",
    "stop",
    "ramp",
    "phase",
    "swing_high",
    "swing_low",
    "swing_duty",
    "swing_period",
    "swing_ramp",
    "checkpoint_interval",
    "checkpoint_duration",
    "checkpoint_level",
)
INFERENCE_KEYS = ("share", "utilisation", "diurnal_amplitude", "peak_hour", "busy_level")
DR_KEYS = ("start_h", "end_h", "curtail", "mode")
PSU_KEYS = ("energy", "power", "ramp", "round_trip_efficiency", "soc_min", "soc_max")
UPS_KEYS = ("rated", "mode", "no_load", "proportional", "square")
DIST_KEYS = ("rated", "proportional", "square")
BATTERY_KEYS = (
    "energy",
    "c_rate",
    "power",
    "soc_min",
    "soc_max",
    "soc_initial",
    "round_trip_efficiency",
    "charge_on",
    "charge_hours",
    "discharge_hours",
    "reserve",
    "recharge_time",
)
GRID_KEYS = ("ramp_limit", "cap", "oscillation_max")
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "power"
MAX_POWER_STEPS = 7_000_000
"""Most time steps a ``[power]`` run may ask for (``hours`` × 3600 / ``step``): a bound on time
and memory (about 60 B per step and series), refused at validation."""


@dataclass
class PowerSpec:
    """The parsed ``[power]`` section (SI values; built into model objects at run time)."""

    values: dict[str, Any]
    jobs: list[dict[str, Any]] = field(default_factory=list)
    inference: dict[str, Any] | None = None
    demand_response: list[dict[str, Any]] = field(default_factory=list)
    psu: dict[str, Any] | None = None
    ups: dict[str, Any] | None = None
    distribution: dict[str, Any] | None = None
    battery: dict[str, Any] | None = None
    grid: dict[str, Any] = field(default_factory=dict)
    signals_path: Path | None = None


# ----------------------------------------------------------------------------- parsing
def _rate(raw: Raw, ctx: Context) -> Any:
    """A power ramp rate such as ``"10 MW/min"`` -> W/s."""
    from thermo.units import registry

    v = raw.value
    if isinstance(v, str):
        try:
            q = registry().Quantity(v).to("W/s").magnitude
        except Exception:  # noqa: BLE001 - pint raises several types; one message for all
            q = None
        if q is not None and math.isfinite(q) and q > 0:
            return float(q)
    ctx.add(f'expected a ramp rate > 0 with a unit (e.g. "10 MW/min"), got {describe(v)}', raw.src)
    return INVALID


def _table(value: Any, src: Source, ctx: Context, what: str) -> dict | None:
    if not isinstance(value, dict):
        ctx.add(f"expected a table ({what}), got {describe(value)}", src)
        return None
    return value


def _read(
    table: dict, src: Source, ctx: Context, spec: dict[str, tuple[str, Any]]
) -> dict[str, Any]:
    """Parse ``table`` by ``spec``: key -> (kind, default); kinds are unit kinds or
    ``"number"``, ``"int"``, ``"bool"``, ``"str"``, ``"rate"``. Missing keys with default
    ``...`` are errors."""
    out: dict[str, Any] = {}
    for key, (kind, default) in spec.items():
        if key not in table:
            if default is ...:
                ctx.add(f"missing key `{key}`", src)
                out[key] = INVALID
            else:
                out[key] = default
            continue
        raw = Raw(table[key], src.child(key))
        v = raw.value
        if kind == "rate":
            out[key] = _rate(raw, ctx)
        elif kind == "number":
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                ctx.add(f"expected a plain number, got {describe(v)}", raw.src)
                out[key] = INVALID
            else:
                out[key] = float(v)
        elif kind == "int":
            if isinstance(v, bool) or not isinstance(v, int):
                ctx.add(f"expected an integer, got {describe(v)}", raw.src)
                out[key] = INVALID
            else:
                out[key] = v
        elif kind == "bool":
            if not isinstance(v, bool):
                ctx.add(f"expected true or false, got {describe(v)}", raw.src)
                out[key] = INVALID
            else:
                out[key] = v
        elif kind == "str":
            if not isinstance(v, str):
                ctx.add(f"expected text, got {describe(v)}", raw.src)
                out[key] = INVALID
            else:
                out[key] = v
        else:
            out[key] = parse_quantity(raw, kind, ctx)
    return out


_TOP = {
    "it_nominal": ("power", ...),
    "hours": ("number", 24.0),
    "step": ("time", 1.0),
    "idle_level": ("number", None),
    "token_rate": ("number", 0.0),
    "gpu_floor": ("number", None),
    "cooling_from_network": ("bool", False),
    "cooling_per_it": ("number", 0.0),
    "cooling_fixed": ("power", 0.0),
    "cooling_window": ("time", 60.0),
    "cooling_fixed_share": ("number", 0.0),
    "other_load": ("power", 0.0),
    "signals": ("str", None),
    "currency": ("str", "USD"),
    "annual_hourly": ("bool", False),
}
_JOB = {
    "share": ("number", ...),
    "start": ("time", 0.0),
    "stop": ("time", None),
    "ramp": ("time", 0.0),
    "phase": ("time", 0.0),
    "swing_high": ("number", None),
    "swing_low": ("number", None),
    "swing_duty": ("number", None),
    "swing_period": ("time", None),
    "swing_ramp": ("time", None),
    "checkpoint_interval": ("time", None),
    "checkpoint_duration": ("time", None),
    "checkpoint_level": ("number", None),
}
_INFERENCE = {
    "share": ("number", ...),
    "utilisation": ("number", 0.6),
    "diurnal_amplitude": ("number", 0.5),
    "peak_hour": ("number", 15.0),
    "busy_level": ("number", 1.0),
}
_DR = {
    "start_h": ("number", ...),
    "end_h": ("number", ...),
    "curtail": ("number", ...),
    "mode": ("str", "curtail"),
}
_PSU = {
    "energy": ("energy", ...),
    "power": ("power", ...),
    "ramp": ("rate", ...),
    "round_trip_efficiency": ("number", 0.98),
    "soc_min": ("number", 0.1),
    "soc_max": ("number", 0.9),
}
_UPS = {
    "rated": ("power", ...),
    "mode": ("str", "double_conversion"),
    "no_load": ("number", None),
    "proportional": ("number", None),
    "square": ("number", None),
}
_DIST = {"rated": ("power", ...), "proportional": ("number", 0.01), "square": ("number", 0.01)}
_BATTERY = {
    "energy": ("energy", ...),
    "c_rate": ("number", None),
    "power": ("power", None),
    "soc_min": ("number", 0.1),
    "soc_max": ("number", 0.9),
    "soc_initial": ("number", 0.5),
    "round_trip_efficiency": ("number", 0.85),
    "charge_on": ("str", "none"),
    "charge_hours": ("int", 6),
    "discharge_hours": ("int", 4),
    "reserve": ("number", 0.3),
    "recharge_time": ("time", 900.0),
}
_GRID = {
    "ramp_limit": ("rate", None),
    "cap": ("power", None),
    "oscillation_max": ("number", None),
}


def validate_power(
    data: Any,
    src: Source,
    ctx: Context,
    base_dir: Path,
    *,
    has_facility: bool,
    roots: tuple[Path, ...] | None = None,
) -> PowerSpec | None:
    """Parse the ``[power]`` table; problems go to ``ctx`` (returns None when invalid)."""
    table = _table(data, src, ctx, "[power]")
    if table is None:
        return None
    n0 = len(ctx.problems)
    check_keys(table, POWER_KEYS, src, ctx, "[power]")
    values = _read(table, src, ctx, _TOP)
    spec = PowerSpec(values)
    if values.get("cooling_from_network") is True and not has_facility:
        ctx.add(
            "cooling_from_network = true needs a [facility] section (its pumps and fans over "
            "its IT heat give the cooling electricity per IT watt)",
            src.child("cooling_from_network"),
        )
    jobs = table.get("jobs", [])
    if not isinstance(jobs, list):
        ctx.add(
            f"expected an array of tables ([[power.jobs]]), got {describe(jobs)}", src.child("jobs")
        )
        jobs = []
    for k, j in enumerate(jobs):
        jsrc = src.child("jobs", k)
        jt = _table(j, jsrc, ctx, "[[power.jobs]]")
        if jt is not None:
            check_keys(jt, JOB_KEYS, jsrc, ctx, "[[power.jobs]]")
            spec.jobs.append(_read(jt, jsrc, ctx, _JOB))
    drs = table.get("demand_response", [])
    if not isinstance(drs, list):
        ctx.add(
            "expected an array of tables ([[power.demand_response]])", src.child("demand_response")
        )
        drs = []
    for k, d in enumerate(drs):
        dsrc = src.child("demand_response", k)
        dt = _table(d, dsrc, ctx, "[[power.demand_response]]")
        if dt is not None:
            check_keys(dt, DR_KEYS, dsrc, ctx, "[[power.demand_response]]")
            spec.demand_response.append(_read(dt, dsrc, ctx, _DR))
    for name, keys, schema in (
        ("inference", INFERENCE_KEYS, _INFERENCE),
        ("psu", PSU_KEYS, _PSU),
        ("ups", UPS_KEYS, _UPS),
        ("distribution", DIST_KEYS, _DIST),
        ("battery", BATTERY_KEYS, _BATTERY),
        ("grid", GRID_KEYS, _GRID),
    ):
        if name not in table:
            continue
        s = src.child(name)
        t = _table(table[name], s, ctx, f"[power.{name}]")
        if t is not None:
            check_keys(t, keys, s, ctx, f"[power.{name}]")
            setattr(spec, name, _read(t, s, ctx, schema))
    if spec.battery is not None and len(ctx.problems) == n0:
        b = spec.battery
        if (b["c_rate"] is None) == (b["power"] is None):
            ctx.add("give exactly one of `c_rate` and `power`", src.child("battery"))
    sig = values.get("signals")
    if isinstance(sig, str):
        from thermo.case.files import FileProblem, data_file

        shipped = DATA_DIR / f"{sig}.csv"
        if sig.isidentifier() and shipped.is_file() and not (base_dir / sig).exists():
            spec.signals_path = shipped  # a shipped series by name
        else:
            # a file the case names: inside the case's folder tree (or --allow-path), regular,
            # bounded, never echoed (docs/case-files.md, "Limits")
            try:
                spec.signals_path = data_file(sig, base_dir, roots or (base_dir.resolve(),))
            except FileProblem as exc:
                ctx.add(
                    f"signals file: {exc} (or name a shipped series in thermo/data/power)",
                    src.child("signals"),
                )
    osc = spec.grid.get("oscillation_max") if spec.grid else None
    if isinstance(osc, float) and not 0.0 <= osc <= 1.0:
        ctx.add(
            f"oscillation_max is a share of the fluctuation energy, in [0, 1]; got {osc:g}",
            src.child("grid", "oscillation_max"),
        )
    h, st = values.get("hours"), values.get("step")
    if isinstance(h, float) and isinstance(st, float):
        n_f = h * 3600.0 / st if st > 0 else math.nan
        if not (0.1 <= st <= 3600.0):
            ctx.add(f"step must be between 0.1 s and 1 h, got {st:g} s", src.child("step"))
        elif n_f > MAX_POWER_STEPS:
            ctx.add(
                f"hours / step gives {n_f:.3g} steps; at most {MAX_POWER_STEPS:,} are simulated "
                "(e.g. one week at 0.1 s or a year at 5 s)",
                src.child("hours"),
            )
        elif not (h > 0 and abs(n_f - round(n_f)) <= 1e-9 * max(1.0, n_f) and round(n_f) >= 1):
            ctx.add(
                f"hours must be a whole number of steps: {h:g} h / {st:g} s = {n_f:.6g} steps",
                src.child("hours"),
            )
    if len(ctx.problems) > n0:
        return None
    try:  # build once so that range errors surface at load time, with the key path
        _build(spec, cooling_per_it=0.0, hours=None)
    except InputError as exc:
        key = (exc.key or "").split(".")
        ctx.add(f"{exc.reason}", src.child(*[k for k in key if k]) if exc.key else src)
        return None
    return spec


# ----------------------------------------------------------------------------- building
def _swing(j: dict[str, Any]) -> Any:
    from thermo.facility.it_load import TrainingSwing

    kw = {
        "high": j["swing_high"],
        "low": j["swing_low"],
        "duty": j["swing_duty"],
        "period_s": j["swing_period"],
        "ramp_s": j["swing_ramp"],
        "checkpoint_interval_s": j["checkpoint_interval"],
        "checkpoint_duration_s": j["checkpoint_duration"],
        "checkpoint_level": j["checkpoint_level"],
    }
    return TrainingSwing(**{k: v for k, v in kw.items() if v is not None})


def _build(
    spec: PowerSpec, *, cooling_per_it: float, hours: float | None, step_s: float | None = None
):
    """(it_kwargs, chain) for one run; raises InputError on out-of-range values."""
    from thermo.facility.it_load import IDLE_LEVEL_DEFAULT
    from thermo.power.chain import PowerChain
    from thermo.power.profile import DemandResponse, Inference, TrainingJob
    from thermo.power.signals import read_signals
    from thermo.power.storage import Storage
    from thermo.power.ups import UPS, Distribution

    v = spec.values
    jobs = []
    for k, j in enumerate(spec.jobs):
        try:
            jobs.append(
                TrainingJob(
                    share=j["share"],
                    swing=_swing(j),
                    start_h=j["start"] / 3600.0,
                    stop_h=None if j["stop"] is None else j["stop"] / 3600.0,
                    ramp_s=j["ramp"],
                    phase_s=j["phase"],
                )
            )
        except InputError as exc:
            raise InputError(
                exc.reason, key=f"jobs.{k}.{exc.key or ''}".rstrip("."), value=exc.value
            ) from None
    inference = None
    if spec.inference is not None:
        i = spec.inference
        inference = Inference(
            i["share"], i["utilisation"], i["diurnal_amplitude"], i["peak_hour"], i["busy_level"]
        )
    drs = [
        DemandResponse(d["start_h"], d["end_h"], d["curtail"], d["mode"])
        for d in spec.demand_response
    ]
    it_kwargs = {
        "nominal_W": v["it_nominal"],
        "hours": hours if hours is not None else v["hours"],
        "step_s": step_s if step_s is not None else v["step"],
        "jobs": jobs,
        "inference": inference,
        "idle_level": IDLE_LEVEL_DEFAULT if v["idle_level"] is None else v["idle_level"],
        "gpu_floor": v["gpu_floor"],
        "demand_response": drs,
        "token_rate": v["token_rate"],
    }
    kw: dict[str, Any] = {
        "cooling_per_it": cooling_per_it + v["cooling_per_it"],
        "cooling_fixed_W": v["cooling_fixed"],
        "other_W": v["other_load"],
        "cooling_window_s": v["cooling_window"],
        "cooling_fixed_share": v["cooling_fixed_share"],
        "cooling_design_W": v["it_nominal"],
    }
    if spec.psu is not None:
        p = spec.psu
        kw["psu"] = Storage(
            p["energy"],
            p["power"],
            p["power"],
            p["soc_min"],
            p["soc_max"],
            0.5 * (p["soc_min"] + p["soc_max"]),
            p["round_trip_efficiency"],
            "psu",
        )
        kw["psu_ramp_W_per_s"] = p["ramp"]
    if spec.ups is not None:
        u = spec.ups
        extra = {k: u[k] for k in ("no_load", "proportional", "square") if u[k] is not None}
        kw["ups"] = UPS(u["rated"], u["mode"], **extra)
    if spec.distribution is not None:
        d = spec.distribution
        kw["distribution"] = Distribution(d["rated"], d["proportional"], d["square"])
    if spec.battery is not None:
        b = spec.battery
        common = dict(
            soc_min=b["soc_min"],
            soc_max=b["soc_max"],
            soc_initial=b["soc_initial"],
            round_trip=b["round_trip_efficiency"],
            name="battery",
        )
        if b["c_rate"] is not None:
            kw["battery"] = Storage.from_c_rate(b["energy"], b["c_rate"], **common)
        else:
            kw["battery"] = Storage(b["energy"], b["power"], b["power"], **common)
        kw["charge_on"] = b["charge_on"]
        kw["charge_hours"] = b["charge_hours"]
        kw["discharge_hours"] = b["discharge_hours"]
        kw["reserve"] = b["reserve"]
        kw["recharge_time_s"] = b["recharge_time"]
    g = spec.grid
    if g.get("ramp_limit") is not None:
        kw["ramp_W_per_s"] = g["ramp_limit"]
    if g.get("cap") is not None:
        kw["cap_W"] = g["cap"]
    if spec.signals_path is not None and hours is not None:
        kw["signals"] = read_signals(spec.signals_path, currency=v["currency"])
    return it_kwargs, PowerChain(**kw)


# ----------------------------------------------------------------------------- running
@dataclass(eq=False)
class PowerResult:
    """What the ``[power]`` section produced: the full run, the measures and the year."""

    run: Any
    """:class:`~thermo.power.chain.PowerRun` with everything in the file."""
    measures: list[dict[str, Any]]
    year: Any = None
    cooling_per_it: float = 0.0
    wall_s: float = 0.0
    currency: str = "USD"
    oscillation_max: float | None = None

    @property
    def flags(self) -> list[str]:
        return list(self.run.flags)

    def summary(self) -> dict[str, float]:
        m = self.run.metrics
        keys = (
            "grid_peak_W",
            "grid_ramp_violation_share",
            "grid_cap_violations",
            "shortfall_steps",
            "battery_cycles",
            "pue",
            "tokens_per_kWh_it",
            "tokens_per_kWh_facility",
            "tokens_per_kWh_grid",
            "kWh_per_Mtok_grid",
            "ups_loss_kWh",
            "battery_loss_kWh",
            "psu_storage_loss_kWh",
            "gpu_floor_energy_kWh",
            "cost_per_Mtok",
            "carbon_kg_per_Mtok",
        )
        return {f"power_{k}": float(m[k]) for k in keys if k in m}

    def checks(self) -> list[Any]:
        """The grid limits of ``[power.grid]`` as case checks (they fail ``thermo check``):
        worst ramp at the grid meter <= the ramp limit, grid peak <= the cap (day and year), the
        share of the grid's fluctuation energy in 0.1–20 Hz <= ``oscillation_max``, and no step in
        which the battery could not hold the limits (shortfall)."""
        from thermo.case.checks import CheckResult, CheckSpec, Metric

        m = self.run.metrics
        out = []

        def spec(name: str, limit: float, kind: str, unit: str) -> Any:
            metric = Metric(f"power.{name}", kind, name, {}, lambda view, sel: [])
            return CheckSpec(name, metric, "max", limit, kind, unit=unit)

        if math.isfinite(m["ramp_limit_W_per_s"]):
            c = spec("grid ramp rate", m["ramp_limit_W_per_s"], "dimensionless", "MW/min")
            worst = m["grid_max_ramp_W_per_s"]
            share = 100 * m["grid_ramp_violation_share"]
            note = "" if share == 0 else f"{share:.3g} % of the steps"
            out.append(CheckResult(c, worst, note or None))
        if math.isfinite(m["cap_W"]):
            c = spec("grid peak", m["cap_W"], "power", "MW")
            peak, where = m["grid_peak_W"], None
            if self.year is not None and self.year.metrics["grid_peak_W"] > peak:
                peak, where = self.year.metrics["grid_peak_W"], "the hourly year"
            out.append(CheckResult(c, peak, where))
        osc = self.oscillation_max
        if osc is not None:
            c = spec("grid oscillation share 0.1-20 Hz", osc, "dimensionless", "-")
            v = m["grid_band_share_0p1_20Hz"]  # NaN only for a constant grid draw: no oscillation
            out.append(CheckResult(c, v if math.isfinite(v) else 0.0, None))
        if self.run.battery.storage is not None:
            c = spec("battery shortfall steps (grid limits not held)", 0.0, "dimensionless", "-")
            short = m["shortfall_steps"]
            if self.year is not None:
                short += self.year.metrics["shortfall_steps"]
            out.append(CheckResult(c, short, None))
        return out

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "metrics": dict(self.run.metrics),
            "flags": self.flags,
            "measures": self.measures,
            "cooling_per_it": self.cooling_per_it,
            "currency": self.currency,
            "wall_s": self.wall_s,
        }
        if self.year is not None:
            out["year_hourly"] = {
                "metrics": dict(self.year.metrics),
                "flags": list(self.year.flags),
            }
        return out


def _measure_row(name: str, run: Any, prev: Any) -> dict[str, Any]:
    m = run.metrics
    row = {
        "measure": name,
        "grid_peak_W": m["grid_peak_W"],
        "grid_max_ramp_W_per_s": m["grid_max_ramp_W_per_s"],
        "grid_ramp_violation_share": m["grid_ramp_violation_share"],
        "grid_cap_violations": m["grid_cap_violations"],
        "grid_energy_kWh": m["grid_energy_kWh"],
        "tokens_per_kWh_grid": m["tokens_per_kWh_grid"],
        "extra_energy_kWh": 0.0
        if prev is None
        else m["grid_energy_kWh"] - prev.metrics["grid_energy_kWh"],
        "peak_reduction_W": 0.0 if prev is None else prev.metrics["grid_peak_W"] - m["grid_peak_W"],
    }
    return row


def run_power(spec: PowerSpec, summary: dict[str, float]) -> PowerResult:
    """Run the section. ``summary`` is the thermal run's summary (for ``cooling_from_network``)."""
    import time

    from thermo.power.chain import simulate
    from thermo.power.profile import hall_it_power

    t0 = time.perf_counter()
    cpi = 0.0
    if spec.values["cooling_from_network"]:
        it_w = summary.get("it_power_W", 0.0)
        if not it_w > 0:
            raise InputError(
                "cooling_from_network: the thermal run reports no IT power", key="power"
            )
        cpi = summary.get("cooling_power_W", 0.0) / it_w
    it_kw, chain = _build(spec, cooling_per_it=cpi, hours=spec.values["hours"])
    full = simulate(chain, hall_it_power(**it_kw))
    # the measures, added one at a time
    base_chain = replace(chain, psu=None, battery=None, charge_on="none")
    steps = [("no smoothing", {**it_kw, "gpu_floor": None}, base_chain)]
    if it_kw["gpu_floor"] is not None:
        steps.append(("+ GPU power floor", it_kw, base_chain))
    if chain.psu is not None:
        steps.append(("+ PSU storage", it_kw, replace(chain, battery=None, charge_on="none")))
    measures, prev = [], None
    for name, kw, ch in steps:
        r = simulate(ch, hall_it_power(**kw))
        measures.append(_measure_row(name, r, prev))
        prev = r
    if chain.battery is not None:
        measures.append(_measure_row("+ site battery", full, prev))
    year = None
    if spec.values["annual_hourly"]:
        yk = {**it_kw, "hours": 8760.0, "step_s": 3600.0}
        yk["jobs"] = [replace(j, start_h=0.0, stop_h=None, ramp_s=0.0) for j in it_kw["jobs"]]
        year = simulate(replace(chain, psu=None), hall_it_power(**yk))
    return PowerResult(
        full,
        measures,
        year,
        cpi,
        time.perf_counter() - t0,
        spec.values["currency"],
        spec.grid.get("oscillation_max"),
    )
