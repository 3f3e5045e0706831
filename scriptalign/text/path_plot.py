"""The alignment path: script position against film time, a whole alignment at a glance.

One dot per dialogue element at (film time, script line), coloured by how it was timed
(``STATUS_COLORS``); speeches with no time are ticks on the left edge; the subtitle cues
are a rug under the time axis. A script close to the film draws a clean diagonal, a
moved scene an off-diagonal segment, a cut scene a vertical gap in the dots (and a
column of ticks), a wrong subtitle file a cloud. ``scriptalign align ... --plot
path.png`` draws it with matplotlib (imported only then); ``report.html`` draws the same
points in the page (``runs/report.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptalign.text.alignment import Alignment

# How each status is drawn, from the most to the least sure (legend order).
STATUS_COLORS = {"aligned": "#2f6fde", "moved": "#d9534f", "slotted": "#e6892e",
                 "interpolated": "#9aa3b2", "unaligned": "#c9ced8"}


def path_points(alignment: Alignment) -> list[dict[str, Any]]:
    """The dialogue elements as points: ``time`` (the middle of the element's interval,
    None without one), ``line`` (first script line), ``status``, ``element`` (index)."""
    return [{"time": None if e.start is None or e.end is None else (e.start + e.end) / 2,
             "line": e.lines[0], "status": e.status, "element": k}
            for k, e in enumerate(alignment.elements) if e.kind == "dialogue"]


def plot_path(alignment: Alignment, path: str | Path, *, title: str | None = None) -> None:
    """Draw the path of ``alignment`` into an image file (PNG, SVG or PDF by the
    extension of ``path``; written atomically)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from scriptalign.core.atomic import atomic_path

    points = path_points(alignment)
    film_end = max([c.end for c in alignment.cues] +
                   [p["time"] for p in points if p["time"] is not None] + [1.0])
    last_line = max([e.lines[1] for e in alignment.elements] + [1])
    fig = Figure(figsize=(10, 6), dpi=110)
    ax = fig.subplots()
    for status, color in STATUS_COLORS.items():
        mine = [p for p in points if p["status"] == status]
        timed = [p for p in mine if p["time"] is not None]
        if timed:
            ax.scatter([p["time"] / 60 for p in timed], [p["line"] for p in timed],
                       s=5 if status == "interpolated" else 8, color=color, linewidths=0,
                       label=f"{status} ({len(mine)})", zorder=2 if status == "interpolated"
                       else 3)
        elif mine:  # no time: a tick on the left edge at its script line
            ax.scatter([0.0] * len(mine), [p["line"] for p in mine], marker="_", s=30,
                       color=color, label=f"{status} ({len(mine)})", clip_on=False,
                       transform=ax.get_yaxis_transform())
    if alignment.cues:
        ax.vlines([c.start / 60 for c in alignment.cues], 0.0, 0.025, color="#555555",
                  linewidth=0.3, alpha=0.6, transform=ax.get_xaxis_transform())
    ax.set_xlim(0, film_end / 60 * 1.01)
    ax.set_ylim(last_line, 0)  # the script reads from the top
    ax.set_xlabel("film time (minutes); ticks below: subtitle cues")
    ax.set_ylabel("script line")
    ax.grid(alpha=0.25)
    share = alignment.stats.get("share_aligned")
    name = title or " / ".join(Path(p).name for p in (alignment.script, alignment.subtitles)
                               if p)
    ax.set_title(name if share is None else f"{name}: {share:.0%} of dialogue found")
    if points:
        ax.legend(loc="upper right", fontsize=8, markerscale=2)
    fig.tight_layout()
    target = Path(path)
    with atomic_path(target, target.suffix) as tmp:
        fig.savefig(tmp, format=target.suffix.lstrip(".").lower() or "png")
