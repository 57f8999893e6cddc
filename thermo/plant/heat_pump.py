"""Electric heat pumps: a Carnot-fraction model and a vapour-compression cycle through CoolProp.

Two models with the same interface, for lifting data-centre waste heat (30–45 °C) to a heating
loop (55–85 °C):

- :class:`CarnotHeatPump`: COP = fraction × Carnot COP. Cheap, analytic derivatives, cited
  fraction. Use it for screening and annual runs.
- :class:`VaporCompressionHeatPump`: a single-stage subcritical cycle of a named refrigerant
  (CoolProp HEOS), with isentropic compressor efficiency, superheat and subcooling. A tabulated
  fast path (bicubic spline of the cycle's second-law efficiency) serves annual runs.

Conventions
-----------
- Temperatures in K, heat flows and power in W. All methods accept scalars or numpy arrays
  (broadcast together) and return the same shape (a float for scalar input).
- ``T_source_out`` is the temperature of the source stream *leaving* the evaporator, ``T_sink_out``
  that of the sink stream *leaving* the condenser. The refrigerant evaporates at
  ``T_evap = T_source_out - evaporator_approach`` and condenses at
  ``T_cond = T_sink_out + condenser_approach``. The *lift* is ``T_cond - T_evap``.
- Energy balance, exact by construction: ``Q_sink = Q_source + P_el`` (compressor heat losses
  are neglected: all electrical power ends up in the sink stream).
- COP is the heating COP, ``Q_sink / P_el``.

Out-of-range operation
----------------------
Every model has a validity range (lift, sink temperature). The choice made here:

- ``strict=True`` (the default of :meth:`cop` and :meth:`performance`) raises :class:`RangeError`
  when any element is out of range, naming the first offending value. Use it for design points.
- ``strict=False`` never raises for range: it returns values together with boolean flags
  (:class:`OperatingFlags`), one per element, so that an annual simulation can count and report
  the hours. Elements without lift (``T_cond <= T_evap``, the heat pump is not needed) get COP =
  NaN. Elements outside the tabulated range of the vapour-compression model are evaluated at the
  nearest table edge (constant second-law efficiency), never by polynomial extrapolation.

Derivatives (for Newton solvers)
--------------------------------
:meth:`CarnotHeatPump.cop_derivatives` is analytic. :meth:`VaporCompressionHeatPump.cop_derivatives`
differentiates the same bicubic spline that :meth:`VaporCompressionHeatPump.cop` evaluates with
``method="table"``, so values and derivatives are consistent (C² in the table interior).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from thermo.errors import InputError, RangeError
from thermo.plant.refrigerant_cycle import (
    CRITICAL_MARGIN_DEFAULT,
    ISENTROPIC_EFFICIENCY_DEFAULT,
    CycleResult,
    _fluid_limits,
    _non_negative,
    saturation_temperature,
    vapor_compression_cycle,
)

__all__ = [
    "CARNOT_FRACTION_DEFAULT",
    "carnot_cop",
    "carnot_cop_derivatives",
    "OperatingFlags",
    "HeatPumpOperation",
    "CarnotHeatPump",
    "CycleResult",
    "vapor_compression_cycle",
    "saturation_temperature",
    "VaporCompressionHeatPump",
]

CARNOT_FRACTION_DEFAULT = 0.45
"""Default ratio of real to Carnot heating COP [-], applied to water temperatures.

