"""The aligner on screenplays and subtitles built here (no files, no shared data)."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptalign.core.errors import InputError
from scriptalign.text.aligner import ALIGNED_MIN, align, align_files
from scriptalign.text.options import AlignOptions
from scriptalign.text.screenplay import Element, Screenplay
from scriptalign.text.subtitles import Cue, SubtitleLine, Subtitles


def say(speaker: str | None, text: str, line: int, flags: tuple[str, ...] = ()) -> Element:
    return Element("dialogue", text, (line, line), speaker, flags)


def act(text: str, line: int, kind: str = "action") -> Element:
    return Element(kind, text, (line, line))  # type: ignore[arg-type]


def cue(index: int, start: float, *lines: str, end: float | None = None) -> Cue:
    """A cue whose lines are written as in a file ("- Hi." keeps its dash in ``raw``)."""
    return Cue(index, start, start + 2.0 if end is None else end,
               [SubtitleLine(t.lstrip("- "), k, t) for k, t in enumerate(lines)])


def script(*elements: Element, fmt: str = "screenplay") -> Screenplay:
    return Screenplay(list(elements), "film.txt", fmt)


def subs(*cues: Cue) -> Subtitles:
    return Subtitles(list(cues), "film.srt")


def by_text(a: object, fragment: str) -> Element:
    return next(e for e in a.elements if fragment in e.text)  # type: ignore[attr-defined]


def speakers(a: object) -> dict[tuple[int, int], str | None]:
    return {(c.index, ln.index): ln.speaker for c in a.cues for ln in c.lines}  # type: ignore[attr-defined]


CASABLANCA = script(
    act("INT. RICK'S CAFE - NIGHT", 1, "scene"),
    act("Rick sits down at Ilsa's table.", 3),
    say("RICK", "Of all the gin joints in all the towns in all the world, she walks into mine.", 5),
    say("ILSA", "I wasn't sure you were the same. Let's see, the last time we met...", 8),
    say("RICK", "It was La Belle Aurore.", 11),
    act("Sam starts to play.", 13),
    say("ILSA", "Play it once, Sam. For old times' sake.", 15),
    say("SAM", "I don't know what you mean, Miss Ilsa.", 18),
)
CASABLANCA_SUBS = subs(
    cue(1, 300.0, "Of all the gin joints in all the towns", "in all the world,"),
    cue(2, 303.0, "she walks into mine."),
    cue(3, 310.0, "I wasn't sure you were the same."),
    cue(4, 313.0, "Let's see, the last time we met..."),
    cue(5, 317.0, "- It was La Belle Aurore.", end=319.0),
    cue(6, 330.0, "Play it once, Sam.", "For old times' sake."),
    cue(7, 334.0, "I don't know what you mean, Miss Ilsa."),
)


def test_speeches_get_the_times_of_their_cues() -> None:
    a = align(CASABLANCA, CASABLANCA_SUBS)
    gin = by_text(a, "gin joints")
    assert (gin.status, gin.cues, gin.start, gin.end) == ("aligned", (1, 2), 300.0, 305.0)
    assert gin.score == pytest.approx(1.0)
    assert by_text(a, "same").cues == (3, 4)
    assert by_text(a, "Aurore").cues == (5,)
    assert by_text(a, "Miss Ilsa").start == 334.0


def test_every_line_gets_the_speaker_of_its_speech() -> None:
    a = align(CASABLANCA, CASABLANCA_SUBS)
    assert speakers(a) == {(1, 0): "RICK", (1, 1): "RICK", (2, 0): "RICK", (3, 0): "ILSA",
                           (4, 0): "ILSA", (5, 0): "RICK", (6, 0): "ILSA", (6, 1): "ILSA",
                           (7, 0): "SAM"}


def test_descriptions_are_interpolated_between_aligned_neighbours() -> None:
    a = align(CASABLANCA, CASABLANCA_SUBS)
    sam = by_text(a, "Sam starts")
    assert (sam.status, sam.start, sam.end) == ("interpolated", 319.0, 330.0)
    # Before the first aligned speech: from the film's start.
    first = by_text(a, "Rick sits down")
    assert (first.status, first.start, first.end) == ("interpolated", 0.0, 300.0)
    # After the last one: up to the last cue; with no cue after it, no time at all.
    sp = script(*CASABLANCA.elements, act("Rick walks into the fog.", 20))
    end = by_text(align(sp, subs(*CASABLANCA_SUBS.cues, cue(8, 400.0, "Music."))), "fog")
    assert (end.status, end.start, end.end) == ("interpolated", 336.0, 402.0)
    end = by_text(align(sp, CASABLANCA_SUBS), "fog")
    assert (end.status, end.start, end.end) == ("unaligned", None, None)


def test_inputs_are_not_modified_and_stats_are_filled() -> None:
    before_script, before_subs = copy.deepcopy(CASABLANCA), copy.deepcopy(CASABLANCA_SUBS)
    a = align(CASABLANCA, CASABLANCA_SUBS)
    assert before_script == CASABLANCA
    assert before_subs == CASABLANCA_SUBS
    assert a.cast == ["RICK", "ILSA", "SAM"]
    assert a.script == "film.txt" and a.subtitles == "film.srt"
    assert a.stats["dialogue"] == 5 and a.stats["aligned"] == 5
    assert a.stats["share_aligned"] == 1.0 and a.stats["median_score"] == 1.0
    assert a.stats["seconds"] >= 0


def test_a_cue_with_two_speakers_is_split_by_line() -> None:
    sp = script(say("PENNY", "Oh, hi.", 1), say("LEONARD", "Hello there.", 3),
                say("PENNY", "Are you the new neighbours?", 5))
    a = align(sp, subs(cue(1, 10.0, "- Oh, hi.", "- Hello there."),
                       cue(2, 12.0, "Are you the new neighbours?")))
    assert speakers(a) == {(1, 0): "PENNY", (1, 1): "LEONARD", (2, 0): "PENNY"}
    assert by_text(a, "Oh, hi").cues == (1,) and by_text(a, "Hello").cues == (1,)


def test_a_long_speech_over_many_cues_and_a_merged_cue() -> None:
    words = ("the plans you asked about will reach the harbour office by friday and after that "
             "the crews will start on the new bridge at the north end tell the council").split()
    long_speech = " ".join(words)
    sp = script(say("VADER", long_speech, 1), say("TARKIN", "Good.", 4),
                say("TAGGE", "Then we are done here.", 6))
    cues = [cue(k + 1, 100.0 + 2 * k, " ".join(words[3 * k:3 * k + 3]))
            for k in range(len(words) // 3)]
    n = len(cues)
    cues.append(cue(n + 1, 100.0 + 2 * n, "- Good.", "- Then we're done here."))
    a = align(sp, subs(*cues))
    vader = by_text(a, "plans")
    assert vader.cues == tuple(range(1, n + 1))
    assert (vader.start, vader.end) == (100.0, 100.0 + 2 * (n - 1) + 2.0)
    assert speakers(a)[(n + 1, 0)] == "TARKIN" and speakers(a)[(n + 1, 1)] == "TAGGE"


def test_a_cut_speech_scores_low_and_keeps_no_borrowed_time() -> None:
    sp = script(
        say("LUKE", "I want to learn how the old radio works and fix it like my father did.", 1),
        say("BIGGS", "You know, I think you should go to the academy. The Empire is going "
                     "to need good pilots and you are the best pilot I know, Luke.", 3),
        say("BEN", "You should say what you think is fair, of course.", 5),
    )
    a = align(sp, subs(
        cue(1, 50.0, "I want to learn how the old radio works"),
        cue(2, 53.0, "and become a sailor like my father."),
        cue(3, 70.0, "You should say what you think is fair, of course."),
    ))
    biggs = by_text(a, "academy")
    assert biggs.status == "interpolated" and biggs.score < ALIGNED_MIN
    assert (biggs.start, biggs.end) == (55.0, 70.0)
    assert biggs.cues == ()


def test_subtitles_that_start_minutes_in_with_unscripted_cues() -> None:
    opening = [cue(k + 1, 120.0 + 3 * k, line) for k, line in enumerate(
        ["Previously on the show.", "Nothing you need to know.", "Roll the titles."])]
    rest = [cue(len(opening) + 1 + k, 400.0 + 3 * c.start, c.lines[0].raw)
            for k, c in enumerate(CASABLANCA_SUBS.cues)]
    a = align(CASABLANCA, subs(*opening, *rest))
    assert by_text(a, "gin joints").cues == (4, 5)
    assert all(ln.speaker is None for c in a.cues[:3] for ln in c.lines)


def test_paraphrased_speech_is_still_found() -> None:
    sp = script(say("HAN", "Don't everyone thank me so loudly.", 1),
                say("LEIA", "Somebody has to fix the boiler. Down the laundry stairs, rookie!", 3))
    a = align(sp, subs(cue(1, 10.0, "Don't everybody thank me so loudly."),
                       cue(2, 13.0, "- Why is the door still open?",
                           "- Somebody has to fix the boiler."),
                       cue(3, 15.0, "Down the laundry stairs, rookie.")))
    han, leia = by_text(a, "thank"), by_text(a, "boiler")
    assert han.status == "aligned" and 0.5 < han.score < 1.0
    assert leia.cues == (2, 3) and leia.score == pytest.approx(1.0)
    assert speakers(a)[(2, 1)] == "LEIA"


def test_unattributed_transcript_turns_get_a_speaker_from_turn_taking() -> None:
    """As in bbt_s01e01: "agreed" and "okay" have no name in the transcript."""
    sp = script(say("Sheldon", "if nobody watches it the water will boil away", 1),
                say(None, "agreed", 2),
                say("Leonard", "what are you getting at", 3),
                say("Sheldon", "i want to leave", 4),
                say(None, "okay", 5),
                say("Sheldon", "whats the plan for leaving", 6), fmt="transcript")
    a = align(sp, subs(cue(1, 1.0, "If nobody watches it, the water will",
                           "boil away.", "- Agreed."),
                       cue(2, 4.0, "What are you getting at?"),
                       cue(3, 6.0, "- I want to leave.", "- Okay."),
                       cue(4, 8.0, "What's the plan for leaving?")))
    s = speakers(a)
    assert s[(1, 1)] == "Sheldon"  # a continuation line keeps the speaker above it
    assert s[(1, 2)] == "Leonard"  # a dash line after Sheldon: the other party
    assert s[(3, 1)] == "Leonard"
    assert by_text(a, "agreed").speaker is None  # the script itself is not rewritten


def labelled(index: int, start: float, label: str, text: str) -> Cue:
    c = cue(index, start, text)
    c.lines[0] = SubtitleLine(text, 0, f"{label}: {text}", label, label)
    return c


def test_a_speaker_label_written_in_the_subtitles_wins() -> None:
    sp = script(say("Rick", "Here's looking at you, kid.", 1),
                say("Rick", "We'll always have Paris.", 2))
    a = align(sp, subs(cue(1, 10.0, "Here's looking at you, kid."),
                       labelled(2, 20.0, "JOHN", "Something nobody wrote."),
                       labelled(3, 30.0, "ILSA", "We'll always have Paris."),
                       labelled(4, 40.0, "RICK", "Louis, I think...")))
    assert speakers(a) == {(1, 0): "Rick", (2, 0): "JOHN", (3, 0): "ILSA", (4, 0): "Rick"}


def test_no_dialogue_or_no_cues_is_an_input_error_naming_the_file() -> None:
    with pytest.raises(InputError, match=r"film\.txt"):
        align(script(act("A quiet street.", 1)), CASABLANCA_SUBS)
    with pytest.raises(InputError, match=r"film\.srt"):
        align(CASABLANCA, subs())


def test_long_synthetic_episode_aligns_in_order() -> None:
    """2,000 speeches, a fifth of them paraphrased, some cut: times stay right."""
    rng = random.Random(7)
    vocab = [f"w{k}" for k in range(3000)] + ["you", "the", "a", "to", "is"] * 200
    elements, cues, truth = [], [], {}
    t = 60.0
    for k in range(2000):
        words = rng.choices(vocab, k=rng.randint(3, 12))
        elements.append(say(f"P{k % 5}", " ".join(words), k + 1))
        if rng.random() < 0.05:
            continue  # cut from the film
        if rng.random() < 0.2:
            words = [w if rng.random() > 0.3 else "uh" for w in words]
        cues.append(cue(len(cues) + 1, t, " ".join(words)))
        truth[k] = len(cues)
        t += 2.5
    a = align(script(*elements), subs(*cues))
    right = sum(a.elements[k].cues == (c,) for k, c in truth.items())
    assert right >= 0.97 * len(truth)
    times = [e.start for e in a.elements if e.status == "aligned"]
    assert times == sorted(times)  # monotonic


def test_scattered_common_words_do_not_place_a_cut_speech() -> None:
    """The film has unscripted chatter where the cut speech would be: its common words
    recur there, far apart, and must not add up to a confident alignment."""
    filler = [f"blah{k}" for k in range(80)]
    for pos, word in zip((0, 16, 32, 48, 64), ("the", "old", "man", "and", "droid"),
                         strict=True):
        filler[pos] = word
    chatter = [cue(10 + k, 60.0 + 3 * k, " ".join(filler[8 * k:8 * k + 8])) for k in range(10)]
    sp = script(say("LUKE", "I want to learn how the old radio works.", 1),
                say("OWEN", "The old man and the droid.", 3),
                say("BEN", "You should say what you think is fair, of course.", 5))
    a = align(sp, subs(cue(1, 50.0, "I want to learn how the old radio works."), *chatter,
                       cue(30, 100.0, "You should say what you think is fair, of course.")))
    owen = by_text(a, "droid")
    # not found, and its gap (about 48 s) is too wide to guess a time in
    assert owen.status == "unaligned" and owen.start is None and owen.score < ALIGNED_MIN
    assert all(ln.speaker != "OWEN" for c in a.cues for ln in c.lines)


def test_align_files_reads_both_files(tmp_path: Path) -> None:
    (tmp_path / "film.txt").write_text(
        "          INT. CAFE - NIGHT\n\n"
        "                              RICK\n"
        "                    Here's looking at you, kid.\n\n"
        "          Ilsa walks out.\n\n"
        "                              ILSA\n"
        "                    Goodbye, Rick.\n", encoding="utf-8")
    (tmp_path / "film.srt").write_bytes(
        "1\r\n00:01:00,000 --> 00:01:02,000\r\nHere's looking at you, kid.\r\n\r\n"
        "2\r\n00:01:10,000 --> 00:01:11,500\r\nGoodbye, Rick. Café.\r\n".encode("cp1252"))
    a = align_files(tmp_path / "film.txt", tmp_path / "film.srt")
    assert [(e.speaker, e.cues, e.status) for e in a.elements if e.kind == "dialogue"] == [
        ("RICK", (1,), "aligned"), ("ILSA", (2,), "aligned")]
    assert a.subtitles == str(tmp_path / "film.srt")
    assert any(b.pairs == [("ILSA", "walk")] for b in a.bags)


def test_a_speech_the_film_moved_is_found_out_of_order() -> None:
    """As in mission_impossible_1996: the edit swapped two lines of the script."""
    sp = script(say("LUKE", "I want to learn how the old radio works.", 1),
                say("PHELPS", "Hannah, close the window now please.", 3),
                say("PHELPS", "Sarah, check the parcel and go to platform nine.", 5),
                say("BEN", "You should say what you think is fair, of course.", 7),
                act("They leave.", 8))
    a = align(sp, subs(cue(1, 10.0, "I want to learn how the old radio works."),
                       cue(2, 20.0, "Sarah, check the parcel and go to platform nine."),
                       cue(3, 30.0, "Hannah, close the window now please."),
                       cue(4, 40.0, "You should say what you think is fair, of course."),
                       cue(5, 50.0, "Bye.")))
    assert by_text(a, "Hannah").cues == (3,) and by_text(a, "Sarah").cues == (2,)
    # Sarah is found in script order; Hannah after her, out of order.
    assert (by_text(a, "Sarah").status, by_text(a, "Hannah").status) == ("aligned", "moved")
    assert speakers(a)[(2, 0)] == speakers(a)[(3, 0)] == "PHELPS"
    # The description after them is timed by the speeches in script order only.
    assert (by_text(a, "They leave").start, by_text(a, "They leave").end) == (42.0, 52.0)


def test_a_moved_speech_needs_more_evidence_far_away() -> None:
    """A short speech alone is not placed 30 minutes away; a long distinctive one is
    (as in chinatown_1974, where one phone call comes 13 minutes late)."""
    owen = ("We have to get the harvest in before the storm comes over the ridge, "
            "so no more talk of the city this season.")
    sp = script(say("ALMA", "I want to learn how the old radio works.", 1),
                say("ROSS", "Marta, close the window.", 3),
                say("DEAN", "Have you got the ledger ready, Mr. Vance? I found the courier.",
                    4),
                say("IRIS", "You should do what you think is best, naturally.", 5),
                say("OTTO", owen, 6))
    a = align(sp, subs(cue(1, 10.0, "I want to learn how the old radio works."),
                       cue(2, 20.0, "You should do what you think is best, naturally."),
                       cue(3, 25.0, owen),
                       cue(4, 2000.0, "Have you got the ledger ready,",
                           "Mr. Vance? I found the courier."),
                       cue(5, 3900.0, "Marta, close the window.")))
    assert by_text(a, "Marta").status != "moved" and by_text(a, "Marta").cues == ()
    assert (by_text(a, "ledger").cues, by_text(a, "ledger").status) == ((4,), "moved")
    assert speakers(a)[(4, 1)] == "DEAN"
    assert by_text(a, "harvest").cues == (3,)


def test_a_moved_scene_is_found_as_a_block() -> None:
    """Short speeches that could not be placed far away one by one are placed together:
    the film moved their whole scene (in jfk's draft whole scenes come half an hour
    from where the film shows them)."""
    moved = [("ROSS", "Marta, close the window."), ("MARTA", "The shutters are stuck again."),
             ("ROSS", "Then fetch the brass hinge oil."), ("MARTA", "We sold it at market.")]
    sp = script(say("ALMA", "I want to learn how the old radio works.", 1),
                *[say(who, text, 3 + 2 * k) for k, (who, text) in enumerate(moved)],
                say("IRIS", "You should do what you think is best, naturally.", 20),
                say("OTTO", "Harvest the barley before the storm comes over the ridge, and "
                    "then we mend the fences along the river road.", 22))
    a = align(sp, subs(cue(1, 10.0, "I want to learn how the old radio works."),
                       cue(2, 20.0, "You should do what you think is best, naturally."),
                       cue(3, 25.0, "Harvest the barley before the storm comes over the ridge, "
                           "and then we mend the fences along the river road."),
                       *[cue(4 + k, 2000.0 + 3 * k, text) for k, (_, text) in enumerate(moved)]))
    for k, (_, text) in enumerate(moved):
        el = by_text(a, text)
        assert (el.status, el.cues) == ("moved", (4 + k,)), text
    assert [speakers(a)[(4 + k, 0)] for k in range(4)] == ["ROSS", "MARTA", "ROSS", "MARTA"]


WORDS = st.sampled_from(["hi", "you", "the", "droid", "force", "it's", "it", "is", "14",
                         "port-au-prince", "...", "Rick", "", "going", "to", "- no"])


@settings(max_examples=60, deadline=None)
@given(speeches=st.lists(st.tuples(st.sampled_from(["A", "B", None]),
                                   st.lists(WORDS, max_size=8)), min_size=1, max_size=8),
       lines=st.lists(st.lists(st.lists(WORDS, max_size=6), max_size=3), max_size=10))
def test_any_input_gives_a_consistent_alignment(
        speeches: list[tuple[str | None, list[str]]], lines: list[list[list[str]]]) -> None:
    sp = script(*[say(who, " ".join(ws), k + 1) for k, (who, ws) in enumerate(speeches)],
                act("Rick runs.", 99))
    cues = [Cue(k + 1, 10.0 * k, 10.0 * k + 2,
                [SubtitleLine(" ".join(ws).lstrip("- "), j, " ".join(ws))
                 for j, ws in enumerate(cue_lines)])
            for k, cue_lines in enumerate(lines)] or [cue(1, 0.0, "Hello.")]
    a = align(sp, subs(*cues))
    last = max(c.end for c in a.cues)
    for el in a.elements:
        assert 0.0 <= el.score <= 1.0
        assert (el.start is None) == (el.end is None) == (el.status == "unaligned")
        if el.start is not None and el.end is not None:
            assert 0.0 <= el.start <= el.end <= last
        assert (el.status in ("aligned", "moved", "slotted")) == bool(el.cues)
        if el.kind == "dialogue" and el.status == "interpolated":
            assert el.end - el.start <= 30.0  # type: ignore[operator]
    assert {ln.speaker for c in a.cues for ln in c.lines} <= {"A", "B", None}
    assert all(b.start <= b.end and 0.0 <= b.score <= 1.0 for b in a.bags)


# -- drafts: rewritten speeches, honest times, speakers across lines ------------------------

RADIO = "I want to learn how the old radio works."
RIGHT = "You should say what you think is fair, of course."


def test_a_rewritten_speech_is_slotted_between_its_found_neighbours() -> None:
    """The draft's exclamation is said with other words in the one free cue between two
    found speeches (a draft spells an exclamation one way, the subtitles another)."""
    sp = script(say("LUKE", RADIO, 1), say("BIGGS", "Gosh, golly.", 3), say("BEN", RIGHT, 5))
    a = align(sp, subs(cue(1, 10.0, RADIO), cue(2, 14.0, "Wow."), cue(3, 18.0, RIGHT)))
    biggs = by_text(a, "Gosh")
    assert (biggs.status, biggs.cues, biggs.start, biggs.end) == ("slotted", (2,), 14.0, 16.0)
    assert 0.0 < biggs.score <= 0.5  # placed by position, not by words
    assert speakers(a)[(2, 0)] == "BIGGS"
    assert a.stats["slotted"] == 1 and a.stats["aligned"] == 2


def test_no_slot_in_a_long_unclaimed_stretch() -> None:
    """Many free lines over minutes are a scene the script lacks, not a rewording."""
    chatter = [cue(2 + k, 14.0 + 20 * k, f"Unscripted remark number {k}.") for k in range(6)]
    sp = script(say("LUKE", RADIO, 1), say("BIGGS", "Gosh, golly.", 3), say("BEN", RIGHT, 5))
    a = align(sp, subs(cue(1, 10.0, RADIO), *chatter, cue(20, 200.0, RIGHT)))
    assert by_text(a, "Gosh").status == "unaligned" and by_text(a, "Gosh").start is None


def test_a_cut_speech_gets_no_wide_guess() -> None:
    """Not found, no free line: interpolated over a short gap, unaligned (no time) over
    one wider than the bound, and never several speeches at one instant."""
    sp = script(say("LUKE", RADIO, 1), say("OWEN", "Where is that boy?", 3),
                say("BEN", RIGHT, 5), say("OWEN", "Fetch the sand crawler keys.", 7),
                say("OWEN", "And bring water.", 8), say("LUKE", "I hear you, uncle.", 9),
                say("OWEN", "Not again.", 10), say("BEN", "The tide is turning, my friend.", 12),
                act("They leave.", 13))
    a = align(sp, subs(cue(1, 10.0, RADIO, end=12.0), cue(2, 20.0, RIGHT, end=22.0),
                       cue(3, 70.0, "I hear you, uncle.", end=72.0),
                       cue(4, 72.0, "The tide is turning, my friend.", end=74.0),
                       cue(5, 90.0, "Farewell.")))
    assert (by_text(a, "Where").status, by_text(a, "Where").start, by_text(a, "Where").end) \
        == ("interpolated", 12.0, 20.0)
    for text in ("sand crawler", "bring water", "Not again"):  # 48 s gap; a zero-length one
        assert (by_text(a, text).status, by_text(a, text).start) == ("unaligned", None), text
    assert by_text(a, "They leave").status == "interpolated"  # a description keeps its gap
    instants = [(e.start, e.end) for e in a.elements
                if e.kind == "dialogue" and e.start is not None and e.start == e.end]
    assert instants == []


def test_a_wider_interpolation_bound_is_an_option() -> None:
    sp = script(say("LUKE", RADIO, 1), say("OWEN", "Fetch the sand crawler keys.", 3),
                say("BEN", RIGHT, 5))
    film = subs(cue(1, 10.0, RADIO, end=12.0), cue(2, 60.0, RIGHT))
    assert by_text(align(sp, film), "crawler").status == "unaligned"
    wide = align(sp, film, options=AlignOptions(interpolate_max=120.0))
    assert (by_text(wide, "crawler").status, by_text(wide, "crawler").start) == \
        ("interpolated", 12.0)


def test_a_lone_common_word_far_away_gives_no_time() -> None:
    """The film says the street names, and a few seconds later an "a" in another line;
    the speech spans the first cue only."""
    sp = script(say("TANK", "Meet me at Fulton and Vine. A diner.", 1),
                say("NEO", "Got it, I am on my way right now.", 3))
    # the rest of the film, where "a" is as common as in any film
    rest = [cue(10 + k, 100.0 + 5 * k, f"Take a seat number {k}.") for k in range(25)]
    a = align(sp, subs(cue(1, 10.0, "Got a tip on an old exit.", "Fulton and Vine."),
                       cue(2, 14.0, "Watch the mirror, a truck behind us!"),
                       cue(3, 40.0, "Got it, I am on my way right now."), *rest))
    tank = by_text(a, "Fulton")
    assert (tank.status, tank.cues, tank.end) == ("aligned", (1,), 12.0)


def test_matches_far_apart_in_time_are_not_one_speech() -> None:
    """A speech's words found in two cues a minute apart: the bigger group wins."""
    sp = script(say("ANNA", "The ferry leaves at noon from the western pier tomorrow.", 1))
    a = align(sp, subs(cue(1, 10.0, "The ferry leaves at noon"),
                       cue(2, 12.5, "from the western pier."),
                       cue(3, 75.0, "Tomorrow.")))
    assert by_text(a, "ferry").cues == (1, 2)


