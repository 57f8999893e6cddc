"""Hot-water-cooled servers (hydro-cooled ASIC servers and any server cooled by warm or hot water),
and the containerised module they are sold in.

:class:`HotWaterServer` is ``count`` identical servers in parallel on one branch. Each draws the
electrical power ``power``; the share ``liquid_fraction`` goes into the water, the rest to the air
of the container (fans, control board, cable losses). The water leaves at
``h_out = h_in + count·power·liquid_fraction / ṁ`` (exact enthalpy balance, as
:class:`~thermo.network.HeatLoad`). The pressure drop follows a power law through the datasheet
point of one server, ``Δp = Δp_design (ṁ/(count·ṁ_design))^n``. The hottest chip sits at
``T_chip = T_out + R·power·liquid_fraction`` with a chip-to-outlet-water thermal resistance
``R`` per server. Flags: inlet water outside the rated range, outlet above the rated maximum,
chip above its limit, a flow below the rated minimum share of the design flow.

Defaults and where they come from (the hardware of the Canaan–Bitforest pilot in Manitoba,
Avalon A1566HA class; ``docs/references.md``, section *Hydro-cooled ASIC servers*):

===========================  ===============  ===============================================
parameter                    default          source
===========================  ===============  ===============================================
``power``                    8.33 kW          [D] 3 MW / 360 servers (Canaan, Jan 2026)
``liquid_fraction``          0.95             **assumption**: hash boards and power supply on
                                              water, fans/control board to air; no
                                              datasheet share was found
``rated_inlet``              20–70 °C         **assumption**, bracketing the hot-water
                                              operation the pilot announces (> 75 °C out)
``rated_outlet_max``         80 °C            Canaan "hash-to-heat" district heating:
                                              water at ~80 °C (2026) [S]
``design_flow``              0.20 kg/s        **assumption**: 8.33 kW · 0.95 at 9.5 K rise
                                              with water (≈ 12 L/min per server)
``design_pressure_drop``     80 kPa           **assumption** (quick couplings, cold plates of
                                              three hash boards and the PSU plate in series)
``chip_resistance``          1.2 mK/W         **assumption**: chips 9.5 K above the outlet
                                              water at 7.9 kW into water
``chip_limit``               95 °C            A1566 chip temperature warning level ≥ 95 °C
                                              with the board median at 78–88 °C (D-Central
                                              A1566 troubleshooting notes) [S]
===========================  ===============  ===============================================

No manufacturer datasheet of a hydro-cooled ASIC server with water flow, pressure drop and rated
water temperatures was found; every value marked *assumption* is a design input that a project
should replace with its unit's datasheet. The model itself (energy balance, power-law pressure
drop, one lumped thermal resistance) holds for any water-cooled server.

:func:`container_module` builds the containerised liquid-cooling module (servers by count, the
manifold as a lumped valve, the module pump and the plate heat exchanger) as network components.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    Thermal,
    check_fraction,
    check_positive,
)
from thermo.components.laws import regularised_power_law
from thermo.errors import InputError

__all__ = [
    "PILOT_SERVER_POWER",
    "HotWaterServer",
    "container_module",
    "from_case",
]

PILOT_SERVER_POWER = 3.0e6 / 360
"""[D] Electrical power of one pilot server [W]: 3 MW / 360 Avalon A1566HA-class units."""

_M_FLOOR = 1e-9

DEFAULT_RATED_INLET = (293.15, 343.15)
"""Rated water inlet range [K], 20–70 °C (an assumption, module docstring)."""


class HotWaterServer(Branch):
    """``count`` identical hot-water-cooled servers in parallel (module docstring).

    Parameters
    ----------
    power : float
        Electrical power of one server [W] (controllable; an annual drive scales it with the IT
        load).
    count : int
        Servers in parallel on this branch.
    liquid_fraction : float
        Share of the electrical power that goes into the water [-], (0, 1].
    rated_inlet : (T_min, T_max)
        Rated water inlet range [K].
    rated_outlet_max : float
        Highest rated water outlet [K].
    design_flow, design_pressure_drop : float
        Datasheet point of one server: flow [kg/s] and pressure drop [Pa].
    pressure_drop_exponent : float
        ``n`` of the power law, in [1, 3); default 2 (turbulent).
    chip_resistance : float
        Hottest chip to outlet water, per server [K/W].
    chip_limit : float
        Chip temperature limit [K].
    min_flow_fraction : float
        Lowest flow per server, as a share of ``design_flow``, before the flag ``low_flow``.
    """

    controllable = ("power",)

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        power: float = PILOT_SERVER_POWER,
        count: int = 1,
        liquid_fraction: float = 0.95,
        rated_inlet: tuple[float, float] = DEFAULT_RATED_INLET,
        rated_outlet_max: float = 353.15,
        design_flow: float = 0.20,
        design_pressure_drop: float = 80e3,
        pressure_drop_exponent: float = 2.0,
        chip_resistance: float = 1.2e-3,
        chip_limit: float = 368.15,
        min_flow_fraction: float = 0.5,
    ) -> None:
        super().__init__(name, inlet, outlet)
        if isinstance(power, bool) or not isinstance(power, (int, float)) or not power >= 0:
            raise InputError(f"power must be >= 0 W, got {power!r}", key=f"{name}.power")
        self.power = float(power)
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise InputError(
                f"count must be a whole number >= 1, got {count!r}", key=f"{name}.count"
            )
        self.count = int(count)
        self.liquid_fraction = check_fraction(liquid_fraction, "liquid_fraction", name)
        if not self.liquid_fraction > 0:
            raise InputError("liquid_fraction must be > 0", key=f"{name}.liquid_fraction")
        try:
            lo, hi = (float(v) for v in rated_inlet)
        except (TypeError, ValueError):
            raise InputError(
                f"rated_inlet must be (T_min, T_max) in K, got {rated_inlet!r}",
                key=f"{name}.rated_inlet",
            ) from None
        if not 200.0 < lo < hi:
            raise InputError(
                f"rated_inlet must be (T_min, T_max) in K with T_min < T_max, got {rated_inlet!r}",
                key=f"{name}.rated_inlet",
            )
        self.rated_inlet = (lo, hi)
        self.rated_outlet_max = check_positive(rated_outlet_max, "rated_outlet_max", name)
        if self.rated_outlet_max <= hi:
            raise InputError(
                "rated_outlet_max must lie above the highest rated inlet",
                key=f"{name}.rated_outlet_max",
            )
        self.design_flow = check_positive(design_flow, "design_flow", name)
        self.design_pressure_drop = check_positive(
            design_pressure_drop, "design_pressure_drop", name
        )
        self.pressure_drop_exponent = check_positive(
            pressure_drop_exponent, "pressure_drop_exponent", name
        )
        if not 1.0 <= self.pressure_drop_exponent < 3.0:
            raise InputError(
                "pressure_drop_exponent must lie in [1, 3)", key=f"{name}.pressure_drop_exponent"
            )
        self.chip_resistance = check_positive(chip_resistance, "chip_resistance", name)
        self.chip_limit = check_positive(chip_limit, "chip_limit", name)
        self.min_flow_fraction = check_fraction(min_flow_fraction, "min_flow_fraction", name)

    @property
    def heat_to_liquid(self) -> float:
        """Heat into the water of all servers [W]."""
        return self.count * self.power * self.liquid_fraction


class HotWaterServerGroup(BranchGroup):
    parameter_arrays = {"power": "P"}

    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        self.P = np.array([s.power for s in c])
        self.N = np.array([float(s.count) for s in c])
        self.f = np.array([s.liquid_fraction for s in c])
        self.n = np.array([s.pressure_drop_exponent for s in c])
        m_total = np.array([s.count * s.design_flow for s in c])
        self.coef = np.array([s.design_pressure_drop for s in c]) / m_total**self.n
        self.m_lin = 0.01 * m_total
        self.T_in_lo = np.array([s.rated_inlet[0] for s in c])
        self.T_in_hi = np.array([s.rated_inlet[1] for s in c])
        self.T_out_hi = np.array([s.rated_outlet_max for s in c])
        self.R = np.array([s.chip_resistance for s in c])
        self.T_chip_max = np.array([s.chip_limit for s in c])
        self.m_min = np.array([s.min_flow_fraction * s.design_flow * s.count for s in c])

    def _heat(self, ctx) -> np.ndarray:
        return self.N * ctx.control(self.control_index, self.P) * self.f

    def hydraulics(self, ctx) -> Hydraulics:
        dp, ddp = regularised_power_law(ctx.m, self.coef, self.n, self.m_lin)
        derivs = [ddp, np.zeros_like(dp)]
        if len(self.hydraulic_dependencies) > 2:
            derivs.append(np.zeros_like(dp))
        return Hydraulics(dp, derivs)

    def thermal(self, ctx) -> Thermal:
        q = self._heat(ctx)
        am = np.maximum(np.abs(ctx.m), _M_FLOOR)
        h_exit = ctx.h + q / am
        T_exit, inside = ctx.temperature_from_enthalpy(h_exit, ctx.T_up + q / (am * ctx.cp))
        _, cp_exit = ctx.enthalpy_cp(T_exit)
        d_dTup = np.where(inside, ctx.cp / cp_exit, 0.0)
        d_dm = np.where(
            inside & (np.abs(ctx.m) > _M_FLOOR), -q * np.sign(ctx.m) / am**2 / cp_exit, 0.0
        )
        derivs = [d_dTup, d_dm]
        if len(self.thermal_dependencies) > 2:
            derivs.append(np.where(inside, self.N * self.f / (am * cp_exit), 0.0))
        heat = np.where(inside, q, np.abs(ctx.m) * (ctx.enthalpy_cp(T_exit)[0] - ctx.h))
        return Thermal(T_exit, derivs, heat)

    def report(self, ctx) -> dict[str, np.ndarray]:
        th = self.thermal(ctx)
        P = ctx.control(self.control_index, self.P)
        chip = th.T_exit + self.R * P * self.f
        return {
            "P_el_W": self.N * P,
            "heat_to_air_W": self.N * P * (1.0 - self.f),
            "flow_per_server_kg_s": np.abs(ctx.m) / self.N,
            "T_chip_C": chip - 273.15,
            "chip_margin_K": self.T_chip_max - chip,
        }

    def flags(self, ctx) -> list[tuple[int, str, str]]:
        th = self.thermal(ctx)
        P = ctx.control(self.control_index, self.P)
        chip = th.T_exit + self.R * P * self.f
        out = []
        for i in range(len(self.components)):
            t_in, t_out = ctx.T_up[i], th.T_exit[i]
            if not self.T_in_lo[i] <= t_in <= self.T_in_hi[i]:
                out.append(
                    (
                        i,
                        "inlet_out_of_rating",
                        f"water enters at {t_in - 273.15:.2f} °C, outside the rated "
                        f"{self.T_in_lo[i] - 273.15:.0f}–{self.T_in_hi[i] - 273.15:.0f} °C",
                    )
                )
            if t_out > self.T_out_hi[i]:
                out.append(
                    (
                        i,
                        "outlet_above_rating",
                        f"water leaves at {t_out - 273.15:.2f} °C, above the rated "
                        f"{self.T_out_hi[i] - 273.15:.0f} °C",
                    )
                )
            if chip[i] > self.T_chip_max[i]:
                out.append(
                    (
                        i,
                        "chip_over_limit",
                        f"hottest chip {chip[i] - 273.15:.1f} °C above its limit "
                        f"{self.T_chip_max[i] - 273.15:.0f} °C",
                    )
                )
            if abs(ctx.m[i]) < self.m_min[i] and P[i] > 0:
                out.append(
                    (
                        i,
                        "low_flow",
                        f"{abs(ctx.m[i]) / self.N[i]:.3g} kg/s per server, below "
                        f"{self.m_min[i] / self.N[i]:.3g} kg/s",
                    )
                )
        return out


HotWaterServer.group = HotWaterServerGroup


def container_module(
    name: str,
    *,
    supply: str,
    return_: str,
    greenhouse_in: str,
    greenhouse_out: str,
    servers: int = 90,
    server: dict[str, Any] | None = None,
    manifold_pressure_drop: float = 30e3,
    pump_head: float | None = None,
    exchanger_ua: float | None = None,
    exchanger_pressure_drop: float = 30e3,
    greenhouse_design_flow: float | None = None,
) -> list[Any]:
    """The components of one containerised liquid-cooling module, built by count.

    ``supply → pump → servers (by count) → manifold → plate exchanger (hot side) → return``; the
    exchanger's cold side runs ``greenhouse_in → greenhouse_out``. Node names are prefixed with
    ``name`` inside the module. Sizes default from the servers' design point: manifold
    ``manifold_pressure_drop`` at the design flow, the pump lifting the servers, manifold and
    exchanger drops (an ideal pressure source; give ``pump_head`` [Pa] to override), and an
    exchanger of 1 MW/K per MW of heat into the water (≈ 1 K log-mean approach: an
    **assumption** for a generously sized plate exchanger).

    Returns
    -------
    list
        ``[pump, servers, manifold, exchanger]`` (:class:`~thermo.network.Pump`,
        :class:`HotWaterServer`, :class:`~thermo.network.Valve`,
        :class:`~thermo.components.plate_heat_exchanger.PlateHeatExchanger`).
    """
    from thermo.components.plate_heat_exchanger import PlateHeatExchanger
    from thermo.components.pump import Pump
    from thermo.components.valve import Valve

    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise InputError(f"servers must be a whole number >= 1, got {servers!r}", key=name)
    srv = HotWaterServer(
        f"{name}.servers", f"{name}.s_in", f"{name}.s_out", count=servers, **(server or {})
    )
    m = srv.count * srv.design_flow
    rho = 1000.0
    kv = (m / rho * 3600.0) / np.sqrt(manifold_pressure_drop / 1e5)
    manifold = Valve(f"{name}.manifold", f"{name}.s_out", f"{name}.m_out", kv=float(kv))
    head = (
        pump_head
        if pump_head is not None
        else srv.design_pressure_drop + manifold_pressure_drop + exchanger_pressure_drop
    )
    pump = Pump(f"{name}.pump", supply, f"{name}.s_in", pressure_rise=float(head))
    q = max(srv.heat_to_liquid, 1.0)
    ua = exchanger_ua if exchanger_ua is not None else q  # 1 W/K per W
    m_cold = greenhouse_design_flow if greenhouse_design_flow is not None else m
    hx = PlateHeatExchanger(
        f"{name}.hx",
        hot_inlet=f"{name}.m_out",
        hot_outlet=return_,
        cold_inlet=greenhouse_in,
        cold_outlet=greenhouse_out,
        ua=float(ua),
        hot_design_flow=m,
        cold_design_flow=m_cold,
        hot_pressure_drop=(exchanger_pressure_drop, m),
        cold_pressure_drop=(exchanger_pressure_drop, m_cold),
    )
    return [pump, srv, manifold, hx]


def from_case(
    name: str,
    inlet: str,
    outlet: str,
    *,
    rated_inlet_min: float | None = None,
    rated_inlet_max: float | None = None,
    **kw: Any,
) -> HotWaterServer:
    """:class:`HotWaterServer` from case-file keys (the rated inlet range as two keys)."""
    if rated_inlet_min is not None or rated_inlet_max is not None:
        lo, hi = DEFAULT_RATED_INLET
        kw["rated_inlet"] = (
            lo if rated_inlet_min is None else rated_inlet_min,
            hi if rated_inlet_max is None else rated_inlet_max,
        )
    return HotWaterServer(name, inlet, outlet, **kw)
