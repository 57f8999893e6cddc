"""Annual heat-reuse runs of a case: greenhouse drives, hourly reuse quantities, annual balance.

Used by :mod:`thermo.case.runner` when a case has a ``[greenhouse]`` section or facility-model
keys in ``[facility]``. Three steps:

1. :func:`greenhouse_sources` — the hourly greenhouse heat balance (:class:`thermo.greenhouse.
   Greenhouse` on the weather year) and the supply temperature at which the case's rails deliver
   each hour's demand at the loop flow (:func:`thermo.components.greenhouse.
   rail_supply_temperature`): the drive sources ``greenhouse_demand``,
   ``greenhouse_air_temperature`` and ``greenhouse_supply_temperature``.
2. :func:`reuse_columns` — per solved hour, the network quantities the facility balance needs
   (IT heat into the liquid, pump/fan/heat-pump electricity, heat reused, rejected, boiler).
3. :func:`finish` — :func:`thermo.facility.annual.annual_balance` on the hourly table.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from thermo.case.checks import reused_heat

__all__ = ["greenhouse_sources", "reuse_columns", "finish", "is_reuse_study"]

KELVIN = 273.15


def is_reuse_study(case: Any) -> bool:
    fac = case.model.facility
    return case.greenhouse is not None or (
        fac is not None
        and fac.model is not None
        and bool(
            fac.model.heat_pump_branches
            or fac.model.boiler_branches
            or fac.model.rejection_branches
        )
    )


def greenhouse_sources(case: Any, weather: Any, hours: int) -> dict[str, np.ndarray]:
    """Hourly ``greenhouse_demand`` [W], ``greenhouse_air_temperature`` and
    ``greenhouse_supply_temperature`` [K] of the case's greenhouse on ``weather``."""
    from thermo.components.greenhouse import rail_supply_temperature

    gh = case.greenhouse
    balance = gh.greenhouse().heat_balance(weather)
    demand = np.asarray(balance.demand[:hours], dtype=float)
    t_air = np.asarray(balance.setpoint[:hours], dtype=float)
    rail = case.model.branch_object[gh.rail]
    inlet, _ = case.model.branch_ports[gh.rail]
    coolant = case.model.node_coolant.get(inlet)
    t_sup, _ = rail_supply_temperature(
        demand,
        t_air,
        gh.flow,
        length=rail.length,
        diameter=rail.diameter,
        emissivity=rail.emissivity,
        coolant=coolant,
        t_max=gh.max_supply_temperature,
    )
    return {
        "greenhouse_demand": demand,
        "greenhouse_air_temperature": t_air,
        # no demand: the supply just above the air (a warm loop, nothing to deliver)
        "greenhouse_supply_temperature": np.maximum(np.asarray(t_sup, dtype=float), t_air + 1.0),
    }


def _sum(view: Any, branches: list[str], column: str | None = None) -> float:
    total = 0.0
    for b in branches:
        v = view.Q(b) if column is None else view.column(b, column)
        if math.isfinite(v):
            total += v
    return total


def _roles(case: Any) -> tuple[list[str], list[str], list[str], list[str]]:
    """Pumps, fans (dry coolers), heat-pump condensers and evaporators of the data centre
    (computed once per case: the probe asks every hour)."""
    cached = case.__dict__.get("_reuse_roles")
    if cached is None:
        model = case.model
        fm = model.facility.model
        outside = set(fm.outside_branches) if fm is not None else set()
        cls = model.branch_class.items()
        pumps = [b for b, c in cls if c == "Pump" and b not in outside]
        fans = [b for b, c in cls if c == "DryCooler" and b not in outside]
        hp = fm.heat_pump_branches if fm is not None else []
        cond = [b for b in hp if b.endswith(".condenser")]
        evap = [b for b in hp if b.endswith(".evaporator")]
        cached = case.__dict__["_reuse_roles"] = (pumps, fans, cond, evap)
    return cached


