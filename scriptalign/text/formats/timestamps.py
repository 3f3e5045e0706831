"""Subtitle timestamps: reading the forms found in the wild, writing the standard ones."""

from __future__ import annotations

import re

# SRT writes "00:01:02,345", WebVTT "00:01:02.345" or "01:02.345"; some SRT writers use
# "." too, or fewer millisecond digits ("00:01:02,5").
_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})(?:[,.:](\d{1,3}))?"
TIMING_LINE = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+(.*))?\s*$")


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str | None) -> float:
    ms = int(millis.ljust(3, "0")) if millis else 0
    # Whole milliseconds first: 1257 / 1000 is the float nearest 1.257, 1 + 0.257 is not.
    whole = (int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)
    return (whole * 1000 + ms) / 1000


def parse_timing(line: str) -> tuple[float, float, str] | None:
    """``"00:00:01,000 --> 00:00:02,500 align:start"`` -> ``(1.0, 2.5, "align:start")``."""
    match = TIMING_LINE.match(line)
    if match is None:
        return None
    g = match.groups()
    start = _seconds(g[0], g[1], g[2], g[3])
    end = _seconds(g[4], g[5], g[6], g[7])
    return start, max(start, end), (g[8] or "").strip()


def format_time(seconds: float, separator: str = ",") -> str:
    """``62.5`` -> ``"00:01:02,500"`` (``separator="."`` for WebVTT)."""
    # Whole seconds apart from the fraction: seconds * 1000 overflows to inf for a huge
    # (finite) time that a hand-edited align.json may hold.
    whole = int(max(0.0, seconds))
    ms = whole * 1000 + round((max(0.0, seconds) - whole) * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def timing_problem(line: str) -> str | None:
    """What is impossible about a timing line (None: nothing, or not a timing line):
    minutes or seconds of 60 and more (``99:99:99,999``), an end before the start."""
    match = TIMING_LINE.match(line)
    if match is None:
        return None
    g = match.groups()
    if any(int(v) >= 60 for v in (g[1], g[2], g[5], g[6])):
        return "minutes or seconds of 60 or more"
    start = _seconds(g[0], g[1], g[2], g[3])
    end = _seconds(g[4], g[5], g[6], g[7])
    if end < start:
        return "ends before it starts"
    return None
