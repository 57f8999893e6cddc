"""Boilers: gas (condensing or not) and electric, with fuel, CO₂, cost and a top-up mode.

Conventions
-----------
- Efficiencies are on the **higher heating value** (HHV, gross) basis, as natural gas is sold in
  Canada (FortisBC: "Natural Gas is sold on the Higher Heating Value (HHV) basis").
- Temperatures in K, heat in W (rates) or J (energies): every function is linear in the heat, so
  it accepts either, consistently (W in → W of fuel out; J in → J out). Gas volumes in standard m³.
- All functions accept scalars or numpy arrays and return the same shape.

Top-up mode (the Manitoba arrangement)
--------------------------------------
The boiler raises its inlet water to a supply setpoint. Data-centre heat that preheats the inlet
reduces the boiler heat ``m·cp·(T_set - T_in)``. For a condensing gas boiler it also raises the
return temperature and so lowers the efficiency; with the default curve the fuel still falls
monotonically with preheating for any realistic rise (see :meth:`GasBoiler.top_up`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.errors import InputError, RangeError

__all__ = [
    "NATURAL_GAS_HHV",
    "NATURAL_GAS_CO2_PER_M3",
    "NATURAL_GAS_CO2_PER_J",
    "ELECTRIC_BOILER_EFFICIENCY",
    "fuel_energy",
    "gas_volume",
    "gas_co2",
    "top_up_heat",
    "TopUpResult",
    "GasBoiler",
    "ElectricBoiler",
]

NATURAL_GAS_HHV = 37.93e6
"""Higher heating value of pipeline-quality natural gas [J per standard m³].

Canada, *Regulations Limiting Carbon Dioxide Emissions from Natural Gas-fired Generation of
Electricity* (SOR/2018-261), Schedule 2, item 18: default HHV 0.03793 GJ/standard m³. (docs/references.md
§7 used 38.3 MJ/m³ [M]; the Canadian Gas Association's 1 GJ = 25.8661 m³ gives 38.66 MJ/m³: actual
gas varies by ±2 %, so treat it as an input when a utility states its heat content.)
"""

NATURAL_GAS_CO2_PER_M3 = 1.966
"""CO₂ from burning natural gas [kg CO₂ per m³] (residential, commercial, agriculture).

Environment and Climate Change Canada, *Emission Factors and Reference Values*, v1.1 (June 2023)
and v3.0 (2025), from the National Inventory Report; 1.9766 kg CO₂e/m³ with CH₄ and N₂O.
"""

NATURAL_GAS_CO2_PER_J = NATURAL_GAS_CO2_PER_M3 / NATURAL_GAS_HHV
"""[kg CO₂ per J of fuel, HHV] = 5.18e-8 kg/J = 0.1866 kg/kWh (derived from the two above)."""

ELECTRIC_BOILER_EFFICIENCY = 0.99
"""Electric (resistance or electrode) boiler efficiency [-].

