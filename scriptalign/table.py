"""The aligned script as a table: one CSV row per element, for spreadsheets and pandas.

Columns: ``element`` (0-based position, the ``element`` of the bags), ``kind``, ``speaker``,
``start``, ``end`` (seconds, empty when unknown), ``score``, ``status``, ``first_line``,
``last_line`` (in the script file), ``cues`` (SRT numbers separated by spaces), ``text``.
"""

from __future__ import annotations

import csv
import io

from scriptalign.alignment import Alignment

COLUMNS = ("element", "kind", "speaker", "start", "end", "score", "status", "first_line",
           "last_line", "cues", "text")


def _time(t: float | None) -> str:
    return "" if t is None else f"{t:.3f}"


def format_csv(alignment: Alignment) -> str:
    """The elements of ``alignment`` as CSV text (RFC 4180 quoting, ``\\n`` line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for k, el in enumerate(alignment.elements):
        writer.writerow([k, el.kind, el.speaker or "", _time(el.start), _time(el.end),
                         f"{el.score:.4f}", el.status, el.lines[0], el.lines[1],
                         " ".join(str(c) for c in el.cues), el.text])
    return out.getvalue()
