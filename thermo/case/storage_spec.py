"""The ``[storage]`` section of an annual heat-reuse case: a mixed hot-water buffer tank.

The tank is run hour after hour on the stateless year (:mod:`thermo.facility.annual_storage`):
it takes heat the dry coolers would reject and gives it to the boiler feed when the boilers fire.
``volumes`` (optional) sweeps the volume on the same solved year — the boiler energy avoided
against the tank volume, printed and written as ``storage_sweep.csv``.

Keys (quantities with units): ``volume``, ``max_temperature``, ``ambient_temperature``,
``charge_flow`` and ``boiler`` (the boiler branch the tank relieves: the tank discharges into its
inlet water, the boiler feed) are required; ``charge_node`` (the module water at the charging
coil) defaults to the inlet of the case's one rejection component (``[facility]
rejection_components``: the tank takes what it would reject);
``u_value`` or both ``insulation_thickness`` and ``insulation_conductivity``;
``initial_temperature`` (default: the ambient temperature, an empty tank), ``charge_approach``
(default 2 K), ``aspect`` (height / diameter, default 1), ``volumes``, ``model`` (``"mixed"``,
the default, or ``"stratified"``, ideal stratification: the two limits of mixing; the run also
reports the other model's result for the same volume).
``ambient_temperature = "outdoor"``: the tank stands outdoors, its ambient is each hour's dry
bulb (its initial temperature then defaults to 10 degC). ``initial_temperature = "cyclic"``: the
run starts at the temperature it ends at (a year without an assumed start; one pre-pass).

Like the rest of :mod:`thermo.case`, problems are recorded in the shared collector.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from thermo.case.problems import suggest
from thermo.case.schema import INVALID, Raw, Source, check_keys, describe, parse_quantity

__all__ = ["StorageSpec", "validate_storage", "STORAGE_KEYS"]

_QUANTITIES = {
    "volume": "volume",
    "max_temperature": "temperature",
    "ambient_temperature": "temperature",
    "initial_temperature": "temperature",
    "charge_flow": "mass_flow",
    "charge_approach": "temperature_difference",
    "u_value": "heat_transfer_coefficient",
    "insulation_thickness": "length",
    "insulation_conductivity": "thermal_conductivity",
    "aspect": "dimensionless",
}
_NAMES = ("charge_node", "boiler")
STORAGE_KEYS = (*_QUANTITIES, *_NAMES, "volumes", "model")
_REQUIRED = (
    "volume",
    "max_temperature",
    "ambient_temperature",
    "charge_flow",
    "boiler",
)


@dataclass(frozen=True)
class StorageSpec:
    """A validated ``[storage]`` section."""

    tank: Any
    """:class:`thermo.facility.annual_storage.MixedTank`."""
    charge_node: str
    """Module water at the charging coil."""
    feed_node: str
    """The boiler's inlet (the feed the tank preheats)."""
    boiler: str
    volumes: list[float] = field(default_factory=list)
    """Volumes of the sweep [m³] (empty: no sweep)."""
    cyclic: bool = False
    """``initial_temperature = "cyclic"``: the run starts at the temperature it ends at (a first
    pass over the same hours finds it)."""

    def with_volume(self, volume: float) -> Any:
        """The tank with another volume (everything else equal)."""
        return replace(self.tank, volume=volume)


