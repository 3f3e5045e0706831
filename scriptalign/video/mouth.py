"""Who is speaking: the mouth opening of every face, and how much it moves along a track.

The opening is measured with dlib's 68-point landmark model (``shape_predictor_68_face_
landmarks.dat``, shipped by face-recognition-models): the mean gap between the inner lips
(points 61-67, 62-66, 63-65) divided by the height of the face box, so it does not depend
on the face's size in the frame (a closed mouth is ~0.00-0.02, wide open ~0.1).

Per track, ``tracks.json`` stores three fields (see :mod:`scriptalign.video.tracks`):

- ``mouth``: the opening of each detection, aligned with ``detections`` (``null`` where it
  was not measured: interpolated boxes, faces under ``MIN_FACE`` pixels);
- ``lip``: its change from the previous detection (``null`` when either is missing), the
  lip-motion series the TV tracks in the shared data carry under the same name;
- ``speaking``: the mean, over windows of ``WINDOW`` seconds, of the standard deviation of
  the opening inside the window, after a running median of three detections has removed
  single-frame landmark jitter (which on faces of ~30 px is as large as speech). Talking or
  singing opens and closes the mouth several times a second; a listener's mouth, even
  laughing, changes more slowly. On short_hamilton_clip.mp4 (where these settings were
  chosen) the singer's three tracks score 0.012-0.019, the six audience tracks 0.004-0.010
  and the pianist 0.003; a 1 s window or no median narrowed the gap (0.0140 vs 0.0155).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from scriptalign.video.detectors import Box

MIN_FACE = 24  # pixels of face height: below this the lips are a few pixels, noise
WINDOW = 0.5  # seconds
MIN_WINDOW_VALUES = 5  # measured openings a window needs to count
INNER_LIPS = ((61, 67), (62, 66), (63, 65))


def mouth_opening(gray: np.ndarray, box: Box) -> float | None:
    """Inner-lip gap over face height for the face in ``box`` (dlib's box convention,
    pixels of ``gray``); None for a face too small to measure."""
    import dlib

    from scriptalign.video._dlib import landmark_predictor

    x, y, w, h = box
    if h < MIN_FACE:
        return None
    rect = dlib.rectangle(round(x), round(y), round(x + w) - 1, round(y + h) - 1)
    shape = landmark_predictor()(gray, rect)
    gap = 0.0
    for top, bottom in INNER_LIPS:
        a, b = shape.part(top), shape.part(bottom)
        gap += float(np.hypot(a.x - b.x, a.y - b.y))
    return round(gap / len(INNER_LIPS) / h, 4)


def lip_motion(mouth: Sequence[float | None]) -> list[float | None]:
    """Change of the opening from one detection to the next (None where one is missing)."""
    out: list[float | None] = [None]
    for before, now in pairwise(mouth):
        out.append(None if before is None or now is None else round(now - before, 4))
    return out[:len(mouth)]


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
