"""Reading and writing WebVTT."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.formats import format_srt, format_vtt, load_subtitles, parse_srt, parse_vtt
from scriptalign.text.subtitles import Cue, SubtitleLine

SAMPLE = """WEBVTT - a test file
Kind: captions
Language: en

NOTE This is a comment
that spans two lines

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 align:start position:10%
<v Roger Bingham>We are in New York City

00:00:05.250 --> 00:00:07.000
<v.loud Neil deGrasse Tyson>Yes, and
we're actually</v>
- Really? &amp; <c.yellow>then</c> <00:00:06.500>what?

42
01:00:00.000 --> 01:00:01.500
[MUSIC]
♪ la la ♪
"""


def test_blocks_voices_and_timestamps() -> None:
    cues = parse_vtt(SAMPLE).cues
    assert [(c.index, c.start, c.end) for c in cues] == [
        (1, 1.0, 4.0), (2, 5.25, 7.0), (42, 3600.0, 3601.5)]
    lines = [[(ln.index, ln.text, ln.speaker) for ln in c.lines] for c in cues]
    assert lines == [
        [(0, "We are in New York City", "Roger Bingham")],
        [(0, "Yes, and", "Neil deGrasse Tyson"), (1, "we're actually", "Neil deGrasse Tyson"),
         (2, "Really? & then what?", None)],
        [(0, "", None), (1, "la la", None)],
    ]
    assert cues[0].lines[0].label == "Roger Bingham"
    assert cues[0].lines[0].raw == "<v Roger Bingham>We are in New York City"


def test_missing_header_and_crlf_are_tolerated(tmp_path: Path) -> None:
    body = SAMPLE.split("\n", 1)[1]
    path = tmp_path / "no_header.vtt"
    path.write_bytes(body.replace("\n", "\r\n").encode("utf-8"))
    assert [c.text for c in load_subtitles(path).cues] == [c.text for c in parse_vtt(SAMPLE).cues]


def test_zero_cues_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no subtitle cues"):
        parse_vtt("WEBVTT\n\nNOTE nothing here\n", "x.vtt")


def test_writer_uses_voice_tags_and_round_trips() -> None:
    cues = [
        Cue(1, 0.5, 2.0, [SubtitleLine("Tom & Jerry <3", 0, speaker="Rick Blaine"),
                          SubtitleLine("Who?", 1)]),
        Cue(3, 61.0, 62.0, [SubtitleLine("", 0, raw="(sighs)"),
                            SubtitleLine("Fine.", 1, speaker="Ilsa")]),
    ]
    text = format_vtt(cues)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:02.000\n"
                           "<v Rick Blaine>Tom &amp; Jerry &lt;3</v>\nWho?\n")
    again = parse_vtt(text).cues
    assert [(c.index, c.start, c.end) for c in again] == [(1, 0.5, 2.0), (3, 61.0, 62.0)]
    assert [[(ln.index, ln.text, ln.speaker) for ln in c.lines] for c in again] == [
        [(0, "Tom & Jerry <3", "Rick Blaine"), (1, "Who?", None)],
        [(0, "", None), (1, "Fine.", "Ilsa")],
    ]


def test_srt_to_vtt_and_back_keeps_cues() -> None:
    srt = ("3\n00:00:01,000 --> 00:00:02,000\n- Hi.\n- Hello.\n\n"
           "4\n00:00:03,000 --> 00:00:04,000\nBOB: Bye.\n")
    cues = parse_srt(srt).cues
    via_vtt = parse_vtt(format_vtt(cues)).cues
    assert [(c.index, c.start, [(ln.text, ln.speaker) for ln in c.lines]) for c in via_vtt] == [
        (3, 1.0, [("Hi.", None), ("Hello.", None)]), (4, 3.0, [("Bye.", "BOB")])]
    assert parse_srt(format_srt(via_vtt)).cues[1].lines[0].speaker == "BOB"


def test_writing_a_line_of_many_open_brackets_takes_linear_time() -> None:
    # an annotation-only raw line of 200,000 "<" and no ">": quadratic tag removal would
    # take minutes of CPU
    line = SubtitleLine("", 0, raw="<" * 200_000)
    started = time.process_time()
    text = format_vtt([Cue(1, 0.0, 1.0, [line])])
    assert time.process_time() - started < 5.0
    assert text.startswith("WEBVTT")
