"""Rewritten speeches: the short slot between two aligned neighbours where they are said.

A draft's speech said with other words (an exclamation the draft spells out phonetically
and the subtitles spell normally) matches nothing, yet when the speeches on both sides
of it are found, it is almost always said in the few subtitle lines between them that no
speech claimed. This pass
assigns such runs of speeches to those lines in order ("slotting"), by position, not
by words, and says so: the speeches get status ``slotted`` and a score of at most
``SLOT_SCORE``.

Within a gap, speeches and free lines are paired by a small monotone alignment (edit
distance style): a speech takes one to ``MAX_GROUP`` consecutive lines, or none (cut
from the film, cost ``SKIP_SPEECH``); a line may stay free (added in the film, cost
``SKIP_LINE``); a pairing costs one minus its similarity (half length ratio, half
character similarity of the normalised words), so while lines are left every speech
takes some: the slot is a placement by position, the similarity only chooses which.
A gap is slotted only when it is short (its free lines span at most ``MAX_SECONDS``)
and holds at most twice as many lines as speeches plus two: a long unclaimed stretch
is a scene the script lacks, not a rewording; and only between neighbours found with a
score of at least ``ANCHOR_MIN``: against the subtitles of another film
(``corpus/godzilla``) a few short common phrases match by chance, and slotting between
them would dress noise up as placements.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from itertools import pairwise

MAX_SECONDS = 30.0
ANCHOR_MIN = 0.5  # score both neighbours need: a weak match is no reference (wrong pairs)
MAX_GROUP = 4
SKIP_SPEECH = 1.0
SKIP_LINE = 0.5
MIN_SIMILARITY = 0.2
SLOT_SCORE = 0.5


def similarity(speech: Sequence[str], said: Sequence[str]) -> float:
    """0..1: how much a speech's words look like the words of some subtitle lines."""
    from rapidfuzz import fuzz

    if not speech or not said:
        return 0.0
    length = min(len(speech), len(said)) / max(len(speech), len(said))
    chars = fuzz.ratio(" ".join(speech), " ".join(said)) / 100.0
    return 0.5 * length + 0.5 * chars


def slot_gap(run: Sequence[int], free: Sequence[int], speech_words: Sequence[Sequence[str]],
             line_words: Sequence[Sequence[str]]) -> dict[int, tuple[float, list[int]]]:
    """Pair the speeches ``run`` with the lines ``free`` (both in order): speech ->
    (similarity, its lines), for the speeches that get lines."""
    k, m = len(run), len(free)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(k + 1)]
    back: list[list[tuple[int, int, int]]] = [[(0, 0, 0)] * (m + 1) for _ in range(k + 1)]
    cost[0][0] = 0.0
    for i in range(k + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == inf:
                continue
            if i < k and c + SKIP_SPEECH < cost[i + 1][j]:
                cost[i + 1][j], back[i + 1][j] = c + SKIP_SPEECH, (i, j, 0)
            if j < m and c + SKIP_LINE < cost[i][j + 1]:
                cost[i][j + 1], back[i][j + 1] = c + SKIP_LINE, (i, j, 0)
            if i == k:
                continue
            said: list[str] = []
            for g in range(1, min(MAX_GROUP, m - j) + 1):
                said = said + list(line_words[free[j + g - 1]])
                sim = similarity(speech_words[run[i]], said)
                if sim >= MIN_SIMILARITY and c + 1.0 - sim < cost[i + 1][j + g]:
                    cost[i + 1][j + g], back[i + 1][j + g] = c + 1.0 - sim, (i, j, g)
    out: dict[int, tuple[float, list[int]]] = {}
    i, j = k, m
    while i or j:
        pi, pj, g = back[i][j]
        if g:
            lines = list(free[pj:pj + g])
            said = [w for ln in lines for w in line_words[ln]]
            out[run[pi]] = (similarity(speech_words[run[pi]], said), lines)
        i, j = pi, pj
    return out


def find_slots(span: Mapping[int, tuple[int, int]], owner: Sequence[int],
               speech_words: Sequence[Sequence[str]], line_words: Sequence[Sequence[str]],
               line_start: Sequence[float], line_end: Sequence[float],
               exclude: Container[int] = (), weak: Container[int] = ()
               ) -> dict[int, tuple[float, list[int]]]:
    """Speech -> (score, lines) for the unplaced speeches between placed neighbours.

    ``span``: the first and last line of every speech placed in script order (speeches
    placed out of order are left out: they say nothing about their neighbours);
    ``owner``: the speech of each line (-1: free); words per speech and per line;
    ``exclude``: speeches placed otherwise (out of order), never slotted; ``weak``: placed
    speeches too poorly matched to vouch for the gaps beside them.
    """
    out: dict[int, tuple[float, list[int]]] = {}
    anchors = sorted(span)
    for p, q in pairwise(anchors):
        lo, hi = span[p][1], span[q][0]
        if q - p < 2 or hi - lo < 2 or p in weak or q in weak:
            continue
        run = [s for s in range(p + 1, q) if speech_words[s] and s not in exclude]
        free = [ln for ln in range(lo + 1, hi) if owner[ln] < 0 and line_words[ln]]
        if not run or not free or len(free) > 2 * len(run) + 2 \
                or line_end[free[-1]] - line_start[free[0]] > MAX_SECONDS:
            continue
        for s, (sim, lines) in slot_gap(run, free, speech_words, line_words).items():
            out[s] = (SLOT_SCORE * sim, lines)
    return out
