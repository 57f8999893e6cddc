"""Hourly energy balance and annual summary of a data centre that reuses its heat (numpy/pandas).

Input: one row per hour (W, averaged over the hour) of what the solved network and the
weather gave — IT power, heat into the liquid loops, pump, fan and heat-pump electricity, heat
delivered to the greenhouse directly and through the heat pump, heat rejected by the dry coolers,
greenhouse demand and boiler top-up. This module adds the rest of the facility (air cooling of the
heat not captured by liquid, power distribution losses, other loads; :mod:`thermo.facility.energy`)
and computes the annual metrics (:class:`~thermo.facility.metrics.FacilityMetrics`), the
greenhouse coverage, and what the reuse saves against a **boiler-only reference**: the same
greenhouse heated by the same boiler alone, whose water comes back at the rail return
temperature of each hour. Comparing with that reference (rather than dividing the reused heat by a
boiler efficiency) captures the interaction the heat reuse has with condensing boilers: preheated
water raises the top-up boiler's inlet temperature and lowers its efficiency (docs/references.md §7).

Accounting rules (each has a hand-checked test in ``tests/test_reuse_accounting.py``):

- **Heat reused is heat that serves the demand.** Per hour, what the data centre offers the
  greenhouse (``heat_offered_W``: exchanger plus heat-pump condensers) is credited only up to the
  hour's demand, less whatever the greenhouse received beyond its demand
  (``heat_surplus_W = max(delivered − demand, 0)``, reported as surplus, never as reuse).
  Coverage = heat reused / demand; the boiler-only reference heats the demand served,
  ``min(delivered, demand)``.
- **The fuel drives the savings.** ``boiler_fuel = "gas"``: fuel avoided in m³ (HHV), gas CO₂
  and gas price; ``"electric"``: fuel avoided is grid electricity (MWh), grid CO₂ and electricity
  price. Both subtract the heat pumps' electricity at the grid factor and price.
- **Rejecting heat while buying heat** (dry coolers reject and the boiler fires in the same hour)
  is counted in hours and MWh (``reject_while_boiler_*``) and printed in the headline.
- **A reuse exchanger running backwards** (boiler heat into the data-centre loop,
  ``reuse_reverse_W`` from :func:`thermo.case.annual_reuse.reuse_columns`) is counted in hours,
  MWh and peak kW and printed in the headline; it is never credited as reuse.

Energy closure of the year: the network balances every hour exactly (to the solver tolerance); the
annual figure ``closure_rel`` is the largest of the network's (net heat of all branches over the
heat exchanged) and the facility identity (facility = IT + cooling + heat pump + distribution +
other) over the year.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ReuseEconomics", "annual_balance", "HOURLY_NETWORK_COLUMNS"]

HOURLY_NETWORK_COLUMNS = (
    "it_power_W",
    "heat_to_liquid_W",
    "pump_power_W",
    "fan_power_W",
    "heat_pump_power_W",
    "heat_reused_W",
    "heat_reused_direct_W",
    "heat_pump_heat_W",
    "heat_pump_source_W",
    "heat_rejected_W",
    "greenhouse_demand_W",
    "greenhouse_delivered_W",
    "boiler_heat_W",
    "boiler_fuel_W",
    "unmet_W",
    "heat_net_W",
    "heat_gross_W",
)
"""Columns the hourly table must hold (W); the temperatures are optional."""

KWH = 3.6e6
MWH = 3.6e9


@dataclass(frozen=True)
class ReuseEconomics:
    """Prices and factors of the savings accounting (SI; defaults: the Manitoba scenario of
    :mod:`thermo.facility.metrics`, docs/references.md §7)."""

    gas_price: float
    """Natural gas [currency/m³]."""
    electricity_price: float
    """Electricity [currency/J]."""
    grid_co2: float
    """Grid emission factor [kg/J]."""
    gas_hhv: float
    """Natural-gas higher heating value [J/m³]."""
    gas_co2: float
    """Natural-gas combustion CO₂ [kg/m³]."""
    currency: str = "CAD"

    @classmethod
    def defaults(cls, **overrides: Any) -> ReuseEconomics:
        from thermo.facility.metrics import (
            MANITOBA_ELECTRICITY_PRICE,
            MANITOBA_GAS_PRICE,
            MANITOBA_GRID_CO2_PER_J,
        )
        from thermo.plant.boiler import NATURAL_GAS_CO2_PER_M3, NATURAL_GAS_HHV

        values = dict(
            gas_price=MANITOBA_GAS_PRICE,
            electricity_price=MANITOBA_ELECTRICITY_PRICE,
            grid_co2=MANITOBA_GRID_CO2_PER_J,
            gas_hhv=NATURAL_GAS_HHV,
            gas_co2=NATURAL_GAS_CO2_PER_M3,
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def annual_balance(
    hourly: Any,
    facility: Any,
    *,
    reference_efficiency: Any,
    economics: ReuseEconomics | None = None,
    tokens_per_kWh: float | None = None,
    step_s: float = 3600.0,
    operation_start: str = "2026-07-01",
    assessment_date: str | None = None,
    boiler_fuel: str = "gas",
) -> tuple[Any, dict[str, Any]]:
    """Complete the hourly table with the facility balance; return it and the annual summary.

    Parameters
    ----------
    hourly : pandas.DataFrame
        One row per step with :data:`HOURLY_NETWORK_COLUMNS` [W]; ``greenhouse_return_C`` (the
        rail return temperature [°C]) is used for the boiler-only reference when present.
    facility : thermo.facility.energy.FacilityModel
        Air cooling, distribution losses and other loads.
    reference_efficiency : callable
        ``eta(T_return [K]) -> efficiency [-]`` of the boiler in the boiler-only reference (the
        case's own boiler model).
    economics : ReuseEconomics
        Prices and emission factors (default :meth:`ReuseEconomics.defaults`).
    tokens_per_kWh : float, optional
        AI tokens per kWh of IT energy (an input scenario, docs/references.md §4).
    operation_start, assessment_date : str
        For the EnEfG § 11 lines (default assessment: the start date).
    boiler_fuel : {"gas", "electric"}
        What the greenhouse boilers burn: the avoided fuel is natural gas (m³, gas CO₂ and
        price) or grid electricity (MWh, grid CO₂ and electricity price).

    Returns
    -------
    (hourly, annual) : pandas.DataFrame and dict
        The table with the facility columns added (``air_cooling_power_W``,
        ``distribution_loss_W``, ``other_power_W``, ``cooling_power_W``, ``facility_power_W``,
        ``heat_to_air_W``) and the annual figures (unit-suffixed keys; see ``docs/metrics.md``).
    """
    from thermo.facility.metrics import (
        FacilityMetrics,
        enefg_compliance,
        eu_eed_report_items,
    )

    if boiler_fuel not in ("gas", "electric"):
        from thermo.errors import InputError

        raise InputError(
            f'boiler_fuel must be "gas" or "electric", got {boiler_fuel!r}', key="boiler_fuel"
        )
    eco = economics or ReuseEconomics.defaults()
    h = hourly.copy()
    balance = facility.balance(
        h["it_power_W"].to_numpy(),
        pump_power=h["pump_power_W"].to_numpy(),
        fan_power=h["fan_power_W"].to_numpy(),
        heat_pump_power=h["heat_pump_power_W"].to_numpy(),
        heat_to_liquid=np.clip(h["heat_to_liquid_W"].to_numpy(), 0.0, None),
    )
    for key in (
        "heat_to_air_W",
        "air_cooling_power_W",
        "distribution_loss_W",
        "other_power_W",
        "cooling_power_W",
        "facility_power_W",
    ):
        h[key] = np.asarray(getattr(balance, key), dtype=float) * np.ones(len(h))

    # what the reuse is credited with: the heat that serves the greenhouse's demand (module
    # docstring); what the greenhouse receives beyond its demand is surplus, a reuse branch
    # running backwards (boiler heat into the data-centre loop) is reported, never credited
    offered = h["heat_reused_W"].to_numpy(dtype=float)
    delivered_all = h["greenhouse_delivered_W"].to_numpy(dtype=float)
    demand_h = h["greenhouse_demand_W"].to_numpy(dtype=float)
    surplus = np.maximum(delivered_all - demand_h, 0.0)
    useful = np.maximum(np.minimum(offered - surplus, demand_h), 0.0)
    hp_heat = h["heat_pump_heat_W"].to_numpy(dtype=float)
    h["heat_offered_W"] = offered
    h["heat_offered_direct_W"] = h["heat_reused_direct_W"].to_numpy(dtype=float)
    h["heat_surplus_W"] = surplus
    h["heat_reused_W"] = useful
    h["heat_reused_direct_W"] = useful - np.clip(hp_heat, 0.0, useful)
    if "reuse_reverse_W" not in h:
        h["reuse_reverse_W"] = 0.0
    served = np.minimum(delivered_all, demand_h)
    threshold = max(1e3, 1e-4 * float(np.max(h["it_power_W"].to_numpy(), initial=0.0)))
    rejected_h = h["heat_rejected_W"].to_numpy(dtype=float)
    boiler_h = h["boiler_heat_W"].to_numpy(dtype=float)
    buying = (rejected_h > threshold) & (boiler_h > threshold)
    h["reject_while_boiler_W"] = np.where(buying, rejected_h, 0.0)
    reverse_h = h["reuse_reverse_W"].to_numpy(dtype=float)
    backwards = reverse_h > threshold
    surplus_hours = surplus > threshold

    def total(col: str) -> float:
        return float(h[col].sum() * step_s)

    E = {c: total(c) for c in (*HOURLY_NETWORK_COLUMNS, *h.columns[h.columns.str.endswith("_W")])}
    tokens = None if tokens_per_kWh is None else tokens_per_kWh * E["it_power_W"] / KWH
    demand = E["greenhouse_demand_W"]
    metrics = FacilityMetrics.from_energies(
        E["facility_power_W"],
        E["it_power_W"],
        E["heat_reused_W"],
        E_heat_upgrade=E["heat_pump_power_W"],
        tokens=tokens,
        grid_co2_per_J=eco.grid_co2,
        greenhouse_heat_demand=demand if demand > 0 else None,
        gas_price=eco.gas_price,
        electricity_price=eco.electricity_price,
        gas_hhv=eco.gas_hhv,
        gas_co2_per_m3=eco.gas_co2,
        currency=eco.currency,
    )

    # boiler-only reference: the demand served, from the boiler alone, its water back at the
    # rail return temperature of each hour
    t_ret = h["greenhouse_return_C"].to_numpy() + 273.15 if "greenhouse_return_C" in h else None
    if t_ret is None:
        eta_ref = np.full(len(h), float(reference_efficiency(313.15)))
    else:
        eta_ref = np.asarray(reference_efficiency(t_ret), dtype=float) * np.ones(len(h))
    fuel_ref = float(np.sum(served / eta_ref) * step_s)
    fuel = E["boiler_fuel_W"]
    fuel_avoided = fuel_ref - fuel
    hp_el = E["heat_pump_power_W"]
    if boiler_fuel == "electric":
        gas_avoided = None
        electricity_avoided = fuel_avoided
        co2_avoided = (fuel_avoided - hp_el) * eco.grid_co2
        money = (fuel_avoided - hp_el) * eco.electricity_price
    else:
        gas_avoided = fuel_avoided / eco.gas_hhv
        electricity_avoided = None
        co2_avoided = gas_avoided * eco.gas_co2 - hp_el * eco.grid_co2
        money = gas_avoided * eco.gas_price - hp_el * eco.electricity_price

    # closure of the year: network heat balance and the facility identity
    net = abs(float(h["heat_net_W"].sum()))
    gross = max(float(h["heat_gross_W"].sum()), 1e-300)
    parts = (
        h["it_power_W"]
        + h["cooling_power_W"]
        + h["heat_pump_power_W"]
        + h["distribution_loss_W"]
        + h["other_power_W"]
    )
    identity = abs(float((h["facility_power_W"] - parts).sum())) / max(
        float(h["facility_power_W"].sum()), 1e-300
    )
    closure = max(net / gross, identity)

    start = _dt.date.fromisoformat(operation_start)
    when = _dt.date.fromisoformat(assessment_date) if assessment_date else start
    compliance = enefg_compliance(
        E["facility_power_W"],
        E["it_power_W"],
        E["heat_reused_W"],
        start,
        assessment_date=when,
        E_heat_upgrade=hp_el,
    )
    eed = eu_eed_report_items(
        E["facility_power_W"],
        E["it_power_W"],
        E["heat_reused_W"],
        installed_it_power=float(h["it_power_W"].max()),
    )
    m = metrics.to_dict()
    annual: dict[str, Any] = {
        "hours": len(h),
        "it_energy_MWh": E["it_power_W"] / MWH,
        "facility_energy_MWh": E["facility_power_W"] / MWH,
        "cooling_energy_MWh": E["cooling_power_W"] / MWH,
        "pump_energy_MWh": E["pump_power_W"] / MWH,
        "fan_energy_MWh": E["fan_power_W"] / MWH,
        "air_cooling_energy_MWh": E["air_cooling_power_W"] / MWH,
        "heat_pump_energy_MWh": hp_el / MWH,
        "distribution_loss_MWh": E["distribution_loss_W"] / MWH,
        "other_energy_MWh": E["other_power_W"] / MWH,
        "heat_to_liquid_MWh": E["heat_to_liquid_W"] / MWH,
        "heat_reused_MWh": E["heat_reused_W"] / MWH,
        "heat_reused_direct_MWh": E["heat_reused_direct_W"] / MWH,
        "heat_pump_heat_MWh": E["heat_pump_heat_W"] / MWH,
        "heat_rejected_MWh": E["heat_rejected_W"] / MWH,
        "greenhouse_demand_MWh": demand / MWH,
        "greenhouse_delivered_MWh": E["greenhouse_delivered_W"] / MWH,
        "boiler_heat_MWh": E["boiler_heat_W"] / MWH,
        "boiler_fuel_MWh": fuel / MWH,
        "unmet_MWh": E["unmet_W"] / MWH,
        "greenhouse_coverage": E["heat_reused_W"] / demand if demand > 0 else None,
        "heat_offered_MWh": E["heat_offered_W"] / MWH,
        "heat_offered_direct_MWh": E["heat_offered_direct_W"] / MWH,
        "heat_surplus_MWh": E["heat_surplus_W"] / MWH,
        "surplus_hours": int(surplus_hours.sum()),
        "reject_while_boiler_hours": int(buying.sum()),
        "reject_while_boiler_MWh": E["reject_while_boiler_W"] / MWH,
        "reuse_reverse_hours": int(backwards.sum()),
        "reuse_reverse_MWh": E["reuse_reverse_W"] / MWH,
        "reuse_reverse_max_kW": float(np.max(reverse_h, initial=0.0)) / 1e3,
        "pue": m["pue"],
        "pue_enefg": m["pue_enefg"],
        "ere": m["ere"],
        "erf": m["erf"],
        "cue_kg_per_kWh": m["cue_kg_per_kWh"],
        "tokens": m["tokens"],
        "tokens_per_kWh_gross": m["tokens_per_kWh_gross"],
        "tokens_per_kWh_it": (None if tokens_per_kWh is None else float(tokens_per_kWh)),
        "boiler_fuel": boiler_fuel,
        "boiler_only_fuel_MWh": fuel_ref / MWH,
        "fuel_avoided_MWh": fuel_avoided / MWH,
        "gas_avoided_m3": gas_avoided,
        "electricity_avoided_MWh": (
            None if electricity_avoided is None else electricity_avoided / MWH
        ),
        "co2_avoided_t": co2_avoided / 1000.0,
        f"money_saved_{eco.currency}": money,
        "closure_rel": closure,
        "enefg": [c.to_dict() for c in compliance],
        "eu_eed": [r.to_dict() for r in eed],
    }
    return h, annual
