"""Parsing speed and element counts on the shared films and TV episodes.

Target: a 300 KB screenplay and a 100 KB SRT each parse in well under 0.2 s.
Times are the median of 5 runs of the parse alone (the file is read once beforehand).
Prints a table and writes bench/out/formats.json. Skips when ../shared is absent.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from scriptalign.core.textfile import read_text
from scriptalign.text.formats import SCRIPT_READERS, SUBTITLE_FORMATS, script_format

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
RUNS = 5


def _median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    if not SHARED.is_dir():
        print("bench_formats: ../shared is absent, skipped")
        return 0
    rows: list[dict[str, Any]] = []
    for path in sorted(SHARED.glob("films/*/script.txt")) + sorted(
            SHARED.glob("tv/*/transcript.txt")):
        text = read_text(path)
        fmt = script_format(path, text)
        reader = SCRIPT_READERS[fmt]
        script = reader(text, path)
        seconds = _median_seconds(partial(reader, text, None))
        rows.append({"file": str(path.relative_to(SHARED)), "format": fmt,
                     "kbytes": round(path.stat().st_size / 1024, 1),
                     "count": len(script.dialogue), "what": "dialogue elements",
                     "seconds": round(seconds, 4)})
    for path in sorted(SHARED.glob("*/*/subs*.srt")):
        text = read_text(path)
        parse = SUBTITLE_FORMATS["srt"].read
        subs = parse(text, path)
        seconds = _median_seconds(partial(parse, text, None))
        rows.append({"file": str(path.relative_to(SHARED)), "format": "srt",
                     "kbytes": round(path.stat().st_size / 1024, 1), "count": len(subs.cues),
                     "what": "cues", "seconds": round(seconds, 4)})
    print(f"{'file':52} {'format':10} {'KB':>6} {'count':>6} {'what':18} {'s':>7}")
    for r in rows:
        print(f"{r['file']:52} {r['format']:10} {r['kbytes']:6} {r['count']:6} {r['what']:18} "
              f"{r['seconds']:7.4f}")
    slowest = max(r["seconds"] for r in rows)
    print(f"slowest parse: {slowest:.4f} s (target: well under 0.2 s)")
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "formats.json").write_text(json.dumps({"runs": RUNS, "rows": rows,
                                                  "slowest_seconds": slowest}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
