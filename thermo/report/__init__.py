"""Reports of thermo runs: plots (and, later, tables) written from the results.

Importing this package is light: matplotlib and pandas load only inside the plotting functions.
"""

from __future__ import annotations

from thermo.report.annual_plots import (
    energy_sankey,
    load_duration,
    monthly_energy_balance,
    write_annual_plots,
)
from thermo.report.annual_temperatures import temperatures

__all__ = [
    "energy_sankey",
    "load_duration",
    "monthly_energy_balance",
    "temperatures",
    "write_annual_plots",
]
