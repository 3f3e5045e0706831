"""Kaggle quoted transcripts: ``"1" "NAME" "text"`` rows."""

from __future__ import annotations

from pathlib import Path

from scriptalign.text.formats import load_script
from scriptalign.text.formats.kaggle import looks_like_kaggle, parse_kaggle

ROWS = ('"character" "dialogue"\n'
        '"1" "MARGO" "The ferry leaves at nine."\n'
        '"2" "DESMOND" "[sighs] Then we run for the ""old"" pier."\n'
        '"3" "MARGO" "Bring the ledger (quietly) and the lantern."\n')


def test_rows_speakers_quotes_and_directions() -> None:
    script = parse_kaggle(ROWS)
    assert [(el.kind, el.speaker, el.text, el.lines) for el in script.elements] == [
        ("dialogue", "MARGO", "The ferry leaves at nine.", (2, 2)),
        ("parenthetical", "DESMOND", "sighs", (3, 3)),
        ("dialogue", "DESMOND", 'Then we run for the "old" pier.', (3, 3)),
        ("dialogue", "MARGO", "Bring the ledger and the lantern.", (4, 4)),
        ("parenthetical", "MARGO", "quietly", (4, 4)),
    ]


def test_chosen_by_content_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "episode_iv.txt"
    path.write_text(ROWS, encoding="utf-8")
    assert load_script(path).format == "kaggle"
    assert not looks_like_kaggle("MARGO: The ferry leaves at nine.\n")
