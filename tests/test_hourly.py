"""Batched hourly runs (thermo.simulate.hourly): each hour equals an independent solve of that
hour; hours that do not settle in their batch are re-solved; impossible hours are named."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from thermo import Coolant
from thermo.errors import ConvergenceError
from thermo.network import Cooler, ExpansionTank, HeatLoad, Network, Pipe, Pump, SolverOptions
from thermo.simulate.hourly import _converged_copies, replicate, run_hourly

WATER = Coolant("water")


def loop(heat: float = 5e3) -> Network:
    net = Network(coolant=WATER)
    net.add(
        Pump("pump", "C", "S", pressure_rise=2e4),
        Pipe("pipe", "S", "H", length=5.0, diameter=0.01),
        HeatLoad("load", "H", "R", heat=heat),
        Cooler("cooler", "R", "C", outlet_temperature=303.15),
        ExpansionTank("tank", "C", pressure=3e5),
    )
    return net


def probe(result, tag: str) -> dict[str, float]:
    return {
        "T_hot_K": result.temperature("R" + tag),
        "Q_W": result.heat("load" + tag),
        "m_kg_s": result.mass_flow("pipe" + tag),
    }


@pytest.mark.parametrize("order", ["similar", "time"])
def test_each_hour_equals_its_own_solve(order: str) -> None:
    heat = 2e3 + 6e3 * np.abs(np.sin(np.arange(30) / 4.0))
    run = run_hourly(loop(), {("load", "heat"): heat}, probe, batch=8, order=order)
    assert len(run.table) == 30
    for h in (0, 7, 13, 29):
        alone = loop(float(heat[h])).solve()
        row = run.table.loc[h]
        assert row["T_hot_K"] == pytest.approx(alone.temperature("R"), abs=1e-6)
        assert row["Q_W"] == pytest.approx(heat[h], rel=1e-9)  # energy: the load's heat
        # the cooler removes what the load adds: T_hot - T_set = Q / (m cp)
        cp = float(WATER.specific_heat(0.5 * (row["T_hot_K"] + 303.15)))
        assert row["T_hot_K"] - 303.15 == pytest.approx(heat[h] / (row["m_kg_s"] * cp), rel=2e-3)
    assert run.closure["mass_rel"] < 1e-9 and run.closure["energy_rel"] < 1e-9


def test_an_impossible_hour_is_named() -> None:
    # a load that removes heat in a loop whose cooler cannot heat has no steady state
    heat = np.full(12, 4e3)
    heat[9] = -5e3
    with pytest.raises(ConvergenceError, match=r"hour 9"):
        run_hourly(loop(), {("load", "heat"): heat}, probe, batch=4, order="time")


def test_stuck_copies_are_abandoned_and_the_others_converge() -> None:
    net = replicate(loop(), 6)
    for k in range(6):
        net.set_parameter(f"load@{k}", "heat", -5e3 if k == 2 else 3e3 + 500.0 * k)
    opts = dataclasses.replace(SolverOptions(), pseudo_transient_retry=False, abandon_stuck=True)
    result = net.solve(opts, strict=False)
    assert not result.report.converged
    good = _converged_copies(net, result, 6, opts.tolerance)
    assert good.tolist() == [True, True, False, True, True, True]
    for k in (0, 5):
        assert result.heat(f"load@{k}") == pytest.approx(3e3 + 500.0 * k, rel=1e-9)
