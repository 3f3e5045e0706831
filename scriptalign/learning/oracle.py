"""The linear oracle of Frank-Wolfe: argmin <G, S> over one block's polytope.

The polytope is "rows on the simplex" plus, for tracks that share a frame, "each name at
most once per maximal clique". Tracks that overlap nothing take their row's argmin. The
groups of overlapping tracks are small (one shot, a few faces) but their LP is not always
integral: a group that is one clique is an assignment problem (exact), the others go
together into one small LP (HiGHS simplex), and only the groups where the row-wise argmin
gives a name twice need either.
"""

from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from scriptalign.learning.problem import Block

_HIGHS_READY = False


def _new_highs() -> Any:
    """A silent HiGHS instance.

    highspy prints a banner on stdout the first time a solver is created, whatever the
    options; stdout may be a pipe the user reads, so that one creation is muted.
    """
    global _HIGHS_READY
    import highspy

    if _HIGHS_READY:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _HIGHS_READY = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("threads", 1)
    return h


def assign_clique(G: np.ndarray) -> np.ndarray:
    """Min-cost labelling of tracks that all share a frame: each name at most once.

    An assignment problem (rows = tracks, columns = names + one background per track);
    its LP is integral, so this is also the LP optimum.
    """
    m, k = G.shape
    cost = np.hstack([G[:, 1:], np.repeat(G[:, :1], m, axis=1)])
    rows, cols = linear_sum_assignment(cost)
    S = np.zeros_like(G)
    S[rows, np.where(cols < k - 1, cols + 1, 0)] = 1.0
    return S


ENUMERATE_MAX = 1000  # cliques with at most this many labellings: list them (else assignment)


@lru_cache(maxsize=64)
def clique_labellings(m: int, k: int) -> np.ndarray:
    """Every labelling of m tracks with k labels that repeats no name (0 = background)."""
    grid = np.array(list(itertools.product(range(k), repeat=m)), dtype=np.int64).reshape(-1, m)
    ok = np.ones(len(grid), dtype=bool)
    for i in range(m):
        for j in range(i + 1, m):
            ok &= (grid[:, i] != grid[:, j]) | (grid[:, i] == 0)
    return grid[ok]


@dataclass
class _LPPiece:
    """The "name at most once" rows of one group, in the group's own variable numbering."""

    tracks: np.ndarray
    rows: np.ndarray  # row (0-based in this piece) of each nonzero
    cols: np.ndarray  # variable (track position * k + label) of each nonzero
    n_rows: int


