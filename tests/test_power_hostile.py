"""Hostile `[power]` input (issue 12, found by the fuzzing campaign): bounded size, confined files,
errors that never echo a file's contents."""

from __future__ import annotations

import re

from thermo.case import shipped_cases
from thermo.cli import main

GRID = shipped_cases()["grid_interactive_aidc"].read_text()
SECRET = "SECRET_TOKEN=hunter2-do-not-print"


def _validate(capsys, folder, text: str) -> tuple[int, str]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "case.toml"
    path.write_text(text, encoding="utf-8")
    rc = main(["validate", str(path)])
    cap = capsys.readouterr()
    return rc, cap.out + cap.err


def test_a_huge_number_of_power_steps_is_refused_at_validation(tmp_path, capsys) -> None:
    text = re.sub(r"(?m)^hours = 24$", "hours = 1e9", GRID)
    assert text != GRID
    rc, out = _validate(capsys, tmp_path, text)
    assert rc == 2 and "power.hours" in out and "steps" in out


def test_a_signals_file_outside_the_case_folder_is_refused(tmp_path, capsys) -> None:
    outside = tmp_path / "elsewhere" / "prices.csv"
    outside.parent.mkdir()
    outside.write_text("price_per_MWh,carbon_kg_per_MWh\n50,10\n", encoding="utf-8")
    text = GRID.replace('signals = "illustrative_hourly"', 'signals = "../elsewhere/prices.csv"')
    assert text != GRID
    rc, out = _validate(capsys, tmp_path / "case", text)
    assert rc == 2 and "outside the case folder" in out


def test_a_signals_file_is_never_echoed(tmp_path, capsys) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "prices.csv").write_text(f"{SECRET},b\n{SECRET},1\n", encoding="utf-8")
    text = GRID.replace('signals = "illustrative_hourly"', 'signals = "prices.csv"')
    rc, out = _validate(capsys, folder, text)
    if rc == 0:  # read at run time: run it
        rc = main(["run", str(folder / "case.toml"), "--no-plots", "--out", str(tmp_path / "o")])
        cap = capsys.readouterr()
        out = cap.out + cap.err
    assert rc == 2, out
    assert "hunter2" not in out and "prices.csv" in out
