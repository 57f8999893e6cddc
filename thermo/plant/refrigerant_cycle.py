"""Single-stage subcritical vapour-compression cycle of a named refrigerant (CoolProp HEOS).

The thermodynamic cycle behind :class:`thermo.plant.heat_pump.VaporCompressionHeatPump`: state
points, saturation temperatures and the cycle's defaults. Temperatures in K, pressures in Pa,
specific quantities per kg. Split from :mod:`thermo.plant.heat_pump` (size); the names stay
importable from there.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from thermo.errors import InputError, RangeError

__all__ = [
    "ISENTROPIC_EFFICIENCY_DEFAULT",
    "CRITICAL_MARGIN_DEFAULT",
    "CycleResult",
    "saturation_temperature",
    "vapor_compression_cycle",
]


def _non_negative(value: float | None, name: str, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if (
        value is None
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise InputError(
            f"{name} must be a finite number >= 0, got {value!r}", key=name, value=value
        )


ISENTROPIC_EFFICIENCY_DEFAULT = 0.70
"""Default isentropic compressor efficiency [-].

[M] Textbook and design-study range for screw, scroll and reciprocating compressors at their
design point is about 0.6–0.8 (Çengel & Boles ch. 11 problems use 0.75–0.88); 0.70 is a
mid-range value. With 5 K approaches, 5 K superheat and subcooling it reproduces the Mäntsälä
COP (R134a, 40 → 85 °C) within 1 % (verification case ``plant.mantsala_r134a_cop``).
"""

CRITICAL_MARGIN_DEFAULT = 10.0
"""Minimum distance [K] between condensing and critical temperature (subcritical cycle only).

