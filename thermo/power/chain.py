"""The power chain of an AI hall, from the GPUs to the grid meter, and its metrics.

Order (each arrow a model of this package; powers are step means)::

    IT load (GPU floor)  --PSU storage-->  rack input = IT meter
      --distribution losses-->  UPS output  --UPS curve-->  UPS input
      + cooling electricity + other loads  =  facility meter
      --site battery (ramp limit, cap, price/carbon target)-->  grid meter

Cooling electricity is quasi-steady: ``cooling_per_it × (IT power averaged over
cooling_window_s) + cooling_fixed_W`` (``cooling_per_it`` from the solved thermal network of the
case, pumps and fans over IT heat at the design point; the window, default 60 s, stands for the
thermal inertia of the liquid loops: assumption [?], the issue's "quasi-steady at ≥ 1 min").
Heat from UPS and distribution losses is not added to the liquid-cooling load (assumption:
electrical rooms are air-cooled; their cooling is part of ``other_W``).

>>> import numpy as np
>>> from thermo.power.chain import PowerChain, simulate
>>> from thermo.power.profile import ITPower
>>> it = ITPower(1.0, np.full(60, 1e6), np.zeros(60), np.full(60, 1e3), 1e6)
>>> run = simulate(PowerChain(), it)
>>> round(run.metrics["pue"], 6)      # no UPS, no losses, no cooling: facility = IT
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermo.errors import InputError
from thermo.power.profile import ITPower
from thermo.power.signals import GridSignals, hourly_to_steps, soc_schedule
from thermo.power.storage import DispatchResult, Storage, dispatch
from thermo.power.ups import UPS, Distribution

__all__ = ["PowerChain", "PowerRun", "simulate", "moving_mean"]

J_PER_KWH = 3.6e6


@dataclass(frozen=True)
class PowerChain:
    """Everything between the IT load and the grid meter (all optional).

    Parameters
    ----------
    psu : Storage, optional
        Rack-level PSU storage (summed over the hall).
    psu_ramp_W_per_s : float
        Ramp limit the PSUs hold at their input [W/s] (hall total).
    psu_window_s : float
        The PSU input follows the load's trailing mean over this window [s] (default 10 s, five
        2-s iterations: assumption [?]).
    distribution : Distribution, optional
    ups : UPS, optional
    cooling_per_it : float
        Cooling electricity per watt of IT power [-] (from the thermal network).
    cooling_fixed_W, other_W : float
        Constant cooling and other facility loads [W].
    cooling_window_s : float
        Averaging window of the quasi-steady cooling [s].
    battery : Storage, optional
        Site battery at the facility bus.
    ramp_W_per_s, cap_W : float
        Grid limits: ramp rate [W/s] and peak [W].
    recharge_time_s : float
        Pull of the battery toward its SoC target [s].
    signals : GridSignals, optional
        Hourly price and carbon; with ``charge_on`` they set the battery's SoC target.
    charge_on : str
        ``"price"``, ``"carbon"`` or ``"none"`` (constant mid-window target).
    charge_hours, discharge_hours : int
        Hours per day of charging and discharging targets.
    reserve : float
        Share of the SoC window kept in discharge hours for the grid limits [-].
    """

    psu: Storage | None = None
    psu_ramp_W_per_s: float = math.inf
    psu_window_s: float = 10.0
    distribution: Distribution | None = None
    ups: UPS | None = None
    cooling_per_it: float = 0.0
    cooling_fixed_W: float = 0.0
    other_W: float = 0.0
    cooling_window_s: float = 60.0
    battery: Storage | None = None
    ramp_W_per_s: float = math.inf
    cap_W: float = math.inf
    recharge_time_s: float = 900.0
    signals: GridSignals | None = None
    charge_on: str = "none"
    charge_hours: int = 6
    discharge_hours: int = 4
    reserve: float = 0.3

    def __post_init__(self) -> None:
        if self.charge_on not in ("price", "carbon", "none"):
            raise InputError(
                f'charge_on must be "price", "carbon" or "none", got {self.charge_on!r}',
                key="battery.charge_on",
                value=self.charge_on,
            )
        for k in ("cooling_per_it", "cooling_fixed_W", "other_W"):
            v = getattr(self, k)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"{k} must be >= 0, got {v!r}", key=k, value=v)
        for k in ("ramp_W_per_s", "cap_W", "psu_ramp_W_per_s", "cooling_window_s"):
            v = getattr(self, k)
            if not v > 0:
                raise InputError(f"{k} must be > 0, got {v!r}", key=k, value=v)


@dataclass(eq=False)
class PowerRun:
    """Result of :func:`simulate`: per-step series (``series``, SI, unit-suffixed keys), the
    two storage dispatches and the scalar ``metrics``."""

    step_s: float
    series: dict[str, np.ndarray]
    psu: DispatchResult
    battery: DispatchResult
    metrics: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)


def moving_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing mean over ``window`` steps (shorter at the start), by cumulative sums."""
    w = max(int(window), 1)
    c = np.concatenate(([0.0], np.cumsum(x)))
    idx = np.arange(1, x.size + 1)
    lo = np.maximum(idx - w, 0)
    return (c[idx] - c[lo]) / (idx - lo)


