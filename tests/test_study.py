"""Design studies: designs, validation before any run, execution on Dask (a two-worker
LocalCluster), the cache, failures, the table, Pareto and tornado, goal seek."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from thermo.case import CaseError, shipped_cases
from thermo.study import StudySpec, parse_set, read_study, run_study, sweep, variants
from thermo.study.design import Variant
from thermo.study.plots import pareto_front, tornado_data

BASE = shipped_cases()["secondary_loop"].read_text()
STUDY = """
[study]
design = "factorial"
tornado = "pump_power_W"
pareto = { minimize = ["pump_power_W", "return_temperature_C"] }

[[study.parameters]]
key = "controls.header_dp.setpoint"
range = [0.5, 0.9]
steps = 3
unit = "bar"

[[study.parameters]]
key = "templates.rack.parameters.heat"
values = [10, 12.5]
unit = "kW"
"""


@pytest.fixture(scope="module")
def case_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("study") / "loop.toml"
    path.write_text(BASE + STUDY)
    return path


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as lc,
        distributed.Client(lc) as client,
    ):
        yield client


# ----------------------------------------------------------------------------- designs
def test_set_syntax_lists_ranges_units() -> None:
    a, b, c = parse_set(["x.y=1,2.5,true", "a.b=20000..60000:3 m2", 'c.d="PG25","water"'])
    assert a.values == [1, 2.5, True]
    assert (b.low, b.high, b.steps, b.unit) == (20000, 60000, 3, "m2")
    assert b.levels() == [20000, 40000, 60000] and b.text(40000.0) == "40000 m2"
    assert c.values == ["PG25", "water"]
    with pytest.raises(CaseError) as err:
        parse_set(["novalue", "k=5..1"])
    assert len(err.value.problems) == 2  # every bad item at once


def test_factorial_oat_and_latin_hypercube() -> None:
    p = parse_set(["a.x=0..1:3", "a.y=1,2"])
    assert len(variants(StudySpec(p, design="factorial"))) == 6
    oat = variants(StudySpec(p, design="oat"))
    assert [v.inputs for v in oat] == [
        {"a.x": 0.5, "a.y": 1},
        {"a.x": 0.0, "a.y": 1},
        {"a.x": 1.0, "a.y": 1},
        {"a.x": 0.5, "a.y": 2},
    ]
    q = parse_set(["a.x=10..20", "a.z=0..1"])
    lhs = variants(StudySpec(q, design="lhs", samples=8, seed=3))
    again = variants(StudySpec(q, design="lhs", samples=8, seed=3))
    assert [v.inputs for v in lhs] == [v.inputs for v in again]  # the seed reproduces the runs
    for key, lo, hi in (("a.x", 10, 20), ("a.z", 0, 1)):
        u = np.array([(v.inputs[key] - lo) / (hi - lo) for v in lhs])
        # a Latin hypercube: exactly one sample in each of the 8 equal strata of every input
        assert sorted(np.floor(u * 8).astype(int)) == list(range(8))


def test_latin_hypercube_strata_and_uniformity() -> None:
    from thermo.study.design import latin_hypercube

    u = latin_hypercube(200, 3, seed=7)
    assert u.shape == (200, 3) and ((u >= 0) & (u < 1)).all()
    for j in range(3):  # every one of the 200 strata of every dimension holds one point
        assert sorted(np.floor(u[:, j] * 200).astype(int)) == list(range(200))
    # inside its stratum a point is uniform: the offsets have mean 1/2 and variance 1/12
    offsets = (u * 200) % 1.0
    assert abs(offsets.mean() - 0.5) < 0.04 and abs(offsets.var() - 1 / 12) < 0.01
    # the dimensions are paired at random: no rank correlation beyond chance (|r| < 4/sqrt(n))
    r = np.corrcoef(u, rowvar=False)
    assert np.abs(r[np.triu_indices(3, 1)]).max() < 4 / np.sqrt(200)
    assert np.array_equal(u, latin_hypercube(200, 3, seed=7))
    assert not np.array_equal(u, latin_hypercube(200, 3, seed=8))


def test_study_keys_address_array_elements(tmp_path) -> None:
    from thermo.case import build_network, load_case, run_case

    path = shipped_cases()["secondary_loop"]
    case = load_case(path, {"components.sec_pump.head_curve[0][1]": "18 m"})
    pump = next(b for b in build_network(case).branches if b.name == "sec_pump")
    # the shut-off head changed, the other two points as shipped (150 L/min = 2.5e-3 m3/s)
    np.testing.assert_allclose(pump.curve_points[:, 1], [18.0, 12.5, 6.3])
    np.testing.assert_allclose(pump.curve_points[1, 0], 150e-3 / 60)
    with pytest.raises(CaseError) as err:
        load_case(path, {"components.sec_pump.head_curve[3][1]": "18 m"})
    assert "no element [3] in `components.sec_pump.head_curve` (it has 3" in str(err.value)
    with pytest.raises(CaseError) as err:
        load_case(path, {"components.sec_pump.efficiency[0]": 0.5})
    assert "`components.sec_pump.efficiency` is not an array" in str(err.value)
    res = sweep(
        path,
        parse_set(['components.sec_pump.head_curve[0][1]="16 m","20 m"']),
        out=tmp_path / "o",
        workers=1,
        plots=False,
    )
    df = res.table
    assert list(df["status"]) == ["ok", "ok"]
    # the header dp control sets the pump's speed so that the loop runs at the same point (same
    # flow and head at a constant efficiency): the same power, reached at another speed
    np.testing.assert_allclose(df["pump_power_W"][1], df["pump_power_W"][0], rtol=1e-9)
    speeds = []
    for head in ("16 m", "20 m"):
        run = run_case(load_case(path, {"components.sec_pump.head_curve[0][1]": head}))
        speeds.append(run.result.controls.loc["header_dp", "value"])
        assert run.result.controls.loc["header_dp", "achieved"] == pytest.approx(0.7e5, rel=1e-6)
    assert abs(speeds[1] - speeds[0]) > 1e-3  # the override reached the solved model


def test_linked_keys_scale_with_the_parameter() -> None:
    (p,) = read_study(
        None,
        "t.toml",
        {
            "parameters": [
                {
                    "key": "g.area",
                    "values": [2, 4],
                    "unit": "m2",
                    "linked": {"c.rail.length": "1.875 m"},
                }
            ]
        },
    ).parameters
    assert p.assign(4) == {"g.area": "4 m2", "c.rail.length": "7.5 m"}


def test_study_section_errors_all_at_once(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        BASE
        + """