def validate_storage(raw: Any, src: Source, ctx: Any, model: Any) -> StorageSpec | None:
    """Check ``[storage]``; build the tank once to surface its own input errors."""
    from thermo.errors import InputError
    from thermo.facility.annual_storage import MixedTank

    if not isinstance(raw, dict):
        ctx.add(f"expected a `[storage]` table, got {describe(raw)}", src)
        return None
    check_keys(raw, STORAGE_KEYS, src, ctx, "`[storage]`")
    ok = True
    for key in _REQUIRED:
        if key not in raw:
            ctx.add(f"missing required key `{key}` of `[storage]`", src)
            ok = False
    v: dict[str, float] = {}
    outdoor = raw.get("ambient_temperature") == "outdoor"
    cyclic = raw.get("initial_temperature") == "cyclic"
    if outdoor:  # the hour's dry bulb; the design value only bounds the inputs
        v["ambient_temperature"] = -40.0 + 273.15
    for key, kind in _QUANTITIES.items():
        if (
            key in raw
            and not (key == "ambient_temperature" and outdoor)
            and not (key == "initial_temperature" and cyclic)
        ):
            got = parse_quantity(Raw(raw[key], src.child(key)), kind, ctx)
            if got is INVALID:
                ok = False
            else:
                v[key] = got
    names: dict[str, str] = {}
    for key in _NAMES:
        if key not in raw:
            continue
        r = raw[key]
        if not isinstance(r, str):
            ctx.add(f"expected a name, got {describe(r)}", src.child(key))
            ok = False
            continue
        known = model.branch_ports if key == "boiler" else model.nodes
        if r not in known:
            what = "branch" if key == "boiler" else "node"
            ctx.add(f'no {what} "{r}"{suggest(r, known)}', src.child(key))
            ok = False
            continue
        if key == "boiler" and model.branch_class.get(r) != "Boiler":
            ctx.add(f'"{r}" is a {model.branch_class.get(r)}, expected a Boiler', src.child(key))
            ok = False
            continue
        names[key] = r
    has_u = "u_value" in raw
    has_ins = "insulation_thickness" in raw or "insulation_conductivity" in raw
    if has_u == has_ins:
        ctx.add(
            "give either `u_value` or both `insulation_thickness` and `insulation_conductivity`",
            src,
        )
        ok = False
    elif has_ins and not ("insulation_thickness" in v and "insulation_conductivity" in v):
        ctx.add("`insulation_thickness` and `insulation_conductivity` go together", src)
        ok = False
    volumes: list[float] = []
    if "volumes" in raw:
        rv = raw["volumes"]
        if not isinstance(rv, list) or not rv:
            ctx.add(
                f"expected a non-empty array of volumes, got {describe(rv)}", src.child("volumes")
            )
            ok = False
        else:
            for k, item in enumerate(rv):
                got = parse_quantity(Raw(item, src.child("volumes", k)), "volume", ctx)
                if got is INVALID or got < 0:
                    if got is not INVALID:
                        ctx.add(f"a volume must be >= 0, got {item}", src.child("volumes", k))
                    ok = False
                else:
                    volumes.append(got)
    if ok and "charge_node" not in names:
        fm = getattr(getattr(model, "facility", None), "model", None)
        rejecting = list(fm.rejection_branches) if fm is not None else []
        if len(rejecting) != 1:
            ctx.add(
                "`charge_node` is needed: the tank charges from the water entering the case's "
                f"one rejection component, and the case has {len(rejecting)} "
                "(`[facility] rejection_components`)",
                src,
            )
            ok = False
        else:
            names["charge_node"] = model.branch_ports[rejecting[0]][0]
    stratified = False
    if "model" in raw:
        if raw["model"] not in ("mixed", "stratified"):
            ctx.add(
                f'expected "mixed" or "stratified", got {describe(raw["model"])}',
                src.child("model"),
            )
            ok = False
        stratified = raw["model"] == "stratified"
    if not ok:
        return None
    if has_u:
        u = v["u_value"]
    else:
        if not v["insulation_thickness"] > 0:
            ctx.add("`insulation_thickness` must be > 0", src.child("insulation_thickness"))
            return None
        u = v["insulation_conductivity"] / v["insulation_thickness"]
    try:
        tank = MixedTank(
            volume=v["volume"],
            max_temperature=v["max_temperature"],
            initial_temperature=v.get(
                "initial_temperature", 283.15 if outdoor else v["ambient_temperature"]
            ),
            ambient_temperature=v["ambient_temperature"],
            u_value=u,
            charge_flow=v["charge_flow"],
            charge_approach=v.get("charge_approach", 2.0),
            aspect=v.get("aspect", 1.0),
            outdoor=outdoor,
            stratified=stratified,
        )
    except InputError as exc:
        key = exc.key if exc.key in raw else None
        ctx.add(exc.reason, src.child(key) if key else src)
        return None
    feed = model.branch_ports[names["boiler"]][0]
    return StorageSpec(tank, names["charge_node"], feed, names["boiler"], volumes, cyclic)


