"""Fit coolant properties from CoolProp (used by ``tools/fit_coolants.py`` and at run time).

This module is the only place in :mod:`thermo.coolants` that imports CoolProp, and it does so inside
functions. It samples CoolProp on a temperature grid, fits each property with a polynomial in a
scaled variable, and returns a JSON-ready record that :mod:`thermo.coolants._poly` evaluates with
numpy. The shipped records in ``thermo/data/coolants/*.json`` were written by the same functions, so
a fraction fitted at run time and a shipped one are interchangeable.

Sources of the sampled properties
---------------------------------
* Water: IAPWS-IF97 (Wagner et al., "The IAPWS Industrial Formulation 1997 for the Thermodynamic
  Properties of Water and Steam", J. Eng. Gas Turbines Power 122 (2000) 150-182), region 1, at the
  reference pressure :data:`WATER_REFERENCE_PRESSURE`, with the IAPWS 2008 viscosity (Huber et al.,
  J. Phys. Chem. Ref. Data 38 (2009) 101) and IAPWS 2011 thermal conductivity (Huber et al.,
  J. Phys. Chem. Ref. Data 41 (2012) 033102) as implemented by CoolProp's ``IF97`` backend.
* Propylene and ethylene glycol: CoolProp's incompressible ``MPG``/``MEG`` fluids, fitted by
  Skovrup/Melinder to the data of Melinder, "Properties of Secondary Working Fluids for Indirect
  Systems", IIR 2010 (CoolProp documentation, "Incompressible fluids"). Valid for mass fractions
  0-0.6, from the freezing point to 100 degC; the fits ignore pressure.

Fit form
--------
``density``, ``specific_heat`` and ``conductivity`` are polynomials in ``x = (T - c) / s``, the
temperature scaled to [-1, 1] over the fitted range. ``viscosity`` is ``exp`` of a polynomial in
either ``x`` or in the scaled reciprocal temperature ``y = (1/T - c') / s'`` (an Andrade/Arrhenius
form), whichever needs the lower degree. Each degree is the lowest that meets :data:`FIT_TARGETS`
(2.5e-5 relative, one twentieth of the 0.05 % promised for rho, cp, k) on a check grid that interleaves
the fitting grid. CoolProp's MPG/MEG fits are themselves cubic in T (and ln mu cubic in T), so
their fits here reproduce CoolProp to round-off.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.errors import InputError

__all__ = [
    "WATER_REFERENCE_PRESSURE",
    "WATER_T_MIN",
    "WATER_T_MAX",
    "WATER_FREEZING_POINT",
    "GLYCOL_T_MAX",
    "SHIPPED_FRACTIONS",
    "FIT_TARGETS",
    "PROPERTIES",
    "coolprop_fluid",
    "sample",
    "fit_property",
    "fit_coolant",
]

WATER_REFERENCE_PRESSURE = 0.5e6
"""Pressure at which water properties are fitted [Pa].

0.5 MPa is a typical absolute static pressure of a closed liquid-cooling loop (2-6 bar, see
docs/references.md section 1) and keeps water liquid up to :data:`WATER_T_MAX` (IF97 saturation
temperature at 0.5 MPa: 151.84 degC)."""

WATER_T_MIN = 273.16
"""Lowest fitted water temperature [K]: the triple point, 0.01 degC (IAPWS-IF97 region 1 starts at
273.15 K)."""

WATER_T_MAX = 423.15
"""Highest fitted water temperature [K]: 150 degC, below saturation at the reference pressure."""

WATER_FREEZING_POINT = 273.15
"""Freezing point of water at 0.101325 MPa [K] (ITS-90 ice point)."""

GLYCOL_T_MAX = 373.15
"""Upper limit of CoolProp's MPG/MEG incompressible fits [K] (``Tmax``, 100 degC)."""

SHIPPED_FRACTIONS = tuple(round(0.05 * i, 2) for i in range(2, 13))
"""Glycol mass fractions whose fits ship as package data: 0.10, 0.15, ..., 0.60 [-]."""

PROPERTIES = ("density", "specific_heat", "viscosity", "conductivity")

FIT_TARGETS = {
    "density": 2.5e-5,
    "specific_heat": 2.5e-5,
    "conductivity": 2.5e-5,
    "viscosity": 2.5e-5,
}
"""Largest relative deviation from CoolProp a fit may have on the check grid [-]: 1/20 of the
accuracy promised to users for rho, cp and k (0.05 %), and the same for mu (promised 0.5 %) so that
the IAPWS viscosity checks at 5 significant digits test the formulation, not the fit."""

