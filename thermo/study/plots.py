"""Study plots: a metric against each input, the Pareto front of two metrics, a tornado chart of
one-at-a-time sensitivities. Each function returns the data it plotted (for tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["pareto_front", "tornado_data", "plot_metric_vs_inputs", "plot_pareto", "plot_tornado"]


def pareto_front(x: np.ndarray, y: np.ndarray, senses: tuple[str, str]) -> np.ndarray:
    """Indices of the non-dominated points (``senses``: "min" or "max" per axis), by x."""
    x = np.asarray(x, float) * (1 if senses[0] == "min" else -1)
    y = np.asarray(y, float) * (1 if senses[1] == "min" else -1)
    ok = np.isfinite(x) & np.isfinite(y)
    idx = np.flatnonzero(ok)
    front = []
    for i in idx:
        dominated = np.any(
            (x[idx] <= x[i]) & (y[idx] <= y[i]) & ((x[idx] < x[i]) | (y[idx] < y[i]))
        )
        if not dominated:
            front.append(i)
    front = np.asarray(front, dtype=int)
    return front[np.argsort(x[front], kind="stable")] if len(front) else front


def tornado_data(df: Any, inputs: list[str], metric: str, base: dict[str, Any]) -> dict:
    """For each input: the metric's (low, high) over the runs where every *other* input is at its
    base level, and the base value. Inputs with no such runs are left out."""
    ok = df[df["status"] == "ok"]
    at_base = np.ones(len(ok), bool)
    for k in inputs:
        at_base &= (ok[k] == base[k]).to_numpy()
    if not at_base.any() or metric not in ok:
        return {}
    centre = float(ok[metric].to_numpy()[at_base][0])
    out = {"base": centre, "bars": {}}
    for k in inputs:
        mask = np.ones(len(ok), bool)
        for j in inputs:
            if j != k:
                mask &= (ok[j] == base[j]).to_numpy()
        vals = ok[metric].to_numpy()[mask].astype(float)
        if len(vals) > 1:
            out["bars"][k] = (float(np.nanmin(vals)), float(np.nanmax(vals)))
    return out


def _fig():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def plot_metric_vs_inputs(df: Any, inputs: list[str], metric: str, path: Path) -> dict:
    plt = _fig()
    ok = df[df["status"] == "ok"]
    fig, axes = plt.subplots(1, len(inputs), figsize=(4 * len(inputs), 3.4), squeeze=False)
    data = {}
    for ax, k in zip(axes[0], inputs, strict=True):
        x = ok[k].to_numpy()
        y = ok[metric].to_numpy(dtype=float)
        ax.plot(x, y, "o", ms=4)
        ax.set_xlabel(k)
        ax.set_ylabel(metric)
        ax.grid(alpha=0.3)
        data[k] = (x, y)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return data


def plot_pareto(df: Any, pair: tuple[tuple[str, str], tuple[str, str]], path: Path) -> np.ndarray:
    plt = _fig()
    (mx, sx), (my, sy) = pair
    ok = df[df["status"] == "ok"].reset_index(drop=True)
    x = ok[mx].to_numpy(dtype=float)
    y = ok[my].to_numpy(dtype=float)
    front = pareto_front(x, y, (sx, sy))
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.plot(x, y, "o", color="0.65", ms=4, label="runs")
    ax.plot(x[front], y[front], "o-", color="C3", ms=5, label="Pareto front")
    for i in front:
        ax.annotate(
            str(int(ok["run"][i])),
            (x[i], y[i]),
            fontsize=7,
            xytext=(3, 3),
            textcoords="offset points",
        )
    ax.set_xlabel(f"{mx} ({'lower' if sx == 'min' else 'higher'} is better)")
    ax.set_ylabel(f"{my} ({'lower' if sy == 'min' else 'higher'} is better)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return ok["run"].to_numpy()[front]


def plot_tornado(data: dict, metric: str, path: Path) -> None:
    plt = _fig()
    bars = sorted(data["bars"].items(), key=lambda kv: kv[1][1] - kv[1][0])
    fig, ax = plt.subplots(figsize=(6, 0.6 * len(bars) + 1.4))
    base = data["base"]
    for i, (_k, (lo, hi)) in enumerate(bars):
        ax.barh(i, hi - lo, left=lo, color="C0", alpha=0.8)
    ax.axvline(base, color="k", lw=1)
    ax.set_yticks(range(len(bars)), [k for k, _ in bars])
    ax.set_xlabel(f"{metric} (line: base run)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
