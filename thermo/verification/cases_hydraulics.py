"""Verification cases for hydraulic fidelity (``hydraulics.*``); explained in
docs/validation/hydraulics.md.

- The classical three-reservoir junction with Hazen–Williams pipes and reservoirs at different
  elevations, against the published solution of D. J. Wood's *Surge Analysis and the Wave Plan
  Method*, supplementary example problems, Appendix 0, Problem A0.49 (KYPipe LLC).
- The same network with a check valve that must shut the pipe to the lowest-but-one reservoir:
  zero flow there, and the remaining series path against its closed form.
- Two identical pumps in parallel lifting water 20 m against the combined curve ``H_2(Q) =
  H_1(Q/2)`` solved in closed form.
- The loss coefficient of a 2-inch 90° bend with r/D = 1.5 from ``fluids`` (Crane method) against
  the Crane TP-410 table it comes from.
"""

from __future__ import annotations

import functools
import math

from thermo.verification import VerificationCase

__all__ = ["CASES", "three_reservoir_network"]

_WOOD = (
    "D. J. Wood, Surge Analysis and the Wave Plan Method, supplementary material 'Example "
    "Problems and Solutions', Appendix 0 (steady-state hydraulics), Problem A0.49 (KYPipe LLC)"
)
_CRANE = "Crane Co., Flow of Fluids Through Valves, Fittings and Pipe, TP-410, 2009"
_P_ATM = 101325.0
_T = 288.15

THREE_RESERVOIRS = {
    # pipe: (from, to, length [m], diameter [m], Hazen-Williams C)
    "AJ": ("A", "J", 200.0, 0.500, 100.0),
    "JB": ("J", "B", 2000.0, 0.500, 100.0),
    "JC": ("J", "C", 400.0, 0.200, 140.0),
}
RESERVOIR_GRADES = {"A": 200.0, "B": 180.0, "C": 185.0}
"""Hydraulic grades of the reservoirs [m] (Problem A0.49)."""
JUNCTION_ELEVATION = 150.0
"""Elevation of the junction [m]: not given in the problem (it does not change the flows)."""


def three_reservoir_network(check_valve_on_jc: bool = False):
    """The three-reservoir network; with ``check_valve_on_jc`` a check valve admits only C -> J."""
    from thermo import Coolant
    from thermo.components.hazen_williams import HazenWilliamsPipe
    from thermo.network import CheckValve, Network, PressureBoundary

    net = Network(Coolant("water"), name="three reservoirs")
    for node, z in RESERVOIR_GRADES.items():
        net.set_elevation(node, z)
        net.add(PressureBoundary(f"reservoir_{node}", node, pressure=_P_ATM, temperature=_T))
    net.set_elevation("J", JUNCTION_ELEVATION)
    for name, (a, b, length, d, c) in THREE_RESERVOIRS.items():
        if name == "JC" and check_valve_on_jc:
            net.set_elevation("K", JUNCTION_ELEVATION)
            net.add(CheckValve("check", "K", "J", kv=2000.0))
            a = "K"
            net.add(HazenWilliamsPipe(name, b, a, length=length, diameter=d, roughness_c=c))
            continue
        net.add(HazenWilliamsPipe(name, a, b, length=length, diameter=d, roughness_c=c))
    return net


@functools.lru_cache(maxsize=2)
def _solve(check: bool):
    return three_reservoir_network(check).solve()


def _flow(check: bool, pipe: str):
    def compute() -> float:
        return abs(float(_solve(check).components.loc[pipe, "V_dot_m3_s"]))

    return compute


def _series_closed_form() -> float:
    """A -> J -> B in series with the JC branch shut: 20 m = (R_AJ + R_JB) Q^1.852."""
    from thermo.components.hazen_williams import (
        HW_CONSTANT,
        HW_DIAMETER_EXPONENT,
        HW_FLOW_EXPONENT,
    )

    r = 0.0
    for name in ("AJ", "JB"):
        _, _, L, d, c = THREE_RESERVOIRS[name]
        r += HW_CONSTANT * L / (c**HW_FLOW_EXPONENT * d**HW_DIAMETER_EXPONENT)
    head = RESERVOIR_GRADES["A"] - RESERVOIR_GRADES["B"]
    return (head / r) ** (1.0 / HW_FLOW_EXPONENT)


PUMP_SHUTOFF = 50.0
PUMP_CURVATURE = 2.0e5
"""Head of one pump ``H = 50 m - 2e5 Q²`` [m, Q in m³/s]."""
STATIC_LIFT = 20.0
SYSTEM_RESISTANCE = 4.0e5
"""System curve ``H = 20 m + 4e5 Q²`` [m, Q in m³/s]."""


