"""Words for matching a script against subtitles: normalising, tokenising, fuzzy equivalence.

Both sides are reduced to sequences of integer word ids over one shared vocabulary, so
that the aligner can compare words with ``==``. The normalisation rules come from the
shared data:

- case and punctuation go (``bbt_s01e01/transcript.txt`` is lower-case and unpunctuated:
  ``whats`` must equal the subtitles' ``What's``);
- a hyphenated word is kept whole when the other side writes it as one word and split
  otherwise (the same transcript has ``portauprince`` for ``Port-au-Prince`` but
  ``high iq`` for ``high-IQ``);
- contractions are joined the same way whether written out or not (``It's you`` in the
  Star Wars subtitles, ``It is you`` in its script: both ``its you``; ``going to`` and
  ``gonna`` both ``gonna``);
- numbers up to 999 are spelled out (subtitles write ``14 across``, the transcript
  ``fourteen across``);
- a word that only one side uses is mapped to a similar word of the other side
  (rapidfuzz ratio >= 80, e.g. ``Nabokov`` / ``nabakov``, ``T-shirt`` / ``teeshirt``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# A word: letters/digits, possibly joined by hyphens ("Port-au-Prince"); apostrophes are
# removed before ("don't" -> "dont"), anything else separates words.
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_JOINERS = str.maketrans("", "", "'’")
_NUMBER = re.compile(r"\b\d{1,3}\b")
_DIGIT = re.compile(r"\d")

FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0..100) above which two words count as the same
FUZZY_MIN_LEN = 4  # shorter words are too easy to confuse ("bat" / "hat")

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def spell_number(n: int) -> str:
    """0..999 as one word the way a transcript joins it (26 -> "twentysix")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (_ONES[n % 10] if n % 10 else "")
    rest = n % 100
    return _ONES[n // 100] + "hundred" + (spell_number(rest) if rest else "")


def _fold(word: str) -> str:
    """Lower case without accents (subtitles write "café", scripts "cafe")."""
    word = word.lower()
    if word.isascii():
        return word
    word = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in word if not unicodedata.combining(ch))


# Contractions, written out: "it is" reads as "it's" -> "its" (apostrophes are dropped),
# "do not" as "dont". Only after pronouns/auxiliaries, where the contraction is usual.
_PRONOUNS = frozenset("i you he she it we they that there what who where here how this "
                      "everything something nothing everyone".split())
_CLITICS = {"is": "s", "are": "re", "am": "m", "will": "ll", "have": "ve", "would": "d",
            "had": "d"}
_AUXILIARIES = frozenset("do does did is are was were have has had would could should "
                         "must need".split())
_PAIRS = {("can", "not"): "cant", ("will", "not"): "wont", ("going", "to"): "gonna",
          ("want", "to"): "wanna", ("got", "to"): "gotta"}
_SINGLE = {"cannot": "cant", "ok": "okay", "em": "them"}
_TWO_WORDS = re.compile(
    r"\b(" + "|".join(sorted(_PRONOUNS | _AUXILIARIES | {a for a, _ in _PAIRS})) + r")\s+("
    + "|".join(sorted(set(_CLITICS) | {"not", "to"})) + r")\b")
_ONE_WORD = re.compile(r"\b(" + "|".join(_SINGLE) + r")\b")


def _join_pair(match: re.Match[str]) -> str:
    word, nxt = match.group(1), match.group(2)
    joined = _PAIRS.get((word, nxt))
    if joined is None and word in _PRONOUNS and nxt in _CLITICS:
        joined = word + _CLITICS[nxt]
    if joined is None and word in _AUXILIARIES and nxt == "not":
        joined = word + "nt"
    return match.group(0) if joined is None else joined


def join_contractions(text: str) -> str:
    """Join the written-out form of contractions in lower-case text: "it is you" -> "its
    you". Only words separated by blanks ("it, is" stays)."""
    return _ONE_WORD.sub(lambda m: _SINGLE[m.group(1)], _TWO_WORDS.sub(_join_pair, text))


