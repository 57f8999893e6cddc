"""Plate heat exchangers (CDU liquid-to-liquid HX): counterflow ε-NTU, design UA, off-design UA.

Three ways to get the conductance ``UA`` of a counterflow plate heat exchanger:

1. given directly;
2. from a design point (duty and inlet temperatures, or duty and approach):
   :func:`ua_from_design`, :func:`ua_from_approach` invert the counterflow ε-NTU relation;
3. from chevron-plate geometry with the ``ht`` plate correlations (Martin 1996/1999, Kumar 1984)
   and the ``fluids`` plate friction factors: :func:`ua_from_chevron_geometry`.

Off design, :func:`ua_off_design` scales each side's film conductance with its own mass flow,
``hA ∝ ṁⁿ``, and adds the two film resistances in series. :func:`counterflow_outlets` gives the
outlet temperatures, the duty, the effectiveness, a ``temperature_cross`` flag, and (optionally)
the analytic derivatives of the duty.

Sign and naming conventions: the *hot* side gives heat, the *cold* side takes it; in a CDU the hot
side is the IT (rack, technology cooling) loop and the cold side the facility loop. ``Q > 0`` from
hot to cold. Mass flows are ``>= 0`` (a reversed flow means swapped ports; the component handles
that and passes magnitudes). The **approach** of a CDU is ``T_hot,out - T_cold,in`` (IT supply
minus facility supply), the definition of the Modelica Buildings Library CDU records ([4]).

References
----------
.. [1] T. L. Bergman, A. S. Lavine, F. P. Incropera, D. P. DeWitt, *Fundamentals of Heat and Mass
   Transfer*, 7th ed., Wiley, 2011, Table 11.3 (counterflow ε-NTU) and Table 11.4 (inverse).
.. [2] H. Martin, "A theoretical approach to predict the performance of chevron-type plate heat
   exchangers", Chem. Eng. Process. 35(4):301–310, 1996, :doi:`10.1016/0255-2701(95)04129-X`;
   friction in H. Martin, "Economic optimization of compact heat exchangers", EF Conf. on Compact
   Heat Exchangers, Banff, 1999. Both as implemented in ``ht.conv_plate.Nu_plate_Martin`` and
   ``fluids.friction_plate_Martin_1999``.
.. [3] H. Kumar, "The plate heat exchanger: construction and design", 1st UK National Heat Transfer
   Conf., IChemE Symp. Ser. 86, 1984, pp. 1275–1288 (curve fit by Z. H. Ayub, Heat Transfer Eng.
   24(5):3–16, 2003), as implemented in ``ht.conv_plate.Nu_plate_Kumar`` and
   ``fluids.friction_plate_Kumar``. Nu ∝ Reᵐ with m = 0.59–0.73 above Re ≈ 100–500 for chevron
   angles 30–65°.
.. [4] Modelica Buildings Library, ``Buildings.Applications.DataCenters.LiquidCooled.CDUs``
   (M. Wetter, 2026): ``Data.Generic_epsNTU`` ("Approach temperature on IT loop side",
   ``TPlaIn_nominal = TRacOut_nominal - TApp_nominal``; film coefficients ``h ∝ ṁ^n`` with default
   ``n = 0.8`` on both sides) and the records ``Data.GoogleProjectDeschutes`` and
   ``Data.VertivLiebertXDU1350``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from thermo.correlations.cold_plate import regularized_power
from thermo.correlations.effectiveness import effectiveness_derivatives, ntu_from_effectiveness
from thermo.errors import InputError, RangeError

__all__ = [
    "PHE_FILM_EXPONENT",
    "CDU_FILM_EXPONENT",
    "CounterflowResult",
    "counterflow_outlets",
    "ua_from_design",
    "ua_from_approach",
    "OffDesignUA",
    "ua_off_design",
    "ChevronSide",
    "ChevronResult",
    "ua_from_chevron_geometry",
]

PHE_FILM_EXPONENT = 0.7
"""Default exponent n of ``hA ∝ ṁⁿ`` on each side of a chevron plate heat exchanger [-]. Kumar's
chevron data give Nu ∝ Reᵐ with m = 0.59–0.73 above Re ≈ 100–500 ([3]); Martin's
``Nu ∝ (f Re²)^0.374`` with the turbulent ``f ∝ Re^-0.2…-0.3`` gives m ≈ 0.64–0.67 ([2])."""

CDU_FILM_EXPONENT = 0.8
"""Film exponent used by the Modelica Buildings Library CDU model (``nPla = nRac = 0.8``, [4]);
used by the CDU verification cases so that their off-design law matches that model's."""


