"""Fuzz the case-file layer: run mutated copies of every shipped case and count the outcomes.

    python tools/fuzz_cases.py --mutants 2000 [--seed 1] [--workers 2] [--timeout 60]
                               [--memory-mb 2048] [--keep DIR] [--json]

Each mutant is a shipped case (``cases/*.toml``) with one to three mutations: a key deleted,
a value swapped for another type, a unit swapped for one of another dimension, an extreme number
(0, -1, 1e300, nan, inf, 2^63), broken text (truncated file, stray bytes, a broken TOML line),
a huge count (instances, trays), an odd name (NUL, ESC, bidi override, HTML, ``../``, 300
characters) or a hostile unit string (``"2 kW*9**9**9"``). Each runs as ``python -m thermo check
CASE --out DIR -q`` (annual cases with ``--hours 24``) in its own process with a wall-clock
timeout and an address-space limit (``resource.setrlimit(RLIMIT_AS)``).

Outcomes: ``valid`` (exit 0 or 1: solved, checks evaluated), ``clean_error`` (exit 2, no
traceback), ``not_converged`` (exit 3, no traceback), ``traceback`` (a Python traceback on
stderr, any exit code), ``hang`` (over the timeout), ``memory`` (MemoryError or killed by the
limit), plus two flags on converged results: ``nan_in_results`` (NaN/inf/null in a converged
summary) and ``not_conserved`` (converged with mass or energy closure above 1e-6). Prints a JSON
summary; with ``--keep DIR`` every mutant that is not clean is kept there with its stderr.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"

UNITS = ["mm", "m", "kg/s", "L/min", "kPa", "bar", "degC", "K", "kW", "W/K", "K/W", "m/s", "h"]
EXTREME = [0, -1, 1e300, -1e300, 1e-300, math.nan, math.inf, -math.inf, 2**63 - 1, -(2**63), 0.5]
EXTREME_TEXT = [
    "1e300 mm",
    "-1e300 kW",
    "1e-300 m",
    "0 kg/s",
    "-5 K",
    "nan kW",
    "inf m",
    "-300 degC",
]
HOSTILE_UNITS = [
    "2 kW*9**9**9/9**9**9",
    "2 kW)",
    "2 kW/0",
    "2 kW**kW",
    "2 kW*",
    "2 " + "(" * 40 + "kW" + ")" * 40,
    "2 kW" + " x" * 60,
    "2 __import__('os')",
    "2 barg",
]
ODD_NAMES = [
    "a\x00b",
    "a\x1b[31mred",
    "<script>x</script>",
    "a\u202eb",
    "../../x",
    "x" * 300,
    "=cmd",
    "a|b",
    "",
    "é",
    "a.b",
    "{i}",
]
TYPE_SWAPS = [True, 1, 2.5, "text", [], [1, 2], {}, {"a": 1}, "", "1.5"]
BROKEN_LINES = ["=", "[[", "]]]", "x = ", "= 1", "a = 1 2", "k = 'open", '"\\u0000" = 1', "\x00"]


# ----------------------------------------------------------------------------- TOML writer
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(data: dict) -> str:
    """TOML text of ``data``: top-level scalars first, then one table per nested dict, arrays of
    tables as ``[[...]]``; deeper values inline."""
    lines: list[str] = []

    def table(prefix: str, d: dict) -> None:
        scalars = {
            k: v
            for k, v in d.items()
            if not isinstance(v, dict)
            and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v))
        }
        for k, v in scalars.items():
            lines.append(f"{_key(k)} = {_value(v)}")
        for k, v in d.items():
            if k in scalars:
                continue
            name = f"{prefix}.{_key(k)}" if prefix else _key(k)
            if isinstance(v, dict):
                lines.append("")
                lines.append(f"[{name}]")
                table(name, v)
            else:
                for item in v:
                    lines.append("")
                    lines.append(f"[[{name}]]")
                    for ik, iv in item.items():
                        lines.append(f"{_key(ik)} = {_value(iv)}")

    table("", data)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- mutations
def _paths(obj, prefix=()):
    """Every (path, value) in a nested structure."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append(((*prefix, k), v))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.append(((*prefix, i), v))
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get_parent(data, path):
    obj = data
    for p in path[:-1]:
        obj = obj[p]
    return obj