def raw_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased, without apostrophes, contractions joined.

    Hyphens are still in (see ``split_compound``).
    """
    text = _fold(text).translate(_JOINERS)
    if _DIGIT.search(text):
        text = _NUMBER.sub(lambda m: spell_number(int(m.group())), text)
    return _WORD.findall(join_contractions(text))


def split_compound(word: str, other_vocab: set[str] | frozenset[str]) -> list[str]:
    """A hyphenated word as one word when the other side spells it so, else its parts."""
    if "-" not in word:
        return [word]
    joined = word.replace("-", "")
    if joined in other_vocab:
        return [joined]
    parts = []
    for part in word.split("-"):
        if part.isdigit() and len(part) <= 3:
            part = spell_number(int(part))
        if part:
            parts.append(part)
    return parts


def _plain_vocab(texts: Iterable[list[str]], hyphens: Sequence[bool]) -> set[str]:
    vocab: set[str] = set()
    for words, hyphen in zip(texts, hyphens, strict=True):
        if not hyphen:
            vocab.update(words)
            continue
        for w in words:
            vocab.add(w.replace("-", ""))
            if "-" in w:
                vocab.update(p for p in w.split("-") if p)
    return vocab


@dataclass
class Tokens:
    """A side of the alignment as a flat word sequence.

    ``ids[k]`` is the vocabulary id of word ``k`` (-1: a word the other side never uses),
    ``owner[k]`` the unit (script element, or subtitle line) the word comes from, and
    ``words[k]`` its normalised spelling.
    """

    words: list[str]
    ids: np.ndarray
    owner: np.ndarray


def tokenize_pair(script_texts: Sequence[str], sub_texts: Sequence[str],
                  fuzzy: bool = True) -> tuple[Tokens, Tokens]:
    """Tokenise both sides into word ids over one vocabulary.

    Each text is one unit: ``owner`` holds the position of its text in the input list.
    Script words get ids first; a subtitle word gets the id of the same script word, or
    of the most similar one when ``fuzzy``, or -1.
    """
    s_raw = [raw_words(t) for t in script_texts]
    u_raw = [raw_words(t) for t in sub_texts]
    # Only units with a hyphen can hold compounds (the slow path below).
    s_hyphen = ["-" in t for t in script_texts]
    u_hyphen = ["-" in t for t in sub_texts]
    s_plain, u_plain = _plain_vocab(s_raw, s_hyphen), _plain_vocab(u_raw, u_hyphen)

    def flatten(raw: list[list[str]], hyphens: list[bool],
                other: set[str]) -> tuple[list[str], np.ndarray]:
        words: list[str] = []
        counts = np.zeros(len(raw), dtype=np.int64)
        for unit, (ws, hyphen) in enumerate(zip(raw, hyphens, strict=True)):
            if hyphen:
                ws = [part for w in ws for part in split_compound(w, other)]
            words.extend(ws)
            counts[unit] = len(ws)
        return words, np.repeat(np.arange(len(raw), dtype=np.int64), counts)

    s_words, s_owner = flatten(s_raw, s_hyphen, u_plain)
    u_words, u_owner = flatten(u_raw, u_hyphen, s_plain)
    del s_raw, u_raw

    vocab = {w: k for k, w in enumerate(dict.fromkeys(s_words))}
    s_ids = np.fromiter(map(vocab.__getitem__, s_words), dtype=np.int64, count=len(s_words))
    u_vocab = set(u_words)
    u_map: dict[str, int] = {w: vocab[w] for w in u_vocab if w in vocab}
    if fuzzy:
        u_map.update(fuzzy_map(sorted(u_vocab - vocab.keys()),
                               sorted(vocab.keys() - u_vocab), vocab))
    u_ids = np.fromiter(map(u_map.get, u_words, itertools.repeat(-1)), dtype=np.int64,
                        count=len(u_words))
    return Tokens(s_words, s_ids, s_owner), Tokens(u_words, u_ids, u_owner)


def fuzzy_map(queries: list[str], targets: list[str], vocab: dict[str, int]) -> dict[str, int]:
    """Map each query word to the id of its most similar target word, if similar enough.

    Only words that share their first letter are compared: misspellings and variants in
    the shared data keep it, and it divides the work by about twenty.
    """
    from rapidfuzz import fuzz, process

    by_letter: dict[str, list[str]] = {}
    for t in targets:
        if len(t) >= FUZZY_MIN_LEN:
            by_letter.setdefault(t[0], []).append(t)
    out: dict[str, int] = {}
    groups: dict[str, list[str]] = {}
    for q in queries:
        if len(q) >= FUZZY_MIN_LEN and q[0] in by_letter:
            groups.setdefault(q[0], []).append(q)
    for letter, qs in groups.items():
        ts = by_letter[letter]
        scores = process.cdist(qs, ts, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                               dtype=np.uint8)
        best = scores.argmax(axis=1)
        for q, b, row in zip(qs, best, scores, strict=True):
            if row[b] > 0:
                out[q] = vocab[ts[b]]
    return out


# ---------------------------------------------------------------------------------------
# Monotonic matching of two word-id sequences
#
# The matching is a longest common subsequence (LCS): the largest set of equal word pairs
# that keeps both orders. A full LCS of a 10-hour transcript (a million words a side) is
# too much even bit-parallel, so it is cut into pieces first: word n-grams that occur
# exactly once on each side are near-certain matches ("anchors"); the longest chain of
# anchors in order on both sides splits the problem into small rectangles, and the exact
# LCS (rapidfuzz, bit-parallel, in C) runs inside each rectangle. Rectangles that are still
# too big are split again by n-grams unique inside them (like patience diff).

MAX_CELLS = 20_000_000  # rectangle area above which it is split by anchors first
ANCHOR_SPACING = 24  # anchors closer than this (in words) add nothing but loop overhead

_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)


def _ngram_keys(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash of every n-gram of ``ids`` and whether it is usable (no -1 word in it)."""
    m = len(ids) - n + 1
    keys = np.zeros(m, dtype=np.uint64)
    ok = np.ones(m, dtype=bool)
    with np.errstate(over="ignore"):
        for k in range(n):
            part = ids[k:k + m]
            keys = keys * _HASH_MUL + (part.astype(np.uint64) + np.uint64(1))
            ok &= part >= 0
    return keys, ok


