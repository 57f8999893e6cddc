"""Component types not used by the shipped cases, through case files: hand-converted SI values,
adapters and nested sub-tables reach the constructors, and the networks solve."""

from __future__ import annotations

import textwrap

import pytest

from thermo.case import load_case, run_case

T0 = 273.15
LOOP = """\
[coolants]
w = "water"

[components.pump]
type = "Pump"
inlet = "c"
outlet = "a"
pressure_rise = "{rise}"

[components.load]
type = "HeatLoad"
inlet = "b"
outlet = "b2"
heat = "2 kW"

[components.cooler]
type = "Cooler"
inlet = "b2"
outlet = "c"
outlet_temperature = "30 degC"

[components.tank]
type = "ExpansionTank"
node = "c"
pressure = "2 bar"
"""


def around(tmp_path, component: str, rise: str = "20 kPa", cooled: bool = True):
    """A loop pump -> <component from a to b> -> heat load -> cooler -> tank; returns the run.

    Without ``cooled`` the loop is pump -> <component from a to b> -> tank (b = c).
    """
    loop = LOOP
    if not cooled:
        loop = loop[: loop.index("[components.load]")] + loop[loop.index("[components.tank]") :]
        loop = loop.replace('inlet = "c"\noutlet = "a"', 'inlet = "b"\noutlet = "a"')
        loop = loop.replace('node = "c"', 'node = "b"')
    text = loop.replace("{rise}", rise) + "\n" + textwrap.dedent(component)
    path = tmp_path / "case.toml"
    path.write_text(text)
    return run_case(load_case(path))


def obj(run, name: str):
    return next(s.obj for s in run.case.components if s.name == name)


def test_valve_kv_and_the_kv_definition(tmp_path) -> None:
    run = around(
        tmp_path,
        """
        [components.v]
        type = "Valve"
        inlet = "a"
        outlet = "b"
        kv = 2.5
        characteristic = "equal_percentage"
        opening = 1.0
        """,
    )
    v = obj(run, "v")
    assert v.kv == 2.5 and v.characteristic == "equal_percentage"
    # Kv definition (IEC 60534-1): dp = 1 bar (rho / 1000) (V [m3/h] / Kv)^2
    row = run.result.components.loc["v"]
    rho = row["m_dot_kg_s"] / row["V_dot_m3_s"]
    expected = 1e5 * (rho / 1000.0) * (row["V_dot_m3_s"] * 3600.0 / 2.5) ** 2
    assert row["dp_Pa"] == pytest.approx(expected, rel=1e-6)
    assert row["dp_Pa"] == pytest.approx(20e3, rel=1e-6)  # the whole pump rise (no other loss)


def test_quick_disconnect_and_microchannel_plate(tmp_path) -> None:
    run = around(
        tmp_path,
        """
        [components.qd]
        type = "QuickDisconnect"
        inlet = "a"
        outlet = "m"
        kv = 1.2

        [components.plate]
        type = "MicrochannelColdPlate"
        inlet = "m"
        outlet = "b"
        heat = "800 W"
        case_limit = "80 degC"

        [components.plate.geometry]
        channel_width = "0.2 mm"
        channel_height = "2 mm"
        fin_thickness = "0.2 mm"
        length = "40 mm"
        n_channels = 80
        base_thickness = "1 mm"
        k_solid = "390 W/(m*K)"
        """,
        rise="60 kPa",
    )
    assert obj(run, "qd").kv == 1.2
    plate = obj(run, "plate")
    g = plate.geometry
    assert (g.channel_width, g.channel_height, g.length) == pytest.approx((2e-4, 2e-3, 0.04))
    assert g.n_channels == 80 and g.k_solid == 390.0
    assert plate.case_limit == pytest.approx(T0 + 80)
    assert run.converged
    assert run.result.components.loc["plate", "Q_W"] == pytest.approx(800.0, rel=1e-6)


def test_server_tray_plates_and_loops(tmp_path) -> None:
    run = around(
        tmp_path,
        """
        [components.tray]
        type = "ServerTray"
        inlet = "a"
        outlet = "b"
        loops = [["cpu", "gpu"], ["gpu"]]
        quick_disconnect_kv = 3.0
        plates.gpu = { heat = "1 kW" }
        plates.cpu = { heat = "300 W", resistance = "0.05 K/W" }
        """,
        rise="60 kPa",
    )
    comps = run.result.components
    plates = [n for n in comps.index if n.startswith("tray.") and "qd" not in n]
    assert plates == ["tray.cpu0", "tray.gpu0", "tray.gpu1"]
    assert comps.loc[plates, "Q_W"].sum() == pytest.approx(2300.0, rel=1e-6)
    # the series loop carries the same flow through its cpu and gpu plates
    assert comps.loc["tray.cpu0", "m_dot_kg_s"] == pytest.approx(
        comps.loc["tray.gpu0", "m_dot_kg_s"]
    )
    assert run.summary["max_case_temperature_C"] > 30.0


def test_boiler_and_greenhouse_rail(tmp_path) -> None:
    run = around(
        tmp_path,
        """
        [components.boiler]
        type = "Boiler"
        inlet = "a"
        outlet = "m"
        setpoint = "60 degC"
        capacity = "50 kW"

        [components.rail]
        type = "GreenhouseRail"
        inlet = "m"
        outlet = "b"
        length = "200 m"
        air_temperature = "18 degC"
        demand = "10 kW"
        pressure_drop = ["20 kPa", "0.5 kg/s"]   # a loop needs some resistance to set its flow
        """,
        cooled=False,
    )
    b, rail = obj(run, "boiler"), obj(run, "rail")
    assert b.setpoint == pytest.approx(T0 + 60) and b.capacity == 50e3
    assert type(b.boiler).__name__ == "GasBoiler"
    assert rail.length == 200.0 and rail.air_temperature == pytest.approx(T0 + 18)
    comps = run.result.components
    assert comps.loc["boiler", "T_out_C"] == pytest.approx(60.0, abs=0.02)
    assert comps.loc["rail", "Q_W"] < 0  # the rail heats the greenhouse


