from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.alignment import (
    Alignment,
    alignment_from_dict,
    alignment_to_dict,
    load_alignment,
    save_alignment,
)
from scriptalign.text.bags import Bag
from scriptalign.text.screenplay import Element
from scriptalign.text.subtitles import Cue, SubtitleLine


def _sample() -> Alignment:
    return Alignment(
        elements=[
            Element("scene", "INT. RICK'S CAFE - NIGHT", (1, 1)),
            Element("dialogue", "Here's looking at you, kid.", (4, 4), "RICK", ("V.O.",),
                    1.5, 3.25, 0.9, "aligned", (1,)),
            Element("action", "Rick sits down with Ilsa.", (6, 7), None, (), 3.25, 4.0, 0.0,
                    "interpolated", ()),
        ],
        cues=[Cue(1, 1.5, 3.25, [SubtitleLine("Here's looking at you, kid.", 0,
                                              "<i>Here's looking at you, kid.</i>", "RICK")])],
        bags=[Bag(3.25, 4.0, 2, ["RICK", "ILSA"], ["sit down"], [("RICK", "sit down")], "action",
                  "interpolated", 0.75),
              Bag(1.5, 3.25, 1, ["RICK"], status="moved", score=0.5)],
        script="casablanca.txt",
        subtitles="casablanca.srt",
        cast=["RICK", "ILSA"],
        stats={"aligned": 0.5},
    )


def test_dict_round_trip_is_exact() -> None:
    a = _sample()
    assert alignment_from_dict(alignment_to_dict(a)) == a


def test_file_round_trip_and_version(tmp_path: Path) -> None:
    path = tmp_path / "align.json"
    save_alignment(_sample(), path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert doc["elements"][1]["lines"] == [4, 4]
    assert load_alignment(path) == _sample()


@pytest.mark.parametrize("content", ["", "[1, 2]", '{"elements": [{"kind": "x"}]}', "{"])
def test_broken_files_are_input_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "align.json"
    path.write_text(content)
    with pytest.raises(InputError):
        load_alignment(path)


def test_bags_written_before_they_carried_a_status_read_as_aligned() -> None:
    doc = alignment_to_dict(_sample())
    for bag in doc["bags"]:
        del bag["status"], bag["score"]
    assert [(b.status, b.score) for b in alignment_from_dict(doc).bags] == [("aligned", 1.0)] * 2


def test_every_status_reads_back() -> None:
    doc = alignment_to_dict(_sample())
    for status in ("moved", "slotted", "unaligned"):
        doc["elements"][1]["status"] = status
        assert alignment_from_dict(doc).elements[1].status == status
    doc["elements"][1]["status"] = "guessed"
    with pytest.raises(ValueError, match="unknown status"):
        alignment_from_dict(doc)
