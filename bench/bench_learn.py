"""Benchmark of ``scriptalign learn``: real TV episodes and planted films.

    .venv/bin/python bench/bench_learn.py [--quick] [--tune]

1. ../shared/data/tv/bbt_s01e01..03 (TVPersonID: real face tracks with their ``lip``
   series, semi-synthetic descriptors, true identities), bags from ``scriptalign align``
   (transcript.txt to subs.srt; an error there fails the benchmark, it never falls back to
   the dataset's own speakers). Per episode, defaults against: no speaking evidence
   (``speaking=1``), no bag evidence in the price of names (``evidence=0``), constrained
   rounding; accuracy and mAP over cast tracks (targets >=
   0.95 each), share of extras labelled null, precision of the names given, and the
   wall time of the whole ``scriptalign learn`` process (target <= 3 s). Defaults were
   chosen on e01-e02 (``--tune`` shows the grid) and are *reported* on e03.
2. The three episodes as one series (``--cast-scope series``) against one at a time.
3. Planted films (``scriptalign.datasets``, report seeds, not the tuning seeds): 30% of
   the faces extras (a new person each), 20% silent shots, 5% lines spoken off screen,
   against the same films without extras. Targets: >= 80% of extras null, precision of
   names >= 0.90, cast accuracy within 0.02 of the extras-free film.
4. Two planted films whose casts share first names, in one run (film scope): every name
   stays in its film (each film's classes are its own, accuracy as when learned alone).
5. A planted series of three episodes (one cast, two episodes with few lines): series
   scope against the per-episode mean.

Prints tables, writes bench/out/bench_learn.json. Wall-clock times on whatever machine
runs it (during development: a shared, loaded 2-core machine; upper bounds).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from tables import table  # bench/tables.py (this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TV = REPO.parent / "shared" / "data" / "tv"
OUT = REPO / "bench" / "out" / "bench_learn.json"
EPISODES = ("bbt_s01e01", "bbt_s01e02", "bbt_s01e03")
TUNE_EPISODES = ("bbt_s01e01", "bbt_s01e02")  # defaults chosen here; e03 is reported
TUNE_SEEDS = (1, 2, 3, 5)  # planted films the defaults were chosen on
REPORT_SEEDS = (11, 12, 13, 14)
FILM = {"dim": 64, "noise": 0.5, "extras": 0.0, "silent": 0.2, "wrong": 0.05}

from scriptalign.datasets import make_planted_movie, make_planted_movies  # noqa: E402
from scriptalign.learning import LearnOptions, learn  # noqa: E402
from scriptalign.learning.evaluation import evaluate  # noqa: E402
from scriptalign.learning.labels import Labels  # noqa: E402
from scriptalign.text.aligner import align_files  # noqa: E402
from scriptalign.text.alignment import Alignment, save_alignment  # noqa: E402
from scriptalign.video.tracks import FaceTracks, load_tracks  # noqa: E402


def _truth(ep: str) -> tuple[dict[int, str], list[str]]:
    doc = json.loads((TV / ep / "gt_identities.json").read_text(encoding="utf-8"))
    return {int(k): v for k, v in doc["identities"].items()}, list(doc["cast"])


def _lines(ep: str) -> list[dict[str, Any]]:
    text = (TV / ep / "gt_speakers.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def baseline(ep: str, ft: FaceTracks, truth: dict[int, str], cast: list[str]) -> float:
    """Each track: the anchor speaker of the subtitle lines it overlaps most (in time)."""
    keep = {c.casefold() for c in cast}
    lines = [ln for ln in _lines(ep) if (ln["anchor"] or "").casefold() in keep]
    right = total = 0
    for t in ft.tracks:
        if truth.get(t.id, "").casefold() not in keep:
            continue
        overlap: dict[str, float] = defaultdict(float)
        for ln in lines:
            o = min(t.end, ln["end"]) - max(t.start, ln["start"])
            if o > 0:
                overlap[ln["anchor"].casefold()] += o
        guess = max(overlap, key=lambda k: overlap[k]) if overlap else None
        right += guess == truth[t.id].casefold()
        total += 1
    return right / max(total, 1)


def score(labels: Labels, truth: dict[int, str], cast: list[str] | None) -> dict[str, Any]:
    r = evaluate(labels, truth, cast)
    return {k: r[k] for k in ("accuracy", "map", "extras", "extras_null", "named",
                              "named_precision", "tracks")}


def _learn(movies: list[tuple[Alignment, FaceTracks]], **kw: Any) -> tuple[list[Labels], float]:
    t0 = time.perf_counter()
    labels = learn(movies, LearnOptions(**kw))
    return labels, round(time.perf_counter() - t0, 2)


def cli_seconds(alignment: Alignment, tracks_dir: Path) -> float:
    """Wall time of the whole ``scriptalign learn`` process, start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        align_path = Path(tmp) / "align.json"
        save_alignment(alignment, align_path)
        exe = Path(sys.executable).parent / "scriptalign"
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "learn", str(align_path), str(tracks_dir), "-o",
                               str(Path(tmp) / "labels.json"), "-q"],
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"scriptalign learn failed: {proc.stderr.strip()}")
    return round(seconds, 2)