def unique_anchors(a: np.ndarray, b: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Start positions (in a, in b) of n-grams that occur exactly once in each sequence."""
    empty = np.zeros(0, dtype=np.int64)
    if len(a) < n or len(b) < n:
        return empty, empty
    ka, oka = _ngram_keys(a, n)
    kb, okb = _ngram_keys(b, n)

    def once(keys: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
        keep = (counts == 1) & ok[first]
        return uniq[keep], first[keep]

    ua, pa = once(ka, oka)
    ub, pb = once(kb, okb)
    _, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    pa, pb = pa[ia], pb[ib]
    order = np.argsort(pa, kind="stable")
    return pa[order].astype(np.int64), pb[order].astype(np.int64)


def longest_chain(pa: np.ndarray, pb: np.ndarray) -> np.ndarray:
    """Indices of the longest subsequence of pairs increasing in both (pa is sorted).

    Patience sorting, O(k log k): a few anchors that landed in the wrong place (the same
    phrase said in a scene the script cut) cannot be part of a long chain.
    """
    from bisect import bisect_left

    tails: list[int] = []  # tails[L] = smallest pb ending a chain of length L+1
    tail_idx: list[int] = []
    back = np.full(len(pb), -1, dtype=np.int64)
    for k, y in enumerate(pb.tolist()):
        pos = bisect_left(tails, y)
        if pos == len(tails):
            tails.append(y)
            tail_idx.append(k)
        else:
            tails[pos] = y
            tail_idx[pos] = k
        back[k] = tail_idx[pos - 1] if pos else -1
    chain: list[int] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(k)
        k = int(back[k])
    return np.asarray(chain[::-1], dtype=np.int64)


def lcs_pairs(a: np.ndarray, b: np.ndarray, a0: int, b0: int,
              out_a: list[np.ndarray], out_b: list[np.ndarray]) -> None:
    """Append the matched positions of an exact LCS of a and b (offset by a0, b0)."""
    from rapidfuzz.distance import LCSseq

    if len(a) == 0 or len(b) == 0:
        return
    for op in LCSseq.opcodes(a.tolist(), b.tolist()):
        if op.tag == "equal":
            out_a.append(np.arange(a0 + op.src_start, a0 + op.src_end, dtype=np.int64))
            out_b.append(np.arange(b0 + op.dest_start, b0 + op.dest_end, dtype=np.int64))


def _match(a: np.ndarray, b: np.ndarray, a0: int, b0: int, ngram: int,
           out_a: list[np.ndarray], out_b: list[np.ndarray]) -> None:
    if len(a) == 0 or len(b) == 0:
        return
    if len(a) * len(b) <= MAX_CELLS or ngram == 0:
        if len(a) * len(b) <= 16 * MAX_CELLS:
            lcs_pairs(a, b, a0, b0, out_a, out_b)
        # else: nothing in common that is unique on both sides of a huge rectangle;
        # an exact LCS would take minutes and find only scattered common words.
        return
    pa, pb = unique_anchors(a, b, ngram)
    if len(pa) == 0:
        _match(a, b, a0, b0, ngram - 1, out_a, out_b)
        return
    chain = longest_chain(pa, pb)
    pa, pb = pa[chain], pb[chain]
    # Thin the chain: anchors a few words apart only multiply the Python-level loop.
    keep = [0]
    for k in range(1, len(pa)):
        if pa[k] - pa[keep[-1]] >= ANCHOR_SPACING and pb[k] - pb[keep[-1]] >= ANCHOR_SPACING:
            keep.append(k)
    if pa[0] == 0 and pb[0] == 0:
        keep = keep[1:]  # an anchor at the corner does not split anything
    if not keep:
        _match(a, b, a0, b0, ngram - 1, out_a, out_b)
        return
    cuts_a = [0, *pa[keep].tolist(), len(a)]
    cuts_b = [0, *pb[keep].tolist(), len(b)]
    for k in range(len(cuts_a) - 1):
        sa, ea, sb, eb = cuts_a[k], cuts_a[k + 1], cuts_b[k], cuts_b[k + 1]
        _match(a[sa:ea], b[sb:eb], a0 + sa, b0 + sb, ngram, out_a, out_b)


def match_words(a: np.ndarray, b: np.ndarray, ngram: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Monotonic word matching: positions ``ia`` in a and ``ib`` in b with a[ia] == b[ib].

    Both outputs increase strictly. Near-linear in time and memory for long inputs.
    """
    out_a: list[np.ndarray] = []
    out_b: list[np.ndarray] = []
    _match(np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64), 0, 0, ngram,
           out_a, out_b)
    if not out_a:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(out_a), np.concatenate(out_b)


