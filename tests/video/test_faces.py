from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from synthetic_video import APPEARANCES, CUTS, face_box, write_video

from scriptalign.core.errors import InputError, UsageError
from scriptalign.video._opencv import cv2
from scriptalign.video.faces import find_faces
from scriptalign.video.options import FaceOptions
from scriptalign.video.tracker import iou
from scriptalign.video.tracks import FaceTracks, load_tracks, tracks_to_dict

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow

OPTIONS = FaceOptions(every=0.2, actions=True)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("faces") / "v.avi")


PROGRESS: list[tuple[int, int]] = []


@pytest.fixture(scope="module")
def result(video: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[FaceTracks, Path]:
    out = tmp_path_factory.mktemp("out")
    return find_faces(video, out, OPTIONS, progress=lambda d, t: PROGRESS.append((d, t))), out


def test_progress_goes_up_to_the_total(result: tuple[FaceTracks, Path]) -> None:
    assert len(PROGRESS) >= 5
    done = [d for d, _ in PROGRESS]
    assert done == sorted(done)
    assert PROGRESS[-1] == (100, 100)


def _no_track_crosses_a_shot(ft: FaceTracks) -> None:
    for t in ft.tracks:
        shot = ft.shots[t.shot]
        frames = [d.frame for d in t.detections]
        assert shot.first_frame <= frames[0] and frames[-1] <= shot.last_frame
        assert frames == list(range(frames[0], frames[-1] + 1))  # one box a frame, no holes
        assert np.all(np.diff([d.time for d in t.detections]) > 0)


def test_exact_shots_and_tracks(result: tuple[FaceTracks, Path]) -> None:
    ft, _ = result
    assert [(s.first_frame, s.last_frame) for s in ft.shots] == [
        (0, CUTS[0] - 1), (CUTS[0], CUTS[1] - 1), (CUTS[1], 99)]
    assert [s.start for s in ft.shots] == pytest.approx([0.0, 1.6, 3.0])
    assert [t.shot for t in ft.tracks] == [0, 1, 1]
    _no_track_crosses_a_shot(ft)
    a0, b1, a1 = ft.tracks
    # Face A leaves at frame 30: its track ends at its last detection round (25).
    assert (a0.detections[0].frame, a0.detections[-1].frame) == (0, 25)
    # Face B is there for the whole shot; face A enters at frame 50 (a detection round).
    assert (b1.detections[0].frame, b1.detections[-1].frame) == (CUTS[0], CUTS[1] - 1)
    assert (a1.detections[0].frame, a1.detections[-1].frame) == (50, CUTS[1] - 1)


def test_boxes_follow_the_true_faces(result: tuple[FaceTracks, Path]) -> None:
    ft, _ = result
    for track, truth in zip(ft.tracks, APPEARANCES, strict=True):
        overlaps = [iou(d.box, face_box(truth, d.frame)) for d in track.detections]
        assert min(overlaps) > 0.5
        sources = {d.extra["source"] for d in track.detections}
        assert "detector" in sources


def test_outputs_on_disk(result: tuple[FaceTracks, Path]) -> None:
    _, out = result
    back = load_tracks(out)
    assert tracks_to_dict(back) == json.loads((out / "tracks.json").read_text())
    assert [t.id for t in back.tracks] == [0, 1, 2]
    assert back.face is not None and back.face.shape == (3, 128)
    np.testing.assert_allclose(np.linalg.norm(back.face, axis=1), 1.0, atol=1e-5)
    assert back.action is not None and back.action.shape[0] == 3
    assert np.all(np.isfinite(back.action))
    samples, owners = back.arrays["face_samples"], back.arrays["face_sample_track"]
    assert samples.shape == (len(owners), 128) and set(owners.tolist()) == {0, 1, 2}
    for t, descriptor in zip(back.tracks, back.face, strict=True):  # mean of its samples
        mean = samples[owners == t.id].mean(axis=0)
        np.testing.assert_allclose(descriptor, mean / np.linalg.norm(mean), atol=1e-5)
    # The same person throughout (B is A mirrored): the descriptors agree.
    assert float(np.linalg.norm(back.face[0] - back.face[2])) < 0.3
    assert sorted(p.name for p in (out / "thumbs").iterdir()) == [
        "track_0000.jpg", "track_0001.jpg", "track_0002.jpg"]
    sheet = cv2.imread(str(out / "tracks.png"))
    assert sheet is not None and sheet.shape[0] == 3 * 66
    assert back.extra["warnings"] == [] and back.extra["dropped_tracks"] == 0


def test_jobs_give_the_same_output(video: Path, result: tuple[FaceTracks, Path],
                                   tmp_path: Path) -> None:
    ft, _ = result
    parallel = find_faces(video, tmp_path, FaceOptions(every=0.2, actions=True, jobs=2))
    assert tracks_to_dict(parallel) == tracks_to_dict(ft)
    assert parallel.face is not None and ft.face is not None
    np.testing.assert_array_equal(parallel.face, ft.face)
    assert parallel.action is not None and ft.action is not None
    np.testing.assert_array_equal(parallel.action, ft.action)


def test_video_without_faces_gives_an_empty_valid_output(tmp_path: Path) -> None:
    path = write_video(tmp_path / "empty.avi", with_faces=False)
    ft = find_faces(path, tmp_path / "out", FaceOptions(every=0.5))
    assert len(ft.shots) == 3 and ft.tracks == []
    back = load_tracks(tmp_path / "out")
    assert back.tracks == [] and back.face is not None and back.face.shape == (0, 128)
    assert cv2.imread(str(tmp_path / "out/tracks.png")) is not None


def test_truncated_video_keeps_what_was_decoded(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    ft = find_faces(path, tmp_path / "out", FaceOptions(every=0.2))
    (warning,) = ft.extra["warnings"]
    assert "truncated" in warning
    assert json.loads((tmp_path / "out/tracks.json").read_text())["warnings"] == [warning]
    assert ft.tracks and ft.shots[-1].last_frame < 99


def test_bad_inputs_are_one_line_errors(tmp_path: Path, video: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n")
    with pytest.raises(InputError, match=r"notes\.mp4"):
        find_faces(text, tmp_path / "o")
    with pytest.raises(UsageError, match="--start"):
        find_faces(video, tmp_path / "o", FaceOptions(start=60.0))
    with pytest.raises(UsageError, match="--end"):
        find_faces(video, tmp_path / "o", FaceOptions(start=2.0, end=1.0))
    with pytest.raises(InputError, match="no such file"):
        find_faces(video, tmp_path / "o", FaceOptions(detector="yunet",
                                                      yunet_model=tmp_path / "x.onnx"))
    assert not (tmp_path / "o" / "tracks.json").exists()


# -- on the shared clips (skipped when ../shared is absent) ---------------------------------

@pytest.fixture(scope="module")
def shared_runs(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, FaceTracks]:
    out = tmp_path_factory.mktemp("shared")
    return {name: find_faces(shared / "data/video" / f"{name}.mp4", out / name)
            for name in ("short_hamilton_clip", "goldeneye-vfr-drop3", "fades")}


@pytest.mark.slow
def test_shared_clips_shots_and_tracks(shared_runs: dict[str, FaceTracks]) -> None:
    expected = {"short_hamilton_clip": [20, 82, 211], "goldeneye-vfr-drop3": [60, 140],
                "fades": []}
    for name, cuts in expected.items():
        ft = shared_runs[name]
        got = [s.first_frame for s in ft.shots[1:]]
        assert len(got) == len(cuts), name
        assert all(abs(g - c) <= 1 for g, c in zip(got, cuts, strict=True)), name
        _no_track_crosses_a_shot(ft)
    assert shared_runs["fades"].tracks == []
    assert len(shared_runs["short_hamilton_clip"].tracks) >= 2
    assert len(shared_runs["goldeneye-vfr-drop3"].tracks) >= 3


@pytest.mark.slow
def test_singer_tracks_look_like_the_singer(shared: Path,
                                            shared_runs: dict[str, FaceTracks]) -> None:
    import face_recognition

    def still(name: str) -> np.ndarray:
        image = face_recognition.load_image_file(shared / "data/video/stills" / name)
        (encoding,) = face_recognition.face_encodings(image)
        return encoding / np.linalg.norm(encoding)

    miranda, obama = still("lin-manuel-miranda.png"), still("obama.jpg")
    ft = shared_runs["short_hamilton_clip"]
    assert ft.face is not None
    for shot in (0, 2):  # "shots 1 and 3": the singer on stage, wide then medium
        mine = [k for k, t in enumerate(ft.tracks) if t.shot == shot]
        assert mine, f"no track in shot {shot}"
        # The singer is the largest face of those shots.
        k = max(mine, key=lambda k: np.mean([d.box[3] for d in ft.tracks[k].detections]))
        d_miranda = np.linalg.norm(ft.face[k] - miranda)
        d_obama = np.linalg.norm(ft.face[k] - obama)
        assert d_miranda < d_obama


def test_yunet_gives_the_same_structure(shared: Path, video: Path, tmp_path: Path) -> None:
    model = shared / "models/face_detection_yunet_2023mar.onnx"
    ft = find_faces(video, tmp_path, FaceOptions(every=0.2, detector="yunet",
                                                 yunet_model=model))
    assert [t.shot for t in ft.tracks] == [0, 1, 1]
    _no_track_crosses_a_shot(ft)
    assert [(t.detections[0].frame, t.detections[-1].frame) for t in ft.tracks] == [
        (0, 25), (CUTS[0], CUTS[1] - 1), (50, CUTS[1] - 1)]
