"""Scale of the text side: time and peak memory of parsing + aligning, from one film to 64.

Synthetic films (seeded, made here): an indented screenplay and its subtitles, or a fan
transcript (``Name: text``) and its subtitles. Speeches are drawn from a Zipf-distributed
vocabulary (so there are rare words, as in real dialogue); the subtitles say them in
order in 1-2 line cues, with the changes real films make: words dropped (8%), speeches cut
(5%), ad-libs that are in no script (3% of cues).

Sizes: a film is 1,500 cues and a ~200 KB screenplay (the shared films: 817-1,464 cues,
145-320 KB). Rows: screenplay films at 1x, 4x and 16x a film (growth), a 2 MB screenplay
(~10x), and a 10-hour transcript with 100,000 cues (~67x). Each row runs in a fresh process:
``seconds`` is parse + align wall time, ``peak_mb`` the process's peak RSS (ru_maxrss),
``base_mb`` the same process before parsing (interpreter + imports; the film is written
beforehand by the parent), ``correct`` the share
of spoken speeches whose aligned start falls within 1 s of their first cue. The growth
exponent is the slope of log(time) and log(peak - base) against log(size) from 1x to 16x:
1 is linear, 2 would be a full N x M matrix.

    python bench/bench_scale_text.py [--quick]     (--quick: 1x and 4x only)

Prints a table and writes bench/out/scale_text.json. Times are wall-clock on whatever
machine runs it (shared, loaded machines give noisy numbers).
"""

from __future__ import annotations

import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FILM_CUES = 1500
NAMES = ["RICK", "ILSA", "LASZLO", "RENAULT", "SAM", "UGARTE", "FERRARI", "STRASSER",
         "ANNINA", "CARL", "YVONNE", "BERGER"]
