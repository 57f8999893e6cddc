"""Plots of an annual heat-reuse run: monthly energy, load duration, Sankey, temperatures.

The input is the **hourly table** of an annual run: a :class:`pandas.DataFrame` with one row per
hour (8760 for a year, fewer for a quick try). Power columns hold the mean power over the hour in
**W**, so the energy of a row is ``value * 1 h``; temperatures are in **°C**. The columns used are

- time: ``month`` (1-12), ``day`` (day of the month), ``hour_of_day`` (1-24), ``dry_bulb_C``;
- electricity: ``it_power_W``, ``pump_power_W``, ``fan_power_W``, ``air_cooling_power_W``,
  ``cooling_power_W`` (pumps + fans + air cooling), ``heat_pump_power_W``,
  ``distribution_loss_W``, ``other_power_W``, ``facility_power_W``
  (IT + cooling + heat pump + distribution + other);
- heat: ``heat_to_liquid_W``, ``heat_to_air_W``, ``heat_reused_W`` (delivered to the greenhouse by
  the data-centre side: plate HX + heat-pump condenser), ``heat_rejected_W`` (dry cooler),
  ``greenhouse_demand_W``, ``greenhouse_delivered_W``, ``boiler_heat_W``;
- temperatures: ``T_tcs_supply_C``, ``T_tcs_return_C`` (rack loop), ``T_facility_supply_C``,
  ``T_facility_return_C``, ``T_greenhouse_supply_C``, ``T_greenhouse_return_C``.

A missing (or all-NaN) column drops its series from a plot; a plot with none of its inputs is not
drawn (its function returns ``None`` and writes nothing). NaN values inside a column count as zero
energy. Without a ``month`` column the months (and without ``month``/``day`` the days) come from
a :class:`pandas.DatetimeIndex` if the table has one, else from the row position, the table being
taken to start on 1 January (non-leap calendar).

matplotlib is imported inside the functions and drawn on a :class:`matplotlib.figure.Figure` with
the Agg canvas, so no pyplot state, backend choice or open figure is left behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "monthly_energy_balance",
    "load_duration",
    "energy_sankey",
    "write_annual_plots",
    "PLOT_FILES",
]

PathLike = str | os.PathLike[str]

DPI = 110
"""Resolution of the PNG files [dots per inch]."""

PLOT_FILES = {
    "monthly_energy": "monthly_energy.png",
    "load_duration": "load_duration.png",
    "sankey": "sankey.png",
    "temperatures": "temperatures.png",
}
"""File name of each plot written by :func:`write_annual_plots` (before the prefix)."""

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_START = np.cumsum([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30])
"""Day of the year before the first of each month (non-leap calendar) [d]."""

# One colour per quantity, shared by all the plots.
_C_IT = "#6a51a3"
_C_COOLING = "#3182bd"
_C_HEAT_PUMP = "#fd8d3c"
_C_REUSED = "#31a354"
_C_REJECTED = "#de2d26"
_C_BOILER = "#8c6d31"
_C_DEMAND = "#252525"

_COOLING_PARTS = ("pump_power_W", "fan_power_W", "air_cooling_power_W")

# key, column, legend label, bar group, colour
_MONTHLY_SERIES = (
    ("it_MWh", "it_power_W", "IT electricity", "electricity", _C_IT),
    ("cooling_MWh", "cooling_power_W", "cooling electricity", "electricity", _C_COOLING),
    ("heat_pump_MWh", "heat_pump_power_W", "heat-pump electricity", "electricity", _C_HEAT_PUMP),
    ("heat_reused_MWh", "heat_reused_W", "heat reused → greenhouse", "greenhouse", _C_REUSED),
    ("boiler_heat_MWh", "boiler_heat_W", "boiler heat → greenhouse", "greenhouse", _C_BOILER),
    ("heat_rejected_MWh", "heat_rejected_W", "heat rejected (dry cooler)", "rejected", _C_REJECTED),
)

_GROUP_NOTE = {
    "electricity": "electricity",
    "greenhouse": "greenhouse heat",
    "rejected": "rejected",
}
_SIDES = {1: ("",), 2: ("left", "right"), 3: ("left", "middle", "right")}
_DEMAND_LABEL = "greenhouse heat demand"


RESIDUAL = "other / losses"
"""Key of the closure residual of a Sankey diagram (inputs minus outputs of the table's flows)."""

_RESIDUAL_DRAWN = 1e-4
"""Residuals below this share of a diagram's throughput are kept in the data but not drawn [-]."""


# --------------------------------------------------------------------------------------------------
# table access


def _frame(hourly: Any) -> pd.DataFrame:
    import pandas as pd

    return hourly if isinstance(hourly, pd.DataFrame) else pd.DataFrame(hourly)


def _col(df: pd.DataFrame, name: str) -> np.ndarray | None:
    """Column ``name`` as floats, or ``None`` when absent, non-numeric or all NaN."""
    if name not in df.columns:
        return None
    try:
        values = np.asarray(df[name], dtype=float)
    except (TypeError, ValueError):
        return None
    if values.size == 0 or np.isnan(values).all():
        return None
    return values


def _cooling_W(df: pd.DataFrame) -> np.ndarray | None:
    """Cooling electricity [W]: ``cooling_power_W``, else the sum of its parts that are present."""
    cooling = _col(df, "cooling_power_W")
    if cooling is not None:
        return cooling
    parts = [p for p in (_col(df, c) for c in _COOLING_PARTS) if p is not None]
    return np.sum([np.nan_to_num(p) for p in parts], axis=0) if parts else None


def _series_W(df: pd.DataFrame, column: str) -> np.ndarray | None:
    return _cooling_W(df) if column == "cooling_power_W" else _col(df, column)


def _MWh(power_W: np.ndarray | None) -> float:
    """Energy of an hourly power series [MWh] (one row = 1 h, NaN counts as 0)."""
    return 0.0 if power_W is None else float(np.nansum(power_W)) / 1e6


def _months(df: pd.DataFrame) -> np.ndarray:
    """Month (1-12) of every row."""
    import pandas as pd

    month = _col(df, "month")
    if month is not None:
        return np.nan_to_num(month).astype(int)
    if isinstance(df.index, pd.DatetimeIndex):
        return np.asarray(df.index.month, dtype=int)
    doy = np.arange(len(df)) // 24 % 365
    return np.searchsorted(_MONTH_START, doy, side="right")


def _day_of_year(df: pd.DataFrame) -> np.ndarray:
    """Day of the year (1-365) of every row [d]."""
    import pandas as pd

    month, day = _col(df, "month"), _col(df, "day")
    if month is not None and day is not None:
        m = np.clip(np.nan_to_num(month).astype(int), 1, 12)
        return _MONTH_START[m - 1] + np.nan_to_num(day).astype(int)
    if isinstance(df.index, pd.DatetimeIndex):
        return np.asarray(df.index.dayofyear, dtype=int)
    return np.arange(len(df)) // 24 + 1


def _hour_of_day(df: pd.DataFrame) -> np.ndarray:
    """Hour of the day (1-24, hour 1 = 00:00-01:00) of every row [h]."""
    hour = _col(df, "hour_of_day")
    if hour is not None:
        return np.nan_to_num(hour, nan=1.0)
    return np.arange(len(df)) % 24 + 1.0


# --------------------------------------------------------------------------------------------------
# figures


def _figure(width: float, height: float, **kwargs: Any) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, **kwargs)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: PathLike) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=DPI)
    fig.clear()
    return p


