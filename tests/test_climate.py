"""EPW reader and synthetic climate, checked against independent statistics and published values.

Independent references used here:
- ``shared/data/weather/SOURCES.md``: row counts, mean/min/max dry bulb with their time, HDH18 and
  sha256 of the shipped files, computed by a separate standard-library reader (``check_epw.py``).
- FAO Irrigation and Drainage Paper 56 (Allen et al. 1998), ch. 3: eq. 21 (daily extraterrestrial
  radiation) and Example 8 (Ra = 32.2 MJ m⁻² d⁻¹ at 20° S on 3 September).
- docs/references.md §8: harmonic fit of the Winnipeg 1971–2000 monthly means and HDD18 ≈ 5650 K·d
  (NBC ≈ 5670 K·d).
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import SHARED

from thermo.climate import (
    DE_BILT_1981_2010,
    SHIPPED_WEATHER,
    WINNIPEG_1971_2000,
    Location,
    Weather,
    extraterrestrial_horizontal,
    fit_monthly_harmonics,
    read_epw,
    shipped_weather_path,
    synthetic_climate,
)
from thermo.errors import InputError

WINNIPEG = SHIPPED_WEATHER["winnipeg"]

# SOURCES.md "Summary" table and per-file sections (check_epw.py output).
SOURCES_STATS = {
    "winnipeg": dict(
        mean=4.56,
        min=-33.0,
        min_at=(1, 12, 8),
        max=33.3,
        hdh18=125_896,
        sha256="82af00b3777db8274c80629273aafff4ad3d948151938e84e8af24323e60e5d2",
        lat=49.8883,
        lon=-97.1295,
        tz=-6.0,
        elev=230.0,
    ),
    "london_on": dict(
        mean=8.85,
        min=-24.6,
        min_at=(2, 5, 8),
        max=33.1,
        hdh18=89_281,
        sha256="b275cc11393a3920a57d6ec9c19d8dc2418ae783bf2581132907591465cd8254",
        lat=43.03,
        lon=-81.15,
        tz=-5.0,
        elev=278.0,
    ),
}


# --------------------------------------------------------------------------------------------
# Shipped files and reader statistics
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["winnipeg", "london_on"])
def test_shipped_file_is_byte_identical_to_source(name: str) -> None:
    data = shipped_weather_path(name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SOURCES_STATS[name]["sha256"]
    if name == "london_on":  # CRLF kept as published (.gitattributes: -text)
        assert b"\r\n" in data[:200]


@pytest.mark.parametrize("name", ["winnipeg", "london_on"])
def test_reader_reproduces_sources_md_statistics(name: str) -> None:
    ref = SOURCES_STATS[name]
    w = read_epw(name)
    t_c = w.dry_bulb - 273.15
    assert w.n_hours == 8760
    # SOURCES.md gives the mean to 0.01 K and HDH18 to 1 K·h (rounding of the table).
    assert t_c.mean() == pytest.approx(ref["mean"], abs=0.005)
    assert t_c.min() == pytest.approx(ref["min"], abs=1e-9)
    assert t_c.max() == pytest.approx(ref["max"], abs=1e-9)
    i = int(np.argmin(t_c))
    assert (w.month[i], w.day[i], w.hour[i]) == ref["min_at"]
    assert w.degree_hours(291.15) == pytest.approx(ref["hdh18"], abs=1.0)
    loc = w.location
    assert (loc.latitude, loc.longitude, loc.time_zone, loc.elevation) == (
        ref["lat"],
        ref["lon"],
        ref["tz"],
        ref["elev"],
    )


def test_reader_matches_independent_stdlib_checker() -> None:
    """Compare with shared/data/weather/check_epw.py (a separate, standard-library EPW reader)."""
    script = SHARED / "data" / "weather" / "check_epw.py"
    if not script.exists():
        pytest.skip("shared/data/weather/check_epw.py not available")
    spec = importlib.util.spec_from_file_location("check_epw", script)
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    for name in ("winnipeg", "london_on"):
        path = shipped_weather_path(name)
        res = mod.check_file(str(path), base=18.0)
        assert res["errors"] == []
        w = read_epw(path)
        t_c = w.dry_bulb - 273.15
        i_min, i_max = int(np.argmin(t_c)), int(np.argmax(t_c))
        assert res["rows"] == w.n_hours
        # the checker rounds to 0.01 K and 0.1 K·h
        assert t_c.mean() == pytest.approx(res["dry_bulb_mean_C"], abs=0.005)
        assert t_c.min() == pytest.approx(res["dry_bulb_min_C"], abs=0.005)
        assert t_c.max() == pytest.approx(res["dry_bulb_max_C"], abs=0.005)
        assert (
            f"{w.month[i_min]:02d}-{w.day[i_min]:02d} {w.hour[i_min]:02d}h"
            == res["dry_bulb_min_at"]
        )
        assert (
            f"{w.month[i_max]:02d}-{w.day[i_max]:02d} {w.hour[i_max]:02d}h"
            == res["dry_bulb_max_at"]
        )
        assert w.degree_hours(291.15) == pytest.approx(res["heating_degree_hours_Kh"], abs=0.05)
        assert int(np.count_nonzero(t_c < 0.0)) == res["hours_below_0C"]


def test_weather_units_and_fields() -> None:
    w = read_epw("winnipeg")
    assert w.relative_humidity.max() <= 1.10 and w.relative_humidity.min() >= 0.0
    assert w.dew_point.max() <= w.dry_bulb.max() + 1e-9
    assert w.global_horizontal.min() == 0.0 and w.global_horizontal.max() > 800.0
    assert w.atmospheric_pressure is not None and 9e4 < w.atmospheric_pressure.mean() < 1.02e5
    assert w.hour.min() == 1 and w.hour.max() == 24
    assert "CAN_MB_Winnipeg" in w.source
    # read-only arrays: a frozen Weather cannot be changed in place
    with pytest.raises(ValueError, match="read-only"):
        w.dry_bulb[0] = 0.0


def test_to_frame_has_unit_suffixed_columns() -> None:
    frame = read_epw("london_on").to_frame()
    assert frame.shape[0] == 8760
    for col in ("dry_bulb_K", "global_horizontal_W_m2", "wind_speed_m_s", "month", "hour"):
        assert col in frame.columns
    assert frame["dry_bulb_K"].min() == pytest.approx(273.15 - 24.6)


def test_read_twice_gives_the_same_year() -> None:
    path = shipped_weather_path("winnipeg")
    a, b = read_epw(path), read_epw(path)
    assert a.dry_bulb.shape == (8760,) and np.array_equal(a.dry_bulb, b.dry_bulb)


# --------------------------------------------------------------------------------------------
# Validation: each defect is reported with file, line and field
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def winnipeg_lines() -> list[str]:
    return shipped_weather_path("winnipeg").read_text(encoding="latin-1").splitlines()


def _write(tmp_path: Path, lines: list[str], name: str = "bad.epw") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return p


def _set_field(line: str, index: int, value: str) -> str:
    parts = line.split(",")
    parts[index] = value
    return ",".join(parts)


def test_missing_dry_bulb_raises_with_line_and_field(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[20] = _set_field(lines[20], 6, "99.9")  # file line 21
    path = _write(tmp_path, lines)
    with pytest.raises(
        InputError, match=r"bad\.epw:21: `dry_bulb`: field 7 \(dry_bulb\) holds the EPW missing"
    ):
        read_epw(path)


def test_missing_values_interpolated_when_asked(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    before = float(lines[19].split(",")[6])
    after = float(lines[22].split(",")[6])
    lines[20] = _set_field(lines[20], 6, "99.9")
    lines[21] = _set_field(lines[21], 6, "99.9")
    lines[100] = _set_field(lines[100], 21, "999")  # wind speed
    w = read_epw(_write(tmp_path, lines), missing="interpolate")
    got = w.dry_bulb[12:14] - 273.15  # data rows 12, 13 (file lines 21, 22)
    want = before + (after - before) * np.array([1.0, 2.0]) / 3.0
    np.testing.assert_allclose(got, want, atol=1e-12)
    assert w.wind_speed[92] < 40.0


def test_long_gap_still_raises(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    for i in range(30, 38):  # 8 missing hours
        lines[i] = _set_field(lines[i], 13, "9999")
    with pytest.raises(InputError, match=r"bad\.epw:31: .*8 consecutive missing hours"):
        read_epw(_write(tmp_path, lines), missing="interpolate", max_gap_hours=6)


def test_short_row_named(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[500] = ",".join(lines[500].split(",")[:30])
    with pytest.raises(InputError, match=r"bad\.epw:501: row has 30 fields, expected 35"):
        read_epw(_write(tmp_path, lines))


def test_non_numeric_field_named(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[1000] = _set_field(lines[1000], 8, "humid")
    with pytest.raises(
        InputError,
        match=r"bad\.epw:1001: `relative_humidity`: field 9 \(relative_humidity\) is not a number$",
    ):
        read_epw(_write(tmp_path, lines))


def test_hours_out_of_sequence(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[40], lines[41] = lines[41], lines[40]
    with pytest.raises(
        InputError,
        match=r"bad\.epw:41: `month/day/hour`: month/day/hour is \(1, 2, 10\), expected \(1, 2, 9\)",
    ):
        read_epw(_write(tmp_path, lines))


def test_wrong_row_count(tmp_path, winnipeg_lines) -> None:
    with pytest.raises(InputError, match=r"found 8759 hourly data rows, expected 8760"):
        read_epw(_write(tmp_path, winnipeg_lines[:-1]))


def test_out_of_range_value(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[9] = _set_field(lines[9], 6, "75.0")
    with pytest.raises(
        InputError, match=r"bad\.epw:10: .*= 75 degC is outside the EPW range -70\.\.70"
    ):
        read_epw(_write(tmp_path, lines))


def test_bad_location_and_header(tmp_path, winnipeg_lines) -> None:
    lines = list(winnipeg_lines)
    lines[0] = _set_field(lines[0], 6, "95.0")
    with pytest.raises(
        InputError, match=r"bad\.epw:1: `latitude`: LOCATION latitude = 95.0 is outside"
    ):
        read_epw(_write(tmp_path, lines))
    lines = list(winnipeg_lines)
    del lines[6]  # only 7 header lines
    with pytest.raises(InputError, match=r"line 8 must start with 'DATA PERIODS'"):
        read_epw(_write(tmp_path, lines))
    with pytest.raises(InputError, match=r"line 1 must start with 'LOCATION'"):
        read_epw(_write(tmp_path, ["x"] + winnipeg_lines[1:]))


def test_leap_year_file_reads_8784_rows(tmp_path, winnipeg_lines) -> None:
    header, rows = winnipeg_lines[:8], winnipeg_lines[8:]
    feb28 = rows[(31 + 27) * 24 : (31 + 28) * 24]
    feb29 = [_set_field(r, 2, "29") for r in feb28]
    leap = header + rows[: (31 + 28) * 24] + feb29 + rows[(31 + 28) * 24 :]
    w = read_epw(_write(tmp_path, leap))
    assert w.n_hours == 8784
    assert np.count_nonzero((w.month == 2) & (w.day == 29)) == 24


def test_unknown_name_and_missing_file(tmp_path) -> None:
    with pytest.raises(
        InputError,
        match=r"unknown weather name 'oslo'; shipped weather files are 'winnipeg', 'london_on'",
    ):
        read_epw("oslo")
    with pytest.raises(InputError, match=r"cannot read weather file"):
        read_epw(tmp_path / "nope.epw")
    with pytest.raises(InputError, match="missing must be 'raise' or 'interpolate'"):
        read_epw("winnipeg", missing="zero")


def test_weather_rejects_mismatched_arrays() -> None:
    loc = Location(name="x", latitude=0.0, longitude=0.0, time_zone=0.0, elevation=0.0)
    with pytest.raises(InputError, match=r"Weather.dew_point has 3 values but dry_bulb has 2"):
        Weather(
            location=loc,
            dry_bulb=[280.0, 281.0],
            dew_point=[270.0, 271.0, 272.0],
            relative_humidity=[0.5, 0.5],
            global_horizontal=[0.0, 0.0],
            wind_speed=[1.0, 1.0],
            month=[1, 1],
            day=[1, 1],
            hour=[1, 2],
        )


# --------------------------------------------------------------------------------------------
# Synthetic climate
# --------------------------------------------------------------------------------------------


def test_harmonic_fit_matches_reference_section_8() -> None:
    # docs/references.md §8: T = 2.69 − 17.70 cos ωd − 4.91 sin ωd − 1.70 cos 2ωd − 0.67 sin 2ωd [°C],
    # a least-squares fit of the same normals (their day-of-year origin and mid-month sampling
    # differ from our month-average fit by up to a day, hence 0.25 K).
    coef = fit_monthly_harmonics(WINNIPEG_1971_2000, harmonics=2)
    np.testing.assert_allclose(coef, [2.69, -17.70, -4.91, -1.70, -0.67], atol=0.25)


@pytest.mark.parametrize("noise", [0.0, [4, 4, 3.5, 3, 2.5, 1.5, 1.5, 1.5, 2.5, 3, 3.5, 4]])
@pytest.mark.parametrize("means", [WINNIPEG_1971_2000, DE_BILT_1981_2010])
def test_synthetic_monthly_means_reproduce_inputs(means, noise) -> None:
    w = synthetic_climate(means, noise_sd_K=noise, seed=3)
    assert w.n_hours == 8760
    t_c = w.dry_bulb - 273.15
    got = np.array([t_c[w.month == m].mean() for m in range(1, 13)])
    np.testing.assert_allclose(got, means, atol=1e-3)


def test_synthetic_winnipeg_degree_days_match_reference() -> None:
    # docs/references.md §8 [D]: HDD18 from the 1971–2000 monthly means ≈ 5650 K·d; NBC ≈ 5670 K·d.
    w = synthetic_climate(WINNIPEG_1971_2000)
    daily = (w.dry_bulb - 273.15).reshape(365, 24).mean(axis=1)
    hdd = np.maximum(0.0, 18.0 - daily).sum()
    assert hdd == pytest.approx(5650.0, rel=0.02)


def test_diurnal_cycle_amplitude_and_timing() -> None:
    w = synthetic_climate([0.0] * 12, diurnal_amplitude_K=5.0)
    day = (w.dry_bulb - 273.15)[200 * 24 : 201 * 24]
    # cosine sampled at mid-hours: max at hour ending 15 and 16 (14:30, 15:30)
    assert np.argmax(day) + 1 in (15, 16)
    assert day.max() - day.min() == pytest.approx(2 * 5.0 * math.cos(math.pi / 24), rel=1e-9)
    assert day.mean() == pytest.approx(0.0, abs=1e-9)


def test_noise_is_reproducible_and_has_requested_spread() -> None:
    a = synthetic_climate([0.0] * 12, diurnal_amplitude_K=0.0, noise_sd_K=3.0, seed=11)
    b = synthetic_climate([0.0] * 12, diurnal_amplitude_K=0.0, noise_sd_K=3.0, seed=11)
    c = synthetic_climate([0.0] * 12, diurnal_amplitude_K=0.0, noise_sd_K=3.0, seed=12)
    np.testing.assert_array_equal(a.dry_bulb, b.dry_bulb)
    assert not np.array_equal(a.dry_bulb, c.dry_bulb)
    daily = (a.dry_bulb - 273.15).reshape(365, 24).mean(axis=1)
    # 365 correlated samples (phi 0.7): the sample SD of an AR(1) series is within ~25 % of sigma
    assert 2.0 < daily.std() < 4.0
    lag1 = np.corrcoef(daily[:-1], daily[1:])[0, 1]
    assert 0.5 < lag1 < 0.85


def test_fao56_example_8_extraterrestrial_radiation() -> None:
    # FAO-56 Example 8: 3 September (J = 246) at 20° S, Ra = 32.2 MJ m-2 d-1.
    hourly = extraterrestrial_horizontal(np.full(24, 246), np.arange(1, 25), -20.0)
    assert hourly.sum() * 3600 / 1e6 == pytest.approx(32.2, abs=0.05)


@pytest.mark.parametrize("lat", [-40.0, 0.0, 20.0, 49.9, 60.0])
@pytest.mark.parametrize("j", [1, 81, 172, 266, 355])
def test_hourly_integral_equals_fao56_daily_equation_21(lat: float, j: int) -> None:
    # FAO-56 eq. 21, written out independently of the implementation under test.
    phi = math.radians(lat)
    dr = 1 + 0.033 * math.cos(2 * math.pi * j / 365)
    delta = 0.409 * math.sin(2 * math.pi * j / 365 - 1.39)
    ws = math.acos(max(-1.0, min(1.0, -math.tan(phi) * math.tan(delta))))
    ra = (
        24
        * 60
        / math.pi
        * 0.0820
        * dr
        * (ws * math.sin(phi) * math.sin(delta) + math.cos(phi) * math.cos(delta) * math.sin(ws))
    )
    hourly = extraterrestrial_horizontal(np.full(24, j), np.arange(1, 25), lat)
    assert hourly.sum() * 3600 / 1e6 == pytest.approx(ra, rel=1e-9, abs=1e-9)


def test_irradiance_clear_sky_and_sunshine_scaling() -> None:
    clear = synthetic_climate(WINNIPEG_1971_2000, latitude=49.9)
    cloudy = synthetic_climate(WINNIPEG_1971_2000, latitude=49.9, relative_sunshine=0.0)
    ra = extraterrestrial_horizontal(np.repeat(np.arange(1, 366), 24), clear.hour, 49.9)
    np.testing.assert_allclose(clear.global_horizontal, 0.75 * ra, rtol=1e-12)  # FAO-56 eq. 36
    np.testing.assert_allclose(cloudy.global_horizontal, 0.25 * ra, rtol=1e-12)
    night = (clear.hour <= 3) | (clear.hour >= 23)
    assert np.all(clear.global_horizontal[night] == 0.0)
    # solar time when no longitude is given: symmetric about noon
    day = clear.global_horizontal[172 * 24 : 173 * 24]
    np.testing.assert_allclose(day[:12], day[12:][::-1], rtol=1e-9, atol=1e-9)


def test_synthetic_climate_input_errors() -> None:
    with pytest.raises(InputError, match=r"monthly_mean_C must be one value or 12 monthly values"):
        synthetic_climate([1.0] * 11)
    with pytest.raises(InputError, match=r"latitude must be within -66\.\.66"):
        synthetic_climate(WINNIPEG_1971_2000, latitude=70.0)
    with pytest.raises(InputError, match=r"relative_sunshine must be within 0\.\.1"):
        synthetic_climate(WINNIPEG_1971_2000, relative_sunshine=1.5)
    with pytest.raises(InputError, match=r"noise_lag1 must be within 0 <= phi < 1"):
        synthetic_climate(WINNIPEG_1971_2000, noise_lag1=1.0)
    with pytest.raises(InputError, match=r"harmonics must be a whole number from 1 to 6"):
        fit_monthly_harmonics(WINNIPEG_1971_2000, harmonics=7)
    with pytest.raises(InputError, match="give both longitude and time_zone"):
        extraterrestrial_horizontal(1, 12, 50.0, longitude=5.0)