def _check_nonneg(name: str, value: np.ndarray) -> None:
    if np.any(~np.isfinite(value)) or np.any(value < 0.0):
        raise InputError(f"{name} must be finite and >= 0, got {value!r}", key=name, value=value)


@dataclass(frozen=True)
class CounterflowResult:
    """Outcome of :func:`counterflow_outlets` (arrays broadcast from the inputs).

    ε and its partial derivatives come from :mod:`thermo.correlations.effectiveness`
    (counterflow closed form, exact limits at Cr = 0 and 1)."""

    T_hot_out: np.ndarray
    """Hot-side outlet temperature [K]."""
    T_cold_out: np.ndarray
    """Cold-side outlet temperature [K]."""
    Q: np.ndarray
    """Duty, hot to cold [W]."""
    effectiveness: np.ndarray
    """ε = Q/(C_min (T_hot,in − T_cold,in)) [-]."""
    NTU: np.ndarray
    """UA/C_min [-]."""
    Cr: np.ndarray
    """C_min/C_max [-]."""
    temperature_cross: np.ndarray
    """True where T_cold,out > T_hot,out: feasible in pure counterflow, but a sign of a large,
    costly exchanger (and infeasible in parallel or single-pass crossflow)."""
    dQ_dUA: np.ndarray | None = None
    """∂Q/∂UA [K] (when derivatives were requested)."""
    dQ_dm_hot: np.ndarray | None = None
    """∂Q/∂ṁ_hot at fixed UA [J/kg]."""
    dQ_dm_cold: np.ndarray | None = None
    """∂Q/∂ṁ_cold at fixed UA [J/kg]."""
    dQ_dT_hot_in: np.ndarray | None = None
    """∂Q/∂T_hot,in [W/K] (= ε C_min)."""
    dQ_dT_cold_in: np.ndarray | None = None
    """∂Q/∂T_cold,in [W/K] (= −ε C_min)."""


