"""Reader for plain-text screenplays in the indented IMSDb / weeklyscript layout.

The columns are learnt per file (``scriptalign.text.formats.layout``). Then each line is read
in context:

* a short upper-case line right of the dialogue column, directly followed by a dialogue
  or parenthetical line, is a character cue; the lines under it up to the next blank line
  are its speech (``scriptalign.text.formats.speech`` splits off the parentheticals);
* ``INT.``/``EXT.`` lines, and one-line upper-case paragraphs left of the cue column
  (shot headings such as ``CLOSE – GITTES``, shrek's ``DULOC - KITCHEN``) are scenes;
* ``CUT TO:``, ``FADE OUT.``, ``DISSOLVE TO:``... are transitions;
* everything else is action, one element per paragraph.

Page-break debris is dropped before that: ``(MORE)``, ``CONTINUED:`` lines, lone page
numbers, scene numbers around headings; a speech broken by a page (``(MORE)`` then
``JOHN (CONT'D)``) is joined back into one dialogue element.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from scriptalign.core.errors import InputError
from scriptalign.text.formats.cue import is_scene_heading, looks_like_cue, normalise_flag, split_cue
from scriptalign.text.formats.layout import (
    Layout,
    indent_of,
    is_double_spaced,
    learn_layout,
    undouble,
)
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.formats.speech import Speech, join_lines, speech_elements
from scriptalign.text.screenplay import Element, Screenplay

# Page-break debris of PDF conversions. No shared film has any (their sources were
# cleaned), IMSDb copies of shooting scripts commonly do.
_MORE = re.compile(r"^\(\s*MORE\s*\)$", re.I)
# Blanks are possessive (*+, ++): what follows each run is not a blank, so giving blanks
# back never helps, and trying to costs time cubic in the run ("CONTINUED", blanks, "x").
_CONTINUED = re.compile(
    r"^(?:\d+[A-Z]?\s++)?\(?\s*+CONTINUED\s*+\)?\s*+:?\s*+(\(\d+\))?(?:\s*+-?\s*+\d+[A-Z]?)?$",
    re.I)
_PAGE_NUMBER = re.compile(r"^(?:PAGE\s*)?\d{1,3}\s*\.?$", re.I)
# Revision marks and dated page headers of studio drafts ("REV. 4/30/82 35."), all capitals.
# Only tried on lines under 60 characters.
_REVISION = re.compile(r"^(?:REV(?:ISED|ISION)?\b\.?[^a-z]*\d[^a-z]*"
                       r"|[^a-z]*\b\d{1,2}/\d{1,2}/\d{2,4}\b[^a-z]*)$")
# A heading with its scene number at both ends ("12A  INT. HOUSE - DAY  12A"), at the
# start only or at the end only. (No shared film keeps them, though mission_impossible_1996
# notes that its printed copy had them; IMSDb copies often keep them.)
_NUMBER_BOTH = re.compile(r"^(\d+[A-Z]?\.?)\s++(.*?\S)\s++\1$")
_NUMBER_FRONT = re.compile(r"^\d+[A-Z]?\.?\s+(?=\S)")
_NUMBER_BACK = re.compile(r"(?<!\s)\s{2,}+\d+[A-Z]?\.?$")  # from the start of a run only
_TRANSITION = re.compile(
    r"^(?:[A-Z][A-Z0-9 .'’\-]* TO:|[A-Z][A-Z0-9 .'’\-]* TO BLACK\.?|"
    r"(?:FADE|CUT|DISSOLVE|SMASH CUT|MATCH CUT|JUMP CUT|WIPE|IRIS|BLACKOUT|INTERCUT)"
    r"(?: [A-Z .'’\-]*)?[:.]?|THE END\.?)$"
)
_FLAG_ONLY = re.compile(r"^\(([^()]*)\)$")
_INLINE_CUE = re.compile(r"^([A-Z][A-Z.'’\-]*(?: [A-Z][A-Z.'’\-]*){0,2})\s+([A-Z\"“'‘(.].*)$")
_CAPS_WORD = re.compile(r"^[A-Z][A-Z'’\-]+\b")
_COLUMN_GAP = re.compile(r"\S(?:.*?\S)?(?=\s{3,}|$)")


def parse_screenplay(text: str, path: str | Path | None = None) -> Screenplay:
    """Parse an indented screenplay; InputError when no dialogue is found."""
    screenplay, _ = read_screenplay(text, path)
    return screenplay


def read_screenplay(text: str, path: str | Path | None = None, *,
                    bold: set[int] | None = None) -> tuple[Screenplay, Layout]:
    """``parse_screenplay`` that also returns the layout it detected. ``bold``: the
    1-based lines a web page set in bold; when there are some, only they can be cues."""
    lines = [line.expandtabs(8).rstrip() for line in split_lines(text)]
    kept = _drop_debris(lines)
    if is_double_spaced(lines):
        kept = undouble(kept)
    layout = learn_layout(kept)
    if layout is None:
        raise InputError(
            "no dialogue found: expected upper-case character names above their speeches "
            "(for a `Name: text` transcript name the file *.transcript.txt)", path)
    kept = _join_cues(kept, layout)
    elements = _Reader(kept, lines, layout, bold or set()).read()
    if not any(el.kind == "dialogue" for el in elements):
        raise InputError("no dialogue found (is this a screenplay?)", path)
    return Screenplay(elements, None if path is None else str(path), "screenplay"), layout


def _join_cues(kept: list[str | None], layout: Layout) -> list[str | None]:
    """Drop the blank line between a cue and its speech: in a blank-after-cue layout, and
    in any layout before a parenthetical (OCR'd scripts lose and add blank lines)."""
    out = list(kept)
    for i in range(len(kept) - 2):
        line, gap, after = kept[i], kept[i + 1], kept[i + 2]
        if not (line and gap is not None and not gap.strip() and after and after.strip()):
            continue
        col, next_col = indent_of(line), indent_of(after)
        if col < layout.min_cue or not looks_like_cue(line.strip()):
            continue
        under = layout.spacing == "blank-after-cue" and (
            abs(next_col - col) <= 2 if layout.flat else layout.min_dialogue <= next_col < col)
        if under or (after.strip().startswith("(") and next_col >= layout.min_dialogue):
            out[i + 1] = None
    return out


def _drop_debris(lines: list[str]) -> list[str | None]:
    """Replace page-break debris by None (neither text nor a paragraph break)."""
    kept: list[str | None] = [
        None if _MORE.match(line.strip()) or _CONTINUED.match(line.strip())
        or (len(line.strip()) < 60 and _REVISION.match(line.strip())) else line
        for line in lines
    ]

    def empty(j: int) -> bool:
        return j < 0 or j >= len(kept) or not (kept[j] or "").strip()

    for i, line in enumerate(lines):
        # birthday_girl_2001/script.txt:4281 wraps "gate\n12." inside a paragraph: a
        # number is a page number only when it stands alone between blanks or debris.
        if _PAGE_NUMBER.match(line.strip()) and empty(i - 1) and (
                empty(i + 1) or line.strip().endswith(".")):
            # OCR'd and pasted scripts lose the blank line under the page number ("7." then
            # the first line of the page); a number ending a sentence has text before it.
            kept[i] = None
    return kept


def strip_scene_number(text: str) -> str:
    both = _NUMBER_BOTH.match(text)
    if both:
        return both.group(2)
    return _NUMBER_BACK.sub("", _NUMBER_FRONT.sub("", text))


def is_transition(text: str) -> bool:
    return text == text.upper() and bool(_TRANSITION.match(text))


class _Reader:
    """One pass over the lines of a screenplay, emitting elements as it goes."""

    def __init__(self, lines: list[str | None], original: list[str], layout: Layout,
                 bold: set[int]) -> None:
        self.bold = bold
        self.known_cues: Counter[str] = Counter()
        self.lines = lines
        self.original = original
        self.layout = layout
        # Speeches stay open objects until the end: a page break may resume one.
        self.items: list[Element | Speech] = []
        self.speech: Speech | None = None
        self.resumable: Speech | None = None  # the last speech, when it ended in (MORE)
        self.paragraph: list[tuple[int, str]] = []

    def read(self) -> list[Element]:
        if self.layout.flat:
            self.known_cues = Counter(
                split_cue(line.strip())[0] for i, line in enumerate(self.lines)
                if line and looks_like_cue(line.strip()) and self.next_text(i))
        for i, line in enumerate(self.lines):
            if line is None:
                if self.speech is not None and _MORE.match(self.original[i].strip()):
                    self.resumable = self.speech
                continue
            text = line.strip()
            if not text:
                self.speech = None
                self.end_paragraph()
            elif self.speech is None or not self.in_speech(i, line, text):
                self.outside_speech(i, line, text)
        self.end_paragraph()
        out: list[Element] = []
        for item in self.items:
            out.extend(speech_elements(item) if isinstance(item, Speech) else [item])
        return out

    def next_text(self, i: int) -> str | None:
        """The next line that is not debris, or None at the end of the file."""
        for j in range(i + 1, len(self.lines)):
            if self.lines[j] is not None:
                return self.lines[j]
        return None

    def is_cue(self, i: int, line: str, text: str) -> bool:
        if indent_of(line) < self.layout.min_cue or not looks_like_cue(text):
            return False
        if _NUMBER_BOTH.match(text):
            return False  # a shot heading between its scene numbers: "15 MCCLANE 15"
        if self.bold and i + 1 not in self.bold:
            return False
        after = self.next_text(i)
        if after is None or not after.strip():
            return False  # mission_impossible_1996/script.txt:45: a "KIEV" caption
        if after.strip().startswith("("):
            return True
        if self.layout.flat:
            return self.is_flat_cue(i, line, after)
        # mission_impossible_1996/script.txt:4431: a centred caption ("TGV.  LONDON
        # TERMINUS" over "Noon.") has its second line right of the first; dialogue is left.
        return self.layout.min_dialogue <= indent_of(after) < indent_of(line)

    def is_flat_cue(self, i: int, line: str, after: str) -> bool:
        """Flat layout: a cue stands after a blank line, over a speech line at its own
        indent that is no wider than speech lines are."""
        before = self.previous_text(i)
        if before is not None and before.strip():
            return False
        return (abs(indent_of(after) - indent_of(line)) <= 2
                and not looks_like_cue(after.strip()) and not self.too_wide(after))

    def too_wide(self, line: str) -> bool:
        width = self.layout.dialogue_width
        return width is not None and len(line.strip()) > width + 6

    def previous_text(self, i: int) -> str | None:
        for j in range(i - 1, -1, -1):
            if self.lines[j] is not None:
                return self.lines[j]
        return None

    def in_speech(self, i: int, line: str, text: str) -> bool:
        """Handle a line while a speech is open; False hands it to ``outside_speech``."""
        speech = self.speech
        assert speech is not None
        if self.is_cue(i, line, text) or self.is_dual_cue(i, text):
            self.speech = None
            return False
        if indent_of(line) < self.layout.min_dialogue or (
                self.layout.flat and speech.body and self.too_wide(line)):
            # Tight layouts start the action right under the speech, without a blank line;
            # flat ones tell it by its width.
            self.speech = None
            return False
        flag = _FLAG_ONLY.match(text)
        if flag and not speech.body and normalise_flag(flag.group(1)) == "CONT'D":
            # mission_impossible_1996/script.txt:326: "FLIGHT ATTENDANT" / "(CONT'D)".
            speech.flags = (*speech.flags, "CONT'D")
            return True
        speech.body.append((i + 1, text))
        return True

    def outside_speech(self, i: int, line: str, text: str) -> None:
        resumable, self.resumable = self.resumable, None
        if self.is_dual_cue(i, text):
            self.end_paragraph()
            self.read_dual(i, text)
            return
        if self.is_cue(i, line, text):
            self.end_paragraph()
            speaker, flags = split_cue(text)
            if resumable is not None and resumable.speaker == speaker:
                self.speech = resumable  # the same speech, resumed after a page break
            else:
                self.speech = Speech(speaker, flags, i + 1)
                self.items.append(self.speech)
            return
        last = self.items[-1] if self.items and not self.paragraph else None
        if is_transition(text):
            self.end_paragraph()
            self.items.append(Element("transition", text, (i + 1, i + 1)))
        elif (isinstance(last, Element) and last.kind == "scene" and last.lines[1] == i
              and last.text.endswith("-") and text == text.upper()):
            # star_wars_1977/script.txt:416: a heading wrapped before its "DAY".
            last.text = f"{last.text} {strip_scene_number(text)}"
            last.lines = (last.lines[0], i + 1)
        elif self.is_heading(i, line, text):
            self.end_paragraph()
            heading = strip_scene_number(text)
            heading = heading if is_scene_heading(heading) else text
            self.items.append(Element("scene", heading, (i + 1, i + 1)))
        elif self.inline_cue(i, text):
            return
        else:
            self.paragraph.append((i + 1, text))

    def inline_cue(self, i: int, text: str) -> bool:
        """Flat layouts: a cue sharing its line with the speech ("HAWLEY Christ, what a
        pit..."), as OCR joins them. Only a name the file uses as a cue of its own, at the
        start of a paragraph, followed by a capital (action that names a character goes on
        in lower case: "HAWLEY walks in")."""
        if not self.layout.flat or self.paragraph:
            return False
        before = self.previous_text(i)
        match = _INLINE_CUE.match(text)
        if match is None or (before is not None and before.strip()):
            return False
        name, rest = match.group(1), match.group(2)
        if self.known_cues.get(name, 0) < 2 or _CAPS_WORD.match(rest):
            return False
        self.end_paragraph()
        self.speech = Speech(name, (), i + 1, [(i + 1, rest)])
        self.items.append(self.speech)
        return True

    def is_heading(self, i: int, line: str, text: str) -> bool:
        if is_scene_heading(strip_scene_number(text)):
            return True
        # chinatown_1974/script.txt ("CLOSE – GITTES"), shrek_2001/script.txt ("DULOC -
        # KITCHEN", it has no INT./EXT. at all): a one-line upper-case paragraph at the
        # action column. Centred ones are title-page lines or captions (mission_impossible_
        # 1996/script.txt:45 "KIEV"): action.
        if (self.paragraph or (indent_of(line) >= self.layout.min_dialogue
                               and not self.layout.flat)
                or text != text.upper() or not any(c.isalpha() for c in text)):
            return False
        after = self.next_text(i)
        return (after is None or not after.strip()) and len(text) <= 60

    def is_dual_cue(self, i: int, text: str) -> bool:
        if "   " not in text:
            return False
        names = _COLUMN_GAP.findall(text)
        after = self.next_text(i)
        return (len(names) == 2 and all(looks_like_cue(n) for n in names)
                and after is not None and bool(after.strip()))

    def read_dual(self, i: int, text: str) -> None:
        """Dual dialogue: two cues on one line, their speeches side by side below.

        Each line below is cut into column chunks (runs of 3+ blanks separate them); a
        chunk starting near the first chunk's column belongs to the left speaker.
        """
        speeches = []
        for name in _COLUMN_GAP.findall(text):
            speaker, flags = split_cue(name)
            speeches.append(Speech(speaker, (*flags, "DUAL"), i + 1))
        left, right = speeches
        left_col: int | None = None
        for j in range(i + 1, len(self.lines)):
            line = self.lines[j]
            if line is None:
                continue
            if not line.strip():
                break
            # PDF conversions stack rows of dual dialogue without a blank line between them.
            if self.is_dual_cue(j, line.strip()) or self.is_cue(j, line, line.strip()):
                break
            self.lines[j] = None  # consumed here
            for match in _COLUMN_GAP.finditer(line):
                if left_col is None:
                    left_col = match.start()
                side = left if match.start() <= left_col + 3 else right
                side.body.append((j + 1, match.group(0)))
        self.items.extend(speeches)

    def end_paragraph(self) -> None:
        if self.paragraph:
            first, last = self.paragraph[0][0], self.paragraph[-1][0]
            text = join_lines([t for _, t in self.paragraph])
            self.items.append(Element("action", text, (first, last)))
            self.paragraph = []
