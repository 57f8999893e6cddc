"""The ``[study]`` section of a case file (or ``thermo sweep --set``): what to vary and how.

.. code-block:: toml

    [study]
    design = "factorial"          # factorial | lhs | oat | zip
    samples = 16                  # lhs: number of runs
    seed = 1                      # lhs: the same seed gives the same runs
    hours = 2184                  # optional: annual runs over their first hours only
    pareto = { minimize = ["lcoh_CAD_per_MWh"], maximize = ["greenhouse_coverage"] }
    tornado = "greenhouse_coverage"

    [[study.parameters]]
    key = "components.gh_hx.ua"   # any key path of the case file
    range = [1.0, 4.0]            # or values = [...]
    steps = 3                     # factorial levels of a range
    unit = "MW/K"                 # appended to numbers: 2.5 -> "2.5 MW/K"
    linked = { "components.rail.length" = "1.875 m" }   # set to 1.875 x value, in m

Every problem of the section is collected and raised at once (:class:`~thermo.case.CaseError`).
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo.case.problems import CaseError, Problem, Where, suggest
from thermo.study.keys import parse_value

__all__ = ["Parameter", "StudySpec", "read_study", "parse_set", "DESIGNS"]

DESIGNS = ("factorial", "lhs", "oat", "zip")
STUDY_KEYS = (
    "design",
    "samples",
    "seed",
    "hours",
    "workers",
    "scheduler",
    "parameters",
    "pareto",
    "tornado",
    "metrics",
    "economics",
    "optimize",
    "out",
)
PARAM_KEYS = ("key", "values", "range", "steps", "unit", "base", "linked", "scale")
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*)$")


@dataclass
class Parameter:
    """One varied key: a list of values, or a range ``[low, high]`` (numbers in ``unit``)."""

    key: str
    values: list[Any] | None = None
    low: float | None = None
    high: float | None = None
    steps: int = 3
    unit: str = ""
    base: Any = None
    linked: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def continuous(self) -> bool:
        return self.low is not None and self.high is not None

    def levels(self) -> list[Any]:
        """Factorial levels: the values, or ``steps`` evenly spaced points of the range."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None
        if self.steps == 1:
            return [0.5 * (self.low + self.high)]
        return [
            _tidy(self.low + (self.high - self.low) * k / (self.steps - 1))
            for k in range(self.steps)
        ]

    def base_value(self) -> Any:
        """The level of the one-at-a-time base run: ``base``, else the middle level."""
        if self.base is not None:
            return self.base
        lv = self.levels()
        return lv[(len(lv) - 1) // 2] if len(lv) % 2 else lv[len(lv) // 2 - 1]

    def assign(self, value: Any) -> dict[str, Any]:
        """Case-file values for one level: this key and its linked keys."""
        out = {self.key: self.text(value)}
        for key, (factor, unit) in self.linked.items():
            x = _tidy(float(value) * factor)
            out[key] = f"{x:g} {unit}".strip() if unit else x
        return out

    def text(self, value: Any) -> Any:
        if self.unit and isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:g} {self.unit}"
        return value


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


