"""Verification cases for coolant properties (``coolant.*``); explained in docs/validation/coolants.md."""

from __future__ import annotations

from thermo.verification import VerificationCase

_AIREDALE = (
    "Airedale DeltaChill chiller manual, 'Glycol design data', p. 53: propylene glycol specific heat, "
    "density and freezing point tables (via docs/references.md section 1)"
)
_IAPWS95 = "IAPWS-95 (Wagner & Pruss, J. Phys. Chem. Ref. Data 31 (2002) 387) at 0.101325 MPa"
_IAPWS_CP = (
    "IAPWS-95 (Wagner & Pruss, J. Phys. Chem. Ref. Data 31 (2002) 387), cp at 0.101325 MPa, "
    "evaluated with CoolProp 8.0 HEOS and rounded to 5 digits"
)
_IAPWS_MU = (
    "IAPWS 2008 viscosity (Huber et al., J. Phys. Chem. Ref. Data 38 (2009) 101) at 0.101325 MPa, "
    "evaluated with CoolProp 8.0 HEOS and rounded to 5 digits"
)
_IAPWS_K = (
    "IAPWS 2011 thermal conductivity (Huber et al., J. Phys. Chem. Ref. Data 41 (2012) 033102) at "
    "0.101325 MPa, evaluated with CoolProp 8.0 HEOS and rounded to 5 digits"
)
_IF97_SAT = (
    "IAPWS R7-97(2012), IAPWS-IF97 revised release, Table 36: check values of the saturation-"
    "temperature equation (Eq. 31)"
)
_WATER_NOTE = (
    "thermo's water is IAPWS-IF97 at its 0.5 MPa reference pressure; the tolerance is the measured "
    "pressure effect 0.101325 -> 0.5 MPa plus the IF97-vs-IAPWS-95 difference plus the fit target "
    "(2.5e-5), rounded up (see docs/validation/coolants.md)"
)


def _water(method: str, T: float, scale: float = 1.0):
    def compute() -> float:
        from thermo.coolants import Coolant

        return getattr(Coolant("water"), method)(T) * scale

    return compute


def _pg25(method: str, T: float, scale: float = 1.0, offset: float = 0.0):
    def compute() -> float:
        from thermo.coolants import Coolant

        return getattr(Coolant("PG25"), method)(T) * scale + offset

    return compute


def _freezing_point_degC() -> float:
    from thermo.coolants import Coolant

    return Coolant("PG25").freezing_point - 273.15


def _tsat(p: float):
    def compute() -> float:
        from thermo.coolants import Coolant

        return Coolant("water").saturation_temperature(p)

    return compute


CASES: list[VerificationCase] = [
    VerificationCase(
        id="coolant.pg25_cp_25C",
        title="PG25 specific heat at 25 °C",
        source=_AIREDALE,
        quantity="specific heat",
        reference=3.92,
        unit="kJ/(kg K)",
        compute=_pg25("specific_heat", 298.15, 1e-3),
        abs_tol=0.015,
        notes="table rounding ±0.005 plus the systematic +0.01 kJ/(kg K) offset of CoolProp MPG "
        "(uninhibited PG, Melinder 2010) over the table at all its temperatures",
    ),
    VerificationCase(
        id="coolant.pg25_freezing_point",
        title="PG25 freezing point",
        source=_AIREDALE,
        quantity="freezing point",
        reference=-9.6,
        unit="°C",
        compute=_freezing_point_degC,
        abs_tol=0.3,
        notes="table rounding ±0.05 K plus the 0.1-0.2 K spread between the table and CoolProp "
        "T_freeze at 20-35 % PG",
    ),
    VerificationCase(
        id="coolant.pg25_density_25C",
        title="PG25 density at 25 °C",
        source=_AIREDALE,
        quantity="density",
        reference=1021.5,
        unit="kg/m3",
        compute=_pg25("density", 298.15),
        rel_tol=0.005,
        notes="NOT agreement at the table's precision: the table is 0.40-0.50 % denser than "
        "CoolProp MPG at every temperature and concentration, consistent with the corrosion "
        "inhibitors of commercial (DOWFROST-type) fluids; the case bounds that source difference",
    ),
    VerificationCase(
        id="coolant.water_density_20C",
        title="Water density at 20 °C",
        source=_IAPWS95,
        quantity="density",
        reference=998.21,
        unit="kg/m3",
        compute=_water("density", 293.15),
        rel_tol=3e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_density_60C",
        title="Water density at 60 °C",
        source=_IAPWS95,
        quantity="density",
        reference=983.20,
        unit="kg/m3",
        compute=_water("density", 333.15),
        rel_tol=3e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_cp_20C",
        title="Water specific heat at 20 °C",
        source=_IAPWS_CP,
        quantity="specific heat",
        reference=4.1841,
        unit="kJ/(kg K)",
        compute=_water("specific_heat", 293.15, 1e-3),
        rel_tol=1e-3,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_cp_60C",
        title="Water specific heat at 60 °C",
        source=_IAPWS_CP,
        quantity="specific heat",
        reference=4.1850,
        unit="kJ/(kg K)",
        compute=_water("specific_heat", 333.15, 1e-3),
        rel_tol=1e-3,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_viscosity_20C",
        title="Water viscosity at 20 °C",
        source=_IAPWS_MU,
        quantity="dynamic viscosity",
        reference=1001.6,
        unit="µPa s",
        compute=_water("viscosity", 293.15, 1e6),
        rel_tol=5e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_viscosity_60C",
        title="Water viscosity at 60 °C",
        source=_IAPWS_MU,
        quantity="dynamic viscosity",
        reference=466.04,
        unit="µPa s",
        compute=_water("viscosity", 333.15, 1e6),
        rel_tol=5e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_conductivity_20C",
        title="Water thermal conductivity at 20 °C",
        source=_IAPWS_K,
        quantity="thermal conductivity",
        reference=598.01,
        unit="mW/(m K)",
        compute=_water("conductivity", 293.15, 1e3),
        rel_tol=6e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_conductivity_60C",
        title="Water thermal conductivity at 60 °C",
        source=_IAPWS_K,
        quantity="thermal conductivity",
        reference=651.00,
        unit="mW/(m K)",
        compute=_water("conductivity", 333.15, 1e3),
        rel_tol=6e-4,
        notes=_WATER_NOTE,
    ),
    VerificationCase(
        id="coolant.water_tsat_0p1MPa",
        title="Water saturation temperature at 0.1 MPa",
        source=_IF97_SAT,
        quantity="saturation temperature",
        reference=372.755919,
        unit="K",
        compute=_tsat(0.1e6),
        abs_tol=1e-6,
        notes="the release gives 9 significant digits; thermo implements Eq. 31 itself",
    ),
    VerificationCase(
        id="coolant.water_tsat_1MPa",
        title="Water saturation temperature at 1 MPa",
        source=_IF97_SAT,
        quantity="saturation temperature",
        reference=453.035632,
        unit="K",
        compute=_tsat(1e6),
        abs_tol=1e-6,
        notes="the release gives 9 significant digits; thermo implements Eq. 31 itself",
    ),
]