def slide_matches(a: Tokens, b: Tokens, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Move matches so that runs of consecutive script words match consecutive words.

    An LCS has many optimal solutions: in "If you get this message... / You should go
    now" the script's "you should go now" may take its "you" from the first cue as well as
    from the second. Among equal choices the one next to its neighbour's match is right;
    this returns ``ib`` with such matches moved there (``ia`` and the match count stay).
    Only words of the same script unit pull each other: two speeches that follow each
    other in the script may well be far apart in the film.
    """
    jb = ib.copy()
    if len(ia) < 2:
        return jb
    taken = np.zeros(len(b.ids), dtype=bool)
    taken[jb] = True
    # together[k]: matches k and k+1 are consecutive words of one script unit.
    together = (np.diff(ia) == 1) & (a.owner[ia[1:]] == a.owner[ia[:-1]])
    want = a.ids[ia]

    def move(k: int, target: int) -> bool:
        if taken[target] or b.ids[target] != want[k]:
            return False
        taken[jb[k]] = False
        taken[target] = True
        jb[k] = target
        return True

    # Right to left: pull a match towards its successor's match (and cascade left).
    for start in np.flatnonzero(together & (np.diff(jb) > 1))[::-1].tolist():
        k = start
        while k >= 0 and together[k] and jb[k + 1] - 1 > jb[k] and move(k, jb[k + 1] - 1):
            k -= 1
    # Left to right: then towards its predecessor's match.
    for start in (np.flatnonzero(together & (np.diff(jb) > 1)) + 1).tolist():
        k = start
        while k < len(jb) and together[k - 1] and jb[k - 1] + 1 < jb[k] \
                and move(k, jb[k - 1] + 1):
            k += 1
    return jb


def main_cluster(positions: np.ndarray, gap: int, times: np.ndarray | None = None,
                 max_seconds: float = float("inf")) -> np.ndarray:
    """Mask of the biggest group of ``positions`` (sorted) with no jump larger than ``gap``,
    nor longer than ``max_seconds`` in ``times`` (the time of each position)."""
    jump = np.diff(positions) > gap
    if times is not None:
        jump |= np.diff(times) > max_seconds
    bounds = [0, *(np.flatnonzero(jump) + 1).tolist(), len(positions)]
    best = max(range(len(bounds) - 1), key=lambda k: bounds[k + 1] - bounds[k])
    mask = np.zeros(len(positions), dtype=bool)
    mask[bounds[best]:bounds[best + 1]] = True
    return mask
