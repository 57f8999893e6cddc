"""Coolant properties: water, aqueous propylene and ethylene glycol, and user-defined fluids.

>>> from thermo import Coolant
>>> pg25 = Coolant("PG25")                       # also Coolant("PG", 0.25), Coolant("mpg-25%")
>>> round(pg25.specific_heat(298.15))            # J/(kg K), T in kelvin
3933

Properties come from polynomial fits of CoolProp (IAPWS-IF97 for water, the incompressible
``MPG``/``MEG`` fits of Melinder 2010 for glycols), made once by ``tools/fit_coolants.py`` and shipped
as package data (``thermo/data/coolants/*.json``) for water and for glycol mass fractions 0.10, 0.15,
..., 0.60. Evaluating them needs numpy only; CoolProp is imported only to fit another fraction at
run time. See ``docs/coolants.md`` for ranges, fit forms, accuracy and sources.

Every method takes temperatures in kelvin, as a float or a numpy array, and returns SI values of
the same shape. With ``check=True`` (default) a temperature outside
``[min_temperature, max_temperature]`` or NaN raises :class:`~thermo.errors.RangeError`; with
``check=False`` the fit is evaluated anyway (it stays finite and physically monotone at least 20 K
beyond the range; a solver uses this for intermediate iterates and checks its final state itself).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from thermo.coolants import _iapws
from thermo.coolants._fit import WATER_REFERENCE_PRESSURE
from thermo.coolants._poly import T_REF, PolyModel, load_records
from thermo.errors import ConvergenceError, InputError, RangeError, Residual, ThermoError

__all__ = ["Coolant", "CoolantState", "SHIPPED_FRACTIONS", "T_REF"]

SHIPPED_FRACTIONS = tuple(round(0.05 * i, 2) for i in range(2, 13))
"""Glycol mass fractions shipped as fitted data (0.10 ... 0.60); others are fitted at run time."""

PROPERTY_PRESSURE_MIN = 0.1e6
"""Lowest property pressure of water [Pa] (saturation at 99.6 °C; range ends 1 K below it)."""
PROPERTY_PRESSURE_MAX = 10e6
"""Highest property pressure of water [Pa] (IF97 region 1 covers it; beyond loop practice)."""
MAX_FRACTION = 0.6
"""Highest glycol mass fraction of CoolProp's MPG/MEG fits [-]."""

_KINDS = {"water": "water", "h2o": "water", "pg": "PG", "mpg": "PG", "eg": "EG", "meg": "EG"}
_NAME = re.compile(r"^\s*([a-z0-9]+?)\s*[-_ ]?\s*(\d+(?:\.\d*)?)?\s*(%)?\s*$", re.IGNORECASE)
_ACCEPTED = (
    "'water', 'PG25' / 'EG30' (glycol and mass percent), ('PG', 0.35) / ('EG', 0.3) "
    "(glycol and mass fraction), with aliases 'MPG' = 'PG' and 'MEG' = 'EG'"
)
_GLYCOL_NAMES = {"PG": "propylene glycol", "EG": "ethylene glycol"}

Num = float | np.ndarray


@dataclass(frozen=True, slots=True)
class CoolantState:
    """All properties of a coolant at temperatures ``T``, from one :meth:`Coolant.state` call.

    Fields are floats for a scalar temperature, arrays of the shape of ``T`` otherwise.
    """

    T: Num
    """Temperature [K]."""
    rho: Num
    """Density [kg/m3]."""
    drho_dT: Num
    """d(density)/dT [kg/(m3 K)]."""
    cp: Num
    """Specific isobaric heat capacity [J/(kg K)]."""
    dcp_dT: Num
    """d(cp)/dT [J/(kg K2)]."""
    mu: Num
    """Dynamic viscosity [Pa s]."""
    dmu_dT: Num
    """d(mu)/dT [Pa s/K]."""
    k: Num
    """Thermal conductivity [W/(m K)]."""
    dk_dT: Num
    """d(k)/dT [W/(m K2)]."""
    h: Num
    """Specific enthalpy relative to 273.15 K [J/kg]; dh/dT = cp to round-off."""

    @property
    def prandtl(self) -> Num:
        """Prandtl number cp mu / k [-]."""
        return self.cp * self.mu / self.k


