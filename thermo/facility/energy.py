"""Facility energy balance around the solved cooling network (numpy only).

The network gives the liquid side: pumps, dry-cooler fans, heat pumps. What it does not model is
added here, per time step:

* the share of IT heat **not** captured by liquid goes to the room air and is removed by an air
  cooling system with a seasonal COP (CRAH/fan walls plus whatever chiller or economiser serves
  them);
* power distribution and UPS losses, as an efficiency of the path from the utility meter to the IT
  equipment;
* other loads (lighting, offices, security): a constant power plus a share of IT power.

The facility power then is::

    P_facility = P_IT + P_cooling + P_heat_pump + P_distribution + P_other
    P_cooling  = P_pumps + P_fans + P_air_cooling

Heat-pump electricity is kept apart from cooling so that the German EnEfG PUE (which excludes
heat-upgrade electricity, :func:`thermo.facility.metrics.pue`) can be formed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from thermo.errors import InputError

LIQUID_FRACTION_DEFAULT = 0.9
"""Share of IT heat captured by liquid [-]. docs/references.md §2: for NVL72-class racks the compute
and switch trays are liquid-cooled, PSUs and NICs air-cooled; no published fraction was found
and 0.85-0.90 is an **assumption** [M]."""

AIR_COOLING_COP_DEFAULT = 4.0
"""Seasonal COP of the air cooling of the residual heat [-] (heat removed / electricity).
An **assumption** [M]: CRAH fans with chiller or economiser support; a user input in real studies.
Valid range accepted: 0.5-50 (below that no real plant, above that fans only)."""

DISTRIBUTION_EFFICIENCY_DEFAULT = 0.96
"""Efficiency of power distribution from the utility meter to the IT equipment (transformers,
UPS, PDUs) [-]. An **assumption** [M] within the 92-97 % full-load range of double-conversion
UPS quoted by vendors (e.g. 93 % in Schneider Electric White Paper 108 "Making Large UPS Systems
More Efficient", rev. 2); part load lowers it."""


@dataclasses.dataclass(frozen=True)
class FacilityBalance:
    """Power flows of one or more time steps [W] (arrays broadcast to the IT power's shape)."""

    it_power_W: np.ndarray
    heat_to_liquid_W: np.ndarray
    heat_to_air_W: np.ndarray
    pump_power_W: np.ndarray
    fan_power_W: np.ndarray
    air_cooling_power_W: np.ndarray
    heat_pump_power_W: np.ndarray
    distribution_loss_W: np.ndarray
    other_power_W: np.ndarray

    @property
    def cooling_power_W(self) -> np.ndarray:
        """Pumps + fans + air cooling [W] (heat pumps excluded)."""
        return self.pump_power_W + self.fan_power_W + self.air_cooling_power_W

    @property
    def facility_power_W(self) -> np.ndarray:
        """Total facility power at the utility meter [W]."""
        return (
            self.it_power_W
            + self.cooling_power_W
            + self.heat_pump_power_W
            + self.distribution_loss_W
            + self.other_power_W
        )

    @property
    def pue(self) -> np.ndarray:
        """Instantaneous PUE of each step [-] (annual PUE is a ratio of energies, not a mean)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.it_power_W > 0, self.facility_power_W / self.it_power_W, np.nan)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["cooling_power_W"] = self.cooling_power_W
        out["facility_power_W"] = self.facility_power_W
        return {k: (v.tolist() if np.ndim(v) else float(v)) for k, v in out.items()}


def _array(value: ArrayLike, key: str) -> np.ndarray:
    a = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(a)):
        raise InputError(f"`{key}` has non-finite values", key=key)
    if np.any(a < 0):
        raise InputError(f"`{key}` must be >= 0 W, got a minimum of {a.min():g}", key=key)
    return a


@dataclasses.dataclass(frozen=True)
class FacilityModel:
    """What the facility adds to the liquid-cooling network.

    Parameters
    ----------
    liquid_fraction
        Share of IT heat captured by liquid, 0..1 (default :data:`LIQUID_FRACTION_DEFAULT`).
    air_cooling_cop
        Heat removed from the room air per unit of electricity, 0.5..50 (default
        :data:`AIR_COOLING_COP_DEFAULT`).
    distribution_efficiency
        IT power / power drawn for it at the meter, 0.5..1 (default
        :data:`DISTRIBUTION_EFFICIENCY_DEFAULT`).
    other_power
        Constant other loads [W] (lighting, offices).
    other_fraction
        Other loads proportional to IT power [-], 0..1.
    """

    liquid_fraction: float = LIQUID_FRACTION_DEFAULT
    air_cooling_cop: float = AIR_COOLING_COP_DEFAULT
    distribution_efficiency: float = DISTRIBUTION_EFFICIENCY_DEFAULT
    other_power: float = 0.0
    other_fraction: float = 0.0

    def __post_init__(self) -> None:
        checks = (
            ("liquid_fraction", 0.0, 1.0),
            ("air_cooling_cop", 0.5, 50.0),
            ("distribution_efficiency", 0.5, 1.0),
            ("other_fraction", 0.0, 1.0),
        )
        for key, lo, hi in checks:
            v = getattr(self, key)
            if not (np.isfinite(v) and lo <= v <= hi):
                raise InputError(f"`{key}` must be in [{lo:g}, {hi:g}], got {v!r}", key=key)
        if not (np.isfinite(self.other_power) and self.other_power >= 0):
            raise InputError(
                f"`other_power` must be >= 0 W, got {self.other_power!r}", key="other_power"
            )

    def balance(
        self,
        it_power: ArrayLike,
        *,
        pump_power: ArrayLike = 0.0,
        fan_power: ArrayLike = 0.0,
        heat_pump_power: ArrayLike = 0.0,
        heat_to_liquid: ArrayLike | None = None,
    ) -> FacilityBalance:
        """The facility power flows for IT power and the network's electric loads [W].

        ``heat_to_liquid`` (the heat the solved network took from the IT equipment) overrides
        ``liquid_fraction``: then the air takes ``it_power - heat_to_liquid`` (clipped at zero).
        """
        it = _array(it_power, "it_power")
        pumps = _array(pump_power, "pump_power")
        fans = _array(fan_power, "fan_power")
        hp = _array(heat_pump_power, "heat_pump_power")
        if heat_to_liquid is None:
            liquid = self.liquid_fraction * it
        else:
            liquid = np.minimum(_array(heat_to_liquid, "heat_to_liquid"), it)
        to_air = it - liquid
        shape = np.broadcast_shapes(it.shape, pumps.shape, fans.shape, hp.shape, liquid.shape)

        def b(a: np.ndarray) -> np.ndarray:
            return np.broadcast_to(a, shape).astype(float)

        return FacilityBalance(
            it_power_W=b(it),
            heat_to_liquid_W=b(liquid),
            heat_to_air_W=b(to_air),
            pump_power_W=b(pumps),
            fan_power_W=b(fans),
            air_cooling_power_W=b(to_air / self.air_cooling_cop),
            heat_pump_power_W=b(hp),
            distribution_loss_W=b(it * (1.0 / self.distribution_efficiency - 1.0)),
            other_power_W=b(self.other_power + self.other_fraction * it),
        )
