"""Packaging beside pyproject.toml: the shipped case files live in the repository's top-level
``cases/`` folder and are installed as ``thermo/cases`` so that ``thermo run <name>`` finds them
(thermo.case.loader.shipped_cases). Everything else is declared in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["thermo*"]), "thermo.cases"],
    package_dir={"thermo.cases": "cases"},
)
