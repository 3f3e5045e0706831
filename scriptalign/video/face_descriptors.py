"""Face descriptors: dlib's 128-d encodings (face_recognition's) of a track's best crops.

An encoding costs ~80-160 ms of CPU here (dlib's ResNet on a 150 x 150 chip), many times a
detection; dlib computes a batch of chips no faster than one by one on a CPU, so the only
saving is in how many a track gets (see :func:`scriptalign.video.samples.samples_for`).
The track's descriptor is the mean of its encodings re-normalised to unit length: the
encodings of one person spread around a direction, and ``learn`` compares directions.

Two encodings of one track farther apart than ``SWITCH_DISTANCE`` mean the tracker may
have jumped from one face to another: :func:`find_switch` then says where, from the
encodings of more of the crops the track kept. dlib's usual "same person" threshold is 0.6,
but the small, dark and blurred faces of real scenes are encoded closer together: on
short_hamilton_clip.mp4 two different people's tracks were 0.19-0.54 apart, while the
encodings inside one track were at most 0.44 apart and the halves of a track at most 0.3.
At 0.4, ``find_switch`` split none of its 13 real tracks and found 48 of 75 tracks made by
joining two people's (the misses are pairs of dark, blurred faces no descriptor tells apart).
"""

from __future__ import annotations

import numpy as np

from scriptalign.video.samples import FaceSample

DIM = 128
SWITCH_DISTANCE = 0.4


def encode_samples(samples: list[FaceSample]) -> np.ndarray:
    """One L2-normalised 128-d row per sample (float32).

    Computed as ``face_recognition.face_encodings(crop, [box], model="small")`` does, with
    the crop's face box in dlib's convention (``FaceSample.box``).
    """
    import dlib

    from scriptalign.video._dlib import face_encoder, five_point_predictor

    if not samples:
        return np.zeros((0, DIM), dtype=np.float32)
    landmarks, encoder = five_point_predictor(), face_encoder()
    rows = []
    for sample in samples:
        rgb = np.ascontiguousarray(sample.crop[:, :, ::-1])
        x, y, w, h = sample.box
        # dlib's right and bottom are inclusive; our boxes count pixels (w = right - left + 1).
        rect = dlib.rectangle(round(x), round(y), round(x + w) - 1, round(y + h) - 1)
        vector = encoder.compute_face_descriptor(rgb, landmarks(rgb, rect), 1)
        rows.append(_unit(np.asarray(vector, dtype=np.float64)))
    return np.stack(rows).astype(np.float32)


def track_descriptor(encodings: np.ndarray) -> np.ndarray:
    """The re-normalised mean of a track's encodings (zeros when it has none)."""
    if len(encodings) == 0:
        return np.zeros(DIM, dtype=np.float32)
    return _unit(encodings.astype(np.float64).mean(axis=0)).astype(np.float32)


def looks_switched(encodings: np.ndarray, distance: float = SWITCH_DISTANCE) -> bool:
    """Whether two encodings of a track (in time order) are of different people."""
    if len(encodings) < 2:
        return False
    e = encodings.astype(np.float64)
    gaps = np.linalg.norm(e[:, None, :] - e[None, :, :], axis=2)
    return bool(gaps.max() > distance)


def find_switch(encodings: np.ndarray, distance: float = SWITCH_DISTANCE) -> int | None:
    """Where a track's identity changes: the ``k`` (1 <= k < n) for which the mean
    encodings of rows ``[:k]`` and ``[k:]`` (time order) are farthest apart, if that is more
    than ``distance``; None when no split separates two people."""
    n = len(encodings)
    if n < 2:
        return None
    e = encodings.astype(np.float64)
    best, where = 0.0, None
    for k in range(1, n):
        gap = float(np.linalg.norm(_unit(e[:k].mean(axis=0)) - _unit(e[k:].mean(axis=0))))
        if gap > best:
            best, where = gap, k
    return where if best > distance else None


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v
