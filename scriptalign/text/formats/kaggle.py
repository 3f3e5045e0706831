"""Reader for the quoted transcripts of Kaggle data sets: ``"1" "LUKE" "text"``.

One turn per line: a running number, the speaker and the text, each in double quotes
(a quote inside is doubled), separated by blanks; an optional header line
``"character" "dialogue"``. Directions inside a turn (``(laughs)``, ``[beat]``) become
parentheticals, as in fan transcripts.
"""

from __future__ import annotations

import re
from pathlib import Path

from scriptalign.core.errors import InputError
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.speech import Speech, speech_elements
from scriptalign.text.screenplay import Element, Screenplay

_FIELD = r'"((?:[^"]|"")*)"'
ROW = re.compile(rf"^\s*(?:{_FIELD}\s+)?{_FIELD}\s+{_FIELD}\s*$")
_HEADER = re.compile(r'^\s*"?character"?\s+"?dialogue"?\s*$', re.I)


def _unquote(text: str) -> str:
    return text.replace('""', '"')


def looks_like_kaggle(text: str) -> bool:
    """True when most non-empty lines are quoted ``"n" "NAME" "text"`` rows."""
    lines = [ln for ln in split_lines(text)[:2000] if ln.strip()]
    rows = sum(1 for ln in lines if ROW.match(ln))
    return bool(lines) and rows >= 0.8 * len(lines) and rows >= 3


def parse_kaggle(text: str, path: str | Path | None = None) -> Screenplay:
    """Parse a quoted transcript; InputError when no row is found."""
    elements: list[Element] = []
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip() or _HEADER.match(line):
            continue
        row = ROW.match(line)
        if row is None:
            continue
        name = " ".join(_unquote(row.group(2)).split())
        words = " ".join(_unquote(row.group(3)).split())
        speech = Speech(name, (), number, [(number, words)])
        for element in speech_elements(speech, brackets=True):
            element.speaker = element.speaker or None
            elements.append(element)
    if not any(el.kind == "dialogue" for el in elements):
        raise InputError('no quoted `"1" "NAME" "text"` rows found', path)
    return Screenplay(elements, None if path is None else str(path), "kaggle")
