"""SubRip (.srt) reading and writing.

Reading: pysrt parses the file first. Its result is kept only when it accounts for every
non-blank line of the file (each cue = number + timing line + text lines): pysrt silently
merges two cues when the blank line between them is missing (the number and timing of the
second become text of the first), drops text after a blank line inside a cue, and keeps a
non-numeric counter as a string. Otherwise a lenient reader takes over: every timing line
starts a cue, the integer line right above a timing line is that cue's number, and the
text is whatever lies between. (The lenient reader is for hand-edited and ripped files:
missing blank lines, bad numbering, empty cues.)
CRLF and BOMs are gone before either runs (the films' subs.srt are CRLF). Either way:

* ``Cue.index`` is the number written in the file when it is an integer larger than the
  previous cue's; otherwise (missing, garbled, repeated) the previous index + 1;
* each text line of a cue is one ``SubtitleLine`` whose ``index`` is its position in the
  cue, as in the TV benchmark (``bbt_s01e01/gt_speakers.jsonl`` keys lines by
  ``(srt_index, line)``); a cue with no text has no lines;
* text is cleaned by ``scriptalign.text.formats.cleaning``; an upper-case ``JOHN:`` label
  becomes the line's ``label`` and ``speaker``.

Writing (``format_srt``): one file line per ``SubtitleLine``, prefixed ``NAME: `` (the
speaker upper-cased, so that reading it back finds the label) when it has a speaker. A line
whose cleaned text is empty is written as its raw text when that reads back as a line without
words (``[LAUGHS]``), else left out (half of an annotation spread over two lines). A text
line that would read as a timing line gets an empty ``<i></i>`` in front.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scriptalign.core.errors import InputError, UsageError
from scriptalign.text.formats.cleaning import clean_lines, is_annotation, strip_markup
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.timestamps import (
    TIMING_LINE,
    format_time,
    parse_timing,
    timing_problem,
)
from scriptalign.text.subtitles import Cue, SubtitleLine, Subtitles

# (number as written or None, start, end, text lines)
RawCue = tuple[str | None, float, float, list[str]]


def parse_srt(text: str, path: str | Path | None = None) -> Subtitles:
    """Parse SRT text; InputError when it holds no cue."""
    text = "\n".join(split_lines(text))
    raw = _read_with_pysrt(text)
    if raw is None:
        raw = _read_leniently(text)
    if not raw:
        raise InputError("no subtitle cues found (expected `00:00:01,000 --> 00:00:02,000` "
                         "timing lines of an .srt file)", path)
    timings = [line.strip() for line in text.split("\n") if TIMING_LINE.match(line)]
    cues = build_cues(raw)
    kept, problems = drop_impossible(cues, timings, path)
    return Subtitles(kept, None if path is None else str(path), problems=problems)


def drop_impossible(cues: list[Cue], timings: list[str], path: str | Path | None
                    ) -> tuple[list[Cue], list[str]]:
    """Cues whose timing line is possible, and one line per kind of impossible time
    (counted, with the first offending cue). A cue that ends before it starts is kept as
    an instant; one with minutes or seconds past 59 is left out. InputError when no cue
    is left."""
    found: dict[str, list[tuple[Cue, str]]] = {}
    kept: list[Cue] = []
    for cue, line in zip(cues, timings, strict=True):
        problem = timing_problem(line)
        if problem is not None:
            found.setdefault(problem, []).append((cue, line))
        if problem is None or problem == "ends before it starts":
            kept.append(cue)
    if not kept:
        first_cue, first_line = next(iter(found.values()))[0]
        raise InputError(f"no cue has a possible time (cue {first_cue.index}: "
                         f"`{first_line}`)", path)
    notes = []
    for problem, bad in found.items():
        action = "kept as instants" if problem == "ends before it starts" else "left out"
        notes.append(f"{len(bad)} cue(s) with impossible times ({problem}; first: cue "
                     f"{bad[0][0].index} `{bad[0][1]}`): {action}")
    return kept, notes


def build_cues(raw: list[RawCue], voiced: list[list[bool]] | None = None) -> list[Cue]:
    """Number, clean and split the raw cues (shared with the WebVTT reader, which says
    which lines are inside a voice span)."""
    cues: list[Cue] = []
    previous = 0
    for c, (number, start, end, text_lines) in enumerate(raw):
        # The number as written, even from 0 or repeated (a cue is cited by it); a missing
        # or garbled one continues the count.
        written = number.strip() if number else ""
        index = int(written) if written.isdecimal() else previous + 1
        previous = index
        lines = [
            SubtitleLine(clean.text, k, text_line, clean.label, clean.label)
            for k, (text_line, clean) in enumerate(zip(
                text_lines, clean_lines(text_lines, voiced[c] if voiced else None), strict=True))
        ]
        cues.append(Cue(index, start, end, lines))
    return cues


def _read_with_pysrt(text: str) -> list[RawCue] | None:
    """pysrt's reading of ``text``, or None when it does not account for every line."""
    import pysrt

    try:
        items = pysrt.SubRipFile.from_string(text)
    except Exception:  # pysrt raises assorted errors on garbage; the lenient reader decides
        return None
    timings: list[tuple[float, float, str]] = []
    content_lines = 0
    for line in text.split("\n"):
        if line.strip():
            content_lines += 1
            timing = parse_timing(line)
            if timing is not None:
                timings.append(timing)
    if len(items) != len(timings):
        return None
    accounted = 0
    raw: list[RawCue] = []
    for item, (start, end, _) in zip(items, timings, strict=True):
        body = item.text.split("\n") if item.text else []
        number = str(item.index)
        if (not number.isdecimal() or any(not ln.strip() or TIMING_LINE.match(ln) for ln in body)
                or item.start.ordinal != round(start * 1000)
                or item.end.ordinal != round(end * 1000)):
            return None  # e.g. "00:00:01,5": pysrt reads 5 ms, we read 500 ms
        accounted += 2 + len(body)
        raw.append((number, start, end, [ln.strip() for ln in body]))
    return raw if accounted == content_lines else None


