"""The learning problem: tracks, features, classes and the constraints the script gives.

One *block* per movie (its tracks are consecutive rows of the stacked feature matrix X).
A block only has columns for the classes its own script mentions (plus background,
column 0 everywhere), so a 66-movie problem with 230 names stays N x (a few) in memory.
The assignment matrix Z is the dense N x K matrix with zeros outside those columns.

Constraints, all linear in Z (Bojanowski et al. 2013):

* rows of Z lie on the simplex (a track is one of the classes, or background);
* a *bag row* says "at least alpha of the tracks that overlap this bag's time are NAME":
  ``sum_n w_n z_{n,NAME} >= alpha - xi`` with slack xi paid ``kappa/2 xi^2``;
* tracks visible at the same time are different people: for each set of tracks that
  overlap in one frame (a maximal clique of the interval graph) and each name,
  ``sum_{n in clique} z_{n,NAME} <= 1`` (this implies the pairwise ``z_ip + z_jp <= 1``);
* tracks in no bag lean to background: ``background/(2N) * (1 - z_{n,bg})^2``;
* a name costs ``prior/N`` per track (``prior/N * sum_n (1 - z_{n,bg})``): the background
  class's answer to DIFFRAC's trivial solution. DIFFRAC is blind to a constant shift of the
  rows, and a track that the classifier cannot predict (a face of nobody in the cast) gets
  the average row, where the leading names outweigh background: without this cost it is
  named. It is the Lagrangian form of a lower bound on background mass (DIFFRAC's class
  size constraints), without having to know the share of extras per film. The price is
  per track and name (``Block.cost``): a track pays less for a name that a bag gives it
  (``evidence_cost``), so the cost falls on the faces no bag explains.

The bag penalty of the names is given per track (``kappa/(2N)``, see ``learner``), so the
balance between bags, prior and DIFFRAC does not move with the size of the film.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from scriptalign.core.errors import InputError


@dataclass
class BagRows:
    """Bag constraints of one block, flat: row r covers entries ``ptr[r]:ptr[r+1]``."""

    ptr: np.ndarray  # (R+1,) int64
    tracks: np.ndarray  # (nnz,) int64, block-local track index
    weights: np.ndarray  # (nnz,) float64, 1 for plain bags, name scores for joint bags
    col: np.ndarray  # (R,) int64, block-local column
    alpha: np.ndarray  # (R,) float64
    source: np.ndarray  # (R,) int64, index of the bag in the movie's alignment

    @property
    def n_rows(self) -> int:
        return len(self.col)

    def entry_rows(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_rows), np.diff(self.ptr))

    def entry_cols(self) -> np.ndarray:
        return self.col[self.entry_rows()]

    def sums(self, Z: np.ndarray) -> np.ndarray:
        """``s_r = sum_n w_n Z[n, col_r]`` for every row."""
        vals = Z[self.tracks, self.entry_cols()] * self.weights
        return np.bincount(self.entry_rows(), weights=vals, minlength=self.n_rows)

    @staticmethod
    def empty() -> BagRows:
        z = np.zeros(0, dtype=np.int64)
        return BagRows(np.zeros(1, dtype=np.int64), z, np.zeros(0), z, np.zeros(0), z)


@dataclass
class Exclusion:
    """Tracks that share a frame, as maximal cliques of the time-overlap graph.

    ``components`` are the connected groups of overlapping tracks (two or more tracks);
    when a group is a single clique, "different people" is an assignment problem.
    """

    cliques: sparse.csr_matrix  # (n_cliques, N_b) 0/1, cliques of 2+ tracks
    components: list[np.ndarray]  # block-local tracks of each group of 2+ tracks
    component_cliques: list[np.ndarray]  # clique ids of each group
    clique_component: np.ndarray  # (n_cliques,) group id of each clique
    is_clique: np.ndarray  # (n_components,) bool


@dataclass
class Block:
    label: str
    start: int  # rows start:stop of the stacked X
    stop: int
    cols: np.ndarray  # global class index of each local column; cols[0] == 0 (background)
    bags: BagRows
    outside: np.ndarray  # (N_b,) bool: in no bag row
    exclusion: Exclusion | None = None
    cost: np.ndarray | None = None  # (N_b, K_b) price of each name per unit of prior; None: 1

    def name_cost(self) -> np.ndarray:
        """What a unit of each entry costs in units of ``prior/N`` (background: 0)."""
        if self.cost is not None:
            return self.cost
        out = np.ones((self.n, len(self.cols)))
        out[:, 0] = 0.0
        return out

    @property
    def n(self) -> int:
        return self.stop - self.start


def evidence_cost(blk: Block, discount: float) -> np.ndarray:
    """The price of naming each track with each name, lowered where a bag gives it.

    A track pays ``1 - discount * e`` for name p, ``e`` its weight in a bag naming p over
    the largest weight of that bag (1 for the only face of a line or the face moving its
    mouth most, ``speaking`` for a still face beside it), the largest over such bags; a
    track in no bag naming p pays the full price. Extras, which no bag names, keep it.
    """
    cost = np.ones((blk.n, len(blk.cols)))
    cost[:, 0] = 0.0
    bags = blk.bags
    if discount <= 0 or bags.n_rows == 0:
        return cost
    rows = bags.entry_rows()
    top = np.zeros(bags.n_rows)
    np.maximum.at(top, rows, bags.weights)
    share = bags.weights / np.maximum(top[rows], 1e-12)
    evidence = np.zeros_like(cost)
    np.maximum.at(evidence, (bags.tracks, bags.col[rows]), share)
    evidence[:, 0] = 0.0
    return cost - discount * np.minimum(evidence, 1.0)


@dataclass
class Problem:
    X: np.ndarray  # (N, d) float64
    classes: list[str | None]  # classes[0] is None: background
    blocks: list[Block]
    lam: float
    kappa: float
    background: float
    warnings: list[str] = field(default_factory=list)
    prior: float = 0.0  # cost of a name per track, in units of 1/N

    @property
    def N(self) -> int:
        return int(self.X.shape[0])

    @property
    def K(self) -> int:
        return len(self.classes)


@dataclass
class MovieTracks:
    """The tracks of one movie that can enter the problem (finite features)."""

    label: str
    ids: list[int]  # every track id, in tracks.json order
    keep: np.ndarray  # indices (into ids) of the tracks in the problem
    X: np.ndarray  # (len(keep), d) float64
    start: np.ndarray  # (len(keep),) seconds
    end: np.ndarray


@dataclass
class RowSpec:
    """One bag constraint before it becomes a row: ``label`` among ``tracks``."""

    source: int
    label: str
    tracks: np.ndarray  # indices into MovieTracks.keep
    weights: np.ndarray
    trust: float = 1.0  # scales the row's alpha (a bag the alignment is unsure of asks less)


def name_key(name: str) -> str:
    """Names from different scripts match case- and spacing-insensitively."""
    return " ".join(name.split()).casefold()


def movie_tracks(label: str, ids: Sequence[int], starts: Sequence[float],
                 ends: Sequence[float], features: np.ndarray | None, what: str,
                 warnings: list[str]) -> MovieTracks:
    """Check one movie's features against its tracks; drop non-finite rows with a warning."""
    n = len(ids)
    if features is None:
        raise InputError(f"{label}: no {what} features (tracks.npz is missing or has no "
                         f"'{what}' array)")
    feats = np.asarray(features)
    if feats.ndim != 2 or feats.shape[0] != n:
        raise InputError(f"{label}: the {what} features do not match tracks.json "
                         f"({feats.shape[0] if feats.ndim else 0} rows for {n} tracks)")
    feats = feats.astype(np.float64)
    start = np.asarray(starts, dtype=np.float64)
    end = np.asarray(ends, dtype=np.float64)
    finite = np.isfinite(feats).all(axis=1)
    timed = np.isfinite(start) & np.isfinite(end) & (end >= start)
    if (~finite).any():
        warnings.append(f"{label}: {int((~finite).sum())} of {n} tracks have NaN/Inf "
                        f"{what} features; left out (labelled null)")
    if (finite & ~timed).any():
        warnings.append(f"{label}: {int((finite & ~timed).sum())} of {n} tracks have "
                        "invalid times; left out (labelled null)")
    keep = np.flatnonzero(finite & timed)
    return MovieTracks(label, [int(i) for i in ids], keep, feats[keep], start[keep], end[keep])


