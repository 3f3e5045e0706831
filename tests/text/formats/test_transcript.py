"""Fan transcripts: one `Name: text` turn per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.formats import load_script, parse_transcript
from scriptalign.text.formats.transcript import looks_like_transcript

TEXT = """Sheldon: so if a kettle is left on the stove all night
agreed
Leonard: what are you getting at

[Scene: The apartment]
(Penny enters)
Mrs.  Cooper (to Sheldon): eat your supper
Unknown: one moment
Raj: (whispers) i cant hear anything
Man 2:
"""


def test_turns_unattributed_lines_and_directions() -> None:
    script = parse_transcript(TEXT)
    assert [(el.kind, el.speaker, el.text, el.lines) for el in script.elements] == [
        ("dialogue", "Sheldon", "so if a kettle is left on the stove all night", (1, 1)),
        ("dialogue", None, "agreed", (2, 2)),
        ("dialogue", "Leonard", "what are you getting at", (3, 3)),
        ("scene", None, "The apartment", (5, 5)),
        ("action", None, "Penny enters", (6, 6)),
        ("parenthetical", "Mrs. Cooper", "to Sheldon", (7, 7)),
        ("dialogue", "Mrs. Cooper", "eat your supper", (7, 7)),
        ("dialogue", "Unknown", "one moment", (8, 8)),
        ("parenthetical", "Raj", "whispers", (9, 9)),
        ("dialogue", "Raj", "i cant hear anything", (9, 9)),
    ]
    assert script.format == "transcript"
    assert script.cast == ["Sheldon", "Leonard", "Mrs. Cooper", "Unknown", "Raj"]


def test_no_named_turn_is_an_input_error() -> None:
    with pytest.raises(InputError, match="Name: text"):
        parse_transcript("just\nsome lines\n", "t.txt")


def test_detection_by_content_and_by_name(tmp_path: Path) -> None:
    assert looks_like_transcript(TEXT)
    assert not looks_like_transcript("               INT. ROOM - DAY\n\n   NOTE: hello\nprose\n")
    plain = tmp_path / "episode.txt"
    plain.write_text(TEXT, encoding="utf-8")
    assert load_script(plain).format == "transcript"
    mostly_prose = tmp_path / "mostly.transcript.txt"
    mostly_prose.write_text("a\nb\nc\nBob: hi\n", encoding="utf-8")
    assert load_script(mostly_prose).format == "transcript"


def test_shared_tv_transcripts(shared: Path) -> None:
    expected = {"bbt_s01e01": 364, "bbt_s01e02": 294, "bbt_s01e03": 300}
    for episode, turns in expected.items():
        path = shared / "data" / "tv" / episode / "transcript.txt"
        script = load_script(path)
        lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
        assert script.format == "transcript"
        assert len(script.dialogue) == len(lines) == turns
        assert {"Sheldon", "Leonard", "Penny"} <= set(script.cast)
        unattributed = [el for el in script.dialogue if el.speaker is None]
        assert len(unattributed) == sum(1 for ln in lines if ":" not in ln)


FILM_TRANSCRIPT = """Harbour Ledger: a transcript

[The pier at night.  Rain.  Margo waits under a lantern, checking her watch
again and again]

Margo [anxious]:  The ferry leaves at nine, and the ledger
is still in the office.

Desmond:  Then we run.  [He grabs her hand]  Now!

% The office, later.

Margo:
[perkily] It's butter-flavored!
"""


def test_paragraph_turns_wrapped_names_alone_and_directions() -> None:
    script = parse_transcript(FILM_TRANSCRIPT)
    got = [(el.kind, el.speaker, el.text) for el in script.elements]
    assert got == [
        ("dialogue", "Harbour Ledger", "a transcript"),
        ("action", None, "The pier at night. Rain. Margo waits under a lantern, checking "
                         "her watch again and again"),
        ("parenthetical", "Margo", "anxious"),
        ("dialogue", "Margo", "The ferry leaves at nine, and the ledger is still in the "
                              "office."),
        ("dialogue", "Desmond", "Then we run. Now!"),
        ("parenthetical", "Desmond", "He grabs her hand"),
        ("action", None, "The office, later."),
        ("parenthetical", "Margo", "perkily"),
        ("dialogue", "Margo", "It's butter-flavored!"),
    ]
    wrapped = script.elements[3]
    assert wrapped.lines == (6, 7)


def test_paragraph_transcripts_are_detected() -> None:
    assert looks_like_transcript(FILM_TRANSCRIPT * 3)
