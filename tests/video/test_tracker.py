from __future__ import annotations

import numpy as np
import pytest

from scriptalign.video.detectors import FaceBox
from scriptalign.video.tracker import (
    ShotTrack,
    ShotTracker,
    TrackingOptions,
    iou,
    is_borderline,
    link,
    select_tracks,
)

FPS = 25.0
PATCH = np.random.default_rng(7).integers(0, 255, (40, 40), dtype=np.uint8)


def _frame(x: int | None, y: int = 60) -> np.ndarray:
    """A grey frame with the textured patch at (x, y), or none when x is None."""
    img = np.tile(np.linspace(60, 120, 320, dtype=np.uint8), (240, 1))
    if x is not None:
        img[y:y + 40, x:x + 40] = PATCH
    return img


def _run(positions: list[int | None], detect_at: dict[int, bool],
         options: TrackingOptions | None = None) -> ShotTracker:
    """Feed frames; on frames in ``detect_at`` the 'detector' reports the patch when the
    value is True (and nothing when False)."""
    tracker = ShotTracker(options or TrackingOptions(), scale=1.0)
    for i, x in enumerate(positions):
        tracker.advance(i, i / FPS, _frame(x))
        if i in detect_at:
            faces = ([FaceBox((float(x), 60.0, 40.0, 40.0), 0.9)]
                     if detect_at[i] and x is not None else [])
            tracker.observe(i, i / FPS, faces)
    return tracker


