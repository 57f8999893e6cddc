"""The component registry of case files: type name -> constructor, ports and parameter specs.

Adding a component type to case files is one :class:`ComponentType` entry in :data:`REGISTRY`:
the loader validates every parameter against its :class:`Param` spec (unknown keys get a
"did you mean" suggestion, quantities are converted to SI with :func:`thermo.units.to_si`), the
builder calls the constructor with SI keyword arguments, and ``docs/case-files.md`` carries a
parameter table generated from the same entry (:func:`parameter_tables`; a test keeps the page
current).

Constructors are named by import path (``"thermo.components.pipe:Pipe"``) and imported only when
a case is built, so reading the registry costs nothing.
"""

from __future__ import annotations

from thermo.case.param_types import (  # re-exported: the registry's public names
    _ADAPT,
    _BRANCH,
    _CURVE_FLOW,
    _GEOMETRY,
    _HX_PORTS,
    _PLATE_FIELDS,
    _TRAY_PARAMS,
    VALUE_KINDS,
    ComponentType,
    Param,
    _pair,
    load,
)
from thermo.correlations.friction import FRICTION_LAWS as _FRICTION_LAWS

__all__ = [
    "Param",
    "ComponentType",
    "REGISTRY",
    "VALUE_KINDS",
    "component_type",
    "load",
]

