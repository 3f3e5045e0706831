from __future__ import annotations

import numpy as np
import pytest

from scriptalign.video.detectors import FaceBox
from scriptalign.video.samples import (
    MAX_FACE,
    FaceSample,
    SampleBuffer,
    cut_sample,
    face_quality,
    samples_for,
)


def _sample(frame: int, quality: float = 0.5) -> FaceSample:
    return FaceSample(frame, frame / 25, np.zeros((4, 4, 3), np.uint8), (0, 0, 4, 4), quality)


def test_buffer_stays_bounded_and_spread_over_the_track() -> None:
    buffer = SampleBuffer(capacity=8)
    for i in range(100):
        buffer.add(_sample(i) if buffer.wants_next() else None)
    frames = [s.frame for s in buffer.samples]
    assert len(frames) <= 8
    assert frames[0] == 0 and frames[-1] >= 60  # covers the track, not just its start
    gaps = np.diff(frames)
    assert gaps.max() == gaps.min()  # evenly spaced


def test_extend_appends_a_later_fragment() -> None:
    a, b = SampleBuffer(capacity=4), SampleBuffer(capacity=4)
    for i in range(3):
        a.add(_sample(i))
        b.add(_sample(100 + i))
    a.extend(b)
    assert len(a.samples) <= 4
    assert a.samples[0].frame == 0 and a.samples[-1].frame >= 100


def test_best_takes_the_highest_quality_in_time_order() -> None:
    buffer = SampleBuffer()
    for i, q in enumerate([0.1, 0.9, 0.3, 0.8, 0.2]):
        buffer.add(_sample(i, q))
    assert [s.frame for s in buffer.best(2)] == [1, 3]
    assert len(buffer.best(10)) == 5


def test_samples_per_track_grow_with_duration_up_to_k() -> None:
    assert samples_for(0.3, 3) == 1
    assert samples_for(3.9, 3) == 1
    assert samples_for(7.9, 3) == 1  # a second view only where another face came near
    assert samples_for(8.0, 3) == 3
    assert samples_for(60.0, 3) == 3
    assert samples_for(60.0, 1) == 1
    assert samples_for(60.0, 2) == 2
    # Crowded: at least two, to check the track follows one person.
    assert samples_for(0.3, 3, crowded=True) == 2
    assert samples_for(7.9, 3, crowded=True) == 2
    assert samples_for(60.0, 3, crowded=True) == 3
    assert samples_for(0.3, 1, crowded=True) == 1


def test_spread_takes_the_best_crop_of_each_stretch() -> None:
    buffer = SampleBuffer()
    for i, q in enumerate([0.1, 0.9, 0.8, 0.3, 0.2, 0.4]):
        buffer.add(_sample(i, q))
    # Stretches [0, 1, 2] and [3, 4, 5]: the globally best two (1 and 2) see one moment.
    assert [s.frame for s in buffer.best(2)] == [1, 2]
    assert [s.frame for s in buffer.spread(2)] == [1, 5]
    assert [s.frame for s in buffer.spread(3)] == [1, 2, 5]
    assert [s.frame for s in buffer.spread(1)] == [1]
    assert len(buffer.spread(20)) == 6


def test_cut_sample_keeps_the_landmark_box() -> None:
    image = np.zeros((360, 640, 3), np.uint8)
    face = FaceBox((100.0, 100.0, 50.0, 70.0), 0.9, core=(95.0, 110.0, 60.0, 55.0))
    sample = cut_sample(image, face, 3, 0.1)
    _, _, w, h = sample.box
    assert (w, h) == (60.0, 55.0)  # dlib's box, which the encoder's landmarks expect
    assert sample.crop.shape[0] >= 55 and sample.crop.shape[1] >= 60


def test_cut_sample_keeps_the_face_inside_and_limits_its_size() -> None:
    image = np.zeros((1080, 1920, 3), np.uint8)
    big = cut_sample(image, FaceBox((800.0, 300.0, 400.0, 400.0), 0.9), 7, 0.28)
    x, y, w, h = big.box
    assert h == pytest.approx(MAX_FACE)
    assert x >= 0 and x + w <= big.crop.shape[1] + 1e-6
    assert y >= 0 and y + h <= big.crop.shape[0] + 1e-6
    edge = cut_sample(image, FaceBox((0.0, 0.0, 50.0, 50.0), 0.9), 0, 0.0)
    assert edge.box[:2] == (0.0, 0.0)  # clipped at the frame's corner


def test_quality_prefers_bigger_and_surer_faces() -> None:
    small = face_quality(FaceBox((0, 0, 40, 40), 0.9))
    large = face_quality(FaceBox((0, 0, 120, 120), 0.9))
    unsure = face_quality(FaceBox((0, 0, 120, 120), 0.2))
    assert small < large and unsure < large
