"""Verification cases for heat pumps and boilers (``thermo.plant``); explained in docs/validation/plant.md."""

from __future__ import annotations

from thermo.verification import VerificationCase

_C = 273.15  # K at 0 °C
_KWH = 3.6e6  # J per kWh

_CENGEL = (
    "Y. A. Çengel and M. A. Boles, Thermodynamics: An Engineering Approach, 7th/8th ed., "
    "McGraw-Hill, Example 11-1 (R-134a ideal vapour-compression cycle, 0.14/0.8 MPa): "
    "h1 = 239.16, h2 = 275.39, h3 = h4 = 95.47 kJ/kg, COP_R = 3.97 "
    "(enthalpies as transcribed in the FOSSEE Scilab Textbook Companion, 2870/CH11/EX11.1)"
)
_MANTSALA = (
    "Mäntsälä, Finland (Yandex data centre + Calefa heat pumps): ~40 °C server heat lifted to "
    "85 °C, heating capacity 3.6 MW, COP 3.4, R134a (decarbheat.eu; EHPA Heat Pump City of the "
    "Year 2015; docs/references.md §5)"
)
_GSHP_TABLE = (
    "Wikipedia, 'Heat pump', table of typical ground-source COPs (via the WikiTableQuestions "
    "CSV; docs/references.md §7): ground at 10 °C, water out at 55 °C COP 3.7, at 65 °C COP "
    "2.9 (secondary source: manufacturers' data compiled by the article)"
)
_MOTOR = 0.93  # motor and drive efficiency (VaporCompressionHeatPump docstring)
_WAMAK = (
    "WAMAK TWW220 WHR HeavyDuty water-to-water heat pump (R513A, 220 kW), manufacturer's "
    "product sheet ver. 2023/24 (EN 14511 map), as transcribed in the Modelica Buildings "
    "Library record Buildings.Fluid.HeatPumps.ModularReversible.Data.TableData2D.EN14511."
    "WAMAK_WaterToWater_220kW: evaporator water in 30 °C, condenser water out 80 °C, "
    "149.5 kW heat, 51.0 kW electricity (COP 2.93); docs/references.md §7"
)
WAMAK_TWW220_MAP = (
    # (evaporator water in [°C], condenser water out [°C], heat [W], electricity [W]), _WAMAK
    (30.0, 60.0, 187200.0, 34300.0),
    (30.0, 70.0, 168200.0, 41600.0),
    (30.0, 80.0, 149500.0, 51000.0),
    (40.0, 70.0, 224100.0, 41900.0),
    (40.0, 80.0, 197100.0, 50700.0),
    (45.0, 80.0, 226400.0, 50600.0),
)
WAMAK_EVAPORATOR_FLOW = 27.35 / 3600.0 * 997.0
"""The datasheet's largest evaporator flow [kg/s] (27.35 m³/h, as the record gives it)."""


def wamak_evaporator_outlet(t_in_c: float, heat: float, power: float) -> float:
    """Evaporator water out [°C] of a WAMAK point: the source heat ``heat - power`` taken from
    the largest evaporator flow of the datasheet (the map gives the inlet only; a smaller flow
    would cool the water more and lower the model's COP)."""
    return t_in_c - (heat - power) / (WAMAK_EVAPORATOR_FLOW * 4180.0)


def _wamak_cop(t_evap_in_c: float, t_cond_out_c: float) -> float:
    for te, tc, q, p in WAMAK_TWW220_MAP:
        if (te, tc) == (t_evap_in_c, t_cond_out_c):
            return _cycle_cop("R134a", wamak_evaporator_outlet(te, q, p), tc)
    raise KeyError((t_evap_in_c, t_cond_out_c))


_COLLVER = (
    "R. Collver, '1 Simple Trick to Get the Most of Your Condensing Boiler', HeatSpring blog: "
    "no condensing boiler above 89 % at 180/160 °F supply/return; 93 % plus at 120/100 °F"
)
_DEPPMANN = (
    "N. Hall, 'What is the efficiency of my installed condensing boiler?', Deppmann Monday "
    "Morning Minutes, 2009 (Aerco BMK1.5LN chart): 97 % needs an 80 °F return and 5 % fire"
)
_HAND = (
    "Hand calculation in docs/validation/plant.md with the cited factors: natural-gas HHV "
    "0.03793 GJ/m³ (SOR/2018-261 Sch. 2 item 18) and 1.966 kg CO2/m³ (ECCC Emission Factors "
    "and Reference Values, 2023/2025)"
)


