"""Euclidean projection onto one block's polytope, for the projected-gradient steps.

Rows on the simplex (Duchi et al. 2008, sort-based), and, for tracks that share a frame,
"each name at most once per clique". The latter couples the rows of a group of
overlapping tracks; their projection is computed by Dykstra's algorithm, alternating
between the row simplices and the clique constraints (cliques split into layers of
disjoint cliques, so each layer is a closed-form projection). A few Dykstra rounds give a
point within ~1e-7 of the set; ``repair`` then makes it exactly feasible by moving the
excess of an over-used name to background, which only lowers clique sums.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from scriptalign.learning.problem import Block


def project_rows(V: np.ndarray) -> np.ndarray:
    """Each row of V onto the probability simplex."""
    n, k = V.shape
    if n == 0:
        return V.copy()
    U = -np.sort(-V, axis=1)
    css = np.cumsum(U, axis=1) - 1.0
    ok = U - css / np.arange(1, k + 1) > 0
    rho = k - 1 - np.argmax(ok[:, ::-1], axis=1)
    theta = css[np.arange(n), rho] / (rho + 1)
    return np.maximum(V - theta[:, None], 0.0)


def repair(cliques: sparse.csr_matrix, P: np.ndarray) -> np.ndarray:
    """Scale down the names a clique uses more than once; the excess goes to background."""
    s = cliques @ P[:, 1:]
    if (s <= 1.0).all():
        return P
    factor = np.where(s > 1.0, 1.0 / np.maximum(s, 1.0), 1.0)
    cq = cliques.tocoo()
    per_track = np.ones((P.shape[0], P.shape[1] - 1))
    np.minimum.at(per_track, cq.col, factor[cq.row])
    out = P.copy()
    out[:, 1:] *= per_track
    out[:, 0] += 1.0 - out.sum(axis=1)
    return out


def _layers(cliques: sparse.csr_matrix) -> list[np.ndarray]:
    """Cliques coloured so that the cliques of one colour share no track (greedy)."""
    colour = np.full(cliques.shape[0], -1)
    taken: list[set[int]] = [set() for _ in range(cliques.shape[1])]
    for q in range(cliques.shape[0]):
        members = cliques.indices[cliques.indptr[q]:cliques.indptr[q + 1]].tolist()
        c = 0
        while any(c in taken[t] for t in members):
            c += 1
        colour[q] = c
        for t in members:
            taken[t].add(c)
    return [np.flatnonzero(colour == c) for c in range(int(colour.max()) + 1)] \
        if len(colour) else []


# Dykstra rounds per projection: the projected step is a descent direction checked by an
# exact line search, so a rough projection does: on a planted 4,000-track film 4 rounds
# took as many Frank-Wolfe iterations as 20 (63 against 64) for 30% less CPU.
ROUNDS = 4


class BlockProjector:
    """Projection of a block's (N_b, K_b) matrix onto its polytope."""

    def __init__(self, blk: Block, rounds: int = ROUNDS) -> None:
        self.rounds = rounds
        ex = blk.exclusion if len(blk.cols) > 1 else None
        self.cliques = ex.cliques if ex is not None else None
        self.rows = (np.concatenate(ex.components) if ex is not None and ex.components
                     else np.zeros(0, dtype=np.int64))
        self.components = ex.components if ex is not None else []
        # Each layer: the rows it touches (positions among self.rows) sorted by clique,
        # where each clique starts among them, and each row's clique: its cliques are
        # disjoint, so a round costs O(clique memberships) with no sparse products.
        self.layers: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        if ex is None:
            return
        pos = np.full(blk.n, -1, dtype=np.int64)
        pos[self.rows] = np.arange(len(self.rows))
        for qs in _layers(ex.cliques):
            sub = ex.cliques[qs].tocsr()
            touched = pos[sub.indices]
            clique_of = np.repeat(np.arange(len(qs)), np.diff(sub.indptr))
            self.layers.append((touched, sub.indptr[:-1].copy(), clique_of,
                                np.diff(sub.indptr).astype(np.float64)))

    def _dykstra(self, V: np.ndarray) -> np.ndarray:
        x = V.copy()
        corr_rows = np.zeros_like(V)
        corr = [np.zeros((len(t), V.shape[1])) for t, _, _, _ in self.layers]
        for r in range(self.rounds):
            y = x + corr_rows
            x = project_rows(y)
            corr_rows = y - x
            worst = 0.0
            for j, (touched, starts, clique_of, size) in enumerate(self.layers):
                y = x[touched] + corr[j]
                excess = np.maximum(np.add.reduceat(y[:, 1:], starts, axis=0) - 1.0, 0.0)
                worst = max(worst, float(excess.max(initial=0.0)))
                new = y.copy()
                new[:, 1:] -= (excess / size[:, None])[clique_of]
                corr[j] = y - new
                x[touched] = new
            if worst < 1e-6 and r:
                break  # the rows' simplices were already (nearly) inside the cliques
        return project_rows(x)

    def __call__(self, V: np.ndarray) -> np.ndarray:
        P = project_rows(V)
        if self.cliques is None or len(self.rows) == 0:
            return P
        if self.rounds:
            P[self.rows] = self._dykstra(V[self.rows])
        return repair(self.cliques, P)

    def uniform_within_groups(self, scale: np.ndarray) -> np.ndarray:
        """Per-row step scales, made equal inside each group of overlapping tracks.

        The coupled rows are projected together in one Euclidean metric, so they must
        share one step size (the largest curvature of the group).
        """
        out = scale.copy()
        for comp in self.components:
            out[comp] = scale[comp].max()
        return out
