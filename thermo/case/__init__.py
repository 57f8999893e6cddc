"""Case files (TOML): load and validate, build the network, run, check, write outputs.

>>> from thermo.case import load_case, run_case
>>> case = load_case("secondary_loop")          # a path, or the name of a shipped case
>>> run = run_case(case)
>>> run.converged and run.passed
True

The layer below (``thermo.network``, ``thermo.components``) knows nothing about files. The format
is documented in ``docs/case-files.md``; the command line (``thermo run|check|validate|cases``) in
``docs/cli.md``.
"""

from __future__ import annotations

from thermo.case.builder import build_network
from thermo.case.loader import load_case, resolve_case, shipped_cases
from thermo.case.problems import CaseError, Problem
from thermo.case.registry import REGISTRY, ComponentType, Param
from thermo.case.runner import CaseRun, run_case
from thermo.case.spec import CaseSpec

__all__ = [
    "load_case",
    "resolve_case",
    "shipped_cases",
    "build_network",
    "run_case",
    "CaseRun",
    "CaseSpec",
    "CaseError",
    "Problem",
    "REGISTRY",
    "ComponentType",
    "Param",
]
