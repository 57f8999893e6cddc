"""Verification cases for the network components (``components.*``): published device values
reproduced *through a solved network*, and manifold flow distribution against the exact solution.

Explained, with the derivations behind the references, in docs/validation/components.md.
"""

from __future__ import annotations

import math

from thermo.verification import VerificationCase

T0 = 273.15
LPM = 1e-3 / 60.0

_DESCHUTES = (
    "Modelica Buildings Library, Buildings.Applications.DataCenters.LiquidCooled.CDUs.Data."
    "GoogleProjectDeschutes (Wetter, 2026; data from OCP 2026, 'CDU Information WP'): 2000 kW, "
    "approach 3 K, facility loop entering 26.8 °C, IT loop 31.48 kg/s (PG25), facility loop "
    "32.30 kg/s"
)

# manifold ladder (docs/validation/components.md): 12 trays, 4 mm laminar headers at 50 mm pitch,
# linear plates 1 kPa at 1 mL/s, water at 20 °C
_N, _D, _PITCH, _T = 12, 0.004, 0.05, T0 + 20.0
_MU_20C = 1.0016e-3
"""Viscosity of water at 20 °C, 0.1 MPa [Pa s]: IAPWS R12-08 (2008), 1001.6 µPa s."""
_A_PLATE = 1e3 / 1e-6
"""Linear plate law [Pa/(m³/s)]: 1 kPa at 1 mL/s."""


def _ladder_ratio_exact(routing: str) -> float:
    """Largest over smallest tray flow of the linear ladder: closed form (components.md)."""
    r_over_R = 128.0 * _MU_20C * _PITCH / (math.pi * _D**4 * _A_PLATE)  # density cancels
    theta = math.acosh(1.0 + r_over_R)
    if routing == "U":
        return math.cosh(theta * (_N - 0.5)) / math.cosh(theta / 2.0)
    # Z with equal headers: symmetric, the ends over the tray(s) nearest the middle
    middle = 0.5 if _N % 2 == 0 else 0.0
    return math.cosh(theta * (_N - 1) / 2.0) / math.cosh(theta * middle)


def _ladder_ratio(routing: str) -> float:
    from thermo import Coolant
    from thermo.components.rack import PlateSpec, Rack
    from thermo.network import Network, PressureBoundary

    water = Coolant("water")
    spec = PlateSpec("p", heat=0.0, pressure_drop=[(1e-6, 1e3)], pressure_drop_exponent=1.0)
    rack = Rack(
        "k",
        "S",
        "R",
        trays=_N,
        loops=[[spec]],
        header_diameter=_D,
        tray_pitch=_PITCH,
        routing=routing,
        vertical=False,
    )
    net = Network(coolant=water)
    net.add(
        rack,
        PressureBoundary("a", "S", pressure=3e5, temperature=_T),
        PressureBoundary("b", "R", pressure=3e5 - 300.0, temperature=_T),
    )
    res = net.solve()
    q = [sum(res.mass_flow(p.name) for p in t.plates) for t in rack.trays]
    if res.components["Re"].max() > 2000:
        raise AssertionError("headers left the laminar regime: the ladder is not linear")
    return max(q) / min(q)