def counterflow_outlets(
    UA: np.ndarray | float,
    m_hot: np.ndarray | float,
    cp_hot: np.ndarray | float,
    T_hot_in: np.ndarray | float,
    m_cold: np.ndarray | float,
    cp_cold: np.ndarray | float,
    T_cold_in: np.ndarray | float,
    *,
    derivatives: bool = False,
) -> CounterflowResult:
    """Outlet temperatures and duty of a counterflow heat exchanger by ε-NTU.

    Parameters
    ----------
    UA : array_like
        Conductance [W/K], >= 0.
    m_hot, m_cold : array_like
        Mass flows [kg/s], >= 0. A zero flow gives zero duty; that side's outlet is the limit
        value (the other side's inlet temperature).
    cp_hot, cp_cold : array_like
        Specific heats [J/(kg·K)], > 0.
    T_hot_in, T_cold_in : array_like
        Inlet temperatures [K]. If ``T_cold_in > T_hot_in`` heat flows the other way (Q < 0).
    derivatives : bool
        Also return ``∂Q/∂UA``, ``∂Q/∂ṁ_hot``, ``∂Q/∂ṁ_cold`` (at fixed UA; chain with
        :func:`ua_off_design` for flow-dependent UA) and ``∂Q/∂T_in`` of both sides.

    Returns
    -------
    CounterflowResult
    """
    UA = np.asarray(UA, dtype=float)
    mh, mc = np.asarray(m_hot, dtype=float), np.asarray(m_cold, dtype=float)
    cph, cpc = np.asarray(cp_hot, dtype=float), np.asarray(cp_cold, dtype=float)
    _check_nonneg("UA", UA)
    _check_nonneg("m_hot", mh)
    _check_nonneg("m_cold", mc)
    if np.any(cph <= 0.0) or np.any(cpc <= 0.0):
        raise InputError("specific heats must be > 0", key="cp_hot/cp_cold")
    Thi, Tci = np.asarray(T_hot_in, dtype=float), np.asarray(T_cold_in, dtype=float)
    UA, Ch, Cc, Thi, Tci = np.broadcast_arrays(UA, mh * cph, mc * cpc, Thi, Tci)
    hot_min = Ch <= Cc
    Cmin = np.minimum(Ch, Cc)
    Cmax = np.maximum(Ch, Cc)
    dT = Thi - Tci
    stagnant = Cmin == 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        Cr = np.where(Cmax > 0.0, Cmin / np.where(Cmax > 0.0, Cmax, 1.0), 0.0)
        NTU = np.where(
            stagnant, np.where(UA > 0.0, np.inf, 0.0), UA / np.where(stagnant, 1.0, Cmin)
        )
    eps, dN, dC = (
        np.asarray(v, dtype=float)
        for v in effectiveness_derivatives(np.where(stagnant, 0.0, NTU), Cr, "counterflow")
    )
    # a stagnant side (C_min = 0) with UA > 0 is the NTU -> infinity limit: ε = 1, Q = 0
    eps = np.where(stagnant & (UA > 0.0), 1.0, eps)
    dN = np.where(stagnant, 0.0, dN)
    dC = np.where(stagnant, 0.0, dC)
    Q = eps * Cmin * dT
    # outlet changes: the C_min side moves by eps*dT, the C_max side by eps*Cr*dT
    f_hot = np.where(hot_min, 1.0, Cr)
    f_cold = np.where(hot_min, Cr, 1.0)
    Tho = Thi - eps * f_hot * dT
    Tco = Tci + eps * f_cold * dT
    cross = Tco > Tho + 1e-9 * np.abs(dT)
    extra: dict[str, np.ndarray] = {}
    if derivatives:
        with np.errstate(invalid="ignore"):
            dQ_dCmin = dT * np.where(Cmin > 0.0, eps - dN * NTU + dC * Cr, 1.0)
            dQ_dCmax = np.where(Cmax > 0.0, -dT * dC * Cr**2, 0.0)
            dQ_dUA = dT * np.where(Cmin > 0.0, dN, 0.0)
        dQ_dCh = np.where(hot_min, dQ_dCmin, dQ_dCmax)
        dQ_dCc = np.where(hot_min, dQ_dCmax, dQ_dCmin)
        extra = {
            "dQ_dUA": dQ_dUA,
            "dQ_dm_hot": dQ_dCh * cph,
            "dQ_dm_cold": dQ_dCc * cpc,
            "dQ_dT_hot_in": eps * Cmin,
            "dQ_dT_cold_in": -eps * Cmin,
        }
    return CounterflowResult(
        T_hot_out=Tho,
        T_cold_out=Tco,
        Q=Q,
        effectiveness=eps,
        NTU=NTU,
        Cr=Cr,
        temperature_cross=cross,
        **extra,
    )


