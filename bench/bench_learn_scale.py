"""Scale benchmarks of ``scriptalign learn``.

    .venv/bin/python bench/bench_learn_scale.py [--quick]

1. The 66-movie corpus of Miech et al. ICCV 2017 (../shared/data/miech2017, loaded with
   scipy.io.loadmat): its real track counts and frame ranges (201,874 person tracks,
   25 fps assumed) and its 1,634 real bags (action, optional person, frame range). The
   features were never published, so they are generated with a planted truth that the
   bags hold: every track gets an identity (one of its movie's people, or an extra) and an
   action (or none); each bag gets one track that is its person and does its action, and
   tracks that share a frame are different people. Face descriptors (128-d) are drawn
   around a per-person mean, action descriptors (64-d) around a per-action mean.
   ``learn`` solves all movies as one problem (block-coordinate Frank-Wolfe, one block
   per movie; names, then actions with the joint bags weighted by the names). Reported:
   time and peak memory of ``learn`` (targets <= 5 minutes and <= 4 GB), and how well the
   planted truth comes back; then, for comparison, the names of each movie learned on
   their own (the joint problem shares one linear classifier between the 229 names of
   disjoint casts). ``--quick``: the first 10 movies.
2. cvxpy (Clarabel) against Frank-Wolfe on one planted movie of 1,000 and 3,000 tracks
   (``scriptalign.datasets``): time, objective, accuracy. ``--quick``: 1,000 only.

Peak memory is the process's maximum resident set (ru_maxrss) measured in a child process
per run. Times are wall-clock on whatever machine runs it (during development: a shared,
loaded 2-core machine), with the CPU time next to it.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from tables import table  # bench/tables.py (this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "data" / "miech2017"
OUT = REPO / "bench" / "out" / "bench_learn_scale.json"
FPS = 25.0
MAX_ITER = 40  # Frank-Wolfe passes over the 66 movies (the gap reached is reported)

from scriptalign.learning import LearnOptions, learn  # noqa: E402
from scriptalign.learning.evaluation import evaluate  # noqa: E402
from scriptalign.learning.labels import Labels, TrackLabel  # noqa: E402
from scriptalign.learning.problem import maximal_cliques  # noqa: E402
from scriptalign.text.alignment import Alignment  # noqa: E402
from scriptalign.text.bags import Bag  # noqa: E402
from scriptalign.video.tracks import FaceTracks, Track  # noqa: E402


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    v = rng.standard_normal((n, d))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def miech_movies(n_movies: int | None = None, seed: int = 0
                 ) -> tuple[list[tuple[Alignment, FaceTracks]], list[dict[int, str]],
                            list[dict[int, str | None]], dict[str, Any]]:
    """The corpus's movies with planted identities, actions and features."""
    import scipy.io as sio

    bags_mat = sio.loadmat(DATA / "miech2017_bags.mat")
    block_mat = sio.loadmat(DATA / "miech2017_data_block.mat")
    frames = bags_mat["tframes_total"].astype(np.int64)
    merge = bags_mat["merge_bag"][0]
    movie_bags = [np.asarray(b).ravel() - 1 for b in bags_mat["movie_bag"][0]]
    blocks = [np.asarray(b).ravel() - 1 for b in block_mat["movie_block"][0]]
    if n_movies is not None:
        blocks, movie_bags = blocks[:n_movies], movie_bags[:n_movies]
    rng = np.random.default_rng(seed)
    actions = [f"action{a:02d}" for a in range(2, 15)]
    act_means = _unit(rng, len(actions), 64)
    movies, truths, action_truths = [], [], []
    stats = {"tracks": 0, "bags": 0, "joint_bags": 0, "bags_planted": 0}
    for m, (block, bag_ids) in enumerate(zip(blocks, movie_bags, strict=True)):
        start = frames[block, 0] / FPS
        end = frames[block, 1] / FPS
        n = len(block)
        people = sorted({int(np.asarray(merge[b]["people"]).ravel()[0]) for b in bag_ids} - {0})
        cast = [f"m{m + 1:02d}_p{p}" for p in people]
        n_ids = len(cast) + 3  # three people the script never names
        # people and actions are mostly where the script puts them: inside a bag of
        # person p, half the tracks are p; inside a bag of action a, half the tracks do a;
        # elsewhere 10% of the tracks are someone of the cast, 10% do some action
        ident = np.where(rng.random(n) < 0.1, rng.integers(0, max(len(cast), 1), n),
                         len(cast) + rng.integers(0, 3, n))
        if not cast:
            ident = len(cast) + rng.integers(0, 3, n)
        act = np.where(rng.random(n) < 0.1, rng.integers(0, len(actions), n), -1)
        for b in bag_ids.tolist():
            f0, f1 = np.asarray(merge[b]["f"]).ravel()[:2] / FPS
            inside = np.flatnonzero((start <= f1) & (end >= f0))
            half = inside[rng.random(len(inside)) < 0.5]
            p = int(np.asarray(merge[b]["people"]).ravel()[0])
            if p:
                ident[half] = cast.index(f"m{m + 1:02d}_p{p}")
            act[inside[rng.random(len(inside)) < 0.5]] = \
                int(np.asarray(merge[b]["action"]).ravel()[0]) - 2
        # tracks sharing a frame are different people: repeated cast become extras
        clique_of: list[list[int]] = [[] for _ in range(n)]
        cliques = maximal_cliques(start, end)
        for q, members in enumerate(cliques):
            seen: set[int] = set()
            for t in members.tolist():
                clique_of[t].append(q)
                if ident[t] < len(cast) and ident[t] in seen:
                    ident[t] = len(cast) + int(rng.integers(0, 3))
                seen.add(int(ident[t]))
        bags: list[Bag] = []
        for k, b in enumerate(bag_ids.tolist()):
            f0, f1 = np.asarray(merge[b]["f"]).ravel()[:2] / FPS
            a = int(np.asarray(merge[b]["action"]).ravel()[0]) - 2
            p = int(np.asarray(merge[b]["people"]).ravel()[0])
            inside = np.flatnonzero((start <= f1) & (end >= f0))
            stats["bags"] += 1
            persons = [f"m{m + 1:02d}_p{p}"] if p else []
            bag = Bag(float(f0), float(f1), k, persons, [actions[a]],
                      [(persons[0], actions[a])] if p else [], "action")
            bags.append(bag)
            stats["joint_bags"] += bool(p)
            if len(inside) == 0:
                continue
            pid = cast.index(persons[0]) if p else None
            # a track that can be the bag's person without a clash in its frames
            order = rng.permutation(inside)
            chosen = None
            for t in order.tolist():
                if pid is None or ident[t] == pid:
                    chosen = t
                    break
            if chosen is None:
                for t in order.tolist():
                    clash = any(ident[u] == pid for q in clique_of[t]
                                for u in cliques[q].tolist() if u != t)
                    if not clash:
                        chosen = t
                        break
            if chosen is None:
                continue
            if pid is not None:
                ident[chosen] = pid
            act[chosen] = a
            stats["bags_planted"] += 1
        # descriptors: one mean per person of this movie (the three extras included)
        means = _unit(rng, n_ids, 128)
        face = means[ident] + 0.6 * rng.standard_normal((n, 128)) / np.sqrt(128)
        action = np.where((act >= 0)[:, None], act_means[np.maximum(act, 0)], 0.0) \
            + 0.6 * rng.standard_normal((n, 64)) / np.sqrt(64)
        tracks = [Track(i, 0, float(s), float(e)) for i, (s, e) in enumerate(zip(start, end,
                                                                                strict=True))]
        ft = FaceTracks({"path": f"miech_movie_{m + 1:02d}", "fps": FPS}, [], tracks,
                        face.astype(np.float32), action.astype(np.float32))
        movies.append((Alignment([], [], bags, cast=cast), ft))
        truths.append({i: (cast[int(ident[i])] if 0 <= ident[i] < len(cast) else "unknown")
                       for i in range(n)})
        action_truths.append({i: (actions[int(act[i])] if act[i] >= 0 else None)
                              for i in range(n)})
        stats["tracks"] += n
    stats["movies"] = len(movies)
    return movies, truths, action_truths, stats


