"""Sparse linear solves for the Newton iteration, with linear cost on manifold networks.

Manifold networks (two headers with thousands of branches) give Jacobians with a few dense rows and
columns — the header nodes' balances touch every branch. A general fill-reducing LU (SuperLU with
COLAMD, as scipy's ``spsolve`` uses) fills in quadratically on such "arrow" matrices: measured here,
16 384 branches gave 1.4e8 factor entries and 10 s per factorisation. We therefore split the
unknowns of *hub* nodes (degree above a threshold) from the rest and solve by a Schur complement:

    [A_LL A_LH] [x_L]   [b_L]        S = A_HH - A_HL A_LL^-1 A_LH   (dense, tiny)
    [A_HL A_HH] [x_H] = [b_H]        x_H = S^-1 (b_H - A_HL A_LL^-1 b_L)

``A_LL`` (everything but the hubs) is block-sparse and factorises with little fill. The sparsity
pattern is fixed, so the permutation and the CSC structure are computed once and each iteration
only scatters new values (``np.bincount``).
"""

from __future__ import annotations

import numpy as np

HUB_DEGREE = 24
"""Nodes with more incident elements than this are treated as hubs [-]."""
MAX_HUB_NODES = 48
"""At most this many hub nodes (their Schur block is dense) [-]."""


class _Block:
    """CSC structure of one block of the permuted matrix and the scatter map of its entries."""

    def __init__(self, r: np.ndarray, c: np.ndarray, shape: tuple[int, int]) -> None:
        self.shape = shape
        key = c.astype(np.int64) * shape[0] + r
        uniq, self.inverse = np.unique(key, return_inverse=True)
        self.nnz = len(uniq)
        self.indices = (uniq % shape[0]).astype(np.int32)
        col = uniq // shape[0]
        self.indptr = np.searchsorted(col, np.arange(shape[1] + 1)).astype(np.int32)

    def matrix(self, v: np.ndarray):
        import scipy.sparse as sp

        data = np.bincount(self.inverse, weights=v, minlength=self.nnz)
        return sp.csc_matrix((data, self.indices, self.indptr), shape=self.shape)


MAX_DENSE_BLOCK = 24
"""Largest independent block of ``A_LL`` solved by batched dense LU instead of sparse LU [-]."""


class _SmallBlocks:
    """``A_LL`` as independent small dense blocks (e.g. one per manifold branch), solved in batches.

    Once the hub unknowns are removed, a manifold's remaining matrix falls apart into one small
    block per branch. numpy's batched ``solve`` on stacked ``(k, s, s)`` arrays then replaces a
    sparse LU whose per-column overhead dominates at these sizes.
    """

    def __init__(self, groups: list, n: int, block: _Block):
        self.groups = groups  # (entries, flat positions, rows, cols, size) per block size
        self.n = n
        self.block = block

    def __bool__(self) -> bool:
        return True

    @staticmethod
    def detect(block: _Block) -> _SmallBlocks | bool:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        n = block.shape[0]
        if n == 0:
            return False
        col = np.repeat(np.arange(block.shape[1]), np.diff(block.indptr))
        row = block.indices.astype(np.int64)
        # bipartite graph: rows 0..n-1, columns n..2n-1
        g = coo_matrix((np.ones(len(row)), (row, n + col)), shape=(2 * n, 2 * n))
        count, labels = connected_components(g, directed=False)
        r_lab, c_lab = labels[:n], labels[n:]
        r_size = np.bincount(r_lab, minlength=count)
        c_size = np.bincount(c_lab, minlength=count)
        if np.any(r_size != c_size) or r_size.max() > MAX_DENSE_BLOCK:
            return False
        # position of each row/col inside its block
        r_order = np.argsort(r_lab, kind="stable")
        c_order = np.argsort(c_lab, kind="stable")
        start = np.concatenate([[0], np.cumsum(r_size)[:-1]])
        r_pos = np.empty(n, dtype=np.int64)
        r_pos[r_order] = np.arange(n) - start[r_lab[r_order]]
        c_pos = np.empty(n, dtype=np.int64)
        c_pos[c_order] = np.arange(n) - start[c_lab[c_order]]
        # entries of the unique CSC structure -> (block, i, j)
        e_block = r_lab[row]
        groups = []
        for size in np.unique(r_size):
            blocks = np.nonzero(r_size == size)[0]
            slot = np.full(count, -1, dtype=np.int64)
            slot[blocks] = np.arange(len(blocks))
            sel = np.nonzero(slot[e_block] >= 0)[0]
            flat = (slot[e_block[sel]] * size + r_pos[row[sel]]) * size + c_pos[col[sel]]
            rows_in = np.empty((len(blocks), size), dtype=np.int64)
            cols_in = np.empty((len(blocks), size), dtype=np.int64)
            in_r = np.nonzero(slot[r_lab] >= 0)[0]
            rows_in[slot[r_lab[in_r]], r_pos[in_r]] = in_r
            in_c = np.nonzero(slot[c_lab] >= 0)[0]
            cols_in[slot[c_lab[in_c]], c_pos[in_c]] = in_c
            groups.append((sel, flat, rows_in, cols_in, int(size)))
        return _SmallBlocks(groups, n, block)

    def solve(self, v: np.ndarray, rhs: np.ndarray) -> np.ndarray:
        """Solve ``A_LL X = rhs`` given the COO values ``v`` of ``A_LL``; singular → non-finite."""
        data = np.bincount(self.block.inverse, weights=v, minlength=self.block.nnz)
        out = np.empty((self.n, rhs.shape[1]))
        for sel, flat, rows_in, cols_in, size in self.groups:
            k = rows_in.shape[0]
            dense = np.zeros(k * size * size)
            dense[flat] = data[sel]
            dense = dense.reshape(k, size, size)
            out[cols_in] = batched_solve(dense, rhs[rows_in])
        return out


