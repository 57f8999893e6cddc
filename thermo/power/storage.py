"""Energy storage and its dispatch against a ramp-rate limit and a peak cap.

One :class:`Storage` model serves both the rack-level storage of power-smoothing PSUs
(capacitors; GB300 NVL72-class) and the site battery (lithium-ion BESS behind a grid-interactive
UPS): usable energy between a state-of-charge window, charge and discharge power limits (a
C-rate), and a round-trip efficiency split evenly between charging and discharging
(``η_c = η_d = √RTE``, assumption [D]: no published split). Self-discharge is neglected
(assumption [?]: hours to days of storage, not weeks).

Dispatch (:func:`dispatch`): each step the meter *wants* to follow its load, pulled toward a
state-of-charge target over ``recharge_time_s``, but it may change by at most the ramp limit per
second and may not exceed the cap; the storage supplies (discharge) or absorbs (charge) the
difference within its power and energy limits. If it cannot — **empty, full or at its power
limit** — the meter takes what is left and the step is reported as a shortfall (the limit is
violated; nothing is clipped or hidden). Energy balance per step (exact, verified to 1e-9)::

    E[i+1] = E[i] + (η_c·P_ch − P_dis/η_d)·Δt
    losses = ((1 − η_c)·P_ch + (1/η_d − 1)·P_dis)·Δt

Defaults and sources
--------------------
- Site battery round-trip efficiency 0.85: NREL Annual Technology Baseline, utility-scale battery
  storage ("Cole and Frazier (2020) identified 85% as a representative round-trip efficiency",
  ATB 2020 [V]).
- C-rate: the ATB's devices are 2–10 h (0.5–0.1 C) [V]; UPS batteries for pulse loads are high-
  power cells (1–4 C, assumption [?]); the shipped case uses 2 C and says so.
- State-of-charge window 0.1–0.9: assumption [?] (common practice to limit degradation).
- PSU capacitor storage round-trip 0.98: assumption [?] (electrolytic capacitors and their
  DC/DC stage; no figure published for the GB300 PSU).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thermo.errors import InputError

__all__ = ["BATTERY_RTE_DEFAULT", "Storage", "DispatchResult", "dispatch"]

BATTERY_RTE_DEFAULT = 0.85
"""Round-trip efficiency of a lithium-ion BESS [-] (NREL ATB 2020, after Cole & Frazier 2020)."""


def _num(v: float, name: str, lo: float, hi: float = math.inf, *, lo_open: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise InputError(f"{name} must be a number, got {v!r}", key=name, value=v)
    x = float(v)
    bad = not math.isfinite(x) or x > hi or (x <= lo if lo_open else x < lo)
    if bad:
        left = "(" if lo_open else "["
        raise InputError(f"{name} must be in {left}{lo:g}, {hi:g}], got {v!r}", key=name, value=v)
    return x


@dataclass(frozen=True)
class Storage:
    """Energy storage.

    Parameters
    ----------
    energy_J : float
        Nameplate energy [J], > 0.
    charge_W, discharge_W : float
        Power limits [W], > 0 (at the storage terminals: the meter side).
    soc_min, soc_max : float
        State-of-charge window [-], 0 <= soc_min < soc_max <= 1.
    soc_initial : float
        State of charge at the start [-], inside the window.
    round_trip : float
        Round-trip efficiency [-], (0, 1].
    name : str
        Used in messages and results (``"battery"``, ``"psu"``).
    """

    energy_J: float
    charge_W: float
    discharge_W: float
    soc_min: float = 0.1
    soc_max: float = 0.9
    soc_initial: float = 0.5
    round_trip: float = BATTERY_RTE_DEFAULT
    name: str = "battery"

    def __post_init__(self) -> None:
        p = self.name
        _num(self.energy_J, f"{p}.energy", 0.0, lo_open=True)
        _num(self.charge_W, f"{p}.charge_power", 0.0, lo_open=True)
        _num(self.discharge_W, f"{p}.discharge_power", 0.0, lo_open=True)
        lo = _num(self.soc_min, f"{p}.soc_min", 0.0, 1.0)
        hi = _num(self.soc_max, f"{p}.soc_max", 0.0, 1.0)
        if hi <= lo:
            raise InputError(
                f"{p}.soc_max ({hi:g}) must be above {p}.soc_min ({lo:g})",
                key=f"{p}.soc_max",
                value=hi,
            )
        _num(self.soc_initial, f"{p}.soc_initial", lo, hi)
        _num(self.round_trip, f"{p}.round_trip_efficiency", 0.0, 1.0, lo_open=True)

    @classmethod
    def from_c_rate(cls, energy_J: float, c_rate: float, **kw: object) -> Storage:
        """Storage whose charge and discharge limits are ``c_rate`` × energy per hour [1/h]."""
        c = _num(c_rate, f"{kw.get('name', 'battery')}.c_rate", 0.0, 100.0, lo_open=True)
        p = c * float(energy_J) / 3600.0
        return cls(energy_J, p, p, **kw)  # type: ignore[arg-type]

    @property
    def usable_J(self) -> float:
        """Energy between the SoC limits [J]."""
        return self.energy_J * (self.soc_max - self.soc_min)


@dataclass(frozen=True, eq=False)
class DispatchResult:
    """Outcome of :func:`dispatch` (arrays per step unless said otherwise).

    Attributes
    ----------
    meter_W : numpy.ndarray
        Power at the meter [W] (load − discharge + charge).
    charge_W, discharge_W : numpy.ndarray
        Storage terminal powers [W], >= 0.
    energy_J : numpy.ndarray
        Stored energy at the step boundaries [J], ``n + 1`` values.
    shortfall_W : numpy.ndarray
        Meter power minus the power the limits allowed [W]: > 0 the storage could not supply
        (empty or at its discharge limit: ramp-up or cap violated), < 0 it could not absorb
        (full or at its charge limit: ramp-down violated). Zero when the limits held.
    losses_J : float
        Storage losses over the run [J].
    """

    meter_W: np.ndarray
    charge_W: np.ndarray
    discharge_W: np.ndarray
    energy_J: np.ndarray
    shortfall_W: np.ndarray
    losses_J: float
    storage: Storage | None

    @property
    def soc(self) -> np.ndarray:
        """State of charge at the step boundaries [-] (empty array without storage)."""
        if self.storage is None:
            return np.zeros(0)
        return self.energy_J / self.storage.energy_J

    def balance_error(self, step_s: float) -> float:
        """|Σ(in − out)·Δt − losses − ΔE| / max(throughput, 1 J): 0 to round-off."""
        if self.storage is None:
            return 0.0
        net = float(np.sum(self.charge_W - self.discharge_W)) * step_s
        stored = float(self.energy_J[-1] - self.energy_J[0])
        scale = max(float(np.sum(self.charge_W + self.discharge_W)) * step_s, 1.0)
        return abs(net - self.losses_J - stored) / scale

    def full_cycles(self, step_s: float) -> float:
        """Equivalent full cycles: energy discharged / usable energy [-]."""
        if self.storage is None:
            return 0.0
        return float(np.sum(self.discharge_W)) * step_s / self.storage.usable_J


def dispatch(
    load_W: np.ndarray,
    step_s: float,
    storage: Storage | None,
    *,
    ramp_W_per_s: float = math.inf,
    cap_W: float = math.inf,
    soc_target: np.ndarray | float | None = None,
    recharge_time_s: float = 900.0,
    initial_meter_W: float | None = None,
    follow_window_s: float = 0.0,
) -> DispatchResult:
    """Dispatch ``storage`` so the meter follows ``load_W`` within a ramp limit and a cap.

    Parameters
    ----------
    load_W : array
        Load behind the meter per step [W].
    step_s : float
        Step [s].
    storage : Storage or None
        None: the meter sees the load (violations are then counted by the metrics).
    ramp_W_per_s : float
        Largest change of the meter power [W/s], up and down. Default: no limit.
    cap_W : float
        Largest meter power [W]. Default: no cap.
    soc_target : array or float, optional
        State-of-charge target per step [-] (price/carbon-aware charging); default the middle of
        the window.
    recharge_time_s : float
        Time constant of the pull toward the target [s] (> 0). Default 900 s (assumption [?]).
    initial_meter_W : float, optional
        Meter power before the first step [W] (the ramp limit applies from it). Default: the
        first load value (the run starts in steady state).
    follow_window_s : float
        The meter follows the trailing mean of the load over this window [s] instead of the
        load itself (0: the load). A window of a few iteration periods makes the storage flatten
        training swings to their mean (PSU smoothing); 0 makes it clip only what breaks the
        limits (site battery: least cycling).

    Notes
    -----
    A tight loop over plain floats (about 0.1 s per 86,400 steps on one core): each step depends
    on the previous meter power and stored energy, so the ramp limit and the energy window cannot
    be vectorised without changing the answer.
    """
    load = np.asarray(load_W, dtype=float)
    n = load.size
    dt = float(step_s)
    if storage is None:
        z = np.zeros(n)
        return DispatchResult(load.copy(), z, z.copy(), np.zeros(n + 1), z.copy(), 0.0, None)
    tau = _num(recharge_time_s, "recharge_time", 0.0, lo_open=True)
    s = storage
    if soc_target is None:
        soc_target = 0.5 * (s.soc_min + s.soc_max)
    target = np.broadcast_to(np.asarray(soc_target, dtype=float), (n,))
    if np.any((target < s.soc_min - 1e-12) | (target > s.soc_max + 1e-12)):
        raise InputError(
            f"{s.name}: the state-of-charge target leaves the window [{s.soc_min:g}, "
            f"{s.soc_max:g}]",
            key=f"{s.name}.soc_target",
        )
    e_tgt = (target * s.energy_J).tolist()
    eta = math.sqrt(s.round_trip)
    e_min, e_max = s.soc_min * s.energy_J, s.soc_max * s.energy_J
    p_ch, p_dis = s.charge_W, s.discharge_W
    step_ramp = ramp_W_per_s * dt
    cap = float(cap_W)
    gain = min(1.0, dt / tau) / dt  # W per J of SoC error
    meter = [0.0] * n
    ch = [0.0] * n
    dis = [0.0] * n
    short = [0.0] * n
    energy = [0.0] * (n + 1)
    e = s.soc_initial * s.energy_J
    energy[0] = e
    loads = load.tolist()
    if follow_window_s > 0.0 and n:
        w = max(int(round(follow_window_s / dt)), 1)
        c = np.concatenate(([0.0], np.cumsum(load)))
        idx = np.arange(1, n + 1)
        lo_i = np.maximum(idx - w, 0)
        follow = ((c[idx] - c[lo_i]) / (idx - lo_i)).tolist()
    else:
        follow = loads
    g_prev = (loads[0] if n else 0.0) if initial_meter_W is None else float(initial_meter_W)
    if g_prev > cap:
        g_prev = cap
    for i in range(n):
        L = loads[i]
        want = follow[i] + (e_tgt[i] - e) * gain
        lo = g_prev - step_ramp
        hi = g_prev + step_ramp
        g = lo if want < lo else (hi if want > hi else want)
        if g > cap:
            g = cap
        gap = L - g
        if gap > 0.0:
            room = (e - e_min) * eta / dt
            d = p_dis if gap > p_dis else gap
            if d > room:
                d = room if room > 0.0 else 0.0
            dis[i] = d
            e -= d / eta * dt
            actual = L - d
        else:
            room = (e_max - e) / (eta * dt)
            c = p_ch if -gap > p_ch else -gap
            if c > room:
                c = room if room > 0.0 else 0.0
            ch[i] = c
            e += c * eta * dt
            actual = L + c
        meter[i] = actual
        short[i] = actual - g
        energy[i + 1] = e
        g_prev = actual
    ch_a = np.asarray(ch)
    dis_a = np.asarray(dis)
    losses = float(np.sum(ch_a) * (1.0 - eta) + np.sum(dis_a) * (1.0 / eta - 1.0)) * dt
    return DispatchResult(
        np.asarray(meter), ch_a, dis_a, np.asarray(energy), np.asarray(short), losses, s
    )
