"""Plate heat exchanger in a network: counterflow ε-NTU with a UA that follows both flows.

:class:`PlateHeatExchanger` is a :class:`~thermo.components.heat_exchanger.HeatExchanger` (two
branches ``<name>.hot`` and ``<name>.cold``, exact enthalpy balance, ``temperature_cross`` flag)
whose conductance is not fixed but scales with the two mass flows, the series film law of
:func:`thermo.correlations.plate_heat_exchanger.ua_off_design`::

    1/UA = 1/hA_hot + 1/hA_cold,   hA_x = hA_x,design (|m_x|/m_x,design)^n_x

(Modelica Buildings Library CDU model, default n = 0.8; chevron plates n ≈ 0.6–0.7 after Kumar
1984 and Martin 1996, default :data:`~thermo.correlations.plate_heat_exchanger.PHE_FILM_EXPONENT`
0.7). Below 5 % of a design flow the power is replaced by a C¹ linear-plus-cubic blend (finite
slope at zero flow).

Its derivatives enter the Newton Jacobian: with ``Q = ε(NTU, Cr) C_min ΔT`` and
``NTU = UA/C_min``, ``∂Q/∂m`` gains ``ΔT ∂ε/∂NTU · ∂UA/∂m`` on both sides.

Three ways to build one: the design UA (``ua=``, with the design flows), a CDU-style datasheet
point (:meth:`PlateHeatExchanger.from_design`: duty and approach at design flows), or chevron-plate
geometry with the ``ht``/``fluids`` plate correlations (:meth:`PlateHeatExchanger.from_chevron`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from thermo.components.base import check_positive
from thermo.components.heat_exchanger import (
    HeatExchanger,
    HeatExchangerSide,
    HeatExchangerSideGroup,
)
from thermo.errors import InputError

__all__ = ["PlateHeatExchanger"]

_CHEVRON_PROBE = 0.8
"""Second flow, as a fraction of the design flow, at which the chevron correlations are evaluated
to fit the off-design film and pressure-drop exponents by a log-log secant [-]."""


class PlateHeatExchanger(HeatExchanger):
    """Counterflow plate heat exchanger with flow-dependent UA (see module docstring).

    Ports and the optional side pressure drops are those of
    :class:`~thermo.components.heat_exchanger.HeatExchanger`; the arrangement is counterflow.

    Parameters
    ----------
    ua
        Conductance at the design flows [W/K].
    hot_design_flow, cold_design_flow
        Design mass flows [kg/s].
    film_exponent
        Exponent n of ``hA ∝ mⁿ`` on the hot side (and the cold side unless ``cold_film_exponent``)
        [-], in (0, 1].
    cold_film_exponent
        Exponent of the cold side [-].
    film_ratio
        ``hA_hot/hA_cold`` at design [-] (1: equal films).
    interlock
        Shut the exchanger (full bypass) whenever the hot side's inlet is not the warmer (see
        :class:`~thermo.components.heat_exchanger.HeatExchanger`; also the ``through`` bypass
        share of each side).
    """

    def __init__(
        self,
        name: str,
        *,
        hot_inlet: str,
        hot_outlet: str,
        cold_inlet: str,
        cold_outlet: str,
        ua: float,
        hot_design_flow: float,
        cold_design_flow: float,
        film_exponent: float | None = None,
        cold_film_exponent: float | None = None,
        film_ratio: float = 1.0,
        hot_pressure_drop: tuple[float, float] | None = None,
        cold_pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
        interlock: bool = False,
    ) -> None:
        from thermo.correlations.plate_heat_exchanger import PHE_FILM_EXPONENT

        super().__init__(
            name,
            hot_inlet=hot_inlet,
            hot_outlet=hot_outlet,
            cold_inlet=cold_inlet,
            cold_outlet=cold_outlet,
            ua=ua,
            arrangement="counterflow",
            hot_pressure_drop=hot_pressure_drop,
            cold_pressure_drop=cold_pressure_drop,
            pressure_drop_exponent=pressure_drop_exponent,
            interlock=interlock,
        )
        self.hot_design_flow = check_positive(hot_design_flow, "hot_design_flow", name)
        self.cold_design_flow = check_positive(cold_design_flow, "cold_design_flow", name)
        n_hot = PHE_FILM_EXPONENT if film_exponent is None else film_exponent
        n_cold = n_hot if cold_film_exponent is None else cold_film_exponent
        for what, n in (("film_exponent", n_hot), ("cold_film_exponent", n_cold)):
            check_positive(n, what, name)
            if not n <= 1.0:
                raise InputError(f"{what} must lie in (0, 1], got {n!r}", key=f"{name}.{what}")
        self.film_exponent = float(n_hot)
        self.cold_film_exponent = float(n_cold)
        self.film_ratio = check_positive(film_ratio, "film_ratio", name)
        # replace the plain sides by sides evaluated with the flow-dependent UA
        self.hot = PlateHeatExchangerSide(
            f"{name}.hot", hot_inlet, hot_outlet, self, hot_pressure_drop
        )
        self.cold = PlateHeatExchangerSide(
            f"{name}.cold", cold_inlet, cold_outlet, self, cold_pressure_drop
        )

    def ua_at(self, hot_flow: float, cold_flow: float) -> float:
        """UA [W/K] at the given mass flows [kg/s] (the off-design law)."""
        from thermo.correlations.plate_heat_exchanger import ua_off_design

        return float(
            ua_off_design(
                self.ua,
                abs(hot_flow),
                abs(cold_flow),
                self.hot_design_flow,
                self.cold_design_flow,
                self.film_exponent,
                exponent_cold=self.cold_film_exponent,
                r_design=self.film_ratio,
            ).UA
        )

    @classmethod
    def from_design(
        cls,
        name: str,
        *,
        hot_inlet: str,
        hot_outlet: str,
        cold_inlet: str,
        cold_outlet: str,
        duty: float,
        approach: float,
        cold_inlet_temperature: float,
        hot_design_flow: float,
        cold_design_flow: float,
        hot_coolant: Any,
        cold_coolant: Any,
        **kwargs: Any,
    ) -> PlateHeatExchanger:
        """From a datasheet point: ``duty`` [W] at ``approach`` [K] (hot outlet minus cold inlet).

        UA follows from :func:`design_ua`: the network's own duty (cp varying along the
        exchanger) solved for the UA that gives ``duty`` at the design flows and inlets, so that
        the network reproduces the design approach exactly. ``cold_inlet_temperature`` [K]; coolants are
        :class:`~thermo.Coolant` objects. Other keywords as for the class.
        """
        ua = design_ua(
            duty,
            approach,
            cold_inlet_temperature,
            hot_design_flow,
            cold_design_flow,
            hot_coolant,
            cold_coolant,
            owner=name,
        )
        return cls(
            name,
            hot_inlet=hot_inlet,
            hot_outlet=hot_outlet,
            cold_inlet=cold_inlet,
            cold_outlet=cold_outlet,
            ua=ua,
            hot_design_flow=hot_design_flow,
            cold_design_flow=cold_design_flow,
            **kwargs,
        )

    @classmethod
    def from_chevron(
        cls,
        name: str,
        *,
        hot_inlet: str,
        hot_outlet: str,
        cold_inlet: str,
        cold_outlet: str,
        hot_design_flow: float,
        cold_design_flow: float,
        hot_coolant: Any,
        cold_coolant: Any,
        hot_temperature: float,
        cold_temperature: float,
        correlation: str = "Martin",
        **geometry: Any,
    ) -> PlateHeatExchanger:
        """From chevron-plate geometry (:func:`~thermo.correlations.plate_heat_exchanger.ua_from_chevron_geometry`).

        The correlations are evaluated at the design flows with properties at
        ``hot_temperature``/``cold_temperature`` [K] (bulk means); the design UA, the film ratio
        ``h_hot/h_cold`` and the channel pressure drops follow. The off-design film exponents and
        the pressure-drop exponent are fitted to the same correlations by a log-log secant between
        80 % and 100 % of the design flows, so the network's off-design law follows the chosen
        correlation near design. ``geometry``: ``amplitude``, ``wavelength``, ``chevron_angle``,
        ``width``, ``length``, ``plates``, ``plate_thickness``, ``k_plate``, optional ``fouling``.
        Port losses are not included (add a valve or pipe).
        """
        from thermo.correlations import plate_heat_exchanger as phe

        def side(coolant, m, T):
            s = coolant.state(T)
            return phe.ChevronSide(m_dot=m, rho=s.rho, cp=s.cp, mu=s.mu, k=s.k)

        mh = check_positive(hot_design_flow, "hot_design_flow", name)
        mc = check_positive(cold_design_flow, "cold_design_flow", name)
        design = phe.ua_from_chevron_geometry(
            side(hot_coolant, mh, hot_temperature),
            side(cold_coolant, mc, cold_temperature),
            correlation=correlation,
            **geometry,
        )
        f = _CHEVRON_PROBE
        probe = phe.ua_from_chevron_geometry(
            side(hot_coolant, f * mh, hot_temperature),
            side(cold_coolant, f * mc, cold_temperature),
            correlation=correlation,
            **geometry,
        )
        n_h = math.log(design.h[0] / probe.h[0]) / math.log(1.0 / f)
        n_c = math.log(design.h[1] / probe.h[1]) / math.log(1.0 / f)
        n_dp = math.log(design.dp[0] / probe.dp[0]) / math.log(1.0 / f)
        for what, n in (("hot film", n_h), ("cold film", n_c)):
            if not 0.0 < n <= 1.0:
                raise InputError(
                    f"{what} exponent {n:.3g} fitted to the {correlation} correlation lies outside "
                    "(0, 1]: check the design flows (Reynolds number range)",
                    key=f"{name}.geometry",
                )
        hx = cls(
            name,
            hot_inlet=hot_inlet,
            hot_outlet=hot_outlet,
            cold_inlet=cold_inlet,
            cold_outlet=cold_outlet,
            ua=design.UA,
            hot_design_flow=mh,
            cold_design_flow=mc,
            film_exponent=n_h,
            cold_film_exponent=n_c,
            film_ratio=design.h[0] / design.h[1],
            hot_pressure_drop=(design.dp[0], mh),
            cold_pressure_drop=(design.dp[1], mc),
            pressure_drop_exponent=min(max(n_dp, 1.0), 2.99),
        )
        hx.chevron = design
        return hx


def design_ua(
    duty: float,
    approach: float,
    cold_inlet_temperature: float,
    hot_flow: float,
    cold_flow: float,
    hot_coolant: Any,
    cold_coolant: Any,
    *,
    owner: str = "heat exchanger",
) -> float:
    """Counterflow UA [W/K] that transfers ``duty`` [W] at ``approach`` [K] at the design flows.

    The hot outlet is ``T_cold,in + approach``; the hot inlet follows from the exact enthalpy
    balance ``h_hot,in = h(T_hot,out) + Q/m_hot`` (as the network computes it). A constant-cp
    estimate from :func:`~thermo.correlations.plate_heat_exchanger.ua_from_design` (cp at each
    inlet) is then refined by a root search on the network's own duty (cp varying along the
    exchanger, :mod:`thermo.components.exchanger_profile`), so a network with these flows, this
    duty and this cold inlet reproduces the approach to solver precision.
    """
    from thermo.correlations.plate_heat_exchanger import ua_from_design

    for what, v in (("duty", duty), ("hot_design_flow", hot_flow), ("cold_design_flow", cold_flow)):
        check_positive(v, what, owner)
    check_positive(approach, "approach", owner)
    Tci = check_positive(cold_inlet_temperature, "cold_inlet_temperature", owner)
    T_ho = Tci + approach
    h_hi = float(hot_coolant.enthalpy(T_ho)) + duty / hot_flow
    T_hi = float(hot_coolant.temperature_from_enthalpy(h_hi))
    cph = float(hot_coolant.specific_heat(T_hi))
    cpc = float(cold_coolant.specific_heat(Tci))
    try:
        ua0 = ua_from_design(duty, T_hi, Tci, hot_flow, cph, cold_flow, cpc)
    except InputError as exc:
        raise InputError(exc.reason, key=f"{owner}.duty", value=exc.value) from None
    return _ua_for_duty(ua0, duty, T_hi, Tci, hot_flow, cold_flow, hot_coolant, cold_coolant)


def _ua_for_duty(ua0, duty, T_hi, Tci, hot_flow, cold_flow, hot_coolant, cold_coolant) -> float:
    """The UA at which the network's duty (cp varying along the exchanger,
    :func:`~thermo.components.exchanger_profile.coolant_duty`) equals ``duty``; ``ua0`` is the
    constant-cp estimate (within a few per cent)."""
    from scipy.optimize import brentq

    from thermo.components.exchanger_profile import coolant_duty

    def excess(ua: float) -> float:
        q = coolant_duty(
            ua, "counterflow", hot_coolant, cold_coolant, T_hi, Tci, hot_flow, cold_flow
        )
        return q[0] - duty

    lo, hi = 0.8 * ua0, 1.25 * ua0
    while excess(lo) > 0.0:
        lo *= 0.8
    for _ in range(60):
        if excess(hi) >= 0.0:
            break
        hi *= 1.25
    else:
        return ua0  # duty not reachable within 1e6 x: ua_from_design would have refused it
    return float(brentq(excess, lo, hi, xtol=1e-12 * ua0, rtol=1e-14))


class PlateHeatExchangerSide(HeatExchangerSide):
    """One side of a :class:`PlateHeatExchanger` (created by it)."""


_LINEAR_FRACTION = 0.05
"""Flow fraction below which ``(ṁ/ṁ_d)ⁿ`` is regularised, as in
:func:`thermo.correlations.plate_heat_exchanger.ua_off_design` (its default) [-]."""


def _regularized_power_arrays(x, n, x_lin):
    """Vectorised :func:`thermo.correlations.cold_plate.regularized_power` (``n`` per element)."""
    ax = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = np.sign(x) * ax**n
        der = n * ax ** (n - 1.0)
    c1 = 0.5 * (3.0 - n) * x_lin ** (n - 1.0)
    c3 = 0.5 * (n - 1.0) * x_lin ** (n - 3.0)
    inner = ax < x_lin
    return np.where(inner, c1 * x + c3 * x**3, val), np.where(inner, c1 + 3.0 * c3 * x**2, der)


def _ua_off_design_arrays(UA_d, m_hot, m_cold, m_hot_d, m_cold_d, n_hot, n_cold, r):
    """Vectorised :func:`thermo.correlations.plate_heat_exchanger.ua_off_design` (same law and
    blend; parameters validated when the exchangers were built): UA and ∂UA/∂ṁ_hot, ∂UA/∂ṁ_cold."""
    hA_h_d = UA_d * (1.0 + r)
    hA_c_d = UA_d * (1.0 + r) / r
    gh, dgh = _regularized_power_arrays(m_hot / m_hot_d, n_hot, _LINEAR_FRACTION)
    gc, dgc = _regularized_power_arrays(m_cold / m_cold_d, n_cold, _LINEAR_FRACTION)
    hA_h, hA_c = hA_h_d * gh, hA_c_d * gc
    denom = hA_h + hA_c
    pos = denom > 0.0
    safe = np.where(pos, denom, 1.0)
    UA = np.where(pos, hA_h * hA_c / safe, 0.0)
    w_h = np.where(pos, (hA_c / safe) ** 2, 0.5)
    w_c = np.where(pos, (hA_h / safe) ** 2, 0.5)
    return UA, w_h * hA_h_d * dgh / m_hot_d, w_c * hA_c_d * dgc / m_cold_d


class PlateHeatExchangerSideGroup(HeatExchangerSideGroup):
    parameter_arrays = {"ua": "ua", "through": "through"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        hx = [s.exchanger for s in self.components]
        self.m_hot_d = np.array([h.hot_design_flow for h in hx])
        self.m_cold_d = np.array([h.cold_design_flow for h in hx])
        self.n_hot = np.array([h.film_exponent for h in hx])
        self.n_cold = np.array([h.cold_film_exponent for h in hx])
        self.r = np.array([h.film_ratio for h in hx])

    def conductance(self, mb: np.ndarray, mo: np.ndarray):
        """UA [W/K] and its derivatives w.r.t. the own and the partner's (signed) mass flow."""
        cold = self.is_cold
        m_hot = np.abs(np.where(cold, mo, mb))
        m_cold = np.abs(np.where(cold, mb, mo))
        UA, d_hot, d_cold = _ua_off_design_arrays(
            self.ua, m_hot, m_cold, self.m_hot_d, self.m_cold_d, self.n_hot, self.n_cold, self.r
        )
        # chain |m| -> m
        dUA_db = np.where(cold, d_cold, d_hot) * np.sign(mb)
        dUA_do = np.where(cold, d_hot, d_cold) * np.sign(mo)
        return UA, dUA_db, dUA_do


PlateHeatExchangerSide.group = PlateHeatExchangerSideGroup
