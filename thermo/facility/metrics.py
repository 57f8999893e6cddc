"""Facility energy metrics: PUE, ERE, ERF, CUE, WUE, tokens per kWh, heat-reuse savings, compliance.

Units
-----
Energies are in **J** (SI inside, like the rest of thermo), water in m³, CO₂ in kg, prices in a
currency per m³ (gas) or per J (electricity). Ratios that the standards define per kWh (CUE,
WUE, tokens per kWh) are returned in SI by the functions (kg/J, m³/J) except
:func:`tokens_per_kwh`, whose name states its unit; :meth:`FacilityMetrics.to_dict` reports the
customary units with the unit in the key (``cue_kg_per_kWh``, ``heat_reused_MWh``, ...).
``KWH`` = 3.6e6 J converts.

All metric functions work on scalars or numpy arrays (hourly values) and broadcast. The
standards define PUE, ERE and ERF on **annual** energies; hourly values are diagnostics.

Definitions (The Green Grid; ISO/IEC 30134-2/-6; see ``docs/metrics.md``)
-------------------------------------------------------------------------
``PUE = E_facility / E_it``; ``ERE = (E_facility - E_reuse) / E_it``;
``ERF = E_reuse / E_facility``; hence ``ERE = PUE · (1 - ERF)`` and ``0 <= ERE <= PUE``.
Only energy reused *outside* the data-centre boundary counts as ``E_reuse``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from thermo.errors import InputError
from thermo.plant.boiler import (
    ELECTRIC_BOILER_EFFICIENCY,
    NATURAL_GAS_CO2_PER_M3,
    NATURAL_GAS_HHV,
)

__all__ = [
    "KWH",
    "MANITOBA_GRID_CO2_PER_J",
    "MANITOBA_GAS_PRICE",
    "MANITOBA_ELECTRICITY_PRICE",
    "GAS_BOILER_EFFICIENCY_DEFAULT",
    "pue",
    "ere",
    "erf",
    "cue",
    "wue",
    "tokens_per_kwh",
    "tokens_per_kwh_net",
    "FacilityMetrics",
    "ComplianceLine",
    "enefg_compliance",
    "ReportItem",
    "eu_eed_report_items",
]

KWH = 3.6e6
"""One kilowatt-hour in joules [J/kWh]."""

MANITOBA_GRID_CO2_PER_J = 1.0e-3 / KWH
"""Scenario default: Manitoba grid intensity, 1 g CO₂e/kWh, as kg/J.

Average of Manitoba Hydro generation: 0.88 t CO₂e/GWh (2019, hydro.mb.ca) and 0.4 t/GWh (CEA
*The Grid* 2021), docs/references.md §7 [V]. An average, not a marginal (export-displacement) factor:
pass your own for a marginal scenario.
"""

MANITOBA_GAS_PRICE = 0.4306
"""Scenario default: Manitoba (Centra Gas) natural-gas price [CAD per m³].

