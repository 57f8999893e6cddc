"""Liquid-to-liquid heat exchanger coupling two flow paths by the ε-NTU method."""

from __future__ import annotations

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Component,
    Dependency,
    Hydraulics,
    Thermal,
    check_fraction,
    check_positive,
)
from thermo.components.exchanger_profile import Dual, exchanger_duty
from thermo.components.laws import regularised_power_law
from thermo.components.valve import DEFAULT_RANGEABILITY
from thermo.errors import InputError

ARRANGEMENTS = (
    "counterflow",
    "parallel",
    "crossflow_unmixed",
    "crossflow_mixed_cmin",
    "crossflow_mixed_cmax",
)
BYPASS_LEAK = 1.0 / DEFAULT_RANGEABILITY
"""Share of a side's flow that still passes the plates with its bypass valve fully to bypass
[-]: the closed port of a three-way control valve passes Kv_max/R (rangeability R = 50, as
:class:`~thermo.components.valve.Valve`; VDI/VDE 2173)."""


def _leaky(through: np.ndarray) -> np.ndarray:
    """Share of the flow through the plates at bypass-valve position ``through`` in [0, 1]: the
    linear port law ``1/R + (1 - 1/R) x`` of a three-way valve (1 at ``through = 1``)."""
    return BYPASS_LEAK + (1.0 - BYPASS_LEAK) * np.clip(through, 0.0, 1.0)


