from __future__ import annotations

from pathlib import Path

import numpy as np

from scriptalign.video._opencv import cv2
from scriptalign.video.contact_sheet import (
    TILE,
    contact_sheet,
    encode_image,
    face_tile,
    strip,
    write_contact_sheet,
)
from scriptalign.video.samples import FaceSample


def _sample(colour: int) -> FaceSample:
    crop = np.full((100, 80, 3), 30, np.uint8)
    crop[20:80, 10:70] = colour  # the face box
    return FaceSample(0, 0.0, crop, (10.0, 20.0, 60.0, 60.0), 1.0)


def test_face_tile_is_square_and_centred_on_the_face() -> None:
    tile = face_tile(_sample(200))
    assert tile.shape == (TILE, TILE, 3)
    assert tile[TILE // 2, TILE // 2].tolist() == [200, 200, 200]


def test_contact_sheet_has_one_row_per_track(tmp_path: Path) -> None:
    strips = [strip([face_tile(_sample(50 * i + 40))] * (i + 1)) for i in range(3)]
    labels = [f"#{i}\nshot 0" for i in range(3)]
    sheet = contact_sheet(list(zip(labels, strips, strict=True)))
    assert sheet.shape[0] == 3 * (TILE + 2)
    # The file is written row by row from JPEG strips; it shows the same picture.
    jpegs = [encode_image(s, ".jpg") for s in strips]
    write_contact_sheet(tmp_path / "tracks.png", list(zip(labels, jpegs, strict=True)))
    back = cv2.imread(str(tmp_path / "tracks.png"))
    assert back.shape == sheet.shape
    assert np.abs(back.astype(int) - sheet.astype(int)).mean() < 3  # JPEG's loss only


def test_empty_sheet_says_so(tmp_path: Path) -> None:
    sheet = contact_sheet([])
    assert sheet.shape[0] == TILE
    assert (sheet < 128).any()  # the text "no face tracks"
    write_contact_sheet(tmp_path / "tracks.png", [])
    assert cv2.imread(str(tmp_path / "tracks.png")).shape == sheet.shape
