"""The ``[network]`` section of case files and the Pipe ``friction_law`` key (issue 11).

Independent references: ``fluids`` (Colebrook, Churchill 1977, Haaland, Swamee-Jain friction
factors) and CoolProp (water density and viscosity) called directly.
"""

from __future__ import annotations

import fluids
import numpy as np
import pytest
from CoolProp.CoolProp import PropsSI

from thermo.case import CaseError, load_case, run_case

T0 = 273.15
D, L, EPS = 0.02, 10.0, 1e-5

CASE = """\
[case]
name = "friction"

[coolants]
w = "water"

{network}

[components.src]
type = "FlowSource"
node = "A"
mass_flow = "{m} kg/s"
temperature = "30 degC"

[components.p1]
type = "Pipe"
inlet = "A"
outlet = "B"
length = "10 m"
diameter = "20 mm"
roughness = "0.01 mm"

[components.p2]
type = "Pipe"
inlet = "B"
outlet = "C"
length = "10 m"
diameter = "20 mm"
roughness = "0.01 mm"
{p2}

[components.out]
type = "PressureBoundary"
node = "C"
pressure = "2 bar"
temperature = "30 degC"
"""

FLUIDS = {
    "colebrook": lambda re, ed: fluids.Colebrook(re, ed),
    "churchill": lambda re, ed: fluids.Churchill_1977(re, ed),
    "haaland": lambda re, ed: fluids.Haaland(re, ed),
    "swamee_jain": lambda re, ed: fluids.Swamee_Jain_1976(re, ed),
}


def write(tmp_path, network: str = "", p2: str = "", m: float = 0.033):
    path = tmp_path / "case.toml"
    path.write_text(CASE.format(network=network, p2=p2, m=m))
    return path


def solve(tmp_path, **kw):
    run = run_case(load_case(write(tmp_path, **kw)))
    r = run.result
    assert run.converged
    assert r.closure["mass_rel"] < 1e-9
    # adiabatic open network: what enters leaves at the same temperature
    assert r.components.loc["p2", "T_out_C"] == pytest.approx(30.0, abs=1e-9)
    return r


def reference(law: str, m: float, p: float) -> tuple[float, float, float]:
    """Re, friction factor (fluids) and pressure drop (Darcy-Weisbach, CoolProp) of one pipe."""
    rho = PropsSI("D", "T", 30 + T0, "P", p, "Water")
    mu = PropsSI("V", "T", 30 + T0, "P", p, "Water")
    re = 4.0 * m / (np.pi * D * mu)
    f = FLUIDS[law](re, EPS / D)
    v = m / (rho * np.pi * D**2 / 4.0)
    return re, f, f * L / D * rho * v**2 / 2.0


@pytest.mark.parametrize("law", ["colebrook", "churchill", "haaland", "swamee_jain"])
def test_network_friction_law_from_the_case_file_at_re_2630(tmp_path, law):
    """``[network] friction_law`` reaches every pipe: f and dp at Re ~2630 as fluids gives them."""
    r = solve(tmp_path, network=f'[network]\nfriction_law = "{law}"')
    re, f, dp = reference(law, 0.033, 2e5)
    assert 2600 < re < 2700
    for pipe in ("p1", "p2"):
        row = r.components.loc[pipe]
        # thermo's water viscosity and density are fits to CoolProp within 2.5e-5
        assert row["Re"] == pytest.approx(re, rel=5e-5)
        assert row["friction_factor"] == pytest.approx(FLUIDS[law](row["Re"], EPS / D), rel=5e-6)
        assert row["friction_factor"] == pytest.approx(f, rel=5e-5)
        assert abs(row["dp_Pa"]) == pytest.approx(dp, rel=2e-4)


