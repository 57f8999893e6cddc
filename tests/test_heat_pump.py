"""Heat pumps: Carnot identities, published COPs, an independent CoolProp cycle, energy balance."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.errors import InputError, RangeError
from thermo.plant.heat_pump import (
    CarnotHeatPump,
    VaporCompressionHeatPump,
    carnot_cop,
    carnot_cop_derivatives,
    vapor_compression_cycle,
)

C = 273.15


# --- Carnot ------------------------------------------------------------------------------------


def test_carnot_cop_matches_published_carnot_row() -> None:
    # Wikipedia "Heat pump" COP table (via WikiTableQuestions; docs/references.md §7), row
    # "Carnot, source 10 °C": 12.3 / 9.1 / 7.3 / 6.1 / 5.4 at 35/45/55/65/75 °C sinks,
    # printed to one decimal -> abs 0.05.
    sinks = np.array([35.0, 45.0, 55.0, 65.0, 75.0]) + C
    published = np.array([12.3, 9.1, 7.3, 6.1, 5.4])
    np.testing.assert_allclose(carnot_cop(10.0 + C, sinks), published, atol=0.05)


def test_carnot_cop_shapes() -> None:
    assert isinstance(carnot_cop(300.0, 350.0), float)
    grid = carnot_cop(np.full((3, 4), 300.0), np.linspace(320, 360, 4))
    assert grid.shape == (3, 4)


def test_carnot_cop_rejects_no_lift_and_celsius() -> None:
    with pytest.raises(RangeError, match=r"needs T_sink > T_source.*T_sink = 300.00 K"):
        carnot_cop(310.0, 300.0)
    with pytest.raises(RangeError, match="needs T_sink > T_source"):
        carnot_cop(np.array([300.0, 330.0]), np.array([320.0, 330.0]))
    with pytest.raises(InputError, match=r"absolute temperature in K \(> 0\), got -5.0"):
        carnot_cop(-5.0, 60.0)


def test_carnot_derivatives_match_finite_differences() -> None:
    Ts = np.array([280.0, 300.0, 313.15])
    Tk = np.array([320.0, 340.0, 358.15])
    d_src, d_snk = carnot_cop_derivatives(Ts, Tk)
    h = 1e-4
    np.testing.assert_allclose(
        d_src, (carnot_cop(Ts + h, Tk) - carnot_cop(Ts - h, Tk)) / (2 * h), rtol=1e-7
    )
    np.testing.assert_allclose(
        d_snk, (carnot_cop(Ts, Tk + h) - carnot_cop(Ts, Tk - h)) / (2 * h), rtol=1e-7
    )


def test_carnot_heat_pump_uses_refrigerant_temperatures() -> None:
    hp = CarnotHeatPump(carnot_fraction=0.5, evaporator_approach=5.0, condenser_approach=5.0)
    # T_evap = 35 °C, T_cond = 85 °C: analytic 0.5 * 358.15 / 50
    assert hp.cop(40.0 + C, 80.0 + C) == pytest.approx(0.5 * 358.15 / 50.0, rel=1e-12)
    h = 1e-4
    d_src, d_snk = hp.cop_derivatives(40.0 + C, 80.0 + C)
    assert d_src == pytest.approx(
        (hp.cop(40 + C + h, 80 + C) - hp.cop(40 + C - h, 80 + C)) / (2 * h), rel=1e-7
    )
    assert d_snk == pytest.approx(
        (hp.cop(40 + C, 80 + C + h) - hp.cop(40 + C, 80 + C - h)) / (2 * h), rel=1e-7
    )
    assert d_src > 0 > d_snk


def test_energy_balance_capacity_and_part_load() -> None:
    hp = CarnotHeatPump(heating_capacity=1.0e6, min_part_load=0.2)
    demand = np.array([0.0, 1.0e5, 5.0e5, 2.0e6])
    op = hp.performance(demand, 35.0 + C, 75.0 + C)
    cop = 0.45 * (75.0 + C) / 40.0
    np.testing.assert_allclose(op.Q_sink, [0.0, 1.0e5, 5.0e5, 1.0e6])
    np.testing.assert_allclose(op.P_el, op.Q_sink / cop, rtol=1e-14)
    # first law: everything the sink gets comes from the source or the compressor
    np.testing.assert_allclose(op.Q_source + op.P_el, op.Q_sink, rtol=1e-15, atol=1e-9)
    assert op.capacity_limited.tolist() == [False, False, False, True]
    assert op.below_min_part_load.tolist() == [False, True, False, False]
    assert op.P_el[0] == 0.0


def test_scalar_performance_returns_floats() -> None:
    op = CarnotHeatPump().performance(1.0e5, 40.0 + C, 80.0 + C)
    assert isinstance(op.P_el, float) and isinstance(op.capacity_limited, bool)
    assert op.Q_sink == pytest.approx(op.Q_source + op.P_el, rel=1e-15)


def test_out_of_range_strict_raises_and_lenient_flags() -> None:
    hp = CarnotHeatPump()
    with pytest.raises(RangeError, match=r"lift 80.0 K exceeds max_lift = 70.0 K.*strict=False"):
        hp.cop(5.0 + C, 85.0 + C)
    Ts = np.array([40.0, 50.0, 10.0, 30.0]) + C
    Tk = np.array([80.0, 45.0, 80.0, 45.0]) + C
    with pytest.raises(RangeError, match=r"element \(1,\).*no lift"):
        hp.cop(Ts, Tk)
    cop = hp.cop(Ts, Tk, strict=False)
    fl = hp.flags(Ts, Tk)
    assert np.isnan(cop[1]) and np.all(np.isfinite(cop[[0, 2, 3]]))
    assert fl.no_lift.tolist() == [False, True, False, False]
    assert fl.lift_above_max.tolist() == [False, False, False, False]  # 70 K lift is the limit
    assert fl.lift_below_min.tolist() == [False, False, False, True]
    assert fl.any.tolist() == [False, True, False, True]
    op = hp.performance(np.full(4, 1.0e5), Ts, Tk, strict=False)
    assert np.isnan(op.P_el[1]) and op.flags.no_lift[1]


def test_sink_limit_flag() -> None:
    hp = CarnotHeatPump()
    assert hp.flags(50.0 + C, 90.0 + C).sink_above_max is True
    with pytest.raises(RangeError, match="exceeds the maximum 358.15 K"):
        hp.cop(50.0 + C, 90.0 + C)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"carnot_fraction": 1.5}, r"carnot_fraction must be in \(0, 1\]"),
        ({"min_part_load": 0.3}, "min_part_load is a fraction of heating_capacity"),
        ({"min_lift": 50.0, "max_lift": 40.0}, "max_lift .* must be larger than min_lift"),
        ({"evaporator_approach": -1.0}, "evaporator_approach must be a finite number >= 0"),
    ],
)
def test_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        CarnotHeatPump(**kwargs)


def test_negative_demand_rejected() -> None:
    with pytest.raises(InputError, match="Q_demand must be >= 0 W"):
        CarnotHeatPump().performance(-1.0, 40 + C, 80 + C)


# --- vapour-compression cycle --------------------------------------------------------------------


def _propssi_cycle(fluid: str, Te: float, Tc: float, eta: float, sh: float, sc: float) -> float:
    """Independent heating COP with CoolProp's high-level PropsSI (T/P inputs, not AbstractState)."""
    from CoolProp.CoolProp import PropsSI

    pe = PropsSI("P", "T", Te, "Q", 1, fluid)
    pc = PropsSI("P", "T", Tc, "Q", 0, fluid)
    h1 = PropsSI("H", "T", Te + sh, "P", pe, fluid)
    s1 = PropsSI("S", "T", Te + sh, "P", pe, fluid)
    h2 = h1 + (PropsSI("H", "P", pc, "S", s1, fluid) - h1) / eta
    h3 = PropsSI("H", "T", Tc - sc, "P", pc, fluid)
    return (h2 - h3) / (h2 - h1)


