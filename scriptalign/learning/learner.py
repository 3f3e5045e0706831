"""``learn``: names (and actions) for face tracks from script bags.

Bojanowski, Bach, Laptev, Ponce, Schmid, Sivic, "Finding Actors and Actions in Movies",
ICCV 2013: discriminative clustering (DIFFRAC) of all tracks at once, a linear classifier
of the features learned jointly with the assignment, under the constraints the aligned
script gives ("someone in this bag is Leonard"). Several movies make one problem with one
shared classifier (one Frank-Wolfe block per movie).

This module is the orchestration: bags and tracks -> ``Problem`` (:mod:`.problem`), solved
(:mod:`.solve_fw`, :mod:`.solve_cvxpy`), rounded (:mod:`.rounding`), then actions
(:mod:`.joint_actions`). Why the defaults differ from the paper: ``docs/learn.md``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import asdict

import numpy as np

from scriptalign.core.errors import InputError
from scriptalign.core.progress import Progress
from scriptalign.learning import joint_actions as act
from scriptalign.learning.labels import Labels, TrackLabel
from scriptalign.learning.options import LearnOptions
from scriptalign.learning.problem import (
    MovieTracks,
    Problem,
    RowSpec,
    Solution,
    assemble,
    checked_rows,
    movie_tracks,
    report_dropped,
)
from scriptalign.learning.rounding import round_block
from scriptalign.learning.solve_fw import solve_fw as _solve_fw
from scriptalign.text.alignment import Alignment
from scriptalign.video.tracks import FaceTracks

__all__ = ["LearnOptions", "learn", "solve"]

def _has_cvxpy() -> bool:
    return importlib.util.find_spec("cvxpy") is not None


def solve(problem: Problem, options: LearnOptions, progress: Progress | None = None) -> Solution:
    choice = options.solver
    if choice == "auto":
        small = options.cvxpy_max_tracks >= problem.N
        choice = "cvxpy" if small and _has_cvxpy() else "fw"
    if choice == "cvxpy":
        from scriptalign.learning.solve_cvxpy import solve_cvxpy

        return solve_cvxpy(problem, progress=progress)
    return _solve_fw(problem, max_iter=options.max_iter, tol=options.tol, progress=progress)


def _label(k: int, alignment: Alignment, ft: FaceTracks) -> str:
    path = ft.video.get("path") if isinstance(ft.video, dict) else None
    if path:
        return str(path).rstrip("/").rsplit("/", 1)[-1]
    if alignment.subtitles:
        return str(alignment.subtitles).rstrip("/").rsplit("/", 1)[-1]
    return f"movie {k + 1}"


def _tracks(label: str, ft: FaceTracks, features: np.ndarray | None, what: str,
            warnings: list[str]) -> MovieTracks:
    return movie_tracks(label, [t.id for t in ft.tracks], [t.start for t in ft.tracks],
                        [t.end for t in ft.tracks], features, what, warnings)


def _name_rows(alignment: Alignment, movie: MovieTracks, margin: float,
               warnings: list[str]) -> list[RowSpec]:
    counts: dict[str, int] = {}
    rows: list[RowSpec] = []
    total = 0
    for i, bag in enumerate(alignment.bags):
        if bag.persons:
            total += 1
            rows.extend(checked_rows(movie, i, bag.persons, bag.start, bag.end, margin, counts))
    report_dropped(movie.label, "person", total, counts, warnings)
    return rows


def _check_solution(problem: Problem, sol: Solution, what: str, share: float,
                    warnings: list[str]) -> None:
    mass = np.zeros(problem.K)
    for blk, Zb in zip(problem.blocks, sol.Z, strict=True):
        mass[blk.cols] += Zb.sum(axis=0)
    if problem.N and mass.max() > share * problem.N:
        top = int(mass.argmax())
        name = problem.classes[top] or "background"
        warnings.append(f"degenerate {what} solution: {name} takes {mass[top] / problem.N:.0%} "
                        "of the tracks (the bags hardly constrain the problem: are the "
                        "alignment and the tracks of the same movie? try a larger kappa)")
    if not sol.converged:
        rel = "" if sol.gap is None else f" (duality gap {sol.gap:.3g}, objective " \
                                         f"{sol.objective:.4g})"
        warnings.append(f"the {what} solver stopped before converging{rel}")


def _round(problem: Problem, sol: Solution, what: str, movies: list[MovieTracks],
           warnings: list[str]) -> list[np.ndarray]:
    out = []
    for blk, Zb, movie in zip(problem.blocks, sol.Z, movies, strict=True):
        r = round_block(blk, Zb)
        if r.unsatisfied:
            warnings.append(f"{movie.label}: {r.unsatisfied} of {blk.bags.n_rows} {what} bags "
                            "cannot all hold in one labelling (they contradict each other); "
                            "left unsatisfied")
        out.append(r.labels)
    return out


class _Stages:
    """Maps each stage's own progress onto one bar: names, then actions."""

    def __init__(self, progress: Progress | None, stages: int) -> None:
        self.progress, self.stages, self.stage = progress, stages, 0

    def __call__(self, done: int, total: int) -> None:
        if self.progress is not None:
            frac = done / total if total else 0.0
            self.progress(int(1000 * (self.stage + frac) / self.stages), 1000)

    def next(self) -> None:
        self.stage += 1
        self(0, 1)