def _fraction_name(kind: str, fraction: float) -> str:
    pct = 100.0 * fraction
    return f"{kind}{round(pct)}" if abs(pct - round(pct)) < 1e-6 else f"{kind}{pct:.6g}"


def _check_fraction(fraction: Any) -> float:
    if isinstance(fraction, bool) or not isinstance(
        fraction, (int, float, np.integer, np.floating)
    ):
        raise InputError(
            f"glycol mass fraction must be a number in (0, {MAX_FRACTION}], got {fraction!r}",
            key="fraction",
            value=fraction,
        )
    x = float(fraction)
    if math.isfinite(x) and 1.0 < x <= 100.0 * MAX_FRACTION:
        raise InputError(
            f"glycol mass fraction {fraction!r} looks like a percentage; give a mass fraction in "
            f"(0, {MAX_FRACTION}], e.g. {x / 100:g} for {x:g} %",
            key="fraction",
            value=fraction,
        )
    if not (math.isfinite(x) and 0.0 < x <= MAX_FRACTION):
        raise InputError(
            f"glycol mass fraction must be in (0, {MAX_FRACTION}] (the range of CoolProp's MPG/MEG "
            f"data), got {fraction!r}; for plain water use Coolant('water')",
            key="fraction",
            value=fraction,
        )
    return round(x, 9)


def _parse_name(name: Any, fraction: Any) -> tuple[str, float | None]:
    if not isinstance(name, str):
        raise InputError(
            f"coolant name must be a string; accepted: {_ACCEPTED}", key="name", value=name
        )
    m = _NAME.match(name)
    kind = _KINDS.get(m.group(1).lower()) if m else None
    if kind is None:
        raise InputError(f"unknown coolant {name!r}; accepted: {_ACCEPTED}", key="name", value=name)
    percent = m.group(2)
    if kind == "water":
        if percent is not None or m.group(3):
            raise InputError(
                f"unknown coolant {name!r}; accepted: {_ACCEPTED}", key="name", value=name
            )
        if fraction is not None:
            raise InputError(
                f"Coolant('water') takes no fraction, got {fraction!r}",
                key="fraction",
                value=fraction,
            )
        return "water", None
    from_name = None if percent is None else _check_fraction(float(percent) / 100.0)
    if from_name is None and m.group(3):
        raise InputError(f"unknown coolant {name!r}; accepted: {_ACCEPTED}", key="name", value=name)
    if fraction is None:
        if from_name is None:
            raise InputError(
                f"{name!r} needs a mass fraction, e.g. Coolant({name!r}, 0.25) or Coolant('{kind}25')",
                key="fraction",
            )
        return kind, from_name
    x = _check_fraction(fraction)
    if from_name is not None and abs(from_name - x) > 1e-9:
        raise InputError(
            f"{name!r} already gives the mass fraction {from_name:g}, which contradicts fraction={fraction!r}",
            key="fraction",
            value=fraction,
        )
    return kind, x


def _check_pressure(kind: str, pressure: Any) -> float | None:
    """The property pressure of water [Pa] (None: the shipped 0.5 MPa fit), checked."""
    if pressure is None:
        return None
    if kind != "water":
        raise InputError(
            "only water takes a property pressure (the glycol fits of CoolProp ignore pressure)",
            key="pressure",
            value=pressure,
        )
    try:
        p = float(pressure)
    except (TypeError, ValueError):
        raise InputError(
            f"pressure must be a number [Pa], got {pressure!r}", key="pressure", value=pressure
        ) from None
    if not PROPERTY_PRESSURE_MIN <= p <= PROPERTY_PRESSURE_MAX:
        raise InputError(
            f"property pressure must lie in {PROPERTY_PRESSURE_MIN:g}-{PROPERTY_PRESSURE_MAX:g} Pa "
            f"(absolute), got {p:g} Pa",
            key="pressure",
            value=pressure,
        )
    return None if p == WATER_REFERENCE_PRESSURE else p


