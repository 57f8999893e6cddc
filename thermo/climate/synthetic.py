"""A synthetic hourly weather year from 12 monthly mean temperatures (for quick studies).

The year is built in four cited steps:

1. **Seasonal cycle.** A Fourier series in the day of the year is fitted to the 12 monthly means,
   each month's *average* of the series (not its mid-month value) being matched. With the default
   6 harmonics the fit passes through every monthly mean exactly (minimum-norm solution); with 2
   harmonics it is the least-squares fit of docs/references.md §8 (Winnipeg 1971–2000:
   T = 2.69 − 17.70 cos ωd − 4.91 sin ωd − 1.70 cos 2ωd − 0.67 sin 2ωd °C).
2. **Diurnal cycle.** A cosine with its maximum at 15 h on the clock (hour 14–15) and a given
   half-amplitude (scalar or one per month). Its 24 hourly values sum to zero, so daily and
   monthly means are untouched.
3. **Optional weather noise.** A daily AR(1) anomaly a_d = φ a_(d−1) + √(1−φ²) σ ε_d (ε standard
   normal, reproducible with ``seed``), interpolated linearly between day centres; each month's
   mean noise is then removed so that monthly means stay exact.
4. **Irradiance.** Hourly extraterrestrial irradiance on a horizontal plane from FAO-56 (Allen et
   al. 1998, eqs. 23–25, 28, 31–32; exact integral over each hour), times a clearness index from the
   Ångström–Prescott relation K_t = a_s + b_s·n/N (FAO-56 eq. 35, a_s = 0.25, b_s = 0.50). With the
   default relative sunshine n/N = 1 this is FAO-56's clear-sky estimate (K_t = 0.75, eq. 36 at sea
   level); pass the observed relative sunshine to get an average-sky year.

Humidity is a constant relative humidity with the dew point from the Magnus formula (Alduchov &
Eskridge 1996); wind is a constant. The result is a smooth, statistically plain year: it has the
right monthly means and a plausible daily cycle but no weather-system persistence beyond the
AR(1) noise, no cloud-temperature correlation, and clear-sky-shaped irradiance. Use a measured
EPW year (:func:`thermo.climate.read_epw`) for design.

References
----------
.. [1] R. G. Allen, L. S. Pereira, D. Raes, M. Smith, "Crop evapotranspiration — Guidelines for
   computing crop water requirements", FAO Irrigation and Drainage Paper 56, FAO, Rome, 1998,
   chapter 3 (eqs. 21–36; Example 8: Ra = 32.2 MJ m⁻² d⁻¹ at 20° S on 3 September).
.. [2] O. A. Alduchov, R. E. Eskridge, "Improved Magnus form approximation of saturation vapor
   pressure", J. Appl. Meteor. 35 (1996) 601–609. :doi:`10.1175/1520-0450(1996)035<0601:IMFAOS>2.0.CO;2`
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from thermo.climate.epw import ZERO_CELSIUS_K, Location, Weather
from thermo.errors import InputError

__all__ = [
    "WINNIPEG_1971_2000",
    "DE_BILT_1981_2010",
    "DE_BILT_DIURNAL_HALF_AMPLITUDE_K",
    "DE_BILT_RELATIVE_SUNSHINE",
    "WINNIPEG_DIURNAL_HALF_AMPLITUDE_K",
    "fit_monthly_harmonics",
    "harmonic_temperature",
    "extraterrestrial_horizontal",
    "synthetic_climate",
]

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_MONTH_START = np.concatenate(([0], np.cumsum(DAYS_IN_MONTH)))  # day index of each month start
YEAR_DAYS = 365

WINNIPEG_1971_2000: tuple[float, ...] = (
    -17.8, -13.6, -6.1, 4.0, 12.0, 17.0, 19.5, 18.5, 12.3, 5.3, -5.3, -14.4,
)  # fmt: skip
"""Monthly mean daily temperature [°C], Jan..Dec, Winnipeg Richardson Int'l A, 1971–2000
(Environment Canada Canadian Climate Normals; docs/references.md §8, tag [V]). Annual mean 2.6 °C."""

WINNIPEG_DIURNAL_HALF_AMPLITUDE_K: tuple[float, ...] = (
    5.05, 5.13, 5.35, 5.65, 5.95, 6.17, 6.25, 6.17, 5.95, 5.65, 5.35, 5.13,
)  # fmt: skip
"""Diurnal half-amplitude [K], Jan..Dec, for Winnipeg: (mean daily max − mean daily min)/2 from
the 1971–2000 normals is 5.05 K in January (−12.7/−22.8 °C) and 6.25 K in July (25.8/13.3 °C)
(docs/references.md §8 [V]); other months follow a cosine between those two anchors [D]:
A_m = 5.05 + 1.2·(1 − cos(2π(m − 1)/12))/2."""

DE_BILT_1981_2010: tuple[float, ...] = (
    3.1, 3.3, 6.2, 9.2, 13.1, 15.6, 17.9, 17.5, 14.5, 10.7, 6.7, 3.7,
)  # fmt: skip
"""Monthly mean temperature [°C], Jan..Dec, De Bilt (KNMI station 260, Netherlands), long-term
normal 1981–2010, as quoted month by month in KNMI and weather-service monthly reports (KNMI
"maand- en seizoensoverzichten" for April 2017 (9.2), June 2012 (15.6), August 2018 (17.5);
KNMI via Vroege Vogels 2023 for Jan 3.1 / Feb 3.3 / Mar 6.2 "in de klimaatperiode 1981–2010";
KNMI via Het Parool, May 2018 (13.1); Weeronline July 2020 overview (17.9); Weeronline via De
Telegraaf, September 2014 (14.5); Weerplaza via De Stentor, October 2017 (10.7); Weeronline,
November 2018 and 2019 (6.7); Weeronline, December 2019 (3.7)). Their mean, 10.1 °C, equals the
1981–2010 annual mean of CBS table 80182ned "Klimaatgegevens; De Bilt" (10.1 °C), an
independent check of the compilation. See docs/validation/greenhouse.md."""

DE_BILT_DIURNAL_HALF_AMPLITUDE_K: tuple[float, ...] = (
    2.9, 3.03, 3.4, 3.9, 4.4, 4.77, 4.9, 4.77, 4.4, 3.9, 3.4, 3.03,
)  # fmt: skip
"""Diurnal half-amplitude [K], Jan..Dec, for De Bilt [D]: winter (DJF) mean 3.4 °C minus mean
daily minimum 0.5 °C = 2.9 K, summer (JJA) mean daily maximum 21.9 °C minus mean 17.0 °C = 4.9 K
(CBS table 80182ned, 1981–2010 normals); the months between follow a cosine from 2.9 K in
January to 4.9 K in July, A_m = 2.9 + 2.0·(1 − cos(2π(m − 1)/12))/2."""

DE_BILT_RELATIVE_SUNSHINE: float = 1602.0 / 4380.0
"""Relative sunshine duration n/N [-] for De Bilt [D]: 1602 h of sunshine per year (CBS table
80182ned, 1981–2010) over 4380 h of possible daylight at 52.1° N (FAO-56 eqs. 24, 25, 34 summed
over 365 days) = 0.366, used as one value for every month."""


def _check_monthly(values: float | Sequence[float], name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        arr = np.full(12, float(arr))
    if arr.shape != (12,):
        raise InputError(
            f"{name} must be one value or 12 monthly values (Jan..Dec), got shape {arr.shape}",
            key=name,
            value=values,
        )
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite numbers, got {arr.tolist()}", key=name)
    return arr


def _month_average_design(harmonics: int) -> np.ndarray:
    """Matrix A (12 × (1+2K)): month-average of 1, cos kωt, sin kωt over each month, t in days."""
    w = 2.0 * np.pi / YEAR_DAYS
    a = _MONTH_START[:-1].astype(float)
    b = _MONTH_START[1:].astype(float)
    cols = [np.ones(12)]
    for k in range(1, harmonics + 1):
        kw = k * w
        span = kw * (b - a)
        cols.append((np.sin(kw * b) - np.sin(kw * a)) / span)
        cols.append((np.cos(kw * a) - np.cos(kw * b)) / span)
    return np.stack(cols, axis=1)


def fit_monthly_harmonics(monthly_mean_C: Sequence[float], *, harmonics: int = 6) -> np.ndarray:
    """Fourier coefficients whose month-averages match 12 monthly means.

    The series is T(t) = c0 + Σ_k [c_{2k−1} cos(kωt) + c_{2k} sin(kωt)], ω = 2π/365 d⁻¹, t the
    time since 1 January 00:00 [d]. Each equation sets the *average* of T over one calendar month
    (365-day year) equal to that month's mean.

    Parameters
    ----------
    monthly_mean_C
        12 monthly mean temperatures, January first [°C].
    harmonics
        Number of harmonics K, 1..6. K = 6 (13 coefficients, 12 equations) passes through all
        12 means exactly (minimum-norm solution); K < 6 is a least-squares fit.

    Returns
    -------
    numpy.ndarray
        ``[c0, a1, b1, a2, b2, ...]`` [°C], length 1 + 2K.
    """
    means = _check_monthly(monthly_mean_C, "monthly_mean_C")
    if int(harmonics) != harmonics or not 1 <= harmonics <= 6:
        raise InputError(
            f"harmonics must be a whole number from 1 to 6, got {harmonics!r}",
            key="harmonics",
            value=harmonics,
        )
    design = _month_average_design(int(harmonics))
    coef, *_ = np.linalg.lstsq(design, means, rcond=None)
    return coef


def harmonic_temperature(coefficients: np.ndarray, t_days: np.ndarray | float) -> np.ndarray:
    """Evaluate the Fourier series of :func:`fit_monthly_harmonics` at times ``t_days`` [d] → [°C]."""
    coef = np.asarray(coefficients, dtype=float)
    t = np.asarray(t_days, dtype=float)
    w = 2.0 * np.pi / YEAR_DAYS
    out = np.full_like(t, coef[0])
    for k in range(1, (coef.size - 1) // 2 + 1):
        out = out + coef[2 * k - 1] * np.cos(k * w * t) + coef[2 * k] * np.sin(k * w * t)
    return out


SOLAR_CONSTANT = 0.0820e6 / 60.0
"""Solar constant used by FAO-56 [W/m²]: 0.0820 MJ m⁻² min⁻¹ = 1366.7 W/m² (Allen et al. 1998)."""


def extraterrestrial_horizontal(
    day_of_year: np.ndarray | float,
    hour: np.ndarray | float,
    latitude: float,
    *,
    longitude: float | None = None,
    time_zone: float | None = None,
) -> np.ndarray:
    """Mean extraterrestrial irradiance on a horizontal plane over the hour ending at ``hour``.

    FAO-56 eq. 28 (Allen et al. 1998): the exact integral of G_sc·d_r·cos θz over the hour, with
    inverse relative Earth–Sun distance d_r (eq. 23), declination δ (eq. 24), sunset hour angle
    ω_s (eq. 25, hour angles clipped to ±ω_s) and solar time from the standard clock time with the
    longitude and seasonal (equation-of-time) corrections (eqs. 31–32).

    Parameters
    ----------
    day_of_year
        Day number J, 1..365 (or 366) [-].
    hour
        Hour ending, 1..24 local standard time [h] (EPW convention).
    latitude
        Latitude [degrees, north positive], −90..90. FAO-56 notes reduced accuracy above 55°.
    longitude, time_zone
        Longitude [degrees, east positive] and UTC offset of standard time [h]. If both are
        ``None`` the clock is taken as local solar time (no longitude correction).

    Returns
    -------
    numpy.ndarray
        Hourly mean irradiance [W/m²], ≥ 0, broadcast shape of ``day_of_year`` and ``hour``.
    """
    if not -90.0 <= latitude <= 90.0:
        raise InputError(
            f"latitude must be within -90..90 degrees, got {latitude}",
            key="latitude",
            value=latitude,
        )
    if (longitude is None) != (time_zone is None):
        raise InputError(
            "give both longitude and time_zone, or neither (then the clock is solar time)",
            key="longitude",
        )
    j = np.asarray(day_of_year, dtype=float)
    h = np.asarray(hour, dtype=float)
    phi = np.radians(latitude)
    dr = 1.0 + 0.033 * np.cos(2.0 * np.pi * j / 365.0)
    delta = 0.409 * np.sin(2.0 * np.pi * j / 365.0 - 1.39)
    x = np.clip(-np.tan(phi) * np.tan(delta), -1.0, 1.0)
    omega_s = np.arccos(x)
    if longitude is None:
        sc = 0.0
        lon_corr = 0.0  # the clock is local solar time
    else:
        b = 2.0 * np.pi * (j - 81.0) / 364.0
        sc = 0.1645 * np.sin(2.0 * b) - 0.1255 * np.cos(b) - 0.025 * np.sin(b)  # [h], eq. 32
        lon_corr = (longitude - 15.0 * float(time_zone)) / 15.0  # [h], eq. 31
    t_mid = h - 0.5  # standard clock time at the middle of the hour [h]
    omega = np.pi / 12.0 * ((t_mid + lon_corr + sc) - 12.0)
    w1 = np.clip(omega - np.pi / 24.0, -omega_s, omega_s)
    w2 = np.clip(omega + np.pi / 24.0, -omega_s, omega_s)
    bracket = (w2 - w1) * np.sin(phi) * np.sin(delta) + np.cos(phi) * np.cos(delta) * (
        np.sin(w2) - np.sin(w1)
    )
    return np.maximum(0.0, 12.0 / np.pi * SOLAR_CONSTANT * dr * bracket)


def _dew_point_magnus(t_c: np.ndarray, rh: np.ndarray) -> np.ndarray:
    """Dew point [°C] from temperature [°C] and RH [-], Magnus form (Alduchov & Eskridge 1996)."""
    a, b = 17.625, 243.04
    gamma = np.log(rh) + a * t_c / (b + t_c)
    return b * gamma / (a - gamma)


def synthetic_climate(
    monthly_mean_C: Sequence[float],
    *,
    diurnal_amplitude_K: float | Sequence[float] = 5.0,
    harmonics: int = 6,
    noise_sd_K: float | Sequence[float] = 0.0,
    noise_lag1: float = 0.7,
    seed: int | None = None,
    latitude: float = 49.9,
    longitude: float | None = None,
    time_zone: float | None = None,
    relative_sunshine: float | Sequence[float] = 1.0,
    angstrom_a: float = 0.25,
    angstrom_b: float = 0.50,
    relative_humidity: float = 0.8,
    wind_speed: float = 4.0,
    name: str = "synthetic",
) -> Weather:
    """An 8760-hour :class:`Weather` year from 12 monthly mean temperatures.

    Parameters
    ----------
    monthly_mean_C
        12 monthly mean air temperatures, January first [°C], e.g. :data:`WINNIPEG_1971_2000`.
    diurnal_amplitude_K
        Half the daily temperature range (mean max − mean min)/2 [K]; one value or 12 monthly
        values. Default 5.0 K ≈ the Winnipeg January value (docs/references.md §8); see
        :data:`WINNIPEG_DIURNAL_HALF_AMPLITUDE_K`, :data:`DE_BILT_DIURNAL_HALF_AMPLITUDE_K`.
    harmonics
        Harmonics in the seasonal fit (1..6). 6 reproduces the monthly means exactly.
    noise_sd_K
        Standard deviation of the day-to-day AR(1) temperature anomaly [K], one value or 12
        monthly values. 0 (default) gives a deterministic year. docs/references.md §8 suggests about
        4 K in a Winnipeg winter and 1.5 K in summer.
    noise_lag1
        Lag-one (day-to-day) autocorrelation φ of the anomaly [-], 0 ≤ φ < 1. The default 0.7 is
        an assumption (typical of mid-latitude daily temperature anomalies), not a fitted value.
    seed
        Seed of :func:`numpy.random.default_rng` for reproducible noise.
    latitude
        Site latitude [degrees north], −66..66 (FAO-56 irradiance; polar day/night excluded).
        Default 49.9 (Winnipeg).
    longitude, time_zone
        Site longitude [degrees east] and standard-time UTC offset [h]; both or neither. Neither:
        hours are local solar time.
    relative_sunshine
        Relative sunshine duration n/N [-], 0..1, one value or 12 monthly values. 1 (default)
        gives FAO-56 clear-sky irradiance, an upper bound; e.g. :data:`DE_BILT_RELATIVE_SUNSHINE`.
    angstrom_a, angstrom_b
        Ångström–Prescott coefficients a_s, b_s [-] (FAO-56 eq. 35 defaults 0.25, 0.50).
    relative_humidity
        Constant relative humidity [-], 0 < RH ≤ 1 (dew point follows from Magnus).
    wind_speed
        Constant wind speed [m/s]. The default 4 m/s is a placeholder, not a climate value;
        thermo's greenhouse model uses wind only if asked to.
    name
        Location name written into the result.

    Returns
    -------
    Weather
        8760 hours (365-day year), ``hour`` 1..24 hour-ending, SI units.

    Raises
    ------
    InputError
        Wrong number of monthly values, non-finite input, or a parameter outside its range.
    """
    means = _check_monthly(monthly_mean_C, "monthly_mean_C")
    amp = _check_monthly(diurnal_amplitude_K, "diurnal_amplitude_K")
    sd = _check_monthly(noise_sd_K, "noise_sd_K")
    sun = _check_monthly(relative_sunshine, "relative_sunshine")
    if np.any(amp < 0.0) or np.any(amp > 20.0):
        raise InputError(
            f"diurnal_amplitude_K must be within 0..20 K, got {amp.tolist()}",
            key="diurnal_amplitude_K",
        )
    if np.any(sd < 0.0):
        raise InputError(f"noise_sd_K must be >= 0, got {sd.tolist()}", key="noise_sd_K")
    if not 0.0 <= noise_lag1 < 1.0:
        raise InputError(
            f"noise_lag1 must be within 0 <= phi < 1, got {noise_lag1}",
            key="noise_lag1",
            value=noise_lag1,
        )
    if np.any(sun < 0.0) or np.any(sun > 1.0):
        raise InputError(
            f"relative_sunshine must be within 0..1, got {sun.tolist()}", key="relative_sunshine"
        )
    if not -66.0 <= latitude <= 66.0:
        raise InputError(
            f"latitude must be within -66..66 degrees (no polar day or night), got {latitude}",
            key="latitude",
            value=latitude,
        )
    if not 0.0 < relative_humidity <= 1.0:
        raise InputError(
            f"relative_humidity must be within 0 < RH <= 1, got {relative_humidity}",
            key="relative_humidity",
            value=relative_humidity,
        )
    if not 0.0 <= wind_speed <= 40.0:
        raise InputError(
            f"wind_speed must be within 0..40 m/s, got {wind_speed}",
            key="wind_speed",
            value=wind_speed,
        )
    if np.any(means < -70.0) or np.any(means > 50.0):
        raise InputError(
            f"monthly_mean_C must be within -70..50 degC, got {means.tolist()}",
            key="monthly_mean_C",
        )

    n = YEAR_DAYS * 24
    day_index = np.repeat(np.arange(YEAR_DAYS), 24)  # 0-based day of year
    hour = np.tile(np.arange(1, 25), YEAR_DAYS)
    month = np.repeat(np.arange(1, 13), np.array(DAYS_IN_MONTH) * 24)
    day = np.concatenate([np.repeat(np.arange(1, d + 1), 24) for d in DAYS_IN_MONTH])
    t = day_index + (hour - 0.5) / 24.0  # mid-hour, days since 1 Jan 00:00
    m0 = month - 1

    coef = fit_monthly_harmonics(means, harmonics=harmonics)
    temp = harmonic_temperature(coef, t)
    temp = temp + amp[m0] * np.cos(2.0 * np.pi * ((hour - 0.5) - 15.0) / 24.0)

    if np.any(sd > 0.0):
        rng = np.random.default_rng(seed)
        eps = rng.standard_normal(YEAR_DAYS)
        day_month = np.repeat(np.arange(12), DAYS_IN_MONTH)
        sigma = sd[day_month]
        anomaly = np.empty(YEAR_DAYS)
        anomaly[0] = sigma[0] * eps[0]
        scale = np.sqrt(1.0 - noise_lag1**2)
        for d in range(1, YEAR_DAYS):
            anomaly[d] = noise_lag1 * anomaly[d - 1] + scale * sigma[d] * eps[d]
        hourly = np.interp(t, np.arange(YEAR_DAYS) + 0.5, anomaly)
        month_mean = np.bincount(m0, weights=hourly, minlength=12) / np.bincount(m0, minlength=12)
        temp = temp + hourly - month_mean[m0]

    kt = angstrom_a + angstrom_b * sun[m0]
    ghi = kt * extraterrestrial_horizontal(
        day_index + 1, hour, latitude, longitude=longitude, time_zone=time_zone
    )
    rh = np.full(n, float(relative_humidity))
    dew = _dew_point_magnus(temp, rh)
    location = Location(
        name=name,
        latitude=float(latitude),
        longitude=float(longitude) if longitude is not None else float("nan"),
        time_zone=float(time_zone) if time_zone is not None else float("nan"),
        elevation=float("nan"),
        source="synthetic",
    )
    source = (
        f"synthetic climate: {harmonics}-harmonic fit of monthly means "
        f"{[round(float(x), 2) for x in means]} degC, diurnal half-amplitude "
        f"{[round(float(x), 2) for x in amp]} K, AR(1) noise SD {[round(float(x), 2) for x in sd]} K "
        f"(phi {noise_lag1}, seed {seed}), FAO-56 irradiance at {latitude} deg N with n/N "
        f"{[round(float(x), 3) for x in sun]}"
    )
    return Weather(
        location=location,
        dry_bulb=temp + ZERO_CELSIUS_K,
        dew_point=dew + ZERO_CELSIUS_K,
        relative_humidity=rh,
        global_horizontal=ghi,
        wind_speed=np.full(n, float(wind_speed)),
        month=month,
        day=day,
        hour=hour,
        source=source,
    )
