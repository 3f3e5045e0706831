"""Benchmarks of ``scriptalign align`` on ../shared data.

    .venv/bin/python bench/bench_align.py

1. TV speakers: bbt_s01e01..03, transcript.txt aligned to subs.srt; the speaker of every
   subtitle line against gt_speakers.jsonl (lines whose ``gt`` is in cast.json; no speaker
   counts as wrong; names compared case-insensitively), next to the dataset's own DTW
   alignment (its ``anchor`` field: 0.882 / 0.921 / 0.919).
2. Star Wars blocks: for each block of gt_alignment.jsonl with status matched/partial, the
   dialogue element holding ``first_line`` is right when its interval has IoU >= 0.5 with
   the true one (target >= 0.95); for absent blocks, the share that comes out ``aligned``
   with score >= 0.5 (target <= 10%).
3. Films: share of dialogue elements aligned, alignment time (best of 3 runs of
   ``align``), and time of the whole ``python -m scriptalign align`` process (best of 3;
   targets <= 1 s and <= 2 s). Wall and CPU time both: on a loaded machine the wall time
   is mostly waiting for a core.
(Scale, the growth of time and memory with the size of a film, is bench_scale_text.py.)

Prints a table per part and writes bench/out/bench_align.json. Times are wall-clock on
whatever machine runs it (a shared 2-core machine during development: noisy).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tables import table  # bench/tables.py (this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "bench" / "out" / "bench_align.json"

from scriptalign.text.aligner import align  # noqa: E402
from scriptalign.text.formats import load_script, load_subtitles  # noqa: E402

EPISODES = ("bbt_s01e01", "bbt_s01e02", "bbt_s01e03")
FILMS = ("star_wars_1977", "shrek_2001", "chinatown_1974", "mission_impossible_1996",
         "birthday_girl_2001")


def bench_tv() -> list[dict[str, Any]]:
    results = []
    for ep in EPISODES:
        folder = SHARED / "tv" / ep
        a = align(load_script(folder / "transcript.txt"), load_subtitles(folder / "subs.srt"))
        cast = {c["name"].lower() for c in
                json.loads((folder / "cast.json").read_text("utf-8"))["Characters"]}
        said = {(c.index, ln.index): (ln.speaker or "").lower() for c in a.cues
                for ln in c.lines}
        gt = [json.loads(line) for line in
              (folder / "gt_speakers.jsonl").read_text("utf-8").splitlines() if line.strip()]
        gt = [r for r in gt if r["gt"] in cast]
        missing = sum((r["srt_index"], r["line"]) not in said for r in gt)
        right = sum(said.get((r["srt_index"], r["line"])) == r["gt"] for r in gt)
        baseline = sum(r["anchor"] == r["gt"] for r in gt)
        results.append({"episode": ep, "lines": len(gt), "accuracy": right / len(gt),
                        "baseline": baseline / len(gt),
                        "no_speaker": sum(not said.get((r["srt_index"], r["line"]))
                                          for r in gt),
                        "gt_lines_not_in_parse": missing, "seconds": a.stats["seconds"]})
    table("1. TV: speaker of each subtitle line (gt in cast)",
          ["episode", "lines", "accuracy", "dataset DTW", "no speaker", "align s"],
          [[r["episode"], r["lines"], f"{r['accuracy']:.3f}", f"{r['baseline']:.3f}",
            r["no_speaker"], f"{r['seconds']:.3f}"] for r in results])
    return results


def _iou(a0: float, a1: float, b0: float, b1: float) -> float:
    inter = max(0.0, min(a1, b1) - max(a0, b0))
    union = max(a1, b1) - min(a0, b0)
    return inter / union if union > 0 else 0.0


def bench_star_wars() -> dict[str, Any]:
    folder = SHARED / "films" / "star_wars_1977"
    a = align(load_script(folder / "script.txt"), load_subtitles(folder / "subs.srt"))
    gt = [json.loads(line) for line in
          (folder / "gt_alignment.jsonl").read_text("utf-8").splitlines() if line.strip()]
    right = present = absent = absent_wrong = 0
    misses = []
    for block in gt:
        el = next((e for e in a.elements if e.kind == "dialogue"
                   and e.lines[0] <= block["first_line"] <= e.lines[1]), None)
        if block["status"] == "absent":
            absent += 1
            absent_wrong += bool(el and el.status == "aligned" and el.score >= 0.5)
            continue
        present += 1
        iou = 0.0
        if el is not None and el.start is not None and el.end is not None:
            iou = _iou(el.start, el.end, block["start"], block["end"])
        right += iou >= 0.5
        if iou < 0.5:
            misses.append({"first_line": block["first_line"], "iou": round(iou, 3),
                           "status": el.status if el else None,
                           "score": round(el.score, 3) if el else None,
                           "text": block["script_text"][:60]})
    result = {"blocks": present, "right": right, "accuracy": right / present,
              "absent": absent, "absent_aligned_confidently": absent_wrong,
              "absent_share": absent_wrong / absent if absent else 0.0, "misses": misses}
    table("2. Star Wars: dialogue blocks with IoU >= 0.5 (target >= 0.95; absent <= 10%)",
          ["blocks", "right", "accuracy", "absent", "absent aligned >= 0.5"],
          [[present, right, f"{result['accuracy']:.3f}", absent,
            f"{absent_wrong} ({result['absent_share']:.0%})"]])
    for m in misses:
        print(f"  miss: line {m['first_line']} IoU {m['iou']} {m['status']} "
              f"score {m['score']}: {m['text']!r}")
    return result


def bench_films() -> list[dict[str, Any]]:
    results = []
    for film in FILMS:
        folder = SHARED / "films" / film
        script, subs = load_script(folder / "script.txt"), load_subtitles(folder / "subs.srt")
        best = best_cpu = float("inf")
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            a = align(script, subs)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        process = process_cpu = float("inf")
        ok = True
        for _ in range(3):
            with tempfile.TemporaryDirectory() as tmp:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "scriptalign", "align", str(folder / "script.txt"),
                     str(folder / "subs.srt"), "-q", "-o", str(Path(tmp) / "align.json")],
                    cwd=REPO, capture_output=True, text=True, check=False)
                process = min(process, time.perf_counter() - t0)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                process_cpu = min(process_cpu, after.ru_utime - before.ru_utime
                                  + after.ru_stime - before.ru_stime)
                ok = ok and done.returncode == 0
        results.append({"film": film, "dialogue": a.stats["dialogue"],
                        "aligned": a.stats["aligned"], "share": a.stats["share_aligned"],
                        "median_score": a.stats["median_score"],
                        "lines_with_speaker": a.stats["lines_with_speaker"] / a.stats["lines"],
                        "align_seconds": best, "align_cpu_seconds": best_cpu,
                        "process_seconds": process, "process_cpu_seconds": process_cpu,
                        "process_ok": ok})
    table("3. Films: share of dialogue aligned; time (targets: align <= 1 s, process <= 2 s;"
          " best of 3, wall and CPU)",
          ["film", "dialogue", "aligned", "share", "median score", "lines w/ speaker",
           "align s", "align CPU s", "process s", "process CPU s"],
          [[r["film"], r["dialogue"], r["aligned"], f"{r['share']:.3f}",
            f"{r['median_score']:.3f}", f"{r['lines_with_speaker']:.3f}",
            f"{r['align_seconds']:.3f}", f"{r['align_cpu_seconds']:.3f}",
            f"{r['process_seconds']:.3f}" + ("" if r["process_ok"] else " FAILED"),
            f"{r['process_cpu_seconds']:.3f}"]
           for r in results])
    return results


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: this benchmark needs the shared data")
    results: dict[str, Any] = {}
    results["tv"] = bench_tv()
    results["star_wars"] = bench_star_wars()
    results["films"] = bench_films()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
