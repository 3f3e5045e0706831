"""Face descriptors: face_recognition's 128-d encodings of a track's best crops, averaged.

An encoding (face_recognition's, see scriptalign.video._dlib: dlib's ResNet on a
150 x 150 chip) costs several times a detection, so a track gets at
most ``k`` of them, from its best crops (see :mod:`scriptalign.video.samples`), never one per
frame. The track's descriptor is the mean of its
encodings re-normalised to unit length: the encodings of one person spread around a
direction, and ``learn`` compares directions.
"""

from __future__ import annotations

import numpy as np

from scriptalign.video.samples import FaceSample

DIM = 128


def encode_samples(samples: list[FaceSample]) -> np.ndarray:
    """One L2-normalised 128-d row per sample (float32).

    Computed as ``face_recognition.face_encodings(crop, [box], model="small")`` does.
    """
    import dlib

    from scriptalign.video._dlib import face_encoder, five_point_predictor

    landmarks, encoder = five_point_predictor(), face_encoder()
    rows = []
    for sample in samples:
        rgb = np.ascontiguousarray(sample.crop[:, :, ::-1])
        x, y, w, h = sample.box
        # dlib's right and bottom are inclusive; our boxes count pixels (w = right - left + 1).
        rect = dlib.rectangle(round(x), round(y), round(x + w) - 1, round(y + h) - 1)
        vector = encoder.compute_face_descriptor(rgb, landmarks(rgb, rect), 1)
        rows.append(_unit(np.asarray(vector, dtype=np.float64)))
    if not rows:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack(rows).astype(np.float32)


def track_descriptor(encodings: np.ndarray) -> np.ndarray:
    """The re-normalised mean of a track's encodings (zeros when it has none)."""
    if len(encodings) == 0:
        return np.zeros(DIM, dtype=np.float32)
    return _unit(encodings.astype(np.float64).mean(axis=0)).astype(np.float32)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v
