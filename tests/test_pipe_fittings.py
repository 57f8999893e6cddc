"""Fittings on pipes: K from direct calls of ``fluids``, summed into the pipe's k_minor."""

from __future__ import annotations

import fluids
import pytest

from thermo.case import CaseError, load_case
from thermo.case.builder import build_network
from thermo.correlations.fitting_list import fitting_k, fittings_k
from thermo.errors import InputError

D = 0.0525


def test_each_fitting_is_the_fluids_value_on_the_pipe_velocity() -> None:
    assert fitting_k({"type": "bend", "count": 3}, D) == pytest.approx(
        3 * fluids.bend_rounded(Di=D, angle=90.0, bend_diameters=1.5, method="Crane"), rel=1e-12
    )
    assert fitting_k({"type": "entrance_sharp"}, D) == pytest.approx(0.57, rel=1e-12)
    assert fitting_k({"type": "exit"}, D) == pytest.approx(1.0, rel=1e-12)
    k_small = fluids.contraction_sharp(Di1=D, Di2=0.04)
    assert fitting_k({"type": "contraction", "to_diameter": 0.04}, D) == pytest.approx(
        k_small * (D / 0.04) ** 4, rel=1e-12
    )
    # sudden expansion: Borda-Carnot (1 - (d/D)^2)^2 on the small bore
    assert fitting_k({"type": "expansion", "from_diameter": 0.04}, D) == pytest.approx(
        (1 - (0.04 / D) ** 2) ** 2 * (D / 0.04) ** 4, rel=1e-9
    )
    tee = {"type": "tee", "path": "branch_diverging", "branch_fraction": 0.3}
    assert fitting_k(tee, D) == pytest.approx(
        fluids.K_branch_diverging_Crane(D_run=D, D_branch=D, Q_run=0.7, Q_branch=0.3, angle=90),
        rel=1e-12,
    )
    gate = fluids.K_gate_valve_Crane(D1=D, D2=D, angle=0.0, fd=fluids.ft_Crane(D))
    assert fitting_k({"type": "gate_valve"}, D) == pytest.approx(gate, rel=1e-12)


def test_bad_fittings_are_named() -> None:
    with pytest.raises(InputError, match="fitting type must be one of"):
        fittings_k({"x": {"type": "elbow"}}, D)
    with pytest.raises(InputError, match="needs 'to_diameter'"):
        fittings_k([{"type": "contraction"}], D)
    with pytest.raises(InputError, match="unknown key"):
        fittings_k([{"type": "exit", "radius": 0.01}], D)


CASE = """
[case]
name = "fittings"
[coolants]
water = "water"
[components.up]
type = "PressureBoundary"
node = "a"
pressure = "1.5 bar"
temperature = "20 degC"
[components.pipe]
type = "Pipe"
inlet = "a"
outlet = "b"
length = "30 m"
diameter = "52.5 mm"
PIPE_EXTRA
[components.down]
type = "PressureBoundary"
node = "b"
pressure = "1 bar"
temperature = "20 degC"
"""


def test_case_file_fittings_equal_the_same_k_minor(tmp_path) -> None:
    fittings = (
        'fittings.elbows = { type = "bend", count = 4 }\n'
        'fittings.inlet = { type = "entrance_sharp" }\n'
        'fittings.outlet = { type = "exit" }\n'
        'fittings.valve = { type = "gate_valve" }\n'
        "k_minor = 0.5\n"
    )
    k = (
        0.5
        + 4 * fluids.bend_rounded(Di=D, angle=90.0, bend_diameters=1.5, method="Crane")
        + 0.57
        + 1.0
        + fluids.K_gate_valve_Crane(D1=D, D2=D, angle=0.0, fd=fluids.ft_Crane(D))
    )
    path = tmp_path / "case.toml"
    path.write_text(CASE.replace("PIPE_EXTRA", fittings))
    r1 = build_network(load_case(path)).solve()
    path.write_text(CASE.replace("PIPE_EXTRA", f"k_minor = {k!r}"))
    r2 = build_network(load_case(path)).solve()
    assert r1.mass_flow("pipe") == pytest.approx(r2.mass_flow("pipe"), rel=1e-12)
    assert r1.closure["mass_rel"] < 1e-9 and r1.closure["energy_rel"] < 1e-9
    path.write_text(CASE.replace("PIPE_EXTRA", 'fittings.x = { type = "contraction" }'))
    with pytest.raises(CaseError, match="needs 'to_diameter'"):
        load_case(path)
