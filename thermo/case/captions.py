"""What each file written by ``thermo run`` holds: one line per file for report.md (issue 18, item 7).

The captions are built from the run itself (its scenario, the number of components exchanging
heat, the hours simulated), so a report never describes a plot the run did not make, and a file
without a caption of its own says so instead of borrowing another's.
"""

from __future__ import annotations

from typing import Any

_FIXED = {
    "results.json": "all results in SI units, the unit in every key (the contract CI scripts read)",
    "nodes.csv": "operating point: one row per node (temperature, pressure, coolant, elevation, head)",
    "components.csv": "operating point: one row per component (flow, pressure drop, heat, "
    "inlet and outlet temperatures, the type's own columns)",
    "boundaries.csv": "operating point: one row per boundary (its node, mass flow in, pressure, "
    "temperature, enthalpy flow)",
    "controls.csv": "operating point: one row per control (the parameter it sets, the value "
    "found within its bounds, the target and what was achieved, saturated or not)",
    "transient.csv": "dynamic run: one row per output time (temperatures, flows, pump speeds)",
    "transient.png": "dynamic run against time: hottest case temperature with its limit, "
    "loop temperatures, flows [L/min], pump speeds",
    "power.csv": "power chain: one-minute means (IT load, IT meter, losses, cooling, facility, "
    "grid, storage powers, battery state of charge)",
    "power_timeseries.png": "IT power, grid draw and battery state of charge against time",
    "power_ramp_histogram.png": "grid ramp rates with and without the storage, the limit marked",
    "power_energy_balance.png": "energy from the grid to the IT load, the losses stage by stage",
    "monthly_energy.png": "monthly energy balance [MWh]: electricity (IT, cooling, heat pump), "
    "heat delivered to the greenhouse (reused, boiler), heat rejected by the dry cooler",
    "load_duration.png": "greenhouse heat demand sorted from the highest hour down, with the heat "
    "recovered from the data centre in the same hours [MW]",
    "sankey.png": "annual energy flows: facility electricity to IT, cooling and heat pump; "
    "IT heat to liquid and air; heat reused, rejected and topped up by the boiler",
    "storage.png": "buffer tank: its temperature hour by hour against the boiler feed and the "
    "charging source [°C]; boiler fuel avoided and tank loss against the tank volume [MWh]",
    "storage_sweep.csv": "buffer tank volume sweep on the same network year: one row per volume "
    "(boiler fuel and fuel avoided, heat reused, coverage, tank loss and first law, flag hours)",
}


def file_caption(name: str, run: Any) -> str:
    """One line saying what file ``name`` written for ``run`` (a :class:`CaseRun`) holds."""
    hours = len(run.hourly) if getattr(run, "hourly", None) is not None else 0
    if name == "hourly.csv":
        return (
            f"annual run: one row per hour ({hours} hours: calendar, weather, IT-load fraction, "
            "KPIs, each check's value, flags per kind)"
        )
    if name == "hourly.png":
        case = ", hottest case" if "max_case_temperature_C" in run.hourly else ""
        return (
            f"over {hours} hours: hottest node{case} and outdoor dry bulb [°C]; "
            "heat into the coolant and pump power [kW]"
        )
    if name == "temperatures.png":
        if run.result is None:
            return (
                f"over {hours} hours: supply and return temperatures of the rack, facility and "
                "greenhouse loops with the outdoor dry bulb [°C]"
            )
        comps = run.result.components
        n = int((comps["Q_W"].abs() > 0).sum())
        case = " and case" if "T_case_C" in comps and comps["T_case_C"].notna().any() else ""
        return f"inlet, outlet{case} temperature [°C] of the {n} components exchanging heat"
    if name == "flows.png" and run.result is not None:
        from thermo.report import point_plots

        found = point_plots.racks(run)
        trays = sum(len(r.trays) for _, r in found)
        if trays > point_plots.MAX_TRAY_BARS:
            return (
                f"volume flow per tray at hall scale: for each of the {len(found)} racks the mean "
                f"of its trays ({trays} in all) with the least- and best-fed tray as whiskers, and "
                "the minimum-flow checks on the trays as lines"
            )
        if found:
            return (
                f"volume flow of each of the {trays} trays, named, grouped by rack ({len(found)}), "
                "with each rack's equal share (rack flow over its trays) and the minimum-flow "
                "checks on the trays as lines"
            )
        n = len(run.result.components)
        shown = "each of the" if n <= 60 else "the 60 largest of the"
        return f"volume flow through {shown} {n} components, named"
    if name == "temperature_path.png":
        return (
            "coolant temperature along the flow path through the hottest component (supply, "
            "cold plate, return, cooler, pump), its case temperature, the heat taken up or given "
            "off per segment, and the temperature limits on the path (case limit, checks)"
        )
    if name == "hydraulic_grade.png":
        return (
            "hydraulic grade line: absolute pressure along the same path, the pump's rise and "
            "the loss of every segment (repeated header pipes collapsed into one)"
        )
    if name == "schematic.png":
        return (
            "schematic: each loop as a ring of the case's components (a rack is one box, "
            "repeated template instances shown once with their count) with flow, temperatures "
            "in and out, heat and pressure change written on them"
        )
    if name == "report.md":
        return "the same report in Markdown (diff-friendly, for CI)"
    if name in _FIXED:
        return _FIXED[name]
    return "written by thermo (no description of this file yet)"


def files_section(run: Any, files: list[str]) -> list[str]:
    """Markdown lines of report.md's "Plots" and "Files" sections for the files written."""
    plots = [f for f in files if f.endswith(".png")]
    lines: list[str] = []
    if plots:
        lines += ["## Plots", ""]
        lines += [f"- [`{f}`]({f}): {file_caption(f, run)}" for f in plots] + [""]
    lines += ["## Files", ""]
    lines += [f"- `{f}`: {file_caption(f, run)}" for f in files if f not in plots]
    lines += [
        "- `report.md`: this report",
        "- `report.html`: this report as one self-contained "
        "page (plots embedded, opens offline in any browser)",
        "",
    ]
    return lines
