#!/usr/bin/env python3
"""Sample dialogue blocks from a corpus screenplay for hand placement.

A dialogue block = a character cue line (upper-case name at the file's cue
indentation) followed by its speech lines (at the dialogue indentation),
with parentheticals (at the parenthetical indentation, starting with '(')
allowed before or inside the speech. The block ends at the first line that is
neither. Blocks with no speech line are not blocks.

Line numbers are 1-based and count '\n'-separated lines of script.txt as-is
(str.split('\n'), not splitlines(), so a stray '\r' does not shift them).

Indentation is counted in leading tabs; the tab counts per film were read off
the files (cue / speech / parenthetical):
  gladiator      5 / 2 / 3
  apocalypsenow  4 / 2 / 3

Usage: sample_blocks.py FILM [--n 60] [--seed 2026]
       -> prints the sampled blocks as JSON lines (sorted by cue_line).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "data" / "corpus"
INDENTS = {
    "gladiator": (5, 2, 3),
    "apocalypsenow": (4, 2, 3),
}


def tabs(line: str) -> int:
    n = 0
    while n < len(line) and line[n] == "\t":
        n += 1
    return n


def is_cue_text(text: str) -> bool:
    core = re.sub(r"\(.*?\)", "", text).strip()
    if not core or not re.search(r"[A-Z]", core):
        return False
    if core.endswith(":") or core.endswith("--"):
        return False  # transitions (CUT TO:, DISSOLVE TO :)
    return core == core.upper() and len(core) <= 40


def parse_blocks(film: str) -> list[dict]:
    cue_t, sp_t, par_t = INDENTS[film]
    raw = (CORPUS / film / "script.txt").read_bytes().decode("utf-8-sig", errors="replace")
    lines = [ln.rstrip("\r") for ln in raw.split("\n")]
    blocks = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if tabs(ln) == cue_t and ln[cue_t:cue_t + 1] not in (" ", "") and is_cue_text(ln.strip()):
            speech: list[int] = []
            in_paren = False
            j = i + 1
            while j < len(lines):
                nl = lines[j]
                t = tabs(nl)
                s = nl.strip()
                if not s:
                    break
                if t == par_t and (s.startswith("(") or in_paren):
                    in_paren = not s.endswith(")")  # wrapped parenthetical
                    j += 1
                    continue
                in_paren = False
                if t == sp_t:
                    speech.append(j)
                    j += 1
                    continue
                break
            if speech:
                text = " ".join(lines[k].strip() for k in speech)
                text = re.sub(r"\s+", " ", text).strip()
                blocks.append({
                    "film": film,
                    "cue_line": i + 1,
                    "first_line": speech[0] + 1,
                    "last_line": speech[-1] + 1,
                    "speaker": re.sub(r"\s+", " ", ln.strip()),
                    "script_text_full": text,
                })
                i = j
                continue
        i += 1
    return blocks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("film", choices=sorted(INDENTS))
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--count", action="store_true", help="only print the number of blocks")
    a = ap.parse_args()
    blocks = parse_blocks(a.film)
    if a.count:
        print(len(blocks))
        return
    rng = random.Random(a.seed)
    sample = sorted(rng.sample(blocks, a.n), key=lambda b: b["cue_line"])
    for b in sample:
        sys.stdout.write(json.dumps(b, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
