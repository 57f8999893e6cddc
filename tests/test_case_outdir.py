"""Nothing overwritten by surprise (issue 18, item 5): output folder per case file, replacement
with a notice, and a ``.gitignore`` for ``results/`` written by ``thermo cases --copy``."""

from __future__ import annotations

import json
import tomllib

import pytest

from thermo.case.outdir import MANIFEST, add_gitignore, prepare_out_dir
from thermo.cli import main


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")


def test_copied_case_writes_beside_not_into_the_shipped_cases_results(tmp_path, capsys) -> None:
    assert main(["cases", "--copy", "cold_plate", "."]) == 0
    copy = tmp_path / "my_plate.toml"
    (tmp_path / "cold_plate.toml").rename(copy)
    assert main(["run", "cold_plate", "--no-plots", "-q"]) == 0
    assert main(["run", str(copy), "--no-plots", "-q"]) == 0
    # both cases keep the same [case] name inside; the folders follow the file names
    name = tomllib.loads(copy.read_text())["case"]["name"]
    assert name == "cold_plate"
    assert (tmp_path / "results" / "cold_plate" / "results.json").is_file()
    doc = json.loads((tmp_path / "results" / "my_plate" / "results.json").read_text())
    assert doc["case"]["file"].endswith("my_plate.toml")


def test_rerun_replaces_the_earlier_files_with_a_notice(tmp_path, capsys) -> None:
    assert main(["run", "cold_plate"]) == 0
    out = tmp_path / "results" / "cold_plate"
    first = {p.name for p in out.iterdir()}
    assert {"results.json", "report.md", MANIFEST} <= first
    pngs = {n for n in first if n.endswith(".png")}
    assert pngs, first
    (out / "my_notes.txt").write_text("keep me")
    capsys.readouterr()
    assert main(["run", "cold_plate", "--no-plots"]) == 0
    err = capsys.readouterr().err
    assert "note: replaced the earlier results in results/cold_plate (" in err
    assert "1 other entries there left as they are" in err
    after = {p.name for p in out.iterdir()}
    assert not pngs & after, "plots of the earlier run must not linger beside new results"
    assert (out / "my_notes.txt").read_text() == "keep me"
    assert set((out / MANIFEST).read_text().split()) == after - {MANIFEST, "my_notes.txt"}


def test_foreign_folder_is_written_into_with_a_notice(tmp_path, capsys) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "design.xlsx").write_text("x")
    assert main(["run", "cold_plate", "--no-plots", "--out", str(target)]) == 0
    err = capsys.readouterr().err
    assert f"note: writing into existing folder {target} (1 entries)" in err
    assert (target / "design.xlsx").read_text() == "x"
    # a fresh folder: no notice at all
    assert main(["run", "cold_plate", "--no-plots", "--out", "fresh"]) == 0
    assert "note:" not in capsys.readouterr().err


def test_manifest_never_removes_outside_the_folder(tmp_path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text("x")
    (out / MANIFEST).write_text("../precious.txt\n/etc/passwd\n..\n\nresults.json\n")
    (out / "results.json").write_text("{}")
    note = prepare_out_dir(out)
    assert note is not None and "(1 files)" in note
    assert outside.read_text() == "x" and not (out / "results.json").exists()
    assert prepare_out_dir(tmp_path / "missing") is None


def test_copy_writes_a_gitignore_for_results(tmp_path, capsys) -> None:
    assert main(["cases", "--copy", "cold_plate", "work"]) == 0
    assert "wrote work/.gitignore" in capsys.readouterr().out
    lines = (tmp_path / "work" / ".gitignore").read_text().splitlines()
    assert "results/" in lines
    # a second copy into the same folder does not repeat the line
    assert main(["cases", "--copy", "secondary_loop", "work"]) == 0
    assert (tmp_path / "work" / ".gitignore").read_text().splitlines() == lines


def test_existing_gitignore_is_extended_not_replaced(tmp_path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc")
    assert add_gitignore(tmp_path) == (tmp_path / ".gitignore", "added results/ to")
    assert (tmp_path / ".gitignore").read_text() == "*.pyc\nresults/\n"
    assert add_gitignore(tmp_path) is None


def test_default_folder_is_one_plain_folder_below_results(tmp_path) -> None:
    from thermo.case.outdir import default_out_dir

    assert default_out_dir("loop", tmp_path / "my plate v2.toml") == "results/my_plate_v2"
    assert default_out_dir("loop", tmp_path / "...toml") == "results/loop"
    assert default_out_dir("loop", None) == "results/loop"
