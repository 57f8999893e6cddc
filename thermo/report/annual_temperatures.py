"""The loop-temperature plot of an annual run (``temperatures.png``), split from
:mod:`thermo.report.annual_plots` (whose docstring describes the hourly table it reads).

matplotlib is imported inside the function and drawn on a Figure with the Agg canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from thermo.report.annual_plots import (
    PathLike,
    _col,
    _day_of_year,
    _figure,
    _frame,
    _hour_of_day,
    _month_axis,
    _period,
    _save,
    _title,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["temperatures"]

# label, supply column, return column, colour
_LOOPS = (
    ("rack loop", "T_tcs_supply_C", "T_tcs_return_C", "#d7301f"),
    ("facility loop", "T_facility_supply_C", "T_facility_return_C", "#2171b5"),
    ("greenhouse loop", "T_greenhouse_supply_C", "T_greenhouse_return_C", "#238b45"),
)


# --------------------------------------------------------------------------------------------------
# 4. temperatures


def temperatures(
    hourly: pd.DataFrame,
    path: PathLike,
    *,
    title: str | None = None,
    fluids: dict[str, str] | None = None,
) -> dict[str, np.ndarray] | None:
    """Supply and return temperatures of the three loops over the year, and the dry bulb [°C].

    Daily means as lines with the daily minimum-maximum as a light band; for a table of fewer
    than 14 days the hourly values are drawn instead. The outdoor dry bulb goes in a second
    panel below.

    Parameters
    ----------
    hourly
        Hourly table of the run [°C per hour].
    path
        PNG file to write.
    title
        Figure title; a default when ``None``.
    fluids
        Coolant name per loop (``"tcs"``, ``"facility"``, ``"greenhouse"``), written in the
        legend (``rack loop (PG25) supply``); loops without one are named without a fluid.

    Returns
    -------
    dict or None
        ``day``: the abscissa [d] (day of the year; fractional days for hourly values), and for
        every temperature column drawn ``<column>_mean``, ``<column>_min`` and ``<column>_max``
        [°C] on that abscissa (all three equal for hourly values). ``None`` (nothing written)
        when no temperature column is present.
    """
    import pandas as pd

    df = _frame(hourly)
    columns = [c for _, s, r, _ in _LOOPS for c in (s, r) if _col(df, c) is not None]
    dry_bulb = _col(df, "dry_bulb_C") is not None
    if len(df) == 0 or not (columns or dry_bulb):
        return None
    doy = _day_of_year(df)
    daily = len(np.unique(doy)) >= 14
    data = pd.DataFrame({c: _col(df, c) for c in columns + (["dry_bulb_C"] if dry_bulb else [])})
    out: dict[str, np.ndarray] = {}
    if daily:
        grouped = data.groupby(doy)
        stats = {"mean": grouped.mean(), "min": grouped.min(), "max": grouped.max()}
        out["day"] = np.asarray(stats["mean"].index, dtype=float)
    else:
        stats = {"mean": data, "min": data, "max": data}
        out["day"] = doy + (_hour_of_day(df) - 1.0) / 24.0
    for c in data.columns:
        for k in ("mean", "min", "max"):
            out[f"{c}_{k}"] = stats[k][c].to_numpy(dtype=float)

    panels = int(bool(columns)) + int(dry_bulb)
    ratios = [3, 1.2] if panels == 2 else [1]
    fig = _figure(11.0, 6.6 if panels == 2 else 4.8)
    axes = fig.subplots(
        panels, 1, sharex=True, gridspec_kw={"height_ratios": ratios}, squeeze=False
    )[:, 0]
    x = out["day"]

    def line(ax: Any, column: str, colour: str, ls: str, label: str) -> None:
        if daily:
            ax.fill_between(
                x, out[f"{column}_min"], out[f"{column}_max"], color=colour, alpha=0.13, lw=0
            )
        ax.plot(x, out[f"{column}_mean"], color=colour, ls=ls, lw=1.3, label=label)

    if columns:
        ax = axes[0]
        for name, supply, ret, colour in _LOOPS:
            fluid = (fluids or {}).get(supply.split("_")[1])
            name = f"{name} ({fluid})" if fluid else name
            if supply in columns:
                line(ax, supply, colour, "-", f"{name} supply")
            if ret in columns:
                line(ax, ret, colour, "--", f"{name} return")
        ax.set_ylabel("coolant temperature [°C]")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8.5, frameon=False)
        ax.grid(alpha=0.3)
    if dry_bulb:
        ax = axes[-1]
        line(ax, "dry_bulb_C", "0.35", "-", "outdoor dry bulb")
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.set_ylabel("dry bulb [°C]")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8.5, frameon=False)
        ax.grid(alpha=0.3)
    _month_axis(axes[-1], float(np.min(x)), float(np.max(x)))
    how = "daily mean, band: daily min-max" if daily else "hourly values"
    axes[0].set_title(
        _title(title, _period(df, "Loop temperatures over the year", "Loop temperatures"))
        + f" ({how})",
        fontsize=11,
    )
    fig.tight_layout()
    _save(fig, path)
    return out
