"""Exact plug-flow (transport-delay) pipes in transient runs (thermo.transient.plugflow).

References: ideal plug flow (a step arrives after rho V/m; with a varying flow, when the mass passed
since the step reaches rho V), the window-mean law evaluated by hand from the run's flows, the
first law (the ledger, and the pipe's stored energy = its contents by hand), and finite
differences for the Newton derivatives.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from thermo.case.problems import CaseError
from thermo.errors import InputError
from thermo.transient import Event, TransientModel, TransientOptions, simulate
from thermo.transient.plugflow import _Queue
from thermo.verification.cases_transient import (
    FLOW,
    T_STEP_AT,
    T_SUPPLY,
    plug_flow_arrival,
    plug_flow_run,
    plug_flow_window,
    plug_loop,
)


def test_queue_window_and_advance_by_hand() -> None:
    q = _Queue(10.0, 100.0)  # 10 kg at 100 J/kg
    assert q.stored() == pytest.approx(1000.0)
    assert q.advance(4.0, 200.0) == pytest.approx(400.0)  # 4 kg at 100 leave
    assert q.stored() == pytest.approx(6 * 100 + 4 * 200)
    # a window reaching into the 200-parcel: 6 kg at 100, 2 kg at 200; edge enthalpy 200
    E, edge = q.window(8.0, 300.0)
    assert E == pytest.approx(600 + 400) and edge == 200.0
    # more than the pipe's mass in one step: all contents, then 5 kg of the step's own parcel
    E, edge = q.window(15.0, 300.0)
    assert E == pytest.approx(1400 + 5 * 300) and edge == 300.0
    assert q.advance(15.0, 300.0) == pytest.approx(1400 + 5 * 300)
    assert q.stored() == pytest.approx(10 * 300)
    assert len(q.h) == 1  # parcels wholly gone are dropped


def test_step_arrives_after_V_over_Vdot_with_a_sharp_front() -> None:
    res, M = plug_flow_run(False)
    rho = M / 0.02
    assert 990 < rho < 1000  # water near 35 degC
    assert np.allclose(res.step_series["m"], FLOW, rtol=1e-8)
    y, share, _, _ = plug_flow_window(res, M)
    assert np.max(np.abs(y - share)) < 1e-6
    # exactly one sample lies on the front: the rest is 0 or 1 (a sharp step, no dispersion)
    assert np.sum((y > 1e-6) & (y < 1 - 1e-6)) <= 1
    assert plug_flow_arrival(False) == pytest.approx(1.0, abs=1e-6)
    # mass and energy closure: the ledger, and the pipe's stored energy by hand at the end
    # (full of the new 30 degC water)
    assert res.ledger["imbalance_relative"] < 1e-6
    from thermo import Coolant

    h30 = Coolant("water").enthalpy(T_SUPPLY)
    assert res.step_series["h_in"][-1] == pytest.approx(h30, rel=1e-9)


def test_flow_cut_mid_transit_follows_the_cumulative_volume() -> None:
    res, M = plug_flow_run(True)
    m = res.step_series["m"]
    t = res.step_times
    m1, m2 = m[np.searchsorted(t, 3.9)], m[-1]
    assert m2 < 0.5 * m1  # the valve cut the flow
    # by hand: M - m1 (4 - 1) kg are left in the pipe ahead of the front at 4 s, at m2 after
    t_arrival = 3.0 + (M - m1 * 3.0) / m2
    y, share, _, _ = plug_flow_window(res, M)
    n = int(np.argmax(y > 1e-9))
    t_front = t[n] - y[n] * (t[n] - t[n - 1]) - T_STEP_AT
    # m drifts by < 1e-3 with the viscosity after the cut (the step's own cold water)
    assert t_front == pytest.approx(t_arrival, rel=2e-3)
    assert t_front > 1.5 * M / m1  # not the delay at the first flow
    assert np.max(np.abs(y - share)) < 1e-6
    assert res.ledger["imbalance_relative"] < 1e-6


def test_more_than_the_pipe_volume_in_one_step() -> None:
    net = plug_loop(held_flow=True)
    model = TransientModel(net, plug_flow=["pipe"])
    sys_ = model.system

    def record(run, x, ev, t):
        return {
            "h_out": float(ev.h_node[sys_.node_index["v"]]),
            "h_in": float(ev.h_node[sys_.node_index["b"]]),
            "m": float(x[sys_.layout.m][sys_.branch_position["pipe"]]),
        }

    res = simulate(
        model,
        TransientOptions(duration=60.0, output_interval=5.0, max_step=25.0, initial_step=1e-3),
        events=[Event(T_STEP_AT, "set", ["cooler"], "outlet_temperature", T_SUPPLY)],
        record=record,
    )
    M = model.plug.queues["pipe"].mass
    assert np.max(np.diff(res.step_times)) > 1.5 * M / FLOW  # steps longer than the delay
    y, share, _, _ = plug_flow_window(res, M)
    assert np.max(np.abs(y - share)) < 1e-6
    assert res.ledger["imbalance_relative"] < 1e-6


def test_newton_derivatives_match_finite_differences() -> None:
    net = plug_loop(held_flow=True)
    model = TransientModel(net, plug_flow=["pipe"])
    sys_ = model.system
    x = np.array(net.solve().state, dtype=float)
    model.set_masses(x)
    q = model.plug.queues["pipe"]
    q.advance(3.0, q.h[0] - 2e4)  # a front 3 kg into the pipe (19.9 kg)
    q.advance(14.0, q.h[0] - 4e4)
    model.plug.dt = 10.0  # ~20 kg leave: the window holds all parcels and the step's own
    before = (list(q.ends), list(q.h), q.entered)
    g, i = sys_.group_of["pipe"]
    k = sys_.groups.index(g)
    j_m = sys_.layout.m.start + sys_.branch_position["pipe"]
    j_T = sys_.layout.T.start + sys_.node_index["b"]
    for scale in (1.0, 0.8, 1.2):  # windows ending in different parcels
        x1 = x.copy()
        x1[sys_.layout.m] *= scale
        th = g.thermal(sys_.evaluate(x1, jacobian=False).contexts[k])
        for j, d in ((j_T, th.derivatives[0][i]), (j_m, th.derivatives[1][i])):
            e = 1e-6 * max(1.0, abs(x1[j]))
            xp, xm = x1.copy(), x1.copy()
            xp[j] += e
            xm[j] -= e
            Tp = g.thermal(sys_.evaluate(xp, jacobian=False).contexts[k]).T_exit[i]
            Tm = g.thermal(sys_.evaluate(xm, jacobian=False).contexts[k]).T_exit[i]
            assert d == pytest.approx((Tp - Tm) / (2 * e), rel=1e-5, abs=1e-9)
    # evaluating a step (Newton iterations, a step later rejected) leaves the history as it was
    assert (list(q.ends), list(q.h), q.entered) == before
    model.plug.dt = 0.0


def test_reverse_flow_is_refused_naming_the_pipe() -> None:
    net = plug_loop(held_flow=True)
    model = TransientModel(net, plug_flow=["pipe"])
    x = np.array(net.solve().state, dtype=float)
    model.set_masses(x)
    x[model.system.layout.m] *= -1.0
    with pytest.raises(InputError, match=r"plug_flow pipe 'pipe'.*reversed.*pipe cells"):
        model.plug.check_direction(x, 3.0)


def test_bad_plug_flow_input_gets_a_clear_error() -> None:
    from thermo.network import Pipe

    net = plug_loop(held_flow=True)
    with pytest.raises(InputError, match="'valve', which is not a Pipe"):
        TransientModel(net, plug_flow=["valve"])
    with pytest.raises(InputError, match="both cells"):
        TransientModel(net, plug_flow=["pipe"], pipe_cells={"pipe": 4})
    with pytest.raises(InputError, match="plug_flow_length"):
        TransientModel(net, plug_flow_length=-1.0)
    lossy = plug_loop(held_flow=True)
    lossy["pipe"].heat_transfer_coefficient = 5.0
    lossy["pipe"].ambient_temperature = 293.15
    with pytest.raises(InputError, match="heat loss"):
        TransientModel(lossy, plug_flow=["pipe"])
    # the length rule takes the long pipe only, and the default stays cells (mass at nodes)
    assert TransientModel(net, plug_flow_length=5.0).plug.names == ["pipe"]
    assert TransientModel(net, plug_flow_length=50.0).plug is None
    assert isinstance(net["pipe"], Pipe) and net["pipe"].length > 5.0


def run_mass_slice(res) -> slice:
    """Flows of the 4 branches of the case's state (4 nodes: T and p first)."""
    return slice(8, 12)


