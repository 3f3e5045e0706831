"""Who is speaking: the mouth opening of every face, and how much it moves along a track.

The opening is measured with dlib's 68-point landmark model (``shape_predictor_68_face_
landmarks.dat``, shipped by face-recognition-models): the mean gap between the inner lips
(points 61-67, 62-66, 63-65) divided by the height of the face box, so it does not depend
on the face's size in the frame (a closed mouth is ~0.00-0.02, wide open ~0.1).

The landmarks are the costliest per-frame work of ``scriptalign faces`` (a few ms a face),
so openings are measured on every :func:`mouth_step`-th frame of the file (about
``RATE`` times a second), not on every frame: syllables come 3-6 times a second, and
on short_hamilton_clip.mp4 the speaking scores of 10 measurements a second separate the
singer from the audience as well as those of 30 (lowest singer track over highest
audience track: 1.19 vs 1.18), at a third of the cost.

Per track, ``tracks.json`` stores three fields (see :mod:`scriptalign.video.tracks`):

- ``mouth``: the opening of each detection, aligned with ``detections`` (``null`` where it
  was not measured: frames between measurements, interpolated boxes, faces under
  ``MIN_FACE`` pixels);
- ``lip``: its change per frame since the previous measurement (``null`` where the opening
  is), the lip-motion series the TV tracks in the shared data carry under the same name;
- ``speaking``: the mean, over windows of ``WINDOW`` seconds, of the standard deviation of
  the opening inside the window, after a running median of three measurements has removed
  single-frame landmark jitter (which on faces of ~30 px is as large as speech). Talking or
  singing opens and closes the mouth several times a second; a listener's mouth, even
  laughing, changes more slowly. On short_hamilton_clip.mp4 (where these settings were
  chosen) the singer's three tracks score 0.012-0.017, the six audience tracks 0.004-0.010
  and the pianist 0.003; a 1 s window or no median narrowed the gap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scriptalign.video._opencv import cv2
from scriptalign.video.detectors import Box

MIN_FACE = 24  # pixels of face height: below this the lips are a few pixels, noise
WINDOW = 0.5  # seconds
MIN_WINDOW_VALUES = 4  # measured openings a window needs to count (5 at RATE)
RATE = 10.0  # measurements a second, about (see mouth_step)
INNER_LIPS = ((61, 67), (62, 66), (63, 65))
CROP_MARGIN = 0.5  # face sizes around the box given to the landmark predictor


def mouth_opening(image: np.ndarray, box: Box) -> float | None:
    """Inner-lip gap over face height for the face in ``box`` (dlib's box convention,
    pixels of ``image``, grey or BGR); None for a face too small to measure.

    dlib converts the whole image it is given on every call, so the predictor sees only
    the face with ``CROP_MARGIN`` around it: enough for every pixel its trees compare
    (the landmarks come out identical, see tests/video/test_mouth.py) and 2-20x less work
    than a whole frame.
    """
    import dlib

    from scriptalign.video._dlib import landmark_predictor

    x, y, w, h = box
    if h < MIN_FACE:
        return None
    rows, cols = image.shape[:2]
    x0 = int(max(0, np.floor(x - CROP_MARGIN * w)))
    y0 = int(max(0, np.floor(y - CROP_MARGIN * h)))
    x1 = int(min(cols, np.ceil(x + w + CROP_MARGIN * w)))
    y1 = int(min(rows, np.ceil(y + h + CROP_MARGIN * h)))
    if x1 <= x0 or y1 <= y0:
        return None
    crop = image[y0:y1, x0:x1]
    gray = (cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3
            else np.ascontiguousarray(crop))
    rect = dlib.rectangle(round(x) - x0, round(y) - y0, round(x + w) - 1 - x0,
                          round(y + h) - 1 - y0)
    shape = landmark_predictor()(gray, rect)
    gap = 0.0
    for top, bottom in INNER_LIPS:
        a, b = shape.part(top), shape.part(bottom)
        gap += float(np.hypot(a.x - b.x, a.y - b.y))
    return round(gap / len(INNER_LIPS) / h, 4)


def mouth_step(fps: float) -> int:
    """Openings are measured on frames whose index is a multiple of this: the step closest
    to ``RATE`` measurements a second (3 at 29.97 or 30 fps, 2 at 24 or 25, 6 at 60).
    A frame's index, not its place in a shot, decides, so ``--jobs`` cannot change it."""
    return max(1, round(fps / RATE)) if fps > 0 else 1


def lip_motion(frames: Sequence[int], mouth: Sequence[float | None]) -> list[float | None]:
    """Change of the opening per frame since the previous measurement (None where the
    opening is missing or is the track's first)."""
    out: list[float | None] = []
    before: tuple[int, float] | None = None
    for frame, now in zip(frames, mouth, strict=True):
        if now is None:
            out.append(None)
            continue
        out.append(None if before is None
                   else round((now - before[1]) / max(1, frame - before[0]), 4))
        before = (frame, now)
    return out


def speaking_score(times: Sequence[float], mouth: Sequence[float | None],
                   window: float = WINDOW) -> float | None:
    """Mean over ``window``-second windows of the (median-smoothed) opening's standard
    deviation; windows start at every measured detection.

    None when fewer than ``MIN_WINDOW_VALUES`` openings were measured; a track shorter than
    a window is scored over its whole length.
    """
    pairs = [(t, m) for t, m in zip(times, mouth, strict=True) if m is not None]
    if len(pairs) < MIN_WINDOW_VALUES:
        return None
    t = np.array([p[0] for p in pairs])
    v = _median3(np.array([p[1] for p in pairs]))
    if t[-1] - t[0] < window:
        return round(float(v.std()), 5)
    # Windows start at every measured detection; sums over them from cumulative sums.
    starts = np.flatnonzero(t <= t[-1] - window + 1e-9)
    stops = np.searchsorted(t, t[starts] + window, side="left")
    s1 = np.concatenate([[0.0], np.cumsum(v)])
    s2 = np.concatenate([[0.0], np.cumsum(v * v)])
    count = stops - starts
    full = count >= MIN_WINDOW_VALUES
    if not full.any():
        return None
    n = count[full].astype(np.float64)
    mean = (s1[stops[full]] - s1[starts[full]]) / n
    var = np.maximum((s2[stops[full]] - s2[starts[full]]) / n - mean * mean, 0.0)
    return round(float(np.sqrt(var).mean()), 5)


def _median3(v: np.ndarray) -> np.ndarray:
    """Running median of three (the ends keep their value)."""
    if len(v) < 3:
        return v
    out = v.copy()
    out[1:-1] = np.median(np.stack([v[:-2], v[1:-1], v[2:]]), axis=0)
    return out
