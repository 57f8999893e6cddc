"""Economics of one study run: capital cost from the case's component sizes, yearly money flows
from the run's annual energies, and LCOH / NPV / payback (``[study.economics]``).

.. code-block:: toml

    [study.economics]
    currency = "CAD"
    discount_rate = 0.06          # per year
    lifetime = 20                 # years
    installation_factor = 2.5     # installed / purchased cost (items may override)
    om_fraction = 0.02            # yearly operation and maintenance, share of installed cost
    electricity_price = 0.0873    # currency per kWh (a number, or one value per year)
    gas_price = 0.045             # currency per kWh of fuel
    carbon_price = 95.0           # currency per t CO2
    fx = { USD = 1.35, EUR = 1.50 }   # currency units per curve currency (assumptions)
    escalation = { USD = 1.5 }        # cost index ratio, the curve's year to today (optional)

    [[study.economics.equipment]]
    curve = "plate_heat_exchanger"
    size = "components.gh_hx.ua"  # a key path of the case, or a quantity ("420 m2")
    per = "4000 W/(m2*K)"         # size / per -> the curve's unit (here UA / U = area)

Yearly flows (keys of the run's annual summary, reuse studies): heat = ``heat_reused_MWh``;
extra electricity = ``heat_pump_energy_MWh``; fuel saved = ``boiler_only_fuel_MWh`` -
``boiler_fuel_MWh``; CO2 saved = ``co2_avoided_t``. A run shorter than a year is scaled to
8760 h (``economics_scaled_from_hours`` says so; seasons then weigh wrongly -- use full years for
decisions).
"""

from __future__ import annotations

import math
from typing import Any

from thermo.case.problems import Problem, Where, suggest
from thermo.economics.costs import CURVES, installed_cost, purchased_cost
from thermo.economics.finance import crf, discounted_payback, lcoh, npv, series, simple_payback

__all__ = ["validate_economics", "evaluate", "quantity"]

ECON_KEYS = (
    "currency",
    "discount_rate",
    "lifetime",
    "installation_factor",
    "om_fraction",
    "electricity_price",
    "gas_price",
    "carbon_price",
    "fx",
    "escalation",
    "equipment",
    "heat",
    "electricity",
    "fuel_saved",
    "co2_saved",
)
ITEM_KEYS = ("name", "curve", "size", "per", "length", "installation_factor")