[study]
desing = "factorial"
[[study.parameters]]
key = "controls.header_dp.setpoint"
range = [0.9, 0.5]
[study.optimize]
minimize = "pump_power_W"
variables = ["nope"]
"""
    )
    with pytest.raises(CaseError) as err:
        sweep(path, out=tmp_path / "out", workers=1)
    text = str(err.value)
    assert "did you mean `design`" in text
    assert "low < high" in text
    assert "`nope` is not a [[study.parameters]] key" in text


def test_every_run_is_validated_before_anything_runs(case_file, tmp_path) -> None:
    params = parse_set(
        ["components.supply_main.diameter=50 mm,-5 mm,-7 mm", "components.nope.length=1 m"]
    )
    with pytest.raises(CaseError) as err:
        sweep(case_file, params, out=tmp_path / "out", workers=1)
    text = str(err.value)
    assert "no table `nope`" in text and "all 3 runs" in text  # listed once for all runs
    params = parse_set(["components.supply_main.diameter=50 mm,-5 mm,-7 mm"])
    with pytest.raises(CaseError) as err:
        sweep(case_file, params, out=tmp_path / "out", workers=1)
    text = str(err.value)
    assert "run 1 (components.supply_main.diameter=-5 mm)" in text
    assert "run 2 (components.supply_main.diameter=-7 mm)" in text
    assert not (tmp_path / "out").exists()  # nothing ran, nothing was written


# ----------------------------------------------------------------------------- execution
def test_sweep_serial_equals_local_cluster_and_conserves_energy(case_file, tmp_path, cluster):
    serial = sweep(case_file, out=tmp_path / "serial", workers=1)
    dask = sweep(case_file, out=tmp_path / "dask", client=cluster)
    assert dask.study.workers == 2 and dask.study.executed == 6
    pd.testing.assert_frame_equal(serial.table, dask.table)
    assert (tmp_path / "serial" / "study.csv").read_bytes() == (
        tmp_path / "dask" / "study.csv"
    ).read_bytes()
    df = pd.read_parquet(tmp_path / "dask" / "study.parquet")
    pd.testing.assert_frame_equal(df, dask.table, check_dtype=False)
    assert (df["status"] == "ok").all() and len(df) == 6
    # the inputs reached the model: IT heat = 8 racks x the varied rack heat (a given, not a
    # model output), and every run closes its energy balance
    heat = df["templates.rack.parameters.heat"] * 8e3
    np.testing.assert_allclose(df["it_power_W"], heat, rtol=1e-12)
    np.testing.assert_allclose(df["heat_added_W"], df["heat_removed_W"], rtol=1e-6)
    # summary heat counts external sources and sinks only (issue 11, item 3): the racks' heat
    # in, the cooler's out; the exchanger passing all of it on is not counted again
    np.testing.assert_allclose(df["heat_added_W"], heat, rtol=1e-6)
    if "heat_exchanged_W" in df:
        np.testing.assert_allclose(df["heat_exchanged_W"], heat, rtol=1e-6)
    # plots written, Pareto front non-dominated
    for name in ("pareto.png", "tornado.png", "study.json"):
        assert (tmp_path / "dask" / name).exists()
    assert dask.pareto_runs


def test_finished_study_reruns_nothing_and_extension_runs_only_new(case_file, tmp_path):
    first = sweep(case_file, out=tmp_path / "o", workers=1, plots=False)
    again = sweep(case_file, out=tmp_path / "o", workers=1, plots=False)
    assert first.study.executed == 6 and again.study.executed == 0
    pd.testing.assert_frame_equal(first.table, again.table)
    more = parse_set(
        [
            "controls.header_dp.setpoint=0.5..0.9:3 bar",
            "templates.rack.parameters.heat=10 kW,12.5 kW,15 kW",
        ]
    )
    extended = sweep(case_file, more, out=tmp_path / "o", workers=1, plots=False)
    assert extended.study.executed == 3  # only the 15 kW runs are new


def test_finished_study_rewrites_no_table(case_file, tmp_path) -> None:
    sweep(case_file, out=tmp_path / "o", workers=1, plots=False)
    csv, pq = tmp_path / "o" / "study.csv", tmp_path / "o" / "study.parquet"
    stamps = (csv.stat().st_mtime_ns, pq.stat().st_mtime_ns)
    again = sweep(case_file, out=tmp_path / "o", workers=1, plots=False)
    assert (csv.stat().st_mtime_ns, pq.stat().st_mtime_ns) == stamps  # left as they were
    assert csv in again.written and pq in again.written
    pd.testing.assert_frame_equal(pd.read_parquet(pq), again.table)


def test_study_progress_in_a_log_has_no_carriage_return(case_file, tmp_path, capsys) -> None:
    sweep(case_file, out=tmp_path / "o", workers=1, plots=False, progress=True, cache=False)
    err = capsys.readouterr().err
    assert "\r" not in err  # pytest's capture is not a terminal: plain lines
    assert err.splitlines()[-1].startswith("  run 6/6  (100.0 %)  0 failed, 0 remaining")


def test_sweep_reads_files_only_from_allowed_folders(tmp_path, capsys) -> None:
    from thermo.cli import main

    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "lib.toml").write_text(
        "[templates.spare]\nports = []\n[templates.spare.components]\n"
    )
    (tmp_path / "case").mkdir()
    case = tmp_path / "case" / "loop.toml"
    case.write_text('include = "../shared/lib.toml"\n' + BASE + STUDY)
    args = ["sweep", str(case), "--workers", "1", "--no-plots", "-q", "--set"]
    args += ["templates.rack.parameters.heat=10 kW", "--out", str(tmp_path / "o")]
    assert main(args) == 2
    assert "outside the case folder" in capsys.readouterr().err
    assert main([*args, "--allow-path", str(shared)]) == 0


def test_a_failed_run_is_recorded_and_the_study_goes_on(tmp_path) -> None:
    path = tmp_path / "loop.toml"
    path.write_text(BASE + "\n[solver]\nmax_iterations = 50\n")
    res = sweep(
        path, parse_set(["solver.max_iterations=1,50"]), out=tmp_path / "o", workers=1, plots=False
    )
    df = res.table
    assert list(df["status"]) == ["not converged", "ok"]
    assert "ConvergenceError" in df["error"][0] and df["error"][1] == ""
    assert res.study.failed == 1
    again = sweep(
        path, parse_set(["solver.max_iterations=1,50"]), out=tmp_path / "o", workers=1, plots=False
    )
    assert again.study.executed == 1  # failures are not cached: they run again


def test_run_study_with_prebuilt_variants(case_file) -> None:
    v = Variant(0, {"k": 1}, {"controls.header_dp.setpoint": "0.7 bar"})
    st = run_study(case_file, [v], workers=1)
    assert st.outcomes[0].row["status"] == "ok" and st.executed == 1


# ----------------------------------------------------------------------------- analysis
def test_pareto_front_against_brute_force() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.random(40), rng.random(40)
    front = set(pareto_front(x, y, ("min", "max")))
    for i in range(40):
        dominated = any(
            x[j] <= x[i] and y[j] >= y[i] and (x[j] < x[i] or y[j] > y[i]) for j in range(40)
        )
        assert (i in front) == (not dominated)


def test_tornado_uses_one_at_a_time_runs() -> None:
    df = pd.DataFrame(
        {"status": "ok", "a": [1, 0, 2, 1, 1], "b": [5, 5, 5, 4, 6], "m": [10, 7, 14, 9, 12]}
    )
    t = tornado_data(df, ["a", "b"], "m", {"a": 1, "b": 5})
    assert t == {"base": 10.0, "bars": {"a": (7.0, 14.0), "b": (9.0, 12.0)}}


def test_goal_seek_finds_the_active_constraint(tmp_path) -> None:
    """Least pump power whose return temperature stays <= 44.5 degC: the optimum lies on the
    constraint (lower header pressure = less flow = warmer return), and the run there closes its
    energy balance."""
    from thermo.study.optimize import optimize_case

    path = tmp_path / "loop.toml"
    path.write_text(
        BASE
        + """
