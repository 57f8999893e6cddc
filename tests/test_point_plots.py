"""Operating-point plots an engineer reads at a glance (issue 18, item 2): the flow path, its
segments and the schematic's loops, checked against conservation laws and the solved tables."""

from __future__ import annotations

import pytest

from thermo.case.loader import load_case, shipped_cases
from thermo.case.runner import run_case
from thermo.report.flow_path import critical_path, hottest_branch, segments
from thermo.report.point_plots import _loops, heat_branches, racks, tray_flows, write_point_plots


@pytest.fixture(scope="module")
def rack():
    return run_case(load_case(shipped_cases()["nvl72_rack"]))


@pytest.fixture(scope="module")
def two_loops():
    return run_case(load_case(shipped_cases()["secondary_loop"]))


def _closed(run):
    path = critical_path(run.result, run.case.outputs.supply_node)
    segs = segments(run.result, path, run.case.model.owner)
    return path, segs


@pytest.mark.parametrize("name", ["rack", "two_loops"])
def test_path_is_a_closed_loop_through_the_hottest_component(name, request) -> None:
    run = request.getfixturevalue(name)
    comps = run.result.components
    path, segs = _closed(run)
    hot = hottest_branch(comps)
    if "T_case_C" in comps and comps["T_case_C"].notna().any():
        assert comps.loc[hot, "T_case_C"] == comps["T_case_C"].max()
    assert hot in path and len(set(path)) == len(path)
    # consecutive segments meet at one node and the last one closes the loop
    for a, b in zip(segs, [*segs[1:], segs[0]], strict=True):
        assert a.node_out == b.node_in
    # Kirchhoff around a loop: the pump rise equals the sum of the losses (the grade line closes)
    rise = -sum(s.dp for s in segs if s.dp < 0)
    losses = sum(s.dp for s in segs if s.dp > 0)
    assert rise > 0 and abs(rise - losses) <= 1e-6 * rise
    # the path starts at the supply node of the case
    if run.case.outputs.supply_node:
        assert segs[0].node_in == run.case.outputs.supply_node


def test_rack_path_collapses_headers_and_heats_only_at_the_plate(rack) -> None:
    _, segs = _closed(rack)
    labels = [s.label for s in segs]
    assert any(lbl.startswith("rack.supply ×") for lbl in labels)
    assert any(lbl.startswith("rack.return ×") for lbl in labels)
    heated = [s for s in segs if s.heat_W > 0]
    assert len(heated) == 1 and heated[0].types == {"ColdPlate"}
    # the plate's rise by hand: Q = m cp dT with cp of PG25 from CoolProp at the mean temperature
    from CoolProp.CoolProp import PropsSI

    s = heated[0]
    comps = rack.result.components
    m = float(comps.loc[s.branches[0], "m_dot_kg_s"])
    t_mean = 273.15 + (s.T_in + s.T_out) / 2
    p = rack.result.nodes.loc[s.node_in, "p_Pa"]
    cp = PropsSI("C", "T", t_mean, "P", float(p), "INCOMP::MPG[0.25]")
    assert s.T_out - s.T_in == pytest.approx(s.heat_W / (m * cp), rel=0.02)


def test_tray_flows_add_up_to_the_rack_flow(rack) -> None:
    from thermo.components.rack import rack_summary

    found = racks(rack)
    assert [n for n, _ in found] == ["rack"]
    table = rack_summary(rack.result, found[0][1])
    assert len(table) == 18
    fast = dict(tray_flows(rack.result, found[0][1]))
    assert list(fast) == list(table.index)
    for name, v in table["V_dot_L_min"].items():
        assert fast[name] == pytest.approx(v, rel=1e-12)
    supply = float(rack.result.components.loc["supply_hose", "m_dot_kg_s"])
    assert table["m_dot_kg_s"].sum() == pytest.approx(supply, rel=1e-9)


def test_schematic_rings_hold_the_case_components_and_close_energy(two_loops) -> None:
    path, _ = _closed(two_loops)
    rings = _loops(two_loops, path)
    assert len(rings) == 2
    first, second = ({*r} for r, _ in rings)
    assert "cdu_hx" in first and "cdu_hx" in second
    assert {"dry_cooler", "fac_pump", "fac_pipe"} <= second
    assert "sec_pump" in first and "fac_pump" not in first
    # the heat written on the boxes of each ring, times the instances each box stands for,
    # balances (first law for the ring's fluid): 8 racks x 12.5 kW = the exchanger's 100 kW
    comps = two_loops.result.components
    owner = two_loops.case.model.owner
    by_owner: dict[str, list[str]] = {}
    for b in comps.index:
        by_owner.setdefault(owner.get(b, b), []).append(b)
    inst = {s.name: s.instance for s in two_loops.case.components if s.instance}
    for k, (ring, branches) in enumerate(rings):
        elsewhere = {b for j, (_, rb) in enumerate(rings) if j != k for b in rb}
        total, biggest = 0.0, 0.0
        for name in ring:
            own = [b for b in branches if owner.get(b, b) == name]
            q = float(comps.loc[heat_branches(name, own, by_owner, elsewhere), "Q_W"].sum())
            local = name.split(".", 1)[1] if name in inst else None
            count = sum(1 for n in inst if n.split(".", 1)[1] == local) if local else 1
            total += count * q
            biggest = max(biggest, abs(q))
        assert biggest > 1e3 and abs(total) <= 1e-6 * biggest, (ring, total)


def test_point_plots_written_in_us_units(rack, tmp_path) -> None:
    rack.case.outputs.units = "US"
    try:
        written = write_point_plots(rack, tmp_path)
    finally:
        rack.case.outputs.units = "SI"
    names = sorted(p.name for p in written)
    assert names == ["flows.png", "hydraulic_grade.png", "schematic.png", "temperature_path.png"]
    for p in written:
        assert p.stat().st_size > 10_000


def test_annual_plot_legend_names_each_loops_coolant() -> None:
    """The loop-temperature plot names the fluids of the case (PG25, not "water")."""
    import tomllib

    from thermo.case.output import loop_fluids

    path = shipped_cases()["ai_hall_greenhouse"]
    raw = tomllib.loads(path.read_text())
    fluids = loop_fluids(load_case(path))
    assert fluids["tcs"] == "PG25" and fluids["facility"] == "PG35"
    assert set(fluids.values()) <= {v for v in raw["coolants"].values() if isinstance(v, str)} | {
        "water"
    }


def test_hall_scale_collapses_trays_to_one_bar_per_rack(rack, tmp_path, monkeypatch) -> None:
    """Beyond MAX_TRAY_BARS trays, one bar per rack; the caption says what the bars are."""
    from thermo.case.captions import file_caption
    from thermo.report import point_plots

    monkeypatch.setattr(point_plots, "MAX_TRAY_BARS", 10)
    drawn = {}
    real = point_plots._rack_range_bars

    def spy(run, found, path, u, plt):
        drawn["racks"] = [n for n, _ in found]
        return real(run, found, path, u, plt)

    monkeypatch.setattr(point_plots, "_rack_range_bars", spy)
    path = point_plots.flow_bars(rack, tmp_path / "flows.png", point_plots._Units("SI"))
    assert path.stat().st_size > 5_000 and drawn["racks"] == ["rack"]
    assert "least- and best-fed tray" in file_caption("flows.png", rack)
