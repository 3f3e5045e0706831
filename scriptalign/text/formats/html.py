"""Reader for screenplays saved as web pages (IMSDb and sites like it).

IMSDb serves the script inside a ``<pre>`` block, its indentation intact, with cues and
scene headings in ``<b>``; other sites put it in the page body with ``<br>`` line breaks.
``html_text`` takes the largest ``<pre>`` block (else the body), strips the tags, decodes
the entities (``&amp;``, ``&nbsp;``) and drops ``<script>``/``<style>`` content. It
returns the text for the script readers with, for each of its lines, the line of the HTML
file it starts on (so element ``lines`` still point into the file the user has), and the
lines that were bold: on a page that bolds its cues, a line that is not bold is no cue.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*>|<!--.*?-->|<![^>]*>", re.S)
_PRE = re.compile(r"<pre\b[^>]*>(.*?)</pre\s*>", re.S | re.I)
_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.S | re.I)
_SKIP = re.compile(r"<(script|style|head)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# Tags that end a line when a page has no <pre> (block elements and <br>).
_BREAKS = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
           "blockquote", "center", "hr"}
_PARAGRAPHS = {"p", "div", "table", "blockquote", "center", "hr", "h1", "h2", "h3", "h4", "h5",
               "h6"}
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<pre|<!--|<meta|<title)",
                         re.I)


def looks_like_html(text: str) -> bool:
    """True when ``text`` opens like a web page, or holds a ``<pre>`` or ``<html>`` tag."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or bool(re.search(r"<(?:html|pre|body)\b", head,
                                                           re.I))


@dataclass
class HtmlText:
    text: str
    source_lines: list[int]  # 1-based line of the HTML file for each line of ``text``
    bold: set[int] = field(default_factory=set)  # 1-based lines of ``text`` that were bold


def html_text(page: str) -> HtmlText:
    """The screenplay text of an HTML page (see the module doc)."""
    # Blank out skipped content, keeping its line ends so that line numbers hold.
    page = _SKIP.sub(lambda m: "\n" * m.group(0).count("\n"), page)
    blocks = list(_PRE.finditer(page))
    if blocks:
        best = max(blocks, key=lambda m: len(m.group(1)))
        start, body, pre = best.start(1), best.group(1), True
    else:
        match = _BODY.search(page)
        start, body, pre = (match.start(1), match.group(1), False) if match else (0, page, False)
    line = page.count("\n", 0, start) + 1
    lines: list[str] = [""]
    source = [line]
    bold: set[int] = set()
    in_bold = 0
    pos = 0

    def add_text(chunk: str) -> None:
        nonlocal line
        parts = chunk.split("\n")
        for k, part in enumerate(parts):
            if k:
                line += 1
                if pre:
                    lines.append("")
                    source.append(line)
                else:
                    part = " " + part
            lines[-1] += html.unescape(part).replace("\xa0", " ")
            if in_bold and part.strip():
                bold.add(len(lines))

    for match in _TAG.finditer(body):
        add_text(body[pos:match.start()])
        pos = match.end()
        name = (match.group(2) or "").lower()
        closing = match.group(1) == "/"
        if name in ("b", "strong"):
            in_bold = max(0, in_bold + (-1 if closing else 1))
        elif not pre and name in _BREAKS and lines[-1].strip():
            lines.append("")
            source.append(line)
            if name in _PARAGRAPHS:  # a paragraph ends with a blank line, as in the text
                lines.append("")
                source.append(line)
        line += match.group(0).count("\n")
    add_text(body[pos:])
    if not pre:
        lines = [" ".join(ln.split()) for ln in lines]
    return HtmlText("\n".join(lines), source, bold)
