"""Synthetic videos for the faces tests, made with OpenCV from skimage's astronaut photo.

The layout is known exactly, so tests can assert exact shots and tracks:

- shot 0, frames 0-39: face A drifts right; it vanishes at frame 30 (leaves the scene);
- shot 1, frames 40-74: face B (A mirrored) stays left the whole shot; face A enters at
  frame 50 on the right and stays to the cut;
- shot 2, frames 75-99: no face.

25 fps, 320 x 240, MJPG in AVI (every frame a key frame: exact and fast to decode). The
backgrounds are smooth gradients in clearly different colours, so the cuts are hard and
nothing in them looks like a face.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

FPS = 25
SIZE = (320, 240)  # width, height
CUTS = (40, 75)
FRAMES = 100
FACE_SCALE = 0.6  # the astronaut's 90 px face becomes 54 px


@dataclass(frozen=True)
class Appearance:
    face: str  # "A" or "B"
    first: int
    last: int
    x0: int  # top-left of the pasted crop at ``first``
    y0: int
    dx: int = 0  # pixels per frame


APPEARANCES = (
    Appearance("A", 0, 29, 40, 60, dx=2),
    Appearance("B", 40, 74, 30, 80),
    Appearance("A", 50, 74, 200, 70, dx=-1),
)


def face_crops() -> dict[str, np.ndarray]:
    """BGR crops of the astronaut's face (A) and its mirror image (B), and their face box."""
    import cv2
    from skimage import data

    rgb = data.astronaut()
    # The face is at x 175-265, y 76-166 of the 512 x 512 image; keep some hair and neck.
    crop = np.ascontiguousarray(rgb[50:190, 155:285, ::-1])
    crop = cv2.resize(crop, None, fx=FACE_SCALE, fy=FACE_SCALE, interpolation=cv2.INTER_AREA)
    return {"A": crop, "B": np.ascontiguousarray(crop[:, ::-1])}


def face_box(a: Appearance, frame: int) -> tuple[float, float, float, float]:
    """Where the face itself (not the whole crop) is in ``frame``: x, y, w, h."""
    x = a.x0 + a.dx * (frame - a.first)
    side = 90 * FACE_SCALE
    left = (175 - 155) * FACE_SCALE if a.face == "A" else (285 - 265) * FACE_SCALE
    return (x + left, a.y0 + (76 - 50) * FACE_SCALE, side, side)


def background(shot: int) -> np.ndarray:
    w, h = SIZE
    ramp = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :, None]
    down = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    colours = [((120, 40, 20), (200, 90, 30)), ((30, 110, 40), (60, 170, 160)),
               ((40, 40, 140), (90, 160, 230))]
    c0, c1 = (np.array(c, np.float32) for c in colours[shot])
    img = c0 * (1 - ramp) + c1 * ramp
    img = img * (0.8 + 0.2 * down)
    return np.clip(img, 0, 255).astype(np.uint8)


def shot_of(frame: int) -> int:
    return sum(frame >= c for c in CUTS)


def render(frame: int, crops: dict[str, np.ndarray]) -> np.ndarray:
    img = background(shot_of(frame)).copy()
    for a in APPEARANCES:
        if a.first <= frame <= a.last:
            crop = crops[a.face]
            x = a.x0 + a.dx * (frame - a.first)
            ch, cw = crop.shape[:2]
            img[a.y0:a.y0 + ch, x:x + cw] = crop
    return img


def write_video(path: Path, frames: int = FRAMES, with_faces: bool = True) -> Path:
    import cv2

    crops = face_crops()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, SIZE)
    try:
        for i in range(frames):
            img = render(i, crops) if with_faces else background(shot_of(i))
            writer.write(img)
    finally:
        writer.release()
    return path
