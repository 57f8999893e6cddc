"""Weather for annual runs: an EnergyPlus Weather (EPW) reader and a synthetic climate.

- :func:`read_epw` reads an hourly EPW file (or a shipped one by name: ``"winnipeg"``,
  ``"london_on"``) into a :class:`Weather` of SI arrays, validating every row.
- :func:`synthetic_climate` builds an 8760-hour year from 12 monthly mean temperatures
  (harmonic fit, diurnal cycle, optional AR(1) noise, FAO-56 irradiance from latitude).

Neither imports pandas, scipy or CoolProp at module load.
"""

from __future__ import annotations

from thermo.climate.epw import (
    EPW_FIELDS,
    SHIPPED_WEATHER,
    Location,
    Weather,
    read_epw,
    shipped_weather_path,
)
from thermo.climate.synthetic import (
    DE_BILT_1981_2010,
    DE_BILT_DIURNAL_HALF_AMPLITUDE_K,
    DE_BILT_RELATIVE_SUNSHINE,
    WINNIPEG_1971_2000,
    WINNIPEG_DIURNAL_HALF_AMPLITUDE_K,
    extraterrestrial_horizontal,
    fit_monthly_harmonics,
    synthetic_climate,
)

__all__ = [
    "EPW_FIELDS",
    "SHIPPED_WEATHER",
    "Location",
    "Weather",
    "read_epw",
    "shipped_weather_path",
    "DE_BILT_1981_2010",
    "DE_BILT_DIURNAL_HALF_AMPLITUDE_K",
    "DE_BILT_RELATIVE_SUNSHINE",
    "WINNIPEG_1971_2000",
    "WINNIPEG_DIURNAL_HALF_AMPLITUDE_K",
    "extraterrestrial_horizontal",
    "fit_monthly_harmonics",
    "synthetic_climate",
]
