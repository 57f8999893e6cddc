"""The ideally stratified buffer tank of the annual study: the other limit to the mixed tank.

:mod:`thermo.facility.annual_storage` runs a fully mixed tank: its whole volume sits at one
temperature, so a little cold feed water cools all of it.
A real tank with good diffusers stratifies: hot water on top, cold below, a thermocline between.
This module runs the opposite limit, **ideal stratification** (plug flow, no mixing, no
conduction between layers): the tank is a stack of water parcels ``(mass, temperature)`` kept in
temperature order (hot on top: every parcel sits where its buoyancy puts it). Each hour, with the
same control as the mixed tank:

- **discharge** (the boilers fire): the boiler feed (flow up to ``m_f``, at ``T_f``) enters at the
  bottom and pushes the top parcels out into the feed; a parcel at ``T`` gives ``c (T - T_f)`` per
  kg; the hour takes parcels from the top until the boilers' duty is met, the flow is used up or
  the top is no warmer than the feed (``empty``);
- **charge** (the dry coolers would reject heat): the charging loop (flow up to ``m_c``) draws
  parcels from the bottom, heats them to ``T_ch = min(T_src - ΔT_app, T_max)`` and returns them on
  top, until the surplus is used, the flow is used up or the bottom is no colder than ``T_ch``
  (``full``);
- **loss**: each parcel loses its share (by mass) of ``UA (T - T_amb) Δt``.

Within the hour the discharge goes first (an hour rarely does both). Energy is exact: what leaves
and enters is counted parcel by parcel (the ledger closes to rounding). Parcels are merged (by
mass, conserving energy) when their temperatures differ by less than :data:`MERGE_K`, and the
closest pair beyond :data:`MAX_PARCELS`, so the cost per hour stays bounded.

The real tank's mixing (diffusers, conduction, walls) lies between the two limits; the
multi-node models of the TRNSYS Type 4/60 family (Kleinbach, Beckman & Klein, Solar Energy
50(2), 1993) go from the one to the other as their node count grows. Which limit gives more heat
is not fixed: over the flagship variant's year the stratified tank gives 16 % more, over its
first 200 hours (January) a third less (docs/facility.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["run_stratified", "MERGE_K", "MAX_PARCELS"]

MERGE_K = 0.05
"""Parcels closer than this in temperature are merged [K]."""
MAX_PARCELS = 64
"""Most parcels kept; beyond, the closest pair in temperature is merged."""


def _merge(stack: list[list[float]]) -> list[list[float]]:
    """Merge neighbours closer than :data:`MERGE_K`, then down to :data:`MAX_PARCELS` (energy and
    mass conserved: the merged temperature is the mass-weighted mean)."""
    out: list[list[float]] = []
    for m, t in stack:
        if m <= 0.0:
            continue
        if out and abs(out[-1][1] - t) < MERGE_K:
            m0, t0 = out[-1]
            out[-1] = [m0 + m, (m0 * t0 + m * t) / (m0 + m)]
        else:
            out.append([m, t])
    while len(out) > MAX_PARCELS:
        k = min(range(len(out) - 1), key=lambda i: out[i][1] - out[i + 1][1])
        (m0, t0), (m1, t1) = out[k], out[k + 1]
        out[k : k + 2] = [[m0 + m1, (m0 * t0 + m1 * t1) / (m0 + m1)]]
    return out


def _insert(stack: list[list[float]], m: float, t: float) -> None:
    """Put a parcel where its temperature belongs (the stack runs hot → cold)."""
    k = 0
    while k < len(stack) and stack[k][1] > t:
        k += 1
    stack.insert(k, [m, t])


def run_stratified(
    tank: Any,
    *,
    surplus: np.ndarray,
    need: np.ndarray,
    T_source: np.ndarray,
    T_feed: np.ndarray,
    feed_flow: np.ndarray,
    T_ambient: np.ndarray,
    step_s: float = 3600.0,
    initial_stack: list[list[float]] | None = None,
) -> tuple[Any, ...]:
    """Hour by hour (arrays as :func:`thermo.facility.annual_storage.run_tank`, validated there).

    ``initial_stack``: the parcels ``[mass, T]`` (hot → cold) to start from, e.g. the end of an
    earlier run (default: the whole tank at ``tank.initial_temperature``).

    Returns ``(mean temperature, top, bottom, charge, discharge, loss, full, empty, stack)``: per
    hour K, K, K, W, W, W, bool, bool; then the parcels at the end.
    """
    n = len(surplus)
    mass = tank.density * tank.volume
    c = tank.cp
    ua, t_max, dt = tank.ua, tank.max_temperature, step_s
    if initial_stack is None:
        stack: list[list[float]] = [[mass, tank.initial_temperature]]
    else:
        stack = [list(p) for p in initial_stack]
        if abs(sum(p[0] for p in stack) - mass) > 1e-9 * mass:
            raise ValueError("initial_stack does not hold the tank's mass")
    mean = np.empty(n)
    top = np.empty(n)
    bottom = np.empty(n)
    qc = np.zeros(n)
    qd = np.zeros(n)
    loss = np.zeros(n)
    full = np.zeros(n, dtype=bool)
    empty = np.zeros(n, dtype=bool)
    for h in range(n):
        t_f = float(T_feed[h])
        # discharge: feed in at the bottom, top parcels out into the feed
        q_left = float(need[h]) * dt
        m_left = max(float(feed_flow[h]), 0.0) * dt
        given = 0.0
        if q_left > 0.0:
            while q_left > 1e-9 * (float(need[h]) * dt) and m_left > 0.0 and stack:
                m_i, t_i = stack[0]
                if t_i <= t_f:
                    break
                take = min(m_i, m_left, q_left / (c * (t_i - t_f)))
                e = take * c * (t_i - t_f)
                given += e
                q_left -= e
                m_left -= take
                if take >= m_i:
                    stack.pop(0)
                else:
                    stack[0][0] = m_i - take
                _insert(stack, take, t_f)
            empty[h] = given <= 0.0
        # charge: bottom parcels heated to the coil's temperature, returned on top
        t_ch = min(float(T_source[h]) - tank.charge_approach, t_max)
        s_left = float(surplus[h]) * dt
        m_left = tank.charge_flow * dt
        taken = 0.0
        if s_left > 0.0:
            while s_left > 1e-9 * (float(surplus[h]) * dt) and m_left > 0.0 and stack:
                m_i, t_i = stack[-1]
                if t_i >= t_ch:
                    break
                take = min(m_i, m_left, s_left / (c * (t_ch - t_i)))
                e = take * c * (t_ch - t_i)
                taken += e
                s_left -= e
                m_left -= take
                if take >= m_i:
                    stack.pop()
                else:
                    stack[-1][0] = m_i - take
                _insert(stack, take, t_ch)
            # the charge stopped with surplus left because the tank had nothing colder than the
            # coil's temperature, capped at the maximum: the tank is full
            full[h] = (
                s_left > 1e-9 * float(surplus[h]) * dt
                and (not stack or stack[-1][1] >= t_ch - 1e-9)
                and t_ch >= t_max - 1e-9
            )
        # loss: each parcel its share by mass, at its own temperature
        t_amb = float(T_ambient[h])
        lost = 0.0
        for p in stack:
            e = ua * (p[0] / mass) * (p[1] - t_amb) * dt
            p[1] -= e / (p[0] * c)
            lost += e
        stack = _merge(stack)
        qd[h], qc[h], loss[h] = given / dt, taken / dt, lost / dt
        mean[h] = sum(m * t for m, t in stack) / mass
        top[h], bottom[h] = stack[0][1], stack[-1][1]
    return mean, top, bottom, qc, qd, loss, full, empty, stack
