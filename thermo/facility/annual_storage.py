"""A heat-storage tank in the annual heat-reuse study: its state carried from hour to hour.

The tank (fully mixed water, volume ``V``) sits between the data centre and the greenhouse's
boiler feed (docs/facility.md, "Storage in the annual study")::

    module loop:      servers -> reuse exchanger -> [charging coil] -> dry coolers -> servers
    greenhouse loop:  rails -> pump -> reuse exchanger -> [tank, discharging] -> boilers -> rails

**Control** (each hour, decided from the stateless hour): the tank **charges** with the heat the
dry coolers would otherwise reject (the data centre's heat beyond what the greenhouse takes), via
a charging coil on the module water leaving the reuse exchanger (source temperature ``T_src``,
tank-side flow ``m_c``, approach ``ΔT_app``); it **discharges** when the boilers fire: a diverting
valve sends the boiler feed (flow ``m_f`` at the reuse exchanger's greenhouse outlet ``T_f``)
through the tank so that the feed is preheated by up to the boilers' duty. Both are rates with
limits, solved with the tank's end-of-hour temperature ``T`` (implicit Euler over ``Δt``)::

    M c (T - T0)/Δt = Qc(T) - Qd(T) - UA (T - T_amb)
    Qc(T) = clip(min(Q_surplus, m_c c (T_src - ΔT_app - T)), 0)     (0 when T >= T_max: full)
    Qd(T) = clip(min(Q_need,    m_f c (T - T_f)), 0)

The right-hand side is non-increasing in ``T`` and the left increasing, so the hour has one
solution; the equation is piecewise linear and is solved exactly (segment by segment). A charge
that would take the tank above ``T_max`` is cut to end the hour at ``T_max`` (flagged ``full``);
an hour whose need the tank could not meet because it is no warmer than the feed is flagged
``empty``.

**Why the network is not re-solved.** At these two places the tank changes only duties the
network's own controls absorb: the dry-cooler fans hold the servers' inlet temperature (so the
module water temperatures are unchanged and the dry coolers reject ``Q_surplus - Qc``), and the
boilers hold the rails' supply temperature (so the rails, the greenhouse return and the reuse
exchanger are unchanged and the boilers deliver ``Q_need - Qd``). The stateless year is therefore
solved once, batched, exactly as without the tank, and the tank is a sequential scalar recursion
on its hourly results: the year with a tank costs the stateless year plus milliseconds, and a sweep
of tank volumes re-uses one network year. Not captured: the dry-cooler fan power is that of the
stateless hour (an upper bound: the fans would do less when the tank takes part of the duty).

**Time discretisation.** Implicit Euler conserves energy exactly per hour (the hour's heat in,
out and lost are evaluated at the same ``T`` the stored energy is); its error is in the timing of
a temperature-limited exchange: for a mixed tank relaxing with time constant ``τ`` the hourly
factor ``1/(1 + Δt/τ)`` replaces ``exp(-Δt/τ)`` (local error ``≤ (Δt/τ)²/2`` of the distance to
equilibrium; ``thermo verify -k storage``). Rates limited by the surplus or the need (most hours)
are exact.

The other limit of mixing, an ideally stratified tank (plug flow, a stack of parcels in
temperature order), is :mod:`thermo.facility.stratified_storage` (``MixedTank(stratified=True)``;
same control, same ledger). :func:`apply_storage` with ``cyclic=True`` starts a run at the
temperature it ends at (one pre-pass), so a year carries no assumed initial state.

Heat loss: ``UA = U · A`` of a vertical cylinder (height/diameter ``aspect``, walls, roof and
floor), ``U = λ/t`` of the insulation (surface film resistances neglected: < 2 % for 100 mm of
mineral wool).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.errors import InputError

__all__ = ["MixedTank", "TankYear", "run_tank", "step_temperature", "apply_storage"]

KELVIN = 273.15
MWH = 3.6e9


@dataclass(frozen=True)
class MixedTank:
    """A fully mixed hot-water storage tank with its charging and discharging limits (SI).

    Parameters
    ----------
    volume : float
        Water volume [m³] (0: no tank; every hour then passes through unchanged).
    max_temperature : float
        Highest tank temperature [K] (charging stops there: ``full`` hours).
    initial_temperature : float
        Tank temperature at the start of the run [K].
    ambient_temperature : float
        Temperature around the tank [K] (plant room or outdoor design value).
    u_value : float
        Insulation's heat-loss coefficient [W/(m² K)].
    charge_flow : float
        Tank-side water flow through the charging coil [kg/s].
    charge_approach : float
        Coil approach: the tank is charged up to ``T_src - charge_approach`` [K].
    aspect : float
        Height / diameter of the cylinder [-].
    density, cp : float
        Water density [kg/m³] and specific heat [J/(kg K)] of the tank (default: water at 60 °C,
        IAPWS-95 via CoolProp: 983.2 kg/m³, 4185 J/(kg K)).
    """

    volume: float
    max_temperature: float
    initial_temperature: float
    ambient_temperature: float
    u_value: float
    charge_flow: float
    charge_approach: float = 2.0
    aspect: float = 1.0
    stratified: bool = False
    """False: fully mixed (this module); True: ideally stratified
    (:mod:`thermo.facility.stratified_storage`): the two limits of mixing."""
    outdoor: bool = False
    """True: the tank stands outdoors; :func:`apply_storage` takes the hour's dry-bulb
    temperature as its ambient (``ambient_temperature`` is then only the design value)."""
    density: float = 983.2
    cp: float = 4185.0

    def __post_init__(self) -> None:
        for key in ("volume", "u_value", "charge_flow", "charge_approach"):
            v = getattr(self, key)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"{key} must be finite and >= 0, got {v!r}", key=key)
        for key in ("aspect", "density", "cp", "max_temperature", "ambient_temperature"):
            v = getattr(self, key)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"{key} must be finite and > 0, got {v!r}", key=key)
        if not self.ambient_temperature < self.max_temperature:
            raise InputError(
                "ambient_temperature must be below max_temperature", key="ambient_temperature"
            )
        if not self.initial_temperature <= self.max_temperature:
            raise InputError(
                f"initial_temperature {self.initial_temperature - KELVIN:.2f} degC is above "
                f"max_temperature {self.max_temperature - KELVIN:.2f} degC",
                key="initial_temperature",
            )

    @property
    def capacity(self) -> float:
        """``M c`` [J/K]."""
        return self.density * self.volume * self.cp

    @property
    def area(self) -> float:
        """Outer surface of the cylinder (walls, roof, floor) [m²]."""
        if self.volume == 0:
            return 0.0
        d = (4.0 * self.volume / (math.pi * self.aspect)) ** (1.0 / 3.0)
        return math.pi * d * (self.aspect * d) + 2.0 * math.pi * d * d / 4.0

    @property
    def ua(self) -> float:
        """Heat-loss conductance [W/K]."""
        return self.u_value * self.area


def step_temperature(
    T0: float,
    *,
    capacity_rate: float,
    ua: float,
    T_amb: float,
    surplus: float,
    charge_rate: float,
    T_charge: float,
    need: float,
    feed_rate: float,
    T_feed: float,
) -> float:
    """End-of-step temperature [K] solving the implicit-Euler balance of the module docstring.

    ``capacity_rate = M c / Δt`` [W/K]; ``charge_rate = m_c c`` and ``feed_rate = m_f c`` [W/K];
    ``T_charge = T_src - ΔT_app`` [K]. The residual ``g(T) = capacity_rate (T - T0) + ua (T -
    T_amb) - Qc(T) + Qd(T)`` is continuous, strictly increasing and linear between the kinks of
    ``Qc`` and ``Qd``: it is evaluated at the kinks and the root found on its segment exactly.
    """

    def g(T: float) -> float:
        qc = max(min(surplus, charge_rate * (T_charge - T)), 0.0) if surplus > 0 else 0.0
        qd = max(min(need, feed_rate * (T - T_feed)), 0.0) if need > 0 else 0.0
        return capacity_rate * (T - T0) + ua * (T - T_amb) - qc + qd

    kinks = [T0]
    if surplus > 0 and charge_rate > 0:
        kinks += [T_charge, T_charge - surplus / charge_rate]
    if need > 0 and feed_rate > 0:
        kinks += [T_feed, T_feed + need / feed_rate]
    kinks = sorted(set(kinks))
    vals = [g(t) for t in kinks]
    if vals[0] >= 0.0:  # root at or below the lowest kink: g is linear there
        lo, hi = kinks[0] - 1.0, kinks[0]
        glo, ghi = g(lo), vals[0]
    elif vals[-1] <= 0.0:  # root at or above the highest kink
        lo, hi = kinks[-1], kinks[-1] + 1.0
        glo, ghi = vals[-1], g(hi)
    else:
        j = next(i for i, v in enumerate(vals) if v > 0.0)
        lo, hi, glo, ghi = kinks[j - 1], kinks[j], vals[j - 1], vals[j]
    return lo - glo * (hi - lo) / (ghi - glo)


@dataclass(frozen=True)
class TankYear:
    """Hourly tank results of :func:`run_tank` (W and K per hour; J over the run)."""

    temperature: np.ndarray
    """Tank temperature at the end of each hour [K] (stratified: the mass-weighted mean)."""
    charge: np.ndarray
    """Heat into the tank [W] (taken from what the dry coolers would reject)."""
    discharge: np.ndarray
    """Heat out of the tank into the boiler feed [W] (replaces boiler heat)."""
    loss: np.ndarray
    """Heat lost to ambient [W]."""
    full: np.ndarray
    """Hours whose charge was cut at ``max_temperature`` [bool]."""
    empty: np.ndarray
    """Hours with a need the tank met with nothing (no warmer than the feed) [bool]."""
    initial_temperature: float
    capacity: float
    """``M c`` [J/K]."""
    step_s: float
    top: Any = None
    """Stratified tank: the top parcel's temperature at the end of each hour [K] (else None)."""
    bottom: Any = None
    """Stratified tank: the bottom parcel's temperature [K] (else None)."""
    state: Any = None
    """Stratified tank: its parcels ``[mass, T]`` at the end (hot → cold; else None)."""

    def ledger(self) -> dict[str, float]:
        """The run's first law: heat in, out, lost, stored [J] and the relative closure."""
        dt = self.step_s
        e_in = float(np.sum(self.charge) * dt)
        e_out = float(np.sum(self.discharge) * dt)
        e_loss = float(np.sum(self.loss) * dt)
        t_end = float(self.temperature[-1]) if len(self.temperature) else self.initial_temperature
        stored = self.capacity * (t_end - self.initial_temperature)
        scale = max(e_in, e_out, abs(stored), 1e-300)
        return {
            "heat_in_J": e_in,
            "heat_out_J": e_out,
            "heat_lost_J": e_loss,
            "stored_J": stored,
            "closure_rel": abs(e_in - e_out - e_loss - stored) / scale,
        }


