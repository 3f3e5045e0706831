"""ASS/SSA and MicroDVD subtitles."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign.core.errors import InputError, UsageError
from scriptalign.text.formats import load_subtitles

ASS = "\n".join([
    '[Script Info]',
    'ScriptType: v4.00+',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour,'
    ' BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle,'
    ' BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    'Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,'
    '100,0,0,1,2,2,2,10,10,10,1',
    'Style: Signs,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,10'
    '0,0,0,1,2,2,2,10,10,10,1',
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    'Dialogue: 0,0:00:05.00,0:00:07.00,Default,,0,0,0,,Second cue.',
    'Dialogue: 0,0:00:01.00,0:00:03.50,Default,,0,0,0,,{\\i1}The ferry{\\i0} leaves\\Nat nine.',
    'Dialogue: 0,0:00:02.00,0:00:04.00,Signs,,0,0,0,,HARBOUR OFFICE',
    "Comment: 0,0:00:02.00,0:00:04.00,Default,,0,0,0,,a translator's note",
    'Dialogue: 0,0:00:08.00,0:00:09.00,Default,,0,0,0,,{\\p1}m 0 0 l 100 0 100 100 0 100{\\p0}',
    '',
])


def cues(path: Path, **kw: float) -> list[tuple[int, float, float, list[str]]]:
    return [(c.index, c.start, c.end, [ln.text for ln in c.lines])
            for c in load_subtitles(path, **kw).cues]


def test_ass_dialogue_in_time_order_without_signs_comments_drawings(tmp_path: Path) -> None:
    path = tmp_path / "film.ass"
    path.write_text(ASS, encoding="utf-8")
    assert cues(path) == [(1, 1.0, 3.5, ["The ferry leaves", "at nine."]),
                          (2, 5.0, 7.0, ["Second cue."])]


def test_ass_without_dialogue_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "signs.ssa"
    path.write_text(ASS.split("Dialogue:")[0], encoding="utf-8")
    with pytest.raises(InputError, match="no dialogue events"):
        load_subtitles(path)


def test_microdvd_needs_a_frame_rate(tmp_path: Path) -> None:
    path = tmp_path / "film.sub"
    path.write_text("{25}{50}The ferry|leaves.\n{75}{100}{y:i}At nine.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--fps"):
        load_subtitles(path)
    assert cues(path, fps=25.0) == [(1, 1.0, 2.0, ["The ferry", "leaves."]),
                                    (2, 3.0, 4.0, ["At nine."])]


def test_microdvd_stated_rate_wins(tmp_path: Path) -> None:
    path = tmp_path / "film.sub"
    path.write_text("{1}{1}10\n{10}{20}Hi.\n", encoding="utf-8")
    assert cues(path, fps=25.0) == [(1, 1.0, 2.0, ["Hi."])]


def test_vobsub_pictures_are_named(tmp_path: Path) -> None:
    path = tmp_path / "film.sub"
    path.write_bytes(b"\x00\x00\x01\xba" + bytes(200))
    with pytest.raises(InputError, match="VobSub"):
        load_subtitles(path)
