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

The report gives the optimum, the objective, each constraint's value with ``active`` when it
is within 0.5 % of its limit (or violated), variables on a bound, and how many runs it took. The
optimiser stops when its trust region (COBYQA, COBYLA) or simplex is 1 % of the variables'
ranges, or after ``max_runs`` evaluations; the optimum reported is the best feasible run.
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
        lines.append(f"  {self.runs} evaluations, {self.executed} runs executed")
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
    bounds = so.Bounds(np.zeros(len(var)), np.ones(len(var)))
    kwargs: dict[str, Any] = {}
    if method == "cobyqa":
        if cons:
            kwargs["constraints"] = so.NonlinearConstraint(
                lambda u: margins(evaluate(u)), 0.0, np.inf
            )
        kwargs["options"] = {"maxfev": max_runs, "initial_tr_radius": 0.25, "final_tr_radius": 1e-2}
    elif method == "cobyla":
        if cons:
            kwargs["constraints"] = [{"type": "ineq", "fun": lambda u: margins(evaluate(u))}]
        kwargs["options"] = {"maxiter": max_runs, "rhobeg": 0.25, "tol": 1e-2}
    elif method == "nelder-mead":
        kwargs["options"] = {"maxfev": max_runs, "xatol": 1e-2, "fatol": 1e-6}
    else:
        kwargs["options"] = {"maxfev": max_runs, "xtol": 1e-2}
    res = so.minimize(
        objective,
        x0,
        method=method.upper() if method != "nelder-mead" else "Nelder-Mead",
        bounds=bounds,
        **kwargs,
    )
    # the best feasible point evaluated (COBYQA's last iterate need not be the best one seen)
    best_u, best_f = None, math.inf
    for key, row in memo.items():
        if row.get("status") != "ok" or (cons and np.any(margins(row) < -1e-9)):
            continue
        v = metric_of(row, metric)
        if math.isfinite(v) and sign * v < best_f:
            best_f, best_u = sign * v, key
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
    )