def run_tank(
    tank: MixedTank,
    *,
    surplus: Any,
    need: Any,
    T_source: Any,
    T_feed: Any,
    feed_flow: Any,
    T_ambient: Any = None,
    step_s: float = 3600.0,
    initial_state: Any = None,
) -> TankYear:
    """Run ``tank`` through the hours in sequence, each starting from the previous one's end.

    Parameters (arrays, one value per hour)
    ----------
    surplus : heat the dry coolers reject in the stateless hour [W] (what the tank may take).
    need : heat the boilers add in the stateless hour [W] (what the tank may replace).
    T_source : module water at the charging coil [K].
    T_feed : boiler feed upstream of the tank (reuse exchanger's greenhouse outlet) [K].
    feed_flow : boiler-feed flow [kg/s].
    T_ambient : temperature around the tank [K] (default: the tank's ``ambient_temperature``).
    initial_state : a stratified tank's parcels to start from (:attr:`TankYear.state` of an
        earlier run; default: uniform at ``tank.initial_temperature``).
    """
    surplus = np.clip(np.asarray(surplus, dtype=float), 0.0, None)
    need = np.clip(np.asarray(need, dtype=float), 0.0, None)
    T_source = np.asarray(T_source, dtype=float)
    T_feed = np.asarray(T_feed, dtype=float)
    feed_flow = np.asarray(feed_flow, dtype=float)
    n = len(surplus)
    amb = (
        np.full(n, tank.ambient_temperature)
        if T_ambient is None
        else np.asarray(T_ambient, dtype=float)
    )
    if not all(len(a) == n for a in (need, T_source, T_feed, feed_flow, amb)):
        raise InputError("the hourly arrays of run_tank differ in length", key="hours")
    bad = ~np.isfinite(np.concatenate([surplus, need, T_source, T_feed, feed_flow, amb]))
    if bad.any():
        raise InputError("run_tank got a non-finite hourly value (an unsolved hour?)", key="hours")
    temp = np.empty(n)
    qc = np.zeros(n)
    qd = np.zeros(n)
    loss = np.empty(n)
    full = np.zeros(n, dtype=bool)
    empty = np.zeros(n, dtype=bool)
    cap = tank.capacity
    T = tank.initial_temperature
    if cap == 0.0:  # no tank: nothing stored, nothing exchanged
        temp[:] = T
        loss[:] = 0.0
        empty[:] = need > 0
        return TankYear(temp, qc, qd, loss, full, empty, T, 0.0, step_s)
    if tank.stratified:
        from thermo.facility.stratified_storage import run_stratified

        mean, top, bottom, qc, qd, loss, full, empty, stack = run_stratified(
            tank,
            initial_stack=initial_state,
            surplus=surplus,
            need=need,
            T_source=T_source,
            T_feed=T_feed,
            feed_flow=feed_flow,
            T_ambient=amb,
            step_s=step_s,
        )
        if initial_state is not None:  # the mean of the given parcels
            T = sum(m * t for m, t in initial_state) / (tank.density * tank.volume)
        return TankYear(
            mean, qc, qd, loss, full, empty, T, cap, step_s, top=top, bottom=bottom, state=stack
        )
    cr = cap / step_s
    ua, t_max = tank.ua, tank.max_temperature
    c_rate = tank.charge_flow * tank.cp
    for h in range(n):
        f_rate = max(float(feed_flow[h]), 0.0) * tank.cp
        t_ch = float(T_source[h]) - tank.charge_approach
        t_f = float(T_feed[h])
        t_amb = float(amb[h])
        s, q = float(surplus[h]), float(need[h])
        T1 = step_temperature(
            T,
            capacity_rate=cr,
            ua=ua,
            T_amb=t_amb,
            surplus=s,
            charge_rate=c_rate,
            T_charge=t_ch,
            need=q,
            feed_rate=f_rate,
            T_feed=t_f,
        )
        if T1 > t_max:
            # the thermostat cuts the charge so that the hour ends at the maximum temperature
            T1 = t_max
            d = max(min(q, f_rate * (T1 - t_f)), 0.0) if q > 0 else 0.0
            c = cr * (T1 - T) + ua * (T1 - t_amb) + d
            full[h] = True
        else:
            d = max(min(q, f_rate * (T1 - t_f)), 0.0) if q > 0 else 0.0
            c = max(min(s, c_rate * (t_ch - T1)), 0.0) if s > 0 else 0.0
        empty[h] = q > 0 and d <= 0.0
        # the hour's heat flows at its end temperature: the stored energy closes exactly
        loss[h] = ua * (T1 - t_amb)
        qc[h], qd[h] = c, d
        temp[h] = T1
        T = T1
    return TankYear(temp, qc, qd, loss, full, empty, tank.initial_temperature, cap, step_s)


