"""Annual integrity of the reuse studies: with the greenhouse geometry, the loop flow and the
sizes perturbed, every recorded hour closes on its own and the year closes to <= 1e-6 (first law
over the recorded hours, not a figure from the solver's converged batches only)."""

from __future__ import annotations

import re
import tomllib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thermo.case import load_case, run_case, shipped_cases

HOURS = 36


def _reuse_cases() -> list[str]:
    return [
        name
        for name, path in shipped_cases().items()
        if "greenhouse" in tomllib.loads(path.read_text(encoding="utf-8"))
    ]


def _perturbed(text: str, cover_to_floor: float, area_scale: float, flow: float) -> str:
    """The case text with the greenhouse's cover ratio, floor area and loop flow replaced."""
    head, sep, tail = text.partition("[greenhouse]\n")
    assert sep, "the case has no [greenhouse] section"
    section, rest_sep, rest = tail.partition("\n[")
    area = float(re.search(r'floor_area = "([0-9.]+) m2"', section).group(1)) * area_scale
    section = re.sub(r'floor_area = "[^"]*"', f'floor_area = "{area:.0f} m2"', section)
    section = re.sub(r'flow = "[^"]*"', f'flow = "{flow:.2f} kg/s"', section)
    section = re.sub(r"cover_to_floor = [^\n]*\n", "", section)
    section = f"cover_to_floor = {cover_to_floor:.6f}\n" + section
    return head + sep + section + rest_sep + rest


@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    case=st.sampled_from(_reuse_cases()),
    cover_to_floor=st.floats(1.05, 1.6),
    area_scale=st.floats(0.8, 1.4),
    flow=st.floats(30.0, 55.0),
)
def test_perturbed_reuse_year_closes(tmp_path, case, cover_to_floor, area_scale, flow) -> None:
    path = tmp_path / f"{case}_perturbed.toml"
    text = shipped_cases()[case].read_text(encoding="utf-8")
    path.write_text(_perturbed(text, cover_to_floor, area_scale, flow), encoding="utf-8")
    run = run_case(load_case(str(path)), hours=HOURS)
    a = run.annual
    assert a["closure_rel"] <= 1e-6
    t = run.hourly
    # each recorded hour on its own, and the year from the recorded hours
    net = (t["heat_added_W"] - t["heat_removed_W"]).to_numpy()
    gross = (t["heat_added_W"] + t["heat_removed_W"]).to_numpy()
    assert np.all(np.abs(net) <= 1e-6 * gross)
    assert abs(net.sum()) <= 1e-6 * gross.sum()
    assert run.solver["closure"]["energy_rel"] <= 1e-6