def _cdu_approach() -> float:
    from thermo import Coolant
    from thermo.components.cdu import CDU
    from thermo.network import (
        Control,
        HeatLoad,
        MassFlow,
        Network,
        PressureBoundary,
        SolverOptions,
        Valve,
    )

    pg25, water = Coolant("PG25"), Coolant("water")
    cdu = CDU(
        "cdu",
        secondary_supply="ss",
        secondary_return="sr",
        facility_supply="fs",
        facility_return="fr",
        capacity=2.0e6,
        approach=3.0,
        secondary_design_flow=31.48,
        facility_design_flow=32.30,
        facility_design_temperature=T0 + 26.8,
        secondary_coolant=pg25,
        facility_coolant=water,
        pump_curve=[(0.0, 300e3), (0.015, 250e3), (0.03, 120e3)],
        pumps_running=2,
        secondary_pressure_drop=50e3,
        facility_pressure_drop=50e3,
    )
    net = Network()
    net.add(
        cdu,
        Valve("racks", "ss", "m", kv=400.0),
        HeatLoad("it_load", "m", "sr", heat=2.0e6),
        PressureBoundary("fs_bc", "fs", pressure=4e5, temperature=T0 + 26.8, coolant=water),
        PressureBoundary("fr_bc", "fr", pressure=2e5, temperature=T0 + 30.0, coolant=water),
        Control(
            "it_flow",
            component="cdu.pump",
            parameter="speed",
            target=MassFlow("cdu.pump", 31.48),
            lower=0.1,
            upper=1.5,
        ),
        Control(
            "facility_flow",
            component="cdu.valve",
            parameter="opening",
            target=MassFlow("cdu.valve", 32.30),
            lower=0.0,
            upper=1.0,
        ),
    )
    res = net.solve(SolverOptions(initial_flow=30.0))
    return res.temperature("ss") - res.temperature("fs")


def _ocp_plate_flow() -> float:
    from thermo import Coolant
    from thermo.components.cold_plate import ColdPlate
    from thermo.correlations import cold_plate as cpl
    from thermo.network import Network, PressureBoundary

    pg25 = Coolant("PG25")
    net = Network(coolant=pg25)
    net.add(
        ColdPlate("cp", "a", "b", heat=1000.0, pressure_drop=[(cpl.OCP_FLOW_REF, cpl.OCP_DP_REF)]),
        PressureBoundary("in", "a", pressure=3e5, temperature=T0 + 40.0),
        PressureBoundary("out", "b", pressure=3e5 - 25e3, temperature=T0 + 40.0),
    )
    res = net.solve()
    return res.mass_flow("cp") / float(pg25.density(res.temperature("a"))) / LPM


def _dry_cooler_network() -> float:
    from thermo import Coolant
    from thermo.components.dry_cooler import DryCooler
    from thermo.correlations.dry_cooler import EXAMPLE_RATING
    from thermo.network import FlowSource, Network, PressureBoundary

    net = Network(coolant=Coolant("water"))
    net.add(
        DryCooler("dc", "a", "b", rating=EXAMPLE_RATING, ambient_temperature=T0 + 10.0, speed=0.5),
        FlowSource("src", "a", mass_flow=EXAMPLE_RATING.m_water_design, temperature=T0 + 45.0),
        PressureBoundary("sink", "b", pressure=2e5, temperature=T0 + 45.0),
    )
    return net.solve().exit_temperature("dc") - T0


# counterflow PG25/water exchanger with cp(T) (issue 11): 0.15 kg/s PG25 at 60 °C against
# 0.2 kg/s water at 30 °C, UA = 3000 W/K; outlets of thermo.verification.exchanger_ode
# (solve_ivp DOP853 rtol 1e-11, shooting), recomputed by tests/test_exchanger_profile.py
_HX = dict(m_hot=0.15, m_cold=0.2, T_hot=T0 + 60.0, T_cold=T0 + 30.0, ua=3000.0)
_HX_ODE_HOT_OUT_C = 32.437512406
_HX_ODE_COLD_OUT_C = 49.708869942
# the same streams in crossflow: both unmixed (2-D grid of exchanger_ode, Richardson 80/160 cells,
# 0.06 mK from 40/80) and with the PG25 (C_min) side mixed (exact strip-by-strip integration)
_HX_XFLOW_UNMIXED_HOT_OUT_C = 34.7702673
_HX_XFLOW_CMIN_MIXED_HOT_OUT_C = 37.701651122