def reuse_columns(case: Any, view: Any) -> dict[str, float]:
    """The hourly network quantities of a reuse study [W, °C] (see
    :data:`thermo.facility.annual.HOURLY_NETWORK_COLUMNS`; ``heat_net_W`` and ``heat_gross_W``
    are added by :func:`finish` from the hourly summary's heat added and removed)."""
    model = case.model
    fac = model.facility
    fm = fac.model
    pumps, fans, cond, evap = _roles(case)
    per_branch = [reused_heat(b, view.Q(b)) for b in fac.reuse_branches]
    per_branch = [q for q in per_branch if math.isfinite(q)]
    reused = sum(per_branch)
    reverse = sum(-q for q in per_branch if q < 0.0)
    hp_heat = _sum(view, cond)
    row = {
        "heat_to_liquid_W": _sum(view, fac.it_branches),
        "pump_power_W": _sum(view, pumps, "P_el_W"),
        "fan_power_W": _sum(view, fans, "fan_power_W"),
        "heat_pump_power_W": _sum(view, cond, "P_el_W"),
        "heat_reused_W": reused,
        "reuse_reverse_W": reverse,
        "heat_reused_direct_W": reused - (hp_heat if set(cond) <= set(fac.reuse_branches) else 0.0),
        "heat_pump_heat_W": hp_heat,
        "heat_pump_source_W": -_sum(view, evap),
        "heat_rejected_W": -_sum(view, fm.rejection_branches if fm is not None else []),
        "boiler_heat_W": _sum(view, fm.boiler_branches if fm is not None else []),
        "boiler_fuel_W": _sum(view, fm.boiler_branches if fm is not None else [], "fuel_W"),
    }
    gh = case.greenhouse
    if gh is not None:
        row["greenhouse_delivered_W"] = view.column(gh.rail, "Q_delivered_W")
        row["unmet_W"] = view.column(gh.rail, "unmet_W")
        inlet, outlet = model.branch_ports[gh.rail]
        row["T_greenhouse_supply_C"] = view.T(inlet) - KELVIN
        row["T_greenhouse_return_C"] = view.T(outlet) - KELVIN
        row["greenhouse_return_C"] = row["T_greenhouse_return_C"]
    else:
        row["greenhouse_delivered_W"] = reused
        row["unmet_W"] = 0.0
    out = case.outputs
    for key, col in (
        ("supply_node", "T_tcs_supply_C"),
        ("return_node", "T_tcs_return_C"),
        ("facility_supply_node", "T_facility_supply_C"),
        ("facility_return_node", "T_facility_return_C"),
    ):
        node = getattr(out, key, None)
        if node:
            row[col] = view.T(node) - KELVIN
    return row


def _reference_efficiency(case: Any):
    """``eta(T_return)`` of the case's (first) boiler, for the boiler-only reference."""
    fm = case.model.facility.model
    for b in fm.boiler_branches if fm is not None else []:
        plant = getattr(case.model.branch_object[b], "boiler", None)
        if plant is not None:
            return plant.efficiency
    from thermo.facility.metrics import GAS_BOILER_EFFICIENCY_DEFAULT

    return lambda T: np.full(np.shape(T), GAS_BOILER_EFFICIENCY_DEFAULT)


def boiler_fuel(case: Any) -> str:
    """``"electric"`` when every boiler of the case is electric, else ``"gas"``."""
    from thermo.plant.boiler import ElectricBoiler

    fm = case.model.facility.model
    plants = [
        getattr(case.model.branch_object[b], "boiler", None)
        for b in (fm.boiler_branches if fm is not None else [])
    ]
    plants = [p for p in plants if p is not None]
    if plants and all(isinstance(p, ElectricBoiler) for p in plants):
        return "electric"
    return "gas"


def facility_model(case: Any) -> Any:
    """The :class:`thermo.facility.energy.FacilityModel` of the case."""
    from thermo.facility.energy import FacilityModel

    fac = case.model.facility
    fm = fac.model
    kw: dict[str, Any] = {"other_power": fac.other_power}
    if fm is not None:
        if fm.air_cooling_cop is not None:
            kw["air_cooling_cop"] = fm.air_cooling_cop
        if fm.distribution_efficiency is not None:
            kw["distribution_efficiency"] = fm.distribution_efficiency
        kw["other_fraction"] = fm.other_fraction
    # the liquid's share is not a parameter here: the annual balance takes each hour's solved
    # heat of the IT branches (the air gets the rest of the IT power)
    return FacilityModel(**kw)


def finish(case: Any, table: Any, fraction: np.ndarray) -> tuple[Any, dict[str, Any]]:
    """The facility balance and annual summary of a reuse study (see
    :func:`thermo.facility.annual.annual_balance`)."""
    from thermo.facility.annual import ReuseEconomics, annual_balance

    fac = case.model.facility
    fm = fac.model
    if fac.it_power is not None:
        table["it_power_W"] = fac.it_power * np.asarray(fraction, dtype=float)
    else:
        table["it_power_W"] = table["heat_to_liquid_W"]
    if "greenhouse_demand_W" not in table:
        table["greenhouse_demand_W"] = table["greenhouse_delivered_W"]
    # the network's heat balance, from the hourly heat added and removed (runner.hourly_summary)
    table["heat_net_W"] = table["heat_added_W"] - table["heat_removed_W"]
    table["heat_gross_W"] = table["heat_added_W"] + table["heat_removed_W"]
    eco = ReuseEconomics.defaults(
        gas_price=getattr(fm, "gas_price", None),
        electricity_price=getattr(fm, "electricity_price", None),
        grid_co2=getattr(fm, "grid_co2", None),
        currency=getattr(fm, "currency", None),
    )
    hourly, annual = annual_balance(
        table,
        facility_model(case),
        reference_efficiency=_reference_efficiency(case),
        economics=eco,
        tokens_per_kWh=getattr(fm, "tokens_per_kWh", None),
        boiler_fuel=boiler_fuel(case),
    )
    from thermo.case.pilot import is_pilot, pilot_comparison

    if is_pilot(case):
        gh = case.greenhouse
        area = gh.kwargs.get("floor_area") if gh is not None else None
        annual["pilot_comparison"] = pilot_comparison(
            hourly, annual, area, eco.electricity_price * 3.6e6
        )
    return hourly, annual
