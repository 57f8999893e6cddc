"""Simplified Newton for time steps: the factorised Jacobian is reused across iterations and steps.

A time step solves the network's equations with the storage terms (:mod:`.storage`) from a
prediction that is already close (the integrator's polynomial extrapolation, within its error
tolerance). Evaluating the residuals is cheap next to refactorising the sparse Jacobian, and
successive steps have nearly the same Jacobian, so — as the BDF codes DASSL, CVODE and IDA do
(Brenan, Campbell & Petzold, *Numerical Solution of Initial-Value Problems in DAEs*, SIAM 1996,
sec. 5.2; Hindmarsh et al., ACM TOMS 31(3), 2005) — each step iterates

    J_old dx = -F(x),      x <- x + dx

with ``J_old`` the LU factors of an earlier Jacobian, and refreshes them only when

- the iteration converges slowly (the scaled residual falls by less than :data:`SLOW` per
  iteration) or grows;
- the BDF coefficient ``a0/dt`` on the storage diagonal changed by more than :data:`RATE_CHANGE`
  since the factorisation (the step length changed, or the order);
- a step was rejected, or an event changed the network (the caller calls :meth:`invalidate`).

The converged state satisfies the same equations to the same tolerance as a full Newton solve
(the test is on the residual, never on the size of the update), so results and the energy ledger
do not depend on which Jacobian was used. When the iteration fails even with fresh factors, the
caller falls back to the network's full Newton method (line search, pseudo-transient
continuation). Networks with controls take this path as long as no control mode changes (no free
actuator leaves its range); otherwise the full method decides.

Coasting pump rotors are advanced inside the same iteration: their speeds join the unknowns
through a bordered system (:class:`thermo.transient.pumps.Coasting`), and the iteration has
converged only when their run-down equations are solved too.
"""

from __future__ import annotations

import math
import time

import numpy as np

__all__ = ["StepSolver"]

SLOW = 0.05
"""An iteration whose scaled residual falls by less than this factor always refreshes the
factors [-] (the Newton tolerance, 1e-8 K, lies five to seven decades below the prediction's
error); a faster one does when the evaluations it still needs cost more than a factorisation
(costs measured during the run)."""
RATE_CHANGE = 1e-3
"""Relative change of ``a0/dt`` beyond which the factors are refreshed [-]. Fluid held at nodes
makes ``M a0/dt`` the largest entry of their energy rows, so a stale rate slows the iteration
by about its relative change; the integrator keeps the step unchanged where it can."""
EXTRA_TOLERANCE = 1e-10
"""Convergence of extra unknowns (relative pump speeds): their residual over ``a0/dt`` [-]."""
MAX_ITERATIONS = 12
"""Evaluations of one step before it is handed to the full Newton method [-]."""
MAX_FILL = 30
"""LU factors with more than this many entries per entry of the Jacobian (hub nodes of large
manifolds fill in quadratically, see :mod:`thermo.network.linear`) turn the step solver off for
the run: the network's full Newton method solves every step [-]."""
MAX_HALVINGS = 3
"""Step halvings when an iteration with fresh factors made the residual worse [-]."""