def _read_leniently(text: str) -> list[RawCue]:
    lines = [line.strip() for line in text.split("\n")]
    timings = [i for i, line in enumerate(lines) if TIMING_LINE.match(line)]
    numbers = [_number_line(lines, i) for i in timings]
    raw: list[RawCue] = []
    for k, i in enumerate(timings):
        timing = parse_timing(lines[i])
        assert timing is not None
        stop = len(lines)
        if k + 1 < len(timings):
            stop = timings[k + 1] - (numbers[k + 1] is not None)
        number = lines[i - 1] if numbers[k] is not None else None
        body = [line for line in lines[i + 1 : max(i + 1, stop)] if line]
        raw.append((number, timing[0], timing[1], body))
    return raw


def _number_line(lines: list[str], i: int) -> int | None:
    """The line holding the number of the cue whose timing is line ``i``, if any.

    An integer right above the timing line, even with no blank line before it (the
    previous cue's text runs into it); or any single line between a blank and the timing
    (a garbled number such as "x" or "1O").
    """
    if i == 0 or not lines[i - 1]:
        return None
    if lines[i - 1].isdecimal() or i == 1 or not lines[i - 2]:
        return i - 1
    return None


def line_for_writing(line: SubtitleLine, upper_label: bool) -> str:
    """The text to write for one line: cleaned text with its speaker, or its raw text."""
    text = " ".join(line.text.split())
    if not text:
        # Written as it is only when it reads back the same: an annotation left open
        # ("(SIGHS" / "HEAVILY)") would swallow the cue's next lines.
        return " ".join(line.raw.split()) if is_annotation(line.raw) else ""
    if line.speaker:
        name = " ".join(line.speaker.split())
        return f"{name.upper() if upper_label else name}: {text}"
    return text


def _not_timing(text: str) -> str:
    """A text line that reads as a timing line once cleaned (``<i>00:01:02,000 --> ...``)
    would start a cue of its own: an empty tag in front keeps it text, and cleaning drops it."""
    return f"<i></i>{text}" if TIMING_LINE.match(text) else text


def _markup_as_text(text: str) -> str:
    """Text that reading would take markup out of (``a<i>b``: a tag a first reading left,
    because it hid inside another) written with character references, which the reader
    turns back into the same characters after it removes markup."""
    if strip_markup(text) == text:
        return text  # the usual case: written as it is, readable by any player
    for char, ref in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("{", "&#123;"),
                      ("}", "&#125;")):
        text = text.replace(char, ref)
    return text


def format_srt(cues: list[Cue]) -> str:
    """Write cues as SRT text (``\\n`` line ends; see the module doc for speakers)."""
    blocks = []
    for cue in cues:
        written = ((ln, line_for_writing(ln, True)) for ln in cue.lines)
        body = [_not_timing(_markup_as_text(t) if ln.text.strip() else t) for ln, t in written
                if t]
        timing = f"{format_time(cue.start)} --> {format_time(cue.end)}"
        blocks.append("\n".join([str(cue.index), timing, *body]) + "\n")
    return "\n".join(blocks)


SPEAKER_MODES = ("prefix", "change", "none")


def label_speakers(cues: list[Cue], mode: str) -> list[Cue]:
    """Copies of ``cues`` whose lines keep the speaker only where ``mode`` shows it:
    ``prefix`` on every line, ``change`` on the first line of each new speaker (the way
    hearing-impaired subtitles name speakers), ``none`` nowhere."""
    if mode not in SPEAKER_MODES:
        raise UsageError(f"--speakers {mode!r} is not one of {', '.join(SPEAKER_MODES)}")
    out: list[Cue] = []
    last: str | None = None
    for cue in cues:
        lines = []
        for line in cue.lines:
            shown = line.speaker
            if mode == "none" or (mode == "change" and line.speaker == last):
                shown = None
            if line.speaker is not None and line.text.strip():
                last = line.speaker
            lines.append(dataclasses.replace(line, speaker=shown))
        out.append(dataclasses.replace(cue, lines=lines))
    return out
