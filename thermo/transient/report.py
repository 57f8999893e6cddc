"""Files and console lines of a transient case run: time-series CSV, plots, headline."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

import numpy as np

__all__ = ["write_transient", "print_transient", "plot_transient"]


def write_transient(result: Any, out_dir: Path, *, plots: bool = True) -> list[Path]:
    """``transient.csv`` (one row per output time) and, with ``plots``, ``transient.png``."""
    path = out_dir / "transient.csv"
    cols = list(result.series)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for k in range(len(result.times)):
            w.writerow([f"{float(result.series[c][k]):.10g}" for c in cols])
    written = [path]
    if plots:
        written.append(plot_transient(result, out_dir / "transient.png"))
    return written


def plot_transient(result: Any, path: Path) -> Path:
    """Four panels against time: hottest case temperature and its limit, loop temperatures,
    pump and branch flows, pump speeds. Returns the path written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = result.series
    t = result.times
    fig, axes = plt.subplots(4, 1, figsize=(8, 10), sharex=True)
    ax = axes[0]
    if "hottest_case_C" in s:
        ax.plot(t, s["hottest_case_C"], label="hottest case")
        lim = s["hottest_case_C"] + s["least_case_margin_K"]
        ax.plot(t, lim, "r--", label="limit (least margin)")
    if result.first_break is not None:
        ax.axvline(result.first_break["time_s"], color="r", lw=0.8)
    ax.set_ylabel("°C")
    ax.legend(loc="best", fontsize=8)
    ax.set_title("case temperature")
    ax = axes[1]
    for c in s:
        if c.startswith("T_") and c.endswith("_C"):
            ax.plot(t, s[c], label=c[2:-2])
    ax.set_ylabel("°C")
    ax.set_title("loop temperatures")
    if ax.lines:
        ax.legend(loc="best", fontsize=8)
    ax = axes[2]
    for c in s:
        if c.startswith("flow_"):
            ax.plot(t, s[c], label=c[5:-6])
    ax.set_ylabel("L/min")
    ax.set_title("flows")
    if ax.lines:
        ax.legend(loc="best", fontsize=8)
    ax = axes[3]
    for c in s:
        if c.startswith("speed_"):
            ax.plot(t, s[c], label=c[6:])
    ax.set_ylabel("relative speed")
    ax.set_xlabel("time [s]")
    ax.set_title("pump speed")
    if ax.lines:
        ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def print_transient(result: Any, stream: TextIO) -> None:
    """Headline lines: steps, ride-through, hottest case, supply ripple, energy ledger."""
    L = result.ledger
    stream.write(
        f"  transient: {result.times[-1]:g} s simulated in {result.steps} steps "
        f"({result.rejected} rejected, {result.newton_per_step:.2f} Newton iterations per step), "
        f"{result.wall_s:.2f} s\n"
    )
    if getattr(result, "plug_flow", None):
        stream.write(
            f"  plug-flow delay pipes     {', '.join(result.plug_flow)} (exact transport delay; "
            "backward-Euler steps)\n"
        )
    for e in result.events:
        why = ""
        if "condition" in e:
            why = f" (when {e['condition']}: met at {e['condition_met_s']:.4g} s)"
        stream.write(f"    event at {e['time_s']:.4g} s: {e['label']}{why}\n")
    for label in getattr(result, "conditions_not_met", []):
        stream.write(f"    condition never met: {label}\n")
    if result.max_case:
        m = result.max_case
        stream.write(
            f"  hottest case temperature  {m['T_case_C']:.2f} °C ({m['name']} at {m['time_s']:.4g} s)\n"
        )
    if result.first_break is not None:
        fb = result.first_break
        stream.write(
            f"  ride-through time         {result.ride_through_s:.3g} s "
            f"({fb['what']} reaches {fb['limit_C']:.4g} °C at {fb['time_s']:.4g} s)\n"
        )
    elif result.events:
        stream.write("  ride-through time         no limit broken during the run\n")
    t = np.asarray(result.times)
    late = t >= t[-1] - (t[-1] - max((e["time_s"] for e in result.events), default=0.0)) / 2
    for c in result.series:
        if c.startswith("T_") and c.endswith("_C") and "layer" not in c:
            v = np.asarray(result.series[c])
            r = v[late]
            stream.write(
                f"  {c[2:-2]:<24}  {v.min():.2f} .. {v.max():.2f} °C; ripple "
                f"{r.max() - r.min():.3f} K peak to peak (last half after the events)\n"
            )
    stream.write(
        f"  energy ledger             in {L['heat_in_J'] / 3.6e6:.6g} kWh, out "
        f"{L['heat_out_J'] / 3.6e6:.6g} kWh, stored {L['stored_change_J'] / 3.6e6:+.6g} kWh, "
        f"imbalance {L['imbalance_relative']:.1e} (limit 1e-6)\n"
    )
    for f in result.flags:
        stream.write(f"  FLAG {f}\n")
