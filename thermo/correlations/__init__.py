"""Correlations: pure, vectorised functions, SI in and SI out, each citing its source.

Friction and pipe pressure drop (:mod:`.friction`), internal forced convection
(:mod:`.convection`), heat exchanger effectiveness (:mod:`.effectiveness`), fittings, valves and
roughness (:mod:`.fittings`). Importing this package imports numpy only; ``fluids`` is imported
inside the fittings functions that need it.

Other modules of this package (cold plates, microchannels, plate heat exchangers, dry coolers)
are imported from their own modules.
"""

from __future__ import annotations

from thermo.correlations.convection import (
    BOUNDARIES,
    nusselt_internal,
    nusselt_internal_derivative,
)
from thermo.correlations.effectiveness import (
    ARRANGEMENTS,
    effectiveness,
    effectiveness_derivatives,
    ntu_from_effectiveness,
)
from thermo.correlations.fittings import (
    ROUGHNESS,
    ROUGHNESS_SOURCES,
    KvDrop,
    change_k_basis,
    crane_ft,
    cv_to_kv,
    dp_from_kv,
    dp_from_kv_derivative,
    k_ball_valve,
    k_bend,
    k_butterfly_valve,
    k_entrance_projecting,
    k_entrance_rounded,
    k_entrance_sharp,
    k_exit,
    k_gate_valve,
    k_globe_valve,
    k_miter_bend,
    k_tee,
    k_to_kv,
    kv_to_cv,
    kv_to_k,
    roughness,
)
from thermo.correlations.friction import (
    RE_LAMINAR,
    RE_TURBULENT,
    PipeDrop,
    colebrook_friction,
    darcy_friction,
    darcy_friction_derivative,
    pipe_pressure_drop,
)

__all__ = [
    "ARRANGEMENTS",
    "BOUNDARIES",
    "RE_LAMINAR",
    "RE_TURBULENT",
    "ROUGHNESS",
    "ROUGHNESS_SOURCES",
    "KvDrop",
    "PipeDrop",
    "change_k_basis",
    "colebrook_friction",
    "crane_ft",
    "cv_to_kv",
    "darcy_friction",
    "darcy_friction_derivative",
    "dp_from_kv",
    "dp_from_kv_derivative",
    "effectiveness",
    "effectiveness_derivatives",
    "k_ball_valve",
    "k_bend",
    "k_butterfly_valve",
    "k_entrance_projecting",
    "k_entrance_rounded",
    "k_entrance_sharp",
    "k_exit",
    "k_gate_valve",
    "k_globe_valve",
    "k_miter_bend",
    "k_tee",
    "k_to_kv",
    "kv_to_cv",
    "kv_to_k",
    "ntu_from_effectiveness",
    "nusselt_internal",
    "nusselt_internal_derivative",
    "pipe_pressure_drop",
    "roughness",
]
