"""Block-coordinate Frank-Wolfe in NumPy (Lacoste-Julien et al. 2013; Miech et al. 2017).

The slack is eliminated (xi = (alpha - s)_+), so the objective is smooth and convex:

    F(Z) = tr(Z^T B Z)/(2N) + kappa/2 sum_r (alpha_r - s_r(Z))_+^2 + background term,

over the polytope "rows on the simplex, no name twice among tracks sharing a frame".
One block per movie. A block step computes the block's gradient in O(N_b d K_b), calls
the linear oracle (``oracle.py``) and moves towards its vertex with an exact line search
(F is piecewise quadratic along a segment): a Frank-Wolfe step, whose duality gap
<grad, Z - S> bounds F - F* and stops the solver. It then takes a projected-gradient
step on the same block (``projection.py``; per-row step sizes from the diagonal of the
Hessian), again with an exact line search.

Why both: DIFFRAC's optimum is far inside the polytope (soft assignments), where plain
Frank-Wolfe zig-zags between vertices and needs thousands of steps; the projected steps
bring it to the cvxpy optimum (``tests/learning/test_solvers.py`` asserts the agreement; the
measurements are in ``docs/learn.md``). Extra descent steps keep Frank-Wolfe's guarantee,
and the gap still certifies the result.
"""

from __future__ import annotations

import time

import numpy as np

from scriptalign.core.progress import Progress, report
from scriptalign.learning.diffrac import (
    Diffrac,
    Moments,
    background_penalty,
    prior_penalty,
    slack_penalty,
)
from scriptalign.learning.oracle import BlockOracle
from scriptalign.learning.problem import Block, Problem, Solution
from scriptalign.learning.projection import BlockProjector


