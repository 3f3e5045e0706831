"""The aligned script as a table: one CSV row per element, for spreadsheets and pandas.

Columns: ``element`` (0-based position, the ``element`` of the bags), ``kind``, ``speaker``,
``start``, ``end`` (seconds, empty when unknown), ``score``, ``status``, ``first_line``,
``last_line`` (in the script file), ``cues`` (SRT numbers separated by spaces), ``text``.
Text cells that a spreadsheet would run as a formula get a leading ``'``.
"""

from __future__ import annotations

import csv
import io

from scriptalign.text.alignment import Alignment

COLUMNS = ("element", "kind", "speaker", "start", "end", "score", "status", "first_line",
           "last_line", "cues", "text")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A CSV cell that a spreadsheet shows as text: one that starts like a formula (``=``,
    ``+``, ``-``, ``@``, tab, CR) gets a leading ``'`` (OWASP's advice on CSV injection).
    A lone CR becomes a line feed: ``csv.writer`` with ``\\n`` line ends leaves a CR
    unquoted, and every reader takes it for the end of the row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _time(t: float | None) -> str:
    return "" if t is None else f"{t:.3f}"


def format_csv(alignment: Alignment) -> str:
    """The elements of ``alignment`` as CSV text (RFC 4180 quoting, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for k, el in enumerate(alignment.elements):
        writer.writerow([k, el.kind, spreadsheet_safe(el.speaker or ""), _time(el.start),
                         _time(el.end), f"{el.score:.4f}", el.status, el.lines[0], el.lines[1],
                         " ".join(str(c) for c in el.cues), spreadsheet_safe(el.text)])
    return out.getvalue()
