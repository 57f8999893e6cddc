"""Designs of experiments: the runs of a study, each a set of case-file overrides.

- ``factorial``: every combination of every parameter's levels (full factorial).
- ``lhs``: a Latin hypercube of ``samples`` points over the ranges (McKay, Beckman & Conover
  1979: each input's range cut into ``samples`` equal strata, each stratum sampled once at a
  uniform random point, the strata paired by independent random permutations), reproducible with
  ``seed`` (numpy's PCG64 generator); a parameter given as a list of values is sampled by index.
  Written here on numpy rather than taken from ``scipy.stats.qmc``: importing ``scipy.stats``
  costs ~1.5 s, most of a cached study's second invocation.
- ``oat``: one at a time: the base run (every parameter at its base level), then each parameter
  at each of its other levels with the rest at base (the tornado chart's runs).
- ``zip``: the i-th run takes the i-th level of every parameter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from thermo.study.spec import Parameter, StudySpec

__all__ = ["Variant", "latin_hypercube", "variants"]


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
        unit = latin_hypercube(study.samples, len(params), study.seed)
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


def latin_hypercube(n: int, d: int, seed: int | None = None) -> Any:
    """``n`` points in the unit cube ``[0, 1)^d`` forming a Latin hypercube (McKay, Beckman &
    Conover 1979): in every dimension, each of the ``n`` strata ``[k/n, (k+1)/n)`` holds exactly
    one point, placed uniformly at random inside it; the strata of the dimensions are paired by
    independent random permutations. The same ``seed`` gives the same points."""
    import numpy as np

    if n < 1 or d < 1:
        raise ValueError(f"a Latin hypercube needs n >= 1 and d >= 1, got n={n}, d={d}")
    rng = np.random.default_rng(seed)
    strata = np.column_stack([rng.permutation(n) for _ in range(d)])
    return (strata + rng.random((n, d))) / n
