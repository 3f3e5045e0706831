"""Actions: the same discriminative clustering on the action features, with its own lambda.

Bags say "someone does ACTION here" (a description) or "PERSON does ACTION here" (the
subject of the verb, ``Bag.pairs``). The second is bilinear in names Z and actions T:
``sum_n z_{n,PERSON} t_{n,ACTION} >= 1``. Two ways to keep it convex:

* ``alternate`` (the paper): learn the names first, then the actions with each joint bag
  weighted by the names, ``sum_n z_{n,PERSON} t_{n,ACTION} >= alpha - xi`` with z fixed;
* ``mccormick``: names and actions at once, with y_n <= z_{n,PERSON}, y_n <= t_{n,ACTION},
  ``sum_n y_n >= alpha - xi`` (the McCormick envelope of the product; cvxpy only).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from scriptalign.learning.problem import (
    MovieTracks,
    Problem,
    RowSpec,
    Solution,
    assemble,
    checked_rows,
    name_key,
    report_dropped,
    tracks_in,
)
from scriptalign.text.alignment import Alignment

PAIR_WEIGHT_MIN = 1e-3  # name scores below this do not make a track a joint-bag member


@dataclass
class PairRow:
    """A joint bag "PERSON does ACTION" in one movie, before it becomes a constraint."""

    source: int
    person: str
    action: str
    tracks: np.ndarray  # indices into the action MovieTracks.keep


@dataclass
class ActionRows:
    plain: list[list[RowSpec]]  # per movie: "someone does ACTION"
    pairs: list[list[PairRow]]  # per movie: "PERSON does ACTION"


def wanted(alignments: list[Alignment]) -> bool:
    return any(b.actions or b.pairs for a in alignments for b in a.bags)


def action_rows(alignments: list[Alignment], movies: list[MovieTracks], margin: float,
                warnings: list[str]) -> ActionRows:
    plain: list[list[RowSpec]] = []
    pairs: list[list[PairRow]] = []
    for alignment, movie in zip(alignments, movies, strict=True):
        counts: dict[str, int] = {}
        rows: list[RowSpec] = []
        joint: list[PairRow] = []
        total = 0
        for i, bag in enumerate(alignment.bags):
            paired = {name_key(a) for _, a in bag.pairs}
            alone = [a for a in bag.actions if name_key(a) not in paired]
            if not (alone or bag.pairs):
                continue
            total += 1
            # one "name" per bag here: several actions may be done by the same track
            for action in alone:
                rows.extend(checked_rows(movie, i, [action], bag.start, bag.end, margin,
                                         counts))
            if bag.pairs:
                inside = tracks_in(movie, bag.start, bag.end, margin)
                if len(inside) == 0:
                    counts["no track"] = counts.get("no track", 0) + 1
                    continue
                joint.extend(PairRow(i, p, a, inside) for p, a in bag.pairs)
        report_dropped(movie.label, "action", total, counts, warnings)
        plain.append(rows)
        pairs.append(joint)
    return ActionRows(plain, pairs)


def _name_scores(columns: list[str | None], names_movie: MovieTracks, Z: np.ndarray,
                 movie: MovieTracks, person: str) -> np.ndarray:
    """Soft name score of ``person`` for each track of an action movie (0 if unknown);
    ``columns`` name the columns of the movie's name assignment ``Z``."""
    key = name_key(person)
    col = next((j for j, c in enumerate(columns) if c is not None and name_key(c) == key),
               None)
    out = np.zeros(len(movie.keep))
    if col is None:
        return out
    row_of = {int(t): r for r, t in enumerate(names_movie.keep)}
    for j, t in enumerate(movie.keep.tolist()):
        r = row_of.get(int(t))
        if r is not None:
            out[j] = Z[r, col]
    return out


