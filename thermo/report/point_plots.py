"""Plots of an operating point that an engineer reads at a glance (issue 18, item 2).

- ``flows.png``: the flow of every tray, named, one group of bars per rack, with each rack's equal
  share (rack flow over its trays) and the minimum-flow checks that apply to the trays as lines;
  without racks, one named bar per component.
- ``temperature_path.png``: temperatures along the flow path through the hottest component (supply
  -> cold plate -> return -> cooler -> pump), with its case temperature and the temperature limits
  that apply on the path (the checks, the plate's case limit).
- ``hydraulic_grade.png``: pressure along the same path: the pump's rise and every loss labelled.
- ``schematic.png``: the case's components (composites collapsed: a rack is one box) around each
  loop, with flow, temperatures, heat and pressure change written on them; repeated instances of a
  template shown once with their count.

Values are shown in the case's ``[outputs] units``. matplotlib is imported inside the functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from thermo.case.display_units import compact, kind_value, number
from thermo.report.flow_path import Segment, _port_T, critical_path, segments

__all__ = ["write_point_plots"]

KELVIN = 273.15


class _Units:
    """Conversions of SI values into the case's unit system, with axis labels."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.T_unit = kind_value(KELVIN, "temperature", system)[1]  # type: ignore[index]
        self.dT_unit = kind_value(1.0, "temperature_difference", system)[1]  # type: ignore[index]
        self.p_unit = "kPa" if system == "SI" else kind_value(1.0, "pressure", system)[1]  # type: ignore[index]
        self.V_unit = kind_value(1.0, "volume_flow", system)[1]  # type: ignore[index]
        self.Q_unit = "kW" if system == "SI" else kind_value(1.0, "power", system)[1]  # type: ignore[index]

    def T(self, celsius: float) -> float:
        return kind_value(celsius + KELVIN, "temperature", self.system)[0]  # type: ignore[index]

    def T_si(self, kelvin: float) -> float:
        return kind_value(kelvin, "temperature", self.system)[0]  # type: ignore[index]

    def p(self, pa: float) -> float:
        return pa / 1e3 if self.system == "SI" else kind_value(pa, "pressure", self.system)[0]  # type: ignore[index]

    def V(self, l_min: float) -> float:
        return kind_value(l_min / 60000.0, "volume_flow", self.system)[0]  # type: ignore[index]

    def V_si(self, m3_s: float) -> float:
        return kind_value(m3_s, "volume_flow", self.system)[0]  # type: ignore[index]

    def Q(self, w: float) -> float:
        return w / 1e3 if self.system == "SI" else kind_value(w, "power", self.system)[0]  # type: ignore[index]


def _txt(text: str) -> str:
    """Free text from a case file (a check name) for a plot: unsafe characters as visible
    escapes, and no ``$`` that matplotlib would read as the start of mathematics."""
    from thermo.case.problems import printable

    return printable(str(text), 80).replace("$", r"\$")


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: Path, plt: Any) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _check_elements(run: Any, check: Any) -> list[str]:
    """The elements (branches or nodes) a check looks at in this solve."""
    from thermo.case.checks import View

    try:
        return [
            e for e, _ in check.metric.evaluate(View(run.result, run.case.model), check.selection)
        ]
    except Exception:  # noqa: BLE001 - a check that cannot be evaluated is drawn nowhere
        return []


def tray_flows(result: Any, rack: Any) -> list[tuple[str, float]]:
    """``(tray name, volume flow [L/min])`` of every tray of ``rack``: the sum over the tray's
    parallel loops of the flow entering each (the quantity :func:`thermo.components.rack.rack_summary` tabulates, read
    here without a table per tray: 300 trays in milliseconds)."""
    flow = result.components["V_dot_L_min"].to_dict()
    return [(t.name, sum(float(flow[loop[0].name]) for loop in t.loops)) for t in rack.trays]


def racks(run: Any) -> list[tuple[str, Any]]:
    """``(name, Rack)`` of every rack component of the case, in case order."""
    from thermo.components.rack import Rack

    return [(s.name, s.obj) for s in run.case.components if isinstance(s.obj, Rack)]