def _ramp_stats(p: np.ndarray, step_s: float, limit: float) -> dict[str, float]:
    if p.size < 2:
        return {"max_ramp_W_per_s": 0.0, "ramp_violation_share": 0.0, "ramp_violations": 0.0}
    r = np.abs(np.diff(p)) / step_s
    bad = r > limit * (1 + 1e-9) + 1e-9 if math.isfinite(limit) else np.zeros(r.size, bool)
    return {
        "max_ramp_W_per_s": float(r.max()),
        "ramp_p99_W_per_s": float(np.percentile(r, 99)),
        "ramp_violations": float(bad.sum()),
        "ramp_violation_share": float(bad.mean()),
    }


def simulate(chain: PowerChain, it: ITPower) -> PowerRun:
    """Run the chain over the IT power ``it``; see the module notes for the order."""
    dt = it.step_s
    n = len(it)
    flags: list[str] = []
    psu = dispatch(
        it.power_W,
        dt,
        chain.psu,
        ramp_W_per_s=chain.psu_ramp_W_per_s,
        recharge_time_s=max(10.0 * dt, 30.0),
        follow_window_s=chain.psu_window_s,
    )
    rack = psu.meter_W
    dist_loss = chain.distribution.losses_W(rack) if chain.distribution else np.zeros(n)
    ups_out = rack + dist_loss
    if chain.ups is not None:
        ups_loss = chain.ups.losses_W(ups_out)
        over = ups_out > chain.ups.rated_W * (1 + 1e-12)
        if over.any():
            flags.append(
                f"UPS overloaded in {int(over.sum())} steps (peak {ups_out.max() / 1e6:.3f} MW "
                f"> rated {chain.ups.rated_W / 1e6:.3f} MW): its curve is extrapolated there"
            )
    else:
        ups_loss = np.zeros(n)
    window = max(int(round(chain.cooling_window_s / dt)), 1)
    cooling = chain.cooling_per_it * moving_mean(rack, window) + chain.cooling_fixed_W
    facility = ups_out + ups_loss + cooling + chain.other_W

    target = None
    price = carbon = None
    if chain.signals is not None:
        if chain.signals.price_per_J is not None:
            price = hourly_to_steps(chain.signals.price_per_J, n, dt, "price")
        if chain.signals.carbon_kg_per_J is not None:
            carbon = hourly_to_steps(chain.signals.carbon_kg_per_J, n, dt, "carbon")
    if chain.battery is not None and chain.charge_on != "none":
        sig = chain.signals
        hourly = (
            None
            if sig is None
            else (sig.price_per_J if chain.charge_on == "price" else sig.carbon_kg_per_J)
        )
        if hourly is None:
            raise InputError(
                f"charge_on = {chain.charge_on!r} needs a {chain.charge_on} column in the "
                "signals CSV",
                key="battery.charge_on",
            )
        b = chain.battery
        sched = soc_schedule(
            hourly, b.soc_min, b.soc_max, chain.charge_hours, chain.discharge_hours, chain.reserve
        )
        target = hourly_to_steps(sched, n, dt, chain.charge_on)
    bat = dispatch(
        facility,
        dt,
        chain.battery,
        ramp_W_per_s=chain.ramp_W_per_s,
        cap_W=chain.cap_W,
        soc_target=target,
        recharge_time_s=chain.recharge_time_s,
    )
    grid = bat.meter_W
    series = {
        "it_load_W": np.asarray(it.power_W),
        "gpu_floor_W": np.asarray(it.floor_W),
        "it_meter_W": rack,
        "distribution_loss_W": dist_loss,
        "ups_loss_W": ups_loss,
        "cooling_W": cooling,
        "facility_W": facility,
        "grid_W": grid,
        "battery_charge_W": bat.charge_W,
        "battery_discharge_W": bat.discharge_W,
        "psu_charge_W": psu.charge_W,
        "psu_discharge_W": psu.discharge_W,
        "tokens": np.asarray(it.tokens),
    }
    if price is not None:
        series["price_per_J"] = price
    if carbon is not None:
        series["carbon_kg_per_J"] = carbon
    run = PowerRun(dt, series, psu, bat, flags=flags)
    run.metrics = _metrics(chain, run, price, carbon)
    _flag_shortfalls(run)
    return run