def run_episode(ep: str, quick: bool) -> dict[str, Any]:
    truth, cast = _truth(ep)
    alignment = align_files(TV / ep / "transcript.txt", TV / ep / "subs.srt")
    ft = load_tracks(TV / ep / "tracks")
    labels, seconds = _learn([(alignment, ft)])
    out: dict[str, Any] = {
        "episode": ep, "role": "tune" if ep in TUNE_EPISODES else "report",
        "baseline": round(baseline(ep, ft, truth, cast), 4), "bags": len(alignment.bags),
        **score(labels[0], truth, cast), "learn_seconds": seconds, "solver": labels[0].solver,
        "warnings": labels[0].warnings}
    silent, s2 = _learn([(alignment, ft)], speaking=1.0)
    out["no_speaking"] = {**score(silent[0], truth, cast), "learn_seconds": s2}
    flat, s4 = _learn([(alignment, ft)], evidence=0.0)
    out["no_evidence"] = {**score(flat[0], truth, cast), "learn_seconds": s4}
    constrained, s3 = _learn([(alignment, ft)], rounding="constrained")
    out["constrained"] = {**score(constrained[0], truth, cast), "learn_seconds": s3}
    if not quick:
        out["cli_seconds"] = cli_seconds(alignment, TV / ep / "tracks")
    return out


def run_series() -> dict[str, Any]:
    movies, truths = [], []
    for ep in EPISODES:
        truths.append(_truth(ep))
        movies.append((align_files(TV / ep / "transcript.txt", TV / ep / "subs.srt"),
                       load_tracks(TV / ep / "tracks")))
    joint, seconds = _learn(movies, cast_scope="series")
    alone, seconds_alone = _learn(movies)  # film scope: three problems in one run
    return {"seconds": seconds, "seconds_alone": seconds_alone, "solver": joint[0].solver,
            "episodes": [{"episode": ep, "series": score(j, t, c), "alone": score(a, t, c)}
                         for ep, j, a, (t, c) in zip(EPISODES, joint, alone, truths,
                                                     strict=True)]}


def planted_films(seeds: tuple[int, ...], **kw: Any) -> dict[str, Any]:
    rows = []
    for seed in seeds:
        n, k = (1500, 8) if seed % 2 else (600, 6)
        crowd = make_planted_movie(n, k, crowd=0.3, seed=seed, **FILM)
        clean = make_planted_movie(n, k, crowd=0.0, seed=seed, **FILM)
        (lab_c,), s = _learn([(crowd.alignment, crowd.tracks)], **kw)
        (lab_0,), _ = _learn([(clean.alignment, clean.tracks)], **kw)
        rc, r0 = score(lab_c, crowd.truth, crowd.alignment.cast), \
            score(lab_0, clean.truth, clean.alignment.cast)
        rows.append({"seed": seed, "tracks": n, "names": k, "extras": rc["extras"],
                     "extras_null": rc["extras_null"], "named_precision": rc["named_precision"],
                     "accuracy": rc["accuracy"], "accuracy_no_extras": r0["accuracy"],
                     "seconds": s})
    return {"films": rows}


def shared_names() -> dict[str, Any]:
    films = make_planted_movies(2, 800, 6, shared_cast=False, seed=5, crowd=0.3, **FILM)
    pairs = [(f.alignment, f.tracks) for f in films]
    together, _ = _learn(pairs)
    alone = [_learn([p])[0][0] for p in pairs]
    merged, _ = _learn(pairs, cast_scope="series")  # the wrong scope, for contrast
    out = []
    for f, t, a, m in zip(films, together, alone, merged, strict=True):
        out.append({"film": f.tracks.video["path"], "classes": t.params["classes"],
                    "one_run": score(t, f.truth, f.alignment.cast)["accuracy"],
                    "alone": score(a, f.truth, f.alignment.cast)["accuracy"],
                    "series_scope": score(m, f.truth, f.alignment.cast)["accuracy"],
                    "problems": len({json.dumps(x.solver, sort_keys=True) for x in together})})
    return {"films": out}


def planted_series() -> dict[str, Any]:
    eps = make_planted_movies(3, 500, 6, shared_cast=True, seed=7, crowd=0.2, **FILM)
    for ep in eps[1:]:  # two episodes where the script says little
        ep.alignment.bags = ep.alignment.bags[::4]
    pairs = [(e.alignment, e.tracks) for e in eps]
    joint, _ = _learn(pairs, cast_scope="series")
    alone = [_learn([p])[0][0] for p in pairs]
    sj = [score(j, e.truth, e.alignment.cast)["accuracy"] for j, e in zip(joint, eps,
                                                                           strict=True)]
    sa = [score(a, e.truth, e.alignment.cast)["accuracy"] for a, e in zip(alone, eps,
                                                                          strict=True)]
    return {"series": sj, "alone": sa, "series_mean": round(sum(sj) / 3, 4),
            "alone_mean": round(sum(sa) / 3, 4)}