def _parallel_pumps_flow() -> float:
    from thermo import Coolant
    from thermo.network import Network, PressureBoundary, Pump, Valve

    g, d = 9.80665, 0.1
    area = math.pi * d * d / 4
    net = Network(Coolant("water"), name="parallel pumps")
    net.set_elevation("top", STATIC_LIFT)
    curve = [(q, PUMP_SHUTOFF - PUMP_CURVATURE * q * q) for q in (0.0, 0.005, 0.01)]
    net.add(
        PressureBoundary("sump", "bottom", pressure=_P_ATM, temperature=_T),
        Pump("pumps", "bottom", "out", head_curve=curve, count=2),
        Valve("system", "out", "top", k=SYSTEM_RESISTANCE * 2 * g * area**2, diameter=d),
        PressureBoundary("tank", "top", pressure=_P_ATM, temperature=_T),
    )
    return float(net.solve().components.loc["pumps", "V_dot_m3_s"])


def _parallel_closed_form() -> float:
    # H_2(Q) = H_1(Q/2): 50 - 2e5 Q²/4 = 20 + 4e5 Q²
    return math.sqrt((PUMP_SHUTOFF - STATIC_LIFT) / (SYSTEM_RESISTANCE + PUMP_CURVATURE / 4))


def _crane_bend() -> float:
    from thermo.correlations.fittings import k_bend

    return k_bend(0.0525, bend_diameters=1.5, method="Crane")  # 2-inch schedule 40 bore


CASES: list[VerificationCase] = [
    VerificationCase(
        id="hydraulics.three_reservoirs_q_aj",
        title="Three-reservoir junction (Hazen-Williams, elevations): flow from reservoir A",
        source=_WOOD + ": Q_AJ = 0.433 m3/s",
        quantity="volume flow",
        reference=0.433,
        unit="m3/s",
        compute=_flow(False, "AJ"),
        shares="hydraulics.three_reservoir",
        abs_tol=0.0015,
        notes="published to 3 decimals (+-0.0005); the solution uses the diameter exponent "
        "4.87, thermo EPANET's 4.871 (0.1 % in head loss): +-0.0015",
    ),
    VerificationCase(
        id="hydraulics.three_reservoirs_q_jb",
        title="Three-reservoir junction: flow into reservoir B",
        source=_WOOD + ": Q_JB = 0.346 m3/s",
        quantity="volume flow",
        reference=0.346,
        unit="m3/s",
        compute=_flow(False, "JB"),
        shares="hydraulics.three_reservoir",
        abs_tol=0.0015,
        notes="as for Q_AJ",
    ),
    VerificationCase(
        id="hydraulics.three_reservoirs_q_jc",
        title="Three-reservoir junction: flow into reservoir C",
        source=_WOOD + ": Q_JC = 0.087 m3/s",
        quantity="volume flow",
        reference=0.087,
        unit="m3/s",
        compute=_flow(False, "JC"),
        shares="hydraulics.three_reservoir",
        abs_tol=0.0015,
        notes="as for Q_AJ",
    ),
    VerificationCase(
        id="hydraulics.check_valve_branch_closes",
        title="Same network, a check valve admitting only C -> J: the JC branch must close",
        source="problem A0.49 with a check valve on pipe JC: flow J -> C is blocked, so Q_JC = 0",
        quantity="volume flow",
        reference=0.0,
        unit="m3/s",
        compute=_flow(True, "JC"),
        shares="hydraulics.three_reservoir",
        abs_tol=1e-9,
        notes="the shut valve leaks 1e-12 of its nominal flow per 10 kPa by construction",
    ),
    VerificationCase(
        id="hydraulics.check_valve_series_flow",
        title="Same network with JC shut: A -> J -> B flow against the series closed form",
        source="closed form of the series path: h_A - h_B = (R_AJ + R_JB) Q^1.852 (Hazen-"
        "Williams, EPANET 2.2 manual Table 3.1)",
        quantity="volume flow",
        reference=_series_closed_form(),
        unit="m3/s",
        compute=_flow(True, "AJ"),
        shares="hydraulics.three_reservoir",
        rel_tol=1e-6,
        notes="analytic; tolerance is the solver's",
    ),
    VerificationCase(
        id="hydraulics.parallel_pumps_combined_curve",
        title="Two identical pumps in parallel (count = 2) lifting water 20 m: total flow",
        source="combined curve of N identical pumps in parallel, H_N(Q) = H_1(Q/N) (e.g. White, "
        "Fluid Mechanics, 7th ed., 2011, §11.6), with H_1 = 50 m - 2e5 Q² and the system "
        "20 m + 4e5 Q²: Q = sqrt(30 / 4.5e5)",
        quantity="volume flow",
        reference=_parallel_closed_form(),
        unit="m3/s",
        compute=_parallel_pumps_flow,
        rel_tol=1e-6,
        notes="analytic; the static lift comes from the node elevation",
    ),
    VerificationCase(
        id="hydraulics.crane_bend_r1p5_2in",
        title="Loss coefficient of a 2-inch 90-degree bend, r/D = 1.5 (fluids, Crane method)",
        source=_CRANE + ", p. A-29, pipe bends: K = 14 f_T at r/d = 1.5, f_T(2 in) = 0.019",
        quantity="loss coefficient",
        reference=14 * 0.019,
        unit="-",
        compute=_crane_bend,
        abs_tol=14 * 0.0005,
        notes="14 times the rounding of the published f_T (+-0.0005)",
    ),
]
