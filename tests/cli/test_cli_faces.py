"""``scriptalign faces`` as a user runs it: a subprocess, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from synthetic_video import write_video

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scriptalign", "faces", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_runs_and_writes_the_folder(tmp_path: Path) -> None:
    video = write_video(tmp_path / "v.avi", frames=45)
    done = _run(str(video), "-o", str(tmp_path / "out"), "--every", "0.2", "-q")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    doc = json.loads((tmp_path / "out/tracks.json").read_text())
    assert len(doc["shots"]) == 2 and len(doc["tracks"]) == 1
    assert doc["params"]["detector"] == "centerface"  # the default, with no model file given
    (track,) = doc["tracks"]
    assert len(track["mouth"]) == len(track["lip"]) == len(track["detections"])
    # Openings are measured about 10 times a second: every 2nd frame at 25 fps.
    assert sum(m is not None for m in track["mouth"]) >= len(track["mouth"]) // 3


@pytest.mark.parametrize(("content", "args", "code", "words"), [
    (b"", (), 1, "empty"),
    (b"plain text\n", (), 1, "cannot be decoded"),
    (None, ("--detector", "yunet"), 2, "--yunet-model"),
    (None, ("--yunet-model", "missing.onnx"), 1, "no such file"),
    (None, ("--start", "99"), 2, "--start"),
    (None, ("--every", "-1"), 2, "--every"),
    (None, ("--out", "elsewhere"), 2, "--out is for movie folders"),
    (None, ("--lang", "en", "--force"), 2, "--lang/--force are for movie folders"),
])
def test_errors_are_one_line_with_an_exit_code(tmp_path: Path, content: bytes | None,
                                               args: tuple[str, ...], code: int,
                                               words: str) -> None:
    if content is None:
        video = write_video(tmp_path / "v.avi", frames=10, with_faces=False)
    else:
        video = tmp_path / "v.mp4"
        video.write_bytes(content)
    done = _run(str(video), "-o", str(tmp_path / "out"), *args)
    assert done.returncode == code
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scriptalign: error:")
    assert words in lines[0]


def test_an_unwritable_output_folder_fails_at_once_naming_it(tmp_path: Path) -> None:
    video = write_video(tmp_path / "v.avi", frames=10, with_faces=False)
    blocker = tmp_path / "plain_file"
    blocker.write_text("in the way")
    done = _run(str(video), "-o", str(blocker / "out"))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{blocker / 'out'}: cannot write here" in lines[0]


def test_yunet_model_from_the_environment(tmp_path: Path) -> None:
    import os

    video = write_video(tmp_path / "v.avi", frames=10, with_faces=False)
    env = {**os.environ, "SCRIPTALIGN_YUNET_MODEL": str(tmp_path / "elsewhere.onnx")}
    done = _run(str(video), "-o", str(tmp_path / "out"), env=env)
    assert done.returncode == 1
    assert "elsewhere.onnx" in done.stderr and "no such file" in done.stderr
    # A detector named on the command line wins over the variable's implied yunet.
    done = _run(str(video), "-o", str(tmp_path / "out"), "-q", "--detector", "hog", env=env)
    assert done.returncode == 0, done.stderr


def test_truncated_video_warns_on_stderr(tmp_path: Path) -> None:
    video = write_video(tmp_path / "v.avi", frames=60, with_faces=False)
    data = video.read_bytes()
    video.write_bytes(data[: len(data) // 2])
    done = _run(str(video), "-o", str(tmp_path / "out"), "-q")
    assert done.returncode == 0
    assert "scriptalign: warning:" in done.stderr and "truncated" in done.stderr


def test_registering_the_command_loads_no_opencv() -> None:
    # `scriptalign align` shares the entry point: it must not pay for cv2 / dlib.
    code = ("import sys, scriptalign._cli as c; c._register(); "
            "bad = [m for m in ('cv2', 'dlib', 'face_recognition') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_movie_folders_go_through_the_pipeline(tmp_path: Path) -> None:
    movie = tmp_path / "film"
    movie.mkdir()
    write_video(movie / "film.avi", frames=45)
    done = _run(str(movie), "--every", "0.2", "-q")
    assert done.returncode == 0, done.stderr
    doc = json.loads((movie / "scriptalign/faces/tracks.json").read_text())
    assert len(doc["tracks"]) == 1
    assert (movie / "scriptalign/faces/tracks.png").is_file()
    mixed = _run(str(movie), "-o", str(tmp_path / "out"))
    assert mixed.returncode == 2 and "-o is for a VIDEO" in mixed.stderr
