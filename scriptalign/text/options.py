"""``AlignOptions``: settings of ``align_files`` and ``scriptalign align``, checked in one place."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from scriptalign.core.errors import UsageError


@dataclass
class AlignOptions:
    """How scripts and subtitles are read and aligned."""

    lexicon_path: Path | None = None  # action lexicon JSON (None: the shipped one)
    encoding: str | None = None  # force the input encoding (None: detected per file)
    # A speech not found whose gap between timed neighbours is longer than this (seconds)
    # gets no time ("unaligned") instead of a wide guess.
    interpolate_max: float = 30.0
    # Which elements give bags: their status, at least this score, at most this long (s).
    bag_statuses: tuple[str, ...] = ("aligned", "moved", "slotted", "interpolated")
    bag_min_score: float = 0.0
    bag_max_seconds: float = 60.0
    alias_path: Path | None = None  # the user's name merges, JSON or YAML {"DET. X": "X"}
    # Fail (exit 1, nothing written) below this share of speeches aligned; None: fail only
    # on a wrong pair as the checks judge it (scriptalign.text.checks); 0: never.
    min_aligned: float | None = None
    fps: float | None = None  # frame rate for MicroDVD subtitles (frames, not times)

    def check(self) -> None:
        """UsageError for values that cannot work."""
        timed = ("aligned", "moved", "slotted", "interpolated")
        if not self.interpolate_max > 0:
            raise UsageError(f"interpolate_max must be > 0 seconds, not {self.interpolate_max}")
        if not self.bag_max_seconds > 0:
            raise UsageError(f"bag_max_seconds must be > 0, not {self.bag_max_seconds}")
        if not 0.0 <= self.bag_min_score <= 1.0:
            raise UsageError(f"bag_min_score must be in [0, 1], not {self.bag_min_score}")
        unknown = [s for s in self.bag_statuses if s not in timed]
        if unknown:
            raise UsageError(f"bag_statuses: unknown status {unknown[0]!r} (choose from "
                             f"{', '.join(timed)})")
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise UsageError(f"--encoding {self.encoding!r} is not an encoding Python "
                                 "knows (try utf-8 or cp1252)") from None
        if self.min_aligned is not None and not 0.0 <= self.min_aligned <= 1.0:
            raise UsageError(f"--min-aligned {self.min_aligned:g} is not a fraction between 0 "
                             "and 1 (0 accepts any pair)")
        if self.fps is not None and not 0.0 < self.fps < 1000.0:
            raise UsageError(f"--fps {self.fps:g} is not a frame rate (try 23.976 or 25)")
