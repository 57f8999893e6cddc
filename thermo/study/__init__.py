"""Design studies: sweeps (lists, ranges, full factorial, Latin hypercube, one at a time) over any
key of a case file, run locally or on a Dask cluster with a result cache; goal seek and
optimisation (scipy.optimize); flow balancing in design mode. See ``docs/studies.md``.

>>> from thermo.study import sweep, parse_set
>>> res = sweep("secondary_loop", parse_set(["components.pump.speed=0.9,1.0"]), out="out",
...             workers=1, plots=False)                                      # doctest: +SKIP
"""

from __future__ import annotations

from thermo.study.design import Variant, variants
from thermo.study.execute import StudyRun, run_study
from thermo.study.runner import SweepResult, load_study, sweep
from thermo.study.spec import Parameter, StudySpec, parse_set, read_study

__all__ = [
    "Parameter",
    "StudySpec",
    "Variant",
    "StudyRun",
    "SweepResult",
    "parse_set",
    "read_study",
    "load_study",
    "variants",
    "run_study",
    "sweep",
]