def test_a_sentence_split_over_two_lines_keeps_its_speaker() -> None:
    """A transcript's unattributed fragment that opens a sentence the next line ends
    (as in a fan transcript that splits one sentence into two turns)."""
    sp = script(say("Penny", "are we going to the game on sunday", 1),
                say("Leonard", "the game depends on what you call a game", 2),
                say(None, "strictly speaking", 3),
                say("Leonard", "the match starts at noon on saturday", 4), fmt="transcript")
    a = align(sp, subs(cue(1, 10.0, "Are we going to the game on Sunday?"),
                       cue(2, 13.0, "The game depends", "on what you call a game."),
                       cue(3, 17.0, "Strictly speaking,", "the match starts at noon on Saturday.")))
    assert speakers(a)[(3, 0)] == speakers(a)[(3, 1)] == "Leonard"


def test_an_interjection_inside_a_speech_is_somebody_else() -> None:
    """A dash line the script does not have, between two lines of one long speech, is the
    other party's interjection: it does not inherit the speech's speaker."""
    sp = script(say("BRAM", "Are you coming to the harbour tonight?", 1),
                say("ANNA", "I will come after supper, once the nets are mended and the "
                            "boat is tied up properly.", 3))
    a = align(sp, subs(cue(1, 10.0, "Are you coming to the harbour tonight?"),
                       cue(2, 13.0, "I will come after supper,"),
                       cue(3, 15.0, "- Good.", "- Once the nets are mended"),
                       cue(4, 17.0, "and the boat is tied up properly.")))
    assert [speakers(a)[k] for k in ((2, 0), (3, 0), (3, 1), (4, 0))] == \
        ["ANNA", "BRAM", "ANNA", "ANNA"]


