"""labels.json: round trip, background as null, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.learning.labels import Labels, TrackLabel, load_labels, save_labels


def _labels() -> Labels:
    return Labels(
        [TrackLabel(0, "Rick", 0.8123456, {"Rick": 0.8123456, "Ilsa": 0.1}),
         TrackLabel(3, None, 0.6, {"Rick": 0.2, "Ilsa": 0.2}, "drink", 0.7,
                    {"drink": 0.7}),
         TrackLabel(5, None, 0.0, {})],
        {"name": "fw", "iterations": 12, "objective": 0.5, "gap": 1e-4, "seconds": 0.1},
        {"alpha": 1.0}, ["something was dropped"])


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    save_labels(_labels(), path)
    back = load_labels(path)
    assert [t.id for t in back.tracks] == [0, 3, 5]
    assert back.tracks[0].name == "Rick"
    assert back.tracks[0].score == pytest.approx(0.8123, abs=1e-4)
    assert back.tracks[1].name is None and back.tracks[1].action == "drink"
    assert back.tracks[1].action_scores == {"drink": 0.7}
    assert back.tracks[2].action_score is None and back.tracks[2].action_scores is None
    assert back.solver["name"] == "fw" and back.params == {"alpha": 1.0}
    assert back.warnings == ["something was dropped"]
    assert back.by_id()[3].scores == {"Rick": 0.2, "Ilsa": 0.2}


def test_schema(tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    save_labels(_labels(), path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert set(doc) >= {"tracks", "solver", "params"}
    first = doc["tracks"][0]
    assert set(first) == {"id", "name", "score", "scores", "action", "action_score"}
    assert doc["tracks"][1]["name"] is None  # background is null
    assert set(doc["solver"]) >= {"name", "iterations", "objective", "gap", "seconds"}


@pytest.mark.parametrize("text", ["", "[1, 2]", '{"tracks": 3}', '{"tracks": [{"name": "x"}]}',
                                  "\x00\x01"])
def test_bad_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "labels.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_labels(path)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="scriptalign learn"):
        load_labels(tmp_path / "nope.json")


@pytest.mark.parametrize("data", [b"[" * 5000 + b"]" * 5000,
                                  b'{"tracks": [{"id": ' + b"9" * 5000 + b"}]}",
                                  b'{"tracks": [{"id": 1, "score": 1e999999}]}',
                                  b'{"tracks": [{"id": 1, "score": ' + b"9" * 400 + b"}]}",
                                  b'{"tracks": [{"id": 1, "score": "' + b"x" * 3000 + b'"}]}'])
def test_hostile_files_fail_in_one_short_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "labels.json"
    path.write_bytes(data)
    try:
        labels = load_labels(path)
    except InputError as exc:
        assert str(path) in str(exc) and len(str(exc)) < 1000 and "\n" not in str(exc)
    else:  # what loads must save and load again
        save_labels(labels, tmp_path / "again.json")
        load_labels(tmp_path / "again.json")