def _set(data, path, value) -> None:
    _get_parent(data, path)[path[-1]] = value


def mutate_data(data: dict, rng: random.Random) -> str:
    """Apply one structural mutation in place; returns its name."""
    paths = _paths(data)
    if not paths:
        return "none"
    kind = rng.choice(
        ["delete", "type", "unit", "extreme", "extreme_text", "count", "name", "hostile_unit"]
    )
    if kind == "delete":
        path, _ = rng.choice(paths)
        parent = _get_parent(data, path)
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    elif kind == "type":
        path, _ = rng.choice(paths)
        _set(data, path, copy.deepcopy(rng.choice(TYPE_SWAPS)))
    elif kind in ("unit", "extreme_text", "hostile_unit"):
        texts = [(p, v) for p, v in paths if isinstance(v, str) and re.match(r"^-?[\d.]", v)]
        if not texts:
            return "none"
        path, v = rng.choice(texts)
        if kind == "unit":
            number = v.split()[0]
            _set(data, path, f"{number} {rng.choice(UNITS)}")
        elif kind == "extreme_text":
            _set(data, path, rng.choice(EXTREME_TEXT))
        else:
            _set(data, path, rng.choice(HOSTILE_UNITS))
    elif kind == "extreme":
        nums = [(p, v) for p, v in paths if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not nums:
            return "none"
        path, _ = rng.choice(nums)
        _set(data, path, rng.choice(EXTREME))
    elif kind == "count":
        counts = [(p, v) for p, v in paths if p[-1] in ("count", "trays", "hours", "batch")]
        if not counts:
            return "none"
        path, _ = rng.choice(counts)
        _set(data, path, rng.choice([0, -1, 100_000, 10_000, 1_000_000_000, 2**63 - 1]))
    elif kind == "name":
        tables = [(p, v) for p, v in paths if isinstance(v, dict) and v]
        tables.append(((), data))
        path, table = rng.choice(tables)
        old = rng.choice(list(table))
        new = rng.choice(ODD_NAMES)
        table[new] = table.pop(old)
    return kind


def mutate_text(text: str, rng: random.Random) -> tuple[str, str]:
    """A text-level mutation: truncation, stray bytes or a broken line."""
    kind = rng.choice(["truncate", "bytes", "line", "deep"])
    if kind == "truncate":
        return text[: rng.randrange(len(text))], kind
    if kind == "bytes":
        pos = rng.randrange(len(text))
        junk = "".join(
            chr(rng.choice([0, 7, 27, 0x202E, 0xFEFF, 0x85, 34, 39, 91, 93])) for _ in range(3)
        )
        return text[:pos] + junk + text[pos:], kind
    if kind == "deep":
        return "deep = " + "[" * 3000 + "]" * 3000 + "\n" + text, kind
    lines = text.splitlines()
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(BROKEN_LINES))
    return "\n".join(lines) + "\n", kind


def make_mutant(name: str, text: str, rng: random.Random) -> tuple[str, list[str]]:
    if rng.random() < 0.15:
        mutated, kind = mutate_text(text, rng)
        return mutated, [kind]
    data = tomllib.loads(text)
    kinds = [mutate_data(data, rng) for _ in range(rng.choice([1, 1, 2, 3]))]
    try:
        return dumps(data), kinds
    except (TypeError, ValueError):  # pragma: no cover - a value the writer cannot express
        return text, ["none"]


