"""Learning the column layout of a plain-text screenplay from the file itself.

Plain-text screenplays (IMSDb, weeklyscript) put action, dialogue and character cues at
different indents, but every file picks its own columns: 5/16/26, 15/25/37, 10/20/30, or
tabs. Instead of fixed columns we look for the signature of a speech: a short upper-case
line followed by its first spoken line. The most frequent (cue, speech) indent pair gives
the cue and dialogue columns; the most frequent indent left of the dialogue column is the
action column.

Files as users really have them come in four layouts, told apart by the same votes:

* ``indented``: the speech is less indented than its cue, right under it;
* ``blank-after-cue``: the same, with a blank line between cue and speech (scripts copied
  from PDFs by some converters);
* ``double-spaced``: a blank line after every line of the file (the raw IMSDb dumps);
  single blank lines then carry no meaning and are dropped before anything else;
* ``flat``: cue and speech at one indent (OCR'd scripts, scripts pasted into a text
  editor, flush-left transcripts in script form). Speeches end at a blank line, or at a
  line wider than the widest speech lines (action runs to the full page width).

``confidence`` is the share of the speech-signature votes that went to the chosen layout's
columns: near 1 when the file is consistent, low when several layouts compete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scriptalign.text.formats.cue import looks_like_cue

LAYOUTS = ("indented", "flat")
SPACINGS = ("single", "blank-after-cue", "double")


@dataclass(frozen=True)
class Layout:
    """Indent columns (counted in characters after tab expansion) of one screenplay."""

    action: int
    dialogue: int
    cue: int
    name: str = "indented"  # indented | flat
    spacing: str = "single"  # single | blank-after-cue | double
    confidence: float = 1.0
    # Flat layouts: speech lines are at most this wide; a wider line is action.
    dialogue_width: int | None = None

    @property
    def flat(self) -> bool:
        return self.name == "flat"

    @property
    def min_cue(self) -> int:
        """Leftmost column a character cue may start at: right of the dialogue column."""
        if self.flat:
            return max(0, self.cue - 2)
        return min(self.cue, (self.dialogue + self.cue) // 2 + 1)

    @property
    def min_dialogue(self) -> int:
        """Leftmost column a dialogue line may start at: right of the action column."""
        if self.flat:
            return max(0, self.dialogue - 2)
        if self.dialogue <= self.action:
            return self.dialogue
        return (self.action + self.dialogue + 1) // 2


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def _blank(line: str | None) -> bool:
    return line is not None and not line.strip()


def is_double_spaced(lines: list[str]) -> bool:
    """True when (nearly) every non-blank line is followed by exactly one blank line."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 20:
        return False
    adjacent = sum(1 for i in filled if i + 1 < len(lines) and lines[i + 1].strip())
    spaced = sum(1 for i in filled if i + 2 < len(lines) and not lines[i + 1].strip()
                 and lines[i + 2].strip())
    return adjacent <= 0.1 * len(filled) and spaced >= 0.7 * len(filled)


def undouble(lines: list[str | None]) -> list[str | None]:
    """Single blank lines of a double-spaced file become None (no paragraph break);
    longer runs of blanks stay breaks."""
    out = list(lines)
    for i, line in enumerate(lines):
        if (_blank(line) and not _blank(lines[i - 1] if i > 0 else None)
                and not _blank(lines[i + 1] if i + 1 < len(lines) else None)):
            out[i] = None
    return out


def _next_filled(lines: list[str | None], i: int) -> tuple[int | None, int]:
    """The index of the next non-blank line after ``i`` and how many blanks come first."""
    blanks = 0
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if line is None:
            continue
        if line.strip():
            return j, blanks
        blanks += 1
    return None, blanks


def learn_layout(raw: list[str | None]) -> Layout | None:
    """The layout of ``raw`` (tabs expanded; None = a line to skip), or None when no
    speech is found."""
    lines = list(raw)
    double = is_double_spaced([line or "" for line in lines])
    if double:
        lines = undouble(lines)
    indented: Counter[tuple[int, int]] = Counter()  # (cue col, speech col), speech right under
    gapped: Counter[tuple[int, int]] = Counter()  # the same with one blank line between
    flat: Counter[int] = Counter()
    flat_gapped = 0
    widths: list[int] = []
    for i, line in enumerate(lines):
        if line is None or not line.strip():
            continue
        text = line.strip()
        if not looks_like_cue(text):
            continue
        j, blanks = _next_filled(lines, i)
        if j is None or blanks > 1:
            continue
        after = lines[j] or ""
        if after.strip().startswith("(") or looks_like_cue(after.strip()):
            continue
        cue_col, next_col = indent_of(line), indent_of(after)
        if next_col < cue_col:
            (gapped if blanks else indented)[(cue_col, next_col)] += 1
        elif next_col == cue_col:
            before = _previous(lines, i)
            if before is None or not before.strip():
                flat[cue_col] += 1
                flat_gapped += blanks
                widths.append(len(after.strip()))
    n_indented, n_gapped = sum(indented.values()), sum(gapped.values())
    n_flat = sum(flat.values())
    total = n_indented + n_gapped + n_flat
    if total == 0:
        return None
    if n_flat > 2 * (n_indented + n_gapped):
        col, votes = flat.most_common(1)[0]
        width = _percentile(widths, 0.9)
        left = _action_column(lines, col + 1)
        spacing = ("double" if double else
                   "blank-after-cue" if flat_gapped > n_flat - flat_gapped else "single")
        return Layout(action=left if left is not None else col, dialogue=col, cue=col,
                      name="flat", spacing=spacing, confidence=round(votes / total, 3),
                      dialogue_width=width)
    pairs = indented + gapped
    # Vote by cue column first, then by dialogue column among that cue column's pairs:
    # a few centred names must not outvote the column most cues share.
    by_cue: Counter[int] = Counter()
    for (cue_col, _), n in pairs.items():
        by_cue[cue_col] += n
    cue = by_cue.most_common(1)[0][0]
    dialogue = max((n, col) for (c, col), n in pairs.items() if c == cue)[1]
    near = sum(n for (c, d), n in pairs.items() if abs(c - cue) <= 1 and abs(d - dialogue) <= 1)
    action = _action_column(lines, dialogue - 1)
    if double:
        spacing = "double"
    elif sum(n for (c, _), n in gapped.items() if c == cue) > sum(
            n for (c, _), n in indented.items() if c == cue):
        spacing = "blank-after-cue"
    else:
        spacing = "single"
    return Layout(action=dialogue if action is None else action, dialogue=dialogue, cue=cue,
                  spacing=spacing, confidence=round(near / total, 3))


def _previous(lines: list[str | None], i: int) -> str | None:
    for j in range(i - 1, -1, -1):
        if lines[j] is not None:
            return lines[j]
    return None


def _action_column(lines: list[str | None], below: int) -> int | None:
    left: Counter[int] = Counter()
    for line in lines:
        if line and line.strip():
            col = indent_of(line)
            if col < below:
                left[col] += 1
    return left.most_common(1)[0][0] if left else None


def _percentile(values: list[int], q: float) -> int | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