def test_pipe_friction_law_overrides_the_network_and_default_is_colebrook(tmp_path):
    r = solve(tmp_path, p2='friction_law = "blend"')
    re, f_colebrook, _ = reference("colebrook", 0.033, 2e5)
    f1 = r.components.loc["p1", "friction_factor"]
    f2 = r.components.loc["p2", "friction_factor"]
    assert f1 == pytest.approx(f_colebrook, rel=5e-5)  # no [network]: colebrook from Re 2320
    # the blend interpolates towards laminar over 2300-4000: between 64/Re and Colebrook
    assert 64.0 / re < f2 < 0.7 * f_colebrook
    r = solve(tmp_path, network='[network]\nfriction_law = "haaland"', p2='friction_law = "blend"')
    assert r.components.loc["p2", "friction_factor"] == pytest.approx(f2, rel=1e-12)
    assert r.components.loc["p1", "friction_factor"] == pytest.approx(
        fluids.Haaland(re, EPS / D), rel=5e-5
    )


def problems(tmp_path, **kw) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(write(tmp_path, **kw))
    return [str(p) for p in info.value.problems]


def test_unknown_friction_laws_are_refused_naming_the_allowed_values(tmp_path):
    msgs = problems(
        tmp_path, network='[network]\nfriction_law = "moody"', p2='friction_law = "colbrook"'
    )
    text = "\n".join(msgs)
    assert len(msgs) == 2, text
    assert "network.friction_law" in text and '"moody"' in text
    assert "components.p2.friction_law" in text and "did you mean `colebrook`" in text
    for law in ("colebrook", "blend", "churchill", "haaland", "swamee_jain"):
        assert f"`{law}`" in msgs[0] and f"`{law}`" in msgs[1]
    msgs = problems(tmp_path, network="[network]\nfriction = 1")
    assert any("unknown key `friction`" in m and "[network]" in m for m in msgs), msgs


def test_network_section_must_be_a_table(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text('network = "colebrook"\n' + CASE.format(network="", p2="", m=0.033))
    with pytest.raises(CaseError, match=r"expected a `\[network\]` table"):
        load_case(path)


# ------------------------------------------------------------ property pressure (issue 11, item 7)
def test_property_pressure_of_water_from_the_case_file(tmp_path):
    """``[network] property_pressure = "2 bar"``: water densities at 2 bar as CoolProp gives them
    (IF97 directly, within the 2.5e-5 fit accuracy); the default 0.5 MPa is 1.4e-4 off."""
    m = 0.033
    rho_2bar = PropsSI("D", "T", 30 + T0, "P", 2e5, "IF97::Water")
    default = solve(tmp_path).components.loc["p1"]
    r = solve(tmp_path, network='[network]\nproperty_pressure = "2 bar"')
    row = r.components.loc["p1"]
    assert row["m_dot_kg_s"] / row["V_dot_m3_s"] == pytest.approx(rho_2bar, rel=1e-5)
    off = default["m_dot_kg_s"] / default["V_dot_m3_s"] / rho_2bar - 1.0
    assert 1.2e-4 < off < 1.6e-4  # the former fixed 0.5 MPa
    re, f, dp = reference("colebrook", m, 2e5)
    assert row["Re"] == pytest.approx(re, rel=2e-5)
    assert abs(row["dp_Pa"]) == pytest.approx(dp, rel=5e-5)


def test_property_pressure_network_keyword_and_range(tmp_path):
    from thermo import Coolant
    from thermo.errors import InputError
    from thermo.network import Network

    net = Network(coolant=Coolant("water"), property_pressure=2e5)
    assert net.coolant.reference_pressure == 2e5
    assert Network(coolant=Coolant("PG25"), property_pressure=2e5).coolant == Coolant("PG25")
    with pytest.raises(InputError, match="only water takes a property pressure"):
        Coolant("PG25", pressure=2e5)
    with pytest.raises(InputError, match="property pressure must lie in"):
        Coolant("water", pressure=5e4)
    msgs = problems(tmp_path, network='[network]\nproperty_pressure = "200 bar"')
    assert any("network.property_pressure" in m and "between 1 and 100 bar" in m for m in msgs)