# ----------------------------------------------------------------------------- running
def _limit(memory_mb: int):
    def apply() -> None:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _inspect_results(path: Path) -> list[str]:
    flags: list[str] = []
    try:
        text = path.read_text()
        doc = json.loads(text)
    except (OSError, ValueError):
        return flags
    if not doc.get("converged"):
        return flags
    if re.search(r"\bNaN\b|Infinity", text):
        flags.append("nan_in_results")
    summary = doc.get("summary", {})
    if any(v is None for v in summary.values()):
        flags.append("nan_in_results")
    closure = (doc.get("solver") or {}).get("closure") or {}
    annual = doc.get("annual") or {}
    values = [*closure.values()]
    if "closure_rel" in annual:
        values.append(annual["closure_rel"])
    if any(v is None or not math.isfinite(v) or abs(v) > 1e-6 for v in values):
        flags.append("not_conserved")
    return flags


def run_one(job: tuple[int, str, str, list[str]], args, work: Path) -> dict:
    k, base, text, kinds = job
    folder = work / f"m{k:05d}"
    folder.mkdir()
    case = folder / f"{base}.toml"
    case.write_bytes(text.encode("utf-8", "surrogatepass"))
    cmd = [sys.executable, "-m", "thermo", "check", str(case), "--out", str(folder / "out"), "-q"]
    if 'type = "annual"' in text or "annual" in base or "year" in base or "greenhouse" in base:
        cmd += ["--hours", "24"]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=args.timeout,
            cwd=folder,
            env=env,
            preexec_fn=_limit(args.memory_mb),
        )
        rc, err = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, "timeout"
    wall = time.perf_counter() - t0
    if rc is None:
        outcome = "hang"
    elif "MemoryError" in err or rc < 0:
        outcome = "memory"
    elif "Traceback (most recent call last)" in err:
        outcome = "traceback"
    elif rc in (0, 1):
        outcome = "valid"
    elif rc == 2:
        outcome = "clean_error"
    elif rc == 3:
        outcome = "not_converged"
    else:
        outcome = "traceback"
    flags = _inspect_results(folder / "out" / "results.json") if rc in (0, 1) else []
    last = err.strip().splitlines()[-1] if err.strip() else ""
    record = {
        "mutant": k,
        "case": base,
        "mutations": kinds,
        "outcome": outcome,
        "exit": rc,
        "wall_s": round(wall, 2),
        "flags": flags,
        "last_line": last[:300],
    }
    keep = outcome not in ("valid", "clean_error", "not_converged") or flags
    if keep and args.keep:
        dest = Path(args.keep) / f"m{k:05d}_{base}_{outcome}"
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(case, dest / case.name)
        (dest / "stderr.txt").write_text(err)
    shutil.rmtree(folder, ignore_errors=True)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--keep", metavar="DIR", help="keep unclean mutants and their stderr here")
    parser.add_argument("--log", metavar="FILE", help="append one JSON line per mutant")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON (default)")
    parser.add_argument("--cases", nargs="*", help="only these shipped cases")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sources = {p.stem: p.read_text() for p in sorted(CASES.glob("*.toml"))}
    if args.cases:
        sources = {k: v for k, v in sources.items() if k in args.cases}
    names = sorted(sources)
    jobs = []
    for k in range(args.mutants):
        base = names[k % len(names)]
        text, kinds = make_mutant(base, sources[base], rng)
        jobs.append((k, base, text, kinds))
    counts: dict[str, int] = {}
    flags: dict[str, int] = {}
    t0 = time.perf_counter()
    log = open(args.log, "a") if args.log else None  # noqa: SIM115 - closed below
    with tempfile.TemporaryDirectory(prefix="thermo-fuzz-") as tmp:
        with ThreadPoolExecutor(args.workers) as pool:
            for rec in pool.map(lambda j: run_one(j, args, Path(tmp)), jobs):
                counts[rec["outcome"]] = counts.get(rec["outcome"], 0) + 1
                for f in rec["flags"]:
                    flags[f] = flags.get(f, 0) + 1
                if log:
                    log.write(json.dumps(rec) + "\n")
                    log.flush()
    if log:
        log.close()
    summary = {
        "mutants": args.mutants,
        "seed": args.seed,
        "outcomes": counts,
        "flags": flags,
        "wall_s": round(time.perf_counter() - t0, 1),
    }
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    bad = sum(counts.get(k, 0) for k in ("traceback", "hang", "memory"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
