"""Outputs of an annual run with a buffer tank (``[storage]``): the volume sweep as
``storage_sweep.csv`` and ``storage.png`` (the tank's temperature over the run against the boiler
feed, and the boiler fuel avoided against the tank volume).

matplotlib is drawn on a :class:`matplotlib.figure.Figure` with the Agg canvas (no pyplot state).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["write_storage_outputs"]


def write_storage_outputs(run: Any, out_dir: Path, *, plots: bool) -> list[Path]:
    """Write the sweep table and (with ``plots``) ``storage.png``; nothing without a tank."""
    annual = run.annual or {}
    if "storage" not in annual or run.hourly is None:
        return []
    import pandas as pd

    written: list[Path] = []
    sweep = annual.get("storage_sweep") or []
    if sweep:
        p = out_dir / "storage_sweep.csv"
        pd.DataFrame(sweep).to_csv(p, index=False)
        written.append(p)
    if plots:
        written.append(_plot(run.hourly, sweep, annual["storage"], out_dir / "storage.png"))
    return written


def _plot(t: Any, sweep: list[dict], s: dict, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 6.5))
    FigureCanvasAgg(fig)
    a1, a2 = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    import numpy as np

    hours = np.arange(len(t))
    # the feed only while the boilers fire, the source only while heat is rejected (else noise)
    firing = (t["boiler_heat_W"] + t["storage_discharge_W"]).to_numpy() > 1e3
    spare = (t["heat_rejected_W"] + t["storage_charge_W"]).to_numpy() > 1e3
    feed = np.where(firing, t["storage_feed_C"].to_numpy(dtype=float), np.nan)
    source = np.where(spare, t["storage_source_C"].to_numpy(dtype=float), np.nan)
    a1.plot(hours, feed, ".", ms=1, alpha=0.4, label="boiler feed (boilers firing)")
    a1.plot(hours, source, ".", ms=1, alpha=0.4, label="charging source (heat rejected)")
    strat = "storage_top_C" in t
    if strat:
        a1.plot(hours, t["storage_top_C"], lw=0.6, label="tank top", zorder=3)
        a1.plot(hours, t["storage_bottom_C"], lw=0.6, label="tank bottom", zorder=3)
    a1.plot(
        hours,
        t["storage_temperature_C"],
        lw=1.2,
        color="k",
        label="tank mean" if strat else "tank",
        zorder=4,
    )
    a1.set_xlabel("hour")
    a1.set_ylabel("temperature [°C]")
    a1.set_title(
        f"buffer tank {s['volume_m3']:,.0f} m³: in {s['heat_in_MWh']:,.0f} MWh, out "
        f"{s['heat_out_MWh']:,.0f} MWh, lost {s['heat_lost_MWh']:,.0f} MWh"
    )
    a1.legend(fontsize=8, loc="lower right", markerscale=8)
    if sweep:
        v = [r["volume_m3"] for r in sweep]
        a2.plot(v, [r["boiler_fuel_avoided_MWh"] for r in sweep], "o-", label="fuel avoided")
        a2.plot(v, [r["tank_heat_lost_MWh"] for r in sweep], "s--", label="tank loss (heat)")
        a2.set_xlabel("tank volume [m³]")
        a2.set_ylabel("MWh over the run")
        a2.set_title("boiler fuel avoided by the tank against its volume (same network year)")
        a2.legend(fontsize=8)
    else:
        a2.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path