def ua_from_design(
    Q: float,
    T_hot_in: float,
    T_cold_in: float,
    m_hot: float,
    cp_hot: float,
    m_cold: float,
    cp_cold: float,
) -> float:
    """Counterflow UA [W/K] that transfers ``Q`` between the given inlets and flows.

    ``ε = Q/(C_min (T_hot,in - T_cold,in))``, then the closed-form inverse (Incropera Table 11.4,
    :func:`thermo.correlations.effectiveness.ntu_from_effectiveness`), ``UA = NTU·C_min``.

    Parameters
    ----------
    Q : float
        Design duty [W], > 0.
    T_hot_in, T_cold_in : float
        Design inlet temperatures [K], ``T_hot_in > T_cold_in``.
    m_hot, m_cold : float
        Design mass flows [kg/s], > 0.
    cp_hot, cp_cold : float
        Specific heats [J/(kg·K)], > 0.

    Raises
    ------
    InputError
        If the design is impossible: no driving temperature difference, or a duty that would
        make an outlet pass the other side's inlet (approach <= 0 at either end).
    """
    for name, v in (
        ("Q", Q),
        ("m_hot", m_hot),
        ("cp_hot", cp_hot),
        ("m_cold", m_cold),
        ("cp_cold", cp_cold),
    ):
        if not (math.isfinite(v) and v > 0.0):
            raise InputError(f"design {name} must be > 0, got {v!r}", key=name, value=v)
    dT = T_hot_in - T_cold_in
    if not dT > 0.0:
        raise InputError(
            f"design hot inlet {T_hot_in!r} K must be above the cold inlet {T_cold_in!r} K",
            key="T_hot_in",
            value=T_hot_in,
        )
    Ch, Cc = m_hot * cp_hot, m_cold * cp_cold
    Cmin, Cmax = min(Ch, Cc), max(Ch, Cc)
    eps = Q / (Cmin * dT)
    if eps >= 1.0:
        T_hot_out = T_hot_in - Q / Ch
        T_cold_out = T_cold_in + Q / Cc
        raise InputError(
            f"design duty {Q:.6g} W is impossible in counterflow: it would need effectiveness "
            f"{eps:.4g} >= 1 (hot outlet {T_hot_out:.2f} K vs cold inlet {T_cold_in:.2f} K, "
            f"cold outlet {T_cold_out:.2f} K vs hot inlet {T_hot_in:.2f} K; approach <= 0)",
            key="Q",
            value=Q,
        )
    return float(ntu_from_effectiveness(eps, Cmin / Cmax, "counterflow")) * Cmin


def ua_from_approach(
    Q: float,
    approach: float,
    T_cold_in: float,
    m_hot: float,
    cp_hot: float,
    m_cold: float,
    cp_cold: float,
) -> float:
    """Counterflow UA [W/K] from a CDU-style design: duty and approach ``T_hot,out - T_cold,in``.

    The hot inlet follows from the energy balance, ``T_hot,in = T_cold,in + approach + Q/C_hot``;
    then :func:`ua_from_design`.

    Raises
    ------
    InputError
        If ``approach <= 0`` (a temperature cross at the cold end is impossible).
    """
    if not (math.isfinite(approach) and approach > 0.0):
        raise InputError(
            f"approach must be > 0 K, got {approach!r}: the hot outlet cannot reach the cold inlet",
            key="approach",
            value=approach,
        )
    if not (math.isfinite(m_hot) and m_hot > 0 and math.isfinite(cp_hot) and cp_hot > 0):
        raise InputError("design m_hot and cp_hot must be > 0", key="m_hot/cp_hot")
    T_hot_in = T_cold_in + approach + Q / (m_hot * cp_hot)
    return ua_from_design(Q, T_hot_in, T_cold_in, m_hot, cp_hot, m_cold, cp_cold)


@dataclass(frozen=True)
class OffDesignUA:
    """UA at off-design flows and its partial derivatives (see :func:`ua_off_design`)."""

    UA: np.ndarray
    """Conductance [W/K]."""
    dUA_dm_hot: np.ndarray
    """∂UA/∂ṁ_hot [J/(kg·K)]."""
    dUA_dm_cold: np.ndarray
    """∂UA/∂ṁ_cold [J/(kg·K)]."""


