"""The generic vapour-compression cycle against a manufacturer's map (WAMAK TWW220, EN 14511).

The map (docs/validation/plant.md) is the independent reference; what is asserted is the
documented behaviour of the generic defaults (η_is 0.70, 5 K approaches, motor 0.93): within
10 % at the highest lift, never more than 3 % above the unit's COP anywhere, and at most 23 %
below it at the lowest lifts -- conservative on heat-pump electricity in a reuse study.
"""

from __future__ import annotations

import pytest

from thermo.plant.heat_pump import VaporCompressionHeatPump
from thermo.verification.cases_plant import WAMAK_TWW220_MAP, wamak_evaporator_outlet

C = 273.15


@pytest.mark.parametrize("refrigerant", ["R134a", "R1234ze(E)"])
def test_generic_cycle_is_conservative_against_the_wamak_map(refrigerant) -> None:
    hp = VaporCompressionHeatPump(refrigerant, motor_efficiency=0.93)
    ratio = {}
    for te, tc, q, p in WAMAK_TWW220_MAP:
        model = hp.cop(wamak_evaporator_outlet(te, q, p) + C, tc + C, method="coolprop")
        ratio[(te, tc)] = model / (q / p)
    assert all(0.77 <= r <= 1.03 for r in ratio.values()), ratio
    assert ratio[(30.0, 80.0)] == pytest.approx(1.0, abs=0.10)  # the verify case's point
    # the shortfall grows as the lift falls (the map's COP rises faster than a constant η_is)
    assert ratio[(30.0, 60.0)] < ratio[(30.0, 70.0)] < ratio[(30.0, 80.0)]


def test_map_transcription_gives_the_expected_cops() -> None:
    # printed heat and power of the record; COP by hand
    cops = {(te, tc): q / p for te, tc, q, p in WAMAK_TWW220_MAP}
    assert cops[(30.0, 60.0)] == pytest.approx(5.458, abs=1e-3)
    assert cops[(45.0, 80.0)] == pytest.approx(4.474, abs=1e-3)
    assert cops[(30.0, 80.0)] == pytest.approx(2.931, abs=1e-3)