def tracks_in(movie: MovieTracks, start: float, end: float, margin: float) -> np.ndarray:
    """Tracks whose time overlaps [start - margin, end + margin] (indices into keep)."""
    return np.flatnonzero((movie.start <= end + margin) & (movie.end >= start - margin))


def maximal_cliques(start: np.ndarray, end: np.ndarray) -> list[np.ndarray]:
    """Maximal sets of intervals sharing a point (closed intervals), by a sweep."""
    order = np.argsort(start, kind="stable")
    active: list[tuple[float, int]] = []  # heap of (end, index)
    out: list[np.ndarray] = []
    grown = False
    for i in order.tolist():
        s = start[i]
        if active and active[0][0] < s:
            if grown:
                out.append(np.array(sorted(k for _, k in active), dtype=np.int64))
                grown = False
            while active and active[0][0] < s:
                heapq.heappop(active)
        heapq.heappush(active, (float(end[i]), i))
        grown = True
    if grown and active:
        out.append(np.array(sorted(k for _, k in active), dtype=np.int64))
    return out


def build_exclusion(start: np.ndarray, end: np.ndarray) -> Exclusion | None:
    n = len(start)
    cliques = [c for c in maximal_cliques(start, end) if len(c) >= 2]
    if not cliques:
        return None
    rows = np.repeat(np.arange(len(cliques)), [len(c) for c in cliques])
    cols = np.concatenate(cliques)
    mat = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(cliques), n))
    # Groups of overlapping tracks = connected components of the track-clique graph.
    both = sparse.bmat([[None, mat.T], [mat, None]], format="csr")
    _, comp = sparse.csgraph.connected_components(both, directed=False)
    track_comp = comp[:n]
    clique_comp_raw = comp[n:]
    ids, clique_component = np.unique(clique_comp_raw, return_inverse=True)
    components = [np.flatnonzero(track_comp == c) for c in ids]
    component_cliques = [np.flatnonzero(clique_component == k) for k in range(len(ids))]
    is_clique = np.array([len(cq) == 1 for cq in component_cliques], dtype=bool)
    return Exclusion(mat, components, component_cliques, clique_component.astype(np.int64),
                     is_clique)