@dataclass
class StudySpec:
    """A design study over one case file."""

    parameters: list[Parameter]
    design: str = "factorial"
    samples: int = 8
    seed: int | None = 0
    hours: int | None = None
    workers: int | None = None
    scheduler: str | None = None
    pareto: tuple[tuple[str, str], tuple[str, str]] | None = None
    """Two (metric, "min"|"max") pairs."""
    tornado: str | None = None
    metrics: list[str] = field(default_factory=list)
    economics: dict[str, Any] | None = None
    optimize: dict[str, Any] | None = None
    out: str | None = None


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def parse_parameter(
    raw: Any, where: tuple, label: str, problems: list[Problem]
) -> Parameter | None:
    def bad(msg: str, *sub: Any) -> None:
        problems.append(Problem(msg, Where(label, (*where, *sub))))

    if not isinstance(raw, dict):
        bad(f"expected a parameter table with `key` and `values` or `range`, got {raw!r}")
        return None
    for k in raw:
        if k not in PARAM_KEYS:
            bad(f"unknown key `{k}`{suggest(k, PARAM_KEYS)} (known: {', '.join(PARAM_KEYS)})", k)
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        bad("missing `key`: the key path of the case file to vary, e.g. components.hx.ua", "key")
        return None
    p = Parameter(key=key, unit=str(raw.get("unit", "")), base=raw.get("base"))
    if "values" in raw and "range" in raw:
        bad("give `values` or `range`, not both")
    if "values" in raw:
        v = raw["values"]
        if not isinstance(v, list) or not v:
            bad(f"expected a non-empty array of values, got {v!r}", "values")
        else:
            p.values = v
    elif "range" in raw:
        r = raw["range"]
        if not (isinstance(r, list) and len(r) == 2 and all(_number(x) for x in r) and r[0] < r[1]):
            bad(f"expected [low, high] with low < high, got {r!r}", "range")
        else:
            p.low, p.high = float(r[0]), float(r[1])
    else:
        bad("missing `values` or `range`")
    steps = raw.get("steps", 3)
    if not (isinstance(steps, int) and not isinstance(steps, bool) and steps >= 1):
        bad(f"expected a whole number >= 1, got {steps!r}", "steps")
    else:
        p.steps = steps
    linked = raw.get("linked", {})
    if not isinstance(linked, dict):
        bad(
            f'expected a table key -> factor (a number, or text like "1.875 m"), got {linked!r}',
            "linked",
        )
    else:
        for lk, lv in linked.items():
            m = _NUMBER_UNIT.match(str(lv)) if isinstance(lv, (str, int, float)) else None
            if m is None or isinstance(lv, bool):
                bad(
                    f'expected a factor (a number, or text like "1.875 m"), got {lv!r}',
                    "linked",
                    lk,
                )
                continue
            p.linked[lk] = (float(m.group(1)), m.group(2).strip())
        if p.linked:
            numeric = p.continuous or (p.values is not None and all(_number(x) for x in p.values))
            if not numeric:
                bad("`linked` keys need numeric values or a range", "linked")
    return p


def read_study(
    case_file: Path, label: str, table: dict | None = None, *, need_parameters: bool = True
) -> StudySpec:
    """The ``[study]`` section of ``case_file`` (or ``table``) -> :class:`StudySpec`.

    Raises
    ------
    CaseError
        Every problem of the section, each with its key path.
    """
    if table is None:
        data = tomllib.loads(Path(case_file).read_text(encoding="utf-8"))
        table = data.get("study", {})
    problems: list[Problem] = []

    def bad(msg: str, *sub: Any) -> None:
        problems.append(Problem(msg, Where(label, ("study", *sub))))

    if not isinstance(table, dict):
        raise CaseError(
            [Problem(f"expected a [study] table, got {table!r}", Where(label, ("study",)))]
        )
    for k in table:
        if k not in STUDY_KEYS:
            bad(f"unknown key `{k}`{suggest(k, STUDY_KEYS)} (known: {', '.join(STUDY_KEYS)})", k)
    params = []
    raw_params = table.get("parameters", [])
    if not isinstance(raw_params, list):
        bad("expected an array of parameter tables ([[study.parameters]])", "parameters")
        raw_params = []
    for i, raw in enumerate(raw_params):
        p = parse_parameter(raw, ("study", "parameters", i), label, problems)
        if p is not None:
            params.append(p)
    keys = [p.key for p in params]
    for k in {k for k in keys if keys.count(k) > 1}:
        bad(f"key `{k}` is varied twice", "parameters")
    if need_parameters and not params:
        bad("no parameters to vary: add [[study.parameters]] or use --set KEY=VALUES")
    spec = StudySpec(parameters=params)
    design = table.get("design", "factorial")
    if design not in DESIGNS:
        bad(
            f"unknown design {design!r}{suggest(str(design), DESIGNS)} (known: {', '.join(DESIGNS)})",
            "design",
        )
    else:
        spec.design = design
    for name, lo in (("samples", 1), ("seed", 0), ("hours", 1), ("workers", 1)):
        if name in table:
            v = table[name]
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= lo):
                bad(f"expected a whole number >= {lo}, got {v!r}", name)
            else:
                setattr(spec, name, v)
    if "scheduler" in table:
        if not isinstance(table["scheduler"], str):
            bad(f"expected a scheduler address (text), got {table['scheduler']!r}", "scheduler")
        else:
            spec.scheduler = table["scheduler"]
    if "out" in table:
        spec.out = str(table["out"])
    if spec.design == "lhs":
        if "samples" not in table:
            bad("a Latin hypercube needs `samples` (the number of runs)", "samples")
    if spec.design == "zip" and params:
        lengths = {len(p.levels()) for p in params}
        if len(lengths) > 1:
            bad(
                f"design `zip` needs the same number of levels for every parameter, got "
                f"{sorted(lengths)}",
                "parameters",
            )
    if "pareto" in table:
        par = table["pareto"]
        pairs: list[tuple[str, str]] = []
        if isinstance(par, dict):
            for sense in ("minimize", "maximize"):
                v = par.get(sense, [])
                for m in [v] if isinstance(v, str) else v if isinstance(v, list) else []:
                    pairs.append((str(m), "min" if sense == "minimize" else "max"))
            extra = set(par) - {"minimize", "maximize"}
            if extra:
                bad(f"unknown key(s) {sorted(extra)}: use minimize and maximize", "pareto")
        if len(pairs) != 2:
            bad(
                'expected two metrics, e.g. pareto = { minimize = ["lcoh_CAD_per_MWh"], '
                'maximize = ["greenhouse_coverage"] }',
                "pareto",
            )
        else:
            spec.pareto = (pairs[0], pairs[1])
    if "tornado" in table:
        if not isinstance(table["tornado"], str):
            bad(f"expected a metric name, got {table['tornado']!r}", "tornado")
        else:
            spec.tornado = table["tornado"]
    if "metrics" in table:
        m = table["metrics"]
        if not isinstance(m, list) or not all(isinstance(x, str) for x in m):
            bad(f"expected an array of metric names, got {m!r}", "metrics")
        else:
            spec.metrics = m
    if "economics" in table:
        from thermo.economics.assess import validate_economics

        problems.extend(validate_economics(table["economics"], label))
        spec.economics = table["economics"]
    if "optimize" in table:
        from thermo.study.optimize import validate_optimize

        problems.extend(validate_optimize(table["optimize"], params, label))
        spec.optimize = table["optimize"]
    if problems:
        raise CaseError(problems)
    return spec