def _hinge_gradient(blk: Block, Zb: np.ndarray, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of kappa/2 sum (alpha - s)_+^2 in the block's columns, and alpha - s."""
    bags = blk.bags
    resid = bags.alpha - bags.sums(Zb)
    rows = bags.entry_rows()
    flat = bags.tracks * Zb.shape[1] + bags.col[rows]
    g = np.bincount(flat, weights=-kappa * np.maximum(resid, 0.0)[rows] * bags.weights,
                    minlength=Zb.size)
    return g.reshape(Zb.shape), resid


def line_search(slope0: float, curv: float, resid: np.ndarray, delta: np.ndarray,
                kappa: float, gmax: float = 1.0) -> float:
    """argmin over [0, gmax] of  slope0*g + curv/2 g^2 + kappa/2 sum (resid - g delta)_+^2.

    The derivative is increasing and piecewise linear: walk its breakpoints in order.
    (``slope0`` excludes the hinge part; its derivative at 0 is added here.)
    """
    nz = delta != 0
    r, dl = resid[nz], delta[nz]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r / dl
    # a row is active while resid - g*delta > 0: rows with delta > 0 leave the active set
    # at t = resid/delta, rows with delta < 0 join it there
    active = np.where(dl > 0, t > 0, t <= 0)
    events = np.flatnonzero((t > 0) & (t < gmax))
    events = events[np.argsort(t[events], kind="stable")]
    A = float(np.sum(dl[active] * r[active]))
    Bq = float(np.sum(dl[active] ** 2))
    lo = 0.0
    for e in [*events.tolist(), -1]:
        hi = gmax if e < 0 else float(t[e])
        value = slope0 - kappa * A  # derivative = value + gamma * slope
        slope = curv + kappa * Bq
        if value + slope * hi >= 0:
            return float(min(max(-value / slope if slope > 0 else lo, lo), hi))
        if e < 0:
            break
        sign = -1.0 if dl[e] > 0 else 1.0  # delta > 0 leaves the active set, < 0 joins
        A += sign * dl[e] * r[e]
        Bq += sign * dl[e] ** 2
        lo = hi
    return gmax


class _State:
    """Z per block and the running quantities a block step needs."""

    def __init__(self, problem: Problem, projection: bool) -> None:
        self.problem = problem
        self.diffrac = Diffrac(problem.X, problem.lam)
        self.oracles = [BlockOracle(blk, len(blk.cols)) for blk in problem.blocks]
        self.Z = Z = bag_start(problem, self.oracles)
        self.m: Moments = self.diffrac.moments(problem.blocks, Z, problem.K)
        self.beta = problem.background / max(problem.N, 1)
        self.projectors = ([BlockProjector(blk) for blk in problem.blocks]
                           if projection else [])
        self._scale: dict[int, np.ndarray] = {}
        self._costs = [blk.name_cost() for blk in problem.blocks]

    def objective(self) -> float:
        return (self.diffrac.value(self.m) + slack_penalty(self.problem, self.Z)
                + background_penalty(self.problem, self.Z) + prior_penalty(self.problem, self.Z))

    def gradient(self, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Full gradient of the block, its smooth part, and the bag residuals."""
        blk, Zb = self.problem.blocks[b], self.Z[b]
        smooth = self.diffrac.block_product(blk, Zb, self.m) / self.problem.N
        smooth[blk.outside, 0] -= self.beta * (1.0 - Zb[blk.outside, 0])
        if self.problem.prior:
            smooth += self.problem.prior / self.problem.N * self._costs[b]
        hinge, resid = _hinge_gradient(blk, Zb, self.problem.kappa)
        return smooth + hinge, smooth, resid

    def curvature_scale(self, b: int, resid: np.ndarray) -> np.ndarray:
        """Per-row curvature of F here (its Hessian's diagonal, largest entry of the row).

        Changing one row by delta costs B_nn/(2N) |delta|^2 in the DIFFRAC term, plus the
        background term's and the *unsatisfied* bags' own curvature on that row.
        """
        blk = self.problem.blocks[b]
        if b not in self._scale:
            Xc = self.diffrac.Xc[blk.start:blk.stop]
            b_nn = 1.0 - 1.0 / self.problem.N - np.einsum("ij,ji->i", Xc,
                                                           self.diffrac.solve(Xc.T))
            base = np.repeat((np.maximum(b_nn, 0.0) / self.problem.N)[:, None],
                             len(blk.cols), axis=1)
            base[blk.outside, 0] += self.beta
            self._scale[b] = base
        L = self._scale[b].copy()
        bags = blk.bags
        rows = bags.entry_rows()
        active = resid[rows] > 0
        np.add.at(L, (bags.tracks[active], bags.col[rows[active]]),
                  self.problem.kappa * bags.weights[active] ** 2)
        return self.projectors[b].uniform_within_groups(np.maximum(L.max(axis=1), 1e-12))

    def move(self, b: int, D: np.ndarray, smooth: np.ndarray, resid: np.ndarray) -> float:
        """Exact line search along D on [0, 1] and the step; returns the step size."""
        blk, Zb = self.problem.blocks[b], self.Z[b]
        curv, Q = self.diffrac.block_curvature(blk, D)
        curv = curv / self.problem.N + self.beta * float(np.sum(D[blk.outside, 0] ** 2))
        gamma = line_search(float(np.sum(smooth * D)), curv, resid, blk.bags.sums(D),
                            self.problem.kappa)
        if gamma <= 0:
            return 0.0
        old_sq = float(np.sum(Zb * Zb))
        Zb += gamma * D
        np.clip(Zb, 0.0, 1.0, out=Zb)
        self.m.sq += float(np.sum(Zb * Zb)) - old_sq
        self.m.colsum[blk.cols] += gamma * D.sum(axis=0)
        self.m.P[:, blk.cols] += gamma * Q
        return gamma

    def step(self, b: int) -> float:
        """A Frank-Wolfe step on block b, then a projected-gradient step; returns the
        block's duality gap before them."""
        Zb = self.Z[b]
        G, smooth, resid = self.gradient(b)
        S = self.oracles[b](G)
        gap = float(np.sum(G * (Zb - S)))
        if gap <= 0:
            return 0.0
        self.move(b, S - Zb, smooth, resid)
        if self.projectors:
            G, smooth, resid = self.gradient(b)
            target = self.projectors[b](Zb - G / self.curvature_scale(b, resid)[:, None])
            self.move(b, target - Zb, smooth, resid)
        return gap

    def exact_gap(self) -> float:
        total = 0.0
        for b in range(len(self.problem.blocks)):
            G, _, _ = self.gradient(b)
            total += float(-np.sum(G * (self.oracles[b](G) - self.Z[b])))
        return total


def bag_start(problem: Problem, oracles: list[BlockOracle]) -> list[np.ndarray]:
    """A vertex to start from: each track takes the name of the bags it is most in.

    (The oracle applied to minus the bag counts; tracks in no bag start as background.)
    Much closer to the optimum than "everyone background", so fewer steps.
    """
    Z = []
    for blk, oracle in zip(problem.blocks, oracles, strict=True):
        votes = np.zeros((blk.n, len(blk.cols)))
        bags = blk.bags
        np.add.at(votes, (bags.tracks, bags.entry_cols()), bags.weights)
        votes[:, 0] = 0.5 * (votes.max(axis=1) == 0)
        Z.append(oracle(-votes))
    return Z


def solve_fw(problem: Problem, *, max_iter: int = 500, tol: float = 1e-3, seed: int = 0,
             projection: bool = True, progress: Progress | None = None) -> Solution:
    """Minimise the objective; an iteration visits every block (movie) once.

    Stops when the duality gap is below ``tol`` times the objective (relative), or after
    ``max_iter`` iterations (then ``converged`` is False). ``projection=False`` leaves out
    the projected-gradient steps: plain (block-coordinate) Frank-Wolfe.
    """
    t0 = time.perf_counter()
    state = _State(problem, projection)
    nb = len(problem.blocks)
    gaps = np.full(nb, np.inf)
    rng = np.random.default_rng(seed)
    steps = 0
    gap = float("inf")
    converged = False
    for it in range(1, max_iter + 1):
        order = rng.permutation(nb) if nb > 1 else np.zeros(1, dtype=np.int64)
        for b in order.tolist():
            if problem.blocks[b].n == 0:
                gaps[b] = 0.0
                continue
            gaps[b] = state.step(b)
            steps += 1
        f = state.objective()
        gap = float(gaps.sum())
        # With one block the gap is exact (taken at the point before the step, so f is
        # a slight underestimate); with several, confirm the stale sum before stopping.
        if gap <= tol * f + 1e-12 and (nb == 1 or (gap := state.exact_gap()) <= tol * f
                                       + 1e-12):
            converged = True
            break
        if it % 10 == 0:
            report(progress, it, max_iter)
    report(progress, max_iter, max_iter)
    return Solution(state.Z, "fw" if projection else "fw-plain", steps, state.objective(),
                    gap, time.perf_counter() - t0, converged)
