"""The same problem with cvxpy (Clarabel, or SCS), in primal form.

The classifier (W, b) and the slack xi are variables, so the problem size is N K + d K
+ R, never N x N:

    min  1/(2N) ||Z - X W - 1 b^T||^2 + lam/2 ||W||^2 + kappa/2 ||xi||^2
         + background/(2N) sum_{n in no bag} (1 - z_{n,bg})^2 + prior/N sum_{n,p} c_np z_np
    s.t. Z >= 0, Z 1 = 1, Z = 0 outside the movie's classes,
         sum_n w_n z_{n,p} >= alpha - xi   (each bag row),
         sum_{n in clique} z_{n,p} <= 1    (tracks sharing a frame, each name).

Exact (interior point) but slow beyond a few thousand tracks: ``--solver auto`` uses it
for small problems only. cvxpy is imported here, lazily: it costs seconds to import.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from scriptalign.core.errors import UsageError
from scriptalign.core.progress import Progress, report
from scriptalign.learning.problem import Problem, Solution


def _layout(problem: Problem) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Variables = allowed entries of Z: their global row, global column, per-block index."""
    rows, cols, index = [], [], []
    offset = 0
    for blk in problem.blocks:
        k = len(blk.cols)
        rows.append(np.repeat(np.arange(blk.start, blk.stop), k))
        cols.append(np.tile(blk.cols, blk.n))
        index.append(offset + np.arange(blk.n * k).reshape(blk.n, k))
        offset += blk.n * k
    return np.concatenate(rows), np.concatenate(cols), index


def _constraint_matrices(problem: Problem, index: list[np.ndarray], nv: int
                         ) -> tuple[sparse.csr_matrix, np.ndarray, sparse.csr_matrix,
                                    np.ndarray]:
    """Bag rows (A z >= alpha - xi) and clique rows (C z <= 1) over the variables."""
    a_r, a_c, a_v, alpha = [], [], [], []
    c_r, c_c = [], []
    n_bag = n_cq = 0
    bg: list[np.ndarray] = []
    for blk, idx in zip(problem.blocks, index, strict=True):
        bags = blk.bags
        a_r.append(n_bag + bags.entry_rows())
        a_c.append(idx[bags.tracks, bags.entry_cols()])
        a_v.append(bags.weights)
        alpha.append(bags.alpha)
        n_bag += bags.n_rows
        bg.append(idx[np.flatnonzero(blk.outside), 0])
        if blk.exclusion is not None and len(blk.cols) > 1:
            cq = blk.exclusion.cliques.tocoo()
            k = len(blk.cols)
            names = np.arange(1, k)
            c_r.append(n_cq + (cq.row[:, None] * (k - 1) + names[None, :] - 1).ravel())
            c_c.append(idx[cq.col][:, 1:].ravel())
            n_cq += cq.shape[0] * (k - 1)
    A = sparse.csr_matrix((np.concatenate(a_v), (np.concatenate(a_r), np.concatenate(a_c))),
                          shape=(n_bag, nv))
    C = sparse.csr_matrix(
        (np.ones(sum(len(x) for x in c_r)),
         (np.concatenate(c_r) if c_r else np.zeros(0, dtype=np.int64),
          np.concatenate(c_c) if c_c else np.zeros(0, dtype=np.int64))),
        shape=(n_cq, nv))
    return A, np.concatenate(alpha), C, np.concatenate(bg)


@dataclass
class CvxModel:
    """One problem's variables, objective terms and constraints (to combine or solve)."""

    z: Any  # cvxpy Variable: the allowed entries of Z
    index: list[np.ndarray]  # per block, (N_b, K_b) position of each entry in z
    terms: list[Any]
    constraints: list[Any]


def import_cvxpy() -> Any:
    try:
        import cvxpy
    except ImportError as exc:  # pragma: no cover - cvxpy is a dependency
        raise UsageError("--solver cvxpy needs cvxpy (pip install cvxpy)") from exc
    return cvxpy


def cvx_model(problem: Problem, cp: Any) -> CvxModel:
    N, K, d = problem.N, problem.K, problem.X.shape[1]
    rows, cols, index = _layout(problem)
    nv = len(rows)
    A, alpha, C, bg = _constraint_matrices(problem, index, nv)
    # Z (row-major vec) = Sel z; the entries outside a movie's classes stay 0
    sel = sparse.csr_matrix((np.ones(nv), (rows * K + cols, np.arange(nv))), shape=(N * K, nv))
    rowsum = sparse.csr_matrix((np.ones(nv), (rows, np.arange(nv))), shape=(N, nv))
    z = cp.Variable(nv, nonneg=True)
    W = cp.Variable((d, K))
    b = cp.Variable(K)
    Z = cp.reshape(sel @ z, (N, K), order="C")
    resid = Z - problem.X @ W - np.ones((N, 1)) @ cp.reshape(b, (1, K), order="C")
    terms: list[Any] = [cp.sum_squares(resid) / (2 * N), problem.lam / 2 * cp.sum_squares(W)]
    constraints: list[Any] = [rowsum @ z == 1]
    if A.shape[0]:
        xi = cp.Variable(A.shape[0])
        terms.append(problem.kappa / 2 * cp.sum_squares(xi))
        constraints.append(A @ z >= alpha - xi)
    if problem.background > 0 and len(bg):
        terms.append(problem.background / (2 * N) * cp.sum_squares(1 - z[bg]))
    if problem.prior > 0:
        price = np.zeros(nv)
        for blk, idx in zip(problem.blocks, index, strict=True):
            price[idx] = blk.name_cost()
        terms.append(problem.prior / N * (price @ z))
    if C.shape[0]:
        constraints.append(C @ z <= 1)
    return CvxModel(z, index, terms, constraints)


def run(prob: Any, cp: Any, solver: str | None = None) -> str:
    """Solve with Clarabel (or SCS if Clarabel fails); returns the solver used."""
    last_error: Exception | None = None
    for name in [solver] if solver else ["CLARABEL", "SCS"]:
        if name not in cp.installed_solvers():
            continue
        try:
            prob.solve(solver=name)
        except cp.error.SolverError as exc:
            last_error = exc
            continue
        if prob.status in ("optimal", "optimal_inaccurate"):
            return str(name)
    raise RuntimeError(f"cvxpy could not solve the problem ({prob.status}; {last_error})")


def values(model: CvxModel) -> list[np.ndarray]:
    zv = np.clip(np.asarray(model.z.value), 0.0, 1.0)
    return [zv[idx] for idx in model.index]


def solve_cvxpy(problem: Problem, *, solver: str | None = None,
                progress: Progress | None = None) -> Solution:
    cp = import_cvxpy()
    t0 = time.perf_counter()
    report(progress, 0, 1)
    model = cvx_model(problem, cp)
    prob = cp.Problem(cp.Minimize(cp.sum(model.terms)), model.constraints)
    used = run(prob, cp, solver)
    report(progress, 1, 1)
    return Solution(values(model), f"cvxpy-{used.lower()}", int(prob.solver_stats.num_iters or 0),
                    float(prob.value), None, time.perf_counter() - t0, prob.status == "optimal")
