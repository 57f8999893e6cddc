"""Hot-water-cooled servers and the containerised module: the energy balance by hand (heat into the
water = count x power x liquid share; outlet from the coolant's enthalpy), the power-law pressure
drop through the datasheet point, the chip temperature, the rating flags, and a module in a
closed loop whose mass and energy close."""

from __future__ import annotations

import numpy as np
import pytest

from thermo import Coolant
from thermo.components.heat import Cooler
from thermo.components.hot_water_server import (
    PILOT_SERVER_POWER,
    HotWaterServer,
    container_module,
)
from thermo.errors import InputError
from thermo.network import ExpansionTank, FlowSource, Network, PressureBoundary

WATER = Coolant("water")
T0 = 273.15


def once_through(server: HotWaterServer, m: float, t_in: float) -> Network:
    net = Network()
    net.add(
        FlowSource("src", server.inlet, mass_flow=m, temperature=t_in, coolant=WATER),
        server,
        PressureBoundary("out", server.outlet, pressure=2e5, temperature=t_in, coolant=WATER),
    )
    return net


def test_energy_balance_pressure_drop_and_chip_by_hand() -> None:
    srv = HotWaterServer("s", "a", "b", count=90, liquid_fraction=0.95)
    m = 90 * 0.20
    r = once_through(srv, m, T0 + 65.0).solve()
    q = 90 * PILOT_SERVER_POWER * 0.95
    assert r.heat("s") == pytest.approx(q, rel=1e-9)
    # outlet from the enthalpy balance of the coolant (an independent call of its property)
    h_out = float(WATER.enthalpy(T0 + 65.0)) + q / m
    assert r.temperature("b") == pytest.approx(
        float(WATER.temperature_from_enthalpy(h_out)), abs=1e-6
    )
    # 90 servers at their design flow: the datasheet pressure drop (80 kPa)
    assert r.pressure("a") - r.pressure("b") == pytest.approx(80e3, rel=1e-6)
    # chip = outlet + R * heat of one server into water
    chip = r.temperature("b") + 1.2e-3 * PILOT_SERVER_POWER * 0.95
    assert r.value("s", "T_chip_C") == pytest.approx(chip - T0, abs=1e-6)
    assert r.value("s", "heat_to_air_W") == pytest.approx(90 * PILOT_SERVER_POWER * 0.05)
    assert r.closure["energy_rel"] < 1e-9 and r.closure["mass_rel"] < 1e-9
    assert not [f for f in r.flags if f.element == "s"]


def test_flags_outside_the_rating() -> None:
    # half the design flow at 72 °C in: inlet above the rating, outlet above 80 °C, low flow
    srv = HotWaterServer("s", "a", "b", count=10)
    r = once_through(srv, 10 * 0.08, T0 + 72.0).solve()
    codes = {f.code for f in r.flags if f.element == "s"}
    assert {"inlet_out_of_rating", "outlet_above_rating", "low_flow"} <= codes
    srv = HotWaterServer("s", "a", "b", count=1, chip_limit=T0 + 65.0)
    r = once_through(srv, 0.2, T0 + 50.0).solve()
    assert "chip_over_limit" in {f.code for f in r.flags}


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"count": 0}, "count"),
        ({"liquid_fraction": 1.2}, "liquid_fraction"),
        ({"rated_inlet": (T0 + 60, T0 + 20)}, "rated_inlet"),
        ({"rated_outlet_max": T0 + 50}, "rated_outlet_max"),
        ({"power": -1.0}, "power"),
    ],
)
def test_bad_input_is_an_error(kw, match) -> None:
    with pytest.raises(InputError, match=match):
        HotWaterServer("s", "a", "b", **kw)


def test_container_module_closes_mass_and_energy() -> None:
    comps = container_module(
        "mod1", supply="r", return_="r2", greenhouse_in="g_in", greenhouse_out="g_out"
    )
    net = Network()
    net.add(
        *comps,
        Cooler("trim", "r2", "r", outlet_temperature=T0 + 65.0),
        ExpansionTank("tank", "r", pressure=2e5, coolant=WATER),
        FlowSource("g_src", "g_in", mass_flow=18.0, temperature=T0 + 40.0, coolant=WATER),
        PressureBoundary("g_out_b", "g_out", pressure=2e5, temperature=T0 + 40.0, coolant=WATER),
    )
    r = net.solve()
    assert r.report.converged
    assert r.closure["energy_rel"] < 1e-9 and r.closure["mass_rel"] < 1e-9
    q = 90 * PILOT_SERVER_POWER * 0.95
    # every watt into the water leaves through the exchanger or the trim cooler
    assert -r.heat("mod1.hx.hot") - r.heat("trim") == pytest.approx(q, rel=1e-9)
    assert r.heat("mod1.hx.cold") == pytest.approx(-r.heat("mod1.hx.hot"), rel=1e-9)
    # the pump lifts the design flow through servers, manifold and exchanger
    assert r.mass_flow("mod1.servers") == pytest.approx(90 * 0.20, rel=0.05)
    assert np.isfinite(r.value("mod1.servers", "T_chip_C"))
