"""report.md never shows stale text (issue 18, item 7): the title and description are those of
the case file as run, and every file written is listed once with what it holds."""

from __future__ import annotations

import hashlib
import re
import tomllib

import pytest

from thermo.case.captions import file_caption
from thermo.case.outdir import MANIFEST
from thermo.cli import main

FALLBACK = file_caption("unknown.xyz", None)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


def _listed(report: str) -> dict[str, str]:
    """File name -> caption, from the "Plots" and "Files" sections of report.md."""
    out = {}
    for line in report.splitlines():
        m = re.match(r"- \[?`([^`]+)`\]?(?:\([^)]*\))?: (.+)$", line)
        if m:
            assert m.group(1) not in out, f"{m.group(1)} listed twice"
            out[m.group(1)] = m.group(2)
    return out


def _check_listing(out_dir) -> dict[str, str]:
    report = (out_dir / "report.md").read_text()
    listed = _listed(report)
    on_disk = {p.name for p in out_dir.iterdir()} - {MANIFEST}
    assert set(listed) == on_disk
    assert FALLBACK not in listed.values(), listed
    plots = report.split("## Plots", 1)[1].split("## Files", 1)[0] if "## Plots" in report else ""
    assert {n for n in listed if n.endswith(".png")} == set(re.findall(r"\[`([^`]+)`\]", plots))
    # report.html embeds exactly the plots written, each under its own caption
    page = (out_dir / "report.html").read_text(encoding="utf-8")
    pngs = sorted(n for n in on_disk if n.endswith(".png"))
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == len(pngs)
    for n in pngs:
        assert f"<b>{n}</b>: " in page
    return listed


def test_edited_copy_reports_its_own_title_and_description(tmp_path, capsys) -> None:
    assert main(["cases", "--copy", "cold_plate", "."]) == 0
    path = tmp_path / "plate_b.toml"
    (tmp_path / "cold_plate.toml").rename(path)
    shipped = tomllib.loads(path.read_text())["case"]
    text = path.read_text()
    old_title, old_desc = shipped["title"], shipped["description"].strip()
    new_title = "Plate B: the variant with the taller fins"
    new_desc = "Our own variant.\nSecond line of the description, kept as a line."
    text = text.replace(repr(old_title)[1:-1], new_title, 1)
    start = text.index('description = """')
    end = text.index('"""', start + 17) + 3
    text = text[:start] + f'description = """\n{new_desc}\n"""' + text[end:]
    path.write_text(text)
    case = tomllib.loads(text)["case"]
    assert case["title"] == new_title and case["description"].strip() == new_desc

    assert main(["run", str(path), "-q"]) == 0
    out = tmp_path / "results" / "plate_b"
    report = (out / "report.md").read_text()
    assert report.splitlines()[0] == f"# {new_title}"
    assert new_desc in report
    assert old_title not in report and old_desc.splitlines()[0] not in report
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    assert f"(sha256 {digest})" in report
    listed = _check_listing(out)
    assert listed["temperatures.png"].startswith("inlet, outlet and case temperature")
    # the component count in the captions is the run's own (5 components, 2 exchanging heat)
    import json

    comps = json.loads((out / "results.json").read_text())["components"]
    heated = sum(abs(c["Q_W"]) > 0 for c in comps.values())
    assert f"the {heated} components exchanging heat" in listed["temperatures.png"]
    assert f"each of the {len(comps)} components" in listed["flows.png"]


def test_no_plots_means_no_plot_section(tmp_path, capsys) -> None:
    assert main(["run", "cold_plate", "--no-plots", "-q"]) == 0
    report = (tmp_path / "results" / "cold_plate" / "report.md").read_text()
    assert "## Plots" not in report and ".png" not in report
    _check_listing(tmp_path / "results" / "cold_plate")


@pytest.mark.parametrize("name", ["winnipeg_year", "ai_hall_greenhouse"])
def test_annual_report_lists_each_plot_with_its_caption(name, tmp_path, capsys) -> None:
    assert main(["run", name, "-q", "--hours", "24"]) in (0, 1)
    out = tmp_path / "results" / name
    listed = _check_listing(out)
    assert "(24 hours" in listed["hourly.csv"]
    pngs = [n for n in listed if n.endswith(".png")]
    assert pngs
    for n in pngs:
        assert "24 hours" in listed[n] or n in (
            "monthly_energy.png",
            "load_duration.png",
            "sankey.png",
        )
