"""Regenerate the shipped coolant fits ``thermo/data/coolants/{water,pg,eg}.json`` from CoolProp.

Usage::

    python tools/fit_coolants.py            # write the three files, print degrees and errors
    python tools/fit_coolants.py --check    # compare with the shipped files, write nothing

Water is fitted from IAPWS-IF97 at 0.5 MPa over 273.16-423.15 K; propylene glycol (CoolProp
``INCOMP::MPG``) and ethylene glycol (``INCOMP::MEG``) at mass fractions 0.10, 0.15, ..., 0.60 from
the freezing point to 373.15 K. The fitting itself lives in :mod:`thermo.coolants._fit`, shared with
the run-time fit of other fractions. ``--check`` exits 1 when a regenerated fit differs from the
shipped one by more than 1e-9 relative on a 2001-point grid (e.g. after a CoolProp update).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from thermo.coolants._fit import PROPERTIES, SHIPPED_FRACTIONS, fit_coolant  # noqa: E402
from thermo.coolants._poly import PolyModel  # noqa: E402

DATA = ROOT / "thermo" / "data" / "coolants"
FAMILIES = {
    "water": ("water", [None]),
    "pg": ("PG", list(SHIPPED_FRACTIONS)),
    "eg": ("EG", list(SHIPPED_FRACTIONS)),
}


def build(family: str) -> dict:
    kind, fractions = FAMILIES[family]
    fits = [fit_coolant(kind, x) for x in fractions]
    return {
        "format": 1,
        "description": (
            "Polynomial fits of coolant properties in a scaled variable u (see "
            "thermo/coolants/_fit.py); coeffs are power-basis, lowest order first. "
            "Regenerate with tools/fit_coolants.py."
        ),
        "fits": fits,
    }


def _max_diff(a: dict, b: dict) -> float:
    ma, mb = PolyModel(a), PolyModel(b)
    T = np.linspace(ma.T_min, ma.T_max, 2001)
    worst = abs(ma.T_min - mb.T_min) / ma.T_min
    for name in ("density", "specific_heat", "viscosity", "conductivity"):
        worst = max(worst, float(np.max(np.abs(getattr(ma, name)(T) / getattr(mb, name)(T) - 1.0))))
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with shipped files only")
    args = parser.parse_args(argv)
    status = 0
    for family in FAMILIES:
        data = build(family)
        path = DATA / f"{family}.json"
        for rec in data["fits"]:
            props = rec["properties"]
            summary = ", ".join(
                f"{p} deg {props[p]['degree']}{'(1/T)' if props[p]['variable'] == 'invT' else ''} "
                f"err {props[p]['max_rel_error']:.1e}"
                for p in PROPERTIES
            )
            print(
                f"{family:5s} {rec['fraction']!s:5s} T {rec['T_min']:.2f}-{rec['T_max']:.2f} K: {summary}"
            )
        if args.check:
            shipped = json.loads(path.read_text())
            for new, old in zip(data["fits"], shipped["fits"], strict=True):
                diff = _max_diff(new, old)
                if diff > 1e-9:
                    print(f"  {family} {new['fraction']}: shipped fit differs by {diff:.2e}")
                    status = 1
        else:
            DATA.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, indent=1) + "\n")
            print(f"wrote {path.relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
