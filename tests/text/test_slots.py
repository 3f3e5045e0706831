"""Slotting rewritten speeches into the free lines between found neighbours."""

from __future__ import annotations

from scriptalign.text.slots import MAX_SECONDS, SLOT_SCORE, find_slots, similarity, slot_gap


def words(text: str) -> list[str]:
    return text.lower().replace(",", "").replace(".", "").split()


def test_similarity_prefers_lines_that_look_like_the_speech() -> None:
    speech = words("Gee whiz, that is the biggest ship I ever saw.")
    assert similarity(speech, words("Gee, that's the biggest ship I've ever seen.")) > \
        similarity(speech, words("Run.")) > 0.0
    assert similarity([], words("Run.")) == similarity(speech, []) == 0.0


def test_speeches_take_the_free_lines_in_order() -> None:
    """Two rewritten speeches, three free lines: the long speech takes two lines."""
    speech_words = [words("Hurry up."), words("The engine is flooded and the spare battery is "
                                              "still on the dock.")]
    line_words = [words("Quick!"), words("The motor's drowned,"),
                  words("and the battery is back on the pier.")]
    got = slot_gap([0, 1], [0, 1, 2], speech_words, line_words)
    assert {s: lines for s, (_, lines) in got.items()} == {0: [0], 1: [1, 2]}


def test_a_speech_with_no_free_line_is_left_out() -> None:
    speech_words = [words("Hurry up."), words("Wait for me at the lighthouse after dark."),
                    words("No.")]
    line_words = [words("Meet me by the lighthouse when it is dark.")]
    got = slot_gap([0, 1, 2], [0], speech_words, line_words)
    assert {s: lines for s, (_, lines) in got.items()} == {1: [0]}


def test_find_slots_only_between_placed_neighbours_in_short_gaps() -> None:
    speech_words = [words("a b c"), words("hello there"), words("d e f"), words("bye now"),
                    words("g h i")]
    line_words = [words("a b c"), words("hi there"), words("d e f"), words("so long"),
                  words("g h i")]
    owner = [0, -1, 2, -1, 4]
    span = {0: (0, 0), 2: (2, 2), 4: (4, 4)}
    start = [0.0, 3.0, 6.0, 9.0, 9.0 + MAX_SECONDS + 5.0]
    end = [2.0, 5.0, 8.0, 11.0, start[4] + 2.0]
    got = find_slots(span, owner, speech_words, line_words, start, end)
    # the second gap's free line is close, the third speech's gap is the same: both slot
    assert {s: lines for s, (_, lines) in got.items()} == {1: [1], 3: [3]}
    assert all(0.0 < score <= SLOT_SCORE for score, _ in got.values())
    # placed otherwise (moved): never slotted
    assert 3 not in find_slots(span, owner, speech_words, line_words, start, end, exclude={3})
    # a weakly matched neighbour vouches for neither gap beside it
    assert find_slots(span, owner, speech_words, line_words, start, end, weak={2}) == {}
    # a free stretch longer than MAX_SECONDS is not a slot
    start[3], end[3] = 9.0 + MAX_SECONDS, 11.0 + MAX_SECONDS
    start[1] = 3.0
    far = find_slots({0: (0, 0), 4: (4, 4)}, [0, -1, -1, -1, 4], speech_words, line_words,
                     start, end)
    assert far == {}
