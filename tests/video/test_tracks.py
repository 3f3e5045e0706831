from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from scriptalign.core.errors import InputError
from scriptalign.video.tracks import Detection, FaceTracks, Shot, Track, load_tracks, save_tracks


def _sample() -> FaceTracks:
    rng = np.random.default_rng(0)
    face = rng.normal(size=(2, 128)).astype(np.float32)
    face /= np.linalg.norm(face, axis=1, keepdims=True)
    return FaceTracks(
        video={"path": "v.mp4", "fps": 25.0, "width": 320, "height": 240, "duration": 4.0,
               "frames": 100},
        shots=[Shot(0.0, 2.0, 0, 49), Shot(2.0, 4.0, 50, 99)],
        tracks=[
            Track(3, 0, 0.0, 1.0, [Detection(0, 0.0, (1, 2, 30, 30), 0.9),
                                   Detection(25, 1.0, (3, 2, 30, 31), 0.8, {"yaw": 5.0})],
                  {"short": False}),
            Track(7, 1, 2.0, 3.0, [Detection(50, 2.0, (10, 20, 40, 40))]),
        ],
        face=face,
        action=rng.normal(size=(2, 16)).astype(np.float32),
    )


def test_save_then_load_is_exact(tmp_path: Path) -> None:
    ft = _sample()
    save_tracks(ft, tmp_path)
    back = load_tracks(tmp_path)
    assert back.video == ft.video
    assert back.shots == ft.shots
    assert back.tracks == ft.tracks
    assert back.face is not None and ft.face is not None
    np.testing.assert_array_equal(back.face, ft.face)
    assert back.action is not None and ft.action is not None
    np.testing.assert_array_equal(back.action, ft.action)


def test_features_follow_track_order_not_file_order(tmp_path: Path) -> None:
    ft = _sample()
    save_tracks(ft, tmp_path)
    doc = json.loads((tmp_path / "tracks.json").read_text())
    doc["tracks"].reverse()
    (tmp_path / "tracks.json").write_text(json.dumps(doc))
    back = load_tracks(tmp_path)
    assert [t.id for t in back.tracks] == [7, 3]
    assert back.face is not None and ft.face is not None
    np.testing.assert_array_equal(back.face[0], ft.face[1])


def test_features_missing_a_track_is_an_error(tmp_path: Path) -> None:
    ft = _sample()
    save_tracks(ft, tmp_path)
    doc = json.loads((tmp_path / "tracks.json").read_text())
    doc["tracks"][0]["id"] = 99
    (tmp_path / "tracks.json").write_text(json.dumps(doc))
    with pytest.raises(InputError, match="no features"):
        load_tracks(tmp_path)


def test_missing_and_broken_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="faces"):
        load_tracks(tmp_path)
    (tmp_path / "tracks.json").write_text("{not json")
    with pytest.raises(InputError, match="JSON"):
        load_tracks(tmp_path)
    (tmp_path / "tracks.json").write_text('{"tracks": [{"id": "x"}]}')
    with pytest.raises(InputError, match="valid tracks"):
        load_tracks(tmp_path)


def test_shared_tv_tracks_load(shared: Path) -> None:
    ft = load_tracks(shared / "data/tv/bbt_s01e01/tracks")
    assert ft.face is not None
    assert ft.face.shape == (len(ft.tracks), 128)
    assert all(t.start <= t.end for t in ft.tracks)
