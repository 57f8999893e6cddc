"""Verification cases for the correlations (``correlations.*``); explained in
docs/validation/correlations.md."""

from __future__ import annotations

import math

from thermo.verification import VerificationCase

_INCROPERA = (
    "F. P. Incropera, D. P. DeWitt, T. L. Bergman, A. S. Lavine, Fundamentals of Heat and Mass "
    "Transfer, 6th ed., Wiley 2007"
)
_CRANE = "Crane Co., Flow of Fluids Through Valves, Fittings, and Pipe, Technical Paper 410 (2009)"
_D_2IN = 0.0525  # 2" schedule 40 inner diameter [m]
_EPS_CRANE = 0.0018 * 0.0254  # Crane's clean commercial steel roughness, 0.0018 in [m]


def _laminar_friction() -> float:
    from thermo.correlations import darcy_friction

    return darcy_friction(1000.0, 1e-4)


def _hagen_poiseuille_dp() -> float:
    from thermo.correlations import pipe_pressure_drop

    # water-like liquid: rho 1000 kg/m3, mu 1e-3 Pa s, 10 m of 10 mm tube, 1 mL/s (Re = 127)
    return pipe_pressure_drop(1000.0 * 1e-6, 0.01, 10.0, 1.5e-6, 1000.0, 1e-3).dp


def _crane_ft_2in() -> float:
    from thermo.correlations import darcy_friction

    # "zone of complete turbulence": Re = 1e8, the upper end of the Moody chart
    return darcy_friction(1e8, _EPS_CRANE / _D_2IN)


def _gnielinski() -> float:
    from thermo.correlations import nusselt_internal

    return nusselt_internal(1e5, 7.0)


def _eps(ntu: float, cr: float, arrangement: str):
    def compute() -> float:
        from thermo.correlations import effectiveness

        return effectiveness(ntu, cr, arrangement)

    return compute


def _nusselt_developing() -> float:
    from thermo.correlations import nusselt_internal

    return nusselt_internal(1000.0, 5.0, length=1.0, diameter=0.02)


def _kv_definition() -> float:
    from thermo.correlations import dp_from_kv

    return dp_from_kv(10.0 / 3600.0, 10.0, 1000.0)


def _fre_rectangular_exact(alpha: float) -> float:
    """Fanning f·Re of fully developed laminar flow in a rectangular duct, aspect ratio α <= 1:
    the exact Fourier-series solution of the Poisseuille problem (Marco & Han 1955; Shah & London
    1978, ch. VII; White, Viscous Fluid Flow, 3rd ed. 2006, §3-3.3), summed to round-off."""
    s = sum(math.tanh(n * math.pi / (2.0 * alpha)) / n**5 for n in range(1, 400, 2))
    return 24.0 / ((1.0 + alpha) ** 2 * (1.0 - 192.0 * alpha / math.pi**5 * s))


def _fre_rectangular(alpha: float):
    def compute() -> float:
        from thermo.correlations.microchannel import fanning_fRe_rectangular

        return float(fanning_fRe_rectangular(alpha))

    return compute


_LEVEQUE_X_STAR = 1e-6
_LEVEQUE_MEAN_H = 1.5 * math.gamma(2.0 / 3.0) * (8.0 / 9.0) ** (1.0 / 3.0)
"""Lévêque similarity solution, uniform wall heat flux, tube wall shear 8 u_m/D: local
Nu_x = Γ(2/3)(8/9)^(1/3) x*^(-1/3) = 1.30198 x*^(-1/3); its length mean 3/2 of that, 1.95298."""


def _leveque_mean_nusselt() -> float:
    from thermo.correlations.microchannel import nusselt_thermal_entry_h

    # circular tube (fully developed Nu_H = 48/11 = 4.364) very near the entrance
    return float(nusselt_thermal_entry_h(1.0, _LEVEQUE_X_STAR, nu_fd=48.0 / 11.0))


