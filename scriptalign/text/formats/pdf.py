"""Reader for screenplays saved as PDF: the text layer, with its layout, then the
indented-screenplay reader.

Text comes from pdfplumber's layout mode, which places every word at the column its x
position gives. Of the maintained libraries measured on real screenplay PDFs (a clean text
PDF, a Final Draft studio PDF, a scanned PDF with an OCR layer; ``bench/bench_pdf.py``),
it found the most speeches; pypdf's layout mode put the scanned PDF's cues after their
speeches (a third of them found), pdfminer.six's own lines lost some on the clean and the
scanned PDF. It is also the slowest (seconds per 100 pages).

Before parsing, the page furniture goes: the running header and the page number at the top
or bottom of each page (a line that repeats, digits aside, on many pages), scene numbers in
both margins (``12   CONTINUED: (5)   12``), and the cover pages (the pages before the first
one that holds a speech or a scene heading). ``(CONTINUED)``, ``(MORE)`` and
``CONT'D`` are left to the screenplay reader, which already joins a speech split by a page
break.

Element ``lines`` of a PDF script count lines of the extracted text; ``pages`` gives the
page (1-based) each element starts and ends on, and ``page_lines`` the line within those
pages, which is what a reader of the PDF can find.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from scriptalign.core.errors import InputError

_MARGIN_BOTH = re.compile(r"^(\s*)(\d{1,4}[A-Z]{0,2}\.?)(\s{2,}\S.*?\S)\s{2,}\2\s*$")
_MARGIN_FRONT = re.compile(r"^(\s*)(\d{1,4}[A-Z]{0,2}\.?)(\s{2,})(?=\S)")
_MARGIN_BACK = re.compile(r"(?<=\S)\s{3,}\d{1,4}[A-Z]{0,2}\.?\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,3}[A-Z]?\.?\s*$", re.I)
_HEADING_OR_CONT = re.compile(r"^(?:INT|EXT|I/E|EST|CONTINUED|\(CONTINUED\))", re.I)
_DIGITS = re.compile(r"\d+")
# Fewer characters than this per page on average: the PDF has no real text layer.
MIN_CHARS_PER_PAGE = 40


def pdf_pages(path: str | Path) -> list[str]:
    """The text of each page of a PDF, with its layout; InputError when unreadable."""
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError("is a PDF; reading PDFs needs pdfplumber (pip install pdfplumber)",
                         path) from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text(layout=True) or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise InputError(f"is not a readable PDF ({type(exc).__name__}: "
                         f"{str(exc)[:80]})", path) from exc
    if not pages:
        raise InputError("is a PDF with no pages", path)
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < MIN_CHARS_PER_PAGE * len(pages):
        raise InputError(
            f"is a scanned PDF with no text layer ({chars} characters of text on "
            f"{len(pages)} pages): run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) or "
            "use a text version of the script", path)
    return pages


def _furniture(pages: list[list[str]]) -> Counter[str]:
    """Header/footer lines (digits masked) that repeat on many pages."""
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [ln.strip() for ln in lines if ln.strip()]
        for ln in {*filled[:2], *filled[-2:]}:
            seen[_DIGITS.sub("#", ln)] += 1
    least = max(3, len(pages) // 4)
    return Counter({k: n for k, n in seen.items() if n >= least})


def _strip_margins(line: str) -> str:
    both = _MARGIN_BOTH.match(line)
    if both:
        return both.group(1) + " " * (len(both.group(2))) + both.group(3)
    front = _MARGIN_FRONT.match(line)
    if front and _HEADING_OR_CONT.match(line[front.end():]):
        line = front.group(1) + " " * (front.end() - len(front.group(1))) + line[front.end():]
    back = _MARGIN_BACK.search(line)
    if back and _HEADING_OR_CONT.match(line.strip()):
        line = line[: back.start()]
    return line


def _is_cover(lines: list[str]) -> bool:
    from scriptalign.text.formats.cue import is_scene_heading, looks_like_cue

    filled = [ln for ln in lines if ln.strip()]
    for i, ln in enumerate(filled[:-1]):
        text, after = ln.strip(), filled[i + 1]
        if is_scene_heading(text) or text.upper().startswith("FADE IN"):
            return False
        if (looks_like_cue(text) and not looks_like_cue(after.strip())
                and len(after) - len(after.lstrip()) < len(ln) - len(ln.lstrip())):
            return False
    return True


def pdf_text(pages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """One text for the screenplay reader, and for each of its lines (page, line on page),
    both 1-based. Furniture lines become blank lines, so numbering is kept."""
    split = [page.split("\n") for page in pages]
    # pdfplumber pads every line to the page width and adds blank lines for the margins.
    split = [[ln.rstrip() for ln in lines] for lines in split]
    furniture = _furniture(split)
    cover = 0
    while cover < min(3, len(split) - 1) and _is_cover(split[cover]):
        cover += 1
    out: list[str] = []
    where: list[tuple[int, int]] = []
    for p, lines in enumerate(split):
        filled = [k for k, ln in enumerate(lines) if ln.strip()]
        edges = {*filled[:2], *filled[-2:]}
        for k, line in enumerate(lines):
            text = line.strip()
            drop = p < cover or (k in edges and (
                _DIGITS.sub("#", text) in furniture or _PAGE_NUMBER.match(text) is not None))
            out.append("" if drop else _strip_margins(line))
            where.append((p + 1, k + 1))
        # A page break is a paragraph break.
        out.append("")
        where.append((p + 1, len(lines) + 1))
    return "\n".join(out), where
