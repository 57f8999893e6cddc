"""The post-solve control audit (:mod:`thermo.network.control_audit`): a solve says "converged"
only with every control at its setpoint or saturated at a bound of its actuator.

Two states the solver used to call converged, each checked against independent solves of the same
network with the actuator fixed (the control's bounds closed onto one value):

- both bypass shares of a plate exchanger controlled (``through`` of each side): the solve ended
  with the shares held at 0.6054 / 0.5001 (start-up holds left in place), the cold outlet at
  25.46 °C for a 25 °C setpoint and the hot outlet at 31.31 °C for 36.85 °C, not flagged; the
  answer is both saturated (1 and 0), the hot outlet unreachable anywhere in the range;
- the flagship ``canaan_bitforest`` hour 4000 solved alone from a cold start: both controls at
  their start values (fans 0.1, bypass share 0.3) and the module loop on its coolant's range
  limit (115 °C), the fans' temperatures independent of the fans.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_hx_bypass_interlock import _controlled

import thermo.network.newton as newton_module
from thermo.errors import ConvergenceError
from thermo.network.controls import NodeTemperature

ROOT = Path(__file__).resolve().parents[1]


def _fix(net, name: str, value: float) -> None:
    """Close control ``name``'s range onto ``value`` (the actuator fixed there)."""
    net.set_parameter(name, "lower", value)
    net.set_parameter(name, "upper", value + 1e-9)


def _closes(r) -> None:
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9


# ---------------------------------------------------------------------- the plate exchanger
def test_both_bypass_shares_end_saturated_not_held_inside() -> None:
    r = _controlled("plate", interlock=False).solve()
    assert r.converged
    _closes(r)
    c = r.controls
    # the hot side's share fully open and still short of 25 °C; the cold side's fully bypassed
    # and the hot outlet still short of 36.85 °C: both saturated, both flagged with the side
    assert c.loc["c_hot", "value"] == pytest.approx(1.0, abs=1e-12)
    assert c.loc["c_cold", "value"] == pytest.approx(0.0, abs=1e-12)
    assert bool(c.loc["c_hot", "saturated"]) and bool(c.loc["c_cold", "saturated"])
    assert c.loc["c_hot", "achieved"] < 298.15 - 1.0
    assert c.loc["c_cold", "achieved"] < 310.0 - 0.1
    flags = {f.element: f.message for f in r.flags if f.code == "saturated"}
    assert "held at 1 (max); setpoint not reached: 20.33 °C of 25.00 °C" in flags["c_hot"]
    assert "held at 0 (min); setpoint not reached: 36.44 °C of 36.85 °C" in flags["c_cold"]


def test_the_setpoints_cannot_be_met_anywhere_in_the_range() -> None:
    """Independent: the network solved with both shares fixed on a grid over their ranges. The
    hot outlet never reaches 36.85 °C anywhere (at most 36.51 °C), and in every row it is highest
    with the cold side bypassed: the reverse-acting cold share saturates at its lower bound. There
    the cold side takes (almost) no heat and its outlet stays near the sink's 20 °C whatever the
    hot share, far below 25 °C: the hot share saturates too, at its upper bound (it is direct
    acting). The controlled solve's temperatures are those of the grid point (1, 0). Elsewhere the
    cold outlet does exceed 25 °C (26.76 °C with both shares open) — the state the former
    solver came near, and left unsettled, by holding the shares inside their ranges."""
    controlled = _controlled("plate", interlock=False).solve()
    H2, M1 = {}, {}
    grid = [0.0, 0.5, 1.0]
    for xh in grid:
        for xc in grid:
            net = _controlled("plate", interlock=False)
            _fix(net, "c_hot", xh)
            _fix(net, "c_cold", xc)
            r = net.solve()
            _closes(r)
            H2[xh, xc], M1[xh, xc] = r.temperature("H2"), r.temperature("M1")
    assert max(M1.values()) < 310.0 - 0.3
    for xh in grid:
        assert max(M1[xh, xc] for xc in grid) == M1[xh, 0.0]
    assert max(H2[xh, 0.0] for xh in grid) < 298.15 - 4.0
    assert max(H2.values()) > 298.15 + 1.0
    assert controlled.temperature("H2") == pytest.approx(H2[1.0, 0.0], abs=1e-6)
    assert controlled.temperature("M1") == pytest.approx(M1[1.0, 0.0], abs=1e-6)