def apply_storage(
    tank: MixedTank, table: Any, *, boiler_efficiency: Any, cyclic: bool = False
) -> tuple[Any, TankYear]:
    """Run the tank on a stateless annual table and return the table as the tank changes it.

    ``table`` needs, per hour: ``heat_rejected_W``, ``boiler_heat_W``, ``boiler_fuel_W``,
    ``storage_source_C`` (module water at the charging coil), ``storage_feed_C`` (boiler feed
    upstream of the tank) and ``storage_feed_flow_kg_s``. The discharge replaces boiler heat
    (the boilers still hold the rails' supply temperature, so what the greenhouse receives, and
    any heat it still lacks at the rails' limit, are unchanged); the boilers' fuel follows at their efficiency at the new inlet
    temperature (``boiler_efficiency(T_in [K])``); the heat reused (offered) grows by the
    discharge; the dry coolers reject what the tank took. Columns ``storage_*`` record the tank.

    ``cyclic``: the run starts at the temperature a first pass over the same hours ends at (a
    year then begins where it ends, instead of at an assumed temperature; one pre-pass).
    """
    h = table.copy()
    rejected = h["heat_rejected_W"].to_numpy(dtype=float)
    boiler = h["boiler_heat_W"].to_numpy(dtype=float)
    t_feed = h["storage_feed_C"].to_numpy(dtype=float) + KELVIN
    flow = h["storage_feed_flow_kg_s"].to_numpy(dtype=float)
    outdoor = tank.outdoor and "dry_bulb_C" in h
    inputs = dict(
        T_ambient=h["dry_bulb_C"].to_numpy(dtype=float) + KELVIN if outdoor else None,
        surplus=rejected,
        need=np.clip(boiler, 0.0, None),
        T_source=h["storage_source_C"].to_numpy(dtype=float) + KELVIN,
        T_feed=t_feed,
        feed_flow=flow,
    )
    year = run_tank(tank, **inputs)
    if cyclic and len(h):
        start = float(year.temperature[-1])
        year = run_tank(
            dataclasses.replace(tank, initial_temperature=start),
            initial_state=year.state,  # a stratified tank starts from its own end profile
            **inputs,
        )
    d = year.discharge
    to_boiler = d
    new_boiler = boiler - d
    t_in = t_feed + np.where(flow > 0, d / (np.maximum(flow, 1e-300) * tank.cp), 0.0)
    eta = np.asarray(boiler_efficiency(t_in), dtype=float) * np.ones(len(h))
    h["boiler_fuel_W"] = np.where(
        to_boiler > 0, np.clip(new_boiler, 0.0, None) / eta, h["boiler_fuel_W"].to_numpy()
    )
    h["boiler_heat_W"] = new_boiler
    h["heat_rejected_W"] = rejected - year.charge
    h["heat_reused_W"] = h["heat_reused_W"].to_numpy(dtype=float) + d
    h["heat_reused_direct_W"] = h["heat_reused_direct_W"].to_numpy(dtype=float) + d
    h["storage_temperature_C"] = year.temperature - KELVIN
    h["storage_charge_W"] = year.charge
    h["storage_discharge_W"] = d
    h["storage_loss_W"] = year.loss
    if year.top is not None:
        h["storage_top_C"] = year.top - KELVIN
        h["storage_bottom_C"] = year.bottom - KELVIN
    h["storage_full"] = year.full
    h["storage_empty"] = year.empty
    return h, year


def storage_summary(tank: MixedTank, year: TankYear) -> dict[str, Any]:
    """The run's tank figures for the annual summary (MWh, °C, hours, closure)."""
    led = year.ledger()
    return {
        "volume_m3": tank.volume,
        "ua_W_per_K": tank.ua,
        "capacity_MWh_per_K": tank.capacity / MWH,
        "heat_in_MWh": led["heat_in_J"] / MWH,
        "heat_out_MWh": led["heat_out_J"] / MWH,
        "heat_lost_MWh": led["heat_lost_J"] / MWH,
        "stored_MWh": led["stored_J"] / MWH,
        "closure_rel": led["closure_rel"],
        "full_hours": int(year.full.sum()),
        "empty_hours": int(year.empty.sum()),
        "initial_temperature_C": year.initial_temperature - KELVIN,
        "min_temperature_C": float(np.min(year.temperature, initial=np.inf)) - KELVIN,
        "max_temperature_C": float(np.max(year.temperature, initial=-np.inf)) - KELVIN,
    }