MAX_DEGREE = 12
_N_FIT = 801
_N_CHECK = 2001
_COOLPROP_KEYS = {"density": "D", "specific_heat": "C", "viscosity": "V", "conductivity": "L"}
_GLYCOLS = {"PG": "MPG", "EG": "MEG"}


def coolprop_fluid(kind: str, fraction: float | None = None) -> str:
    """CoolProp fluid string for a coolant, e.g. ``"IF97::Water"`` or ``"INCOMP::MPG[0.25]"``."""
    if kind == "water":
        return "IF97::Water"
    return f"INCOMP::{_GLYCOLS[kind]}[{fraction!r}]"


def _range(kind: str, fraction: float | None) -> tuple[float, float, float]:
    """(T_min, T_max, freezing point) [K] of a standard coolant, from CoolProp for glycols."""
    if kind == "water":
        return WATER_T_MIN, WATER_T_MAX, WATER_FREEZING_POINT
    from CoolProp.CoolProp import PropsSI

    t_freeze = float(PropsSI("T_freeze", "T", 300.0, "P", 101325.0, coolprop_fluid(kind, fraction)))
    return t_freeze, GLYCOL_T_MAX, t_freeze


def sample(
    kind: str, fraction: float | None, T: np.ndarray, pressure: float | None = None
) -> dict[str, np.ndarray]:
    """CoolProp properties of a standard coolant at temperatures ``T`` [K].

    Uses one ``AbstractState`` per call (scalar updates raise on out-of-range input, unlike
    vectorised ``PropsSI``, which returns ``inf``). Returns density [kg/m3], specific heat
    [J/(kg K)], viscosity [Pa s], conductivity [W/(m K)] and enthalpy [J/kg, CoolProp's reference].
    """
    import CoolProp.CoolProp as CP

    if kind == "water":
        state = CP.AbstractState("IF97", "Water")
        p = WATER_REFERENCE_PRESSURE if pressure is None else float(pressure)
    else:
        state = CP.AbstractState("INCOMP", _GLYCOLS[kind])
        state.set_mass_fractions([float(fraction)])  # without it CoolProp silently uses x = 0
        p = 101325.0  # ignored by the incompressible fits
    out: dict[str, list[float]] = {k: [] for k in (*PROPERTIES, "enthalpy")}
    for t in np.asarray(T, dtype=float):
        state.update(CP.PT_INPUTS, p, float(t))
        out["density"].append(state.rhomass())
        out["specific_heat"].append(state.cpmass())
        out["viscosity"].append(state.viscosity())
        out["conductivity"].append(state.conductivity())
        out["enthalpy"].append(state.hmass())
    result = {k: np.array(v) for k, v in out.items()}
    for k, v in result.items():
        if not np.all(np.isfinite(v)):
            raise RuntimeError(
                f"CoolProp returned non-finite {k} for {coolprop_fluid(kind, fraction)}"
            )
    return result


def _scaled(variable: str, T: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, float, float]:
    z_lo, z_hi = (lo, hi) if variable == "T" else (1.0 / hi, 1.0 / lo)
    center, half_span = 0.5 * (z_lo + z_hi), 0.5 * (z_hi - z_lo)
    z = T if variable == "T" else 1.0 / T
    return (z - center) / half_span, center, half_span


def _evaluate(coeffs: np.ndarray, u: np.ndarray, log: bool) -> np.ndarray:
    v = np.polynomial.polynomial.polyval(u, coeffs)
    return np.exp(v) if log else v