@pytest.mark.parametrize("fluid", ["R290", "R1234ze(E)", "R717", "R134a"])
def test_cycle_matches_independent_propssi_calculation(fluid: str) -> None:
    cyc = vapor_compression_cycle(
        fluid, 30.0 + C, 75.0 + C, isentropic_efficiency=0.72, superheat=6.0, subcooling=4.0
    )
    ref = _propssi_cycle(fluid, 30.0 + C, 75.0 + C, 0.72, 6.0, 4.0)
    assert cyc.cop_heating == pytest.approx(ref, rel=1e-8)
    # first law on the cycle and the heating/cooling COP relation
    assert cyc.q_cond == pytest.approx(cyc.q_evap + cyc.w_comp, rel=1e-12)
    assert cyc.cop_heating == pytest.approx(cyc.cop_cooling + 1.0, rel=1e-12)
    # second law: below Carnot between the saturation temperatures
    assert cyc.cop_heating < carnot_cop(30.0 + C, 75.0 + C)
    assert cyc.T_discharge > 75.0 + C


def test_cycle_range_errors() -> None:
    with pytest.raises(
        RangeError, match=r"within 10 K of the critical temperature of R134a \(374.21 K\)"
    ):
        vapor_compression_cycle("R134a", 40.0 + C, 95.0 + C)
    with pytest.raises(RangeError, match="must exceed T_evap"):
        vapor_compression_cycle("R290", 40.0 + C, 40.0 + C)
    with pytest.raises(InputError, match="unknown refrigerant 'R9999'"):
        vapor_compression_cycle("R9999", 300.0, 330.0)
    with pytest.raises(InputError, match=r"isentropic_efficiency must be in \(0, 1\]"):
        vapor_compression_cycle("R290", 300.0, 330.0, isentropic_efficiency=1.2)


