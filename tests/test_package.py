"""Packaging: the import name is ours, the CLI answers, nothing heavy loads at import."""

from __future__ import annotations

import subprocess
import sys

import thermo


def test_import_is_this_project_not_the_other_thermo() -> None:
    # The distribution `thermo` on the package index is another project; ours is `dc-thermo`.
    from importlib.metadata import version

    assert version("dc-thermo") == thermo.__version__
    assert hasattr(thermo, "__version__")


def test_import_and_help_do_not_load_heavy_libraries() -> None:
    code = (
        "import sys, thermo, thermo.cli, thermo.units, thermo.errors;"
        "heavy = [m for m in ('CoolProp', 'matplotlib', 'scipy', 'pint', 'pandas') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_version_and_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "thermo", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"thermo {thermo.__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "thermo", "--help"], capture_output=True, text=True, check=True
    )
    assert "exit codes" in out.stdout and "verify" in out.stdout
