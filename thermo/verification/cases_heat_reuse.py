"""Verification cases for the heat-reuse network components; explained in docs/validation/heat_reuse.md.

Each case builds a small network with the component and compares a published plant-level figure
with the solved network, so that the component (not only the physics function behind it) is
checked.
"""

from __future__ import annotations

from thermo.verification import VerificationCase

_C = 273.15  # K at 0 °C

_MANTSALA = (
    "Mäntsälä, Finland (Yandex data centre + Calefa heat pumps): ~40 °C server heat lifted to "
    "85 °C, heating capacity 3.6 MW, COP 3.4, R134a (decarbheat.eu; EHPA Heat Pump City of the "
    "Year 2015; docs/references.md §5)"
)
_ELLIS = (
    "Ellis (1990), in N. Castilla, Greenhouse Technology and Management, CABI (via "
    "what-when-how.com; docs/references.md §6): holding 20 °C air needs 4× the pipe length with "
    "40 °C water as with 80 °C water"
)


def _mantsala_network_p_el() -> float:
    """Compressor power [MW] of a 3.6 MW HeatPump lifting 45 → 40 °C source water to 85 °C."""
    from thermo import Coolant
    from thermo.components.heat_pump import HeatPump
    from thermo.network import FlowSource, Network, PressureBoundary

    water = Coolant("water")
    q = 3.6e6
    m_sink = q / (water.enthalpy(85.0 + _C) - water.enthalpy(55.0 + _C))
    m_source = q * (1.0 - 1.0 / 3.4) / (water.enthalpy(45.0 + _C) - water.enthalpy(40.0 + _C))
    net = Network(coolant=water, name="Mäntsälä heat pump")
    net.add(
        HeatPump(
            "hp",
            source_inlet="s1",
            source_outlet="s2",
            sink_inlet="k1",
            sink_outlet="k2",
            sink_setpoint=85.0 + _C,
            heating_capacity=q,
        ),
        FlowSource("source", "s1", mass_flow=m_source, temperature=45.0 + _C),
        PressureBoundary("source.out", "s2", pressure=2e5, temperature=45.0 + _C),
        FlowSource("sink", "k1", mass_flow=m_sink, temperature=55.0 + _C),
        PressureBoundary("sink.out", "k2", pressure=2e5, temperature=55.0 + _C),
    )
    return net.solve().value("hp.condenser", "P_el_W") / 1e6


def _ellis_length_ratio() -> float:
    """Rail length for equal heat at 40 °C vs 80 °C water in 20 °C air, from two network solves."""
    from thermo import Coolant
    from thermo.components.boiler import Boiler
    from thermo.components.greenhouse import GreenhouseRail
    from thermo.network import ExpansionTank, Network, Pump

    per_metre = []
    for supply in (80.0 + _C, 40.0 + _C):
        net = Network(coolant=Coolant("water"), name=f"rail at {supply - _C:.0f} °C")
        net.add(
            Pump("pump", "r", "a", pressure_rise=10e3),
            Boiler("boiler", "a", "s", setpoint=supply),
            GreenhouseRail(
                "rail",
                "s",
                "r",
                length=100.0,
                air_temperature=20.0 + _C,
                pressure_drop=(10e3, 20.0),
            ),
            ExpansionTank("tank", "r", pressure=2e5),
        )
        r = net.solve()  # 20 kg/s through 100 m: the water cools by < 0.2 K
        per_metre.append(r.value("rail", "emission_W_m"))
    return per_metre[0] / per_metre[1]


CASES: list[VerificationCase] = [
    VerificationCase(
        id="heat_reuse.mantsala_network_p_el",
        kind="plausibility",
        title="HeatPump component (Carnot 0.45) at Mäntsälä's 3.6 MW, 40 → 85 °C: compressor power",
        source=_MANTSALA,
        quantity="electrical power",
        reference=3.6 / 3.4,
        unit="MW",
        compute=_mantsala_network_p_el,
        rel_tol=0.10,
        notes="Published capacity and COP give 1.06 MW; the default Carnot fraction was partly "
        "derived from this plant. ±10 % covers the unknown source outlet and sink inlet "
        "temperatures (±5 K moves the COP by about ±10 %).",
    ),
    VerificationCase(
        id="heat_reuse.ellis_rail_length_40_vs_80C",
        kind="plausibility",
        title="GreenhouseRail: pipe length needed at 40 °C vs 80 °C water for equal heat in 20 °C air",
        source=_ELLIS,
        quantity="length ratio",
        reference=4.0,
        unit="-",
        compute=_ellis_length_ratio,
        rel_tol=0.125,
        notes="'4×' is given to one significant figure (3.5–4.5). Pipe diameter cancels (both "
        "emission terms scale with it); pure convection would give 4.27, pure radiation 3.65.",
    ),
]
