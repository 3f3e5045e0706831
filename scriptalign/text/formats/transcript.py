"""Reader for fan transcripts: one turn per line, ``Name: text``.

As in ``../shared/data/tv/bbt_s01e01/transcript.txt``:

* ``Sheldon: so if a kettle is left...`` -> a dialogue element, speaker ``"Sheldon"``;
* a line without a name (``agreed``) is an unattributed turn: a dialogue element with
  ``speaker=None``. It is kept as dialogue, not action, because the aligner needs its words
  to place its neighbours in time;
* a line that is wholly bracketed (``[Scene: The apartment]``, ``(Leonard enters)``) is a
  scene (when it starts with ``Scene:``) or an action element;
* ``Name (to Penny): text`` and inline ``(sighs)`` give parenthetical elements.

Speaker names are kept as written (so ``Unknown`` stays ``Unknown``) with runs of blanks
collapsed; comparing them with cast lists is the caller's business, case-insensitively.
A name is at most four words of letters/digits (``Mrs. Cooper``, ``Man 2``) and no sentence
punctuation, so ``well: i think so`` style text is not mistaken for a name... unless it is
one or two plain words, which is the format's own ambiguity.
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
    r"^(?P<name>[^\W\d_][\w.'’\-]*(?: [\w.'’\-]+){0,3}?)\s*+(?P<paren>\([^()]*\))?\s*+:"
    r"(?:\s+|$)(?P<text>.*)$"
)
_BRACKETED = re.compile(r"^[\[(](?P<inner>.*)[\])]$")
_SCENE = re.compile(r"^scene\s*:\s*", re.I)


def parse_transcript(text: str, path: str | Path | None = None) -> Screenplay:
    """Parse a ``Name: text`` transcript; InputError when no line names a speaker."""
    elements: list[Element] = []
    named = 0
    for number, line in enumerate(split_lines(text), start=1):
        stripped = " ".join(line.split())
        if not stripped:
            continue
        bracketed = _BRACKETED.match(stripped)
        if bracketed and _SCENE.match(bracketed.group("inner")):
            heading = _SCENE.sub("", bracketed.group("inner")).strip()
            elements.append(Element("scene", heading or stripped, (number, number)))
            continue
        if bracketed:
            elements.append(Element("action", join_lines([bracketed.group("inner")]) or stripped,
                                    (number, number)))
            continue
        turn = TURN.match(stripped)
        if turn and _SCENE.match(stripped):
            elements.append(Element("scene", turn.group("text") or stripped, (number, number)))
            continue
        if turn:
            named += 1
            speech = Speech(turn.group("name"), (), number)
            if turn.group("paren"):
                speech.body.append((number, turn.group("paren")))
            speech.body.append((number, turn.group("text")))
        else:
            speech = Speech("", (), number, [(number, stripped)])
        for element in speech_elements(speech):
            element.speaker = element.speaker or None
            elements.append(element)
    if named == 0:
        raise InputError("no `Name: text` lines found (is this a transcript?)", path)
    return Screenplay(elements, None if path is None else str(path), "transcript")


def looks_like_transcript(text: str) -> bool:
    """True when most non-empty lines are flush-left ``Name: text`` turns."""
    lines = [line for line in split_lines(text) if line.strip()][:2000]
    if not lines:
        return False
    turns = sum(1 for line in lines if not line[0].isspace() and TURN.match(line.strip()))
    return turns >= 0.5 * len(lines)