def _cengel_cycle():  # type: ignore[no-untyped-def]
    from thermo.plant.heat_pump import saturation_temperature, vapor_compression_cycle

    return vapor_compression_cycle(
        "R134a",
        saturation_temperature("R134a", 0.14e6),
        saturation_temperature("R134a", 0.8e6),
        isentropic_efficiency=1.0,
        superheat=0.0,
        subcooling=0.0,
    )


def _mantsala_carnot() -> float:
    from thermo.plant.heat_pump import CarnotHeatPump

    return CarnotHeatPump().cop(40.0 + _C, 85.0 + _C)


def _mantsala_r134a() -> float:
    from thermo.plant.heat_pump import VaporCompressionHeatPump

    return VaporCompressionHeatPump("R134a").cop(40.0 + _C, 85.0 + _C, method="coolprop")


def _cycle_cop(refrigerant: str, source_c: float, sink_c: float) -> float:
    from thermo.plant.heat_pump import VaporCompressionHeatPump

    hp = VaporCompressionHeatPump(refrigerant, motor_efficiency=_MOTOR)
    return hp.cop(source_c + _C, sink_c + _C, method="coolprop")


def _boiler_eta(t_return_c: float) -> float:
    from thermo.plant.boiler import GasBoiler

    return GasBoiler().efficiency(t_return_c + _C)


def _hand_fuel_mwh() -> float:
    from thermo.plant.boiler import fuel_energy

    return fuel_energy(1000.0 * _KWH, 0.92) / (1000.0 * _KWH)


def _hand_gas_m3() -> float:
    from thermo.plant.boiler import fuel_energy, gas_volume

    return gas_volume(fuel_energy(1000.0 * _KWH, 0.92))


def _hand_co2_kg() -> float:
    from thermo.plant.boiler import fuel_energy, gas_co2, gas_volume

    return gas_co2(gas_volume(fuel_energy(1000.0 * _KWH, 0.92)))