def assemble(movies: list[MovieTracks], specs: list[list[RowSpec]], *, alpha: float,
             kappa: float, lam: float, background: float, exclusive: bool,
             warnings: list[str], what: str, extra: list[list[str]] | None = None,
             prior: float = 0.0) -> Problem:
    """Stack the movies into one problem; classes are the union of the rows' labels.

    ``extra`` adds classes to a movie that no row names (the joint person-action bags of
    the McCormick formulation need their action's column).
    """
    if not movies or all(len(m.keep) == 0 for m in movies):
        raise InputError(f"no track with usable {what} features: nothing to learn from")
    extra = extra or [[] for _ in movies]
    if sum(len(s) for s in specs) + sum(len(e) for e in extra) == 0:
        raise InputError(f"no {what} bag overlaps any track: nothing to learn from "
                         "(are the alignment and the tracks of the same movie?)")
    display: dict[str, str] = {}
    for movie_specs, movie_extra in zip(specs, extra, strict=True):
        for label in [r.label for r in movie_specs] + list(movie_extra):
            display.setdefault(name_key(label), label)
    keys = sorted(display)
    classes: list[str | None] = [None, *(display[k] for k in keys)]
    global_col = {k: j + 1 for j, k in enumerate(keys)}
    blocks: list[Block] = []
    offset = 0
    for movie, movie_specs, movie_extra in zip(movies, specs, extra, strict=True):
        n = len(movie.keep)
        used = sorted({global_col[name_key(x)]
                       for x in [r.label for r in movie_specs] + list(movie_extra)})
        cols = np.array([0, *used], dtype=np.int64)
        local = {int(g): j for j, g in enumerate(cols)}
        counts = [len(r.tracks) for r in movie_specs]
        bags = BagRows(
            ptr=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            tracks=(np.concatenate([r.tracks for r in movie_specs]).astype(np.int64)
                    if movie_specs else np.zeros(0, dtype=np.int64)),
            weights=(np.concatenate([r.weights for r in movie_specs]).astype(np.float64)
                     if movie_specs else np.zeros(0)),
            col=np.array([local[global_col[name_key(r.label)]] for r in movie_specs],
                         dtype=np.int64),
            alpha=np.array([float(alpha) * r.trust for r in movie_specs], dtype=np.float64),
            source=np.array([r.source for r in movie_specs], dtype=np.int64))
        outside = np.ones(n, dtype=bool)
        outside[bags.tracks] = False
        excl = build_exclusion(movie.start, movie.end) if exclusive and n else None
        blocks.append(Block(movie.label, offset, offset + n, cols, bags, outside, excl))
        offset += n
    d = max((m.X.shape[1] for m in movies if m.X.ndim == 2), default=0)
    dims = {m.X.shape[1] for m in movies if len(m.keep)}
    if len(dims) > 1:
        raise InputError(f"the movies' {what} features have different sizes "
                         f"({', '.join(str(x) for x in sorted(dims))}): cannot learn jointly")
    X = (np.concatenate([m.X.reshape(len(m.keep), d) for m in movies])
         if offset else np.zeros((0, d)))
    return Problem(X, classes, blocks, float(lam), float(kappa), float(background), warnings,
                   float(prior))


