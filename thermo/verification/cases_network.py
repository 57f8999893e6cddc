"""Verification cases for the network solver (``network.*``); explained in
docs/validation/network.md.

Two published worked examples from E. Maurer's *hydraulics* package for R (the teaching companion
of his online book *Hydraulics and Water Resources: Examples Using R*):

* a three-loop, ten-pipe water network solved by the Hardy Cross method (vignette §7), once with
  fixed Darcy friction factors and once with Colebrook friction factors from a 0.25 mm roughness;
* the operating point of a pump on a system curve (vignette §6).

The network builders are public so that the test suite can solve the same networks with an
independent solver (``tests/test_network_exact.py``).
"""

from __future__ import annotations

import functools
import math

from thermo.verification import VerificationCase

__all__ = [
    "CASES",
    "HARDY_CROSS_PIPES",
    "HARDY_CROSS_DEMANDS",
    "HARDY_CROSS_TEMPERATURE",
    "hardy_cross_network",
    "operating_point_network",
    "OPERATING_POINT",
]

_MAURER = (
    "E. Maurer, I. Embry, hydraulics: Basic Pipe and Open Channel Hydraulics, R package 0.7.2, "
    "vignette 'Hydraulics Vignette' (CRAN, 2025)"
)

HARDY_CROSS_TEMPERATURE = 293.15
"""Water temperature of the vignette's Colebrook calculation (20 °C) [K]."""

HARDY_CROSS_PIPES: list[tuple[str, str, float, float, float]] = [
    # (from node, to node, diameter [m], length [m], fixed Darcy friction factor [-])
    ("A", "B", 0.30, 250.0, 0.01879),
    ("B", "C", 0.20, 100.0, 0.02075),
    ("C", "D", 0.20, 125.0, 0.02075),
    ("E", "D", 0.20, 125.0, 0.02075),
    ("A", "E", 0.20, 100.0, 0.02075),
    ("D", "F", 0.15, 100.0, 0.02233),
    ("F", "G", 0.25, 125.0, 0.01964),
    ("E", "G", 0.15, 100.0, 0.02233),
    ("C", "H", 0.15, 100.0, 0.02233),
    ("F", "H", 0.25, 125.0, 0.01964),
]
"""Pipes 1-10 of the vignette's network. Diameters, lengths and friction factors are the
vignette's; the node names are ours. The loops are (1, 2, 3, 4, 5), (4, 6, 7, 8) and
(3, 9, 10, 6) clockwise; the orientation written here is the direction of the converged flow."""

HARDY_CROSS_DEMANDS: dict[str, float] = {"D": 0.040, "G": 0.020, "H": 0.020}
"""Withdrawals [m³/s]; 0.080 m³/s enters at node A. Read from the vignette's initial flows, which
satisfy continuity (node D: 0.02 + 0.02 in, 0 out; G: 0.02 in; H: 0.02 in)."""

HARDY_CROSS_ROUGHNESS = 0.00025
"""Absolute roughness of the vignette's Colebrook variant [m]."""


def hardy_cross_network(friction: str = "fixed"):
    """The vignette's network as a thermo :class:`~thermo.network.Network`.

    ``friction="fixed"`` models each pipe with the vignette's fixed Darcy friction factor ``f``
    as a loss element of coefficient ``K = f L / D`` (a :class:`~thermo.network.Valve` given
    ``k`` and ``diameter``: ``dp = K rho v²/2`` exactly, which is Darcy–Weisbach with constant
    ``f``); ``friction="colebrook"`` uses :class:`~thermo.network.Pipe` with 0.25 mm roughness,
    whose friction factor follows Colebrook at the local Reynolds number. Water at 20 °C enters at
    node A from a pressure boundary; the demands are flow sinks.
    """
    from thermo import Coolant
    from thermo.network import FlowSource, Network, Pipe, PressureBoundary, Valve

    water = Coolant("water")
    rho = float(water.density(HARDY_CROSS_TEMPERATURE))
    net = Network(coolant=water, name=f"Hardy Cross network ({friction} friction)")
    for i, (a, b, d, length, f) in enumerate(HARDY_CROSS_PIPES, start=1):
        if friction == "fixed":
            net.add(Valve(f"pipe{i}", a, b, k=f * length / d, diameter=d))
        elif friction == "colebrook":
            net.add(
                Pipe(f"pipe{i}", a, b, length=length, diameter=d, roughness=HARDY_CROSS_ROUGHNESS)
            )
        else:
            raise ValueError(f"friction must be 'fixed' or 'colebrook', got {friction!r}")
    net.add(PressureBoundary("supply", "A", pressure=4e5, temperature=HARDY_CROSS_TEMPERATURE))
    for node, q in HARDY_CROSS_DEMANDS.items():
        net.add(
            FlowSource(
                f"demand_{node}", node, mass_flow=-q * rho, temperature=HARDY_CROSS_TEMPERATURE
            )
        )
    return net


