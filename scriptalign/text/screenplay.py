"""A screenplay (or transcript) as a flat list of elements.

Parsers for each source format live in ``scriptalign.text.formats``; they all return a
``Screenplay``. The aligner fills the timing fields of each ``Element``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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
    # PDF scripts: (page, line on that page) of the first and last line, 1-based.
    page_lines: tuple[tuple[int, int], tuple[int, int]] | None = None


@dataclass
class Screenplay:
    """Elements in reading order, plus where they came from."""

    elements: list[Element]
    path: str | None = None
    format: str = "screenplay"  # screenplay | fountain | transcript | kaggle (+ " in html/pdf")
    # How the reader understood the file: {"name", "spacing", "confidence", ...}.
    layout: dict[str, Any] | None = None
    pages: float | None = None  # pages of the source (counted in a PDF, else estimated)
    # Group cues ("LANCE AND VINCENT") -> the characters they name ("ALL" -> []).
    groups: dict[str, list[str]] = field(default_factory=dict)
    # What the cast clean-up merged and dropped (scriptalign.text.cast.CastReport.to_dict).
    cast_cleanup: dict[str, Any] | None = None

    @property
    def cast(self) -> list[str]:
        """Speakers of dialogue in order of first appearance (the character cues), a group
        cue standing for its members."""
        seen: dict[str, None] = {}
        for el in self.elements:
            if el.kind == "dialogue" and el.speaker:
                for name in self.groups.get(el.speaker, [el.speaker]):
                    seen.setdefault(name, None)
        return list(seen)

    @property
    def dialogue(self) -> list[Element]:
        return [el for el in self.elements if el.kind == "dialogue"]
