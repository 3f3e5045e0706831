"""Rounding: the nearest labelling that keeps every bag and every shared frame."""

from __future__ import annotations

import itertools

import numpy as np

from scriptalign.learning.problem import BagRows, Block, build_exclusion
from scriptalign.learning.rounding import round_argmax, round_block, violations


def _block(bags: list[tuple[list[int], int]], starts: list[float], ends: list[float],
           k: int, weights: list[list[float]] | None = None) -> Block:
    counts = [len(t) for t, _ in bags]
    rows = BagRows(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
                   np.array([t for ts, _ in bags for t in ts], dtype=np.int64),
                   (np.concatenate([np.asarray(w, float) for w in weights]) if weights
                    else np.ones(sum(counts))),
                   np.array([c for _, c in bags], dtype=np.int64), np.ones(len(bags)),
                   np.arange(len(bags)))
    n = len(starts)
    outside = np.ones(n, bool)
    outside[rows.tracks] = False
    return Block("b", 0, n, np.arange(k), rows, outside,
                 build_exclusion(np.array(starts, float), np.array(ends, float)))


def _brute(blk: Block, Z: np.ndarray) -> float:
    """Best <Z, S> over every labelling that keeps every bag and shared frame."""
    best = -np.inf
    for lab in itertools.product(range(Z.shape[1]), repeat=blk.n):
        labels = np.array(lab)
        rows, cliques = violations(blk, labels)
        if len(rows) == 0 and len(cliques) == 0:
            best = max(best, float(Z[np.arange(blk.n), labels].sum()))
    return best


def test_argmax_is_kept_when_it_satisfies_everything() -> None:
    blk = _block([([0, 1], 1)], [0, 0, 5], [1, 1, 6], 3)
    Z = np.array([[0.1, 0.8, 0.1], [0.2, 0.1, 0.7], [0.5, 0.2, 0.3]])
    r = round_block(blk, Z)
    assert r.labels.tolist() == [1, 2, 0] and r.unsatisfied == 0 and r.groups_solved == 0


def test_bag_forces_a_name_and_frames_forbid_twice() -> None:
    # bag {0, 1} must hold name 1; tracks 0 and 1 share a frame; 2 and 3 share a frame
    blk = _block([([0, 1], 1), ([2], 2)], [0, 0, 5, 5], [1, 1, 6, 6], 3)
    Z = np.array([[0.5, 0.2, 0.3],   # prefers background
                  [0.6, 0.3, 0.1],   # prefers background, but 1 is its second best
                  [0.2, 0.3, 0.5],
                  [0.1, 0.1, 0.8]])  # wants 2 as well: the frame says no
    r = round_block(blk, Z)
    assert r.unsatisfied == 0
    assert r.labels[1] == 1 and r.labels[2] == 2 and r.labels[3] != 2
    assert float(Z[np.arange(4), r.labels].sum()) == np.float64(_brute(blk, Z))


def test_random_small_blocks_are_rounded_optimally() -> None:
    rng = np.random.default_rng(0)
    for _ in range(15):
        starts = rng.uniform(0, 6, 5).round(1)
        ends = starts + rng.uniform(0.5, 3, 5).round(1)
        bags = []
        for c in (1, 2):
            members = sorted(rng.choice(5, size=2, replace=False).tolist())
            bags.append((members, c))
        blk = _block(bags, starts.tolist(), ends.tolist(), 3)
        Z = rng.dirichlet(np.ones(3), 5)
        best = _brute(blk, Z)
        r = round_block(blk, Z)
        if np.isfinite(best):
            assert r.unsatisfied == 0
            assert float(Z[np.arange(5), r.labels].sum()) == np.float64(best) or \
                abs(float(Z[np.arange(5), r.labels].sum()) - best) < 1e-9
        rows, cliques = violations(blk, r.labels)
        assert len(cliques) == 0  # shared frames always hold
        assert len(rows) == r.unsatisfied


def test_contradicting_bags_are_counted() -> None:
    # one lone track, two bags naming different people
    blk = _block([([0], 1), ([0], 2)], [0, 5], [1, 6], 3)
    r = round_block(blk, np.array([[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]]))
    assert r.unsatisfied == 1 and r.labels[0] in (1, 2)


def test_weighted_rows_count_only_their_person() -> None:
    # joint bag "person of weight >= 0.5 does action 1": track 1 (weight 0.9) must do it
    blk = _block([([0, 1], 1)], [0, 0], [1, 1], 2, weights=[[0.1, 0.9]])
    blk.exclusion = None  # actions: two people may do the same thing at once
    Z = np.array([[0.1, 0.9], [0.8, 0.2]])
    r = round_block(blk, Z)
    assert r.labels.tolist() == [1, 1]


def test_argmax_rounding_ignores_bags_but_never_repeats_a_name_in_a_frame() -> None:
    blk = _block([([0, 1], 1), ([2], 2)], [0, 0, 5, 5], [1, 1, 6, 6], 3)
    Z = np.array([[0.5, 0.2, 0.3], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    r = round_argmax(blk, Z)
    assert r.labels[0] == 0 and r.labels[1] == 0  # the bag is left to the evidence
    assert sorted(r.labels[2:].tolist()) == [1, 2]  # both want 2: the better keeps it
    assert r.labels[3] == 2
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = 5
        starts = rng.uniform(0, 3, n)
        blk = _block([], list(starts), list(starts + rng.uniform(0.5, 2, n)), 3)
        Z = rng.dirichlet(np.ones(3), n)
        labels = round_argmax(blk, Z).labels
        assert len(violations(blk, labels)[1]) == 0
        best = max(float(Z[np.arange(n), np.array(lab)].sum())
                   for lab in itertools.product(range(3), repeat=n)
                   if len(violations(blk, np.array(lab))[1]) == 0)
        assert float(Z[np.arange(n), labels].sum()) >= best - 1e-9
