"""Turning one speech (the lines under a character cue) into script elements.

A speech becomes one ``dialogue`` element (its text joined, ``lines`` spanning the first to
the last spoken line) plus one ``parenthetical`` element per stage direction, whether the
direction sits on its own line (``(to his men)``) or inside a spoken line, as
shrek_2001/script.txt often writes them (``(grabs the lamp) Mine now!``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from scriptalign.text.screenplay import Element

# shrek_2001/script.txt writes some directions in braces: "Well. {Coughs} So,".
_DIRECTION = re.compile(r"\([^()]*(?:\)|$)|\{[^{}]*(?:\}|$)")
# Fan transcripts write directions in square brackets too: "[perkily] It's butter-flavored!".
_DIRECTION_OR_BRACKET = re.compile(r"\([^()]*(?:\)|$)|\{[^{}]*(?:\}|$)|\[[^\[\]]*(?:\]|$)")
# star_wars_1977/script.txt breaks words at line ends: "short-" / "circuited".
_BROKEN_WORD = re.compile(r"(?<=[A-Za-z0-9])-\n(?=[A-Za-z0-9])")


@dataclass
class Speech:
    """The raw material of one speech, collected while reading the file."""

    speaker: str
    flags: tuple[str, ...]
    cue_line: int
    body: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, stripped text)


def join_lines(parts: list[str]) -> str:
    """Join wrapped lines into one string: single spaces, hyphen-broken words mended."""
    text = "\n".join(p.strip() for p in parts)
    text = _BROKEN_WORD.sub("-", text)
    return " ".join(text.split())


def speech_elements(speech: Speech, brackets: bool = False) -> list[Element]:
    """The parenthetical and dialogue elements of ``speech``, in reading order
    (``brackets``: ``[...]`` is a direction too)."""
    joined = "\n".join(text for _, text in speech.body)
    starts: list[int] = []
    pos = 0
    for _, text in speech.body:
        starts.append(pos)
        pos += len(text) + 1

    def line_at(offset: int) -> int:
        return speech.body[bisect_right(starts, offset) - 1][0]

    placed: list[tuple[int, Element]] = []  # (offset in ``joined``, element)
    spoken: list[tuple[int, str]] = []  # (offset, spoken text between directions)
    cursor = 0
    pattern = _DIRECTION_OR_BRACKET if brackets else _DIRECTION
    for match in pattern.finditer(joined):
        spoken.append((cursor, joined[cursor : match.start()]))
        inner = join_lines(match.group(0).split("\n")).strip("(){}[] ")
        if inner:
            span = (line_at(match.start()), line_at(max(match.start(), match.end() - 1)))
            placed.append((match.start(),
                           Element("parenthetical", inner, span, speech.speaker, speech.flags)))
        cursor = match.end()
    spoken.append((cursor, joined[cursor:]))
    lines: list[int] = []
    for offset, chunk in spoken:
        for piece in chunk.split("\n"):
            if piece.strip():
                lines.append(line_at(offset + len(piece) - len(piece.lstrip())))
            offset += len(piece) + 1
    text = join_lines([chunk for _, chunk in spoken])
    if text:
        first = next(offset + len(c) - len(c.lstrip()) for offset, c in spoken if c.strip())
        placed.append((first, Element("dialogue", text, (min(lines), max(lines)),
                                      speech.speaker, speech.flags)))
    placed.sort(key=lambda item: item[0])
    return [element for _, element in placed]
