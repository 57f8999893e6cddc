"""Goal seek and optimisation over continuous study inputs (``[study.optimize]``).

.. code-block:: toml

    [study.optimize]
    minimize = "lcoh_CAD_per_MWh"          # or maximize = "..."
    variables = ["components.gh_hx.ua", "components.hp.heating_capacity"]   # ranged parameters
    constraints = [{ metric = "greenhouse_coverage", min = 0.7 }]
    max_runs = 40
    method = "cobyqa"                      # cobyqa (default) | cobyla | nelder-mead | powell

Each evaluation is one run of the case (cached like a sweep's runs, so repeated points and a
previous sweep cost nothing). The default method, COBYQA (Ragonneau & Zhang, scipy >= 1.14), is
derivative-free and keeps to the bounds and the nonlinear constraints -- the annual models are
not smooth (controls saturate, the plant switches stages). Nelder-Mead and Powell take bounds
only; constraints are then added as a quadratic penalty. Variables are scaled to [0, 1] on their
ranges and rounded to 4 significant figures (a run is a case file). Parameters that are not
variables stay at their base level.

The search has three stages, each counted in the report:

1. **start** -- a coarse design over the whole box: the base point and a 3-level grid (0, 1/2, 1
   of each range) when it takes at most a third of ``max_runs``, else a Latin hypercube (seed 0).
   A local method started from the base point alone stops in the basin the base lies in, and on
   an annual model (controls saturate, the plant switches stages: a piecewise-smooth objective
   with 1e-5 wiggles) its trust region shrinks on the wiggles.
2. **local** -- the chosen method from the best start (feasible first, then least violation), its
   first steps half the design's spacing, its last ones 1e-3 of the ranges (``FINAL_RADIUS``;
   stopping at 1 % left the shipped study's optimum 2 % off its constraint), up to the remaining
   ``max_runs``.
3. **polish** -- the optimum of a constrained problem lies on the binding constraint: the best
   feasible run and the nearest better-but-infeasible run bracket it, and up to ``POLISH_RUNS``
   regula-falsi steps on the binding margin close the bracket.

The report gives the optimum (the best feasible run of all stages), the objective, each
constraint's value with ``active`` when it is within 0.5 % of its limit (or violated), variables
on a bound, and how many runs each stage took.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from thermo.case.problems import Problem, Where, suggest
from thermo.study.design import Variant
from thermo.study.spec import Parameter

__all__ = ["validate_optimize", "OptimizeResult", "optimize_case", "METHODS"]

METHODS = ("cobyqa", "cobyla", "nelder-mead", "powell")
OPT_KEYS = ("minimize", "maximize", "variables", "constraints", "max_runs", "method")
ACTIVE_TOL = 0.005
PENALTY = 1e3
FINAL_RADIUS = 1e-3
"""Last step of the local search, as a share of each variable's range."""
POLISH_RUNS = 6
"""Most runs of the polish on the binding constraint, beyond ``max_runs``."""