[S] "Electric boilers are nearly 100 percent efficient because they produce no waste gas"
(makhoulmechanical.com, boilers page); the 1 % covers casing losses [M]. docs/references.md §7 default.
"""

_T_RETURN_MIN = 283.15
_T_RETURN_MAX = 368.15


def _array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite, got {value!r}", key=name, value=value)
    return arr


def _non_negative_array(value: Any, name: str, unit: str) -> np.ndarray:
    arr = _array(value, name)
    if np.any(arr < 0):
        bad = float(arr[arr < 0].flat[0])
        raise InputError(f"{name} must be >= 0 {unit}, got {bad!r}", key=name, value=bad)
    return arr


def _out(arr: np.ndarray) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def _check_fraction(value: float, name: str, lo: float = 0.0, hi: float = 1.0) -> None:
    if not isinstance(value, (int, float)) or not math.isfinite(value) or not (lo < value <= hi):
        raise InputError(f"{name} must be in ({lo}, {hi}], got {value!r}", key=name, value=value)


def fuel_energy(Q_heat: Any, efficiency: Any) -> Any:
    """Fuel energy (HHV) [J or W] for a heat output ``Q_heat`` [J or W]: ``Q_heat / efficiency``."""
    Q = _non_negative_array(Q_heat, "Q_heat", "J (or W)")
    eta = _array(efficiency, "efficiency")
    if np.any((eta <= 0) | (eta > 1.0)):
        raise InputError(f"efficiency must be in (0, 1], got {efficiency!r}", key="efficiency")
    return _out(Q / eta)


def gas_volume(E_fuel: Any, hhv: float = NATURAL_GAS_HHV) -> Any:
    """Natural-gas volume [standard m³] for a fuel energy ``E_fuel`` [J] (HHV basis)."""
    E = _non_negative_array(E_fuel, "E_fuel", "J")
    if not (isinstance(hhv, (int, float)) and 20e6 < hhv < 60e6):
        raise InputError(
            f"hhv must be a natural-gas heating value in J/m³ (about 3.8e7), got {hhv!r}",
            key="hhv",
            value=hhv,
        )
    return _out(E / hhv)


def gas_co2(volume: Any, factor: float = NATURAL_GAS_CO2_PER_M3) -> Any:
    """CO₂ [kg] from burning ``volume`` [m³] of natural gas (ECCC factor 1.966 kg/m³ by default)."""
    V = _non_negative_array(volume, "volume", "m³")
    if not (isinstance(factor, (int, float)) and factor >= 0):
        raise InputError(f"factor must be >= 0 kg/m³, got {factor!r}", key="factor", value=factor)
    return _out(V * factor)


@dataclass(frozen=True)
class TopUpResult:
    """Outcome of a top-up: the boiler lifts its inlet water towards a setpoint (per element)."""

    T_out: Any
    """Boiler outlet temperature [K] (the setpoint, or less when capacity-limited)."""
    Q_heat: Any
    """Heat added to the water [W]; 0 where the inlet is already at or above the setpoint."""
    fuel: Any
    """Fuel (gas HHV) or electricity input [W]."""
    capacity_limited: Any
    """True where the capacity was not enough to reach the setpoint."""


def top_up_heat(
    T_in: Any, T_setpoint: Any, m_dot: Any, cp: Any, capacity: float | None = None
) -> tuple[Any, Any, Any]:
    """Heat needed to raise a water flow from ``T_in`` to ``T_setpoint``, capped by capacity.

    ``Q = min(m_dot·cp·max(T_setpoint - T_in, 0), capacity)`` and
    ``T_out = T_in + Q / (m_dot·cp)`` (energy balance, constant cp).

    Parameters
    ----------
    T_in, T_setpoint : numeric
        Boiler inlet and supply setpoint temperatures [K].
    m_dot : numeric
        Water mass flow through the boiler [kg/s], >= 0 (0 gives Q = 0 and T_out = T_in).
    cp : numeric
        Specific heat of the water [J/(kg·K)], > 0.
    capacity : float or None
        Maximum heat output [W]; None = unlimited.

    Returns
    -------
    (T_out, Q_heat, capacity_limited) : tuple
        [K], [W], bool (arrays for array input).

    Notes
    -----
    ``dQ/dT_in = -m_dot·cp`` where the boiler is active and unlimited, 0 elsewhere (the
    ``max``/``min`` make Q piecewise linear: not C¹ at the switch points).
    """
    Ti = _array(T_in, "T_in")
    Ts = _array(T_setpoint, "T_setpoint")
    m = _non_negative_array(m_dot, "m_dot", "kg/s")
    c = _array(cp, "cp")
    if np.any(Ti <= 0) or np.any(Ts <= 0):
        raise InputError("T_in and T_setpoint must be absolute temperatures in K (> 0)", key="T_in")
    if np.any(c <= 0):
        raise InputError(f"cp must be > 0 J/(kg·K), got {cp!r}", key="cp", value=cp)
    if capacity is not None and (not isinstance(capacity, (int, float)) or capacity <= 0):
        raise InputError(
            f"capacity must be > 0 W or None, got {capacity!r}", key="capacity", value=capacity
        )
    Ti, Ts, m, c = np.broadcast_arrays(Ti, Ts, m, c)
    mc = m * c
    Q = mc * np.maximum(Ts - Ti, 0.0)
    limited = np.zeros(Q.shape, bool)
    if capacity is not None:
        limited = Q > capacity
        Q = np.minimum(Q, capacity)
    with np.errstate(invalid="ignore", divide="ignore"):
        T_out = np.where(mc > 0, Ti + Q / mc, Ti)
    scalar = Q.ndim == 0
    return _out(T_out), _out(Q), (bool(limited) if scalar else limited)


@dataclass(frozen=True)
class GasBoiler:
    """Natural-gas hot-water boiler, condensing (default) or non-condensing. HHV efficiencies.

    Condensing efficiency as a smooth (C^∞) function of the return (inlet) water temperature:

    ``η(T) = eta_dry + eta_condensing_gain · s(T)``, ``s(T) = 1 / (1 + exp((T - T_condensing_mid) / condensing_width))``

    ``s`` reads as the fraction of the flue-gas water vapour that condenses. Default parameters
    ([D], fitted by us to the sources below):

    - ``s`` through 15 % at 130 °F (54.4 °C) and 92 % at 60 °F (15.6 °C) return ("with a 130 °F
      return only about 15 percent of the water vapor can be condensed; with 60 °F about 92
      percent", Crowley, quoted on experts123.com [S]) gives ``T_condensing_mid`` = 38.3 °C and
      ``condensing_width`` = 9.3 K; the flue-gas dew point is about 130 °F / 54 °C (Minnesota
      Commerce Dept. [V]).
    - ``eta_dry`` = 0.87 (no condensation, docs/references.md §7 default above 55 °C [M]) and
      ``eta_condensing_gain`` = 0.12 (latent heat is 1 - 1/1.11 ≈ 0.10 of the HHV, FortisBC
      rule of thumb HHV = 1.11·LHV, plus ≈ 0.02 sensible gain from the cooler flue gas [M]).
    - Check against R. Collver (HeatSpring blog): "no condensing boiler above 89 % at
      180/160 °F" (82/71 °C) → curve 0.874 at 71 °C; "93 % plus at 120/100 °F" (49/38 °C) →
      0.931 at 38 °C; 97 % needs an 80 °F (27 °C) return at 5 % fire (Deppmann, Aerco BMK1.5LN
      chart) → 0.963 at 27 °C, full fire. These are verification cases ``plant.boiler_eta_*``.

    Non-condensing boilers: constant ``eta_noncondensing`` = 0.82 (docs/references.md §7, range
    0.80–0.85 [M]); they should not see returns below ~55 °C (flue-gas condensation corrodes
    them), which this model does not police.

    Parameters
    ----------
    condensing : bool
        Condensing boiler (curve above) or not (constant efficiency).
    capacity : float or None
        Maximum heat output [W] (for :meth:`top_up`); None = unlimited.
    hhv : float
        Gas heating value [J/m³], default :data:`NATURAL_GAS_HHV`.
    co2_per_m3 : float
        [kg/m³], default :data:`NATURAL_GAS_CO2_PER_M3`.

    Notes
    -----
    Valid for return temperatures 10–95 °C (:class:`RangeError` outside: the anchors span
    16–82 °C). Full-fire efficiencies; part-load gains of modulating burners are not modelled.
    """

    condensing: bool = True
    eta_dry: float = 0.87
    eta_condensing_gain: float = 0.12
    T_condensing_mid: float = 311.45
    condensing_width: float = 9.3
    eta_noncondensing: float = 0.82
    capacity: float | None = None
    hhv: float = NATURAL_GAS_HHV
    co2_per_m3: float = NATURAL_GAS_CO2_PER_M3

    def __post_init__(self) -> None:
        _check_fraction(self.eta_dry, "eta_dry")
        _check_fraction(self.eta_noncondensing, "eta_noncondensing")
        if not (0 <= self.eta_condensing_gain and self.eta_dry + self.eta_condensing_gain <= 1.0):
            raise InputError(
                "eta_dry + eta_condensing_gain must not exceed 1 (HHV basis), got "
                f"{self.eta_dry} + {self.eta_condensing_gain}",
                key="eta_condensing_gain",
                value=self.eta_condensing_gain,
            )
        if not self.condensing_width > 0:
            raise InputError(
                "condensing_width must be > 0 K",
                key="condensing_width",
                value=self.condensing_width,
            )
        if self.capacity is not None and not self.capacity > 0:
            raise InputError(
                f"capacity must be > 0 W or None, got {self.capacity!r}", key="capacity"
            )
        gas_volume(0.0, self.hhv)  # validates hhv

    def _T_return(self, T_return: Any) -> np.ndarray:
        T = _array(T_return, "T_return")
        bad = (T < _T_RETURN_MIN) | (T > _T_RETURN_MAX)
        if np.any(bad):
            v = float(T[bad].flat[0])
            raise RangeError(
                f"boiler return temperature {v:.2f} K is outside the curve's range "
                f"{_T_RETURN_MIN:.2f}–{_T_RETURN_MAX:.2f} K (10–95 °C)",
                key="T_return",
                value=v,
            )
        return T

    def _s(self, T: np.ndarray) -> np.ndarray:
        z = (T - self.T_condensing_mid) / self.condensing_width
        return 0.5 * (1.0 - np.tanh(0.5 * z))  # = 1/(1+exp(z)), overflow-free

    def condensed_fraction(self, T_return: Any) -> Any:
        """The curve's ``s(T_return)`` [-]: the share of flue-gas water vapour that condenses."""
        return _out(self._s(self._T_return(T_return)))

    def efficiency(self, T_return: Any) -> Any:
        """HHV efficiency [-] at boiler return (inlet) temperature ``T_return`` [K]."""
        T = self._T_return(T_return)
        if not self.condensing:
            return _out(np.full(T.shape, self.eta_noncondensing))
        return _out(self.eta_dry + self.eta_condensing_gain * self._s(T))

    def efficiency_derivative(self, T_return: Any) -> Any:
        """``dη/dT_return`` [1/K]: ``-eta_condensing_gain · s(1 - s) / condensing_width`` (0 if non-condensing)."""
        T = self._T_return(T_return)
        if not self.condensing:
            return _out(np.zeros(T.shape))
        s = self._s(T)
        return _out(-self.eta_condensing_gain * s * (1.0 - s) / self.condensing_width)

    def fuel_energy(self, Q_heat: Any, T_return: Any) -> Any:
        """Gas energy (HHV) [J or W] for heat ``Q_heat`` [J or W] at ``T_return`` [K]."""
        return fuel_energy(Q_heat, self.efficiency(T_return))

    def gas_volume(self, Q_heat: Any, T_return: Any) -> Any:
        """Gas volume [m³] (or [m³/s] for a heat rate in W)."""
        return gas_volume(self.fuel_energy(Q_heat, T_return), self.hhv)

    def co2(self, Q_heat: Any, T_return: Any) -> Any:
        """CO₂ [kg] (or [kg/s]) from burning the gas for ``Q_heat``."""
        return gas_co2(self.gas_volume(Q_heat, T_return), self.co2_per_m3)

    def cost(self, Q_heat: Any, T_return: Any, gas_price: float) -> Any:
        """Gas cost [currency] for ``Q_heat`` [J], with ``gas_price`` [currency per m³]."""
        if not isinstance(gas_price, (int, float)) or gas_price < 0:
            raise InputError(f"gas_price must be >= 0 per m³, got {gas_price!r}", key="gas_price")
        return _out(np.asarray(self.gas_volume(Q_heat, T_return)) * gas_price)

    def top_up(
        self, T_in: Any, T_setpoint: Any, m_dot: Any, cp: Any, capacity: float | None = None
    ) -> TopUpResult:
        """Raise the inlet water to the setpoint; fuel at the efficiency of ``T_in``.

        ``capacity`` [W] overrides the boiler's own. With the default curve,
        ``d(fuel)/dT_in = -m·cp·[1/η + (T_set - T_in)·η'/η²] < 0`` while
        ``(T_set - T_in)·|η'|/η < 1``; with the default curve ``min η / max|η'|`` is 270 K, so
        preheating always saves gas for any real setpoint rise.
        """
        cap = self.capacity if capacity is None else capacity
        T_out, Q, limited = top_up_heat(T_in, T_setpoint, m_dot, cp, cap)
        fuel = self.fuel_energy(Q, T_in)
        return TopUpResult(T_out, Q, fuel, limited)


@dataclass(frozen=True)
class ElectricBoiler:
    """Electric hot-water boiler: ``P_el = Q / efficiency``, efficiency 0.99 by default.

    Parameters
    ----------
    efficiency_value : float
        [-], default :data:`ELECTRIC_BOILER_EFFICIENCY` (read it with :meth:`efficiency`).
    capacity : float or None
        Maximum heat output [W]; None = unlimited.
    """

    efficiency_value: float = ELECTRIC_BOILER_EFFICIENCY
    capacity: float | None = None

    def __post_init__(self) -> None:
        _check_fraction(self.efficiency_value, "efficiency_value")
        if self.capacity is not None and not self.capacity > 0:
            raise InputError(
                f"capacity must be > 0 W or None, got {self.capacity!r}", key="capacity"
            )

    def efficiency(self, T_return: Any = None) -> Any:
        """Efficiency [-] (independent of the return temperature; the argument is accepted for a common interface)."""
        if T_return is None:
            return self.efficiency_value
        return _out(np.full(_array(T_return, "T_return").shape, self.efficiency_value))

    def electricity(self, Q_heat: Any) -> Any:
        """Electrical energy [J] (or power [W]) for heat ``Q_heat``."""
        return fuel_energy(Q_heat, self.efficiency_value)

    def co2(self, Q_heat: Any, grid_co2_per_J: float) -> Any:
        """CO₂ [kg] from the electricity, with a grid factor [kg per J]."""
        if not isinstance(grid_co2_per_J, (int, float)) or grid_co2_per_J < 0:
            raise InputError(
                f"grid_co2_per_J must be >= 0 kg/J, got {grid_co2_per_J!r}", key="grid_co2_per_J"
            )
        return _out(np.asarray(self.electricity(Q_heat)) * grid_co2_per_J)

    def cost(self, Q_heat: Any, electricity_price: float) -> Any:
        """Electricity cost [currency] with ``electricity_price`` [currency per J]."""
        if not isinstance(electricity_price, (int, float)) or electricity_price < 0:
            raise InputError(
                f"electricity_price must be >= 0 per J, got {electricity_price!r}",
                key="electricity_price",
            )
        return _out(np.asarray(self.electricity(Q_heat)) * electricity_price)

    def top_up(
        self, T_in: Any, T_setpoint: Any, m_dot: Any, cp: Any, capacity: float | None = None
    ) -> TopUpResult:
        """Raise the inlet water to the setpoint; ``fuel`` is the electricity [W]."""
        cap = self.capacity if capacity is None else capacity
        T_out, Q, limited = top_up_heat(T_in, T_setpoint, m_dot, cp, cap)
        return TopUpResult(T_out, Q, self.electricity(Q), limited)