def _action_movies(labels_of: list[str], movies: list[tuple[Alignment, FaceTracks]],
                   warnings: list[str]) -> list[MovieTracks]:
    out = []
    for lab, (_, ft) in zip(labels_of, movies, strict=True):
        if ft.action is None:
            warnings.append(f"{lab}: no action features (tracks.npz has no 'action'); its "
                            "tracks get no action")
            out.append(MovieTracks(lab, [t.id for t in ft.tracks], np.zeros(0, dtype=np.int64),
                                   np.zeros((0, 0)), np.zeros(0), np.zeros(0)))
        else:
            out.append(_tracks(lab, ft, ft.action, "action", warnings))
    return out


def _learn_actions(opts: LearnOptions, rows: act.ActionRows, names: Problem,
                   faces: list[MovieTracks], names_sol: Solution, movies: list[MovieTracks],
                   joint: tuple[Problem, Solution] | None, stages: _Stages,
                   warnings: list[str]) -> tuple[Problem, Solution, list[np.ndarray]] | None:
    """Actions, after the names (``joint``: the McCormick solution, already solved)."""
    pair_rows = act.weighted_pairs(rows, names, faces, names_sol.Z, movies, warnings)
    specs = [p + q for p, q in zip(rows.plain, pair_rows, strict=True)]
    try:
        # the joint bags weighted by the names: solved with (alternate) or only kept when
        # rounding (mccormick solved them already)
        problem = act.build_actions(movies, specs, alpha=opts.action_alpha,
                                    kappa=opts.action_kappa, lam=opts.action_lam,
                                    background=opts.background, warnings=warnings,
                                    extra=act.pair_actions(rows))
    except InputError as exc:
        warnings.append(f"no actions learned: {exc}")
        return None
    if joint is None:
        stages.next()
        sol = solve(problem, opts, stages)
    else:
        sol = _realign(joint[0], problem, joint[1])
    _check_solution(problem, sol, "action", opts.degenerate, warnings)
    return problem, sol, _round(problem, sol, "action", movies, warnings)


