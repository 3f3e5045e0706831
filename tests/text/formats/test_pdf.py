"""Screenplays as PDF: text with its columns, furniture dropped, page + line kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import screenplays as sp

from scriptalign.core.errors import InputError
from scriptalign.text.formats import load_script

ITEMS = sp.speeches(30, seed=7)


def test_a_screenplay_pdf_reads_like_its_text(tmp_path: Path) -> None:
    path = tmp_path / "film.pdf"
    sp.pdf(ITEMS, path)
    script = load_script(path)
    assert [(el.speaker, el.text) for el in script.dialogue] == ITEMS
    assert script.layout is not None and script.layout["container"] == "pdf"
    assert script.layout["name"] == "indented"
    # The cover page and the page numbers are neither cast nor action.
    texts = " ".join(el.text for el in script.elements)
    assert "Written by" not in texts and "HARBOUR LEDGER" not in texts
    assert set(script.cast) <= set(sp.CAST)
    # The scene numbers in both margins are gone from the heading.
    assert script.elements[0].kind == "scene"
    assert script.elements[0].text == "INT. HARBOUR OFFICE - NIGHT"
    # Every element knows its page (1-based; the cover is page 1) and line on the page.
    pages = [el.page_lines[0][0] for el in script.dialogue if el.page_lines]
    assert len(pages) == len(ITEMS) and pages[0] == 2 and pages == sorted(pages)
    assert script.pages == pytest.approx(sum(1 for _ in range(max(pages))), abs=0.5)


def test_a_pdf_without_a_text_layer_says_so(tmp_path: Path) -> None:
    from fpdf import FPDF

    doc = FPDF()
    for _ in range(3):
        doc.add_page()
        doc.rect(20, 20, 100, 100, style="F")  # a "scan": pictures, no text
    path = tmp_path / "scan.pdf"
    doc.output(str(path))
    with pytest.raises(InputError, match=r"no text layer.*OCR"):
        load_script(path)


def test_a_broken_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n")
    with pytest.raises(InputError, match=r"broken\.pdf"):
        load_script(path)


@pytest.mark.slow
def test_shared_pdfs_give_a_screenplays_speeches(shared: Path) -> None:
    for folder in sorted((shared / "data" / "pdf").iterdir()):
        script = load_script(folder / "script.pdf")
        assert script.pages and 5 <= len(script.dialogue) / script.pages <= 12, folder.name
        assert all(el.page_lines for el in script.dialogue)
