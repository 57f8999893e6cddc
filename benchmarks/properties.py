"""Coolant property speed: thermo's numpy fits vs vectorised CoolProp ``PropsSI``.

Usage::

    python benchmarks/properties.py            # table
    python benchmarks/properties.py --json     # one JSON object

For water (CoolProp ``IF97::Water`` at thermo's 0.5 MPa reference pressure) and PG25
(``INCOMP::MPG[0.25]``), 10,000 temperatures spread over the valid range are evaluated; each timing
is the median of ``--repeats`` runs (default 7), reported per element in microseconds. ``state`` is
thermo's one-pass call (density, cp, viscosity, conductivity, enthalpy and the four derivatives)
against one ``PropsSI`` call per property (D, C, V, L, H; CoolProp gives no derivatives there, so
the comparison favours CoolProp). Range checking is on (thermo's default). The CoolProp import
(about 2.5 s) is not timed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from thermo.coolants import Coolant  # noqa: E402

PROPS = {
    "density": "D",
    "specific_heat": "C",
    "viscosity": "V",
    "conductivity": "L",
    "enthalpy": "H",
}


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _bench_fluid(name: str, fluid: str, n: int, repeats: int) -> dict:
    from CoolProp.CoolProp import PropsSI

    c = Coolant(name)
    T = np.linspace(c.min_temperature, c.max_temperature, n)
    p = c.reference_pressure or 101325.0
    us = 1e6 / n
    thermo_t = {"state": _median_time(lambda: c.state(T), repeats) * us}
    coolprop_t: dict[str, float] = {}
    for method, key in PROPS.items():
        thermo_t[method] = _median_time(lambda m=method: getattr(c, m)(T), repeats) * us
        coolprop_t[method] = (
            _median_time(lambda k=key: PropsSI(k, "T", T, "P", p, fluid), repeats) * us
        )
    coolprop_t["state"] = sum(coolprop_t[m] for m in PROPS)
    return {
        "fluid": name,
        "coolprop_fluid": fluid,
        "thermo_us_per_element": thermo_t,
        "coolprop_us_per_element": coolprop_t,
        "speedup": {m: coolprop_t[m] / thermo_t[m] for m in thermo_t},
    }


def run(n: int = 10_000, repeats: int = 7) -> dict:
    results = [
        _bench_fluid(name, fluid, n, repeats)
        for name, fluid in (("water", "IF97::Water"), ("PG25", "INCOMP::MPG[0.25]"))
    ]
    return {
        "benchmark": "coolant properties",
        "n": n,
        "repeats": repeats,
        "statistic": "median",
        "fluids": results,
        "min_speedup": min(min(r["speedup"].values()) for r in results),
        "target_speedup": 20.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="thermo coolant fits vs CoolProp PropsSI")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-n", type=int, default=10_000, help="number of temperatures")
    parser.add_argument("--repeats", type=int, default=7, help="repeats (median is reported)")
    args = parser.parse_args(argv)
    out = run(args.n, args.repeats)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"n = {out['n']}, median of {out['repeats']}; µs per element")
    print(f"{'fluid':6s} {'property':14s} {'thermo':>9s} {'CoolProp':>9s} {'speedup':>8s}")
    for r in out["fluids"]:
        for m, t in r["thermo_us_per_element"].items():
            cp = r["coolprop_us_per_element"][m]
            print(f"{r['fluid']:6s} {m:14s} {t:9.4f} {cp:9.4f} {r['speedup'][m]:7.0f}x")
    print(f"min speedup {out['min_speedup']:.0f}x (target {out['target_speedup']:.0f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
