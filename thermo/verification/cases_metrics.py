"""Verification cases for facility metrics (``thermo.facility``); explained in docs/validation/metrics.md."""

from __future__ import annotations

from thermo.verification import VerificationCase

_KWH = 3.6e6  # J per kWh
_E_FACILITY = 1_250_000 * _KWH
_E_IT = 820_000 * _KWH
_E_REUSE = 210_000 * _KWH

_SOURCE = (
    "Worked example 'Facility 1,250,000 kWh, IT 820,000 kWh, reuse 210,000 kWh => 1.27 ERE' "
    "(calcsimpler.com, Energy Reuse Effectiveness calculator) with the definitions of The Green "
    "Grid: PUE (White Paper #49, 2012), ERE (White Paper #29, 2010), ERF (global task force, 2012)"
)


def _pue() -> float:
    from thermo.facility.metrics import pue

    return pue(_E_FACILITY, _E_IT)


def _ere() -> float:
    from thermo.facility.metrics import ere

    return ere(_E_FACILITY, _E_IT, _E_REUSE)


def _erf() -> float:
    from thermo.facility.metrics import erf

    return erf(_E_REUSE, _E_FACILITY)


def _facility_pue_by_hand() -> float:
    from thermo.facility import FacilityModel

    model = FacilityModel(air_cooling_cop=4.0, distribution_efficiency=0.96)
    bal = model.balance(1.0e6, pump_power=20e3, fan_power=10e3, heat_to_liquid=850e3)
    return float(bal.pue)


CASES: list[VerificationCase] = [
    VerificationCase(
        id="metrics.facility_pue_by_hand",
        kind="analytic",
        title="PUE of a 1 MW hall from its power flows, by hand",
        source=(
            "Hand calculation in docs/validation/metrics.md: The Green Grid PUE = facility / IT "
            "(White Paper #49, 2012) with the facility = IT + pumps + fans + air heat / COP + "
            "distribution loss IT (1/eta - 1)"
        ),
        quantity="PUE",
        reference=1.1091667,
        unit="-",
        compute=_facility_pue_by_hand,
        rel_tol=1e-7,
        notes=(
            "Arithmetic (8 digits): (1e6 + 20e3 + 10e3 + 150e3/4 + 1e6 (1/0.96 - 1)) / 1e6. A "
            "distribution loss taken as (1 - eta) of the IT power instead of the power drawn "
            "for it moves the value by 1.7e-3, an air-cooling COP applied as a factor by 0.4."
        ),
    ),
    VerificationCase(
        id="metrics.green_grid_example_pue",
        title="PUE of the worked example (1 250 000 / 820 000 kWh)",
        source=_SOURCE,
        quantity="PUE",
        reference=1.524,
        unit="-",
        compute=_pue,
        abs_tol=0.0005,
        notes="Reference rounded to 3 decimals.",
    ),
    VerificationCase(
        id="metrics.green_grid_example_ere",
        title="ERE of the worked example (reuse 210 000 kWh)",
        source=_SOURCE,
        quantity="ERE",
        reference=1.27,
        unit="-",
        compute=_ere,
        abs_tol=0.005,
        notes="Published to 2 decimals (1.268 unrounded).",
    ),
    VerificationCase(
        id="metrics.green_grid_example_erf",
        title="ERF of the worked example",
        source=_SOURCE,
        quantity="ERF",
        reference=0.168,
        unit="-",
        compute=_erf,
        abs_tol=0.0005,
        notes="Reference rounded to 3 decimals.",
    ),
]