def _metrics(
    chain: PowerChain, run: PowerRun, price: np.ndarray | None, carbon: np.ndarray | None
) -> dict[str, float]:
    s, dt = run.series, run.step_s
    e = {k: float(np.sum(s[k]) * dt) for k in ("it_load_W", "it_meter_W", "facility_W", "grid_W")}
    tokens = float(np.sum(s["tokens"]))
    m: dict[str, float] = {
        "simulated_s": float(len(s["grid_W"]) * dt),
        "steps": float(len(s["grid_W"])),
        "step_s": dt,
        "it_energy_kWh": e["it_meter_W"] / J_PER_KWH,
        "facility_energy_kWh": e["facility_W"] / J_PER_KWH,
        "grid_energy_kWh": e["grid_W"] / J_PER_KWH,
        "gpu_floor_energy_kWh": float(np.sum(s["gpu_floor_W"]) * dt) / J_PER_KWH,
        "psu_storage_loss_kWh": run.psu.losses_J / J_PER_KWH,
        "distribution_loss_kWh": float(np.sum(s["distribution_loss_W"]) * dt) / J_PER_KWH,
        "ups_loss_kWh": float(np.sum(s["ups_loss_W"]) * dt) / J_PER_KWH,
        "battery_loss_kWh": run.battery.losses_J / J_PER_KWH,
        "cooling_energy_kWh": float(np.sum(s["cooling_W"]) * dt) / J_PER_KWH,
        "it_peak_W": float(np.max(s["it_load_W"])),
        "facility_peak_W": float(np.max(s["facility_W"])),
        "grid_peak_W": float(np.max(s["grid_W"])),
        "grid_min_W": float(np.min(s["grid_W"])),
        "pue": e["facility_W"] / e["it_meter_W"] if e["it_meter_W"] > 0 else math.nan,
        "tokens": tokens,
        "battery_cycles": run.battery.full_cycles(dt),
        "psu_cycles": run.psu.full_cycles(dt),
        "battery_throughput_kWh": float(np.sum(run.battery.discharge_W)) * dt / J_PER_KWH,
        "battery_balance_error": run.battery.balance_error(dt),
        "psu_balance_error": run.psu.balance_error(dt),
    }
    if run.battery.storage is not None:
        m["battery_soc_min"] = float(run.battery.soc.min())
        m["battery_soc_max"] = float(run.battery.soc.max())
    for meter, key in (("it", "it_meter_W"), ("facility", "facility_W"), ("grid", "grid_W")):
        kwh = e[key] / J_PER_KWH
        m[f"tokens_per_kWh_{meter}"] = tokens / kwh if kwh > 0 else math.nan
        m[f"kWh_per_Mtok_{meter}"] = kwh / (tokens / 1e6) if tokens > 0 else math.nan
    rs = _ramp_stats(s["grid_W"], dt, chain.ramp_W_per_s)
    m.update({f"grid_{k}": v for k, v in rs.items()})
    m["ramp_limit_W_per_s"] = chain.ramp_W_per_s
    m["cap_W"] = chain.cap_W
    over = s["grid_W"] > chain.cap_W * (1 + 1e-9) if math.isfinite(chain.cap_W) else None
    m["grid_cap_violations"] = 0.0 if over is None else float(over.sum())
    m["grid_cap_violation_share"] = 0.0 if over is None else float(over.mean())
    m["shortfall_steps"] = float(np.count_nonzero(np.abs(run.battery.shortfall_W) > 1e-6))
    m["shortfall_energy_kWh"] = float(np.sum(np.abs(run.battery.shortfall_W))) * dt / J_PER_KWH
    if price is not None:
        m["energy_cost"] = float(np.sum(s["grid_W"] * price) * dt)
        m["cost_per_Mtok"] = m["energy_cost"] / (tokens / 1e6) if tokens > 0 else math.nan
    if carbon is not None:
        m["carbon_kg"] = float(np.sum(s["grid_W"] * carbon) * dt)
        m["carbon_kg_per_Mtok"] = m["carbon_kg"] / (tokens / 1e6) if tokens > 0 else math.nan
    return m