FUNCTION_WORDS = ("the a to you i it and of that is in what we me this he for my on have "
                  "your do no not be are with was just can so all know but they here").split()


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syllables = ["ka", "lo", "ri", "ten", "mar", "su", "vel", "do", "nis", "tra", "po", "gan",
                 "el", "bri", "ous", "ment", "qui", "zor", "fa", "ly"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return FUNCTION_WORDS + sorted(words)


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> list[str]:
    return rng.choices(vocab, weights, k=rng.randint(3, 16))


def make_film(folder: Path, cues: int, kind: str, seed: int = 7) -> tuple[Path, Path, list]:
    """Write ``script`` and ``subs.srt`` for about ``cues`` cues; return the paths and, for
    each speech kept in the film, (speech number, start of its first cue)."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]  # Zipf
    script: list[str] = []
    srt: list[str] = []
    truth: list[tuple[int, float]] = []
    clock, number, speech = 5.0, 0, 0
    while number < cues:
        if kind == "screenplay" and speech % 12 == 0:
            script += [f"INT. {' '.join(sentence(rng, vocab, weights)[:2]).upper()} - NIGHT", "",
                       *textwrap.wrap(" ".join(sentence(rng, vocab, weights)), 60), ""]
        who = rng.choice(NAMES)
        words = sentence(rng, vocab, weights) + sentence(rng, vocab, weights)[: rng.randint(0, 8)]
        text = " ".join(words)
        if kind == "screenplay":
            script += [" " * 25 + who, *(" " * 10 + ln for ln in textwrap.wrap(text, 35)), ""]
        else:
            script.append(f"{who.title()}: {text}")
        speech += 1
        if rng.random() < 0.05:
            continue  # cut from the film
        said = [w for w in words if rng.random() > 0.08] or words[:1]
        first = True
        for k in range(0, len(said), 14):
            chunk = " ".join(said[k : k + 14])
            if first:
                truth.append((speech, clock))
                first = False
            number += 1
            length = 0.3 if kind == "transcript" else 2.0 + 0.1 * len(chunk.split())
            lines = textwrap.wrap(chunk, 42)[:2]
            srt += [str(number), f"{_ts(clock)} --> {_ts(clock + length)}", *lines, ""]
            clock += length + 0.05
        if rng.random() < 0.03:  # an ad-lib
            number += 1
            srt += [str(number), f"{_ts(clock)} --> {_ts(clock + 1.0)}",
                    " ".join(sentence(rng, vocab, weights)[:5]), ""]
            clock += 1.05
    name = "film.script.txt" if kind == "screenplay" else "film.transcript.txt"
    (folder / name).write_text("\n".join(script) + "\n", encoding="utf-8")
    (folder / "subs.srt").write_text("\n".join(srt), encoding="utf-8")
    return folder / name, folder / "subs.srt", truth


def _ts(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def measure_one(script_path: Path, subs_path: Path, truth_path: Path, out: Path) -> None:
    """In a fresh process: time parse + align of a film made beforehand; read the peak RSS."""
    from scriptalign.text.aligner import align
    from scriptalign.text.formats import load_script, load_subtitles

    truth = json.loads(truth_path.read_text())
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    screenplay = load_script(script_path)
    subtitles = load_subtitles(subs_path)
    parsed = time.perf_counter()
    alignment = align(screenplay, subtitles)
    done = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dialogue = [e for e in alignment.elements if e.kind == "dialogue"]
    right = sum(1 for k, start in truth
                if k - 1 < len(dialogue) and dialogue[k - 1].start is not None
                and dialogue[k - 1].status == "aligned" and abs(dialogue[k - 1].start - start) < 1)
    out.write_text(json.dumps({
        "kind": screenplay.format, "cues": len(subtitles.cues),
        "script_kb": round(script_path.stat().st_size / 1024), "speeches": len(dialogue),
        "hours": round(subtitles.cues[-1].end / 3600, 2),
        "parse_seconds": round(parsed - t0, 2), "align_seconds": round(done - parsed, 2),
        "seconds": round(done - t0, 2), "base_mb": round(base_mb), "peak_mb": round(peak_mb),
        "correct": round(right / max(1, len(truth)), 3)}))


def slope(rows: list[dict[str, Any]], key: str) -> float:
    xs = [math.log(r["cues"]) for r in rows]
    ys = [math.log(max(1e-3, r[key])) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        measure_one(*(Path(a) for a in sys.argv[2:6]))
        return 0
    quick = "--quick" in sys.argv
    plan = [("screenplay", "1x film", FILM_CUES), ("screenplay", "4x film", 4 * FILM_CUES)]
    if not quick:
        plan += [("screenplay", "16x film", 16 * FILM_CUES),
                 ("screenplay", "2 MB screenplay", 16_000),
                 ("transcript", "10 h transcript", 100_000)]
    rows = []
    print(f"{'case':18} {'kind':10} {'cues':>7} {'script KB':>9} {'hours':>6} {'parse s':>8} "
          f"{'align s':>8} {'peak MB':>8} {'base MB':>8} {'correct':>7}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for kind, label, cues in plan:
            for old in Path(tmp).iterdir():
                old.unlink()
            script, subs, truth = make_film(Path(tmp), cues, kind)
            (Path(tmp) / "truth.json").write_text(json.dumps(truth))
            out = Path(tmp) / "row.json"
            subprocess.run([sys.executable, __file__, "--one", str(script), str(subs),
                            str(Path(tmp) / "truth.json"), str(out)], check=True, cwd=REPO)
            row = {"case": label, **json.loads(out.read_text())}
            row["extra_mb"] = max(1, row["peak_mb"] - row["base_mb"])
            rows.append(row)
            print(f"{label:18} {kind:10} {row['cues']:7} {row['script_kb']:9} {row['hours']:6} "
                  f"{row['parse_seconds']:8} {row['align_seconds']:8} {row['peak_mb']:8} "
                  f"{row['base_mb']:8} {row['correct']:7}", flush=True)
    growth = [r for r in rows if r["case"].endswith("x film")]
    result: dict[str, Any] = {"film_cues": FILM_CUES, "rows": rows}
    if len(growth) >= 2:
        result["time_exponent"] = round(slope(growth, "seconds"), 2)
        result["memory_exponent"] = round(slope(growth, "extra_mb"), 2)
        print(f"growth from {growth[0]['case']} to {growth[-1]['case']}: time ~ size^"
              f"{result['time_exponent']}, memory above the interpreter ~ size^"
              f"{result['memory_exponent']} (1 = linear, 2 = quadratic)")
    out_dir = REPO / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scale_text.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