class _Pattern:
    """Scatter map from the assembly's COO entries to one CSC matrix (pattern computed once),
    with its columns in a fill-reducing order found once (``order``).

    SuperLU computes its column ordering at every factorisation unless told ``NATURAL``; the
    Jacobian's pattern is fixed (a superset, see :mod:`thermo.network.assembly`), so the order
    found on the first matrix (the better of COLAMD and minimum degree on AᵀA, by fill) is kept
    and the later matrices are factorised in it: measured here 3× faster on rack networks.
    """

    def __init__(self, rows: np.ndarray, cols: np.ndarray, n: int) -> None:
        self.rows = rows
        self.cols = cols
        self.n = n
        self.order = np.arange(n)
        self._scatter(cols)

    def _scatter(self, cols: np.ndarray) -> None:
        n = self.n
        key = cols.astype(np.int64) * n + self.rows
        uniq, self.inverse = np.unique(key, return_inverse=True)
        self.nnz = len(uniq)
        self.indices = (uniq % n).astype(np.int32)
        self.indptr = np.searchsorted(uniq // n, np.arange(n + 1)).astype(np.int32)

    def matrix(self, vals: np.ndarray):
        import scipy.sparse as sp

        data = np.bincount(self.inverse, weights=vals, minlength=self.nnz)
        return sp.csc_matrix((data, self.indices, self.indptr), shape=(self.n, self.n))

    def choose_order(self, vals: np.ndarray) -> int:
        """Fix the column order from the matrix with values ``vals``; returns the fill (entries
        of L and U) in that order."""
        import scipy.sparse.linalg as spl

        A = self.matrix(vals)
        best = None
        for spec in ("COLAMD", "MMD_ATA"):
            try:
                lu = spl.splu(A, permc_spec=spec)
            except RuntimeError:
                continue
            fill = lu.L.nnz + lu.U.nnz
            if best is None or fill < best[0]:
                best = (fill, lu.perm_c)
        if best is None:
            return 0
        # perm_c maps a column to its position: column j of the ordered matrix is column order[j]
        self.order = np.argsort(best[1])
        position = np.empty(self.n, dtype=np.int64)
        position[self.order] = np.arange(self.n)
        self._scatter(position[self.cols])
        return best[0]


class StepSolver:
    """Solve one time step's equations with reused LU factors (see module docstring)."""

    def __init__(self, system, tolerance: float) -> None:
        self.sys = system
        self.tol = tolerance
        self._pattern: _Pattern | None = None
        self._lu = None
        self._lu_rate = 0.0
        self.evaluations = 0
        self.factorisations = 0
        self.iterations = 0
        self.fallbacks = 0
        self._t_eval: float | None = None  # running means of the costs [s]
        self._t_lu: float | None = None
        self.usable = True
        """False when the network needs the full method every time (hub nodes: their Schur
        solution in :mod:`thermo.network.linear` is not factorised once here)."""

    def invalidate(self) -> None:
        """Drop the factors (an event changed the network, or a step was rejected)."""
        self._lu = None

    def _factorise(self, jac) -> bool:
        import scipy.sparse.linalg as spl

        rows, cols, vals = jac
        if self._pattern is None:
            self._pattern = _Pattern(rows, cols, self.sys.layout.size)
            fill = self._pattern.choose_order(vals)
            if fill > MAX_FILL * self._pattern.nnz:
                # an arrow-shaped matrix (manifold headers): the network's own Schur-complement
                # solver handles it, factorising at every iteration
                self.usable = False
                return False
        t0 = time.perf_counter()
        try:
            self._lu = spl.splu(self._pattern.matrix(vals), permc_spec="NATURAL")
        except RuntimeError:  # singular
            self._lu = None
            return False
        self._lu_rate = self._rate()
        self.factorisations += 1
        self._t_lu = _mean(self._t_lu, time.perf_counter() - t0)
        return True

    def _solve(self, b: np.ndarray) -> np.ndarray:
        """``J⁻¹ b`` with the current factors (columns of ``J`` in the pattern's order)."""
        y = self._lu.solve(b)
        x = np.empty_like(y)
        x[self._pattern.order] = y
        return x

    def _refresh_pays(self, merit: float, merit_prev: float) -> bool:
        """Whether fresh factors save time: the iterations a contraction ``merit/merit_prev``
        still needs to reach ``merit <= 1``, less those a fresh Newton needs, times the cost of
        an evaluation, against the cost of a factorisation (both measured during the run)."""
        ratio = merit / merit_prev
        if ratio > SLOW:
            return True
        if ratio <= 0.0 or merit <= 1.0:
            return False
        if self._t_eval is None or self._t_lu is None:
            return False
        # stale factors: iterations at this contraction until merit <= 1 (rounded up, with a
        # margin); fresh ones converge quadratically: one iteration from a residual within
        # 1e4 of the tolerance, else two
        needed = math.ceil(math.log(merit) / -math.log(ratio) + 0.3)
        fresh = 1 if merit < 1e4 else 2
        return (needed - fresh) * self._t_eval > self._t_lu

    def _rate(self) -> float:
        st = self.sys.storage
        return float(st.rate) if st is not None else 0.0

    def _rate_changed(self) -> bool:
        r0, r1 = self._lu_rate, self._rate()
        return abs(r1 - r0) > RATE_CHANGE * max(abs(r0), 1e-300)

    def solve(self, x0: np.ndarray, extras=None) -> tuple[np.ndarray, bool]:
        """Iterate from ``x0``; returns ``(x, converged)``.

        ``extras`` (optional, e.g. :class:`~thermo.transient.pumps.Coasting`): unknowns held
        outside ``x`` with their own equations ``g = 0``, solved in the same iteration through
        the bordered system (``extras.system(x, ev) -> (g, B, C, D)``, ``extras.apply(dn)``);
        convergence needs ``max |g| / rate`` below :data:`EXTRA_TOLERANCE` too.
        """
        sys_ = self.sys
        lay = sys_.layout
        x = x0.copy()
        fresh = False  # factors computed in this solve
        merit_prev = np.inf
        u0 = lay.u.start
        lower = np.array([c.lower for c in sys_.controls])
        upper = np.array([c.upper for c in sys_.controls])
        free = np.array([f is None for f in sys_.control_fixed], dtype=bool)
        k = len(extras) if extras is not None else 0
        g_scale = max(self._rate(), 1e-300)
        prev = None
        halvings = 0
        last_dx = last_dn = None
        for _ in range(MAX_ITERATIONS):
            t0 = time.perf_counter()
            with np.errstate(all="ignore"):
                ev = sys_.evaluate(x, jacobian=True)
                self.evaluations += 1
                Fs = ev.F / sys_.residual_scales(x, ev)
                bordered = extras.system(x, ev) if k else None
            self._t_eval = _mean(self._t_eval, time.perf_counter() - t0)
            norm = float(np.max(np.abs(Fs))) if len(Fs) else 0.0
            merit = norm / self.tol
            if k:
                merit = max(merit, float(np.max(np.abs(bordered[0]))) / g_scale / EXTRA_TOLERANCE)
            if not np.isfinite(merit) or merit > merit_prev:
                if fresh and prev is not None and halvings < MAX_HALVINGS:
                    # worse although the factors are fresh: a shorter step along the same
                    # direction (backtracking, as the network's own Newton method does)
                    halvings += 1
                    frac = 0.5**halvings
                    x = prev[0] + frac * last_dx
                    x[lay.T] = sys_.fluids.clip_nodes(x[lay.T])
                    if k:
                        extras.apply(prev[4] + frac * last_dn - extras.speeds())
                    continue
                # worse than the last iterate: back to it with fresh factors (once)
                if fresh or prev is None:
                    return x, False
                x, ev, merit, bordered, speeds = prev
                if k:
                    extras.apply(speeds - extras.speeds())
                if not self._factorise(ev.jac):
                    return x, False
                fresh = True
            else:
                if merit <= 1.0:
                    sys_._last_eval = (x, ev)
                    return x, True
                slow = self._refresh_pays(merit, merit_prev)
                if self._lu is None or self._rate_changed() or slow:
                    if not self._factorise(ev.jac):
                        return x, False
                    fresh = True
            merit_prev = merit
            halvings = 0
            prev = (x, ev, merit, bordered, extras.speeds() if k else None)
            dx = self._solve(-ev.F)
            if k:
                g, B, C, D = bordered
                Z = self._solve(B)
                if Z.ndim == 1:
                    Z = Z[:, None]
                CZ = np.array([[float(v @ Z[c, i]) for i in range(k)] for c, v in C])
                CY = np.array([float(v @ dx[c]) for c, v in C])
                try:
                    dn = np.linalg.solve(D - CZ, -g - CY)
                except np.linalg.LinAlgError:
                    return x, False
                dx = dx - Z @ dn
                extras.apply(dn)
                last_dn = dn
            self.iterations += 1
            if not np.all(np.isfinite(dx)):
                return x, False
            last_dx = dx
            x = x + dx
            x[lay.T] = sys_.fluids.clip_nodes(x[lay.T])
            if len(free) and free.any():
                u = x[u0 : u0 + len(free)]
                if np.any(free & ((u < lower) | (u > upper))):
                    return x, False  # a control would saturate: the full method decides
        return x, False


def _mean(old: float | None, new: float) -> float:
    """Running mean of a measured cost (the first measurement as it is)."""
    return new if old is None else 0.8 * old + 0.2 * new
