"""Fittings and valves: loss coefficients K, Kv/Cv conversions, wall roughness.

The K functions are thin, unit-free wrappers around ``fluids`` (Crane TP-410 and Rennels &
Hudson methods); they take scalars in SI and return K referred to the velocity in the pipe
(or, for tees, in the combined-flow leg). They are meant for setting up components, not for
the solver's inner loop. Use with ``dp = K ρ v|v|/2``, e.g. as ``k_minor`` of
:func:`thermo.correlations.friction.pipe_pressure_drop`.

The Kv functions are vectorised numpy code (no ``fluids`` call) with the flow-coefficient
definition of IEC 60534-1 / VDI 2173: Kv [m³/h] is the volume flow of water
(ρ0 = 1000 kg/m³) at a pressure drop Δp0 = 1 bar, so for any liquid of density ρ

    Δp = Δp0 (ρ/ρ0) (Q/Kv)²,    Q in m³/h.

Crane fitting K values are for fully turbulent flow; in laminar flow they underestimate the
loss (Crane TP-410, 2009, ch. 2). ``fluids`` functions are imported lazily.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from thermo.correlations.friction import _checked, _result
from thermo.errors import InputError

__all__ = [
    "ROUGHNESS",
    "ROUGHNESS_SOURCES",
    "TEE_KINDS",
    "KvDrop",
    "change_k_basis",
    "crane_ft",
    "cv_to_kv",
    "dp_from_kv",
    "dp_from_kv_derivative",
    "k_ball_valve",
    "k_bend",
    "k_butterfly_valve",
    "k_entrance_projecting",
    "k_entrance_rounded",
    "k_entrance_sharp",
    "k_exit",
    "k_gate_valve",
    "k_globe_valve",
    "k_miter_bend",
    "k_tee",
    "k_to_kv",
    "kv_to_cv",
    "kv_to_k",
    "roughness",
]

# --------------------------------------------------------------------------------------------
# wall roughness
# --------------------------------------------------------------------------------------------
_MOODY = (
    "L. F. Moody, 'Friction factors for pipe flow', Trans. ASME 66 (1944) 671-684, Fig. 1 "
    "(values for new pipe, in ft; as tabulated by R. C. Binder, Fluid Mechanics, 1973)"
)
_WHITE = "F. M. White, Fluid Mechanics, 7th ed., McGraw-Hill 2011, Table 6.1 (new pipe)"
_IDELCHIK = (
    "I. E. Idelchik, Handbook of Hydraulic Resistance, 3rd ed., 1994, ch. 2 roughness table: "
    "steel conduits, new, clean, welded lengthwise, 0.012-0.03 mm (lower part of the range)"
)

_FT = 0.3048  # m per ft
ROUGHNESS: dict[str, float] = {
    "commercial_steel": 0.00015 * _FT,  # 45.7 um
    "wrought_iron": 0.00015 * _FT,
    "galvanized_iron": 0.0005 * _FT,  # 152 um
    "cast_iron": 0.00085 * _FT,  # 259 um
    "drawn_copper": 0.000005 * _FT,  # 1.5 um
    "drawn_brass": 0.000005 * _FT,
    "stainless_steel_drawn": 2.0e-6,
    "stainless_steel_welded": 15e-6,
    "plastic_drawn": 1.5e-6,  # PVC, PE, PE-X tubing
}
"""Equivalent sand-grain roughness of new pipe [m], by material. Exact names only (no fuzzy
matching, unlike ``fluids.material_roughness``); see :data:`ROUGHNESS_SOURCES`."""

ROUGHNESS_SOURCES: dict[str, str] = {
    "commercial_steel": _MOODY + "; Crane TP-410 uses 0.0018 in (45.7 um) too",
    "wrought_iron": _MOODY,
    "galvanized_iron": _MOODY,
    "cast_iron": _MOODY,
    "drawn_copper": _MOODY,
    "drawn_brass": _MOODY,
    "stainless_steel_drawn": _WHITE + ": stainless steel, new, 0.002 mm",
    "stainless_steel_welded": _IDELCHIK,
    "plastic_drawn": _WHITE + ": plastic, drawn tubing, 0.0015 mm",
}
"""Where each :data:`ROUGHNESS` value comes from. Roughness of real pipe scatters by ±50 % or
more (White, Table 6.1) and grows with age; these are values for new, clean pipe."""


def roughness(material: str) -> float:
    """Roughness [m] of a material from :data:`ROUGHNESS` (exact key, else :class:`InputError`)."""
    try:
        return ROUGHNESS[material]
    except KeyError:
        raise InputError(
            f"unknown pipe material {material!r}; known: {', '.join(sorted(ROUGHNESS))} "
            "(or give the roughness in metres)",
            key="material",
            value=material,
        ) from None


# --------------------------------------------------------------------------------------------
# Kv, Cv, K
# --------------------------------------------------------------------------------------------
KV_DP0 = 1.0e5
"""Reference pressure drop of Kv [Pa] (1 bar; IEC 60534-1)."""
KV_RHO0 = 1000.0
"""Reference density of Kv [kg/m³] (water; IEC 60534-1, VDI 2173)."""
_M3H = 3600.0  # m³/s -> m³/h
_CV_PER_KV = math.sqrt(6894.757293168361 / KV_DP0) / (3.785411784e-3 * 60.0)
"""Cv/Kv = 1.1561: US gal/min at 1 psi vs m³/h at 1 bar (exact unit definitions)."""


def kv_to_k(kv: np.ndarray | float, diameter: np.ndarray | float) -> np.ndarray | float:
    r"""Loss coefficient K from the flow coefficient Kv, referred to ``diameter``.

    .. math:: K = \frac{2\,\Delta p_0\,A^2}{\rho_0\,(K_v/3600)^2},\quad A = \pi D^2/4

    (Δp0 = 1 bar, ρ0 = 1000 kg/m³; IEC 60534-1). ``fluids.Kv_to_K`` uses ρ0 = 999.3 kg/m³
    (water at 60 °F) and is 0.07 % higher.

    Parameters
    ----------
    kv : array_like
        Flow coefficient [m³/h], > 0.
    diameter : array_like
        Diameter whose velocity K refers to [m], > 0.

    Returns
    -------
    float or ndarray
        K [-].
    """
    kv_ = _checked(kv, "kv", "m³/h", low=0.0, low_open=True)
    d = _checked(diameter, "diameter", "m", low=0.0, low_open=True)
    area = 0.25 * np.pi * d * d
    return _result(2.0 * KV_DP0 * (area * _M3H / kv_) ** 2 / KV_RHO0)


def k_to_kv(k: np.ndarray | float, diameter: np.ndarray | float) -> np.ndarray | float:
    """Flow coefficient Kv [m³/h] from a loss coefficient K referred to ``diameter`` [m].

    Inverse of :func:`kv_to_k`; K > 0, diameter > 0.
    """
    k_ = _checked(k, "k", "-", low=0.0, low_open=True)
    d = _checked(diameter, "diameter", "m", low=0.0, low_open=True)
    area = 0.25 * np.pi * d * d
    return _result(area * _M3H * np.sqrt(2.0 * KV_DP0 / (KV_RHO0 * k_)))


def cv_to_kv(cv: np.ndarray | float) -> np.ndarray | float:
    """Kv [m³/h] from Cv [US gal/min at 1 psi]: Kv = Cv/1.1561 (IEC 60534-1: Kv ≈ 0.865 Cv).

    The factor follows from the exact definitions 1 US gal = 3.785411784 L and
    1 psi = 6894.757 Pa.
    """
    return _result(_checked(cv, "cv", "US gal/min", low=0.0) / _CV_PER_KV)


def kv_to_cv(kv: np.ndarray | float) -> np.ndarray | float:
    """Cv [US gal/min at 1 psi] from Kv [m³/h]: Cv = 1.1561 Kv (inverse of :func:`cv_to_kv`)."""
    return _result(_checked(kv, "kv", "m³/h", low=0.0) * _CV_PER_KV)


def change_k_basis(
    k: np.ndarray | float, diameter_from: np.ndarray | float, diameter_to: np.ndarray | float
) -> np.ndarray | float:
    """Refer a loss coefficient to another diameter: K2 = K1 (D2/D1)⁴ (same Δp and flow)."""
    k_ = _checked(k, "k", "-", low=0.0)
    d1 = _checked(diameter_from, "diameter_from", "m", low=0.0, low_open=True)
    d2 = _checked(diameter_to, "diameter_to", "m", low=0.0, low_open=True)
    return _result(k_ * (d2 / d1) ** 4)


class KvDrop(NamedTuple):
    """Pressure drop across a valve from its Kv, and derivatives."""

    dp: np.ndarray | float
    """Pressure drop [Pa], signed like the flow."""
    ddp_dq: np.ndarray | float
    """d(dp)/d(volume_flow) [Pa·s/m³]; zero at zero flow."""
    ddp_dkv: np.ndarray | float
    """d(dp)/d(kv) [Pa·h/m³] (for a valve opening as a control unknown)."""
    ddp_drho: np.ndarray | float
    """d(dp)/d(density) [Pa·m³/kg]."""


def _kv_drop(volume_flow, kv, density):
    q = _checked(volume_flow, "volume_flow", "m³/s")
    kv_ = _checked(kv, "kv", "m³/h", low=0.0, low_open=True)
    rho = _checked(density, "density", "kg/m³", low=0.0, low_open=True)
    c = KV_DP0 * (rho / KV_RHO0) * (_M3H / kv_) ** 2
    dp = c * q * np.abs(q)
    return dp, 2.0 * c * np.abs(q), -2.0 * dp / kv_, dp / rho


def dp_from_kv(
    volume_flow: np.ndarray | float, kv: np.ndarray | float, density: np.ndarray | float
) -> np.ndarray | float:
    r"""Pressure drop across a valve or fitting of flow coefficient Kv (turbulent liquid flow).

    .. math:: \Delta p = \Delta p_0\,\frac{\rho}{\rho_0}\,
              \frac{3600\,Q\,|3600\,Q|}{K_v^2}

    Δp0 = 1 bar, ρ0 = 1000 kg/m³ (IEC 60534-1 / VDI 2173 definition of Kv).

    Parameters
    ----------
    volume_flow : array_like
        Volume flow Q [m³/s], any sign (reversed flow gives a negative drop).
    kv : array_like
        Flow coefficient [m³/h], > 0.
    density : array_like
        Liquid density [kg/m³], > 0.

    Returns
    -------
    float or ndarray
        Δp [Pa], odd in Q.

    Notes
    -----
    Valid for turbulent, non-cavitating, non-flashing liquid flow (IEC 60534-2-1). The
    quadratic law has zero slope at Q = 0: a Newton solver needs a parallel laminar term or a
    non-zero starting flow there.

    References
    ----------
    .. [1] IEC 60534-1:2005, Industrial-process control valves – Part 1: Control valve
       terminology and general considerations (definition of Kv).
    .. [2] VDI 2173:1962, Strömungstechnische Kenngrößen von Stellventilen und deren Bestimmung.
    """
    return _result(_kv_drop(volume_flow, kv, density)[0])


def dp_from_kv_derivative(
    volume_flow: np.ndarray | float, kv: np.ndarray | float, density: np.ndarray | float
) -> KvDrop:
    """:func:`dp_from_kv` and its derivatives by flow, Kv and density (see :class:`KvDrop`)."""
    return KvDrop(*(_result(x) for x in _kv_drop(volume_flow, kv, density)))


# --------------------------------------------------------------------------------------------
# K of fittings (scalar wrappers around fluids)
# --------------------------------------------------------------------------------------------
def _scalar(value, name, unit, **bounds) -> float:
    a = _checked(value, name, unit, **bounds)
    if a.ndim != 0:
        raise InputError(f"must be a single number [{unit}], got shape {a.shape}", key=name)
    return float(a)


def crane_ft(diameter: float) -> float:
    """Crane fully turbulent Darcy friction factor f_T of clean commercial steel pipe [-].

    ``fluids.ft_Crane``: Colebrook fitted to reproduce the rounded f_T table of Crane TP-410
    (2009) for each nominal size. Used by the Crane K formulas (K = const·f_T).

    Parameters
    ----------
    diameter : float
        Pipe inner diameter [m], > 0.
    """
    import fluids

    return float(fluids.ft_Crane(_scalar(diameter, "diameter", "m", low=0.0, low_open=True)))


def k_bend(
    diameter: float,
    angle_deg: float = 90.0,
    *,
    bend_radius: float | None = None,
    bend_diameters: float | None = None,
    reynolds: float | None = None,
    roughness: float = 0.0,
    friction: float | None = None,
    method: str = "Rennels",
) -> float:
    """K of a smooth (rounded) pipe bend, from ``fluids.bend_rounded``.

    Parameters
    ----------
    diameter : float
        Pipe inner diameter [m], > 0.
    angle_deg : float
        Bend angle [degrees], 0 < angle <= 180.
    bend_radius, bend_diameters : float, optional
        Radius of curvature of the bend centreline [m], or the same as a multiple of the
        diameter r/D [-]. Give one; default r/D = 5.
    reynolds : float, optional
        Reynolds number [-]; required by "Rennels" unless ``friction`` is given, and by
        "Miller" and "Ito".
    roughness : float
        Wall roughness [m] (used with ``reynolds``).
    friction : float, optional
        Darcy friction factor [-] for "Rennels".
    method : {"Rennels", "Crane", "Crane standard", "Miller", "Ito", "Swamee"}
        "Rennels": D. C. Rennels, H. M. Hudson, *Pipe Flow: A Practical and Comprehensive
        Guide*, Wiley 2012 (chapter on bends); "Crane": Crane TP-410 (2009), K = n(r/D)·f_T.

    Returns
    -------
    float
        K referred to the pipe velocity [-].
    """
    import fluids

    d = _scalar(diameter, "diameter", "m", low=0.0, low_open=True)
    angle = _scalar(angle_deg, "angle_deg", "degrees", low=0.0, low_open=True, high=180.0)
    rc = None if bend_radius is None else _scalar(bend_radius, "bend_radius", "m", low=0.0)
    bd = (
        None
        if bend_diameters is None
        else _scalar(bend_diameters, "bend_diameters", "-", low=0.0, low_open=True)
    )
    if rc is not None and bd is not None:
        raise InputError("give bend_radius or bend_diameters, not both", key="bend_radius")
    if method == "Rennels" and friction is None and reynolds is None:
        raise InputError(
            "the Rennels bend method needs reynolds (or friction)", key="reynolds", value=None
        )
    re = None if reynolds is None else _scalar(reynolds, "reynolds", "-", low=0.0, low_open=True)
    fd = None if friction is None else _scalar(friction, "friction", "-", low=0.0, low_open=True)
    eps = _scalar(roughness, "roughness", "m", low=0.0)
    try:
        return float(
            fluids.bend_rounded(
                Di=d,
                angle=angle,
                fd=fd,
                rc=rc,
                bend_diameters=bd,
                Re=re,
                roughness=eps,
                method=method,
            )
        )
    except ValueError as exc:
        raise InputError(f"bend loss coefficient: {exc}", key="method", value=method) from None


def k_miter_bend(
    diameter: float,
    angle_deg: float = 90.0,
    *,
    reynolds: float | None = None,
    roughness: float = 0.0,
    method: str = "Rennels",
) -> float:
    """K of a single mitre bend (sharp elbow), from ``fluids.bend_miter``.

    Parameters
    ----------
    diameter : float
        Pipe inner diameter [m], > 0.
    angle_deg : float
        Deflection angle [degrees], 0 < angle <= 150 for "Rennels".
    reynolds : float, optional
        Reynolds number [-] (required by "Miller"; "Rennels" does not use it).
    roughness : float
        Wall roughness [m].
    method : {"Rennels", "Miller", "Crane", "Blevins"}
        Rennels & Hudson, *Pipe Flow*, Wiley 2012, by default.
    """
    import fluids

    d = _scalar(diameter, "diameter", "m", low=0.0, low_open=True)
    angle = _scalar(angle_deg, "angle_deg", "degrees", low=0.0, low_open=True, high=180.0)
    re = None if reynolds is None else _scalar(reynolds, "reynolds", "-", low=0.0, low_open=True)
    eps = _scalar(roughness, "roughness", "m", low=0.0)
    try:
        return float(fluids.bend_miter(angle, Di=d, Re=re, roughness=eps, method=method))
    except ValueError as exc:
        raise InputError(
            f"mitre bend loss coefficient: {exc}", key="method", value=method
        ) from None


def k_entrance_sharp() -> float:
    """K = 0.57 of a sharp-edged, flush pipe entrance from a large vessel (Rennels & Hudson 2012,
    via ``fluids.entrance_sharp``), referred to the pipe velocity."""
    import fluids

    return float(fluids.entrance_sharp())


def k_entrance_rounded(diameter: float, radius: float) -> float:
    """K of a rounded pipe entrance (Rennels & Hudson 2012, via ``fluids.entrance_rounded``).

    Parameters
    ----------
    diameter : float
        Pipe inner diameter [m], > 0.
    radius : float
        Rounding radius of the inlet edge [m], >= 0.
    """
    import fluids

    d = _scalar(diameter, "diameter", "m", low=0.0, low_open=True)
    rc = _scalar(radius, "radius", "m", low=0.0)
    return float(fluids.entrance_rounded(Di=d, rc=rc))


def k_entrance_projecting(diameter: float, wall_thickness: float) -> float:
    """K of a pipe projecting into a vessel (Borda mouthpiece), Rennels & Hudson (2012), via
    ``fluids.entrance_distance``; 1.0 for thin walls, 0.57 for thick ones (t/D >= 0.05).

    Parameters
    ----------
    diameter : float
        Pipe inner diameter [m], > 0.
    wall_thickness : float
        Pipe wall thickness [m], >= 0.
    """
    import fluids

    d = _scalar(diameter, "diameter", "m", low=0.0, low_open=True)
    t = _scalar(wall_thickness, "wall_thickness", "m", low=0.0)
    return float(fluids.entrance_distance(Di=d, t=t))


def k_exit() -> float:
    """K = 1.0 of a pipe discharging into a large vessel (all kinetic energy lost; Crane TP-410,
    ``fluids.exit_normal``), referred to the pipe velocity."""
    return 1.0


TEE_KINDS = ("branch_diverging", "run_diverging", "branch_converging", "run_converging")
"""Flow paths through a tee accepted by :func:`k_tee`."""


def k_tee(
    kind: str,
    d_run: float,
    d_branch: float,
    q_run: float,
    q_branch: float,
    angle_deg: float = 90.0,
) -> float:
    """K of one flow path through a tee or wye, Crane TP-410 (2009) method (via ``fluids``).

    Parameters
    ----------
    kind : {"branch_diverging", "run_diverging", "branch_converging", "run_converging"}
        Diverging: flow enters the run and splits; converging: the two streams join in the run.
        "branch": the path through the branch; "run": the straight-through path.
    d_run, d_branch : float
        Inner diameters of the run (= combined leg) and of the branch [m], > 0.
    q_run, q_branch : float
        Volume flows in the straight-through leg and in the branch [m³/s], >= 0.
    angle_deg : float
        Angle between branch and run [degrees]; 90 for a tee, less for a wye.

    Returns
    -------
    float
        K referred to the velocity in the **combined-flow leg** [-].
    """
    import fluids

    if kind not in TEE_KINDS:
        raise InputError(
            f"kind must be one of {', '.join(TEE_KINDS)}, got {kind!r}", key="kind", value=kind
        )
    d_r = _scalar(d_run, "d_run", "m", low=0.0, low_open=True)
    d_b = _scalar(d_branch, "d_branch", "m", low=0.0, low_open=True)
    q_r = _scalar(q_run, "q_run", "m³/s", low=0.0)
    q_b = _scalar(q_branch, "q_branch", "m³/s", low=0.0)
    if q_r + q_b == 0.0:
        raise InputError("q_run + q_branch must be > 0", key="q_run", value=q_r)
    angle = _scalar(angle_deg, "angle_deg", "degrees", low=0.0, low_open=True, high=90.0)
    func = {
        "branch_diverging": fluids.K_branch_diverging_Crane,
        "run_diverging": fluids.K_run_diverging_Crane,
        "branch_converging": fluids.K_branch_converging_Crane,
        "run_converging": fluids.K_run_converging_Crane,
    }[kind]
    return float(func(D_run=d_r, D_branch=d_b, Q_run=q_r, Q_branch=q_b, angle=angle))


def _valve_diameters(d_seat, d_pipe):
    d1 = _scalar(d_seat, "d_seat", "m", low=0.0, low_open=True)
    d2 = d1 if d_pipe is None else _scalar(d_pipe, "d_pipe", "m", low=0.0, low_open=True)
    if d1 > d2:
        raise InputError(
            f"d_seat ({d1:g} m) must not exceed d_pipe ({d2:g} m)", key="d_seat", value=d1
        )
    return d1, d2


def k_ball_valve(d_seat: float, d_pipe: float | None = None, angle_deg: float = 0.0) -> float:
    """K of a fully open ball valve, Crane TP-410 (2009): 3 f_T at full bore (via ``fluids``).

    Parameters
    ----------
    d_seat : float
        Bore of the valve seat [m], > 0.
    d_pipe : float, optional
        Pipe inner diameter [m], >= d_seat (default: full bore, = d_seat).
    angle_deg : float
        Included angle of the reducer for a reduced-bore valve [degrees].

    Returns
    -------
    float
        K referred to the pipe velocity [-].
    """
    import fluids

    d1, d2 = _valve_diameters(d_seat, d_pipe)
    angle = _scalar(angle_deg, "angle_deg", "degrees", low=0.0, high=180.0)
    return float(fluids.K_ball_valve_Crane(D1=d1, D2=d2, angle=angle))


def k_gate_valve(d_seat: float, d_pipe: float | None = None, angle_deg: float = 0.0) -> float:
    """K of a fully open gate valve, Crane TP-410 (2009): 8 f_T at full bore (via ``fluids``).

    Same parameters as :func:`k_ball_valve`; K referred to the pipe velocity.
    """
    import fluids

    d1, d2 = _valve_diameters(d_seat, d_pipe)
    angle = _scalar(angle_deg, "angle_deg", "degrees", low=0.0, high=180.0)
    return float(fluids.K_gate_valve_Crane(D1=d1, D2=d2, angle=angle))


def k_globe_valve(d_seat: float, d_pipe: float | None = None) -> float:
    """K of a fully open globe valve, Crane TP-410 (2009): 340 f_T at full bore (via ``fluids``).

    Parameters as :func:`k_ball_valve` (no angle); K referred to the pipe velocity.
    """
    import fluids

    d1, d2 = _valve_diameters(d_seat, d_pipe)
    return float(fluids.K_globe_valve_Crane(D1=d1, D2=d2))


_BUTTERFLY_STYLES = {"centric": 0, "double_offset": 1, "triple_offset": 2}


def k_butterfly_valve(diameter: float, style: str = "centric") -> float:
    """K of a fully open butterfly valve, Crane TP-410 (2009), via ``fluids``.

    K = n·f_T with n = 45/35/25 (centric), 74/52/43 (double offset), 218/96/55 (triple offset)
    for 2–8", 10–14" and 16–24" valves.

    Parameters
    ----------
    diameter : float
        Line (pipe) inner diameter [m], > 0 (Crane data: 2" to 24").
    style : {"centric", "double_offset", "triple_offset"}
        Disc design.
    """
    import fluids

    d = _scalar(diameter, "diameter", "m", low=0.0, low_open=True)
    if style not in _BUTTERFLY_STYLES:
        raise InputError(
            f"style must be one of {', '.join(_BUTTERFLY_STYLES)}, got {style!r}",
            key="style",
            value=style,
        )
    return float(fluids.K_butterfly_valve_Crane(D=d, style=_BUTTERFLY_STYLES[style]))