def test_electric_boiler_rejects_condensing(tmp_path) -> None:
    from thermo.case import CaseError

    with pytest.raises(CaseError, match="`condensing` applies to gas boilers only"):
        around(
            tmp_path,
            """
            [components.boiler]
            type = "Boiler"
            inlet = "a"
            outlet = "b"
            setpoint = "60 degC"
            fuel = "electric"
            condensing = true
            """,
        )


FOUR_PORT = """\
[coolants]
w = "water"

[components.p1]
type = "Pump"
inlet = "h0"
outlet = "h1"
pressure_rise = "30 kPa"

[components.heat]
type = "HeatLoad"
inlet = "h1"
outlet = "h2"
heat = "50 kW"

[components.t1]
type = "ExpansionTank"
node = "h0"
pressure = "2 bar"

[components.p2]
type = "Pump"
inlet = "c0"
outlet = "c1"
pressure_rise = "30 kPa"

[components.cool]
type = "Cooler"
inlet = "c2"
outlet = "c0"
outlet_temperature = "20 degC"

[components.t2]
type = "ExpansionTank"
node = "c0"
pressure = "2 bar"
"""


def test_plate_heat_exchanger_and_heat_pump_couple_two_loops(tmp_path) -> None:
    text = FOUR_PORT + textwrap.dedent(
        """
        [components.phx]
        type = "PlateHeatExchanger"
        hot_inlet = "h2"
        hot_outlet = "h0"
        cold_inlet = "c1"
        cold_outlet = "c2"
        ua = "20 kW/K"
        hot_design_flow = "2 kg/s"
        cold_design_flow = "2 kg/s"
        hot_pressure_drop = ["10 kPa", "2 kg/s"]
        cold_pressure_drop = ["10 kPa", "2 kg/s"]
        """
    )
    path = tmp_path / "phx.toml"
    path.write_text(text)
    run = run_case(load_case(path))
    comps = run.result.components
    # the exchanger carries the 50 kW from the hot loop to the cold one
    assert comps.loc["phx.cold", "Q_W"] == pytest.approx(50e3, rel=1e-6)
    assert comps.loc["phx.hot", "UA_W_K"] > 0
    # heat pump: waste heat at 30 degC (a top-up boiler holds the evaporator inlet), sink loop
    # returning at 40 degC, condenser to 65 degC
    hp = FOUR_PORT.replace('outlet_temperature = "20 degC"', 'outlet_temperature = "40 degC"')
    hp = hp.replace(
        'type = "HeatLoad"\ninlet = "h1"\noutlet = "h2"\nheat = "50 kW"',
        'type = "Boiler"\ninlet = "h1"\noutlet = "h2"\nsetpoint = "30 degC"',
    )
    hp += textwrap.dedent(
        """
        [components.hp]
        type = "HeatPump"
        source_inlet = "h2"
        source_outlet = "h0"
        sink_inlet = "c1"
        sink_outlet = "c2"
        sink_setpoint = "65 degC"
        source_pressure_drop = ["20 kPa", "2 kg/s"]
        sink_pressure_drop = ["20 kPa", "2 kg/s"]

        [components.hp.model]
        carnot_fraction = 0.5
        max_lift = "60 K"
        """
    )
    path.write_text(hp)
    run = run_case(load_case(path))
    unit = obj(run, "hp")
    assert unit.model.carnot_fraction == 0.5 and unit.model.max_lift == 60.0
    comps = run.result.components
    # energy: condenser heat = evaporator heat + compressor electricity
    q_cond = comps.loc["hp.condenser", "Q_W"]
    q_evap = -comps.loc["hp.evaporator", "Q_W"]
    assert q_cond == pytest.approx(q_evap + comps.loc["hp.condenser", "P_el_W"], rel=1e-6)


def test_open_network_with_pressure_boundaries_and_a_flow_source(tmp_path) -> None:
    text = textwrap.dedent(
        """
        [coolants]
        w = "water"

        [components.inlet]
        type = "PressureBoundary"
        node = "a"
        pressure = "3 bar"
        temperature = "20 degC"

        [components.pipe]
        type = "Pipe"
        inlet = "a"
        outlet = "b"
        length = "10 m"
        diameter = "20 mm"

        [components.extra]
        type = "FlowSource"
        node = "b"
        mass_flow = "0.1 kg/s"
        temperature = "40 degC"

        [components.pipe2]
        type = "Pipe"
        inlet = "b"
        outlet = "c"
        length = "10 m"
        diameter = "20 mm"

        [components.outlet]
        type = "PressureBoundary"
        node = "c"
        pressure = "2.5 bar"
        temperature = "20 degC"
        """
    )
    path = tmp_path / "open.toml"
    path.write_text(text)
    run = run_case(load_case(path))
    comps = run.result.components
    # mass balance at b: the source's 0.1 kg/s joins the pipe flow
    assert comps.loc["pipe2", "m_dot_kg_s"] == pytest.approx(
        comps.loc["pipe", "m_dot_kg_s"] + 0.1, rel=1e-9
    )
    assert comps.loc["pipe", "dp_Pa"] + comps.loc["pipe2", "dp_Pa"] == pytest.approx(0.5e5)
