"""Pump curves (polynomial, tabulated monotone cubic, EPANET power law), parallel pumps, speed.

References: direct calls of numpy's polynomial fit and scipy's PchipInterpolator on the datasheet
points, EPANET's power-law formulas (EPANET 2.2 manual §3.1) evaluated by hand, operating points
found by bisection on pump curve = system curve (Kv law), mass and energy closure.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from thermo import Coolant
from thermo.case import load_case
from thermo.case.builder import build_network
from thermo.errors import InputError
from thermo.network import CheckValve, ExpansionTank, Network, Pump, SolverOptions, Valve

WATER = Coolant("water")
G = 9.80665
POINTS = [(0.0, 20.0), (0.002, 18.5), (0.004, 15.0), (0.006, 9.0), (0.008, 1.0)]
"""Head curve of one pump [(m³/s, m)], not a quadratic (so the kinds differ)."""


STATED = SolverOptions(initial_temperature=293.15)
"""These loops hold no heat source or sink: their temperature is stated (issue 11, item 4)."""


def system_head(V: float, kv: float) -> float:
    """Head [m] of a valve of Kv ``kv`` at volume flow ``V`` [m³/s] (IEC 60534-1), any density."""
    return 1e5 / (1000.0 * G) * (V * 3600.0 / kv) ** 2


def solve(pump: Pump, kv: float):
    net = Network(WATER)
    net.add(pump, Valve("v", "S", "C", kv=kv), ExpansionTank("tank", "C", pressure=2e5))
    r = net.solve(STATED)
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9
    return r


def test_polynomial_curve_is_numpys_least_squares_fit() -> None:
    pump = Pump("p", "C", "S", head_curve=POINTS, curve="polynomial", degree=3)
    coef = np.polynomial.polynomial.polyfit(*np.array(POINTS).T, 3)
    for V in (0.0, 0.001, 0.005, 0.0075):
        assert pump.head(V) == pytest.approx(np.polynomial.polynomial.polyval(V, coef), 1e-12)


def test_tabulated_curve_is_the_monotone_cubic_through_the_points() -> None:
    pump = Pump("p", "C", "S", head_curve=POINTS, curve="tabulated")
    ref = PchipInterpolator(*np.array(POINTS).T)
    for V, H in POINTS:
        assert pump.head(V) == pytest.approx(H, abs=1e-12)
    grid = np.linspace(0.0, 0.008, 97)
    heads = np.array([pump.head(v) for v in grid])
    assert np.allclose(heads, ref(grid), rtol=1e-12)
    assert np.all(np.diff(heads) < 0)  # monotone like the data
    # beyond the last point: linear with the end slope; affinity law at part speed
    slope = float(ref.derivative()(0.008))
    assert pump.head(0.009) == pytest.approx(1.0 + slope * 0.001, rel=1e-12)
    assert pump.head(0.003, speed=0.8) == pytest.approx(0.64 * float(ref(0.003 / 0.8)), 1e-12)


def test_power_law_curve_follows_epanet() -> None:
    three = [(0.0, 20.0), (0.004, 15.0), (0.008, 1.0)]
    pump = Pump("p", "C", "S", head_curve=three, curve="power_law")
    C = np.log((20.0 - 1.0) / (20.0 - 15.0)) / np.log(2.0)
    B = 5.0 / 0.004**C
    for V in (0.0, 0.002, 0.004, 0.006, 0.008):
        assert pump.head(V) == pytest.approx(20.0 - B * V**C, rel=1e-12)
    one = Pump("q", "C", "S", head_curve=[(0.004, 15.0)], curve="power_law")
    assert one.head(0.0) == pytest.approx(20.0, rel=1e-12)  # 4/3 of the design head
    assert one.head(0.008) == pytest.approx(0.0, abs=1e-9)  # zero head at twice the flow
    assert one.head(0.004) == pytest.approx(15.0, rel=1e-12)


@pytest.mark.parametrize("kind", ["quadratic", "polynomial", "tabulated", "power_law"])
def test_operating_point_matches_bisection_on_the_curves(kind) -> None:
    pts = POINTS if kind != "power_law" else [(0.0, 20.0), (0.004, 15.0), (0.008, 1.0)]
    pump = Pump("pump", "C", "S", head_curve=pts, curve=kind)
    r = solve(pump, kv=25.0)
    V = brentq(lambda v: pump.head(v) - system_head(v, 25.0), 0.0, 0.008, xtol=1e-14)
    assert r.components.loc["pump", "V_dot_m3_s"] == pytest.approx(V, rel=1e-7)
    assert r.value("pump", "head_m") == pytest.approx(pump.head(V), rel=1e-7)
    assert not r.flags


def test_parallel_pumps_follow_the_combined_curve_and_report_each_unit() -> None:
    pump = Pump("pump", "C", "S", head_curve=POINTS, curve="tabulated", count=3)
    r = solve(pump, kv=40.0)
    single = Pump("one", "C", "S", head_curve=POINTS, curve="tabulated")
    # combined curve of N identical pumps: H_N(V) = H_1(V / N)
    V = brentq(lambda v: single.head(v / 3) - system_head(v, 40.0), 0.0, 0.024, xtol=1e-14)
    assert r.components.loc["pump", "V_dot_m3_s"] == pytest.approx(V, rel=1e-7)
    assert r.value("pump", "units_running") == 3
    assert r.value("pump", "V_dot_unit_L_min") == pytest.approx(V / 3 * 6e4, rel=1e-7)
    # the same as three separate pumps, each behind its check valve
    net = Network(WATER)
    for k in range(3):
        net.add(
            Pump(f"p{k}", "C", f"o{k}", head_curve=POINTS, curve="tabulated"),
            CheckValve(f"cv{k}", f"o{k}", "S", kv=1e4),
        )
    net.add(Valve("v", "S", "C", kv=40.0), ExpansionTank("tank", "C", pressure=2e5))
    sep = net.solve(STATED)
    assert sep.components.loc["v", "V_dot_m3_s"] == pytest.approx(V, rel=1e-5)


def test_beyond_the_curve_and_reverse_flow_are_flagged() -> None:
    r = solve(Pump("pump", "C", "S", head_curve=POINTS, curve="tabulated"), kv=200.0)
    codes = {f.code for f in r.flags}
    assert "beyond_curve" in codes
    # a strong pump drives a weak one backwards when no check valve stops it
    net = Network(WATER)
    net.add(
        Pump("strong", "C", "S", head_curve=[(0.0, 40.0), (0.004, 35.0), (0.008, 20.0)]),
        Pump("weak", "C", "S", head_curve=POINTS, curve="tabulated"),
        Valve("v", "S", "C", kv=20.0),
        ExpansionTank("tank", "C", pressure=2e5),
    )
    r = net.solve(STATED)
    assert r.mass_flow("weak") < 0
    assert any(f.element == "weak" and f.code == "reverse_flow" for f in r.flags)


def test_bad_curve_input_is_named() -> None:
    with pytest.raises(InputError, match="curve must be one of"):
        Pump("p", "C", "S", head_curve=POINTS, curve="spline")
    with pytest.raises(InputError, match="degree-5 polynomial needs at least 6 points"):
        Pump("p", "C", "S", head_curve=POINTS, curve="polynomial", degree=5)
    with pytest.raises(InputError, match="shutoff head at zero flow"):
        Pump("p", "C", "S", head_curve=POINTS, curve="power_law")
    with pytest.raises(InputError, match="apply to head_curve or pressure_curve"):
        Pump("p", "C", "S", pressure_rise=1e4, curve="tabulated")


def test_pump_curve_kind_from_a_case_file(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(
        """
[case]
name = "pump_curve"
[coolants]
water = "water"
[components.pump]
type = "Pump"
inlet = "C"
outlet = "S"
head_curve = [["0 L/min", "20 m"], ["120 L/min", "18.5 m"], ["240 L/min", "15 m"],
              ["360 L/min", "9 m"], ["480 L/min", "1 m"]]
curve = "tabulated"
count = 2
[components.v]
type = "Valve"
inlet = "S"
outlet = "C"
kv = 30.0
[components.tank]
type = "ExpansionTank"
node = "C"
pressure = "2 bar"
"""
    )
    r = build_network(load_case(path)).solve(STATED)
    single = Pump("one", "C", "S", head_curve=POINTS, curve="tabulated")
    V = brentq(lambda v: single.head(v / 2) - system_head(v, 30.0), 0.0, 0.016, xtol=1e-14)
    assert r.components.loc["pump", "V_dot_m3_s"] == pytest.approx(V, rel=1e-7)