def _flag_shortfalls(run: PowerRun) -> None:
    m = run.metrics
    psu_short = np.abs(run.psu.shortfall_W) > 1e-6
    if psu_short.any():
        run.flags.append(
            f"PSU storage could not hold its input ramp limit in {int(psu_short.sum())} steps "
            "(the rest of the swing reached the facility bus)"
        )
    if m["shortfall_steps"] > 0:
        sf = run.battery.shortfall_W
        up = int(np.count_nonzero(sf > 1e-6))
        down = int(np.count_nonzero(sf < -1e-6))
        run.flags.append(
            f"battery could not hold the grid limits in {up + down} steps ({up} empty or at its "
            f"discharge limit, {down} full or at its charge limit; "
            f"{m['shortfall_energy_kWh']:.3g} kWh outside the limits)"
        )
    if m["grid_ramp_violations"] > 0:
        run.flags.append(
            f"grid ramp limit exceeded in {int(m['grid_ramp_violations'])} steps "
            f"({100 * m['grid_ramp_violation_share']:.2f} % of the time; worst "
            f"{m['grid_max_ramp_W_per_s'] / 1e6 * 60:.3g} MW/min)"
        )
    if m["grid_cap_violations"] > 0:
        run.flags.append(
            f"grid peak cap exceeded in {int(m['grid_cap_violations'])} steps (peak "
            f"{m['grid_peak_W'] / 1e6:.3f} MW > cap {m['cap_W'] / 1e6:.3f} MW)"
        )


def describe_chain(chain: PowerChain) -> dict[str, Any]:
    """The chain's parameters (JSON-friendly)."""
    out: dict[str, Any] = {}
    for k in ("psu", "battery"):
        st = getattr(chain, k)
        if st is not None:
            out[k] = {
                "energy_kWh": st.energy_J / J_PER_KWH,
                "charge_W": st.charge_W,
                "discharge_W": st.discharge_W,
                "soc_window": [st.soc_min, st.soc_max],
                "round_trip_efficiency": st.round_trip,
            }
    if chain.ups is not None:
        out["ups"] = {"rated_W": chain.ups.rated_W, "mode": chain.ups.mode}
    out["ramp_limit_W_per_s"] = chain.ramp_W_per_s
    out["cap_W"] = chain.cap_W
    out["cooling_per_it"] = chain.cooling_per_it
    return out
