"""Screenplays written by the tests in the layouts real files come in (our own words).

``speeches(n, seed)`` makes ``n`` (speaker, line) pairs of a made-up film; the writers lay
them out as an indented script, a double-spaced dump, a flat (OCR'd) script, a
blank-after-cue script, an IMSDb-like web page and a PDF; ``srt`` writes subtitles that say
a chosen part of them.
"""

from __future__ import annotations

import random
from pathlib import Path

CAST = ("MARGO", "DESMOND", "PRIYA", "OSWIN")
_WORDS = ("lantern harbour ferry ticket violin ledger orchard glacier compass biscuit "
          "telescope kettle meadow quarry beacon falcon pebble satchel thimble velvet "
          "cobbler drawbridge parsnip lighthouse walrus marmalade chimney tugboat").split()
_GLUE = ("the a my your this that our".split(), "is was will be needs has".split(),
         "near under over behind beside past".split())


def speeches(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """``n`` speeches: a speaker and a sentence of 6-12 words, mostly rare ones."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        words = []
        for _ in range(rng.randint(2, 3)):
            words += [rng.choice(_GLUE[0]), rng.choice(_WORDS), rng.choice(_GLUE[1]),
                      rng.choice(_GLUE[2]), rng.choice(_WORDS)]
        text = " ".join(words).capitalize() + "."
        out.append((CAST[(k + seed) % len(CAST)], text))
    return out


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


ACTION = "Rain taps the window while the kettle starts to sing in the small kitchen."


def indented(items: list[tuple[str, str]], cue: int = 30, dialogue: int = 20,
             action: int = 10, blank_after_cue: bool = False) -> str:
    """The usual layout: cue right of the speech, action at the left."""
    out = [" " * action + "INT. HARBOUR OFFICE - NIGHT", ""]
    for k, (name, text) in enumerate(items):
        out.append(" " * cue + name)
        if blank_after_cue:
            out.append("")
        out += [" " * dialogue + ln for ln in _wrap(text, 35)]
        out.append("")
        if k % 4 == 3:
            out += [" " * action + ln for ln in _wrap(ACTION, 60)] + [""]
    return "\n".join(out) + "\n"


def double_spaced(items: list[tuple[str, str]]) -> str:
    """The raw IMSDb dump: a blank line after every line of the indented layout."""
    return "".join(line + "\n\n" for line in indented(items).split("\n") if line.strip())


def flat(items: list[tuple[str, str]]) -> str:
    """Cue, speech and action at one indent; action told apart by its width only."""
    out = ["          INT. HARBOUR OFFICE - NIGHT", ""]
    for k, (name, text) in enumerate(items):
        out.append("          " + name)
        out += ["          " + ln for ln in _wrap(text, 35)]
        if k % 4 == 3:  # OCR lost the blank line before the action
            out += ["          " + ln for ln in _wrap(ACTION, 60)]
        out.append("")
    return "\n".join(out) + "\n"


def web_page(items: list[tuple[str, str]]) -> str:
    """An IMSDb-like page: the script in <pre>, cues and headings in <b>, entities."""
    body = []
    for line in indented(items).split("\n"):
        text = line.replace("&", "&amp;")
        if line.strip() and (line.strip().isupper()):
            indent = len(line) - len(line.lstrip())
            text = " " * indent + "<b>" + text.strip() + "</b>"
        body.append(text)
    return ("<html>\n<head><title>Script</title>\n<style>pre { color: black; }</style>\n"
            "</head>\n<body>\n<table><tr><td class=\"scrtext\">\n<pre>" + "\n".join(body)
            + "</pre>\n</td></tr></table>\n</body>\n</html>\n")


def pdf(items: list[tuple[str, str]], path: Path, per_page: int = 40) -> None:
    """A screenplay PDF in Courier 12: a cover page, page numbers at the top right,
    scene numbers in both margins, (MORE)/(CONT'D) where a page breaks a speech is not
    needed: pages break between speeches."""
    from fpdf import FPDF

    doc = FPDF(format="letter", unit="pt")
    doc.set_auto_page_break(False)
    doc.set_font("Courier", size=12)
    char = 7.2  # Courier 12: 10 characters an inch

    def page(lines: list[str], number: int | None) -> None:
        doc.add_page()
        if number is not None:
            doc.text(72 + 60 * char, 50, f"{number}.")
        for k, line in enumerate(lines):
            indent = len(line) - len(line.lstrip())
            if line.strip():
                doc.text(36 + indent * char, 90 + 12 * k, line.strip())

    page(["", "", "", "                         THE HARBOUR LEDGER", "",
          "                            Written by", "", "                          A. Tester"],
         None)
    lines = indented(items).split("\n")
    lines[0] = "1      " + lines[0].strip() + "                                1"
    chunks: list[list[str]] = [[]]
    for line in lines:
        if len(chunks[-1]) >= per_page and not line.strip():
            chunks.append([])
        chunks[-1].append(line)
    for number, chunk in enumerate(chunks, start=1):
        page(chunk, number if number > 1 else None)
    doc.output(str(path))


def srt(lines: list[str], gap: float = 3.0) -> str:
    """Subtitles saying ``lines`` one cue each, ``gap`` seconds apart."""
    blocks = []
    for k, text in enumerate(lines):
        start = 10 + k * gap
        blocks.append(f"{k + 1}\n{_time(start)} --> {_time(start + gap - 0.5)}\n{text}\n")
    return "\n".join(blocks)


def _time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"
