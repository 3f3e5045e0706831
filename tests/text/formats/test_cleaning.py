"""Cleaning subtitle lines: markup, annotations, labels, music."""

from __future__ import annotations

import pytest

from scriptalign.text.formats.cleaning import CleanLine, clean_line, clean_lines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<i>Za druziye.</i>", CleanLine("Za druziye.")),
        ("<b><font color=\"#ffff00\">Run!</font></b>", CleanLine("Run!")),
        ("{\\an8}Up here.", CleanLine("Up here.")),
        ("{\\i1}Slanted{\\i0} words", CleanLine("Slanted words")),
        ("Tom &amp; Jerry", CleanLine("Tom & Jerry")),
        ("[LAUGHS]", CleanLine("")),
        ("(sighs) Fine.", CleanLine("Fine.")),
        ("I know [door slams] what you did.", CleanLine("I know what you did.")),
        ("- Hi.", CleanLine("Hi.")),
        ("-Hello.", CleanLine("Hello.")),
        ("JOHN: Where are you?", CleanLine("Where are you?", "JOHN")),
        ("- MAN #2: Over here!", CleanLine("Over here!", "MAN #2")),
        ("DR. SMITH: Sit down.", CleanLine("Sit down.", "DR. SMITH")),
        ("<i>JOHN:</i> [SHOUTS] Stop!", CleanLine("Stop!", "JOHN")),
        # bbt_s01e02/subs.srt: mixed-case "Name:" is what Sheldon says, not a label.
        ("Event B: We drive halfway", CleanLine("Event B: We drive halfway")),
        ("♪ Fly me to the moon ♪", CleanLine("Fly me to the moon", music=True)),
        ("# Let me play among the stars #", CleanLine("Let me play among the stars", music=True)),
        ("We're number #1", CleanLine("We're number #1")),
        ("...", CleanLine("")),
        ("It's 10:30: late.", CleanLine("It's 10:30: late.")),
    ],
)
def test_clean_line(raw: str, expected: CleanLine) -> None:
    assert clean_line(raw) == expected


def test_annotation_spanning_two_lines_of_a_cue() -> None:
    assert [c.text for c in clean_lines(["[man on", "radio] Come in.", "Over."])] == [
        "", "Come in.", "Over."]