def _title(title: str | None, default: str) -> str:
    return default if title is None else title


def _period(df: pd.DataFrame, annual: str, other: str) -> str:
    """``annual`` for a table of a full year, else ``other`` with the number of hours."""
    return annual if len(df) >= 8760 else f"{other} over {len(df):,} h"


def _month_axis(ax: Any, first_day: float, last_day: float) -> None:
    """Month names at the month starts when the data span more than about six weeks."""
    if last_day - first_day > 45:
        ax.set_xticks(_MONTH_START + 1, _MONTH_NAMES)
        ax.set_xlim(first_day - 0.5, last_day + 0.5)
    else:
        ax.set_xlabel("day of the year [d]")


# --------------------------------------------------------------------------------------------------
# 1. monthly energy balance


def monthly_energy_balance(
    hourly: pd.DataFrame, path: PathLike, *, title: str | None = None
) -> pd.DataFrame | None:
    """Monthly energy balance as grouped, stacked bars [MWh].

    Up to three bars per month: the electricity (IT, cooling, heat pump), the heat delivered to
    the greenhouse (reused from the data centre, boiler) and the heat rejected by the dry cooler;
    the greenhouse heat demand, when present, is marked on the greenhouse bar.

    Parameters
    ----------
    hourly
        Hourly table of the run (see the module docstring) [W per hour].
    path
        PNG file to write.
    title
        Figure title; a default when ``None``.

    Returns
    -------
    pandas.DataFrame or None
        Monthly energies [MWh], indexed by ``month`` (the months present), one column per series
        drawn: ``it_MWh``, ``cooling_MWh``, ``heat_pump_MWh``, ``heat_reused_MWh``,
        ``boiler_heat_MWh``, ``heat_rejected_MWh`` and ``greenhouse_demand_MWh``. ``cooling_MWh``
        sums ``pump_power_W``, ``fan_power_W`` and ``air_cooling_power_W`` when
        ``cooling_power_W`` is absent. ``None`` (nothing written) when no series is present.
    """
    import pandas as pd

    df = _frame(hourly)
    if len(df) == 0:
        return None
    columns = {}
    for key, column, *_ in _MONTHLY_SERIES:
        values = _series_W(df, column)
        if values is not None:
            columns[key] = values
    demand = _col(df, "greenhouse_demand_W")
    if demand is not None:
        columns["greenhouse_demand_MWh"] = demand
    if not columns:
        return None
    table = pd.DataFrame(columns, index=pd.Index(_months(df), name="month"))
    monthly = table.groupby(level="month").sum() / 1e6  # W over 1 h -> Wh -> MWh

    fig = _figure(10.5, 5.4)
    ax = fig.add_subplot()
    groups = [
        g
        for g in ("electricity", "greenhouse", "rejected")
        if any(s[3] == g for s in _MONTHLY_SERIES if s[0] in monthly)
    ]
    n = max(len(groups), 1)
    width = 0.8 / n
    x = np.asarray(monthly.index, dtype=float)
    offset = {g: (i - (n - 1) / 2) * width for i, g in enumerate(groups)}
    bottoms = {g: np.zeros(len(x)) for g in groups}
    for key, _, label, group, colour in _MONTHLY_SERIES:
        if key not in monthly:
            continue
        v = monthly[key].to_numpy()
        ax.bar(x + offset[group], v, width * 0.92, bottom=bottoms[group], color=colour, label=label)
        bottoms[group] += v
    if "greenhouse_demand_MWh" in monthly:
        xd = x + offset.get("greenhouse", 0.0)
        ax.plot(
            xd,
            monthly["greenhouse_demand_MWh"].to_numpy(),
            ls="none",
            marker="_",
            ms=width * 34,
            mew=2.2,
            color=_C_DEMAND,
            label=_DEMAND_LABEL,
        )
    ax.set_xticks(x, [_MONTH_NAMES[int(m) - 1] if 1 <= m <= 12 else str(int(m)) for m in x])
    ax.set_xlim(x.min() - 0.6, x.max() + 0.6)
    ax.set_ylabel("energy per month [MWh]")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    sub = " | ".join(
        f"{side}: {_GROUP_NOTE[g]}" for side, g in zip(_SIDES[n], groups, strict=False)
    )
    ax.set_title(
        _title(title, "Monthly energy balance") + (f"\n({sub})" if n > 1 else ""), fontsize=11
    )
    entries = sorted(
        zip(*ax.get_legend_handles_labels(), strict=True), key=lambda e: e[1] == _DEMAND_LABEL
    )
    ax.legend(
        *zip(*entries, strict=True),  # the demand marker after the bars
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=4,
        fontsize=8.5,
        frameon=False,
    )
    fig.tight_layout()
    _save(fig, path)
    return monthly