def _action_labels(lab: Labels) -> Labels:
    return Labels([TrackLabel(t.id, t.action, t.action_score or 0.0, t.action_scores or {})
                   for t in lab.tracks])


def _run_corpus(quick: bool, queue: Any) -> None:
    t0 = time.perf_counter()
    movies, truths, action_truths, stats = miech_movies(10 if quick else None)
    build = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w0, c0 = time.perf_counter(), time.process_time()
    labels = learn(movies, LearnOptions(solver="fw", max_iter=MAX_ITER))
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    named = correct = 0
    act_n = act_ok = 0
    aps, act_aps = [], []
    for lab, truth, atruth, (alignment, _) in zip(labels, truths, action_truths, movies,
                                                 strict=True):
        r = evaluate(lab, truth, alignment.cast)
        named += r["tracks"]
        correct += r["correct"]
        aps.extend(v for v in r["ap"].values() if v == v)
        a_truth = {i: a for i, a in atruth.items() if a is not None}
        ra = evaluate(_action_labels(lab), a_truth)
        act_n += ra["tracks"]
        act_ok += ra["correct"]
        act_aps.extend(v for v in ra["ap"].values() if v == v)
    # names again, each movie on its own (its own classifier): the joint problem shares one
    # linear classifier between 229 names of disjoint casts, more classes than the 128
    # dimensions of the descriptors can separate
    w1 = time.perf_counter()
    alone_named = alone_correct = 0
    alone_aps: list[float] = []
    for (alignment, ft), truth in zip(movies, truths, strict=True):
        if not alignment.cast:
            continue  # a movie whose bags name nobody
        names_only = FaceTracks(ft.video, ft.shots, ft.tracks, ft.face, None)
        lab = learn([(alignment, names_only)], LearnOptions(solver="fw", max_iter=MAX_ITER))[0]
        r = evaluate(lab, truth, alignment.cast)
        alone_named += r["tracks"]
        alone_correct += r["correct"]
        alone_aps.extend(v for v in r["ap"].values() if v == v)
    alone = {"seconds": round(time.perf_counter() - w1, 1),
             "name_accuracy": round(alone_correct / max(alone_named, 1), 4),
             "name_map": round(float(np.mean(alone_aps)), 4) if alone_aps else None}
    queue.put({**stats, "build_seconds": round(build, 1), "learn_seconds": round(wall, 1),
               "names_per_movie": alone,
               "learn_cpu_seconds": round(cpu, 1), "peak_rss_mb": round(peak),
               "rss_before_learn_mb": round(rss_before),
               "name_solver": labels[0].solver, "action_solver": labels[0].action_solver,
               "name_accuracy": round(correct / max(named, 1), 4), "named_tracks": named,
               "name_map": round(float(np.mean(aps)), 4) if aps else None,
               "action_accuracy": round(act_ok / max(act_n, 1), 4), "acting_tracks": act_n,
               "action_map": round(float(np.mean(act_aps)), 4) if act_aps else None,
               "warnings": labels[0].warnings[:8]})


