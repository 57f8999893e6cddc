"""Cold plates in a network: datasheet laws (:class:`ColdPlate`) or microchannel geometry
(:class:`MicrochannelColdPlate`).

A cold plate is a branch that adds the chip heat ``Q`` [W] to the coolant and loses pressure.

Thermal law (as :class:`~thermo.components.heat.HeatLoad`): the exit enthalpy is
``h_exit = h_up + Q/|m|`` exactly, so energy closes to the precision of the enthalpy inversion.

Case temperature (reported, not part of the equations)::

    T_case = T_in + R(V) Q            margin = T_limit - T_case

with ``R`` the **case-to-inlet-coolant** thermal resistance and ``T_in`` the coolant temperature at
the plate inlet (the upstream node). This is the datasheet definition used by the OCP OAI
liquid-cooling guidelines (Chen et al. 2023) and the Modelica Buildings cold-plate records; it
already contains the coolant's own temperature rise inside the plate (see
:mod:`thermo.correlations.cold_plate`), so no ``Q/(2 m cp)`` term is added.

Results columns: ``T_case_C``, ``R_K_W``, ``case_margin_K``, ``case_limit_C``; flags
``case_temperature_limit`` (``T_case > T_limit``) and ``outside_datasheet_range`` (the flow lies
outside the flows the datasheet laws were fitted to: the laws are then extrapolated).

Sign convention: ``m > 0`` from ``inlet`` to ``outlet``; ``dp = p_in - p_out`` (odd in ``m``);
``Q > 0`` is heat into the coolant.

Defaults (used when no datasheet law is given; indicative, see docs/components.md):

- :data:`DEFAULT_RESISTANCE` 0.03 K/W at :data:`DEFAULT_REFERENCE_FLOW` 1.8 L/min with flow
  exponent :data:`DEFAULT_RESISTANCE_EXPONENT` 0.35: the GB200-class target "R_th < 0.03 K/W"
  (docs/references.md §3, tag [S]) taken at its bound, at the flow 1.5 L/min per kW (OCP OAI guideline,
  docs/references.md §2) gives a 1.2 kW GPU; the exponent is the fit to the OCP OAI 1 kW cold-plate curve.
- :data:`DEFAULT_PRESSURE_DROP` 20 kPa at the same flow ("flow resistance <= 20 kPa",
  docs/references.md §3 [S]) with exponent 1.85 (Modelica Buildings ``ColdPlateR_P`` fit to the OCP
  data, :data:`thermo.correlations.cold_plate.OCP_DP_EXPONENT`).
- :data:`DEFAULT_CASE_LIMIT` 85 °C (docs/references.md §3: "suggested default T_limit = 85 °C",
  tag [?]: NVIDIA Tcase specifications were not retrieved; give the device's own limit).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from thermo.components.base import Branch, Hydraulics, check_nonnegative, check_positive
from thermo.components.heat import HeatLoadGroup
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError

__all__ = [
    "DEFAULT_CASE_LIMIT",
    "DEFAULT_PRESSURE_DROP",
    "DEFAULT_REFERENCE_FLOW",
    "DEFAULT_RESISTANCE",
    "DEFAULT_RESISTANCE_EXPONENT",
    "ColdPlate",
    "MicrochannelColdPlate",
    "pressure_law",
    "resistance_law",
]

LPM = 1e-3 / 60.0
"""One litre per minute [m³/s]."""

DEFAULT_REFERENCE_FLOW = 1.8 * LPM
"""Reference flow of the default laws [m³/s]: 1.5 L/min per kW (OCP OAI guideline, docs/references.md
§0/§2, [S]) times a 1.2 kW B200-class GPU (docs/references.md §0, [S]) = 1.8 L/min [D]."""

DEFAULT_RESISTANCE = 0.03
"""Default case-to-inlet resistance at :data:`DEFAULT_REFERENCE_FLOW` [K/W]: the GB200-class
target "R_th < 0.03 K/W" at its bound (docs/references.md §3, [S]; conservative)."""

DEFAULT_RESISTANCE_EXPONENT = 0.35
"""Default flow exponent m of ``R ∝ V^-m`` [-]: least-squares fit to the OCP OAI 1 kW OAM cold-plate
curve (Chen et al. 2023, Fig. 7; :data:`~thermo.correlations.cold_plate.OCP_OAI_1KW_PG25_R_CURVE`)
gives 0.349 over 0.4–2.4 L/min (a test checks this)."""

DEFAULT_PRESSURE_DROP = 20e3
"""Default pressure drop at :data:`DEFAULT_REFERENCE_FLOW` [Pa]: GB200-class "flow resistance
<= 20 kPa" (docs/references.md §3, [S]) at its bound."""