_COOLING_TYPES = (
    ComponentType(
        "ColdPlate",
        "thermo.components.cold_plate:ColdPlate",
        _BRANCH,
        _PLATE_FIELDS,
        "Cold plate from datasheet laws: dp(V) power law, case-to-inlet resistance R(V); reports "
        "`T_case_C` and flags a case above its limit.",
        exclusive=(("resistance", "resistance_curve"),),
        adapter=_ADAPT + "cold_plate",
    ),
    ComponentType(
        "MicrochannelColdPlate",
        "thermo.components.cold_plate:MicrochannelColdPlate",
        _BRANCH,
        (
            Param("heat", "power", "Heat into the coolant [W].", required=True),
            _GEOMETRY,
            Param("case_limit", "temperature", "Case-temperature limit [K]."),
            Param("extra_resistance", "thermal_resistance", "Resistance added in series [K/W]."),
            Param("k_inlet", "number", "Inlet loss coefficient [-]."),
            Param("k_outlet", "number", "Outlet loss coefficient [-]."),
        ),
        "Cold plate from microchannel geometry (laminar developing flow, fin efficiency).",
    ),
    ComponentType(
        "QuickDisconnect",
        "thermo.components.rack:QuickDisconnect",
        _BRANCH,
        (Param("kv", "number", "Flow coefficient of the coupling pair [m³/h at 1 bar].", True),),
        "Quick-disconnect coupling pair with a datasheet Kv.",
    ),
    ComponentType(
        "ServerTray",
        "thermo.components.rack:ServerTray",
        _BRANCH,
        _TRAY_PARAMS,
        "Server tray: series loops of cold plates in parallel, optional couplings; plates are "
        "named `<tray>.<label><k>`.",
        adapter=_ADAPT + "server_tray",
    ),
    ComponentType(
        "Rack",
        "thermo.components.rack:Rack",
        ("supply", "return"),
        (
            Param("trays", "int", "Number of identical trays.", required=True),
            *_TRAY_PARAMS,
            Param("header_diameter", "length", "Inner diameter of both headers [m].", True),
            Param("tray_pitch", "length", "Distance between tray taps [m]."),
            Param("feed_length", "length", "Header length from the port to the first tap [m]."),
            Param("routing", "str", "Manifold routing.", choices=("U", "Z")),
            Param("roughness", "length", "Header wall roughness [m]."),
            Param("segment_k_minor", "number", "Fitting loss per header segment [-]."),
            Param("vertical", "bool", "Headers vertical (hydrostatic head in the segments)."),
        ),
        "Rack of identical trays on supply and return manifold headers (U or Z routing).",
        adapter=_ADAPT + "rack",
    ),
    ComponentType(
        "PlateHeatExchanger",
        "thermo.components.plate_heat_exchanger:PlateHeatExchanger",
        _HX_PORTS,
        (
            Param("ua", "thermal_conductance", "UA at the design flows [W/K].", required=True),
            Param("hot_design_flow", "mass_flow", "Hot-side design flow [kg/s].", required=True),
            Param("cold_design_flow", "mass_flow", "Cold-side design flow [kg/s].", required=True),
            Param("film_exponent", "number", "Exponent n of hA ∝ ṁⁿ (hot side, and cold) [-]."),
            Param("cold_film_exponent", "number", "Cold-side film exponent [-]."),
            Param("film_ratio", "number", "hA_hot / hA_cold at design [-]."),
            _pair("hot_pressure_drop", "Hot-side design point [pressure drop, mass flow]."),
            _pair("cold_pressure_drop", "Cold-side design point [pressure drop, mass flow]."),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
            Param(
                "interlock",
                "bool",
                "Differential-temperature interlock: full bypass whenever the hot side's inlet "
                "is not warmer than the cold side's (heat never flows backwards).",
            ),
        ),
        "Counterflow plate heat exchanger whose UA follows both flows; sides `<name>.hot`, "
        "`<name>.cold` (each with a controllable `through`: share of its flow through the "
        "plates, the rest bypassing them).",
    ),
    ComponentType(
        "CDU",
        "thermo.components.cdu:CDU",
        ("secondary_supply", "secondary_return", "facility_supply", "facility_return"),
        (
            Param("capacity", "power", "Rated duty [W].", required=True),
            Param("approach", "temperature_difference", "Approach at rated duty [K].", True),
            Param("secondary_design_flow", "mass_flow", "Secondary design flow [kg/s].", True),
            Param("facility_design_flow", "mass_flow", "Facility design flow [kg/s].", True),
            Param(
                "facility_design_temperature",
                "temperature",
                "Facility supply temperature of the rating [K].",
                required=True,
            ),
            Param("secondary_coolant", "coolant", "Secondary (IT) loop coolant.", True),
            Param("facility_coolant", "coolant", "Facility loop coolant.", True),
            Param(
                "pump_curve",
                "curve",
                "Pressure rise of one pump [[flow, pressure difference], ...] at full speed.",
                required=True,
                columns=("volume_flow", "pressure_difference"),
            ),
            Param("pumps_running", "int", "Pumps sharing the flow."),
            Param("standby_pumps", "int", "Redundant pumps (present, stopped, check valve)."),
            Param("pump_efficiency", "number", "Hydraulic efficiency of a pump [-]."),
            Param("supply_temperature", "temperature", "Secondary supply setpoint [K] (valve)."),
            Param(
                "differential_pressure",
                "pressure_difference",
                "Secondary differential-pressure setpoint [Pa] (pump speed).",
            ),
            Param("valve_kv", "number", "Facility valve Kv [m³/h at 1 bar]."),
            Param(
                "valve_characteristic",
                "str",
                "Facility valve characteristic.",
                choices=("equal_percentage", "linear"),
            ),
            Param("film_exponent", "number", "Plate-HX film exponent [-]."),
            Param("film_ratio", "number", "Plate-HX hA_hot / hA_cold at design [-]."),
            Param("secondary_pressure_drop", "pressure_difference", "HX secondary dp at design."),
            Param("facility_pressure_drop", "pressure_difference", "HX facility dp at design."),
            Param("expansion_tank_pressure", "pressure", "Secondary tank pressure [Pa]."),
            Param("min_pump_speed", "number", "Lower bound of the pump-speed control [-]."),
            Param("pump_speed", "number", "Pump speed (fixed, or start value) [-]."),
            Param("valve_opening", "number", "Valve opening (fixed, or start value) [-]."),
            Param("check_valve_kv", "number", "Kv of each pump path's check valve [m³/h]."),
        ),
        "Liquid-to-liquid coolant distribution unit (plate HX, pumps, facility valve, controls).",
    ),
    ComponentType(
        "DryCooler",
        "thermo.components.dry_cooler:DryCooler",
        _BRANCH,
        (
            Param(
                "rating",
                "table",
                "Datasheet rating point (sub-table).",
                required=True,
                factory="thermo.correlations.dry_cooler:DryCoolerRating",
                fields=(
                    Param("Q_design", "power", "Rated heat rejection [W].", True),
                    Param("m_water_design", "mass_flow", "Rated water flow [kg/s].", True),
                    Param("T_water_in_design", "temperature", "Rated water inlet [K].", True),
                    Param("T_air_in_design", "temperature", "Rated air inlet [K].", True),
                    Param("V_air_design", "volume_flow", "Air flow at full speed [m³/s].", True),
                    Param("P_fan_design", "power", "Fan power at full speed [W].", True),
                    Param("cp_water", "specific_heat", "Coolant specific heat [J/(kg·K)]."),
                    Param("n_air", "number", "Air-side film exponent [-]."),
                    Param("n_water", "number", "Water-side film exponent [-]."),
                    Param("r_design", "number", "hA_air / hA_water at the rating [-]."),
                    Param("speed_min", "number", "Lowest fan speed [-]."),
                    Param("p_atm", "pressure", "Site atmospheric pressure [Pa]."),
                ),
            ),
            Param("ambient_temperature", "temperature", "Ambient dry bulb [K].", required=True),
            Param("speed", "number", "Fan speed, fraction of full speed [-] (controllable)."),
            _pair("pressure_drop", "Water-side design point [pressure drop, mass flow]."),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
        ),
        "Dry cooler (water side): air-side ε-NTU crossflow, fan power ∝ speed³.",
    ),
)

