"""Face detectors: dlib's HOG through face_recognition (default), or YuNet given its ONNX file.

Both run on the frame scaled to a *working height* and return boxes in the pixels of the
original frame. The working height sets the smallest face found and the cost: dlib's HOG
window is 80 px, so at 540 px it finds faces taller than ~15 % of the frame (the singer in
the wide first shot of ``short_hamilton_clip.mp4``, ~48 px of 360, needs it); YuNet finds
faces down to ~10 px and is fast at 360 px.

``score`` is a confidence in [0, 1] for both: YuNet's own, and for HOG the SVM margin ``m``
mapped by ``m / (1 + m)`` (dlib reports margins above its threshold, 0 to ~3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from scriptalign.core.errors import InputError, UsageError
from scriptalign.video._opencv import cv2
from scriptalign.video.reader import scaled

Box = tuple[float, float, float, float]  # x, y, w, h

DEFAULT_HEIGHT = {"hog": 540, "yunet": 360}


@dataclass(frozen=True)
class FaceBox:
    box: Box  # in pixels of the original frame
    score: float  # confidence in [0, 1]


class FaceDetector(Protocol):
    name: str

    def detect(self, image: np.ndarray) -> list[FaceBox]: ...


def _scaled(image: np.ndarray, height: int) -> tuple[np.ndarray, float]:
    scale = height / image.shape[0]
    if abs(scale - 1.0) < 0.05:  # a working height is a size class; resizing costs ms
        return image, 1.0
    small = scaled(image, scale)
    return small, small.shape[0] / image.shape[0]


class HogDetector:
    """dlib's frontal-face HOG detector, the one ``face_recognition.face_locations`` uses.

    Called directly (see scriptalign.video._dlib) to get the detection scores as well.
    """

    name = "hog"

    def __init__(self, working_height: int = DEFAULT_HEIGHT["hog"], min_face: int = 20) -> None:
        from scriptalign.video._dlib import frontal_face_detector

        self._detector = frontal_face_detector()
        self.working_height = working_height
        self.min_face = min_face

    def detect(self, image: np.ndarray) -> list[FaceBox]:
        small, scale = _scaled(image, self.working_height)
        rgb = np.ascontiguousarray(small[:, :, ::-1])
        rects, scores, _ = self._detector.run(rgb, 0, 0.0)
        faces = []
        for rect, margin in zip(rects, scores, strict=True):
            left, top = max(0, rect.left()), max(0, rect.top())
            right = min(small.shape[1], rect.right() + 1)
            bottom = min(small.shape[0], rect.bottom() + 1)
            w, h = (right - left) / scale, (bottom - top) / scale
            if w <= 0 or h < self.min_face:
                continue
            m = max(0.0, float(margin))
            faces.append(FaceBox((left / scale, top / scale, w, h), round(m / (1.0 + m), 4)))
        return faces


class YuNetDetector:
    """OpenCV's YuNet (``cv2.FaceDetectorYN``): needs the ONNX file the user supplies."""

    name = "yunet"

    def __init__(self, model: str | Path, working_height: int = DEFAULT_HEIGHT["yunet"],
                 min_face: int = 20, score_threshold: float = 0.7) -> None:
        model = Path(model)
        if not model.is_file():
            raise InputError("no such file (the YuNet ONNX model given to --yunet-model)",
                             model)
        try:
            self._net: Any = cv2.FaceDetectorYN.create(str(model), "", (320, 320),
                                                       score_threshold, 0.3, 5000)
        except cv2.error as exc:
            # OpenCV's message: "OpenCV(5.0.0) /io/...cpp:53: error: (-2:...) WHAT in function"
            what = re.search(r"error: \([^)]*\)\s*(.*?)(?: in function|$)", str(exc), re.S)
            reason = " ".join(what.group(1).split()) if what else "unreadable"
            raise InputError(f"is not a YuNet ONNX model OpenCV can load ({reason})",
                             model) from exc
        self._size: tuple[int, int] | None = None
        self.working_height = working_height
        self.min_face = min_face

    def detect(self, image: np.ndarray) -> list[FaceBox]:
        small, scale = _scaled(image, self.working_height)
        size = (small.shape[1], small.shape[0])
        if size != self._size:
            self._net.setInputSize(size)
            self._size = size
        _, found = self._net.detect(small)
        faces: list[FaceBox] = []
        if found is None:
            return faces
        for row in found:
            x, y, w, h = (float(v) for v in row[:4])
            # YuNet boxes may stick out of the frame; clip so crops and IoU stay meaningful.
            x0, y0 = max(0.0, x), max(0.0, y)
            x1, y1 = min(float(size[0]), x + w), min(float(size[1]), y + h)
            if x1 <= x0 or (y1 - y0) / scale < self.min_face:
                continue
            faces.append(FaceBox((x0 / scale, y0 / scale, (x1 - x0) / scale,
                                  (y1 - y0) / scale), round(float(row[14]), 4)))
        return faces


def make_detector(kind: str, *, yunet_model: str | Path | None = None,
                  working_height: int | None = None, min_face: int = 20) -> FaceDetector:
    """The detector named ``kind`` ("hog" or "yunet"); UsageError for anything else."""
    if kind == "hog":
        return HogDetector(working_height or DEFAULT_HEIGHT["hog"], min_face)
    if kind == "yunet":
        if yunet_model is None:
            raise UsageError("--detector yunet needs --yunet-model PATH (the ONNX file "
                             "face_detection_yunet_2023mar.onnx; scriptalign ships none)")
        return YuNetDetector(yunet_model, working_height or DEFAULT_HEIGHT["yunet"], min_face)
    raise UsageError(f"unknown detector {kind!r} (use hog or yunet)")
