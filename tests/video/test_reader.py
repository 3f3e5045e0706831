from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_video import FPS, FRAMES, SIZE, write_video

from scriptalign.core.errors import InputError
from scriptalign.video.reader import VideoReader, probe_video, scaled


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_video(tmp_path_factory.mktemp("video") / "v.avi", with_faces=False)


def test_probe_reports_the_container(video: Path) -> None:
    info = probe_video(video)
    assert (info.width, info.height) == SIZE
    assert info.fps == pytest.approx(FPS)
    assert info.frames == FRAMES
    assert info.duration == pytest.approx(FRAMES / FPS)


def test_reader_yields_every_frame_once_in_order(video: Path) -> None:
    reader = VideoReader(video, probe_video(video))
    frames = [(f.index, f.time, f.image.shape) for f in reader]
    assert [i for i, _, _ in frames] == list(range(FRAMES))
    times = np.array([t for _, t, _ in frames])
    assert np.all(np.diff(times) > 0)
    assert times[10] == pytest.approx(10 / FPS, abs=1e-3)
    assert frames[0][2] == (SIZE[1], SIZE[0], 3)
    assert reader.warning is None


def test_reader_ranges_by_frame_and_by_time(video: Path) -> None:
    info = probe_video(video)
    by_frame = [f.index for f in VideoReader(video, info, first_frame=30, stop_frame=35)]
    assert by_frame == [30, 31, 32, 33, 34]
    by_time = [f.index for f in VideoReader(video, info, start=1.0, end=1.2)]
    assert by_time == [25, 26, 27, 28, 29]  # 1.0 s <= t < 1.2 s at 25 fps


def test_truncated_file_keeps_the_decoded_part_and_warns(video: Path, tmp_path: Path) -> None:
    data = video.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[: len(data) // 2])
    reader = VideoReader(cut, probe_video(cut))
    n = sum(1 for _ in reader)
    assert 10 < n < FRAMES
    assert reader.warning is not None and f"frame {n}" in reader.warning


@pytest.mark.parametrize("content", [b"", b"this is a text file, not a video\n"])
def test_unreadable_files_are_input_errors(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(content)
    with pytest.raises(InputError, match=r"bad\.mp4"):
        probe_video(bad)


def test_missing_file_and_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        probe_video(tmp_path / "nope.mp4")
    with pytest.raises(InputError, match="folder"):
        probe_video(tmp_path)


def test_scaled_keeps_aspect_and_uses_integer_area_steps() -> None:
    image = np.random.default_rng(0).integers(0, 255, (1080, 1920, 3), dtype=np.uint8)
    small = scaled(image, 360 / 1080)
    assert small.shape == (360, 640, 3)
    odd = scaled(image[:544, :1280], 540 / 544)
    assert odd.shape[0] == 540
    assert scaled(image, 1.0) is image


def test_vfr_timestamps_strictly_increase(shared: Path) -> None:
    path = shared / "data/video/goldeneye-vfr-drop3.mp4"
    times = np.array([f.time for f in VideoReader(path, probe_video(path))])
    steps = np.diff(times)
    assert len(times) == 160
    assert np.all(steps > 0)
    # Every third frame was dropped: the steps are not all equal (index / fps would be).
    assert steps.max() > 1.5 * steps.min()