@functools.lru_cache(maxsize=8)
def _water_model(pressure: float) -> PolyModel:
    """Water fitted from CoolProp (IF97) at ``pressure`` now (about 5-10 s; cached)."""
    from thermo.coolants._fit import fit_coolant

    return PolyModel(fit_coolant("water", None, pressure))


def _water_at(pressure: float) -> Coolant:
    return Coolant("water", pressure=pressure)


@functools.lru_cache(maxsize=64)
def _standard_model(kind: str, fraction: float | None) -> PolyModel:
    """Shipped fit if there is one, otherwise a fit from CoolProp made now (cached)."""
    if kind == "water":
        return PolyModel(load_records("water")["fits"][0])
    if fraction in SHIPPED_FRACTIONS:
        for record in load_records(kind.lower())["fits"]:
            if abs(record["fraction"] - fraction) < 1e-9:
                return PolyModel(record)
        raise ThermoError(f"shipped data for {kind} {fraction} is missing; reinstall thermo")
    from thermo.coolants._fit import fit_coolant

    return PolyModel(fit_coolant(kind, fraction))


def _as_temperature(T: Any, what: str = "temperature") -> tuple[Num, bool]:
    if isinstance(T, float):
        return T, True
    try:
        arr = np.asarray(T, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{what} must be a number or an array of numbers (SI units), got {type(T).__name__} {T!r}",
            value=T,
        ) from None
    if arr.ndim == 0:
        return float(arr), True
    return arr, False


def _fmt_T(t: float) -> str:
    return "NaN" if math.isnan(t) else f"{t:.2f} K ({t - 273.15:.2f} °C)"