def _hold_at_current_value(system, x, errors) -> bool:
    """The former hold on a singular Jacobian: every free temperature control at its current
    value, provisionally (what left the controls inside their ranges)."""
    u0 = system.layout.u.start
    held = False
    for j, ctl in enumerate(system.controls):
        if system.control_fixed[j] is None and isinstance(ctl.target, NodeTemperature):
            system.control_fixed[j] = float(x[u0 + j])
            system.control_provisional[j] = True
            held = True
    return held


def test_the_audit_reports_a_control_held_inside_its_range(monkeypatch) -> None:
    """With the former hold the solve ends with the shares inside their ranges: the audit refuses
    the state and names the control, its value, its setpoint and the value reached."""
    monkeypatch.setattr(newton_module, "_hold_temperature_controls", _hold_at_current_value)
    r = _controlled("plate", interlock=False).solve(strict=False)
    assert not r.converged
    msg = r.report.message
    assert "neither at their setpoint nor saturated" in msg
    assert "control c_hot (hx.hot.through = 0.60" in msg
    assert "setpoint 25.00 °C, reached 25.4" in msg
    assert "control c_cold (hx.cold.through = 0.50" in msg
    with pytest.raises(ConvergenceError, match="c_hot"):
        _controlled("plate", interlock=False).solve()


# ---------------------------------------------------------------------- the flagship, hour 4000
HOUR = 4000


def _flagship_hour(monkeypatch, fixed: dict[str, tuple[str, str, float]] | None = None):
    """The flagship's network with hour ``HOUR``'s drives applied (as the annual run sets them)
    and the run's solver options; ``fixed`` replaces controls by their actuator set to a value
    (``{control: (component, parameter, value)}``)."""
    import thermo.simulate.hourly as hourly
    from thermo.case.loader import load_case
    from thermo.case.runner import run_case

    captured = {}

    class _Captured(Exception):
        pass

    def capture(net, updates, probe, **kw):
        captured.update(net=net, updates=updates, options=kw["options"])
        raise _Captured

    fixed = fixed or {}
    case = load_case(ROOT / "cases" / "canaan_bitforest.toml")
    case.controls = [c for c in case.controls if c.name not in fixed]
    for d in case.scenario.drives:
        d.components = [c for c in d.components if c not in fixed]
    case.scenario.drives = [d for d in case.scenario.drives if d.components]
    with monkeypatch.context() as m:
        m.setattr(hourly, "run_hourly", capture)
        with pytest.raises(_Captured):
            run_case(case, hours=HOUR + 1)
    net = captured["net"]
    for (comp, param), values in captured["updates"].items():
        net.set_parameter(comp, param, hourly._value(values[HOUR]))
    for comp, param, value in fixed.values():
        net.set_parameter(comp, param, value)
    return net, captured["options"]