def weighted_pairs(rows: ActionRows, columns: list[list[str | None]],
                   names_movies: list[MovieTracks], Z: list[np.ndarray],
                   movies: list[MovieTracks], warnings: list[str]) -> list[list[RowSpec]]:
    """Joint bags as action rows weighted by the names (the ``alternate`` scheme)."""
    out: list[list[RowSpec]] = []
    for k, (movie, joint) in enumerate(zip(movies, rows.pairs, strict=True)):
        specs: list[RowSpec] = []
        unseen = 0
        for pr in joint:
            w = _name_scores(columns[k], names_movies[k], Z[k], movie, pr.person)[pr.tracks]
            keep = w >= PAIR_WEIGHT_MIN
            if not keep.any():
                unseen += 1
                continue
            specs.append(RowSpec(pr.source, pr.action, pr.tracks[keep], w[keep]))
        if unseen:
            warnings.append(f"{movie.label}: {unseen} of {len(joint)} person-action bags have "
                            "no track of their person (dropped)")
        out.append(specs)
    return out


def pair_actions(rows: ActionRows) -> list[list[str]]:
    return [[pr.action for pr in joint] for joint in rows.pairs]


def solve_mccormick(names: Problem, names_movies: list[MovieTracks], actions: Problem,
                    movies: list[MovieTracks], rows: ActionRows,
                    alpha: float) -> tuple[Solution, Solution]:
    """Names and actions in one convex problem (cvxpy): the McCormick envelope."""
    from scriptalign.learning.solve_cvxpy import cvx_model, import_cvxpy, run, values

    cp = import_cvxpy()
    t0 = time.perf_counter()
    mf, ma = cvx_model(names, cp), cvx_model(actions, cp)
    f_idx, a_idx, row_of_entry = [], [], []
    n_rows = 0
    for k, (movie, joint) in enumerate(zip(movies, rows.pairs, strict=True)):
        fblk, ablk = names.blocks[k], actions.blocks[k]
        name_row = {int(t): r for r, t in enumerate(names_movies[k].keep)}
        for pr in joint:
            fcol = next((j for j, g in enumerate(fblk.cols)
                         if g and name_key(str(names.classes[g])) == name_key(pr.person)), None)
            acol = next((j for j, g in enumerate(ablk.cols)
                         if g and name_key(str(actions.classes[g])) == name_key(pr.action)))
            members = [(name_row[int(movie.keep[t])], t) for t in pr.tracks.tolist()
                       if int(movie.keep[t]) in name_row]
            if fcol is None or not members:
                continue
            for r, t in members:
                f_idx.append(mf.index[k][r, fcol])
                a_idx.append(ma.index[k][t, acol])
                row_of_entry.append(n_rows)
            n_rows += 1
    terms = mf.terms + ma.terms
    constraints = mf.constraints + ma.constraints
    if n_rows:
        y = cp.Variable(len(f_idx), nonneg=True)
        xi = cp.Variable(n_rows)
        S = sparse.csr_matrix((np.ones(len(f_idx)), (row_of_entry, np.arange(len(f_idx)))),
                              shape=(n_rows, len(f_idx)))
        constraints += [y <= mf.z[np.array(f_idx)], y <= ma.z[np.array(a_idx)],
                        S @ y >= alpha - xi]
        terms.append(actions.kappa / 2 * cp.sum_squares(xi))
    prob = cp.Problem(cp.Minimize(cp.sum(terms)), constraints)
    used = run(prob, cp)
    seconds = time.perf_counter() - t0
    iters = int(prob.solver_stats.num_iters or 0)
    name = f"cvxpy-{used.lower()}-mccormick"
    ok = prob.status == "optimal"
    return (Solution(values(mf), name, iters, float(prob.value), None, seconds, ok),
            Solution(values(ma), name, iters, float(prob.value), None, seconds, ok))


def build_actions(movies: list[MovieTracks], plain: list[list[RowSpec]], *, alpha: float,
                  kappa: float, lam: float, background: float, warnings: list[str],
                  extra: list[list[str]] | None = None) -> Problem:
    """The action problem: no exclusion (two people may do the same thing at once).

    ``kappa`` is per track, as the names' (the problem's penalty is ``kappa / N``): with a
    fixed penalty the bags outweighed DIFFRAC more and more as movies were added, and the
    joint problem over a corpus did not converge.
    """
    n = max(sum(len(m.keep) for m in movies), 1)
    return assemble(movies, plain, alpha=alpha, kappa=kappa / n, lam=lam,
                    background=background, exclusive=False, warnings=warnings, what="action",
                    extra=extra)