@functools.lru_cache(maxsize=2)
def _hardy_cross_flows(friction: str) -> tuple[float, ...]:
    """Converged pipe flows [m³/s] of the thermo model, pipes 1-10."""
    from thermo import Coolant

    result = hardy_cross_network(friction).solve()
    rho = float(Coolant("water").density(HARDY_CROSS_TEMPERATURE))
    return tuple(result.mass_flow(f"pipe{i}") / rho for i in range(1, 11))


def _flow_l_s(friction: str, pipe: int):
    def compute() -> float:
        return 1e3 * _hardy_cross_flows(friction)[pipe - 1]

    return compute


# ---------------------------------------------------------------------------- operating point
_FT = 0.3048
_GALLON = 3.785411784e-3
OPERATING_POINT = {
    "curve_gpm": (0.0, 5000.0, 7850.0),
    "curve_ft": (81.0, 60.0, 20.0),
    "static_head_ft": 30.0,
    "diameter_ft": 20.0 / 12.0,
    "length_ft": 3884.0,
    "roughness_ft": 0.0005,
    "kinematic_viscosity_ft2_s": 1.23e-5,
    "g_ft_s2": 32.2,
}
"""Inputs of the vignette's §6 example (US customary units, as published)."""


def operating_point_network():
    """The vignette's pump, pipe and two reservoirs as a thermo network.

    The vignette fits ``h = a + c Q²`` to three catalogue points by least squares ("poly2") and
    takes the pipe's loss as ``h_f = K Q²`` with ``K`` from Darcy–Weisbach at ``Q = 1 ft³/s``
    (Colebrook friction factor at that flow, then held fixed). thermo gets the same two curves:
    the pump is given two points of the fitted parabola (with two points its quadratic has no
    linear term, so it is that parabola exactly), the pipe is a loss element with the same ``K``,
    and the static head is the pressure difference of the two reservoir boundaries.
    Returns ``(network, K)`` with ``K`` in s²/ft⁵.
    """
    import numpy as np

    from thermo import Coolant
    from thermo.correlations import darcy_friction
    from thermo.network import Network, PressureBoundary, Pump, Valve

    op = OPERATING_POINT
    cfs = np.array(op["curve_gpm"]) * _GALLON / 60.0 / _FT**3
    h = np.array(op["curve_ft"])
    (a, c), *_ = np.linalg.lstsq(np.column_stack([np.ones(3), cfs**2]), h, rcond=None)
    d, length, g = op["diameter_ft"], op["length_ft"], op["g_ft_s2"]
    area = math.pi * d * d / 4.0
    v1 = 1.0 / area  # velocity at Q = 1 ft³/s
    f = darcy_friction(v1 * d / op["kinematic_viscosity_ft2_s"], op["roughness_ft"] / d)
    K = f * length / d / (2.0 * g * area * area)  # h_f = K Q² [ft, ft³/s]

    water = Coolant("water")
    T = 288.15
    rho = float(water.density(T))
    g_si = 9.80665
    # two points of the fitted parabola (the second at the last catalogue flow), in m³/s and m
    curve = [(0.0, a * _FT), (cfs[-1] * _FT**3, (a + c * cfs[-1] ** 2) * _FT)]
    d_si = d * _FT
    area_si = math.pi * d_si**2 / 4.0
    # loss element with the vignette's head-loss coefficient: dp = rho g K Q² (K converted to SI)
    K_si = K * _FT / _FT**6  # [m / (m³/s)²]
    k_loss = K_si * 2.0 * g_si * area_si**2
    p0 = 101325.0
    net = Network(coolant=water, name="pump operating point")
    net.add(
        PressureBoundary("lower_reservoir", "in", pressure=p0, temperature=T),
        Pump("pump", "in", "out", head_curve=curve),
        Valve("pipe", "out", "end", k=k_loss, diameter=d_si),
        PressureBoundary(
            "upper_reservoir",
            "end",
            pressure=p0 + rho * g_si * op["static_head_ft"] * _FT,
            temperature=T,
        ),
    )
    return net, K


