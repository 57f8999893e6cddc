"""Centrifugal pump: datasheet head and efficiency curves, affinity laws, motor and drive losses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    adiabatic_thermal,
    check_fraction,
    check_nonnegative,
    check_positive,
)
from thermo.components.pump_curves import PowerLawCurve, make_curve
from thermo.errors import InputError

G = 9.80665
"""Standard gravity [m/s²]."""
CURVE_REFERENCE_DENSITY = 998.2
"""Density used to turn a datasheet pressure curve into head [kg/m³]: water at 20 °C (IAPWS-95)."""
DEFAULT_PUMP_EFFICIENCY = 0.70
"""Hydraulic efficiency used when no curve is given [-]. An assumption: the best-efficiency point of
small end-suction and in-line circulators is typically 0.55–0.80 (Gülich, *Centrifugal Pumps*, 3rd
ed., 2014, Fig. 3.26); give datasheet points for real designs."""
DEFAULT_MOTOR_EFFICIENCY = 0.90
"""Motor efficiency [-]: IE3 class, 4-pole, 5.5–7.5 kW, 50 Hz (IEC 60034-30-1:2014, Table 3:
89.6–90.4 %)."""
DEFAULT_DRIVE_EFFICIENCY = 0.97
"""Variable-frequency drive efficiency at full load [-] (US DOE, *Adjustable Speed Drive Part-Load
Efficiency*, Motor Systems Tip Sheet #11, 2012: 97 % and above for drives over 5 hp at full load)."""

MIN_CURVE_SPEED = 0.05
"""Below this relative speed a polynomial, tabulated or power-law curve is not scaled by the
affinity laws (``V/n`` leaves any datasheet); the pump follows its quadratic fit instead, which
at zero speed is the resistance ``a2 V²`` of the stopped impeller (an assumption)."""
REVERSE_FLOW_TOLERANCE = 1e-8
"""Reverse flow [kg/s per kg/s of the largest pump flow, at least 1 kg/s] below which a pump is
not flagged: the leak of a shut check valve (:mod:`thermo.components.check_valve`)."""


NON_MONOTONIC_RISE = 1e-9
"""A fitted curve is flagged ``non_monotonic_curve`` when its head rises somewhere in the
datasheet range by more than this fraction of the shut-off head [-]: a least-squares fit of
points that fall everywhere leaves a linear term of round-off size (1e-13 m per m³/s), which is no
rise at all."""


def curve_rise(coef: np.ndarray, v_hi: float) -> float:
    """Largest rise of the quadratic ``a0 + a1 V + a2 V²`` over any sub-interval of ``[0, v_hi]``
    [m]: 0 for a curve that falls (or stays flat) everywhere there."""
    a1, a2 = float(coef[1]), float(coef[2])

    def h(v: float) -> float:
        return a1 * v + a2 * v * v

    if a2 < 0.0:  # concave: rises from 0 up to its peak (if the peak lies beyond 0)
        peak = min(max(-a1 / (2.0 * a2), 0.0), v_hi)
        return max(h(peak) - h(0.0), 0.0)
    if a2 > 0.0:  # convex: rises from its trough (if before v_hi) up to v_hi
        trough = min(max(-a1 / (2.0 * a2), 0.0), v_hi)
        return max(h(v_hi) - h(trough), 0.0)
    return max(a1 * v_hi, 0.0)


def _fit_quadratic(points: np.ndarray, what: str, owner: str) -> np.ndarray:
    V, y = points[:, 0], points[:, 1]
    if len(V) == 1:
        raise InputError(
            f"{what} needs at least 2 points (flow, value); got 1", key=f"{owner}.{what}"
        )
    if len(V) == 2:
        A = np.column_stack([np.ones(2), V**2])
        c0, c2 = np.linalg.solve(A, y)
        return np.array([c0, 0.0, c2])
    A = np.column_stack([np.ones_like(V), V, V**2])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return coef


def _points(value, what: str, owner: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{what} must be a list of (flow [m3/s], value) pairs, got {value!r}",
            key=f"{owner}.{what}",
        ) from None
    if arr.ndim != 2 or arr.shape[1] != 2 or not np.all(np.isfinite(arr)):
        raise InputError(
            f"{what} must be a list of (flow [m3/s], value) pairs, got {value!r}",
            key=f"{owner}.{what}",
        )
    if np.any(arr[:, 0] < 0) or len(np.unique(arr[:, 0])) != len(arr):
        raise InputError(
            f"{what}: flows must be non-negative and distinct, got {arr[:, 0].tolist()}",
            key=f"{owner}.{what}",
        )
    return arr[np.argsort(arr[:, 0])]


class Pump(Branch):
    """A centrifugal pump (or ``count`` identical pumps in parallel), or an ideal pressure source.

    Hydraulics, per pump at relative speed ``n`` with volume flow per pump ``V_p = V / count``
    (affinity laws, e.g. Gülich, *Centrifugal Pumps*, 3rd ed., 2014, §3.4)::

        H(V_p, n) = a0 n² + a1 n V_p + a2 V_p²          p_out - p_in = rho g H

    where ``a0 + a1 V + a2 V²`` is the least-squares quadratic through the datasheet points at
    nominal speed (exact through 3 points; with 2 points ``a1 = 0``). Head is taken as independent
    of the fluid (valid for low-viscosity liquids such as water and PG25; viscous corrections of
    ANSI/HI 9.6.7 are not applied). Give ``head_curve`` [(m³/s, m)], ``pressure_curve``
    [(m³/s, Pa)] (converted to head with water at 20 °C), or ``pressure_rise`` [Pa] for an ideal
    pressure source that lifts a fixed pressure whatever the flow (scaled by ``n²``).

    Efficiency at the equivalent nominal-speed flow ``V_p / n``: quadratic through
    ``efficiency_curve`` points [(m³/s, -)], or a constant ``efficiency``. Powers (reported):
    hydraulic ``V Δp``, shaft ``P_hyd / η``, electrical ``P_shaft / (η_motor η_drive)``.

    ``curve`` chooses how the datasheet points become a head curve
    (:mod:`thermo.components.pump_curves`): ``"quadratic"`` (above, default), ``"polynomial"``
    (least squares of ``degree``, default through every point), ``"tabulated"`` (monotone cubic
    through the points, PCHIP) or ``"power_law"`` (EPANET's ``H = A - B V^C`` through the shutoff
    point and two more, or one design point). Those curves follow the affinity laws as
    ``H(V_p, n) = n² f(V_p / n)`` down to :data:`MIN_CURVE_SPEED`; below it, and for a stopped pump
    (``speed = 0``), the quadratic fit applies.

    ``count`` identical pumps run in parallel and share the flow equally; results report each
    unit's flow (``V_dot_unit_L_min``) and ``units_running``.

    Flags in results: flow beyond the last datasheet point (extrapolated curve), a curve that
    rises with flow somewhere in its range (non-monotonic: unstable operation possible), head
    below zero, reversed flow. ``speed`` is controllable.
    """

    controllable = ("speed",)
    drives_flow = True

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        head_curve: Sequence[tuple[float, float]] | None = None,
        pressure_curve: Sequence[tuple[float, float]] | None = None,
        pressure_rise: float | None = None,
        efficiency_curve: Sequence[tuple[float, float]] | None = None,
        efficiency: float = DEFAULT_PUMP_EFFICIENCY,
        motor_efficiency: float = DEFAULT_MOTOR_EFFICIENCY,
        drive_efficiency: float = DEFAULT_DRIVE_EFFICIENCY,
        count: int = 1,
        speed: float = 1.0,
        curve: str = "quadratic",
        degree: int | None = None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        given = [x is not None for x in (head_curve, pressure_curve, pressure_rise)]
        if sum(given) != 1:
            raise InputError(
                "give exactly one of head_curve [(m3/s, m)], pressure_curve [(m3/s, Pa)] or "
                "pressure_rise [Pa]",
                key=name,
            )
        self.fixed_rise = None
        self.curve_points = None
        self.curve = None
        """Head curve object (polynomial, tabulated, power law) or None for the quadratic fit."""
        if (curve != "quadratic" or degree is not None) and pressure_rise is not None:
            raise InputError(
                "curve and degree apply to head_curve or pressure_curve pumps", key=f"{name}.curve"
            )
        if pressure_rise is not None:
            self.fixed_rise = check_positive(pressure_rise, "pressure_rise", name)
            self.coef = np.zeros(3)
            self.v_max = np.inf
        else:
            if head_curve is not None:
                pts = _points(head_curve, "head_curve", name)
            else:
                pts = _points(pressure_curve, "pressure_curve", name)
                pts[:, 1] = pts[:, 1] / (CURVE_REFERENCE_DENSITY * G)
            self.curve_points = pts
            self.curve = make_curve(curve, pts, degree, name)
            if isinstance(self.curve, PowerLawCurve) and len(pts) == 1:
                pts = np.array([[0.0, self.curve.A], pts[0], [2.0 * pts[0, 0], 0.0]])
            self.coef = _fit_quadratic(pts, "head_curve", name)
            self.v_max = float(pts[-1, 0])
        v_hi = self.v_max if np.isfinite(self.v_max) else 0.0
        shutoff = max(abs(float(self.coef[0])), 1e-300)
        self.non_monotonic = curve_rise(self.coef, v_hi) > NON_MONOTONIC_RISE * shutoff and (
            self.fixed_rise is None
        )
        if self.curve is not None:
            # the curve as given (polynomial, tabulated, power law): any rise beyond round-off
            grid = np.linspace(0.0, v_hi, 201)[1:]
            head, slope = self.curve(grid)[:2]
            rise = (
                float(np.max(np.maximum.accumulate(head[::-1])[::-1] - head)) if len(grid) else 0.0
            )
            self.non_monotonic = bool(
                np.any(slope > 0) and rise > NON_MONOTONIC_RISE * max(abs(float(head[0])), 1e-300)
            )
        if efficiency_curve is not None:
            pts = _points(efficiency_curve, "efficiency_curve", name)
            if np.any((pts[:, 1] <= 0) | (pts[:, 1] > 1)):
                raise InputError(
                    "efficiency_curve values must lie in (0, 1]", key=f"{name}.efficiency_curve"
                )
            self.eff_coef = _fit_quadratic(pts, "efficiency_curve", name)
        else:
            self.eff_coef = np.array([check_fraction(efficiency, "efficiency", name), 0.0, 0.0])
            if self.eff_coef[0] == 0:
                raise InputError("efficiency must be > 0", key=f"{name}.efficiency")
        self.motor_efficiency = check_fraction(motor_efficiency, "motor_efficiency", name)
        self.drive_efficiency = check_fraction(drive_efficiency, "drive_efficiency", name)
        if self.motor_efficiency == 0 or self.drive_efficiency == 0:
            raise InputError("motor and drive efficiencies must be > 0", key=name)
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise InputError(
                f"count must be a whole number >= 1, got {count!r}", key=f"{name}.count"
            )
        self.count = int(count)
        self.speed = check_nonnegative(speed, "speed", name)  # 0: stopped (tripped) pump

    @property
    def pressure_rise(self) -> float | None:
        """Fixed pressure rise of an ideal pressure source [Pa] (None for curve pumps)."""
        return self.fixed_rise

    @pressure_rise.setter
    def pressure_rise(self, value: float) -> None:
        if self.fixed_rise is None:
            raise InputError(
                "pressure_rise applies to pressure-source pumps only",
                key=f"{self.name}.pressure_rise",
            )
        self.fixed_rise = check_positive(value, "pressure_rise", self.name)

    def head(self, volume_flow: float, speed: float = 1.0) -> float:
        """Head [m] of one pump at ``volume_flow`` [m³/s] and relative ``speed`` (curve pumps)."""
        if self.curve is not None and speed >= MIN_CURVE_SPEED:
            return float(speed**2 * self.curve(np.array([volume_flow / speed]))[0][0])
        a0, a1, a2 = self.coef
        return a0 * speed**2 + a1 * speed * volume_flow + a2 * volume_flow**2


class PumpGroup(BranchGroup):
    parameter_arrays = {"speed": "speed", "pressure_rise": "rise"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.coef = np.array([p.coef for p in c])
        self.fixed = np.array([p.fixed_rise is not None for p in c])
        self.rise = np.array([p.fixed_rise or 0.0 for p in c])
        self.count = np.array([p.count for p in c], dtype=float)
        self.speed = np.array([p.speed for p in c])
        self.v_max = np.array([p.v_max for p in c])
        self.eff = np.array([p.eff_coef for p in c])
        self.eta_md = np.array([p.motor_efficiency * p.drive_efficiency for p in c])
        self.non_monotonic = np.array([p.non_monotonic for p in c])
        self.curves = [p.curve for p in c]
        self.general = [i for i, p in enumerate(c) if p.curve is not None]

    def _speed(self, ctx):
        return ctx.control(self.control_index, self.speed)

    def _head(self, n: np.ndarray, Vp: np.ndarray):
        """Head of one pump, dH/dVp and dH/dn (quadratic fit; other curves by affinity)."""
        a0, a1, a2 = self.coef[:, 0], self.coef[:, 1], self.coef[:, 2]
        H = a0 * n**2 + a1 * n * Vp + a2 * Vp**2
        dH_dV = a1 * n + 2.0 * a2 * Vp
        dH_dn = 2.0 * a0 * n + a1 * Vp
        for i in self.general:
            if n[i] < MIN_CURVE_SPEED:
                continue
            f, df = self.curves[i](np.array([Vp[i] / n[i]]))
            H[i] = n[i] ** 2 * f[0]
            dH_dV[i] = n[i] * df[0]
            dH_dn[i] = 2.0 * n[i] * f[0] - Vp[i] * df[0]
        return H, dH_dV, dH_dn

    def hydraulics(self, ctx) -> Hydraulics:
        n = self._speed(ctx)
        rho = ctx.rho
        Vp = ctx.m / rho / self.count
        H, dH_dV, dH_dn = self._head(n, Vp)
        rise_curve = rho * G * H
        rise = np.where(self.fixed, self.rise * n**2, rise_curve)
        # d(rise)/dm = rho g dH/dVp * dVp/dm = g dH/dVp / count
        d_dm = np.where(self.fixed, 0.0, -G * dH_dV / self.count)
        # d(rise)/dT through rho: g H drho + rho g dH/dVp dVp/drho, dVp/drho = -Vp/rho
        d_dT = np.where(self.fixed, 0.0, -(G * H - G * dH_dV * Vp) * ctx.drho_dT)
        d_du = np.where(self.fixed, -2.0 * self.rise * n, -rho * G * dH_dn)
        derivs = [d_dm, d_dT]
        if len(self.hydraulic_dependencies) > 2:
            derivs.append(d_du)
        return Hydraulics(-rise, derivs)

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))

    def report(self, ctx) -> dict[str, np.ndarray]:
        n = self._speed(ctx)
        hyd = self.hydraulics(ctx)
        rise = -hyd.dp
        V = ctx.m / ctx.rho
        Vp_nominal = V / self.count / np.maximum(n, 1e-12)
        e = self.eff
        eta = np.clip(e[:, 0] + e[:, 1] * Vp_nominal + e[:, 2] * Vp_nominal**2, 0.05, 1.0)
        p_hyd = V * rise
        p_shaft = np.where(p_hyd > 0, p_hyd / eta, 0.0)
        return {
            "speed": n,
            "head_m": rise / (ctx.rho * G),
            "efficiency": eta,
            "P_hydraulic_W": p_hyd,
            "P_shaft_W": p_shaft,
            "P_el_W": p_shaft / self.eta_md,
            "units_running": self.count.copy(),
            "V_dot_unit_L_min": V / self.count * 6e4,
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        n = self._speed(ctx)
        Vp_nominal = ctx.m / ctx.rho / self.count / np.maximum(n, 1e-12)
        rise = -self.hydraulics(ctx).dp
        for i in range(len(self.components)):
            if not self.fixed[i] and Vp_nominal[i] > self.v_max[i] * (1 + 1e-9):
                out.append(
                    (
                        i,
                        "beyond_curve",
                        f"flow per pump {Vp_nominal[i] * n[i] * 6e4:.4g} L/min at speed {n[i]:.3g} "
                        f"is beyond the last datasheet point ({self.v_max[i] * n[i] * 6e4:.4g} "
                        "L/min at this speed): the curve is extrapolated",
                    )
                )
            if self.non_monotonic[i]:
                out.append((i, "non_monotonic_curve", "head rises with flow in part of the curve"))
            if ctx.m[i] < -REVERSE_FLOW_TOLERANCE * max(1.0, float(np.abs(ctx.m).max())):
                out.append((i, "reverse_flow", "flow runs backwards through the pump"))
            if not self.fixed[i] and rise[i] < 0 and ctx.m[i] > 0:
                out.append((i, "negative_head", "operating point beyond zero head"))
        return out


Pump.group = PumpGroup
