"""Trays and racks: naming, wiring, quick disconnects against the Kv definition, manifold flow
distribution against the exact solution of a linear resistance ladder (U and Z routing), mass
conservation in the per-tray table, and the Jacobian of a small rack."""

from __future__ import annotations

import numpy as np
import pytest

from thermo import Coolant
from thermo.components.cold_plate import ColdPlate
from thermo.components.rack import PlateSpec, QuickDisconnect, Rack, ServerTray, rack_summary
from thermo.correlations.fittings import cv_to_kv
from thermo.errors import InputError
from thermo.network import Network, PressureBoundary

WATER = Coolant("water")
PG25 = Coolant("PG25")
T_IN = 273.15 + 45.0


def jacobian_error(net, result) -> float:
    """Largest relative difference between the analytic Jacobian and central differences."""
    system = net.system()
    x = result.state.copy()
    rows, cols, vals = system.evaluate(x).jac
    n = len(x)
    J = np.zeros((n, n))
    np.add.at(J, (rows, cols), vals)
    Jfd = np.zeros_like(J)
    for j in range(n):
        h = 1e-6 * max(abs(x[j]), 1e-3)
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        Jfd[:, j] = (
            system.evaluate(xp, jacobian=False).F - system.evaluate(xm, jacobian=False).F
        ) / (2 * h)
    # entries below 1e-6 of their column's largest are round-off and regularisation terms
    scale = np.abs(Jfd) + 1e-6 * np.abs(Jfd).max(axis=0, keepdims=True) + 1e-300
    return float(np.max(np.abs(J - Jfd) / scale))


def driven(item, dp: float, coolant=PG25, T: float = T_IN) -> Network:
    net = Network(coolant=coolant)
    net.add(
        item,
        PressureBoundary("supply_bc", "S", pressure=3e5, temperature=T),
        PressureBoundary("return_bc", "R", pressure=3e5 - dp, temperature=T),
    )
    return net


GPU = PlateSpec("gpu", heat=1200.0)
CPU = PlateSpec("cpu", heat=300.0, resistance=0.05)


def test_tray_names_nodes_and_wiring() -> None:
    tray = ServerTray(
        "rack1.tray03", "S", "R", loops=[[CPU, GPU, GPU]] * 2, quick_disconnect_kv=2.0
    )
    names = [p.name for p in tray.parts()]
    assert names[:2] == ["rack1.tray03.qd_in", "rack1.tray03.qd_out"]
    assert [p.name for p in tray.plates] == [
        "rack1.tray03.cpu0",
        "rack1.tray03.gpu0",
        "rack1.tray03.gpu1",
        "rack1.tray03.cpu1",
        "rack1.tray03.gpu2",
        "rack1.tray03.gpu3",
    ]
    assert len(set(names)) == len(names) == 8
    # each loop runs from the supply-side coupling to the return-side coupling in series
    for loop in tray.loops:
        assert loop[0].inlet == tray.qd_in.outlet and loop[-1].outlet == tray.qd_out.inlet
        for up, down in zip(loop, loop[1:], strict=False):
            assert up.outlet == down.inlet and up.outlet.startswith("rack1.tray03.n")
    assert isinstance(tray.plates[1], ColdPlate) and tray.plates[1].heat == 1200.0


def test_rack_parts_are_unique_and_ports_connect() -> None:
    rack = Rack("r1", "S", "R", trays=12, loops=[[GPU]], header_diameter=0.02, routing="Z")
    parts = rack.parts()
    names = [p.name for p in parts]
    assert len(names) == len(set(names)) == 12 * 1 + 2 * 12
    assert rack.trays[3].name == "r1.tray03" and rack.supply_header[0].inlet == "S"
    assert rack.return_header[-1].outlet == "R"  # reverse return leaves at the far end
    u = Rack("r1", "S", "R", trays=12, loops=[[GPU]], header_diameter=0.02, routing="U")
    assert u.return_header[0].outlet == "R"
    assert len(
        Rack("big", "S", "R", trays=120, loops=[[GPU]], header_diameter=0.05).trays[7].name
    ) == len("big.tray007")


def test_quick_disconnect_follows_the_kv_definition() -> None:
    # Kv: m³/h of water at 1 bar (IEC 60534-1); a Cv 1.85 coupling (maxbar HP-010 example)
    kv = float(cv_to_kv(1.85))
    net = driven(QuickDisconnect("qd", "S", "R", kv=kv), 20e3, coolant=WATER, T=293.15)
    res = net.solve()
    rho = float(WATER.density(293.15))
    V_h = res.mass_flow("qd") / rho * 3600.0
    assert V_h == pytest.approx(kv * np.sqrt(0.2 * 1000.0 / rho), rel=1e-9)


