"""Property tests: garbage in gives a result or an InputError, never another exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptalign.core.errors import InputError
from scriptalign.text.formats import (
    format_srt,
    format_vtt,
    parse_fountain,
    parse_screenplay,
    parse_srt,
    parse_transcript,
    parse_vtt,
)
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.subtitles import Cue, SubtitleLine

# Text that looks a bit like the formats, so that the readers get past their first checks.
_PIECES = st.sampled_from([
    "\n", "\n\n", " " * 15, " " * 25, " " * 37, "\t", "INT. ROOM - DAY", "JOHN", "JOHN (V.O.)",
    "(beat)", "(MORE)", "CONTINUED:", "12.", "Hello there.", "CUT TO:", "Bob: hi", "[Scene: x]",
    "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:02.000", "1", "WEBVTT", "NOTE", "<v Bob>",
    "<i>", "</i>", "{\\an8}", "[LAUGHS]", "- ", "♪", "/*", "*/", "[[", "]]", "@", "^", ">", "<",
    "=== ", "~", "!", ".", "(", ")", "{", "}", "&amp;", "-->", ":", "\r", "\x00", "\ufeff",
    "²", "٣", "\x0c", "\u2028",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=60).map("".join))

PARSERS: list[Callable[..., Any]] = [
    parse_screenplay, parse_fountain, parse_transcript, parse_srt, parse_vtt]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda f: f.__name__)
def test_any_text_parses_or_raises_input_error(parse: Callable[..., Any]) -> None:
    @settings(max_examples=200, deadline=None)
    @given(TEXTS)
    def check(text: str) -> None:
        try:
            result = parse(text)
        except InputError as exc:
            assert "\n" not in str(exc)
            return
        for element in getattr(result, "elements", []):
            assert 1 <= element.lines[0] <= element.lines[1] <= len(split_lines(text))
        for cue in getattr(result, "cues", []):
            assert cue.start <= cue.end

    check()


_WORDS = st.lists(st.sampled_from(["hello", "there,", "it's", "Rick.", "what?", "42", "é"]),
                  min_size=1, max_size=6).map(" ".join)
_SPEAKERS = st.one_of(st.none(), st.sampled_from(["RICK", "ILSA", "DR. LASZLO", "MAN #2"]))
_LINES = st.lists(st.tuples(_WORDS, _SPEAKERS), max_size=3)
_CUES = st.lists(st.tuples(st.integers(0, 10_000_000), st.integers(0, 100_000), _LINES),
                 min_size=1, max_size=8)


def _cues(spec: list[tuple[int, int, list[tuple[str, str | None]]]]) -> list[Cue]:
    cues = []
    start = 0
    for k, (gap, length, lines) in enumerate(spec, start=1):
        start += gap
        body = [SubtitleLine(text, i, speaker=who) for i, (text, who) in enumerate(lines)]
        cues.append(Cue(k, start / 1000, (start + length) / 1000, body))
    return cues


@pytest.mark.parametrize(("write", "read"), [(format_srt, parse_srt), (format_vtt, parse_vtt)],
                         ids=["srt", "vtt"])
def test_write_then_read_round_trips(write: Callable[[list[Cue]], str],
                                     read: Callable[[str], Any]) -> None:
    @settings(max_examples=100, deadline=None)
    @given(_CUES)
    def check(spec: list[tuple[int, int, list[tuple[str, str | None]]]]) -> None:
        cues = _cues(spec)
        again = read(write(cues)).cues
        assert [(c.index, c.start, c.end) for c in again] == [(c.index, c.start, c.end)
                                                             for c in cues]
        assert [[(ln.index, ln.text, ln.speaker) for ln in c.lines] for c in again] == [
            [(ln.index, ln.text, ln.speaker) for ln in c.lines] for c in cues]

    check()
