"""thermo: thermal engineering of liquid-cooled AI data centres and the reuse of their waste heat.

The public names below load lazily, so ``import thermo`` (and the ``thermo`` command) stays fast:
CoolProp, scipy, pandas and matplotlib are imported only when a feature needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Coolant": "thermo.coolants",
    "ThermoError": "thermo.errors",
    "InputError": "thermo.errors",
    "ConvergenceError": "thermo.errors",
    "to_si": "thermo.units",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'thermo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
