"""No committed file quotes the third-party texts in ../shared (scripts, subtitles, transcripts).

A quote is a run of ``RUN`` consecutive normalised words (lower-case, letters and digits only)
that a committed file shares with a text file under ``../shared/data``. Character names and
short phrases are fine; a line of dialogue is not. The repository side is small, so its runs
are hashed into one sorted array and the shared files are streamed past it.
"""

from __future__ import annotations

import bisect
import random
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parents[1]
RUN = 8
CHECKED = ("scriptalign", "tests", "bench", "examples", "docs", "README.md")
SHARED_TEXT = (".txt", ".srt", ".vtt", ".jsonl")
BINARY = (".png", ".jpg", ".jpeg", ".webm", ".mp4", ".npz", ".npy", ".pdf", ".pyc", ".mat")

# Bytes, not str: ASCII matching is several times faster over the shared texts, and a
# subtitle in Latin-1 splits at its accented letters just as its UTF-8 copy does.
_WORD = re.compile(rb"[a-z0-9]+")
_BASE = np.uint64(0x100000001B3)
_NUMBERS = frozenset(
    b"zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    b"fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    b"eighty ninety hundred thousand".split()
)

Hashes = npt.NDArray[np.uint64]


def _normalised(data: bytes) -> bytes:
    # "don't" and "dont" are one word (straight or curly apostrophe), "Port-au-Prince" is three
    return data.lower().replace(b"'", b"").replace("\u2019".encode(), b"")


def _run_hashes(words: list[bytes]) -> Hashes:
    """A 64-bit hash of each run of ``RUN`` consecutive words, by the run's first word."""
    n = len(words) - RUN + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    word = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    run = np.zeros(n, dtype=np.uint64)
    for k in range(RUN):  # polynomial in the word hashes; uint64 arrays wrap silently
        run = run * _BASE + word[k : k + n]
    return run


def _has_text(words: list[bytes]) -> npt.NDArray[np.bool_]:
    """Whether each run holds a word that is not a number: runs of numbers only (timestamps,
    arrays, a count from one to eight) quote nothing."""
    text = np.cumsum([0] + [not (w.isdigit() or w in _NUMBERS) for w in words])
    return (text[RUN:] - text[: max(len(words) - RUN + 1, 0)]) > 0


def _committed(repo: Path) -> list[Path]:
    """Committed files under the checked paths (every file there when git is unavailable)."""
    # new files count too (tracked or not ignored): the check is worth most before a commit
    git = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--"]
    try:
        listed = subprocess.run([*git, *CHECKED], cwd=repo, capture_output=True, text=True,
                                check=True).stdout.split("\0")
        files = [repo / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        files = [p for c in CHECKED for p in [repo / c, *(repo / c).rglob("*")]]
    return [p for p in files
            if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(BINARY)]


def repo_runs(files: Iterable[Path], root: Path) -> dict[int, list[str]]:
    """Hash of every word run in ``files`` -> "path:line" where it starts, first in each file."""
    found: dict[int, list[str]] = {}
    for path in files:
        data = _normalised(path.read_bytes())
        matches = list(_WORD.finditer(data))
        newlines = [m.start() for m in re.finditer(b"\n", data)]
        words = [m.group() for m in matches]
        seen: set[int] = set()
        hashes = _run_hashes(words).tolist()
        for i, (h, text) in enumerate(zip(hashes, _has_text(words), strict=True)):
            if text and h not in seen:
                seen.add(h)
                line = bisect.bisect(newlines, matches[i].start()) + 1
                found.setdefault(h, []).append(f"{path.relative_to(root)}:{line}")
    return found


def shared_texts(shared: Path) -> list[Path]:
    found = (shared / "data").rglob("*")
    return sorted(p for p in found if p.is_file() and p.name.endswith(SHARED_TEXT))


def quotes(runs: dict[int, list[str]], texts: Iterable[Path], root: Path) -> dict[str, str]:
    """Each repository place that shares a run with a shared text -> that text's path."""
    known = np.sort(np.fromiter(runs, dtype=np.uint64, count=len(runs)))
    if not len(known):
        return {}
    hits: dict[str, str] = {}
    for path in texts:
        shared = _run_hashes(_WORD.findall(_normalised(path.read_bytes())))
        at = np.minimum(np.searchsorted(known, shared), len(known) - 1)
        for h in np.unique(shared[known[at] == shared]).tolist():
            for place in runs[h]:
                hits.setdefault(place, str(path.relative_to(root)))
    return hits


def test_no_committed_file_quotes_shared_texts(shared: Path) -> None:
    texts = shared_texts(shared)
    assert texts, f"no {SHARED_TEXT} file under {shared / 'data'}"
    hits = quotes(repo_runs(_committed(REPO), REPO), texts, shared)
    listing = "\n".join(f"{place}  <- {source}" for place, source in sorted(hits.items()))
    assert not hits, (
        f"committed files share runs of {RUN} words with ../shared (write your own text; "
        f"describe the kind of file instead of quoting it):\n{listing}"
    )


def test_a_planted_quote_is_found(shared: Path, tmp_path: Path) -> None:
    # the check above can fail: words taken from a shared file at run time (never committed),
    # recased, repunctuated and split over two lines, are still caught; seven of them are not
    texts = shared_texts(shared)
    source = max(texts, key=lambda p: p.stat().st_size)
    words = [w.decode() for w in _WORD.findall(_normalised(source.read_bytes()))]
    rng = random.Random(0)
    planted = [""]
    while not all(w.isalpha() for w in planted):  # a run of words, not of numbers
        start = rng.randrange(len(words) - RUN)
        planted = words[start : start + RUN]
    fixture = tmp_path / "tests" / "test_planted.py"
    fixture.parent.mkdir()
    fixture.write_text(
        "x = 1\n\nLINES = [\n"
        f'    "{" ".join(planted[:3]).upper()},",\n'
        f"    \"{'... '.join(planted[3:])}!\",\n]\n",
        encoding="utf-8",
    )
    innocent = tmp_path / "README.md"
    innocent.write_text(" ".join(planted[: RUN - 1]) + " zzqx\n", encoding="utf-8")
    hits = quotes(repo_runs([fixture, innocent], tmp_path), [source], shared)
    assert set(hits) == {"tests/test_planted.py:4"}
