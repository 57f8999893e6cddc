"""Run a study: validate every run first, then run what the cache does not hold, on Dask.

Execution (:func:`run_study`):

- ``workers=1`` (or ``scheduler="serial"``): in this process, one run after the other.
- default: a Dask ``distributed.LocalCluster`` of ``workers`` single-threaded worker processes
  (all cores when not given) -- no set-up.
- ``scheduler="tcp://host:8786"``: the same runs on an existing Dask cluster; every worker needs
  the same thermo version installed (see docs/studies.md). A ``distributed.Client`` may also be
  passed as ``client``.

Each run is independent and deterministic. A run that raises is recorded (status and error) and
the study goes on. A finished run is cached as ``cache/<key>.json`` under the output folder, the
key being the SHA-256 of the case file and its includes, the run's overrides, the hours, the
weather file's content, the thermo version and a digest of the installed package's source
(:func:`source_digest`: every ``thermo/**/*.py`` and shipped case file, so a code change at the same
version does not reuse results of the old code): an interrupted or extended study runs only what
is new, and a finished study re-runs nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
import tomllib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thermo import __version__
from thermo.case.problems import CaseError, Problem, Where
from thermo.study.design import Variant

__all__ = [
    "RunOutcome",
    "StudyRun",
    "validate_variants",
    "cache_key",
    "source_digest",
    "run_one",
    "run_study",
]

NOT_METRICS = {"wall_s"}
"""Summary keys that are not results of the design (timings differ between runs of one design)."""


@dataclass
class RunOutcome:
    """What one run gave: its row of the table (inputs are added by the caller) and timing."""

    key: str
    row: dict[str, Any]
    wall_s: float
    cached: bool = False


@dataclass
class StudyRun:
    """A finished study: one outcome per variant, in variant order."""

    variants: list[Variant]
    outcomes: list[RunOutcome]
    wall_s: float
    validate_s: float
    executed: int
    workers: int
    scheduler: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> int:
        return sum(o.row.get("status") != "ok" for o in self.outcomes)


# ----------------------------------------------------------------------------- validation
def _label(v: Variant) -> str:
    text = ", ".join(f"{k}={_show(x)}" for k, x in v.inputs.items())
    return f"run {v.index} ({text})"


def _show(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def validate_variants(
    case_path: Path,
    variants: list[Variant],
    economics: dict | None = None,
    allow_paths: Sequence[str | Path] = (),
) -> None:
    """Load and build every variant (and price its equipment); raise one :class:`CaseError`
    listing every problem.

    A problem found in every run (e.g. a misspelt key) is listed once, with the runs it occurs in.
    """
    import warnings

    from thermo.case import build_network, load_case
    from thermo.errors import InputError
    from thermo.study.keys import apply_overrides

    found: dict[str, list[str]] = {}
    text = case_path.read_text(encoding="utf-8")
    for v in variants:
        try:
            case = load_case(case_path, v.overrides, allow_paths=allow_paths)
            build_network(case)
        except CaseError as exc:
            for p in exc.problems:
                found.setdefault(str(p), []).append(_label(v))
            continue
        except InputError as exc:
            found.setdefault(str(exc), []).append(_label(v))
            continue
        if economics:
            from thermo.economics.assess import evaluate

            data = tomllib.loads(text)
            apply_overrides(data, v.overrides, str(case_path))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    evaluate(economics, data, {}, None)
            except (InputError, KeyError, ValueError, TypeError) as exc:
                found.setdefault(f"study.economics: {exc}", []).append(_label(v))
    if found:
        problems = []
        for text, runs in found.items():
            where = runs[0] if len(runs) == 1 else f"{runs[0]} and {len(runs) - 1} more runs"
            if len(runs) == len(variants) and len(runs) > 1:
                where = f"all {len(runs)} runs"
            problems.append(Problem(f"{text} [{where}]", Where(None)))
        raise CaseError(problems)


# ----------------------------------------------------------------------------- cache
_weather_digest: dict[str, str] = {}
_source_digest: list[str] = []


def source_digest(refresh: bool = False) -> str:
    """SHA-256 of the thermo package's source as installed: every ``*.py`` under the package and
    every shipped case file (names and contents, in sorted order). Computed once per process
    (about 10 ms for ~2 MB); ``refresh`` recomputes it (tests)."""
    if _source_digest and not refresh:
        return _source_digest[0]
    from thermo.case.shipped import case_folders

    package = Path(__file__).resolve().parents[1]
    files = sorted(package.rglob("*.py"))
    for folder in case_folders():
        files += sorted(folder.glob("*.toml"))
    h = hashlib.sha256()
    for f in files:
        try:
            data = f.read_bytes()
        except OSError:
            continue
        h.update(f"{f.name}\0{len(data)}\0".encode())
        h.update(data)
    _source_digest[:] = [h.hexdigest()]
    return _source_digest[0]


def _files_of(case_path: Path) -> list[Path]:
    files, todo = [case_path.resolve()], [case_path.resolve()]
    while todo:
        path = todo.pop()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        inc = data.get("include", [])
        for rel in [inc] if isinstance(inc, str) else inc if isinstance(inc, list) else []:
            p = (path.parent / str(rel)).resolve()
            if p not in files:
                files.append(p)
                todo.append(p)
    return files


def _weather_file(case_path: Path, overrides: dict[str, Any]) -> str:
    data = tomllib.loads(case_path.read_text(encoding="utf-8"))
    w = overrides.get("scenario.weather", data.get("scenario", {}).get("weather"))
    if not isinstance(w, str):
        return ""
    if w in _weather_digest:
        return _weather_digest[w]
    digest = w
    p = (case_path.parent / w) if not Path(w).is_absolute() else Path(w)
    if not p.is_file():
        try:
            from thermo.climate.epw import shipped_weather_path

            p = shipped_weather_path(w)
        except Exception:
            p = Path()
    if p.is_file():
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
    _weather_digest[w] = digest
    return digest


def cache_key(
    case_path: Path,
    overrides: dict[str, Any],
    hours: int | None,
    economics: dict | None = None,
    *,
    _files: list[Path] | None = None,
) -> str:
    """SHA-256 of everything a run's result depends on (see the module docstring)."""
    h = hashlib.sha256()
    h.update(f"thermo {__version__} {source_digest()}\n".encode())
    for f in _files if _files is not None else _files_of(case_path):
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(str(f).encode())
    h.update(json.dumps(overrides, sort_keys=True, default=str).encode())
    h.update(
        json.dumps({"hours": hours, "economics": economics}, sort_keys=True, default=str).encode()
    )
    h.update(_weather_file(case_path, overrides).encode())
    return h.hexdigest()[:32]