def test_r744_is_refused_as_transcritical() -> None:
    hp = VaporCompressionHeatPump("R744")
    with pytest.raises(RangeError, match="R744 needs a transcritical model"):
        hp.cop(10.0 + C, 15.0 + C, strict=False)


@pytest.fixture(scope="module")
def r1234ze() -> VaporCompressionHeatPump:
    return VaporCompressionHeatPump("R1234ze(E)", heating_capacity=2.0e6)


def test_table_matches_direct_coolprop(r1234ze: VaporCompressionHeatPump) -> None:
    # Fast path vs direct CoolProp at random off-grid points: documented bound 1e-5 (measured
    # <= 1.3e-6 for R134a, R1234ze(E), R717, R290).
    rng = np.random.default_rng(1)
    T_cond = rng.uniform(25.0 + C, r1234ze.max_condensing_temperature - 0.5, 30)
    lift = rng.uniform(6.0, 74.0, 30)
    Ts = T_cond - lift + r1234ze.evaporator_approach
    Tk = T_cond - r1234ze.condenser_approach
    table = r1234ze.cop(Ts, Tk)
    direct = r1234ze.cop(Ts, Tk, method="coolprop")
    np.testing.assert_allclose(table, direct, rtol=1e-5)


def test_table_derivatives_match_finite_differences(r1234ze: VaporCompressionHeatPump) -> None:
    Ts = np.array([30.0, 35.0, 45.0]) + C
    Tk = np.array([60.0, 80.0, 85.0]) + C
    d_src, d_snk = r1234ze.cop_derivatives(Ts, Tk)
    h = 1e-3
    fd_src = (r1234ze.cop(Ts + h, Tk) - r1234ze.cop(Ts - h, Tk)) / (2 * h)
    fd_snk = (r1234ze.cop(Ts, Tk + h) - r1234ze.cop(Ts, Tk - h)) / (2 * h)
    np.testing.assert_allclose(d_src, fd_src, rtol=1e-5)
    np.testing.assert_allclose(d_snk, fd_snk, rtol=1e-5)
    assert np.all(d_src > 0) and np.all(d_snk < 0)


def test_cycle_model_annual_style_call(r1234ze: VaporCompressionHeatPump) -> None:
    # 8760 hourly points: vectorised, flags instead of exceptions, energy balance everywhere.
    hours = np.arange(8760)
    Ts = 38.0 + C + 4.0 * np.sin(2 * np.pi * hours / 8760)
    Tk = 70.0 + C + 25.0 * np.cos(2 * np.pi * hours / 24)  # up to 95 °C: beyond the critical margin
    op = r1234ze.performance(np.full(8760, 1.5e6), Ts, Tk, strict=False)
    assert op.P_el.shape == (8760,)
    high = op.flags.sink_above_max
    assert high.sum() > 0 and not high.all()
    np.testing.assert_allclose(op.Q_source + op.P_el, op.Q_sink, rtol=1e-14)
    with pytest.raises(RangeError, match="exceeds the maximum"):
        r1234ze.performance(np.full(8760, 1.5e6), Ts, Tk)


def test_cycle_heat_pump_below_carnot_and_above_one(r1234ze: VaporCompressionHeatPump) -> None:
    Ts = np.linspace(20.0, 45.0, 6) + C
    cop = r1234ze.cop(Ts, 80.0 + C)
    T_evap, T_cond = r1234ze.refrigerant_temperatures(Ts, 80.0 + C)
    assert np.all(cop > 1.0) and np.all(cop < carnot_cop(T_evap, T_cond))
    assert np.all(np.diff(cop) > 0)  # warmer source, better COP


def test_bad_method_and_refrigerant_name() -> None:
    with pytest.raises(InputError, match="method must be 'table' or 'coolprop'"):
        VaporCompressionHeatPump("R290").cop(300.0, 340.0, method="spline")
    with pytest.raises(InputError, match="refrigerant must be a CoolProp fluid name"):
        VaporCompressionHeatPump("")
