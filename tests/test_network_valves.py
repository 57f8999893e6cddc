"""Check valves, isolation valves, isolated parts, dead ends and zero-loss connections.

References: the Kv law of IEC 60534-1 solved by hand for series and parallel valves (flows in
closed form), conservation of mass and energy in every network.
"""

from __future__ import annotations

import numpy as np
import pytest

from thermo import Coolant
from thermo.case import CaseError, load_case
from thermo.case.builder import build_network
from thermo.network import (
    CheckValve,
    Connection,
    ExpansionTank,
    IsolationValve,
    Network,
    Pump,
    SolverOptions,
    Valve,
)

WATER = Coolant("water")
T0 = 298.15  # only a default: a loop without heat keeps its start temperature


def kv_flow(dp: float, *kvs: float, T: float = T0) -> float:
    """Volume flow [m³/s] through valves in series taking ``dp`` [Pa] (IEC 60534-1 Kv law)."""
    rho = float(WATER.density(T))
    series = sum(1.0 / kv**2 for kv in kvs)
    return np.sqrt(dp / (1e5 * rho / 1000.0) / series) / 3600.0


def closed(result) -> None:
    """Mass and energy closure; with every flow stopped the relative mass figure has no scale,
    so the flows themselves must then be nil."""
    m_max = float(result.components["m_dot_kg_s"].abs().max())
    assert result.closure["mass_rel"] < 1e-9 or m_max < 1e-8
    assert result.closure["energy_rel"] < 1e-9