# ------------------------------------------------------------------------------ flows per tray
def flow_bars(run: Any, path: Path, u: _Units) -> Path:
    """``flows.png``: named tray flows grouped by rack (or named component flows)."""
    plt = _plt()
    found = racks(run)
    if not found:
        return _component_bars(run, path, u, plt)

    n_total = sum(len(r.trays) for _, r in found)
    if n_total > MAX_TRAY_BARS:
        return _rack_range_bars(run, found, path, u, plt)
    x0 = 0.0
    xs: list[float] = []
    names: list[str] = []
    every: list[float] = []
    fig, ax = plt.subplots(figsize=(min(18, max(8, 0.22 * n_total + 3)), 5))
    checks = [c for c in run.case.checks if c.metric.kind == "volume_flow" and c.bound == "min"]
    drawn_checks: set[str] = set()
    colors = ["#4c72b0", "#55a868"]
    for k, (rname, rack) in enumerate(found):
        trays = tray_flows(run.result, rack)
        flows = [u.V(v) for _, v in trays]
        every += flows
        pos = [x0 + i for i in range(len(flows))]
        ax.bar(pos, flows, width=0.8, color=colors[k % 2], label="tray flow" if k == 0 else None)
        share = sum(flows) / len(flows)
        ax.hlines(
            share,
            pos[0] - 0.45,
            pos[-1] + 0.45,
            colors="k",
            linestyles="--",
            lw=1,
            label="equal share (rack flow / trays)" if k == 0 else None,
        )
        for c in checks:
            els = _check_elements(run, c)
            if any(e.startswith(f"{rname}.tray") for e in els):
                first = c.name not in drawn_checks
                drawn_checks.add(c.name)
                ax.hlines(
                    u.V_si(c.limit),
                    pos[0] - 0.45,
                    pos[-1] + 0.45,
                    colors="#c62828",
                    lw=1.5,
                    label=f"check: {_txt(c.name)} ≥ {compact(u.V_si(c.limit))} {u.V_unit}"
                    if first
                    else None,
                )
        ax.text(
            (pos[0] + pos[-1]) / 2,
            1.01,
            _txt(rname),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
        xs += pos
        names += [_txt(t.rsplit(".", 1)[-1]) for t, _ in trays]
        x0 = pos[-1] + 2
    ax.set_xticks(xs)
    ax.set_xticklabels(names, rotation=90, fontsize=7 if len(xs) > 40 else 8)
    ax.set_xlim(-1, x0 - 1)
    ax.set_ylabel(f"volume flow per tray [{u.V_unit}]")
    lo = min(ax.get_ylim()[1], 0)
    ax.set_ylim(bottom=lo)
    ax.legend(fontsize=8, loc="lower right")
    lo_f, hi_f = min(every), max(every)
    spread = 100 * (hi_f - lo_f) / (sum(every) / len(every))
    ax.set_title(
        f"{run.case.name}: flow per tray, grouped by rack — {number(lo_f, 3)} to "
        f"{number(hi_f, 3)} {u.V_unit} (spread {spread:.1f} % of the mean)",
        pad=18,
        fontsize=10,
    )
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path, plt)


MAX_TRAY_BARS = 160
"""More trays than this: one bar per rack (its mean tray flow, the least- and best-fed tray as
the whisker) instead of one bar per tray."""


def _rack_range_bars(run: Any, found: list, path: Path, u: _Units, plt: Any) -> Path:
    """``flows.png`` at hall scale: per rack the mean tray flow and the range over its trays."""
    means, lows, highs, names = [], [], [], []
    for rname, rack in found:
        flows = [u.V(v) for _, v in tray_flows(run.result, rack)]
        means.append(sum(flows) / len(flows))
        lows.append(min(flows))
        highs.append(max(flows))
        names.append(_txt(rname))
    n = len(names)
    fig, ax = plt.subplots(figsize=(min(18, max(8, 0.18 * n + 3)), 5))
    x = list(range(n))
    ax.bar(x, means, width=0.8, color="#4c72b0", label="mean tray flow of the rack")
    ax.errorbar(
        x,
        means,
        yerr=[
            [m - lo for m, lo in zip(means, lows, strict=True)],
            [hi - m for m, hi in zip(means, highs, strict=True)],
        ],
        fmt="none",
        ecolor="k",
        capsize=2,
        lw=0.8,
        label="least- to best-fed tray",
    )
    for c in run.case.checks:
        if c.metric.kind == "volume_flow" and c.bound == "min":
            els = _check_elements(run, c)
            if any(".tray" in e for e in els):
                ax.axhline(
                    u.V_si(c.limit),
                    color="#c62828",
                    lw=1.5,
                    label=f"check: {_txt(c.name)} ≥ {compact(u.V_si(c.limit))} {u.V_unit}",
                )
    ax.set_xticks(x)
    ax.set_xticklabels(names, rotation=90, fontsize=6 if n > 60 else 8)
    ax.set_ylabel(f"volume flow per tray [{u.V_unit}]")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, loc="lower right")
    n_trays = sum(len(r.trays) for _, r in found)
    ax.set_title(
        f"{run.case.name}: tray flow per rack ({n} racks, {n_trays} trays) — "
        f"{number(min(lows), 3)} to {number(max(highs), 3)} {u.V_unit}",
        fontsize=10,
    )
    ax.grid(axis="y", alpha=0.3)
    return _save(fig, path, plt)