def _hx_cp_varying(side: str, arrangement: str = "counterflow") -> float:
    from thermo import Coolant
    from thermo.components.heat_exchanger import HeatExchanger
    from thermo.network import FlowSource, Network, PressureBoundary

    pg25, water = Coolant("PG25"), Coolant("water")
    net = Network()
    net.add(
        HeatExchanger(
            "hx",
            hot_inlet="h1",
            hot_outlet="h2",
            cold_inlet="c1",
            cold_outlet="c2",
            ua=_HX["ua"],
            arrangement=arrangement,
        ),
        FlowSource("hs", "h1", mass_flow=_HX["m_hot"], temperature=_HX["T_hot"], coolant=pg25),
        PressureBoundary("hb", "h2", pressure=2e5, temperature=_HX["T_hot"], coolant=pg25),
        FlowSource("cs", "c1", mass_flow=_HX["m_cold"], temperature=_HX["T_cold"], coolant=water),
        PressureBoundary("cb", "c2", pressure=2e5, temperature=_HX["T_cold"], coolant=water),
    )
    return net.solve().exit_temperature(f"hx.{side}") - T0


CASES: list[VerificationCase] = [
    VerificationCase(
        id="components.exchanger_cp_varying_counterflow_hot_outlet",
        kind="analytic",
        title="Counterflow PG25/water exchanger, UA 3000 W/K, 60/30 °C: hot outlet with cp(T)",
        source="Direct integration of the counterflow exchanger equations with constant U and "
        "temperature-dependent cp (Incropera et al. 2007, §11.3), scipy solve_ivp (DOP853, rtol "
        "1e-11) with shooting on the cold outlet (thermo.verification.exchanger_ode); thermo's "
        "PG25 and water property fits",
        quantity="hot outlet temperature",
        reference=_HX_ODE_HOT_OUT_C,
        unit="°C",
        compute=lambda: _hx_cp_varying("hot"),
        abs_tol=0.005,
        notes="0.15 kg/s PG25 against 0.2 kg/s water. The network's duty: secant capacity rates "
        "and a 3-point profile correction of UA (thermo.components.exchanger_profile); measured "
        "0.0005 mK off. With cp at each inlet (before issue 11) the outlet was 121 mK low. "
        "Tolerance: the issue's 5 mK.",
    ),
    VerificationCase(
        id="components.exchanger_cp_varying_counterflow_cold_outlet",
        kind="analytic",
        title="Same exchanger: cold (water) outlet with cp(T)",
        source="As components.exchanger_cp_varying_counterflow_hot_outlet",
        quantity="cold outlet temperature",
        reference=_HX_ODE_COLD_OUT_C,
        unit="°C",
        compute=lambda: _hx_cp_varying("cold"),
        abs_tol=0.005,
        notes="Measured 0.0003 mK off; 86 mK high with cp at each inlet (before issue 11). "
        "Tolerance: the issue's 5 mK.",
    ),
    VerificationCase(
        id="components.exchanger_cp_varying_crossflow_unmixed_hot_outlet",
        kind="analytic",
        title="Same streams, crossflow with both fluids unmixed: hot outlet with cp(T)",
        source="Crossflow exchanger equations with constant U and cp(T) solved on 80 × 80 and "
        "160 × 160 cells and extrapolated (thermo.verification.exchanger_ode."
        "crossflow_unmixed_reference; with constant cp the grid error falls as 1/n²: 6.1 and "
        "1.6 mK at 40 and 80 cells); thermo's PG25 and water property fits",
        quantity="hot outlet temperature",
        reference=_HX_XFLOW_UNMIXED_HOT_OUT_C,
        unit="°C",
        compute=lambda: _hx_cp_varying("hot", "crossflow_unmixed"),
        abs_tol=0.005,
        notes="The network multiplies the secant-rate duty by a 6 × 6 grid ratio; measured "
        "+1.0 mK (secant rates alone +22.4 mK). Tolerance: the issue's 5 mK.",
    ),
    VerificationCase(
        id="components.exchanger_cp_varying_crossflow_cmin_mixed_hot_outlet",
        kind="analytic",
        title="Same streams, crossflow with the PG25 (C_min) side mixed: hot outlet with cp(T)",
        source="Exact integration of the one-mixed crossflow exchanger with cp(T): every water "
        "strip against the mixed glycol's local temperature in closed form plus Gauss–Legendre, "
        "the glycol by solve_ivp (thermo.verification.exchanger_ode.crossflow_one_mixed); it "
        "reproduces the constant-cp closed form (Kays & London 1984) to 1e-12",
        quantity="hot outlet temperature",
        reference=_HX_XFLOW_CMIN_MIXED_HOT_OUT_C,
        unit="°C",
        compute=lambda: _hx_cp_varying("hot", "crossflow_mixed_cmin"),
        abs_tol=0.005,
        notes="The network marches the mixed fluid (2 Runge–Kutta steps); measured -0.0006 mK "
        "(secant rates alone +15.6 mK). Tolerance: the issue's 5 mK.",
    ),
    VerificationCase(
        id="components.cold_plate_ocp_flow_at_25kpa",
        kind="analytic",
        title="OCP cold-plate loop (50 kPa at 10 L/min PG25, n = 1.85) driven by 25 kPa",
        source="Modelica Buildings Library, Racks.LiquidSinglePhase.ColdPlateR_P (Wetter, 2025): "
        "dp_nominal = 50 kPa for the OCP 8x1 loop at 10 l/min PG25, n = 1.85 fitted to Chen et "
        "al., OCP OAI System Liquid Cooling Guidelines, 2023",
        quantity="volume flow",
        reference=10.0 * 0.5 ** (1 / 1.85),
        unit="L/min",
        compute=_ocp_plate_flow,
        rel_tol=1e-7,
        notes="The network solves the plate law for the flow at half the rated pressure drop: "
        "10·0.5^(1/1.85) = 6.8747 L/min by hand. Tolerance: solver.",
    ),
    VerificationCase(
        id="components.rack_manifold_u_type_flow_ratio",
        kind="analytic",
        title="U-type (direct return) rack manifold, 12 trays, laminar headers, linear trays",
        source="Exact solution of the discrete resistance ladder (docs/validation/components.md); "
        "the continuous friction-dominated limit of manifold theory (Acrivos et al. 1959; "
        "Bajura & Jones 1976; J. Wang, Chem. Eng. J. 168:1331-1345, 2011); water viscosity "
        "IAPWS R12-08",
        quantity="largest over smallest tray flow",
        reference=_ladder_ratio_exact("U"),
        unit="-",
        compute=lambda: _ladder_ratio("U"),
        rel_tol=2e-4,
        notes="Analytic: q_i ∝ cosh(θ(N - 1/2 - i)), cosh θ = 1 + r/R. Tolerance: the coolant "
        "fit's viscosity at 20 °C differs from IAPWS by 1.2e-4 (ratio sensitivity 0.33).",
    ),
    VerificationCase(
        id="components.rack_manifold_z_type_flow_ratio",
        kind="analytic",
        title="Z-type (reverse return) rack manifold, same rack: more uniform than U-type",
        source="Exact solution of the discrete resistance ladder (docs/validation/components.md); "
        "friction-dominated manifold theory as for the U-type case",
        quantity="largest over smallest tray flow",
        reference=_ladder_ratio_exact("Z"),
        unit="-",
        compute=lambda: _ladder_ratio("Z"),
        rel_tol=2e-4,
        notes="Analytic: q_i ∝ cosh(θ(i - (N - 1)/2)), symmetric, lowest in the middle (for "
        "the same rack the U-type ratio is 2.25). "
        "Tolerance as for the U-type case.",
    ),
    VerificationCase(
        id="components.dry_cooler_hand_case_through_network",
        kind="analytic",
        title="Dry cooler branch (illustrative 1 MW rating) at 10 °C ambient and half fan speed",
        source="Hand ε-NTU calculation of devices.dry_cooler_hand_entu_leaving_water "
        "(docs/validation/devices.md): exact crossflow, both fluids unmixed (Kays & London 1984, "
        "Table 2-2); film law of Wetter 1999 (LBNL-42355)",
        quantity="leaving water temperature",
        reference=33.4208,
        unit="°C",
        compute=_dry_cooler_network,
        abs_tol=0.01,
        notes="The same operating point solved as a network branch. Tolerance: the hand value "
        "uses c_p = 4180 J/(kg K) constant; the branch balances the water's enthalpy with "
        "IF97 c_p(T) (4178–4180 over 33–45 °C); measured difference in docs.",
    ),
]
