"""Screenplay <-> subtitles alignment: when is each script element said, who says each line.

Method (chosen on the benchmarks in ``bench/bench_align.py``):

1. Words. Every speech (dialogue element) and every subtitle line becomes a run of word
   ids (``scriptalign.text.matching``: case, punctuation, contractions, numbers, compounds and
   spelling variants normalised).
2. Matching. One global, monotonic word matching of the whole script against the whole
   subtitle file: a longest common subsequence, cut into small pieces by rare-word
   anchors so that it stays near-linear (``textmatch.match_words``). Word level copes
   with merged, split and paraphrased speeches, with a cue that ends one speech and begins
   the next, and with a speech spread over many cues.
3. Cleaning. A speech's matches must lie together in the subtitles; stray matches of
   common words ("you", "the") far from the speech's main cluster are dropped, so a speech
   cut from the film scores low instead of borrowing a confident wrong time. A speech's
   score is matched words / words (Laptev et al. 2008); from ``ALIGNED_MIN`` on it counts
   as found in the film.
4. Lines. Each subtitle line goes to the found speech that matched most of its words; a
   line with no match between two lines of the same speech joins it (paraphrase), unless
   it opens with a dash: that is somebody's interjection.
   Speeches the edit moved out of script order are then looked for near their place
   (``_find_moved``), on strong evidence only; after the slots, a speech still not
   placed may take a free line right beside a found neighbour that says its rare word
   (``_beside``: two lines the edit swapped).
5. Speakers. A line's speaker is its speech's speaker ("who speaks when"); unattributed
   transcript turns and short unmatched replies get one from the subtitle layout and
   turn-taking (``_label_lines``).
6. Times. A found speech is ``aligned`` and spans its cues, less the lines at its ends
   that share only a few common words with it (``_common_edges``: a partial draft speech
   borrows them from the next or the previous speaker). Everything else (scene
   headings, descriptions, cut speeches) is ``interpolated``: it gets the gap between its
   aligned neighbours (Laptev et al.), from the film's start / to the last cue at the ends;
   a parenthetical gets the time of its speech. The bags (``scriptalign.text.bags``) are built
   from these times.
"""

from __future__ import annotations

import bisect
import gc
import math
import re
import statistics
import time
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from scriptalign.core.errors import InputError
from scriptalign.core.progress import Progress, report
from scriptalign.text.alignment import STATUSES, Alignment
from scriptalign.text.bags import extract_bags
from scriptalign.text.cast import group_bags, load_aliases
from scriptalign.text.checks import attach_checks, enforce_pair, run_share, withhold_bags
from scriptalign.text.lexicon import Lexicon, default_lexicon, load_lexicon
from scriptalign.text.matching import (
    Tokens,
    lcs_pairs,
    main_cluster,
    match_words,
    slide_matches,
    tokenize_pair,
)
from scriptalign.text.moved import find_moved_blocks
from scriptalign.text.options import AlignOptions
from scriptalign.text.screenplay import Element, Screenplay
from scriptalign.text.slots import ANCHOR_MIN as SLOT_ANCHOR_MIN
from scriptalign.text.slots import find_slots
from scriptalign.text.subtitles import Cue, SubtitleLine, Subtitles
from scriptalign.text.table import format_csv

__all__ = ["ALIGNED_MIN", "align", "align_files", "format_csv"]

ALIGNED_MIN = 0.3  # matched words / words from which a speech counts as found in the film
# Matches of one speech further apart than this many subtitle words (or the speech's own
# length, if longer), or than this many seconds, are separate clusters; only the biggest
# cluster is kept.
CLUSTER_GAP = 12
CLUSTER_SECONDS = 15.0
# A word used more often than this in the subtitles, matched alone at the end of a speech
# in a line of its own, gives the speech no time (see _edge_strays).
STRAY_COMMON = 20
# Common words that a speech's last / first line may share with it and still give it
# no time (see _common_edges).
TAIL_WORDS = 3
HEAD_WORDS = 1
# A speech found after the global pass is "moved" when it lies further than this outside
# the gap between its neighbours in script order (seconds).
ORDER_TOLERANCE = 5.0
# Fast speech: a gap shorter than its waiting speeches' words at this rate holds none.
SPEECH_RATE = 5.0

# A speech said out of script order (see _find_moved).
MOVED_MIN = 0.6
MOVED_MIN_WORDS = 4
MOVED_RARE = 3
MOVED_WINDOW = 300.0
MOVED_FAR_MIN = 0.8
MOVED_FAR_WORDS = 6
# A speech said on a line beside a found neighbour's, out of script order (see _beside).
BESIDE_SPEECHES = 2
BESIDE_LINES = 2
BESIDE_LEN = 4
BESIDE_SAID = 0.5
BESIDE_SCORE = 0.25

