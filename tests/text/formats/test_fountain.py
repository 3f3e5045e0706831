"""The Fountain reader's subset."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.formats import load_script, parse_fountain

SCRIPT = """Title: Casablanca (excerpt)
Credit: Written by
Author: Somebody
Draft date: 1942

INT. RICK'S CAFE - NIGHT #12#

Rick sits **alone**. /* cut this
and this */ Ilsa walks in. [[note: check]]

RICK (V.O.)
Of all the gin joints...
(beat)
...she walks into mine.

===

@McCLANE
Yippee.

ILSA
Play it.

SAM ^
I can't.

.FLASHBACK

!SAM DOESN'T PLAY.

> FADE TO BLACK.

>THE END<

CUT TO:

# Act two
= Synopsis line
EXT. AIRPORT - NIGHT

RICK
~Here's looking at you.
"""


def test_fountain_elements() -> None:
    script = parse_fountain(SCRIPT)
    got = [(el.kind, el.speaker, el.text, el.lines, el.flags) for el in script.elements]
    assert got == [
        ("scene", None, "INT. RICK'S CAFE - NIGHT", (6, 6), ()),
        ("action", None, "Rick sits alone. Ilsa walks in.", (8, 9), ()),
        ("dialogue", "RICK", "Of all the gin joints... ...she walks into mine.", (12, 14),
         ("V.O.",)),
        ("parenthetical", "RICK", "beat", (13, 13), ("V.O.",)),
        ("dialogue", "MCCLANE", "Yippee.", (19, 19), ()),
        ("dialogue", "ILSA", "Play it.", (22, 22), ("DUAL",)),
        ("dialogue", "SAM", "I can't.", (25, 25), ("DUAL",)),
        ("scene", None, "FLASHBACK", (27, 27), ()),
        ("action", None, "SAM DOESN'T PLAY.", (29, 29), ()),
        ("transition", None, "FADE TO BLACK.", (31, 31), ()),
        ("action", None, "THE END", (33, 33), ()),
        ("transition", None, "CUT TO:", (35, 35), ()),
        ("scene", None, "EXT. AIRPORT - NIGHT", (39, 39), ()),
        ("dialogue", "RICK", "Here's looking at you.", (42, 42), ()),
    ]
    assert script.format == "fountain"


def test_unclosed_boneyard_hides_the_rest() -> None:
    text = "BOB\nHi.\n\n/* everything\n\nALICE\nHello.\n"
    assert [el.speaker for el in parse_fountain(text).dialogue] == ["BOB"]


def test_no_dialogue_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "empty_scene.fountain"
    path.write_text("Title: Nothing\n\nINT. ROOM - DAY\n\nNothing happens.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no dialogue") as err:
        load_script(path)
    assert str(path) in str(err.value)


def test_extension_picks_fountain(tmp_path: Path) -> None:
    path = tmp_path / "casablanca.fountain"
    path.write_text(SCRIPT, encoding="utf-8")
    script = load_script(path)
    assert script.format == "fountain" and script.path == str(path)
    assert script.cast == ["RICK", "MCCLANE", "ILSA", "SAM"]