CASES: list[VerificationCase] = [
    VerificationCase(
        id="correlations.rectangular_duct_fre_alpha_0p5",
        kind="analytic",
        title="Laminar f·Re of a 1:2 rectangular duct (microchannel friction) vs the exact series",
        source="Exact series solution of fully developed laminar flow in a rectangular duct (Marco "
        "& Han 1955), tabulated by R. K. Shah and A. L. London, Laminar Flow Forced Convection in "
        "Ducts, Academic Press 1978, ch. VII (f·Re = 15.548 at α = 0.5); F. M. White, Viscous "
        "Fluid Flow, 3rd ed., 2006, §3-3.3",
        quantity="Fanning f·Re",
        reference=_fre_rectangular_exact(0.5),
        unit="-",
        compute=_fre_rectangular(0.5),
        rel_tol=1e-3,
        notes="The series is summed here (200 terms); thermo uses Shah & London's 5th-degree "
        "polynomial fit of it, stated within ±0.05 %; measured +0.060 %. Tolerance 0.1 %.",
    ),
    VerificationCase(
        id="correlations.rectangular_duct_fre_tuckerman_pease",
        kind="analytic",
        title="Laminar f·Re at α = 50/302 (the Tuckerman & Pease channel) vs the exact series",
        source="As correlations.rectangular_duct_fre_alpha_0p5",
        quantity="Fanning f·Re",
        reference=_fre_rectangular_exact(50.0 / 302.0),
        unit="-",
        compute=_fre_rectangular(50.0 / 302.0),
        rel_tol=1e-3,
        notes="Measured +0.012 %. Tolerance 0.1 % (fit accuracy).",
    ),
    VerificationCase(
        id="correlations.leveque_mean_nusselt_uniform_flux",
        kind="analytic",
        title="Thermal-entry mean Nu (uniform flux) at x* = 1e-6 vs the Lévêque solution",
        source="Lévêque similarity solution for a linear velocity profile and uniform wall flux "
        "(M. A. Lévêque, Ann. Mines 13, 1928; Shah & London 1978, ch. V: Nu_x,H = 1.302 x*^(-1/3), "
        "length mean 1.953 x*^(-1/3) for a circular tube), evaluated here as "
        "(3/2) Γ(2/3) (8/9)^(1/3) x*^(-1/3)",
        quantity="mean Nusselt number",
        reference=_LEVEQUE_MEAN_H * _LEVEQUE_X_STAR ** (-1.0 / 3.0),
        unit="-",
        compute=_leveque_mean_nusselt,
        rel_tol=1e-4,
        notes="Circular tube (fully developed Nu_H = 48/11) at x* = 1e-6, where the model's "
        "Churchill–Usagi blend with the fully developed value adds 1e-5 and the rounded "
        "constant 1.953 another 1.2e-5. Tolerance 1e-4.",
    ),
    VerificationCase(
        id="correlations.laminar_friction_64_over_re",
        kind="analytic",
        title="Darcy friction factor of fully developed laminar pipe flow at Re = 1000",
        source="Hagen-Poiseuille law f = 64/Re; " + _INCROPERA + ", section 8.2",
        quantity="Darcy friction factor",
        reference=0.064,
        unit="-",
        compute=_laminar_friction,
        rel_tol=1e-12,
        notes="analytic solution; the tolerance is floating-point rounding",
    ),
    VerificationCase(
        id="correlations.hagen_poiseuille_pressure_drop",
        kind="analytic",
        title="Pressure drop of 1 mL/s of a 1 mPa s liquid through 10 m of 10 mm tube",
        source="Hagen-Poiseuille law dp = 128 mu L Q / (pi D^4); " + _INCROPERA + ", section 8.2",
        quantity="pressure drop",
        reference=128.0 * 1e-3 * 10.0 * 1e-6 / (math.pi * 0.01**4),
        unit="Pa",
        compute=_hagen_poiseuille_dp,
        rel_tol=1e-12,
        notes="analytic solution (40.7437 Pa); tolerance is rounding",
    ),
    VerificationCase(
        id="correlations.colebrook_crane_ft_2in",
        title="Fully turbulent Colebrook friction factor of 2-inch clean commercial steel pipe",
        source=_CRANE + ", table of f_T for clean commercial steel pipe (2 in: 0.019)",
        quantity="Darcy friction factor",
        reference=0.019,
        unit="-",
        compute=_crane_ft_2in,
        abs_tol=0.0005,
        notes="the table gives 2 significant digits: +-0.0005 is its rounding",
    ),
    VerificationCase(
        id="correlations.gnielinski_re1e5_pr7",
        title="Gnielinski Nusselt number at Re = 1e5, Pr = 7 with Petukhov's smooth-tube friction",
        source=_INCROPERA + ", Eq. 8.62 (Gnielinski 1976) with Eq. 8.21, evaluated by hand",
        quantity="Nusselt number",
        reference=599.07,
        unit="-",
        compute=_gnielinski,
        abs_tol=0.01,
        notes="closed-form evaluation of the published equations, rounded to 0.01",
    ),
    VerificationCase(
        id="correlations.eps_counterflow_balanced",
        kind="analytic",
        title="Counterflow effectiveness at NTU = 3 with equal capacity rates (Cr = 1)",
        source=_INCROPERA + ", Table 11.3, Eq. 11.29b: eps = NTU/(1 + NTU)",
        quantity="effectiveness",
        reference=0.75,
        unit="-",
        compute=_eps(3.0, 1.0, "counterflow"),
        rel_tol=1e-12,
        notes="exact limit Cr -> 1 of the counterflow relation; tolerance is rounding",
    ),
    VerificationCase(
        id="correlations.eps_counterflow",
        kind="analytic",
        title="Counterflow effectiveness at NTU = 2, Cr = 0.5",
        source=_INCROPERA + ", Table 11.3, Eq. 11.29a, evaluated by hand",
        quantity="effectiveness",
        reference=(1 - math.exp(-1.0)) / (1 - 0.5 * math.exp(-1.0)),
        unit="-",
        compute=_eps(2.0, 0.5, "counterflow"),
        rel_tol=1e-12,
        notes="closed form (0.774600); tolerance is rounding",
    ),
    VerificationCase(
        id="correlations.eps_crossflow_unmixed_cr0",
        kind="analytic",
        title="Crossflow (both unmixed) effectiveness at NTU = 2 for Cr = 0 (condensing stream)",
        source=_INCROPERA + ", Table 11.3, Eq. 11.35a: eps = 1 - exp(-NTU) for all exchangers",
        quantity="effectiveness",
        reference=1 - math.exp(-2.0),
        unit="-",
        compute=_eps(2.0, 0.0, "crossflow_unmixed"),
        rel_tol=1e-12,
        notes="exact limit of Mason's series (0.864665); tolerance is rounding",
    ),
    VerificationCase(
        id="correlations.eps_crossflow_cmax_mixed",
        kind="analytic",
        title="Crossflow effectiveness, Cmax mixed and Cmin unmixed, NTU = 1, Cr = 0.5",
        source=_INCROPERA + ", Table 11.3 (Cmax mixed): eps = (1/Cr)(1 - exp(-Cr(1 - exp(-NTU))))",
        quantity="effectiveness",
        reference=0.54196899,
        unit="-",
        compute=_eps(1.0, 0.5, "crossflow_mixed_cmax"),
        rel_tol=1e-7,
        notes="closed form evaluated by hand to 8 digits; tolerance is that rounding",
    ),
    VerificationCase(
        id="correlations.eps_crossflow_cmin_mixed",
        kind="analytic",
        title="Crossflow effectiveness, Cmin mixed and Cmax unmixed, NTU = 1, Cr = 0.5",
        source=_INCROPERA + ", Table 11.3 (Cmin mixed): eps = 1 - exp(-(1/Cr)(1 - exp(-Cr NTU)))",
        quantity="effectiveness",
        reference=0.54476371,
        unit="-",
        compute=_eps(1.0, 0.5, "crossflow_mixed_cmin"),
        rel_tol=1e-7,
        notes="closed form evaluated by hand to 8 digits; tolerance is that rounding",
    ),
    VerificationCase(
        id="correlations.hausen_developing_laminar_gz100",
        kind="analytic",
        title="Mean Nu of thermally developing laminar flow, Re = 1000, Pr = 5, D/L = 0.02",
        source=(
            _INCROPERA
            + ", section 8.4 (Hausen, thermal entry length): Nu = 3.66 + 0.0668 Gz / (1 + 0.04 Gz^(2/3)), "
            "Gz = Re Pr D/L = 100"
        ),
        quantity="Nusselt number",
        reference=7.2479760,
        unit="-",
        compute=_nusselt_developing,
        rel_tol=1e-7,
        notes="the cited correlation evaluated by hand to 8 digits; tolerance is that rounding",
    ),
    VerificationCase(
        id="correlations.kv_definition",
        kind="analytic",
        title="Pressure drop of water flowing at Kv m3/h through a valve of flow coefficient Kv",
        source="IEC 60534-1:2005 definition of Kv (water, 1 bar); VDI 2173",
        quantity="pressure drop",
        reference=1.0e5,
        unit="Pa",
        compute=_kv_definition,
        rel_tol=1e-12,
        notes="definition of Kv; tolerance is rounding",
    ),
]