def _harbour(tail: str) -> Subtitles:
    """A partial speech said in cue 2; cue 3 is another line that shares a few of its
    later words; 25 filler cues later make "i", "know", "you" common words."""
    fillers = [cue(10 + k, 100.0 + 3 * k, "Do you know? I know you do.") for k in range(25)]
    return subs(cue(1, 10.0, "The lighthouse keeper sailed north at dawn."),
                cue(2, 20.0, "Harbour lamps burn all night."),
                cue(3, 23.0, tail),
                cue(4, 30.0, "Seventeen gulls nested on the broken mast."),
                *fillers)


def assert_timed(el: Element, status: str, cues: tuple[int, ...],
                 interval: tuple[float, float]) -> None:
    assert (el.status, el.cues, (el.start, el.end)) == (status, cues, interval)


HARBOUR = script(
    say("MARA", "The lighthouse keeper sailed north at dawn.", 5),
    say("OSKAR", "Harbour lamps burn all night. I know you will come back to Vellmar.", 8),
    say("MARA", "Seventeen gulls nested on the broken mast.", 11),
)


def test_a_partial_speech_is_not_timed_to_a_later_line_of_common_words() -> None:
    a = align(HARBOUR, _harbour("I know that you hate me."))
    assert_timed(by_text(a, "Harbour"), "aligned", (2,), (20.0, 22.0))


