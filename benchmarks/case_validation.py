"""Benchmark: validating large template cases (issue 12), which must scale linearly.

    python benchmarks/case_validation.py --json [--sizes 1000 4000] [--pipes 100000]

Writes three kinds of case file to a temporary folder and times ``thermo validate``'s work
(:func:`thermo.case.load_case` and :func:`thermo.case.build_network`):

- ``unconnected_N``: a template whose every instance leaves one node unconnected (N problems,
  each with a suggestion: the quadratic case of issue 12, 19 s at 1,000 and 286 s at 4,000
  instances before);
- ``pipes_N``: a valid loop of N parallel pipes from one template (190 s at 100,000 before);
- ``nested``: three nested templates of ``count = 1000`` (10^9 pipes asked for): refused at once.

Prints one JSON object ``{name: {"wall_s": seconds, "components": n, "problems": n}}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HEAD = """
[coolants]
loop = "water"

[components.pump]
type = "Pump"
inlet = "ret"
outlet = "sup"
head_curve = [["0 L/min", "20 m"], ["1000000 L/min", "5 m"]]

[components.tank]
type = "ExpansionTank"
node = "ret"
pressure = "2 bar"
"""

PIPE = """
[templates.leg]
ports = ["a", "b"]

[templates.leg.components.p]
type = "Pipe"
inlet = "{a}"
outlet = "{b}"
length = "2 m"
diameter = "20 mm"
"""

DANGLING = """
[templates.leg.components.stub]
type = "Pipe"
inlet = "{a}"
outlet = "dead_end"
length = "1 m"
diameter = "10 mm"
"""


def case_text(n: int, dangling: bool) -> str:
    width = len(str(n))
    return (
        HEAD
        + PIPE
        + (DANGLING if dangling else "")
        + f"""
[[instances]]
template = "leg"
count = {n}
name = "leg{{i:0{width}d}}"
connect = {{ a = "sup", b = "ret" }}
"""
    )


NESTED = (
    HEAD
    + PIPE
    + """
[templates.l2]
ports = ["a", "b"]
[[templates.l2.instances]]
template = "leg"
count = 1000
name = "x{i}"
connect = { a = "{a}", b = "{b}" }

[templates.l3]
ports = ["a", "b"]
[[templates.l3.instances]]
template = "l2"
count = 1000
name = "y{i}"
connect = { a = "{a}", b = "{b}" }

[[instances]]
template = "l3"
count = 1000
name = "z{i}"
connect = { a = "sup", b = "ret" }
"""
)


def time_validate(path: Path) -> dict:
    from thermo.case import build_network, load_case
    from thermo.case.problems import CaseError

    t0 = time.perf_counter()
    problems = 0
    components = 0
    try:
        case = load_case(path)
        build_network(case)
        components = len(case.components)
    except CaseError as exc:
        problems = len(exc.problems)
    return {
        "wall_s": round(time.perf_counter() - t0, 3),
        "components": components,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON (the default)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 4000])
    parser.add_argument("--pipes", type=int, default=100_000)
    args = parser.parse_args(argv)
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        jobs = {f"unconnected_{n}": case_text(n, True) for n in args.sizes}
        if args.pipes:
            jobs[f"pipes_{args.pipes}"] = case_text(args.pipes, False)
        jobs["nested"] = NESTED
        for name, text in jobs.items():
            path = folder / f"{name}.toml"
            path.write_text(text)
            out[name] = time_validate(path)
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
