"""From the relaxed Z to one label per track: the nearest labelling that keeps the bags.

"Nearest" in the Frobenius norm: for one-hot S, ||Z - S||^2 = const - 2 <Z, S>, so it is
the linear oracle applied to -Z over the *integer* labellings that satisfy every bag
("at least one of its tracks is NAME") and give a name at most once per shared frame.
Tracks are linked by the bags and frames they share; a group whose row-wise argmax already
satisfies everything keeps it, and only the other groups go to a small integer program.
A bag that no labelling can satisfy (two bags on the same lone track) is left
unsatisfied, and counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from scriptalign.learning.oracle import BlockOracle
from scriptalign.learning.problem import Block

# A weighted (joint person-action) bag row counts the tracks whose weight, the soft name
# score of its subject, is at least this: the tracks that are that person after rounding.
WEIGHT_MIN = 0.5
# A bag the alignment trusts less than this (its alpha scaled down) is not enforced.
TRUST_MIN = 0.5


@dataclass
class Rounded:
    labels: np.ndarray  # (N_b,) block-local column, 0 = background
    unsatisfied: int  # bag rows left unsatisfied (no integer labelling keeps them)
    groups_solved: int  # groups that needed the integer program


def _bag_members(blk: Block) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries of the rows that count when rounding: (row, track, column)."""
    bags = blk.bags
    rows = bags.entry_rows()
    keep = (bags.weights >= WEIGHT_MIN) & (bags.alpha[rows] >= TRUST_MIN)
    return rows[keep], bags.tracks[keep], bags.col[rows[keep]]


