"""Frank-Wolfe against cvxpy, the linear oracle, the projection, the line search."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from scriptalign.datasets import make_planted_movie
from scriptalign.learning import LearnOptions
from scriptalign.learning.diffrac import objective
from scriptalign.learning.learner import _name_rows, _tracks, name_problem
from scriptalign.learning.oracle import BlockOracle, assign_clique, clique_labellings
from scriptalign.learning.problem import BagRows, Block, Problem, build_exclusion
from scriptalign.learning.projection import BlockProjector, project_rows
from scriptalign.learning.solve_cvxpy import solve_cvxpy
from scriptalign.learning.solve_fw import line_search, solve_fw


def _problem(n: int = 150, seed: int = 1, **kw: float) -> Problem:
    pm = make_planted_movie(n, 4, seed=seed, noise=0.5)
    opts = LearnOptions(**kw)  # type: ignore[arg-type]
    warnings: list[str] = []
    movie = _tracks("p", pm.tracks, pm.tracks.face, "face", warnings)
    rows = _name_rows(pm.alignment, pm.tracks, movie, opts, warnings)
    return name_problem([movie], [rows], opts, warnings)


@pytest.mark.parametrize("evidence", [0.0, 1.0])
def test_fw_and_cvxpy_reach_the_same_objective(evidence: float) -> None:
    problem = _problem(evidence=evidence)
    assert (problem.blocks[0].cost is not None) == (evidence > 0)
    assert problem.blocks[0].exclusion is not None  # tracks that share frames: tested too
    exact = solve_cvxpy(problem)
    # free names (evidence) leave a flatter optimum: the gap closes more slowly
    fw = solve_fw(problem, max_iter=2000, tol=1e-4 if evidence == 0 else 5e-4)
    assert fw.converged
    assert abs(fw.objective - exact.objective) <= 1e-3 * exact.objective
    # both report the objective of the Z they return
    assert objective(problem, fw.Z) == pytest.approx(fw.objective, rel=1e-9)
    assert objective(problem, exact.Z) == pytest.approx(exact.objective, rel=1e-4)
    # and the duality gap is an upper bound on the distance to the optimum
    assert fw.objective - exact.objective <= fw.gap * (1 + 1e-6) + 1e-9


def test_fw_iterates_stay_feasible() -> None:
    problem = _problem(80, seed=2)
    sol = solve_fw(problem, max_iter=30, tol=1e-9)
    Z, blk = sol.Z[0], problem.blocks[0]
    assert np.allclose(Z.sum(axis=1), 1) and (Z >= 0).all()
    assert blk.exclusion is not None
    assert (blk.exclusion.cliques @ Z[:, 1:]).max() <= 1 + 1e-9
    assert not sol.converged and sol.iterations == 30


def test_plain_frank_wolfe_is_slower() -> None:
    problem = _problem()
    exact = solve_cvxpy(problem).objective
    plain = solve_fw(problem, max_iter=300, tol=1e-9, projection=False).objective
    ours = solve_fw(problem, max_iter=300, tol=1e-9).objective
    assert ours - exact < 0.2 * (plain - exact)


def _block_with_groups(k: int) -> Block:
    # a clique of 3, a chain 3-4-5 (not one clique), a lone track
    start = np.array([0, 0, 0, 10, 11, 13, 20.0])
    end = np.array([5, 5, 5, 12, 14, 15, 21.0])
    n = len(start)
    return Block("b", 0, n, np.arange(k), BagRows.empty(), np.zeros(n, bool),
                 build_exclusion(start, end))


def _lp_optimum(blk: Block, G: np.ndarray) -> float:
    n, k = G.shape
    ex = blk.exclusion
    assert ex is not None
    A_eq = np.kron(np.eye(n), np.ones(k))
    rows = []
    for q in ex.cliques.toarray():
        for p in range(1, k):
            r = np.zeros((n, k))
            r[q > 0, p] = 1
            rows.append(r.ravel())
    res = linprog(G.ravel(), A_ub=np.array(rows), b_ub=np.ones(len(rows)), A_eq=A_eq,
                  b_eq=np.ones(n), bounds=(0, 1), method="highs")
    return float(res.fun)


@pytest.mark.parametrize("seed", range(6))
def test_oracle_is_the_lp_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = 4
    blk = _block_with_groups(k)
    oracle = BlockOracle(blk, k)
    G = rng.standard_normal((blk.n, k))
    G[:, 1] -= 2  # everyone wants name 1: the shared frames must say no
    S = oracle(G)
    assert np.allclose(S.sum(axis=1), 1) and (S >= -1e-12).all()
    assert blk.exclusion is not None
    assert (blk.exclusion.cliques @ S[:, 1:]).max() <= 1 + 1e-9
    assert float(np.sum(G * S)) == pytest.approx(_lp_optimum(blk, G), abs=1e-9)


def test_clique_assignment_and_listing_agree() -> None:
    rng = np.random.default_rng(7)
    for m in (2, 3, 4):
        combos = clique_labellings(m, 5)
        for _ in range(20):
            G = rng.standard_normal((m, 5))
            best = min(sum(G[i, c[i]] for i in range(m)) for c in combos)
            assert float(np.sum(G * assign_clique(G))) == pytest.approx(best)


def test_projection() -> None:
    rng = np.random.default_rng(3)
    V = rng.standard_normal((50, 4)) * 2
    P = project_rows(V)
    assert np.allclose(P.sum(axis=1), 1) and (P >= 0).all()
    # optimality: moving towards any vertex does not get closer to V
    for e in np.eye(4):
        assert np.all(np.sum((V - P) * (e - P), axis=1) <= 1e-9)
    k = 4
    blk = _block_with_groups(k)
    proj = BlockProjector(blk, rounds=200)
    V = rng.standard_normal((blk.n, k))
    V[:, 1] += 1.5
    P = proj(V)
    assert np.allclose(P.sum(axis=1), 1) and (P >= -1e-12).all()
    assert blk.exclusion is not None
    assert (blk.exclusion.cliques @ P[:, 1:]).max() <= 1 + 1e-12
    # the projection of a feasible point is itself
    Z = np.full((blk.n, k), 1.0 / k)
    assert np.allclose(proj(Z), Z, atol=1e-9)


def _phi(g: float, slope0: float, curv: float, resid: np.ndarray, delta: np.ndarray,
         kappa: float) -> float:
    return (slope0 * g + curv / 2 * g * g
            + kappa / 2 * float(np.sum(np.maximum(resid - g * delta, 0) ** 2)))


def test_line_search_matches_a_grid() -> None:
    rng = np.random.default_rng(4)
    for _ in range(20):
        slope0, curv = rng.normal(), abs(rng.normal())
        resid, delta = rng.normal(size=6), rng.normal(size=6)
        kappa, gmax = abs(rng.normal()) * 3, float(rng.uniform(0.2, 1))
        args = (slope0, curv, resid, delta, kappa)
        grid = np.linspace(0, gmax, 20001)
        best = grid[int(np.argmin([_phi(g, *args) for g in grid]))]
        got = line_search(slope0, curv, resid, delta, kappa, gmax)
        assert 0 <= got <= gmax
        assert _phi(got, *args) <= _phi(best, *args) + 1e-9