def _split_commas(text: str) -> list[str]:
    out, buf, depth, quote = [], "", 0, ""
    for ch in text:
        if quote:
            buf += ch
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(buf)
            buf = ""
            continue
        buf += ch
    out.append(buf)
    return [s.strip() for s in out if s.strip()]


_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*(?P<lo>{_NUM})\s*\.\.\s*(?P<hi>{_NUM})(?::(?P<n>\d+))?\s*(?P<unit>.*)$")


def parse_set(items: list[str]) -> list[Parameter]:
    """``--set`` arguments -> parameters.

    ``KEY=V1,V2,...`` (values: numbers, ``true``/``false``, text such as ``2 MW``),
    ``KEY=LOW..HIGH[:STEPS] [UNIT]`` (a range; factorial levels ``STEPS``, default 3).

    Raises
    ------
    CaseError
        Every malformed item.
    """
    problems = []
    params = []
    for item in items:
        if "=" not in item:
            problems.append(
                Problem(
                    f"--set {item!r}: expected KEY=VALUES (e.g. components.hx.ua=1MW/K,2MW/K "
                    "or greenhouse.floor_area=20000..60000:3 m2)",
                    Where("--set"),
                )
            )
            continue
        key, _, spec = item.partition("=")
        key = key.strip()
        m = _RANGE.match(spec)
        if m:
            try:
                lo, hi = float(m.group("lo")), float(m.group("hi"))
            except ValueError:
                m = None
        if m:
            if not lo < hi:
                problems.append(Problem(f"--set {item!r}: range needs LOW < HIGH", Where("--set")))
                continue
            params.append(
                Parameter(
                    key=key,
                    low=lo,
                    high=hi,
                    steps=int(m.group("n") or 3),
                    unit=m.group("unit").strip(),
                )
            )
            continue
        values = [parse_value(v) for v in _split_commas(spec)]
        if not values:
            problems.append(Problem(f"--set {item!r}: no values", Where("--set")))
            continue
        params.append(Parameter(key=key, values=values))
    if problems:
        raise CaseError(problems)
    return params