class BlockOracle:
    """argmin <G, S> over the block's polytope, exact, as a vertex."""

    def __init__(self, blk: Block, k: int) -> None:
        self.k = k
        self.exclusion = ex = blk.exclusion if k > 1 else None
        self._h: Any = None
        self._pieces: dict[int, _LPPiece] = {}
        self._all: tuple[np.ndarray, int] | None = None  # tracks and size of the LP
        if ex is None:
            return
        names = np.arange(1, k)
        for c in np.flatnonzero(~ex.is_clique).tolist():
            tracks = ex.components[c]
            pos = {int(t): i for i, t in enumerate(tracks)}
            cq = ex.cliques[ex.component_cliques[c]].tocoo()
            local = np.array([pos[int(t)] for t in cq.col], dtype=np.int64)
            self._pieces[c] = _LPPiece(
                tracks, (cq.row[:, None] * (k - 1) + names[None, :] - 1).ravel(),
                (local[:, None] * k + names[None, :]).ravel(), cq.shape[0] * (k - 1))

    def _cliques(self, G: np.ndarray, comps: np.ndarray, S: np.ndarray) -> None:
        """Exact optimum over groups that are one clique (listing, or an assignment)."""
        ex = self.exclusion
        assert ex is not None
        k = self.k
        by_size: dict[int, list[np.ndarray]] = {}
        for c in comps.tolist():
            by_size.setdefault(len(ex.components[c]), []).append(ex.components[c])
        for m, groups in by_size.items():
            if k ** m > ENUMERATE_MAX * 8:
                for tracks in groups:
                    S[tracks] = assign_clique(G[tracks])
                continue
            combos = clique_labellings(m, k)
            if len(combos) > ENUMERATE_MAX:
                for tracks in groups:
                    S[tracks] = assign_clique(G[tracks])
                continue
            T = np.stack(groups)  # (groups, m)
            cost = np.zeros((len(T), len(combos)))
            for j in range(m):
                cost += G[T[:, j]][:, combos[:, j]]
            best = combos[cost.argmin(axis=1)]  # (groups, m)
            S[T.ravel()] = 0.0
            S[T.ravel(), best.ravel()] = 1.0

    def _lp(self, G: np.ndarray, comps: list[int], S: np.ndarray) -> None:
        """Exact optimum over groups that are not a single clique: one small LP.

        The LP holds every such group, so that only its costs change from call to call
        and the simplex starts from the last basis (a few pivots instead of a new solve).
        """
        import highspy

        if self._h is not None and self._all is not None:
            tracks, nv = self._all
            self._h.changeColsCost(nv, np.arange(nv, dtype=np.int32),
                                   np.ascontiguousarray(G[tracks]).ravel())
            self._finish(tracks, S)
            return
        comps = sorted(self._pieces)
        k = self.k
        pieces = [self._pieces[c] for c in comps]
        sizes = np.array([len(p.tracks) for p in pieces])
        var_off = np.concatenate([[0], np.cumsum(sizes * k)])
        row_off = np.concatenate([[0], np.cumsum([p.n_rows for p in pieces])])
        tracks = np.concatenate([p.tracks for p in pieces])
        m, nv = len(tracks), len(tracks) * k
        n_ub = int(row_off[-1])
        # rows 0..m-1: sum_p s_np = 1; then per clique and name: sum_{n in clique} s_np <= 1
        rows = np.concatenate([np.repeat(np.arange(m), k),
                               *(m + row_off[i] + p.rows for i, p in enumerate(pieces))])
        cols = np.concatenate([np.arange(nv),
                               *(var_off[i] + p.cols for i, p in enumerate(pieces))])
        A = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(m + n_ub, nv))
        lp = highspy.HighsLp()
        lp.num_col_ = nv
        lp.num_row_ = m + n_ub
        lp.col_cost_ = np.ascontiguousarray(G[tracks]).ravel()
        lp.col_lower_ = np.zeros(nv)
        lp.col_upper_ = np.ones(nv)
        lp.row_lower_ = np.concatenate([np.ones(m), np.full(n_ub, -highspy.kHighsInf)])
        lp.row_upper_ = np.ones(m + n_ub)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data
        if self._h is None:
            self._h = _new_highs()
            self._h.setOptionValue("solver", "simplex")  # a vertex, not an interior point
            # the LPs are small and well scaled (0/1 matrix): presolve and scaling only
            # cost time
            self._h.setOptionValue("presolve", "off")
            self._h.setOptionValue("simplex_scale_strategy", 0)
        self._h.passModel(lp)
        self._all = (tracks, nv)
        self._finish(tracks, S)

    def _finish(self, tracks: np.ndarray, S: np.ndarray) -> None:
        import highspy

        h = self._h
        m, k = len(tracks), self.k
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:  # all-background is always feasible
            raise RuntimeError(f"linear oracle failed: {h.modelStatusToString(status)}")
        S[tracks] = np.clip(np.asarray(h.getSolution().col_value).reshape(m, k), 0.0, 1.0)

    def __call__(self, G: np.ndarray) -> np.ndarray:
        n = G.shape[0]
        S = np.zeros_like(G)
        S[np.arange(n), G.argmin(axis=1)] = 1.0
        ex = self.exclusion
        if ex is None:
            return S
        bad = np.flatnonzero(((ex.cliques @ S[:, 1:]) > 1.5).any(axis=1))
        if len(bad) == 0:
            return S  # the row-wise argmin already gives different names in shared frames
        comps = np.unique(ex.clique_component[bad])
        single = ex.is_clique[comps]
        if single.any():
            self._cliques(G, comps[single], S)
        if (~single).any():
            self._lp(G, comps[~single].tolist(), S)
        return S
