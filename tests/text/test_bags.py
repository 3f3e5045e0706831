"""Bags: who is named in descriptions, which actions, who does them."""

from __future__ import annotations

from scriptalign.text.bags import CastNames, describe, extract_bags
from scriptalign.text.lexicon import default_lexicon
from scriptalign.text.screenplay import Element

LEX = default_lexicon()
CAST = ["RICK BLAINE", "ILSA", "CAPTAIN RENAULT", "SAM", "RED LEADER", "IMPERIAL OFFICER",
        "MAN", "ALL"]


def names(lower_words: set[str] | None = None) -> CastNames:
    return CastNames(CAST, lower_words if lower_words is not None else {"red", "officer"})


def found(text: str, cast_names: CastNames | None = None) -> list[str]:
    return describe(text, cast_names or names(), LEX).persons


def test_names_case_insensitively_with_possessives_and_first_names() -> None:
    assert found("RICK BLAINE enters. Ilsa's eyes follow rick.") == ["RICK BLAINE", "ILSA"]
    assert found("Blaine's bar is full.") == []  # only first names stand for the whole
    assert found("Renault salutes.") == ["CAPTAIN RENAULT"]  # a title: the last name
    assert found("Captain Renault's car.") == ["CAPTAIN RENAULT"]


def test_role_names_and_crowds_are_not_found_in_ordinary_words() -> None:
    # "red" and "officer" are written in lower case in the script: roles, not names.
    assert found("A red light. The Imperial cruisers fire.") == []
    assert found("Red Leader banks left.") == ["RED LEADER"]
    assert found("A man comes in. All stop.") == []
    assert found("The Imperial cruisers fire.", names(set())) == []  # ends in a title
    # Without the lower-case evidence "red" would be taken for a first name.
    assert found("A red light.", names(set())) == ["RED LEADER"]


def test_a_first_name_shared_by_two_characters_is_not_used() -> None:
    n = CastNames(["RICK BLAINE", "RICK MORANIS"])
    assert describe("Rick sits.", n, LEX).persons == []
    assert describe("Rick Moranis sits.", n, LEX).persons == ["RICK MORANIS"]


def test_actions_and_their_subjects() -> None:
    d = describe("Rick sits down at Ilsa's table.", names(), LEX)
    assert (d.persons, d.actions, d.pairs) == (["RICK BLAINE", "ILSA"], ["sit down"],
                                               [("RICK BLAINE", "sit down")])
    # The nearest name before the verb, in the verb's clause.
    assert describe("Ilsa watches Rick walk away.", names(), LEX).pairs == [
        ("RICK BLAINE", "walk")]
    assert describe("As Sam plays, Rick walks to the bar.", names(), LEX).pairs == [
        ("RICK BLAINE", "walk")]


def test_a_verb_without_its_own_subject_takes_the_clause_before() -> None:
    d = describe("Rick runs to Ilsa and hugs her.", names(), LEX)
    assert d.pairs == [("RICK BLAINE", "run"), ("RICK BLAINE", "hug")]


def test_names_joined_by_and_share_the_verb() -> None:
    d = describe("Rick and Ilsa kiss.", names(), LEX)
    assert d.pairs == [("RICK BLAINE", "kiss"), ("ILSA", "kiss")]


def test_a_possessive_is_not_the_subject() -> None:
    d = describe("Rick's friend runs off.", names(), LEX)
    assert (d.persons, d.actions, d.pairs) == (["RICK BLAINE"], ["run"], [])


def test_no_pair_without_a_name_in_the_sentence() -> None:
    d = describe("Rick is at the bar. The crowd runs.", names(), LEX)
    assert (d.persons, d.actions, d.pairs) == (["RICK BLAINE"], ["run"], [])


def test_a_parenthetical_speaker_does_the_action() -> None:
    d = describe("sitting down next to Ilsa", names(), LEX, subject="SAM")
    assert d.persons == ["SAM", "ILSA"] and d.pairs == [("SAM", "sit down")]


def timed(kind: str, text: str, speaker: str | None = None, flags: tuple[str, ...] = (),
          status: str = "aligned", start: float | None = 10.0, score: float = 1.0,
          end: float | None = None) -> Element:
    if end is None and start is not None:
        end = start + 5.0
    return Element(kind, text, (1, 1), speaker, flags,  # type: ignore[arg-type]
                   start=start, end=end, score=score, status=status)  # type: ignore[arg-type]


def test_extract_bags_from_aligned_elements() -> None:
    elements = [
        timed("scene", "INT. RICK'S CAFE - NIGHT", status="interpolated"),
        timed("action", "Rick sits down.", status="interpolated"),
        timed("dialogue", "Play it, Sam.", "ILSA"),
        timed("dialogue", "Round up the usual suspects.", "CAPTAIN RENAULT", ("V.O.",)),
        timed("dialogue", "Cut from the film.", "SAM", status="interpolated"),
        timed("parenthetical", "(standing up)", "SAM", status="interpolated"),
        timed("parenthetical", "(quietly)", "SAM", status="interpolated"),
        timed("action", "The band plays.", status="interpolated"),
        timed("action", "Ilsa walks out.", status="unaligned", start=None),
    ]
    bags = extract_bags(elements, CAST, LEX)
    got = [(b.element, b.kind, b.persons, b.actions, b.pairs) for b in bags]
    assert got == [
        (1, "action", ["RICK BLAINE"], ["sit down"], [("RICK BLAINE", "sit down")]),
        (2, "dialogue", ["ILSA"], [], []),
        (5, "action", ["SAM"], ["stand up"], [("SAM", "stand up")]),
    ]
    assert (bags[0].start, bags[0].end) == (10.0, 15.0)


def test_bags_say_how_their_element_was_timed() -> None:
    """Each bag carries its element's status and score; a description is as sure as the
    less sure of the speeches that bracket it."""
    elements = [
        timed("dialogue", "Play it, Sam.", "ILSA", score=0.8),
        timed("action", "Rick sits down.", status="interpolated", score=0.0),
        timed("dialogue", "Round up the usual suspects.", "CAPTAIN RENAULT", score=0.6),
        timed("dialogue", "Here's looking at you.", "RICK BLAINE", status="slotted", score=0.3),
        timed("dialogue", "We'll always have Paris.", "RICK BLAINE", status="moved", score=0.9),
        timed("dialogue", "Cut from the film.", "SAM", status="interpolated", score=0.1),
    ]
    got = [(b.element, b.status, b.score) for b in extract_bags(elements, CAST, LEX)]
    assert got == [(0, "aligned", 0.8), (1, "interpolated", 0.6), (2, "aligned", 0.6),
                   (3, "slotted", 0.3), (4, "moved", 0.9)]


def test_only_elements_timed_well_enough_give_bags() -> None:
    elements = [
        timed("dialogue", "Play it, Sam.", "ILSA", score=0.8),
        timed("action", "Rick sits down.", status="interpolated", score=0.0),
        timed("dialogue", "Round up the usual suspects.", "CAPTAIN RENAULT", score=0.4),
        timed("dialogue", "Here's looking at you.", "RICK BLAINE", status="slotted", score=0.3),
        timed("action", "Ilsa sits down.", status="interpolated", start=20.0, end=200.0),
    ]

    def kept(**how: object) -> list[int]:
        return [b.element for b in extract_bags(elements, CAST, LEX, **how)]  # type: ignore[arg-type]

    assert kept() == [0, 1, 2, 3, 4]
    assert kept(statuses=("aligned",)) == [0, 2]
    assert kept(min_score=0.5) == [0]
    assert kept(max_seconds=60.0) == [0, 1, 2, 3]