DEFAULT_CASE_LIMIT = 273.15 + 85.0
"""Default case-temperature limit [K]: 85 °C, docs/references.md §3 suggested default (tag [?])."""

_M_LIN_FLOOR = 1e-9
"""Smallest half-width of the near-zero laminar blend of the pressure law [m³/s]."""


def pressure_law(value: Any = None, exponent: float | None = None, *, owner: str = "cold plate"):
    """A :class:`~thermo.correlations.cold_plate.PowerLaw` from what a user gives.

    ``None`` gives the default (:data:`DEFAULT_PRESSURE_DROP` at :data:`DEFAULT_REFERENCE_FLOW`,
    n = 1.85); a ``PowerLaw`` is used as is; a sequence of ``(V [m³/s], dp [Pa])`` points is fitted
    with :func:`~thermo.correlations.cold_plate.fit_pressure_drop` (one point: exponent 1.85 unless
    ``exponent`` is given).
    """
    from thermo.correlations import cold_plate as cpl

    if value is None:
        value = [(DEFAULT_REFERENCE_FLOW, DEFAULT_PRESSURE_DROP)]
    if isinstance(value, cpl.PowerLaw):
        law = value
    else:
        try:
            law = cpl.fit_pressure_drop(value, exponent)
        except InputError as exc:
            raise InputError(exc.reason, key=f"{owner}.pressure_drop", value=exc.value) from None
    if law.V_lam <= 0.0:
        # the network needs the C¹ laminar blend near zero flow (finite, positive slope)
        hi = law.V_range[1] if np.isfinite(law.V_range[1]) else DEFAULT_REFERENCE_FLOW
        law = cpl.PowerLaw(law.a, law.n, cpl.LAMINAR_FRACTION * hi, law.V_range)
    return law


def resistance_law(value: Any = None, *, owner: str = "cold plate"):
    """A :class:`~thermo.correlations.cold_plate.ResistanceLaw` from what a user gives.

    ``None`` gives the default (:data:`DEFAULT_RESISTANCE` at :data:`DEFAULT_REFERENCE_FLOW`,
    m = 0.35); a number is a flow-independent resistance [K/W]; a ``ResistanceLaw`` is used as is;
    a sequence of ``(V [m³/s], R [K/W])`` points (two or more) is fitted with
    :func:`~thermo.correlations.cold_plate.fit_thermal_resistance`.
    """
    from thermo.correlations import cold_plate as cpl

    if value is None:
        return cpl.ResistanceLaw(
            DEFAULT_RESISTANCE, DEFAULT_REFERENCE_FLOW, DEFAULT_RESISTANCE_EXPONENT
        )
    if isinstance(value, cpl.ResistanceLaw):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        r = check_positive(value, "resistance", owner)
        return cpl.ResistanceLaw(r, DEFAULT_REFERENCE_FLOW, 0.0)
    try:
        return cpl.fit_thermal_resistance(value)
    except InputError as exc:
        raise InputError(exc.reason, key=f"{owner}.resistance", value=exc.value) from None


def _check_heat(heat: Any, name: str) -> float:
    if isinstance(heat, bool) or not isinstance(heat, (int, float)) or not np.isfinite(heat):
        raise InputError(f"heat must be a finite number [W], got {heat!r}", key=f"{name}.heat")
    return float(heat)


