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
from scriptalign.core.textfile import detect_encoding, looks_binary, read_text
from scriptalign.text.formats.ass import (
    looks_like_ass,
    looks_like_microdvd,
    parse_ass,
    parse_microdvd,
)
from scriptalign.text.formats.fountain import parse_fountain
from scriptalign.text.formats.html import html_text, looks_like_html
from scriptalign.text.formats.indented import parse_screenplay, read_screenplay
from scriptalign.text.formats.kaggle import looks_like_kaggle, parse_kaggle
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
    "kaggle": parse_kaggle,
}


@dataclass(frozen=True)
class SubtitleFormat:
    name: str
    extensions: tuple[str, ...]
    read: Callable[[str, str | Path | None], Subtitles]
    write: Callable[[list[Cue]], str] | None  # None: read only


SUBTITLE_FORMATS: dict[str, SubtitleFormat] = {
    "srt": SubtitleFormat("srt", (".srt",), parse_srt, format_srt),
    "vtt": SubtitleFormat("vtt", (".vtt", ".webvtt"), parse_vtt, format_vtt),
    "ass": SubtitleFormat("ass", (".ass", ".ssa"), parse_ass, None),
    # .sub names MicroDVD and SRT files alike (and VobSub pictures): chosen by content.
    "microdvd": SubtitleFormat("microdvd", (), parse_microdvd, None),
}


def script_format(path: str | Path, text: str) -> str:
    """The name of the script reader for ``path`` with content ``text`` (already taken out
    of its HTML or PDF container)."""
    name = Path(path).name.lower()
    if name.endswith(".fountain") or name.endswith(".spmd"):
        return "fountain"
    if looks_like_kaggle(text):
        return "kaggle"
    if name.endswith(".transcript.txt") or looks_like_transcript(text):
        return "transcript"
    return "screenplay"


def subtitle_format(path: str | Path, text: str) -> str | None:
    """The name of the subtitle format for ``path`` with content ``text`` (None: unknown):
    by extension, else by content (a ``WEBVTT`` header, ASS sections, MicroDVD frame
    pairs, SRT timing lines)."""
    suffix = Path(path).suffix.lower()
    for fmt in SUBTITLE_FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    if text.lstrip()[:6].startswith("WEBVTT"):
        return "vtt"
    if looks_like_ass(text):
        return "ass"
    if looks_like_microdvd(text):
        return "microdvd"
    if "-->" in text:
        return "srt"
    return None


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(1024).lstrip().startswith(b"%PDF")
    except OSError:
        return False  # read_text gives the error message


def _container(path: Path, encoding: str | None
               ) -> tuple[str, str, list[int] | None, list[tuple[int, int]] | None, set[int],
                          float | None]:
    """The script text out of its container: (text, container, HTML line of each text
    line, PDF (page, line) of each text line, bold lines, page count)."""
    if path.suffix.lower() == ".pdf" or _is_pdf(path):
        from scriptalign.text.formats.pdf import pdf_pages, pdf_text

        pages = pdf_pages(path)
        text, where = pdf_text(pages)
        return text, "pdf", None, where, set(), float(len(pages))
    text = read_text(path, encoding)
    if path.suffix.lower() in (".html", ".htm") or looks_like_html(text):
        page = html_text(text)
        if not page.text.strip():
            raise InputError("is a web page with no text in it", path)
        return page.text, "html", page.source_lines, None, page.bold, None
    return text, "", None, None, set(), None


def load_script(path: str | Path, encoding: str | None = None, *,
                aliases: dict[str, str] | None = None) -> Screenplay:
    """Read a screenplay (text, HTML or PDF), Fountain file or transcript, the format
    chosen by content (``script_format``), then clean up its cast (``clean_cast``;
    ``aliases`` are the user's own merges)."""
    from scriptalign.text.cast import clean_cast

    p = Path(path)
    text, container, source, where, bold, pages = _container(p, encoding)
    fmt = script_format(p, text)
    layout: dict[str, object] = {"name": fmt, "confidence": 1.0}
    if fmt == "screenplay":
        screenplay, found = read_screenplay(text, path, bold=bold)
        layout = {"name": found.name, "spacing": found.spacing,
                  "confidence": found.confidence,
                  "columns": {"action": found.action, "dialogue": found.dialogue,
                              "cue": found.cue}}
        if pages is None:
            pages = sum(1 for line in text.split("\n") if line.strip()) / FILLED_LINES_PER_PAGE
    else:
        screenplay = SCRIPT_READERS[fmt](text, path)
    if container:
        layout["container"] = container
    _relocate(screenplay, source, where)
    screenplay.path = str(path)
    screenplay.format = fmt
    screenplay.layout = layout
    screenplay.pages = None if pages is None else round(pages, 1)
    return clean_cast(screenplay, aliases)[0]


# Non-blank lines on a screenplay page: 35-37 in the shared PDFs, 37-46 in text copies
# whose page numbers survive.
FILLED_LINES_PER_PAGE = 40


def _relocate(screenplay: Screenplay, source: list[int] | None,
              where: list[tuple[int, int]] | None) -> None:
    """Line numbers of the extracted text -> lines of the HTML file / PDF page and line."""
    for el in screenplay.elements:
        first, last = el.lines
        if source is not None:
            el.lines = (source[min(first, len(source)) - 1], source[min(last, len(source)) - 1])
        if where is not None:
            el.page_lines = (where[min(first, len(where)) - 1], where[min(last, len(where)) - 1])


def load_subtitles(path: str | Path, encoding: str | None = None, *,
                   fps: float | None = None) -> Subtitles:
    """Read SRT, WebVTT, ASS/SSA or MicroDVD subtitles (``fps``: MicroDVD's frame rate);
    ``Subtitles.encoding`` says how the file was decoded."""
    p = Path(path)
    if p.suffix.lower() == ".sub" and _binary(p):
        raise InputError("is a VobSub subtitle (pictures of text, with its .idx): convert "
                         "it to text with an OCR tool such as Subtitle Edit first", p)
    text = read_text(p, encoding)
    fmt = subtitle_format(p, text)
    if fmt is None:
        raise InputError("is not a subtitle file (expected SRT or WebVTT `start --> end` "
                         "timing lines, ASS/SSA `Dialogue:` events or MicroDVD "
                         "`{frame}{frame}text` lines)", p)
    if fmt == "microdvd":
        subtitles = parse_microdvd(text, p, fps)
    else:
        subtitles = SUBTITLE_FORMATS[fmt].read(text, p)
    subtitles.path = str(p)
    subtitles.encoding = encoding or detect_encoding(p.read_bytes())
    return subtitles


def _binary(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return looks_binary(fh.read(8192))
    except OSError:
        return False


def format_subtitles(cues: list[Cue], fmt: str) -> str:
    """Write ``cues`` in format ``fmt`` ("srt" or "vtt")."""
    writer = SUBTITLE_FORMATS[fmt].write if fmt in SUBTITLE_FORMATS else None
    if writer is None:
        writable = [f.name for f in SUBTITLE_FORMATS.values() if f.write is not None]
        raise UsageError(f"unknown subtitle format {fmt!r} (use one of {', '.join(writable)})")
    return writer(cues)
