"""Coolant properties of a network's nodes and branches, which may belong to different coolants.

:class:`FluidSet` evaluates the coolants' property fits for arrays of nodes or branches (each with
its coolant index), inverts their enthalpy, and holds the evaluable temperature window (the valid
range widened by :data:`MARGIN_K`) to which solver iterates are clipped. Split out of
``thermo.network.assembly``, which uses it.
"""

from __future__ import annotations

import numpy as np

MARGIN_K = 15.0
"""How far beyond a coolant's valid range iterates may go before they are clipped [K]."""


class FluidSet:
    """Property evaluation for nodes or branches that may belong to different coolants."""

    def __init__(self, fluids: list, fluid_of_node: np.ndarray) -> None:
        self.fluids = fluids
        self.fluid_of_node = fluid_of_node
        self.single = len(fluids) == 1
        # iterates may leave the valid range a little (the fits stay sane within ~20 K); beyond
        # that they are clipped, and a converged state outside the valid range is flagged
        self.T_lo = np.array([f.min_temperature - MARGIN_K for f in fluids])
        self.T_hi = np.array([f.max_temperature + MARGIN_K for f in fluids])
        self.h_lo = np.array(
            [f.enthalpy(t, check=False) for f, t in zip(fluids, self.T_lo, strict=True)]
        )
        self.h_hi = np.array(
            [f.enthalpy(t, check=False) for f, t in zip(fluids, self.T_hi, strict=True)]
        )

    def clip_nodes(self, T: np.ndarray) -> np.ndarray:
        """Clip node temperatures to the evaluable window of each node's coolant."""
        f = self.fluid_of_node
        return np.clip(T, self.T_lo[f], self.T_hi[f])

    def _dispatch(self, fluid_id: np.ndarray, T: np.ndarray, fn: str) -> dict[str, np.ndarray]:
        if self.single:
            return _state_dict(getattr(self.fluids[0], fn)(T, check=False))
        out: dict[str, np.ndarray] = {}
        for f, fluid in enumerate(self.fluids):
            sel = np.nonzero(fluid_id == f)[0]
            if not len(sel):
                continue
            part = _state_dict(getattr(fluid, fn)(T[sel], check=False))
            for k, v in part.items():
                out.setdefault(k, np.empty(len(T)))[sel] = v
        return out

    def state(self, fluid_id: np.ndarray, T: np.ndarray) -> dict[str, np.ndarray]:
        """All properties (rho, drho_dT, cp, dcp_dT, mu, dmu_dT, k, h) at ``T``."""
        return self._dispatch(fluid_id, T, "state")

    def enthalpy_cp(self, fluid_id: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.single:
            return self._enthalpy_cp(self.fluids[0], T)
        h = np.empty(len(T))
        cp = np.empty(len(T))
        for i, f in enumerate(self.fluids):
            sel = np.nonzero(fluid_id == i)[0]
            if len(sel):
                h[sel] = f.enthalpy(T[sel], check=False)
                cp[sel] = f.specific_heat(T[sel], check=False)
        return h, cp

    def temperature_cp(
        self, fluid_id: np.ndarray, h: np.ndarray, guess: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`temperature` and the specific heat there (from the last Newton step, whose
        temperature differs by < 1e-10 K: cp to ~1e-13 relative)."""
        h = np.clip(h, self.h_lo[fluid_id], self.h_hi[fluid_id])
        T = np.empty(len(h))
        cp = np.empty(len(h))
        for i, f in enumerate(self.fluids):
            sel = slice(None) if self.single else np.nonzero(fluid_id == i)[0]
            hs = h[sel]
            if not np.size(hs):
                continue
            lo, hi = self.T_lo[i], self.T_hi[i]
            t = np.clip(guess[sel], lo, hi)
            for _ in range(30):
                c = f.specific_heat(t, check=False)
                step = (f.enthalpy(t, check=False) - hs) / c
                t = np.clip(t - step, lo, hi)
                if np.max(np.abs(step)) < 1e-10:
                    break
            T[sel] = t
            cp[sel] = c
        return T, cp

    def heat_capacity(self, fluid_id: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Specific heat and its temperature derivative at ``T`` (elementwise fluids)."""
        if self.single:
            f = self.fluids[0]
            return f.specific_heat(T, check=False), f.specific_heat_dT(T, check=False)
        cp = np.empty(len(T))
        dcp = np.empty(len(T))
        for i, f in enumerate(self.fluids):
            sel = np.nonzero(fluid_id == i)[0]
            if len(sel):
                cp[sel] = f.specific_heat(T[sel], check=False)
                dcp[sel] = f.specific_heat_dT(T[sel], check=False)
        return cp, dcp

    @staticmethod
    def _enthalpy_cp(f, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        fused = getattr(f, "enthalpy_cp", None)
        if fused is not None:
            return fused(T, check=False)
        return f.enthalpy(T, check=False), f.specific_heat(T, check=False)

    def temperature(
        self, fluid_id: np.ndarray, h: np.ndarray, guess: np.ndarray | None = None
    ) -> np.ndarray:
        """Temperature at enthalpy ``h``, clipped to the evaluable window of each coolant.

        Newton's method on each coolant's enthalpy fit (whose derivative is exactly its cp fit),
        started from ``guess`` (e.g. ``T_in + dh/cp``) — usually two steps to 1e-10 K.
        """
        h = np.clip(h, self.h_lo[fluid_id], self.h_hi[fluid_id])
        T = np.empty(len(h))
        for i, f in enumerate(self.fluids):
            sel = slice(None) if self.single else np.nonzero(fluid_id == i)[0]
            hs = h[sel]
            if not np.size(hs):
                continue
            lo, hi = self.T_lo[i], self.T_hi[i]
            if guess is None:
                t = lo + (hs - self.h_lo[i]) * (hi - lo) / (self.h_hi[i] - self.h_lo[i])
            else:
                t = np.clip(guess[sel], lo, hi)
            for _ in range(30):
                h_t, cp_t = self._enthalpy_cp(f, t)
                step = (h_t - hs) / cp_t
                t = np.clip(t - step, lo, hi)
                if np.max(np.abs(step)) < 1e-10:
                    break
            T[sel] = t
        return T


def _state_dict(state) -> dict[str, np.ndarray]:
    return {
        "rho": state.rho,
        "drho_dT": state.drho_dT,
        "cp": state.cp,
        "dcp_dT": state.dcp_dT,
        "mu": state.mu,
        "dmu_dT": state.dmu_dT,
        "k": state.k,
        "h": state.h,
    }
