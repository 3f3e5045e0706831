from __future__ import annotations

import math

import numpy as np
import pytest
from synthetic_video import face_crops

from scriptalign.video.mouth import (
    MIN_FACE,
    lip_motion,
    mouth_opening,
    mouth_step,
    speaking_score,
)


def test_lip_motion_is_the_change_per_frame_since_the_previous_measurement() -> None:
    frames = [10, 11, 12, 13, 14]
    mouth = [0.02, 0.05, None, 0.04, 0.01]
    assert lip_motion(frames, mouth) == [None, 0.03, None, -0.005, -0.03]
    # Measured every third frame: the change is spread over the frames between.
    assert lip_motion([0, 1, 2, 3], [0.02, None, None, 0.05]) == [None, None, None, 0.01]
    assert lip_motion([], []) == []
    assert lip_motion([4], [0.1]) == [None]


def test_mouth_step_measures_about_ten_times_a_second() -> None:
    assert [mouth_step(fps) for fps in (29.97, 30.0, 25.0, 24.0, 60.0, 10.0, 5.0, 0.0)] == [
        3, 3, 2, 2, 6, 1, 1, 1]


def _series(values: np.ndarray, fps: float = 25.0) -> tuple[list[float], list[float | None]]:
    return [k / fps for k in range(len(values))], [float(v) for v in values]


def test_a_talking_mouth_scores_higher_than_a_still_or_slowly_opening_one() -> None:
    t = np.arange(100) / 25.0
    talking = 0.04 + 0.03 * np.sin(2 * math.pi * 4 * t)  # opens and closes 4 times a second
    laughing = 0.02 + 0.06 * t / t[-1]  # opens slowly over 4 s
    still = np.full(100, 0.03)
    scores = {name: speaking_score(*_series(v)) for name, v in
              [("talking", talking), ("laughing", laughing), ("still", still)]}
    assert scores["still"] == pytest.approx(0.0, abs=1e-9)
    assert scores["talking"] is not None and scores["laughing"] is not None
    assert scores["talking"] > 3 * scores["laughing"]


def test_single_frame_landmark_jitter_is_not_speech() -> None:
    rng = np.random.default_rng(3)
    base = np.full(100, 0.03)
    spikes = base.copy()
    spikes[rng.choice(100, 10, replace=False)] += 0.05  # isolated one-frame outliers
    t = np.arange(100) / 25.0
    talking = 0.04 + 0.02 * np.sin(2 * math.pi * 4 * t)
    jitter, speech = speaking_score(*_series(spikes)), speaking_score(*_series(talking))
    assert jitter is not None and speech is not None
    assert jitter < speech / 3


def test_missing_openings_are_skipped_and_too_few_give_none() -> None:
    times = [k / 25 for k in range(8)]
    assert speaking_score(times, [None] * 8) is None
    assert speaking_score(times, [0.02, None, 0.03, None, 0.02, None, None, None]) is None
    mixed = [0.02, 0.06, None, 0.02, 0.06, 0.02, 0.06, 0.02]
    score = speaking_score(times, mixed)
    assert score is not None and score > 0


@pytest.fixture(scope="module")
def face() -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """The astronaut's face (skimage) in grey, and dlib's box around it."""
    import cv2

    from scriptalign.video.detectors import HogDetector

    frame = np.full((300, 300, 3), 100, np.uint8)
    crop = face_crops()["A"]
    frame[80:80 + crop.shape[0], 100:100 + crop.shape[1]] = crop
    (found,) = HogDetector(working_height=600).detect(frame)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), found.landmark_box


def test_opening_of_a_smile_does_not_depend_on_face_size(
        face: tuple[np.ndarray, tuple[float, float, float, float]]) -> None:
    import cv2

    gray, box = face
    opening = mouth_opening(gray, box)
    # The astronaut smiles with her teeth showing: lips a little apart, far from wide open.
    assert opening is not None and 0.02 < opening < 0.12
    bigger = mouth_opening(cv2.resize(gray, None, fx=2.5, fy=2.5), tuple(v * 2.5 for v in box))
    assert bigger is not None and abs(bigger - opening) < 0.02


def test_an_open_mouth_measures_wider_than_a_closed_one(
        face: tuple[np.ndarray, tuple[float, float, float, float]]) -> None:
    gray, box = face
    x, y, w, h = box
    opened = gray.copy()
    # Paint a dark gap between the lips: a mouth the landmark model sees open.
    cx, cy = int(x + w / 2), int(y + 0.80 * h)
    opened[cy - int(0.05 * h):cy + int(0.06 * h), cx - int(0.15 * w):cx + int(0.15 * w)] = 15
    closed_value, open_value = mouth_opening(gray, box), mouth_opening(opened, box)
    assert closed_value is not None and open_value is not None
    assert open_value > closed_value + 0.02


def test_faces_too_small_are_not_measured(
        face: tuple[np.ndarray, tuple[float, float, float, float]]) -> None:
    gray, (x, y, w, _) = face
    assert mouth_opening(gray, (x, y, w, MIN_FACE - 1)) is None


def test_the_crop_gives_the_landmarks_of_the_whole_frame(
        face: tuple[np.ndarray, tuple[float, float, float, float]]) -> None:
    import cv2
    import dlib

    from scriptalign.video._dlib import landmark_predictor
    from scriptalign.video.mouth import INNER_LIPS

    gray, box = face
    # The face in a large frame, off centre: the predictor is given only a crop of it.
    frame = np.full((900, 1600), 60, np.uint8)
    frame[500:800, 1200:1500] = gray
    x, y, w, h = box[0] + 1200, box[1] + 500, box[2], box[3]
    shape = landmark_predictor()(frame, dlib.rectangle(round(x), round(y), round(x + w) - 1,
                                                       round(y + h) - 1))
    whole = sum(float(np.hypot(shape.part(a).x - shape.part(b).x,
                               shape.part(a).y - shape.part(b).y))
                for a, b in INNER_LIPS) / len(INNER_LIPS) / h
    assert mouth_opening(frame, (x, y, w, h)) == round(whole, 4)
    assert mouth_opening(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), (x, y, w, h)) == round(whole, 4)
