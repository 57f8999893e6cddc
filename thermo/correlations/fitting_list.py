"""Fittings of a pipe as a list of named fittings, summed into the pipe's loss coefficient.

Each fitting is a mapping with a ``type`` and its own keys; ``count`` (default 1) repeats it. K
values come from :mod:`thermo.correlations.fittings` (``fluids``: Crane TP-410 2009, Rennels &
Hudson 2012) and are referred to the velocity in the pipe (diameter ``D``):

| type | keys | K |
|---|---|---|
| ``bend`` | ``angle_deg`` (90), ``bend_diameters`` r/D (1.5), ``method`` ("Crane") | rounded bend |
| ``miter_bend`` | ``angle_deg`` (90) | mitre (sharp) elbow, Rennels |
| ``entrance_sharp`` | — | 0.57, flush sharp entrance (Rennels) |
| ``entrance_rounded`` | ``radius`` [m] | rounded entrance (Rennels) |
| ``exit`` | — | 1.0, exit into a large vessel |
| ``tee`` | ``path`` (branch/run, diverging/converging), ``branch_fraction`` of the flow, ``angle_deg`` (90) | Crane tee or wye, both legs of diameter D |
| ``contraction`` | ``to_diameter`` [m] < D | sharp contraction (Rennels), K on the small bore, referred to D |
| ``expansion`` | ``from_diameter`` [m] < D | sudden expansion (Borda–Carnot), K on the small bore, referred to D |
| ``gate_valve``, ``ball_valve``, ``globe_valve`` | ``seat_diameter`` [m] (D) | fully open valve, Crane |
| ``butterfly_valve`` | ``style`` ("centric") | fully open butterfly valve, Crane |

A tee's K depends on the flow split; here the split is the design one (``branch_fraction``),
fixed during the solve. Crane fitting K values are for fully turbulent flow (see
:mod:`thermo.correlations.fittings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from thermo.errors import InputError

__all__ = ["FITTING_TYPES", "fitting_k", "fittings_k"]

FITTING_TYPES = (
    "bend",
    "miter_bend",
    "entrance_sharp",
    "entrance_rounded",
    "exit",
    "tee",
    "contraction",
    "expansion",
    "gate_valve",
    "ball_valve",
    "globe_valve",
    "butterfly_valve",
)
_TEE_PATHS = {
    "branch_diverging": "branch",
    "run_diverging": "run",
    "branch_converging": "branch",
    "run_converging": "run",
}


def fitting_k(fitting: Mapping[str, Any], diameter: float, label: str = "fitting") -> float:
    """K of one fitting (times its ``count``) referred to the pipe ``diameter`` [m]."""
    import fluids

    from thermo.correlations import fittings as F

    f = dict(fitting)
    kind = f.pop("type", None)
    count = f.pop("count", 1)
    if kind not in FITTING_TYPES:
        raise InputError(
            f"fitting type must be one of {', '.join(FITTING_TYPES)}, got {kind!r}",
            key=f"{label}.type",
        )
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise InputError(f"count must be a whole number >= 1, got {count!r}", key=f"{label}.count")
    D = diameter
    try:
        if kind == "bend":
            k = F.k_bend(
                D,
                f.pop("angle_deg", 90.0),
                bend_diameters=f.pop("bend_diameters", 1.5),
                method=f.pop("method", "Crane"),
            )
        elif kind == "miter_bend":
            k = F.k_miter_bend(D, f.pop("angle_deg", 90.0))
        elif kind == "entrance_sharp":
            k = F.k_entrance_sharp()
        elif kind == "entrance_rounded":
            k = F.k_entrance_rounded(D, f.pop("radius"))
        elif kind == "exit":
            k = F.k_exit()
        elif kind == "tee":
            path = f.pop("path")
            if path not in _TEE_PATHS:
                raise InputError(
                    f"tee path must be one of {', '.join(_TEE_PATHS)}, got {path!r}",
                    key=f"{label}.path",
                )
            x = float(f.pop("branch_fraction"))
            if not 0.0 <= x <= 1.0:
                raise InputError(
                    f"branch_fraction must lie in [0, 1], got {x!r}", key=f"{label}.branch_fraction"
                )
            k = F.k_tee(path, D, D, 1.0 - x, x, f.pop("angle_deg", 90.0))
        elif kind in ("contraction", "expansion"):
            key = "to_diameter" if kind == "contraction" else "from_diameter"
            d = float(f.pop(key))
            if not 0.0 < d < D:
                raise InputError(
                    f"{key} must lie between 0 and the pipe diameter {D:g} m, got {d!r}",
                    key=f"{label}.{key}",
                )
            k_small = (
                fluids.contraction_sharp(Di1=D, Di2=d)
                if kind == "contraction"
                else fluids.diffuser_sharp(Di1=d, Di2=D)
            )
            k = float(F.change_k_basis(k_small, d, D))
        elif kind in ("gate_valve", "ball_valve", "globe_valve"):
            fn = {"gate_valve": F.k_gate_valve, "ball_valve": F.k_ball_valve}.get(
                kind, F.k_globe_valve
            )
            k = fn(f.pop("seat_diameter", D), D)
        else:
            k = F.k_butterfly_valve(D, f.pop("style", "centric"))
    except KeyError as exc:
        raise InputError(f"a {kind} fitting needs {exc.args[0]!r}", key=label) from None
    if f:
        raise InputError(
            f"unknown key(s) {', '.join(sorted(f))} for a {kind} fitting", key=f"{label}"
        )
    return count * float(k)


def fittings_k(
    fittings: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]], diameter: float
) -> float:
    """Sum of the K of ``fittings`` (a list, or a mapping label -> fitting) on a pipe of
    ``diameter`` [m], referred to the pipe velocity."""
    items = fittings.items() if isinstance(fittings, Mapping) else enumerate(fittings)
    return sum(fitting_k(f, diameter, f"fittings.{lab}") for lab, f in items)