[study]
[[study.parameters]]
key = "controls.header_dp.setpoint"
range = [0.4, 1.0]
unit = "bar"
[study.optimize]
minimize = "pump_power_W"
constraints = [{ metric = "return_temperature_C", max = 44.5 }]
max_runs = 30
"""
    )
    res = optimize_case(path, out=tmp_path / "o")
    assert res.success, res.report()
    assert res.constraints[0]["value"] == pytest.approx(44.5, abs=0.5 * 0.005 * 44.5 + 0.05)
    assert res.active == ["return_temperature_C <= 44.5"]
    assert 2 <= res.runs <= 30
    dp = float(res.variables["controls.header_dp.setpoint"].split()[0])
    assert 0.4 < dp < 0.7  # 0.7 bar gives 44.16 degC (shipped case): less flow is allowed
    assert "evaluations" in res.report()


# ----------------------------------------------------------------------------- shipped study
@pytest.mark.slow
def test_shipped_greenhouse_sizing_cli_and_cluster_agree(tmp_path, cluster, capsys) -> None:
    """The shipped study (one-at-a-time over its three inputs, first 24 hours) through the
    command line and on the two-worker LocalCluster: the same table; every run closes its
    energy balance; the exchanger's capital cost follows the cited curve by hand."""
    from thermo.cli import main

    args = ["sweep", "greenhouse_sizing", "--design", "oat", "--hours", "24", "--workers", "1"]
    assert main([*args, "--out", str(tmp_path / "cli"), "-q"]) == 0
    assert "7 runs (7 run, 0 from the cache, 0 failed)" in capsys.readouterr().out
    res = sweep(
        "greenhouse_sizing",
        out=tmp_path / "dask",
        client=cluster,
        design="oat",
        hours=24,
        plots=False,
    )
    cli = pd.read_parquet(tmp_path / "cli" / "study.parquet")
    pd.testing.assert_frame_equal(cli, res.table, check_dtype=False)
    df = res.table
    assert (df["status"] == "ok").all()
    assert (df["closure_rel"].abs() < 1e-9).all()
    assert df["greenhouse_coverage"].between(0, 1).all()
    assert (df["economics_scaled_from_hours"] == 24).all()
    # 2.5 MW/K at U = 4000 W/(m2 K): 625 m2 = 2 x 312.5 m2 of plate exchanger (Towler & Sinnott
    # Table 6.6: 1600 + 210 S^0.95 USD 2010), x 1.35 CAD/USD x 1.5 escalation x 2.5 installation
    base = df[df["components.gh_hx.ua"] == 2.5].iloc[0]
    hand = 2 * (1600 + 210 * 312.5**0.95) * 1.35 * 1.5 * 2.5
    assert base["capex_greenhouse_exchanger_CAD"] == pytest.approx(hand, rel=1e-3)
    # the 2 MW heat pump: 700 EUR/kW (DEA, installed) x 1.5 CAD/EUR x 1.3 escalation
    assert base["capex_heat_pump_CAD"] == pytest.approx(2000 * 700 * 1.5 * 1.3, rel=1e-3)
    # a bigger greenhouse with the same plant: coverage falls
    row = df.set_index("greenhouse.floor_area")
    base_rows = df[(df["components.gh_hx.ua"] == 2.5) & (df["components.hp.heating_capacity"] == 2)]
    cov = base_rows.set_index("greenhouse.floor_area")["greenhouse_coverage"]
    assert cov[20000] > cov[40000] > cov[60000]
    assert len(row) == 7