_REUSE_TYPES = (
    ComponentType(
        "HeatPump",
        "thermo.components.heat_pump:HeatPump",
        ("source_inlet", "source_outlet", "sink_inlet", "sink_outlet"),
        (
            Param("sink_setpoint", "temperature", "Condenser outlet temperature [K].", True),
            Param(
                "model",
                "table",
                "Carnot-fraction COP model (sub-table; default values if omitted).",
                factory="thermo.plant.heat_pump:CarnotHeatPump",
                fields=(
                    Param("carnot_fraction", "number", "Fraction of the Carnot COP [-]."),
                    Param("evaporator_approach", "temperature_difference", "Approach [K]."),
                    Param("condenser_approach", "temperature_difference", "Approach [K]."),
                    Param("min_lift", "temperature_difference", "Smallest lift [K]."),
                    Param("max_lift", "temperature_difference", "Largest lift [K]."),
                    Param("max_sink_temperature", "temperature", "Highest sink outlet [K]."),
                    Param("heating_capacity", "power", "Heating capacity [W]."),
                    Param("min_part_load", "number", "Lowest part load [-]."),
                ),
            ),
            Param(
                "cycle",
                "table",
                "CoolProp refrigerant-cycle COP model (sub-table; instead of `model`).",
                factory="thermo.plant.heat_pump:VaporCompressionHeatPump",
                fields=(
                    Param("refrigerant", "str", "CoolProp fluid name, e.g. R1234ze(E).", True),
                    Param("isentropic_efficiency", "number", "Compressor efficiency [-]."),
                    Param("motor_efficiency", "number", "Motor and drive efficiency [-]."),
                    Param("superheat", "temperature_difference", "Superheat [K]."),
                    Param("subcooling", "temperature_difference", "Subcooling [K]."),
                    Param("evaporator_approach", "temperature_difference", "Approach [K]."),
                    Param("condenser_approach", "temperature_difference", "Approach [K]."),
                    Param("min_lift", "temperature_difference", "Smallest lift [K]."),
                    Param("max_lift", "temperature_difference", "Largest lift [K]."),
                    Param("heating_capacity", "power", "Heating capacity [W]."),
                    Param("min_part_load", "number", "Lowest part load [-]."),
                ),
            ),
            Param("heating_capacity", "power", "Largest condenser heat [W]."),
            Param("enabled", "bool", "false switches the unit off."),
            Param(
                "min_source_temperature",
                "temperature",
                "Lowest source water leaving the evaporator [K] (freeze or supply protection).",
            ),
            _pair("source_pressure_drop", "Evaporator design point [pressure drop, mass flow]."),
            _pair("sink_pressure_drop", "Condenser design point [pressure drop, mass flow]."),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
        ),
        "Electric heat pump between a source loop (evaporator) and a sink loop (condenser).",
        exclusive=(("model", "cycle"),),
        adapter="thermo.components.heat_pump:from_case",
    ),
    ComponentType(
        "Boiler",
        "thermo.components.boiler:Boiler",
        _BRANCH,
        (
            Param("setpoint", "temperature", "Supply temperature to reach [K].", required=True),
            Param("fuel", "str", "Boiler kind.", choices=("gas", "electric")),
            Param("condensing", "bool", "Condensing gas boiler (gas only)."),
            Param("capacity", "power", "Largest heat output [W]."),
            Param("enabled", "bool", "false switches the boiler off."),
            Param("grid_co2_per_J", "emission_factor", "CO₂ of electricity (electric boilers)."),
            _pair("pressure_drop", "Design point [pressure drop, mass flow]."),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
        ),
        "Top-up boiler raising its inlet to a setpoint, capped by capacity (gas or electric).",
        adapter=_ADAPT + "boiler",
    ),
    ComponentType(
        "GreenhouseRail",
        "thermo.components.greenhouse:GreenhouseRail",
        _BRANCH,
        (
            Param("length", "length", "Total rail length [m].", required=True),
            Param("air_temperature", "temperature", "Greenhouse air temperature [K].", True),
            Param("diameter", "length", "Outer pipe diameter [m]."),
            Param("emissivity", "number", "Pipe emissivity [-]."),
            Param("demand", "power", "Heat the greenhouse needs [W] (unmet-demand report)."),
            _pair("pressure_drop", "Design point [pressure drop, mass flow]."),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
        ),
        "Greenhouse heating-pipe rails (GreenLight convection and radiation).",
    ),
)
_STORAGE_TYPES = (
    ComponentType(
        "StorageTank",
        "thermo.transient.tank:StorageTank",
        _BRANCH,
        (
            Param("volume", "volume", "Fluid volume [m³].", required=True),
            Param("layers", "int", "Fully mixed layers in series (1: a mixed tank)."),
            Param("ua_ambient", "thermal_conductance", "Loss coefficient to ambient [W/K]."),
            Param("ambient_temperature", "temperature", "Temperature around the tank [K]."),
            Param("nominal_flow", "mass_flow", "Flow at which the ports lose the drop [kg/s]."),
            Param("port_pressure_drop", "pressure_difference", "Port-to-port loss [Pa]."),
        ),
        "Hot-water storage tank (mixed or stratified in layers, loss to ambient); stores heat in "
        "transient runs (`[transient]`), a lossless pass-through in a steady solve. Layers are "
        "`<name>.layer<k>`; the last layer is the outlet node.",
    ),
)


