"""report.html (issue 18, item 1): one self-contained page per run, checked in a real browser.

The browser tests need Chromium (Debian: ``apt-get install chromium``; ``.ci/run`` installs it
when absent) and skip, saying so, only when it is not on PATH. Set ``THERMO_REPORT_SCREENSHOT`` to
a path to keep the screenshot the test makes (docs/img/report.png is made that way).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
from pathlib import Path

import pytest

from thermo.cli import main
from thermo.report.browser import check_page, chromium, screenshot

NO_BROWSER = "no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="module")
def rack_run(tmp_path_factory) -> Path:
    """nvl72_rack run once for the module, in engineering units."""
    tmp = tmp_path_factory.mktemp("rack")
    assert main(["cases", "--copy", "nvl72_rack", str(tmp)]) == 0
    case = tmp / "nvl72_rack.toml"
    text = case.read_text()
    assert "[outputs]\n" in text and "units =" not in text
    case.write_text(text.replace("[outputs]\n", '[outputs]\nunits = "engineering"\n', 1))
    here = os.getcwd()
    os.chdir(tmp)  # the page shows the case file as given: a relative name, no machine path
    try:
        assert main(["run", case.name, "--out", "out", "-q"]) == 0
    finally:
        os.chdir(here)
    return tmp / "out"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_page_is_self_contained(rack_run) -> None:
    page = (rack_run / "report.html").read_text(encoding="utf-8")
    # nothing fetched: no external source, link, style sheet or script
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", page, re.I)
    assert "<script" not in page.lower() and "@import" not in page and "url(" not in page
    # every plot written is embedded as a PNG that decodes
    pngs = sorted(p.name for p in rack_run.glob("*.png"))
    assert pngs
    embedded = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(embedded) == len(pngs)
    for name, data in zip(pngs, embedded, strict=True):
        raw = base64.b64decode(data, validate=True)
        assert raw == (rack_run / name).read_bytes() or name in page
        w, h = _png_size(raw)
        assert w > 300 and h > 200


def test_page_shows_version_hash_checks_and_inputs(rack_run) -> None:
    import hashlib

    from thermo import __version__

    page = (rack_run / "report.html").read_text(encoding="utf-8")
    digest = hashlib.sha256((rack_run.parent / "nvl72_rack.toml").read_bytes()).hexdigest()
    assert digest in page and f"thermo {__version__}" in page
    res = json.loads((rack_run / "results.json").read_text())
    for c in res["checks"]:
        assert c["name"] in page
    # inputs: the rack as read, and a default it took (pump motor efficiency 0.9)
    assert "<code>rack</code>" in page and "motor_efficiency = 0.9;" in page
    # given values in the case's units (engineering: kPa), from the case file's bar and degC
    assert "(0 L/min, 300 kPa), (150 L/min, 240 kPa)" in page
    assert "case_limit = 85 °C" in page
    assert "the case file as run" in page


def test_engineering_units_on_the_page(rack_run) -> None:
    """Values in the case's units, compared with a hand conversion of results.json (SI)."""
    page = (rack_run / "report.html").read_text(encoding="utf-8")
    res = json.loads((rack_run / "results.json").read_text())
    assert "pump_power_W" in res["summary"]  # results.json stays SI
    kw = res["summary"]["heat_added_W"] / 1000.0
    assert f"{kw:,.1f}" in page and ">kW<" in page
    # the rack pressure-drop check (written in bar) shown in kPa: value and margin by hand
    c = next(c for c in res["checks"] if c["name"] == "rack pressure drop")
    value_kpa, limit_kpa = c["value_si"] / 1e3, c["limit_si"] / 1e3
    row = page.split("rack pressure drop", 1)[1].split("</tr>", 1)[0]
    assert f"{value_kpa:.2f}" in row and "≤ 150" in row and "kPa" in row
    assert f"{limit_kpa - value_kpa:.1f} kPa" in row