def batched_solve(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Solve ``A[i] X[i] = B[i]`` for stacked small matrices by Gaussian elimination with partial
    pivoting, vectorised over the stack (numpy's batched ``solve`` calls LAPACK once per matrix,
    which costs more than the arithmetic at these sizes). A singular matrix gives inf/NaN.

    Works on ``(s, s, k)`` copies so that every operation runs contiguously over the stack.
    """
    k, s, _ = A.shape
    a = np.ascontiguousarray(A.transpose(1, 2, 0))
    b = np.ascontiguousarray(B.transpose(1, 2, 0))
    cols = np.arange(k)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(s):
            p = j + np.argmax(np.abs(a[j:, j, :]), axis=0)
            swap = p != j
            if swap.any():
                w = cols[swap]
                pj = p[swap]
                row_j = a[j][:, w].copy()
                a[j][:, w] = a[pj, :, w].T
                a[pj, :, w] = row_j.T
                rb = b[j][:, w].copy()
                b[j][:, w] = b[pj, :, w].T
                b[pj, :, w] = rb.T
            if j + 1 < s:
                factor = a[j + 1 :, j, :] / a[j, j, :]
                a[j + 1 :, j:, :] -= factor[:, None, :] * a[j, j:, :][None, :, :]
                b[j + 1 :, :, :] -= factor[:, None, :] * b[j][None, :, :]
        x = np.empty_like(b)
        for j in range(s - 1, -1, -1):
            acc = (
                b[j] - np.einsum("lk,lrk->rk", a[j, j + 1 :, :], x[j + 1 :]) if j + 1 < s else b[j]
            )
            x[j] = acc / a[j, j, :]
    return x.transpose(2, 0, 1)


class LinearSolver:
    """Solve ``J dx = b`` for a fixed sparsity pattern given as COO ``rows``/``cols``.

    ``hub_dofs`` are the unknowns (and, with the same indices, the equations) of hub nodes. If the
    rest of the matrix is singular on its own — e.g. the flow through a fixed-pressure pump between
    two hubs is set only by the hubs' mass balances — a maximum bipartite matching (Hopcroft–Karp,
    ``scipy.sparse.csgraph.maximum_bipartite_matching``) of the first Jacobian's non-zeros finds the
    unmatched equations and unknowns, and they join the Schur block too.
    """

    def __init__(
        self,
        size: int,
        rows: np.ndarray,
        cols: np.ndarray,
        hub_dofs: np.ndarray,
        vals: np.ndarray | None = None,
    ) -> None:
        self.size = size
        self.rows = rows
        self.cols = cols
        self.full = _Block(rows, cols, (size, size))
        self.factorisations = 0
        self._small_blocks: _SmallBlocks | bool | None = None
        h_rows = np.unique(hub_dofs).astype(np.int64)
        h_cols = h_rows.copy()
        if len(h_rows) and vals is not None:
            h_rows, h_cols = self._complete(h_rows, h_cols, vals)
        self._partition(h_rows, h_cols)

    def _complete(self, h_rows, h_cols, vals):
        import scipy.sparse as sp
        from scipy.sparse.csgraph import maximum_bipartite_matching

        in_h_row = np.zeros(self.size, dtype=bool)
        in_h_row[h_rows] = True
        in_h_col = np.zeros(self.size, dtype=bool)
        in_h_col[h_cols] = True
        L_rows = np.nonzero(~in_h_row)[0]
        L_cols = np.nonzero(~in_h_col)[0]
        rpos = np.full(self.size, -1)
        rpos[L_rows] = np.arange(len(L_rows))
        cpos = np.full(self.size, -1)
        cpos[L_cols] = np.arange(len(L_cols))
        keep = (rpos[self.rows] >= 0) & (cpos[self.cols] >= 0) & (vals != 0.0)
        g = sp.csr_matrix(
            (np.ones(int(keep.sum())), (rpos[self.rows[keep]], cpos[self.cols[keep]])),
            shape=(len(L_rows), len(L_cols)),
        )
        match = maximum_bipartite_matching(g, perm_type="column")
        unmatched_rows = L_rows[match < 0]
        matched_cols = np.zeros(len(L_cols), dtype=bool)
        matched_cols[match[match >= 0]] = True
        unmatched_cols = L_cols[~matched_cols]
        return (
            np.concatenate([h_rows, unmatched_rows]).astype(np.int64),
            np.concatenate([h_cols, unmatched_cols]).astype(np.int64),
        )

    def _partition(self, h_rows: np.ndarray, h_cols: np.ndarray) -> None:
        size = self.size
        hr = np.zeros(size, dtype=bool)
        hr[h_rows] = True
        hc = np.zeros(size, dtype=bool)
        hc[h_cols] = True
        self.Lr, self.Hr = np.nonzero(~hr)[0], np.nonzero(hr)[0]
        self.Lc, self.Hc = np.nonzero(~hc)[0], np.nonzero(hc)[0]
        nL = len(self.Lr)
        self.nL = nL
        rperm = np.empty(size, dtype=np.int64)
        rperm[self.Lr] = np.arange(nL)
        rperm[self.Hr] = nL + np.arange(len(self.Hr))
        cperm = np.empty(size, dtype=np.int64)
        cperm[self.Lc] = np.arange(nL)
        cperm[self.Hc] = nL + np.arange(len(self.Hc))
        r = rperm[self.rows]
        c = cperm[self.cols]
        nH = len(self.Hr)
        self.blocks = {}
        self.masks = {}
        for name, rm, cm in (
            ("LL", r < nL, c < nL),
            ("LH", r < nL, c >= nL),
            ("HL", r >= nL, c < nL),
            ("HH", r >= nL, c >= nL),
        ):
            mask = rm & cm
            rr = r[mask] - (0 if name[0] == "L" else nL)
            cc = c[mask] - (0 if name[1] == "L" else nL)
            shape = (nL if name[0] == "L" else nH, nL if name[1] == "L" else nH)
            self.masks[name] = mask
            self.blocks[name] = _Block(rr, cc, shape)

    @property
    def schur_size(self) -> int:
        return len(self.Hr)

    def solve(self, vals: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Return ``x`` with ``J x = b``; raises ``RuntimeError`` if ``J`` is singular."""
        import scipy.linalg as sla
        import scipy.sparse.linalg as spl

        self.factorisations += 1
        if not len(self.Hr):
            return self._solve_full(vals, b)
        ALH = self.blocks["LH"].matrix(vals[self.masks["LH"]]).toarray()
        AHL = self.blocks["HL"].matrix(vals[self.masks["HL"]])
        AHH = self.blocks["HH"].matrix(vals[self.masks["HH"]]).toarray()
        rhs = np.column_stack([ALH, b[self.Lr]])
        v_ll = vals[self.masks["LL"]]
        if self._small_blocks is None:
            self._small_blocks = _SmallBlocks.detect(self.blocks["LL"])
        if self._small_blocks:
            sol = self._small_blocks.solve(v_ll, rhs)
        else:
            ALL = self.blocks["LL"].matrix(v_ll)
            try:
                lu = spl.splu(ALL, permc_spec="COLAMD")
            except RuntimeError:
                return self._solve_full(vals, b)
            sol = lu.solve(rhs)
        if not np.all(np.isfinite(sol)):
            return self._solve_full(vals, b)
        Z, y = sol[:, :-1], sol[:, -1]
        S = AHH - AHL @ Z
        try:
            xH = sla.solve(S, b[self.Hr] - AHL @ y)
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise RuntimeError(f"singular Schur complement: {exc}") from None
        x = np.empty(self.size)
        x[self.Lc] = y - Z @ xH
        x[self.Hc] = xH
        return x

    def _solve_full(self, vals: np.ndarray, b: np.ndarray) -> np.ndarray:
        import scipy.sparse.linalg as spl

        A = self.full.matrix(vals)
        lu = spl.splu(A, permc_spec="COLAMD")
        return lu.solve(b)
