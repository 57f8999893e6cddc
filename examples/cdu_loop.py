"""A CDU loop: three 130 kW racks in parallel, a plate heat exchanger to the facility water.

Technology cooling system (PG25): CDU pump -> supply main -> three racks (hose + cold plates as a
130 kW heat load each) -> return main -> plate HX (hot side) -> pump.
Facility water system (water): pump -> plate HX (cold side) -> dry cooler holding 30 °C -> pump.

Where the numbers come from: 130 kW per rack at about 1.5 L/(min kW) and a 10 K rise (OCP OAI
Liquid-Cooling Guidelines v1.0, section 3.2: 1.25-2.0 L/(min kW), 1.5 typical); a CDU
differential pressure of a few bar (the OCP Reservoir & Pumping Unit specification asks for
150 L/min at up to 2.76 bar per 100 kW). The pump curve is *illustrative*, not a product's
datasheet: shut-off 32 m, 25 m at 10 L/s (the design point), 18.5 m at 14 L/s. Each rack branch
lumps hose, quick disconnects, manifold and cold plates into one loss coefficient (about 1.5 bar
at the design flow). UA = 80 kW/K gives an approach of a few kelvin at full load, the order
plate-HX CDUs are specified for. A temperature cross in the plate HX (cold outlet warmer than hot
outlet) is possible because a plate HX is close to pure counterflow; the result flags it.

Run ``python examples/cdu_loop.py``.
"""

from thermo import Coolant
from thermo.network import Cooler, ExpansionTank, HeatExchanger, HeatLoad, Network, Pipe, Pump

net = Network(coolant=Coolant("PG25"), name="CDU loop")
net.add(
    Pump(
        "cdu_pump", "tcs_cold", "tcs_supply", head_curve=[(0.0, 32.0), (0.010, 25.0), (0.014, 18.5)]
    ),
    Pipe("supply_main", "tcs_supply", "manifold", length=15.0, diameter=0.065, k_minor=3.0),
    *[
        Pipe(f"hose{i}", "manifold", f"rack{i}", length=4.0, diameter=0.04, k_minor=40.0)
        for i in (1, 2, 3)
    ],
    *[HeatLoad(f"rack{i}", f"rack{i}", "collector", heat=130e3) for i in (1, 2, 3)],
    Pipe("return_main", "collector", "hx_in", length=15.0, diameter=0.065, k_minor=3.0),
    HeatExchanger(
        "cdu_hx",
        hot_inlet="hx_in",
        hot_outlet="tcs_cold",
        cold_inlet="fws_supply",
        cold_outlet="fws_return",
        ua=80e3,
        hot_pressure_drop=(40e3, 10.0),
        cold_pressure_drop=(40e3, 12.0),
    ),
    ExpansionTank("tcs_tank", "tcs_cold", pressure=2.5e5),
    Pump("fws_pump", "fws_cold", "fws_supply", pressure_rise=1.2e5),
    Cooler("dry_cooler", "fws_return", "fws_cold", outlet_temperature=303.15),
    ExpansionTank("fws_tank", "fws_cold", pressure=2.0e5, coolant=Coolant("water")),
)
result = net.solve()

table = result.components[["V_dot_L_min", "T_in_C", "T_out_C", "dp_Pa", "Q_W"]]
print(table.round(2).to_string())
print(
    f"\nTCS supply {result.temperature('tcs_supply') - 273.15:.2f} °C, "
    f"return {result.temperature('hx_in') - 273.15:.2f} °C, "
    f"HX effectiveness {result.value('cdu_hx.cold', 'effectiveness'):.3f}"
)
print(
    f"CDU pump: head {result.value('cdu_pump', 'head_m'):.1f} m, "
    f"electrical power {result.value('cdu_pump', 'P_el_W') / 1e3:.2f} kW"
)
print(f"closure: mass {result.closure['mass_rel']:.1e}, energy {result.closure['energy_rel']:.1e}")
for flag in result.flags:
    print(f"flag {flag.element}: {flag.code}: {flag.message}")
