"""Result tables without pandas (issue 19, item 3): the CSV files and ``results.json`` of a point
run are written from :class:`thermo.network.table.Table`; pandas' own writer is the reference."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from thermo.case import build_network, load_case
from thermo.case.display_units import convert_table
from thermo.network.table import Table

SMALL = ("cold_plate", "secondary_loop", "nvl72_rack")
NOT_ON_THE_RUN_PATH = ("pandas", "pyarrow", "matplotlib", "pint", "CoolProp", "tqdm", "dask")


@pytest.mark.parametrize("name", SMALL)
def test_point_run_imports_no_pandas(name, tmp_path) -> None:
    # speed is measured in benchmarks/startup.py, never asserted here; what keeps a small run
    # quick is that its path imports none of these (the tables are written without pandas)
    code = (
        "import sys\n"
        "from thermo.cli import main\n"
        f"rc = main(['run', {name!r}, '--no-plots', '-q', '--out', {str(tmp_path)!r}])\n"
        f"heavy = sorted(m for m in {NOT_ON_THE_RUN_PATH!r} if m in sys.modules)\n"
        "print(rc, repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
    for table in ("nodes", "components", "boundaries", "controls"):
        assert (tmp_path / f"{table}.csv").is_file()
    assert (tmp_path / "results.json").is_file()


def test_check_of_many_small_cases_imports_no_pandas() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from thermo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    rc = main(['check', *{SMALL!r}])\n"
        f"heavy = sorted(m for m in {NOT_ON_THE_RUN_PATH!r} if m in sys.modules)\n"
        "print(rc, repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr


def _odd_table(from_rows: bool) -> Table:
    floats = [0.1 + 0.2, math.nan, math.inf, -0.0, 1e-20, 1e16, 123456.789, -5e-5]
    n = len(floats)
    return Table(
        {
            "x_Pa": np.array(floats),
            "T_C": np.linspace(-40.0, 120.0, n) / 3.0,
            "ok": np.array([True, False] * (n // 2)),
            "label": ["a", "b,c", 'q"uote', "line\nbreak", "°C", "", " sp ", "x"],
            "count": np.arange(n, dtype=np.int64),
        },
        [f"row {i}" if i != 3 else "row,3" for i in range(n)],
        "node",
        from_rows=from_rows,
    )


@pytest.mark.parametrize("from_rows", [False, True])
@pytest.mark.parametrize("system", ["SI", "engineering", "US"])
def test_table_csv_is_byte_identical_to_pandas(tmp_path, from_rows, system) -> None:
    table = _odd_table(from_rows)
    convert_table(table, system).write_csv(tmp_path / "ours.csv")
    convert_table(table.to_frame(), system).to_csv(tmp_path / "pandas.csv")
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_empty_table_from_rows_matches_pandas(tmp_path) -> None:
    table = Table({"component": [], "value": [], "saturated": []}, [], "control", from_rows=True)
    table.write_csv(tmp_path / "ours.csv")
    frame = table.to_frame()
    assert list(frame.columns) == ["component", "value", "saturated"] and len(frame) == 0
    frame.to_csv(tmp_path / "pandas.csv")
    assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()


def test_records_match_pandas_to_dict() -> None:
    table = _odd_table(False)
    ours = table.records()
    ref = table.to_frame().to_dict("index")
    assert list(ours) == list(ref)
    for k in ref:
        for c, v in ref[k].items():
            mine = ours[k][c]
            if isinstance(v, float) and math.isnan(v):
                assert math.isnan(mine)
            else:
                assert mine == v, (k, c)


def test_records_refuse_a_repeated_label() -> None:
    with pytest.raises(ValueError, match="unique"):
        Table({"a": [1.0, 2.0]}, ["x", "x"], "node").records()


@pytest.mark.parametrize("name", ["secondary_loop", "nvl72_rack"])
@pytest.mark.parametrize("system", ["SI", "US"])
def test_solved_tables_write_what_pandas_writes(name, system, tmp_path) -> None:
    res = build_network(load_case(name)).solve()
    assert res.converged
    for t in ("nodes", "components", "boundaries", "controls"):
        ours, ref = tmp_path / f"{t}.csv", tmp_path / f"{t}_pd.csv"
        convert_table(res.table(t), system).write_csv(ours)
        convert_table(getattr(res, t), system).to_csv(ref)
        assert ours.read_bytes() == ref.read_bytes(), t
        frame = getattr(res, t)
        assert isinstance(frame, pd.DataFrame) and list(frame.index) == res.table(t).index
    # the same network closes its balances whichever way the tables are read
    # energy in = energy out, summed here from the written table, not from the summary
    q = res.table("components").column("Q_W")
    h = res.table("boundaries").column("enthalpy_flow_W")
    assert abs(q.sum() + h.sum()) <= 1e-6 * np.abs(q).sum()
    assert res.closure["mass_rel"] < 1e-9
