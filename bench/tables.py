"""The plain-text tables every benchmark prints (``from tables import table``)."""

from __future__ import annotations

from typing import Any


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print ``rows`` under ``header`` in left-aligned columns, after a blank line."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    print(f"\n{title}")
    for n, r in enumerate(cells):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))