# ----------------------------------------------------------------------------- one run
def run_one(
    case_path: str,
    overrides: dict[str, Any],
    hours: int | None,
    economics: dict | None = None,
    allow_paths: Sequence[str] = (),
) -> dict[str, Any]:
    """Load, solve and summarise one variant; never raises (a failure is a row with its error).

    Runs in a worker process: imports inside, plain data in and out.
    """
    import warnings

    t0 = time.perf_counter()
    row: dict[str, Any] = {"status": "ok", "error": ""}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            from thermo.case import load_case, run_case

            case = load_case(case_path, overrides, allow_paths=allow_paths)
            h = hours if case.scenario.kind == "annual" else None
            run = run_case(case, hours=h)
            row["converged"] = bool(run.converged)
            for k, v in run.summary.items():
                if k not in NOT_METRICS and isinstance(v, (int, float)):
                    row[k] = float(v)
            row["checks_passed"] = sum(c.passed for c in run.checks)
            row["checks_failed"] = sum(not c.passed for c in run.checks)
            row["failed_checks"] = "; ".join(c.check.name for c in run.checks if not c.passed)
            flags = run.result.flags if run.result is not None else []
            row["flags"] = len(flags)
            if economics:
                from thermo.economics.assess import evaluate

                data = tomllib.loads(Path(case_path).read_text(encoding="utf-8"))
                from thermo.study.keys import apply_overrides

                apply_overrides(data, overrides, str(case_path))
                n_hours = int(run.annual["hours"]) if run.annual else None
                row.update(evaluate(economics, data, row, n_hours))
        except Exception as exc:  # noqa: BLE001 - a failed run is a result, the study goes on
            from thermo.errors import ConvergenceError

            row["status"] = "not converged" if isinstance(exc, ConvergenceError) else "failed"
            row["error"] = f"{type(exc).__name__}: {exc}".strip()
            if not isinstance(exc, (ConvergenceError, ValueError)):
                row["error"] += " | " + traceback.format_exc(limit=3).splitlines()[-1]
    row["warnings"] = len(caught)
    row["_wall_s"] = time.perf_counter() - t0
    return row


