"""Designs of experiments: the runs of a study, each a set of case-file overrides.

- ``factorial``: every combination of every parameter's levels (full factorial).
- ``lhs``: a Latin hypercube of ``samples`` points over the ranges (scipy.stats.qmc, McKay,
  Beckman & Conover 1979), reproducible with ``seed``; a parameter given as a list of values is
  sampled by index.
- ``oat``: one at a time: the base run (every parameter at its base level), then each parameter
  at each of its other levels with the rest at base (the tornado chart's runs).
- ``zip``: the i-th run takes the i-th level of every parameter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from thermo.study.spec import Parameter, StudySpec

__all__ = ["Variant", "variants"]


@dataclass(frozen=True)
class Variant:
    """One run: ``inputs`` (parameter key -> level, as varied) and the case-file ``overrides``."""

    index: int
    inputs: dict[str, Any]
    overrides: dict[str, Any]


def _make(index: int, params: list[Parameter], levels: list[Any]) -> Variant:
    inputs: dict[str, Any] = {}
    overrides: dict[str, Any] = {}
    for p, v in zip(params, levels, strict=True):
        inputs[p.key] = v
        overrides.update(p.assign(v))
    return Variant(index, inputs, overrides)


def variants(study: StudySpec) -> list[Variant]:
    """The runs of ``study``, in a fixed order."""
    params = study.parameters
    if study.design == "factorial":
        combos = list(itertools.product(*(p.levels() for p in params)))
    elif study.design == "zip":
        combos = list(zip(*(p.levels() for p in params), strict=True))
    elif study.design == "oat":
        base = [p.base_value() for p in params]
        combos = [tuple(base)]
        for i, p in enumerate(params):
            for v in p.levels():
                if v != base[i]:
                    combos.append(tuple(base[:i] + [v] + base[i + 1 :]))
    else:  # lhs
        from scipy.stats import qmc

        sampler = qmc.LatinHypercube(d=len(params), seed=study.seed)
        unit = sampler.random(study.samples)
        combos = []
        for row in unit:
            levels = []
            for p, u in zip(params, row, strict=True):
                if p.continuous:
                    assert p.low is not None and p.high is not None
                    levels.append(float(f"{p.low + (p.high - p.low) * u:.6g}"))
                else:
                    vals = p.levels()
                    levels.append(vals[min(int(u * len(vals)), len(vals) - 1)])
            combos.append(tuple(levels))
    return [_make(i, params, list(c)) for i, c in enumerate(combos)]
