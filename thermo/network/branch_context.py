"""The view of the network that a component's vectorised law evaluates against.

:class:`BranchContext` gives a group of branches of one component class their flows, upstream
states and properties at the current iterate, gathered on first access. Split from
:mod:`thermo.network.assembly` (size); importable from there too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from thermo.network.assembly import System


class BranchContext:
    """What a :class:`~thermo.components.base.BranchGroup` sees of the current iterate.

    All arrays are aligned with the group's branches. Properties (``rho``, ``cp``, ``mu``, ``h``, …
    and their temperature derivatives) are those of the upstream node.
    """

    def __init__(self, system: System, idx: np.ndarray, x: np.ndarray, node_state: dict) -> None:
        lay = system.layout
        self._system = system
        self._fluid = system.branch_fluid[idx]
        self.index = idx
        self.m = x[lay.m][idx]
        a = system.inlet[idx]
        c = system.outlet[idx]
        self.forward = self.m >= 0.0
        up = np.where(self.forward, a, c)
        self.T_up = x[lay.T][up]
        # the end temperatures and pressures (T_inlet, T_outlet, p_inlet, p_outlet) and the
        # upstream properties (rho, cp, mu, h, ... of node_state) are gathered on first access
        # (__getattr__): most groups read only a few of them
        self._ends = {
            "T_inlet": (lay.T, a),
            "T_outlet": (lay.T, c),
            "p_inlet": (lay.p, a),
            "p_outlet": (lay.p, c),
        }
        self._node_state = node_state
        self._up = up
        self._u_all = x[lay.u]
        self._m_all = x[lay.m]
        self._T_all = x[lay.T]
        self._x = x

    def __getattr__(self, name: str):
        # only called for attributes not set in __init__
        state = self.__dict__.get("_node_state")
        ends = self.__dict__.get("_ends")
        if state is not None and name in state:
            value = state[name][self._up]
        elif ends is not None and name in ends:
            part, nodes = ends[name]
            value = self._x[part][nodes]
        elif name == "_up_all" and "_x" in self.__dict__:
            value = self._system.upstream(self._x)
        else:
            raise AttributeError(name)
        setattr(self, name, value)
        return value

    def control(self, control_index: np.ndarray, default: np.ndarray) -> np.ndarray:
        """Control values for branches with a control (``control_index >= 0``), else ``default``."""
        out = np.array(default, dtype=float, copy=True)
        has = control_index >= 0
        if has.any():
            out[has] = self._u_all[control_index[has]]
        return out

    def flows_of(self, branches: np.ndarray) -> np.ndarray:
        """Mass flows of other branches (global indices), e.g. the other side of a heat exchanger."""
        return self._m_all[branches]

    def upstream_temperature_of(self, branches: np.ndarray) -> np.ndarray:
        """Upstream temperatures of other branches (global indices)."""
        return self._T_all[self._up_all[branches]]

    def state_of(self, branches: np.ndarray, T: np.ndarray) -> dict[str, np.ndarray]:
        """Properties of the fluid of ``branches`` (global indices) at temperatures ``T``."""
        return self._system.fluids.state(self._system.branch_fluid[branches], T)

    def enthalpy_inverse(self, branches: np.ndarray):
        """``(h, guess) -> (T, cp(T))`` for the fluids of ``branches`` (global indices).

        ``h`` and ``guess`` are arrays whose last axis is aligned with ``branches``; the inversion
        is clipped to each coolant's evaluable window like :meth:`temperature_from_enthalpy`.
        """
        fs = self._system.fluids
        fid = self._system.branch_fluid[branches]

        def inverse(h: np.ndarray, guess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            shape = np.shape(h)
            f = np.broadcast_to(fid, shape).ravel()
            T, cp = fs.temperature_cp(f, np.ravel(h), np.ravel(guess))
            return T.reshape(shape), cp.reshape(shape)

        return inverse

    def heat_capacity_of(self, branches: np.ndarray):
        """``T -> (cp, dcp/dT)`` for the fluids of ``branches`` (global indices), elementwise."""
        fs = self._system.fluids
        fid = self._system.branch_fluid[branches]

        def heat_capacity(T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return fs.heat_capacity(fid, T)

        return heat_capacity

    def enthalpy_cp(self, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Enthalpy and specific heat of this group's fluid(s) at ``T``."""
        return self._system.fluids.enthalpy_cp(self._fluid, T)

    def temperature_from_enthalpy(
        self, h: np.ndarray, guess: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Temperature at enthalpy ``h`` and a mask of values inside the evaluable window.

        Outside the window the temperature is clipped and its derivatives should be taken as 0.
        ``guess`` (e.g. ``T_up + dh/cp``) speeds up the inversion.
        """
        fs = self._system.fluids
        f = self._fluid
        inside = (h > fs.h_lo[f]) & (h < fs.h_hi[f])
        return fs.temperature(f, h, guess), inside