# ---- hydraulic fidelity (issue 14): check and isolation valves, zero-loss connections
_KV_PARAMS = (
    Param("kv", "number", "Flow coefficient of the open valve [m³/h at 1 bar]."),
    Param("k", "number", "Loss coefficient of the open valve [-] (with `diameter`)."),
    Param("diameter", "length", "Diameter the loss coefficient `k` refers to [m]."),
)
_FITTINGS = Param(
    "fittings",
    "named_tables",
    "Named fittings whose K (from `fluids`) adds to `k_minor`, e.g. "
    '`fittings.elbows = { type = "bend", count = 4 }` (types in docs/network.md).',
    fields=(
        Param(
            "type",
            "str",
            "Fitting type.",
            required=True,
            choices=(
                "bend",
                "miter_bend",
                "entrance_sharp",
                "entrance_rounded",
                "exit",
                "tee",
                "contraction",
                "expansion",
                "gate_valve",
                "ball_valve",
                "globe_valve",
                "butterfly_valve",
            ),
        ),
        Param("count", "int", "How many."),
        Param("angle_deg", "number", "Bend or tee angle [degrees]."),
        Param("bend_diameters", "number", "Bend radius over diameter r/D [-]."),
        Param("method", "str", "Bend method of fluids.bend_rounded (default Crane)."),
        Param("radius", "length", "Rounding radius of an entrance [m]."),
        Param(
            "path",
            "str",
            "Flow path through a tee.",
            choices=("branch_diverging", "run_diverging", "branch_converging", "run_converging"),
        ),
        Param("branch_fraction", "number", "Design share of the flow in the tee's branch [-]."),
        Param("to_diameter", "length", "Smaller bore after a contraction [m]."),
        Param("from_diameter", "length", "Smaller bore before an expansion [m]."),
        Param("seat_diameter", "length", "Seat bore of a gate, ball or globe valve [m]."),
        Param("style", "str", "Butterfly valve style (centric, double/triple offset)."),
    ),
)
_HYDRAULIC_TYPES = (
    ComponentType(
        "CheckValve",
        "thermo.components.check_valve:CheckValve",
        _BRANCH,
        (
            *_KV_PARAMS,
            Param(
                "cracking_pressure",
                "pressure_difference",
                "Forward pressure difference that opens the valve [Pa].",
            ),
        ),
        "Non-return valve: forward flow above the cracking pressure, no reverse flow at all.",
        one_of=(("kv", "k"),),
    ),
    ComponentType(
        "IsolationValve",
        "thermo.components.check_valve:IsolationValve",
        _BRANCH,
        (*_KV_PARAMS, Param("closed", "bool", "Valve shut: no flow; isolated parts reported.")),
        "Shut-off valve: open with a Kv loss, or closed with no flow at all.",
        one_of=(("kv", "k"),),
    ),
    ComponentType(
        "Connection",
        "thermo.components.check_valve:Connection",
        _BRANCH,
        (),
        "Zero-loss connection between two nodes.",
    ),
    ComponentType(
        "HazenWilliamsPipe",
        "thermo.components.hazen_williams:HazenWilliamsPipe",
        _BRANCH,
        (
            Param("length", "length", "Pipe length [m].", required=True),
            Param("diameter", "length", "Inner diameter [m].", required=True),
            Param("roughness_c", "number", "Hazen-Williams roughness coefficient C [-].", True),
        ),
        "Water pipe with the Hazen-Williams head loss (EPANET's default law).",
    ),
)

