from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_video import APPEARANCES, face_box, face_crops, render

from scriptalign.core.errors import InputError, UsageError
from scriptalign.video.detectors import HogDetector, YuNetDetector, make_detector
from scriptalign.video.tracker import iou


@pytest.fixture(scope="module")
def frame() -> np.ndarray:
    return render(60, face_crops())  # faces B (left) and A (right) in shot 1


def _truth(frame_index: int) -> list[Box]:
    return [face_box(a, frame_index) for a in APPEARANCES if a.first <= frame_index <= a.last]


Box = tuple[float, float, float, float]


def _matches(found: list[Box], truth: list[Box], least: float) -> bool:
    return len(found) == len(truth) and all(max(iou(f, t) for f in found) >= least
                                            for t in truth)


@pytest.mark.parametrize("height", [240, 540, 720])
def test_hog_finds_both_faces_in_original_pixels(frame: np.ndarray, height: int) -> None:
    faces = HogDetector(working_height=height).detect(frame)
    assert _matches([f.box for f in faces], _truth(60), 0.5)
    assert all(0.0 < f.score <= 1.0 for f in faces)


def test_hog_finds_nothing_in_a_faceless_frame() -> None:
    empty = np.full((240, 320, 3), 90, np.uint8)
    assert HogDetector().detect(empty) == []


def test_min_face_drops_small_faces(frame: np.ndarray) -> None:
    assert HogDetector(min_face=80).detect(frame) == []


def test_make_detector_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--yunet-model"):
        make_detector("yunet")
    with pytest.raises(UsageError, match="unknown detector"):
        make_detector("cnn")
    with pytest.raises(InputError, match="no such file"):
        make_detector("yunet", yunet_model=tmp_path / "missing.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not a model")
    with pytest.raises(InputError, match=r"junk\.onnx"):
        make_detector("yunet", yunet_model=junk)
    assert make_detector("hog").name == "hog"


def test_yunet_finds_both_faces(shared: Path, frame: np.ndarray) -> None:
    model = shared / "models/face_detection_yunet_2023mar.onnx"
    detector = YuNetDetector(model)
    faces = detector.detect(frame)
    # YuNet's boxes include the forehead, dlib's stop at the brows: a looser overlap.
    assert _matches([f.box for f in faces], _truth(60), 0.4)
    assert all(0.7 <= f.score <= 1.0 for f in faces)
    # Same boxes whatever the working height (mapped back to original pixels).
    bigger = YuNetDetector(model, working_height=480).detect(frame)
    assert _matches([f.box for f in bigger], [f.box for f in faces], 0.7)
