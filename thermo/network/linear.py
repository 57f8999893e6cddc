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
"""Largest independent block of ``A_LL`` solved by batched dense elimination instead of sparse LU
[-]."""
PAD_SMALL_GROUP = 4096
"""Blocks of a smaller size are padded (identity rows) into the next larger size's batch when the
padding adds at most this many matrix cells or the cells the larger batch has already [-]."""


class _Group:
    """One batch of ``k`` independent blocks of ``A_LL`` padded to size ``s``, with their hub
    columns: the augmented matrices ``[A_bb | A_bH(cg) | b_b]`` live in one ``(s, t, k)`` array
    (``t = s + w + 1``, ``w = len(cg)``), the block index innermost so that every step of the
    elimination is one vectorised operation over all blocks."""

    __slots__ = ("s", "k", "t", "w", "cg", "sel", "pos", "pad", "b_rows", "b_pos")
    __slots__ += ("hl_sel", "hl_layers", "hl_buffer", "hl_rows", "out_dofs", "out_flat")
    __slots__ += ("layers", "buffer", "work")


class _SmallBlocks:
    """``A_LL`` as independent small dense blocks (e.g. one per manifold branch), solved in batches.

    Once the hub unknowns are removed, a manifold's remaining matrix falls apart into one small
    block per branch. Each block's augmented matrix ``[A_bb | A_bH | b_b]`` is eliminated (Gaussian
    elimination with partial pivoting) for all blocks at once, which replaces a sparse LU whose
    per-column overhead dominates at these sizes; the Schur complement ``S = A_HH - A_HL Z`` and
    the hub right-hand side are then summed from the blocks' solutions directly. The positions of
    every Jacobian entry in these arrays are computed once; each solve is a few ``bincount``,
    gather and elimination steps.
    """

    def __init__(self, groups: list[_Group], hh: tuple[np.ndarray, np.ndarray], nH: int):
        self.groups = groups
        self.hh_sel, self.hh_pos = hh
        self.nH = nH

    @staticmethod
    def detect(solver: LinearSolver) -> _SmallBlocks | None:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        n, nH = solver.nL, len(solver.Hr)
        if n == 0 or nH == 0:
            return None
        row, col = solver.local["LL"]
        # bipartite graph: rows 0..n-1, columns n..2n-1
        g = coo_matrix((np.ones(len(row)), (row, n + col)), shape=(2 * n, 2 * n))
        count, labels = connected_components(g, directed=False)
        r_lab, c_lab = labels[:n], labels[n:]
        r_size = np.bincount(r_lab, minlength=count)
        c_size = np.bincount(c_lab, minlength=count)
        if np.any(r_size != c_size) or r_size.max() > MAX_DENSE_BLOCK:
            return None
        # position of each row/col inside its block
        start = np.concatenate([[0], np.cumsum(r_size)[:-1]])
        r_order = np.argsort(r_lab, kind="stable")
        c_order = np.argsort(c_lab, kind="stable")
        r_pos = np.empty(n, dtype=np.int64)
        r_pos[r_order] = np.arange(n) - start[r_lab[r_order]]
        c_pos = np.empty(n, dtype=np.int64)
        c_pos[c_order] = np.arange(n) - start[c_lab[c_order]]
        # batches: block sizes from large to small; a smaller size joins the current batch
        # (padded) when that is cheap
        sizes = np.unique(r_size)[::-1]
        batches: list[list[int]] = []
        cells = 0
        for size in sizes:
            cnt = int(np.count_nonzero(r_size == size))
            if batches:
                big = batches[-1][0]
                extra = cnt * (big * big - size * size)
                if extra <= max(cells, PAD_SMALL_GROUP):
                    batches[-1].append(int(size))
                    cells += cnt * big * big
                    continue
            batches.append([int(size)])
            cells = cnt * int(size) ** 2
        lh_r, lh_c = solver.local["LH"]
        groups = []
        lh_blk = r_lab[lh_r]
        for members in batches:
            s = members[0]
            in_batch = np.nonzero(np.isin(r_size, members))[0]
            for blocks in _split_by_hub_columns(in_batch, lh_blk, lh_c, count):
                rows, cols = (r_lab, r_pos), (c_lab, c_pos)
                groups.append(_SmallBlocks._group(solver, s, blocks, count, r_size, rows, cols))
        hh = np.nonzero(solver.masks["HH"])[0]
        hh_r, hh_c = solver.local["HH"]
        return _SmallBlocks(groups, (hh, hh_r * nH + hh_c), nH)

    @staticmethod
    def _group(solver, s, blocks, count, r_size, rows, cols) -> _Group:
        """The batch of ``blocks`` (labels of independent blocks of ``A_LL``) padded to size
        ``s``: positions of every Jacobian entry in its stacked arrays."""
        r_lab, r_pos = rows
        c_lab, c_pos = cols
        nH = len(solver.Hr)
        row, col = solver.local["LL"]
        ll = np.nonzero(solver.masks["LL"])[0]
        lh = np.nonzero(solver.masks["LH"])[0]
        lh_r, lh_c = solver.local["LH"]
        hl = np.nonzero(solver.masks["HL"])[0]
        hl_r, hl_c = solver.local["HL"]
        k = len(blocks)
        slot = np.full(count, -1, dtype=np.int64)
        slot[blocks] = np.arange(k)
        gr = _Group()
        gr.s, gr.k = s, k
        lh_in = slot[r_lab[lh_r]] >= 0
        cg = np.unique(lh_c[lh_in])
        w = len(cg)
        t = s + w + 1
        gr.t, gr.w, gr.cg = t, w, cg
        where_cg = np.full(nH, -1, dtype=np.int64)
        where_cg[cg] = np.arange(w)
        # A_LL and A_LH entries -> flat positions in the (s, t, k) array
        ll_in = slot[r_lab[row]] >= 0
        rr, cc = row[ll_in], col[ll_in]
        pos_ll = (r_pos[rr] * t + c_pos[cc]) * k + slot[r_lab[rr]]
        rr, cc = lh_r[lh_in], lh_c[lh_in]
        pos_lh = (r_pos[rr] * t + s + where_cg[cc]) * k + slot[r_lab[rr]]
        gr.sel = np.concatenate([ll[ll_in], lh[lh_in]])
        gr.pos = np.concatenate([pos_ll, pos_lh])
        # duplicate positions are summed into the distinct ones; the stack itself is a
        # buffer kept between solves (a new one of this size each solve costs the kernel's
        # page faults, several times the arithmetic)
        gr.layers = _layers(gr.pos, gr.sel)
        gr.buffer = np.zeros(s * t * k)
        gr.work = np.empty(s * t * k)
        # padding: unit diagonal in the unused rows/columns of smaller blocks
        bsize = r_size[blocks]
        pad = [(p * t + p) * k + np.nonzero(bsize <= p)[0] for p in range(int(bsize.min()), s)]
        gr.pad = np.concatenate(pad) if pad else np.zeros(0, dtype=np.int64)
        # right-hand side of the block rows
        rows_in = np.nonzero(slot[r_lab] >= 0)[0]
        gr.b_rows = solver.Lr[rows_in]
        gr.b_pos = (r_pos[rows_in] * t + t - 1) * k + slot[r_lab[rows_in]]
        # A_HL entries on this batch's unknowns, stacked as (hub row, block unknown, block) in
        # a kept buffer: the Schur update is then s small matrix products
        hl_in = np.nonzero(slot[c_lab[hl_c]] >= 0)[0]
        gr.hl_sel = hl[hl_in]
        gr.hl_rows, h_idx = np.unique(hl_r[hl_in], return_inverse=True)
        hpos = (h_idx * s + c_pos[hl_c[hl_in]]) * k + slot[c_lab[hl_c[hl_in]]]
        gr.hl_layers = _layers(hpos, gr.hl_sel)
        gr.hl_buffer = np.zeros(len(gr.hl_rows) * s * k)
        # solution: unknown j of the batch sits at (c_pos[j], slot)
        cols_in = np.nonzero(slot[c_lab] >= 0)[0]
        gr.out_dofs = solver.Lc[cols_in]
        gr.out_flat = c_pos[cols_in] * k + slot[c_lab[cols_in]]
        return gr

    def solve(self, solver: LinearSolver, vals: np.ndarray, b: np.ndarray) -> np.ndarray | None:
        """``x`` with ``J x = b``; None when a block or the Schur complement is singular."""

        nH = self.nH
        S = np.bincount(self.hh_pos, weights=vals[self.hh_sel], minlength=nH * nH)
        S = S.reshape(nH, nH)
        rH = b[solver.Hr].astype(float)
        sols = []
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for gr in self.groups:
                M = gr.buffer
                M.fill(0.0)
                _scatter(M, gr.layers, vals)
                M[gr.pad] = 1.0
                M[gr.b_pos] = b[gr.b_rows]
                M = M.reshape(gr.s, gr.t, gr.k)
                if gr.k <= FEW_BLOCKS:
                    _solve_few(M, gr.s)
                else:
                    _eliminate(M, gr.s, gr.work)
                X = M[:, gr.s :, :]  # (s, w + 1, k): rows are the blocks' unknowns
                if not np.all(np.isfinite(X)):
                    return None
                sols.append(X)
                if len(gr.hl_sel):
                    H = gr.hl_buffer
                    H.fill(0.0)
                    _scatter(H, gr.hl_layers, vals)
                    H = H.reshape(len(gr.hl_rows), gr.s, gr.k)
                    # (A_HL X) summed over the blocks: rows = hub rows, columns = [cg | rhs]
                    red = H[:, 0, :] @ X[0].T
                    for i in range(1, gr.s):
                        red += H[:, i, :] @ X[i].T
                    S[np.ix_(gr.hl_rows, gr.cg)] -= red[:, : gr.w]
                    rH[gr.hl_rows] -= red[:, gr.w]
        try:
            xH = np.linalg.solve(S, rH)  # LAPACK gesv as scipy's, without its checks' overhead
        except (np.linalg.LinAlgError, ValueError):
            return None
        if not np.all(np.isfinite(xH)):
            return None
        x = np.empty(solver.size)
        x[solver.Hc] = xH
        for gr, X in zip(self.groups, sols, strict=True):
            xl = X[:, gr.w, :]
            if gr.w:
                xl = xl - np.tensordot(xH[gr.cg], X[:, : gr.w, :], axes=(0, 1))
            x[gr.out_dofs] = xl.reshape(-1)[gr.out_flat]
        return x


