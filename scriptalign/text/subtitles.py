"""Subtitles as cues of lines; each line may carry a speaker once aligned.

Readers for SRT and WebVTT live in ``scriptalign.text.formats``; they return ``Subtitles``
whose line texts are already cleaned (tags and hearing-impaired notes stripped) while
``raw`` keeps the original text of the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SubtitleLine:
    """One spoken line. A cue ``- Hi. / - Hello.`` holds two of them."""

    text: str  # cleaned text used for matching; may be "" (e.g. only "[LAUGHS]")
    index: int  # position of the line inside its cue, 0-based
    raw: str = ""  # the line as written in the file
    speaker: str | None = None  # filled by alignment, or by an explicit "JOHN:" label
    label: str | None = None  # a speaker label written in the subtitle itself ("JOHN:")


@dataclass
class Cue:
    index: int  # the cue's number in the file (SRT counter; VTT position, 1-based)
    start: float  # seconds
    end: float
    lines: list[SubtitleLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines if line.text)


@dataclass
class Subtitles:
    cues: list[Cue]
    path: str | None = None
    encoding: str | None = None
    # What the reader found wrong but read around (impossible timestamps), one line each.
    problems: list[str] = field(default_factory=list)
