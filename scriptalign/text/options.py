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

    def check(self) -> None:
        """UsageError for values that cannot work."""
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise UsageError(f"--encoding {self.encoding!r} is not an encoding Python "
                                 "knows (try utf-8 or cp1252)") from None
