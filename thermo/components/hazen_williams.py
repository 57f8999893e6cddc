"""Pipe with the Hazen–Williams head loss, the default law of water-distribution tools (EPANET).

SI form of the Hazen–Williams formula (Rossman et al., *EPANET 2.2 User Manual*, US EPA/600/R-20/133,
2020, Table 3.1)::

    h_L = 10.67 L Q^1.852 / (C^1.852 d^4.871)      [m, with L, d in m and Q in m³/s]

and ``p_in - p_out = rho g h_L`` (sign following the flow). ``C`` is the Hazen–Williams roughness
coefficient (about 100–150; EPANET manual Table 3.2). The formula is empirical: valid for water near
room temperature in turbulent flow only; for other coolants or laminar flow use
:class:`~thermo.components.pipe.Pipe` (Darcy–Weisbach). Below 1e-4 of the flow that gives 1 m of
head loss per km the law turns linear (:func:`~thermo.components.laws.regularised_power_law`).
"""

from __future__ import annotations

import numpy as np

from thermo.components.base import (
    Branch,
    BranchGroup,
    Hydraulics,
    adiabatic_thermal,
    check_positive,
)
from thermo.components.laws import regularised_power_law

__all__ = ["HazenWilliamsPipe", "HW_CONSTANT", "HW_FLOW_EXPONENT", "HW_DIAMETER_EXPONENT"]

HW_CONSTANT = 10.67
"""SI constant of the Hazen–Williams head loss (EPANET 2.2 manual, Table 3.1)."""
HW_FLOW_EXPONENT = 1.852
"""Flow exponent of the Hazen–Williams head loss (EPANET 2.2 manual, Table 3.1)."""
HW_DIAMETER_EXPONENT = 4.871
"""Diameter exponent of the Hazen–Williams head loss (EPANET 2.2 manual, Table 3.1)."""
G = 9.80665


class HazenWilliamsPipe(Branch):
    """A water pipe of ``length`` [m] and ``diameter`` [m] with Hazen–Williams ``roughness_c``."""

    def __init__(
        self,
        name: str,
        inlet: str,
        outlet: str,
        *,
        length: float,
        diameter: float,
        roughness_c: float,
    ) -> None:
        super().__init__(name, inlet, outlet)
        self.length = check_positive(length, "length", name)
        self.diameter = check_positive(diameter, "diameter", name)
        self.roughness_c = check_positive(roughness_c, "roughness_c", name)

    def head_loss(self, volume_flow: float) -> float:
        """Head loss [m] at ``volume_flow`` [m³/s] (positive flow), the formula itself."""
        r = HW_CONSTANT * self.length / (self.roughness_c**HW_FLOW_EXPONENT)
        return r * volume_flow**HW_FLOW_EXPONENT / self.diameter**HW_DIAMETER_EXPONENT


class HazenWilliamsGroup(BranchGroup):
    def __init__(self, components, branch_index, branch_position=None) -> None:
        super().__init__(components, branch_index, branch_position)
        c = self.components
        L = np.array([p.length for p in c])
        d = np.array([p.diameter for p in c])
        C = np.array([p.roughness_c for p in c])
        self.r = HW_CONSTANT * L / (C**HW_FLOW_EXPONENT * d**HW_DIAMETER_EXPONENT)  # m/(m³/s)^n
        # flow of 1 m head loss per km, times 1e-4: the start of the linear zone
        self.v_lin = 1e-4 * (1e-3 * L / self.r) ** (1.0 / HW_FLOW_EXPONENT)

    def hydraulics(self, ctx) -> Hydraulics:
        rho = ctx.rho
        n = HW_FLOW_EXPONENT
        # dp = rho g r (m/rho)^n = c m^n with c = g r rho^(1-n)
        c = G * self.r * rho ** (1.0 - n)
        dp, ddp = regularised_power_law(ctx.m, c, n, self.v_lin * rho)
        ddp_dT = dp * (1.0 - n) / rho * ctx.drho_dT
        return Hydraulics(
            dp, [ddp, ddp_dT] + [np.zeros_like(dp)] * (len(self.hydraulic_dependencies) - 2)
        )

    def thermal(self, ctx):
        return adiabatic_thermal(ctx, len(self.thermal_dependencies))

    def report(self, ctx) -> dict[str, np.ndarray]:
        V = ctx.m / ctx.rho
        return {
            "velocity_m_s": V / (np.pi * np.array([p.diameter for p in self.components]) ** 2 / 4)
        }


HazenWilliamsPipe.group = HazenWilliamsGroup
