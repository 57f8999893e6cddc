"""Node elevation: static head in every branch, hydraulic grade per node, case-file ``[nodes]``.

References: the three-reservoir junction solved by bisection on the junction head (the textbook
method, White, *Fluid Mechanics*, 7th ed., §6.10) and a reservoir-to-reservoir pipe whose friction
factor comes from a direct call of ``fluids.friction.friction_factor``.
"""

from __future__ import annotations

import numpy as np
import pytest
from fluids.friction import friction_factor
from scipy.optimize import brentq

from thermo import Coolant
from thermo.case import CaseError, load_case
from thermo.case.builder import build_network
from thermo.errors import InputError
from thermo.network import (
    ExpansionTank,
    Network,
    Pipe,
    PressureBoundary,
    Pump,
    SolverOptions,
    Valve,
)

WATER = Coolant("water")
G = 9.80665
P_ATM = 101325.0
FT = 0.3048


def three_reservoirs(junction_elevation: float = 5.0) -> Network:
    net = Network(WATER, name="three reservoirs")
    D, f = 1 * FT, 0.02
    for name, z in zip("ABC", (100 * FT, 20 * FT, 0.0), strict=True):
        net.set_elevation(name, z)
        net.add(PressureBoundary(f"res{name}", name, pressure=P_ATM, temperature=293.15))
    net.set_elevation("J", junction_elevation)
    for name, a, b, length in (
        ("p1", "A", "J", 1000),
        ("p2", "J", "B", 500),
        ("p3", "J", "C", 400),
    ):
        net.add(Valve(name, a, b, k=f * length * FT / D, diameter=D))
    return net


def junction_solution() -> tuple[float, list[float]]:
    """Junction head and pipe flows by bisection (independent of the network solver)."""
    D, f = 1 * FT, 0.02
    A = np.pi * D**2 / 4

    def q(h1, h2, length):
        dh = h1 - h2
        return np.sign(dh) * A * np.sqrt(2 * G * abs(dh) / (f * length * FT / D))

    hA, hB, hC = 100 * FT, 20 * FT, 0.0
    hj = brentq(lambda h: q(hA, h, 1000) - q(h, hB, 500) - q(h, hC, 400), hC, hA, xtol=1e-12)
    return hj, [q(hA, hj, 1000), q(hj, hB, 500), q(hj, hC, 400)]


@pytest.mark.parametrize("z_junction", [0.0, 5.0, -12.0])
def test_three_reservoirs_match_the_junction_head_solution(z_junction) -> None:
    r = three_reservoirs(z_junction).solve()
    hj, flows = junction_solution()
    for name, q in zip(("p1", "p2", "p3"), flows, strict=True):
        assert r.components.loc[name, "V_dot_m3_s"] == pytest.approx(q, rel=1e-6)
    # the junction's hydraulic grade does not depend on where the junction sits
    assert r.nodes.loc["J", "head_m"] == pytest.approx(hj, rel=1e-6)
    assert r.nodes.loc["A", "head_m"] == pytest.approx(100 * FT, rel=1e-12)
    assert r.nodes.loc["J", "elevation_m"] == z_junction
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


def test_reservoir_to_reservoir_pipe_matches_colebrook_by_hand() -> None:
    """Water at 20 °C, 200 m of 100 mm pipe, 15 m level difference, entry 0.5 + exit 1.0."""
    L, D, eps, K, dz = 200.0, 0.1, 4.5e-5, 1.5, 15.0
    net = Network(WATER)
    net.set_elevation("up", dz)
    net.add(
        PressureBoundary("upper", "up", pressure=P_ATM, temperature=293.15),
        Pipe("pipe", "up", "down", length=L, diameter=D, roughness=eps, k_minor=K),
        PressureBoundary("lower", "down", pressure=P_ATM, temperature=293.15),
    )
    r = net.solve()
    rho, mu = float(WATER.density(293.15)), float(WATER.viscosity(293.15))

    def residual(v):
        f = friction_factor(Re=rho * v * D / mu, eD=eps / D)
        return (f * L / D + K) * v**2 / (2 * G) - dz

    v = brentq(residual, 0.01, 20.0, xtol=1e-12)
    assert r.components.loc["pipe", "m_dot_kg_s"] == pytest.approx(
        rho * v * np.pi * D**2 / 4, rel=1e-6
    )
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


def test_static_heads_cancel_around_a_closed_isothermal_loop() -> None:
    """A pump on the ground floor feeding a load 12 m up: same flow as on one level; the node
    pressures differ by rho g dz, the hydraulic grade does not."""

    def build(z):
        net = Network(WATER)
        net.add(
            Pump("pump", "C", "S", pressure_rise=5e4),
            Pipe("riser", "S", "top_in", length=15.0, diameter=0.025),
            Valve("load", "top_in", "top_out", kv=3.0),
            Pipe("down", "top_out", "C", length=15.0, diameter=0.025),
            ExpansionTank("tank", "C", pressure=2e5),
        )
        net.set_elevation("top_in", z)
        net.set_elevation("top_out", z)
        return net.solve(SolverOptions(initial_temperature=293.15))  # no heat: stated T

    flat, tall = build(0.0), build(12.0)
    assert tall.mass_flow("pump") == pytest.approx(flat.mass_flow("pump"), rel=1e-9)
    rho = float(WATER.density(tall.temperature("top_in")))
    drop = flat.pressure("top_in") - tall.pressure("top_in")
    assert drop == pytest.approx(rho * G * 12.0, rel=1e-9)
    assert tall.nodes.loc["top_in", "head_m"] == pytest.approx(
        flat.nodes.loc["top_in", "head_m"], rel=1e-9
    )
    assert tall.closure["mass_rel"] < 1e-9 and tall.closure["energy_rel"] < 1e-9


def test_pipe_elevation_change_and_node_elevation_together_are_refused() -> None:
    net = Network(WATER)
    net.add(
        PressureBoundary("a", "A", pressure=2e5, temperature=293.15),
        Pipe("pipe", "A", "B", length=5.0, diameter=0.02, elevation_change=3.0),
        PressureBoundary("b", "B", pressure=1e5, temperature=293.15),
    )
    net.set_elevation("B", 3.0)
    with pytest.raises(InputError, match="either as node elevations or as the pipe"):
        net.solve()


CASE = """
[case]
name = "two_reservoirs"
[coolants]
water = "water"
[components.upper]
type = "PressureBoundary"
node = "up"
pressure = "1.01325 bar"
temperature = "20 degC"
[components.pipe]
type = "Pipe"
inlet = "up"
outlet = "down"
length = "200 m"
diameter = "100 mm"
roughness = "0.045 mm"
k_minor = 1.5
[components.lower]
type = "PressureBoundary"
node = "down"
pressure = "1.01325 bar"
temperature = "20 degC"
[nodes]
up = { elevation = "15 m" }
"""


def test_case_file_nodes_table_sets_elevations(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CASE)
    case = load_case(path)
    assert case.elevations == {"up": 15.0}
    r = build_network(case).solve()
    assert r.components.loc["pipe", "V_dot_m3_s"] > 0.01
    assert r.nodes.loc["up", "head_m"] == pytest.approx(15.0, abs=1e-9)


def test_case_file_nodes_table_names_unknown_nodes_and_bad_values(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CASE + 'dwon = { elevation = "2 m" }\ndown = { elevation = 3 }\n')
    with pytest.raises(CaseError) as info:
        load_case(path)
    text = "\n".join(str(p) for p in info.value.problems)
    assert 'node "dwon" is not a node of this network' in text and "down" in text
    assert "nodes.down.elevation" in text and "with a unit" in text