def _run_one(n: int, solver: str, queue: Any) -> None:
    from scriptalign.datasets import make_planted_movie

    pm = make_planted_movie(n, 6, dim=64, noise=2.2, seed=n)
    w0, c0 = time.perf_counter(), time.process_time()
    options = LearnOptions(solver=solver, cvxpy_max_tracks=10**9)
    try:
        lab = learn([(pm.alignment, pm.tracks)], options)[0]
    except Exception as exc:  # a solver failing is a result here, not a crash
        queue.put({"tracks": n, "solver": solver, "error": f"{type(exc).__name__}: {exc}"})
        return
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    r = evaluate(lab, pm.truth, pm.alignment.cast)
    queue.put({"tracks": len(pm.tracks.tracks), "solver": lab.solver["name"],
               "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
               "objective": lab.solver["objective"], "iterations": lab.solver["iterations"],
               "gap": lab.solver["gap"], "accuracy": r["accuracy"], "map": r["map"],
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    """Run ``target`` in a fresh process (its own peak memory); its result, or its death."""
    import queue as queues

    ctx = mp.get_context("fork")
    results = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, results))
    proc.start()
    while True:
        try:
            result = results.get(timeout=5)
            break
        except queues.Empty:
            if not proc.is_alive():
                raise RuntimeError(f"{target.__name__} died (exit {proc.exitcode})") from None
    proc.join()
    return dict(result)


def main() -> None:
    quick = "--quick" in sys.argv
    results: dict[str, Any] = {"quick": quick}
    if (DATA / "miech2017_bags.mat").exists():
        corpus = _in_child(_run_corpus, quick)
        results["corpus"] = corpus
        table(f"66-movie corpus (Miech et al. 2017 bags, planted features){' [quick]' * quick}",
              ["movies", "tracks", "bags", "learn s (cpu)", "peak MB", "name acc", "name mAP",
               "action acc", "action mAP"],
              [[corpus["movies"], corpus["tracks"], corpus["bags"],
                f"{corpus['learn_seconds']} ({corpus['learn_cpu_seconds']})",
                corpus["peak_rss_mb"], corpus["name_accuracy"], corpus["name_map"],
                corpus["action_accuracy"], corpus["action_map"]]])
        print(f"  names: {corpus['name_solver']}\n  actions: {corpus['action_solver']}")
        alone = corpus["names_per_movie"]
        print(f"  names, each movie on its own: accuracy {alone['name_accuracy']}, mAP "
              f"{alone['name_map']}, {alone['seconds']} s for all movies in turn")
        print(f"  warnings: {corpus['warnings']}")
    else:
        print(f"skipped the corpus: {DATA} is absent")
    rows = []
    results["solvers"] = []
    for n in ([1000] if quick else [1000, 3000]):
        for solver in ("cvxpy", "fw"):
            r = _in_child(_run_one, n, solver)
            results["solvers"].append(r)
            rows.append([r["tracks"], r["solver"], r.get("seconds"), r.get("cpu_seconds"),
                         r.get("iterations"), r.get("objective"), r.get("accuracy"),
                         r.get("map"), r.get("peak_rss_mb"), r.get("error", "")])
    table("cvxpy against Frank-Wolfe, one planted movie",
          ["tracks", "solver", "s", "cpu s", "iterations", "objective", "accuracy", "mAP",
           "peak MB", "error"], rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
