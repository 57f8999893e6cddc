"""Plausibility of a built network's inputs: values far outside engineering practice.

A value can be valid (positive, finite, in the right unit) and still not be what the engineer
meant: a 40 m rack-header bore, a 10 km hose, a 0.01 mm pipe. :func:`plausibility` returns
warnings for values outside the range of practice, and raises :class:`~thermo.errors.InputError`
where a value cannot be meant (outside every physical use of a liquid-cooling or heat network).

Ranges (inner diameter of a pipe or hose, its length):

* diameter 1 mm – 1.6 m (warning outside): cold-plate and manifold tubing starts at about 1 mm
  (microchannel plates are modelled by their own component), and the largest standard steel pipe,
  NPS 60 of ASME B36.10M, has an outside diameter of 1524 mm; below 0.1 mm or above 10 m an error
  (no liquid network pipe is outside that; typically a unit slip, mm for m or the reverse);
* length up to 20 km (warning above): a data-centre loop is metres to hundreds of metres, district
  heating mains reach kilometres; above 1000 km an error.
"""

from __future__ import annotations

from typing import Any

from thermo.errors import InputError

DIAMETER_WARN = (1e-3, 1.6)
"""Inner diameters of practice [m] (see module docstring)."""
DIAMETER_ERROR = (1e-4, 10.0)
"""Inner diameters no liquid network has [m]."""
LENGTH_WARN = 20e3
"""Longest pipe of practice [m]."""
LENGTH_ERROR = 1e6
"""Length no pipe of a network has [m]."""


def plausibility(network: Any) -> list[str]:
    """Warnings for implausible pipe sizes of ``network``; raises :class:`InputError` for sizes
    that cannot be meant (naming the component, key, value and expected range)."""
    from thermo.components.pipe import Pipe

    warnings: list[str] = []
    for b in network.branches:
        if not isinstance(b, Pipe):
            continue
        d, length = b.diameter, b.length
        if not DIAMETER_ERROR[0] <= d <= DIAMETER_ERROR[1]:
            raise InputError(
                f"inner diameter {d * 1e3:.4g} mm cannot be meant: no liquid network pipe is "
                f"outside {DIAMETER_ERROR[0] * 1e3:g} mm – {DIAMETER_ERROR[1]:g} m (unit slip?)",
                key=f"{b.name}.diameter",
                value=d,
            )
        if length > LENGTH_ERROR:
            raise InputError(
                f"length {length / 1e3:.4g} km cannot be meant (longest plausible "
                f"{LENGTH_WARN / 1e3:g} km)",
                key=f"{b.name}.length",
                value=length,
            )
        if not DIAMETER_WARN[0] <= d <= DIAMETER_WARN[1]:
            warnings.append(
                f"{b.name}.diameter = {d * 1e3:.4g} mm is outside the range of practice "
                f"{DIAMETER_WARN[0] * 1e3:g} mm – {DIAMETER_WARN[1]:g} m"
            )
        if length > LENGTH_WARN:
            warnings.append(
                f"{b.name}.length = {length / 1e3:.4g} km is longer than any loop of practice "
                f"({LENGTH_WARN / 1e3:g} km)"
            )
    return warnings
