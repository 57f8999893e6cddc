"""Volume-flow sources and custom coolants, from Python and from case files.

References: CoolProp called directly for the density of water (the volume-to-mass conversion),
Coolant.custom / Coolant(name, fraction) built directly, mass and energy closure.
"""

from __future__ import annotations

import CoolProp.CoolProp as CP
import pytest

from thermo import Coolant
from thermo.case import CaseError, load_case
from thermo.case.builder import build_network
from thermo.errors import InputError
from thermo.network import FlowSource, HeatLoad, Network, Pipe, PressureBoundary

WATER = Coolant("water")


def test_volume_flow_source_uses_the_density_at_its_temperature() -> None:
    net = Network(WATER)
    net.add(
        FlowSource("feed", "in", volume_flow=55e-3, temperature=303.15),
        HeatLoad("load", "in", "mid", heat=1e5),
        Pipe("pipe", "mid", "out", length=10.0, diameter=0.15),
        PressureBoundary("drain", "out", pressure=2e5, temperature=303.15),
    )
    r = net.solve()
    rho = CP.PropsSI("D", "T", 303.15, "P", 101325.0, "Water")
    assert r.mass_flow("load") == pytest.approx(55e-3 * rho, rel=2e-4)  # fit vs IAPWS at 1 atm
    cp = float(WATER.specific_heat(303.15))
    assert r.temperature("mid") - 303.15 == pytest.approx(1e5 / (55e-3 * rho * cp), rel=2e-3)
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


def test_flow_source_needs_exactly_one_flow() -> None:
    with pytest.raises(InputError, match="exactly one of mass_flow"):
        FlowSource("f", "n", temperature=300.0)
    with pytest.raises(InputError, match="exactly one of mass_flow"):
        FlowSource("f", "n", mass_flow=1.0, volume_flow=1e-3, temperature=300.0)


CASE = """
[case]
name = "custom"
[coolants]
COOLANT
[components.feed]
type = "FlowSource"
node = "in"
volume_flow = "55 L/s"
temperature = "30 degC"
[components.load]
type = "HeatLoad"
inlet = "in"
outlet = "out"
heat = "100 kW"
[components.drain]
type = "PressureBoundary"
node = "out"
pressure = "2 bar"
temperature = "30 degC"
"""


def solve_case(tmp_path, coolant: str):
    path = tmp_path / "case.toml"
    path.write_text(CASE.replace("COOLANT", coolant))
    return build_network(load_case(path)).solve()


def test_custom_constant_coolant_from_a_case_file(tmp_path) -> None:
    r = solve_case(
        tmp_path,
        'oil = { density = "850 kg/m3", specific_heat = "2000 J/(kg*K)", viscosity = "10 mPa*s",'
        ' conductivity = "0.13 W/(m*K)", freezing_point = "-40 degC", max_temperature = '
        '"120 degC" }',
    )
    assert r.mass_flow("load") == pytest.approx(0.055 * 850, rel=1e-9)
    # constant cp: the rise is Q / (m cp) exactly
    assert r.temperature("out") - 303.15 == pytest.approx(1e5 / (0.055 * 850 * 2000), rel=1e-9)
    assert r.closure["energy_rel"] < 1e-9


def test_tabulated_and_mixture_coolants_from_a_case_file(tmp_path) -> None:
    table = (
        'fluid = { density = [["0 degC", "1060 kg/m3"], ["100 degC", "1000 kg/m3"]], '
        'specific_heat = "3500 J/(kg*K)", viscosity = [["0 degC", "8 mPa*s"], '
        '["100 degC", "1 mPa*s"]], conductivity = "0.4 W/(m*K)", freezing_point = "-10 degC", '
        'max_temperature = "100 degC", min_temperature = "0 degC" }'
    )
    r = solve_case(tmp_path, table)
    rho = float(r._system.fluids.fluids[0].density(303.15))
    assert 1000 < rho < 1060 and r.mass_flow("load") == pytest.approx(0.055 * rho, rel=1e-9)
    r = solve_case(tmp_path, 'glycol = { name = "EG", fraction = 0.3 }')
    ref = Coolant("EG", 0.3)
    assert r._system.fluids.fluids[0] == ref
    assert r.mass_flow("load") == pytest.approx(0.055 * float(ref.density(303.15)), rel=1e-9)


def test_bad_coolant_tables_are_named(tmp_path) -> None:
    path = tmp_path / "case.toml"
    path.write_text(CASE.replace("COOLANT", 'oil = { density = "850 kg/m3", colour = "amber" }'))
    with pytest.raises(CaseError) as info:
        load_case(path)
    text = "\n".join(str(p) for p in info.value.problems)
    assert "colour" in text and "needs `specific_heat`" in text and "needs `freezing_point`" in text
    path.write_text(CASE.replace("COOLANT", 'glycol = { name = "EG", fraction = 1.5 }'))
    with pytest.raises(CaseError, match="coolants.glycol"):
        load_case(path)