def checked_rows(movie: MovieTracks, bag_index: int, names: list[str], start: float,
                 end: float, margin: float, counts: dict[str, int]) -> list[RowSpec]:
    """The rows of one bag ("each of ``names`` is one of the tracks it overlaps").

    A bag that overlaps no track, or names more people than it has tracks, cannot be
    satisfied: it is dropped and counted (never left to be silently violated).
    """
    unique: dict[str, str] = {}
    for x in names:
        nm = " ".join(str(x).split())
        if nm:
            unique.setdefault(name_key(nm), nm)
    names = list(unique.values())
    if not names:
        return []
    if not (np.isfinite(start) and np.isfinite(end)) or end < start:
        counts["bad times"] = counts.get("bad times", 0) + 1
        return []
    inside = tracks_in(movie, start, end, margin)
    if len(inside) == 0:
        counts["no track"] = counts.get("no track", 0) + 1
        return []
    if len(names) > len(inside):
        counts["more names than tracks"] = counts.get("more names than tracks", 0) + 1
        return []
    return [RowSpec(bag_index, nm, inside, np.ones(len(inside))) for nm in names]


def report_dropped(label: str, what: str, total: int, counts: dict[str, int],
                   warnings: list[str]) -> None:
    parts = []
    if counts.get("no track"):
        parts.append(f"{counts['no track']} overlap no track")
    if counts.get("more names than tracks"):
        parts.append(f"{counts['more names than tracks']} name more people than they have "
                     "tracks")
    if counts.get("bad times"):
        parts.append(f"{counts['bad times']} have no valid time")
    if parts:
        warnings.append(f"{label}: of {total} {what} bags, " + ", ".join(parts)
                        + " (dropped)")


@dataclass
class Solution:
    """A solver's answer: the relaxed Z per block, and how it got there."""

    Z: list[np.ndarray]  # per block, (N_b, K_b), rows on the simplex
    solver: str
    iterations: int
    objective: float
    gap: float | None
    seconds: float
    converged: bool = True

    def info(self) -> dict[str, object]:
        return {"name": self.solver, "iterations": self.iterations,
                "objective": float(self.objective),
                "gap": None if self.gap is None else float(self.gap),
                "seconds": round(self.seconds, 3), "converged": self.converged}
