"""Progress reporting through callbacks, so library code never draws anything itself.

A long function takes ``progress: Progress | None``; it calls ``progress(done, total)``
as it goes (``total`` may be 0 when unknown). The CLI passes a callback that updates a
progress bar on stderr; a notebook passes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