# ---- hot-water-cooled servers (the Canaan-Bitforest pilot's hardware) --------------------------
_SERVER_TYPES = (
    ComponentType(
        "HotWaterServer",
        "thermo.components.hot_water_server:HotWaterServer",
        _BRANCH,
        (
            Param("power", "power", "Electrical power of one server [W] (controllable)."),
            Param("count", "int", "Identical servers in parallel on this branch."),
            Param("liquid_fraction", "number", "Share of the power into the water [-]."),
            Param("rated_inlet_min", "temperature", "Lowest rated water inlet [K]."),
            Param("rated_inlet_max", "temperature", "Highest rated water inlet [K]."),
            Param("rated_outlet_max", "temperature", "Highest rated water outlet [K]."),
            Param("design_flow", "mass_flow", "Datasheet flow of one server [kg/s]."),
            Param(
                "design_pressure_drop",
                "pressure_difference",
                "Pressure drop of one server at its design flow [Pa].",
            ),
            Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
            Param("chip_resistance", "thermal_resistance", "Hottest chip to outlet water [K/W]."),
            Param("chip_limit", "temperature", "Chip temperature limit [K]."),
            Param("min_flow_fraction", "number", "Lowest flow as a share of the design flow [-]."),
        ),
        "Hot-water-cooled servers (hydro-cooled ASIC class) by count: heat into the water, "
        "power-law pressure drop, chip temperature, rating flags.",
        adapter="thermo.components.hot_water_server:from_case",
    ),
)

