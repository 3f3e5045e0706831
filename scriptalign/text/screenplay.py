"""A screenplay (or transcript) as a flat list of elements.

Parsers for each source format live in ``scriptalign.text.formats``; they all return a
``Screenplay``. The aligner fills the timing fields of each ``Element``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ElementKind = Literal["scene", "action", "dialogue", "parenthetical", "transition"]
# How an element was timed: aligned (its words found in script order), moved (found out of
# script order), slotted (placed by position between found neighbours), interpolated (the
# gap between timed neighbours), unaligned (no time).
Status = Literal["aligned", "moved", "slotted", "interpolated", "unaligned"]
ELEMENT_KINDS: tuple[ElementKind, ...] = ("scene", "action", "dialogue", "parenthetical",
                                          "transition")


@dataclass
class Element:
    """One script element with its 1-based inclusive line span in the source file."""

    kind: ElementKind
    text: str
    lines: tuple[int, int]
    speaker: str | None = None
    # Character-cue extensions such as "V.O.", "O.S.", "CONT'D" (upper-case, no brackets).
    flags: tuple[str, ...] = ()
    # Timing, filled by the aligner; None until then.
    start: float | None = None
    end: float | None = None
    score: float = 0.0
    status: Status = "unaligned"
    cues: tuple[int, ...] = ()


@dataclass
class Screenplay:
    """Elements in reading order, plus where they came from."""

    elements: list[Element]
    path: str | None = None
    format: str = "screenplay"  # screenplay | fountain | transcript

    @property
    def cast(self) -> list[str]:
        """Speakers of dialogue in order of first appearance (the character cues)."""
        seen: dict[str, None] = {}
        for el in self.elements:
            if el.kind == "dialogue" and el.speaker:
                seen.setdefault(el.speaker, None)
        return list(seen)

    @property
    def dialogue(self) -> list[Element]:
        return [el for el in self.elements if el.kind == "dialogue"]