def learn(movies: list[tuple[Alignment, FaceTracks]], options: LearnOptions | None = None,
          progress: Progress | None = None) -> list[Labels]:
    """Names (and actions, when there are action features and action bags) for every track.

    One ``Labels`` per movie, in order; the movies form one problem with a shared
    classifier. Problems with the input are warnings in ``Labels.warnings`` when the
    rest can still be learned (dropped bags, tracks with NaN features), else InputError.
    """
    opts = options or LearnOptions()
    opts.check()
    if not movies:
        raise InputError("nothing to learn from: no movie given")
    warnings: list[str] = []
    labels_of = [_label(k, a, ft) for k, (a, ft) in enumerate(movies)]
    alignments = [a for a, _ in movies]
    faces = [_tracks(lab, ft, ft.face, "face", warnings)
             for lab, (_, ft) in zip(labels_of, movies, strict=True)]
    specs = [_name_rows(a, m, opts.margin, warnings)
             for a, m in zip(alignments, faces, strict=True)]
    names = assemble(faces, specs, alpha=opts.alpha, kappa=opts.kappa, lam=opts.lam,
                     background=opts.background, exclusive=opts.exclusive, warnings=warnings,
                     what="person")
    rows: act.ActionRows | None = None
    action_movies: list[MovieTracks] = []
    if act.wanted(alignments) and any(ft.action is not None for _, ft in movies):
        action_movies = _action_movies(labels_of, movies, warnings)
        rows = act.action_rows(alignments, action_movies, opts.margin, warnings)
    stages = _Stages(progress, 2 if rows is not None else 1)
    joint: tuple[Problem, Solution] | None = None
    if rows is not None and opts.joint == "mccormick":
        try:
            plain = act.build_actions(action_movies, rows.plain, alpha=opts.action_alpha,
                                      kappa=opts.action_kappa, lam=opts.action_lam,
                                      background=opts.background, warnings=[],
                                      extra=act.pair_actions(rows))
        except InputError as exc:
            warnings.append(f"no actions learned: {exc}")
            rows = None
        else:
            names_sol, action_sol = act.solve_mccormick(
                names, faces, plain, action_movies, rows, opts.action_alpha, opts.action_kappa)
            joint = (plain, action_sol)
            stages.next()
    if joint is None:
        names_sol = solve(names, opts, stages)
    _check_solution(names, names_sol, "name", opts.degenerate, warnings)
    name_labels = _round(names, names_sol, "person", faces, warnings)
    actions = (_learn_actions(opts, rows, names, faces, names_sol, action_movies, joint,
                              stages, warnings) if rows is not None else None)
    stages(1, 1)
    params = {**asdict(opts), "classes": [c for c in names.classes if c is not None],
              "tracks": names.N, "person_bags": sum(b.bags.n_rows for b in names.blocks),
              "movies": labels_of}
    if actions is not None:
        params["actions"] = [c for c in actions[0].classes if c is not None]
        params["action_bags"] = sum(b.bags.n_rows for b in actions[0].blocks)
    out = []
    for k, (_, ft) in enumerate(movies):
        tracks = _track_labels(k, ft, names, names_sol, name_labels, faces[k])
        if actions is not None:
            _add_actions(tracks, k, *actions, action_movies[k])
        out.append(Labels(tracks, names_sol.info(), dict(params), list(warnings),
                          actions[1].info() if actions is not None else None))
    return out


def _realign(src: Problem, dst: Problem, sol: Solution) -> Solution:
    """Carry a solution to a problem with the same movies but maybe other columns."""
    Z = []
    for bs, bd, Zs in zip(src.blocks, dst.blocks, sol.Z, strict=True):
        Zd = np.zeros((bd.n, len(bd.cols)))
        pos = {int(g): j for j, g in enumerate(bd.cols)}
        for j, g in enumerate(bs.cols.tolist()):
            if g in pos:
                Zd[:, pos[g]] = Zs[:, j]
        Z.append(Zd)
    return Solution(Z, sol.solver, sol.iterations, sol.objective, sol.gap, sol.seconds,
                    sol.converged)


def _track_labels(k: int, ft: FaceTracks, problem: Problem, sol: Solution,
                  labels: list[np.ndarray], movie: MovieTracks) -> list[TrackLabel]:
    blk, Zb, lab = problem.blocks[k], sol.Z[k], labels[k]
    names = [problem.classes[g] for g in blk.cols]
    row_of = {int(t): r for r, t in enumerate(movie.keep)}
    out = []
    for i, t in enumerate(ft.tracks):
        r = row_of.get(i)
        if r is None:
            out.append(TrackLabel(t.id, None, 0.0, {}))
            continue
        j = int(lab[r])
        out.append(TrackLabel(t.id, names[j], float(Zb[r, j]),
                              {str(names[c]): float(Zb[r, c]) for c in range(1, len(names))}))
    return out


def _add_actions(tracks: list[TrackLabel], k: int, problem: Problem, sol: Solution,
                 labels: list[np.ndarray], movie: MovieTracks) -> None:
    blk, Zb, lab = problem.blocks[k], sol.Z[k], labels[k]
    names = [problem.classes[g] for g in blk.cols]
    row_of = {int(t): r for r, t in enumerate(movie.keep)}
    for i, tl in enumerate(tracks):
        r = row_of.get(i)
        if r is None:
            tl.action, tl.action_score, tl.action_scores = None, None, {}
            continue
        j = int(lab[r])
        tl.action, tl.action_score = names[j], float(Zb[r, j])
        tl.action_scores = {str(names[c]): float(Zb[r, c]) for c in range(1, len(names))}
