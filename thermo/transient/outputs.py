"""Output rows of a transient run: what the time-series CSV holds at each output time."""

from __future__ import annotations

from typing import Any

import numpy as np

KELVIN = 273.15


def default_record(run: Any, x: np.ndarray, ev: Any, t: float) -> dict[str, float]:
    """Time, driven IT power, plate case temperatures (hottest, least margin), pump speeds and
    flows, tank layer temperatures, stored energy, and the nodes named in ``run.outputs``."""
    model = run.model
    sys_ = model.system
    lay = sys_.layout
    row: dict[str, float] = {"time_s": t}
    row["it_power_W"] = float(sum(np.sum(w.P) for w in model.walls)) + _driven_loads(run)
    if model.walls:
        Tw = np.concatenate([w.T_wall for w in model.walls])
        lim = np.concatenate([w.group.T_limit for w in model.walls])
        row["hottest_case_C"] = float(Tw.max() - KELVIN)
        row["least_case_margin_K"] = float(np.min(lim - Tw))
    T = x[lay.T]
    m = x[lay.m]
    for name in getattr(run, "output_nodes", []) or []:
        row[f"T_{name}_C"] = float(T[sys_.node_index[name]] - KELVIN)
    for name, r in model.rotors.rotors.items():
        b = r.group.branch_index[r.local]
        row[f"speed_{name}"] = float(r.group.speed[r.local])
        rho = ev.node_state["rho"][sys_.upstream(x)[b]]
        row[f"flow_{name}_L_min"] = float(m[b] / rho * 6e4)
    for name in getattr(run, "output_branches", []) or []:
        b = sys_.branch_position[name]
        rho = ev.node_state["rho"][sys_.upstream(x)[b]]
        row[f"flow_{name}_L_min"] = float(m[b] / rho * 6e4)
    for tank, nodes in model.tanks.items():
        for k, node in enumerate(nodes):
            row[f"T_{tank}_layer{k + 1}_C"] = float(T[node] - KELVIN)
    row["stored_energy_J"] = model.stored_energy(x)
    return row


def _driven_loads(run: Any) -> float:
    total = 0.0
    for d in run.drives:
        for name in d.targets:
            if name not in run.plate_local:
                g, i = run.sys.group_of[name]
                total += float(g.q[i])
    return total