@functools.lru_cache(maxsize=1)
def _operating_point() -> tuple[float, float]:
    """(flow [ft³/s], pump head [ft]) of the thermo model."""
    net, _ = operating_point_network()
    result = net.solve()
    q = result.components.loc["pump", "V_dot_m3_s"] / _FT**3
    head = result.value("pump", "head_m") / _FT
    return float(q), float(head)


_HC_NOTE = (
    "published after three Hardy Cross iterations, rounded to 0.1 L/s; the converged solution of "
    "the same equations differs from the published values by up to 0.23 L/s, hence +-0.3 L/s"
)

CASES: list[VerificationCase] = [
    VerificationCase(
        id="network.hardy_cross_fixed_f_pipe1",
        title="Three-loop water network, fixed friction factors: flow in pipe 1 (main feed)",
        source=_MAURER + ", section 7.0, first Hardy Cross table (fixed f): 0.0383 m3/s",
        quantity="volume flow",
        reference=38.3,
        unit="L/s",
        compute=_flow_l_s("fixed", 1),
        shares="network.hardy_cross_fixed",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.hardy_cross_fixed_f_pipe4",
        title="Three-loop water network, fixed friction factors: flow in pipe 4 (shared by loops)",
        source=_MAURER + ", section 7.0, first Hardy Cross table (fixed f): -0.0258 m3/s in loop 1",
        quantity="volume flow",
        reference=25.8,
        unit="L/s",
        compute=_flow_l_s("fixed", 4),
        shares="network.hardy_cross_fixed",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.hardy_cross_fixed_f_pipe7",
        title="Three-loop water network, fixed friction factors: flow in pipe 7 (smallest flow)",
        source=_MAURER + ", section 7.0, first Hardy Cross table (fixed f): 0.0041 m3/s",
        quantity="volume flow",
        reference=4.1,
        unit="L/s",
        compute=_flow_l_s("fixed", 7),
        shares="network.hardy_cross_fixed",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.hardy_cross_colebrook_pipe1",
        title="Three-loop water network, Colebrook friction (ks = 0.25 mm): flow in pipe 1",
        source=_MAURER + ", section 7.0, second Hardy Cross table (ks): 0.0382 m3/s",
        quantity="volume flow",
        reference=38.2,
        unit="L/s",
        compute=_flow_l_s("colebrook", 1),
        shares="network.hardy_cross_colebrook",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.hardy_cross_colebrook_pipe4",
        title="Three-loop water network, Colebrook friction (ks = 0.25 mm): flow in pipe 4",
        source=_MAURER + ", section 7.0, second Hardy Cross table (ks): -0.0258 m3/s",
        quantity="volume flow",
        reference=25.8,
        unit="L/s",
        compute=_flow_l_s("colebrook", 4),
        shares="network.hardy_cross_colebrook",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.hardy_cross_colebrook_pipe7",
        title="Three-loop water network, Colebrook friction (ks = 0.25 mm): flow in pipe 7",
        source=_MAURER + ", section 7.0, second Hardy Cross table (ks): 0.0040 m3/s",
        quantity="volume flow",
        reference=4.0,
        unit="L/s",
        compute=_flow_l_s("colebrook", 7),
        shares="network.hardy_cross_colebrook",
        abs_tol=0.3,
        notes=_HC_NOTE,
    ),
    VerificationCase(
        id="network.pump_operating_point_flow",
        title="Pump on a system curve (30 ft static head, 3884 ft of 20 in pipe): operating flow",
        source=_MAURER + ", section 6.0: 'Operating Point: Q = 12.051, h = 53.285' (ft3/s, ft)",
        quantity="volume flow",
        reference=12.051,
        unit="ft3/s",
        compute=lambda: _operating_point()[0],
        shares="network.operating_point",
        abs_tol=0.005,
        notes="the vignette's inputs reproduce 12.053 ft3/s by hand; 0.005 covers its root finder",
    ),
    VerificationCase(
        id="network.pump_operating_point_head",
        title="Pump on a system curve: pump head at the operating point",
        source=_MAURER + ", section 6.0: 'Operating Point: Q = 12.051, h = 53.285' (ft3/s, ft)",
        quantity="pump head",
        reference=53.285,
        unit="ft",
        compute=lambda: _operating_point()[1],
        shares="network.operating_point",
        abs_tol=0.02,
        notes="the vignette's inputs reproduce 53.276 ft by hand; 0.02 ft covers its root finder",
    ),
]
