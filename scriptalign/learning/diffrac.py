"""The DIFFRAC objective (Bach and Harchaoui 2007) in primal form, without the N x N matrix.

A linear classifier (W, b) predicts the assignment Z from the features X with the square
loss; its best value for a given Z is

    f(Z) = min_{W,b} 1/(2N) ||Z - X W - 1 b^T||^2 + lam/2 ||W||^2 = tr(Z^T B Z) / (2N),
    B = Pi - Pi X (X^T Pi X + N lam I)^-1 X^T Pi            (Pi centres the rows),

so with Xc = Pi X, M = Xc^T Xc + N lam I (d x d) and P = Xc^T Z (d x K):

    2N f(Z) = ||Pi Z||^2 - tr(P^T M^-1 P),      B Z = Pi Z - Xc M^-1 P.

Everything costs O(N d K); only M (d x d) is factorised. Z is given per block (movie)
with the block's own columns; the dense Z has zeros elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve

from scriptalign.learning.problem import Block, Problem


@dataclass
class Moments:
    """What f needs from Z: ||Z||^2, column sums and P = Xc^T Z (global columns)."""

    sq: float
    colsum: np.ndarray  # (K,)
    P: np.ndarray  # (d, K)


class Diffrac:
    def __init__(self, X: np.ndarray, lam: float) -> None:
        X = np.asarray(X, dtype=np.float64)
        self.N, self.d = X.shape
        self.lam = float(lam)
        self.mean_x = X.mean(axis=0) if self.N else np.zeros(self.d)
        self.Xc = X - self.mean_x
        M = self.Xc.T @ self.Xc + max(self.N, 1) * self.lam * np.eye(self.d)
        # M^-1 once (d x d, well conditioned by N lam I): the solver asks for M^-1 P with a
        # few columns hundreds of times, and a triangular solve per call cost 19 ms there
        # against well under 1 ms for the product (bbt_s01e01, on a loaded machine)
        self._inv = np.asarray(cho_solve(cho_factor(M), np.eye(self.d)))

    def solve(self, P: np.ndarray) -> np.ndarray:
        """M^-1 P."""
        return self._inv @ P

    def moments(self, blocks: list[Block], Z: list[np.ndarray], K: int) -> Moments:
        colsum = np.zeros(K)
        P = np.zeros((self.d, K))
        sq = 0.0
        for blk, Zb in zip(blocks, Z, strict=True):
            colsum[blk.cols] += Zb.sum(axis=0)
            P[:, blk.cols] += self.Xc[blk.start:blk.stop].T @ Zb
            sq += float(np.sum(Zb * Zb))
        return Moments(sq, colsum, P)

    def value(self, m: Moments) -> float:
        """f(Z) = tr(Z^T B Z) / (2N)."""
        centred = m.sq - float(m.colsum @ m.colsum) / self.N
        explained = float(np.sum(m.P * self.solve(m.P)))
        return max(centred - explained, 0.0) / (2 * self.N)

    def block_product(self, blk: Block, Zb: np.ndarray, m: Moments,
                      MinvP: np.ndarray | None = None) -> np.ndarray:
        """Rows of ``B Z`` for one block, in its own columns (O(N_b d K_b))."""
        if MinvP is None:
            MinvP = self.solve(m.P[:, blk.cols])
        mean = m.colsum[blk.cols] / self.N
        return Zb - mean - self.Xc[blk.start:blk.stop] @ MinvP

    def block_curvature(self, blk: Block, Db: np.ndarray) -> tuple[float, np.ndarray]:
        """``tr(D^T B D)`` for a direction D that is zero outside the block, and Xc^T D."""
        Q = self.Xc[blk.start:blk.stop].T @ Db
        colsum = Db.sum(axis=0)
        centred = float(np.sum(Db * Db)) - float(colsum @ colsum) / self.N
        return max(centred - float(np.sum(Q * self.solve(Q))), 0.0), Q

    def classifier(self, m: Moments) -> tuple[np.ndarray, np.ndarray]:
        """The classifier (W, b) that f(Z) minimises over: scores = X W + b."""
        W = self.solve(m.P)
        b = m.colsum / self.N - self.mean_x @ W
        return W, b


def slack_penalty(problem: Problem, Z: list[np.ndarray]) -> float:
    """kappa/2 sum xi^2 with the best slack xi = (alpha - s)_+ for this Z."""
    total = 0.0
    for blk, Zb in zip(problem.blocks, Z, strict=True):
        r = np.maximum(blk.bags.alpha - blk.bags.sums(Zb), 0.0)
        total += float(r @ r)
    return 0.5 * problem.kappa * total


def background_penalty(problem: Problem, Z: list[np.ndarray]) -> float:
    """background/(2N) sum over tracks in no bag of (1 - z_bg)^2."""
    total = 0.0
    for blk, Zb in zip(problem.blocks, Z, strict=True):
        r = 1.0 - Zb[blk.outside, 0]
        total += float(r @ r)
    return problem.background * total / (2 * max(problem.N, 1))


def prior_penalty(problem: Problem, Z: list[np.ndarray]) -> float:
    """prior/N sum over entries of their price times their mass: the cost of naming."""
    if not problem.prior:
        return 0.0
    total = sum(float(np.sum(blk.name_cost() * Zb))
                for blk, Zb in zip(problem.blocks, Z, strict=True))
    return problem.prior * total / max(problem.N, 1)


def objective(problem: Problem, Z: list[np.ndarray], diffrac: Diffrac | None = None) -> float:
    """The full objective both solvers minimise, evaluated at Z (per block)."""
    diffrac = diffrac or Diffrac(problem.X, problem.lam)
    m = diffrac.moments(problem.blocks, Z, problem.K)
    return (diffrac.value(m) + slack_penalty(problem, Z) + background_penalty(problem, Z)
            + prior_penalty(problem, Z))
