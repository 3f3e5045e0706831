"""``learn``: names (and actions) for face tracks from script bags.

Bojanowski, Bach, Laptev, Ponce, Schmid, Sivic, "Finding Actors and Actions in Movies",
ICCV 2013: discriminative clustering (DIFFRAC) of all tracks at once, a linear classifier
of the features learned jointly with the assignment, under the constraints the aligned
script gives ("someone in this bag is Leonard").

Casts: names belong to a film. Each film's names are their own problem (their own
classifier), solved apart (in parallel with ``jobs``); films that declare the same series
(``series``), or all movies with ``cast_scope="series"``, share one cast and one problem
(one Frank-Wolfe block per episode). Actions are shared by every movie: one joint problem.

This module is the orchestration: bags and tracks -> ``Problem`` (:mod:`.problem`), solved
(:mod:`.solve_fw`, :mod:`.solve_cvxpy`), rounded (:mod:`.rounding`), then actions
(:mod:`.joint_actions`). Why the defaults differ from the paper: ``docs/learn.md``.
"""

from __future__ import annotations

import concurrent.futures as cf
import importlib.util
import multiprocessing as mp
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from scriptalign.core.errors import InputError, UsageError
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
    evidence_cost,
    movie_tracks,
    report_dropped,
)
from scriptalign.learning.rounding import round_argmax, round_block, violations
from scriptalign.learning.solve_fw import solve_fw as _solve_fw
from scriptalign.learning.speaking import bag_trust, mouth_series, speaking_weights
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


def _name_rows(alignment: Alignment, ft: FaceTracks, movie: MovieTracks,
               opts: LearnOptions, warnings: list[str]) -> list[RowSpec]:
    """A row per (bag, name): trusted as the alignment says, dialogue bags weighted by who
    moves their mouth during the line."""
    counts: dict[str, int] = {}
    rows: list[RowSpec] = []
    total = 0
    series: list[tuple[np.ndarray, np.ndarray] | None] | None = None
    if opts.speaking < 1.0:
        series = [mouth_series(ft.tracks[int(i)]) for i in movie.keep]
        if all(s is None for s in series):
            series = None
    for i, bag in enumerate(alignment.bags):
        if not bag.persons:
            continue
        total += 1
        found = checked_rows(movie, i, bag.persons, bag.start, bag.end, opts.margin, counts)
        trust = bag_trust(bag) if opts.trust else 1.0
        for row in found:
            row.trust = trust
            if series is not None and bag.kind == "dialogue":
                row.weights = speaking_weights([series[int(t)] for t in row.tracks],
                                               bag.start, bag.end, opts.speaking)
        rows.extend(found)
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
           warnings: list[str], rounding: str = "constrained") -> list[np.ndarray]:
    out = []
    for blk, Zb, movie in zip(problem.blocks, sol.Z, movies, strict=True):
        r = round_argmax(blk, Zb) if rounding == "argmax" else round_block(blk, Zb)
        missed = len(violations(blk, r.labels)[0]) if rounding == "argmax" else 0
        if missed > DISAGREE * blk.bags.n_rows:
            warnings.append(f"{movie.label}: {missed} of {blk.bags.n_rows} {what} bags have no "
                            "track of their label after rounding: the bags and the tracks "
                            "disagree (are they of the same movie?)")
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


# Argmax rounding leaves bags unsatisfied where the faces say otherwise (a wrong line, an
# off-screen speaker): 2-3% of them on the TV episodes, 13% for e03's bags on e02's tracks.
DISAGREE = 0.1

# With jobs=0, casts are solved in one worker process per CPU when they hold this many
# tracks in all (below it, starting the workers costs more than it saves).
AUTO_JOBS_TRACKS = 20_000


@dataclass
class NameResult:
    """One cast's names, solved and rounded: what comes back from a worker process."""

    movies: list[int]  # indices of the movies given to ``learn``
    columns: list[list[str | None]]  # per movie, the name of each local column (None: bg)
    Z: list[np.ndarray]  # per movie, the relaxed assignment
    labels: list[np.ndarray]  # per movie, the rounded local column of each kept track
    solver: dict[str, Any]
    classes: list[str]
    tracks: int
    bags: int
    warnings: list[str] = field(default_factory=list)


