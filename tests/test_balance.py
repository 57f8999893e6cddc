"""Flow balancing in design mode on the shipped rack case: equal tray flows in one solve."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.case import build_network, load_case
from thermo.errors import InputError
from thermo.study.balance import balance

TRAYS = [f"rack.tray{i:02d}.qd_in" for i in range(18)]


def _rack(**overrides):
    case = load_case("nvl72_rack", overrides)
    return case, build_network(case)


def _spread(result, names):
    f = np.array([result.components.loc[n, "V_dot_m3_s"] for n in names])
    return (f.max() - f.min()) / f.mean()


@pytest.mark.parametrize("routing, header", [("Z", "50 mm"), ("U", "25 mm")])
def test_equal_tray_flows_in_one_solve(routing: str, header: str) -> None:
    case, net = _rack(
        **{"components.rack.routing": routing, "components.rack.header_diameter": header}
    )
    before = net.solve()
    res = balance(net, TRAYS, insert_kv=2.5)  # an illustrative DN15-class balancing valve
    r = res.result
    assert res.solves == 1 and not res.unmet
    # equal within 0.5 % (the target); here to the solver's tolerance
    flows = np.array(list(res.flows.values()))
    assert (flows.max() - flows.min()) / flows.mean() < 0.005
    assert res.deviation < 1e-6
    # the pump control still holds 146 L/min: 18 equal shares of it
    assert flows.sum() * 6e4 == pytest.approx(146.0, rel=1e-6)
    # the index circuit (least flow before balancing) stays fully open, the others throttle
    assert res.openings[res.index] == pytest.approx(1.0)
    assert res.index.startswith(min(TRAYS, key=lambda n: before.components.loc[n, "V_dot_m3_s"]))
    assert all(0.05 <= x < 1.0 for n, x in res.openings.items() if n != res.index)
    # each balancing valve follows the Kv definition (IEC 60534): dp = 1 bar (rho/1000) (V/Kv)^2
    for n in list(res.openings)[:3]:
        row = r.components.loc[n]
        rho = row["m_dot_kg_s"] / row["V_dot_m3_s"]
        v_m3_h = row["V_dot_m3_s"] * 3600
        assert row["dp_Pa"] == pytest.approx(
            1e5 * rho / 1000 * (v_m3_h / row["kv_m3_h"]) ** 2, rel=1e-6
        )
    # the pump head reported is the pressure rise across it
    p = res.pumps["pump"]
    assert p["dp_Pa"] == pytest.approx(r.pressure("pump_out") - r.pressure("pump_in"), rel=1e-9)
    assert p["dp_Pa"] > -before.components.loc["pump", "dp_Pa"]  # balancing costs head
    assert r.closure["mass_rel"] < 1e-9 and r.closure["energy_rel"] < 1e-9
    if routing == "U":
        assert _spread(before, TRAYS) > 0.005  # it was unbalanced beyond 0.5 %
    # the input network is left as it was
    assert "rack.tray00.qd_in.balancing" not in net


def test_unmet_targets_are_reported() -> None:
    _, net = _rack()
    # 18 x 9 L/min = 162 L/min, but the pump control holds 146 L/min: every valve opens fully
    res = balance(net, targets={n: 9 / 6e4 for n in TRAYS}, insert_kv=2.5)
    assert len(res.unmet) == 18 and "target 9 L/min" in res.unmet[0]
    assert all(x == pytest.approx(1.0) for x in res.openings.values())


def test_bad_balancing_input() -> None:
    _, net = _rack()
    with pytest.raises(InputError, match="not a valve with a controllable opening"):
        balance(net, TRAYS)  # quick disconnects are fixed: a balancing valve must be inserted
    with pytest.raises(InputError, match="no component 'nope'"):
        balance(net, ["nope", TRAYS[0]], insert_kv=2.5)
    with pytest.raises(InputError, match="either group"):
        balance(net)


def test_balance_command(capsys) -> None:
    from thermo.cli import main

    assert (
        main(["balance", "nvl72_rack", "--valves", "rack.tray*.qd_in", "--insert-kv", "2.5"]) == 0
    )
    out = capsys.readouterr().out
    assert "pump pump: head" in out and "1 balancing solve" in out
