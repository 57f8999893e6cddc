"""Hourly greenhouse heat demand (steady-state, ASABE EP406 method) from a weather year.

For every hour the heat needed to hold the setpoint is a steady-state balance:

    Q_cover = U_eff · A_cover · (T_set − T_out)
    Q_inf   = ρ · c_p · (ACH · V / 3600) · (T_set − T_out)
    Q_sun   = η_util · τ · τ_screen · G_h · A_floor
    demand  = max(0, Q_cover + Q_inf − Q_sun)          (then at least ``min_heat_flux`` · A_floor)
    surplus = max(0, Q_sun − Q_cover − Q_inf)          (heat the vents must remove)

ρ is the density of the greenhouse air at its setpoint, p / (R_air · T_set), with the weather's
air pressure (101 325 Pa when it has none); one model for the hourly balance and for
:meth:`Greenhouse.loss_coefficient` (both accept a fixed ``air_density`` instead).

U_eff = U · (1 − r_screen) while a thermal screen is closed. This is the heat-loss method of ASAE
EP406 "Heating, ventilating and cooling greenhouses" (cover conduction U·A·ΔT plus infiltration
ρ c_p V̇ ΔT) applied hour by hour, with a solar credit. It is quasi-steady: no heat is stored from
day to night in the crop, soil or water, latent loads are not modelled, and U is a constant
(no wind or clear-sky dependence). Those limits and their effect on annual totals are discussed
in ``docs/greenhouse.md`` and ``docs/validation/greenhouse.md``.

Defaults describe the Dutch Venlo reference glasshouse of Vanthoor et al. (2011), as parameterised
in GreenLight (Katzin et al. 2020): cover/floor 1.8/1.4 = 1.29, mean height 4.2 m, heating
setpoints 19.5 °C (day) and 16.5 °C (night) for vine tomato (Vermeulen, KWIN 2016), day when global
radiation exceeds 20 W/m², thermal screen closed at night below 10 °C outdoors and by day below
5 °C; cover U-values from ASABE EP406.

References
----------
.. [1] ASAE EP406.4, "Heating, Ventilating and Cooling Greenhouses", ASABE, St. Joseph MI
   (U-values: single glass 1.13, double inflated PE 0.70, 8 mm twin-wall PC 0.58 Btu/(h·ft²·°F);
   docs/references.md §6).
.. [2] B. H. E. Vanthoor et al., Biosyst. Eng. 110 (2011) 363–377,
   :doi:`10.1016/j.biosystemseng.2011.06.001`, via GreenLight ``setGlParams.m`` (Katzin et al.,
   Biosyst. Eng. 194 (2020) 61–81, :doi:`10.1016/j.biosystemseng.2020.03.010`).
.. [3] H. Mihara, M. Hayashi, J. Agric. Meteorol. 35 (1979) 13 (PVC/PE curtains cut the heat
   transfer coefficient by 37 %/33 %; docs/references.md §6).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from thermo.climate.epw import Weather
from thermo.errors import InputError

__all__ = [
    "COVER_U_VALUES",
    "COVER_SOLAR_TRANSMISSIVITY",
    "AIR_CP",
    "Greenhouse",
    "HeatBalance",
    "monthly_totals",
    "season_total",
    "HEATING_SEASON_SEP_MAY",
]

BTU_H_FT2_F = 5.678263
"""1 Btu/(h·ft²·°F) in W/(m²·K)."""

COVER_U_VALUES: dict[str, float] = {
    "glass": 1.13 * BTU_H_FT2_F,
    "double_pe": 0.70 * BTU_H_FT2_F,
    "twin_wall_pc": 0.58 * BTU_H_FT2_F,
}
"""Overall cover heat-transfer coefficients [W/(m²·K)] from ASAE EP406 (docs/references.md §6):
single glass 1.13, double inflated polyethylene 0.70, 8 mm twin-wall polycarbonate 0.58
Btu/(h·ft²·°F) = 6.4, 4.0, 3.3 W/(m²·K)."""

COVER_SOLAR_TRANSMISSIVITY: dict[str, float] = {
    "glass": 0.85,
    "double_pe": 0.77,
    "twin_wall_pc": 0.80,
}
"""Solar transmissivity of the cover [-]. Glass 0.85: PAR and NIR transmission of the roof of the
Vanthoor (2011) Dutch reference glasshouse (GreenLight ``tauRfPar``/``tauRfNir``). Twin-wall PC
0.80: middle of the 78–82 % light transmission of twin-wall sheets (S. Sanford, eXtension Farm
Energy "Glazing materials"). Double PE 0.77 [D]: two layers; one 3 mm glass pane transmits 88 %
and a double pane 77 % (NGMA via Stuppy), and single PE films transmit about as much as glass.
Structural shading is not included; it is part of :attr:`Greenhouse.solar_utilisation`."""

AIR_CP = 1006.0
"""Specific heat of dry air at 0–40 °C [J/(kg·K)] (1005–1007 J/(kg·K), e.g. CoolProp "Air")."""
AIR_GAS_CONSTANT = 287.05
"""Specific gas constant of dry air [J/(kg·K)]."""
STANDARD_PRESSURE = 101_325.0
"""Air pressure used when the weather has none [Pa]."""

HEATING_SEASON_SEP_MAY: tuple[int, ...] = (9, 10, 11, 12, 1, 2, 3, 4, 5)
"""September–May, the season of the Manitoba 2.1 GJ/m² figure (docs/references.md §6)."""

_HOUR_SECONDS = 3600.0


@dataclass(frozen=True)
class HeatBalance:
    """Hourly heat balance of a greenhouse (every array has one value per weather hour).

    Attributes
    ----------
    demand
        Heat the heating system must deliver [W], ≥ 0.
    surplus
        Solar surplus the vents must remove to hold the setpoint [W], ≥ 0 (zero while heating).
    cover_loss
        Conduction loss through the cover, U_eff·A_cover·(T_set − T_out) [W] (negative when it is
        warmer outside than the setpoint).
    infiltration_loss
        Infiltration loss ρ c_p V̇ (T_set − T_out) [W].
    solar_gain
        Useful solar gain η τ τ_screen G_h A_floor [W].
    setpoint
        Heating setpoint of the hour [K].
    is_day
        True in day hours.
    screen_closed
        True where the thermal screen is closed.
    floor_area
        Floor area the balance refers to [m²].
    """

    demand: np.ndarray
    surplus: np.ndarray
    cover_loss: np.ndarray
    infiltration_loss: np.ndarray
    solar_gain: np.ndarray
    setpoint: np.ndarray
    is_day: np.ndarray
    screen_closed: np.ndarray
    floor_area: float

    @property
    def annual_demand(self) -> float:
        """Sum of the hourly demand over the record [J] (each row is one hour)."""
        return float(self.demand.sum() * _HOUR_SECONDS)


def _positive(value: float, name: str, unit: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number [{unit}], got {value!r}", key=name) from None
    if not (v > 0.0 and math.isfinite(v)):
        raise InputError(f"{name} must be > 0 {unit}, got {value!r}", key=name, value=value)
    return v


def _fraction(value: float, name: str) -> float:
    v = float(value)
    if not 0.0 <= v <= 1.0:
        raise InputError(f"{name} must be within 0..1, got {value!r}", key=name, value=value)
    return v


def _temperature(value: float, name: str) -> float:
    v = float(value)
    if not 263.15 <= v <= 323.15:
        raise InputError(
            f"{name} must be an absolute temperature in K within 263.15..323.15 "
            f"(-10..50 degC), got {value!r}; did you pass degC?",
            key=name,
            value=value,
        )
    return v


@dataclass(frozen=True, kw_only=True)
class Greenhouse:
    """A heated greenhouse for hourly heat-demand estimates (steady-state EP406 balance).

    Parameters
    ----------
    floor_area
        Floor area [m²], > 0.
    cover
        Named cover: ``"glass"`` (U 6.4), ``"double_pe"`` (4.0), ``"twin_wall_pc"`` (3.3
        W/(m²·K)), ASAE EP406; sets ``u_value`` and ``solar_transmissivity`` unless those are given.
        ``None`` requires both. Default ``"glass"``.
    u_value
        Cover heat-transfer coefficient [W/(m²·K)], overrides the named cover.
    cover_area
        Cover area including side walls [m²]. Default ``cover_to_floor · floor_area``.
    cover_to_floor
        Cover/floor area ratio [-], ≥ 1, used when ``cover_area`` is not given. Default 1.29
        (1.8 ha cover on 1.4 ha floor, Vanthoor 2011 Venlo house). Small free-standing houses are
        higher (see :meth:`from_dimensions`).
    volume
        Air volume [m³]. Default ``mean_height · floor_area``.
    mean_height
        Mean height (volume/floor) [m]. Default 4.2 (Vanthoor 2011).
    infiltration_ach
        Infiltration, air changes per hour [1/h], 0..10. Default 0.5: measured commercial houses
        average 0.56 ACH (range 0.34–1.0; CSU study via AIVC, docs/references.md §6); design guides use
        1–2 ACH for peak loads.
    day_setpoint, night_setpoint
        Heating setpoints [K]. Defaults 292.65 K (19.5 °C) and 289.65 K (16.5 °C): vine tomato,
        Vermeulen (KWIN 2016) as used by Vanthoor/GreenLight.
    day_threshold
        An hour is "day" when global horizontal irradiance exceeds this [W/m²]. Default 20
        (GreenLight ``dayThresh``).
    day_hours
        Alternatively ``(first, last)`` hour-ending values counted as day (EPW hours 1..24, e.g.
        ``(7, 19)``); overrides ``day_threshold``.
    solar_transmissivity
        Cover solar transmissivity [-], default from :data:`COVER_SOLAR_TRANSMISSIVITY`.
    solar_utilisation
        Fraction of the transmitted solar energy that offsets heating [-]. Default 0.5, an
        **assumption** (not a sourced value): part of the radiation is shaded by the structure,
        reflected, or spent as latent heat of crop transpiration. The annual-demand verification
        shows its effect (docs/validation/greenhouse.md).
    thermal_screen
        Whether a thermal (energy) screen is drawn. Default False.
    screen_u_reduction
        Fractional reduction of U while the screen is closed [-]. Default 0.35: PVC/PE curtains cut
        the heat-transfer coefficient by 37 %/33 % (Mihara & Hayashi 1979); energy screens save
        "up to 30 %" of annual heat (greenhousecanada.com 2011; docs/references.md §6).
    screen_night_below, screen_day_below
        Screen closes at night when T_out is below the first, by day below the second [K].
        Defaults 283.15 K (10 °C) and 278.15 K (5 °C) (GreenLight ``thScrSpNight``/``thScrSpDay``).
    screen_solar_transmission
        Solar transmission of a closed screen [-]. Default 0.6 (GreenLight ``tauThScrPar``).
    min_heat_flux
        Minimum heat per m² floor delivered in every hour [W/m²] (stands for a minimum pipe
        temperature or dehumidification heating). Default 0.

    Notes
    -----
    Sign convention: ``demand`` > 0 is heat delivered *to* the greenhouse. Equations are in the
    module docstring. The model is steady-state per hour: it has no thermal storage, no latent
    load and a constant U; see docs/greenhouse.md for the limits.
    """

    floor_area: float
    cover: str | None = "glass"
    u_value: float | None = None
    cover_area: float | None = None
    cover_to_floor: float = 1.8 / 1.4
    volume: float | None = None
    mean_height: float = 4.2
    infiltration_ach: float = 0.5
    day_setpoint: float = 292.65
    night_setpoint: float = 289.65
    day_threshold: float = 20.0
    day_hours: tuple[int, int] | None = None
    solar_transmissivity: float | None = None
    solar_utilisation: float = 0.5
    thermal_screen: bool = False
    screen_u_reduction: float = 0.35
    screen_night_below: float = 283.15
    screen_day_below: float = 278.15
    screen_solar_transmission: float = 0.6
    min_heat_flux: float = 0.0
    _resolved: dict[str, float] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        floor = _positive(self.floor_area, "floor_area", "m2")
        if self.cover is not None and self.cover not in COVER_U_VALUES:
            raise InputError(
                f"unknown cover {self.cover!r}; named covers are "
                + ", ".join(repr(k) for k in COVER_U_VALUES)
                + " (or give u_value and solar_transmissivity with cover=None)",
                key="cover",
                value=self.cover,
            )
        if self.u_value is not None:
            u = _positive(self.u_value, "u_value", "W/(m2*K)")
            if u > 15.0:
                raise InputError(
                    f"u_value {u} W/(m2*K) is above 15, more than any greenhouse cover "
                    "(single glass is 6.4 in ASAE EP406)",
                    key="u_value",
                    value=u,
                )
        elif self.cover is None:
            raise InputError("give a named cover or a u_value", key="u_value")
        else:
            u = COVER_U_VALUES[self.cover]
        if self.solar_transmissivity is not None:
            tau = _fraction(self.solar_transmissivity, "solar_transmissivity")
        elif self.cover is None:
            raise InputError(
                "give solar_transmissivity when cover is None", key="solar_transmissivity"
            )
        else:
            tau = COVER_SOLAR_TRANSMISSIVITY[self.cover]
        if self.cover_area is not None:
            a_cov = _positive(self.cover_area, "cover_area", "m2")
        else:
            ratio = float(self.cover_to_floor)
            if not 1.0 <= ratio <= 5.0:
                raise InputError(
                    f"cover_to_floor must be within 1..5, got {self.cover_to_floor!r}",
                    key="cover_to_floor",
                    value=self.cover_to_floor,
                )
            a_cov = ratio * floor
        if self.volume is not None:
            vol = _positive(self.volume, "volume", "m3")
        else:
            vol = _positive(self.mean_height, "mean_height", "m") * floor
        ach = float(self.infiltration_ach)
        if not 0.0 <= ach <= 10.0:
            raise InputError(
                f"infiltration_ach must be within 0..10 1/h, got {self.infiltration_ach!r}",
                key="infiltration_ach",
                value=self.infiltration_ach,
            )
        _temperature(self.day_setpoint, "day_setpoint")
        _temperature(self.night_setpoint, "night_setpoint")
        _temperature(self.screen_night_below, "screen_night_below")
        _temperature(self.screen_day_below, "screen_day_below")
        if not self.day_threshold >= 0.0:
            raise InputError(
                f"day_threshold must be >= 0 W/m2, got {self.day_threshold!r}",
                key="day_threshold",
                value=self.day_threshold,
            )
        if self.day_hours is not None:
            first, last = self.day_hours
            if not (1 <= int(first) <= int(last) <= 24):
                raise InputError(
                    f"day_hours must be (first, last) with 1 <= first <= last <= 24, got "
                    f"{self.day_hours!r}",
                    key="day_hours",
                    value=self.day_hours,
                )
        _fraction(self.solar_utilisation, "solar_utilisation")
        _fraction(self.screen_u_reduction, "screen_u_reduction")
        _fraction(self.screen_solar_transmission, "screen_solar_transmission")
        if not self.min_heat_flux >= 0.0:
            raise InputError(
                f"min_heat_flux must be >= 0 W/m2, got {self.min_heat_flux!r}",
                key="min_heat_flux",
                value=self.min_heat_flux,
            )
        self._resolved.update(
            u_value=u, solar_transmissivity=tau, cover_area=a_cov, volume=vol, floor_area=floor
        )

    # -- resolved parameters -------------------------------------------------------------------
    @property
    def effective_u_value(self) -> float:
        """Cover U-value in use [W/(m²·K)] (given, or from the named cover)."""
        return self._resolved["u_value"]

    @property
    def effective_cover_area(self) -> float:
        """Cover area in use [m²]."""
        return self._resolved["cover_area"]

    @property
    def effective_volume(self) -> float:
        """Air volume in use [m³]."""
        return self._resolved["volume"]

    @property
    def effective_solar_transmissivity(self) -> float:
        """Cover solar transmissivity in use [-]."""
        return self._resolved["solar_transmissivity"]

    def loss_coefficient(
        self,
        *,
        screen_closed: bool = False,
        air_density: float | None = None,
        air_temperature: float | None = None,
        pressure: float = STANDARD_PRESSURE,
    ) -> float:
        """Total heat-loss coefficient U·A + ρ c_p V̇ [W/K] (cover plus infiltration).

        Parameters
        ----------
        screen_closed
            Apply the screen's U reduction.
        air_density
            Air density for the infiltration term [kg/m³]. Default: the same model as
            :meth:`heat_balance`, ``pressure / (R_air · air_temperature)``.
        air_temperature
            Greenhouse air temperature for that density [K]; default the day setpoint.
        pressure
            Air pressure for that density [Pa]; default 101 325 Pa.
        """
        ua = self.effective_u_value * self.effective_cover_area
        if screen_closed and self.thermal_screen:
            ua *= 1.0 - self.screen_u_reduction
        if air_density is None:
            t = self.day_setpoint if air_temperature is None else air_temperature
            air_density = pressure / (AIR_GAS_CONSTANT * t)
        return ua + air_density * AIR_CP * self.infiltration_ach * self.effective_volume / 3600.0

    # -- construction helper -------------------------------------------------------------------
    @classmethod
    def from_dimensions(
        cls,
        *,
        length: float,
        width: float,
        gutter_height: float,
        span_width: float = 8.0,
        roof_slope_deg: float = 25.0,
        **kwargs: object,
    ) -> Greenhouse:
        """A gutter-connected block of gable spans, with cover area and volume from geometry.

        Floor L·W; roof L·W/cos(ψ); side walls 2(L+W)·h_gutter; gable ends 2·n_spans·(s/2)²·tan ψ
        (triangles over each span, spans running along the length); mean height
        h_gutter + (s/4)·tan ψ. Span width and slope defaults: 8 m, 25° (Vanthoor 2011 mean
        cover slope ψ = 25°). Other keyword arguments go to :class:`Greenhouse`.
        """
        length = _positive(length, "length", "m")
        width = _positive(width, "width", "m")
        h = _positive(gutter_height, "gutter_height", "m")
        s = _positive(span_width, "span_width", "m")
        slope = float(roof_slope_deg)
        if not 0.0 <= slope < 60.0:
            raise InputError(
                f"roof_slope_deg must be within 0..60, got {roof_slope_deg!r}",
                key="roof_slope_deg",
                value=roof_slope_deg,
            )
        psi = math.radians(slope)
        floor = length * width
        n_spans = max(1, round(width / s))
        roof = floor / math.cos(psi)
        walls = 2.0 * (length + width) * h
        gables = 2.0 * n_spans * (s / 2.0) ** 2 * math.tan(psi)
        mean_h = h + s / 4.0 * math.tan(psi)
        return cls(
            floor_area=floor,
            cover_area=roof + walls + gables,
            volume=mean_h * floor,
            **kwargs,  # type: ignore[arg-type]
        )

    # -- the hourly balance --------------------------------------------------------------------
    def heat_balance(self, weather: Weather, *, air_density: float | None = None) -> HeatBalance:
        """Hour-by-hour heat balance for a weather year (see module docstring for equations).

        ``air_density`` [kg/m³] fixes the infiltration air density; by default it is the
        greenhouse air's at its setpoint and the hour's pressure (as :meth:`loss_coefficient`).
        """
        if not isinstance(weather, Weather):
            raise InputError(
                f"weather must be a thermo.climate.Weather, got {type(weather).__name__}; use "
                "thermo.climate.read_epw() or synthetic_climate()",
                key="weather",
            )
        t_out = weather.dry_bulb
        ghi = weather.global_horizontal
        if self.day_hours is not None:
            first, last = self.day_hours
            is_day = (weather.hour >= int(first)) & (weather.hour <= int(last))
        else:
            is_day = ghi > self.day_threshold
        t_set = np.where(is_day, self.day_setpoint, self.night_setpoint)
        if self.thermal_screen:
            screen = np.where(
                is_day, t_out < self.screen_day_below, t_out < self.screen_night_below
            )
        else:
            screen = np.zeros(t_out.shape, dtype=bool)
        dt = t_set - t_out
        ua = self.effective_u_value * self.effective_cover_area
        ua_eff = np.where(screen, ua * (1.0 - self.screen_u_reduction), ua)
        cover_loss = ua_eff * dt
        pressure = (
            weather.atmospheric_pressure
            if weather.atmospheric_pressure is not None
            else STANDARD_PRESSURE
        )
        rho = pressure / (AIR_GAS_CONSTANT * t_set) if air_density is None else air_density
        infiltration = rho * AIR_CP * self.infiltration_ach * self.effective_volume / 3600.0 * dt
        tau_scr = np.where(screen, self.screen_solar_transmission, 1.0)
        solar = (
            self.solar_utilisation
            * self.effective_solar_transmissivity
            * tau_scr
            * ghi
            * self._resolved["floor_area"]
        )
        net = cover_loss + infiltration - solar
        demand = np.maximum(net, 0.0)
        if self.min_heat_flux > 0.0:
            demand = np.maximum(demand, self.min_heat_flux * self._resolved["floor_area"])
        surplus = np.maximum(-net, 0.0)
        return HeatBalance(
            demand=demand,
            surplus=surplus,
            cover_loss=cover_loss,
            infiltration_loss=infiltration,
            solar_gain=solar,
            setpoint=t_set,
            is_day=is_day,
            screen_closed=screen,
            floor_area=self._resolved["floor_area"],
        )

    def heat_demand(self, weather: Weather) -> np.ndarray:
        """Heat demand for every hour of ``weather`` [W], ≥ 0 (surplus solar gain gives 0)."""
        return self.heat_balance(weather).demand


def _check_hourly(power: np.ndarray, weather: Weather) -> np.ndarray:
    p = np.asarray(power, dtype=float)
    if p.shape != (weather.n_hours,):
        raise InputError(
            f"power has shape {p.shape}, expected ({weather.n_hours},): one value per weather hour",
            key="power",
        )
    return p


def monthly_totals(power: np.ndarray, weather: Weather) -> np.ndarray:
    """Energy per calendar month [J] from an hourly power series [W] (each row is one hour).

    Returns an array of 12 values, January first.
    """
    p = _check_hourly(power, weather)
    return np.bincount(weather.month - 1, weights=p, minlength=12)[:12] * _HOUR_SECONDS


def season_total(
    power: np.ndarray, weather: Weather, months: Sequence[int] = HEATING_SEASON_SEP_MAY
) -> float:
    """Energy over the given months [J] from an hourly power series [W].

    Parameters
    ----------
    months
        Calendar months to include (1..12). Default September–May (:data:`HEATING_SEASON_SEP_MAY`).
    """
    sel = np.asarray(list(months), dtype=int)
    if sel.size == 0 or np.any((sel < 1) | (sel > 12)):
        raise InputError(f"months must be within 1..12, got {list(months)}", key="months")
    return float(monthly_totals(power, weather)[sel - 1].sum())