# --------------------------------------------------------------------------------------------------
# 2. load duration


def load_duration(
    hourly: pd.DataFrame, path: PathLike, *, title: str | None = None
) -> dict[str, np.ndarray] | None:
    """Load-duration curve of the greenhouse heat demand against the heat recovered [MW].

    The demand is sorted in descending order; the heat recovered from the data centre
    (``heat_reused_W``) is drawn in the same hour order (the hours of the demand curve, the gap
    to the demand being what the boiler supplied or what was unmet) and as its own sorted curve.

    Parameters
    ----------
    hourly
        Hourly table of the run [W per hour].
    path
        PNG file to write.
    title
        Figure title; a default when ``None``.

    Returns
    -------
    dict or None
        ``hours`` (rank 1..n [h]), ``demand_MW`` (sorted descending), ``order`` (row indices of
        that order), ``recovered_in_demand_order_MW`` and ``recovered_sorted_MW`` (sorted
        descending); each curve is a step per hour, so its sum times 1 h is the energy [MWh].
        Keys of absent columns are left out; ``None`` (nothing written) when both are absent.
        NaN values count as 0.
    """
    df = _frame(hourly)
    demand = _col(df, "greenhouse_demand_W")
    recovered = _col(df, "heat_reused_W")
    if len(df) == 0 or (demand is None and recovered is None):
        return None
    n = len(df)
    # each hour a flat step from hour k to k + 1 (polylines: Axes.stairs is slow for 8760 steps)
    x = np.repeat(np.arange(n + 1, dtype=float), 2)[1:-1]

    def steps(values: np.ndarray) -> np.ndarray:
        return np.repeat(values, 2)

    out: dict[str, np.ndarray] = {"hours": np.arange(1, n + 1, dtype=float)}
    fig = _figure(10.0, 5.4)
    ax = fig.add_subplot()
    notes = []
    if demand is not None:
        d = np.nan_to_num(demand) / 1e6
        order = np.argsort(-d, kind="stable")
        out["order"] = order
        out["demand_MW"] = d[order]
        notes.append(f"demand {d.sum():,.0f} MWh")
    if recovered is not None:
        r = np.nan_to_num(recovered) / 1e6
        out["recovered_sorted_MW"] = -np.sort(-r)
    if demand is not None and recovered is not None:
        r_ordered = r[out["order"]]
        out["recovered_in_demand_order_MW"] = r_ordered
        area = {"lw": 0}
        label = "heat recovered, in the demand's hour order"
        ax.fill_between(x, steps(r_ordered), color=_C_REUSED, alpha=0.35, label=label, **area)
        label = "demand not met by recovered heat (boiler / unmet)"
        low, high = steps(r_ordered), steps(d[order])
        ax.fill_between(x, low, high, color=_C_BOILER, alpha=0.22, label=label, **area)
        share = r.sum() / d.sum() if d.sum() > 0 else float("nan")
        notes.append(f"recovered {r.sum():,.0f} MWh = {share:.0%} of the demand")
    elif recovered is not None:
        notes.append(f"recovered {r.sum():,.0f} MWh")
    if demand is not None:
        label = "greenhouse heat demand, sorted"
        ax.plot(x, steps(out["demand_MW"]), color=_C_DEMAND, lw=1.8, label=label)
    if recovered is not None:
        label = "heat recovered, sorted"
        ax.plot(x, steps(out["recovered_sorted_MW"]), color=_C_REUSED, lw=1.6, ls="--", label=label)
    ax.set_xlim(0, n)
    peak = max(float(np.max(v)) for k, v in out.items() if k.endswith("_MW"))
    ax.set_ylim(0, 1.22 * peak if peak > 0 else 1.0)  # headroom for the legend
    ax.set_xlabel("hours of the period with at least this load [h]")
    ax.set_ylabel("heat flow [MW]")
    ax.grid(alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_title(
        _title(title, "Greenhouse heat: load-duration curve") + f"\n({', '.join(notes)})",
        fontsize=11,
    )
    ax.legend(loc="upper right", ncol=2, fontsize=8.5)
    fig.tight_layout()
    _save(fig, path)
    return out


# --------------------------------------------------------------------------------------------------
# 3. Sankey


def _balanced(
    inputs: Sequence[tuple[str, float | None]], outputs: Sequence[tuple[str, float | None]]
) -> dict[str, float]:
    """Signed flows (inputs > 0, outputs < 0) of the present terms plus the closure residual."""
    flows = {label: v for label, v in inputs if v is not None}
    flows.update({label: -v for label, v in outputs if v is not None})
    flows[RESIDUAL] = -sum(flows.values())
    return flows


def _sankey_flows(df: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The annual flows of each Sankey diagram [MWh]; see :func:`energy_sankey`."""

    def energy(column: str) -> float | None:
        values = _series_W(df, column)
        return None if values is None else _MWh(values)

    it, cooling, hp = energy("it_power_W"), energy("cooling_power_W"), energy("heat_pump_power_W")
    dist, other = energy("distribution_loss_W"), energy("other_power_W")
    liquid, air = energy("heat_to_liquid_W"), energy("heat_to_air_W")
    reused, rejected = energy("heat_reused_W"), energy("heat_rejected_W")
    boiler, delivered = energy("boiler_heat_W"), energy("greenhouse_delivered_W")
    facility = energy("facility_power_W")
    parts = [("IT", it), ("cooling", cooling), ("heat pump", hp)]
    parts += [("distribution losses", dist), ("other loads", other)]

    diagrams: dict[str, dict[str, float]] = {}
    present = [v for _, v in parts if v is not None]
    if present and (facility is not None or len(present) > 1):
        total = facility if facility is not None else sum(present)
        diagrams["facility electricity"] = _balanced([("facility electricity", total)], parts)
    if it is not None and (liquid is not None or air is not None):
        diagrams["IT equipment"] = _balanced(
            [("IT", it)], [("heat to liquid", liquid), ("heat to air", air)]
        )
    if liquid is not None and (reused is not None or rejected is not None):
        diagrams["heat recovery"] = _balanced(
            [("heat to liquid", liquid), ("heat-pump electricity", hp)],
            [("heat reused", reused), ("heat rejected", rejected)],
        )
    if reused is not None or boiler is not None:
        if delivered is None:
            present = [v for v in (reused, boiler) if v is not None]
            delivered = sum(present)
        diagrams["greenhouse"] = _balanced(
            [("heat reused", reused), ("boiler heat", boiler)], [("greenhouse heat", delivered)]
        )
    return diagrams


# diagram: patch colour, flow joining it to the previous diagram, trunk label (``{}`` takes the
# joining flow), side of the residual (when an output, when an input)
_SANKEY_DIAGRAMS: dict[str, tuple[str, str | None, str, tuple[int, int]]] = {
    "facility electricity": ("#9ecae1", None, "facility", (-1, 1)),
    "IT equipment": ("#bcbddc", "IT", "IT equipment\n{}", (-1, -1)),
    "heat recovery": ("#fdd0a2", "heat to liquid", "heat recovery\nliquid heat\n{}", (-1, -1)),
    "greenhouse": ("#a1d99b", "heat reused", "greenhouse\nreused heat\n{}", (1, 1)),
}

_SANKEY_SIDES = {"IT": 0, "heat to liquid": 0, "heat reused": 0, "greenhouse heat": 0}
_SANKEY_SIDES |= {"facility electricity": 0, "heat pump": 1, "heat to air": 1}
_SANKEY_SIDES |= {"heat-pump electricity": 1}
"""Side of a flow: 0 = left (inputs) or right (outputs), 1 = top; the others at the bottom."""

_FLOW_LABELS = {
    "facility electricity": "facility\nelectricity",
    "distribution losses": "distribution\nlosses",
    "heat-pump electricity": "heat-pump\nelectricity",
    "heat reused": "heat reused\n(plate HX + heat pump)",
    "heat rejected": "heat rejected\n(dry cooler)",
    "greenhouse heat": "greenhouse\nheat delivered",
}


def energy_sankey(
    hourly: pd.DataFrame, path: PathLike, *, title: str | None = None
) -> dict[str, dict[str, float]] | None:
    """Sankey diagram of the annual energy flows [MWh or GWh].

    Four chained diagrams: facility electricity → IT, cooling, heat pump, distribution losses,
    other loads; IT → heat to liquid, heat to air; heat to liquid + heat-pump electricity →
    heat reused (to the greenhouse) and heat rejected (dry cooler); heat reused + boiler heat →
    greenhouse heat delivered. Each diagram balances: what the table's flows leave open (pump
    heat entering the liquid, losses not in the table, ...) is drawn as the flow
    ``"other / losses"`` -- an output when the inputs exceed the outputs, an input otherwise.
    Residuals under 0.01 % of a diagram's throughput are kept in the data but not drawn.

    Parameters
    ----------
    hourly
        Hourly table of the run [W per hour].
    path
        PNG file to write.
    title
        Figure title; a default when ``None``.

    Returns
    -------
    dict or None
        ``{diagram: {flow: energy}}`` [MWh] in matplotlib's sign convention (inputs positive,
        outputs negative), every diagram summing to zero; the diagram names are
        ``"facility electricity"``, ``"IT equipment"``, ``"heat recovery"``, ``"greenhouse"``
        (those whose columns are present). Without ``facility_power_W`` the facility total is
        the sum of its parts; without ``greenhouse_delivered_W`` the greenhouse heat is reused +
        boiler heat. ``None`` (nothing written) when no diagram can be formed.
    """
    df = _frame(hourly)
    if len(df) == 0:
        return None
    diagrams = _sankey_flows(df)
    if not diagrams:
        return None
    largest = max(abs(v) for flows in diagrams.values() for v in flows.values())
    if not largest > 0:
        return None
    to_unit, unit = (1e-3, "GWh") if largest >= 1e3 else (1.0, "MWh")

    # the drawn flows: negligible ones dropped, in display units
    drawn: dict[str, list[tuple[str, float]]] = {}
    hidden = []
    for name, flows in diagrams.items():
        throughput = sum(v for v in flows.values() if v > 0)
        keep = []
        for label, v in flows.items():
            if label == RESIDUAL and abs(v) < _RESIDUAL_DRAWN * throughput:
                if abs(v) > 1e-9 * throughput:  # more than rounding
                    hidden.append(name)
            elif abs(v) > 1e-9 * largest:
                keep.append((label, v * to_unit))
        drawn[name] = keep

    # chains of connected diagrams, each drawn on its own axes
    chains: list[list[str]] = []
    for name in drawn:
        joins = _SANKEY_DIAGRAMS[name][1]
        prev = chains[-1][-1] if chains else None
        if (
            prev is not None
            and joins is not None
            and any(lab == joins and v < 0 for lab, v in drawn[prev])
            and any(lab == joins and v > 0 for lab, v in drawn[name])
        ):
            chains[-1].append(name)
        else:
            chains.append([name])

    fig = _figure(13.0, 5.6 * len(chains) ** 0.75)
    scale = 1.0 / (largest * to_unit)
    for row, chain in enumerate(chains):
        ax = fig.add_subplot(len(chains), 1, row + 1)
        ax.axis("off")
        _draw_chain(ax, chain, drawn, scale, unit)
    heading = _title(title, f"{_period(df, 'Annual energy flows', 'Energy flows')} [{unit}]")
    fig.suptitle(heading, fontsize=12)
    if hidden:
        fig.text(
            0.01,
            0.01,
            f"closure residuals under {_RESIDUAL_DRAWN:.0e} of the throughput not drawn: "
            + ", ".join(hidden),
            fontsize=7,
            color="0.4",
        )
    fig.tight_layout()
    _save(fig, path)
    return diagrams


def _draw_chain(
    ax: Any,
    chain: Sequence[str],
    drawn: dict[str, list[tuple[str, float]]],
    scale: float,
    unit: str,
) -> None:
    from matplotlib.sankey import RIGHT, Sankey

    def quantity(value: float) -> str:
        return f"{_fmt(abs(value))} {unit}"

    sankey = Sankey(
        ax=ax,
        scale=scale,
        format=quantity,
        gap=0.35,
        offset=0.2,
        margin=0.5,
        tolerance=1e-9 / scale,
    )
    prev_flows: list[tuple[str, float]] | None = None
    for k, name in enumerate(chain):
        colour, joins, patchlabel, residual_side = _SANKEY_DIAGRAMS[name]
        flows = drawn[name]
        labels: list[str | None] = []
        values, sides, lengths = [], [], []
        for label, v in flows:
            if label == RESIDUAL:
                side = residual_side[0 if v < 0 else 1]
            else:
                side = _SANKEY_SIDES.get(label, -1)
            text = _FLOW_LABELS.get(label, label)
            if label == RESIDUAL and v > 0 and name == "heat recovery":
                text += "\n(pump heat etc.)"
            labels.append(text)
            values.append(v)
            sides.append(side)
            lengths.append(0.5 if side == 0 else 0.3)
        if k == 0:
            patchlabel = patchlabel.split("\n")[0]
        kwargs: dict[str, Any] = {}
        if k > 0 and prev_flows is not None:
            out_index = next(i for i, (lab, v) in enumerate(prev_flows) if lab == joins and v < 0)
            in_index = next(i for i, (lab, v) in enumerate(flows) if lab == joins and v > 0)
            kwargs = {"prior": k - 1, "connect": (out_index, in_index)}
            # the joining flow is labelled in the trunk it enters, not over the joint
            labels[in_index] = None
            patchlabel = patchlabel.format(quantity(flows[in_index][1]))
        _stagger(values, sides, lengths)
        sankey.add(
            flows=values,
            orientations=sides,
            labels=labels,
            pathlengths=lengths,
            trunklength=1.3,
            patchlabel=patchlabel,
            facecolor=colour,
            edgecolor="0.35",
            lw=0.6,
            **kwargs,
        )
        if kwargs:  # hide the label of the joining output of the previous diagram
            sankey.diagrams[-2].texts[kwargs["connect"][0]].set_text("")
        prev_flows = flows
    for diagram in sankey.finish():
        diagram.text.set_fontsize(9)
        for text, tip, angle, flow in zip(
            diagram.texts, diagram.tips, diagram.angles, diagram.flows, strict=True
        ):
            text.set_fontsize(8.5)
            if angle == RIGHT and text.get_text():
                # beside the arrow's tip (outputs) or tail (inputs), not over it
                if flow < 0:
                    text.set_position((tip[0] + 0.08, tip[1]))
                    text.set_horizontalalignment("left")
                else:
                    x_tail = diagram.patch.get_path().vertices[:, 0].min()
                    text.set_position((x_tail - 0.06, tip[1]))
                    text.set_horizontalalignment("right")
    # Sankey.finish fixes both limits with an equal aspect; let the box adjust instead
    ax.set_aspect("equal", adjustable="box")


def _stagger(values: list[float], sides: list[int], lengths: list[float]) -> None:
    """Lengthen successive side arrows so their labels do not overlap."""
    for side in (1, -1):
        for sign in (1, -1):  # inputs, then outputs
            idx = [
                i
                for i, (v, s) in enumerate(zip(values, sides, strict=True))
                if s == side and v * sign > 0
            ]
            for j, i in enumerate(idx):
                lengths[i] = 0.3 + 0.45 * j


def _fmt(value: float) -> str:
    return f"{value:,.3g}" if abs(value) < 1e3 else f"{value:,.0f}"


# --------------------------------------------------------------------------------------------------
# all four


def write_annual_plots(
    hourly: pd.DataFrame,
    directory: PathLike,
    *,
    prefix: str = "",
    fluids: dict[str, str] | None = None,
) -> list[Path]:
    """Write the four annual plots as PNG files into ``directory``.

    Parameters
    ----------
    hourly
        Hourly table of the run (see the module docstring) [W, °C per hour].
    directory
        Output folder, created if missing.
    prefix
        Put before each file name (:data:`PLOT_FILES`), e.g. ``"manitoba_"``.
    fluids
        Coolant name per loop for the temperature plot's legend (see :func:`temperatures`).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order monthly energy, load duration, Sankey, temperatures; a plot
        whose inputs are all absent is skipped.
    """
    df = _frame(hourly)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    from thermo.report.annual_temperatures import temperatures

    plots = {
        "monthly_energy": monthly_energy_balance,
        "load_duration": load_duration,
        "sankey": energy_sankey,
        "temperatures": temperatures,
    }
    written = []
    for key, plot in plots.items():
        path = folder / f"{prefix}{PLOT_FILES[key]}"
        kw = {"fluids": fluids} if key == "temperatures" else {}
        if plot(df, path, **kw) is not None:
            written.append(path)
    return written


def __getattr__(name: str) -> Any:
    """:func:`temperatures` lives in :mod:`thermo.report.annual_temperatures` (split for size)."""
    if name == "temperatures":
        from thermo.report.annual_temperatures import temperatures

        return temperatures
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