def tune() -> None:
    """The grid the defaults were chosen on (tuning episodes and seeds only)."""
    # (background, kappa, evidence, speaking)
    grid = [(0.03, 2.5, 0.0, 0.5), (0.025, 2.5, 1.0, 0.5), (0.025, 1.5, 1.0, 0.5),
            (0.0275, 1.5, 1.0, 0.5), (0.03, 1.5, 1.0, 0.5), (0.03, 2.0, 1.0, 0.5),
            (0.02, 1.5, 1.0, 0.5), (0.025, 1.0, 1.0, 0.5), (0.0275, 1.5, 0.5, 0.5),
            (0.0275, 1.5, 1.0, 1.0)]
    data = []
    for ep in TUNE_EPISODES:
        truth, cast = _truth(ep)
        data.append((ep, align_files(TV / ep / "transcript.txt", TV / ep / "subs.srt"),
                     load_tracks(TV / ep / "tracks"), truth, cast))
    rows = []
    for bg, kappa, evidence, speaking in grid:
        row: list[Any] = [bg, kappa, evidence, speaking]
        kw = {"background": bg, "kappa": kappa, "evidence": evidence, "speaking": speaking}
        for _, al, ft, truth, cast in data:
            (lab,), _ = _learn([(al, ft)], **kw)
            row.append(score(lab, truth, cast)["accuracy"])
        films = planted_films(TUNE_SEEDS, **kw)
        row += [min(f["extras_null"] for f in films["films"]),
                min(f["named_precision"] for f in films["films"])]
        rows.append(row)
    table("tuning grid (e01, e02, planted seeds 1, 2, 3, 5)",
          ["background", "kappa", "evidence", "speaking", *TUNE_EPISODES, "min extras null",
           "min precision"], rows)


def main() -> None:
    quick = "--quick" in sys.argv
    if not TV.is_dir():
        raise SystemExit(f"{TV} is absent: this benchmark needs the shared TV episodes")
    if "--tune" in sys.argv:
        tune()
        return
    results: dict[str, Any] = {"quick": quick, "defaults": LearnOptions().__dict__,
                               "episodes": [run_episode(ep, quick) for ep in EPISODES]}
    eps = results["episodes"]
    table("TV naming, defaults (tuned on e01-e02, reported on e03; targets accuracy and mAP "
          ">= 0.95, whole learn process <= 3 s)",
          ["episode", "role", "baseline", "accuracy", "mAP", "extras", "extras null",
           "name precision", "learn s", "CLI s", "iterations", "rel. gap"],
          [[e["episode"], e["role"], e["baseline"], e["accuracy"], e["map"], e["extras"],
            e["extras_null"], e["named_precision"], e["learn_seconds"], e.get("cli_seconds"),
            e["solver"].get("iterations"), e["solver"].get("relative_gap")] for e in eps])
    table("speaking evidence, bag evidence in the price of names, rounding",
          ["episode", "acc (defaults)", "mAP", "acc (no speaking)", "mAP",
           "acc (evidence 0)", "mAP", "acc (constrained rounding)", "mAP"],
          [[e["episode"], e["accuracy"], e["map"], e["no_speaking"]["accuracy"],
            e["no_speaking"]["map"], e["no_evidence"]["accuracy"], e["no_evidence"]["map"],
            e["constrained"]["accuracy"], e["constrained"]["map"]] for e in eps])
    films = planted_films(REPORT_SEEDS)
    results["planted_films"] = films
    table("planted films, 30% extras (report seeds; targets: extras null >= 0.8, precision "
          ">= 0.90, accuracy within 0.02 of the film without extras)",
          ["seed", "tracks", "names", "extras", "extras null", "precision", "accuracy",
           "accuracy w/o extras", "s"],
          [[f["seed"], f["tracks"], f["names"], f["extras"], f["extras_null"],
            f["named_precision"], f["accuracy"], f["accuracy_no_extras"], f["seconds"]]
           for f in films["films"]])
    names = shared_names()
    results["shared_names"] = names
    table("two films whose casts share first names, one run",
          ["film", "classes", "accuracy (film scope)", "alone", "series scope (wrong)",
           "name problems"],
          [[f["film"], ", ".join(f["classes"]), f["one_run"], f["alone"], f["series_scope"],
            f["problems"]] for f in names["films"]])
    series = planted_series()
    results["planted_series"] = series
    table("planted series of three episodes (two with a quarter of the lines)",
          ["scope", "episode accuracies", "mean"],
          [["series", series["series"], series["series_mean"]],
           ["one at a time", series["alone"], series["alone_mean"]]])
    if not quick:
        tv = run_series()
        results["tv_series"] = tv
        table(f"bbt e01-e03: one series ({tv['seconds']} s) against one at a time "
              f"({tv['seconds_alone']} s)",
              ["episode", "series acc", "series mAP", "alone acc", "alone mAP"],
              [[e["episode"], e["series"]["accuracy"], e["series"]["map"],
                e["alone"]["accuracy"], e["alone"]["map"]] for e in tv["episodes"]])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
