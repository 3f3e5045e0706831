"""Choose the hand-count pages for speech_counts.json with a fixed seed.

PDFs: three pages among the non-cover pages (cover/title pages listed by hand below).
Corpus scripts (chosen by hand for variety, see speech_counts.md): one "page" = 55 non-blank
lines starting at a seeded non-blank line; the start is drawn from the middle 90% of the
file's non-blank lines (skips title pages and end credits). Output: 1-based line numbers of
script.txt as-is (blank lines counted in the numbering).
"""
import random
import subprocess
from pathlib import Path

SEED = 20261129
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
COVER = {"hp_deathly_hallows_1_2010": {1}, "monsters_inc_2001": {1}, "ratatouille_2007": {1, 2}}
CORPUS = ["startrekfirstcontact", "gremlins", "mulan", "inception", "incrediblesthe"]
PAGE_LINES = 55

def n_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(row.split()[-1] for row in out.splitlines()
                    if row.startswith("Pages:")))

rng = random.Random(SEED)
for film in sorted(COVER):
    pdf = DATA / "pdf" / film / "script.pdf"
    pages = [p for p in range(1, n_pages(pdf) + 1) if p not in COVER[film]]
    print("pdf", film, sorted(rng.sample(pages, 3)))
for film in CORPUS:
    # numbering as sed -n and editors give it (LF only)
    raw = (DATA / "corpus" / film / "script.txt").read_bytes()
    lines = raw.decode("utf-8", "replace").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nonblank = [i + 1 for i, line in enumerate(lines) if line.strip()]
    lo, hi = int(len(nonblank) * 0.05), int(len(nonblank) * 0.95) - PAGE_LINES
    k = rng.randrange(lo, hi)
    first, last = nonblank[k], nonblank[k + PAGE_LINES - 1]
    print("corpus", film, first, last)
