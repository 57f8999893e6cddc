"""`[outputs] units` for the console summary (issue 18, item 3), checked against conversion
factors from their definitions (NIST SP 811, appendix B), not against thermo's own output."""

from __future__ import annotations

import json
import re

import pytest

from thermo.case.display_units import convert, number, summary_rows
from thermo.cli import main

# exact by definition: 1 lbf/in² = 0.45359237 kg * 9.80665 m/s² / (0.0254 m)²;
# 1 US gallon = 231 in³; 1 Btu (IT) = 1055.05585262 J
PSI_PA = 0.45359237 * 9.80665 / 0.0254**2
GALLON_L = 231 * 0.254**3
BTU_J = 1055.05585262


@pytest.mark.parametrize(
    ("key", "si", "eng", "us"),
    [
        ("max_temperature_C", 45.0, (45.0, "°C"), (45.0 * 9 / 5 + 32, "°F")),
        ("min_freezing_margin_K", 10.0, (10.0, "K"), (18.0, "Δ°F")),
        ("max_pressure_Pa", 250_000.0, (250.0, "kPa"), (250_000 / PSI_PA, "psi")),
        ("pump_power_W", 1500.0, (1.5, "kW"), (1500 * 3600 / BTU_J / 1e3, "kBtu/h")),
        ("heat_added_kWh", 8760.0, (8.76, "MWh"), (8760 * 3.6e6 / BTU_J / 1e6, "MMBtu")),
        ("it_energy_MWh", 2.0, (2.0, "MWh"), (2 * 3.6e9 / BTU_J / 1e6, "MMBtu")),
        ("V_dot_L_min", 60.0, (60.0, "L/min"), (60 / GALLON_L, "gpm")),
        ("V_dot_m3_s", 0.001, (60.0, "L/min"), (60 / GALLON_L, "gpm")),
    ],
)
def test_conversions_match_the_definitions(key, si, eng, us) -> None:
    for system, (value, unit) in (("engineering", eng), ("US", us)):
        label, got, shown = convert(key, si, system)
        assert label == key.rsplit("_", 2 if key.endswith(("_L_min", "_m3_s")) else 1)[0]
        # pint takes the Btu as 1055.056 J (rounded): 1.4e-7 from the IT definition
        assert got == pytest.approx(value, rel=1e-6)
        assert shown == unit
    assert convert(key, si, "SI") is None


def test_ratios_and_unknown_systems() -> None:
    assert convert("pue", 1.08, "US") is None
    with pytest.raises(ValueError, match="unknown unit system"):
        convert("pump_power_W", 1.0, "imperial")
    rows = summary_rows({"pue": 1.08, "pump_power_W": 1234.5}, ["pue", "pump_power_W"], "SI")
    assert rows == [("pue", "1.08"), ("pump_power_W", "1234.5")]


def test_numbers_in_sensible_significant_figures() -> None:
    assert number(1234.4) == "1,234"
    assert number(0.012344) == "0.01234"
    assert number(45.0) == "45.00"
    assert number(987_654_321.0) == "987,654,321"
    assert "e" not in number(3.2e5) and "e" in number(2e-6)
    assert number(0.0) == "0"


def _with_units(tmp_path, units: str):
    assert main(["cases", "--copy", "cold_plate", str(tmp_path)]) == 0
    path = tmp_path / "cold_plate.toml"
    path.write_text(path.read_text().replace("[outputs]\n", f'[outputs]\nunits = "{units}"\n'))
    return path