def quantity(value: Any) -> float:
    """A number, or text with a unit (``"2.5 MW/K"``) -> SI float."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    from thermo.errors import InputError
    from thermo.units import _POWER_SHORTHAND, registry

    text = _POWER_SHORTHAND.sub(r"\1^\2", str(value).strip())
    try:
        q = registry().Quantity(text)
    except Exception as exc:  # pint raises several types for bad text
        raise InputError(f"cannot read {value!r} as a quantity: {exc}", value=value) from None
    return float(q.to_base_units().magnitude)


def _lookup(data: dict, key: str) -> Any:
    from thermo.study.keys import key_steps

    node: Any = data
    for step in key_steps(key):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise KeyError(key)
        elif not isinstance(node, dict) or step not in node:
            raise KeyError(key)
        node = node[step]
    return node


def validate_economics(table: Any, label: str) -> list[Problem]:
    """Problems of a ``[study.economics]`` table (key paths of sizes are checked per run)."""
    out: list[Problem] = []

    def bad(msg: str, *sub: Any) -> None:
        out.append(Problem(msg, Where(label, ("study", "economics", *sub))))

    if not isinstance(table, dict):
        bad(f"expected a table, got {table!r}")
        return out
    for k in table:
        if k not in ECON_KEYS:
            bad(f"unknown key `{k}`{suggest(k, ECON_KEYS)}", k)
    for k in ("discount_rate", "lifetime"):
        if k not in table:
            bad(f"missing `{k}`")
    r = table.get("discount_rate", 0.0)
    if not isinstance(r, (int, float)) or isinstance(r, bool) or not -1 < r < 1:
        bad(f"expected a yearly rate such as 0.06, got {r!r}", "discount_rate")
    n = table.get("lifetime", 1)
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 100:
        bad(f"expected whole years (1-100), got {n!r}", "lifetime")
    for k in ("installation_factor",):
        v = table.get(k, 1.0)
        if not isinstance(v, (int, float)) or v < 1:
            bad(f"expected a factor >= 1, got {v!r}", k)
    for k in ("electricity_price", "gas_price", "carbon_price", "om_fraction"):
        v = table.get(k, 0.0)
        vals = v if isinstance(v, list) else [v]
        if not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0 for x in vals
        ):
            bad(f"expected a number >= 0 or an array of one per year, got {v!r}", k)
        elif isinstance(v, list) and isinstance(n, int) and len(v) != n:
            bad(f"{len(v)} yearly values for a lifetime of {n} years", k)
    fx = table.get("fx", {})
    if not isinstance(fx, dict):
        bad(f"expected a table currency -> rate, got {fx!r}", "fx")
        fx = {}
    cur = table.get("currency", "")
    items = table.get("equipment", [])
    if not isinstance(items, list):
        bad("expected an array of tables ([[study.economics.equipment]])", "equipment")
        items = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            bad(f"expected a table, got {item!r}", "equipment", i)
            continue
        for k in item:
            if k not in ITEM_KEYS:
                bad(f"unknown key `{k}`{suggest(k, ITEM_KEYS)}", "equipment", i, k)
        c = item.get("curve")
        if c not in CURVES:
            bad(
                f"unknown cost curve {c!r}{suggest(str(c), CURVES)} (known: {', '.join(CURVES)})",
                "equipment",
                i,
                "curve",
            )
            continue
        ccur = CURVES[c].currency
        if ccur != cur and ccur not in fx:
            bad(
                f"curve {c} is in {ccur}: give fx.{ccur} (units of {cur or 'the currency'} per "
                f"{ccur})",
                "fx",
            )
        if "size" not in item:
            bad("missing `size` (a key path of the case or a quantity)", "equipment", i)
        if CURVES[c].per_length and "length" not in item:
            bad("a per-metre curve needs `length` (a key path or a quantity)", "equipment", i)
    return out


def _value(data: dict, spec: Any) -> float:
    if isinstance(spec, str):
        try:
            spec = _lookup(data, spec)
        except KeyError:
            pass
    return quantity(spec)


def evaluate(econ: dict, data: dict, row: dict, hours: int | None) -> dict[str, float]:
    """Economic metrics of one run (``row``: its summary) of the case document ``data``."""
    cur = econ.get("currency", "")
    tag = f"_{cur}" if cur else ""
    r = float(econ["discount_rate"])
    n = int(econ["lifetime"])
    fx = econ.get("fx", {})
    capex = 0.0
    out: dict[str, float] = {}
    for item in econ.get("equipment", []):
        c = CURVES[item["curve"]]
        size_si = _value(data, item["size"])
        if "per" in item:
            size_si /= _value(data, item["per"])
        size = size_si / c.si_per_unit
        length = _value(data, item["length"]) if "length" in item else 1.0
        cost, units = purchased_cost(c, size, length=length)
        rate = 1.0 if c.currency == cur else float(fx[c.currency])
        rate *= float(econ.get("escalation", {}).get(c.currency, 1.0))
        default = 1.0 if c.installed else econ.get("installation_factor", 1.0)
        inst = installed_cost(cost * rate, float(item.get("installation_factor", default)))
        name = item.get("name", c.name)
        out[f"capex_{name.replace(' ', '_')}{tag}"] = inst
        capex += inst
    scale = 1.0
    if hours is not None and hours < 8760:
        scale = 8760.0 / hours
        out["economics_scaled_from_hours"] = float(hours)

    def get(key: str) -> float:
        v = row.get(key)
        return float(v) * scale if isinstance(v, (int, float)) and math.isfinite(v) else 0.0

    heat = get(econ.get("heat", "heat_reused_MWh"))
    elec = sum(get(k) for k in econ.get("electricity", ["heat_pump_energy_MWh"]))
    plus, minus = econ.get("fuel_saved", ["boiler_only_fuel_MWh", "boiler_fuel_MWh"])
    fuel_saved = get(plus) - get(minus)
    co2 = get(econ.get("co2_saved", "co2_avoided_t"))
    pe = series(econ.get("electricity_price", 0.0), n, "electricity_price") * 1e3
    pg = series(econ.get("gas_price", 0.0), n, "gas_price") * 1e3
    pc = series(econ.get("carbon_price", 0.0), n, "carbon_price")
    om = float(econ.get("om_fraction", 0.0)) * capex
    cost = elec * pe + om
    saving = fuel_saved * pg + co2 * pc - cost
    out.update(
        {
            f"capex{tag}": capex,
            f"annualised_cost{tag}_per_yr": capex * crf(r, n) + float(cost[0]),
            f"lcoh{tag}_per_MWh": lcoh(capex, cost, heat, r, n),
            f"annual_saving{tag}": float(saving[0]),
            f"npv{tag}": npv(capex, saving, r, n),
            "simple_payback_yr": simple_payback(capex, float(saving[0])),
            "discounted_payback_yr": discounted_payback(capex, saving, r, n),
        }
    )
    return out