def cast_groups(n_movies: int, series: Sequence[str | None] | None,
                scope: str) -> list[list[int]]:
    """Which movies share a cast: all (``series`` scope), else those declaring the same
    series, every other movie alone."""
    if scope == "series":
        return [list(range(n_movies))]
    out: list[list[int]] = []
    where: dict[str, int] = {}
    for k in range(n_movies):
        key = series[k] if series is not None else None
        if key:
            if key not in where:
                where[key] = len(out)
                out.append([])
            out[where[key]].append(k)
        else:
            out.append([k])
    return out


def name_problem(faces: list[MovieTracks], specs: list[list[RowSpec]], opts: LearnOptions,
                 warnings: list[str]) -> Problem:
    """One cast's name problem; the bag penalty per track (``kappa / N``) keeps the balance
    of bags, prior and DIFFRAC the same from a 600-track episode to a 10,000-track film."""
    n = max(sum(len(m.keep) for m in faces), 1)
    problem = assemble(faces, specs, alpha=opts.alpha, kappa=opts.kappa / n, lam=opts.lam,
                       background=0.0, prior=opts.background, exclusive=opts.exclusive,
                       warnings=warnings, what="person")
    if opts.evidence > 0:
        for blk in problem.blocks:
            blk.cost = evidence_cost(blk, opts.evidence)
    return problem


def _solution_info(sol: Solution, opts: LearnOptions) -> dict[str, Any]:
    info = sol.info()
    if sol.gap is not None:
        info["tol"] = opts.tol  # converged: gap <= tol * objective
        info["relative_gap"] = (float(sol.gap / sol.objective) if sol.objective > 0
                                else float(sol.gap))
    return info


def solve_names(movies: list[int], faces: list[MovieTracks], specs: list[list[RowSpec]],
                opts: LearnOptions, progress: Progress | None = None) -> NameResult:
    """Build, solve and round one cast's names (runs in a worker process with ``jobs``)."""
    warnings: list[str] = []
    problem = name_problem(faces, specs, opts, warnings)
    sol = solve(problem, opts, progress)
    _check_solution(problem, sol, "name", opts.degenerate, warnings)
    labels = _round(problem, sol, "person", faces, warnings, opts.rounding)
    return NameResult(movies, [[problem.classes[g] for g in blk.cols] for blk in problem.blocks],
                      sol.Z, labels, _solution_info(sol, opts),
                      [c for c in problem.classes if c is not None], problem.N,
                      sum(b.bags.n_rows for b in problem.blocks), warnings)


def _solve_all(groups: list[list[int]], faces: list[MovieTracks], specs: list[list[RowSpec]],
               opts: LearnOptions, progress: Progress | None) -> list[NameResult]:
    """Every cast's names, in this process or in ``opts.jobs`` worker processes."""
    sizes = [sum(len(faces[k].keep) for k in g) for g in groups]
    total = max(sum(sizes), 1)
    results: list[NameResult | None] = [None] * len(groups)
    done = 0

    def part(i: int) -> tuple[list[int], list[MovieTracks], list[list[RowSpec]]]:
        return groups[i], [faces[k] for k in groups[i]], [specs[k] for k in groups[i]]

    jobs = opts.jobs or ((os.cpu_count() or 1) if sum(sizes) >= AUTO_JOBS_TRACKS else 1)
    if jobs <= 1 or len(groups) <= 1:
        for i in range(len(groups)):
            def inner(d: int, t: int, before: int = done, size: int = sizes[i]) -> None:
                if progress is not None:
                    progress(int(1000 * (before + size * (d / t if t else 0)) / total), 1000)
            results[i] = solve_names(*part(i), opts, progress=inner)
            done += sizes[i]
        return [r for r in results if r is not None]
    methods = mp.get_all_start_methods()
    context = mp.get_context("fork" if "fork" in methods else "spawn")
    order = sorted(range(len(groups)), key=lambda i: -sizes[i])  # big films first
    with cf.ProcessPoolExecutor(max_workers=min(jobs, len(groups)),
                                mp_context=context) as pool:
        futures = {pool.submit(solve_names, *part(i), opts): i for i in order}
        for future in cf.as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            done += sizes[i]
            if progress is not None:
                progress(int(1000 * done / total), 1000)
    return [r for r in results if r is not None]


