"""Layouts of plain-text screenplays: indented, blank-after-cue, double-spaced, flat."""

from __future__ import annotations

from pathlib import Path

import pytest
import screenplays as sp

from scriptalign.text.formats.indented import read_screenplay
from scriptalign.text.formats.layout import is_double_spaced

ITEMS = sp.speeches(24, seed=3)


def spoken(text: str) -> list[tuple[str | None, str]]:
    script, _ = read_screenplay(text)
    return [(el.speaker, el.text) for el in script.dialogue]


@pytest.mark.parametrize(("writer", "name", "spacing"), [
    (sp.indented, "indented", "single"),
    (lambda items: sp.indented(items, blank_after_cue=True), "indented", "blank-after-cue"),
    (sp.double_spaced, "indented", "double"),
    (sp.flat, "flat", "single"),
])
def test_every_layout_gives_every_speech(writer: object, name: str, spacing: str) -> None:
    text = writer(ITEMS)  # type: ignore[operator]
    script, layout = read_screenplay(text)
    assert (layout.name, layout.spacing) == (name, spacing)
    assert layout.confidence > 0.8
    assert spoken(text) == ITEMS
    # The action is action, not part of a speech, in every layout.
    assert sum(el.kind == "action" for el in script.elements) == len(ITEMS) // 4


def test_double_spacing_detection() -> None:
    assert is_double_spaced(sp.double_spaced(ITEMS).split("\n"))
    assert not is_double_spaced(sp.indented(ITEMS).split("\n"))


def test_double_spaced_lines_keep_their_numbers() -> None:
    text = sp.double_spaced(ITEMS)
    script, _ = read_screenplay(text)
    lines = text.split("\n")
    first = script.dialogue[0]
    assert lines[first.lines[0] - 1].strip() == sp._wrap(ITEMS[0][1], 35)[0]


def test_ocr_specks_and_page_numbers_glued_to_the_next_line() -> None:
    text = ("          INT. ROOM - DAY\n\n"
            "          . MARGO\n          The ferry leaves at nine.\n\n"
            "          12.\n          DESMOND\n          Then we run.\n")
    assert spoken(text) == [("MARGO", "The ferry leaves at nine."),
                            ("DESMOND", "Then we run.")]


def test_scene_numbers_around_a_shot_are_no_cue() -> None:
    text = ("                         15 MARGO 15\n"
            "          Margo runs down the pier.\n\n"
            "                              MARGO\n"
            "                    Wait for me!\n")
    assert spoken(text) == [("MARGO", "Wait for me!")]


def test_stacked_rows_of_dual_dialogue() -> None:
    text = ("          KITCHEN\n\n"
            "                    MARGO                    DESMOND\n"
            "          The ferry is late.       Again?\n"
            "                    DESMOND                  MARGO\n"
            "          Always on Sundays.       Then we walk.\n"
            "                              PRIYA\n"
            "                    Nobody walks in this rain.\n")
    assert spoken(text) == [("MARGO", "The ferry is late."), ("DESMOND", "Again?"),
                            ("DESMOND", "Always on Sundays."), ("MARGO", "Then we walk."),
                            ("PRIYA", "Nobody walks in this rain.")]


def test_flat_cue_sharing_its_line_with_the_speech() -> None:
    text = sp.flat(ITEMS[:8]) + ("\n          MARGO Christ, what a pit this harbour is.\n\n"
                                 "          MARGO walks to the door.\n")
    got = spoken(text)
    assert got[-1] == ("MARGO", "Christ, what a pit this harbour is.")
    assert len(got) == 9  # "MARGO walks to the door." is action


@pytest.mark.slow
def test_every_shared_corpus_script_parses(shared: Path) -> None:
    from scriptalign.text.formats import load_script

    for folder in sorted((shared / "data" / "corpus").iterdir()):
        script = load_script(folder / "script.txt")
        assert len(script.dialogue) > 200, folder.name
