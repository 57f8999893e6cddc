"""Outputs of a case run: ``results.json``, CSV tables, PNG plots, ``report.md``, console summary.

``results.json`` is the contract CI scripts rely on (documented in ``docs/cli.md``): values are SI
with the unit in the key (``pump_power_W``), temperatures in °C (``_C``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, TextIO

from thermo.case.problems import printable
from thermo.case.runner import CaseRun, solver_dict

__all__ = [
    "results_dict",
    "partial_results_dict",
    "write_outputs",
    "write_partial",
    "print_summary",
    "junit_xml",
]


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _case_header(run_case: Any) -> dict[str, Any]:
    return {
        "name": run_case.name,
        "title": run_case.title,
        "file": run_case.label,
        "scenario": run_case.scenario.kind,
        **({"overrides": dict(run_case.overrides)} if getattr(run_case, "overrides", None) else {}),
    }


def _tables(result: Any) -> dict[str, Any]:
    full = result.to_dict()
    nodes = {
        name: {"T_C": row["T_C"], "p_Pa": row["p_Pa"], "coolant": row["coolant"]}
        for name, row in full["nodes"].items()
    }
    return {
        "nodes": nodes,
        "components": full["components"],
        "boundaries": full["boundaries"],
        "controls": full["controls"],
        "flags": full["flags"],
    }


def results_dict(run: CaseRun) -> dict[str, Any]:
    """The ``results.json`` document of a run."""
    from thermo import __version__

    out: dict[str, Any] = {
        "thermo_version": __version__,
        "case": _case_header(run.case),
        "converged": run.converged,
        "summary": run.summary,
        "flag_summary": run.flag_summary,
        "checks": [c.to_dict() for c in run.checks],
        "solver": run.solver,
        "wall_s": run.wall_s,
    }
    if run.result is not None:
        out.update(_tables(run.result))
    if run.annual is not None:
        out["annual"] = run.annual
        out["hourly_csv"] = "hourly.csv"
    if run.transient is not None:
        out["transient"] = {
            "csv": "transient.csv",
            "ledger": run.transient.ledger,
            "events": run.transient.events,
            "flags": run.transient.flags,
        }
    if getattr(run, "power", None) is not None:
        out["power"] = run.power.to_dict()
    return _plain(out)


def partial_results_dict(case: Any, exc: Any) -> dict[str, Any]:
    """``results.json`` for a solve that did not converge (last iterate, no checks)."""
    from thermo import __version__

    out: dict[str, Any] = {
        "thermo_version": __version__,
        "case": _case_header(case),
        "converged": False,
        "summary": {},
        "checks": [],
        "error": str(exc),
    }
    result = getattr(exc, "result", None)
    if result is not None:
        out["solver"] = solver_dict(result)
        try:
            out.update(_tables(result))
        except Exception:  # noqa: BLE001 - a diverged iterate may not tabulate; keep the report
            pass
    else:
        out["solver"] = {
            "converged": False,
            "iterations": getattr(exc, "iterations", 0),
            "worst_residuals": [
                {"name": w.name, "value": w.value} for w in getattr(exc, "worst", [])
            ],
        }
    return _plain(out)


def write_partial(case: Any, exc: Any, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "results.json"
    path.write_text(json.dumps(partial_results_dict(case, exc), indent=2) + "\n")
    return path


def write_outputs(run: CaseRun, out_dir: Path, *, plots: bool | None = None) -> list[Path]:
    """Write ``results.json``, CSV tables, plots, ``report.md`` and ``report.html``; return the
    paths written."""
    spec = run.case.outputs
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    path = out_dir / "results.json"
    path.write_text(json.dumps(results_dict(run), indent=2) + "\n")
    written.append(path)
    from thermo.case.display_units import convert_table, kind_unit

    system = getattr(spec, "units", "SI")
    if run.result is not None:
        for name in spec.tables:
            p = out_dir / f"{name}.csv"
            convert_table(run.result.table(name), system).write_csv(p)
            written.append(p)
    if run.hourly is not None:
        p = out_dir / "hourly.csv"
        table = run.hourly.copy()
        for k, c in enumerate(run.case.checks):
            col = f"check_{k}"
            target = kind_unit(c.kind, system) if system != "SI" else None
            if target is not None:
                from thermo.units import from_si

                table[col] = [v if v != v else from_si(v, target[0]) for v in table[col]]
                unit = target[1]
            else:
                table[col] = [c.display(v) for v in table[col]]
                unit = c.unit or "-"
            table = table.rename(columns={col: f"check: {printable(c.name)} [{unit}]"})
        convert_table(table, system).to_csv(p)
        written.append(p)
    if run.transient is not None:
        from thermo.transient.report import write_transient

        written += write_transient(
            run.transient, out_dir, plots=spec.plots if plots is None else plots
        )
    if getattr(run, "power", None) is not None:
        from thermo.power.report import write_power_outputs

        written += write_power_outputs(
            run.power, out_dir, plots=spec.plots if plots is None else plots
        )
    if run.annual is not None and "storage" in run.annual:
        from thermo.report.storage_plots import write_storage_outputs

        written += write_storage_outputs(run, out_dir, plots=spec.plots if plots is None else plots)
    if spec.plots if plots is None else plots:
        written += _plots(run, out_dir)
    if spec.report:
        from thermo.report.html import write_report_html

        names = [w.name for w in written]
        p = out_dir / "report.md"
        p.write_text(report_markdown(run, names))
        written.append(p)
        written.append(write_report_html(run, names + ["report.md"], out_dir))
    return written


def _plots(run: CaseRun, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    if run.result is not None:
        from thermo.report.point_plots import write_point_plots

        comps = run.result.components
        heated = comps[comps["Q_W"].abs() > 0]
        if len(heated):
            fig, ax = plt.subplots(figsize=(8, 4.5))
            x = range(len(heated))
            ax.plot(x, heated["T_in_C"], "o", ms=3, label="inlet")
            ax.plot(x, heated["T_out_C"], "o", ms=3, label="outlet")
            if "T_case_C" in heated and heated["T_case_C"].notna().any():
                ax.plot(x, heated["T_case_C"], "^", ms=3, label="case")
            _label_axis(ax, list(heated.index))
            ax.set_ylabel("temperature [°C]")
            ax.set_title(f"{run.case.name}: components exchanging heat")
            ax.legend()
            written.append(_save(fig, out_dir / "temperatures.png", plt))
        written += write_point_plots(run, out_dir)
    if run.hourly is not None and "heat_reused_W" in run.hourly:
        from thermo.report.annual_plots import write_annual_plots

        written += write_annual_plots(run.hourly, out_dir, fluids=loop_fluids(run.case))
    elif run.hourly is not None:
        t = run.hourly
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
        a1.plot(t.index, t["max_temperature_C"], lw=0.6, label="hottest node")
        a1.plot(t.index, t["dry_bulb_C"], lw=0.6, label="outdoor dry bulb")
        if "max_case_temperature_C" in t:
            a1.plot(t.index, t["max_case_temperature_C"], lw=0.6, label="hottest case")
        a1.set_ylabel("temperature [°C]")
        a1.legend(fontsize=8)
        a2.plot(t.index, t["heat_added_W"] / 1e3, lw=0.6, label="heat into coolant [kW]")
        a2.plot(t.index, t["pump_power_W"] / 1e3, lw=0.6, label="pump power [kW]")
        a2.set_xlabel("hour of the year [h]")
        a2.set_ylabel("power [kW]")
        a2.legend(fontsize=8)
        a1.set_title(f"{run.case.name}: hourly")
        written.append(_save(fig, out_dir / "hourly.png", plt))
    return written


def loop_fluids(case: Any) -> dict[str, str]:
    """Coolant name of the rack (``tcs``), facility and greenhouse loops of a case, from the
    nodes its outputs and greenhouse rail name (for plot legends: PG25, not "water")."""
    coolant = case.model.node_coolant
    nodes = {
        "tcs": case.outputs.supply_node,
        "facility": case.outputs.facility_supply_node,
    }
    gh = getattr(case, "greenhouse", None)
    if gh is not None and gh.rail in case.model.branch_ports:
        nodes["greenhouse"] = case.model.branch_ports[gh.rail][0]
    out = {}
    for loop, node in nodes.items():
        c = coolant.get(node) if node else None
        if c is not None:
            out[loop] = str(getattr(c, "name", c))
    return out


def _label_axis(ax: Any, names: list[str]) -> None:
    """Each name under its point; beyond 40, one label per parent (``rack.tray07``) when that
    makes at most 80 groups, else the network order."""
    if len(names) <= 40:
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels(names, rotation=90, fontsize=7)
        return
    groups: list[tuple[str, list[int]]] = []
    for i, n in enumerate(names):
        parent = n.rsplit(".", 1)[0] if "." in n else n
        if groups and groups[-1][0] == parent:
            groups[-1][1].append(i)
        else:
            groups.append((parent, [i]))
    if 1 < len(groups) <= 80 and len(groups) < len(names):
        ax.set_xticks([sum(ix) / len(ix) for _, ix in groups])
        ax.set_xticklabels([g for g, _ in groups], rotation=90, fontsize=6)
        for _, ix in groups[1:]:
            ax.axvline(ix[0] - 0.5, color="0.9", lw=0.5, zorder=0)
    else:
        ax.set_xlabel("component (in network order)")


def _save(fig: Any, path: Path, plt: Any) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _fmt(v: Any) -> str:
    """Six significant figures, no exponent for ordinary magnitudes (3000000 W, not 3e+06)."""
    from thermo.case.display_units import plain

    return plain(v) if isinstance(v, float) else str(v)


def _file_digest(path: Path | None) -> str:
    """`` (sha256 …)`` of the case file as run, or ``""`` for a case read from text."""
    import hashlib

    try:
        return f" (sha256 {hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]})"
    except (OSError, TypeError):
        return ""


def report_markdown(run: CaseRun, files: list[str]) -> str:
    """A short Markdown report: summary, checks, flags, plots and files with what each holds."""
    from thermo import __version__

    c = run.case
    lines = [f"# {_md(c.title or c.name)}", ""]
    if c.description:
        lines += [_md(c.description.strip(), 5000, keep_lines=True), ""]
    lines += [
        f"- case file: `{_md(c.label)}`{_file_digest(c.file)}",
        f"- thermo {__version__}",
        f"- scenario: {c.scenario.kind}",
        *(
            [
                f"- changed by --set: `{_md('; '.join(f'{k} = {v!r}' for k, v in c.overrides.items()))}`"
            ]
            if getattr(c, "overrides", None)
            else []
        ),
        f"- converged: {run.converged} ({run.solver.get('iterations', '?')} iterations, "
        f"{run.wall_s:.2f} s)",
        "",
    ]
    headline = reuse_headline(run.annual)
    if headline:
        lines += ["## Headline", "", "| | |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in headline] + [""]
    claims = (run.annual or {}).get("pilot_comparison")
    if claims:
        lines += [
            "## The pilot's published claims beside the model",
            "",
            "| claim | published | model | departure, in numbers |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['claim']} | {r['published']} | {r['model']} | {r['departure']} |" for r in claims
        ] + [""]
    from thermo.case.display_units import check_kind, check_row, flag_text, quantity

    system = getattr(c.outputs, "units", "SI")
    if system == "SI":
        lines += ["## Summary", "", "| quantity | value |", "|---|---|"]
        lines += [f"| `{k}` | {_fmt(v)} |" for k, v in run.summary.items()]
    else:
        lines += [
            f"## Summary ({system} units; results.json keeps SI)",
            "",
            "| quantity | value | unit | results.json key |",
            "|---|---|---|---|",
        ]
        for k, v in run.summary.items():
            label, text, unit = quantity(k, v, system)
            lines.append(f"| {label} | {text} | {unit} | `{k}` |")
    if run.checks:
        lines += [
            "",
            "## Checks",
            "",
            "| check | value | limit | unit | margin | result |",
            "|---|---|---|---|---|---|",
        ]
        for r in run.checks:
            d = r.to_dict()
            row = check_row(d, check_kind(r), system)
            value, limit, unit = _check_text(r, d, system)
            value = "—" if d["value"] is None else value
            op = "≤" if d["bound"] == "max" else "≥"
            where = f" ({d['element']})" if d["element"] else ""
            result = "pass" if d["passed"] else f"**FAIL**{': ' + d['error'] if d['error'] else ''}"
            lines.append(
                f"| {_md(d['name'])}{_md(where)} | {value} | {op} {limit} | "
                f"{_md(unit)} | {row['margin']} | {_md(result)} |"
            )
    if run.flag_summary:
        annual = run.result is None
        lines += ["", "## Flags by kind", ""]
        lines += [
            f"- **{r['severity']}** {_md(_flag_line(r, annual, system))}" for r in run.flag_summary
        ]
    flags = run.result.flags if run.result is not None else []
    if flags:
        lines += ["", "## Flags", ""]
        lines += [
            f"- `{_md(f.element)}` {_md(f.code)} ({f.severity}): {_md(flag_text(f.message, system))}"
            for f in flags[:30]
        ]
        if len(flags) > 30:
            lines.append(f"- … and {len(flags) - 30} more (see `results.json`)")
    from thermo.case.captions import files_section

    lines += [""] + files_section(run, files)
    return "\n".join(lines)


_HEADLINE = (
    "heat_added_W",
    "heat_removed_W",
    "pump_power_W",
    "max_temperature_C",
    "min_temperature_C",
    "max_case_temperature_C",
    "supply_temperature_C",
    "return_temperature_C",
    "min_freezing_margin_K",
    "pue",
    "erf",
    "heat_recovered_W",
    "hours",
    "heat_added_kWh",
    "pump_energy_kWh",
    "heat_recovered_kWh",
)


def print_summary(run: CaseRun, stream: TextIO) -> None:
    """The concise console summary: headline KPIs and one line per check."""
    c = run.case
    it = run.solver.get("iterations", "?")
    stream.write(f"{c.name}: {printable(c.title)}\n" if c.title else f"{c.name}\n")
    if getattr(c, "overrides", None):
        changed = ", ".join(f"{k} = {printable(repr(v))}" for k, v in c.overrides.items())
        stream.write(f"  case changed by --set: {changed}\n")
    stream.write(f"  solved in {it} iterations, {run.wall_s:.2f} s\n")
    headline = reuse_headline(run.annual)
    if headline:
        rows = headline
    else:
        from thermo.case.display_units import summary_rows

        keys = [k for k in _HEADLINE if k in run.summary]
        rows = summary_rows(run.summary, keys, getattr(c.outputs, "units", "SI"))
    width = max((len(k) for k, _ in rows), default=0)
    for k, v in rows:
        stream.write(f"  {k.ljust(width)}  {v}\n")
    if run.transient is not None:
        from thermo.transient.report import print_transient

        print_transient(run.transient, stream)
    claims = (run.annual or {}).get("pilot_comparison")
    if claims:
        stream.write("the pilot's published claims beside the model\n")
        for r in claims:
            stream.write(f"  {r['claim']}\n")
            stream.write(f"    published  {r['published']}\n")
            stream.write(f"    model      {r['model']}\n")
            stream.write(f"    departure  {r['departure']}\n")
    if getattr(run, "power", None) is not None:
        from thermo.power.report import print_power

        print_power(run.power, stream)
    system = getattr(c.outputs, "units", "SI")
    print_flags(
        run.flag_summary,
        stream,
        annual=run.annual is not None or run.hourly is not None,
        system=system,
    )
    if run.checks:
        stream.write("checks\n")
        for r in run.checks:
            d = r.to_dict()
            value, limit, unit = _check_text(r, d, system)
            op = "<=" if d["bound"] == "max" else ">="
            where = f" at {d['element']}" if d["element"] else ""
            extra = f" ({d['error']})" if d["error"] else ""
            stream.write(
                f"  {'PASS' if d['passed'] else 'FAIL'}  {printable(d['name'])}: {value} {op} "
                f"{limit} {unit}{printable(where)}{printable(extra, 2000)}\n"
            )
        failed = sum(not r.passed for r in run.checks)
        stream.write(f"{len(run.checks) - failed} passed, {failed} failed\n")


def _check_text(result: Any, d: dict, system: str) -> tuple[str, str, str]:
    """Value, limit and unit of a check line: as written under "SI", else in ``system``."""
    if system == "SI":
        value = "n/a" if d["value"] is None else _fmt(d["value"])
        return value, _fmt(d["limit"]), d["unit"]
    from thermo.case.display_units import check_kind, check_row

    row = check_row(d, check_kind(result), system)
    return row["value"], row["limit"], row["unit"] or "-"


def _flag_line(row: dict, annual: bool, system: str = "SI") -> str:
    from thermo.case.display_units import flag_text

    where = row["element"]
    if annual and row.get("hour") is not None:
        where = f"{where}, hour {row['hour']}"
    unit = "hours" if annual else ("element" if row["count"] == 1 else "elements")
    message = flag_text(row["message"], system)
    return f"{row['code']} ({row['count']} {unit}): worst {where}: {message}"


def print_flags(
    rows: list[dict], stream: TextIO, *, annual: bool = False, system: str = "SI"
) -> None:
    """The flags, grouped by kind: severity, count (elements, or hours of an annual run), the
    worst element and its message (values in °C, W, L/min, kPa; converted to ``system``)."""
    if not rows:
        return
    n_err = sum(r["severity"] == "error" for r in rows)
    stream.write(f"flags: {n_err} error kind(s), {len(rows) - n_err} warning kind(s)\n")
    for r in rows:
        line = printable(_flag_line(r, annual, system), 400)
        stream.write(f"  {r['severity'].upper():7s}  {line}\n")


def junit_xml(run: CaseRun) -> str:
    """JUnit XML (one test case per check) for CI systems."""
    from xml.sax.saxutils import quoteattr

    c = run.case
    failed = sum(not r.passed for r in run.checks)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name={quoteattr("thermo check")} tests="{len(run.checks)}" '
        f'failures="{failed}" time="{run.wall_s:.3f}">',
        f'  <testsuite name={quoteattr(_xml(c.name))} tests="{len(run.checks)}" '
        f'failures="{failed}" errors="0" time="{run.wall_s:.3f}">',
    ]
    for r in run.checks:
        d = r.to_dict()
        value = "n/a" if d["value"] is None else _fmt(d["value"])
        op = "<=" if d["bound"] == "max" else ">="
        text = f"{_xml(d['name'])}: {value} {op} {_fmt(d['limit'])} {_xml(d['unit'])}"
        if d["element"]:
            text += f" (worst: {_xml(d['element'])})"
        if d["error"]:
            text += f" ({_xml(d['error'])})"
        out.append(
            f"    <testcase classname={quoteattr(_xml(c.name))} name={quoteattr(_xml(d['name']))}>"
        )
        if not d["passed"]:
            out.append(f"      <failure message={quoteattr(text)}>{_esc(text)}</failure>")
        else:
            out.append(f"      <system-out>{_esc(text)}</system-out>")
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>", ""]
    return "\n".join(out)


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_xml(text))


def _xml(text: Any) -> str:
    """Text valid in XML 1.0: control characters and bidi overrides as visible escapes."""
    return printable(str(text), 2000)


def _md(text: Any, limit: int = 500, keep_lines: bool = False) -> str:
    """Text from a case file for ``report.md``: no raw HTML, no table breaks, nothing unseen.

    ``<``, ``>`` and ``&`` become HTML entities, ``|`` and backticks are escaped, control
    characters and bidirectional overrides become visible ``\\xNN`` / ``\\uNNNN`` escapes.
    """
    text = str(text)
    if keep_lines:
        return "\n".join(_md(line, limit) for line in text.splitlines()[:200])
    text = printable(text, limit)
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "\\`")):
        text = text.replace(a, b)
    return text


def _num(v: float, digits: int = 3) -> str:
    """A number with thousands separators and about ``digits`` significant digits."""
    if v == 0 or not math.isfinite(v):
        return f"{v:g}"
    decimals = max(0, digits - 1 - int(math.floor(math.log10(abs(v)))))
    return f"{v:,.{decimals}f}"


def reuse_headline(annual: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The headline lines of an annual heat-reuse study (empty for other runs)."""
    a = annual or {}
    if "heat_reused_MWh" not in a or "greenhouse_demand_MWh" not in a:
        return []
    cur = next((k[len("money_saved_") :] for k in a if k.startswith("money_saved_")), None)
    rows = [
        (
            "heat reused",
            f"{_num(a['heat_reused_MWh'])} MWh ({_num(a['heat_reused_direct_MWh'])} direct, "
            f"{_num(a['heat_pump_heat_MWh'])} via heat pumps) of "
            f"{_num(a['heat_to_liquid_MWh'])} MWh captured by liquid",
        ),
    ]
    if a.get("greenhouse_coverage") is not None:
        rows.append(
            (
                "greenhouse coverage",
                f"{100 * a['greenhouse_coverage']:.1f} % of {_num(a['greenhouse_demand_MWh'])} "
                f"MWh demand (boiler {_num(a['boiler_heat_MWh'])} MWh)",
            )
        )
    if a.get("heat_surplus_MWh") is not None:
        rows.append(
            (
                "surplus heat",
                f"{_num(a['heat_surplus_MWh'])} MWh delivered beyond demand in "
                f"{a['surplus_hours']} h (not counted as reuse); "
                f"{_num(a['heat_offered_MWh'])} MWh offered",
            )
        )
    if a.get("boiler_fuel") == "electric":
        rows.append(
            (
                "boiler electricity avoided",
                f"{_num(a['electricity_avoided_MWh'])} MWh (electric boilers; boiler-only "
                f"reference {_num(a['boiler_only_fuel_MWh'])} MWh)",
            )
        )
        rows.append(
            ("CO2 avoided", f"{_num(a['co2_avoided_t'])} t (grid electricity, net of heat pumps)")
        )
    else:
        rows.append(
            (
                "gas avoided",
                f"{_num(a['gas_avoided_m3'])} m³ (boiler-only reference "
                f"{_num(a['boiler_only_fuel_MWh'])} MWh fuel)",
            )
        )
        rows.append(("CO2 avoided", f"{_num(a['co2_avoided_t'])} t (net of heat-pump electricity)"))
    if cur is not None:
        span = "per year" if a.get("hours") == 8760 else f"over {a.get('hours')} h"
        rows.append(("money saved", f"{_num(a['money_saved_' + cur])} {cur} {span}"))
    rows.append(("heat rejected", f"{_num(a['heat_rejected_MWh'])} MWh by the dry coolers"))
    from thermo.case.storage_spec import storage_headline

    rows += storage_headline(a)
    if a.get("reject_while_boiler_hours"):
        rows.append(
            (
                "WARNING rejecting",
                f"{_num(a['reject_while_boiler_MWh'])} MWh rejected in "
                f"{a['reject_while_boiler_hours']} h while the boiler fired",
            )
        )
    if a.get("reuse_reverse_hours"):
        rows.append(
            (
                "WARNING backwards",
                f"a reuse exchanger ran backwards (boiler heat into the data-centre loop) in "
                f"{a['reuse_reverse_hours']} h: {_num(a['reuse_reverse_MWh'])} MWh, up to "
                f"{_num(a['reuse_reverse_max_kW'])} kW",
            )
        )
    rows.append(
        (
            "PUE / ERE / ERF",
            f"{a['pue']:.3f} / {a['ere']:.3f} / {a['erf']:.3f}"
            + (f" (EnEfG PUE {a['pue_enefg']:.3f})" if a.get("pue_enefg") is not None else ""),
        )
    )
    if a.get("cue_kg_per_kWh") is not None:
        rows.append(("CUE", f"{a['cue_kg_per_kWh']:.3g} kg CO2 per kWh of IT energy"))
    if a.get("tokens_per_kWh_gross") is not None:
        rows.append(
            (
                "tokens per kWh",
                f"{_num(a['tokens_per_kWh_gross'])} per kWh of facility electricity "
                f"({_num(a['tokens_per_kWh_it'])} per kWh of IT)",
            )
        )
    rows.append(
        (
            "energy closure",
            f"{a['closure_rel']:.1e} relative; IT {_num(a['it_energy_MWh'])} MWh, "
            f"facility {_num(a['facility_energy_MWh'])} MWh",
        )
    )
    return rows