def ua_off_design(
    UA_design: float,
    m_hot: np.ndarray | float,
    m_cold: np.ndarray | float,
    m_hot_design: float,
    m_cold_design: float,
    exponent: float = PHE_FILM_EXPONENT,
    *,
    exponent_cold: float | None = None,
    r_design: float = 1.0,
    linear_fraction: float = 0.05,
) -> OffDesignUA:
    """Off-design UA from series film resistances, each side ``hA ∝ ṁⁿ``.

    ``1/UA = 1/hA_hot + 1/hA_cold`` with ``hA_hot = hA_hot,d·(ṁ_hot/ṁ_hot,d)^n_hot`` and likewise
    cold; at design ``hA_hot,d = UA_d(1 + r)``, ``hA_cold,d = UA_d(1 + r)/r`` where
    ``r = hA_hot,d/hA_cold,d``. Wall conduction and fouling are lumped into the films (they are
    small for thin stainless plates and would add a flow-independent term). This is the law of
    the Modelica Buildings CDU model ([4], default ``n = 0.8``); for chevron plates n ≈ 0.6–0.7
    ([2], [3]), the default here is :data:`PHE_FILM_EXPONENT`.

    Below ``linear_fraction`` of the design flow, ``(ṁ/ṁ_d)ⁿ`` is replaced by the C¹ odd
    linear-plus-cubic blend of :func:`~thermo.correlations.cold_plate.regularized_power`, so the
    derivative stays finite at zero flow (``ṁⁿ`` with ``n < 1`` has infinite slope there).

    Parameters
    ----------
    UA_design : float
        Design conductance [W/K], > 0.
    m_hot, m_cold : array_like
        Actual mass flows [kg/s], >= 0.
    m_hot_design, m_cold_design : float
        Design mass flows [kg/s], > 0.
    exponent : float
        Film exponent n of the hot side (and of the cold side unless ``exponent_cold``) [-], 0–1.
    exponent_cold : float, optional
        Film exponent of the cold side [-].
    r_design : float
        Ratio of film conductances at design, hot/cold [-], > 0 (1: equal films).
    linear_fraction : float
        Flow fraction below which the power is regularised [-], in [0, 1).

    Returns
    -------
    OffDesignUA
    """
    if not (math.isfinite(UA_design) and UA_design > 0.0):
        raise InputError(f"UA_design must be > 0, got {UA_design!r}", key="UA_design")
    for name, v in (("m_hot_design", m_hot_design), ("m_cold_design", m_cold_design)):
        if not (math.isfinite(v) and v > 0.0):
            raise InputError(f"{name} must be > 0, got {v!r}", key=name)
    n_h = float(exponent)
    n_c = n_h if exponent_cold is None else float(exponent_cold)
    for name, n in (("exponent", n_h), ("exponent_cold", n_c)):
        if not 0.0 < n <= 1.0:
            raise InputError(f"{name} must be in (0, 1], got {n!r}", key=name, value=n)
    if not (math.isfinite(r_design) and r_design > 0.0):
        raise InputError(f"r_design must be > 0, got {r_design!r}", key="r_design")
    if not 0.0 <= linear_fraction < 1.0:
        raise InputError("linear_fraction must be in [0, 1)", key="linear_fraction")
    mh = np.asarray(m_hot, dtype=float)
    mc = np.asarray(m_cold, dtype=float)
    _check_nonneg("m_hot", mh)
    _check_nonneg("m_cold", mc)
    hA_h_d = UA_design * (1.0 + r_design)
    hA_c_d = UA_design * (1.0 + r_design) / r_design
    gh, dgh = regularized_power(mh / m_hot_design, n_h, linear_fraction)
    gc, dgc = regularized_power(mc / m_cold_design, n_c, linear_fraction)
    hA_h, hA_c = hA_h_d * gh, hA_c_d * gc
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = hA_h + hA_c
        UA = np.where(denom > 0.0, hA_h * hA_c / np.where(denom > 0.0, denom, 1.0), 0.0)
        # d(UA)/d(hA_h) = (hA_c/(hA_h+hA_c))^2
        w_h = np.where(denom > 0.0, (hA_c / np.where(denom > 0.0, denom, 1.0)) ** 2, 0.5)
        w_c = np.where(denom > 0.0, (hA_h / np.where(denom > 0.0, denom, 1.0)) ** 2, 0.5)
    dUA_dmh = w_h * hA_h_d * dgh / m_hot_design
    dUA_dmc = w_c * hA_c_d * dgc / m_cold_design
    return OffDesignUA(UA=UA, dUA_dm_hot=dUA_dmh, dUA_dm_cold=dUA_dmc)


