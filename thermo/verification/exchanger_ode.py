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


def crossflow_unmixed_grid(
    hot, cold, m_hot: float, m_cold: float, T_hot: float, T_cold: float, ua: float, n: int
) -> tuple[float, float, float]:
    """Crossflow exchanger, both fluids unmixed, on an ``n × n`` grid (verification only).

    The hot stream runs along the rows, the cold along the columns, each row/column carrying
    ``1/n`` of its flow, each cell ``UA/n²``. A cell exchanges by the exact constant-cp
    crossflow-unmixed ε with each stream's cp at its mean temperature in the cell (three passes)
    and balances each stream's enthalpy exactly; cells are swept along anti-diagonals. The grid
    error falls as 1/n² (with constant cp: 79, 23, 6.1, 1.6 mK at n = 10, 20, 40, 80 on a 30 K
    exchanger), so two grids extrapolate (:func:`crossflow_unmixed_reference`).
    Returns (duty [W], hot outlet [K], cold outlet [K]) with mixed-cup outlets.
    """
    from thermo.correlations.effectiveness import effectiveness

    mh, mc, uc = m_hot / n, m_cold / n, ua / (n * n)
    hh = np.full(n, float(hot.enthalpy(T_hot)))  # hot enthalpy leaving the last cell, per row
    hc = np.full(n, float(cold.enthalpy(T_cold)))  # cold enthalpy leaving the last cell, per column
    for d in range(2 * n - 1):
        i = np.arange(max(0, d - n + 1), min(d, n - 1) + 1)  # rows on this anti-diagonal
        j = d - i  # columns
        h1, h2 = hh[i], hc[j]
        t1 = np.asarray(hot.temperature_from_enthalpy(h1, check=False))
        t2 = np.asarray(cold.temperature_from_enthalpy(h2, check=False))
        q = np.zeros_like(t1)
        for _ in range(3):
            t1o = np.asarray(hot.temperature_from_enthalpy(h1 - q / mh, check=False))
            t2o = np.asarray(cold.temperature_from_enthalpy(h2 + q / mc, check=False))
            c1 = mh * np.asarray(hot.specific_heat(0.5 * (t1 + t1o), check=False))
            c2 = mc * np.asarray(cold.specific_heat(0.5 * (t2 + t2o), check=False))
            cmin, cmax = np.minimum(c1, c2), np.maximum(c1, c2)
            q = effectiveness(uc / cmin, cmin / cmax, "crossflow_unmixed") * cmin * (t1 - t2)
        hh[i] = h1 - q / mh
        hc[j] = h2 + q / mc
    h_hot_out, h_cold_out = float(hh.mean()), float(hc.mean())
    return (
        m_hot * (float(hot.enthalpy(T_hot)) - h_hot_out),
        float(hot.temperature_from_enthalpy(h_hot_out)),
        float(cold.temperature_from_enthalpy(h_cold_out)),
    )


def crossflow_unmixed_reference(
    hot, cold, m_hot: float, m_cold: float, T_hot: float, T_cold: float, ua: float, n: int = 80
) -> tuple[float, float, float]:
    """Richardson extrapolation (order 2) of :func:`crossflow_unmixed_grid` at ``n/2`` and ``n``:
    (duty [W], hot outlet [K], cold outlet [K])."""
    coarse = crossflow_unmixed_grid(hot, cold, m_hot, m_cold, T_hot, T_cold, ua, n // 2)
    fine = crossflow_unmixed_grid(hot, cold, m_hot, m_cold, T_hot, T_cold, ua, n)
    return tuple(f + (f - c) / 3.0 for f, c in zip(fine, coarse, strict=True))  # type: ignore[return-value]


def crossflow_one_mixed(
    hot,
    cold,
    m_hot: float,
    m_cold: float,
    T_hot: float,
    T_cold: float,
    ua: float,
    mixed: str,
) -> tuple[float, float, float]:
    """Crossflow exchanger with one fluid mixed (``mixed`` = ``"hot"`` or ``"cold"``), the other
    unmixed, cp(T) on both sides (verification only).

    At each position ``y`` along its flow the mixed fluid B has one temperature ``T_B(y)``; every
    strip of the unmixed fluid A crossing there sees that constant temperature, so its outlet
    ``T_A,out`` solves ``∫_{T_A,out}^{T_A,in} cp_A(T)/(T − T_B) dT = UA/|m_A|`` (the strip's
    ODE integrated in closed form for the log part, 24-point Gauss–Legendre for the smooth
    remainder, ``brentq`` for the outlet). The mixed fluid then follows the IVP
    ``dh_B/dy = (m_A/m_B)(h_A,in − h_A,out(T_B))`` (``solve_ivp`` DOP853, rtol 1e-11).
    Returns (duty [W], hot outlet [K], cold outlet [K]), the unmixed outlet mixed-cup.
    """
    from scipy.integrate import solve_ivp
    from scipy.optimize import brentq

    if mixed not in ("hot", "cold"):
        raise ValueError(f"mixed must be 'hot' or 'cold', got {mixed!r}")
    fa, fb, ma, mb, ta_in, tb_in = (
        (cold, hot, m_cold, m_hot, T_cold, T_hot)
        if mixed == "hot"
        else (hot, cold, m_hot, m_cold, T_hot, T_cold)
    )
    ha_in = float(fa.enthalpy(ta_in))
    x, w = np.polynomial.legendre.leggauss(24)
    ntu_a = ua / ma

    def a_outlet(tb: float) -> float:
        d = ta_in - tb
        if abs(d) < 1e-12:
            return ta_in
        cp_b = float(fa.specific_heat(tb, check=False))

        def g(u_out: float) -> float:
            u = u_out + (1.0 - u_out) * (x + 1.0) / 2.0
            cp = np.asarray(fa.specific_heat(tb + u * d, check=False))
            smooth = float(np.sum(w * (cp - cp_b) / u)) * (1.0 - u_out) / 2.0
            return cp_b * np.log(1.0 / u_out) + smooth - ntu_a

        u = brentq(g, 1e-300, 1.0, xtol=1e-15, rtol=1e-14)
        return tb + u * d

    def rhs(_y, hb):
        tb = float(fb.temperature_from_enthalpy(hb[0], check=False))
        return [ma * (ha_in - float(fa.enthalpy(a_outlet(tb)))) / mb]

    hb_in = float(fb.enthalpy(tb_in))
    sol = solve_ivp(rhs, (0.0, 1.0), [hb_in], method="DOP853", rtol=1e-11, atol=1e-8)
    hb_out = float(sol.y[0, -1])
    q_b = mb * (hb_out - hb_in)  # heat into B
    ha_out = ha_in + q_b / ma * -1.0
    tb_out = float(fb.temperature_from_enthalpy(hb_out))
    ta_out = float(fa.temperature_from_enthalpy(ha_out))
    if mixed == "hot":
        return -q_b, tb_out, ta_out
    return q_b, ta_out, tb_out