# ----------------------------------------------------------------------------- the study
class _Progress:
    """Runs done, failed, remaining and the estimated time left, through thermo.progress (a bar on
    a terminal, a plain line every few seconds in a log: never a carriage return there)."""

    def __init__(self, total: int, enabled: bool) -> None:
        from thermo.progress import Progress

        self.total = total
        self.done = self.failed = 0
        self.t0 = time.perf_counter()
        self.bar = Progress(total, "run", enabled=enabled and total > 0)

    def step(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        left = self.total - self.done
        elapsed = time.perf_counter() - self.t0
        eta = f", ETA {elapsed / self.done * left:.0f} s" if left else ""
        self.bar.update(self.done, f"{self.failed} failed, {left} remaining{eta}")


def _read_cache(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_study(
    case_path: str | Path,
    variants: list[Variant],
    *,
    hours: int | None = None,
    economics: dict | None = None,
    cache_dir: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    progress: bool = False,
    validate: bool = True,
    on_result: Callable[[Variant, RunOutcome], None] | None = None,
    allow_paths: Sequence[str | Path] = (),
) -> StudyRun:
    """Validate, then run every variant not in the cache; returns outcomes in variant order.

    Raises
    ------
    CaseError
        Before anything runs: every problem of every variant.
    """
    t0 = time.perf_counter()
    case_path = Path(case_path).resolve()
    files = _files_of(case_path)
    keys = [cache_key(case_path, v.overrides, hours, economics, _files=files) for v in variants]
    cdir = Path(cache_dir) if cache_dir is not None else None
    outcomes: dict[int, RunOutcome] = {}
    if cdir is not None:
        for v, key in zip(variants, keys, strict=True):
            hit = _read_cache(cdir / f"{key}.json")
            if hit is not None:
                outcomes[v.index] = RunOutcome(key, hit["row"], hit["wall_s"], cached=True)
    todo = [(v, k) for v, k in zip(variants, keys, strict=True) if v.index not in outcomes]
    if validate and todo:
        validate_variants(case_path, [v for v, _ in todo], economics, allow_paths)
    t_valid = time.perf_counter() - t0
    bar = _Progress(len(todo), progress)
    allow = [str(Path(a).resolve()) for a in allow_paths]

    def finish(v: Variant, key: str, row: dict) -> None:
        wall = float(row.pop("_wall_s", math.nan))
        out = RunOutcome(key, row, wall)
        outcomes[v.index] = out
        if cdir is not None and row.get("status") == "ok":
            cdir.mkdir(parents=True, exist_ok=True)
            tmp = cdir / f"{key}.json.tmp"
            tmp.write_text(json.dumps({"row": row, "wall_s": wall, "overrides": v.overrides}))
            os.replace(tmp, cdir / f"{key}.json")
        bar.step(row.get("status") == "ok")
        if on_result is not None:
            on_result(v, out)

    n_workers = 1
    where = "serial"
    if todo:
        serial = client is None and (scheduler == "serial" or (scheduler is None and workers == 1))
        if serial:
            for v, key in todo:
                finish(v, key, run_one(str(case_path), v.overrides, hours, economics, allow))
        else:
            n_workers, where = _run_dask(
                case_path, todo, hours, economics, workers, scheduler, client, finish, allow
            )
    ordered = [outcomes[v.index] for v in variants]
    return StudyRun(
        variants=variants,
        outcomes=ordered,
        wall_s=time.perf_counter() - t0,
        validate_s=t_valid,
        executed=len(todo),
        workers=n_workers,
        scheduler=where,
    )


def _run_dask(case_path, todo, hours, economics, workers, scheduler, client, finish, allow):
    import logging

    from distributed import Client, LocalCluster, as_completed

    cluster = None
    own = client is None
    if own:
        if scheduler:
            client = Client(scheduler)
        else:
            n = workers or os.cpu_count() or 1
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    try:
        n_workers = len(client.scheduler_info()["workers"])
        where = client.scheduler.address if scheduler or not own else "local processes"
        futures = {}
        for v, key in todo:
            f = client.submit(
                run_one,
                str(case_path),
                v.overrides,
                hours,
                economics,
                allow,
                key=f"thermo-run-{key}",
                pure=False,
            )
            futures[f] = (v, key)
        for f in as_completed(futures):
            v, key = futures[f]
            try:
                row = f.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker is a failed run
                row = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
            finish(v, key, row)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    return n_workers, where
