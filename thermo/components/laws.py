"""Small shared pressure-drop laws used by several components (vectorised, with derivatives)."""

from __future__ import annotations

import numpy as np


def regularised_power_law(
    m: np.ndarray, coefficient: np.ndarray, exponent: np.ndarray, m_lin: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``dp = c * sign(m) * |m|**n`` with a C¹ odd cubic for ``|m| < m_lin``. Returns (dp, ddp/dm).

    A pure power law with ``n > 1`` has zero slope at ``m = 0`` and makes the Newton Jacobian singular
    for a branch with no flow. Below ``m_lin`` the law is replaced by ``c m_lin^n (a s + b s^3)``,
    ``s = m / m_lin``, with ``a = (3 - n)/2`` and ``b = (n - 1)/2`` so that value and slope match at
    ``|m| = m_lin`` and the slope at zero, ``a c m_lin^(n-1)``, is positive for ``1 <= n < 3``.
    This mimics the laminar (linear) regime real fittings show at very low flow; choose ``m_lin``
    well below the operating flow (components use 1 % of their design flow or less).
    """
    m = np.asarray(m, dtype=float)
    am = np.abs(m)
    n = exponent
    outer = am >= m_lin
    safe_am = np.where(outer, am, 1.0)
    dp_out = coefficient * np.sign(m) * safe_am**n
    d_out = coefficient * n * safe_am ** (n - 1.0)
    s = m / m_lin
    a = 0.5 * (3.0 - n)
    b = 0.5 * (n - 1.0)
    scale = coefficient * m_lin**n
    dp_in = scale * (a * s + b * s**3)
    d_in = scale * (a + 3.0 * b * s**2) / m_lin
    return np.where(outer, dp_out, dp_in), np.where(outer, d_out, d_in)