Derived in docs/references.md §7 [D] from (i) the Mäntsälä plant (Yandex data centre + Calefa heat
pumps, Finland): COP 3.4 between ~40 °C source and 85 °C sink (decarbheat.eu; EHPA 2015), i.e.
3.4 / (358.15 / 45) = 0.43; and (ii) the ground-source COP table of the Wikipedia article "Heat
pump" (source 10 °C; sinks 35–75 °C): real/Carnot = 0.59 (25 K lift) falling to 0.44 (65 K lift),
0.48 at 55 K. 0.45 sits at the conservative end of the 0.40–0.55 band for 40–65 K lifts.
"""

_MIN_LIFT_CARNOT = 20.0
_MAX_LIFT_CARNOT = 70.0
_MAX_SINK_CARNOT = 358.15


def _as_array(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite, got {value!r}", key=name, value=value)
    return arr


def _temperature(value: Any, name: str) -> np.ndarray:
    arr = _as_array(value, name)
    if np.any(arr <= 0.0):
        bad = float(arr[arr <= 0.0].flat[0])
        raise InputError(
            f"{name} must be an absolute temperature in K (> 0), got {bad!r}; "
            "convert °C with thermo.units.to_si('40 degC', 'temperature')",
            key=name,
            value=bad,
        )
    return arr


def _out(arr: np.ndarray, scalar: bool) -> Any:
    return float(arr) if scalar else arr


def carnot_cop(T_source: Any, T_sink: Any) -> Any:
    """Carnot (reversible) heating COP between two temperatures.

    Parameters
    ----------
    T_source : numeric
        Temperature at which heat is taken up [K].
    T_sink : numeric
        Temperature at which heat is delivered [K].

    Returns
    -------
    numeric
        ``T_sink / (T_sink - T_source)`` [-], same shape as the broadcast inputs.

    Raises
    ------
    RangeError
        If any ``T_sink <= T_source`` (no lift: the formula has no meaning; a heat exchanger,
        not a heat pump, moves heat downhill).

    References
    ----------
    .. [1] Y. A. Çengel and M. A. Boles, *Thermodynamics: An Engineering Approach*, 8th ed.,
       McGraw-Hill, 2015, §6-11 (COP of a reversible heat pump, eq. 6-21).
    """
    Tc = _temperature(T_source, "T_source")
    Th = _temperature(T_sink, "T_sink")
    lift = Th - Tc
    if np.any(lift <= 0.0):
        idx = tuple(np.argwhere(lift <= 0.0)[0]) if lift.ndim else ()
        src = float(np.broadcast_to(Tc, lift.shape)[idx])
        snk = float(np.broadcast_to(Th, lift.shape)[idx])
        raise RangeError(
            f"carnot_cop needs T_sink > T_source, got T_source = {src:.2f} K and "
            f"T_sink = {snk:.2f} K; with no lift, use a heat exchanger instead of a heat pump",
            key="T_sink",
            value=snk,
        )
    return _out(Th / lift, lift.ndim == 0)


def carnot_cop_derivatives(T_source: Any, T_sink: Any) -> tuple[Any, Any]:
    """Partial derivatives of :func:`carnot_cop`.

    Returns
    -------
    (dCOP/dT_source, dCOP/dT_sink) : tuple of numeric
        ``T_sink / (T_sink - T_source)**2`` and ``-T_source / (T_sink - T_source)**2`` [1/K].
    """
    carnot_cop(T_source, T_sink)  # same validation
    Tc = np.asarray(T_source, dtype=float)
    Th = np.asarray(T_sink, dtype=float)
    lift2 = (Th - Tc) ** 2
    scalar = lift2.ndim == 0
    return _out(Th / lift2, scalar), _out(-Tc / lift2, scalar)


@dataclass(frozen=True)
class OperatingFlags:
    """Out-of-range flags, one boolean per element (numpy arrays, or bools for scalar input).

    Attributes
    ----------
    no_lift
        ``T_cond <= T_evap``: the sink is colder than the source; COP is undefined (NaN).
    lift_below_min, lift_above_max
        Lift ``T_cond - T_evap`` outside ``[min_lift, max_lift]`` of the model.
    sink_above_max
        ``T_sink_out`` above ``max_sink_temperature`` (for the cycle model also: ``T_cond``
        closer than ``critical_margin`` to the refrigerant's critical temperature).
    sink_below_min
        Cycle model only: ``T_cond`` below the lowest tabulated condensing temperature.
    """

    no_lift: Any
    lift_below_min: Any
    lift_above_max: Any
    sink_above_max: Any
    sink_below_min: Any

    @property
    def any(self) -> Any:
        """True where any flag is set."""
        out = (
            np.asarray(self.no_lift)
            | np.asarray(self.lift_below_min)
            | np.asarray(self.lift_above_max)
            | np.asarray(self.sink_above_max)
            | np.asarray(self.sink_below_min)
        )
        return bool(out) if out.ndim == 0 else out

    def first_problem(self) -> tuple[str, tuple[int, ...]] | None:
        """Name of the first set flag and the index of its first element, or None."""
        for name in (
            "no_lift",
            "lift_below_min",
            "lift_above_max",
            "sink_above_max",
            "sink_below_min",
        ):
            arr = np.asarray(getattr(self, name))
            if np.any(arr):
                return name, tuple(int(i) for i in np.argwhere(arr)[0]) if arr.ndim else ()
        return None


@dataclass(frozen=True)
class HeatPumpOperation:
    """Result of :meth:`CarnotHeatPump.performance` (and of the cycle model), per element.

    All arrays share the broadcast shape of the inputs (floats/bools for scalar input).
    ``Q_sink == Q_source + P_el`` holds to rounding.
    """

    Q_sink: Any
    """Heat delivered to the sink [W] (the demand, capped at ``heating_capacity``)."""
    Q_source: Any
    """Heat drawn from the source (the data-centre loop) [W]."""
    P_el: Any
    """Electrical power of the compressor [W]."""
    cop: Any
    """Heating COP [-] (NaN where ``flags.no_lift``)."""
    capacity_limited: Any
    """True where the demand exceeded ``heating_capacity``."""
    below_min_part_load: Any
    """True where 0 < demand < ``min_part_load * heating_capacity`` (the unit would cycle)."""
    flags: OperatingFlags = field(repr=False)
    """Out-of-range flags of the operating point."""


class _HeatPumpBase:
    """Shared logic: range flags, strict checking, capacity and the energy balance."""

    evaporator_approach: float
    condenser_approach: float
    min_lift: float
    max_lift: float
    heating_capacity: float | None
    min_part_load: float | None

    def _check_common(self) -> None:
        _non_negative(self.evaporator_approach, "evaporator_approach")
        _non_negative(self.condenser_approach, "condenser_approach")
        _non_negative(self.min_lift, "min_lift")
        _non_negative(self.max_lift, "max_lift")
        if self.max_lift <= self.min_lift:
            raise InputError(
                f"max_lift ({self.max_lift} K) must be larger than min_lift ({self.min_lift} K)",
                key="max_lift",
                value=self.max_lift,
            )
        _non_negative(self.heating_capacity, "heating_capacity", allow_none=True)
        if self.heating_capacity is not None and self.heating_capacity == 0:
            raise InputError(
                "heating_capacity must be > 0 W or None (unlimited)",
                key="heating_capacity",
                value=0,
            )
        if self.min_part_load is not None:
            _non_negative(self.min_part_load, "min_part_load")
            if self.min_part_load >= 1 or self.heating_capacity is None:
                raise InputError(
                    "min_part_load is a fraction of heating_capacity in [0, 1) and needs "
                    f"heating_capacity; got min_part_load={self.min_part_load!r}, "
                    f"heating_capacity={self.heating_capacity!r}",
                    key="min_part_load",
                    value=self.min_part_load,
                )

    def refrigerant_temperatures(self, T_source_out: Any, T_sink_out: Any) -> tuple[Any, Any]:
        """Evaporating and condensing temperatures ``(T_evap, T_cond)`` [K] for water temperatures."""
        Ts = _temperature(T_source_out, "T_source_out")
        Tk = _temperature(T_sink_out, "T_sink_out")
        T_evap, T_cond = np.broadcast_arrays(
            Ts - self.evaporator_approach, Tk + self.condenser_approach
        )
        if np.any(T_evap <= 0):
            raise InputError("T_source_out - evaporator_approach must stay above 0 K")
        scalar = T_evap.ndim == 0
        return _out(T_evap, scalar), _out(T_cond, scalar)

    def _sink_limits(self) -> tuple[float, float]:  # (T_cond_min, T_sink_out_max)
        raise NotImplementedError

    def flags(self, T_source_out: Any, T_sink_out: Any) -> OperatingFlags:
        """Out-of-range flags for each operating point (never raises for range)."""
        T_evap, T_cond = (
            np.asarray(x) for x in self.refrigerant_temperatures(T_source_out, T_sink_out)
        )
        Tk = np.broadcast_to(np.asarray(T_sink_out, dtype=float), T_cond.shape)
        lift = T_cond - T_evap
        T_cond_min, T_sink_max = self._sink_limits()
        scalar = lift.ndim == 0

        def b(a: np.ndarray) -> Any:
            return bool(a) if scalar else a

        tol = 1e-9  # K: limits given as e.g. 85 °C + 273.15 must not trip on rounding
        return OperatingFlags(
            no_lift=b(lift <= 0.0),
            lift_below_min=b((lift > 0.0) & (lift < self.min_lift - tol)),
            lift_above_max=b(lift > self.max_lift + tol),
            sink_above_max=b(Tk > T_sink_max + tol),
            sink_below_min=b(T_cond < T_cond_min - tol),
        )

    def _raise_if_out(self, flags: OperatingFlags, T_source_out: Any, T_sink_out: Any) -> None:
        problem = flags.first_problem()
        if problem is None:
            return
        name, idx = problem
        T_evap, T_cond = (
            np.asarray(x) for x in self.refrigerant_temperatures(T_source_out, T_sink_out)
        )
        te, tc = float(T_evap[idx]), float(T_cond[idx])
        tk = float(np.broadcast_to(np.asarray(T_sink_out, dtype=float), T_cond.shape)[idx])
        where = f" (element {idx})" if idx else ""
        T_cond_min, T_sink_max = self._sink_limits()
        reasons = {
            "no_lift": f"no lift: T_cond = {tc:.2f} K <= T_evap = {te:.2f} K",
            "lift_below_min": f"lift {tc - te:.1f} K is below min_lift = {self.min_lift:.1f} K",
            "lift_above_max": f"lift {tc - te:.1f} K exceeds max_lift = {self.max_lift:.1f} K",
            "sink_above_max": f"T_sink_out = {tk:.2f} K exceeds the maximum {T_sink_max:.2f} K",
            "sink_below_min": f"T_cond = {tc:.2f} K is below the lowest tabulated {T_cond_min:.2f} K",
        }
        raise RangeError(
            f"{type(self).__name__} operating point out of range{where}: {reasons[name]}; "
            "pass strict=False to get values with flags instead",
            key="T_sink_out",
            value=tk,
        )

    def _cop_unchecked(self, T_evap: np.ndarray, T_cond: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def cop(self, T_source_out: Any, T_sink_out: Any, *, strict: bool = True) -> Any:
        """Heating COP [-] at the given water temperatures [K].

        With ``strict=True`` an out-of-range element raises :class:`RangeError`; with
        ``strict=False`` see :meth:`flags` (no-lift elements give NaN).
        """
        T_evap, T_cond = (
            np.asarray(x) for x in self.refrigerant_temperatures(T_source_out, T_sink_out)
        )
        fl = self.flags(T_source_out, T_sink_out)
        if strict:
            self._raise_if_out(fl, T_source_out, T_sink_out)
        no_lift = np.asarray(fl.no_lift)
        cop = np.full(T_evap.shape, np.nan)
        ok = ~no_lift
        if np.any(ok):
            cop[ok] = self._cop_unchecked(T_evap[ok], T_cond[ok])
        return _out(cop, cop.ndim == 0)

    def performance(
        self, Q_demand: Any, T_source_out: Any, T_sink_out: Any, *, strict: bool = True
    ) -> HeatPumpOperation:
        """Electrical power and source heat for a heat demand at the given temperatures.

        Parameters
        ----------
        Q_demand : numeric
            Heat the sink asks for [W] (>= 0). Capped at ``heating_capacity`` when set.
        T_source_out, T_sink_out : numeric
            Water temperatures leaving evaporator and condenser [K].
        strict : bool
            See the module docstring: raise on out-of-range (True) or flag (False).

        Returns
        -------
        HeatPumpOperation
            ``Q_sink``, ``Q_source = Q_sink - P_el``, ``P_el = Q_sink / COP``, flags.
        """
        Q = _as_array(Q_demand, "Q_demand")
        if np.any(Q < 0):
            raise InputError(
                f"Q_demand must be >= 0 W (heat delivered to the sink), got {float(Q[Q < 0].flat[0])!r}",
                key="Q_demand",
                value=float(Q[Q < 0].flat[0]),
            )
        cop = np.asarray(self.cop(T_source_out, T_sink_out, strict=strict))
        fl = self.flags(T_source_out, T_sink_out)
        Q, cop = np.broadcast_arrays(Q, cop)
        cap = self.heating_capacity
        if cap is not None:
            limited = Q > cap
            Q_sink = np.minimum(Q, cap)
            low = np.zeros(Q.shape, bool)
            if self.min_part_load is not None:
                low = (Q > 0) & (Q < self.min_part_load * cap)
        else:
            limited = np.zeros(Q.shape, bool)
            Q_sink = Q.astype(float, copy=True)
            low = np.zeros(Q.shape, bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            P_el = np.where(Q_sink > 0, Q_sink / cop, 0.0)
        Q_source = Q_sink - P_el
        scalar = Q_sink.ndim == 0

        def b(a: np.ndarray) -> Any:
            return bool(a) if scalar else a

        return HeatPumpOperation(
            Q_sink=_out(Q_sink, scalar),
            Q_source=_out(Q_source, scalar),
            P_el=_out(P_el, scalar),
            cop=_out(cop, scalar),
            capacity_limited=b(limited),
            below_min_part_load=b(low),
            flags=fl,
        )


@dataclass(frozen=True)
class CarnotHeatPump(_HeatPumpBase):
    """Heat pump with COP = ``carnot_fraction`` × Carnot COP between refrigerant temperatures.

    ``COP = f · T_cond / (T_cond - T_evap)`` with ``T_evap = T_source_out - evaporator_approach``
    and ``T_cond = T_sink_out + condenser_approach``.

    Parameters
    ----------
    carnot_fraction : float
        Real-to-Carnot COP ratio [-], default :data:`CARNOT_FRACTION_DEFAULT` = 0.45.
    evaporator_approach, condenser_approach : float
        Refrigerant-to-water temperature approaches [K]. Default 0 K, because the 0.45 default
        was derived on *water* temperatures (docs/references.md §7); with approaches > 0 the fraction
        must be raised to match (Mäntsälä with 5 K approaches: 3.4 / (363.15 / 55) = 0.51).
    min_lift, max_lift : float
        Validity range of the lift [K], default 20–70 K: the data behind the fraction span
        25–65 K (Wikipedia table, Mäntsälä 45 K), extended by 5 K each side (the ratio changes
        by about 0.02 per 5 K there, within its 0.40–0.55 band).
    max_sink_temperature : float
        Highest sink outlet temperature [K] in that data: 85 °C (Mäntsälä) = 358.15 K.
    heating_capacity : float or None
        Maximum heat output [W]; None = unlimited.
    min_part_load : float or None
        Fraction of ``heating_capacity`` below which the unit cannot run continuously (flag only).

    Notes
    -----
    Valid for electrically driven vapour-compression heat pumps in the lift range above. The
    real-to-Carnot ratio falls with lift (0.59 at 25 K to 0.44 at 65 K in the cited table), so a
    constant 0.45 underestimates COP at small lifts: flagged below ``min_lift``.

    References
    ----------
    .. [1] docs/references.md §5 (Mäntsälä: decarbheat.eu; EHPA Heat Pump City of the Year 2015) and
       §7 (Wikipedia "Heat pump" COP table, via WikiTableQuestions).
    """

    carnot_fraction: float = CARNOT_FRACTION_DEFAULT
    evaporator_approach: float = 0.0
    condenser_approach: float = 0.0
    min_lift: float = _MIN_LIFT_CARNOT
    max_lift: float = _MAX_LIFT_CARNOT
    max_sink_temperature: float = _MAX_SINK_CARNOT
    heating_capacity: float | None = None
    min_part_load: float | None = None

    def __post_init__(self) -> None:
        f = self.carnot_fraction
        if not isinstance(f, (int, float)) or not (0.0 < f <= 1.0):
            raise InputError(
                f"carnot_fraction must be in (0, 1], got {f!r}; typical 0.40–0.55",
                key="carnot_fraction",
                value=f,
            )
        _non_negative(self.max_sink_temperature, "max_sink_temperature")
        self._check_common()

    def _sink_limits(self) -> tuple[float, float]:
        return 0.0, self.max_sink_temperature

    def _cop_unchecked(self, T_evap: np.ndarray, T_cond: np.ndarray) -> np.ndarray:
        return self.carnot_fraction * T_cond / (T_cond - T_evap)

    def cop_derivatives(self, T_source_out: Any, T_sink_out: Any) -> tuple[Any, Any]:
        """Analytic ``(dCOP/dT_source_out, dCOP/dT_sink_out)`` [1/K].

        ``dCOP/dT_source_out = f·T_cond/lift²`` and ``dCOP/dT_sink_out = -f·T_evap/lift²``
        (approaches are constant). Raises :class:`RangeError` where there is no lift.
        """
        T_evap, T_cond = self.refrigerant_temperatures(T_source_out, T_sink_out)
        d_src, d_snk = carnot_cop_derivatives(T_evap, T_cond)
        f = self.carnot_fraction
        return f * d_src, f * d_snk


@dataclass(frozen=True)
class VaporCompressionHeatPump(_HeatPumpBase):
    """Single-stage subcritical vapour-compression heat pump of a named refrigerant.

    COP from :func:`vapor_compression_cycle` at ``T_evap = T_source_out - evaporator_approach``
    and ``T_cond = T_sink_out + condenser_approach``.

    Parameters
    ----------
    refrigerant : str
        CoolProp name: ``"R1234ze(E)"``, ``"R290"``, ``"R717"``, ``"R134a"``, ... R744 (CO₂) is
        only usable below about 21 °C condensing (subcritical); transcritical is not modelled.
    isentropic_efficiency : float
        [-], default 0.70 (see :data:`ISENTROPIC_EFFICIENCY_DEFAULT`).
    superheat, subcooling : float
        [K], default 5 K each ([M] common design values for a thermostatic or electronic
        expansion valve and a subcooled condenser).
    evaporator_approach, condenser_approach : float
        [K], default 5 K each: refrigerant-to-water approach of plate evaporators and condensers,
        the upper end of the 3–5 K liquid-to-liquid approaches of docs/references.md §2 and the value used
        in docs/references.md §7 [D].
    critical_margin : float
        [K], default 10 K (:data:`CRITICAL_MARGIN_DEFAULT`).
    min_lift, max_lift : float
        Range of the lift ``T_cond - T_evap`` [K] tabulated for the fast path, default 5–75 K.
    min_condensing_temperature : float
        Lowest tabulated condensing temperature [K], default 293.15 K (20 °C).
    max_sink_temperature : float or None
        [K]; None means ``T_crit - critical_margin - condenser_approach``.
    heating_capacity, min_part_load
        As in :class:`CarnotHeatPump`.
    table_step : float
        Grid step [K] of the fast-path table in condensing temperature and lift, default 2.5 K.
    motor_efficiency : float
        Motor (and drive) efficiency [-], in (0, 1], default 1 (shaft power = electricity). The
        heating COP per unit of electricity is ``1 + η_motor (COP_cycle − 1)``: a hermetic or
        semi-hermetic compressor's motor losses heat the refrigerant and reach the sink.
        [M] Motors of 100 kW and more reach 95–96 % (IEC 60034-30-1 IE3/IE4 classes), a
        variable-speed drive about 97 %: 0.93 is a fair motor-and-drive figure.

    Notes
    -----
    Fast path (``method="table"``, the default): on first use the cycle is computed on a grid of
    (``T_cond``, lift) and its second-law efficiency ``η_II = COP / (T_cond / lift)`` is fitted
    with a bicubic spline (``scipy.interpolate.RectBivariateSpline``); COP is rebuilt as
    ``η_II · T_cond / lift``. ``η_II`` is smooth, so the interpolation error is tiny: at most
    1.3e-6 (relative) against direct CoolProp calls at 40 random points each for R134a,
    R1234ze(E), R717 and R290 with 2.5 K steps; ``tests/test_heat_pump.py`` asserts < 1e-5.
    Building the table costs ~900 cycle evaluations (0.1–0.3 s after CoolProp's ~2.5 s import);
    evaluating 8760 hours then takes ~2 ms. ``method="coolprop"`` computes every point directly
    (0.1–0.3 ms per point).
    """

    refrigerant: str
    isentropic_efficiency: float = ISENTROPIC_EFFICIENCY_DEFAULT
    superheat: float = 5.0
    subcooling: float = 5.0
    evaporator_approach: float = 5.0
    condenser_approach: float = 5.0
    critical_margin: float = CRITICAL_MARGIN_DEFAULT
    min_lift: float = 5.0
    max_lift: float = 75.0
    min_condensing_temperature: float = 293.15
    max_sink_temperature: float | None = None
    heating_capacity: float | None = None
    min_part_load: float | None = None
    table_step: float = 2.5
    motor_efficiency: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.refrigerant, str) or not self.refrigerant:
            raise InputError(
                f"refrigerant must be a CoolProp fluid name, got {self.refrigerant!r}",
                key="refrigerant",
                value=self.refrigerant,
            )
        if not (0.0 < self.isentropic_efficiency <= 1.0):
            raise InputError(
                f"isentropic_efficiency must be in (0, 1], got {self.isentropic_efficiency!r}",
                key="isentropic_efficiency",
                value=self.isentropic_efficiency,
            )
        for name in ("superheat", "subcooling", "critical_margin", "min_condensing_temperature"):
            _non_negative(getattr(self, name), name)
        _non_negative(self.max_sink_temperature, "max_sink_temperature", allow_none=True)
        if not (0.0 < self.motor_efficiency <= 1.0):
            raise InputError(
                f"motor_efficiency must be in (0, 1], got {self.motor_efficiency!r}",
                key="motor_efficiency",
                value=self.motor_efficiency,
            )
        if not (0.1 <= self.table_step <= 10.0):
            raise InputError(
                f"table_step must be in [0.1, 10] K, got {self.table_step!r}", key="table_step"
            )
        self._check_common()

    # -- limits ---------------------------------------------------------------------------------
    @property
    def max_condensing_temperature(self) -> float:
        """Highest allowed condensing temperature ``T_crit - critical_margin`` [K]."""
        return _fluid_limits(self.refrigerant)[1] - self.critical_margin

    def _sink_limits(self) -> tuple[float, float]:
        T_cond_max = self.max_condensing_temperature
        T_sink_max = T_cond_max - self.condenser_approach
        if self.max_sink_temperature is not None:
            T_sink_max = min(T_sink_max, self.max_sink_temperature)
        return self.min_condensing_temperature, T_sink_max

    def _table_axes(self) -> tuple[np.ndarray, np.ndarray]:
        T_min, _ = _fluid_limits(self.refrigerant)
        tc_lo = self.min_condensing_temperature
        tc_hi = self.max_condensing_temperature
        if tc_hi - tc_lo < 4 * self.table_step:
            raise RangeError(
                f"{self.refrigerant}: condensing range {tc_lo:.2f}–{tc_hi:.2f} K (T_crit - "
                f"critical_margin) is too narrow for a subcritical heat pump; R744 needs a "
                "transcritical model, which thermo does not provide",
                key="refrigerant",
                value=self.refrigerant,
            )
        lift_hi = min(self.max_lift, tc_lo - self.subcooling - (T_min + 5.0) - 1e-6)
        n_tc = max(5, math.ceil((tc_hi - tc_lo) / self.table_step) + 1)
        n_l = max(5, math.ceil((lift_hi - self.min_lift) / self.table_step) + 1)
        # the last condensing point sits just inside the allowed range
        return (
            np.linspace(tc_lo, tc_hi - 1e-6, n_tc),
            np.linspace(self.min_lift, lift_hi, n_l),
        )

    # -- direct and tabulated cycle -------------------------------------------------------------
    def cycle(self, T_evap: float, T_cond: float) -> CycleResult:
        """The cycle at refrigerant saturation temperatures [K] with this unit's parameters."""
        return vapor_compression_cycle(
            self.refrigerant,
            T_evap,
            T_cond,
            isentropic_efficiency=self.isentropic_efficiency,
            superheat=self.superheat,
            subcooling=self.subcooling,
            critical_margin=self.critical_margin,
        )

    @functools.cached_property
    def _spline(self) -> Any:
        # equal models (frozen dataclasses compare by value: the copies of a replicated hourly
        # batch, the deep copies a run makes) share one table instead of each running ~900
        # CoolProp cycles
        return _cycle_table(self)

    def _build_spline(self) -> Any:
        from scipy.interpolate import RectBivariateSpline

        tc, lift = self._table_axes()
        eta = np.empty((tc.size, lift.size))
        for i, t_cond in enumerate(tc):
            for j, dl in enumerate(lift):
                cop = self._electric_cop(self.cycle(t_cond - dl, t_cond).cop_heating)
                eta[i, j] = cop * dl / t_cond
        return RectBivariateSpline(tc, lift, eta, kx=3, ky=3), tc, lift

    def _table_eval(
        self, T_evap: np.ndarray, T_cond: np.ndarray, dx: int = 0, dy: int = 0
    ) -> np.ndarray:
        spline, tc, lift = self._spline
        x = np.clip(T_cond, tc[0], tc[-1])
        y = np.clip(T_cond - T_evap, lift[0], lift[-1])
        return spline.ev(x, y, dx=dx, dy=dy)

    def _cop_direct(self, T_evap: np.ndarray, T_cond: np.ndarray) -> np.ndarray:
        out = np.empty(T_evap.shape)
        for idx in np.ndindex(T_evap.shape):
            out[idx] = self._electric_cop(
                self.cycle(float(T_evap[idx]), float(T_cond[idx])).cop_heating
            )
        return out

    def _electric_cop(self, cop_cycle: float) -> float:
        """Heating COP per unit of electricity: ``1 + η_motor (COP_cycle − 1)`` (the motor's
        losses heat the refrigerant of a hermetic or semi-hermetic compressor, so they reach
        the sink: ``Q_sink = Q_source + P_el`` still holds)."""
        return 1.0 + self.motor_efficiency * (cop_cycle - 1.0)

    def _cop_unchecked(self, T_evap: np.ndarray, T_cond: np.ndarray) -> np.ndarray:
        lift = T_cond - T_evap
        return self._table_eval(T_evap, T_cond) * T_cond / lift

    def cop(
        self, T_source_out: Any, T_sink_out: Any, *, strict: bool = True, method: str = "table"
    ) -> Any:
        """Heating COP [-] at the given water temperatures [K].

        Parameters
        ----------
        method : {"table", "coolprop"}
            ``"table"`` (default): bicubic spline fast path; ``"coolprop"``: direct cycle
            calculation per element (out-of-range elements still raise or give NaN/edge values
            like the table, because the cycle itself is undefined there).
        strict : bool
            Raise :class:`RangeError` for out-of-range elements (True) or flag them (False).
        """
        if method == "table":
            return super().cop(T_source_out, T_sink_out, strict=strict)
        if method != "coolprop":
            raise InputError(
                f"method must be 'table' or 'coolprop', got {method!r}", key="method", value=method
            )
        T_evap, T_cond = (
            np.asarray(x) for x in self.refrigerant_temperatures(T_source_out, T_sink_out)
        )
        fl = self.flags(T_source_out, T_sink_out)
        if strict:
            self._raise_if_out(fl, T_source_out, T_sink_out)
        inside = ~np.asarray(fl.any)
        edge = ~inside & ~np.asarray(fl.no_lift)
        cop = np.full(T_evap.shape, np.nan)
        if np.any(inside):
            cop[inside] = self._cop_direct(T_evap[inside], T_cond[inside])
        if np.any(edge):  # flagged but with lift: table edge, as documented for strict=False
            cop[edge] = self._cop_unchecked(T_evap[edge], T_cond[edge])
        return _out(cop, cop.ndim == 0)

    def cop_derivatives(self, T_source_out: Any, T_sink_out: Any) -> tuple[Any, Any]:
        """``(dCOP/dT_source_out, dCOP/dT_sink_out)`` [1/K] of the tabulated COP.

        From ``COP = η(T_cond, L) · T_cond / L`` with ``L = T_cond - T_evap``:
        ``dCOP/dT_cond = (η_T + η_L)·T_cond/L - η·T_evap/L²`` and
        ``dCOP/dT_evap = -η_L·T_cond/L + η·T_cond/L²``. At the table edges (clamped) the
        derivative of the clamped coordinate is zero. Raises :class:`RangeError` where there is
        no lift.
        """
        T_evap, T_cond = (
            np.asarray(x) for x in self.refrigerant_temperatures(T_source_out, T_sink_out)
        )
        lift = T_cond - T_evap
        if np.any(lift <= 0):
            raise RangeError(
                "cop_derivatives needs T_cond > T_evap (a positive lift)", key="T_sink_out"
            )
        _, tc, lg = self._spline
        in_x = (T_cond >= tc[0]) & (T_cond <= tc[-1])
        in_y = (lift >= lg[0]) & (lift <= lg[-1])
        eta = self._table_eval(T_evap, T_cond)
        eta_T = self._table_eval(T_evap, T_cond, dx=1) * in_x
        eta_L = self._table_eval(T_evap, T_cond, dy=1) * in_y
        d_cond = (eta_T + eta_L) * T_cond / lift - eta * T_evap / lift**2
        d_evap = -eta_L * T_cond / lift + eta * T_cond / lift**2
        scalar = lift.ndim == 0
        return _out(d_evap, scalar), _out(d_cond, scalar)


@functools.lru_cache(maxsize=32)
def _cycle_table(model: VaporCompressionHeatPump) -> Any:
    """The fast-path table of ``model``, built once per distinct parameter set (see
    :attr:`VaporCompressionHeatPump._spline`)."""
    return model._build_spline()
