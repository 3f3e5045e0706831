"""Reader for Fountain screenplays (https://fountain.io), a pragmatic subset.

Supported (each element keeps its 1-based line span in the file):

* title page: ``Key: value`` lines (and their indented continuations) at the top, up to the
  first blank line, are skipped;
* boneyard ``/* ... */`` and notes ``[[ ... ]]`` are removed, also across lines; sections
  (``# Act``), synopses (``= ...``) and page breaks (``===``) are ignored;
* scene headings: a line starting ``INT``, ``EXT``, ``EST``, ``INT./EXT``, ``INT/EXT`` or
  ``I/E`` followed by a dot or a blank, after a blank line; forced with a leading ``.``;
  a trailing scene number ``#12A#`` is dropped;
* characters: an upper-case line (extensions may be lower-case) after a blank line and
  directly followed by text; forced with ``@``; ``^`` marks the second of a dual-dialogue
  pair (both speeches get the flag ``DUAL``); names are normalised like the indented
  reader's (``scriptalign.text.formats.cue``): upper-case, extensions as flags;
* parentheticals and dialogue: the lines after a character, up to a blank line;
  ``(wryly)`` lines and inline ``(...)`` become parenthetical elements; lyrics (``~``) in a
  speech are dialogue;
* transitions: an upper-case line ending in ``TO:`` between blank lines, or forced with
  ``>``; ``>centered<`` text is action;
* action: everything else (forced with ``!``), one element per paragraph.

Emphasis markers (``*italic*``, ``**bold**``, ``_underline_``) are removed from the text.
Not supported: dual-dialogue layout beyond the flag, ``{{`` markup, page-level metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Literal

from scriptalign.core.errors import InputError
from scriptalign.text.formats.cue import is_scene_heading, looks_like_cue, split_cue
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.speech import Speech, join_lines, speech_elements
from scriptalign.text.screenplay import Element, Screenplay

_BONEYARD = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_NOTE = re.compile(r"\[\[.*?(?:\]\]|\Z)", re.S)
_TITLE_KEY = re.compile(r"^[A-Za-z][A-Za-z ]*:")
_SCENE_NUMBER = re.compile(r"(?<!\s)\s*+#[\w.\-]++#\s*+$")  # blanks: see screenplay._CONTINUED
# Emphasis is ``(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1`` replaced by its inside; ``remove_emphasis``
# applies that rule without the regular expression, which rescans the rest of the line
# from every marker that never closes (quadratic in the markers of a line).
_MARKERS = ("***", "**", "*", "_")
_PAGE_BREAK = re.compile(r"^={3,}$")
_Kind = Literal["scene", "action", "transition", "character"]


def _blank_out(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")  # keep line numbers


def _closers(text: str, marker: str) -> list[int]:
    """Where ``marker`` may close a span: every occurrence right after a non-blank."""
    found = []
    at = text.find(marker, 1)
    while at != -1:
        if not text[at - 1].isspace():
            found.append(at)
        at = text.find(marker, at + 1)
    return found


def remove_emphasis(text: str) -> str:
    """Each ``*x*``, ``**x**``, ``***x***`` or ``_x_`` span replaced by its inside, scanning
    left to right like ``re.sub`` with the rule above, in O(n log n)."""
    if "\n" in text:  # a span never crosses a line end (``.`` in the rule)
        return "\n".join(remove_emphasis(line) for line in text.split("\n"))
    closers = {m: _closers(text, m) for m in _MARKERS if m in text}
    out: list[str] = []
    copied = i = 0
    while i < len(text):
        if text[i] == "*":
            stars = 1
            while stars < 3 and text[i + stars : i + stars + 1] == "*":
                stars += 1
            options = ["*" * k for k in range(stars, 0, -1)]
        elif text[i] == "_":
            options = ["_"]
        else:
            i += 1
            continue
        for marker in options:
            inside = i + len(marker)
            if inside >= len(text) or text[inside].isspace():
                continue
            ends = closers[marker]
            k = bisect_left(ends, inside + 1)
            if k < len(ends):
                out += [text[copied:i], text[inside : ends[k]]]
                i = copied = ends[k] + len(marker)
                break
        else:
            i += 1
    out.append(text[copied:])
    return "".join(out)


def _plain(text: str) -> str:
    return remove_emphasis(text).replace("\\*", "*").replace("\\_", "_")


def parse_fountain(text: str, path: str | Path | None = None) -> Screenplay:
    """Parse Fountain text; InputError when no dialogue is found."""
    text = _NOTE.sub(_blank_out, _BONEYARD.sub(_blank_out, "\n".join(split_lines(text))))
    lines = [line.rstrip() for line in text.split("\n")]
    start = _after_title_page(lines)
    items: list[Element | Speech] = []
    speech: Speech | None = None
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if paragraph:
            body = join_lines([t for _, t in paragraph])
            items.append(Element("action", body, (paragraph[0][0], paragraph[-1][0])))
            paragraph.clear()

    before_blank = True  # the previous line was blank (or ignored: sections, synopses)
    for i in range(start, len(lines)):
        stripped = lines[i].strip()
        number = i + 1
        if not stripped or _PAGE_BREAK.match(stripped):
            speech = None
            flush()
            before_blank = True
            continue
        if speech is not None:
            speech.body.append((number, _plain(stripped.lstrip("~").strip())))
            continue
        if stripped.startswith("#") or (stripped.startswith("=") and stripped[1:2] != "="):
            before_blank = True
            continue  # sections and synopses
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        kind, body = _classify(stripped, before_blank, after)
        before_blank = False
        if kind == "character":
            flush()
            dual = body.endswith("^")
            speaker, flags = split_cue(body.rstrip("^").strip())
            if dual:
                flags = (*flags, "DUAL")
                previous = next((it for it in reversed(items) if isinstance(it, Speech)), None)
                if previous is not None and "DUAL" not in previous.flags:
                    previous.flags = (*previous.flags, "DUAL")
            speech = Speech(speaker, flags, number)
            items.append(speech)
        elif kind == "action":
            paragraph.append((number, _plain(body)))
        else:
            flush()
            items.append(Element(kind, _plain(body), (number, number)))
    flush()
    elements: list[Element] = []
    for item in items:
        elements.extend(speech_elements(item) if isinstance(item, Speech) else [item])
    if not any(el.kind == "dialogue" for el in elements):
        raise InputError("no dialogue found: a Fountain character is an upper-case line "
                         "after a blank line, with the speech right under it", path)
    return Screenplay(elements, None if path is None else str(path), "fountain")


def _after_title_page(lines: list[str]) -> int:
    """Index of the first line after the title page (0 when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    if first == len(lines) or not _TITLE_KEY.match(lines[first].strip()):
        return 0
    for i in range(first, len(lines)):
        if not lines[i].strip():
            return i + 1
    return len(lines)


def _classify(text: str, before_blank: bool, after: str) -> tuple[_Kind, str]:
    """(kind, text) of a line outside a speech; kind "character" opens a speech."""
    if text.startswith("!"):
        return "action", text[1:].strip()
    if text.startswith("@") and after:
        return "character", text[1:].strip()
    if text.startswith(".") and not text.startswith("..") and len(text) > 1:
        return "scene", _SCENE_NUMBER.sub("", text[1:]).strip()
    if text.startswith(">") and text.endswith("<"):
        return "action", text[1:-1].strip()
    if text.startswith(">"):
        return "transition", text[1:].strip()
    if before_blank and is_scene_heading(text):
        return "scene", _SCENE_NUMBER.sub("", text).strip()
    upper = text == text.upper()
    if before_blank and upper and text.endswith("TO:") and not after:
        return "transition", text
    if before_blank and after and looks_like_cue(text.rstrip("^").strip(), max_len=60):
        return "character", text
    return "action", text