def test_us_units_in_checks_and_flags() -> None:
    from thermo.case.display_units import check_row, flag_text

    d = {
        "name": "t",
        "passed": True,
        "value": 73.0,
        "limit": 85.0,
        "bound": "max",
        "unit": "degC",
        "value_si": 273.15 + 73.0,
        "limit_si": 273.15 + 85.0,
        "element": None,
    }
    r = check_row(d, "temperature", "US")
    assert r["unit"] == "°F" and r["value"] == "163.4" and r["limit"] == "185"
    assert r["margin"].startswith("21.60 Δ°F")  # 12 K = 21.6 °F difference
    assert check_row(d, "temperature", "SI")["unit"] == "°C"
    msg = flag_text("outlet 40 °C, 3 K above, 20 L/min at 1,000 W and 50 kPa", "US")
    assert msg == "outlet 104.0 °F, 5.400 Δ°F above, 5.283 gpm at 3.412 kBtu/h and 7.252 psi"
    assert flag_text("outlet 40 °C", "SI") == "outlet 40 °C"


@pytest.mark.skipif(chromium() is None, reason=NO_BROWSER)
def test_page_loads_in_chromium_and_every_plot_shows(rack_run, tmp_path) -> None:
    page = rack_run / "report.html"
    seen = check_page(page)
    assert seen.loaded, seen.console
    n_png = len(list(rack_run.glob("*.png")))
    assert seen.images == n_png and seen.decoded == n_png, seen
    assert seen.errors == 0, seen.console
    assert "net::" not in seen.console and "Uncaught" not in seen.console, seen.console
    shot = screenshot(page, tmp_path / "report.png", width=1280, height=900)
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 900)
    keep = os.environ.get("THERMO_REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)


@pytest.mark.skipif(chromium() is None, reason=NO_BROWSER)
def test_chromium_probe_sees_a_broken_image(rack_run, tmp_path) -> None:
    """The probe is not blind: a page with an undecodable image is reported as such."""
    page = tmp_path / "broken.html"
    bad = base64.b64encode(b"not a png").decode()
    good = next(rack_run.glob("*.png")).read_bytes()
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body>"
        f'<img src="data:image/png;base64,{bad}">'
        f'<img src="data:image/png;base64,{base64.b64encode(good).decode()}">'
        "</body></html>"
    )
    seen = check_page(page)
    assert seen.loaded and seen.images == 2 and seen.decoded == 1


@pytest.mark.parametrize("name", ["cold_plate", "secondary_loop", "data_hall"])
def test_shipped_point_cases_write_a_page_that_loads(name, tmp_path) -> None:
    """Every plot of the run embedded; in Chromium (when present) every image decodes."""
    assert main(["run", name, "--out", "out", "-q"]) in (0, 1)
    out = tmp_path / "out"
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert {"flows.png", "temperature_path.png", "hydraulic_grade.png", "schematic.png"} <= set(
        pngs
    )
    page = (out / "report.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == len(pngs)
    if chromium() is None:
        pytest.skip(NO_BROWSER)
    seen = check_page(out / "report.html")
    assert seen.loaded and seen.images == seen.decoded == len(pngs) and seen.errors == 0, seen


def test_implausible_input_is_shown_on_the_page(tmp_path) -> None:
    """A 2 m bore hose (beyond the 1.6 m of practice) appears as an input warning."""
    assert main(["cases", "--copy", "nvl72_rack", str(tmp_path)]) == 0
    case = tmp_path / "nvl72_rack.toml"
    text = case.read_text()
    assert text.count('diameter = "32 mm"') == 2
    case.write_text(text.replace('diameter = "32 mm"', 'diameter = "2 m"', 1))
    assert main(["run", str(case), "--out", "out", "-q", "--no-plots"]) in (0, 1)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "INPUTS (1 far outside engineering practice)" in page
    assert "return_hose.diameter = 2000 mm is outside the range of practice" in page