def violations(blk: Block, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bag rows not satisfied by ``labels`` and cliques that repeat a name."""
    rows, tracks, cols = _bag_members(blk)
    hit = np.zeros(blk.bags.n_rows, dtype=bool)
    hit[rows[labels[tracks] == cols]] = True
    has_members = np.zeros(blk.bags.n_rows, dtype=bool)
    has_members[rows] = True
    bad_rows = np.flatnonzero(has_members & ~hit)
    bad_cliques = np.zeros(0, dtype=np.int64)
    ex = blk.exclusion
    if ex is not None:
        k = len(blk.cols)
        onehot = sparse.csr_matrix((np.ones(blk.n), (np.arange(blk.n), labels)),
                                   shape=(blk.n, k))
        counts = (ex.cliques @ onehot).toarray()
        bad_cliques = np.flatnonzero((counts[:, 1:] > 1).any(axis=1))
    return bad_rows, bad_cliques


def _groups(blk: Block) -> np.ndarray:
    """Group id of each track: tracks linked by a bag row or a shared frame."""
    rows, tracks, _ = _bag_members(blk)
    links = [sparse.csr_matrix((np.ones(len(rows)), (rows, tracks)),
                               shape=(blk.bags.n_rows, blk.n))]
    if blk.exclusion is not None:
        links.append(blk.exclusion.cliques)
    inc = sparse.vstack(links).tocsr()
    graph = sparse.bmat([[None, inc.T], [inc, None]], format="csr")
    _, comp = sparse.csgraph.connected_components(graph, directed=False)
    return np.asarray(comp[:blk.n])


def _solve_group(blk: Block, Zb: np.ndarray, tracks: np.ndarray, rows_in: np.ndarray,
                 time_limit: float) -> tuple[np.ndarray | None, int]:
    """Integer program on one group: max <Z, S> - M * (unsatisfied bags)."""
    k = len(blk.cols)
    m = len(tracks)
    pos = np.full(blk.n, -1, dtype=np.int64)
    pos[tracks] = np.arange(m)
    r_all, t_all, c_all = _bag_members(blk)
    sel = np.isin(r_all, rows_in)
    r_loc = np.searchsorted(rows_in, r_all[sel])
    nr = len(rows_in)
    nv = m * k + nr  # one-hot labels, then a 0/1 "unsatisfied" flag per bag row
    big = m + 1.0  # one more satisfied bag beats any change of <Z, S> (each row <= 1)
    cost = np.concatenate([-Zb[tracks].ravel(), np.full(nr, big)])
    a_rows, a_cols, lo, hi = [], [], [], []
    # each track: exactly one label
    a_rows.append(np.repeat(np.arange(m), k))
    a_cols.append(np.arange(m * k))
    lo.append(np.ones(m))
    hi.append(np.ones(m))
    n_con = m
    # each bag row: sum_{n in row} s_{n,col} + u >= 1
    a_rows.append(n_con + np.concatenate([r_loc, np.arange(nr)]))
    a_cols.append(np.concatenate([pos[t_all[sel]] * k + c_all[sel], m * k + np.arange(nr)]))
    lo.append(np.ones(nr))
    hi.append(np.full(nr, np.inf))
    n_con += nr
    ex = blk.exclusion
    if ex is not None and k > 1:
        cq = ex.cliques[_cliques_of(ex.cliques, tracks)].tocoo()
        names = np.arange(1, k)
        a_rows.append(n_con + (cq.row[:, None] * (k - 1) + names[None, :] - 1).ravel())
        a_cols.append((pos[cq.col][:, None] * k + names[None, :]).ravel())
        n_cq = cq.shape[0] * (k - 1)
        lo.append(np.full(n_cq, -np.inf))
        hi.append(np.ones(n_cq))
        n_con += n_cq
    A = sparse.csr_matrix((np.ones(sum(len(r) for r in a_rows)),
                           (np.concatenate(a_rows), np.concatenate(a_cols))), shape=(n_con, nv))
    res = milp(cost, constraints=LinearConstraint(A, np.concatenate(lo), np.concatenate(hi)),
               integrality=np.ones(nv), bounds=Bounds(0, 1),
               options={"time_limit": time_limit})
    if res.x is None:
        return None, nr
    x = np.round(res.x)
    return x[:m * k].reshape(m, k).argmax(axis=1), int(x[m * k:].sum())


def _cliques_of(cliques: sparse.csr_matrix, tracks: np.ndarray) -> np.ndarray:
    """Cliques with a member among ``tracks`` (a group holds its cliques whole)."""
    mask = np.zeros(cliques.shape[1])
    mask[tracks] = 1.0
    return np.flatnonzero(cliques @ mask > 0)


def round_block(blk: Block, Zb: np.ndarray, *, time_limit: float = 20.0) -> Rounded:
    """Labels (block-local columns) for one block's relaxed Z."""
    labels = Zb.argmax(axis=1) if Zb.size else np.zeros(blk.n, dtype=np.int64)
    bad_rows, bad_cliques = violations(blk, labels)
    if len(bad_rows) == 0 and len(bad_cliques) == 0:
        return Rounded(labels, 0, 0)
    group = _groups(blk)
    rows, tracks, _ = _bag_members(blk)
    row_group = np.full(blk.bags.n_rows, -1, dtype=np.int64)
    row_group[rows] = group[tracks]
    todo = set(row_group[bad_rows].tolist())
    if len(bad_cliques) and blk.exclusion is not None:
        first = blk.exclusion.cliques[bad_cliques].tocoo()
        todo |= set(group[first.col].tolist())
    unsatisfied = 0
    for g in sorted(todo):
        members = np.flatnonzero(group == g)
        rows_in = np.flatnonzero(row_group == g)
        new, left = _solve_group(blk, Zb, members, rows_in, time_limit)
        if new is None:  # no answer in time: keep the argmax, count its misses
            unsatisfied += len(np.intersect1d(rows_in, bad_rows))
            continue
        labels[members] = new
        unsatisfied += left
    return Rounded(labels, unsatisfied, len(todo))


def round_argmax(blk: Block, Zb: np.ndarray) -> Rounded:
    """Each track its largest entry of Z, except that tracks sharing a frame never get the
    same name (the linear oracle on -Z: the nearest labelling that keeps only that)."""
    if Zb.size == 0:
        return Rounded(np.zeros(blk.n, dtype=np.int64), 0, 0)
    S = BlockOracle(blk, Zb.shape[1])(-Zb)
    return Rounded(np.asarray(S.argmax(axis=1), dtype=np.int64), 0, 0)