@dataclass(frozen=True)
class ChevronSide:
    """One fluid side of a chevron plate heat exchanger: flow and properties (SI)."""

    m_dot: float
    """Mass flow through this side, all channels [kg/s]."""
    rho: float
    """Density [kg/m³]."""
    cp: float
    """Specific heat [J/(kg·K)]."""
    mu: float
    """Bulk viscosity [Pa·s]."""
    k: float
    """Conductivity [W/(m·K)]."""


@dataclass(frozen=True)
class ChevronResult:
    """Outcome of :func:`ua_from_chevron_geometry` (hot, cold)."""

    UA: float
    """Overall conductance [W/K]."""
    area: float
    """Heat-transfer area, corrugated (both faces counted once) [m²]."""
    h: tuple[float, float]
    """Film coefficients [W/(m²·K)]."""
    Re: tuple[float, float]
    """Channel Reynolds numbers on D_h [-]."""
    Nu: tuple[float, float]
    """Nusselt numbers on D_h [-]."""
    dp: tuple[float, float]
    """Channel (plate-pack) pressure drops, ports excluded [Pa]."""
    D_h: float
    """Channel hydraulic diameter ``4a/φ`` [m]."""


_PLATE_RE_RANGE = {"Martin": (200.0, 10000.0), "Kumar": (0.1, 10000.0)}
_PLATE_ANGLE_RANGE = {"Martin": (0.0, 80.0), "Kumar": (30.0, 65.0)}


