"""Moved blocks: local alignment of the speeches and lines the global matching left."""

from __future__ import annotations

import random

import numpy as np

from scriptalign.text.aligner import align
from scriptalign.text.moved import CHAIN_GAP, _chains
from scriptalign.text.screenplay import Element, Screenplay
from scriptalign.text.subtitles import Cue, SubtitleLine, Subtitles

COMMON = ("you i the to a it is what we do not know that and of in me this for my your "
          "was he she there here go get come now then so well yes no all right").split()


def test_seeds_chain_in_order_on_both_sides_and_close_together() -> None:
    # two diagonals: seeds 0-3 (script 10.., subtitles 500..), seeds 4-5 (script 60..,
    # subtitles 20..); seed 6 is in order with the first diagonal but too far from it
    si = np.array([10, 12, 15, 19, 60, 63, 400])
    sj = np.array([500, 503, 505, 511, 20, 24, 520])
    chains = _chains(si, sj, si, sj)
    assert chains == [[0, 1, 2, 3], [4, 5]]
    assert CHAIN_GAP < 400 - 19


def test_random_text_of_common_words_moves_nothing() -> None:
    """A script against the subtitles of another film (the same words, in no particular
    order) must not produce moved blocks."""
    rng = random.Random(7)

    # Names and nouns used a few times each on both sides: seeds that chain by chance.
    rare = [f"thing{k}" for k in range(300)]

    def sentence() -> str:
        words = [rng.choice(rare) if rng.random() < 0.25 else rng.choice(COMMON)
                 for _ in range(rng.randint(4, 10))]
        return " ".join(words).capitalize() + "."

    speeches = [Element("dialogue", sentence(), (k + 1, k + 1), rng.choice("AB"))
                for k in range(150)]
    cues = [Cue(k + 1, 3.0 * k, 3.0 * k + 2.0, [SubtitleLine(sentence(), 0)])
            for k in range(400)]
    a = align(Screenplay(speeches, "other.txt"), Subtitles(cues, "film.srt"))
    assert a.stats["moved"] == 0
    assert sum(e.status == "moved" for e in a.elements) == 0
