"""Learning the column layout of an indented screenplay from the file itself.

Plain-text screenplays (IMSDb, weeklyscript) put action, dialogue and character cues at
different indents, but every file picks its own columns: the shared films use 5/16/26
(mission_impossible_1996), 15/25/37 (star_wars_1977, chinatown_1974, shrek_2001,
birthday_girl_2001), and other sites use 10/20/30. Instead of fixed columns we look for the
signature of a speech: a short upper-case line immediately followed by a less indented
line. The most frequent (cue, next line) indent pair gives the cue and dialogue columns;
the most frequent indent left of the dialogue column is the action column.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scriptalign.text.formats.cue import looks_like_cue


@dataclass(frozen=True)
class Layout:
    """Indent columns (counted in characters after tab expansion) of one screenplay."""

    action: int
    dialogue: int
    cue: int

    @property
    def min_cue(self) -> int:
        """Leftmost column a character cue may start at: right of the dialogue column."""
        return min(self.cue, (self.dialogue + self.cue) // 2 + 1)

    @property
    def min_dialogue(self) -> int:
        """Leftmost column a dialogue line may start at: right of the action column."""
        if self.dialogue <= self.action:
            return self.dialogue
        return (self.action + self.dialogue + 1) // 2


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip())


def learn_layout(lines: list[str]) -> Layout | None:
    """The layout of ``lines`` (tabs already expanded), or None when no speech is found."""
    pairs: Counter[tuple[int, int]] = Counter()
    for i in range(len(lines) - 1):
        text, after = lines[i].strip(), lines[i + 1].strip()
        if not text or not after or after.startswith("("):
            continue
        cue_col, next_col = indent_of(lines[i]), indent_of(lines[i + 1])
        if next_col < cue_col and looks_like_cue(text):
            pairs[(cue_col, next_col)] += 1
    if not pairs:
        return None
    # Vote by cue column first, then by dialogue column among that cue column's pairs:
    # a few centred names must not outvote the column most cues share.
    by_cue: Counter[int] = Counter()
    for (cue_col, _), n in pairs.items():
        by_cue[cue_col] += n
    cue = by_cue.most_common(1)[0][0]
    dialogue = max((n, col) for (c, col), n in pairs.items() if c == cue)[1]
    left: Counter[int] = Counter()
    for line in lines:
        if line.strip():
            col = indent_of(line)
            if col < dialogue - 1:
                left[col] += 1
    action = left.most_common(1)[0][0] if left else dialogue
    return Layout(action=action, dialogue=dialogue, cue=cue)