[M] Near the critical point the latent heat vanishes, condensation stops being isothermal and a
single-stage subcritical model loses meaning; 10 K keeps most of the condenser heat latent.
"""


@dataclass(frozen=True)
class CycleResult:
    """State points of one single-stage vapour-compression cycle (specific quantities per kg).

    States: 1 compressor inlet (superheated vapour), 2 compressor outlet, 3 condenser outlet
    (subcooled liquid), 4 evaporator inlet (after isenthalpic throttling, ``h4 = h3``).
    Enthalpies use CoolProp's reference state; only differences are meaningful.
    """

    refrigerant: str
    T_evap: float
    """Evaporating (saturation) temperature [K]."""
    T_cond: float
    """Condensing (saturation) temperature [K]."""
    p_evap: float
    """Evaporating pressure [Pa]."""
    p_cond: float
    """Condensing pressure [Pa]."""
    h1: float
    """Compressor inlet enthalpy [J/kg]."""
    h2: float
    """Compressor outlet enthalpy [J/kg]."""
    h3: float
    """Condenser outlet enthalpy [J/kg]."""
    h4: float
    """Evaporator inlet enthalpy [J/kg]."""
    T_discharge: float
    """Compressor discharge temperature [K]."""

    @property
    def q_evap(self) -> float:
        """Heat taken up in the evaporator [J/kg]."""
        return self.h1 - self.h4

    @property
    def w_comp(self) -> float:
        """Compressor work [J/kg]."""
        return self.h2 - self.h1

    @property
    def q_cond(self) -> float:
        """Heat given off in the condenser [J/kg] (``= q_evap + w_comp``)."""
        return self.h2 - self.h3

    @property
    def cop_heating(self) -> float:
        """Heating COP ``q_cond / w_comp`` [-]."""
        return self.q_cond / self.w_comp

    @property
    def cop_cooling(self) -> float:
        """Cooling COP ``q_evap / w_comp`` [-] (``= cop_heating - 1``)."""
        return self.q_evap / self.w_comp


@functools.lru_cache(maxsize=16)
def _state(refrigerant: str) -> Any:
    import CoolProp.CoolProp as CP

    try:
        return CP.AbstractState("HEOS", refrigerant)
    except ValueError:
        raise InputError(
            f"unknown refrigerant {refrigerant!r}; use a CoolProp fluid name such as "
            "'R1234ze(E)', 'R290', 'R717', 'R134a'",
            key="refrigerant",
            value=refrigerant,
        ) from None


def _fluid_limits(refrigerant: str) -> tuple[float, float]:
    """(T_min of the equation of state, critical temperature) [K]."""
    AS = _state(refrigerant)
    return AS.Tmin(), AS.T_critical()


def saturation_temperature(refrigerant: str, p: float) -> float:
    """Saturation temperature [K] of a refrigerant at pressure ``p`` [Pa] (CoolProp HEOS)."""
    import CoolProp.CoolProp as CP

    AS = _state(refrigerant)
    try:
        AS.update(CP.PQ_INPUTS, float(p), 1.0)
    except ValueError as exc:
        raise RangeError(
            f"no saturation state of {refrigerant} at p = {p!r} Pa ({exc})", key="p", value=p
        ) from None
    return AS.T()


def vapor_compression_cycle(
    refrigerant: str,
    T_evap: float,
    T_cond: float,
    *,
    isentropic_efficiency: float = ISENTROPIC_EFFICIENCY_DEFAULT,
    superheat: float = 5.0,
    subcooling: float = 5.0,
    critical_margin: float = CRITICAL_MARGIN_DEFAULT,
) -> CycleResult:
    """Single-stage subcritical vapour-compression cycle between two saturation temperatures.

    1 → 2 adiabatic compression, ``h2 = h1 + (h2s - h1) / η_is`` with ``h2s = h(p_cond, s1)``;
    2 → 3 isobaric condensation to ``T_cond - subcooling``; 3 → 4 isenthalpic throttling;
    4 → 1 isobaric evaporation and superheating to ``T_evap + superheat``. No pressure drops, no
    heat loss from the compressor. Properties from CoolProp (HEOS, the fluid's reference EOS).

    Parameters
    ----------
    refrigerant : str
        CoolProp fluid name, e.g. ``"R1234ze(E)"``, ``"R290"``, ``"R717"``, ``"R134a"``.
    T_evap, T_cond : float
        Saturation temperatures [K] (scalars).
    isentropic_efficiency : float
        Compressor isentropic efficiency [-], in (0, 1].
    superheat, subcooling : float
        [K], >= 0.
    critical_margin : float
        ``T_cond`` must stay this far [K] below the critical temperature.

    Raises
    ------
    RangeError
        ``T_cond >= T_crit - critical_margin`` (transcritical cycles, e.g. R744 above ~21 °C, are
        not modelled), ``T_cond <= T_evap``, or ``T_evap - 5 K`` below the EOS lower limit.

    References
    ----------
    .. [1] Çengel & Boles, *Thermodynamics: An Engineering Approach*, 8th ed., 2015, §11-3 to
       11-4 (ideal and actual vapour-compression cycles); Example 11-1 is verification case
       ``plant.cengel_11_1_*``.
    .. [2] I. H. Bell, J. Wronski, S. Quoilin, V. Lemort, "Pure and Pseudo-pure Fluid
       Thermophysical Property Evaluation and the Open-Source Thermophysical Property Library
       CoolProp", Ind. Eng. Chem. Res. 53 (2014) 2498–2508, :doi:`10.1021/ie4033999`.
    """
    import CoolProp.CoolProp as CP

    if not (0.0 < isentropic_efficiency <= 1.0):
        raise InputError(
            f"isentropic_efficiency must be in (0, 1], got {isentropic_efficiency!r}",
            key="isentropic_efficiency",
            value=isentropic_efficiency,
        )
    _non_negative(superheat, "superheat")
    _non_negative(subcooling, "subcooling")
    T_min, T_crit = _fluid_limits(refrigerant)
    T_evap, T_cond = float(T_evap), float(T_cond)
    if T_cond >= T_crit - critical_margin:
        raise RangeError(
            f"condensing temperature {T_cond:.2f} K is within {critical_margin:g} K of the critical "
            f"temperature of {refrigerant} ({T_crit:.2f} K); only subcritical cycles are modelled",
            key="T_cond",
            value=T_cond,
        )
    if T_cond <= T_evap:
        raise RangeError(
            f"T_cond ({T_cond:.2f} K) must exceed T_evap ({T_evap:.2f} K)",
            key="T_cond",
            value=T_cond,
        )
    if T_evap < T_min + 5.0 or T_cond - subcooling < T_min + 5.0:
        raise RangeError(
            f"T_evap = {T_evap:.2f} K is below the range of the {refrigerant} equation of state "
            f"(T_min = {T_min:.2f} K, plus 5 K margin)",
            key="T_evap",
            value=T_evap,
        )
    AS = _state(refrigerant)
    AS.update(CP.QT_INPUTS, 1.0, T_evap)
    p_evap = AS.p()
    if superheat > 0:
        AS.update(CP.PT_INPUTS, p_evap, T_evap + superheat)
    h1, s1 = AS.hmass(), AS.smass()
    AS.update(CP.QT_INPUTS, 0.0, T_cond)
    p_cond = AS.p()
    if subcooling > 0:
        AS.update(CP.PT_INPUTS, p_cond, T_cond - subcooling)
    h3 = AS.hmass()
    AS.update(CP.PSmass_INPUTS, p_cond, s1)
    h2s = AS.hmass()
    h2 = h1 + (h2s - h1) / isentropic_efficiency
    AS.update(CP.HmassP_INPUTS, h2, p_cond)
    T2 = AS.T()
    return CycleResult(refrigerant, T_evap, T_cond, p_evap, p_cond, h1, h2, h3, h3, T2)
