"""Reference solution of a single-pass exchanger with temperature-dependent cp (verification only).

The exchanger differential equations with constant U integrated directly along the area fraction
``x`` (0 at the hot inlet), each stream carried as its specific enthalpy and its temperature taken
from the coolant's own enthalpy inversion (Incropera et al. 2007, §11.3, before the constant-cp
closed forms are introduced)::

    dh_hot/dx  = −UA (T_hot − T_cold)/|m_hot|
    dh_cold/dx = ∓UA (T_hot − T_cold)/|m_cold|    (− counterflow, + parallel flow)

Parallel flow is an initial-value problem. Counterflow is a two-point problem: the cold outlet
enthalpy at ``x = 0`` is found by shooting (``brentq``) until the cold stream reaches its inlet
enthalpy at ``x = 1``. ``scipy.integrate.solve_ivp`` (DOP853, rtol 1e-11) does the integration;
nothing of the network's ε-NTU machinery is used. Used by the ``components.exchanger_cp_varying_*``
verification cases (their stored reference) and by tests that recompute it.
"""

from __future__ import annotations

import numpy as np


def exchanger_ode(
    hot, cold, m_hot: float, m_cold: float, T_hot: float, T_cold: float, ua: float, arrangement: str
) -> tuple[float, float, float]:
    """(duty [W], hot outlet [K], cold outlet [K]) of a counterflow or parallel-flow exchanger.

    ``hot``/``cold``: :class:`~thermo.coolants.Coolant` (or any object with ``enthalpy`` and
    ``temperature_from_enthalpy``); ``T_hot > T_cold``; flows in kg/s; ``ua`` in W/K.
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    if arrangement not in ("counterflow", "parallel"):
        raise ValueError(f"arrangement must be counterflow or parallel, got {arrangement!r}")
    h1 = float(hot.enthalpy(T_hot))
    h2 = float(cold.enthalpy(T_cold))
    sign = -1.0 if arrangement == "counterflow" else 1.0

    def rhs(_x, y):
        dT = float(hot.temperature_from_enthalpy(y[0], check=False)) - float(
            cold.temperature_from_enthalpy(y[1], check=False)
        )
        return [-ua * dT / m_hot, sign * ua * dT / m_cold]

    def run(h2_start: float) -> np.ndarray:
        sol = solve_ivp(rhs, (0.0, 1.0), [h1, h2_start], method="DOP853", rtol=1e-11, atol=1e-9)
        return sol.y[:, -1]

    if arrangement == "parallel":
        end = run(h2)
        h_hot_out, h_cold_out = float(end[0]), float(end[1])
    else:
        h_top = float(cold.enthalpy(T_hot))  # the cold outlet cannot pass the hot inlet
        h_cold_out = brentq(lambda hs: run(hs)[1] - h2, h2, h_top, xtol=1e-9, rtol=1e-15)
        h_hot_out = h1 - m_cold * (h_cold_out - h2) / m_hot
    q = m_cold * (h_cold_out - h2)
    return (
        q,
        float(hot.temperature_from_enthalpy(h_hot_out)),
        float(cold.temperature_from_enthalpy(h_cold_out)),
    )
