"""Input and output formats: screenplays, transcripts and subtitles.

Like pysubs2, one module per format and a registry that picks the reader:

* scripts (``load_script``): ``.fountain`` -> Fountain; ``*.transcript.txt`` or text whose
  non-empty lines are mostly flush-left ``Name: text`` -> fan transcript; anything else ->
  the indented IMSDb/weeklyscript screenplay layout;
* subtitles (``load_subtitles``): ``.srt`` -> SubRip, ``.vtt`` -> WebVTT; other extensions
  by content (a ``WEBVTT`` header, else SRT timing lines).

Files are decoded by ``scriptalign.core.textfile`` (BOM, UTF-8, a charset guess, cp1252;
``encoding`` forces one). Every failure on bad input is an ``InputError`` naming the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scriptalign.core.errors import InputError, UsageError
from scriptalign.core.textfile import detect_encoding, read_text
from scriptalign.text.formats.fountain import parse_fountain
from scriptalign.text.formats.indented import parse_screenplay
from scriptalign.text.formats.srt import format_srt, parse_srt
from scriptalign.text.formats.transcript import looks_like_transcript, parse_transcript
from scriptalign.text.formats.vtt import format_vtt, parse_vtt
from scriptalign.text.screenplay import Screenplay
from scriptalign.text.subtitles import Cue, Subtitles

__all__ = [
    "SCRIPT_READERS", "SUBTITLE_FORMATS", "SubtitleFormat", "format_srt", "format_subtitles",
    "format_vtt", "load_script", "load_subtitles", "parse_fountain", "parse_screenplay",
    "parse_srt", "parse_transcript", "parse_vtt", "script_format", "subtitle_format",
]

ScriptReader = Callable[[str, str | Path | None], Screenplay]
SCRIPT_READERS: dict[str, ScriptReader] = {
    "screenplay": parse_screenplay,
    "fountain": parse_fountain,
    "transcript": parse_transcript,
}


@dataclass(frozen=True)
class SubtitleFormat:
    name: str
    extensions: tuple[str, ...]
    read: Callable[[str, str | Path | None], Subtitles]
    write: Callable[[list[Cue]], str]


SUBTITLE_FORMATS: dict[str, SubtitleFormat] = {
    "srt": SubtitleFormat("srt", (".srt",), parse_srt, format_srt),
    "vtt": SubtitleFormat("vtt", (".vtt", ".webvtt"), parse_vtt, format_vtt),
}


def script_format(path: str | Path, text: str) -> str:
    """The name of the script reader for ``path`` with content ``text``."""
    name = Path(path).name.lower()
    if name.endswith(".fountain") or name.endswith(".spmd"):
        return "fountain"
    if name.endswith(".transcript.txt") or looks_like_transcript(text):
        return "transcript"
    return "screenplay"


def subtitle_format(path: str | Path, text: str) -> str | None:
    """The name of the subtitle format for ``path`` with content ``text`` (None: unknown)."""
    suffix = Path(path).suffix.lower()
    for fmt in SUBTITLE_FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    head = text.lstrip()[:6]
    if head.startswith("WEBVTT"):
        return "vtt"
    if "-->" in text:
        return "srt"
    return None


def load_script(path: str | Path, encoding: str | None = None) -> Screenplay:
    """Read a screenplay, Fountain file or transcript (format chosen by ``script_format``)."""
    text = read_text(path, encoding)
    fmt = script_format(path, text)
    screenplay = SCRIPT_READERS[fmt](text, path)
    screenplay.path = str(path)
    screenplay.format = fmt
    return screenplay


def load_subtitles(path: str | Path, encoding: str | None = None) -> Subtitles:
    """Read an SRT or WebVTT file; ``Subtitles.encoding`` says how it was decoded."""
    text = read_text(path, encoding)
    fmt = subtitle_format(path, text)
    if fmt is None:
        raise InputError("is not a subtitle file (expected .srt or .vtt with "
                         "`start --> end` timing lines)", path)
    subtitles = SUBTITLE_FORMATS[fmt].read(text, path)
    subtitles.path = str(path)
    subtitles.encoding = encoding or detect_encoding(Path(path).read_bytes())
    return subtitles


def format_subtitles(cues: list[Cue], fmt: str) -> str:
    """Write ``cues`` in format ``fmt`` ("srt" or "vtt")."""
    if fmt not in SUBTITLE_FORMATS:
        raise UsageError(f"unknown subtitle format {fmt!r} (use one of "
                         f"{', '.join(SUBTITLE_FORMATS)})")
    return SUBTITLE_FORMATS[fmt].write(cues)