[D] Primary gas 13.43 ¢/m³ (Feb 2022) plus the 2018 per-m³ adders transportation 5.38,
distribution 8.66 and supplemental gas 15.59 ¢/m³ (mbhydromail.ca; CBC; docs/references.md §7 [V]),
i.e. 43.06 ¢/m³ ≈ 11.4 CAD/GJ. Mixes years and excludes the basic monthly charge: re-check
current rates before an economic claim.
"""

MANITOBA_ELECTRICITY_PRICE = 0.08730 / KWH
"""Scenario default: Manitoba Hydro residential energy charge, 8.730 ¢/kWh (Sept 2020, hydro.mb.ca
rates [V]), as CAD per J. General-service (commercial) tariffs were not retrieved.
"""

GAS_BOILER_EFFICIENCY_DEFAULT = 0.92
"""Seasonal HHV efficiency of the displaced condensing gas boiler [-] (docs/references.md §7 default:
0.92 for returns below 50 °C; ≥ 93 % at 38 °C return per R. Collver, HeatSpring)."""


def _arr(value: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite, got {value!r}", key=name, value=value)
    if np.any(arr < 0):
        bad = float(arr[arr < 0].flat[0])
        raise InputError(f"{name} must be >= 0, got {bad!r}", key=name, value=bad)
    return arr


def _positive(value: Any, name: str) -> np.ndarray:
    arr = _arr(value, name)
    if np.any(arr <= 0):
        raise InputError(
            f"{name} must be > 0 (aggregate periods with no IT load before taking ratios), got 0",
            key=name,
            value=0.0,
        )
    return arr


def _out(arr: np.ndarray) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def _facility_and_it(E_facility: Any, E_it: Any) -> tuple[np.ndarray, np.ndarray]:
    Ef = _arr(E_facility, "E_facility")
    Ei = _positive(E_it, "E_it")
    Ef, Ei = np.broadcast_arrays(Ef, Ei)
    if np.any(Ef < Ei * (1 - 1e-12)):
        i = np.argwhere(np.atleast_1d(Ef < Ei * (1 - 1e-12)))[0][0]
        raise InputError(
            "E_facility must include the IT energy (E_facility >= E_it), got "
            f"E_facility = {np.atleast_1d(Ef)[i]:.6g} J < E_it = {np.atleast_1d(Ei)[i]:.6g} J",
            key="E_facility",
            value=float(np.atleast_1d(Ef)[i]),
        )
    return Ef, Ei


def _reuse(E_reuse: Any, Ef: np.ndarray) -> np.ndarray:
    Er = _arr(E_reuse, "E_reuse")
    Er, Ef = np.broadcast_arrays(Er, Ef)
    if np.any(Er > Ef * (1 + 1e-12)):
        i = np.argwhere(np.atleast_1d(Er > Ef * (1 + 1e-12)))[0][0]
        raise InputError(
            "E_reuse cannot exceed E_facility (ERF <= 1: reused energy comes from the facility's "
            f"energy), got E_reuse = {np.atleast_1d(Er)[i]:.6g} J > E_facility = "
            f"{np.atleast_1d(Ef)[i]:.6g} J",
            key="E_reuse",
            value=float(np.atleast_1d(Er)[i]),
        )
    return Er


def pue(E_facility: Any, E_it: Any) -> Any:
    """Power usage effectiveness ``E_facility / E_it`` [-] (>= 1).

    Parameters
    ----------
    E_facility : numeric
        Total facility energy over the period [J] (includes ``E_it``).
    E_it : numeric
        IT equipment energy over the period [J], > 0.

    References
    ----------
    .. [1] The Green Grid, White Paper #49, *PUE™: A Comprehensive Examination of the Metric*, 2012;
       ISO/IEC 30134-2.
    """
    Ef, Ei = _facility_and_it(E_facility, E_it)
    return _out(Ef / Ei)


def ere(E_facility: Any, E_it: Any, E_reuse: Any) -> Any:
    """Energy reuse effectiveness ``(E_facility - E_reuse) / E_it`` [-], in ``[0, PUE]``.

    ``E_reuse`` [J] is energy reused outside the data-centre boundary (e.g. heat delivered to a
    greenhouse). ERE < 1 is legitimate when reuse exceeds the non-IT overhead; ERE = 0 means all
    energy is reused.

    References
    ----------
    .. [1] The Green Grid, White Paper #29, *ERE: A Metric for Measuring the Benefit of Reuse Energy
       from a Data Center*, ed. M. Patterson, 2010.
    """
    Ef, Ei = _facility_and_it(E_facility, E_it)
    Er = _reuse(E_reuse, Ef)
    return _out((Ef - Er) / Ei)


def erf(E_reuse: Any, E_facility: Any) -> Any:
    """Energy reuse factor ``E_reuse / E_facility`` [-], in ``[0, 1]``.

    References
    ----------
    .. [1] The Green Grid et al. (global harmonisation task force), ERF definition, 2012; ISO/IEC
       30134-6; EN 50600-4-6 (referenced by EnEfG § 11).
    """
    Ef = _positive(E_facility, "E_facility")
    Er = _reuse(E_reuse, Ef)
    return _out(Er / Ef)


def cue(co2: Any, E_it: Any) -> Any:
    """Carbon usage effectiveness ``co2 / E_it`` [kg CO₂e per J of IT energy].

    ``co2`` [kg] is the CO₂e of the facility's total energy over the period. Multiply by
    :data:`KWH` for the customary kg/kWh. With one grid factor CEF [kg/J], CUE = CEF × PUE.
    """
    C = _arr(co2, "co2")
    Ei = _positive(E_it, "E_it")
    return _out(C / Ei)


def wue(water: Any, E_it: Any) -> Any:
    """Water usage effectiveness (site) ``water / E_it`` [m³ per J].

    ``water`` [m³] is the site water input over the period. Multiply by 1000·:data:`KWH` for the
    customary L/kWh (The Green Grid WUE, 2011; ISO/IEC 30134-9).
    """
    W = _arr(water, "water")
    Ei = _positive(E_it, "E_it")
    return _out(W / Ei)


def tokens_per_kwh(tokens: Any, E: Any) -> Any:
    """AI output per unit of energy: ``tokens / (E / 3.6e6 J)`` [tokens per kWh].

    With ``E`` the facility energy [J] this is the gross TokEnergy figure of ``docs/metrics.md``
    (our convention; no published formula exists). With ``E = E_it`` it is the IT-level figure.
    """
    N = _arr(tokens, "tokens")
    E_ = _positive(E, "E")
    return _out(N * KWH / E_)


def tokens_per_kwh_net(tokens: Any, E_facility: Any, E_reuse: Any) -> Any:
    """Tokens per kWh of facility energy **net of reused heat**: ``tokens·KWH / (E_facility - E_reuse)``.

    Our convention (``docs/metrics.md``): the energy charged to the tokens is what the facility
    draws minus what it gives back as useful heat outside its boundary, the numerator of ERE.
    With an IT-level efficiency τ [tokens/J]: gross = KWH·τ/PUE and net = KWH·τ/ERE. Returns
    ``inf`` where all facility energy is reused (ERE = 0).
    """
    N = _arr(tokens, "tokens")
    Ef = _positive(E_facility, "E_facility")
    Er = _reuse(E_reuse, Ef)
    net = Ef - Er
    with np.errstate(divide="ignore"):
        out = np.where(net > 0, N * KWH / np.where(net > 0, net, 1.0), np.inf)
    return _out(out)


# ---------------------------------------------------------------------------------------------
# Annual summary
# ---------------------------------------------------------------------------------------------


def _total(value: Any, name: str) -> float:
    return float(np.sum(_arr(value, name)))


@dataclass(frozen=True)
class FacilityMetrics:
    """Annual (or any period's) facility metrics, from summed energies. SI fields.

    Build it with :meth:`from_energies`; :meth:`to_dict` gives customary units.
    """

    E_facility: float
    """Total facility electricity [J]."""
    E_it: float
    """IT equipment electricity [J]."""
    E_reuse: float
    """Heat reused outside the data-centre boundary [J]."""
    E_heat_upgrade: float
    """Part of ``E_facility`` used only to upgrade waste heat (heat pumps) [J]."""
    pue: float
    """PUE [-]."""
    pue_enefg: float
    """PUE as EnEfG § 11(2) counts it: heat-upgrade electricity excluded [-]."""
    ere: float
    """ERE [-]."""
    erf: float
    """ERF [-]."""
    cue: float
    """CUE [kg CO₂e per J of IT energy]."""
    grid_co2: float
    """CO₂e of the facility electricity [kg]."""
    wue: float | None
    """Site WUE [m³ per J of IT energy], None without water data."""
    tokens: float | None
    """AI tokens produced in the period [-], None if not given."""
    tokens_per_kwh_gross: float | None
    """Tokens per kWh of facility energy [1/kWh]."""
    tokens_per_kwh_net: float | None
    """Tokens per kWh of facility energy net of reused heat [1/kWh]."""
    greenhouse_coverage: float | None
    """Share of the greenhouse heat demand covered by reused heat [-]."""
    displaced: str
    """What the reused heat displaces: ``"natural_gas"`` or ``"electricity"`` (boiler)."""
    boiler_efficiency: float
    """Efficiency of the displaced boiler [-]."""
    boiler_fuel_avoided: float
    """Boiler fuel (gas HHV or electricity) avoided [J]."""
    gas_avoided: float
    """Natural gas avoided [m³] (0 when an electric boiler is displaced)."""
    co2_avoided: float
    """Net CO₂ avoided [kg]: displaced boiler emissions minus grid CO₂ of ``E_heat_upgrade``."""
    money_saved: float
    """Net money saved [currency]: displaced fuel cost minus cost of ``E_heat_upgrade``."""
    currency: str
    """Currency of the prices (default ``"CAD"``)."""

    @classmethod
    def from_energies(
        cls,
        E_facility: Any,
        E_it: Any,
        E_reuse: Any = 0.0,
        *,
        E_heat_upgrade: Any = 0.0,
        tokens: Any = None,
        tokens_per_joule_it: float | None = None,
        water: Any = None,
        grid_co2_per_J: float = MANITOBA_GRID_CO2_PER_J,
        greenhouse_heat_demand: Any = None,
        displaced: Literal["natural_gas", "electricity"] = "natural_gas",
        boiler_efficiency: float | None = None,
        gas_price: float = MANITOBA_GAS_PRICE,
        electricity_price: float = MANITOBA_ELECTRICITY_PRICE,
        gas_hhv: float = NATURAL_GAS_HHV,
        gas_co2_per_m3: float = NATURAL_GAS_CO2_PER_M3,
        currency: str = "CAD",
    ) -> FacilityMetrics:
        """Summarise a period from its energies (scalars, or hourly arrays that are summed).

        Parameters
        ----------
        E_facility, E_it, E_reuse : numeric
            Facility and IT electricity, heat reused outside the boundary [J].
        E_heat_upgrade : numeric
            Electricity (part of ``E_facility``) used only to upgrade the waste heat [J].
        tokens : numeric, optional
            Tokens produced [-]. Alternatively ``tokens_per_joule_it`` [tokens/J of IT energy]
            (then ``tokens = tokens_per_joule_it · E_it``). Not both.
        water : numeric, optional
            Site water input [m³].
        grid_co2_per_J : float
            Grid emission factor [kg/J], default Manitoba 1 g/kWh (scenario input).
        greenhouse_heat_demand : numeric, optional
            Heat demand of the greenhouse [J]; reused heat must not exceed it.
        displaced : {"natural_gas", "electricity"}
            Fuel of the boiler that the reused heat replaces.
        boiler_efficiency : float, optional
            Its efficiency; default 0.92 (gas, HHV) or 0.99 (electric).
        gas_price, electricity_price : float
            [currency/m³], [currency/J]; Manitoba scenario defaults.
        """
        Ef = _total(E_facility, "E_facility")
        Ei = _total(E_it, "E_it")
        Er = _total(E_reuse, "E_reuse")
        Eu = _total(E_heat_upgrade, "E_heat_upgrade")
        p = pue(Ef, Ei)
        if Eu > Ef - Ei + 1e-9 * Ef:
            raise InputError(
                "E_heat_upgrade is part of the non-IT facility energy, so it cannot exceed "
                f"E_facility - E_it = {Ef - Ei:.6g} J, got {Eu:.6g} J",
                key="E_heat_upgrade",
                value=Eu,
            )
        for name, v in (
            ("grid_co2_per_J", grid_co2_per_J),
            ("gas_price", gas_price),
            ("electricity_price", electricity_price),
        ):
            if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise InputError(
                    f"{name} must be a finite number >= 0, got {v!r}", key=name, value=v
                )
        if displaced not in ("natural_gas", "electricity"):
            raise InputError(
                f"displaced must be 'natural_gas' or 'electricity', got {displaced!r}",
                key="displaced",
                value=displaced,
            )
        eta = boiler_efficiency
        if eta is None:
            eta = (
                GAS_BOILER_EFFICIENCY_DEFAULT
                if displaced == "natural_gas"
                else ELECTRIC_BOILER_EFFICIENCY
            )
        if not isinstance(eta, (int, float)) or not (0 < eta <= 1):
            raise InputError(
                f"boiler_efficiency must be in (0, 1], got {eta!r}", key="boiler_efficiency"
            )

        if tokens is not None and tokens_per_joule_it is not None:
            raise InputError("give either tokens or tokens_per_joule_it, not both", key="tokens")
        n_tok: float | None = None
        if tokens is not None:
            n_tok = _total(tokens, "tokens")
        elif tokens_per_joule_it is not None:
            n_tok = float(_arr(tokens_per_joule_it, "tokens_per_joule_it")) * Ei

        coverage = None
        if greenhouse_heat_demand is not None:
            D = _total(greenhouse_heat_demand, "greenhouse_heat_demand")
            if D <= 0 or Er > D * (1 + 1e-9):
                raise InputError(
                    "reused heat must not exceed the greenhouse heat demand (> 0): got "
                    f"E_reuse = {Er:.6g} J, demand = {D:.6g} J",
                    key="greenhouse_heat_demand",
                    value=D,
                )
            coverage = Er / D

        fuel = Er / eta
        if displaced == "natural_gas":
            gas = fuel / gas_hhv
            co2_boiler = gas * gas_co2_per_m3
            cost_boiler = gas * gas_price
        else:
            gas = 0.0
            co2_boiler = fuel * grid_co2_per_J
            cost_boiler = fuel * electricity_price
        grid_co2 = Ef * grid_co2_per_J
        return cls(
            E_facility=Ef,
            E_it=Ei,
            E_reuse=Er,
            E_heat_upgrade=Eu,
            pue=p,
            pue_enefg=(Ef - Eu) / Ei,
            ere=ere(Ef, Ei, Er),
            erf=erf(Er, Ef),
            cue=cue(grid_co2, Ei),
            grid_co2=grid_co2,
            wue=None if water is None else wue(_total(water, "water"), Ei),
            tokens=n_tok,
            tokens_per_kwh_gross=None if n_tok is None else tokens_per_kwh(n_tok, Ef),
            tokens_per_kwh_net=None if n_tok is None else tokens_per_kwh_net(n_tok, Ef, Er),
            greenhouse_coverage=coverage,
            displaced=displaced,
            boiler_efficiency=float(eta),
            boiler_fuel_avoided=fuel,
            gas_avoided=gas,
            co2_avoided=co2_boiler - Eu * grid_co2_per_J,
            money_saved=cost_boiler - Eu * electricity_price,
            currency=currency,
        )

    def to_dict(self) -> dict[str, Any]:
        """Customary units, unit-suffixed keys (``pue``, ``heat_reused_MWh``, ``co2_avoided_t``...)."""
        mwh = KWH * 1000.0

        def opt(v: float | None, scale: float = 1.0) -> float | None:
            return None if v is None else v * scale

        return {
            "pue": self.pue,
            "pue_enefg": self.pue_enefg,
            "ere": self.ere,
            "erf": self.erf,
            "cue_kg_per_kWh": self.cue * KWH,
            "wue_L_per_kWh": opt(self.wue, 1000.0 * KWH),
            "tokens": self.tokens,
            "tokens_per_kWh_gross": self.tokens_per_kwh_gross,
            "tokens_per_kWh_net": self.tokens_per_kwh_net,
            "E_facility_MWh": self.E_facility / mwh,
            "E_it_MWh": self.E_it / mwh,
            "heat_reused_MWh": self.E_reuse / mwh,
            "heat_upgrade_MWh": self.E_heat_upgrade / mwh,
            "greenhouse_coverage": self.greenhouse_coverage,
            "displaced": self.displaced,
            "boiler_efficiency": self.boiler_efficiency,
            "boiler_fuel_avoided_MWh": self.boiler_fuel_avoided / mwh,
            "gas_avoided_m3": self.gas_avoided,
            "co2_avoided_t": self.co2_avoided / 1000.0,
            "grid_co2_t": self.grid_co2 / 1000.0,
            f"money_saved_{self.currency}": self.money_saved,
        }


# ---------------------------------------------------------------------------------------------
# Compliance: German EnEfG § 11 and the EU Energy Efficiency Directive reporting items
# ---------------------------------------------------------------------------------------------

_D = _dt.date
_ENEFG_REF = "EnEfG § 11 (Energieeffizienzgesetz, in force since 18 Nov 2023)"


@dataclass(frozen=True)
class ComplianceLine:
    """One requirement checked against a value.

    ``passed`` is None when no limit applies yet. ``binding`` is False while a new data centre is
    still within the two years after commissioning that § 11(2) allows.
    """

    requirement: str
    value: float | None
    limit: float | None
    kind: Literal["max", "min"]
    passed: bool | None
    binding: bool
    reference: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _add_years(d: _dt.date, years: int) -> _dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _check_date(d: Any, name: str) -> _dt.date:
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if isinstance(d, str):
        try:
            return _dt.date.fromisoformat(d)
        except ValueError:
            pass
    raise InputError(
        f"{name} must be a date (datetime.date or 'YYYY-MM-DD'), got {d!r}", key=name, value=d
    )


def enefg_compliance(
    E_facility: float,
    E_it: float,
    E_reuse: float,
    operation_start: Any,
    *,
    assessment_date: Any,
    E_heat_upgrade: float = 0.0,
    renewable_share: float | None = None,
) -> list[ComplianceLine]:
    """Check the German EnEfG § 11 data-centre requirements on annual energies.

    Parameters
    ----------
    E_facility, E_it, E_reuse : float
        Annual facility energy, IT energy and reused energy [J].
    operation_start : date or 'YYYY-MM-DD'
        When the data centre started operation.
    assessment_date : date or 'YYYY-MM-DD'
        The date at which the requirements are evaluated (limits change with time).
    E_heat_upgrade : float
        Electricity of plant that only upgrades the data centre's waste heat (heat pumps) [J];
        § 11(2) excludes it from the PUE.
    renewable_share : float, optional
        Share of electricity from renewable sources [-], if known (§ 11: 50 % from 1 Jan 2024,
        100 % from 1 Jan 2027).

    Returns
    -------
    list of ComplianceLine
        PUE, ERF and (if given) renewable share.

    Notes
    -----
    § 11(1): data centres operating before 1 July 2026: PUE <= 1.5 from 1 July 2027 and <= 1.3
    from 1 July 2030 (annual average); no ERF requirement. § 11(2): operation from 1 July 2026:
    PUE <= 1.2 and ERF (per DIN EN 50600-4-6) >= 10 %; >= 15 % for operation from 1 July 2027;
    >= 20 % from 1 July 2028; to be reached at the latest two years after commissioning.
    § 11(3) exemptions (heat-network agreements, lack of takers) are not assessed. The law
    applies to data centres from 300 kW non-redundant nominal connected load (public: see text).
    Read from gesetze.legal/bund/enefg/11 and law-firm summaries (dentons.com 2023, DLA Piper
    2023); not legal advice.
    """
    start = _check_date(operation_start, "operation_start")
    when = _check_date(assessment_date, "assessment_date")
    p = (float(E_facility) - float(E_heat_upgrade)) / float(_positive(E_it, "E_it"))
    pue(E_facility, E_it)  # validates the energies
    if not (0.0 <= float(E_heat_upgrade) <= float(E_facility) - float(E_it)):
        raise InputError(
            "E_heat_upgrade must be within [0, E_facility - E_it]", key="E_heat_upgrade"
        )
    f = erf(E_reuse, E_facility)
    lines: list[ComplianceLine] = []
    new_dc = start >= _D(2026, 7, 1)
    if new_dc:
        binding = when >= _add_years(start, 2)
        note = "" if binding else "within the 2-year ramp after commissioning: not yet binding"
        lines.append(
            ComplianceLine(
                "PUE (heat-upgrade electricity excluded)",
                p,
                1.2,
                "max",
                p <= 1.2,
                binding,
                f"{_ENEFG_REF} (2) no. 1",
                note,
            )
        )
        limit = 0.10 if start < _D(2027, 7, 1) else 0.15 if start < _D(2028, 7, 1) else 0.20
        lines.append(
            ComplianceLine(
                "ERF, share of reused energy (DIN EN 50600-4-6)",
                f,
                limit,
                "min",
                f >= limit,
                binding,
                f"{_ENEFG_REF} (2) no. 2",
                note + ("; " if note else "") + "exemptions of § 11(3) not assessed",
            )
        )
    else:
        if when >= _D(2030, 7, 1):
            limit_p: float | None = 1.3
        elif when >= _D(2027, 7, 1):
            limit_p = 1.5
        else:
            limit_p = None
        lines.append(
            ComplianceLine(
                "PUE (annual average)",
                p,
                limit_p,
                "max",
                None if limit_p is None else p <= limit_p,
                limit_p is not None,
                f"{_ENEFG_REF} (1)",
                "" if limit_p is not None else "no PUE limit before 1 July 2027",
            )
        )
        lines.append(
            ComplianceLine(
                "ERF, share of reused energy",
                f,
                None,
                "min",
                None,
                False,
                f"{_ENEFG_REF} (1)",
                "no ERF requirement for data centres operating before 1 July 2026",
            )
        )
    if renewable_share is not None:
        r = float(renewable_share)
        if not (0.0 <= r <= 1.0):
            raise InputError(
                f"renewable_share must be in [0, 1], got {renewable_share!r}", key="renewable_share"
            )
        limit_r = 1.0 if when >= _D(2027, 1, 1) else 0.5 if when >= _D(2024, 1, 1) else None
        lines.append(
            ComplianceLine(
                "share of electricity from renewable sources",
                r,
                limit_r,
                "min",
                None if limit_r is None else r >= limit_r - 1e-12,
                limit_r is not None,
                _ENEFG_REF,
                "50 % from 1 Jan 2024, 100 % from 1 Jan 2027",
            )
        )
    return lines


@dataclass(frozen=True)
class ReportItem:
    """One item of the EU data-centre report (value None where thermo cannot compute it)."""

    item: str
    symbol: str
    value: float | None
    unit: str
    computed: bool
    reference: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_EED = "Directive (EU) 2023/1791 Art. 12 and Annex VII"
_DR = "Delegated Regulation (EU) 2024/1364, Annexes"


def eu_eed_report_items(
    E_facility: float,
    E_it: float,
    E_reuse: float,
    *,
    water: float | None = None,
    E_renewable: float | None = None,
    installed_it_power: float | None = None,
    waste_heat_temperature: float | None = None,
) -> list[ReportItem]:
    """Items the EU Energy Efficiency Directive asks data centres to report, with our values.

    Directive (EU) 2023/1791 Art. 12 obliges data centres with an installed IT power demand of
    at least 500 kW to publish the Annex VII information yearly (from 15 May 2024); Delegated
    Regulation (EU) 2024/1364 fixes the key performance indicators (EDC, EIT, WIN, EREUSE,
    ERES-TOT, ...) and the indicators PUE, WUE, ERF and REF computed from them. Items thermo
    cannot compute (floor area, data traffic, storage) are listed with ``value=None``.

    Parameters
    ----------
    E_facility, E_it, E_reuse : float
        Annual energies [J]. Reported in kWh.
    water : float, optional
        Total water input [m³].
    E_renewable : float, optional
        Total renewable energy consumption [J].
    installed_it_power : float, optional
        Installed IT power demand [W] (reporting threshold 500 kW).
    waste_heat_temperature : float, optional
        Average temperature of the reused waste heat [K]. Reported in °C.

    Notes
    -----
    Symbols as used by the Delegated Regulation, read from secondary summaries (DLA Piper 2024,
    CMS 2024, a public KPI calculator) and not from the Official Journal text itself: check the
    annex before filing. WUE is given in L/kWh (ISO/IEC 30134-9 convention).
    """
    Ef, Ei = (float(x) for x in _facility_and_it(E_facility, E_it))
    Er = float(_reuse(E_reuse, np.asarray(Ef)))
    items = [
        ReportItem(
            "installed information technology power demand",
            "P_IT",
            None if installed_it_power is None else float(installed_it_power) / 1e3,
            "kW",
            installed_it_power is not None,
            f"{_EED} (threshold 500 kW)",
        ),
        ReportItem(
            "total energy consumption of the data centre", "EDC", Ef / KWH, "kWh", True, _DR
        ),
        ReportItem(
            "energy consumption of the information technology equipment",
            "EIT",
            Ei / KWH,
            "kWh",
            True,
            _DR,
        ),
        ReportItem("waste heat reused", "EREUSE", Er / KWH, "kWh", True, _DR),
        ReportItem(
            "average waste heat temperature",
            "T_WH",
            None if waste_heat_temperature is None else float(waste_heat_temperature) - 273.15,
            "°C",
            waste_heat_temperature is not None,
            _DR,
        ),
        ReportItem(
            "total water input",
            "WIN",
            None if water is None else float(water),
            "m³",
            water is not None,
            _DR,
        ),
        ReportItem(
            "total renewable energy consumption",
            "ERES-TOT",
            None if E_renewable is None else float(E_renewable) / KWH,
            "kWh",
            E_renewable is not None,
            _DR,
        ),
        ReportItem("power usage effectiveness", "PUE", Ef / Ei, "-", True, f"{_DR}; {_EED}"),
        ReportItem("energy reuse factor", "ERF", Er / Ef, "-", True, _DR),
        ReportItem(
            "water usage effectiveness",
            "WUE",
            None if water is None else float(water) * 1000.0 / (Ei / KWH),
            "L/kWh",
            water is not None,
            _DR,
        ),
        ReportItem(
            "renewable energy factor",
            "REF",
            None if E_renewable is None else float(E_renewable) / Ef,
            "-",
            E_renewable is not None,
            _DR,
        ),
        ReportItem(
            "floor area, temperature set points, data traffic and storage",
            "-",
            None,
            "-",
            False,
            f"{_EED}: not computed by thermo",
        ),
    ]
    return items