REGISTRY: dict[str, ComponentType] = {
    t.name: t
    for t in (
        ComponentType(
            "Pipe",
            "thermo.components.pipe:Pipe",
            _BRANCH,
            (
                Param("length", "length", "Pipe length [m].", required=True),
                Param("diameter", "length", "Inner diameter [m].", required=True),
                Param("roughness", "length", "Absolute wall roughness [m]."),
                Param("k_minor", "number", "Sum of fitting loss coefficients [-]."),
                Param("elevation_change", "length", "Outlet height minus inlet height [m]."),
                Param(
                    "heat_transfer_coefficient",
                    "heat_transfer_coefficient",
                    "Fluid-to-ambient coefficient per inner surface [W/(m²·K)]; 0 = adiabatic.",
                ),
                Param(
                    "ambient_temperature",
                    "temperature",
                    "Ambient temperature for heat loss [K]; needed with a coefficient > 0.",
                ),
                _FITTINGS,
                Param(
                    "friction_law",
                    "str",
                    "Friction law (default: `[network]` friction_law, else colebrook).",
                    choices=_FRICTION_LAWS,
                ),
            ),
            "Straight pipe: Darcy–Weisbach friction, fittings, elevation, optional heat loss.",
            adapter=_ADAPT + "pipe",
        ),
        ComponentType(
            "Valve",
            "thermo.components.valve:Valve",
            _BRANCH,
            (
                Param("kv", "number", "Flow coefficient Kv at full opening [m³/h at 1 bar]."),
                Param(
                    "k", "number", "Loss coefficient referred to `diameter` [-] (instead of kv)."
                ),
                Param("diameter", "length", "Diameter `k` refers to [m]."),
                Param("opening", "number", "Opening in [0, 1] [-] (controllable)."),
                Param(
                    "characteristic",
                    "str",
                    "Opening characteristic.",
                    choices=("linear", "equal_percentage"),
                ),
                Param("rangeability", "number", "Kv_max / Kv_min [-]."),
            ),
            "Valve, balancing valve or orifice with an opening characteristic.",
            one_of=(("kv", "k"),),
        ),
        ComponentType(
            "ThreeWayValve",
            "thermo.components.valve:ThreeWayValve",
            ("common", "port_a", "port_b"),
            (
                Param("kv", "number", "Kv of each port at full opening [m³/h at 1 bar].", True),
                Param("opening", "number", "Opening of port a in [0, 1]; port b opens 1 - x."),
                Param(
                    "characteristic",
                    "str",
                    "Port characteristic.",
                    choices=("linear", "equal_percentage"),
                ),
                Param("rangeability", "number", "Kv_max / Kv_min of a port [-]."),
                Param("mixing", "bool", "Ports flow into `common` (mixing) instead of out of it."),
            ),
            "Three-way valve: ports a and b with complementary openings; control `<name>.a`.",
        ),
        ComponentType(
            "Pump",
            "thermo.components.pump:Pump",
            _BRANCH,
            (
                Param(
                    "head_curve",
                    "curve",
                    "Datasheet head curve: [[flow, head], ...] at nominal speed.",
                    columns=(_CURVE_FLOW, "length"),
                ),
                Param(
                    "pressure_curve",
                    "curve",
                    "Datasheet curve as pressure rise: [[flow, pressure difference], ...].",
                    columns=(_CURVE_FLOW, "pressure_difference"),
                ),
                Param(
                    "pressure_rise",
                    "pressure_difference",
                    "Ideal pressure source: fixed rise at any flow [Pa].",
                ),
                Param(
                    "efficiency_curve",
                    "curve",
                    "Hydraulic efficiency curve: [[flow, efficiency], ...].",
                    columns=(_CURVE_FLOW, "dimensionless"),
                ),
                Param("efficiency", "number", "Constant hydraulic efficiency [-]."),
                Param("motor_efficiency", "number", "Motor efficiency [-]."),
                Param("drive_efficiency", "number", "Variable-frequency drive efficiency [-]."),
                Param("count", "int", "Identical pumps running in parallel."),
                Param("speed", "number", "Relative speed [-] (controllable; 0 = stopped)."),
                Param(
                    "curve",
                    "str",
                    "How the points become a head curve.",
                    choices=("quadratic", "polynomial", "tabulated", "power_law"),
                ),
                Param("degree", "int", "Degree of a `polynomial` curve."),
            ),
            "Centrifugal pump from datasheet curves (affinity laws), or an ideal pressure source.",
            one_of=(("head_curve", "pressure_curve", "pressure_rise"),),
        ),
        ComponentType(
            "HeatLoad",
            "thermo.components.heat:HeatLoad",
            _BRANCH,
            (
                Param(
                    "heat",
                    "power",
                    "Heat into the fluid [W] (negative removes heat; controllable).",
                    required=True,
                ),
            ),
            "Fixed heat flow into the fluid, no pressure drop (stand-in for a server or cold plate).",
        ),
        ComponentType(
            "Cooler",
            "thermo.components.heat:Cooler",
            _BRANCH,
            (
                Param(
                    "outlet_temperature",
                    "temperature",
                    "Temperature the fluid leaves at [K].",
                    required=True,
                ),
                Param("capacity", "power", "Largest heat removed [W]; none = unlimited."),
            ),
            "Ideal cooler holding its outlet temperature, optionally capacity-limited.",
        ),
        ComponentType(
            "HeatExchanger",
            "thermo.components.heat_exchanger:HeatExchanger",
            ("hot_inlet", "hot_outlet", "cold_inlet", "cold_outlet"),
            (
                Param("ua", "thermal_conductance", "Overall conductance UA [W/K].", required=True),
                Param(
                    "arrangement",
                    "str",
                    "Flow arrangement of the ε-NTU relation.",
                    choices=(
                        "counterflow",
                        "parallel",
                        "crossflow_unmixed",
                        "crossflow_mixed_cmin",
                        "crossflow_mixed_cmax",
                    ),
                ),
                Param(
                    "hot_pressure_drop",
                    "pair",
                    "Hot-side design point [pressure drop, mass flow].",
                    columns=("pressure_difference", "mass_flow"),
                ),
                Param(
                    "cold_pressure_drop",
                    "pair",
                    "Cold-side design point [pressure drop, mass flow].",
                    columns=("pressure_difference", "mass_flow"),
                ),
                Param("pressure_drop_exponent", "number", "Exponent n of dp ∝ ṁⁿ [-]."),
                Param(
                    "interlock",
                    "bool",
                    "Differential-temperature interlock: full bypass whenever the hot side's "
                    "inlet is not warmer than the cold side's.",
                ),
            ),
            "Liquid-to-liquid heat exchanger (ε-NTU); its sides are branches `<name>.hot` and "
            "`<name>.cold` (each with a controllable `through`: share of its flow through the "
            "plates).",
        ),
        ComponentType(
            "ExpansionTank",
            "thermo.components.boundaries:ExpansionTank",
            ("node",),
            (
                Param("pressure", "pressure", "Absolute pressure held at the node [Pa].", True),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Pressure reference of a closed loop (no net flow).",
        ),
        ComponentType(
            "PressureBoundary",
            "thermo.components.boundaries:PressureBoundary",
            ("node",),
            (
                Param("pressure", "pressure", "Absolute pressure [Pa].", required=True),
                Param(
                    "temperature",
                    "temperature",
                    "Temperature of fluid entering the network here [K].",
                    required=True,
                ),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Open connection at a fixed pressure.",
        ),
        ComponentType(
            "FlowSource",
            "thermo.components.boundaries:FlowSource",
            ("node",),
            (
                Param(
                    "mass_flow",
                    "mass_flow",
                    "Mass flow into the network [kg/s] (negative draws out).",
                ),
                Param(
                    "volume_flow",
                    "volume_flow",
                    "Volume flow into the network at `temperature` [m³/s] (negative draws out).",
                ),
                Param("temperature", "temperature", "Temperature of the entering fluid [K].", True),
                Param("coolant", "coolant", "Coolant of this loop (a name from `[coolants]`)."),
            ),
            "Fixed mass or volume flow into (or out of) the network.",
            one_of=(("mass_flow", "volume_flow"),),
        ),
        *_COOLING_TYPES,
        *_REUSE_TYPES,
        *_STORAGE_TYPES,
        *_HYDRAULIC_TYPES,
        *_SERVER_TYPES,
    )
}
"""Every component type case files know, by ``type`` name."""

CLASS_REPORTS: dict[str, tuple[str, ...]] = {
    "Pipe": ("velocity_m_s", "Re", "friction_factor"),
    "Valve": ("opening", "kv_m3_h"),
    "QuickDisconnect": ("opening", "kv_m3_h"),
    "Pump": (
        "speed",
        "head_m",
        "efficiency",
        "P_hydraulic_W",
        "P_shaft_W",
        "P_el_W",
        "units_running",
        "V_dot_unit_L_min",
    ),
    "HeatLoad": (),
    "Cooler": (),
    "HeatExchangerSide": ("effectiveness", "UA_W_K", "through"),
    "PlateHeatExchangerSide": ("effectiveness", "UA_W_K", "through"),
    "ColdPlate": ("T_case_C", "R_K_W", "case_margin_K", "case_limit_C"),
    "MicrochannelColdPlate": ("T_case_C", "R_K_W", "case_margin_K", "case_limit_C"),
    "DryCooler": ("speed", "fan_power_W", "T_ambient_C", "UA_W_K", "m_air_kg_s", "effectiveness"),
    "HeatPumpSide": ("COP", "P_el_W", "lift_K", "T_evap_C", "T_cond_C", "load_fraction"),
    "Boiler": ("fuel_W", "efficiency", "gas_m3_s", "co2_kg_s", "load_fraction", "setpoint_C"),
    "GreenhouseRail": (
        "Q_delivered_W",
        "demand_W",
        "unmet_W",
        "T_air_C",
        "emission_W_m",
        "in_service",
    ),
    "HotWaterServer": (
        "P_el_W",
        "heat_to_air_W",
        "flow_per_server_kg_s",
        "T_chip_C",
        "chip_margin_K",
    ),
    "TankLayer": (),
    "CheckValve": ("closed",),
    "IsolationValve": ("closed",),
    "Connection": (),
    "HazenWilliamsPipe": ("velocity_m_s",),
}
"""Result columns each branch class reports besides the common ones (``m_dot_kg_s``, ``Q_W``,
``T_in_C``, ...): used to validate checks before solving. A new branch class adds a line."""

COOLING_POWER: dict[str, str] = {"Pump": "P_el_W", "DryCooler": "fan_power_W"}
"""Electrical power columns counted as data-centre cooling power (PUE). Heat pumps and boilers
of a reuse loop are outside the data-centre boundary (The Green Grid: reused energy leaves the
boundary) and are not counted."""


def component_type(name: str) -> ComponentType | None:
    """The registry entry of ``name`` (None if unknown)."""
    return REGISTRY.get(name)