def run_storage(case: Any, table: Any, fraction: Any) -> tuple[Any, dict[str, Any]]:
    """The annual reuse balance with the case's tank (and without it, and for each swept volume).

    ``table`` is the stateless hourly table (with the ``storage_*`` probe columns); returns the
    hourly table with the tank and the annual summary of :func:`thermo.case.annual_reuse.finish`
    plus ``storage`` (the tank's figures, its first law and the comparison without the tank)
    and ``storage_sweep`` (one row per swept volume).
    """
    import numpy as np

    from thermo.case.annual_reuse import finish
    from thermo.facility.annual_storage import MWH, apply_storage, storage_summary

    spec: StorageSpec = case.storage
    plant = getattr(case.model.branch_object[spec.boiler], "boiler", None)
    eff = plant.efficiency if plant is not None else (lambda T: np.ones(np.shape(T)))

    def with_tank(tank: Any) -> tuple[Any, dict[str, Any], Any]:
        hourly, year = apply_storage(tank, table, boiler_efficiency=eff, cyclic=spec.cyclic)
        hourly, annual = finish(case, hourly, fraction)
        return hourly, annual, year

    _, without = finish(case, table.copy(), fraction)
    hourly, annual, year = with_tank(spec.tank)
    s = storage_summary(spec.tank, year)
    s["boiler_heat_without_MWh"] = without["boiler_heat_MWh"]
    s["boiler_fuel_without_MWh"] = without["boiler_fuel_MWh"]
    s["heat_reused_without_MWh"] = without["heat_reused_MWh"]
    s["coverage_without"] = without["greenhouse_coverage"]
    s["boiler_heat_avoided_MWh"] = without["boiler_heat_MWh"] - annual["boiler_heat_MWh"]
    s["boiler_fuel_avoided_MWh"] = without["boiler_fuel_MWh"] - annual["boiler_fuel_MWh"]
    s["rejected_avoided_MWh"] = without["heat_rejected_MWh"] - annual["heat_rejected_MWh"]
    # the other limit of the same tank (mixed <-> ideally stratified): the bracket of the answer
    other = replace(spec.tank, stratified=not spec.tank.stratified)
    _, a_other, _ = with_tank(other)
    s["model"] = "stratified" if spec.tank.stratified else "mixed"
    s["other_model"] = "stratified" if other.stratified else "mixed"
    s["other_model_fuel_avoided_MWh"] = without["boiler_fuel_MWh"] - a_other["boiler_fuel_MWh"]
    annual["storage"] = s
    # flat copies for the run summary (study tables, `thermo sweep --set storage.volume=...`)
    annual["storage_fuel_avoided_MWh"] = s["boiler_fuel_avoided_MWh"]
    annual["storage_heat_lost_MWh"] = s["heat_lost_MWh"]
    annual["storage_closure_rel"] = s["closure_rel"]
    sweep = []
    for vol in spec.volumes:
        _, a, y = with_tank(spec.with_volume(vol))
        led = y.ledger()
        sweep.append(
            {
                "volume_m3": vol,
                "boiler_fuel_MWh": a["boiler_fuel_MWh"],
                "boiler_fuel_avoided_MWh": without["boiler_fuel_MWh"] - a["boiler_fuel_MWh"],
                "heat_reused_MWh": a["heat_reused_MWh"],
                "greenhouse_coverage": a["greenhouse_coverage"],
                "tank_heat_lost_MWh": led["heat_lost_J"] / MWH,
                "tank_closure_rel": led["closure_rel"],
                "full_hours": int(y.full.sum()),
                "empty_hours": int(y.empty.sum()),
            }
        )
    if sweep:
        annual["storage_sweep"] = sweep
    return hourly, annual


def storage_headline(annual: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Console lines of the tank (empty without one): what it did, its first law, its flags."""
    s = (annual or {}).get("storage")
    if not s:
        return []
    rows = [
        (
            "storage tank",
            f"{s['volume_m3']:,.0f} m³ (UA {s['ua_W_per_K']:,.0f} W/K): in "
            f"{s['heat_in_MWh']:,.1f} MWh, out {s['heat_out_MWh']:,.1f} MWh, lost "
            f"{s['heat_lost_MWh']:,.1f} MWh, stored {s['stored_MWh']:+,.1f} MWh "
            f"(first law {s['closure_rel']:.1e} relative); "
            f"{s['min_temperature_C']:.1f}-{s['max_temperature_C']:.1f} degC",
        ),
        (
            "with vs without tank",
            f"boiler heat {s['boiler_heat_without_MWh'] - s['boiler_heat_avoided_MWh']:,.1f} vs "
            f"{s['boiler_heat_without_MWh']:,.1f} MWh (fuel avoided by the tank "
            f"{s['boiler_fuel_avoided_MWh']:,.1f} MWh); coverage without "
            f"{100 * (s['coverage_without'] or 0):.1f} %",
        ),
        (
            "tank model bracket",
            f"{s['model']} tank {s['boiler_fuel_avoided_MWh']:,.1f} MWh avoided, "
            f"{s['other_model']} {s['other_model_fuel_avoided_MWh']:,.1f} MWh (the two limits "
            "of mixing; a real tank's mixing lies between them)",
        ),
    ]
    if s["full_hours"] or s["empty_hours"]:
        rows.append(
            (
                "FLAG storage",
                f"tank at its maximum temperature (charge cut) in {s['full_hours']} h; empty "
                f"(no warmer than the boiler feed while the boilers fire) in "
                f"{s['empty_hours']} h",
            )
        )
    for r in (annual or {}).get("storage_sweep", []):
        rows.append(
            (
                "tank sweep",
                f"{r['volume_m3']:>8,.0f} m³: boiler fuel avoided by the tank "
                f"{r['boiler_fuel_avoided_MWh']:,.1f} MWh, coverage "
                f"{100 * (r['greenhouse_coverage'] or 0):.1f} %, lost "
                f"{r['tank_heat_lost_MWh']:,.1f} MWh",
            )
        )
    return rows
