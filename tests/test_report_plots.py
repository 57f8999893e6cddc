"""Annual heat-reuse plots (thermo.report): the plotted data against independent arithmetic.

The synthetic year closes exactly by construction: IT heat splits into liquid and air, the
liquid heat (plus the pump work) leaves through the plate HX, the heat-pump evaporator and the
dry cooler, and the boiler tops the greenhouse up to its demand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from thermo.report import (
    energy_sankey,
    load_duration,
    monthly_energy_balance,
    temperatures,
    write_annual_plots,
)
from thermo.report.annual_plots import PLOT_FILES, RESIDUAL

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def synthetic_year(hours: int = 8760) -> pd.DataFrame:
    """An hourly table with a sinusoidal greenhouse demand and a constant 3 MW IT load [W, °C]."""
    h = np.arange(hours)
    doy0 = h // 24 % 365
    month = np.repeat(np.arange(1, 13), MONTH_DAYS)[doy0]
    day = doy0 - np.concatenate([[0], np.cumsum(MONTH_DAYS)[:-1]])[month - 1] + 1
    hour_of_day = h % 24 + 1
    season = np.cos(2 * np.pi * (doy0 - 15) / 365)  # 1 in mid-January, -1 in mid-July
    diurnal = np.cos(2 * np.pi * (hour_of_day - 15) / 24)
    dry_bulb = 2.0 - 20.0 * season + 5.0 * diurnal

    it = np.full(hours, 3.0e6)
    liquid, air = 0.85 * it, 0.15 * it
    pump = np.full(hours, 40e3)
    fan = 15e3 + 1.5e3 * np.clip(dry_bulb, 0, None)
    air_cooling = air / 4.0
    cooling = pump + fan + air_cooling
    demand = np.clip(3.0e6 * (0.45 + 0.6 * season - 0.1 * diurnal), 0, None)
    direct = np.minimum(demand, 0.6 * liquid)
    hp_heat = np.minimum(demand - direct, 1.0e6)
    hp_power = hp_heat / 3.5
    source = hp_heat - hp_power
    reused = direct + hp_heat
    rejected = liquid + pump - direct - source  # the pump work ends up in the liquid
    boiler = demand - reused
    distribution = 0.03 * (it + cooling + hp_power)
    other = np.full(hours, 50e3)
    facility = it + cooling + hp_power + distribution + other
    return pd.DataFrame(
        {
            "month": month,
            "day": day,
            "hour_of_day": hour_of_day,
            "dry_bulb_C": dry_bulb,
            "it_power_W": it,
            "pump_power_W": pump,
            "fan_power_W": fan,
            "air_cooling_power_W": air_cooling,
            "cooling_power_W": cooling,
            "heat_pump_power_W": hp_power,
            "distribution_loss_W": distribution,
            "other_power_W": other,
            "facility_power_W": facility,
            "heat_to_liquid_W": liquid,
            "heat_to_air_W": air,
            "heat_reused_W": reused,
            "heat_reused_direct_W": direct,
            "heat_pump_heat_W": hp_heat,
            "heat_pump_source_W": source,
            "heat_rejected_W": rejected,
            "greenhouse_demand_W": demand,
            "greenhouse_delivered_W": reused + boiler,
            "boiler_heat_W": boiler,
            "boiler_fuel_W": boiler / 0.92,
            "unmet_W": np.zeros(hours),
            "T_tcs_supply_C": 40.0 + 0.1 * dry_bulb,
            "T_tcs_return_C": 50.0 + 0.1 * dry_bulb,
            "T_facility_supply_C": 35.0 + 0.1 * dry_bulb,
            "T_facility_return_C": 45.0 + 0.1 * dry_bulb,
            "T_greenhouse_supply_C": 42.0 + 0.2 * season,
            "T_greenhouse_return_C": 30.0 + 2.0 * diurnal,
        }
    )


@pytest.fixture(scope="module")
def year() -> pd.DataFrame:
    return synthetic_year()


def assert_png(path: Path) -> None:
    import matplotlib.image

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 500


def test_monthly_sums_equal_the_groupby_of_the_table(year: pd.DataFrame, tmp_path: Path) -> None:
    monthly = monthly_energy_balance(year, tmp_path / "m.png")
    assert list(monthly.index) == list(range(1, 13))
    direct = year.groupby("month").sum() / 1e6  # W over one hour -> MWh
    for key, column in [
        ("it_MWh", "it_power_W"),
        ("cooling_MWh", "cooling_power_W"),
        ("heat_pump_MWh", "heat_pump_power_W"),
        ("heat_reused_MWh", "heat_reused_W"),
        ("heat_rejected_MWh", "heat_rejected_W"),
        ("boiler_heat_MWh", "boiler_heat_W"),
        ("greenhouse_demand_MWh", "greenhouse_demand_W"),
    ]:
        np.testing.assert_allclose(monthly[key].to_numpy(), direct[column].to_numpy(), rtol=1e-12)
    # a constant 3 MW over January's 744 hours
    assert monthly.loc[1, "it_MWh"] == pytest.approx(3.0 * 744)
    assert monthly["it_MWh"].sum() == pytest.approx(3.0 * 8760)
    assert_png(tmp_path / "m.png")


def test_monthly_cooling_falls_back_to_its_parts(year: pd.DataFrame, tmp_path: Path) -> None:
    monthly = monthly_energy_balance(year.drop(columns=["cooling_power_W"]), tmp_path / "m.png")
    parts = year[["pump_power_W", "fan_power_W", "air_cooling_power_W"]].sum(axis=1)
    expected = parts.groupby(year["month"]).sum() / 1e6
    np.testing.assert_allclose(monthly["cooling_MWh"].to_numpy(), expected.to_numpy(), rtol=1e-12)


def test_load_duration_is_sorted_and_integrates_to_the_annual_demand(
    year: pd.DataFrame, tmp_path: Path
) -> None:
    curves = load_duration(year, tmp_path / "ld.png")
    demand = curves["demand_MW"]
    assert len(demand) == 8760 and np.all(np.diff(demand) <= 0)
    assert np.all(np.diff(curves["recovered_sorted_MW"]) <= 0)
    # step curve, one hour per step: the integral is the sum times 1 h
    assert demand.sum() == pytest.approx(year["greenhouse_demand_W"].sum() / 1e6, rel=1e-12)
    assert curves["recovered_sorted_MW"].sum() == pytest.approx(
        year["heat_reused_W"].sum() / 1e6, rel=1e-12
    )
    # the recovered heat in the demand's hour order is the same hours rearranged
    order = curves["order"]
    np.testing.assert_array_equal(demand, year["greenhouse_demand_W"].to_numpy()[order] / 1e6)
    np.testing.assert_array_equal(
        curves["recovered_in_demand_order_MW"], year["heat_reused_W"].to_numpy()[order] / 1e6
    )
    assert np.all(curves["recovered_in_demand_order_MW"] <= demand + 1e-12)
    assert_png(tmp_path / "ld.png")


def test_sankey_diagrams_balance_and_match_the_table(year: pd.DataFrame, tmp_path: Path) -> None:
    flows = energy_sankey(year, tmp_path / "s.png")
    assert list(flows) == ["facility electricity", "IT equipment", "heat recovery", "greenhouse"]
    scale = year["facility_power_W"].sum() / 1e6
    for name, diagram in flows.items():
        assert abs(sum(diagram.values())) <= 1e-12 * scale, name
    total = year.sum() / 1e6  # annual energies [MWh]
    fac, it = flows["facility electricity"], flows["IT equipment"]
    rec, gh = flows["heat recovery"], flows["greenhouse"]
    assert fac["facility electricity"] == pytest.approx(total["facility_power_W"])
    assert -fac["IT"] == pytest.approx(total["it_power_W"]) == it["IT"]
    assert -fac["cooling"] == pytest.approx(total["cooling_power_W"])
    assert -fac["heat pump"] == pytest.approx(total["heat_pump_power_W"])
    assert -fac["distribution losses"] == pytest.approx(total["distribution_loss_W"])
    assert -fac["other loads"] == pytest.approx(total["other_power_W"])
    assert (
        -it["heat to liquid"] == pytest.approx(total["heat_to_liquid_W"]) == rec["heat to liquid"]
    )
    assert -it["heat to air"] == pytest.approx(total["heat_to_air_W"])
    assert rec["heat-pump electricity"] == pytest.approx(total["heat_pump_power_W"])
    assert -rec["heat reused"] == pytest.approx(total["heat_reused_W"]) == gh["heat reused"]
    assert -rec["heat rejected"] == pytest.approx(total["heat_rejected_W"])
    assert gh["boiler heat"] == pytest.approx(total["boiler_heat_W"])
    assert -gh["greenhouse heat"] == pytest.approx(total["greenhouse_delivered_W"])
    # the pump work heats the liquid: shown as an extra input of the heat-recovery diagram
    assert rec[RESIDUAL] == pytest.approx(total["pump_power_W"], rel=1e-9)
    for closed in (fac, it, gh):
        assert abs(closed[RESIDUAL]) <= 1e-9 * scale
    assert_png(tmp_path / "s.png")


def test_temperatures_are_daily_mean_min_max(year: pd.DataFrame, tmp_path: Path) -> None:
    data = temperatures(year, tmp_path / "t.png")
    np.testing.assert_array_equal(data["day"], np.arange(1, 366))
    daily = year["T_greenhouse_return_C"].to_numpy().reshape(365, 24)
    np.testing.assert_allclose(data["T_greenhouse_return_C_mean"], daily.mean(axis=1))
    np.testing.assert_allclose(data["T_greenhouse_return_C_min"], daily.min(axis=1))
    np.testing.assert_allclose(data["T_greenhouse_return_C_max"], daily.max(axis=1))
    assert "dry_bulb_C_mean" in data and "T_tcs_supply_C_max" in data
    assert_png(tmp_path / "t.png")


def test_write_annual_plots_writes_four_valid_pngs(year: pd.DataFrame, tmp_path: Path) -> None:
    written = write_annual_plots(year, tmp_path / "out", prefix="case_")
    assert [p.name for p in written] == [f"case_{name}" for name in PLOT_FILES.values()]
    for path in written:
        assert_png(path)


def test_missing_columns_skip_series_and_plots(year: pd.DataFrame, tmp_path: Path) -> None:
    thin = year.drop(
        columns=[c for c in year.columns if c.startswith("T_")]
        + ["facility_power_W", "heat_to_air_W", "heat_pump_power_W", "greenhouse_demand_W"]
    )
    flows = energy_sankey(thin, tmp_path / "s.png")
    # the facility total becomes the sum of its parts; IT closes through the residual (a loss)
    assert abs(flows["facility electricity"][RESIDUAL]) <= 1e-12 * 1e5
    assert -flows["IT equipment"][RESIDUAL] == pytest.approx(year["heat_to_air_W"].sum() / 1e6)
    assert "heat-pump electricity" not in flows["heat recovery"]
    for diagram in flows.values():
        assert abs(sum(diagram.values())) <= 1e-9 * 1e5
    curves = load_duration(thin, tmp_path / "ld.png")
    assert set(curves) == {"hours", "recovered_sorted_MW"}
    # the temperature plot still has the dry bulb
    written = write_annual_plots(thin, tmp_path / "thin")
    assert [p.name for p in written] == list(PLOT_FILES.values())

    no_heat = year[["month", "day", "hour_of_day", "it_power_W", "T_tcs_supply_C"]]
    written = write_annual_plots(no_heat, tmp_path / "no_heat")
    assert [p.name for p in written] == ["monthly_energy.png", "temperatures.png"]
    for path in written:
        assert_png(path)
    assert energy_sankey(no_heat, tmp_path / "none.png") is None
    assert not (tmp_path / "none.png").exists()

    assert write_annual_plots(pd.DataFrame({"x": [1.0, 2.0]}), tmp_path / "empty") == []
    assert write_annual_plots(year.iloc[:0], tmp_path / "zero_rows") == []


def test_a_short_quick_try_table_works(tmp_path: Path) -> None:
    week = synthetic_year(168)
    written = write_annual_plots(week, tmp_path)
    assert len(written) == 4
    for path in written:
        assert_png(path)
    monthly = monthly_energy_balance(week, tmp_path / "m.png")
    assert list(monthly.index) == [1]
    assert monthly.loc[1, "it_MWh"] == pytest.approx(3.0 * 168)
    data = temperatures(week, tmp_path / "t.png")  # under two weeks: hourly values
    assert len(data["day"]) == 168 and data["day"][0] == 1.0 and data["day"][-1] == 7 + 23 / 24
    flows = energy_sankey(week, tmp_path / "s.png")
    assert -flows["facility electricity"]["IT"] == pytest.approx(3.0 * 168)


def test_no_matplotlib_at_import_and_no_pyplot_state(tmp_path: Path) -> None:
    code = (
        "import sys, thermo.report;"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported by thermo.report';"
        "import pandas as pd;"
        "from thermo.report import write_annual_plots;"
        "t = pd.DataFrame({'month': [1] * 48, 'it_power_W': [1e6] * 48, 'dry_bulb_C': [0.0] * 48});"
        f"assert len(write_annual_plots(t, {str(tmp_path)!r})) == 2;"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def test_without_time_columns_the_rows_count_from_1_january(
    year: pd.DataFrame, tmp_path: Path
) -> None:
    bare = year.drop(columns=["month", "day", "hour_of_day"])
    with_time = monthly_energy_balance(year, tmp_path / "a.png")
    from_rows = monthly_energy_balance(bare, tmp_path / "b.png")
    pd.testing.assert_frame_equal(from_rows, with_time)
    dated = bare.set_index(pd.date_range("2023-01-01", periods=8760, freq="h"))
    pd.testing.assert_frame_equal(monthly_energy_balance(dated, tmp_path / "c.png"), with_time)
    data = temperatures(bare, tmp_path / "t.png")
    np.testing.assert_array_equal(data["day"], np.arange(1, 366))
