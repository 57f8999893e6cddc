"""`[scenario] it_load = { profile = "generated", ... }` in case files: validated against the
generator's own rules, and the annual run uses exactly the generator's fractions."""

from __future__ import annotations

import re

import numpy as np
import pytest

from thermo.case import load_case, shipped_cases
from thermo.cli import main
from thermo.facility.it_load import generated_it_profile


def _with_it_load(tmp_path, value: str):
    text = shipped_cases()["winnipeg_year"].read_text()
    text = re.sub(r"^it_load = \[.*?\]\n", f"it_load = {value}\n", text, flags=re.S | re.M)
    assert f"it_load = {value}" in text
    path = tmp_path / "year.toml"
    path.write_text(text)
    return path


def test_generated_profile_drives_the_year(tmp_path) -> None:
    kw = dict(utilisation=0.9, diurnal_amplitude=0.05, swing_duty=0.8, seed=3)
    spec = "{ " + ", ".join(f"{k} = {v}" for k, v in kw.items()) + ', profile = "generated" }'
    path = _with_it_load(tmp_path, spec)
    from thermo.case import run_case

    run = run_case(load_case(path), hours=48)
    expected = generated_it_profile(48, **kw).fraction
    np.testing.assert_allclose(run.hourly["it_load_fraction"], expected, rtol=1e-12)
    # conservation over whole days: mean utilisation x mean swing + idle share (no noise/gaps)
    swing = 0.8 * 1.0 + 0.2 * 0.3
    assert float(np.mean(expected)) == pytest.approx(0.9 * swing + 0.1 * 0.2, rel=1e-9)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ('{ profile = "generated", utilisation = 1.5 }', "utilisation"),
        ('{ profile = "generated", utilisation = 0.9, diurnal_amplitude = 0.5 }', "amplitude"),
        ('{ profile = "generated", swing_dutty = 0.5 }', "swing_dutty"),
        ('{ profile = "random" }', '"generated"'),
    ],
)
def test_bad_generated_profile_is_rejected_with_its_key(tmp_path, capsys, spec, message) -> None:
    path = _with_it_load(tmp_path, spec)
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "it_load" in err and message in err