def _component_bars(run: Any, path: Path, u: _Units, plt: Any) -> Path:
    comps = run.result.components
    shown = (
        comps
        if len(comps) <= 60
        else comps.reindex(comps["V_dot_L_min"].abs().sort_values(ascending=False).index[:60])
    )
    fig, ax = plt.subplots(figsize=(8, max(3, 0.28 * len(shown) + 1.2)))
    y = range(len(shown))
    ax.barh(list(y), [u.V(v) for v in shown["V_dot_L_min"]], color="#4c72b0")
    ax.set_yticks(list(y))
    ax.set_yticklabels([_txt(n) for n in shown.index], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"volume flow [{u.V_unit}]")
    more = f" (the 60 largest of {len(comps)})" if len(shown) < len(comps) else ""
    ax.set_title(f"{run.case.name}: flow per component{more}")
    ax.grid(axis="x", alpha=0.3)
    return _save(fig, path, plt)


# --------------------------------------------------------------- temperature path and grade line
def _path_axis(ax: Any, segs: list[Segment]) -> None:
    ax.set_xticks([i + 0.5 for i in range(len(segs))])
    ax.set_xticklabels([_txt(s.label) for s in segs], rotation=35, ha="right", fontsize=8)
    ax.set_xlim(0, len(segs))
    for i in range(len(segs) + 1):
        ax.axvline(i, color="0.85", lw=0.6, zorder=0)


def temperature_path(run: Any, segs: list[Segment], path: Path, u: _Units) -> Path:
    """``temperature_path.png``: coolant temperature along the path, case temperature, limits."""
    plt = _plt()
    comps = run.result.components
    fig, ax = plt.subplots(figsize=(max(8, 0.8 * len(segs) + 3), 5))
    xs, ts = [], []
    for i, s in enumerate(segs):
        xs += [i, i + 1]
        ts += [u.T(s.T_in), u.T(s.T_out)]
    ax.plot(xs, ts, "-o", ms=3, color="#4c72b0", label="coolant")
    on_path = {b for s in segs for b in s.branches} | {s.node_in for s in segs}
    for i, s in enumerate(segs):
        plates = [
            b
            for b in s.branches
            if "T_case_C" in comps and comps.loc[b, "T_case_C"] == comps.loc[b, "T_case_C"]
        ]
        for b in plates:
            tc = u.T(float(comps.loc[b, "T_case_C"]))
            ax.plot([i + 0.5], [tc], "^", color="#c44e52", ms=8, label=f"case of {_txt(b)}")
            ax.annotate(
                f"{number(tc)} {u.T_unit}",
                (i + 0.5, tc),
                textcoords="offset points",
                xytext=(6, 2),
                fontsize=8,
            )
            lim = comps.loc[b, "case_limit_C"] if "case_limit_C" in comps else float("nan")
            if lim == lim:
                ax.hlines(
                    u.T(float(lim)),
                    i,
                    i + 1,
                    colors="#c62828",
                    linestyles="--",
                    lw=1.5,
                    label=f"case limit of {_txt(b.rsplit('.', 1)[-1])}: {compact(u.T(float(lim)))} {u.T_unit}",
                )
    for c in run.case.checks:
        if c.metric.kind != "temperature":
            continue
        els = _check_elements(run, c)
        if not any(e in on_path for e in els):
            continue
        op = "≤" if c.bound == "max" else "≥"
        ax.axhline(
            u.T_si(c.limit),
            color="#c62828",
            lw=1,
            alpha=0.7,
            ls=":",
            label=f"check: {_txt(c.name)} {op} {compact(u.T_si(c.limit))} {u.T_unit}",
        )
    for i, s in enumerate(segs):
        if abs(s.heat_W) > 0:
            sign = "+" if s.heat_W > 0 else "−"
            ax.annotate(
                f"{sign}{number(abs(u.Q(s.heat_W)), 3)} {u.Q_unit}",
                (i + 0.5, (u.T(s.T_in) + u.T(s.T_out)) / 2),
                ha="center",
                fontsize=8,
                textcoords="offset points",
                xytext=(0, -14),
                color="0.3",
            )
    _path_axis(ax, segs)
    ax.set_ylabel(f"temperature [{u.T_unit}]")
    ax.set_title(f"{run.case.name}: temperatures along the path through the hottest component")
    ax.legend(fontsize=7, loc="best")
    return _save(fig, path, plt)