def _ladder(routing: str, n: int = 12):
    """Rack with linear laws everywhere: laminar headers (Hagen–Poiseuille), plates with n = 1,
    no couplings, no heat. Returns (tray flows from the network, analytic distribution)."""
    spec = PlateSpec("p", heat=0.0, pressure_drop=[(1e-6, 1e3)], pressure_drop_exponent=1.0)
    D, pitch, T = 0.004, 0.05, 293.15
    rack = Rack(
        "k",
        "S",
        "R",
        trays=n,
        loops=[[spec]],
        header_diameter=D,
        tray_pitch=pitch,
        routing=routing,
        vertical=False,
    )
    res = driven(rack, 300.0, coolant=WATER, T=T).solve()
    table = rack_summary(res, rack)
    q = table["m_dot_kg_s"].to_numpy()
    assert res.components.loc["k.supply00", "Re"] < 2000  # laminar: the headers are linear
    mu, rho = float(WATER.viscosity(T)), float(WATER.density(T))
    r = 128.0 * mu * pitch / (np.pi * rho * D**4)  # header segment [Pa/(kg/s)]
    R = 1e3 / 1e-6 / rho  # branch [Pa/(kg/s)]
    theta = np.arccosh(1.0 + r / R)
    i = np.arange(n)
    shape = np.cosh(theta * (n - 0.5 - i)) if routing == "U" else np.cosh(theta * (i - (n - 1) / 2))
    return q, shape / shape.sum() * q.sum()


@pytest.mark.parametrize("routing", ["U", "Z"])
def test_ladder_distribution_is_the_exact_discrete_solution(routing: str) -> None:
    # Kirchhoff on the ladder gives q[i-1] - 2(1 + r/R) q[i] + q[i+1] = 0, i.e. q ∝ cosh(θ(i - c))
    # with cosh θ = 1 + r/R; c = N - 1/2 (U, dead end at the far tray) or (N - 1)/2 (Z, symmetric)
    q, exact = _ladder(routing)
    np.testing.assert_allclose(q, exact, rtol=1e-9)
    if routing == "U":
        assert np.all(np.diff(q) < 0)  # flow falls away from the feed end
    else:
        assert q[0] == pytest.approx(q[-1], rel=1e-9) and q.argmin() in (5, 6)


def test_reverse_return_is_more_uniform_in_a_realistic_rack() -> None:
    spread = {}
    for routing in "UZ":
        rack = Rack(
            "r",
            "S",
            "R",
            trays=18,
            loops=[[CPU, GPU, GPU]] * 2,
            quick_disconnect_kv=2.0,
            header_diameter=0.02,
            routing=routing,
        )
        table = rack_summary(driven(rack, 150e3).solve(), rack)
        spread[routing] = table["flow_ratio"].max() - table["flow_ratio"].min()
    assert spread["U"] > 2 * spread["Z"] > 0


def test_summary_conserves_mass_and_finds_the_hottest_case() -> None:
    rack = Rack(
        "r",
        "S",
        "R",
        trays=6,
        loops=[[CPU, GPU, GPU]] * 2,
        quick_disconnect_kv=2.0,
        header_diameter=0.015,
        routing="U",
    )
    net = driven(rack, 100e3)
    res = net.solve()
    table = rack_summary(res, rack)
    assert table["m_dot_kg_s"].sum() == pytest.approx(res.mass_flow("r.supply00"), rel=1e-9)
    assert table["Q_W"].sum() == pytest.approx(6 * 2 * (300.0 + 2400.0), rel=1e-9)
    cases = res.components.loc[[p.name for p in rack.plates], "T_case_C"]
    assert table["T_case_max_C"].max() == pytest.approx(cases.max())
    assert table.loc[table["T_case_max_C"].idxmax(), "hottest"] == cases.idxmax()
    # the second GPU of a series loop sees the warmest coolant: it is the hottest of its tray
    assert set(table["hottest"].str.rsplit(".", n=1).str[1]) <= {"gpu1", "gpu3"}
    assert jacobian_error(net, res) < 1e-5


def test_bad_input_is_named() -> None:
    with pytest.raises(InputError, match="routing must be 'U' .* or 'Z'"):
        Rack("r", "S", "R", trays=2, loops=[[GPU]], header_diameter=0.02, routing="X")
    with pytest.raises(InputError, match="trays must be a whole number >= 1, got 0"):
        Rack("r", "S", "R", trays=0, loops=[[GPU]], header_diameter=0.02)
    with pytest.raises(InputError, match="loops must hold PlateSpec objects, got str"):
        ServerTray("t", "S", "R", loops=[["gpu"]])
    with pytest.raises(InputError, match="loops must contain at least one non-empty loop"):
        ServerTray("t", "S", "R", loops=[[]])
    with pytest.raises(InputError, match="plate label must be a short identifier"):
        PlateSpec("gpu 1", heat=1.0)
    with pytest.raises(InputError, match="either datasheet laws .* or a geometry"):
        PlateSpec("gpu", heat=1.0, resistance=0.03, geometry=object())
    with pytest.raises(InputError, match="kv must be greater than zero"):
        QuickDisconnect("qd", "a", "b", kv=0.0)
