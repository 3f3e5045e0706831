from __future__ import annotations

import numpy as np
import pytest
from synthetic_video import face_crops

from scriptalign.video.face_descriptors import DIM, encode_samples, track_descriptor
from scriptalign.video.samples import cut_sample


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    """A 640 x 480 frame with the astronaut's face (from skimage) at two sizes and mirrored."""
    import cv2

    crops = face_crops()
    frame = np.full((480, 640, 3), 100, np.uint8)
    a = crops["A"]
    frame[20:20 + a.shape[0], 20:20 + a.shape[1]] = a
    big = cv2.resize(crops["B"], None, fx=2.0, fy=2.0)
    frame[200:200 + big.shape[0], 300:300 + big.shape[1]] = big
    return frame


def test_encodings_are_unit_128d_and_agree_on_one_person(astronaut: np.ndarray) -> None:
    from scriptalign.video.detectors import HogDetector

    faces = HogDetector().detect(astronaut)
    assert len(faces) == 2
    samples = [cut_sample(astronaut, f, 0, 0.0) for f in faces]
    enc = encode_samples(samples)
    assert enc.shape == (2, DIM) and enc.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(enc, axis=1), 1.0, atol=1e-5)
    # One person at two sizes, once mirrored: face_recognition's "same person" is a raw
    # distance under 0.6, about 0.5 on unit vectors.
    assert float(np.linalg.norm(enc[0] - enc[1])) < 0.4
    again = encode_samples(samples[:1])
    np.testing.assert_allclose(again[0], enc[0], atol=1e-6)  # deterministic


def test_a_non_face_does_not_look_like_the_face(astronaut: np.ndarray) -> None:
    from scriptalign.video.detectors import HogDetector

    face = HogDetector().detect(astronaut)[0]
    flat = np.zeros_like(astronaut)
    flat[:, :, 1] = np.linspace(0, 255, flat.shape[1], dtype=np.uint8)[None, :]
    enc = encode_samples([cut_sample(astronaut, face, 0, 0.0), cut_sample(flat, face, 0, 0.0)])
    assert float(np.linalg.norm(enc[0] - enc[1])) > 0.4


def test_track_descriptor_is_the_renormalised_mean() -> None:
    a = np.zeros((2, DIM), np.float32)
    a[0, 0] = 1.0
    a[1, 1] = 1.0
    d = track_descriptor(a)
    np.testing.assert_allclose(d[:2], [2 ** -0.5, 2 ** -0.5], atol=1e-6)
    assert np.linalg.norm(d) == pytest.approx(1.0)
    assert not track_descriptor(np.zeros((0, DIM), np.float32)).any()
    assert encode_samples([]).shape == (0, DIM)


def test_encodings_are_face_recognitions(astronaut: np.ndarray) -> None:
    # scriptalign.video._dlib calls face_recognition's models itself (to load only three
    # of its five); the numbers must be face_recognition.face_encodings' own.
    import face_recognition

    from scriptalign.video.detectors import HogDetector

    face = HogDetector().detect(astronaut)[0]
    sample = cut_sample(astronaut, face, 0, 0.0)
    x, y, w, h = sample.box
    rgb = np.ascontiguousarray(sample.crop[:, :, ::-1])
    # face_recognition's (top, right, bottom, left): right and bottom inclusive.
    location = (round(y), round(x + w) - 1, round(y + h) - 1, round(x))
    (theirs,) = face_recognition.face_encodings(rgb, [location], num_jitters=1, model="small")
    ours = encode_samples([sample])[0]
    np.testing.assert_allclose(ours, theirs / np.linalg.norm(theirs), atol=1e-6)


def test_hog_is_face_recognitions(astronaut: np.ndarray) -> None:
    import face_recognition

    from scriptalign.video.detectors import HogDetector

    rgb = np.ascontiguousarray(astronaut[:, :, ::-1])
    theirs = sorted(face_recognition.face_locations(rgb, 0, model="hog"))
    found = HogDetector(working_height=480).detect(astronaut)  # 480: the frame's own size
    ours = sorted((round(y), round(x + w) - 1, round(y + h) - 1, round(x))
                  for x, y, w, h in (f.box for f in found))
    assert ours == theirs


def _people(n_a: int, n_b: int, spread: float = 0.1, seed: int = 0) -> np.ndarray:
    """Unit encodings of person A (n_a rows) then person B (n_b rows), ~0.9 apart."""
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=DIM), rng.normal(size=DIM)
    a /= np.linalg.norm(a)
    b = b - (b @ a) * a
    b = 0.6 * a + 0.8 * b / np.linalg.norm(b)  # |a - b| ~ 0.9
    rows = [c + spread * rng.normal(size=DIM) / np.sqrt(DIM) for c in [a] * n_a + [b] * n_b]
    return np.stack([r / np.linalg.norm(r) for r in rows]).astype(np.float32)


@pytest.mark.parametrize(("n_a", "n_b"), [(1, 1), (2, 4), (5, 1), (3, 3)])
def test_find_switch_says_where_the_person_changes(n_a: int, n_b: int) -> None:
    from scriptalign.video.face_descriptors import find_switch, looks_switched

    encodings = _people(n_a, n_b)
    assert looks_switched(encodings)
    assert find_switch(encodings) == n_a


def test_one_person_is_no_switch() -> None:
    from scriptalign.video.face_descriptors import find_switch, looks_switched

    one = _people(6, 0, spread=0.2)  # ~0.28 apart, as one person's encodings in a track
    assert not looks_switched(one)
    assert find_switch(one) is None
    assert find_switch(one[:1]) is None and not looks_switched(one[:1])
    # Spread wide enough for two encodings to disagree, yet no split separates two groups.
    wide = _people(8, 0, spread=0.3, seed=2)  # pairs up to ~0.45 apart, as in real tracks
    assert looks_switched(wide)
    assert find_switch(wide) is None
