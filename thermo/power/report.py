"""Console lines, CSV and plots of a ``[power]`` run.

Plots: ``power_timeseries.png`` (IT power, grid draw and battery state of charge),
``power_ramp_histogram.png`` (grid ramp rates with and without the storage, the limit marked),
``power_energy_balance.png`` (the day's energy from the grid to the IT load, losses by stage).
``power.csv`` holds one-minute means of the series (the full-resolution run is in memory only).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TextIO

import numpy as np

__all__ = ["print_power", "write_power_outputs"]


def _mw(w: float) -> str:
    return f"{w / 1e6:.2f} MW"


def _rate(w_per_s: float) -> str:
    return "none" if not math.isfinite(w_per_s) else f"{w_per_s * 60 / 1e6:.3g} MW/min"


def print_power(res: Any, stream: TextIO) -> None:
    """Headline of the power chain, the measures table, the year, and every flag."""
    m = res.run.metrics
    w = stream.write
    hours = m["simulated_s"] / 3600.0
    w(
        f"power chain ({hours:g} h at {m['step_s']:g} s, {int(m['steps'])} steps, "
        f"{res.wall_s:.2f} s)\n"
    )
    rows = [
        (
            "grid peak",
            f"{_mw(m['grid_peak_W'])} (IT peak {_mw(m['it_peak_W'])}, cap "
            f"{'none' if not math.isfinite(m['cap_W']) else _mw(m['cap_W'])})",
        ),
        (
            "ramp violations",
            f"{int(m['grid_ramp_violations'])} steps = "
            f"{100 * m['grid_ramp_violation_share']:.3f} % of the time above "
            f"{_rate(m['ramp_limit_W_per_s'])} (worst {_rate(m['grid_max_ramp_W_per_s'])})",
        ),
        (
            "storage cycles",
            f"battery {m['battery_cycles']:.3g} full cycles "
            f"({m['battery_throughput_kWh'] / 1e3:.3g} MWh out), PSU {m['psu_cycles']:.4g}",
        ),
        (
            "losses",
            f"UPS {m['ups_loss_kWh'] / 1e3:.3g} MWh, distribution "
            f"{m['distribution_loss_kWh'] / 1e3:.3g} MWh, battery {m['battery_loss_kWh'] / 1e3:.3g}"
            f" MWh, PSU storage {m['psu_storage_loss_kWh'] / 1e3:.3g} MWh",
        ),
        ("PUE", f"{m['pue']:.4f} (facility / IT meter)"),
    ]
    if m["tokens"] > 0:
        rows.append(
            (
                "TokEnergy",
                f"{m['tokens_per_kWh_it']:,.0f} / {m['tokens_per_kWh_facility']:,.0f} / "
                f"{m['tokens_per_kWh_grid']:,.0f} tokens per kWh at the IT / facility / grid meter "
                f"({m['kWh_per_Mtok_it']:.4g} / {m['kWh_per_Mtok_facility']:.4g} / "
                f"{m['kWh_per_Mtok_grid']:.4g} kWh per million tokens)",
            )
        )
    if "cost_per_Mtok" in m:
        rows.append(
            (
                "cost",
                f"{m['cost_per_Mtok']:.4g} per million tokens ({m['energy_cost']:,.0f} in total)",
            )
        )
    if "carbon_kg_per_Mtok" in m:
        rows.append(("carbon", f"{m['carbon_kg_per_Mtok']:.4g} kg CO2 per million tokens"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        w(f"  {k.ljust(width)}  {v}\n")
    if res.measures:
        w("  smoothing measures (cumulative):\n")
        w(
            f"    {'measure':<18} {'grid peak':>10} {'worst ramp':>13} {'> limit':>8} "
            f"{'extra energy':>13} {'tokens/kWh':>11}\n"
        )
        for r in res.measures:
            w(
                f"    {r['measure']:<18} {_mw(r['grid_peak_W']):>10} "
                f"{_rate(r['grid_max_ramp_W_per_s']):>13} "
                f"{100 * r['grid_ramp_violation_share']:>7.2f}% "
                f"{r['extra_energy_kWh'] / 1e3:>+9.3f} MWh {r['tokens_per_kWh_grid']:>11,.0f}\n"
            )
    if res.year is not None:
        y = res.year.metrics
        line = (
            f"  year (8760 h hourly): grid {y['grid_energy_kWh'] / 1e6:.4g} GWh, PUE "
            f"{y['pue']:.4f}, battery {y['battery_cycles']:.4g} cycles"
        )
        if "energy_cost" in y:
            line += f", cost {y['energy_cost']:,.0f}"
        if "carbon_kg" in y:
            line += f", {y['carbon_kg'] / 1e3:,.0f} t CO2"
        if y["tokens"] > 0:
            line += f", {y['tokens_per_kWh_grid']:,.0f} tokens/kWh at the grid meter"
        w(line + "\n")
        for f in res.year.flags:
            w(f"  WARNING (year): {f}\n")
    for f in res.flags:
        w(f"  WARNING: {f}\n")


def _minute_table(run: Any) -> tuple[list[str], np.ndarray]:
    s = run.series
    k = max(int(round(60.0 / run.step_s)), 1)
    n = (len(s["grid_W"]) // k) * k
    cols = [c for c in s if c != "tokens" and s[c].size == len(s["grid_W"])]
    data = [np.arange(n // k) * k * run.step_s]
    for c in cols:
        data.append(s[c][:n].reshape(-1, k).mean(axis=1))
    soc = run.battery.soc
    if soc.size:
        data.append(soc[1 : n + 1].reshape(-1, k)[:, -1])
        cols.append("battery_soc")
    return ["t_s", *cols], np.column_stack(data)


def write_power_outputs(res: Any, out_dir: Path, *, plots: bool = True) -> list[Path]:
    """Write ``power.csv`` and, with ``plots``, the three PNG plots; return the paths."""
    written: list[Path] = []
    head, table = _minute_table(res.run)
    p = out_dir / "power.csv"
    np.savetxt(p, table, delimiter=",", header=",".join(head), comments="", fmt="%.6g")
    written.append(p)
    if plots:
        written += _plots(res, out_dir)
    return written


def _plots(res: Any, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run = res.run
    s, dt = run.series, run.step_s
    t_h = np.arange(len(s["grid_W"])) * dt / 3600.0
    out = []
    fig, (a1, a2) = plt.subplots(
        2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    a1.plot(t_h, s["it_load_W"] / 1e6, lw=0.3, color="0.6", label="IT load (GPUs)")
    a1.plot(t_h, s["facility_W"] / 1e6, lw=0.5, label="facility meter")
    a1.plot(t_h, s["grid_W"] / 1e6, lw=0.8, label="grid meter")
    if math.isfinite(run.metrics["cap_W"]):
        a1.axhline(run.metrics["cap_W"] / 1e6, ls="--", color="k", lw=0.8, label="cap")
    a1.set_ylabel("power [MW]")
    a1.legend(fontsize=8, loc="lower right")
    a1.set_title("IT power, facility and grid draw")
    soc = run.battery.soc
    if soc.size:
        a2.plot(np.arange(soc.size) * dt / 3600.0, soc * 100, lw=0.8, color="tab:green")
        st = run.battery.storage
        for lim in (st.soc_min, st.soc_max):
            a2.axhline(lim * 100, ls=":", color="k", lw=0.6)
    a2.set_ylabel("battery SoC [%]")
    a2.set_xlabel("time [h]")
    out.append(_save(fig, out_dir / "power_timeseries.png", plt))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    limit = run.metrics["ramp_limit_W_per_s"]
    base = res.measures[0] if res.measures else None
    ramps = np.abs(np.diff(s["grid_W"])) / dt * 60 / 1e6
    it_r = np.abs(np.diff(s["it_load_W"])) / dt * 60 / 1e6
    hi = max(float(it_r.max(initial=0.0)), float(ramps.max(initial=0.0)), 1e-9)
    bins = np.logspace(-3, math.log10(hi * 1.1) if hi > 1e-3 else 0, 60)
    ax.hist(np.maximum(it_r, 1e-3), bins=bins, alpha=0.5, label="IT load")
    ax.hist(np.maximum(ramps, 1e-3), bins=bins, alpha=0.7, label="grid meter")
    if math.isfinite(limit):
        ax.axvline(limit * 60 / 1e6, color="k", ls="--", label="ramp limit")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("|ramp| per step [MW/min] (values below 0.001 shown at 0.001)")
    ax.set_ylabel("steps")
    title = "ramp-rate distribution"
    if base is not None:
        title += f" (no smoothing: {100 * base['grid_ramp_violation_share']:.1f} % above the limit)"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    out.append(_save(fig, out_dir / "power_ramp_histogram.png", plt))

    m = run.metrics
    fig, ax = plt.subplots(figsize=(8, 4.5))
    parts = [
        ("IT load", m["it_energy_kWh"] - m["psu_storage_loss_kWh"]),
        ("PSU storage", m["psu_storage_loss_kWh"]),
        ("distribution", m["distribution_loss_kWh"]),
        ("UPS", m["ups_loss_kWh"]),
        ("cooling", m["cooling_energy_kWh"]),
        (
            "other",
            m["facility_energy_kWh"]
            - m["it_energy_kWh"]
            - m["distribution_loss_kWh"]
            - m["ups_loss_kWh"]
            - m["cooling_energy_kWh"],
        ),
        ("battery", m["battery_loss_kWh"]),
        ("battery stored", m["grid_energy_kWh"] - m["facility_energy_kWh"] - m["battery_loss_kWh"]),
    ]
    bottom = 0.0
    for name, kwh in parts:
        ax.bar(["grid energy"], [kwh / 1e3], bottom=bottom, label=f"{name}: {kwh / 1e3:,.1f} MWh")
        bottom += kwh / 1e3
    ax.set_ylabel("energy [MWh]")
    ax.set_title(
        f"energy balance over {m['simulated_s'] / 3600:g} h: grid "
        f"{m['grid_energy_kWh'] / 1e3:,.1f} MWh",
        fontsize=10,
    )
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    out.append(_save(fig, out_dir / "power_energy_balance.png", plt))
    return out


def _save(fig: Any, path: Path, plt: Any) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
