"""Pictures of the tracks: ``thumbs/track_NNNN.jpg`` and the contact sheet ``tracks.png``.

The contact sheet has one row per track: its id, shot and time span, its speaking score
and a warning when its identity seemed to change, then faces taken evenly along the track,
each with its mouth opening (``m 0.04``), so a person can check at a glance that every
face in a row is the same person (track purity), that one person is not split over many
rows, and that the speakers are the tracks with moving mouths.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from scriptalign.core.atomic import atomic_open, write_bytes
from scriptalign.video._opencv import cv2
from scriptalign.video.samples import FaceSample

TILE = 64  # pixels per face in the contact sheet
LABEL_WIDTH = 150
MAX_TILES = 12


def face_tile(sample: FaceSample, size: int = TILE) -> np.ndarray:
    """The face of ``sample`` with a little context, as a ``size`` x ``size`` BGR square."""
    x, y, w, h = sample.box
    side = 1.2 * max(w, h)
    cx, cy = x + w / 2, y + h / 2
    rows, cols = sample.crop.shape[:2]
    x0, y0 = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    x1, y1 = int(min(cols, cx + side / 2)), int(min(rows, cy + side / 2))
    patch = sample.crop[y0:y1, x0:x1]
    if patch.size == 0:
        return np.zeros((size, size, 3), np.uint8)
    scale = size / max(patch.shape[:2])
    patch = cv2.resize(patch, (max(1, round(patch.shape[1] * scale)),
                               max(1, round(patch.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    tile = np.zeros((size, size, 3), np.uint8)
    tile[:patch.shape[0], :patch.shape[1]] = patch[:size, :size]
    return tile


def label_tile(tile: np.ndarray, text: str) -> np.ndarray:
    """``tile`` with ``text`` on a dark band along its bottom (the face stays visible)."""
    if not text:
        return tile
    out = tile.copy()
    out[-13:] = (out[-13:] * 0.35).astype(np.uint8)
    cv2.putText(out, text, (2, out.shape[0] - 3), cv2.FONT_HERSHEY_SIMPLEX, 0.35,
                (255, 255, 255), 1, cv2.LINE_AA)
    return out


def encode_image(image: np.ndarray, ext: str) -> bytes:
    ok, data = cv2.imencode(ext, image)
    if not ok:  # pragma: no cover - OpenCV always encodes a valid uint8 image
        raise RuntimeError(f"OpenCV could not encode a {ext} image")
    return bytes(data.tobytes())


def strip(tiles: list[np.ndarray]) -> np.ndarray:
    """A track's faces side by side, as they appear in its row of the contact sheet."""
    band = np.full((TILE, MAX_TILES * (TILE + 2), 3), 255, np.uint8)
    for c, tile in enumerate(tiles[:MAX_TILES]):
        band[:, c * (TILE + 2):c * (TILE + 2) + TILE] = tile
    return band


def _row(label: str, faces: np.ndarray) -> np.ndarray:
    row = np.full((TILE + 2, LABEL_WIDTH + faces.shape[1], 3), 255, np.uint8)
    for k, line in enumerate(label.split("\n")[:3]):
        cv2.putText(row, line, (4, 18 + 18 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1,
                    cv2.LINE_AA)
    row[:TILE, LABEL_WIDTH:LABEL_WIDTH + faces.shape[1]] = faces[:TILE]
    return row


def _empty_sheet() -> np.ndarray:
    sheet = np.full((TILE, LABEL_WIDTH + MAX_TILES * (TILE + 2), 3), 255, np.uint8)
    cv2.putText(sheet, "no face tracks", (8, TILE // 2 + 5), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                (0, 0, 0), 1, cv2.LINE_AA)
    return sheet


def contact_sheet(rows: list[tuple[str, np.ndarray]]) -> np.ndarray:
    """One row per ``(label, strip)``; a label may hold up to three lines (newlines)."""
    if not rows:
        return _empty_sheet()
    return np.vstack([_row(label, faces) for label, faces in rows])


def _chunk(fh: IO[Any], kind: bytes, data: bytes) -> None:
    fh.write(struct.pack(">I", len(data)) + kind + data)
    fh.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_contact_sheet(path: str | Path, rows: Sequence[tuple[str, bytes]]) -> None:
    """Write ``tracks.png`` row by row: ``(label, JPEG of the track's strip)``.

    A film has thousands of tracks; the whole sheet would not fit in memory (2,000 rows are
    ~400 MB of pixels), so PNG's scanlines are compressed as each row is drawn.
    """
    if not rows:
        write_bytes(path, encode_image(_empty_sheet(), ".png"))
        return
    width = LABEL_WIDTH + MAX_TILES * (TILE + 2)
    height = len(rows) * (TILE + 2)
    with atomic_open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        _chunk(fh, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        packer = zlib.compressobj(6)
        for label, jpeg in rows:
            faces = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
            assert faces is not None  # our own JPEG, made by encode_image
            rgb = _row(label, np.asarray(faces))[:, :, ::-1]
            data = b"".join(b"\x00" + line.tobytes() for line in rgb)  # filter 0: none
            packed = packer.compress(data)
            if packed:
                _chunk(fh, b"IDAT", packed)
        _chunk(fh, b"IDAT", packer.flush())
        _chunk(fh, b"IEND", b"")
