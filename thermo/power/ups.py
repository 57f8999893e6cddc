"""UPS efficiency against load and mode; distribution losses.

Loss model (Schneider Electric White Paper 108, Avelar, *Making Large UPS Systems More
Efficient*, rev. 2 [V that the three loss kinds are defined there]: "no-load losses" independent of
load, "proportional losses" and "square-law losses" growing with the square of the current)::

    P_loss = P_rated · (a0 + a1·x + a2·x²),   x = P_out / P_rated
    η(x)   = x / (x + a0 + a1·x + a2·x²)

Default coefficients (``a0 = 0.002``, ``a1 = 0.0265``, ``a2 = 0.002``) are **fitted by us** to a
flat 97 % from 25 % to 100 % load, the double-conversion efficiency Schneider states for its
Galaxy VS ("up to 97 % at every load level", quoted by eatonupsus.com [S]); the fit gives 96.6,
96.9, 97.0, 97.0 % at 25/50/75/100 % (``thermo verify -k power``). **Eco mode** (Schneider
eConversion) divides the losses by three: "reduce the electricity absorbed by the UPS by a factor
three compared with double conversion" (Galaxy VX operation manual 990-5452, *Operation Modes*
[V]), i.e. about 99 % ("up to 99 %" [S]); the manual allows eConversion only above 5–10 % load,
so below 10 % load eco mode falls back to double conversion here. Validity: 0 ≤ x ≤ 1.25 (short
overloads); above 1 the load exceeds the rating and every such step is counted and reported.

Distribution losses (transformers, switchgear, busways, PDUs) use the same form,
``P_loss = P_rated·(b1·x + b2·x²)``; defaults ``b1 = 0.01``, ``b2 = 0.01`` (2 % at full load)
are an assumption [?] (no measured figure retrieved for MW-scale AI halls).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from thermo.errors import InputError

__all__ = [
    "UPS_NO_LOAD",
    "UPS_PROPORTIONAL",
    "UPS_SQUARE",
    "ECO_LOSS_FACTOR",
    "ECO_MIN_LOAD",
    "UPS",
    "Distribution",
]

UPS_NO_LOAD = 0.002
"""No-load loss [fraction of rated power]; fitted (see module notes) [D]."""
UPS_PROPORTIONAL = 0.0265
"""Proportional loss coefficient [-]; fitted [D]."""
UPS_SQUARE = 0.002
"""Square-law loss coefficient [-]; fitted [D]."""
ECO_LOSS_FACTOR = 1.0 / 3.0
"""Eco-mode losses / double-conversion losses [-]: "a factor three" (Galaxy VX manual [V])."""
ECO_MIN_LOAD = 0.10
"""Least load for eco mode [-]: "minimum load on the UPS is 5-10%" (Galaxy VX manual [V])."""


def _positive(v: float, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise InputError(f"{name} must be a number, got {v!r}", key=name, value=v)
    if not (math.isfinite(v) and v > 0):
        raise InputError(f"{name} must be > 0, got {v!r}", key=name, value=v)
    return float(v)


def _coef(v: float, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)):
        raise InputError(f"{name} must be a number, got {v!r}", key=name, value=v)
    if not (math.isfinite(v) and 0.0 <= v <= 0.5):
        raise InputError(f"{name} must be in [0, 0.5], got {v!r}", key=name, value=v)
    return float(v)


@dataclass(frozen=True)
class UPS:
    """A UPS (or a group of UPS modules treated as one) of ``rated_W`` [W] output.

    ``mode`` is ``"double_conversion"`` or ``"eco"``. Coefficients: see the module notes.
    """

    rated_W: float
    mode: str = "double_conversion"
    no_load: float = UPS_NO_LOAD
    proportional: float = UPS_PROPORTIONAL
    square: float = UPS_SQUARE

    def __post_init__(self) -> None:
        _positive(self.rated_W, "ups.rated")
        if self.mode not in ("double_conversion", "eco"):
            raise InputError(
                f'ups.mode must be "double_conversion" or "eco", got {self.mode!r}',
                key="ups.mode",
                value=self.mode,
            )
        for k in ("no_load", "proportional", "square"):
            _coef(getattr(self, k), f"ups.{k}")

    def losses_W(self, out_W: np.ndarray | float) -> np.ndarray:
        """Losses [W] at output power ``out_W`` [W] (>= 0)."""
        p = np.asarray(out_W, dtype=float)
        x = p / self.rated_W
        loss = self.rated_W * (self.no_load + self.proportional * x + self.square * x * x)
        if self.mode == "eco":
            loss = np.where(x >= ECO_MIN_LOAD, loss * ECO_LOSS_FACTOR, loss)
        return loss

    def efficiency(self, load_fraction: np.ndarray | float) -> np.ndarray:
        """η = P_out / P_in at ``load_fraction`` = P_out / P_rated [-] (0 at zero load)."""
        x = np.asarray(load_fraction, dtype=float)
        p = x * self.rated_W
        return np.where(p > 0, p / np.maximum(p + self.losses_W(p), 1e-300), 0.0)

    def input_W(self, out_W: np.ndarray | float) -> np.ndarray:
        """Input power [W] for output ``out_W`` [W]."""
        p = np.asarray(out_W, dtype=float)
        return p + self.losses_W(p)


@dataclass(frozen=True)
class Distribution:
    """Distribution between the UPS and the racks, ``P_loss = P_rated·(b1·x + b2·x²)``."""

    rated_W: float
    proportional: float = 0.01
    square: float = 0.01

    def __post_init__(self) -> None:
        _positive(self.rated_W, "distribution.rated")
        _coef(self.proportional, "distribution.proportional")
        _coef(self.square, "distribution.square")

    def losses_W(self, load_W: np.ndarray | float) -> np.ndarray:
        """Losses [W] when ``load_W`` [W] reaches the racks."""
        x = np.asarray(load_W, dtype=float) / self.rated_W
        return self.rated_W * (self.proportional * x + self.square * x * x)
