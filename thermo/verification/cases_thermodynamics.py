"""Verification cases: reversible-cycle limits used by the plant models; explained in
docs/validation/plant.md."""

from __future__ import annotations

from thermo.verification import VerificationCase


def _carnot_heating_cop() -> float:
    from thermo.plant import carnot_cop

    return float(carnot_cop(313.15, 353.15))


CASES: list[VerificationCase] = [
    VerificationCase(
        id="thermodynamics.carnot_heating_cop_40_to_80C",
        kind="analytic",
        title="COP of a reversible heat pump from 40 degC to 80 degC",
        source=(
            "Y. A. Cengel and M. A. Boles, Thermodynamics: An Engineering Approach, 8th ed., "
            "2015, sec. 6-11: COP_HP,rev = T_H / (T_H - T_L) = 353.15 / 40"
        ),
        quantity="COP",
        reference=8.82875,
        unit="-",
        compute=_carnot_heating_cop,
        rel_tol=1e-12,
        notes="exact arithmetic of the second-law limit; tolerance is round-off",
    ),
]
