"""Reader for fan transcripts: ``Name: text`` turns.

As in ``../shared/data/tv/bbt_s01e01/transcript.txt``:

* ``Sheldon: so if a kettle is left...`` -> a dialogue element, speaker ``"Sheldon"``;
* a line without a name (``agreed``) is an unattributed turn: a dialogue element with
  ``speaker=None``. It is kept as dialogue, not action, because the aligner needs its words
  to place its neighbours in time;
* a line that is wholly bracketed (``[Scene: The apartment]``, ``(Leonard enters)``) is a
  scene (when it starts with ``Scene:``) or an action element; so is a fan-site scene note
  opened by ``%``;
* ``Name (to Penny): text``, ``Name [yelling]: text`` and inline ``(sighs)`` or
  ``[perkily]`` give parenthetical elements.

Two ways to lay turns out are read: one turn per line (the TV transcripts), and one turn
per paragraph (fan transcripts of films that wrap long turns over several lines, with a
blank line between turns, sometimes with the name alone on the first line). The second is
chosen when most turns start right after a blank line; then the lines of a paragraph
belong to the turn that opens it, and a bracketed note may span several lines.

Speaker names are kept as written (so ``Unknown`` stays ``Unknown``) with runs of blanks
collapsed; comparing them with cast lists is the caller's business, case-insensitively.
A name is at most four words of letters/digits (``Mrs. Cooper``, ``Man in Crowd #2``) and
no sentence punctuation, so ``well: i think so`` style text is not mistaken for a name...
unless it is one or two plain words, which is the format's own ambiguity.
"""

from __future__ import annotations

import re
from pathlib import Path

from scriptalign.core.errors import InputError
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.speech import Speech, join_lines, speech_elements
from scriptalign.text.screenplay import Element, Screenplay

# Blanks are possessive (*+): "JOHN", a long run of blanks, no colon must not backtrack
# through every way to share the run between the two \s* (quadratic).
TURN = re.compile(
    r"^(?P<name>[^\W\d_][\w.'’\-]*(?: [\w.'’\-#]+){0,3}?)\s*+"
    r"(?P<paren>(?:[(\[][^()\[\]]*[)\]]\s*+)*)\s*+:"
    r"(?:\s+|$)(?P<text>.*)$"
)
_BRACKETED = re.compile(r"^[\[(](?P<inner>.*)[\])]$", re.S)
_SCENE = re.compile(r"^scene\s*:\s*", re.I)
_NOTE = re.compile(r"^%+\s*")  # a fan site's scene note: "% The diner, later."
_PARENS = re.compile(r"[(\[][^()\[\]]*[)\]]")


def parse_transcript(text: str, path: str | Path | None = None) -> Screenplay:
    """Parse a ``Name: text`` transcript; InputError when no line names a speaker."""
    lines = split_lines(text)
    blocks = _paragraphs(lines) if _by_paragraph(lines) else [
        [(n, line)] for n, line in enumerate(lines, start=1) if line.strip()]
    elements: list[Element] = []
    named = 0
    for block in blocks:
        named += _read_block(block, elements)
    if named == 0:
        raise InputError("no `Name: text` lines found (is this a transcript?)", path)
    return Screenplay(elements, None if path is None else str(path), "transcript")


def _is_turn(line: str) -> bool:
    return bool(line) and not line[0].isspace() and TURN.match(line.strip()) is not None


def _by_paragraph(lines: list[str]) -> bool:
    """True when most turns open a paragraph (a blank line before them)."""
    turns = opening = 0
    for i, line in enumerate(lines):
        if _is_turn(line):
            turns += 1
            opening += i == 0 or not lines[i - 1].strip()
    return turns > 0 and opening >= 0.6 * turns


def _paragraphs(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines; a turn line inside a run starts a new one."""
    out: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if current:
                out.append(current)
            current = []
            continue
        if current and _is_turn(line) and not _open_bracket(current):
            out.append(current)
            current = []
        current.append((number, line))
    if current:
        out.append(current)
    return out


def _open_bracket(block: list[tuple[int, str]]) -> bool:
    text = " ".join(line for _, line in block)
    return text.count("[") > text.count("]")


def _read_block(block: list[tuple[int, str]], elements: list[Element]) -> int:
    """Append the elements of one turn or note; 1 when it named a speaker."""
    first, last = block[0][0], block[-1][0]
    stripped = join_lines([line for _, line in block])
    note = _NOTE.match(stripped)
    if note:
        elements.append(Element("action", stripped[note.end():] or stripped, (first, last)))
        return 0
    bracketed = _BRACKETED.match(stripped)
    if bracketed and not _PARENS.sub("", stripped).strip():
        inner = bracketed.group("inner").strip()
        if _SCENE.match(inner):
            elements.append(Element("scene", _SCENE.sub("", inner).strip() or stripped,
                                    (first, last)))
        else:
            elements.append(Element("action", join_lines([inner]) or stripped, (first, last)))
        return 0
    head = " ".join(block[0][1].split())
    turn = TURN.match(head)
    if turn and _SCENE.match(head):
        elements.append(Element("scene", turn.group("text") or stripped, (first, last)))
        return 0
    if turn:
        speech = Speech(turn.group("name"), (), first)
        for paren in _PARENS.findall(turn.group("paren") or ""):
            speech.body.append((first, paren))
        if turn.group("text"):
            speech.body.append((first, turn.group("text")))
        speech.body.extend((n, " ".join(line.split())) for n, line in block[1:])
    else:
        speech = Speech("", (), first, [(n, " ".join(line.split())) for n, line in block])
    for element in speech_elements(speech, brackets=True):
        element.speaker = element.speaker or None
        elements.append(element)
    return 1 if turn else 0


def looks_like_transcript(text: str) -> bool:
    """True when most turns (lines, or paragraphs when turns are paragraphs) are
    flush-left ``Name: text`` turns."""
    lines = split_lines(text)[:4000]
    filled = [line for line in lines if line.strip()]
    if not filled:
        return False
    turns = sum(1 for line in filled if _is_turn(line))
    if turns >= 0.5 * len(filled):
        return True
    if not _by_paragraph(lines):
        return False
    paragraphs = _paragraphs(lines)
    return turns >= 0.5 * len(paragraphs) and turns >= 5