FEW_BLOCKS = 8
"""Batches of at most this many blocks are solved by LAPACK (numpy's batched ``solve``) rather
than by the vectorised elimination, whose cost per step does not shrink with the batch [-]."""


def _layers(pos: np.ndarray, sel: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Entries (``sel``: indices into the Jacobian values) going to flat positions ``pos``, split
    into layers of distinct positions: the first entry of every position, then the second, ...
    Assigning the first layer and adding the others sums duplicates in entry order, as
    ``np.bincount`` does, with one gather and one scatter per layer."""
    order = np.argsort(pos, kind="stable")
    p = pos[order]
    start = np.r_[True, p[1:] != p[:-1]] if len(p) else np.zeros(0, dtype=bool)
    first = np.maximum.accumulate(np.where(start, np.arange(len(p)), 0)) if len(p) else p
    rank = np.empty(len(p), dtype=np.int64)
    rank[order] = np.arange(len(p)) - first
    return [(pos[rank == r], sel[rank == r]) for r in range(int(rank.max(initial=-1)) + 1)]


def _scatter(M: np.ndarray, layers, vals: np.ndarray) -> None:
    """``M[pos] += vals[sel]`` over the layers of :func:`_layers` (``M`` zero beforehand)."""
    for i, (pos, sel) in enumerate(layers):
        if i == 0:
            M[pos] = vals[sel]
        else:
            M[pos] += vals[sel]


def _solve_few(M: np.ndarray, s: int) -> None:
    """:func:`_eliminate` for a few blocks: LAPACK's LU with partial pivoting per block; a
    singular block gives NaN in ``M[:, s:]``."""
    A = np.moveaxis(M[:, :s, :], 2, 0)
    B = np.moveaxis(M[:, s:, :], 2, 0)
    try:
        X = np.linalg.solve(A, B)
    except np.linalg.LinAlgError:
        X = np.full(B.shape, np.nan)
    M[:, s:, :] = np.moveaxis(X, 0, 2)


MIN_SHARED_COLUMNS = 32
"""Blocks of one size that couple to the same hub columns form their own batch when there are at
least this many of them (the others share a batch with the union of their columns) [-]."""


def _split_by_hub_columns(
    blocks: np.ndarray, lh_blk: np.ndarray, lh_c: np.ndarray, count: int
) -> list[np.ndarray]:
    """Split ``blocks`` by the set of hub columns their rows touch: a batch's arrays carry the
    union of its blocks' hub columns, so e.g. a manifold's thousands of branch blocks should not
    carry the columns that only the pump's block touches (fewer columns, less arithmetic)."""
    if len(blocks) < 2 * MIN_SHARED_COLUMNS:
        return [blocks]
    pairs = np.unique(lh_blk.astype(np.int64) * (int(lh_c.max(initial=0)) + 1) + lh_c)
    width = int(lh_c.max(initial=0)) + 1
    signature: dict[int, list[int]] = {}
    for blk, c in zip((pairs // width).tolist(), (pairs % width).tolist(), strict=True):
        signature.setdefault(blk, []).append(c)
    by_sig: dict[tuple[int, ...], list[int]] = {}
    for b in blocks.tolist():
        by_sig.setdefault(tuple(signature.get(b, ())), []).append(b)
    out, rest = [], []
    for members in by_sig.values():
        if len(members) >= MIN_SHARED_COLUMNS:
            out.append(np.array(members, dtype=np.int64))
        else:
            rest.extend(members)
    if rest:
        out.append(np.array(sorted(rest), dtype=np.int64))
    return out


def _eliminate(M: np.ndarray, s: int, work: np.ndarray | None = None) -> None:
    """Solve, in place, ``M[i, :s] X = M[i, s:]`` for a stack of augmented matrices laid out as
    ``(s, t, k)`` (row, column, matrix): Gaussian elimination with partial pivoting, vectorised over
    the stack (numpy's batched ``solve`` calls LAPACK once per matrix, which costs more than the
    arithmetic at these sizes). Afterwards ``M[:, s:]`` holds ``X``; a singular matrix gives
    inf/NaN there.
    """
    for j in range(s - 1):
        piv = np.argmax(np.abs(M[j:, j, :]), axis=0)
        if piv.any():
            row_j = M[j, j:].copy()
            for r in range(1, s - j):
                m = piv == r
                if m.any():
                    np.copyto(M[j, j:], M[j + r, j:], where=m)
                    np.copyto(M[j + r, j:], row_j, where=m)
        f = M[j + 1 :, j, :] / M[j, j, :]
        rows, cols = M.shape[0] - j - 1, M.shape[1] - j - 1
        if work is None:
            M[j + 1 :, j + 1 :, :] -= f[:, None, :] * M[j, None, j + 1 :, :]
        else:  # the update's temporary in a kept buffer (see _Group.buffer)
            tmp = work[: rows * cols * M.shape[2]].reshape(rows, cols, M.shape[2])
            np.multiply(f[:, None, :], M[j, None, j + 1 :, :], out=tmp)
            M[j + 1 :, j + 1 :, :] -= tmp
    R = M[:, s:, :]
    for j in range(s - 1, -1, -1):
        for m in range(j + 1, s):
            R[j] -= M[j, m] * R[m]
        R[j] /= M[j, j]


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
        self._small_blocks: _SmallBlocks | bool | None = None  # False: not block-separable
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
        self.local = {}  # (row, col) of each block's entries in the block's own numbering
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
            self.local[name] = (rr, cc)
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
        if self._small_blocks is None:
            self._small_blocks = _SmallBlocks.detect(self) or False
        if self._small_blocks:
            x = self._small_blocks.solve(self, vals, b)
            if x is not None:
                return x
        # general A_LL (or a singular block): sparse LU of A_LL, Schur complement on the hubs
        ALH = self.blocks["LH"].matrix(vals[self.masks["LH"]]).toarray()
        AHL = self.blocks["HL"].matrix(vals[self.masks["HL"]])
        AHH = self.blocks["HH"].matrix(vals[self.masks["HH"]]).toarray()
        rhs = np.column_stack([ALH, b[self.Lr]])
        ALL = self.blocks["LL"].matrix(vals[self.masks["LL"]])
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