class Coolant:
    """A liquid coolant with fast, validated property functions.

    Parameters
    ----------
    name
        ``"water"``; a glycol with its mass percentage, ``"PG25"`` (propylene glycol) or ``"EG30"``
        (ethylene glycol); or ``"PG"``/``"EG"`` together with ``fraction``. ``"MPG"``/``"MEG"`` are
        aliases; case, a ``-``/``_`` separator and a ``%`` sign are ignored (``"mpg-25%"``).
    fraction
        Glycol mass fraction in (0, 0.6] [-]. Fractions 0.10, 0.15, ..., 0.60 use shipped fits; any
        other is fitted from CoolProp on first use (about 3 s, mostly CoolProp's import; cached).

    Attributes
    ----------
    name : str
        Readable name, e.g. ``"water"``, ``"PG25"``, ``"PG33.3"``.
    kind : str
        ``"water"``, ``"PG"``, ``"EG"`` or ``"custom"``.
    fraction : float or None
        Glycol mass fraction [-]; ``None`` for water and custom fluids.
    freezing_point, min_temperature, max_temperature : float
        Freezing point and valid range [K]. Water: 273.15 K, 273.16-423.15 K. Glycols: CoolProp's
        ``T_freeze`` (Melinder 2010) to 373.15 K; the range starts at the freezing point.
    reference_pressure : float or None
        Pressure at which properties were evaluated [Pa]: 0.5 MPa for water unless ``pressure``
        is given; ``None`` for glycols (CoolProp's incompressible fits ignore pressure) and custom
        fluids.
    pressure
        Water only, keyword: absolute pressure of the properties [Pa], 0.1-10 MPa (default
        0.5 MPa, the shipped fit). Another pressure is fitted from CoolProp's IF97 on first use
        (about 5-10 s, cached); its range ends 1 K below saturation at that pressure. Between
        2 and 5 bar water's density changes by 0.014 %.

    Raises
    ------
    InputError
        Unknown name, missing or contradictory fraction, fraction outside (0, 0.6].

    Notes
    -----
    Instances are immutable and hashable; two coolants are equal when kind and fraction (or, for
    custom fluids, name and data) are equal.

    Accuracy against the CoolProp data the fits were made from, on 2000 points over the valid
    range: water within 2e-5 (rho, cp, k, mu); glycols to round-off (CoolProp's MPG/MEG are cubic in
    T). Promised: 0.05 % for rho, cp, k and 0.5 % for mu (tested). Outside the valid range the
    methods raise ``RangeError`` by default rather than extrapolate; ``check=False`` extrapolates on
    purpose (stays finite and monotone for at least 20 K, tested).

    References
    ----------
    .. [1] IAPWS R7-97(2012), Revised Release on the IAPWS Industrial Formulation 1997 for the
       Thermodynamic Properties of Water and Steam (IAPWS-IF97); valid for the liquid 273.15-623.15 K.
    .. [2] M. L. Huber et al., "New international formulation for the viscosity of H2O",
       J. Phys. Chem. Ref. Data 38 (2009) 101 (IAPWS 2008).
    .. [3] M. L. Huber et al., "New international formulation for the thermal conductivity of H2O",
       J. Phys. Chem. Ref. Data 41 (2012) 033102 (IAPWS 2011).
    .. [4] A. Melinder, "Properties of Secondary Working Fluids for Indirect Systems", IIR,
       2010: the data behind CoolProp's MPG/MEG incompressible fits (mass fraction 0-0.6, freezing
       point to 100 degC).
    .. [5] I. H. Bell et al., "Pure and pseudo-pure fluid thermophysical property evaluation and the
       open-source thermophysical property library CoolProp", Ind. Eng. Chem. Res. 53 (2014) 2498
       (CoolProp 8.0.0 made the shipped fits).
    """

    __slots__ = ("_kind", "_fraction", "_name", "_model", "_key", "_source")

    _kind: str
    _fraction: float | None
    _name: str
    _model: Any
    _key: tuple
    _source: str

    def __init__(
        self, name: str, fraction: float | None = None, *, pressure: float | None = None
    ) -> None:
        kind, x = _parse_name(name, fraction)
        p = _check_pressure(kind, pressure)
        model = _standard_model(kind, x) if p is None else _water_model(p)
        label = "water" if kind == "water" else _fraction_name(kind, x)
        src = model.record["coolprop_fluid"]
        if kind == "water":
            source = f"IAPWS-IF97 via CoolProp {src} at {model.reference_pressure / 1e6:g} MPa"
        else:
            source = f"Melinder (2010) via CoolProp {src}"
        key = (kind, x) if p is None else (kind, x, p)
        self._init(kind, x, label, model, key, source)

    def at_pressure(self, pressure: float | None) -> Coolant:
        """This coolant with its properties at ``pressure`` [Pa] (water only; glycols and custom
        fluids ignore pressure and are returned unchanged; ``None``: the default 0.5 MPa)."""
        if self._kind != "water":
            return self
        return Coolant("water", pressure=pressure)

    def _init(
        self, kind: str, x: float | None, name: str, model: Any, key: tuple, source: str
    ) -> None:
        for attr, value in (
            ("_kind", kind),
            ("_fraction", x),
            ("_name", name),
            ("_model", model),
            ("_key", key),
            ("_source", source),
        ):
            object.__setattr__(self, attr, value)

    # -- identity ---------------------------------------------------------------------------
    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError(f"Coolant is immutable; cannot set {attr!r}")

    def __delattr__(self, attr: str) -> None:
        raise AttributeError(f"Coolant is immutable; cannot delete {attr!r}")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Coolant) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        if self._kind == "water":
            return "Coolant('water')"
        if self._kind == "custom":
            return (
                f"<Coolant.custom {self._name!r}, {self.min_temperature:.2f}-"
                f"{self.max_temperature:.2f} K>"
            )
        if self._name[2:].isdigit():
            return f"Coolant({self._name!r})"
        return f"Coolant({self._kind!r}, {self._fraction!r})"

    def __str__(self) -> str:
        return self._name

    def __reduce__(self) -> tuple:
        if self._kind == "custom":
            return (_rebuild_custom, (self._name, self._model, self._key))
        if len(self._key) == 3:
            return (_water_at, (self._key[2],))
        return (Coolant, (self._kind, self._fraction) if self._fraction is not None else ("water",))

    @property
    def name(self) -> str:
        return self._name

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def fraction(self) -> float | None:
        return self._fraction

    @property
    def freezing_point(self) -> float:
        """Freezing point [K]."""
        return self._model.freezing_point

    @property
    def min_temperature(self) -> float:
        """Lowest temperature of the valid range [K]."""
        return self._model.T_min

    @property
    def max_temperature(self) -> float:
        """Highest temperature of the valid range [K]."""
        return self._model.T_max

    @property
    def reference_pressure(self) -> float | None:
        """Pressure of the property data [Pa], or ``None`` if the data ignore pressure."""
        return self._model.reference_pressure

    @property
    def source(self) -> str:
        """Where the property data come from."""
        return self._source

    # -- validation -------------------------------------------------------------------------
    def _prepare(self, T: Any, check: bool) -> tuple[Num, bool]:
        t, scalar = _as_temperature(T)
        if check:
            lo, hi = self._model.T_min, self._model.T_max
            if scalar:
                ok = lo <= t <= hi
            else:
                ok = t.size == 0 or (t.min() >= lo and t.max() <= hi)  # NaN fails both
            if not ok:
                raise self._range_error(t)
        return t, scalar

    def _range_error(self, T: Num) -> RangeError:
        lo, hi = self._model.T_min, self._model.T_max
        vals = np.atleast_1d(np.asarray(T, dtype=float)).ravel()
        nan = np.isnan(vals)
        bad = nan | (vals < lo) | (vals > hi)
        excess = np.where(vals < lo, lo - vals, vals - hi)
        excess[nan] = np.inf
        idx = np.flatnonzero(bad)
        worst = vals[idx[np.argsort(-excess[idx], kind="stable")][:3]]
        low_note = " (the lower limit is the freezing point)" if self._kind in ("PG", "EG") else ""
        return RangeError(
            f"{self._name}: {idx.size} of {vals.size} temperature value(s) outside the valid range "
            f"{_fmt_T(lo)} to {_fmt_T(hi)}{low_note}; worst: {', '.join(_fmt_T(t) for t in worst)}. "
            "Temperatures are in kelvin; pass check=False to evaluate the fit outside its range",
            key="T",
            value=[float(t) for t in worst],
        )

    # -- properties -------------------------------------------------------------------------
    def density(self, T: Num, *, check: bool = True) -> Num:
        """Density [kg/m3] at temperature ``T`` [K]."""
        return self._model.density(self._prepare(T, check)[0])

    def density_dT(self, T: Num, *, check: bool = True) -> Num:
        """d(density)/dT [kg/(m3 K)], the analytic derivative of the fit."""
        return self._model.density_dT(self._prepare(T, check)[0])

    def specific_heat(self, T: Num, *, check: bool = True) -> Num:
        """Specific isobaric heat capacity [J/(kg K)] at ``T`` [K]."""
        return self._model.specific_heat(self._prepare(T, check)[0])

    def specific_heat_dT(self, T: Num, *, check: bool = True) -> Num:
        """d(cp)/dT [J/(kg K2)], the analytic derivative of the fit."""
        return self._model.specific_heat_dT(self._prepare(T, check)[0])

    def viscosity(self, T: Num, *, check: bool = True) -> Num:
        """Dynamic viscosity [Pa s] at ``T`` [K]."""
        return self._model.viscosity(self._prepare(T, check)[0])

    def viscosity_dT(self, T: Num, *, check: bool = True) -> Num:
        """d(viscosity)/dT [Pa s/K], the analytic derivative of the fit."""
        return self._model.viscosity_dT(self._prepare(T, check)[0])

    def conductivity(self, T: Num, *, check: bool = True) -> Num:
        """Thermal conductivity [W/(m K)] at ``T`` [K]."""
        return self._model.conductivity(self._prepare(T, check)[0])

    def conductivity_dT(self, T: Num, *, check: bool = True) -> Num:
        """d(conductivity)/dT [W/(m K2)], the analytic derivative of the fit."""
        return self._model.conductivity_dT(self._prepare(T, check)[0])

    def prandtl(self, T: Num, *, check: bool = True) -> Num:
        """Prandtl number cp mu / k [-] at ``T`` [K]."""
        t = self._prepare(T, check)[0]
        m = self._model
        return m.specific_heat(t) * m.viscosity(t) / m.conductivity(t)

    def enthalpy(self, T: Num, *, check: bool = True) -> Num:
        """Specific enthalpy relative to 273.15 K [J/kg] at ``T`` [K].

        The exact integral of :meth:`specific_heat` from 273.15 K, so ``d(enthalpy)/dT`` equals the
        specific heat to round-off and a network that balances enthalpy flows conserves energy with
        the same cp it uses elsewhere. Only differences are physical (as for any enthalpy). Pressure
        work (v dp, about 0.1 J/kg per 100 Pa) is not included.
        """
        return self._model.enthalpy(self._prepare(T, check)[0])

    def enthalpy_cp(self, T: Num, *, check: bool = True) -> tuple[Num, Num]:
        """``(enthalpy(T), specific_heat(T))`` in one call (the network solver's hot path)."""
        t = self._prepare(T, check)[0]
        m = self._model
        fused = getattr(m, "enthalpy_cp", None)
        if fused is not None:
            return fused(t)
        return m.enthalpy(t), m.specific_heat(t)

    def state(self, T: Num, *, check: bool = True) -> CoolantState:
        """Every property and derivative at ``T`` [K] in one pass (the network solver's hot path)."""
        t = self._prepare(T, check)[0]
        return CoolantState(t, *self._model.state(t))

    def temperature_from_enthalpy(self, h: Num, *, check: bool = True) -> Num:
        """Temperature [K] at specific enthalpy ``h`` [J/kg] (inverse of :meth:`enthalpy`).

        Newton's method on the enthalpy fit, vectorised, started from linear interpolation between
        the enthalpies at the range ends; iterates until every step is below 1e-10 K (so the result
        is converged to well under 1e-9 K) and raises :class:`~thermo.errors.ConvergenceError` after
        50 iterations otherwise. With ``check=True`` an enthalpy outside ``[h(min_temperature),
        h(max_temperature)]`` or NaN raises :class:`~thermo.errors.RangeError`.
        """
        hv, scalar = _as_temperature(h, "specific enthalpy")
        m = self._model
        lo, hi = m.T_min, m.T_max
        h_lo, h_hi = m.enthalpy(lo), m.enthalpy(hi)
        if check:
            bad = ~((np.asarray(hv) >= h_lo) & (np.asarray(hv) <= h_hi))
            if np.any(bad):
                worst = np.atleast_1d(np.asarray(hv))[np.atleast_1d(bad)][:3]
                raise RangeError(
                    f"{self._name}: {int(np.sum(bad))} specific enthalpy value(s) outside "
                    f"{h_lo:.6g} to {h_hi:.6g} J/kg, the enthalpies (relative to 273.15 K) of the "
                    f"valid range {_fmt_T(lo)} to {_fmt_T(hi)}; worst: "
                    f"{', '.join(f'{v:.6g} J/kg' for v in worst)}",
                    key="h",
                    value=[float(v) for v in worst],
                )
        # NaN input (possible only with check=False) gives NaN output, like the property methods.
        if scalar and math.isnan(hv):
            return math.nan
        skip = None if scalar else np.isnan(hv)
        T = lo + (hv - h_lo) * ((hi - lo) / (h_hi - h_lo))
        worst_step = math.inf
        for _ in range(50):
            step = (m.enthalpy(T) - hv) / m.specific_heat(T)
            T = T - step
            if scalar:
                worst_step = abs(step)
            else:
                size = np.where(skip, 0.0, np.abs(step))
                worst_step = float(np.max(size)) if size.size else 0.0
            if worst_step < 1e-10:
                return T
            if not math.isfinite(worst_step):
                break
        raise ConvergenceError(
            f"{self._name}: temperature_from_enthalpy did not converge",
            worst=[Residual("temperature step [K]", float(worst_step))],
            iterations=50,
        )

    # -- saturation -------------------------------------------------------------------------
    def saturation_temperature(self, p: Num, *, check: bool = True) -> Num:
        """Boiling temperature [K] at absolute pressure ``p`` [Pa], to flag boiling in a loop.

        Water: IAPWS-IF97 Eq. 31 (exact formulation), valid 611.213 Pa to 22.064 MPa. Glycol
        solutions: the same water curve, as a conservative estimate. By Raoult's law the water
        vapour pressure over a glycol solution is lower than over pure water (the glycols are far
        less volatile), so the solution boils at a higher temperature than water at the same
        pressure; the water value flags boiling early, never late. Custom fluids: not known,
        raises :class:`~thermo.errors.ThermoError`.
        """
        if self._kind == "custom":
            raise ThermoError(f"{self._name}: the saturation line of a custom fluid is not known")
        pv, scalar = _as_temperature(p, "pressure")
        if check:
            arr = np.asarray(pv)
            bad = ~((arr >= _iapws.P_MIN) & (arr <= _iapws.P_MAX))
            if np.any(bad):
                worst = np.atleast_1d(arr)[np.atleast_1d(bad)][:3]
                raise RangeError(
                    f"{self._name}: absolute pressure outside {_iapws.P_MIN} Pa to "
                    f"{_iapws.P_MAX:.6g} Pa (IAPWS-IF97 saturation line): "
                    f"{', '.join(f'{v:.6g} Pa' for v in worst)}",
                    key="p",
                    value=[float(v) for v in worst],
                )
        return _iapws.saturation_temperature(pv)

    def saturation_pressure(self, T: Num, *, check: bool = True) -> Num:
        """Vapour pressure [Pa] at ``T`` [K] (e.g. for pump NPSH).

        Water: IAPWS-IF97 Eq. 30, valid 273.15-647.096 K. Glycol solutions: water's value, an upper
        bound (Raoult's law, see :meth:`saturation_temperature`). Custom fluids: raises.
        """
        if self._kind == "custom":
            raise ThermoError(f"{self._name}: the vapour pressure of a custom fluid is not known")
        tv, scalar = _as_temperature(T)
        if check:
            arr = np.asarray(tv)
            bad = ~((arr >= _iapws.T_SAT_MIN) & (arr <= _iapws.T_SAT_MAX))
            if np.any(bad):
                worst = np.atleast_1d(arr)[np.atleast_1d(bad)][:3]
                raise RangeError(
                    f"{self._name}: temperature outside {_iapws.T_SAT_MIN} K to {_iapws.T_SAT_MAX} K "
                    f"(IAPWS-IF97 saturation line): {', '.join(_fmt_T(float(t)) for t in worst)}",
                    key="T",
                    value=[float(v) for v in worst],
                )
        return _iapws.saturation_pressure(tv)

    # -- user-defined fluids ----------------------------------------------------------------
    @classmethod
    def custom(
        cls,
        name: str,
        *,
        density: Any,
        specific_heat: Any,
        viscosity: Any,
        conductivity: Any,
        freezing_point: float | str,
        max_temperature: float | str,
        min_temperature: float | str | None = None,
    ) -> Coolant:
        """A user-defined coolant with constant or tabulated properties.

        Parameters
        ----------
        name
            Label used in messages and results.
        density, specific_heat, viscosity, conductivity
            Each either a positive constant in SI units ([kg/m3], [J/(kg K)], [Pa s], [W/(m K)]) or
            a table ``(T, values)``: temperatures [K], strictly increasing, and positive values of
            the same length (at least 2 points). Tables are interpolated with monotone piecewise
            cubics (PCHIP, Fritsch & Carlson 1980; viscosity in ln mu) and must cover the valid
            range.
        freezing_point
            Freezing point [K] (or a string with unit, e.g. ``"-10 degC"``).
        max_temperature
            Highest valid temperature [K] (or a string with unit).
        min_temperature
            Lowest valid temperature [K]; defaults to ``freezing_point`` and may not be below it.

        Raises
        ------
        InputError
            Non-positive or non-finite values, tables that are not increasing, of unequal length or
            that do not cover ``[min_temperature, max_temperature]``, an empty range.
        """
        from thermo.coolants._custom import CustomModel, TableProperty, parse_property
        from thermo.units import to_si

        if not isinstance(name, str) or not name.strip():
            raise InputError("custom coolant needs a non-empty name", key="name", value=name)
        t_freeze = to_si(freezing_point, "temperature", key="freezing_point")
        t_max = to_si(max_temperature, "temperature", key="max_temperature")
        t_min = (
            t_freeze
            if min_temperature is None
            else to_si(min_temperature, "temperature", key="min_temperature")
        )
        for key, t in (
            ("freezing_point", t_freeze),
            ("max_temperature", t_max),
            ("min_temperature", t_min),
        ):
            if not (math.isfinite(t) and t > 0.0):
                raise InputError(
                    f"{key} must be a finite temperature in K (> 0), got {t!r}", key=key, value=t
                )
        if t_min < t_freeze:
            raise InputError(
                f"min_temperature {_fmt_T(t_min)} is below the freezing point {_fmt_T(t_freeze)}",
                key="min_temperature",
                value=t_min,
            )
        if not t_min < t_max:
            raise InputError(
                f"max_temperature {_fmt_T(t_max)} must be above the lowest valid temperature "
                f"{_fmt_T(t_min)}",
                key="max_temperature",
                value=t_max,
            )
        props = {
            "density": parse_property("density", density),
            "specific_heat": parse_property("specific_heat", specific_heat),
            "viscosity": parse_property("viscosity", viscosity, log=True),
            "conductivity": parse_property("conductivity", conductivity),
        }
        for key, prop in props.items():
            # 1e-9 K slack: "-40 degC" parses to 233.14999999999998 K
            if isinstance(prop, TableProperty) and (
                prop.t0 > t_min + 1e-9 or prop.t1 < t_max - 1e-9
            ):
                raise InputError(
                    f"{key}: the table covers {_fmt_T(prop.t0)} to {_fmt_T(prop.t1)} but the valid "
                    f"range is {_fmt_T(t_min)} to {_fmt_T(t_max)}; extend the table or narrow the "
                    "range with min_temperature / max_temperature",
                    key=key,
                )
        model = CustomModel(
            props["density"],
            props["specific_heat"],
            props["viscosity"],
            props["conductivity"],
            T_min=t_min,
            T_max=t_max,
            freezing_point=t_freeze,
        )
        key = ("custom", name, t_freeze, t_min, t_max, *(p.key for p in props.values()))
        return _rebuild_custom(name, model, key)


def _rebuild_custom(name: str, model: Any, key: tuple) -> Coolant:
    obj = object.__new__(Coolant)
    obj._init("custom", None, name, model, key, "user-defined")
    return obj