@pytest.mark.slow
def test_optimiser_finds_the_shipped_study_optimum(tmp_path) -> None:
    """[study.optimize] of greenhouse_sizing over its first 336 hours (docs/studies.md): the least
    LCOH with coverage >= 0.7. Checked against the model itself, not a remembered number: runs
    of the same case around the reported optimum (a 3 x 3 scan at 1.5 % of each range, run by
    run_study, not by the optimiser) hold no feasible point better than it by more than 0.3 %."""
    from thermo.study.design import Variant
    from thermo.study.optimize import ACTIVE_TOL, optimize_case
    from thermo.study.runner import load_study

    res = optimize_case("greenhouse_sizing", out=tmp_path / "o", hours=336)
    print(res.report())  # shown with -s: the figures quoted in docs/studies.md
    assert res.success and res.converged, res.report()
    # the optimum lies on the coverage constraint, inside the box
    assert res.active == ["greenhouse_coverage >= 0.7"], res.report()
    assert 0.7 <= res.constraints[0]["value"] <= 0.7 * (1 + ACTIVE_TOL)
    assert res.runs == sum(res.stages.values()) <= 36 + 6
    path, _, spec = load_study("greenhouse_sizing", None, hours=336)
    params = {p.key: p for p in spec.parameters}
    best = {k: float(v.split()[0]) for k, v in res.variables.items()}
    variants = []
    for da in (-1, 0, 1):
        for dh in (-1, 0, 1):
            point = {}
            for key, d in (("greenhouse.floor_area", da), ("components.hp.heating_capacity", dh)):
                p = params[key]
                point[key] = float(np.clip(best[key] + d * 0.015 * (p.high - p.low), p.low, p.high))
            overrides = {}
            for key, p in params.items():
                overrides.update(p.assign(point.get(key, p.base_value())))
            variants.append(Variant(len(variants), point, overrides))
    scan = run_study(
        path, variants, hours=336, economics=spec.economics, workers=1, cache_dir=tmp_path / "s"
    )
    rows = [o.row for o in scan.outcomes]
    assert all(r["status"] == "ok" for r in rows)
    centre = rows[4]
    assert centre["lcoh_CAD_per_MWh"] == pytest.approx(res.value, rel=1e-9)  # same model, same run
    feasible = [r["lcoh_CAD_per_MWh"] for r in rows if r["greenhouse_coverage"] >= 0.7]
    assert min(feasible) >= res.value * (1 - 0.003), (res.report(), rows)
    # the constraint binds: a step to a bigger greenhouse at the same heat pump is cheaper per
    # MWh but covers less than 70 %
    assert rows[7]["lcoh_CAD_per_MWh"] < res.value and rows[7]["greenhouse_coverage"] < 0.7


