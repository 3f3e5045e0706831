"""WebVTT (.vtt) reading and writing.

Reading follows the block structure of the format: the ``WEBVTT`` header block (lenient:
it may be missing), then blocks separated by blank lines. ``NOTE``, ``STYLE`` and
``REGION`` blocks are skipped; a cue block is an optional identifier line, a timing line
(``mm:ss.ttt`` or ``hh:mm:ss.ttt``, cue settings after the end time are ignored) and its
text lines. A block without a timing line in its first two lines is skipped.

* ``Cue.index``: a numeric cue identifier when it is larger than the previous cue's index,
  else the previous index + 1 (the position, 1-based, in files without identifiers);
* ``<v Name>`` voice tags give the line's ``label`` and ``speaker``; a voice applies to the
  following lines of the cue until ``</v>``; other markup and annotations are cleaned as
  for SRT (``scriptalign.text.formats.cleaning``).

Writing (``format_vtt``): a header, then each cue with its index as identifier, one text
line per ``SubtitleLine``, wrapped in ``<v Name>...</v>`` when the line has a speaker; ``&``,
``<`` and ``>`` are escaped, in the text and in the name (the reader unescapes both).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from scriptalign.core.errors import InputError
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.srt import RawCue, build_cues, line_for_writing
from scriptalign.text.formats.timestamps import format_time, parse_timing
from scriptalign.text.subtitles import Cue, Subtitles

# No "<" inside the tag: a "<v " that never closes must not make each later one scan to
# the end of the line (quadratic in the number of unclosed tags).
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s([^<>]*))?>")
_SKIPPED_BLOCKS = re.compile(r"^(NOTE|STYLE|REGION)(\s|$)")


def parse_vtt(text: str, path: str | Path | None = None) -> Subtitles:
    """Parse WebVTT text; InputError when it holds no cue."""
    raw: list[RawCue] = []
    voices: list[list[str | None]] = []
    for block in _blocks(text):
        if _SKIPPED_BLOCKS.match(block[0]) or block[0].startswith("WEBVTT"):
            continue
        at = next((k for k in range(min(2, len(block))) if parse_timing(block[k])), None)
        if at is None:
            continue
        timing = parse_timing(block[at])
        assert timing is not None
        number = block[0] if at == 1 else None
        body = [line.strip() for line in block[at + 1 :]]
        raw.append((number, timing[0], timing[1], body))
        voices.append(_voices(body))
    if not raw:
        raise InputError("no subtitle cues found (expected `00:01.000 --> 00:02.000` timing "
                         "lines of a WebVTT file)", path)
    cues = build_cues(raw, [[v is not None for v in cue_voices] for cue_voices in voices])
    for cue, cue_voices in zip(cues, voices, strict=True):
        for line, voice in zip(cue.lines, cue_voices, strict=True):
            if voice:
                line.label = line.speaker = voice
    return Subtitles(cues, None if path is None else str(path))


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in split_lines(text):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _voices(body: list[str]) -> list[str | None]:
    """The voice (speaker) of each line of one cue's text."""
    out: list[str | None] = []
    current: str | None = None
    for line in body:
        match = _VOICE.search(line)
        if match:  # the name may hold character references ("Bob &amp; Ann")
            current = " ".join(html.unescape(match.group(1) or "").split()) or None
        out.append(current)
        if "</v>" in line:
            current = None
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# "[^<>]" rather than "[^>]": a line of many "<" and no ">" must not take quadratic time
_TAG = re.compile(r"<[^<>]*>")


def format_vtt(cues: list[Cue]) -> str:
    """Write cues as WebVTT text with ``<v Name>`` voice tags for lines with a speaker."""
    blocks = ["WEBVTT\n"]
    for cue in cues:
        body = []
        for line in cue.lines:
            speaker = _escape(" ".join((line.speaker or "").split()))
            if speaker.endswith("-"):
                speaker += " "  # "<v X-->" would hold "-->", which ends a cue in WebVTT
            if speaker and line.text.strip():
                body.append(f"<v {speaker}>{_escape(' '.join(line.text.split()))}</v>")
            else:
                text = line_for_writing(line, upper_label=False)
                if not line.text.strip():
                    # A raw line written back (an annotation): its tags go, since escaped
                    # a "<v Bob>" or "</v>" would read back as text; markup alone is dropped.
                    text = _TAG.sub("", text).strip()
                if text:
                    body.append(_escape(text))
        timing = f"{format_time(cue.start, '.')} --> {format_time(cue.end, '.')}"
        blocks.append("\n".join([str(cue.index), timing, *body]) + "\n")
    return "\n".join(blocks)
