"""Verification cases: reversible-cycle limits used by the plant models; explained in
docs/validation/plant.md."""

from __future__ import annotations

from thermo.verification import VerificationCase


def _carnot_heating_cop() -> float:
    from thermo.plant import carnot_cop

    return float(carnot_cop(313.15, 353.15))


def _carnot_fraction_model() -> float:
    from thermo.plant.heat_pump import CarnotHeatPump

    hp = CarnotHeatPump(carnot_fraction=0.5, evaporator_approach=5.0, condenser_approach=5.0)
    return float(hp.cop(283.15, 333.15))


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
    VerificationCase(
        id="thermodynamics.carnot_fraction_heat_pump_by_hand",
        kind="analytic",
        title="Carnot-fraction heat pump, η_II = 0.5, water 10 → 60 °C, 5 K approaches, by hand",
        source=(
            "Second-law efficiency of a heat pump, η_II = COP/COP_rev (Y. A. Cengel and M. A. "
            "Boles, Thermodynamics: An Engineering Approach, 8th ed., 2015, sec. 8-5), with "
            "COP_rev = T_cond/(T_cond - T_evap) between the refrigerant temperatures "
            "T_evap = 283.15 - 5 K, T_cond = 333.15 + 5 K: 0.5 * 338.15/60 = 2.8179167"
        ),
        quantity="COP",
        reference=0.5 * 338.15 / 60.0,
        unit="-",
        compute=_carnot_fraction_model,
        rel_tol=1e-12,
        notes="Checks the model's definition (kelvin, numerator, approaches on the right "
        "side), not its default fraction 0.45, which is a design assumption (see "
        "docs/validation/plant.md). Tolerance is round-off.",
    ),
]