def test_us_console_rows_agree_with_results_json_in_si(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    path = _with_units(tmp_path, "US")
    capsys.readouterr()
    assert main(["run", str(path), "--no-plots", "--out", "o"]) == 0
    out = capsys.readouterr().out
    summary = json.loads((tmp_path / "o" / "results.json").read_text())["summary"]
    # results.json stays SI with the unit in the key
    assert "pump_power_W" in summary and "max_case_temperature_C" in summary
    rows = dict(line.split(None, 1) for line in out.splitlines()[2:] if line.startswith("  "))
    t_f = float(rows["max_case_temperature"].split()[0].replace(",", ""))
    assert rows["max_case_temperature"].endswith("°F")
    assert t_f == pytest.approx(summary["max_case_temperature_C"] * 9 / 5 + 32, abs=0.05)
    p_kbtu = float(rows["pump_power"].split()[0].replace(",", ""))
    assert p_kbtu == pytest.approx(summary["pump_power_W"] * 3600 / BTU_J / 1e3, rel=1e-3)
    assert "pump_power_W" not in rows


def test_unknown_unit_system_is_a_clear_error(tmp_path, capsys) -> None:
    path = _with_units(tmp_path, "imperial")
    capsys.readouterr()
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'unknown unit system "imperial"' in err and "units" in err


def test_us_units_in_csv_headers_check_lines_and_report(tmp_path, monkeypatch, capsys) -> None:
    """Tables, check lines and report.md follow `[outputs] units`; results.json stays SI."""
    import csv

    monkeypatch.chdir(tmp_path)
    path = _with_units(tmp_path, "US")
    capsys.readouterr()
    assert main(["run", str(path), "--no-plots", "--out", "o"]) == 0
    out = capsys.readouterr().out
    res = json.loads((tmp_path / "o" / "results.json").read_text())
    assert "dp_Pa" in next(iter(res["components"].values()))
    with open(tmp_path / "o" / "components.csv", newline="") as f:
        rows = {r["component"]: r for r in csv.DictReader(f)}
    head = set(next(iter(rows.values())))
    assert {"dp_psi", "V_dot_gpm", "T_in_F", "T_out_F", "Q_kBtu_h", "m_dot_lb_s"} <= head
    assert not {"dp_Pa", "V_dot_L_min", "T_in_C", "Q_W"} & head
    for name, si in res["components"].items():
        assert float(rows[name]["dp_psi"]) == pytest.approx(si["dp_Pa"] / PSI_PA, rel=1e-9)
        assert float(rows[name]["V_dot_gpm"]) == pytest.approx(
            si["V_dot_L_min"] / GALLON_L, rel=1e-9
        )
        assert float(rows[name]["T_out_F"]) == pytest.approx(si["T_out_C"] * 1.8 + 32, abs=1e-9)
        assert float(rows[name]["m_dot_lb_s"]) == pytest.approx(
            si["m_dot_kg_s"] / 0.45359237, rel=1e-9
        )
    # check lines: a temperature check in °F, by hand from its SI value and limit
    temp = next(c for c in res["checks"] if c["si_unit"] == "K" and c["unit"] == "degC")
    f_value = (temp["value_si"] - 273.15) * 1.8 + 32
    f_limit = (temp["limit_si"] - 273.15) * 1.8 + 32
    line = next(ln for ln in out.splitlines() if temp["name"] in ln and "PASS" in ln)
    assert f"{f_value:.1f}" in line and f"{f_limit:.0f} °F" in line
    report = (tmp_path / "o" / "report.md").read_text()
    row = next(ln for ln in report.splitlines() if ln.startswith(f"| {temp['name']}"))
    assert f"{f_value:.1f}" in row and "°F" in row and f"{f_limit - f_value:.2f} Δ°F" in row
    assert "## Summary (US units; results.json keeps SI)" in report


def test_engineering_units_in_the_hourly_table(tmp_path, monkeypatch, capsys) -> None:
    import csv

    monkeypatch.chdir(tmp_path)
    assert main(["cases", "--copy", "winnipeg_year", str(tmp_path)]) == 0
    path = tmp_path / "winnipeg_year.toml"
    text = path.read_text()
    assert "[outputs]\n" in text
    path.write_text(text.replace("[outputs]\n", '[outputs]\nunits = "engineering"\n', 1))
    assert main(["run", str(path), "--hours", "6", "--no-plots", "--out", "o", "-q"]) in (0, 1)
    with open(tmp_path / "o" / "hourly.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    head = set(rows[0])
    assert "pump_power_kW" in head and "pump_power_W" not in head
    assert not [h for h in head if h.endswith(("_W", "_Pa", "_kWh"))]
    checks = [h for h in head if h.startswith("check: ")]
    assert checks and all(re.search(r" \[(°C|K|kPa|kW|L/min|MWh|-)\]$", h) for h in checks)
    # the hour's pump power in kW is the SI value over 1000 (the SI run of the same hours)
    si = tmp_path / "si"
    assert main(["run", "winnipeg_year", "--hours", "6", "--no-plots", "--out", str(si), "-q"]) in (
        0,
        1,
    )
    with open(si / "hourly.csv", newline="") as f:
        si_rows = list(csv.DictReader(f))
    for a, b in zip(rows, si_rows, strict=True):
        assert float(a["pump_power_kW"]) == pytest.approx(float(b["pump_power_W"]) / 1e3, rel=1e-6)


def test_si_rows_have_no_exponent_for_ordinary_magnitudes() -> None:
    """A 3 MW hall prints 3000000 W, not 3e+06; six significant figures, nothing invented."""
    from thermo.case.display_units import plain

    assert plain(3e6) == "3000000" and plain(1.2345678e9) == "1234570000"
    assert (
        plain(287.2256) == "287.226" and plain(85.0) == "85" and plain(0.0012345678) == "0.00123457"
    )
    assert "e" in plain(2e-6) and plain(7) == "7"
    rows = summary_rows({"heat_added_W": 3.2e6, "pue": 1.1180}, ["heat_added_W", "pue"], "SI")
    assert rows == [("heat_added_W", "3200000"), ("pue", "1.118")]
    for text in ("3000000", "1234570000", "287.226"):
        assert float(text) == pytest.approx(float(plain(float(text))), rel=1e-6)