def test_a_changed_package_source_invalidates_the_cache(case_file, tmp_path, monkeypatch) -> None:
    # the cache key holds a digest of the installed source: results of older code at the same
    # version are not reused
    from thermo.study import execute

    v = Variant(0, {"k": 1}, {"controls.header_dp.setpoint": "0.65 bar"})
    first = run_study(case_file, [v], workers=1, cache_dir=tmp_path / "c")
    again = run_study(case_file, [v], workers=1, cache_dir=tmp_path / "c")
    assert (first.executed, again.executed) == (1, 0)
    monkeypatch.setattr(execute, "_source_digest", ["another source"])
    changed = run_study(case_file, [v], workers=1, cache_dir=tmp_path / "c")
    assert changed.executed == 1


def test_the_source_digest_follows_every_package_file(tmp_path, monkeypatch) -> None:
    from thermo.study import execute

    real = execute.source_digest()
    assert real == execute.source_digest(refresh=True)  # deterministic
    pkg = tmp_path / "thermo"
    (pkg / "study").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "study" / "execute.py").write_text("y = 2\n")
    monkeypatch.setattr(execute, "__file__", str(pkg / "study" / "execute.py"))
    d1 = execute.source_digest(refresh=True)
    (pkg / "a.py").write_text("x = 2\n")
    d2 = execute.source_digest(refresh=True)
    (pkg / "b.py").write_text("")
    d3 = execute.source_digest(refresh=True)
    assert len({real, d1, d2, d3}) == 4
    monkeypatch.undo()
    assert execute.source_digest(refresh=True) == real


