"""The alignment path: its points, and the picture."""

from __future__ import annotations

from pathlib import Path

from scriptalign.text.alignment import STATUSES, Alignment
from scriptalign.text.path_plot import STATUS_COLORS, path_points, plot_path
from scriptalign.text.screenplay import Element
from scriptalign.text.subtitles import Cue, SubtitleLine


def _alignment() -> Alignment:
    return Alignment(
        elements=[Element("scene", "EXT. DOCK - DAY", (1, 1), start=0.0, end=4.0,
                          status="interpolated"),
                  Element("dialogue", "Cast off.", (3, 3), "ANNA", start=4.0, end=6.0,
                          score=1.0, status="aligned", cues=(1,)),
                  Element("dialogue", "Aye.", (5, 5), "BEN", start=30.0, end=31.0,
                          score=0.3, status="slotted", cues=(2,)),
                  Element("dialogue", "Never.", (7, 8), "ANNA")],
        cues=[Cue(1, 4.0, 6.0, [SubtitleLine("Cast off.", 0)]),
              Cue(2, 30.0, 31.0, [SubtitleLine("Yes.", 0)])],
        bags=[], script="dock.txt", subtitles="dock.srt", stats={"share_aligned": 0.33})


def test_points_are_the_dialogue_at_its_middle_time() -> None:
    assert path_points(_alignment()) == [
        {"time": 5.0, "line": 3, "status": "aligned", "element": 1},
        {"time": 30.5, "line": 5, "status": "slotted", "element": 2},
        {"time": None, "line": 7, "status": "unaligned", "element": 3}]
    assert list(STATUS_COLORS) == list(STATUSES)


def test_plot_writes_an_image(tmp_path: Path) -> None:
    plot_path(_alignment(), tmp_path / "path.svg")
    page = (tmp_path / "path.svg").read_text(encoding="utf-8")
    assert "<svg" in page
    for legend in ("aligned (1)", "slotted (1)", "unaligned (1)"):
        assert legend in page
    assert [p.name for p in tmp_path.iterdir()] == ["path.svg"]  # no temporary left