def hydraulic_grade(run: Any, segs: list[Segment], path: Path, u: _Units) -> Path:
    """``hydraulic_grade.png``: pressure along the path, the pump rise and each loss labelled."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(max(8, 0.8 * len(segs) + 3), 5))
    xs, ps = [], []
    for i, s in enumerate(segs):
        xs += [i, i + 1]
        ps += [u.p(s.p_in), u.p(s.p_out)]
    ax.plot(xs, ps, "-o", ms=3, color="#4c72b0")
    for i, s in enumerate(segs):
        d = u.p(s.p_in) - u.p(s.p_out) if u.system != "US" else u.p(s.dp)
        if abs(s.dp) < 1e-9 * max(abs(s.p_in), 1.0):
            continue
        rise = s.dp < 0
        text = f"{'+' if rise else '−'}{number(abs(d), 3)}"
        ax.annotate(
            text,
            (i + 0.5, (u.p(s.p_in) + u.p(s.p_out)) / 2),
            ha="center",
            va="center",
            fontsize=8,
            color="#1a7f37" if rise else "#c62828",
            textcoords="offset points",
            xytext=(0, 9),
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    _path_axis(ax, segs)
    ax.set_ylabel(f"pressure [{u.p_unit}] (absolute)")
    total = sum(max(s.dp, 0) for s in segs)
    ax.set_title(
        f"{run.case.name}: hydraulic grade along the path through the hottest component\n"
        f"losses {number(u.p(total) if u.system != 'SI' else total / 1e3, 3)} {u.p_unit} "
        f"(green: pump rise, red: loss per segment [{u.p_unit}])",
        fontsize=10,
    )
    return _save(fig, path, plt)


# ------------------------------------------------------------------------------------ schematic
def _component_of(run: Any) -> dict[str, Any]:
    return {s.name: s for s in run.case.components}


def _loops(run: Any, first: list[str]) -> list[tuple[list[str], list[str]]]:
    """Rings of case components: the loop of the critical path, then each other loop found
    through a component side not yet drawn (a CDU's facility side)."""
    owner = run.case.model.owner
    comps = run.result.components

    def ring(branches: list[str]) -> list[str]:
        out: list[str] = []
        for b in branches:
            o = owner.get(b, b)
            if not out or out[-1] != o:
                out.append(o)
        if len(out) > 1 and out[0] == out[-1]:
            out.pop()
        return out

    rings = [(ring(first), list(first))] if first else []
    used = set(first)
    seen_owners = {o for r, _ in rings for o in r}
    from thermo.report.flow_path import _bfs, _directed

    out_edges, ends = _directed(comps)
    tries: dict[str, int] = {}
    for name in comps.index:
        b = str(name)
        o = owner.get(b, b)
        if b in used or b not in ends or o not in seen_owners:
            continue
        # a few tries per component (a CDU: standby path, then the facility valve), so that a
        # rack of a thousand trays is not searched from every one of its branches
        tries[o] = tries.get(o, 0) + 1
        if tries[o] > 6 or sum(tries.values()) > 100:
            continue
        a, z = ends[b]
        back = _bfs(out_edges, z, lambda n, a=a: n == a)
        if not back:
            continue
        r = ring([b, *back])
        if len(r) > 1 and not any(set(r) <= set(x) for x, _ in rings):
            rings.append((r, [b, *back]))
            used |= {b, *back}
            seen_owners |= set(r)
        if len(rings) >= 3:
            break
    return rings


def heat_branches(
    name: str, branches: list[str], by_owner: dict[str, list[str]], elsewhere: set[str]
) -> list[str]:
    """The branches whose heat a box of component ``name`` shows on its ring: all its own
    branches but those drawn on another ring (a CDU's other side); ``branches`` if none."""
    return [b for b in by_owner.get(name, []) if b not in elsewhere] or branches


def _box_text(run: Any, name: str, branches: list[str], heat: list[str], u: _Units) -> list[str]:
    """Name, type, flow, temperatures in -> out along ``branches`` and the heat of ``heat``."""
    comps = run.result.components
    spec = _component_of(run).get(name)
    kind = spec.ctype.name if spec is not None else str(comps.loc[branches[0], "type"])
    lines = [name, kind]
    obj = getattr(spec, "obj", None)
    if obj is not None and hasattr(obj, "trays"):
        plates = len(obj.trays[0].plates) if obj.trays else 0
        lines[1] = f"{kind}: {len(obj.trays)} trays × {plates} plates"
    first, last = branches[0], branches[-1]
    flow = abs(float(comps.loc[first, "V_dot_m3_s"]))
    if obj is not None and hasattr(obj, "trays"):
        flow = sum(v for _, v in tray_flows(run.result, obj)) / 60000.0
    lines.append(f"{number(u.V_si(flow), 3)} {u.V_unit}")
    t_in = u.T(_port_T(comps, first, upstream=True))
    t_out = u.T(_port_T(comps, last, upstream=False))
    lines.append(f"{number(t_in, 3)} → {number(t_out, 3)} {u.T_unit}")
    q = float(comps.loc[heat, "Q_W"].sum())
    extra = []
    if abs(q) > 1e-6 * max(float(comps["Q_W"].abs().max()), 1.0):
        extra.append(f"{'+' if q > 0 else '−'}{number(abs(u.Q(q)), 3)} {u.Q_unit}")
    nodes = run.result.nodes
    dp = float(
        nodes.loc[comps.loc[first, "inlet"], "p_Pa"] - nodes.loc[comps.loc[last, "outlet"], "p_Pa"]
    )
    if float(comps.loc[first, "m_dot_kg_s"]) < 0:
        dp = -dp
    if abs(dp) > 1.0:
        extra.append(f"{'rise ' if dp < 0 else 'Δp '}{number(abs(u.p(dp)), 3)} {u.p_unit}")
    if extra:
        lines.append(" · ".join(extra))
    return lines


def _instance_of(run: Any) -> dict[str, tuple[str, str]]:
    """Case component -> (template-instance prefix, name inside the instance)."""
    out = {}
    for s in run.case.components:
        inst = getattr(s, "instance", None)
        if inst and s.name.startswith(inst + "."):
            out[s.name] = (inst, s.name[len(inst) + 1 :])
    return out


def schematic(run: Any, path_branches: list[str], path: Path, u: _Units) -> Path | None:
    """``schematic.png``: each loop as a ring of the case's components, values written on them."""
    plt = _plt()
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    owner = run.case.model.owner
    rings = _loops(run, path_branches)
    if not rings:
        return None
    by_owner: dict[str, list[str]] = {}
    for b in run.result.components.index:
        by_owner.setdefault(owner.get(str(b), str(b)), []).append(str(b))
    inst = _instance_of(run)
    counts: dict[str, int] = {}
    for _prefix, local in inst.values():
        counts[local] = counts.get(local, 0) + 1
    bw, bh, gap = 3.3, 1.5, 0.9
    width = max((len(r) + 1) // 2 for r, _ in rings)
    data_w = width * (bw + gap) + 1.0
    data_h = len(rings) * (2 * bh + 1.9) + 1.1
    fig, ax = plt.subplots(figsize=(max(7.0, 0.62 * data_w), 0.62 * data_h + 0.4))
    ax.set_xlim(-0.5, width * (bw + gap) + 0.5)
    ax.set_ylim(-(len(rings)) * (2 * bh + 1.9), 0.3)
    ax.axis("off")
    comps = run.result.components
    for k, (ring, ring_branches) in enumerate(rings):
        others_b = {b for j, (_, rb) in enumerate(rings) if j != k for b in rb}
        y_top = -k * (2 * bh + 1.9) - bh
        y_bot = y_top - bh - 1.1
        n_top = (len(ring) + 1) // 2
        spots = [
            (i * (bw + gap), y_top) if i < n_top else ((2 * n_top - 1 - i) * (bw + gap), y_bot)
            for i in range(len(ring))
        ]
        for i, ((x, y), name) in enumerate(zip(spots, ring, strict=True)):
            branches = [b for b in ring_branches if owner.get(b, b) == name]
            if not branches:
                continue
            heat = heat_branches(name, branches, by_owner, others_b)
            q = float(comps.loc[heat, "Q_W"].sum())
            q = q if abs(q) > 1e-6 * max(float(comps["Q_W"].abs().max()), 1.0) else 0.0
            fc = "#fdecea" if q > 0 else ("#e7f0fa" if q < 0 else "#f6f8fa")
            ax.add_patch(
                FancyBboxPatch((x, y), bw, bh, boxstyle="round,pad=0.05", fc=fc, ec="#59636e", lw=1)
            )
            text = _box_text(run, name, branches, heat, u)
            if name in inst and counts.get(inst[name][1], 1) > 1:
                text.insert(1, f"1 of {counts[inst[name][1]]} instances in parallel")
            if k > 0 and any(name in r for r, _ in rings[:k]):
                text[0] += " (other side)"
            ax.text(x + 0.12, y + bh - 0.12, _txt(text[0]), fontsize=8, fontweight="bold", va="top")
            ax.text(
                x + 0.12,
                y + bh - 0.45,
                "\n".join(text[1:]),
                fontsize=7.5,
                va="top",
                linespacing=1.3,
            )
            if len(ring) < 2:
                continue
            nx, ny = spots[(i + 1) % len(ring)]
            if y == ny and i < n_top:
                a, b2, rad = (x + bw, y + bh / 2), (nx, ny + bh / 2), 0.0
            elif y == ny:
                a, b2, rad = (x, y + bh / 2), (nx + bw, ny + bh / 2), 0.0
            elif y > ny:
                a, b2, rad = (x + bw * 0.75, y), (nx + bw * 0.75, ny + bh), 0.0
            else:
                a, b2, rad = (x + bw * 0.25, y + bh), (nx + bw * 0.25, ny), 0.0
            ax.add_patch(
                FancyArrowPatch(
                    a,
                    b2,
                    arrowstyle="-|>",
                    mutation_scale=12,
                    color="#4c72b0",
                    lw=1.4,
                    connectionstyle=f"arc3,rad={rad}",
                )
            )
    others = sorted(
        {s.name for s in run.case.components}
        - {o for r, _ in rings for o in r}
        - {n for n, (p, local) in inst.items() if counts.get(local, 1) > 1}
    )
    note = "loops drawn in the direction of flow; a rack is one box (its trays collapsed)"
    if others:
        shown = ", ".join(others[:12]) + (" …" if len(others) > 12 else "")
        note += f"; not on a drawn loop: {shown}"
    ax.set_title(
        f"{run.case.name}: schematic (case components; red: heat in, blue: heat out)", fontsize=10
    )
    fig.text(0.01, 0.01, note, fontsize=7, color="0.35")
    return _save(fig, path, plt)


def write_point_plots(run: Any, out_dir: Path) -> list[Path]:
    """Write the operating-point plots of ``run``; return the paths written.

    A plot that cannot be drawn for this network (an unusual topology) is left out with a
    warning naming it; the results and the other plots are still written.
    """
    import warnings

    u = _Units(getattr(run.case.outputs, "units", "SI"))
    written: list[Path] = []

    def attempt(what: str, draw: Any, *args: Any) -> None:
        try:
            got = draw(*args)
        except Exception as exc:  # noqa: BLE001 - a plot must not cost the run its results
            warnings.warn(f"{what} not drawn: {type(exc).__name__}: {exc}", UserWarning, 2)
            return
        if got is not None:
            written.append(got)

    attempt("flows.png", flow_bars, run, out_dir / "flows.png", u)
    try:
        branches = critical_path(run.result, run.case.outputs.supply_node)
        segs = segments(run.result, branches, run.case.model.owner) if branches else []
    except Exception as exc:  # noqa: BLE001
        warnings.warn(f"no flow path for the path plots: {exc}", UserWarning, 2)
        return written
    if segs:
        attempt(
            "temperature_path.png", temperature_path, run, segs, out_dir / "temperature_path.png", u
        )
        attempt(
            "hydraulic_grade.png", hydraulic_grade, run, segs, out_dir / "hydraulic_grade.png", u
        )
        attempt("schematic.png", schematic, run, branches, out_dir / "schematic.png", u)
    return written