def _case(tmp_path, transient: str) -> str:
    area = math.pi * 0.05**2 / 4
    text = f"""
[case]
name = "plug"
[coolants]
w = "water"
[components.pump]
type = "Pump"
inlet = "c"
outlet = "d"
pressure_rise = "0.3 bar"
[components.load]
type = "HeatLoad"
inlet = "d"
outlet = "e"
heat = "40 kW"
[components.cooler]
type = "Cooler"
inlet = "e"
outlet = "b"
outlet_temperature = "35 degC"
[components.riser]
type = "Pipe"
inlet = "b"
outlet = "c"
length = "{0.02 / area} m"
diameter = "50 mm"
[components.et]
type = "ExpansionTank"
node = "b"
pressure = "2 bar"
{transient}
[[events]]
time = "1 s"
action = "set"
components = ["cooler"]
parameter = "outlet_temperature"
value = "30 degC"
"""
    p = tmp_path / "plug.toml"
    p.write_text(text)
    return str(p)


def test_case_file_plug_flow_runs_and_closes(tmp_path) -> None:
    from thermo import Coolant
    from thermo.case import load_case, run_case

    path = _case(
        tmp_path,
        '[transient]\nduration = "30 s"\noutput_interval = "0.5 s"\nmax_step = "0.5 s"\n'
        'plug_flow = ["riser"]\noutput_nodes = ["b", "c"]\noutput_branches = ["riser"]',
    )
    case = load_case(path)
    assert case.transient.plug_flow == ["riser"]
    run = run_case(case)
    res = run.transient
    assert res.ledger["imbalance_relative"] < 1e-6
    assert run.summary["energy_imbalance_relative"] < 1e-6
    water = Coolant("water")
    # energy by hand: only the pipe stores heat; it ends full of water 5 K colder
    M = water.density(308.15) * 0.02
    dE = M * (water.enthalpy(303.15) - water.enthalpy(308.15))
    assert run.summary["stored_energy_change_J"] == pytest.approx(dE, rel=1e-6)
    # mass closure of the single loop: every branch carries the same flow
    m_all = res.final_state[run_mass_slice(res)]
    assert np.ptp(m_all) < 1e-9 * np.max(np.abs(m_all))
    # flow during the transit (water at 30 degC upstream of the pipe after the step)
    t = res.series["time_s"]
    V = res.series["flow_riser_L_min"] / 60e3
    m = float(np.interp(2.0, t, V) * water.density(303.15))
    # the front leaves rho V/m after the step at 1 s, read from the 0.5-s samples within 0.3 s
    T_out = res.series["T_c_C"]
    assert T_out[0] == pytest.approx(35.0, abs=1e-6) and T_out[-1] == pytest.approx(30.0, abs=1e-6)
    n = int(np.argmax(T_out <= 32.5))
    t50 = t[n - 1] + (T_out[n - 1] - 32.5) / (T_out[n - 1] - T_out[n]) * (t[n] - t[n - 1])
    assert t50 == pytest.approx(1.0 + M / m, abs=0.3)
    import io

    from thermo.transient.report import print_transient

    out = io.StringIO()
    print_transient(res, out)
    assert "plug-flow delay pipes     riser" in out.getvalue()
    with pytest.raises(CaseError, match="plug_flow"):
        load_case(_case(tmp_path, '[transient]\nduration = "3 s"\nplug_flow = ["nope"]'))
