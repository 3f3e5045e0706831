"""Cleaning subtitle text for matching: what is said, without markup and annotations.

One subtitle line in, one ``CleanLine`` out (the reader keeps the original in
``SubtitleLine.raw``). In order:

1. markup goes: ``<i>`` (star_wars_1977/subs.srt and most shared films), ``<b>``,
   ``<font ...>``, WebVTT ``<c.x>`` and inline timestamps, ASS overrides such as
   ``{\\an8}``; HTML entities (``&amp;``) are decoded;
2. hearing-impaired annotations go: ``[LAUGHS]``, ``(sighs)``, also when the bracket
   opens on one line of a cue and closes on the next;
3. music notes (``♪``, ``♫``, a ``#`` at either end) go, the lyrics stay, ``music`` is set;
4. a leading dialogue dash goes (bbt_s01e01/subs.srt puts two speakers in one cue so:
   ``- Hi.`` / ``- Hello.``);
5. an upper-case speaker label (``JOHN: Hi.``) goes into ``label``. Mixed-case ones stay
   text: in bbt_s01e02/subs.srt one speaker opens lines with a capitalised word and a
   colon (``Point B: we...``), and it is not a name.

Steps 2, 3, 5 and the ASS part of 1 are for hearing-impaired (SDH) and fansub files.
A line left with no letter or digit (only ``[LAUGHS]``, only ``...``) has text ``""``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BRACES = re.compile(r"\{[^{}]*\}")  # {\an8}, {\i1}, MicroDVD {y:i}
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>")  # <i>, </font>, <c.yellow>, <00:01.000>
_NOTE_GLYPHS = re.compile(r"[♪♫♬]")
_DASH = re.compile(r"^[-‐–—]+\s*")
# Letters of any script, upper-case ones kept by clean_text: format_srt writes a script's
# JOSÉ as "JOSÉ: ", which must read back as the speaker (tests/test_robust_roundtrip.py).
_LABEL = re.compile(r"^([^\W\d_](?:[^\W_]|[ .'’&#/\-])*(?:[^\W_]|[.'’#])|[^\W\d_]{2}):\s*")
_CLOSERS = {"[": "]", "(": ")"}


@dataclass
class CleanLine:
    text: str
    label: str | None = None
    music: bool = False


def strip_markup(text: str) -> str:
    """Remove tags and override blocks, decode entities."""
    return html.unescape(_TAG.sub("", _BRACES.sub("", text)))


def _strip_annotations(text: str, open_bracket: str | None) -> tuple[str, str | None]:
    """Remove [..] and (..) spans; return the rest and the bracket still open at the end."""
    if open_bracket is None and "[" not in text and "(" not in text:
        return text, None  # the common case, without a loop over characters
    out: list[str] = []
    depth_char = open_bracket
    for char in text:
        if depth_char is not None:
            if char == _CLOSERS[depth_char]:
                depth_char = None
            continue
        if char in _CLOSERS:
            depth_char = char
            continue
        out.append(char)
    return "".join(out), depth_char


def strip_hash_ends(text: str) -> tuple[str, bool]:
    """``text`` without the ``#`` marks (and blanks) at either end, and whether it had any.

    String methods, not the pattern ``^\\s*#+\\s*|\\s*#+\\s*$``: searched, that pattern
    starts again at every ``#`` or blank of a long run (quadratic in its length).
    """
    head = text.lstrip()
    found = head.startswith("#")
    if found:
        head = head.lstrip("#").lstrip()
    tail = head.rstrip()
    if tail.endswith("#"):
        found = True
        tail = tail.rstrip("#").rstrip()
    return (tail if found else text), found


def clean_lines(raw_lines: list[str], voiced: list[bool] | None = None) -> list[CleanLine]:
    """Clean the lines of one cue (an annotation may span two of its lines).

    ``voiced[k]``: line k is inside a WebVTT ``<v Name>`` span, which names its speaker, so
    a ``WORD:`` at its start is text, not a label (a writer puts it there on purpose).
    """
    out: list[CleanLine] = []
    open_bracket: str | None = None
    for k, raw in enumerate(raw_lines):
        text, open_bracket = _strip_annotations(strip_markup(raw), open_bracket)
        out.append(clean_text(text, labels=not (voiced and voiced[k])))
    return out


def clean_text(text: str, labels: bool = True) -> CleanLine:
    """Steps 3-5 on one line whose markup and annotations are already gone."""
    glyphs = bool(_NOTE_GLYPHS.search(text))
    text, hashes = strip_hash_ends(_NOTE_GLYPHS.sub(" ", text) if glyphs else text)
    music = glyphs or hashes
    text = _DASH.sub("", " ".join(text.split()))
    label = None
    match = _LABEL.match(text) if labels else None
    letters = [c for c in match.group(1) if c.isalpha()] if match else []
    if match and len(letters) >= 2 and all(c.isupper() for c in letters):
        label = " ".join(match.group(1).split())
        text = _DASH.sub("", text[match.end() :])
    if not any(c.isalnum() for c in text):
        text = ""
    return CleanLine(text.strip(), label, music)


def is_annotation(raw: str) -> bool:
    """Whether ``raw``, on a line of its own, holds no words and leaves no bracket open
    (``[LAUGHS]``, ``♪``; not ``(SIGHS``, whose bracket closes on the next line)."""
    text, still_open = _strip_annotations(strip_markup(raw), None)
    return still_open is None and not clean_text(text).text


def clean_line(raw: str) -> CleanLine:
    """Clean one line on its own (no annotation carried over from a previous line)."""
    return clean_lines([raw])[0]