class HeatExchanger(Component):
    """Two flow paths ("hot" and "cold" by design intent) exchanging heat with a given ``ua``.

    Heat into the cold side (ε-NTU, e.g. Incropera et al., *Fundamentals of Heat and Mass
    Transfer*, 7th ed., §11.4)::

        Q = ε(NTU*, Cr) C_min (T_hot,in - T_cold,in),  NTU* = UA* / C_min,  Cr = C_min / C_max

    with cp varying along the exchanger (:mod:`thermo.components.exchanger_profile`): ``C`` is
    each stream's secant rate ``|m| Δh/ΔT`` and, for counterflow and parallel flow, ``UA*`` the
    UA corrected for the shape of the ΔT profile (within 0.07 mK of a direct ODE integration);
    crossflow arrangements are corrected by a coarse grid (unmixed, within ~4 mK) or a march along
    the mixed fluid (one mixed, within 0.2 mK). If the "cold" side happens to be warmer,
    ``Q`` changes sign: the equations do not assume which side is hot. Each side's exit enthalpy is
    ``h_in ± Q/|m|`` exactly, so energy is conserved across the exchanger.

    Each side is a branch of the network named ``"<name>.hot"`` and ``"<name>.cold"``, with an
    optional pressure drop ``dp = dp_design (m/m_design)^n`` (``hot_pressure_drop=(dp_design,
    m_design)``, default exponent 2; independent of temperature).

    Flags: ``temperature_cross`` when the cold outlet leaves warmer than the hot outlet (possible
    only in near-pure counterflow; check the real exchanger type), reversed flow on a side,
    ``heat_backwards`` when heat flows from the "cold" side into the "hot" one.

    **Bypass at a side** (``through``, controllable on ``"<name>.hot"`` and ``"<name>.cold"``): the
    position ``x`` of a diverting three-way valve at the exchanger that sends the share
    ``f = 1/R + (1 - 1/R) x`` of that side's flow through the plates (linear ports; the closed port
    still passes 1/R of the flow, R = 50 as for :class:`~thermo.components.valve.Valve`); the rest
    bypasses them and meets the plate outlet before the side's outlet node. The duty law above
    (cp along the exchanger, and a plate exchanger's flow-dependent UA) then sees the flow
    ``f |m|`` on that side (``Q(f m_hot, m_cold)``), the side leaves mixed at ``h_in ± Q/|m|``:
    energy is conserved exactly for every ``f``. The
    side's pressure drop stays that of the full flow (a linear three-way valve keeps the
    resistance of the side nearly constant over its stroke, VDI/VDE 2173), an assumption. A
    :class:`~thermo.network.controls.Control` on ``through`` holds e.g. an outlet temperature:
    the usual way a heat-recovery exchanger is controlled, and unlike two parallel branches
    (valve ports) it has no state with flow circulating backwards around the bypass.

    **Interlock** (``interlock=True``): a differential-temperature interlock that shuts the
    exchanger (full bypass) whenever the "hot" side's inlet is not warmer than the "cold"
    side's, so heat can only flow from the designated hot side to the cold one:
    ``Q = G max(T_hot,in - T_cold,in, 0)`` (the law is continuous; at the switch ``Q = 0`` on
    both branches of it; where it acts, ``Q`` and all its derivatives are exactly zero, the
    leak of a bypass valve included). Without it a design in which the cold side can be the warmer one is
    flagged ``heat_backwards`` in every such state.

    Parameters
    ----------
    ua
        Overall conductance [W/K].
    arrangement
        One of ``counterflow``, ``parallel``, ``crossflow_unmixed``, ``crossflow_mixed_cmin``,
        ``crossflow_mixed_cmax``.
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
        arrangement: str = "counterflow",
        hot_pressure_drop: tuple[float, float] | None = None,
        cold_pressure_drop: tuple[float, float] | None = None,
        pressure_drop_exponent: float = 2.0,
        interlock: bool = False,
    ) -> None:
        super().__init__(name)
        self.ua = check_positive(ua, "ua", name)
        if not isinstance(interlock, (bool, np.bool_)):
            raise InputError(
                f"interlock must be true or false, got {interlock!r}", key=f"{name}.interlock"
            )
        self.interlock = bool(interlock)
        if arrangement not in ARRANGEMENTS:
            raise InputError(
                f"arrangement must be one of {', '.join(ARRANGEMENTS)}, got {arrangement!r}",
                key=f"{name}.arrangement",
            )
        self.arrangement = arrangement
        self.hot = HeatExchangerSide(f"{name}.hot", hot_inlet, hot_outlet, self, hot_pressure_drop)
        self.cold = HeatExchangerSide(
            f"{name}.cold", cold_inlet, cold_outlet, self, cold_pressure_drop
        )
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )

    def parts(self) -> list[Branch]:
        """The two branches this exchanger adds to a network."""
        return [self.hot, self.cold]


class HeatExchangerSide(Branch):
    """One side of a :class:`HeatExchanger` (created by it; not used directly).

    ``through`` [-], in [0, 1] (controllable): position of this side's bypass valve, 1 = all the
    flow through the plates (see :class:`HeatExchanger`, bypass at a side).
    """

    controllable = ("through",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        exchanger: HeatExchanger,
        pressure_drop: tuple[float, float] | None,
        through: float = 1.0,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.exchanger = exchanger
        self.through = check_fraction(through, "through", name)
        if pressure_drop is None:
            self.dp_design, self.m_design = 0.0, 1.0
        else:
            try:
                dp, m = pressure_drop
            except (TypeError, ValueError):
                raise InputError(
                    f"pressure drop must be (dp_design [Pa], m_design [kg/s]), got {pressure_drop!r}",
                    key=name,
                ) from None
            self.dp_design = check_positive(dp, "pressure_drop[0]", name)
            self.m_design = check_positive(m, "pressure_drop[1]", name)

    @property
    def partner(self) -> HeatExchangerSide:
        hx = self.exchanger
        return hx.cold if self is hx.hot else hx.hot


class HeatExchangerSideGroup(BranchGroup):
    parameter_arrays = {"ua": "ua", "through": "through"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        if branch_position is None:
            raise ValueError("heat exchanger sides need the network's branch positions")
        self.partner = np.array([branch_position[s.partner.name] for s in c], dtype=np.int64)
        self.ua = np.array([s.exchanger.ua for s in c])
        self.arrangement = np.array([s.exchanger.arrangement for s in c], dtype=object)
        self._arrangement_masks = {a: self.arrangement == a for a in set(self.arrangement)}
        self.is_cold = np.array([s is s.exchanger.cold for s in c])
        self.n = np.array([s.exchanger.pressure_drop_exponent for s in c])
        self.coef = np.array(
            [s.dp_design / s.m_design**s.exchanger.pressure_drop_exponent for s in c]
        )
        self.m_lin = np.array([0.01 * s.m_design for s in c])
        self.through = np.array([s.through for s in c])
        self.interlock = np.array([s.exchanger.interlock for s in c], dtype=bool)
        local = {int(b): i for i, b in enumerate(self.branch_index)}
        self.partner_local = np.array([local.get(int(p), -1) for p in self.partner])
        self.thermal_dependencies += [
            Dependency("Tup", self.partner),
            Dependency("m", self.partner),
        ]
        self.partner_control_index = np.full(len(c), -1, dtype=np.int64)

    def bind_controls(self, parameter: str, control_index: np.ndarray) -> None:
        """A ``through`` control changes the heat of both sides: each side depends on its own
        control and on its partner's (thermal dependencies: own Tup, own m, partner Tup,
        partner m, own u, partner u)."""
        super().bind_controls(parameter, control_index)
        ci = self.control_index
        pl = self.partner_local
        self.partner_control_index = np.where(pl >= 0, ci[np.maximum(pl, 0)], -1)
        self.thermal_dependencies.append(Dependency("u", self.partner_control_index))

    def _fractions(self, ctx) -> tuple[np.ndarray, np.ndarray]:
        """Share of the flow through the plates on this side and on the partner's."""
        own = ctx.control(self.control_index, self.through)
        pl = self.partner_local
        partner_fixed = self.through[np.maximum(pl, 0)]
        other = ctx.control(self.partner_control_index, partner_fixed)
        return _leaky(own), _leaky(other)

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        z = np.zeros_like(dp)
        return Hydraulics(dp, [ddp, z] + [z] * (len(self.hydraulic_dependencies) - 2))

    def _effectiveness(self, ntu, cr):
        from thermo.correlations.effectiveness import effectiveness_derivatives

        eps = np.empty_like(ntu)
        d_ntu = np.empty_like(ntu)
        d_cr = np.empty_like(ntu)
        if len(self._arrangement_masks) == 1:
            (arr,) = self._arrangement_masks
            return effectiveness_derivatives(ntu, cr, arr)
        for arr, sel in self._arrangement_masks.items():
            e, dn, dc = effectiveness_derivatives(ntu[sel], cr[sel], arr)
            eps[sel], d_ntu[sel], d_cr[sel] = e, dn, dc
        return eps, d_ntu, d_cr

    def conductance(self, mb: np.ndarray, mo: np.ndarray):
        """UA [W/K] and its derivatives w.r.t. the own and the partner's flow (fixed UA here)."""
        z = np.zeros_like(mb)
        return self.ua * np.ones_like(mb), z, z

    def exchange(self, ctx):
        """Heat into each side [W] and its partial derivatives (see class docstring of the
        exchanger): own and partner inlet temperature (``Tb``, ``To``), flow (``mb``, ``mo``) and
        share through the plates (``fb``, ``fo``: by the bypass-valve position ``through``).

        The duty is that of :func:`~thermo.components.exchanger_profile.exchanger_duty` at the
        flows through the plates ``f m`` and the conductance of :meth:`conductance` at those
        flows; the interlock then zeroes it (and all its derivatives) where heat would run
        backwards.
        """
        fb, fo = self._fractions(ctx)
        m_b, m_o = ctx.m, ctx.flows_of(self.partner)
        mb, mo = fb * m_b, fo * m_o  # flows through the plates
        UA, dUA_db, dUA_do = self.conductance(mb, mo)
        self._ua_now = UA
        cold = self.is_cold
        g = np.zeros((4, len(UA)))  # by (T_hot, T_cold, m_hot, m_cold) through the plates
        g[2] = np.where(cold, dUA_do, dUA_db)
        g[3] = np.where(cold, dUA_db, dUA_do)
        Q, dQ, eps = self._exchange(ctx, Dual(UA, g), mb, mo)
        dQ_dmb, dQ_dmo = dQ["mb"], dQ["mo"]  # by the flows through the plates
        dQ["mb"] = dQ_dmb * fb
        dQ["mo"] = dQ_dmo * fo
        dQ["fb"] = dQ_dmb * m_b * (1.0 - BYPASS_LEAK)
        dQ["fo"] = dQ_dmo * m_o * (1.0 - BYPASS_LEAK)
        if self.interlock.any():
            # heat only from the "hot" side into the "cold" one: Q = G max(dT, 0)
            dT = ctx.upstream_temperature_of(self.partner) - ctx.T_up  # partner minus own inlet
            backwards = np.where(cold, dT < 0.0, dT > 0.0)
            on = np.where(self.interlock & backwards, 0.0, 1.0)
            Q = Q * on
            dQ = {k: v * on for k, v in dQ.items()}
        return Q, dQ, eps

    def _exchange(self, ctx, ua: Dual, mb: np.ndarray | None = None, mo: np.ndarray | None = None):
        """Duty of :func:`~thermo.components.exchanger_profile.exchanger_duty` seen from each side
        at the flows ``mb`` (own) and ``mo`` (partner) through the plates (default: the branch
        flows); ``dQ["mb"]``/``dQ["mo"]`` are by those flows.

        The duty is computed in the exchanger's own orientation (side 1 = hot, side 2 = cold) on
        both of its sides, so the two sides' heats are exact negatives of each other.
        """
        if mb is None:
            mb = ctx.m
        if mo is None:
            mo = ctx.flows_of(self.partner)
        Tb = ctx.T_up
        To = ctx.upstream_temperature_of(self.partner)
        so = ctx.state_of(self.partner, To)
        cold = self.is_cold
        own = self.branch_index

        def hot_cold(b, o):
            return np.where(cold, o, b), np.where(cold, b, o)

        t1, t2 = hot_cold(Tb, To)
        m1, m2 = hot_cold(mb, mo)
        h1, h2 = hot_cold(ctx.h, so["h"])
        cp1, cp2 = hot_cold(ctx.cp, so["cp"])
        dcp1, dcp2 = hot_cold(ctx.dcp_dT, so["dcp_dT"])
        b1, b2 = hot_cold(own, self.partner)
        Q, eps = exchanger_duty(
            self.arrangement,
            ua,
            t1,
            t2,
            m1,
            m2,
            h1,
            h2,
            cp1,
            cp2,
            dcp1,
            dcp2,
            ctx.enthalpy_inverse(b1),
            ctx.enthalpy_inverse(b2),
            self._effectiveness,
            ctx.heat_capacity_of(b1),
            ctx.heat_capacity_of(b2),
        )
        sign = np.where(cold, 1.0, -1.0)
        g = Q.g * sign
        dQ = {
            "Tb": np.where(cold, g[1], g[0]),
            "To": np.where(cold, g[0], g[1]),
            "mb": np.where(cold, g[3], g[2]),
            "mo": np.where(cold, g[2], g[3]),
        }
        return Q.v * sign, dQ, eps

    def thermal(self, ctx) -> Thermal:
        Q, dQ, _ = self.exchange(ctx)
        mb = ctx.m
        amb = np.maximum(np.abs(mb), 1e-12)
        h_exit = ctx.h + Q / amb
        T_exit, inside = ctx.temperature_from_enthalpy(h_exit, ctx.T_up + Q / (amb * ctx.cp))
        _, cp_exit = ctx.enthalpy_cp(T_exit)
        cp_exit = np.where(inside, cp_exit, np.inf)  # clipped exits: zero derivatives
        dh_Tb = ctx.cp + dQ["Tb"] / amb
        dh_mb = dQ["mb"] / amb - Q * np.sign(mb) / amb**2
        dh_To = dQ["To"] / amb
        dh_mo = dQ["mo"] / amb
        # order of thermal_dependencies: own Tup, own m, partner Tup, partner m, then (with a
        # ``through`` control) own u and partner u
        derivs = [dh_Tb / cp_exit, dh_mb / cp_exit, dh_To / cp_exit, dh_mo / cp_exit]
        if len(self.thermal_dependencies) > 4:
            derivs += [dQ["fb"] / amb / cp_exit, dQ["fo"] / amb / cp_exit]
        heat = np.abs(mb) * (ctx.enthalpy_cp(T_exit)[0] - ctx.h)
        return Thermal(T_exit, derivs, heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        _, _, eps = self.exchange(ctx)
        own = ctx.control(self.control_index, self.through)
        return {"effectiveness": eps, "UA_W_K": self._ua_now.copy(), "through": own}

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        th = self.thermal(ctx)
        pos = {int(b): i for i, b in enumerate(self.branch_index)}
        Q, _, _ = self.exchange(ctx)
        for i in range(len(self.components)):
            if ctx.m[i] < 0:
                out.append((i, "reverse_flow", "flow runs backwards through this side"))
            if self.is_cold[i] and Q[i] < -1.0:  # more than 1 W the wrong way
                out.append(
                    (
                        i,
                        "heat_backwards",
                        f"{-Q[i] / 1e3:.1f} kW flow from the cold side into the hot side "
                        "(no interlock stops it)",
                    )
                )
            if self.is_cold[i]:
                j = pos.get(int(self.partner[i]))
                if j is not None and th.T_exit[i] > th.T_exit[j] + 1e-9:
                    out.append(
                        (
                            i,
                            "temperature_cross",
                            f"cold outlet {th.T_exit[i] - 273.15:.2f} °C above hot outlet "
                            f"{th.T_exit[j] - 273.15:.2f} °C: needs pure counterflow",
                        )
                    )
        return out


HeatExchangerSide.group = HeatExchangerSideGroup