def test_iou() -> None:
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == pytest.approx(1.0)
    assert iou((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert iou((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0


def test_link_maximises_total_overlap_not_greedily() -> None:
    tracks = [(0.0, 0.0, 10.0, 10.0), (3.0, 0.0, 10.0, 10.0)]
    faces = [FaceBox((1.0, 0.0, 10.0, 10.0), 1.0), FaceBox((-2.0, 0.0, 10.0, 10.0), 1.0)]
    # Greedy would give track 0 its best face (0) and leave track 1 with a poor match.
    assert iou(tracks[0], faces[0].box) > iou(tracks[0], faces[1].box)
    assert sorted(link(tracks, faces, 0.3)) == [(0, 1), (1, 0)]
    assert link(tracks, faces, 0.9) == []
    assert link([], faces, 0.3) == []


def test_flow_follows_the_face_between_detections() -> None:
    positions = [20 + 2 * i for i in range(15)]
    tracker = _run(positions, {0: True})
    (track,) = tracker.finish()
    assert [d.frame for d in track.detections] == list(range(15))
    assert track.detections[0].extra["source"] == "detector"
    assert {d.extra["source"] for d in track.detections[1:]} == {"flow"}
    assert track.detections[-1].box[0] == pytest.approx(positions[-1], abs=1.5)


def test_a_face_that_leaves_ends_at_its_last_detection() -> None:
    positions: list[int | None] = [30] * 10 + [None] * 15
    rounds = {i: True for i in range(0, 25, 5)}
    tracker = _run(positions, rounds, TrackingOptions(max_missed=2))
    assert tracker.alive == []  # missed rounds 10, 15 and 20: ended
    (track,) = tracker.finish()
    assert track.last_frame == 5
    assert track.hits == 2


def test_followed_tail_is_kept_at_a_cut_when_no_round_missed() -> None:
    tracker = _run([30] * 9, {0: True, 5: True})
    (track,) = tracker.finish()
    assert track.last_frame == 8


def test_fragments_of_one_face_are_merged_and_the_gap_filled() -> None:
    # The face is hidden from the detector for three rounds, then found in the same place.
    positions: list[int | None] = [30] * 30
    rounds = {0: True, 5: True, 10: False, 15: False, 20: False, 25: True}
    merged = _run(positions, rounds, TrackingOptions(merge_gap=1.0)).finish()
    assert len(merged) == 1
    frames = [d.frame for d in merged[0].detections]
    assert frames == list(range(30))
    assert merged[0].detections[10].extra["source"] == "interpolated"
    assert merged[0].hits == 3
    apart = _run(positions, rounds, TrackingOptions(merge_gap=0.5)).finish()
    assert [(t.first_frame, t.last_frame) for t in apart] == [(0, 5), (25, 29)]


def test_two_faces_make_two_tracks() -> None:
    tracker = ShotTracker(TrackingOptions(), scale=1.0)
    for i in range(10):
        img = _frame(20)
        img[150:190, 200:240] = PATCH[::-1]
        tracker.advance(i, i / FPS, img)
        if i % 5 == 0:
            tracker.observe(i, i / FPS, [FaceBox((20.0, 60.0, 40.0, 40.0), 0.9),
                                         FaceBox((200.0, 150.0, 40.0, 40.0), 0.8)])
    tracks = tracker.finish()
    assert len(tracks) == 2
    assert all(t.hits == 2 and len(t.detections) == 10 for t in tracks)


def test_short_tracks_are_dropped_and_borderline_ones_flagged() -> None:
    short = _run([30] * 5, {0: True}).finish()
    medium = _run([30] * 12, {0: True, 5: True, 10: True}).finish()
    long = _run([30] * 30, {i: True for i in range(0, 30, 5)}).finish()
    single_hit = _run([30] * 20, {0: True}).finish()
    kept, dropped = select_tracks(short + medium + long + single_hit, min_frames=8)
    assert dropped == 1
    assert [is_borderline(t, 8) for t in kept] == [True, False, True]


def _track_along(key: int, frames: range, x0: float, dx: float) -> ShotTrack:
    from scriptalign.video.samples import FaceSample, SampleBuffer
    from scriptalign.video.tracks import Detection

    detections = [Detection(f, f / FPS, (x0 + dx * (f - frames[0]), 60.0, 40.0, 40.0), 0.9,
                            {"source": "detector" if f % 5 == 0 else "flow"}) for f in frames]
    samples = SampleBuffer(samples=[FaceSample(f, f / FPS, np.zeros((4, 4, 3), np.uint8),
                                               (0, 0, 4, 4), 0.5) for f in frames[::5]])
    return ShotTrack(key, detections[-1].box, detections, hits=len(frames[::5]),
                     samples=samples, mouth={f: 0.01 * (f % 3) for f in frames})


def test_split_track_shares_out_detections_crops_and_mouths() -> None:
    from scriptalign.video.tracker import split_track

    track = _track_along(0, range(10, 40), 0.0, 1.0)
    before, after = split_track(track, 23)
    assert [d.frame for d in before.detections] == list(range(10, 23))
    assert [d.frame for d in after.detections] == list(range(23, 40))
    assert [s.frame for s in before.samples.samples] == [10, 15, 20]
    assert [s.frame for s in after.samples.samples] == [25, 30, 35]
    assert sorted(before.mouth) == list(range(10, 23))
    assert sorted(after.mouth) == list(range(23, 40))
    assert (before.hits, after.hits) == (3, 3)
    assert after.detections[after.last_hit].frame == 35
    with pytest.raises(ValueError, match="empty"):
        split_track(track, 10)


def test_meets_another_only_when_a_face_comes_close() -> None:
    from scriptalign.video.tracker import meets_another

    walker = _track_along(0, range(0, 50), 0.0, 4.0)  # x = 4 * frame
    crossing = _track_along(1, range(20, 30), 150.0, 0.0)  # still at x = 150: met at ~37
    far = _track_along(2, range(0, 50), 150.0, 0.0)
    assert meets_another(walker, [walker, far], 37, 5)
    assert not meets_another(walker, [walker, far], 5, 5)  # 130 px apart then
    assert not meets_another(walker, [walker, crossing], 10, 5)  # crossing is not there yet
    assert not meets_another(walker, [walker], 37, 50)  # alone