def test_a_later_line_with_a_rare_word_of_the_speech_still_times_it() -> None:
    a = align(HARBOUR, _harbour("I know you will come back to Vellmar."))
    assert_timed(by_text(a, "Harbour"), "aligned", (2, 3), (20.0, 25.0))


def test_an_answer_is_not_timed_to_the_question_it_shares_one_common_word_with() -> None:
    # "think" ends the question of cue 3, which the film gives another speaker; the
    # answer is said in cue 4. 25 filler cues make "i" and "think" common words.
    fillers = [cue(10 + k, 100.0 + 3 * k, "I think so. Do you think so?") for k in range(25)]
    film = subs(cue(1, 10.0, "The lighthouse keeper sailed north at dawn."),
                cue(3, 20.0, "Both channels freeze by winter. What do you think?"),
                cue(4, 23.0, "We should hold on for the ferry from Vellmar."),
                cue(5, 30.0, "Seventeen gulls nested on the broken mast."),
                *fillers)
    a = align(script(
        say("MARA", "The lighthouse keeper sailed north at dawn.", 5),
        say("OSKAR", "I think we should hold on for the ferry from Vellmar.", 8),
        say("MARA", "Seventeen gulls nested on the broken mast.", 11)), film)
    assert_timed(by_text(a, "ferry"), "aligned", (4,), (23.0, 25.0))