def fit_property(
    T: np.ndarray,
    values: np.ndarray,
    T_check: np.ndarray,
    values_check: np.ndarray,
    *,
    log: bool,
    target: float,
    variables: tuple[str, ...] = ("T",),
) -> dict[str, Any]:
    """Lowest-degree polynomial fit of one property that meets ``target`` on the check grid.

    Parameters
    ----------
    T, values
        Fitting grid [K] and property values (SI).
    T_check, values_check
        Independent check grid [K] and values, interleaving the fitting grid.
    log
        Fit ``ln(value)`` (used for viscosity) instead of ``value``.
    target
        Largest acceptable relative deviation on the check grid [-].
    variables
        Candidate independent variables, ``"T"`` and/or ``"invT"`` (scaled 1/T).

    Returns
    -------
    dict
        ``variable``, ``log``, ``center``, ``half_span``, ``coeffs`` (power basis in the scaled
        variable, lowest order first), ``degree`` and ``max_rel_error`` on the check grid.
    """
    lo, hi = float(T.min()), float(T.max())
    best: dict[str, Any] | None = None
    for variable in variables:
        u, center, half_span = _scaled(variable, T, lo, hi)
        u_check = _scaled(variable, T_check, lo, hi)[0]
        y = np.log(values) if log else values
        weights = None if log else 1.0 / np.abs(values)  # relative least squares
        for degree in range(1, MAX_DEGREE + 1):
            cheb = np.polynomial.chebyshev.chebfit(u, y, degree, w=weights)
            coeffs = np.polynomial.chebyshev.cheb2poly(cheb)
            err = float(np.max(np.abs(_evaluate(coeffs, u_check, log) / values_check - 1.0)))
            if err <= target or degree == MAX_DEGREE:
                candidate = {
                    "variable": variable,
                    "log": log,
                    "center": center,
                    "half_span": half_span,
                    "coeffs": [float(c) for c in coeffs],
                    "degree": degree,
                    "max_rel_error": err,
                }
                break
        if best is None or (candidate["degree"], candidate["max_rel_error"]) < (
            best["degree"],
            best["max_rel_error"],
        ):
            best = candidate
    assert best is not None
    if best["max_rel_error"] > target:
        raise RuntimeError(
            f"no polynomial up to degree {MAX_DEGREE} fits within {target:.1e} "
            f"(best {best['max_rel_error']:.2e})"
        )
    return best


def fit_coolant(
    kind: str, fraction: float | None = None, pressure: float | None = None
) -> dict[str, Any]:
    """Fit every property of a standard coolant from CoolProp; JSON-ready record.

    Parameters
    ----------
    kind
        ``"water"``, ``"PG"`` (propylene glycol, CoolProp ``MPG``) or ``"EG"`` (ethylene glycol,
        ``MEG``).
    fraction
        Glycol mass fraction, 0 < fraction <= 0.6 [-]; ``None`` for water.
    pressure
        Water only: absolute pressure of the properties [Pa]; default
        :data:`WATER_REFERENCE_PRESSURE`. Given, the range ends 1 K below saturation there.

    Returns
    -------
    dict
        ``kind``, ``fraction``, ``coolprop_fluid``, ``T_min``, ``T_max``, ``freezing_point`` [K],
        ``reference_pressure`` [Pa] (water only), and ``properties``: one :func:`fit_property`
        record per property.
    """
    if kind not in ("water", *_GLYCOLS):
        raise InputError(f"unknown coolant kind {kind!r}; expected 'water', 'PG' or 'EG'")
    if kind != "water" and not (fraction is not None and 0.0 < fraction <= 0.6):
        raise InputError(
            f"glycol mass fraction must be in (0, 0.6] (CoolProp MPG/MEG range), got {fraction!r}",
            key="fraction",
            value=fraction,
        )
    t_min, t_max, t_freeze = _range(kind, fraction)
    p_ref = WATER_REFERENCE_PRESSURE if pressure is None else float(pressure)
    if kind == "water" and pressure is not None:
        from CoolProp.CoolProp import PropsSI

        # liquid only: up to 1 K below the IF97 saturation temperature at this pressure
        t_max = min(WATER_T_MAX, float(PropsSI("T", "P", p_ref, "Q", 0, "IF97::Water")) - 1.0)
    T = np.linspace(t_min, t_max, _N_FIT)
    T_check = np.linspace(t_min, t_max, _N_CHECK)
    data = sample(kind, fraction, T, pressure)
    check = sample(kind, fraction, T_check, pressure)
    properties = {}
    for name in PROPERTIES:
        is_mu = name == "viscosity"
        properties[name] = fit_property(
            T,
            data[name],
            T_check,
            check[name],
            log=is_mu,
            target=FIT_TARGETS[name],
            variables=("T", "invT") if is_mu else ("T",),
        )
    import CoolProp

    record: dict[str, Any] = {
        "kind": kind,
        "fraction": fraction,
        "coolprop_fluid": coolprop_fluid(kind, fraction),
        "coolprop_version": CoolProp.__version__,
        "T_min": t_min,
        "T_max": t_max,
        "freezing_point": t_freeze,
        "reference_pressure": p_ref if kind == "water" else None,
        "properties": properties,
    }
    return record
