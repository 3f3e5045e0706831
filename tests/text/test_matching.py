"""Word normalisation and the monotonic word matcher."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptalign.text import matching as textmatch
from scriptalign.text.matching import (
    Tokens,
    join_contractions,
    longest_chain,
    main_cluster,
    match_words,
    raw_words,
    slide_matches,
    spell_number,
    tokenize_pair,
    unique_anchors,
)


def test_raw_words_drop_case_punctuation_and_apostrophes() -> None:
    assert raw_words("What's your POINT?!") == ["whats", "your", "point"]
    assert raw_words("Café -- olé") == ["cafe", "ole"]


def test_numbers_are_spelled_like_a_transcript() -> None:
    assert spell_number(14) == "fourteen"
    assert spell_number(26) == "twentysix"
    assert spell_number(305) == "threehundredfive"
    assert raw_words("14 across, 2300 hours") == ["fourteen", "across", "2300", "hours"]


def test_contractions_written_out_read_like_contracted() -> None:
    assert raw_words("It is you. Do not go.") == raw_words("It's you. Don't go.")
    assert raw_words("I'm going to") == raw_words("I am gonna")
    assert join_contractions("the droid is here, it is") == "the droid is here, its"
    assert join_contractions("it, is") == "it, is"


def test_compound_kept_whole_when_the_other_side_joins_it() -> None:
    script, subs = tokenize_pair(["so the next stop thats bellesurmer",
                                  "is this the low cost bike shop"],
                                 ["that's Belle-sur-Mer.", "the low-cost bike shop?"])
    assert subs.words == ["thats", "bellesurmer", "the", "low", "cost", "bike", "shop"]
    # Every subtitle word here exists in the script, so every one has a script id.
    assert [script.words[script.ids.tolist().index(i)] for i in subs.ids] == subs.words
    assert subs.owner.tolist() == [0, 0, 1, 1, 1, 1, 1]
    assert script.owner.tolist() == [0] * 6 + [1] * 7


def test_fuzzy_spelling_variants_share_an_id() -> None:
    script, subs = tokenize_pair(["eight down is nabakov"], ["eight down is Nabokov", "zebra"])
    assert subs.ids[3] == script.ids[3]
    assert subs.ids[4] == -1  # no similar script word
    _, plain = tokenize_pair(["eight down is nabakov"], ["eight down is Nabokov"], fuzzy=False)
    assert plain.ids[3] == -1


def test_unique_anchors_and_longest_chain() -> None:
    a = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9])
    b = np.array([7, 8, 9, 0, 1, 2, 3, 4, 5, 6])
    pa, pb = unique_anchors(a, b, 3)
    assert sorted(zip(pa.tolist(), pb.tolist(), strict=True)) == [
        (0, 4), (1, 5), (2, 6), (3, 7), (6, 0)]
    chain = longest_chain(pa, pb)
    # (6, 0) contradicts the order of the other four anchors and is dropped.
    assert [(int(pa[k]), int(pb[k])) for k in chain] == [(0, 4), (1, 5), (2, 6), (3, 7)]


def _lcs_length(a: list[int], b: list[int]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40), st.lists(st.integers(-1, 6), max_size=40))
def test_match_words_is_a_longest_common_subsequence(a: list[int], b: list[int]) -> None:
    ia, ib = match_words(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64))
    assert all(np.diff(ia) > 0) and all(np.diff(ib) > 0)
    assert [a[i] for i in ia] == [b[j] for j in ib]
    assert len(ia) == _lcs_length(a, b)


def test_match_words_splits_big_inputs_by_anchors(monkeypatch: pytest.MonkeyPatch) -> None:
    """With rectangles forced small, the anchored matching still finds a planted alignment."""
    monkeypatch.setattr(textmatch, "MAX_CELLS", 400)
    rng = np.random.default_rng(0)
    a = rng.integers(0, 2000, size=3000)
    keep = rng.random(len(a)) > 0.2  # the film cut a fifth of the words...
    noise = rng.integers(2000, 2100, size=len(a))  # ...and says others the script lacks
    b_parts, truth = [], []
    pos = 0
    for i in range(len(a)):
        if rng.random() < 0.1:
            b_parts.append(noise[i])
            pos += 1
        if keep[i]:
            b_parts.append(a[i])
            truth.append((i, pos))
            pos += 1
    b = np.array(b_parts)
    ia, ib = match_words(a, b)
    found = set(zip(ia.tolist(), ib.tolist(), strict=True))
    assert len(found & set(truth)) >= 0.95 * len(truth)


def test_slide_prefers_the_match_next_to_its_neighbour() -> None:
    a = Tokens(["you", "should", "go"], np.array([0, 1, 2]), np.array([0, 0, 0]))
    b = Tokens(["if", "you", "get", "you", "should", "go"], np.array([-1, 0, -1, 0, 1, 2]),
               np.array([0, 0, 0, 1, 1, 1]))
    ib = slide_matches(a, b, np.array([0, 1, 2]), np.array([1, 4, 5]))
    assert ib.tolist() == [3, 4, 5]
    # Words of different script units do not pull each other.
    a.owner = np.array([0, 1, 1])
    assert slide_matches(a, b, np.array([0, 1, 2]), np.array([1, 4, 5])).tolist() == [1, 4, 5]


def test_main_cluster_splits_on_word_gaps_and_on_time() -> None:
    pos = np.array([3, 4, 5, 40, 41])
    assert main_cluster(pos, 12).tolist() == [True, True, True, False, False]
    # close in words but a minute apart in time: the later group is on its own
    pos = np.array([3, 4, 6, 7, 8])
    times = np.array([10.0, 10.0, 70.0, 70.0, 71.0])
    assert main_cluster(pos, 12, times, 15.0).tolist() == [False, False, True, True, True]
    assert main_cluster(pos, 12).all()
