"""``report.html``: one self-contained page per run (issue 18, item 1).

Everything the page shows is inside the file: the plots are embedded as base64 PNG, the style sheet
is inline, there is no script and no reference to the network, so the page opens in any browser,
offline, and can be attached to a ticket or an e-mail as it is. Written with the standard library
(``html.escape``); every piece of text that comes from a case file (names, titles, descriptions,
flag messages, the case file itself) is escaped.

Sections: headline (pass/fail, the key numbers), description, summary in the case's units
(``[outputs] units``), checks with their margins, flags grouped by severity, plots with captions,
inputs (every component as read, with the defaults it took), files, and the footer with the thermo
version and the case file's sha256.
"""

from __future__ import annotations

import base64
import hashlib
import inspect
from html import escape
from pathlib import Path
from typing import Any

from thermo.case.display_units import check_kind, check_row, flag_text, number, quantity

__all__ = ["report_html", "write_report_html", "write_partial_html"]

_STYLE = """
:root { --ok: #1a7f37; --bad: #c62828; --warn: #9a6700; --ink: #1f2328; --mute: #59636e;
  --line: #d1d9e0; --bg2: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 0 24px 48px; }
header { border-bottom: 1px solid var(--line); padding: 18px 0 10px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--line);
  padding-bottom: 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.meta { color: var(--mute); font-size: 13px; }
.meta code { font-size: 12px; }
.verdict { display: inline-block; font-weight: 600; padding: 4px 12px; border-radius: 6px;
  color: #fff; margin: 10px 0 4px; }
.verdict.pass { background: var(--ok); }
.verdict.fail { background: var(--bad); }
.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; min-width: 150px;
  background: var(--bg2); }
.tile .k { color: var(--mute); font-size: 12px; }
.tile .v { font-size: 20px; font-weight: 600; white-space: nowrap; }
.tile .u { font-size: 13px; font-weight: 400; color: var(--mute); }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg2); }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.fail td { background: #fdecea; }
.pass-t { color: var(--ok); font-weight: 600; }
.fail-t { color: var(--bad); font-weight: 600; }
.sev-error { color: var(--bad); font-weight: 600; }
.sev-warning { color: var(--warn); font-weight: 600; }
.desc { background: var(--bg2); border-left: 3px solid var(--line);
  padding: 2px 12px; }
.desc p { margin: 6px 0; }
figure { margin: 14px 0 22px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--mute); font-size: 13px; margin-top: 4px; }
pre.case { background: var(--bg2); padding: 10px; overflow-x: auto; font-size: 12px; }
details summary { cursor: pointer; color: var(--mute); }
footer { margin-top: 36px; border-top: 1px solid var(--line); padding-top: 8px; color: var(--mute);
  font-size: 12px; }
"""


def _e(text: Any, limit: int = 2000, lines: bool = False) -> str:
    """Case-file text for HTML: control characters and bidi overrides made visible, then escaped
    (``lines``: line breaks kept, each line limited to ``limit`` characters)."""
    from thermo.case.problems import printable

    if lines:
        return "\n".join(_e(line, limit) for line in str(text).splitlines())
    return escape(printable(str(text), limit), quote=True)


