"""Picking the reader: extension first, then content."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign.core.errors import InputError, UsageError
from scriptalign.text.formats import (
    SUBTITLE_FORMATS,
    format_subtitles,
    load_script,
    load_subtitles,
    script_format,
    subtitle_format,
)
from scriptalign.text.subtitles import Cue, SubtitleLine

SRT = "1\n00:00:01,000 --> 00:00:02,000\nHi.\n"
VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Bob>Hi.\n"
SCREENPLAY = (" " * 15 + "INT. ROOM - DAY\n\n" + " " * 37 + "BOB\n" + " " * 25 + "Hi.\n")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.srt", VTT, "srt"),  # the extension wins
        ("a.VTT", SRT, "vtt"),
        ("a.txt", VTT, "vtt"),
        ("a.sub", SRT, "srt"),
        ("a.txt", "hello\n", None),
    ],
)
def test_subtitle_format(name: str, text: str, expected: str | None) -> None:
    assert subtitle_format(name, text) == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.fountain", SCREENPLAY, "fountain"),
        ("a.transcript.txt", SCREENPLAY, "transcript"),
        ("a.txt", "Bob: hi\nAnn: hello\n", "transcript"),
        ("a.txt", SCREENPLAY, "screenplay"),
    ],
)
def test_script_format(name: str, text: str, expected: str) -> None:
    assert script_format(name, text) == expected


def test_load_by_content(tmp_path: Path) -> None:
    captions = tmp_path / "captions.txt"
    captions.write_text(VTT, encoding="utf-8")
    subs = load_subtitles(captions)
    assert subs.cues[0].lines[0].speaker == "Bob" and subs.encoding == "utf-8"
    script = tmp_path / "script.txt"
    script.write_text(SCREENPLAY, encoding="utf-8")
    loaded = load_script(script)
    assert loaded.format == "screenplay" and loaded.cast == ["BOB"]


def test_not_a_subtitle_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("nothing to see\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a subtitle file"):
        load_subtitles(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_script(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="no such file"):
        load_subtitles(tmp_path / "absent.srt")


def test_format_subtitles_by_name() -> None:
    cues = [Cue(1, 1.0, 2.0, [SubtitleLine("Hi.", 0, speaker="Bob")])]
    assert format_subtitles(cues, "vtt") == SUBTITLE_FORMATS["vtt"].write(cues)
    assert "BOB: Hi." in format_subtitles(cues, "srt")
    with pytest.raises(UsageError):
        format_subtitles(cues, "ass")


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\x7fELF\x02\x01\x00\x00" * 64])
def test_empty_or_binary_script(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "script.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        load_script(path)
    assert str(err.value).startswith(str(path)) and "\n" not in str(err.value)
