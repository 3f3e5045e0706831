"""Scripts and subtitles as users have them: the shared corpus, PDFs and wrong pairs.

Three benchmarks, each run through the real command (``scriptalign align``, one process per
film, at its default settings) unless said otherwise:

1. Corpus: every pair in ``../shared/data/corpus`` and ``../shared/data/pdf``: films that
   fail to parse, films rejected as a wrong pair, films with warnings, speeches found per
   page, share of speeches aligned (median, 10th percentile), whole-process seconds per
   film. Targets: no film fails to parse; every film whose share aligned is under 0.25
   carries a warning that names the cause; median whole-process time per film <= 1 s.
2. Speeches found, against hand counts (``/work/devsets/speech_counts.json`` or
   ``$SPEECH_COUNTS``: three pages of each shared PDF and a page of five corpus scripts):
   the speakers of the speeches the parser finds on each page against the hand-counted ones
   (longest common subsequence of speaker names). Target: >= 95% found.
3. Wrong pairs: ten scripts with another film's subtitles (from the held-out half of the
   corpus, see below) must fail with exit 1 and write nothing; the ten right pairs with the
   lowest share aligned must pass with a warning.

The wrong-pair thresholds (``scriptalign.text.checks``) were chosen on the films whose
folder name sorts before "g" (with wrong pairs made among all films by shifting the list);
the benchmark prints the evidence of both halves (library calls, no processes), so that the
held-out half can be read apart. Two corpus folders hold subtitles of another film of the
same title (read by hand: godzilla's are Godzilla 1954 for the 1998 script; revenantthe's
are The Revenant 2009 for the 2015 script): they count as wrong pairs.

Writes bench/out/corpus.json. Skips when ../shared is absent. ``--quick``: benchmark 1 on
the first 12 films only, no ``--split``.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import table

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
COUNTS = Path(os.environ.get("SPEECH_COUNTS", "/work/devsets/speech_counts.json"))
CLI = [sys.executable, "-m", "scriptalign"]
# Read by hand: the subtitles in these folders are of another film of the same title.
WRONG_IN_CORPUS = {"godzilla": "subtitles of Godzilla (1954), script of the 1998 film",
                   "revenantthe": "subtitles of The Revenant (2009), script of the 2015 film"}
TRAIN_BEFORE = "g"  # thresholds chosen on films sorting before this; the rest is held out


def pairs() -> list[tuple[str, Path, Path]]:
    out = []
    for folder in sorted((SHARED / "corpus").iterdir()):
        if (folder / "script.txt").exists():
            out.append((folder.name, folder / "script.txt", folder / "subs.srt"))
    for folder in sorted((SHARED / "pdf").iterdir()):
        if (folder / "script.pdf").exists():
            out.append((folder.name, folder / "script.pdf", folder / "subs.srt"))
    return out


def run_cli(script: Path, subs: Path, out: Path, *extra: str) -> dict[str, Any]:
    """One ``scriptalign align`` process: exit code, seconds, warnings, stats."""
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run([*CLI, "align", str(script), str(subs), "-o", str(out), *extra],
                          capture_output=True, text=True, check=False, cwd=REPO)
    seconds = time.perf_counter() - t0
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("scriptalign: warning")]
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("scriptalign: error")]
    doc = json.loads(out.read_text()) if out.exists() else None
    return {"rc": proc.returncode, "seconds": round(seconds, 3), "warnings": warnings,
            "error": errors[0] if errors else None, "written": out.exists(),
            "stats": doc["stats"] if doc else {}, "codes": [w["code"] for w in doc["warnings"]]
            if doc else [], "layout": doc.get("layout") if doc else None}


def bench_corpus(quick: bool, tmp: Path) -> list[dict[str, Any]]:
    rows = []
    todo = pairs()[:12] if quick else pairs()
    for name, script, subs in todo:
        r = run_cli(script, subs, tmp / f"{name}.json")
        r["film"] = name
        if r["rc"] == 1 and r["error"] and "subtitles of this film" in r["error"]:
            r["rejected"] = True
            again = run_cli(script, subs, tmp / f"{name}.json", "--min-aligned", "0")
            r["stats"], r["codes"], r["layout"] = again["stats"], again["codes"], again["layout"]
        rows.append(r)
        s = r["stats"]
        print(f"  {name:28} rc={r['rc']} {r['seconds']:5.2f}s share={s.get('share_aligned')} "
              f"per_page={s.get('speeches_per_page')} run_share={s.get('run_share')} "
              f"codes={r['codes']}", flush=True)
    return rows


def report_corpus(rows: list[dict[str, Any]]) -> dict[str, Any]:
    parse_failed = [r["film"] for r in rows if r["rc"] != 0 and not r.get("rejected")]
    rejected = [r["film"] for r in rows if r.get("rejected")]
    warned = [r["film"] for r in rows if r["warnings"] or r.get("rejected")]
    shares = sorted(r["stats"].get("share_aligned", 0.0) for r in rows if r["stats"])
    per_page = [r["stats"]["speeches_per_page"] for r in rows
                if r["stats"].get("speeches_per_page") is not None]
    low = [r for r in rows if r["stats"] and r["stats"].get("share_aligned", 0) < 0.25]
    causes = {"wrong-pair", "far-draft", "low-aligned"}
    low_unnamed = [r["film"] for r in low if not (set(r["codes"]) & causes)]
    seconds = [r["seconds"] for r in rows if not r.get("rejected")]
    summary = {
        "films": len(rows), "parse_failed": parse_failed, "rejected_wrong_pair": rejected,
        "with_warnings": len(warned),
        "share_aligned_median": round(statistics.median(shares), 3) if shares else None,
        "share_aligned_p10": round(shares[max(0, len(shares) // 10 - 1)], 3) if shares else None,
        "speeches_per_page_median": round(statistics.median(per_page), 1) if per_page else None,
        "speeches_per_page_range": [min(per_page), max(per_page)] if per_page else None,
        "low_share_films": [r["film"] for r in low], "low_share_without_cause": low_unnamed,
        "seconds_median": round(statistics.median(seconds), 3) if seconds else None,
        "seconds_max": max(seconds) if seconds else None,
    }
    table("Benchmark 1: corpus + PDFs (scriptalign align, default settings)",
          ["measure", "value", "target"],
          [["films", summary["films"], ""],
           ["failed to parse", len(parse_failed), "0"],
           ["rejected as wrong pair", f"{len(rejected)} {rejected}", ""],
           ["films with warnings", summary["with_warnings"], ""],
           ["share aligned median / p10", f"{summary['share_aligned_median']} / "
            f"{summary['share_aligned_p10']}", ""],
           ["speeches per page median (min-max)", f"{summary['speeches_per_page_median']} "
            f"({summary['speeches_per_page_range']})", "5-12"],
           ["films with share < 0.25", len(low), ""],
           ["... of which without a cause named", f"{len(low_unnamed)} {low_unnamed}", "0"],
           ["whole-process seconds median (max)", f"{summary['seconds_median']} "
            f"({summary['seconds_max']})", "<= 1 s"]])
    return summary


def _key(name: str) -> str:
    name = re.sub(r"['’]S (?:COM )?VOICE$", "", name.upper())
    return "".join(c for c in name if c.isalnum())


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            same = x == y or (len(x) > 2 and len(y) > 2 and (x in y or y in x))
            cur.append(prev[j] + 1 if same else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def bench_speeches() -> dict[str, Any] | None:
    if not COUNTS.exists():
        print(f"\nBenchmark 2: {COUNTS} is absent, skipped")
        return None
    from scriptalign.text.formats import load_script

    pages = json.loads(COUNTS.read_text())
    rows, total_hand, total_found, total_matched = [], 0, 0, 0
    cache: dict[str, Any] = {}
    for p in pages:
        path = SHARED / p["file"]
        if p["file"] not in cache:
            cache[p["file"]] = load_script(path)
        script = cache[p["file"]]
        speeches = []
        for el in script.dialogue:
            if "page" in p:
                if el.page_lines and el.page_lines[0][0] == p["page"]:
                    speeches.append(el)
            else:
                first, last = p["lines"]
                # The cue stands on the speech's first line (transcripts) or up to 3 above.
                if first <= el.lines[0] and el.lines[0] - 3 <= last:
                    speeches.append(el)
        found = [_key(el.speaker or "") for el in speeches]
        hand = [_key(c) for c in p["cues"]]
        matched = _lcs(found, hand)
        total_hand += len(hand)
        total_found += len(found)
        total_matched += matched
        where = f"p{p['page']}" if "page" in p else f"l{p['lines'][0]}-{p['lines'][1]}"
        rows.append([p["film"], where, len(hand), len(found), matched,
                     f"{matched / max(1, len(hand)):.2f}"])
    recall = total_matched / max(1, total_hand)
    rows.append(["all", "", total_hand, total_found, total_matched, f"{recall:.3f}"])
    table("Benchmark 2: speeches found against hand counts (matched = same speakers in order)",
          ["film", "page", "hand", "found", "matched", "recall"], rows)
    print(f"  recall {recall:.3f}, precision {total_matched / max(1, total_found):.3f} "
          "(target: recall >= 0.95)")
    return {"hand": total_hand, "found": total_found, "matched": total_matched,
            "recall": round(recall, 4), "precision": round(total_matched / max(1, total_found), 4),
            "pages": [dict(zip(["film", "page", "hand", "found", "matched", "recall"], r,
                               strict=True)) for r in rows]}


def bench_wrong_pairs(corpus: list[dict[str, Any]], tmp: Path) -> dict[str, Any]:
    films = [(n, s, u) for n, s, u in pairs() if s.suffix == ".txt" and n >= TRAIN_BEFORE
             and n not in WRONG_IN_CORPUS]
    wrong_rows = []
    for k in range(10):
        name, script, _ = films[k * len(films) // 10]
        other, _, subs = films[(k * len(films) // 10 + 5) % len(films)]
        r = run_cli(script, subs, tmp / "wrong.json")
        ok = r["rc"] == 1 and not r["written"]
        wrong_rows.append([f"{name} + subs of {other}", r["rc"], r["written"],
                           "ok" if ok else "MISSED"])
    right = sorted((r for r in corpus if r["stats"] and r["film"] not in WRONG_IN_CORPUS),
                   key=lambda r: r["stats"].get("share_aligned", 0))[:10]
    right_rows = [[r["film"], r["stats"].get("share_aligned"), r["rc"], ", ".join(r["codes"]),
                   "ok" if r["rc"] == 0 and r["warnings"] else "FAILED"] for r in right]
    table("Benchmark 3a: wrong pairs (held-out films), default settings",
          ["pair", "exit", "written", "verdict"], wrong_rows)
    table("Benchmark 3b: the 10 right pairs with the lowest share aligned",
          ["film", "share", "exit", "warnings", "verdict"], right_rows)
    caught = sum(r[-1] == "ok" for r in wrong_rows)
    passed = sum(r[-1] == "ok" for r in right_rows)
    print(f"  wrong pairs rejected: {caught}/10; low right pairs passing with a warning: "
          f"{passed}/{len(right_rows)}")
    return {"wrong_rejected": caught, "wrong": wrong_rows, "right_passed": passed,
            "right": right_rows}


def split_evidence() -> dict[str, Any]:
    """run_share and names_heard of right and wrong pairs, by half (library calls)."""
    from scriptalign.text.aligner import align
    from scriptalign.text.formats import load_script, load_subtitles

    films = [(n, s, u) for n, s, u in pairs() if s.suffix == ".txt"]
    scripts = {n: load_script(s) for n, s, _ in films}
    subs = {n: load_subtitles(u) for n, _, u in films}
    names = [n for n, _, _ in films]
    rows: list[dict[str, Any]] = []
    for i, n in enumerate(names):
        for shift in (0, 5, 17, 31):
            other = names[(i + shift) % len(names)]
            a = align(scripts[n], subs[other])
            right = shift == 0 and n not in WRONG_IN_CORPUS
            rows.append({"script": n, "subs": other, "right": right,
                         "half": "train" if n < TRAIN_BEFORE else "held-out",
                         **{k: a.stats.get(k) for k in ("share_aligned", "run_share",
                                                        "names_heard", "verdict")}})
    out_rows = []
    for half in ("train", "held-out"):
        part = [r for r in rows if r["half"] == half]
        right = sorted((r for r in part if r["right"]), key=lambda r: r["run_share"])
        wrong = sorted((r for r in part if not r["right"]), key=lambda r: -r["run_share"])
        wrong_kept = [r for r in wrong if r["verdict"] != "wrong-pair"]
        right_lost = [r for r in right if r["verdict"] == "wrong-pair"]
        out_rows.append([half, len(right), len(wrong),
                         f"{right[0]['run_share']} ({right[0]['script']})" if right else "",
                         f"{wrong[0]['run_share']} ({wrong[0]['script']}+{wrong[0]['subs']})"
                         if wrong else "", len(wrong_kept),
                         ", ".join(r["script"] for r in right_lost)])
    table("Wrong-pair evidence by half (run_share: matched words in runs of 4+)",
          ["half", "right", "wrong", "lowest right", "highest wrong", "wrong accepted",
           "right rejected"], out_rows)
    return {"rows": rows, "table": out_rows}


def main() -> int:
    if not SHARED.is_dir():
        print("bench_corpus: ../shared is absent, skipped")
        return 0
    quick = "--quick" in sys.argv
    result: dict[str, Any] = {"note": "timings on a shared 2-core machine: upper bounds"}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print("Benchmark 1: corpus + PDFs")
        corpus = bench_corpus(quick, tmp)
        result["corpus"] = {"films": corpus, "summary": report_corpus(corpus)}
        result["speeches"] = bench_speeches()
        if not quick:
            result["wrong_pairs"] = bench_wrong_pairs(corpus, tmp)
        if not quick:
            result["split"] = split_evidence()
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "corpus.json").write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
