"""Batched hourly runs (thermo.simulate.hourly): each hour equals an independent solve of that
hour; hours that do not settle in their batch are re-solved; impossible hours are named."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from thermo import Coolant
from thermo.errors import ConvergenceError
from thermo.network import Cooler, ExpansionTank, HeatLoad, Network, Pipe, Pump, SolverOptions
from thermo.simulate.hourly import (
    _converged_copies,
    _copy_closure,
    _copy_scales,
    replicate,
    run_hourly,
)

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


def _state_result(net: Network, x: np.ndarray, like):
    """A Results object of ``net`` at state ``x`` (the report of ``like``)."""
    from thermo.network.results import Results

    return Results(net.system(), np.asarray(x, dtype=float), like.report)


def test_a_diverged_copy_does_not_make_the_others_look_converged() -> None:
    # copy 0 solved; copy 1 with a node 5 K off its balance; copy 2 "diverged" (flows x 1e14). With
    # residuals scaled by the batch's largest flow, copy 1's energy error would read as tiny.
    net = replicate(loop(), 3)
    solved = net.solve()
    system = net.system()
    lay = system.layout
    x = np.asarray(solved.state).copy()
    i_r1 = system.node_names.index("R@1")
    x[lay.T.start + i_r1] += 5.0
    copy_of = np.array([int(b.name.rsplit("@", 1)[1]) for b in system.branches])
    m = x[lay.m]
    m[copy_of == 2] *= 1e14
    x[lay.m] = m
    bad = _state_result(net, x, solved)
    good = _converged_copies(net, bad, 3, 1e-8)
    assert good.tolist() == [True, False, False]
    mass, energy = _copy_closure(net, bad, 3)
    assert mass[0] < 1e-9 and energy[0] < 1e-9
    assert energy[1] > 1e-3  # 5 K x m cp of the load's flow against ~2 x 5 kW exchanged


def test_copy_closure_and_scales_equal_those_of_each_hour_alone() -> None:
    heats = [2e3, 5e3, 8e3]
    net = replicate(loop(), 3)
    for k, q in enumerate(heats):
        net.set_parameter(f"load@{k}", "heat", q)
    batch = net.solve()
    mass, energy = _copy_closure(net, batch, 3)
    for k, q in enumerate(heats):
        alone = loop(q).solve()
        assert mass[k] == pytest.approx(alone.closure["mass_rel"], abs=1e-15)
        assert energy[k] == pytest.approx(alone.closure["energy_rel"], abs=1e-12)
    one = replicate(loop(), 1)
    res = one.solve()
    system = one.system()
    x = np.asarray(res.state)
    ev = system.evaluate(x, jacobian=False)
    tags = np.zeros(system.layout.size, dtype=np.int64)
    assert np.allclose(_copy_scales(system, x, ev, tags, 1), system.residual_scales(x, ev))


def test_every_recorded_hour_closes_and_the_run_reports_the_worst() -> None:
    heat = 2e3 + 6e3 * np.abs(np.sin(np.arange(20) / 3.0))
    run = run_hourly(loop(), {("load", "heat"): heat}, probe, batch=6)
    hc = run.hour_closure
    assert len(hc) == 20 and (hc["energy_rel"] <= 1e-6).all() and (hc["mass_rel"] <= 1e-6).all()
    assert run.closure["energy_rel"] == hc["energy_rel"].max()


def test_hours_that_cannot_close_are_named(monkeypatch) -> None:
    import thermo.simulate.hourly as hourly

    # a closure routine that finds hours 3 and 7 unbalanced: they are re-solved, and when their
    # single solve does not close either, the run fails naming both
    real = hourly._copy_closure

    def fake(net, result, count):
        mass, energy = real(net, result, count)
        return mass, energy + 1.0

    monkeypatch.setattr(hourly, "_copy_closure", fake)
    real_solve = Network.solve

    def solve(self, *args, **kwargs):
        res = real_solve(self, *args, **kwargs)
        load = self._components.get("load@0")
        if self.name.endswith("x1") and round(load.heat - 4e3) in (3, 7):
            res.closure = {"mass_rel": 0.0, "energy_rel": 0.5}
        return res

    heat = 4e3 + np.arange(10.0)
    monkeypatch.setattr(Network, "solve", solve)
    with pytest.raises(ConvergenceError, match=r"2 hour\(s\).*hour 3: closure.*hour 7: closure"):
        run_hourly(loop(), {("load", "heat"): heat}, probe, batch=5, order="time")