# Unmatched subtitle lines get a speaker from turn-taking only in runs up to this long.
GUESS_GAP = 3
# A line can go on with the sentence of a line in the cue before if this close (seconds).
CONTINUE_SECONDS = 2.0

_STEPS = 4


def _spoken(screenplay: Screenplay) -> list[int]:
    """Indices of the elements whose text may be heard in the film: the dialogue.

    Unattributed transcript turns ("agreed" in ``bbt_s01e01/transcript.txt``) are dialogue
    with no speaker; they are matched too, their words place their neighbours in time.
    """
    return [k for k, el in enumerate(screenplay.elements) if el.kind == "dialogue"]


_T = TypeVar("_T")


def _shallow(obj: _T) -> _T:
    """A shallow copy of a plain dataclass instance (4x faster than dataclasses.replace,
    which counts at 100,000 cues)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _copy_cues(cues: list[Cue]) -> list[Cue]:
    out = []
    for c in cues:
        copy = _shallow(c)
        copy.lines = [_shallow(ln) for ln in c.lines]
        out.append(copy)
    return out


def _clean(el_of: np.ndarray, ib: np.ndarray, n_words: np.ndarray,
           times: np.ndarray) -> np.ndarray:
    """Mask of the matches to keep: for each speech, its main cluster of matches
    (``times``: the start of each match's subtitle line)."""
    keep = np.ones(len(ib), dtype=bool)
    if len(ib) == 0:
        return keep
    starts = np.flatnonzero(np.r_[True, el_of[1:] != el_of[:-1]])
    ends = np.r_[starts[1:], len(ib)]
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if e - s > 1:
            gap = max(CLUSTER_GAP, int(n_words[el_of[s]]))
            keep[s:e] = main_cluster(ib[s:e], gap, times[s:e], CLUSTER_SECONDS)
    return keep


def _edge_strays(el_of: np.ndarray, ia: np.ndarray, ib: np.ndarray,
                 u_tok: Tokens) -> np.ndarray:
    """Mask of the matches at either end of a speech that only reach a common word
    (used over ``STRAY_COMMON`` times in the subtitles) alone in another line: they count
    in the speech's score but give it no time."""
    n = len(ib)
    stray = np.zeros(n, dtype=bool)
    if n < 2:
        return stray
    used = np.bincount(u_tok.ids[u_tok.ids >= 0])
    common = used[np.maximum(u_tok.ids[ib], 0)] > STRAY_COMMON
    line = u_tok.owner[ib]
    same = el_of[1:] == el_of[:-1]
    # A match is lone towards its neighbour when the two are not consecutive words on both
    # sides and lie in different lines.
    apart = same & ((np.diff(ia) != 1) | (np.diff(ib) != 1)) & (line[1:] != line[:-1])
    starts = np.flatnonzero(np.r_[True, ~same])
    ends = np.r_[starts[1:], n]
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        k = b - 1
        while k > a and common[k] and apart[k - 1]:
            stray[k] = True
            k -= 1
        k = a
        while k < b - 1 and not stray[k + 1] and common[k] and apart[k]:
            stray[k] = True
            k += 1
    return stray


def _common_edges(mine: np.ndarray, speech: set[int], ids: np.ndarray,
                  word_start: np.ndarray, common: np.ndarray) -> np.ndarray:
    """The lines ``mine`` (sorted) of a speech without the lines at its ends that share
    only common words with it (used over ``STRAY_COMMON`` times in the subtitles): at most
    ``TAIL_WORDS`` of them in a last line, one in a first line. One line always stays.

    A draft's speech the film cut short still finds its later "I know you're" or a name
    in the next lines, said by somebody else or in the rewritten rest of the scene; a
    speech the film rewrote takes the "think" of the question just before its answer.
    Its interval should cover the lines it is really said in. A first line is trimmed
    on one word only: the short "Yes." or "Well," that opens a speech is usually its own.
    """
    end = len(mine)
    while end > 1:
        ln = int(mine[end - 1])
        shared = [w for w in ids[word_start[ln]:word_start[ln + 1]].tolist() if w in speech]
        if len(shared) > TAIL_WORDS or not common[shared].all():
            break
        end -= 1
    start = 0
    while end - start > 1:
        ln = int(mine[start])
        shared = [w for w in ids[word_start[ln]:word_start[ln + 1]].tolist() if w in speech]
        if len(shared) > HEAD_WORDS or not common[shared].all():
            break
        start += 1
    return mine[start:end]


def _assign_lines(el_of: np.ndarray, line_of: np.ndarray, n_lines: int,
                  turns: np.ndarray | None = None) -> np.ndarray:
    """For each subtitle line, the speech (index into the spoken list) it belongs to, or -1.

    ``turns`` marks lines that open a new turn (a leading dash): an unmatched one inside a
    speech is somebody else's interjection, not part of the speech."""
    owner = np.full(n_lines, -1, dtype=np.int64)
    if len(line_of):
        # Matches are sorted by script position, so per line the speeches are contiguous;
        # count (line, speech) pairs and keep the most frequent speech per line.
        pairs = np.stack([line_of, el_of], axis=1)
        uniq, counts = np.unique(pairs, axis=0, return_counts=True)
        order = np.lexsort((-counts, uniq[:, 0]))
        uniq = uniq[order]
        first = np.r_[True, uniq[1:, 0] != uniq[:-1, 0]]
        owner[uniq[first, 0]] = uniq[first, 1]
    # A line with no matched word between two lines of the same speech is part of it.
    known = np.flatnonzero(owner >= 0)
    for a, b in zip(known[:-1].tolist(), known[1:].tolist(), strict=True):
        if b - a > 1 and owner[a] == owner[b]:
            gap = np.arange(a + 1, b)
            if turns is not None:
                gap = gap[~turns[gap]]
            owner[gap] = owner[a]
    return owner


_DASH = re.compile(r"^\s*(?:<[^>]*>|\{[^}]*\}|\s)*[-–—]")


def _label_lines(lines: list[SubtitleLine], line_cue: list[int], owner: np.ndarray,
                 speakers: list[str | None], line_start: np.ndarray,
                 line_end: np.ndarray) -> None:
    """Set each subtitle line's speaker from the speech it belongs to.

    A speaker label written in the subtitles ("JOHN: Hi.") wins, spelled as the script
    spells that name ("John"). Lines of an unattributed transcript turn, and short runs of
    lines that matched nothing, get a speaker from the subtitle layout and turn-taking, in
    this order: a line that continues the sentence of the line before it (see
    ``_continues``) has its speaker, a line whose sentence the next line continues has
    the next line's; a line that continues the line above it in the same cue (no leading
    dash) has the same speaker; a line that opens with a dash changes speaker; a turn
    with no name between two named ones is the other party of the conversation (the next
    named speaker if different from the last one, else the last different one). ``bbt_s01e01``'s
    transcript leaves "agreed", "okay", "hi" and word fragments like "approximation"
    unattributed; they are 10% of its subtitle lines.
    """
    n = len(lines)
    own = [speakers[s] if s >= 0 else None for s in owner.tolist()]
    spelling = {name.lower(): name for name in speakers if name}
    for k, line in enumerate(lines):
        if line.label:
            own[k] = spelling.get(line.label.lower(), line.label)
    # Next named speaker after each line (from the alignment alone).
    nxt: list[str | None] = [None] * n
    following: str | None = None
    for k in range(n - 1, -1, -1):
        nxt[k] = following
        if own[k] is not None:
            following = own[k]
    guessable = _short_gaps(owner, GUESS_GAP)
    recent: list[str] = []  # speakers so far, most recent last, no repeats in a row
    for k, line in enumerate(lines):
        speaker = own[k]
        if speaker is None and (owner[k] >= 0 or guessable[k]):
            same_cue = k > 0 and line_cue[k - 1] == line_cue[k]
            above = lines[k - 1].speaker if same_cue else None
            dash = bool(_DASH.match(line.raw or ""))
            if k > 0 and lines[k - 1].speaker is not None \
                    and _continues(lines, line_cue, line_start, line_end, k):
                speaker = lines[k - 1].speaker
            elif k + 1 < n and own[k + 1] is not None \
                    and _continues(lines, line_cue, line_start, line_end, k + 1):
                speaker = own[k + 1]
            elif above is not None and not dash:
                speaker = above
            else:
                last = above if above is not None else (recent[-1] if recent else None)
                if nxt[k] is not None and nxt[k] != last:
                    speaker = nxt[k]
                else:
                    speaker = next((s for s in reversed(recent) if s != last), None)
        line.speaker = speaker
        if speaker is not None and (not recent or recent[-1] != speaker):
            recent.append(speaker)


def _continues(lines: list[SubtitleLine], line_cue: list[int], line_start: np.ndarray,
               line_end: np.ndarray, k: int) -> bool:
    """Does line ``k`` go on with the sentence of line ``k - 1``?

    Yes when it opens with no dash, follows within ``CONTINUE_SECONDS`` (or in the same
    cue), and the sentence is visibly open: the line before ends without a full stop
    ("Strictly speaking," / "the match starts at noon."), or this one starts
    with an ellipsis or a lower-case letter.
    """
    if _DASH.match(lines[k].raw or ""):
        return False
    if line_cue[k - 1] != line_cue[k] and line_start[k] - line_end[k - 1] > CONTINUE_SECONDS:
        return False
    before, text = lines[k - 1].text.rstrip(), lines[k].text.lstrip()
    if not before or not text:
        return False
    return (before.endswith(("...", "\u2026", ",", "-")) or before[-1].isalnum()
            or text.startswith(("...", "\u2026")) or text[0].islower())


def _short_gaps(owner: np.ndarray, longest: int) -> np.ndarray:
    """Mask of unmatched lines in runs of at most ``longest`` between matched lines.

    Such a line is almost always a short reply ("Yes.", "Okay.") that the script wrote
    differently; a longer unmatched stretch (a song, a scene the script lacks) is left
    without a speaker.
    """
    mask = np.zeros(len(owner), dtype=bool)
    known = np.flatnonzero(owner >= 0)
    for a, b in zip(known[:-1].tolist(), known[1:].tolist(), strict=True):
        if 1 < b - a <= longest + 1:
            mask[a + 1:b] = True
    return mask


def align(screenplay: Screenplay, subtitles: Subtitles, *, lexicon: Lexicon | None = None,
          progress: Progress | None = None, options: AlignOptions | None = None) -> Alignment:
    """Align a screenplay (or transcript) to subtitles; inputs are not modified.

    ``lexicon`` gives the actions of the bags (default: the lexicon shipped with
    scriptalign, ``scriptalign/data/lexicon.json``); ``options`` the interpolation bound
    and which elements give bags (``AlignOptions``; its file settings are not used here).
    """
    opts = options or AlignOptions()
    opts.check()
    # The alignment allocates millions of small objects and frees none until it returns:
    # the cyclic garbage collector would only rescan them (a quarter of the time at
    # 100,000 cues).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _align(screenplay, subtitles, lexicon, progress, opts)
    finally:
        if collecting:
            gc.enable()


def _align(screenplay: Screenplay, subtitles: Subtitles, lexicon: Lexicon | None,
           progress: Progress | None, opts: AlignOptions) -> Alignment:
    t0 = time.perf_counter()
    spoken = _spoken(screenplay)
    if not any(screenplay.elements[k].kind == "dialogue" for k in spoken):
        raise InputError("has no dialogue to align (is it a screenplay or transcript?)",
                         screenplay.path)
    if not subtitles.cues:
        raise InputError("has no subtitle cues", subtitles.path)
    elements = [_shallow(el) for el in screenplay.elements]
    for el in elements:
        el.start = el.end = None
        el.score, el.status, el.cues = 0.0, "unaligned", ()
    cues = _copy_cues(subtitles.cues)
    line_cue: list[int] = []
    lines: list[SubtitleLine] = []
    for c, cue in enumerate(cues):
        for ln in cue.lines:
            line_cue.append(c)
            lines.append(ln)
    line_start = np.array([cues[c].start for c in line_cue], dtype=np.float64)
    line_end = np.array([cues[c].end for c in line_cue], dtype=np.float64)
    report(progress, 0, _STEPS)

    s_tok, u_tok = tokenize_pair([elements[k].text for k in spoken], [ln.text for ln in lines])
    report(progress, 1, _STEPS)
    ia, ib = match_words(s_tok.ids, u_tok.ids)
    ib = slide_matches(s_tok, u_tok, ia, ib)
    runs = run_share(ia.tolist(), ib.tolist())
    report(progress, 2, _STEPS)

    n_words = np.bincount(s_tok.owner, minlength=len(spoken))
    el_of = s_tok.owner[ia]
    keep = _clean(el_of, ib, n_words, line_start[u_tok.owner[ib]])
    el_of, ia, ib = el_of[keep], ia[keep], ib[keep]
    matched = np.bincount(el_of, minlength=len(spoken))
    scores = np.divide(matched, n_words, out=np.zeros(len(spoken)), where=n_words > 0)
    # Only speeches found in the film own lines: a cut speech's few stray matches do not.
    found = (scores[el_of] >= ALIGNED_MIN) & ~_edge_strays(el_of, ia, ib, u_tok)
    turns = np.array([bool(_DASH.match(ln.raw or "")) for ln in lines], dtype=bool)
    owner = _assign_lines(el_of[found], u_tok.owner[ib[found]], len(lines), turns)

    # What the monotonic pass left: blocks the edit moved, then single speeches.
    relocated = find_moved_blocks(s_tok, u_tok, scores, owner, ALIGNED_MIN, CLUSTER_GAP)
    _claim(relocated, scores, owner)
    singles = _find_moved(s_tok, u_tok, scores, owner, line_cue, cues)
    _claim(singles, scores, owner)
    relocated.update(singles)
    for s, k in enumerate(spoken):
        elements[k].score = float(min(1.0, scores[s]))
    line_of = u_tok.owner[ib[found]]
    own_lines = _lines_by_owner(owner)
    # A speech's end lines that share only a few common words with it keep its speaker
    # but give it no time (_common_edges).
    word_start = np.searchsorted(u_tok.owner, np.arange(len(lines) + 1))
    s_start = np.searchsorted(s_tok.owner, np.arange(len(spoken) + 1)).tolist()
    common = np.bincount(u_tok.ids[u_tok.ids >= 0],
                         minlength=int(s_tok.ids.max(initial=0)) + 1) > STRAY_COMMON
    for s, mine in own_lines.items():
        if len(mine) > 1:
            speech = set(s_tok.ids[s_start[s]:s_start[s + 1]].tolist())
            mine = own_lines[s] = _common_edges(mine, speech, u_tok.ids, word_start, common)
        _place(elements[spoken[s]], sorted({line_cue[i] for i in mine.tolist()}), cues)
    # A speech found in the film whose few words sit in lines that other speeches own
    # ("Yes." in "- Yes. I'll go.") spans those lines' cues without owning them.
    for s in np.unique(el_of[found]).tolist():
        if elements[spoken[s]].status != "aligned":
            mine = line_of[el_of[found] == s]
            own_lines[s] = mine
            _place(elements[spoken[s]], sorted({line_cue[i] for i in mine.tolist()}), cues)
    moved = _out_of_order(elements, spoken, relocated)
    for s in moved:
        elements[spoken[s]].status = "moved"
    _slot(elements, spoken, s_tok, u_tok, owner, own_lines, moved, relocated, line_cue,
          line_start, line_end, cues)
    _beside(elements, spoken, s_tok, u_tok, owner, line_cue, cues)
    _label_lines(lines, line_cue, owner, [elements[k].speaker for k in spoken],
                 line_start, line_end)
    _interpolate(elements, max(c.end for c in cues), {spoken[s] for s in moved},
                 opts.interpolate_max)
    report(progress, 3, _STEPS)

    cast = screenplay.cast
    bags = group_bags(extract_bags(elements, cast, lexicon or default_lexicon(),
                                   statuses=opts.bag_statuses, min_score=opts.bag_min_score,
                                   max_seconds=opts.bag_max_seconds),
                      elements, screenplay.groups)
    dialogue = [el for el in elements if el.kind == "dialogue"]
    by_status: dict[str, int] = {status: sum(el.status == status for el in dialogue)
                                 for status in STATUSES}
    n_found = by_status["aligned"] + by_status["moved"]
    stats: dict[str, Any] = {
        "dialogue": len(dialogue),
        **by_status,
        # found by their words: in script order or moved
        "share_aligned": round(n_found / len(dialogue), 4) if dialogue else 0.0,
        "median_score": round(statistics.median(el.score for el in dialogue), 4)
        if dialogue else 0.0,
        "lines": len(lines),
        "lines_with_speaker": sum(ln.speaker is not None for ln in lines),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    report(progress, _STEPS, _STEPS)
    alignment = Alignment(elements, cues, bags, screenplay.path, subtitles.path, cast, stats)
    attach_checks(alignment, screenplay, subtitles, runs)
    withhold_bags(alignment, opts.min_aligned)
    return alignment


def _claim(found: dict[int, tuple[float, np.ndarray]], scores: np.ndarray,
           owner: np.ndarray) -> None:
    """Record speeches placed after the global pass: their scores and lines."""
    for s, (score, mine) in found.items():
        scores[s] = score
        owner[mine] = s


def _out_of_order(elements: list[Element], spoken: list[int], relocated: Iterable[int]
                  ) -> set[int]:
    """The relocated speeches said outside the gap between their neighbours in script order
    (the speeches the global pass placed), give or take ``ORDER_TOLERANCE`` seconds."""
    found = set(relocated)
    anchors = [s for s, k in enumerate(spoken)
               if s not in found and elements[k].status == "aligned"]
    out: set[int] = set()
    for s in found:
        el = elements[spoken[s]]
        if el.start is None or el.end is None:
            continue
        i = bisect.bisect_left(anchors, s)
        lo = elements[spoken[anchors[i - 1]]].end if i > 0 else 0.0
        hi = elements[spoken[anchors[i]]].start if i < len(anchors) else math.inf
        if lo is None or hi is None or el.start < lo - ORDER_TOLERANCE \
                or el.end > hi + ORDER_TOLERANCE:
            out.add(s)
    return out


def _slot(elements: list[Element], spoken: list[int], s_tok: Tokens, u_tok: Tokens,
          owner: np.ndarray, own_lines: dict[int, np.ndarray], moved: set[int],
          relocated: Iterable[int], line_cue: list[int], line_start: np.ndarray,
          line_end: np.ndarray, cues: list[Cue]) -> None:
    """Place the speeches not found between found neighbours in the free lines between
    them (``scriptalign.text.slots``): status ``slotted``."""
    span = {s: (int(mine.min()), int(mine.max())) for s, mine in own_lines.items()
            if s not in moved and len(mine)}
    speech_words: list[list[str]] = [[] for _ in spoken]
    for word, s in zip(s_tok.words, s_tok.owner.tolist(), strict=True):
        speech_words[s].append(word)
    line_words: list[list[str]] = [[] for _ in line_cue]
    for word, ln in zip(u_tok.words, u_tok.owner.tolist(), strict=True):
        line_words[ln].append(word)
    placed = set(relocated) | set(span)
    weak = {s for s in span if elements[spoken[s]].score < SLOT_ANCHOR_MIN}
    for s, (score, mine) in find_slots(span, owner.tolist(), speech_words, line_words,
                                       line_start.tolist(), line_end.tolist(),
                                       exclude=placed, weak=weak).items():
        owner[mine] = s
        el = elements[spoken[s]]
        _place(el, sorted({line_cue[i] for i in mine}), cues)
        el.status, el.score = "slotted", score


def _beside(elements: list[Element], spoken: list[int], s_tok: Tokens, u_tok: Tokens,
            owner: np.ndarray, line_cue: list[int], cues: list[Cue]) -> None:
    """Place a speech not found on a free line right beside a found neighbour's lines
    when that line says one of its rare words: status ``slotted``, score ``BESIDE_SCORE``.

    Edits swap lines within a scene: the draft's "Incoming! Incoming -- son of a bitch."
    comes after the line the film says just after a bare "Incoming!", and the monotonic
    pass cannot take a cue that lies on the wrong side of a found neighbour. Only
    neighbours up to ``BESIDE_SPEECHES`` speeches away in the script, lines up to
    ``BESIDE_LINES`` away from theirs, and words of ``BESIDE_LEN`` letters or more used
    at most ``MOVED_RARE`` times in the subtitles: "you" or "no" beside every speech
    would place anything anywhere; and at least ``BESIDE_SAID`` of the line's words are
    the speech's (one rare word in a line of unscripted chatter is no evidence).
    """
    n_lines = len(owner)
    if n_lines == 0 or len(s_tok.ids) == 0:
        return
    used = np.bincount(u_tok.ids[u_tok.ids >= 0], minlength=int(s_tok.ids.max()) + 1)
    rare_ids = (used > 0) & (used <= MOVED_RARE)
    speech_rare: dict[int, set[int]] = {}
    for k in np.flatnonzero(rare_ids[np.maximum(s_tok.ids, 0)] & (s_tok.ids >= 0)).tolist():
        if len(s_tok.words[k]) >= BESIDE_LEN:
            speech_rare.setdefault(int(s_tok.owner[k]), set()).add(int(s_tok.ids[k]))
    wanted = [s for s in sorted(speech_rare)
              if elements[spoken[s]].status not in ("aligned", "moved", "slotted")]
    if not wanted:
        return
    word_start = np.searchsorted(u_tok.owner, np.arange(n_lines + 1))
    s_start = np.searchsorted(s_tok.owner, np.arange(len(spoken) + 1))
    span = {s: (int(mine.min()), int(mine.max())) for s, mine in _lines_by_owner(owner).items()}
    for s in wanted:
        speech = set(s_tok.ids[s_start[s]:s_start[s + 1]].tolist())
        best: tuple[int, int, int] | None = None  # (rare words shared, -distance, line)
        for n in range(max(0, s - BESIDE_SPEECHES), min(len(spoken), s + BESIDE_SPEECHES + 1)):
            if n == s or n not in span or elements[spoken[n]].status != "aligned":
                continue
            for d in range(1, BESIDE_LINES + 1):
                for ln in (span[n][0] - d, span[n][1] + d):
                    if not 0 <= ln < n_lines or owner[ln] >= 0:
                        continue
                    said = u_tok.ids[word_start[ln]:word_start[ln + 1]].tolist()
                    shared = len(speech_rare[s].intersection(said))
                    if shared and (best is None or (shared, -d) > best[:2]) \
                            and _said_share(speech, said) >= BESIDE_SAID:
                        best = (shared, -d, ln)
        if best is not None:
            ln = best[2]
            owner[ln] = s
            span[s] = (ln, ln)
            el = elements[spoken[s]]
            _place(el, [line_cue[ln]], cues)
            el.status, el.score = "slotted", BESIDE_SCORE


def _said_share(speech: set[int], line: list[int]) -> float:
    """Share of a line's words that a speech has."""
    return sum(w in speech for w in line) / len(line) if line else 0.0


def _lines_by_owner(owner: np.ndarray) -> dict[int, np.ndarray]:
    """Speech -> the indices of its lines, for every speech that owns some."""
    order = np.argsort(owner, kind="stable")
    sorted_owner = owner[order]
    first = int(np.searchsorted(sorted_owner, 0))
    bounds = np.flatnonzero(np.diff(sorted_owner[first:])) + 1
    return {int(owner[g[0]]): g for g in np.split(order[first:], bounds) if len(g)}


def _place(el: Element, cue_ids: list[int], cues: list[Cue]) -> None:
    """Mark ``el`` aligned to the cues at positions ``cue_ids``."""
    el.start = min(cues[c].start for c in cue_ids)
    el.end = max(cues[c].end for c in cue_ids)
    el.cues = tuple(cues[c].index for c in cue_ids)
    el.status = "aligned"


def _find_moved(s_tok: Tokens, u_tok: Tokens, scores: np.ndarray, owner: np.ndarray,
                line_cue: list[int], cues: list[Cue]) -> dict[int, tuple[float, np.ndarray]]:
    """Speeches the film moved: not found in script order, but said elsewhere.

    Edits move lines and scenes (``mission_impossible_1996``: a one-line order comes 30 s
    before the speech the script puts first, a whole scene 2.5 minutes early;
    ``chinatown_1974``: a phone call comes 13 minutes late), which a monotonic alignment
    cannot follow. A speech not found in order is
    looked for in the runs of subtitle lines that no speech claimed and that hold one of
    its rare words (used at most ``MOVED_RARE`` times in the subtitles). It is placed on
    strong evidence only, its matches in a tight cluster: within ``MOVED_WINDOW`` seconds
    of where the script order puts it, ``MOVED_MIN_WORDS`` words and ``MOVED_MIN`` of its
    words with a rare one; further away, ``MOVED_FAR_WORDS``, ``MOVED_FAR_MIN`` and two
    rare words. Returns speech -> (score, its lines).
    """
    from rapidfuzz.distance import LCSseq

    n_lines = len(owner)
    if n_lines == 0 or len(s_tok.ids) == 0 or len(u_tok.ids) == 0:
        return {}
    line_start = np.array([cues[line_cue[i]].start for i in range(n_lines)])
    # Unclaimed runs of lines: [a, b) with owner -1.
    free = np.r_[False, owner < 0, False]
    edges = np.flatnonzero(np.diff(free.astype(np.int8)))
    runs = list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    if not runs:
        return {}
    word_start = np.searchsorted(u_tok.owner, np.arange(n_lines + 1))
    counts = np.bincount(u_tok.ids[u_tok.ids >= 0], minlength=int(s_tok.ids.max()) + 1)
    rare = (counts > 0) & (counts <= MOVED_RARE)
    # rare word id -> the runs that hold it
    holders: dict[int, list[int]] = {}
    for r, (ra, rb) in enumerate(runs):
        ids = u_tok.ids[word_start[ra]:word_start[rb]]
        for word in np.unique(ids[ids >= 0][rare[ids[ids >= 0]]]).tolist():
            holders.setdefault(word, []).append(r)
    s_start = np.searchsorted(s_tok.owner, np.arange(len(scores) + 1))
    # Where the script order puts each speech: between its found neighbours' lines.
    placed = np.full(len(scores), -1.0)
    for s, mine in _lines_by_owner(owner).items():
        placed[s] = line_start[mine[0]]
    before = np.maximum.accumulate(np.where(placed >= 0, placed, -np.inf))
    after = np.minimum.accumulate(np.where(placed >= 0, placed, np.inf)[::-1])[::-1]

    found: list[tuple[float, int, np.ndarray]] = []
    wanted = (scores < ALIGNED_MIN) & (np.diff(s_start) >= MOVED_MIN_WORDS)
    for s in np.flatnonzero(wanted).tolist():
        a = s_tok.ids[s_start[s]:s_start[s + 1]]
        candidates = sorted({r for word in np.unique(a[rare[a]]).tolist()
                             for r in holders.get(word, ())})
        lo = before[s] if np.isfinite(before[s]) else line_start[0]
        hi = after[s] if np.isfinite(after[s]) else line_start[-1]
        best: tuple[float, np.ndarray] | None = None
        for r in candidates:
            ra, rb = runs[r]
            near = lo - MOVED_WINDOW <= line_start[ra] <= hi + MOVED_WINDOW
            least, need_words, need_rare = ((MOVED_MIN, MOVED_MIN_WORDS, 1) if near else
                                            (MOVED_FAR_MIN, MOVED_FAR_WORDS, 2))
            b = u_tok.ids[word_start[ra]:word_start[rb]]
            if LCSseq.similarity(a.tolist(), b.tolist()) < least * len(a):
                continue
            pairs_a: list[np.ndarray] = []
            pairs_b: list[np.ndarray] = []
            lcs_pairs(a, b, 0, 0, pairs_a, pairs_b)
            pos = np.concatenate(pairs_b)
            pos = pos[main_cluster(pos, max(CLUSTER_GAP, len(a)))]
            score = len(pos) / len(a)
            if score < least or len(pos) < need_words or rare[b[pos]].sum() < need_rare:
                continue
            if best is None or score > best[0]:
                best = (score, u_tok.owner[word_start[ra] + pos])
        if best is not None:
            found.append((best[0], s, best[1]))
    # Strongest first; a line goes to one speech only.
    taken = owner >= 0
    out: dict[int, tuple[float, np.ndarray]] = {}
    for score, s, line_ids in sorted(found, key=lambda f: -f[0]):
        mine = np.arange(line_ids.min(), line_ids.max() + 1)
        if not taken[mine].any():
            taken[mine] = True
            out[s] = (score, mine)
    return out


def _interpolate(elements: list[Element], film_end: float, moved: set[int],
                 max_gap: float) -> None:
    """Give every element without its own time the gap between its timed neighbours.

    Before the first timed speech the gap starts at 0 (the film's start); after the last
    one it ends with the last subtitle cue (``film_end``). With no timed speech at all,
    or no subtitles after the last one, the element stays ``unaligned`` without a time.
    A speech (or parenthetical) whose gap is longer than ``max_gap`` seconds, or too short
    to say the speeches waiting in it at ``SPEECH_RATE`` words a second (the "three
    speeches at one instant" of a gap between adjacent cues), stays ``unaligned`` too:
    it was most likely cut, and a wide or empty guess would mislead whoever reads it.
    """
    timed = ("aligned", "moved", "slotted")
    # Speeches placed out of script order are no reference for their neighbours.
    anchor = [el.status in timed and k not in moved for k, el in enumerate(elements)]
    prev_end: list[float | None] = []
    last: float | None = 0.0 if any(anchor) else None
    for k, el in enumerate(elements):
        prev_end.append(last)
        if anchor[k]:
            last = el.end
    end: float | None = film_end if last is not None and film_end > last else None
    next_start: list[float | None] = [None] * len(elements)
    waiting: dict[tuple[float | None, float | None], int] = {}  # words said in each gap
    nxt = end
    for k in range(len(elements) - 1, -1, -1):
        el = elements[k]
        next_start[k] = nxt
        if anchor[k]:
            nxt = el.start
        elif el.status not in timed and el.kind == "dialogue":
            key = (prev_end[k], nxt)
            waiting[key] = waiting.get(key, 0) + len(el.text.split())
    for k, el in enumerate(elements):
        if el.status in timed:
            continue
        before, after = prev_end[k], next_start[k]
        if before is None or after is None:
            el.status, el.start, el.end = "unaligned", None, None
            continue
        lo, hi = min(before, after), max(before, after)
        if el.kind in ("dialogue", "parenthetical") and (
                hi - lo > max_gap or hi - lo < waiting.get((before, after), 0) / SPEECH_RATE
                or hi <= lo):
            el.status, el.start, el.end = "unaligned", None, None
            continue
        el.start, el.end, el.status = lo, hi, "interpolated"
    # A parenthetical is acted while its speech is said: "(sitting down)" gets the time of
    # the speech it belongs to (the next element, or the previous one when it ends a speech).
    for k, el in enumerate(elements):
        if el.kind != "parenthetical" or el.status in timed:
            continue
        for j in (k + 1, k - 1):
            if 0 <= j < len(elements) and elements[j].kind == "dialogue" \
                    and elements[j].speaker == el.speaker and elements[j].status in timed:
                el.start, el.end = elements[j].start, elements[j].end
                el.status = "interpolated"
                break


def align_files(script_path: str | PathLike[str], subtitles_path: str | PathLike[str],
                options: AlignOptions | None = None, *,
                progress: Progress | None = None) -> Alignment:
    """Read a screenplay/transcript and a subtitle file, then ``align`` them."""
    from scriptalign.text.formats import load_script, load_subtitles

    opts = options or AlignOptions()
    opts.check()
    lexicon = load_lexicon(Path(opts.lexicon_path)) if opts.lexicon_path is not None else None
    aliases = load_aliases(opts.alias_path) if opts.alias_path is not None else None
    screenplay = load_script(Path(script_path), encoding=opts.encoding, aliases=aliases)
    subtitles = load_subtitles(Path(subtitles_path), encoding=opts.encoding, fps=opts.fps)
    alignment = align(screenplay, subtitles, lexicon=lexicon, progress=progress, options=opts)
    enforce_pair(alignment, opts.min_aligned)
    return alignment
