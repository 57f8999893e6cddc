"""Case-file sections of a heat-reuse study: ``[greenhouse]`` and the facility-model keys of
``[facility]``.

``[greenhouse]`` describes the heated greenhouse (:class:`thermo.greenhouse.Greenhouse`: cover,
area, infiltration, setpoints, screen) and the pipe-rail branch of the network that heats it; the
annual scenario then drives that branch, and any other component or control, from the hourly
greenhouse heat balance (drive sources ``greenhouse_demand``, ``greenhouse_air_temperature`` and
``greenhouse_supply_temperature``).

Like the rest of :mod:`thermo.case`, every function here records problems in the shared
collector instead of raising, so one pass reports everything wrong with a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from thermo.case.problems import suggest
from thermo.case.schema import (
    INVALID,
    Raw,
    Source,
    check_keys,
    describe,
    expect_bool,
    expect_str,
    expect_str_list,
    parse_quantity,
)

__all__ = [
    "GREENHOUSE_KEYS",
    "FACILITY_MODEL_KEYS",
    "GreenhouseSpec",
    "FacilityModelSpec",
    "validate_greenhouse",
    "validate_facility_model",
]

# TOML key -> (kind of quantity, Greenhouse keyword); "bool" and "str" are not quantities
_GREENHOUSE_PARAMS: dict[str, tuple[str, str]] = {
    "floor_area": ("area", "floor_area"),
    "cover": ("str", "cover"),
    "u_value": ("heat_transfer_coefficient", "u_value"),
    "cover_area": ("area", "cover_area"),
    "cover_to_floor": ("dimensionless", "cover_to_floor"),
    "mean_height": ("length", "mean_height"),
    "infiltration": ("frequency", "infiltration_ach"),
    "day_setpoint": ("temperature", "day_setpoint"),
    "night_setpoint": ("temperature", "night_setpoint"),
    "solar_transmissivity": ("dimensionless", "solar_transmissivity"),
    "solar_utilisation": ("dimensionless", "solar_utilisation"),
    "thermal_screen": ("bool", "thermal_screen"),
    "screen_u_reduction": ("dimensionless", "screen_u_reduction"),
    "min_heat_flux": ("irradiance", "min_heat_flux"),
}
GREENHOUSE_KEYS = (*_GREENHOUSE_PARAMS, "rail", "flow", "max_supply_temperature")

FACILITY_MODEL_KEYS = (
    "air_cooling_cop",
    "distribution_efficiency",
    "other_fraction",
    "outside_components",
    "heat_pump_components",
    "boiler_components",
    "rejection_components",
    "tokens_per_kWh",
    "gas_price",
    "electricity_price",
    "grid_co2",
    "currency",
)

DEFAULT_MAX_SUPPLY = 368.15
"""Highest greenhouse supply temperature available [K] (95 °C, as
:func:`thermo.components.greenhouse.rail_supply_temperature`)."""


@dataclass
class GreenhouseSpec:
    """A validated ``[greenhouse]`` section."""

    kwargs: dict[str, Any]
    """Keyword arguments of :class:`thermo.greenhouse.Greenhouse` (SI)."""
    rail: str
    """The :class:`~thermo.components.greenhouse.GreenhouseRail` branch that heats it."""
    flow: float
    """Water flow through the rails used to turn the demand into a supply temperature [kg/s]."""
    max_supply_temperature: float = DEFAULT_MAX_SUPPLY
    """Highest supply temperature [K]."""
    src: Source | None = None

    def greenhouse(self) -> Any:
        from thermo.greenhouse import Greenhouse

        return Greenhouse(**self.kwargs)


@dataclass
class FacilityModelSpec:
    """Facility-model keys of ``[facility]`` (SI; see ``docs/facility.md``)."""

    air_cooling_cop: float | None = None
    distribution_efficiency: float | None = None
    other_fraction: float = 0.0
    outside_branches: list[str] = field(default_factory=list)
    heat_pump_branches: list[str] = field(default_factory=list)
    boiler_branches: list[str] = field(default_factory=list)
    rejection_branches: list[str] = field(default_factory=list)
    tokens_per_kWh: float | None = None
    """Tokens per kWh of **IT** energy [1/kWh] (an input scenario: docs/references.md §4 shows a
    ~200× spread between models and hardware)."""
    gas_price: float | None = None
    electricity_price: float | None = None
    grid_co2: float | None = None
    currency: str = "CAD"


def validate_greenhouse(raw: Any, src: Source, ctx: Any, model: Any) -> GreenhouseSpec | None:
    """Check ``[greenhouse]``; build the greenhouse once to surface its own input errors."""
    from thermo.errors import InputError

    if not isinstance(raw, dict):
        ctx.add(f"expected a `[greenhouse]` table, got {describe(raw)}", src)
        return None
    check_keys(raw, GREENHOUSE_KEYS, src, ctx, "`[greenhouse]`")
    ok = True
    for key in ("floor_area", "rail", "flow"):
        if key not in raw:
            ctx.add(f"missing required key `{key}` of `[greenhouse]`", src)
            ok = False
    kwargs: dict[str, Any] = {}
    for key, (kind, kw) in _GREENHOUSE_PARAMS.items():
        if key not in raw:
            continue
        r = Raw(raw[key], src.child(key))
        if kind == "str":
            v = expect_str(r, ctx, what="a cover name")
        elif kind == "bool":
            v = expect_bool(r, ctx)
        else:
            v = parse_quantity(r, kind, ctx)
            if kind == "frequency" and v is not INVALID:
                v = v * 3600.0  # air changes per hour
        if v is INVALID:
            ok = False
            continue
        kwargs[kw] = v
    rail = None
    if "rail" in raw:
        r = Raw(raw["rail"], src.child("rail"))
        rail = expect_str(r, ctx, what="the name of a GreenhouseRail component")
        if rail is not INVALID:
            cls = model.branch_class.get(rail)
            if cls is None:
                ctx.add(f'no branch "{rail}"{suggest(rail, model.branch_ports)}', r.src)
                ok = False
            elif cls != "GreenhouseRail":
                ctx.add(f'"{rail}" is a {cls}, expected a GreenhouseRail', r.src)
                ok = False
        else:
            ok = False
    flow = None
    if "flow" in raw:
        flow = parse_quantity(Raw(raw["flow"], src.child("flow")), "mass_flow", ctx)
        if flow is INVALID or not flow > 0:
            if flow is not INVALID:
                ctx.add(f"`flow` must be positive, got {raw['flow']}", src.child("flow"))
            ok = False
    t_max = DEFAULT_MAX_SUPPLY
    if "max_supply_temperature" in raw:
        t_max = parse_quantity(
            Raw(raw["max_supply_temperature"], src.child("max_supply_temperature")),
            "temperature",
            ctx,
        )
        ok = ok and t_max is not INVALID
    if not ok:
        return None
    spec = GreenhouseSpec(kwargs, rail, flow, t_max, src)
    try:
        spec.greenhouse()
    except InputError as exc:
        ctx.add(exc.reason, src)
        return None
    return spec


def validate_facility_model(raw: dict, src: Source, ctx: Any, model: Any) -> FacilityModelSpec:
    """The facility-model keys of ``[facility]`` (the others are checked by the caller)."""
    out = FacilityModelSpec()

    def fraction(key: str, lo: float, hi: float, lo_open: bool) -> Any:
        r = Raw(raw[key], src.child(key))
        v = parse_quantity(r, "dimensionless", ctx)
        if v is INVALID:
            return None
        if not ((lo < v) if lo_open else (lo <= v)) or not v <= hi:
            ctx.add(f"`{key}` must lie in {'(' if lo_open else '['}{lo}, {hi}], got {v}", r.src)
            return None
        return v

    if "air_cooling_cop" in raw:
        r = Raw(raw["air_cooling_cop"], src.child("air_cooling_cop"))
        v = parse_quantity(r, "dimensionless", ctx)
        if v is not INVALID and not v > 0:
            ctx.add(f"`air_cooling_cop` must be positive, got {v}", r.src)
        elif v is not INVALID:
            out.air_cooling_cop = v
    if "distribution_efficiency" in raw:
        out.distribution_efficiency = fraction("distribution_efficiency", 0.0, 1.0, True)
    if "other_fraction" in raw:
        out.other_fraction = fraction("other_fraction", 0.0, 1.0, False) or 0.0
    for key, attr in (
        ("outside_components", "outside_branches"),
        ("heat_pump_components", "heat_pump_branches"),
        ("boiler_components", "boiler_branches"),
        ("rejection_components", "rejection_branches"),
    ):
        if key not in raw:
            continue
        r = Raw(raw[key], src.child(key))
        pats = expect_str_list(r, ctx, "an array of component names or patterns")
        if pats is INVALID:
            continue
        chosen = model.select_branches(pats)
        if not chosen:
            names = [*model.component_branches, *model.branch_ports]
            ctx.add(f"`{key}` matches no component{suggest(pats[0], names)}", r.src)
            continue
        setattr(out, attr, chosen)
    if "tokens_per_kWh" in raw:
        r = Raw(raw["tokens_per_kWh"], src.child("tokens_per_kWh"))
        v = parse_quantity(r, "dimensionless", ctx)
        if v is not INVALID and not v > 0:
            ctx.add(f"`tokens_per_kWh` must be positive, got {v}", r.src)
        elif v is not INVALID:
            out.tokens_per_kWh = v
    for key, kind in (
        ("gas_price", "dimensionless"),
        ("electricity_price", "dimensionless"),
        ("grid_co2", "emission_factor"),
    ):
        if key not in raw:
            continue
        r = Raw(raw[key], src.child(key))
        v = parse_quantity(r, kind, ctx)
        if v is INVALID:
            continue
        if v < 0:
            ctx.add(f"`{key}` must be >= 0, got {raw[key]}", r.src)
            continue
        if key == "electricity_price":
            v = v / 3.6e6  # per kWh -> per J
        setattr(out, key, v)
    if "currency" in raw:
        v = expect_str(Raw(raw["currency"], src.child("currency")), ctx, what="a currency code")
        if v is not INVALID:
            out.currency = v
    return out