def ua_from_chevron_geometry(
    hot: ChevronSide,
    cold: ChevronSide,
    *,
    amplitude: float,
    wavelength: float,
    chevron_angle: float,
    width: float,
    length: float,
    plates: int,
    plate_thickness: float,
    k_plate: float,
    correlation: str = "Martin",
    fouling: float = 0.0,
) -> ChevronResult:
    """UA and channel pressure drops of a chevron plate heat exchanger from its geometry.

    Geometry follows ``fluids.PlateExchanger``: corrugation amplitude ``a`` (half the channel
    gap ``b = 2a``), wavelength λ, enlargement factor φ (from λ and a), ``D_h = 4a/φ``, channels
    ``plates - 1`` shared alternately by the two fluids, area ``A = φ·W·L·(plates - 2)``. Per side:
    velocity ``u = ṁ/(ρ·N_ch·W·b)``, ``Re = ρ u D_h/μ``, ``Nu`` from ``ht`` (Martin 1996 [2] or
    Kumar 1984 [3]), ``h = Nu·k/D_h``; ``1/UA = 1/(h_h A) + t/(k_p A) + R_f/A + 1/(h_c A)``; channel
    pressure drop ``Δp = f_D (L/D_h) ρu²/2`` with the matching ``fluids`` Darcy friction factor.
    Port and distribution losses are **not** included. Wall-viscosity corrections are omitted.

    Parameters
    ----------
    hot, cold : ChevronSide
        Flows and bulk properties of the two sides.
    amplitude, wavelength : float
        Corrugation half-height a and pitch λ [m].
    chevron_angle : float
        Corrugation angle to the flow direction [degrees] (Martin 0–80, Kumar 30–65).
    width, length : float
        Plate width between gaskets and port-to-port length [m].
    plates : int
        Number of plates including the two end plates (>= 3) [-].
    plate_thickness, k_plate : float
        Plate thickness [m] and conductivity [W/(m·K)] (stainless ≈ 16).
    correlation : {"Martin", "Kumar"}
        Nusselt/friction pair.
    fouling : float
        Total fouling resistance of both sides [m²·K/W], >= 0.

    Raises
    ------
    RangeError
        If the chevron angle is outside the correlation's range. A Reynolds number outside it
        gives a ``RuntimeWarning`` (the correlations are then extrapolated).
    """
    import fluids
    from ht.conv_plate import Nu_plate_Kumar, Nu_plate_Martin

    if correlation not in _PLATE_RE_RANGE:
        raise InputError(
            f"correlation must be 'Martin' or 'Kumar', got {correlation!r}", key="correlation"
        )
    lo, hi = _PLATE_ANGLE_RANGE[correlation]
    if not lo <= chevron_angle <= hi:
        raise RangeError(
            f"chevron angle {chevron_angle!r}° outside the {correlation} range {lo:g}–{hi:g}°",
            key="chevron_angle",
            value=chevron_angle,
        )
    for name, v in (
        ("amplitude", amplitude),
        ("wavelength", wavelength),
        ("width", width),
        ("length", length),
        ("plate_thickness", plate_thickness),
        ("k_plate", k_plate),
    ):
        if not (math.isfinite(v) and v > 0.0):
            raise InputError(f"plate {name} must be > 0, got {v!r}", key=name, value=v)
    if isinstance(plates, bool) or not (isinstance(plates, int) and plates >= 3):
        raise InputError(f"plates must be an integer >= 3, got {plates!r}", key="plates")
    if fouling < 0.0:
        raise InputError("fouling must be >= 0", key="fouling", value=fouling)
    pe = fluids.PlateExchanger(
        amplitude=amplitude,
        wavelength=wavelength,
        chevron_angle=chevron_angle,
        width=width,
        length=length,
        plates=plates,
    )
    Dh = pe.D_hydraulic
    area = pe.A_heat_transfer
    gap = 2.0 * amplitude
    n_channels = plates - 1
    n_hot = (n_channels + 1) // 2
    n_cold = n_channels // 2
    re_lo, re_hi = _PLATE_RE_RANGE[correlation]
    hs, Res, Nus, dps = [], [], [], []
    for name, side, n_ch in (("hot", hot, n_hot), ("cold", cold, n_cold)):
        for attr in ("m_dot", "rho", "cp", "mu", "k"):
            v = getattr(side, attr)
            if not (math.isfinite(v) and v > 0.0):
                raise InputError(f"{name} side {attr} must be > 0, got {v!r}", key=f"{name}.{attr}")
        u = side.m_dot / (side.rho * n_ch * width * gap)
        Re = side.rho * u * Dh / side.mu
        Pr = side.cp * side.mu / side.k
        if not re_lo <= Re <= re_hi:
            warnings.warn(
                f"{name}-side plate Reynolds number {Re:.3g} outside the {correlation} range "
                f"{re_lo:g}–{re_hi:g}; correlation extrapolated",
                RuntimeWarning,
                stacklevel=2,
            )
        if correlation == "Martin":
            Nu = Nu_plate_Martin(Re, Pr, chevron_angle)
            fd = fluids.friction_plate_Martin_1999(Re, chevron_angle)
        else:
            Nu = Nu_plate_Kumar(Re, Pr, chevron_angle)
            fd = fluids.friction_plate_Kumar(Re, chevron_angle)
        hs.append(Nu * side.k / Dh)
        Res.append(Re)
        Nus.append(Nu)
        dps.append(fd * length / Dh * 0.5 * side.rho * u**2)
    R = 1.0 / (hs[0] * area) + plate_thickness / (k_plate * area) + fouling / area
    R += 1.0 / (hs[1] * area)
    return ChevronResult(
        UA=1.0 / R,
        area=area,
        h=(hs[0], hs[1]),
        Re=(Res[0], Res[1]),
        Nu=(Nus[0], Nus[1]),
        dp=(dps[0], dps[1]),
        D_h=Dh,
    )