def start_design(d: int, base: np.ndarray, max_runs: int) -> tuple[list[np.ndarray], float]:
    """Points (scaled to [0, 1]) run before the local search, and their spacing: the base point
    and a 3-level grid (0, 1/2, 1 of each range) when it takes at most a third of ``max_runs``,
    else the base point and a Latin hypercube of ``max(2 d, max_runs // 3)`` points (seed 0,
    :func:`thermo.study.design.latin_hypercube`), spacing the hypercube's stratum width."""
    from itertools import product

    from thermo.study.design import latin_hypercube

    if 3**d <= max_runs // 3:
        pts = [np.array(u, dtype=float) for u in product((0.0, 0.5, 1.0), repeat=d)]
        spacing = 0.5
    else:
        n = max(2 * d, max_runs // 3 - 1)
        pts = [np.asarray(u, dtype=float) for u in latin_hypercube(n, d, seed=0)]
        spacing = 1.0 / n
    return [np.asarray(base, dtype=float), *pts], spacing


def validate_optimize(table: Any, params: list[Parameter], label: str) -> list[Problem]:
    out: list[Problem] = []

    def bad(msg: str, *sub: Any) -> None:
        out.append(Problem(msg, Where(label, ("study", "optimize", *sub))))

    if not isinstance(table, dict):
        return [Problem(f"expected a table, got {table!r}", Where(label, ("study", "optimize")))]
    for k in table:
        if k not in OPT_KEYS:
            bad(f"unknown key `{k}`{suggest(k, OPT_KEYS)} (known: {', '.join(OPT_KEYS)})", k)
    goals = [k for k in ("minimize", "maximize") if k in table]
    if len(goals) != 1:
        bad("give one of `minimize` or `maximize` (a metric name)")
    elif not isinstance(table[goals[0]], str):
        bad(f"expected a metric name, got {table[goals[0]]!r}", goals[0])
    ranged = {p.key: p for p in params if p.continuous}
    names = table.get("variables", list(ranged))
    if not isinstance(names, list) or not names:
        bad("expected a non-empty array of parameter keys with a `range`", "variables")
    else:
        for n in names:
            if n not in ranged:
                bad(
                    f"`{n}` is not a [[study.parameters]] key with a `range`"
                    f"{suggest(str(n), ranged)} (ranged: {', '.join(ranged) or 'none'})",
                    "variables",
                )
    cons = table.get("constraints", [])
    if not isinstance(cons, list):
        bad("expected an array of { metric = ..., min/max = ... }", "constraints")
        cons = []
    for i, c in enumerate(cons):
        ok = isinstance(c, dict) and isinstance(c.get("metric"), str)
        bounds = [k for k in ("min", "max") if isinstance(c, dict) and k in c]
        if not ok or len(bounds) != 1 or not isinstance(c[bounds[0]], (int, float)):
            bad(
                f'expected {{ metric = "name", min = number }} (or max), got {c!r}',
                "constraints",
                i,
            )
    n = table.get("max_runs", 40)
    if not isinstance(n, int) or isinstance(n, bool) or n < 2:
        bad(f"expected a whole number >= 2, got {n!r}", "max_runs")
    m = table.get("method", "cobyqa")
    if m not in METHODS:
        bad(
            f"unknown method {m!r}{suggest(str(m), METHODS)} (known: {', '.join(METHODS)})",
            "method",
        )
    return out


@dataclass
class OptimizeResult:
    """The optimum of a study's objective."""

    success: bool
    """A feasible run was found (the optimum reported is the best feasible run)."""
    message: str
    goal: str
    metric: str
    value: float
    variables: dict[str, Any]
    constraints: list[dict[str, Any]]
    active: list[str]
    runs: int
    """Objective evaluations (each one run of the case, or a cache hit)."""
    executed: int
    """Runs actually executed (the rest came from the cache)."""
    history: list[dict[str, Any]] = field(default_factory=list)
    converged: bool = False
    """The optimiser met its own stopping test (not only the run budget)."""
    stages: dict[str, int] = field(default_factory=dict)
    """Evaluations per stage: ``start`` (the coarse design), ``local`` (the local search),
    ``polish`` (on the binding constraint)."""

    def report(self) -> str:
        state = "converged" if self.converged else "not converged"
        lines = [
            f"optimum ({'best feasible run' if self.success else 'NOT found'}; optimiser "
            f"{state}: {self.message})",
            f"  {self.goal} {self.metric} = {self.value:.6g}",
        ]
        lines += [f"  {k} = {v}" for k, v in self.variables.items()]
        for c in self.constraints:
            flag = " (active)" if c["name"] in self.active else ""
            lines.append(f"  constraint {c['name']}: {c['value']:.6g}{flag}")
        bounds = [a for a in self.active if a.startswith("bound:")]
        lines += [f"  on a {a}" for a in bounds]
        stages = ", ".join(f"{k} {v}" for k, v in self.stages.items())
        lines.append(
            f"  {self.runs} evaluations ({stages}), {self.executed} runs executed"
            if stages
            else f"  {self.runs} evaluations, {self.executed} runs executed"
        )
        return "\n".join(lines)


def _round(x: float) -> float:
    return float(f"{x:.4g}")


def optimize_case(
    case: str | Path,
    *,
    out: str | Path | None = None,
    progress: bool = False,
    allow_paths: Sequence[str | Path] = (),
    **settings: Any,
) -> OptimizeResult:
    """Run ``[study.optimize]`` of ``case`` (see the module docstring); ``allow_paths`` as for
    :func:`thermo.study.sweep`."""
    import scipy.optimize as so

    from thermo.case import load_case
    from thermo.errors import InputError
    from thermo.study.execute import run_study
    from thermo.study.runner import load_study

    settings.pop("design", None)
    settings.pop("samples", None)
    settings.pop("seed", None)
    path, label, spec = load_study(case, None, **settings)
    opt = spec.optimize
    if not opt:
        raise InputError(
            "the case has no [study.optimize] section", key="study.optimize", file=label
        )
    goal = "minimize" if "minimize" in opt else "maximize"
    metric = opt[goal]
    sign = 1.0 if goal == "minimize" else -1.0
    by_key = {p.key: p for p in spec.parameters}
    names = opt.get("variables", [p.key for p in spec.parameters if p.continuous])
    var = [by_key[n] for n in names]
    fixed = [p for p in spec.parameters if p.key not in names]
    cons = opt.get("constraints", [])
    max_runs = int(opt.get("max_runs", 40))
    method = opt.get("method", "cobyqa")
    out_dir = Path(
        out or spec.out or f"results/{load_case(path, allow_paths=allow_paths).name}_study"
    )
    cache = out_dir / "cache"
    memo: dict[tuple, dict] = {}
    history: list[dict[str, Any]] = []
    executed = 0

    def values(u: np.ndarray) -> list[float]:
        return [
            _round(p.low + (p.high - p.low) * float(np.clip(x, 0.0, 1.0)))  # type: ignore[operator]
            for p, x in zip(var, u, strict=True)
        ]

    def evaluate(u: np.ndarray) -> dict:
        nonlocal executed
        vals = values(u)
        key = tuple(vals)
        if key in memo:
            return memo[key]
        inputs: dict[str, Any] = {}
        overrides: dict[str, Any] = {}
        for p, v in zip(var, vals, strict=True):
            inputs[p.key] = v
            overrides.update(p.assign(v))
        for p in fixed:
            inputs[p.key] = p.base_value()
            overrides.update(p.assign(p.base_value()))
        st = run_study(
            path,
            [Variant(len(history), inputs, overrides)],
            hours=spec.hours,
            economics=spec.economics,
            cache_dir=cache,
            workers=1,
            allow_paths=allow_paths,
        )
        executed += st.executed
        row = st.outcomes[0].row
        memo[key] = row
        history.append(
            {
                **inputs,
                **{k: row.get(k) for k in [metric] + [c["metric"] for c in cons]},
                "status": row.get("status"),
            }
        )
        if progress:
            import sys

            # one plain line per run: an optimiser's run count is not known in advance
            print(f"optimise: run {len(history)}: {metric} = {row.get(metric)}", file=sys.stderr)
        return row

    def metric_of(row: dict, name: str) -> float:
        v = row.get(name)
        if row.get("status") != "ok" or not isinstance(v, (int, float)) or not math.isfinite(v):
            return math.nan
        return float(v)

    def margins(row: dict) -> np.ndarray:
        """>= 0 when satisfied (scaled by the limit)."""
        out = []
        for c in cons:
            v = metric_of(row, c["metric"])
            lim = float(c.get("min", c.get("max")))
            scale = max(abs(lim), 1e-12)
            m = (v - lim) / scale if "min" in c else (lim - v) / scale
            out.append(-1.0 if math.isnan(m) else m)
        return np.asarray(out)

    def objective(u: np.ndarray) -> float:
        row = evaluate(u)
        v = metric_of(row, metric)
        f = sign * v if math.isfinite(v) else PENALTY
        if method in ("nelder-mead", "powell") and cons:
            viol = np.minimum(margins(row), 0.0)
            f += PENALTY * float(np.sum(viol**2)) * max(abs(f), 1.0)
        return f

    x0 = np.array(
        [(float(p.base_value()) - p.low) / (p.high - p.low) for p in var]  # type: ignore[operator]
    )

    def violation(row: dict) -> float:
        return float(np.sum(np.minimum(margins(row), 0.0) ** 2)) if cons else 0.0

    # 1. a coarse start design over the whole box (a local method from the base point alone
    #    stops in whatever basin the base lies in, and its trust region shrinks on noise)
    starts, spacing = start_design(len(var), x0, max_runs)
    for u in starts:
        evaluate(u)

    def rank(u: tuple) -> tuple[float, float]:
        row = memo[u]
        v = metric_of(row, metric)
        return (violation(row), sign * v if math.isfinite(v) else math.inf)

    best_key = min(memo, key=rank)
    u_start = np.array(
        [(v - p.low) / (p.high - p.low) for p, v in zip(var, best_key, strict=True)]  # type: ignore[operator]
    )
    # 2. local refinement from the best start, its first steps half the design's spacing, its
    #    last ones 1e-3 of the ranges (finer than 1 %: the optimum of a constrained problem lies
    #    on the constraint, and stopping at 1 % left it off there)
    left = max(max_runs - len(memo), 2)
    bounds = so.Bounds(np.zeros(len(var)), np.ones(len(var)))
    kwargs: dict[str, Any] = {}
    r0 = max(spacing / 2, 10 * FINAL_RADIUS)
    if method == "cobyqa":
        if cons:
            kwargs["constraints"] = so.NonlinearConstraint(
                lambda u: margins(evaluate(u)), 0.0, np.inf
            )
        kwargs["options"] = {
            "maxfev": left,
            "initial_tr_radius": r0,
            "final_tr_radius": FINAL_RADIUS,
            "scale": False,
        }
    elif method == "cobyla":
        if cons:
            kwargs["constraints"] = [{"type": "ineq", "fun": lambda u: margins(evaluate(u))}]
        kwargs["options"] = {"maxiter": left, "rhobeg": r0, "tol": FINAL_RADIUS}
    elif method == "nelder-mead":
        kwargs["options"] = {"maxfev": left, "xatol": FINAL_RADIUS, "fatol": 1e-9}
    else:
        kwargs["options"] = {"maxfev": left, "xtol": FINAL_RADIUS}
    res = so.minimize(
        objective,
        u_start,
        method=method.upper() if method != "nelder-mead" else "Nelder-Mead",
        bounds=bounds,
        **kwargs,
    )
    local_runs = len(memo) - len(set(map(tuple, map(values, starts))))

    def to_unit(key: tuple) -> np.ndarray:
        return np.array(
            [(v - p.low) / (p.high - p.low) for p, v in zip(var, key, strict=True)]  # type: ignore[operator]
        )

    def best_feasible() -> tuple[tuple | None, float]:
        # the best feasible point evaluated (COBYQA's last iterate need not be the best one seen)
        best_u, best_f = None, math.inf
        for key, row in memo.items():
            if row.get("status") != "ok" or (cons and np.any(margins(row) < -1e-9)):
                continue
            v = metric_of(row, metric)
            if math.isfinite(v) and sign * v < best_f:
                best_f, best_u = sign * v, key
        return best_u, best_f

    # 3. polish on the binding constraint: the best feasible point and the nearest evaluated point
    #    that is better but infeasible bracket the constraint; step to where the binding margin
    #    interpolates to zero (regula falsi), which narrows the bracket whichever side it lands
    polish_runs = 0
    while cons and polish_runs < POLISH_RUNS:
        key_ok, f_ok = best_feasible()
        if key_ok is None:
            break
        u_ok = to_unit(key_ok)
        better = [
            k
            for k, row in memo.items()
            if row.get("status") == "ok"
            and np.any(margins(row) < -1e-9)
            and sign * metric_of(row, metric) < f_ok
        ]
        if not better:
            break
        key_bad = min(better, key=lambda k: float(np.max(np.abs(to_unit(k) - u_ok))))
        u_bad = to_unit(key_bad)
        if float(np.max(np.abs(u_bad - u_ok))) <= FINAL_RADIUS:
            break
        m_bad = margins(memo[key_bad])
        j = int(np.argmin(m_bad))
        m_ok = float(margins(memo[key_ok])[j])
        t = m_ok / (m_ok - float(m_bad[j])) if m_ok > float(m_bad[j]) else 0.5
        u_new = u_ok + float(np.clip(t, 0.1, 0.9)) * (u_bad - u_ok)
        if tuple(values(u_new)) in memo:
            break
        evaluate(u_new)
        polish_runs += 1
    best_u, best_f = best_feasible()
    if progress:
        import sys

        print(file=sys.stderr)
    if best_u is None:
        return OptimizeResult(
            False,
            f"no feasible run found ({res.message})",
            goal,
            metric,
            math.nan,
            {},
            [],
            [],
            len(memo),
            executed,
            history,
        )
    row = memo[best_u]
    variables = {p.key: p.text(v) for p, v in zip(var, best_u, strict=True)}
    active = []
    cons_out = []
    for c, m in zip(cons, margins(row), strict=True):
        name = f"{c['metric']} {'>=' if 'min' in c else '<='} {c.get('min', c.get('max'))}"
        cons_out.append({"name": name, "value": metric_of(row, c["metric"]), "margin": float(m)})
        if m <= ACTIVE_TOL:
            active.append(name)
    for p, v in zip(var, best_u, strict=True):
        if abs(v - p.low) <= 1e-3 * (p.high - p.low):  # type: ignore[operator]
            active.append(f"bound: {p.key} at its lower bound {p.text(p.low)}")
        elif abs(v - p.high) <= 1e-3 * (p.high - p.low):  # type: ignore[operator]
            active.append(f"bound: {p.key} at its upper bound {p.text(p.high)}")
    return OptimizeResult(
        True,
        str(res.message),
        goal,
        metric,
        sign * best_f,
        variables,
        cons_out,
        active,
        len(memo),
        executed,
        history,
        bool(res.success),
        {"start": len(memo) - local_runs - polish_runs, "local": local_runs, "polish": polish_runs},
    )
