"""Batched annual solves land every hour in the state of that hour solved on its own.

The batched path (:func:`thermo.simulate.hourly.run_hourly` with ``batch > 1``: replicated
networks, warm starts from similar hours, the deferred re-solve of the hours a batch abandons)
exists only for speed; its answer is the one of ``batch = 1`` (each hour alone). The full check
over every annual case and perturbed variants is ``tools/annual_equivalence.py``; this is its
short form on the flagship's first 16 hours (which has hours that its batches abandon and re-solve).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

HOURS = 16


def _tool():
    path = Path(__file__).resolve().parent.parent / "tools" / "annual_equivalence.py"
    spec = importlib.util.spec_from_file_location("annual_equivalence", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["annual_equivalence"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def flagship_day():
    from thermo.simulate.hourly import run_hourly

    tool = _tool()
    net, updates, probe, _ = tool.captured("canaan_bitforest")
    part = {k: np.asarray(v)[:HOURS] for k, v in updates.items()}
    batched = run_hourly(net, part, probe, batch=8)
    alone = run_hourly(net, part, probe, batch=1)
    return tool, batched, alone, net, updates


def test_batched_hours_equal_hours_solved_alone(flagship_day) -> None:
    tool, batched, alone, _, _ = flagship_day
    # the deferred re-solve is part of what is checked
    assert batched.fallback_hours
    rel, column, hour = tool.compare_tables(batched.table, alone.table)
    assert rel <= 1e-6, (column, hour, rel)
    for col in ("heat_reused_W", "boiler_heat_W", "T_greenhouse_supply_C", "supply_temperature_C"):
        np.testing.assert_allclose(batched.table[col], alone.table[col], rtol=1e-7, atol=1e-3)


def test_every_hour_closes_mass_and_energy(flagship_day) -> None:
    _, batched, alone, _, _ = flagship_day
    for run in (batched, alone):
        assert (run.hour_closure["mass_rel"] <= 1e-6).all()
        assert (run.hour_closure["energy_rel"] <= 1e-6).all()
        t = run.table
        # first law of each hour from the table: heat put in = heat taken out
        imbalance = (t["heat_added_W"] - t["heat_removed_W"]).abs()
        assert (imbalance <= 1e-6 * t["heat_added_W"]).all(), imbalance.max()
        # the servers' electricity is the heat the network takes in at the servers
        assert (t["heat_added_W"] >= 0.9 * t["it_power_W"]).all()


def test_stacked_warm_start_is_the_per_copy_carry(flagship_day) -> None:
    # the deferred batch's warm start (one pass) equals carrying each hour's start into the
    # batch one by one (the former quadratic construction)
    from thermo.simulate.hourly import _stacked_warm_start, carry_state, replicate

    _, _, _, net, updates = flagship_day
    single = replicate(net, 1)
    starts = []
    for h in (0, 5, 9):
        for (comp, param), values in updates.items():
            single.set_parameter(f"{comp}@0", param, float(values[h]))
        res = single.solve()
        starts.append(carry_state(res, single, copy=0))
    batch = replicate(net, len(starts))
    stacked = _stacked_warm_start(starts, batch)
    system = batch.system()
    lay = system.layout
    tags = np.array(
        [int(n.rsplit("@", 1)[1]) for n in system.node_names] * 2
        + [int(b.name.rsplit("@", 1)[1]) for b in system.branches]
        + [int(b.name.rsplit("@", 1)[1]) for b in system.boundaries]
        + [int(c.name.rsplit("@", 1)[1]) for c in system.controls]
    )
    for j, ws in enumerate(starts):
        one = carry_state(ws, batch, copy=0)
        sel = tags == j
        np.testing.assert_array_equal(stacked.state[sel], one.state[sel])
        for i in np.flatnonzero(tags[lay.u] == j):
            assert stacked._control_fixed[i] == one._control_fixed[i]
