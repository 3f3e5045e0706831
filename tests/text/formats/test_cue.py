"""Character cues: what reads as a speaker's name, and how names and extensions split."""

from __future__ import annotations

import pytest

from scriptalign.text.formats import parse_screenplay
from scriptalign.text.formats.cue import looks_like_cue, split_cue


@pytest.mark.parametrize("text", [
    "NORA", "DR. PELLING", "NORA (V.O.)", "PELLING (cont'd)", "McTAVISH", "GUARD 2",
    "2ND DECKHAND", "TILLY'S VOICE", "M", "Q", "X", "IRIS", "CAMERAMAN", "CAMERA OPERATOR",
    "ANGELA", "FLASH", "CUTTER", "BACKUS", "FADEMAN", "R2-D4", ". NORA", "JEAN-PAUL",
])
def test_names_are_cues(text: str) -> None:
    assert looks_like_cue(text)


@pytest.mark.parametrize("text", [
    # transitions, with and without the colon and the full stop
    "CUT TO", "CUT TO:", "FADE OUT.", "FADE IN:", "FADE TO BLACK", "DISSOLVE TO",
    "SMASH CUT", "TIME CUT", "FLASH CUT", "MATCH CUT TO", "INTERCUT", "INTERCUT WITH",
    "THE END", "IRIS OUT", "FADE OUT ON THE LIGHTHOUSE",
    # camera directions
    "CLOSE ON", "CLOSE ON NORA", "ANGLE ON", "NEW ANGLE", "REVERSE ANGLE", "CLOSE-UP",
    "CLOSE UP - THE KETTLE", "TWO SHOT", "INSERT", "INSERT - THE LEDGER", "BACK TO SCENE",
    "FLASH ON", "FLASHBACK", "MONTAGE", "END OF MONTAGE", "NORA'S POV",
    "CAMERA DRIFTS UP TO THE ROOF", "WIDE ON THE HARBOUR",
    # page headers and scene numbers
    "PAGE 7", "PAGE 131", "...CONTINUED...", "(CONTINUED)", "CONTINUED:", "CONTINUED",
    "4 12 CONTINUED - 412", "31 THE ORCHARD 3 1",
    # headings, sentences, words OCR leaves at the cue's column
    "INT. BARN - DAY", "WHAT?", "I", "A", "A.", "Nora",
    # headings without INT./EXT. (OCR'd and early drafts)
    "THE ORCHARD - A FOGGY MORNING", "NORA'S KITCHEN - LATER", "THE PIER - NIGHT",
])
def test_directions_and_headers_are_not_cues(text: str) -> None:
    assert not looks_like_cue(text)


def test_split_cue_keeps_the_name_and_its_extensions() -> None:
    assert split_cue("pelling (o.s.) (cont'd)") == ("PELLING", ("O.S.", "CONT'D"))
    assert split_cue("NORA VO") == ("NORA", ("V.O.",))
    assert split_cue("TILLY'S VOICE") == ("TILLY", ("VOICE",))


def test_a_script_keeps_directions_out_of_its_cast() -> None:
    cue, speech, action = " " * 25, " " * 15, " " * 5
    rows = [
        f"{action}INT. LIGHTHOUSE - NIGHT", "",
        f"{cue}NORA", f"{speech}The lamp has gone out again.", "",
        f"{cue}CLOSE ON NORA", f"{speech}Her hands shake over the matches.", "",
        f"{cue}PELLING", f"{speech}Then we light it by hand.", "",
        f"{cue}CUT TO", "",
        f"{cue}PAGE 2", f"{speech}continued from the last page", "",
        f"{cue}I", f"{speech}Nobody climbs those stairs at night.", "",
        f"{cue}NORA", f"{speech}I do. Every night.", "",
        f"{cue}M", f"{speech}Report back in the morning.", "",
    ]
    screenplay = parse_screenplay("\n".join(rows) + "\n")
    speakers = [el.speaker for el in screenplay.dialogue]
    assert speakers == ["NORA", "PELLING", "NORA", "M"]
    texts = " ".join(el.text for el in screenplay.elements if el.kind != "dialogue")
    assert "Her hands shake" in texts  # the direction's text is kept as action