def case_digest(path: Path | None) -> str:
    """sha256 (hex) of the case file as run, or ``""`` for a case read from text."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table from already-escaped cell HTML."""
    out = ["<table>"]
    if any(head):
        out += ["<thead><tr>", *(f"<th>{h}</th>" for h in head), "</tr></thead>"]
    out.append("<tbody>")
    for r in rows:
        cls = ""
        if r and r[0].startswith("\x00fail"):
            cls, r = ' class="fail"', [r[0][5:], *r[1:]]
        cells = "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(r)
        )
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _headline(run: Any, system: str) -> str:
    from thermo.case.output import _HEADLINE, reuse_headline

    n_fail = sum(not c.passed for c in run.checks)
    n_err = sum(r["severity"] == "error" for r in run.flag_summary)
    ok = run.converged and n_fail == 0
    if not run.checks:
        verdict = "solved, no checks" if run.converged else "did not converge"
    else:
        verdict = f"{len(run.checks) - n_fail} of {len(run.checks)} checks pass"
        if n_fail:
            verdict = f"FAIL: {n_fail} of {len(run.checks)} checks fail"
    if n_err:
        verdict += f"; {n_err} error flag kind(s)"
    out = [f'<div class="verdict {"pass" if ok else "fail"}">{_e(verdict)}</div>']
    tiles = []
    reuse = reuse_headline(run.annual)
    if reuse:
        out.append(_table(["", ""], [[_e(k), _e(v)] for k, v in reuse]))
    else:
        for k in _HEADLINE:
            if k in run.summary:
                label, text, unit = quantity(k, run.summary[k], system)
                tiles.append(
                    f'<div class="tile"><div class="k">{_e(label.replace("_", " "))}</div>'
                    f'<div class="v">{_e(text)} <span class="u">{_e(unit)}</span></div></div>'
                )
    if tiles:
        out.append(f'<div class="tiles">{"".join(tiles)}</div>')
    return "".join(out)


def _summary(run: Any, system: str) -> str:
    rows = []
    for k, v in run.summary.items():
        label, text, unit = quantity(k, v, system)
        rows.append([_e(label.replace("_", " ")), _e(text), _e(unit), f"<code>{_e(k)}</code>"])
    head = ["quantity", "value", "unit", "results.json key (SI)"]
    return _table(head, rows, {1})


def _checks(run: Any, system: str) -> str:
    if not run.checks:
        return "<p>This case has no checks.</p>"
    rows = []
    for r in run.checks:
        c = check_row(r.to_dict(), check_kind(r), system)
        result = (
            '<span class="pass-t">pass</span>'
            if c["passed"]
            else '<span class="fail-t">FAIL</span>'
        )
        if c["error"]:
            result += f" {_e(c['error'])}"
        first = _e(c["name"])
        if not c["passed"]:
            first = "\x00fail" + first
        rows.append(
            [
                first,
                _e(c["element"] or ""),
                _e(c["value"]),
                _e(f"{c['op']} {c['limit']}"),
                _e(c["unit"]),
                _e(c["margin"]),
                result,
            ]
        )
    head = ["check", "worst element", "value", "limit", "unit", "margin", "result"]
    note = (
        '<p class="meta">margin: how far the value is from its limit, on the safe side when '
        "positive (limit minus value for a maximum, value minus limit for a minimum), and as a "
        "share of the limit.</p>"
    )
    return _table(head, rows, {2, 3, 5}) + note


def _flags(run: Any, system: str) -> str:
    rows = run.flag_summary
    doubts = list(getattr(run, "plausibility", []) or [])
    out = []
    if doubts:
        items = "".join(f"<li>{_e(d, 1000)}</li>" for d in doubts)
        out.append(
            f'<h3 class="sev-warning">INPUTS ({len(doubts)} far outside engineering practice)'
            f"</h3><ul>{items}</ul>"
        )
    if not rows:
        out.append("<p>No flags: no state outside a model's range, nothing questionable.</p>")
        return "".join(out)
    annual = run.result is None
    for severity in ("error", "warning", "info"):
        group = [r for r in rows if r["severity"] == severity]
        if not group:
            continue
        unit = "hours" if annual else "elements"
        out.append(f'<h3 class="sev-{severity}">{severity.upper()} ({len(group)} kind(s))</h3>')
        body = []
        for r in group:
            where = r["element"]
            if annual and r.get("hour") is not None:
                where = f"{where}, hour {r['hour']}"
            body.append(
                [
                    f"<code>{_e(r['code'])}</code>",
                    _e(r["count"]),
                    _e(where),
                    _e(flag_text(r["message"], system)),
                ]
            )
        out.append(_table(["kind", f"count ({unit})", "worst", "message"], body, {1}))
    flags = run.result.flags if run.result is not None else []
    if flags:
        body = [
            [
                _e(f.element),
                f"<code>{_e(f.code)}</code>",
                _e(f.severity),
                _e(flag_text(f.message, system)),
            ]
            for f in flags[:200]
        ]
        more = f"<p>… and {len(flags) - 200} more in results.json</p>" if len(flags) > 200 else ""
        out.append(
            f"<details><summary>every flag ({len(flags)})</summary>"
            f"{_table(['element', 'kind', 'severity', 'message'], body)}{more}</details>"
        )
    return "".join(out)


