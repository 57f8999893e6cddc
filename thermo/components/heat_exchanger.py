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
    check_positive,
)
from thermo.components.exchanger_profile import Dual, exchanger_duty
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError

ARRANGEMENTS = (
    "counterflow",
    "parallel",
    "crossflow_unmixed",
    "crossflow_mixed_cmin",
    "crossflow_mixed_cmax",
)


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
    only in near-pure counterflow; check the real exchanger type), reversed flow on a side.

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
    ) -> None:
        super().__init__(name)
        self.ua = check_positive(ua, "ua", name)
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
    """One side of a :class:`HeatExchanger` (created by it; not used directly)."""

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        exchanger: HeatExchanger,
        pressure_drop: tuple[float, float] | None,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.exchanger = exchanger
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
    parameter_arrays = {"ua": "ua"}

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
        self.thermal_dependencies += [
            Dependency("Tup", self.partner),
            Dependency("m", self.partner),
        ]

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        return Hydraulics(dp, [ddp, np.zeros_like(dp)])

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

    def exchange(self, ctx):
        """Heat into each side [W] and its partial derivatives (see class docstring of the exchanger)."""
        return self._exchange(ctx, Dual.const(self.ua))

    def _exchange(self, ctx, ua: Dual):
        """Duty of :func:`~thermo.components.exchanger_profile.exchanger_duty` seen from each side.

        The duty is computed in the exchanger's own orientation (side 1 = hot, side 2 = cold) on
        both of its sides, so the two sides' heats are exact negatives of each other.
        """
        mb = ctx.m
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
        # order of thermal_dependencies: own Tup, own m, partner Tup, partner m (no controls)
        derivs = [dh_Tb / cp_exit, dh_mb / cp_exit, dh_To / cp_exit, dh_mo / cp_exit]
        heat = np.abs(mb) * (ctx.enthalpy_cp(T_exit)[0] - ctx.h)
        return Thermal(T_exit, derivs, heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        _, _, eps = self.exchange(ctx)
        return {"effectiveness": eps, "UA_W_K": self.ua}

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        out = []
        th = self.thermal(ctx)
        pos = {int(b): i for i, b in enumerate(self.branch_index)}
        for i in range(len(self.components)):
            if ctx.m[i] < 0:
                out.append((i, "reverse_flow", "flow runs backwards through this side"))
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