@pytest.mark.parametrize("max_runs", [40, 20])
def test_optimiser_on_an_analytic_problem_with_a_binding_constraint(
    tmp_path, monkeypatch, max_runs
) -> None:
    """The optimiser's stages against a closed form, the case runs replaced by a function: least
    a + 2 h over the box [1, 5] x [1, 5] with a h >= 6. On the constraint h = 6/a, a + 12/a is
    least at a = sqrt(12) = 3.4641, h = 1.7321, value 2 sqrt(12) = 6.9282. A wiggle of 1e-5 on the
    objective (as an annual model has) must not move the answer by more than the stopping step.
    With 20 runs the start is a Latin hypercube and the polish on the constraint finishes."""
    from thermo.study import execute
    from thermo.study.optimize import optimize_case

    def fake_run_study(case_path, variants, **kw):
        outcomes = []
        for v in variants:
            a = float(v.inputs["controls.header_dp.setpoint"])
            h = float(v.inputs["components.pump.speed"])
            wiggle = 1e-5 * np.sin(1e4 * a) * np.cos(1e4 * h)
            row = {"status": "ok", "cost": (a + 2 * h) * (1 + wiggle), "product": a * h}
            outcomes.append(execute.RunOutcome(str(v.index), row, 0.0))
        return execute.StudyRun(variants, outcomes, 0.0, 0.0, len(variants), 1, "serial")

    monkeypatch.setattr(execute, "run_study", fake_run_study)
    path = tmp_path / "loop.toml"
    path.write_text(
        BASE
        + """
[study]
[[study.parameters]]
key = "controls.header_dp.setpoint"
range = [1.0, 5.0]
[[study.parameters]]
key = "components.pump.speed"
range = [1.0, 5.0]
[study.optimize]
minimize = "cost"
constraints = [{ metric = "product", min = 6.0 }]
max_runs = MAX_RUNS
""".replace("MAX_RUNS", str(max_runs))
    )
    res = optimize_case(path, out=tmp_path / "o")
    assert res.success and (res.converged or max_runs < 40), res.report()
    a = float(res.variables["controls.header_dp.setpoint"])
    h = float(res.variables["components.pump.speed"])
    assert a * h >= 6.0 and res.active == ["product >= 6.0"]
    assert res.value == pytest.approx(2 * 12**0.5, rel=2e-3)
    assert a == pytest.approx(12**0.5, abs=0.1) and h == pytest.approx(3**0.5, abs=0.05)
    assert res.runs == sum(res.stages.values()) <= max_runs + 6
    if max_runs == 40:
        assert res.stages["start"] == 9  # base point (the grid centre) and the 3 x 3 grid
    else:
        assert res.stages["start"] == 6 and res.stages["polish"] >= 1  # hypercube of 5
