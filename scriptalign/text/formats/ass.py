"""Readers for Advanced SubStation (.ass/.ssa) and MicroDVD (.sub) subtitles, via pysubs2.

ASS/SSA (fansubs, anime, many rips): pysubs2 parses the sections and events. Kept are the
``Dialogue`` events that are text; comments, drawings (``{\\p1}m 0 0 l ...``) and signs
(events in a style whose name says ``sign``: on-screen text typeset over the picture, not
speech) are dropped. ``\\N`` and ``\\n`` break lines; override blocks (``{\\i1}``,
``{\\an8}``) go with the rest of the markup in ``scriptalign.text.formats.cleaning``. Events
are put in time order (ASS files list them by layer or style as often as by time); a
cue's ``index`` is its position in that order, 1-based.

MicroDVD (``{1025}{1080}Hello|world``) counts frames, not seconds: it needs the video's
frame rate (from the video in a movie folder, else ``--fps``), unless its first line
states one (``{1}{1}23.976``), which wins.
"""

from __future__ import annotations

import re
from pathlib import Path

from scriptalign.core.errors import InputError, UsageError
from scriptalign.text.formats.cleaning import clean_lines
from scriptalign.text.subtitles import Cue, SubtitleLine, Subtitles

_SIGN_STYLE = re.compile(r"sign", re.I)
_LINE_BREAK = re.compile(r"\\[Nn]")
MICRODVD_LINE = re.compile(r"^\{\d+\}\{\d*\}")
_FPS_LINE = re.compile(r"^\{1\}\{1\}\s*(\d+(?:\.\d+)?)\s*$")


def looks_like_ass(text: str) -> bool:
    head = text.lstrip()[:4096]
    return head.startswith("[Script Info]") or bool(re.search(r"^Dialogue:\s*\d", head, re.M))


def looks_like_microdvd(text: str) -> bool:
    lines = [ln for ln in text.split("\n")[:50] if ln.strip()]
    return bool(lines) and sum(bool(MICRODVD_LINE.match(ln)) for ln in lines) >= 0.8 * len(lines)


def _cues(events: list[tuple[float, float, str]]) -> list[Cue]:
    cues: list[Cue] = []
    for start, end, text in sorted(events, key=lambda e: (e[0], e[1])):
        raw = [part.strip() for part in _LINE_BREAK.split(text)]
        raw = [part for part in raw if part]
        lines = [SubtitleLine(clean.text, k, r, clean.label, clean.label)
                 for k, (r, clean) in enumerate(zip(raw, clean_lines(raw), strict=True))]
        cues.append(Cue(len(cues) + 1, start, max(start, end), lines))
    return cues


def parse_ass(text: str, path: str | Path | None = None) -> Subtitles:
    """Parse ASS/SSA text; InputError when it holds no dialogue event."""
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text, format_="ass" if "[V4+" in text else None)
    except Exception as exc:  # pysubs2 raises its own and ValueError on garbage
        raise InputError(f"is not a readable ASS/SSA file ({str(exc)[:80]})", path) from exc
    events = [(ev.start / 1000, ev.end / 1000, ev.text) for ev in subs.events
              if ev.is_text and not ev.is_drawing and not _SIGN_STYLE.search(ev.style or "")]
    if not events:
        raise InputError("has no dialogue events (an ASS/SSA file with only comments, signs "
                         "or drawings?)", path)
    return Subtitles(_cues(events), None if path is None else str(path))


def parse_microdvd(text: str, path: str | Path | None = None,
                   fps: float | None = None) -> Subtitles:
    """Parse MicroDVD text at ``fps`` frames a second (or the rate its first line states)."""
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    stated = _FPS_LINE.match(first.strip())
    rate = float(stated.group(1)) if stated else fps
    if rate is None or rate <= 0:
        raise UsageError(f"{path}: MicroDVD subtitles count frames: give the frame rate with "
                         "--fps (e.g. --fps 23.976), or put the video in the movie folder")
    events: list[tuple[float, float, str]] = []
    for line in text.split("\n")[1 if stated else 0:]:
        match = re.match(r"^\{(\d+)\}\{(\d*)\}(.*)$", line.strip())
        if not match:
            continue
        start = int(match.group(1)) / rate
        end = int(match.group(2)) / rate if match.group(2) else start + 2.0
        body = match.group(3).replace("|", "\\N")
        events.append((start, end, body))
    if not events:
        raise InputError("has no MicroDVD lines (`{start frame}{end frame}text`)", path)
    return Subtitles(_cues(events), None if path is None else str(path))