def two_pumps(rise_1: float, rise_2: float, crack: float = 0.0) -> Network:
    net = Network(WATER)
    net.add(
        Pump("p1", "C", "a1", pressure_rise=rise_1),
        CheckValve("cv1", "a1", "S", kv=10.0, cracking_pressure=crack),
        Pump("p2", "C", "a2", pressure_rise=rise_2),
        CheckValve("cv2", "a2", "S", kv=10.0, cracking_pressure=crack),
        Valve("load", "S", "C", kv=5.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    return net


def test_the_weaker_of_two_parallel_pumps_is_shut_by_its_check_valve() -> None:
    r = two_pumps(5e4, 2e4).solve()
    assert abs(r.mass_flow("cv2")) < 1e-8  # blocked, not leaking backwards
    assert r.value("cv2", "closed") == 1.0 and r.value("cv1", "closed") == 0.0
    assert not r.flags_of("reverse_flow")
    assert r.components.loc["cv1", "V_dot_m3_s"] == pytest.approx(
        kv_flow(5e4, 10.0, 5.0, T=r.temperature("C")), 1e-6
    )
    # the shut valve holds the difference: 5e4 - 2e4 minus the open branch's valve loss
    assert r.pressure("S") - r.pressure("a2") > 2.9e4 - 1e4
    closed(r)


def test_equal_pumps_share_the_flow_through_open_check_valves() -> None:
    r = two_pumps(3e4, 3e4).solve()
    assert r.mass_flow("cv1") == pytest.approx(r.mass_flow("cv2"), rel=1e-9)
    assert r.value("cv1", "closed") == 0.0
    closed(r)


def test_cracking_pressure_is_taken_before_the_valve_opens() -> None:
    net = Network(WATER)
    net.add(
        Pump("pump", "C", "a", pressure_rise=5e4),
        CheckValve("cv", "a", "S", kv=10.0, cracking_pressure=1e4),
        Valve("load", "S", "C", kv=5.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    r = net.solve()
    assert r.components.loc["cv", "V_dot_m3_s"] == pytest.approx(
        kv_flow(4e4, 10.0, 5.0, T=r.temperature("C")), 1e-6
    )
    net.set_parameter("pump", "pressure_rise", 5e3)  # below the cracking pressure: no flow
    r = net.solve()
    assert abs(r.mass_flow("cv")) < 1e-8 and r.value("cv", "closed") == 1.0
    closed(r)


def parallel_with_isolation(closed_valve: bool) -> Network:
    net = Network(WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=5e4),
        Valve("a", "S", "C", kv=5.0),
        IsolationValve("iso_in", "S", "x", kv=20.0, closed=closed_valve),
        Valve("b", "x", "y", kv=5.0),
        IsolationValve("iso_out", "y", "C", kv=20.0, closed=closed_valve),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    return net


def test_closed_isolation_valves_stop_the_flow_and_report_the_isolated_part() -> None:
    net = parallel_with_isolation(True)
    r = net.solve()
    assert r.mass_flow("b") == 0.0 and r.mass_flow("iso_in") == pytest.approx(0.0, abs=1e-15)
    assert r.components.loc["a", "V_dot_m3_s"] == pytest.approx(
        kv_flow(5e4, 5.0, T=r.temperature("C")), rel=1e-6
    )
    assert list(r.nodes.index[r.nodes["isolated"]]) == ["x", "y"]
    (flag,) = r.flags_of("isolated")
    assert "iso_in, iso_out" in flag.message
    closed(r)
    # opened again between solves: both branches carry flow, the isolation is gone
    net.set_parameter("iso_in", "closed", False)
    net.set_parameter("iso_out", "closed", False)
    r = net.solve()
    assert r.components.loc["b", "V_dot_m3_s"] == pytest.approx(
        kv_flow(5e4, 20.0, 5.0, 20.0, T=r.temperature("C")), rel=1e-6
    )
    assert not r.flags_of("isolated") and not r.nodes["isolated"].any()
    closed(r)


def test_zero_loss_connection_merges_two_nodes() -> None:
    for joined in (False, True):
        net = Network(WATER)
        net.add(
            Pump("pump", "C", "S", pressure_rise=5e4),
            Valve("v1", "S", "m", kv=5.0),
            Valve("v2", "m1" if joined else "m", "C", kv=8.0),
            ExpansionTank("tank", "C", pressure=2e5),
        )
        if joined:
            net.add(Connection("joint", "m", "m1"))
        r = net.solve(SolverOptions(initial_temperature=293.15))  # no heat: stated T
        closed(r)
        T = r.temperature("C")
        assert r.mass_flow("pump") == pytest.approx(
            kv_flow(5e4, 5.0, 8.0, T=T) * float(WATER.density(T)), rel=1e-6
        )
        if joined:
            assert r.pressure("m") == pytest.approx(r.pressure("m1"), abs=1e-9)


CASE = """
[case]
name = "valves"
[coolants]
water = "water"
[components.pump]
type = "Pump"
inlet = "C"
outlet = "S"
pressure_rise = "0.5 bar"
[components.a]
type = "Valve"
inlet = "S"
outlet = "C"
kv = 5.0
[components.iso]
type = "IsolationValve"
inlet = "S"
outlet = "x"
kv = 20.0
closed = true
[components.cv]
type = "CheckValve"
inlet = "x"
outlet = "C"
kv = 20.0
cracking_pressure = "0.1 bar"
[components.drain]
type = "Pipe"
inlet = "S"
outlet = "drain"
length = "1 m"
diameter = "15 mm"
[components.tank]
type = "ExpansionTank"
node = "C"
pressure = "2 bar"
[nodes]
drain = { dead_end = true }
"""


def test_valves_and_dead_ends_from_a_case_file(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CASE)
    r = build_network(load_case(path)).solve()
    assert r.mass_flow("iso") == pytest.approx(0.0, abs=1e-15)
    assert abs(r.mass_flow("drain")) < 1e-12
    assert {f.code for f in r.flags} == {"isolated", "dead_end"}
    closed(r)


def test_an_undeclared_dead_end_in_a_case_file_is_still_an_error(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CASE.replace("drain = { dead_end = true }", ""))
    with pytest.raises(CaseError, match="dead_end = true"):
        load_case(path)


def test_a_loop_of_zero_loss_connections_is_a_named_topology_error() -> None:
    from thermo.errors import TopologyError

    net = Network(WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=5e4),
        Valve("v1", "S", "m", kv=5.0),
        Connection("j1", "m", "n"),
        Connection("j2", "n", "m"),
        Valve("v2", "n", "C", kv=8.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    with pytest.raises(TopologyError, match="j1, j2 form a closed loop") as info:
        net.solve()
    assert info.value.elements == ["j1", "j2"]