def test_flagship_hour_4000_from_a_cold_start(monkeypatch) -> None:
    """No greenhouse demand, 25 °C outside: the fans hold the servers' inlet at 67 °C and the
    bypass share sits closed (saturated: the greenhouse loop, without demand and so without a sink,
    comes to the module water's 76.3 °C whatever the share, far above the 20.7 °C asked). Independent: the same hour without the controls, the fans
    fixed at the found speed, gives 67 °C; the share fixed closed gives the same outlet, as do 0.3
    and 1; at the fans' start speed 0.1 the loop has no steady state inside the coolant's
    range (the former answer sat there, on the clip)."""
    net, options = _flagship_hour(monkeypatch)
    r = net.solve(options)
    assert r.converged
    _closes(r)
    c = r.controls
    fans = float(c.loc["dc_fans", "value"])
    assert 0.0 < fans < 1.0 and not bool(c.loc["dc_fans", "saturated"])
    assert r.temperature("m_supply") == pytest.approx(340.15, abs=1e-6)
    assert c.loc["gh_control", "value"] == 0.0 and bool(c.loc["gh_control", "saturated"])
    assert c.loc["gh_control", "achieved"] > c.loc["gh_control", "target"] + 10.0
    # first law of the module loop: the servers' water heat leaves by the dry cooler and the
    # exchanger (the module pump's work is small beside them)
    q_in = r.heat("servers") + r.heat("module_pump")
    q_out = -r.heat("dc") - r.heat("gh_hx.hot")
    assert q_in == pytest.approx(q_out, rel=1e-6)
    # the fans fixed at the found speed (no control): the same 67 °C; the share fixed closed:
    # the exchanger's greenhouse outlet as controlled
    share = ("gh_hx.hot", "through", 0.0)
    alone, _ = _flagship_hour(monkeypatch, {"dc_fans": ("dc", "speed", fans), "gh_control": share})
    fixed = alone.solve(options)
    _closes(fixed)
    assert fixed.temperature("m_supply") == pytest.approx(340.15, abs=1e-4)
    assert fixed.temperature("g_hx") == pytest.approx(r.temperature("g_hx"), abs=1e-4)
    # ... with the share open to 0.3 (its start value) or fully: the same outlet (the rails take
    # no heat without demand: the greenhouse loop has no sink and comes to the module water's
    # temperature whatever the share), far above the setpoint: it cannot be met at any share
    target = float(c.loc["gh_control", "target"])
    for open_share in (0.3, 1.0):
        alone.set_parameter("gh_hx.hot", "through", open_share)
        other = alone.solve(options)
        assert abs(other.heat("rail")) < 1e-3 * abs(other.heat("servers"))
        assert other.temperature("g_hx") == pytest.approx(fixed.temperature("g_hx"), abs=1e-3)
        assert other.temperature("g_hx") > target + 50.0
    # ... the fans at their start speed 0.1 (the former answer's): no steady state within the
    # coolant's range
    alone.set_parameter("dc", "speed", 0.1)
    stuck = alone.solve(options, strict=False)
    assert not stuck.converged and "range of PG25" in stuck.report.message


# ---------------------------------------------------------------------- hours of an annual run
def _hourly(hours: int = 3):
    from thermo.simulate.hourly import run_hourly

    def probe(result, tag):
        c = result.controls
        return {
            "hot_share": float(c.loc["c_hot" + tag, "value"]),
            "cold_share": float(c.loc["c_cold" + tag, "value"]),
            "H2_K": result.temperature("H2" + tag),
            "saturated": float(c.loc["c_hot" + tag, "saturated"]),
        }

    # the hot loop's load per hour (the template's is 20 kW)
    updates = {("load", "heat"): np.linspace(18e3, 22e3, hours)}
    return run_hourly(_controlled("plate", interlock=False), updates, probe, batch=hours)


def test_every_hour_of_a_run_is_audited(monkeypatch) -> None:
    """Each hour as its own point solve (the hot share saturated open; the cold one closed at
    18 and 20 kW, at 22 kW just open, 0.0147, holding the hot outlet at 36.85 °C); with the
    former hold every hour is refused (in its batch and solved alone), the error names the
    control."""
    run = _hourly()
    assert (run.table["hot_share"] == 1.0).all() and (run.table["saturated"] == 1.0).all()
    assert (run.table["H2_K"] < 298.15 - 1.0).all()
    assert run.closure["energy_rel"] < 1e-9
    for h, q in enumerate(np.linspace(18e3, 22e3, 3)):
        net = _controlled("plate", interlock=False)
        net.set_parameter("load", "heat", q)
        alone = net.solve()
        assert run.table["cold_share"][h] == pytest.approx(
            alone.controls.loc["c_cold", "value"], abs=1e-6
        )
        assert run.table["H2_K"][h] == pytest.approx(alone.temperature("H2"), abs=1e-6)
    assert run.table["cold_share"][0] < 1e-12 and 0.01 < run.table["cold_share"][2] < 0.02
    monkeypatch.setattr(newton_module, "_hold_temperature_controls", _hold_at_current_value)
    with pytest.raises(ConvergenceError, match="control c_hot@0"):
        _hourly()


