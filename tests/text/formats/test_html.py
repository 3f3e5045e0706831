"""Screenplays saved as web pages (IMSDb-like): <pre>, <b> cues, entities, line numbers."""

from __future__ import annotations

from pathlib import Path

import screenplays as sp

from scriptalign.text.formats import load_script
from scriptalign.text.formats.html import html_text, looks_like_html

ITEMS = sp.speeches(12, seed=5)


def test_imsdb_like_page_reads_like_the_text(tmp_path: Path) -> None:
    page = tmp_path / "film.html"
    page.write_text(sp.web_page(ITEMS), encoding="utf-8")
    script = load_script(page)
    assert [(el.speaker, el.text) for el in script.dialogue] == ITEMS
    assert script.layout is not None and script.layout["container"] == "html"
    # Element lines point into the HTML file, whose <pre> starts on line 8.
    html_lines = page.read_text(encoding="utf-8").split("\n")
    first = script.dialogue[0]
    assert sp._wrap(ITEMS[0][1], 35)[0] in html_lines[first.lines[0] - 1]


def test_entities_tags_and_bold_lines() -> None:
    page = ("<html><body><pre>\n<b>                    MARGO</b>\n"
            "          Fish &amp; chips&nbsp;now.\n</pre></body></html>")
    text = html_text(page)
    assert text.text.split("\n")[1:3] == ["                    MARGO",
                                          "          Fish & chips now."]
    assert text.bold == {2}
    assert text.source_lines[1] == 2


def test_a_page_without_pre_uses_the_body_with_br_breaks() -> None:
    page = "<html><body><p>MARGO<br>Fish and chips now.</p><script>x=1</script></body></html>"
    lines = html_text(page).text.split("\n")
    assert "MARGO" in lines and "Fish and chips now." in lines
    assert "x=1" not in " ".join(lines)


def test_detection_by_content() -> None:
    assert looks_like_html("<!DOCTYPE html>\n<html>")
    assert looks_like_html("   <pre>\n  MARGO\n")
    assert not looks_like_html("          INT. ROOM - DAY\n\n  MARGO <beat> hi\n")


def test_body_paragraphs_become_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "film.html"
    body = "".join(f"<p>{name}<br>{text}</p>\n" for name, text in ITEMS)
    page.write_text(f"<html><body>\n<p>INT. HARBOUR OFFICE - NIGHT</p>\n{body}</body></html>",
                    encoding="utf-8")
    script = load_script(page)
    assert [(el.speaker, el.text) for el in script.dialogue] == ITEMS
