"""Which PDF library keeps a screenplay's columns: pypdf, pdfplumber, pdfminer.six, pypdfium2.

For each shared PDF (``../shared/data/pdf``: a clean text PDF, a Final Draft studio PDF, a
scanned PDF with an OCR layer) and each library: the seconds to extract the text of every
page with its layout, then, through the same furniture removal and screenplay reader
(``scriptalign.text.formats.pdf.pdf_text``, ``indented.read_screenplay``), the layout found
(and its confidence), the speeches found and the share of them aligned to the film's
subtitles. A library that loses the columns loses speeches: cues land after their
speeches, or lines break word by word.

- pypdf: ``page.extract_text(extraction_mode="layout")`` (not a dependency: skipped unless
  installed);
- pdfplumber: ``page.extract_text(layout=True)`` (what ``scriptalign`` uses);
- pdfminer.six: its own text lines (``LTTextLine``), each placed at the column its x gives;
- pypdfium2 (pdfplumber's renderer): characters at their origin, lines by baseline, the
  PDF's own spaces.

Writes bench/out/pdf.json. Skips when ../shared is absent.
"""

from __future__ import annotations

import ctypes
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import table

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "pdf"
CHAR = 7.2  # points per character of 12-point Courier: the screenplay grid


def with_pypdf(path: Path) -> list[str]:
    import pypdf

    return [p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(path).pages]


def with_pdfplumber(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [p.extract_text(layout=True) or "" for p in pdf.pages]


def with_pdfminer(path: Path) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(str(path), laparams=LAParams()):
        rows = []
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    if isinstance(line, LTTextLine):
                        rows.append((-line.y0, line.x0, line.get_text().rstrip("\n")))
        rows.sort()
        pages.append("\n".join(" " * round(x / CHAR) + text for _, x, text in rows))
    return pages


def with_pypdfium2(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    for page in pdfium.PdfDocument(str(path)):
        tp = page.get_textpage()
        lines: list[tuple[float, list[tuple[float, str]]]] = []
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(tp.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(tp, i))
            if char in "\r\n":
                continue
            raw.FPDFText_GetCharOrigin(tp, i, x, y)
            for base, chars in lines[-3:]:
                if abs(base - y.value) <= 2.0:
                    chars.append((x.value, char))
                    break
            else:
                lines.append((y.value, [(x.value, char)]))
        rows = []
        for _, chars in sorted(lines, key=lambda line: -line[0]):
            row = ""
            for left, char in chars:  # text order: the PDF's own spaces
                if char.isspace():
                    row += "" if not row or row.endswith(" ") else " "
                    continue
                col = round(left / CHAR)
                if len(row) < col - 1 and (not row or row.endswith(" ")):
                    row += " " * (col - len(row))
                row += char
            rows.append(row.rstrip())
        pages.append("\n".join(rows))
    return pages


LIBRARIES: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": with_pypdf, "pdfplumber": with_pdfplumber, "pdfminer.six": with_pdfminer,
    "pypdfium2": with_pypdfium2}


def main() -> int:
    if not SHARED.is_dir():
        print("bench_pdf: ../shared is absent, skipped")
        return 0
    from scriptalign.text.aligner import align
    from scriptalign.text.formats import load_subtitles
    from scriptalign.text.formats.indented import read_screenplay
    from scriptalign.text.formats.pdf import pdf_text

    rows: list[list[Any]] = []
    records = []
    for folder in sorted(SHARED.iterdir()):
        subs = load_subtitles(folder / "subs.srt")
        for name, extract in LIBRARIES.items():
            try:
                t0 = time.perf_counter()
                pages = extract(folder / "script.pdf")
                seconds = time.perf_counter() - t0
            except ImportError:
                rows.append([folder.name, name, "not installed", "", "", "", ""])
                continue
            text, _ = pdf_text(pages)
            script, layout = read_screenplay(text)
            share = align(script, subs).stats["share_aligned"]
            rows.append([folder.name, name, f"{seconds:.1f}", layout.name,
                         layout.confidence, len(script.dialogue), share])
            records.append({"pdf": folder.name, "library": name, "seconds": round(seconds, 2),
                            "layout": layout.name, "confidence": layout.confidence,
                            "speeches": len(script.dialogue), "share_aligned": share})
    table("PDF text with layout, per library (timings on a shared machine: upper bounds)",
          ["pdf", "library", "seconds", "layout", "confidence", "speeches", "aligned"], rows)
    out = REPO / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pdf.json").write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
