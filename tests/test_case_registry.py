"""The component registry: its documentation is current, its entries match the constructors, and
the complete example of docs/case-files.md is a valid case that runs."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from thermo.case import load_case, run_case
from thermo.case.docs import BEGIN, END, reference_markdown
from thermo.case.registry import CLASS_REPORTS, REGISTRY, load

ADAPTER_ONLY = {
    "fittings",
    "resistance_curve",
    "plates",
    "loops",
    "fuel",
    "condensing",
    "cycle",
    "rated_inlet_min",
    "rated_inlet_max",
}
"""Case-file keys that adapters translate (not constructor keywords)."""


def test_generated_reference_in_the_docs_is_current(repo_root) -> None:
    text = (repo_root / "docs" / "case-files.md").read_text(encoding="utf-8")
    section = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert section == "\n" + reference_markdown(), (
        "docs/case-files.md is stale: run `python -m thermo.case.docs docs/case-files.md`"
    )


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_entries_match_their_constructors(name) -> None:
    ctype = REGISTRY[name]
    cls = ctype.constructor()
    params = inspect.signature(cls).parameters
    ports = [p.replace("return", "return_") if p == "return" else p for p in ctype.ports]
    for key in [*ports, *(p.name for p in ctype.params)]:
        if key in ADAPTER_ONLY and ctype.adapter:
            continue
        assert key in params, f"{name}: {key!r} is not a keyword of {cls.__name__}"
    if ctype.adapter:
        assert callable(load(ctype.adapter))
    for p in ctype.params:
        if p.kind == "table" and p.factory:
            sub = inspect.signature(load(p.factory)).parameters
            assert all(f.name in sub for f in p.fields), (name, p.name)
    assert set(ctype.controllable()) <= {q.name for q in ctype.params}


def test_every_branch_class_has_its_reported_columns_listed() -> None:
    from thermo.components.base import Branch

    modules = {t.factory.split(":")[0] for t in REGISTRY.values()}
    classes = set()
    for mod in modules:
        module = importlib.import_module(mod)
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, Branch) and obj.__module__ == mod:
                classes.add(obj.__name__)
    assert classes <= set(CLASS_REPORTS), classes - set(CLASS_REPORTS)


def test_the_complete_example_of_the_docs_runs(repo_root, tmp_path) -> None:
    text = (repo_root / "docs" / "case-files.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "mini.toml"
    path.write_text(example)
    run = run_case(load_case(path))
    assert run.converged and run.passed
    # the flow control holds 7.5 L/min through the pump, shared by the two equal branches
    comps = run.result.components
    assert comps.loc["pump", "V_dot_L_min"] == pytest.approx(7.5, rel=1e-6)
    assert comps.loc["branch1.pipe", "m_dot_kg_s"] == pytest.approx(
        comps.loc["branch2.pipe", "m_dot_kg_s"], rel=1e-9
    )
    # energy balance of the loop: 2 x 2.5 kW into the fluid, the cooler removes it
    assert comps.loc["cooler", "Q_W"] == pytest.approx(-5000.0, rel=1e-6)
