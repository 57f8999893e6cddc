"""Dry coolers (finned-coil water-to-air heat rejection with fans): ε-NTU, fan laws, fan control.

Model
-----
* Air-side crossflow ε-NTU with **both fluids unmixed**, evaluated exactly (Mason's series,
  :mod:`thermo.correlations.effectiveness`, arrangement ``"crossflow_unmixed"``): the air passes
  between continuous fins that stop lateral mixing, and the water flows in separate tubes. Coils
  with several tube rows in counter-cross arrangement perform somewhat better; the single-pass
  unmixed form is the conservative choice.
* ``UA`` from the rating point by inverting the ε-NTU relation (:attr:`DryCoolerRating.UA_design`),
  split into film conductances ``hA_air = r·hA_water`` (air side including fin efficiency).
  Off design each film scales with its own mass flow, ``hA ∝ ṁⁿ`` (air ``n = 0.8``, water
  ``n = 0.85``, ``r = 0.5``: the defaults of the Modelica Buildings Library dry-coil model after
  Wetter 1999), and the films add in series.
* Fans obey the affinity laws at fixed geometry: volume flow ∝ speed, power ∝ ρ·speed³.
  The air mass flow follows the ambient density (ideal gas at ``p_atm``).
* :func:`speed_for_leaving_temperature` finds the fan speed that holds a leaving-water
  setpoint (vectorised bisection), floored at ``speed_min`` and flagged ``saturated`` when even
  full speed cannot reach it.

Temperatures in K, flows in kg/s (water) and m³/s (air at the fan), powers in W, speed as a
fraction of full speed [-]. Heat flows from water to air when the water is warmer.

References
----------
.. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera, D. P. DeWitt, *Fundamentals of Heat and Mass
   Transfer*, 7th ed., Wiley, 2011, Table 11.3 (crossflow, both fluids unmixed; exact series in
   W. M. Kays, A. L. London, *Compact Heat Exchangers*, 3rd ed., 1984, Table 2-2) and Table A.4
   (air, c_p = 1007 J/(kg·K) at 300 K).
.. [2] M. Wetter, "Simulation model: finned water-air-coil without condensation", LBNL-42355,
   Lawrence Berkeley National Laboratory, 1999; as implemented in the Modelica Buildings Library
   ``Buildings.Fluid.HeatExchangers.BaseClasses.HADryCoil`` (defaults ``n_a = 0.8``,
   ``n_w = 0.85``, ``r_nominal = 0.5`` air-to-water film conductance ratio).
.. [3] ASHRAE Handbook — HVAC Systems and Equipment, chapter "Fans": fan laws (flow ∝ N,
   pressure ∝ ρN², power ∝ ρN³ at fixed size).
.. [4] ISO 2533:1975 Standard Atmosphere (p = 101 325 Pa; dry-air gas constant 287.05 J/(kg·K)).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from thermo.correlations.cold_plate import regularized_power
from thermo.correlations.effectiveness import effectiveness_derivatives, ntu_from_effectiveness
from thermo.errors import InputError

__all__ = [
    "AIR_CP",
    "AIR_R",
    "P_ATM",
    "AIR_FILM_EXPONENT",
    "WATER_FILM_EXPONENT",
    "AIR_TO_WATER_HA_RATIO",
    "air_density",
    "DryCoolerRating",
    "EXAMPLE_RATING",
    "DryCoolerState",
    "leaving_water_temperature",
    "FanControl",
    "speed_for_leaving_temperature",
]

AIR_CP = 1007.0
"""Specific heat of dry air near 300 K [J/(kg·K)] ([1], Table A.4)."""

AIR_R = 287.05
"""Specific gas constant of dry air [J/(kg·K)] ([4])."""

P_ATM = 101_325.0
"""Standard atmospheric pressure [Pa] ([4])."""

AIR_FILM_EXPONENT = 0.8
"""Air-side film exponent, ``hA_air ∝ ṁ_air^0.8`` [-] ([2]); finned coils span about 0.5–0.8."""

WATER_FILM_EXPONENT = 0.85
"""Water-side film exponent, ``hA_water ∝ ṁ_water^0.85`` [-] ([2])."""

AIR_TO_WATER_HA_RATIO = 0.5
"""Air-to-water film conductance ratio at the rating point [-] ([2]): the air side carries 2/3
of the thermal resistance."""

_NTU_CAP = 1.0e4
"""NTU above which the crossflow series is evaluated at the cap [-]: there 1 - ε < 1e-12 for
Cr <= 0.9 and 0.6 % at Cr = 1 (ε approaches 1 as NTU^-1/2 when Cr = 1). Physically unreachable:
with the regularised film laws NTU stays bounded as either flow goes to zero."""


def air_density(T: np.ndarray | float, p: float = P_ATM) -> np.ndarray:
    """Dry-air density ``p/(R T)`` [kg/m³] (ideal gas; humidity neglected, < 1 % below 30 °C).

    Parameters
    ----------
    T : array_like
        Dry-bulb temperature [K], > 0.
    p : float
        Pressure [Pa].
    """
    T = np.asarray(T, dtype=float)
    if np.any(~np.isfinite(T)) or np.any(T <= 0.0):
        raise InputError("air temperature must be > 0 K", key="T_ambient", value=T)
    return p / (AIR_R * T)


@dataclass(frozen=True)
class DryCoolerRating:
    """Rating point of a dry cooler and its scaling laws (SI).

    Parameters
    ----------
    Q_design : float
        Rated heat rejection [W], > 0.
    m_water_design : float
        Rated water (or glycol) mass flow [kg/s], > 0.
    T_water_in_design : float
        Rated entering water temperature [K].
    T_air_in_design : float
        Rated entering air (ambient dry-bulb) temperature [K], below ``T_water_in_design``.
    V_air_design : float
        Air volume flow at full fan speed [m³/s], > 0.
    P_fan_design : float
        Fan electrical power at full speed and rated air density [W], >= 0.
    cp_water : float
        Specific heat of the coolant [J/(kg·K)], > 0.
    n_air, n_water : float
        Film exponents ``hA ∝ ṁⁿ`` [-] ([2]).
    r_design : float
        ``hA_air/hA_water`` at the rating point [-] ([2]).
    speed_min : float
        Lowest fan speed the controls allow [-], in (0, 1].
    p_atm : float
        Site atmospheric pressure [Pa].
    """

    Q_design: float
    m_water_design: float
    T_water_in_design: float
    T_air_in_design: float
    V_air_design: float
    P_fan_design: float
    cp_water: float = 4180.0
    n_air: float = AIR_FILM_EXPONENT
    n_water: float = WATER_FILM_EXPONENT
    r_design: float = AIR_TO_WATER_HA_RATIO
    speed_min: float = 0.2
    p_atm: float = P_ATM

    def __post_init__(self) -> None:
        for name in ("Q_design", "m_water_design", "V_air_design", "cp_water", "r_design", "p_atm"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0.0):
                raise InputError(f"dry-cooler {name} must be > 0, got {v!r}", key=name, value=v)
        if not (math.isfinite(self.P_fan_design) and self.P_fan_design >= 0.0):
            raise InputError("dry-cooler P_fan_design must be >= 0", key="P_fan_design")
        for name in ("n_air", "n_water"):
            v = getattr(self, name)
            if not 0.0 < v <= 1.0:
                raise InputError(f"dry-cooler {name} must be in (0, 1], got {v!r}", key=name)
        if not 0.0 < self.speed_min <= 1.0:
            raise InputError(
                f"speed_min must be in (0, 1], got {self.speed_min!r}", key="speed_min"
            )
        if not self.T_water_in_design > self.T_air_in_design:
            raise InputError(
                f"rated water inlet {self.T_water_in_design!r} K must be above the rated air "
                f"inlet {self.T_air_in_design!r} K",
                key="T_water_in_design",
            )
        self.UA_design  # noqa: B018 - validates that the rating is feasible

    @functools.cached_property
    def m_air_design(self) -> float:
        """Rated air mass flow at full speed [kg/s]."""
        return float(air_density(self.T_air_in_design, self.p_atm)) * self.V_air_design

    @functools.cached_property
    def UA_design(self) -> float:
        """Conductance at the rating point [W/K], from the inverse crossflow (unmixed) ε-NTU."""
        Cw = self.m_water_design * self.cp_water
        Ca = self.m_air_design * AIR_CP
        Cmin, Cmax = min(Cw, Ca), max(Cw, Ca)
        eps = self.Q_design / (Cmin * (self.T_water_in_design - self.T_air_in_design))
        if eps >= 1.0:
            raise InputError(
                f"rated duty {self.Q_design:.6g} W needs effectiveness {eps:.3g} >= 1 with these "
                "flows and temperatures: impossible",
                key="Q_design",
                value=self.Q_design,
            )
        return float(ntu_from_effectiveness(eps, Cmin / Cmax, "crossflow_unmixed")) * Cmin

    @property
    def hA_air_design(self) -> float:
        """Air-side film conductance at the rating point [W/K]."""
        return self.UA_design * (1.0 + self.r_design)

    @property
    def hA_water_design(self) -> float:
        """Water-side film conductance at the rating point [W/K]."""
        return self.UA_design * (1.0 + self.r_design) / self.r_design


EXAMPLE_RATING = DryCoolerRating(
    Q_design=1.0e6,
    m_water_design=1.0e6 / (4180.0 * 10.0),
    T_water_in_design=273.15 + 45.0,
    T_air_in_design=273.15 + 25.0,
    V_air_design=70.0,
    P_fan_design=20e3,
)
"""**Illustrative** 1 MW dry cooler (not a manufacturer's rating): water 45 → 35 °C at 25 °C
ambient, 70 m³/s of air (≈ 12 K air rise), fans 20 kW = 2 % of duty (the OCP door-HX cap on
fan power used as a benchmark in docs/references.md §2)."""


@dataclass(frozen=True)
class DryCoolerState:
    """Outcome of :func:`leaving_water_temperature` (arrays broadcast from the inputs)."""

    T_water_out: np.ndarray
    """Leaving water temperature [K]."""
    Q: np.ndarray
    """Heat rejected, water to air [W]."""
    P_fan: np.ndarray
    """Fan electrical power [W]."""
    UA: np.ndarray
    """Conductance [W/K]."""
    effectiveness: np.ndarray
    """ε [-]."""
    m_air: np.ndarray
    """Air mass flow [kg/s]."""
    dT_out_dm_water: np.ndarray
    """∂T_water,out/∂ṁ_water [K·s/kg]."""
    dT_out_dspeed: np.ndarray
    """∂T_water,out/∂speed [K]."""
    dP_fan_dspeed: np.ndarray
    """∂P_fan/∂speed [W]."""


def leaving_water_temperature(
    T_water_in: np.ndarray | float,
    m_water: np.ndarray | float,
    T_ambient: np.ndarray | float,
    speed: np.ndarray | float,
    rating: DryCoolerRating,
    *,
    cp: np.ndarray | float | None = None,
) -> DryCoolerState:
    """Leaving water temperature, duty and fan power at given fan speed and ambient.

    Parameters
    ----------
    T_water_in : array_like
        Entering water temperature [K].
    m_water : array_like
        Water mass flow [kg/s], >= 0. Zero flow gives zero duty; the stagnant coil's outlet is
        then reported at its limit, the ambient temperature.
    T_ambient : array_like
        Ambient dry-bulb temperature [K].
    speed : array_like
        Fan speed, fraction of full speed [-], in [0, 1] (not floored here).
    rating : DryCoolerRating
        Rating point and scaling laws.
    cp : array_like, optional
        Coolant specific heat [J/(kg·K)]; default ``rating.cp_water``.

    Returns
    -------
    DryCoolerState
        With analytic derivatives with respect to the water flow and the fan speed.
    """
    if not isinstance(rating, DryCoolerRating):
        raise InputError("rating must be a DryCoolerRating", key="rating")
    Tw = np.asarray(T_water_in, dtype=float)
    mw = np.asarray(m_water, dtype=float)
    s = np.asarray(speed, dtype=float)
    cpw = np.asarray(rating.cp_water if cp is None else cp, dtype=float)
    if np.any(~np.isfinite(mw)) or np.any(mw < 0.0):
        raise InputError("water mass flow must be >= 0", key="m_water", value=m_water)
    if np.any(~np.isfinite(s)) or np.any(s < 0.0) or np.any(s > 1.0 + 1e-12):
        raise InputError("fan speed must be in [0, 1]", key="speed", value=speed)
    if np.any(cpw <= 0.0):
        raise InputError("cp must be > 0", key="cp", value=cp)
    rho = air_density(T_ambient, rating.p_atm)
    Tw, mw, s, cpw, rho, Ta = np.broadcast_arrays(Tw, mw, s, cpw, rho, np.asarray(T_ambient, float))
    ma = rho * rating.V_air_design * s
    dma_ds = rho * rating.V_air_design
    lin = 0.02  # regularise hA ∝ ṁⁿ below 2 % of the rated flow (finite slope at zero flow)
    ga, dga = regularized_power(ma / rating.m_air_design, rating.n_air, lin)
    gw, dgw = regularized_power(mw / rating.m_water_design, rating.n_water, lin)
    hAa = rating.hA_air_design * ga
    hAw = rating.hA_water_design * gw
    dhAa_ds = rating.hA_air_design * dga * dma_ds / rating.m_air_design
    dhAw_dmw = rating.hA_water_design * dgw / rating.m_water_design
    with np.errstate(divide="ignore", invalid="ignore"):
        den = hAa + hAw
        ok = den > 0.0
        dens = np.where(ok, den, 1.0)
        UA = np.where(ok, hAa * hAw / dens, 0.0)
        dUA_ds = np.where(ok, (hAw / dens) ** 2, 0.0) * dhAa_ds
        dUA_dmw = np.where(ok, (hAa / dens) ** 2, 0.0) * dhAw_dmw
    Cw = mw * cpw
    Ca = ma * AIR_CP
    water_min = Cw <= Ca
    Cmin, Cmax = np.minimum(Cw, Ca), np.maximum(Cw, Ca)
    stagnant = Cmin == 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        Cr = np.where(Cmax > 0.0, Cmin / np.where(Cmax > 0.0, Cmax, 1.0), 0.0)
        NTU = np.where(stagnant, 0.0, UA / np.where(stagnant, 1.0, Cmin))
    # cap NTU (see _NTU_CAP; the series cost grows as √NTU)
    big = NTU > _NTU_CAP
    eps, dN, dC = (
        np.asarray(v, dtype=float)
        for v in effectiveness_derivatives(np.minimum(NTU, _NTU_CAP), Cr, "crossflow_unmixed")
    )
    # a stagnant side (C_min = 0) is the NTU -> infinity limit: ε = 1, Q = 0
    eps = np.where(stagnant & (UA > 0.0), 1.0, eps)
    dN = np.where(stagnant | big, 0.0, dN)
    dC = np.where(stagnant | big, 0.0, dC)
    dT = Tw - Ta
    Q = eps * Cmin * dT
    with np.errstate(invalid="ignore"):
        dQ_dCmin = dT * np.where(
            Cmin > 0.0, eps - np.where(np.isinf(NTU), 0.0, dN * NTU) + dC * Cr, 1.0
        )
        dQ_dCmax = np.where(Cmax > 0.0, -dT * dC * Cr**2, 0.0)
        dQ_dUA = dT * np.where(Cmin > 0.0, dN, 0.0)
    dQ_dCw = np.where(water_min, dQ_dCmin, dQ_dCmax)
    dQ_dCa = np.where(water_min, dQ_dCmax, dQ_dCmin)
    # leaving water: T_in - Q/Cw ; Q/Cw = eps*dT (water is C_min) or eps*Cr*dT
    f_w = np.where(water_min, 1.0, Cr)
    T_out = Tw - eps * f_w * dT
    dQ_dmw = dQ_dCw * cpw + dQ_dUA * dUA_dmw
    dQ_ds = dQ_dCa * AIR_CP * dma_ds + dQ_dUA * dUA_ds
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = Cw > 0.0
        Cws = np.where(pos, Cw, 1.0)
        dTout_dmw = np.where(pos, -dQ_dmw / Cws + Q * cpw / Cws**2, np.nan)
        dTout_ds = np.where(pos, -dQ_ds / Cws, 0.0)
    rho_d = float(air_density(rating.T_air_in_design, rating.p_atm))
    P_fan = rating.P_fan_design * (rho / rho_d) * s**3
    dP_ds = 3.0 * rating.P_fan_design * (rho / rho_d) * s**2
    return DryCoolerState(
        T_water_out=T_out,
        Q=Q,
        P_fan=P_fan,
        UA=UA,
        effectiveness=eps,
        m_air=ma,
        dT_out_dm_water=dTout_dmw,
        dT_out_dspeed=dTout_ds,
        dP_fan_dspeed=dP_ds,
    )


@dataclass(frozen=True)
class FanControl:
    """Outcome of :func:`speed_for_leaving_temperature`."""

    speed: np.ndarray
    """Fan speed [-], in [speed_min, 1]."""
    saturated: np.ndarray
    """True where full speed cannot bring the water down to the setpoint."""
    at_minimum: np.ndarray
    """True where the minimum speed already over-cools (the water leaves below the setpoint)."""
    state: DryCoolerState
    """The dry-cooler state at that speed (leaving temperature, duty, fan power)."""


def speed_for_leaving_temperature(
    T_water_in: np.ndarray | float,
    m_water: np.ndarray | float,
    T_ambient: np.ndarray | float,
    T_setpoint: np.ndarray | float,
    rating: DryCoolerRating,
    *,
    cp: np.ndarray | float | None = None,
    tol: float = 1e-6,
) -> FanControl:
    """Fan speed that holds the leaving water temperature at a setpoint.

    The leaving temperature falls monotonically with speed (more air, larger UA), so a
    vectorised bisection on ``[speed_min, 1]`` converges unconditionally. Where full speed is not
    enough the speed is 1 and ``saturated`` is True; where ``speed_min`` already over-cools, the
    speed is ``speed_min`` and ``at_minimum`` is True (fans cannot run slower; a real plant
    would cycle fans or bypass the coil).

    Parameters
    ----------
    T_water_in, m_water, T_ambient, cp
        As in :func:`leaving_water_temperature`.
    T_setpoint : array_like
        Leaving water setpoint [K].
    rating : DryCoolerRating
    tol : float
        Speed tolerance [-].
    """
    Tw = np.asarray(T_water_in, dtype=float)
    Tset = np.asarray(T_setpoint, dtype=float)
    shape = np.broadcast_shapes(
        Tw.shape, np.shape(m_water), np.shape(T_ambient), Tset.shape, np.shape(cp)
    )
    smin = rating.speed_min
    lo = np.full(shape, smin)
    hi = np.ones(shape)

    def t_out(speed: np.ndarray) -> np.ndarray:
        return leaving_water_temperature(Tw, m_water, T_ambient, speed, rating, cp=cp).T_water_out

    saturated = t_out(hi) > Tset
    at_min = t_out(lo) <= Tset
    n_iter = max(1, math.ceil(math.log2(max(1.0 - smin, tol) / tol)) + 1)
    for _ in range(n_iter):
        mid = 0.5 * (lo + hi)
        too_warm = t_out(mid) > Tset
        lo = np.where(too_warm, mid, lo)
        hi = np.where(too_warm, hi, mid)
    speed = np.where(saturated, 1.0, np.where(at_min, smin, 0.5 * (lo + hi)))
    state = leaving_water_temperature(Tw, m_water, T_ambient, speed, rating, cp=cp)
    return FanControl(speed=speed, saturated=saturated, at_minimum=at_min, state=state)
