"""The DIFFRAC objective in primal form against the explicit N x N formula."""

from __future__ import annotations

import numpy as np
import pytest

from scriptalign.learning.diffrac import Diffrac
from scriptalign.learning.problem import BagRows, Block


def _blocks(sizes: list[int], cols: list[list[int]]) -> list[Block]:
    out, start = [], 0
    for n, c in zip(sizes, cols, strict=True):
        out.append(Block(f"b{start}", start, start + n, np.array(c), BagRows.empty(),
                         np.zeros(n, bool)))
        start += n
    return out


def _explicit_B(X: np.ndarray, lam: float) -> np.ndarray:
    N = X.shape[0]
    Pi = np.eye(N) - np.ones((N, N)) / N
    PX = Pi @ X
    return Pi - PX @ np.linalg.solve(X.T @ PX + N * lam * np.eye(X.shape[1]), PX.T)


def test_value_and_product_match_the_n_by_n_formula() -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 5))
    lam = 1e-2
    blocks = _blocks([12, 18], [[0, 1, 3], [0, 2]])
    Z = [rng.dirichlet(np.ones(3), 12), rng.dirichlet(np.ones(2), 18)]
    dense = np.zeros((30, 4))
    dense[:12][:, [0, 1, 3]] = Z[0]
    dense[12:][:, [0, 2]] = Z[1]
    B = _explicit_B(X, lam)
    d = Diffrac(X, lam)
    m = d.moments(blocks, Z, 4)
    assert d.value(m) == pytest.approx(np.trace(dense.T @ B @ dense) / 60, rel=1e-10)
    BZ = B @ dense
    assert np.allclose(d.block_product(blocks[0], Z[0], m), BZ[:12][:, [0, 1, 3]])
    assert np.allclose(d.block_product(blocks[1], Z[1], m), BZ[12:][:, [0, 2]])
    D = np.zeros((18, 2))
    D[3] = [0.5, -0.5]
    Dd = np.zeros((30, 4))
    Dd[15][[0, 2]] = [0.5, -0.5]
    curv, _ = d.block_curvature(blocks[1], D)
    assert curv == pytest.approx(np.trace(Dd.T @ B @ Dd), rel=1e-10)


def test_classifier_is_the_ridge_regression_of_z() -> None:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 6))
    lam = 1e-3
    blocks = _blocks([40], [[0, 1, 2]])
    Z = [rng.dirichlet(np.ones(3), 40)]
    d = Diffrac(X, lam)
    m = d.moments(blocks, Z, 3)
    W, b = d.classifier(m)
    # primal value at (W, b) equals f(Z), and (W, b) is a stationary point of the primal
    resid = Z[0] - X @ W - b
    primal = np.sum(resid ** 2) / 80 + lam / 2 * np.sum(W ** 2)
    assert primal == pytest.approx(d.value(m), rel=1e-9)
    assert np.allclose(-X.T @ resid / 40 + lam * W, 0, atol=1e-10)
    assert np.allclose(resid.sum(axis=0), 0, atol=1e-10)
