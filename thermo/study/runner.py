"""One entry point for a sweep: read the study, make the runs, execute, write table and plots."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo.study.design import Variant, variants
from thermo.study.execute import StudyRun, run_study
from thermo.study.spec import Parameter, StudySpec, read_study

__all__ = ["SweepResult", "load_study", "sweep"]


@dataclass
class SweepResult:
    spec: StudySpec
    study: StudyRun
    table: Any
    out: Path | None
    written: list[Path] = field(default_factory=list)
    pareto_runs: list[int] = field(default_factory=list)

    @property
    def variants(self) -> list[Variant]:
        return self.study.variants


def load_study(
    case: str | Path, parameters: list[Parameter] | None = None, **settings: Any
) -> tuple[Path, str, StudySpec]:
    """The case file, its label and its study: ``[study]`` of the file, with ``parameters``
    (from ``--set``) replacing its parameters and ``settings`` (design, samples, seed, hours,
    workers, scheduler, out) replacing its settings when not None."""
    from thermo.case.loader import resolve_case

    path, label = resolve_case(case)
    spec = read_study(path, label, need_parameters=not parameters)
    if parameters:
        spec.parameters = parameters
        if spec.design == "zip" and len({len(p.levels()) for p in parameters}) > 1:
            spec.design = "factorial"
    for k, v in settings.items():
        if v is not None:
            setattr(spec, k, v)
    return path, label, spec


def sweep(
    case: str | Path,
    parameters: list[Parameter] | None = None,
    *,
    out: str | Path | None = None,
    plots: bool = True,
    progress: bool = False,
    client: Any = None,
    cache: bool = True,
    allow_paths: Sequence[str | Path] = (),
    **settings: Any,
) -> SweepResult:
    """Run the design study of ``case`` (its ``[study]`` and/or ``parameters``).

    Writes ``study.csv``, ``study.parquet``, ``study.json`` (settings, timings, failures) and the
    plots into ``out`` (default: the study's ``out``, else ``results/<case>_study``); finished runs
    are cached in ``out/cache``. ``allow_paths``: folders outside the case's own folder tree
    that its includes and data files may be read from (as ``thermo run --allow-path``).
    """
    from thermo.case import load_case
    from thermo.study.table import study_table, write_table

    path, label, spec = load_study(case, parameters, **settings)
    runs = variants(spec)
    name = load_case(path, allow_paths=allow_paths).name if out is None and spec.out is None else ""
    out_dir = Path(out or spec.out or f"results/{name}_study")
    study = run_study(
        path,
        runs,
        hours=spec.hours,
        economics=spec.economics,
        cache_dir=out_dir / "cache" if cache else None,
        workers=spec.workers,
        scheduler=spec.scheduler,
        client=client,
        progress=progress,
        allow_paths=allow_paths,
    )
    t0 = time.perf_counter()
    df = study_table(study)
    previous = _read_text(out_dir / "study.csv")
    written = write_table(df, out_dir)
    res = SweepResult(spec, study, df, out_dir, written)
    unchanged = study.executed == 0 and previous == _read_text(out_dir / "study.csv")
    old_info = _read_json(out_dir / "study.json") if unchanged else {}
    if (
        plots
        and unchanged
        and old_info.get("plots")
        and all((out_dir / p).exists() for p in old_info["plots"])
    ):
        # the same table as last time: its plots are already there
        res.written += [out_dir / p for p in old_info["plots"]]
        res.pareto_runs = list(old_info.get("pareto_runs", []))
    elif plots:
        res.written += _plots(res)
    info = {
        "case": label,
        "design": spec.design,
        "runs": len(runs),
        "executed": study.executed,
        "cached": len(runs) - study.executed,
        "failed": study.failed,
        "workers": study.workers,
        "scheduler": study.scheduler,
        "wall_s": study.wall_s,
        "validate_s": study.validate_s,
        "run_wall_s": [o.wall_s for o in study.outcomes],
        "pareto_runs": res.pareto_runs,
        "plots": [p.name for p in res.written if p.suffix == ".png"],
        "failures": {
            int(v.index): o.row.get("error", "")
            for v, o in zip(study.variants, study.outcomes, strict=True)
            if o.row.get("status") != "ok"
        },
    }
    (out_dir / "study.json").write_text(json.dumps(info, indent=2, default=str))
    res.written.append(out_dir / "study.json")
    study.extra["write_s"] = time.perf_counter() - t0
    return res


def _plots(res: SweepResult) -> list[Path]:
    from thermo.study.plots import (
        plot_metric_vs_inputs,
        plot_pareto,
        plot_tornado,
        tornado_data,
    )

    df, spec, out = res.table, res.spec, res.out
    assert out is not None
    ok = df[df["status"] == "ok"]
    if ok.empty:
        return []
    inputs = [p.key for p in spec.parameters if _numeric(ok[p.key])]
    written = []
    metrics = [m for m in spec.metrics if m in ok]
    if not metrics and spec.pareto:
        metrics = [m for m, _ in spec.pareto if m in ok]
    for m in metrics:
        if inputs:
            p = out / f"{_safe(m)}_vs_inputs.png"
            plot_metric_vs_inputs(df, inputs, m, p)
            written.append(p)
    if spec.pareto and all(m in ok for m, _ in spec.pareto):
        p = out / "pareto.png"
        res.pareto_runs = [int(i) for i in plot_pareto(df, spec.pareto, p)]
        written.append(p)
    if spec.tornado and spec.tornado in ok:
        base = {pp.key: pp.base_value() for pp in spec.parameters}
        data = tornado_data(df, [pp.key for pp in spec.parameters], spec.tornado, base)
        if data and data["bars"]:
            p = out / "tornado.png"
            plot_tornado(data, spec.tornado, p)
            written.append(p)
        else:
            print(
                "note: no tornado chart: the design has no one-at-a-time runs around the base "
                '(use design = "oat", or odd numbers of factorial levels)',
                file=sys.stderr,
            )
    return written


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _numeric(col: Any) -> bool:
    import pandas as pd

    return pd.api.types.is_numeric_dtype(col)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in name)
