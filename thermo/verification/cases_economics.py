"""Economics: capital recovery and present-worth factors against published compound-interest
tables (``thermo.economics.finance``)."""

from __future__ import annotations

from thermo.verification import VerificationCase

_TABLES = (
    "Compound-interest tables, 6 % and 10 %: e.g. D. G. Newnan, T. G. Eschenbach, J. P. Lavelle, "
    "Engineering Economic Analysis, Oxford University Press (any edition), Appendix C "
    "(capital recovery A/P, series present worth P/A); the same factors in W. Short, D. J. "
    "Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4"
)


def _crf(rate: float, years: int) -> float:
    from thermo.economics import crf

    return crf(rate, years)


def _pa(rate: float, years: int) -> float:
    from thermo.economics import npv

    return npv(0.0, 1.0, rate, years)


CASES = [
    VerificationCase(
        id="economics.crf_6pct_20yr",
        title="capital recovery factor A/P at 6 % over 20 years",
        source=_TABLES,
        quantity="A/P",
        reference=0.08718,
        unit="-",
        compute=lambda: _crf(0.06, 20),
        abs_tol=0.000005,
        notes="Tables print 4 significant figures (0.08718).",
    ),
    VerificationCase(
        id="economics.pa_6pct_20yr",
        title="series present-worth factor P/A at 6 % over 20 years",
        source=_TABLES,
        quantity="P/A",
        reference=11.470,
        unit="-",
        compute=lambda: _pa(0.06, 20),
        abs_tol=0.0005,
        notes="Tables print 11.470 (3 decimals); thermo's NPV of a unit annuity.",
    ),
    VerificationCase(
        id="economics.crf_10pct_10yr",
        title="capital recovery factor A/P at 10 % over 10 years",
        source=_TABLES,
        quantity="A/P",
        reference=0.16275,
        unit="-",
        compute=lambda: _crf(0.10, 10),
        abs_tol=0.000005,
        notes="Tables print 0.1627 or 0.16275 (5 decimals).",
    ),
]