class ColdPlate(Branch):
    """A cold plate described by its datasheet: pressure-drop and resistance laws.

    Hydraulics, with volume flow ``V = m/ρ(T_up)``::

        dp = a sign(V) |V|^n        (C¹ linear-plus-cubic blend for |V| < V_lam)

    Resistance ``R(V) = R_ref (|V|/V_ref)^(-m)`` (case to inlet coolant). See the module docstring
    for the thermal law, the case temperature, the results columns and the defaults.

    Parameters
    ----------
    name, inlet, outlet
        Component and node names.
    heat
        Heat the device dissipates into the coolant [W] (controllable).
    pressure_drop
        ``PowerLaw``, datasheet points ``[(V [m³/s], dp [Pa]), ...]`` or None (default law).
    pressure_drop_exponent
        Exponent n for a single datasheet point [-] (default 1.85).
    resistance
        ``ResistanceLaw``, points ``[(V [m³/s], R [K/W]), ...]``, a constant [K/W] or None (default).
    case_limit
        Case-temperature limit [K] (default 85 °C).
    """

    controllable = ("heat",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        heat: float,
        pressure_drop: Any = None,
        pressure_drop_exponent: float | None = None,
        resistance: Any = None,
        case_limit: float = DEFAULT_CASE_LIMIT,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.heat = _check_heat(heat, name)
        self.pressure_law = pressure_law(pressure_drop, pressure_drop_exponent, owner=name)
        self.resistance_law = resistance_law(resistance, owner=name)
        self.case_limit = check_positive(case_limit, "case_limit", name)


class _PlateGroup(HeatLoadGroup):
    """Shared thermal law (from HeatLoad), case-temperature report and flags."""

    parameter_arrays = {"heat": "q", "case_limit": "T_limit"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        self.T_limit = np.array([c.case_limit for c in self.components])

    def resistance(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """Case-to-inlet resistance [K/W] and a mask of flows outside the datasheet range."""
        raise NotImplementedError

    def report(self, ctx) -> dict[str, np.ndarray]:
        q = ctx.control(self.control_index, self.q)
        R, _ = self.resistance(ctx)
        T_case = ctx.T_up + R * q
        return {
            "T_case_C": T_case - 273.15,
            "R_K_W": R,
            "case_margin_K": self.T_limit - T_case,
            "case_limit_C": self.T_limit - 273.15,
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = super().flags(ctx)  # heat_not_delivered (an exit clipped at the coolant's range)
        q = ctx.control(self.control_index, self.q)
        R, outside = self.resistance(ctx)
        T_case = ctx.T_up + R * q
        for i in range(len(self.components)):
            if T_case[i] > self.T_limit[i]:
                out.append(
                    (
                        i,
                        "case_temperature_limit",
                        f"case temperature {T_case[i] - 273.15:.2f} °C above its limit "
                        f"{self.T_limit[i] - 273.15:.2f} °C (inlet coolant "
                        f"{ctx.T_up[i] - 273.15:.2f} °C, R = {R[i]:.4g} K/W, Q = {q[i]:.5g} W)",
                    )
                )
            if outside[i]:
                out.append(
                    (
                        i,
                        "outside_datasheet_range",
                        f"flow {abs(ctx.m[i]) / ctx.rho[i] / LPM:.4g} L/min is outside the range "
                        "the cold-plate laws were fitted to: extrapolated",
                    )
                )
            if ctx.m[i] < 0:
                out.append((i, "reverse_flow", "flow runs backwards through the cold plate"))
        return out


class ColdPlateGroup(_PlateGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.a = np.array([p.pressure_law.a for p in c])
        self.n = np.array([p.pressure_law.n for p in c])
        self.v_lam = np.maximum(np.array([p.pressure_law.V_lam for p in c]), _M_LIN_FLOOR)
        self.R_ref = np.array([p.resistance_law.R_ref for p in c])
        self.V_ref = np.array([p.resistance_law.V_ref for p in c])
        self.m_exp = np.array([p.resistance_law.m for p in c])
        lo = [max(p.pressure_law.V_range[0], p.resistance_law.V_range[0]) for p in c]
        hi = [min(p.pressure_law.V_range[1], p.resistance_law.V_range[1]) for p in c]
        # a single datasheet point spans no range: only the resistance range then counts
        for i, p in enumerate(c):
            if p.pressure_law.V_range[0] == p.pressure_law.V_range[1]:
                lo[i], hi[i] = p.resistance_law.V_range
        self.V_lo = np.array(lo)
        self.V_hi = np.array(hi)

    def hydraulics(self, ctx) -> Hydraulics:
        V = ctx.m / ctx.rho
        dp, ddp_dV = regularised_power_law(V, self.a, self.n, self.v_lam)
        d_dm = ddp_dV / ctx.rho
        d_dT = -ddp_dV * V / ctx.rho * ctx.drho_dT
        derivs = [d_dm, d_dT] + [np.zeros_like(dp)] * (len(self.hydraulic_dependencies) - 2)
        return Hydraulics(dp, derivs)

    def resistance(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        V = np.abs(ctx.m) / ctx.rho
        with np.errstate(divide="ignore"):
            R = self.R_ref * (V / self.V_ref) ** (-self.m_exp)
        outside = (V < self.V_lo * (1 - 1e-9)) | (V > self.V_hi * (1 + 1e-9))
        return R, outside


ColdPlate.group = ColdPlateGroup


class MicrochannelColdPlate(Branch):
    """A cold plate computed from its straight-channel geometry.

    Pressure drop and case-to-inlet resistance from
    :func:`thermo.correlations.microchannel.microchannel_cold_plate` (laminar developing flow,
    Shah & London 1978, Muzychka & Yovanovich 2009, fin efficiency; caloric term referred to the
    inlet, ``caloric="mean"``), with the coolant properties of the upstream node (the correlation
    asks for the mean bulk temperature; for a plate heated by a few kelvin the difference is
    within the correlation's ±10 %). Validity: laminar flow, ``Re < 2300``; above it the result is
    flagged ``laminar_range_exceeded`` (the correlations under-predict h and dp).

    Hydraulic derivatives: ``∂dp/∂m`` analytic (``ddp_dV/ρ``) and ``∂dp/∂T_up`` through ρ and μ
    (analytic partial derivatives of the friction and minor-loss terms).

    Parameters
    ----------
    name, inlet, outlet
        Component and node names.
    heat
        Heat into the coolant [W] (controllable).
    geometry
        :class:`~thermo.correlations.microchannel.MicrochannelGeometry`.
    case_limit
        Case-temperature limit [K] (default 85 °C).
    extra_resistance
        Series resistance not in the geometry model (TIM, spreading) [K/W].
    k_inlet, k_outlet
        Entrance and exit loss coefficients on the channel velocity head [-] (defaults 0.57 and 1.0).
    """

    controllable = ("heat",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        heat: float,
        geometry: Any,
        case_limit: float = DEFAULT_CASE_LIMIT,
        extra_resistance: float = 0.0,
        k_inlet: float | None = None,
        k_outlet: float | None = None,
    ) -> None:
        from thermo.correlations import microchannel as mc

        super().__init__(name, inlet, outlet)
        if not isinstance(geometry, mc.MicrochannelGeometry):
            raise InputError(
                f"geometry must be a MicrochannelGeometry, got {type(geometry).__name__}",
                key=f"{name}.geometry",
            )
        self.heat = _check_heat(heat, name)
        self.geometry = geometry
        self.case_limit = check_positive(case_limit, "case_limit", name)
        self.extra_resistance = check_nonnegative(extra_resistance, "extra_resistance", name)
        self.k_inlet = (
            mc.K_ENTRANCE_SHARP if k_inlet is None else check_nonnegative(k_inlet, "k_inlet", name)
        )
        self.k_outlet = (
            mc.K_EXIT if k_outlet is None else check_nonnegative(k_outlet, "k_outlet", name)
        )


class MicrochannelColdPlateGroup(_PlateGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        # plates sharing one geometry and loss coefficients are evaluated in one call
        keys: dict[tuple, list[int]] = {}
        for i, p in enumerate(self.components):
            key = (id(p.geometry), p.k_inlet, p.k_outlet, p.extra_resistance)
            keys.setdefault(key, []).append(i)
        self.batches = [
            (self.components[idx[0]], np.array(idx, dtype=np.int64)) for idx in keys.values()
        ]

    def _evaluate(self, ctx):
        from thermo.correlations import microchannel as mc

        n = len(self.components)
        out = {k: np.empty(n) for k in ("R", "dp", "ddp_dV", "dp_f", "dp_m", "fre", "Re")}
        V = ctx.m / ctx.rho
        for plate, idx in self.batches:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # flagged in results instead
                R, dp, det = mc.microchannel_cold_plate(
                    plate.geometry,
                    V[idx],
                    ctx.rho[idx],
                    ctx.cp[idx],
                    ctx.mu[idx],
                    ctx.k[idx],
                    caloric="mean",
                    K_in=plate.k_inlet,
                    K_out=plate.k_outlet,
                    R_extra=plate.extra_resistance,
                )
            out["R"][idx] = R
            out["dp"][idx] = dp
            out["ddp_dV"][idx] = det["ddp_dV"]
            out["dp_f"][idx] = det["dp_friction"]
            out["dp_m"][idx] = det["dp_minor"]
            out["fre"][idx] = det["fRe_app"]
            out["Re"][idx] = det["Re"]
        return V, out

    def hydraulics(self, ctx) -> Hydraulics:
        from thermo.correlations.microchannel import SHORT_DUCT_FRE

        V, e = self._evaluate(ctx)
        rho, mu = ctx.rho, ctx.mu
        # partial derivatives at fixed V: dp_f = Kf s fRe_app(s), Kf ∝ mu,
        # fRe_app = sqrt(c_f s + fRe_fd²) with c_f ∝ rho/mu; dp_m ∝ rho
        c_f = np.empty_like(V)
        for plate, idx in self.batches:
            g = plate.geometry
            beta = rho[idx] * g.hydraulic_diameter / (g.flow_area * mu[idx])
            c_f[idx] = SHORT_DUCT_FRE**2 * g.hydraulic_diameter * beta / g.length
        s = np.abs(V)
        half = e["dp_f"] * s * c_f / (2.0 * e["fre"] ** 2)  # dp_f · (∂fRe/∂c_f)·c_f / fRe
        ddp_drho = half / rho + e["dp_m"] / rho
        ddp_dmu = e["dp_f"] / mu - half / mu
        d_dm = e["ddp_dV"] / rho
        d_dT = (-e["ddp_dV"] * V / rho + ddp_drho) * ctx.drho_dT + ddp_dmu * ctx.dmu_dT
        derivs = [d_dm, d_dT] + [np.zeros_like(V)] * (len(self.hydraulic_dependencies) - 2)
        return Hydraulics(e["dp"], derivs)

    def resistance(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        from thermo.correlations.microchannel import RE_LAMINAR_MAX

        _, e = self._evaluate(ctx)
        return e["R"], e["Re"] > RE_LAMINAR_MAX

    def report(self, ctx) -> dict[str, np.ndarray]:
        rep = super().report(ctx)
        rep["Re"] = self._evaluate(ctx)[1]["Re"]
        return rep

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        for i, code, msg in super().flags(ctx):
            if code == "outside_datasheet_range":
                code = "laminar_range_exceeded"
                msg = "channel Reynolds number above 2300: the laminar correlations under-predict h and dp"
            out.append((i, code, msg))
        return out


MicrochannelColdPlate.group = MicrochannelColdPlateGroup
