"""Coolant distribution unit (liquid-to-liquid CDU) as a composite.

Topology (node names in quotes; ``<n>`` is the CDU name)::

    secondary_return → <n>.pump → "<n>.n_pump" → <n>.hx.hot  → secondary_supply
    facility_supply  → <n>.valve → "<n>.n_valve" → <n>.hx.cold → facility_return

- ``<n>.hx``: :class:`~thermo.components.plate_heat_exchanger.PlateHeatExchanger`, counterflow,
  UA from the datasheet point (``capacity`` at ``approach`` with the design flows and facility
  supply temperature), off design ``hA ∝ ṁⁿ`` on both films (default n = 0.8, the Modelica
  Buildings CDU model, :data:`~thermo.correlations.plate_heat_exchanger.CDU_FILM_EXPONENT`).
- ``<n>.pump``: the running secondary pumps in parallel (``pumps_running``, one datasheet curve
  per pump, affinity laws).
- With ``standby_pumps > 0`` the redundant pumps are hydraulically present (N+1 as a network
  state): ``<n>.standby`` (the standby units, stopped: ``speed = 0``) runs in parallel with the
  duty pumps from the secondary return to ``"<n>.n_standby"``; each path ends in a check valve
  (``<n>.pump_check`` from ``"<n>.n_duty"``, ``<n>.standby_check`` from ``"<n>.n_standby"``, both
  into ``"<n>.n_pump"``), so a stopped pump carries no reverse flow. Starting the standby
  (``Network.set_parameter("<n>.standby", "speed", 1.0)``) after a duty trip is what
  ``thermo failures`` does. The check valves' Kv defaults to :data:`DEFAULT_CHECK_VALVE_DP` at
  the design flow of their path.
- ``<n>.valve``: facility-side control valve (equal-percentage by default).
- ``<n>.tank``: an expansion tank on the secondary loop at the pump suction (the CDU's reservoir),
  which also sets the secondary coolant; omit with ``expansion_tank_pressure=None``.

Controls (:meth:`CDU.controls`, added by ``Network.add``):

- ``<n>.dp_control``: pump speed holds ``p(high) - p(low) = differential_pressure`` (default
  nodes: secondary supply and return at the CDU), speed in ``[min_pump_speed, 1]``;
- ``<n>.temperature_control``: valve opening holds the secondary supply temperature at
  ``supply_temperature``, opening in ``[0, 1]``.

A control whose setpoint cannot be met is held at its bound and reported saturated
(:func:`cdu_summary`). The approach is reported as secondary supply minus facility supply
temperature (the definition of the Modelica Buildings CDU records).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from thermo.components.base import Branch, Component, check_positive
from thermo.components.boundaries import ExpansionTank
from thermo.components.plate_heat_exchanger import PlateHeatExchanger
from thermo.components.pump import Pump
from thermo.components.valve import Valve
from thermo.errors import InputError

__all__ = [
    "CDU",
    "cdu_summary",
    "DEFAULT_VALVE_DP",
    "DEFAULT_MIN_PUMP_SPEED",
    "DEFAULT_TANK_PRESSURE",
    "DEFAULT_CHECK_VALVE_DP",
]

DEFAULT_VALVE_DP = 30e3
"""Pressure drop of the fully open facility valve at the design flow [Pa], used to size its Kv
when none is given. An assumption: a control valve should take a pressure drop comparable to the
circuit it controls (authority ≈ 0.5, VDI/VDE 2173); a plate HX side takes 20–50 kPa."""

DEFAULT_MIN_PUMP_SPEED = 0.15
"""Lowest secondary pump speed [-]: the minimum speed setting of the Vertiv CoolChip CDU 600
(O&M guide, 2025; docs/references.md §2, [V])."""

DEFAULT_CHECK_VALVE_DP = 5e3
"""Pressure drop of a pump's check valve at the design flow of its path [Pa], used to size its Kv
when none is given. An assumption (a full-bore check valve sized near the pipe velocity); give
the datasheet Kv (``check_valve_kv``) for a real design."""

DEFAULT_TANK_PRESSURE = 3e5
"""Expansion-tank pressure of the secondary loop [Pa, absolute]: 2 bar gauge, within the 2–6 bar
static pressure of TCS loops (docs/references.md §1, [S])."""


class CDU:
    """A liquid-to-liquid coolant distribution unit built from datasheet data.

    Parameters
    ----------
    name
        CDU name (prefix of its parts).
    secondary_supply, secondary_return, facility_supply, facility_return
        Port nodes: the technology (IT) loop supply and return, the facility water supply and
        return.
    capacity
        Rated duty [W].
    approach
        Approach at the rated duty and design flows [K]: secondary supply minus facility supply.
    secondary_design_flow, facility_design_flow
        Design mass flows [kg/s].
    facility_design_temperature
        Facility supply temperature of the rating [K].
    secondary_coolant, facility_coolant
        :class:`~thermo.Coolant` of each loop (for the design UA; the secondary one also goes to
        the expansion tank).
    pump_curve
        Datasheet pressure rise of **one** pump ``[(V [m³/s], dp [Pa]), ...]`` at full speed.
    pumps_running, standby_pumps
        Pumps sharing the flow, and redundant pumps (present, stopped, behind a check valve).
    pump_efficiency
        Hydraulic efficiency of a pump [-] (constant) or None for the Pump default.
    supply_temperature
        Secondary supply setpoint [K] held by the facility valve, or None (valve at ``valve_opening``).
    differential_pressure
        Secondary differential-pressure setpoint [Pa] held by the pump speed, or None (pump at
        ``pump_speed``).
    differential_pressure_nodes
        ``(high, low)`` nodes of the pressure difference; default (secondary supply, secondary return).
    valve_kv
        Kv of the facility valve [m³/h]; default sized to :data:`DEFAULT_VALVE_DP` at the design flow.
    valve_characteristic
        ``"equal_percentage"`` (default) or ``"linear"``.
    film_exponent, film_ratio
        Off-design film law of the plate HX (see :class:`PlateHeatExchanger`).
    secondary_pressure_drop, facility_pressure_drop
        Plate-HX pressure drop at the design flow of each side [Pa], or None (none).
    expansion_tank_pressure
        Secondary expansion-tank pressure [Pa] or None (no tank in the CDU).
    min_pump_speed
        Lower bound of the pump-speed control [-].
    pump_speed, valve_opening
        Fixed values when the corresponding control is off; starting values otherwise.
    check_valve_kv
        Kv of each pump path's check valve [m³/h] (with standby pumps); default sized to
        :data:`DEFAULT_CHECK_VALVE_DP` at the secondary design flow.
    """

    def __init__(
        self,
        name: str,
        *,
        secondary_supply: str,
        secondary_return: str,
        facility_supply: str,
        facility_return: str,
        capacity: float,
        approach: float,
        secondary_design_flow: float,
        facility_design_flow: float,
        facility_design_temperature: float,
        secondary_coolant: Any,
        facility_coolant: Any,
        pump_curve: Sequence[tuple[float, float]],
        pumps_running: int = 1,
        standby_pumps: int = 1,
        pump_efficiency: float | None = None,
        supply_temperature: float | None = None,
        differential_pressure: float | None = None,
        differential_pressure_nodes: tuple[str, str] | None = None,
        valve_kv: float | None = None,
        valve_characteristic: str = "equal_percentage",
        film_exponent: float | None = None,
        film_ratio: float = 1.0,
        secondary_pressure_drop: float | None = None,
        facility_pressure_drop: float | None = None,
        expansion_tank_pressure: float | None = DEFAULT_TANK_PRESSURE,
        min_pump_speed: float = DEFAULT_MIN_PUMP_SPEED,
        pump_speed: float = 1.0,
        valve_opening: float = 1.0,
        check_valve_kv: float | None = None,
    ) -> None:
        from thermo.correlations.plate_heat_exchanger import CDU_FILM_EXPONENT

        Component(name)  # validates the name
        self.name = name
        self.secondary_supply = secondary_supply
        self.secondary_return = secondary_return
        self.facility_supply = facility_supply
        self.facility_return = facility_return
        self.capacity = check_positive(capacity, "capacity", name)
        self.approach = check_positive(approach, "approach", name)
        m_sec = check_positive(secondary_design_flow, "secondary_design_flow", name)
        m_fac = check_positive(facility_design_flow, "facility_design_flow", name)
        self.secondary_design_flow, self.facility_design_flow = m_sec, m_fac
        self.facility_design_temperature = check_positive(
            facility_design_temperature, "facility_design_temperature", name
        )
        if (
            isinstance(standby_pumps, bool)
            or not isinstance(standby_pumps, int)
            or standby_pumps < 0
        ):
            raise InputError(
                f"standby_pumps must be a whole number >= 0, got {standby_pumps!r}",
                key=f"{name}.standby_pumps",
            )
        self.standby_pumps = standby_pumps
        self.secondary_coolant = secondary_coolant
        self.facility_coolant = facility_coolant
        hx_kw: dict[str, Any] = {
            "film_exponent": CDU_FILM_EXPONENT if film_exponent is None else film_exponent,
            "film_ratio": film_ratio,
        }
        if secondary_pressure_drop is not None:
            hx_kw["hot_pressure_drop"] = (
                check_positive(secondary_pressure_drop, "secondary_pressure_drop", name),
                m_sec,
            )
        if facility_pressure_drop is not None:
            hx_kw["cold_pressure_drop"] = (
                check_positive(facility_pressure_drop, "facility_pressure_drop", name),
                m_fac,
            )
        n_pump, n_valve = f"{name}.n_pump", f"{name}.n_valve"
        self.hx = PlateHeatExchanger.from_design(
            f"{name}.hx",
            hot_inlet=n_pump,
            hot_outlet=secondary_supply,
            cold_inlet=n_valve,
            cold_outlet=facility_return,
            duty=self.capacity,
            approach=self.approach,
            cold_inlet_temperature=self.facility_design_temperature,
            hot_design_flow=m_sec,
            cold_design_flow=m_fac,
            hot_coolant=secondary_coolant,
            cold_coolant=facility_coolant,
            **hx_kw,
        )
        pump_kw: dict[str, Any] = {}
        if pump_efficiency is not None:
            pump_kw["efficiency"] = pump_efficiency
        self.standby = self.pump_check = self.standby_check = None
        duty_out = f"{name}.n_duty" if standby_pumps else n_pump
        self.pump = Pump(
            f"{name}.pump",
            secondary_return,
            duty_out,
            pressure_curve=pump_curve,
            count=pumps_running,
            speed=pump_speed,
            **pump_kw,
        )
        if standby_pumps:
            from thermo.components.check_valve import CheckValve

            if check_valve_kv is None:
                rho = float(secondary_coolant.density(self.facility_design_temperature))
                V_h = m_sec / rho * 3600.0
                check_valve_kv = V_h / (DEFAULT_CHECK_VALVE_DP / 1e5) ** 0.5 * (rho / 1e3) ** 0.5
            kv_check = check_positive(check_valve_kv, "check_valve_kv", name)
            n_standby = f"{name}.n_standby"
            self.standby = Pump(
                f"{name}.standby",
                secondary_return,
                n_standby,
                pressure_curve=pump_curve,
                count=standby_pumps,
                speed=0.0,
                **pump_kw,
            )
            self.pump_check = CheckValve(f"{name}.pump_check", duty_out, n_pump, kv=kv_check)
            # a standby path carries at most the flow of the units it replaces
            self.standby_check = CheckValve(f"{name}.standby_check", n_standby, n_pump, kv=kv_check)
        if valve_kv is None:
            rho = float(facility_coolant.density(self.facility_design_temperature))
            V_h = m_fac / rho * 3600.0
            valve_kv = V_h / (DEFAULT_VALVE_DP / 1e5) ** 0.5 * (rho / 1000.0) ** 0.5
        self.valve = Valve(
            f"{name}.valve",
            facility_supply,
            n_valve,
            kv=valve_kv,
            opening=valve_opening,
            characteristic=valve_characteristic,
        )
        self.tank = None
        if expansion_tank_pressure is not None:
            self.tank = ExpansionTank(
                f"{name}.tank",
                secondary_return,
                pressure=expansion_tank_pressure,
                coolant=secondary_coolant,
            )
        self.supply_temperature = (
            None
            if supply_temperature is None
            else check_positive(supply_temperature, "supply_temperature", name)
        )
        self.differential_pressure = (
            None
            if differential_pressure is None
            else check_positive(differential_pressure, "differential_pressure", name)
        )
        self.differential_pressure_nodes = differential_pressure_nodes or (
            secondary_supply,
            secondary_return,
        )
        self.min_pump_speed = check_positive(min_pump_speed, "min_pump_speed", name)
        if not self.min_pump_speed < 1.0:
            raise InputError("min_pump_speed must be below 1", key=f"{name}.min_pump_speed")

    def parts(self) -> list[Any]:
        """Branches (and the expansion tank) this CDU adds to a network."""
        out: list[Any] = [self.pump]
        if self.standby is not None:
            out += [self.pump_check, self.standby, self.standby_check]
        out += [self.valve, *self.hx.parts()]
        if self.tank is not None:
            out.append(self.tank)
        return out

    def controls(self) -> list[Any]:
        """The pump-speed and valve-opening controls (those whose setpoint is given).

        Built once and returned again on later calls, so that a network (or a replicated batch
        of networks, :func:`thermo.simulate.hourly.replicate`) holds these very objects.
        """
        if getattr(self, "_controls", None) is None:
            self._controls = self._make_controls()
        return list(self._controls)

    def _make_controls(self) -> list[Any]:
        from thermo.network.controls import Control, DifferentialPressure, NodeTemperature

        out = []
        if self.differential_pressure is not None:
            high, low = self.differential_pressure_nodes
            out.append(
                Control(
                    f"{self.name}.dp_control",
                    component=self.pump.name,
                    parameter="speed",
                    target=DifferentialPressure(high, low, self.differential_pressure),
                    lower=self.min_pump_speed,
                    upper=1.0,
                )
            )
        if self.supply_temperature is not None:
            out.append(
                Control(
                    f"{self.name}.temperature_control",
                    component=self.valve.name,
                    parameter="opening",
                    target=NodeTemperature(self.secondary_supply, self.supply_temperature),
                    lower=0.0,
                    upper=1.0,
                )
            )
        return out

    @property
    def branches(self) -> list[Branch]:
        extra = [] if self.standby is None else [self.pump_check, self.standby, self.standby_check]
        return [self.pump, self.valve, self.hx.hot, self.hx.cold, *extra]

    def __repr__(self) -> str:
        return f"CDU({self.name!r}, capacity={self.capacity:.4g} W)"


def cdu_summary(result: Any, cdu: CDU) -> dict[str, Any]:
    """Key figures of a solved CDU.

    Returns a dict with ``duty_W`` (heat to the facility loop), ``secondary_flow_kg_s``,
    ``facility_flow_kg_s``, ``facility_flow_L_min``, ``T_secondary_supply_C``,
    ``T_secondary_return_C``, ``T_facility_supply_C``, ``T_facility_return_C``, ``approach_K``
    (secondary supply minus facility supply), ``UA_W_K``, ``effectiveness``, ``pump_speed``,
    ``pump_power_W`` (electrical, running pumps), ``pumps_running``, ``standby_pumps``,
    ``valve_opening``, ``dp_saturated`` and ``temperature_saturated`` (the control held at a bound:
    its setpoint is missed; None when that control is off), ``temperature_cross``.
    """
    comp = result.components
    hot, cold = cdu.hx.hot.name, cdu.hx.cold.name
    ctl = result.controls

    def saturated(suffix: str):
        key = f"{cdu.name}.{suffix}"
        return bool(ctl.loc[key, "saturated"]) if key in ctl.index else None

    m_fac = float(comp.loc[cold, "m_dot_kg_s"])
    T_fs = result.temperature(cdu.facility_supply)
    return {
        "duty_W": float(comp.loc[cold, "Q_W"]),
        "secondary_flow_kg_s": float(comp.loc[hot, "m_dot_kg_s"]),
        "facility_flow_kg_s": m_fac,
        "facility_flow_L_min": float(comp.loc[cold, "V_dot_L_min"]),
        "T_secondary_supply_C": result.temperature(cdu.secondary_supply) - 273.15,
        "T_secondary_return_C": result.temperature(cdu.secondary_return) - 273.15,
        "T_facility_supply_C": T_fs - 273.15,
        "T_facility_return_C": result.temperature(cdu.facility_return) - 273.15,
        "approach_K": result.temperature(cdu.secondary_supply) - T_fs,
        "UA_W_K": float(comp.loc[hot, "UA_W_K"]),
        "effectiveness": float(comp.loc[hot, "effectiveness"]),
        "pump_speed": float(comp.loc[cdu.pump.name, "speed"]),
        "pump_power_W": float(comp.loc[cdu.pump.name, "P_el_W"])
        + (0.0 if cdu.standby is None else float(comp.loc[cdu.standby.name, "P_el_W"])),
        "pumps_running": cdu.pump.count,
        "standby_pumps": cdu.standby_pumps,
        "valve_opening": float(comp.loc[cdu.valve.name, "opening"]),
        "dp_saturated": saturated("dp_control"),
        "temperature_saturated": saturated("temperature_control"),
        "temperature_cross": any(
            f.code == "temperature_cross" and f.element in (hot, cold) for f in result.flags
        ),
    }
