"""Hourly weather: the :class:`Weather` container and an EnergyPlus Weather (EPW) file reader.

An EPW file has 8 header lines (``LOCATION``, ``DESIGN CONDITIONS``, ``TYPICAL/EXTREME PERIODS``,
``GROUND TEMPERATURES``, ``HOLIDAYS/DAYLIGHT SAVINGS``, ``COMMENTS 1``, ``COMMENTS 2``,
``DATA PERIODS``) followed by one comma-separated row of 35 fields per hour: 8760 rows, or 8784
in a leap year. Field order, units and missing-value codes follow the EnergyPlus *Auxiliary
Programs* manual, chapter "Weather Converter Program", section "EnergyPlus Weather File (EPW)
Data Dictionary" (U.S. DOE / NREL, EnergyPlus v24.1). The ``hour`` field runs 1..24 and labels the
hour that *ends* at that time (hour 1 = 00:00–01:00 local standard time).

Reading is strict: a file that is not what it claims to be raises :class:`thermo.errors.InputError`
naming the file, the line number and the field. In particular a missing-value code (99.9 °C dry
bulb, 9999 W·h/m² irradiance, 999 m/s wind, ...) never becomes a number; see :func:`read_epw` for
the optional, bounded gap-filling policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from thermo.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Location",
    "Weather",
    "read_epw",
    "SHIPPED_WEATHER",
    "shipped_weather_path",
    "EPW_FIELDS",
]

ZERO_CELSIUS_K = 273.15
"""0 °C in kelvin [K]."""

SHIPPED_WEATHER: dict[str, str] = {
    "winnipeg": "CAN_MB_Winnipeg.The.Forks.715790_TMYx.epw",
    "london_on": "CAN_ON_London.AP.716230_CWEC2020.epw",
}
"""Weather files shipped in ``thermo/data/weather`` by short name (source and licence in
``thermo/data/weather/ATTRIBUTION.md``)."""

HEADER_LINES = 8
MIN_FIELDS = 35


@dataclass(frozen=True)
class _Field:
    """One EPW data field that thermo reads (0-based column, unit, missing code, valid range)."""

    name: str
    column: int
    unit: str
    missing: float  # EnergyPlus "\missing": a value >= this is missing
    low: float  # EnergyPlus "\minimum" (inclusive unless noted)
    high: float  # EnergyPlus "\maximum"


# Columns, units, missing codes and limits from the EnergyPlus EPW data dictionary (see module doc).
EPW_FIELDS: dict[str, _Field] = {
    f.name: f
    for f in (
        _Field("dry_bulb", 6, "degC", 99.9, -70.0, 70.0),
        _Field("dew_point", 7, "degC", 99.9, -70.0, 70.0),
        _Field("relative_humidity", 8, "%", 999.0, 0.0, 110.0),
        _Field("atmospheric_pressure", 9, "Pa", 999999.0, 31000.0, 120000.0),
        _Field("global_horizontal", 13, "Wh/m2", 9999.0, 0.0, 9998.0),
        _Field("wind_speed", 21, "m/s", 999.0, 0.0, 40.0),
    )
}
"""The EPW data fields thermo reads, with their 0-based column, unit, missing-value code and
valid range from the EnergyPlus data dictionary."""

_CAL_COLUMNS = (1, 2, 3)  # month, day, hour
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class Location:
    """Where a weather record was taken (the EPW ``LOCATION`` header).

    Attributes
    ----------
    name
        Station or place name.
    region, country
        State/province and country codes as written in the file.
    source
        Data-set label from the header (e.g. ``"SRC-TMYx"``, ``"CWEC2020"``).
    wmo
        WMO station number as text (may be ``"unknown"``).
    latitude
        Latitude [degrees, north positive], −90..90.
    longitude
        Longitude [degrees, east positive], −180..180.
    time_zone
        Offset of local standard time from UTC [h], −12..14.
    elevation
        Elevation above sea level [m].
    """

    name: str
    latitude: float
    longitude: float
    time_zone: float
    elevation: float
    region: str = ""
    country: str = ""
    source: str = ""
    wmo: str = ""


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Weather:
    """An hourly weather year, SI units, one value per hour.

    All arrays have length ``n_hours`` (8760 or 8784 for a read EPW file) and are read-only.
    Hour ``i`` covers the hour that ends at ``hour[i]`` o'clock local standard time on
    ``month[i]``/``day[i]`` (EPW convention, ``hour`` in 1..24).

    Attributes
    ----------
    location
        Where the data belong.
    dry_bulb
        Outdoor dry-bulb air temperature [K].
    dew_point
        Dew-point temperature [K].
    relative_humidity
        Relative humidity [-], nominally 0..1 (EPW allows up to 1.10 for supersaturation; not
        clipped).
    global_horizontal
        Global horizontal irradiance, mean over the hour [W/m²] (an EPW value in W·h/m² per hour
        is numerically the hourly mean in W/m²).
    wind_speed
        Wind speed at 10 m [m/s].
    month, day, hour
        Calendar of each row: month 1..12, day of month, hour 1..24 (hour ending).
    source
        Where the data came from (file name, or a description of a synthetic year).
    atmospheric_pressure
        Station pressure [Pa]. Optional: ``None`` when not available.
    """

    location: Location
    dry_bulb: np.ndarray
    dew_point: np.ndarray
    relative_humidity: np.ndarray
    global_horizontal: np.ndarray
    wind_speed: np.ndarray
    month: np.ndarray
    day: np.ndarray
    hour: np.ndarray
    source: str = ""
    atmospheric_pressure: np.ndarray | None = field(default=None)

    def __post_init__(self) -> None:
        names = [
            "dry_bulb",
            "dew_point",
            "relative_humidity",
            "global_horizontal",
            "wind_speed",
            "month",
            "day",
            "hour",
        ]
        if self.atmospheric_pressure is not None:
            names.append("atmospheric_pressure")
        n = None
        for name in names:
            raw = getattr(self, name)
            dtype = np.int64 if name in ("month", "day", "hour") else np.float64
            arr = np.asarray(raw, dtype=dtype)
            if arr.ndim != 1:
                raise InputError(
                    f"Weather.{name} must be a 1-D array, got shape {arr.shape}", key=name
                )
            if n is None:
                n = arr.size
            elif arr.size != n:
                raise InputError(
                    f"Weather.{name} has {arr.size} values but dry_bulb has {n}; every array "
                    "must have one value per hour",
                    key=name,
                    value=arr.size,
                )
            object.__setattr__(self, name, _readonly(arr))
        if n == 0:
            raise InputError("Weather needs at least one hour of data", key="dry_bulb")

    @property
    def n_hours(self) -> int:
        """Number of hourly rows [-]."""
        return int(self.dry_bulb.size)

    def degree_hours(self, base: float) -> float:
        """Heating degree-hours below ``base``: Σ max(0, base − T_db) × 1 h [K·h].

        Parameters
        ----------
        base
            Base temperature [K], e.g. 291.15 K (18 °C).
        """
        return float(np.maximum(0.0, base - self.dry_bulb).sum())

    def to_frame(self) -> pd.DataFrame:
        """The hourly data as a pandas DataFrame (pandas is imported here, not at module load).

        Columns carry their unit: ``dry_bulb_K``, ``dew_point_K``, ``relative_humidity``,
        ``global_horizontal_W_m2``, ``wind_speed_m_s``, (``atmospheric_pressure_Pa``), plus
        ``month``, ``day``, ``hour``. The index is the hour of the year, 0-based.
        """
        import pandas as pd

        data: dict[str, Any] = {
            "month": self.month,
            "day": self.day,
            "hour": self.hour,
            "dry_bulb_K": self.dry_bulb,
            "dew_point_K": self.dew_point,
            "relative_humidity": self.relative_humidity,
            "global_horizontal_W_m2": self.global_horizontal,
            "wind_speed_m_s": self.wind_speed,
        }
        if self.atmospheric_pressure is not None:
            data["atmospheric_pressure_Pa"] = self.atmospheric_pressure
        frame = pd.DataFrame(data)
        frame.index.name = "hour_of_year"
        return frame


# --------------------------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------------------------


def shipped_weather_path(name: str) -> Path:
    """Path of a weather file shipped with thermo, by short name (see :data:`SHIPPED_WEATHER`).

    Raises
    ------
    InputError
        If ``name`` is not a shipped weather name.
    """
    key = name.strip().lower()
    if key not in SHIPPED_WEATHER:
        raise InputError(
            f"unknown weather name {name!r}; shipped weather files are "
            + ", ".join(repr(k) for k in SHIPPED_WEATHER)
            + " (or give a path to an .epw file)",
            key="weather",
            value=name,
        )
    ref = resources.files("thermo").joinpath("data", "weather", SHIPPED_WEATHER[key])
    return Path(str(ref))


def _resolve(path_or_name: str | Path) -> Path:
    if isinstance(path_or_name, Path):
        return path_or_name
    if not isinstance(path_or_name, str):
        raise InputError(
            f"weather must be a path or a shipped name, got {type(path_or_name).__name__}",
            key="weather",
            value=path_or_name,
        )
    candidate = Path(path_or_name)
    if candidate.suffix.lower() == ".epw" or candidate.exists() or "/" in path_or_name:
        return candidate
    return shipped_weather_path(path_or_name)


def _parse_location(line: str, fname: str) -> Location:
    parts = [p.strip() for p in line.split(",")]
    if parts[0].upper() != "LOCATION":
        raise InputError(
            "line 1 must start with 'LOCATION'; is this an EPW file?",
            file=fname,
            line=1,
        )
    if len(parts) < 10:
        raise InputError(
            f"the LOCATION line has {len(parts)} fields, expected 10 (LOCATION, city, region, "
            "country, source, WMO, latitude, longitude, time zone, elevation)",
            file=fname,
            line=1,
        )
    limits = {
        "latitude": (6, -90.0, 90.0),
        "longitude": (7, -180.0, 180.0),
        "time_zone": (8, -12.0, 14.0),
        "elevation": (9, -1000.0, 9999.9),
    }
    values: dict[str, float] = {}
    for key, (idx, lo, hi) in limits.items():
        text = parts[idx]
        try:
            val = float(text)
        except ValueError:
            raise InputError(
                f"LOCATION field {idx + 1} ({key}) is not a number",
                file=fname,
                line=1,
                key=key,
            ) from None
        if not (lo <= val <= hi) or not math.isfinite(val):
            raise InputError(
                f"LOCATION {key} = {val} is outside {lo}..{hi}",
                file=fname,
                line=1,
                key=key,
                value=val,
            )
        values[key] = val
    return Location(
        name=parts[1].strip('"'),
        region=parts[2],
        country=parts[3],
        source=parts[4],
        wmo=parts[5],
        **values,
    )


def _expected_calendar(leap: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = list(_DAYS_IN_MONTH)
    if leap:
        days[1] = 29
    month = np.repeat(np.arange(1, 13), np.array(days) * 24)
    day = np.concatenate([np.repeat(np.arange(1, d + 1), 24) for d in days])
    hour = np.tile(np.arange(1, 25), sum(days))
    return month, day, hour


def _locate_bad_number(rows: list[str], columns: list[int], fname: str) -> InputError:
    """Slow path: find the first field that is not a number, for a precise message."""
    names = {f.column: f.name for f in EPW_FIELDS.values()}
    names.update({1: "month", 2: "day", 3: "hour"})
    for i, row in enumerate(rows):
        fields = row.split(",")
        for c in columns:
            text = fields[c].strip() if c < len(fields) else ""
            try:
                float(text)
            except ValueError:
                return InputError(
                    f"field {c + 1} ({names.get(c, '?')}) is not a number",
                    file=fname,
                    line=HEADER_LINES + 1 + i,
                    key=names.get(c),
                )
    return InputError("a data field could not be read as a number", file=fname)


def _fill_gaps(
    values: np.ndarray, bad: np.ndarray, max_gap: int, name: str, fname: str
) -> np.ndarray:
    """Linear interpolation across runs of ``bad`` no longer than ``max_gap`` hours."""
    idx = np.flatnonzero(bad)
    # run starts/ends
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    n = values.size
    for s, e in zip(starts, ends, strict=True):
        length = e - s + 1
        if length > max_gap or s == 0 or e == n - 1:
            why = (
                f"{length} consecutive missing hours (more than max_gap_hours={max_gap})"
                if length > max_gap
                else "missing values at the start or end of the year cannot be interpolated"
            )
            raise InputError(
                f"field {EPW_FIELDS[name].column + 1} ({name}): {why}",
                file=fname,
                line=HEADER_LINES + 1 + int(s),
                key=name,
            )
    good = ~bad
    out = values.copy()
    out[bad] = np.interp(np.flatnonzero(bad), np.flatnonzero(good), values[good])
    return out


def read_epw(
    path_or_name: str | Path,
    *,
    missing: str = "raise",
    max_gap_hours: int = 6,
) -> Weather:
    """Read an EnergyPlus Weather (EPW) file into a :class:`Weather` (SI units).

    Parameters
    ----------
    path_or_name
        A path to an ``.epw`` file, or the short name of a file shipped with thermo:
        ``"winnipeg"`` (Winnipeg The Forks TMYx 2001–2023) or ``"london_on"`` (London ON CWEC2020).
    missing
        Policy for EPW missing-value codes (99.9 °C dry bulb or dew point, 999 % humidity,
        999999 Pa pressure, 9999 W·h/m² irradiance, 999 m/s wind; a value *at or above* the code
        counts as missing, as in EnergyPlus). ``"raise"`` (default): raise :class:`InputError`
        naming the file, line and field. ``"interpolate"``: fill runs of at most
        ``max_gap_hours`` consecutive missing hours by linear interpolation in time; a longer run,
        or one touching the first or last hour, still raises. Values outside the data
        dictionary's range that are *not* missing codes always raise.
    max_gap_hours
        Longest run of missing hours filled when ``missing="interpolate"`` [h].

    Returns
    -------
    Weather
        Every hourly row of the file (8760, or 8784 for a leap year).

    Raises
    ------
    InputError
        Unreadable file, wrong header, LOCATION fields missing or out of range, row count other
        than 8760/8784, a row with fewer than 35 fields, a non-numeric value, month/day/hour out of
        calendar order, a missing-value code (with ``missing="raise"``), or a value outside the
        EPW data dictionary's range.

    Notes
    -----
    Checks follow the EnergyPlus EPW data dictionary (EnergyPlus *Auxiliary Programs*, "Weather
    Converter Program"). Parsing uses :func:`numpy.loadtxt` on the selected columns (about 10 ms
    per file); only when a field is not numeric does a slow pass find its line.
    """
    if missing not in ("raise", "interpolate"):
        raise InputError(
            f"missing must be 'raise' or 'interpolate', got {missing!r}",
            key="missing",
            value=missing,
        )
    if int(max_gap_hours) != max_gap_hours or max_gap_hours < 1:
        raise InputError(
            f"max_gap_hours must be a positive whole number of hours, got {max_gap_hours!r}",
            key="max_gap_hours",
            value=max_gap_hours,
        )
    path = _resolve(path_or_name)
    fname = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read weather file: {exc.strerror or exc}", file=str(path)
        ) from None
    # latin-1 maps every byte, so odd characters in comment lines never abort the read.
    lines = raw.decode("latin-1").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < HEADER_LINES + 1:
        raise InputError(
            f"file has {len(lines)} lines; an EPW file has 8 header lines and 8760 or 8784 "
            "hourly rows",
            file=fname,
        )
    location = _parse_location(lines[0], fname)
    if not lines[HEADER_LINES - 1].upper().startswith("DATA PERIODS"):
        raise InputError(
            f"line {HEADER_LINES} must start with 'DATA PERIODS'; an EPW file has exactly 8 "
            "header lines",
            file=fname,
            line=HEADER_LINES,
        )
    rows = lines[HEADER_LINES:]
    n = len(rows)
    if n not in (8760, 8784):
        raise InputError(
            f"found {n} hourly data rows, expected 8760 (or 8784 for a leap year); this reader "
            "takes hourly EPW files with one data period",
            file=fname,
        )
    counts = np.fromiter((r.count(",") + 1 for r in rows), dtype=np.int64, count=n)
    short = np.flatnonzero(counts < MIN_FIELDS)
    if short.size:
        i = int(short[0])
        raise InputError(
            f"row has {counts[i]} fields, expected {MIN_FIELDS} (EPW data rows have 35 fields)",
            file=fname,
            line=HEADER_LINES + 1 + i,
        )

    columns = list(_CAL_COLUMNS) + [f.column for f in EPW_FIELDS.values()]
    try:
        data = np.loadtxt(rows, delimiter=",", usecols=columns, dtype=np.float64, ndmin=2)
    except ValueError:
        raise _locate_bad_number(rows, columns, fname) from None
    if not np.all(np.isfinite(data)):
        i, j = np.argwhere(~np.isfinite(data))[0]
        raise InputError(
            f"field {columns[j] + 1} is not a finite number",
            file=fname,
            line=HEADER_LINES + 1 + int(i),
        )

    cal = data[:, :3]
    want = np.stack(_expected_calendar(n == 8784), axis=1)
    off = np.flatnonzero(np.any(cal != want, axis=1))
    if off.size:
        i = int(off[0])
        got = tuple(int(x) if float(x).is_integer() else float(x) for x in cal[i])
        raise InputError(
            f"month/day/hour is {got}, expected {tuple(int(x) for x in want[i])}: hourly rows must "
            "run from 1 Jan hour 1 to 31 Dec hour 24 without gaps or repeats",
            file=fname,
            line=HEADER_LINES + 1 + i,
            key="month/day/hour",
            value=got,
        )

    values: dict[str, np.ndarray] = {}
    for j, spec in enumerate(EPW_FIELDS.values(), start=3):
        col = data[:, j]
        bad = col >= spec.missing
        if bad.any():
            if missing == "raise":
                i = int(np.flatnonzero(bad)[0])
                raise InputError(
                    f"field {spec.column + 1} ({spec.name}) holds the EPW missing-value code "
                    f"({col[i]:g} >= {spec.missing:g}) in {int(bad.sum())} row(s), the first here; "
                    "use read_epw(..., missing='interpolate') to fill short gaps",
                    file=fname,
                    line=HEADER_LINES + 1 + i,
                    key=spec.name,
                    value=float(col[i]),
                )
            col = _fill_gaps(col, bad, int(max_gap_hours), spec.name, fname)
        out = np.flatnonzero((col < spec.low) | (col > spec.high))
        if out.size:
            i = int(out[0])
            raise InputError(
                f"field {spec.column + 1} ({spec.name}) = {col[i]:g} {spec.unit} is outside the EPW "
                f"range {spec.low:g}..{spec.high:g} {spec.unit}",
                file=fname,
                line=HEADER_LINES + 1 + i,
                key=spec.name,
                value=float(col[i]),
            )
        values[spec.name] = col

    return Weather(
        location=location,
        dry_bulb=values["dry_bulb"] + ZERO_CELSIUS_K,
        dew_point=values["dew_point"] + ZERO_CELSIUS_K,
        relative_humidity=values["relative_humidity"] / 100.0,
        global_horizontal=values["global_horizontal"],
        wind_speed=values["wind_speed"],
        atmospheric_pressure=values["atmospheric_pressure"],
        month=cal[:, 0].astype(np.int64),
        day=cal[:, 1].astype(np.int64),
        hour=cal[:, 2].astype(np.int64),
        source=f"EPW file {fname} ({location.source})",
    )
