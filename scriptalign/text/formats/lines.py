"""The lines of a text as an editor numbers them, whoever decoded it.

``scriptalign.core.textfile.read_text`` already normalises line ends; the ``parse_*`` functions
also take text from elsewhere, so they split with this: a leading BOM dropped, CRLF and
lone CR (old Mac files) counted as one line end, nothing else (form feeds in PDF
conversions stay inside their line, where ``str.strip`` removes them).
"""

from __future__ import annotations


def split_lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