def _learn_actions(opts: LearnOptions, rows: act.ActionRows, names: list[NameResult],
                   faces: list[MovieTracks], movies: list[MovieTracks],
                   joint: tuple[Problem, Solution] | None, stages: _Stages,
                   warnings: list[str]) -> tuple[Problem, Solution, list[np.ndarray]] | None:
    """Actions, after the names (``joint``: the McCormick solution, already solved)."""
    columns: list[list[str | None]] = [[] for _ in movies]
    Z: list[np.ndarray] = [np.zeros((0, 1)) for _ in movies]
    for res in names:
        for j, k in enumerate(res.movies):
            columns[k], Z[k] = res.columns[j], res.Z[j]
    pair_rows = act.weighted_pairs(rows, columns, faces, Z, movies, warnings)
    specs = [p + q for p, q in zip(rows.plain, pair_rows, strict=True)]
    try:
        # the joint bags weighted by the names: solved with (alternate) or only kept when
        # rounding (mccormick solved them already)
        problem = act.build_actions(movies, specs, alpha=opts.action_alpha,
                                    kappa=opts.action_kappa, lam=opts.action_lam,
                                    background=opts.action_background, warnings=warnings,
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


def _mccormick(faces: list[MovieTracks], specs: list[list[RowSpec]], opts: LearnOptions,
               rows: act.ActionRows, action_movies: list[MovieTracks],
               warnings: list[str]) -> tuple[NameResult, tuple[Problem, Solution]] | None:
    """Names and actions as one problem (one cast only); None when no action is left."""
    names = name_problem(faces, specs, opts, warnings)
    try:
        plain = act.build_actions(action_movies, rows.plain, alpha=opts.action_alpha,
                                  kappa=opts.action_kappa, lam=opts.action_lam,
                                  background=opts.action_background, warnings=[],
                                  extra=act.pair_actions(rows))
    except InputError as exc:
        warnings.append(f"no actions learned: {exc}")
        return None
    names_sol, action_sol = act.solve_mccormick(
        names, faces, plain, action_movies, rows, opts.action_alpha)
    _check_solution(names, names_sol, "name", opts.degenerate, warnings)
    labels = _round(names, names_sol, "person", faces, warnings, opts.rounding)
    res = NameResult(list(range(len(faces))),
                     [[names.classes[g] for g in blk.cols] for blk in names.blocks],
                     names_sol.Z, labels, _solution_info(names_sol, opts),
                     [c for c in names.classes if c is not None], names.N,
                     sum(b.bags.n_rows for b in names.blocks))
    return res, (plain, action_sol)


def learn(movies: list[tuple[Alignment, FaceTracks]], options: LearnOptions | None = None,
          progress: Progress | None = None,
          series: Sequence[str | None] | None = None) -> list[Labels]:
    """Names (and actions, when there are action features and action bags) for every track.

    One ``Labels`` per movie, in order. Each movie's names are its own problem, except that
    movies with the same ``series`` key (and every movie, with ``cast_scope="series"``)
    share a cast and a classifier; actions are one problem over all movies. Problems with
    the input are warnings in ``Labels.warnings`` when the rest can still be learned
    (dropped bags, tracks with NaN features), else InputError.
    """
    opts = options or LearnOptions()
    opts.check()
    if not movies:
        raise InputError("nothing to learn from: no movie given")
    if series is not None and len(series) != len(movies):
        raise UsageError(f"{len(series)} series keys for {len(movies)} movies")
    warnings: list[str] = []
    labels_of = [_label(k, a, ft) for k, (a, ft) in enumerate(movies)]
    alignments = [a for a, _ in movies]
    faces = [_tracks(lab, ft, ft.face, "face", warnings)
             for lab, (_, ft) in zip(labels_of, movies, strict=True)]
    specs = [_name_rows(a, ft, m, opts, warnings)
             for (a, ft), m in zip(movies, faces, strict=True)]
    groups = [g for g in cast_groups(len(movies), series, opts.cast_scope)
              if any(specs[k] for k in g) or len(g) == len(movies)]
    if not groups:
        raise InputError("no person bag overlaps any track: nothing to learn from (are the "
                         "alignments and the tracks of the same movies?)")
    named = {k for g in groups for k in g}
    for k in range(len(movies)):
        if k not in named:
            warnings.append(f"{labels_of[k]}: no person bag overlaps any track; its tracks "
                            "get no name")
    rows: act.ActionRows | None = None
    action_movies: list[MovieTracks] = []
    if act.wanted(alignments) and any(ft.action is not None for _, ft in movies):
        action_movies = _action_movies(labels_of, movies, warnings)
        rows = act.action_rows(alignments, action_movies, opts.margin, warnings)
    stages = _Stages(progress, 2 if rows is not None else 1)
    joint: tuple[Problem, Solution] | None = None
    names: list[NameResult] = []
    if rows is not None and opts.joint == "mccormick":
        if len(groups) != 1:
            raise UsageError("--joint mccormick learns names and actions as one problem: it "
                             "needs one cast (one movie, or --cast-scope series)")
        both = _mccormick([faces[k] for k in groups[0]], [specs[k] for k in groups[0]],
                          opts, rows, action_movies, warnings)
        if both is None:
            rows = None
        else:
            names, joint = [both[0]], both[1]
            stages.next()
    if not names:
        names = _solve_all(groups, faces, specs, opts, stages)
    actions = (_learn_actions(opts, rows, names, faces, action_movies, joint, stages,
                              warnings) if rows is not None else None)
    stages(1, 1)
    out: list[Labels | None] = [None] * len(movies)
    for res in names:
        params = {**asdict(opts), "classes": res.classes, "tracks": res.tracks,
                  "person_bags": res.bags, "movies": [labels_of[k] for k in res.movies],
                  "series": series[res.movies[0]] if series is not None else None}
        if actions is not None:
            params["actions"] = [c for c in actions[0].classes if c is not None]
            params["action_bags"] = sum(b.bags.n_rows for b in actions[0].blocks)
        for j, k in enumerate(res.movies):
            tracks = _track_labels(movies[k][1], res.columns[j], res.Z[j], res.labels[j],
                                   faces[k])
            if actions is not None:
                _add_actions(tracks, k, *actions, action_movies[k])
            out[k] = Labels(tracks, dict(res.solver), dict(params),
                            list(dict.fromkeys(warnings + res.warnings)),
                            _solution_info(actions[1], opts) if actions is not None else None)
    for k in range(len(movies)):
        if out[k] is None:
            ft = movies[k][1]
            tracks = [TrackLabel(t.id, None, 0.0, {}) for t in ft.tracks]
            if actions is not None:
                _add_actions(tracks, k, *actions, action_movies[k])
            out[k] = Labels(tracks, {}, {**asdict(opts), "movies": [labels_of[k]]},
                            list(warnings),
                            _solution_info(actions[1], opts) if actions is not None else None)
    return [lab for lab in out if lab is not None]


def summary(labels: list[Labels]) -> str:
    """One line: how many tracks got a name, and whether every name problem converged."""
    named = sum(t.name is not None for lab in labels for t in lab.tracks)
    total = sum(len(lab.tracks) for lab in labels)
    infos = list({repr(sorted(lab.solver.items())): lab.solver for lab in labels
                  if lab.solver}.values())
    worst = max((i for i in infos if i.get("relative_gap") is not None),
                key=lambda i: float(i["relative_gap"]), default=None)
    parts = [f"named {named}/{total} tracks", f"{len(infos)} name problem"
             + "s" * (len(infos) != 1)]
    if worst is not None:
        parts.append(f"largest relative duality gap {float(worst['relative_gap']):.2g} "
                     f"(tol {worst['tol']:g})")
    late = sum(1 for i in infos if not i.get("converged", True))
    parts.append(f"{late} not converged" if late else "converged")
    return "learn: " + ", ".join(parts)


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


def _track_labels(ft: FaceTracks, names: list[str | None], Zb: np.ndarray, lab: np.ndarray,
                  movie: MovieTracks) -> list[TrackLabel]:
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