def _quarry(second: str) -> Subtitles:
    return subs(cue(1, 10.0, "The lighthouse keeper sailed north at dawn."),
                cue(2, 20.0, second),
                cue(3, 23.0, "Seventeen gulls nested on the broken mast."),
                cue(4, 30.0, "Fold the sails before the storm reaches Vellmar."))


QUARRY = script(
    say("MARA", "The lighthouse keeper sailed north at dawn.", 5),
    say("MARA", "Seventeen gulls nested on the broken mast.", 8),
    say("OSKAR", "Avalanche! Avalanche -- get down, all of you.", 11),
    say("MARA", "Fold the sails before the storm reaches Vellmar.", 14),
)


def test_a_speech_the_film_says_just_before_its_neighbour_is_placed_beside_it() -> None:
    # The film says the shout one line earlier than the script: before the gulls.
    a = align(QUARRY, _quarry("Avalanche!"))
    shout = by_text(a, "Avalanche")
    assert_timed(shout, "slotted", (2,), (20.0, 22.0))
    assert 0 < shout.score < 0.5


def test_a_free_line_beside_a_neighbour_without_the_speech_s_words_stays_free() -> None:
    a = align(QUARRY, _quarry("Run to the cellar, quick!"))
    shout = by_text(a, "Avalanche")
    assert shout.status != "slotted"
    assert 2 not in shout.cues