# ---------------------------------------------------------------------- transient steps
def test_transient_steps_are_audited_and_end_at_the_steady_state() -> None:
    """The hot loop's load ramps from 20 to 24 kW in 100 s: the cold share leaves its lower bound
    (saturated) and holds the hot outlet at 36.85 °C. Every accepted step passes the audit, and
    the run ends at the steady solve of 24 kW (an independent point solve)."""
    from thermo.network.control_audit import audit_controls
    from thermo.transient import Drive, PiecewiseLinear, TransientModel, TransientOptions, simulate

    model = TransientModel(_controlled("plate", interlock=False))
    unsettled = []

    def record(run, x, ev, t):
        system = run.model.system
        unsettled.extend(audit_controls(system, x, ev, 1e-8))
        u = system.layout.u.start
        return {
            "cold_share": float(x[u + 1]),
            "M1_K": float(x[system.layout.T.start + system.node_index["M1"]]),
        }

    res = simulate(
        model,
        TransientOptions(duration=600.0, output_interval=60.0),
        drives=[Drive(["load"], PiecewiseLinear([0.0, 100.0], [1.0, 1.2]))],
        record=record,
    )
    assert unsettled == []
    assert res.series["cold_share"][0] < 1e-12 and res.series["M1_K"][0] < 310.0 - 0.1
    net = _controlled("plate", interlock=False)
    net.set_parameter("load", "heat", 24e3)
    steady = net.solve()
    assert res.series["cold_share"][-1] == pytest.approx(
        steady.controls.loc["c_cold", "value"], abs=1e-6
    )
    assert res.series["M1_K"][-1] == pytest.approx(310.0, abs=1e-6)


# ---------------------------------------------------------------------- the audit's verdicts
@pytest.mark.parametrize(
    ("hot_share", "provisional", "verdict"),
    [
        (1.0, False, None),  # saturated: open and still short of 25 °C
        (0.5, False, "held at a value inside its range"),
        (0.5, True, "held at a value inside its range"),
        (0.0, False, "held at its lower bound although its controller drives it back"),
    ],
)
def test_audit_verdicts(hot_share, provisional, verdict) -> None:
    """The solved exchanger with the hot share's hold moved (the state re-solved with it there):
    open is saturated (H2 below 25 °C, direct action asks for more); half open or closed while
    the controller asks to open are not answers, whatever the residuals."""
    from thermo.network.control_audit import audit_controls

    net = _controlled("plate", interlock=False)
    net.solve()
    _fix(net, "c_hot", hot_share)
    r = net.solve()  # the network with the share there (its setpoint out of reach: H2 < 25 °C)
    assert r.temperature("H2") < 298.15
    system = net.system()
    x = np.array(r.state)
    system.controls[0].lower, system.controls[0].upper = 0.0, 1.0  # its range back, held
    system.control_fixed[0] = hot_share
    system.control_provisional[0] = provisional
    x[system.layout.u.start] = hot_share
    misses = audit_controls(system, x, system.evaluate(x, jacobian=False), 1e-8)
    names = [m.name for m in misses]
    if verdict is None:
        assert "c_hot" not in names
    else:
        (miss,) = [m for m in misses if m.name == "c_hot"]
        assert verdict in miss.why
        assert miss.value == hot_share and miss.setpoint == "25.00 °C"
        assert float(miss.reached.split()[0]) == pytest.approx(
            r.temperature("H2") - 273.15, abs=0.01
        )
