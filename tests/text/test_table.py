"""CSV rendering of the aligned elements."""

from __future__ import annotations

import csv
import io

from scriptalign.text.alignment import Alignment
from scriptalign.text.screenplay import Element
from scriptalign.text.table import COLUMNS, format_csv


def test_one_row_per_element_with_quoting_and_empty_times() -> None:
    elements = [
        Element("dialogue", 'He said "no", then left.\nTwice.', (3, 5), "RICK", start=1.5,
                end=4.25, score=0.875, status="aligned", cues=(1, 2)),
        Element("action", "Fog.", (7, 7)),
    ]
    text = format_csv(Alignment(elements, [], []))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == ["0", "dialogue", "RICK", "1.500", "4.250", "0.8750", "aligned", "3", "5",
                       "1 2", 'He said "no", then left.\nTwice.']
    assert rows[2] == ["1", "action", "", "", "", "0.0000", "unaligned", "7", "7", "", "Fog."]
    assert len(rows) == 3
