"""The benchmark scripts run and print the JSON their issues name (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _json(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(BENCH / args[0]), *args[1:]],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(out.stdout)


def test_annual_benchmark_prints_its_fields() -> None:
    d = _json("annual.py", "--json", "--hours", "48", "--repeats", "1")
    for key in ("hours", "wall_s", "solves", "mean_iterations"):
        assert key in d
    assert d["hours"] == 48 and d["solves"] >= 1 and d["mean_iterations"] > 0
    assert d["closure_rel"] <= 1e-6


def test_parallel_loop_benchmark_conserves_mass_and_energy() -> None:
    d = _json("parallel_loop.py", "--branches", "64", "--repeats", "1", "--json")
    assert d["branches"] == 64 and d["converged"]
    assert d["solve_s"] > 0 and d["iterations"] >= 1
    assert d["mass_closure_rel"] <= 1e-9 and d["energy_closure_rel"] <= 1e-9
    # longer branches carry less: between laminar (flow ~ 1/L: 1.22) and fully rough (~ L^-0.5)
    assert 1.0 < d["first_last_ratio"] < 1.1 / 0.9 + 1e-9


def test_parallel_loop_pipe_headers_sized_for_their_flow() -> None:
    """``--headers pipes``: headers sized for 1.5 m/s at the design flow of all branches
    (1.5 L/min per kW, 1.2 kW each); the solve converges and closes its balances, and the energy
    balance holds by hand: the return warms by the branches' heat over the loop's flow."""
    import math

    d = _json(
        "parallel_loop.py", "--branches", "64", "--headers", "pipes", "--repeats", "1", "--json"
    )
    flow = 64 * 1.5 / 60000.0 * 1.2  # m3/s
    assert d["header_diameter_m"] == pytest.approx(math.sqrt(4.0 * flow / (math.pi * 1.5)))
    assert d["converged"] and d["iterations"] <= 8
    assert d["mass_closure_rel"] <= 1e-9 and d["energy_closure_rel"] <= 1e-9
    assert 1.0 < d["first_last_ratio"] < 1.5  # the far branches see less pressure difference
    # first law: 64 x 1200 W carried by the loop flow (at least 64 x the last branch's flow),
    # cp of water 4180 J/(kg K) within 1 %
    m_total = d["m_total_kg_s"]
    assert 64 * d["m_last_kg_s"] <= m_total <= 64 * d["m_first_kg_s"]
    rise = d["T_return_C"] - 30.0
    assert rise == pytest.approx(64 * 1200.0 / (m_total * 4180.0), rel=0.01)


def test_parallel_loop_baseline_runs_both_checkouts() -> None:
    """``--baseline DIR`` runs the benchmark with another checkout's package (here: this one)
    and reports both and their ratio; the two solve the same network to the same answer."""
    root = str(BENCH.parent)
    d = _json(
        "parallel_loop.py", "--branches", "32", "--repeats", "1", "--rounds", "1", "--json",
        "--baseline", root,
    )  # fmt: skip
    base = d["baseline"]
    assert d["converged"] and base["converged"]
    assert d["ratio"] == pytest.approx(d["solve_s"] / base["solve_s"])
    assert d["m_first_kg_s"] == base["m_first_kg_s"]


@pytest.mark.slow
def test_study_benchmark_prints_its_fields() -> None:
    d = _json("study.py", "--json", "--runs", "2", "--hours", "24")
    for key in ("runs", "workers", "wall_s", "serial_s", "speedup", "overhead_s", "rerun_s"):
        assert key in d
    assert d["runs"] == 2 and d["workers"] == 2 and d["failed"] == 0
    assert d["tables_identical"]  # serial and two Dask workers give the same table
    assert "0 run, 2 from the cache" in d["rerun_output"][0]


def test_power_benchmark_prints_its_fields() -> None:
    out = subprocess.run(
        [sys.executable, str(BENCH / "power.py"), "--json", "--repeat", "1"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["steps"] for r in rows] == [86400, 8760]
    for r in rows:
        assert {"case", "simulated_s", "steps", "wall_s"} <= set(r)
        assert r["simulated_s"] == r["steps"] * (1.0 if r["steps"] == 86400 else 3600.0)


def test_startup_benchmark_prints_its_fields() -> None:
    d = _json("startup.py", "--json", "--cases", "cold_plate", "--repeats", "1")
    (row,) = d["cases"]
    for key in ("case", "wall_s", "cpu_s", "import_s", "import_share"):
        assert key in row
    assert row["case"] == "cold_plate" and row["repeats"] == 1
    # the imports happen inside the run: a positive part of it, never more than all of it
    assert row["wall_s"] > 0 and row["cpu_s"] > 0
    assert 0 < row["import_share"] <= 1


def test_startup_benchmark_runs_a_baseline_checkout_side_by_side() -> None:
    # the baseline here is this very checkout: both rows describe the same run of the same code
    root = str(BENCH.parent)
    d = _json("startup.py", "--json", "--cases", "cold_plate", "--repeats", "1", "--baseline", root)
    (row,) = d["cases"]
    (base,) = d["baseline"]["cases"]
    assert d["baseline"]["root"] == root and d["cold_bytecode"] is False
    assert base["case"] == row["case"] == "cold_plate"
    assert base["cpu_s"] > 0 and row["cpu_s"] > 0
