"""Scale benchmarks of ``scriptalign learn``.

    .venv/bin/python bench/bench_learn_scale.py [--quick] [--jobs N] [--actions] [--corpus-only]

1. The 66-movie corpus of Miech et al. ICCV 2017 (../shared/data/miech2017, loaded with
   scipy.io.loadmat): its real track counts and frame ranges (201,874 person tracks,
   25 fps assumed) and its 1,634 real bags (action, optional person, frame range). The
   features were never published, so they are generated with a planted truth that the
   bags hold: inside a bag of person p half the tracks are p; elsewhere a track is
   somebody of the movie's cast, one of three people the script never names, or (30%) a
   face of the crowd seen once; each bag gets one track that is its person, and tracks
   that share a frame are different people. The corpus keeps only the action bags (552
   with a person); a film's lines are planted as dialogue bags (a cast member speaking
   during 30% of their tracks), as subtitles would give. Face descriptors (128-d) are drawn around a
   per-person mean (every face of the crowd its own). ``learn`` runs at its defaults (the
   CLI's), film scope: one name problem per movie, ``--jobs`` worker processes.
   Reported: time and peak memory of ``learn`` (targets <= 5 minutes and <= 4 GB; the
   workers' peak apart), how many name problems converged (relative duality gap <= tol),
   named-person accuracy (>= 0.85), share of extras null (>= 0.8), precision of the
   names. ``--actions`` adds the action descriptors and the joint action problem over all
   movies. ``--quick``: the first 10 movies.
2. cvxpy (Clarabel) against Frank-Wolfe on one planted movie of 1,000 and 3,000 tracks
   (``scriptalign.datasets``): time, objective, accuracy. ``--quick``: 1,000 only.

Peak memory is the maximum resident set (ru_maxrss) of a child process per run (and of
its workers). Times are wall-clock on whatever machine runs it (during development: a
shared, loaded 2-core machine: upper bounds), with the CPU time next to it. The shared
data missing fails the benchmark.
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
CROWD = 0.3  # share of the tracks outside bags that are faces of the crowd
CROWD_ID = 10**6  # identity of a face of the crowd (each its own person)
DIALOGUE = 0.3  # share of the cast's tracks during which they speak a line (a bag)

from scriptalign.learning import LearnOptions, learn  # noqa: E402
from scriptalign.learning.evaluation import evaluate  # noqa: E402
from scriptalign.learning.labels import Labels, TrackLabel  # noqa: E402
from scriptalign.learning.learner import summary  # noqa: E402
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
    stats = {"tracks": 0, "bags": 0, "joint_bags": 0, "bags_planted": 0, "dialogue_bags": 0}
    for m, (block, bag_ids) in enumerate(zip(blocks, movie_bags, strict=True)):
        start = frames[block, 0] / FPS
        end = frames[block, 1] / FPS
        n = len(block)
        people = sorted({int(np.asarray(merge[b]["people"]).ravel()[0]) for b in bag_ids} - {0})
        cast = [f"m{m + 1:02d}_p{p}" for p in people]
        n_ids = len(cast) + 3  # three people the script never names
        # people and actions are mostly where the script puts them: inside a bag of
        # person p, half the tracks are p; inside a bag of action a, half the tracks do a.
        # Elsewhere a track is someone of the cast (50%), one of three people the script
        # never names (20%) or a face of the crowd, somebody seen once (30%: CROWD); 10%
        # of the tracks do some action.
        u = rng.random(n)
        ident = np.where(u < 0.5, rng.integers(0, max(len(cast), 1), n),
                         len(cast) + rng.integers(0, 3, n))
        if not cast:
            ident = len(cast) + rng.integers(0, 3, n)
        ident[u >= 1 - CROWD] = CROWD_ID
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
        # the lines of the film: the corpus keeps only its action bags, so dialogue bags
        # are planted as subtitles would give them, a line by a cast member on screen
        # during part of one of their tracks (DIALOGUE of the cast's tracks)
        speaks = np.flatnonzero((ident < len(cast)) & (rng.random(n) < DIALOGUE))
        for t in speaks.tolist():
            a0 = start[t] + 0.2 * (end[t] - start[t])
            bags.append(Bag(float(a0), float(a0 + 0.4 * (end[t] - start[t])), len(bags),
                            [cast[int(ident[t])]], kind="dialogue"))
        stats["dialogue_bags"] += len(speaks)
        # descriptors: one mean per person of this movie (the three extras included), a
        # mean of its own for every face of the crowd
        means = _unit(rng, n_ids, 128)
        crowd = ident == CROWD_ID
        centre = means[np.where(crowd, 0, ident)]
        centre[crowd] = _unit(rng, int(crowd.sum()), 128)
        face = centre + 0.6 * rng.standard_normal((n, 128)) / np.sqrt(128)
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
    stats["bags"] += stats["dialogue_bags"]
    return movies, truths, action_truths, stats


def _action_labels(lab: Labels) -> Labels:
    return Labels([TrackLabel(t.id, t.action, t.action_score or 0.0, t.action_scores or {})
                   for t in lab.tracks])


def _run_corpus(quick: bool, jobs: int, with_actions: bool, queue: Any) -> None:
    """``learn`` at its defaults (the CLI's), film scope: one name problem per movie."""
    t0 = time.perf_counter()
    movies, truths, action_truths, stats = miech_movies(10 if quick else None)
    if not with_actions:
        movies = [(a, FaceTracks(ft.video, ft.shots, ft.tracks, ft.face, None))
                  for a, ft in movies]
    build = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    w0, c0 = time.perf_counter(), time.process_time()
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    labels = learn(movies, LearnOptions(jobs=jobs))
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter() - w0
    # CPU of this process and of the worker processes (jobs)
    cpu = time.process_time() - c0 + (kids1.ru_utime + kids1.ru_stime) - \
        (kids0.ru_utime + kids0.ru_stime)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    named = correct = extras = extras_null = given = given_right = 0
    act_n = act_ok = 0
    aps, act_aps = [], []
    for lab, truth, atruth, (alignment, _) in zip(labels, truths, action_truths, movies,
                                                 strict=True):
        r = evaluate(lab, truth, alignment.cast)
        named += r["tracks"]
        correct += r["correct"]
        extras += r["extras"]
        extras_null += round(r["extras_null"] * r["extras"]) if r["extras"] else 0
        given += r["named"]
        given_right += round(r["named_precision"] * r["named"]) if r["named"] else 0
        aps.extend(v for v in r["ap"].values() if v == v)
        if with_actions:
            a_truth = {i: a for i, a in atruth.items() if a is not None}
            ra = evaluate(_action_labels(lab), a_truth)
            act_n += ra["tracks"]
            act_ok += ra["correct"]
            act_aps.extend(v for v in ra["ap"].values() if v == v)
    solvers = list({json.dumps(lab.solver, sort_keys=True): lab.solver
                    for lab in labels if lab.solver}.values())
    gaps = [float(x["relative_gap"]) for x in solvers if x.get("relative_gap") is not None]
    queue.put({**stats, "jobs": jobs, "build_seconds": round(build, 1),
               "learn_seconds": round(wall, 1), "learn_cpu_seconds": round(cpu, 1),
               "peak_rss_mb": round(peak), "peak_worker_rss_mb": round(peak_workers),
               "rss_before_learn_mb": round(rss_before),
               "name_problems": len(solvers),
               "converged": sum(bool(x.get("converged")) for x in solvers),
               "max_relative_gap": max(gaps) if gaps else None,
               "tol": LearnOptions().tol,
               "iterations_max": max((int(x["iterations"]) for x in solvers), default=0),
               "name_accuracy": round(correct / max(named, 1), 4), "named_tracks": named,
               "name_map": round(float(np.mean(aps)), 4) if aps else None,
               "extras": extras, "extras_null": round(extras_null / max(extras, 1), 4),
               "named_precision": round(given_right / max(given, 1), 4),
               "action_solver": labels[0].action_solver,
               "action_accuracy": round(act_ok / max(act_n, 1), 4) if with_actions else None,
               "action_map": round(float(np.mean(act_aps)), 4) if act_aps else None,
               "summary": summary(labels),
               "warnings": sorted({w for lab in labels for w in lab.warnings})[:8]})


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
    if not (DATA / "miech2017_bags.mat").exists():
        raise SystemExit(f"{DATA} is absent: this benchmark needs the shared corpus")
    jobs = int(sys.argv[sys.argv.index("--jobs") + 1]) if "--jobs" in sys.argv else 0
    corpus = _in_child(_run_corpus, quick, jobs, "--actions" in sys.argv)
    results["corpus"] = corpus
    table(f"66-movie corpus (Miech et al. 2017 bags, planted features), learn at its "
          f"defaults, film scope, --jobs {jobs}{' [quick]' * quick} (targets <= 300 s, "
          "<= 4096 MB, converged, accuracy >= 0.85, extras null >= 0.8)",
          ["movies", "tracks", "bags (planted lines)", "learn s (cpu)", "peak MB (workers)",
           "converged", "max rel. gap", "name acc", "name mAP", "extras null", "precision"],
          [[corpus["movies"], corpus["tracks"],
            f"{corpus['bags']} ({corpus['dialogue_bags']})",
            f"{corpus['learn_seconds']} ({corpus['learn_cpu_seconds']})",
            f"{corpus['peak_rss_mb']} ({corpus['peak_worker_rss_mb']})",
            f"{corpus['converged']}/{corpus['name_problems']}", corpus["max_relative_gap"],
            corpus["name_accuracy"], corpus["name_map"], corpus["extras_null"],
            corpus["named_precision"]]])
    print(f"  {corpus['summary']}")
    if corpus["action_solver"] is not None:
        print(f"  actions: {corpus['action_solver']}, accuracy {corpus['action_accuracy']}, "
              f"mAP {corpus['action_map']}")
    print(f"  warnings: {corpus['warnings']}")
    if "--corpus-only" in sys.argv:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        return
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
