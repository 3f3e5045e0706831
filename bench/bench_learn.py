"""Benchmark of ``scriptalign learn`` on real TV episodes.

    .venv/bin/python bench/bench_learn.py [--quick]

../shared/data/tv/bbt_s01e01..03 (TVPersonID: real face tracks, semi-synthetic
descriptors, true identities). Per episode:

* baseline: each track takes the speaker of the subtitle lines it
  overlaps most (speakers = the dataset's own alignment, ``anchor`` in gt_speakers.jsonl);
* ``align`` (transcript.txt to subs.srt) then ``learn`` with its bags, then ``evaluate``
  against gt_identities.json (tracks whose truth is in the cast): accuracy after
  rounding, mAP over the cast, the area under the accuracy curve; targets accuracy >=
  0.80 and mAP >= 0.85, time per episode (align + learn + evaluate) <= 10 s;
* the same with bags built from the dataset's alignment instead of ours (one bag per
  subtitle line, ``{persons: [anchor]}``), for comparison;
* (not --quick) cvxpy on the same problem as Frank-Wolfe: objective, accuracy, time;
* (not --quick) the three episodes as one joint problem. Note: the descriptors were drawn
  per episode (each episode has its own identity means, cosine ~0.88 between the same
  person in two episodes, as between two people), so a shared classifier cannot help and
  does hurt here; the joint run only shows that it works and what it costs.

Prints tables and writes bench/out/bench_learn.json. Wall-clock times (with CPU times) on
whatever machine runs it (during development: a shared, loaded 2-core machine).
"""

from __future__ import annotations

import json
import sys
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

from scriptalign.learning import LearnOptions, learn  # noqa: E402
from scriptalign.learning.evaluation import evaluate  # noqa: E402
from scriptalign.learning.labels import Labels  # noqa: E402
from scriptalign.text.alignment import Alignment  # noqa: E402
from scriptalign.text.bags import Bag  # noqa: E402
from scriptalign.video.tracks import FaceTracks, load_tracks  # noqa: E402


def _truth(ep: str) -> tuple[dict[int, str], list[str]]:
    doc = json.loads((TV / ep / "gt_identities.json").read_text(encoding="utf-8"))
    return {int(k): v for k, v in doc["identities"].items()}, list(doc["cast"])


def _lines(ep: str) -> list[dict[str, Any]]:
    text = (TV / ep / "gt_speakers.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def anchor_bags(ep: str, cast: list[str]) -> Alignment:
    """One bag per subtitle line, its speaker from the dataset's own alignment."""
    keep = {c.casefold() for c in cast}
    bags = [Bag(ln["start"], ln["end"], i, [ln["anchor"]])
            for i, ln in enumerate(_lines(ep)) if (ln["anchor"] or "").casefold() in keep]
    return Alignment([], [], bags, cast=cast)


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


def _score(labels: Labels, truth: dict[int, str], cast: list[str]) -> dict[str, Any]:
    r = evaluate(labels, truth, cast)
    return {"accuracy": r["accuracy"], "map": r["map"], "curve_ap": r["curve_ap"],
            "ap": r["ap"], "tracks": r["tracks"]}


def our_bags(ep: str, cast: list[str]) -> Alignment:
    """``scriptalign align`` on the episode (an error here fails the benchmark: it never
    falls back to the dataset's own alignment)."""
    from scriptalign.text.aligner import align_files

    return align_files(TV / ep / "transcript.txt", TV / ep / "subs.srt")


def run_episode(ep: str, quick: bool) -> dict[str, Any]:
    truth, cast = _truth(ep)
    w0, c0 = time.perf_counter(), time.process_time()
    alignment = our_bags(ep, cast)
    ft = load_tracks(TV / ep / "tracks")
    l0, lc0 = time.perf_counter(), time.process_time()
    labels = learn([(alignment, ft)], LearnOptions())[0]
    learn_wall, learn_cpu = time.perf_counter() - l0, time.process_time() - lc0
    ours = _score(labels, truth, cast)
    total_wall, total_cpu = time.perf_counter() - w0, time.process_time() - c0
    out: dict[str, Any] = {
        "episode": ep, "baseline": round(baseline(ep, ft, truth, cast), 4),
        "align_bags": len(alignment.bags), **ours,
        "learn_seconds": round(learn_wall, 2), "learn_cpu_seconds": round(learn_cpu, 2),
        "total_seconds": round(total_wall, 2), "total_cpu_seconds": round(total_cpu, 2),
        "solver": labels.solver, "warnings": labels.warnings}
    anchors = anchor_bags(ep, cast)
    t0 = time.perf_counter()
    alt = learn([(anchors, ft)], LearnOptions())[0]
    out["anchor_bags"] = {**_score(alt, truth, cast), "bags": len(anchors.bags),
                          "learn_seconds": round(time.perf_counter() - t0, 2)}
    if not quick:
        t0 = time.perf_counter()
        exact = learn([(alignment, ft)], LearnOptions(solver="cvxpy"))[0]
        out["cvxpy"] = {**_score(exact, truth, cast), "solver": exact.solver,
                        "learn_seconds": round(time.perf_counter() - t0, 2)}
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    if not TV.is_dir():
        print(f"skipped: {TV} is absent")
        return
    results: dict[str, Any] = {"quick": quick, "episodes": []}
    for ep in EPISODES:
        results["episodes"].append(run_episode(ep, quick))
    eps = results["episodes"]
    table("TV naming: align + learn + evaluate (targets: accuracy >= 0.80, mAP >= 0.85, "
          "<= 10 s per episode)",
          ["episode", "baseline", "accuracy", "mAP", "curve AP", "iterations", "learn s (cpu)",
           "total s (cpu)", "anchor-bag acc", "anchor-bag mAP"],
          [[e["episode"], e["baseline"], e["accuracy"], e["map"], e["curve_ap"],
            e["solver"]["iterations"], f"{e['learn_seconds']} ({e['learn_cpu_seconds']})",
            f"{e['total_seconds']} ({e['total_cpu_seconds']})",
            e["anchor_bags"]["accuracy"], e["anchor_bags"]["map"]] for e in eps])
    table("per-name AP (our bags)", ["episode", "AP"],
          [[e["episode"], ", ".join(f"{k} {v}" for k, v in e["ap"].items())] for e in eps])
    if not quick:
        table("cvxpy (Clarabel) on the same problems",
              ["episode", "accuracy", "mAP", "objective", "fw objective", "s"],
              [[e["episode"], e["cvxpy"]["accuracy"], e["cvxpy"]["map"],
                e["cvxpy"]["solver"]["objective"], e["solver"]["objective"],
                e["cvxpy"]["learn_seconds"]] for e in eps])
        movies, truths = [], []
        for ep in EPISODES:
            truths.append(_truth(ep))
            movies.append((our_bags(ep, truths[-1][1]), load_tracks(TV / ep / "tracks")))
        t0 = time.perf_counter()
        joint = learn(movies, LearnOptions())
        seconds = time.perf_counter() - t0
        rows = []
        results["joint"] = {"seconds": round(seconds, 2), "solver": joint[0].solver,
                            "episodes": []}
        for ep, lab, (truth, cast) in zip(EPISODES, joint, truths, strict=True):
            s = _score(lab, truth, cast)
            results["joint"]["episodes"].append({"episode": ep, **s})
            rows.append([ep, s["accuracy"], s["map"]])
        table(f"the three episodes as one problem ({seconds:.1f} s; descriptors differ per "
              "episode, see the docstring)", ["episode", "accuracy", "mAP"], rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