def _plots(run: Any, out_dir: Path, files: list[str]) -> str:
    from thermo.case.captions import file_caption

    figs = []
    for name in files:
        if not name.endswith(".png"):
            continue
        path = out_dir / name
        try:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
        except OSError:
            continue
        cap = file_caption(name, run)
        figs.append(
            f'<figure id="plot-{_e(name)}"><img src="data:image/png;base64,{data}" '
            f'alt="{_e(cap)}"><figcaption><b>{_e(name)}</b>: {_e(cap)}</figcaption></figure>'
        )
    return "".join(figs) if figs else "<p>No plots (written with plots off).</p>"


def _si_text(value: Any, param: Any, system: str) -> str:
    """A parameter value (SI, as the loader produced it) for the inputs table, in ``system``.

    ``param`` is the :class:`~thermo.case.param_types.Param` it was read with (its quantity
    kind, the kinds of a curve's two columns, the specs of a sub-table's keys), or None.
    """
    from thermo.case.display_units import compact, kind_value

    kind = getattr(param, "kind", "") or ""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if kind == "volume_flow" and abs(value) >= 0.5 and system != "US":
            return f"{compact(value)} m³/s"  # air flows: 42 m³/s, not 2,520,000 L/min
        got = kind_value(value, kind, system)
        return f"{compact(got[0])} {got[1]}".strip() if got else compact(value)
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            sub = param.field(str(k)) if param is not None and param.fields else None
            # named sub-tables (rack plates): each value is a table of the same fields
            parts.append(f"{k} = {_si_text(v, sub if sub is not None else param, system)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, (list, tuple)):
        cols = getattr(param, "columns", ("", ""))
        if kind in ("curve", "pair") and any(cols):
            from thermo.case.param_types import Param

            def cell(v: Any, c: str) -> str:
                return _si_text(v, Param("", c, ""), system)

            if kind == "pair" and len(value) == 2 and not isinstance(value[0], (list, tuple)):
                return f"({cell(value[0], cols[0])}, {cell(value[1], cols[1])})"
            return (
                "["
                + ", ".join(
                    f"({cell(a, cols[0])}, {cell(b, cols[1])})"
                    if isinstance(pt, (list, tuple)) and len(pt) == 2
                    else _si_text(pt, None, system)
                    for pt in value
                    for a, b in [pt if isinstance(pt, (list, tuple)) and len(pt) == 2 else (0, 0)]
                )
                + "]"
            )
        return "[" + ", ".join(_si_text(v, None, system) for v in value) + "]"
    return str(value)


def _defaults_of(spec: Any) -> dict[str, Any]:
    """The constructor defaults a component took for the case-file keys it did not give."""
    try:
        sig = inspect.signature(spec.ctype.build())
    except (TypeError, ValueError, ImportError, AttributeError):
        return {}
    keys = {p.name for p in spec.ctype.params}
    return {
        k: p.default
        for k, p in sig.parameters.items()
        if k in keys and k not in spec.kwargs and p.default is not inspect.Parameter.empty
    }


def _inputs(run: Any, system: str) -> str:
    case = run.case
    rows = []
    for s in case.components:
        given = []
        for k, v in s.kwargs.items():
            p = s.ctype.param(k)
            given.append(f"{k} = {_si_text(v, p, system)}")
        defaults = []
        for k, v in _defaults_of(s).items():
            if v is None:
                continue
            p = s.ctype.param(k)
            defaults.append(f"{k} = {_si_text(v, p, system)}")
        ports = ", ".join(f"{k} = {v}" for k, v in s.nodes.items())
        rows.append(
            [
                f"<code>{_e(s.name)}</code>",
                _e(s.ctype.name),
                _e(ports),
                _e("; ".join(given), 4000),
                _e("; ".join(defaults), 4000),
            ]
        )
    out = []
    if getattr(case, "overrides", None):
        changed = "; ".join(f"{k} = {v!r}" for k, v in case.overrides.items())
        out.append(f"<p><b>Changed by --set before validation:</b> <code>{_e(changed)}</code></p>")
    out += [
        f"<p>{len(case.components)} component(s) as read (after templates and instances), "
        "values converted from the case file's units; defaults are the values a component "
        "took for keys the file leaves out.</p>",
        _table(["component", "type", "ports", "given", "defaults taken"], rows),
    ]
    if case.controls:
        crow = [
            [
                _e(c.name),
                _e(f"{c.component}.{c.parameter}"),
                _e(c.target),
                _e(", ".join(f"{k} = {v}" for k, v in c.refs.items())),
                _e(number(c.setpoint)),
                _e(f"{number(c.lower)} … {number(c.upper)}"),
            ]
            for c in case.controls
        ]
        out.append("<h3>Controls</h3>")
        head = ["control", "adjusts", "target", "where", "setpoint (SI)", "bounds"]
        out.append(_table(head, crow))
    sc = case.scenario
    out.append("<h3>Scenario, solver, outputs</h3>")
    srows = [["scenario", _e(sc.kind)]]
    if sc.kind == "annual":
        srows += [["weather", _e(sc.weather)], ["hours", _e(sc.hours)]]
    srows += [["solver options", _e(case.solver or "defaults")]]
    coolants = ", ".join(f"{k} = {v}" for k, v in case.coolants.items())
    srows += [["units shown", _e(system)], ["coolants", _e(coolants or "default")]]
    out.append(_table(["", ""], srows))
    text = _case_text(case.file)
    if text is not None:
        out.append(
            "<details><summary>the case file as run</summary>"
            f'<pre class="case">{_e(text, 2000, lines=True)}</pre></details>'
        )
    return "".join(out)


def _case_text(path: Path | None) -> str | None:
    try:
        raw = Path(path).read_bytes()  # type: ignore[arg-type]
    except (OSError, TypeError):
        return None
    return raw.decode("utf-8", errors="replace")


def _files(run: Any, files: list[str]) -> str:
    from thermo.case.captions import file_caption

    rows = [[f"<code>{_e(f)}</code>", _e(file_caption(f, run))] for f in files]
    rows.append(["<code>report.html</code>", "this page"])
    return _table(["file", "what it holds"], rows)


def report_html(run: Any, files: list[str], out_dir: Path) -> str:
    """The whole page for ``run`` (a :class:`~thermo.case.runner.CaseRun`); ``files`` are the
    names written into ``out_dir`` (PNG plots among them are embedded)."""
    from thermo import __version__

    c = run.case
    system = getattr(c.outputs, "units", "SI")
    digest = case_digest(c.file)
    title = c.title or c.name
    it = run.solver.get("iterations", "?")
    status = "converged" if run.converged else "NOT converged"
    meta = (
        f"case <code>{_e(c.name)}</code> · file <code>{_e(c.label)}</code> · scenario "
        f"{_e(c.scenario.kind)} · {status} ({_e(it)} iterations, {run.wall_s:.2f} s) · "
        f"units {_e(system)} · thermo {_e(__version__)}"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(c.name)}: thermo report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>{_e(title)}</h1><div class='meta'>{meta}</div>",
        '<nav class="meta">'
        + " · ".join(
            f'<a href="#{a}">{a}</a>'
            for a in ("checks", "flags", "summary", "plots", "inputs", "files")
        )
        + "</nav>",
        _headline(run, system),
        "</header>",
    ]
    if c.description:
        paragraphs = [" ".join(p.split()) for p in c.description.strip().split("\n\n")]
        body = "".join(f"<p>{_e(p, 5000)}</p>" for p in paragraphs if p)
        parts.append(f'<h2>Description</h2><div class="desc">{body}</div>')
    claims = (run.annual or {}).get("pilot_comparison")
    if claims:
        parts.append("<h2>The pilot's published claims beside the model</h2>")
        body = [[_e(r[k]) for k in ("claim", "published", "model", "departure")] for r in claims]
        parts.append(_table(["claim", "published", "model", "departure, in numbers"], body))
    parts += _dynamic_sections(run)
    parts += [
        f'<h2 id="checks">Checks</h2>{_checks(run, system)}',
        f'<h2 id="flags">Flags</h2>{_flags(run, system)}',
        f'<h2 id="summary">Summary</h2>{_summary(run, system)}',
        f'<h2 id="plots">Plots</h2>{_plots(run, out_dir, files)}',
        f'<h2 id="inputs">Inputs</h2>{_inputs(run, system)}',
        f'<h2 id="files">Files</h2>{_files(run, files)}',
        f"<footer>thermo {_e(__version__)} · case file <code>{_e(c.label)}</code> sha256 "
        f"<code>{_e(digest or 'n/a (case read from text)')}</code></footer>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


def _dynamic_sections(run: Any) -> list[str]:
    """The headline text of a dynamic run and of a power chain, as the console prints it."""
    import io

    out = []
    if getattr(run, "transient", None) is not None:
        from thermo.transient.report import print_transient

        buf = io.StringIO()
        print_transient(run.transient, buf)
        out.append(
            f'<h2>Dynamic run</h2><pre class="case">{_e(buf.getvalue(), 4000, lines=True)}</pre>'
        )
    if getattr(run, "power", None) is not None:
        from thermo.power.report import print_power

        buf = io.StringIO()
        print_power(run.power, buf)
        out.append(
            f'<h2>Power chain</h2><pre class="case">{_e(buf.getvalue(), 4000, lines=True)}</pre>'
        )
    return out


def write_report_html(run: Any, files: list[str], out_dir: Path) -> Path:
    """Write ``report.html`` into ``out_dir``; return its path."""
    path = Path(out_dir) / "report.html"
    path.write_text(report_html(run, files, Path(out_dir)), encoding="utf-8")
    return path


def write_partial_html(case: Any, exc: Any, out_dir: Path) -> Path:
    """``report.html`` for a solve that did not converge: the verdict, the solver's message, the
    worst residuals and the inputs, so the page never looks like a result."""
    from types import SimpleNamespace

    from thermo import __version__

    system = getattr(case.outputs, "units", "SI")
    worst = [(w.name, w.value) for w in getattr(exc, "worst", [])]
    rows = [[f"<code>{_e(n)}</code>", _e(f"{v:.3g}")] for n, v in worst[:20]]
    fake = SimpleNamespace(case=case)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(case.name)}: thermo report (not converged)</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>{_e(case.title or case.name)}</h1>",
        f"<div class='meta'>case <code>{_e(case.name)}</code> · file <code>{_e(case.label)}</code>"
        f" · thermo {_e(__version__)}</div>",
        '<div class="verdict fail">did not converge: no results, no checks</div></header>',
        f'<h2>Solver</h2><pre class="case">{_e(str(exc), 4000, lines=True)}</pre>',
    ]
    if rows:
        parts.append("<h3>Worst residuals</h3>" + _table(["equation", "residual"], rows, {1}))
    parts += [
        '<p>results.json holds the last iterate (<code>"converged": false</code>).</p>',
        f'<h2 id="inputs">Inputs</h2>{_inputs(fake, system)}',
        f"<footer>thermo {_e(__version__)} · case file <code>{_e(case.label)}</code> sha256 "
        f"<code>{_e(case_digest(case.file) or 'n/a (case read from text)')}</code></footer>",
        "</body></html>",
        "",
    ]
    path = Path(out_dir) / "report.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