CASES: list[VerificationCase] = [
    VerificationCase(
        id="plant.mantsala_carnot_cop",
        kind="plausibility",
        title="Carnot-fraction heat pump (default 0.45, no approaches) vs Mäntsälä, 40 → 85 °C",
        source=_MANTSALA,
        quantity="heating COP",
        reference=3.4,
        unit="-",
        compute=_mantsala_carnot,
        rel_tol=0.10,
        notes="Published pair of rounded temperatures; 0.45 default partly derived from this plant "
        "(0.43); ±10 % covers the unknown source outlet temperature.",
    ),
    VerificationCase(
        id="plant.mantsala_r134a_cop",
        kind="plausibility",
        title="R134a cycle (η_is 0.70, 5 K approaches, superheat, subcooling) vs Mäntsälä",
        source=_MANTSALA,
        quantity="heating COP",
        reference=3.4,
        unit="-",
        compute=_mantsala_r134a,
        rel_tol=0.15,
        notes="Default cycle parameters are generic [M], not the plant's; ±15 % for unknown "
        "compressor efficiency, approaches and measuring points.",
    ),
    VerificationCase(
        id="plant.mantsala_cycle_motor_cop",
        title="R134a cycle with 5 K approaches, η_is 0.70 and motor 0.93 vs Mäntsälä, 40 → 85 °C",
        source=_MANTSALA,
        quantity="heating COP per unit of electricity",
        reference=3.4,
        unit="-",
        compute=lambda: _cycle_cop("R134a", 40.0, 85.0),
        rel_tol=0.10,
        notes="Field COP of a plant; water temperatures rounded; the motor losses reach the "
        "sink (hermetic compressor).",
    ),
    VerificationCase(
        id="plant.gshp_10_55_cycle_cop",
        title="R1234ze(E) cycle (5 K approaches, η_is 0.70, motor 0.93), 10 → 55 °C",
        source=_GSHP_TABLE,
        quantity="heating COP per unit of electricity",
        reference=3.7,
        unit="-",
        compute=lambda: _cycle_cop("R1234ze(E)", 10.0, 55.0),
        rel_tol=0.10,
        notes="Typical-unit table, source taken as the water leaving the evaporator at 10 °C.",
    ),
    VerificationCase(
        id="plant.gshp_10_65_cycle_cop",
        title="R1234ze(E) cycle (5 K approaches, η_is 0.70, motor 0.93), 10 → 65 °C",
        source=_GSHP_TABLE,
        quantity="heating COP per unit of electricity",
        reference=2.9,
        unit="-",
        compute=lambda: _cycle_cop("R1234ze(E)", 10.0, 65.0),
        rel_tol=0.10,
        notes="As above, 10 K more lift.",
    ),
    VerificationCase(
        id="plant.wamak_tww220_cycle_cop_30_80",
        title="R134a cycle (5 K approaches, η_is 0.70, motor 0.93) vs a WAMAK TWW220 "
        "datasheet point, 30 °C source in, 80 °C out",
        source=_WAMAK,
        quantity="heating COP per unit of electricity",
        reference=149500.0 / 51000.0,
        unit="-",
        compute=lambda: _wamak_cop(30.0, 80.0),
        rel_tol=0.10,
        notes="Manufacturer map; R134a stands in for R513A (an R134a/R1234yf blend, not in "
        "CoolProp's pure-fluid set); evaporator outlet from the datasheet's largest flow. At "
        "lower lifts the generic defaults under-predict this unit by 13-21 % (docs/validation/"
        "plant.md; tests/test_heat_pump_map.py): conservative for reuse studies.",
    ),
    VerificationCase(
        id="plant.cengel_11_1_cop",
        title="Ideal R-134a refrigeration cycle between 0.14 and 0.8 MPa: COP_R",
        source=_CENGEL,
        quantity="cooling COP",
        reference=3.97,
        unit="-",
        compute=lambda: _cengel_cycle().cop_cooling,
        rel_tol=0.005,
        notes="Printed to 3 significant figures; textbook tables are interpolated.",
    ),
    VerificationCase(
        id="plant.cengel_11_1_q_evap",
        title="Ideal R-134a cycle, 0.14/0.8 MPa: refrigeration effect h1 - h4",
        source=_CENGEL,
        quantity="heat absorbed per kg",
        reference=239.16 - 95.47,
        unit="kJ/kg",
        compute=lambda: _cengel_cycle().q_evap / 1e3,
        rel_tol=0.002,
        notes="Saturation tables to 5 significant figures; different EOS vintage.",
    ),
    VerificationCase(
        id="plant.cengel_11_1_w_comp",
        title="Ideal R-134a cycle, 0.14/0.8 MPa: isentropic compressor work h2 - h1",
        source=_CENGEL,
        quantity="compressor work per kg",
        reference=275.39 - 239.16,
        unit="kJ/kg",
        compute=lambda: _cengel_cycle().w_comp / 1e3,
        rel_tol=0.005,
        notes="h2 is interpolated in the superheated-vapour table (10 K steps).",
    ),
    VerificationCase(
        id="plant.boiler_eta_27C",
        title="Condensing gas boiler HHV efficiency at 27 °C (80 °F) return",
        source=_DEPPMANN,
        quantity="boiler efficiency (HHV)",
        reference=0.97,
        unit="-",
        compute=lambda: _boiler_eta(26.67),
        abs_tol=0.015,
        notes="The 97 % is at 5 % firing rate; our curve is full fire, hence lower by up to 1.5 points.",
    ),
    VerificationCase(
        id="plant.boiler_eta_38C",
        title="Condensing gas boiler HHV efficiency at 38 °C (100 °F) return",
        source=_COLLVER,
        quantity="boiler efficiency (HHV)",
        reference=0.93,
        unit="-",
        compute=lambda: _boiler_eta(37.78),
        abs_tol=0.02,
        notes="The source gives a lower bound ('93 % plus') in round numbers: ±2 points.",
    ),
    VerificationCase(
        id="plant.boiler_eta_71C",
        title="Condensing gas boiler HHV efficiency at 71 °C (160 °F) return",
        source=_COLLVER,
        quantity="boiler efficiency (HHV)",
        reference=0.89,
        unit="-",
        compute=lambda: _boiler_eta(71.11),
        abs_tol=0.02,
        notes="The source gives an upper bound ('no boiler above 89 %'): ±2 points.",
    ),
    VerificationCase(
        id="plant.boiler_hand_fuel",
        kind="analytic",
        title="Gas for 1 MWh of heat at η = 0.92 (HHV): fuel energy",
        source=_HAND,
        quantity="fuel energy",
        reference=1.08696,
        unit="MWh",
        compute=_hand_fuel_mwh,
        rel_tol=1e-4,
        notes="Hand value rounded to 6 significant figures.",
    ),
    VerificationCase(
        id="plant.boiler_hand_gas_volume",
        kind="analytic",
        title="Gas for 1 MWh of heat at η = 0.92 (HHV): volume",
        source=_HAND,
        quantity="natural gas volume",
        reference=103.165,
        unit="m3",
        compute=_hand_gas_m3,
        rel_tol=1e-4,
        notes="Hand value rounded to 6 significant figures.",
    ),
    VerificationCase(
        id="plant.boiler_hand_co2",
        kind="analytic",
        title="Gas for 1 MWh of heat at η = 0.92 (HHV): CO2",
        source=_HAND,
        quantity="CO2 emitted",
        reference=202.822,
        unit="kg",
        compute=_hand_co2_kg,
        rel_tol=1e-4,
        notes="Hand value rounded to 6 significant figures.",
    ),
]
