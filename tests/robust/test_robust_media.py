"""Broken videos through the command line: ``scriptalign faces`` fails cleanly (exit 1, one
line on stderr, no traceback, no output written) or keeps what it decoded before the
damage and says so (exit 0, one warning line, the warning also in tracks.json).

No ffmpeg binary here, so the damaged files are made by hand: a zero-byte file, a text
file, a WAV file and an MP4 container without any track (``ftyp`` + ``moov``), all named
.mp4; synthetic videos written by OpenCV (MJPG in AVI, MPEG-4 in MP4, VP8 in WebM) cut at
a byte count; and, when ../shared is there, its real clips cut in the middle or with a
stretch of zeros in the middle.
"""

from __future__ import annotations

import struct
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from robust_movie import make_example, scriptalign
from synthetic_video import FPS, SIZE, face_crops, render, write_video

from scriptalign.video.tracks import FaceTracks, load_tracks

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow


@dataclass
class Outcome:
    code: int
    stderr: list[str]
    out: Path

    @property
    def tracks(self) -> FaceTracks:
        return load_tracks(self.out)


def faces(video: Path, out: Path) -> Outcome:
    proc = scriptalign("faces", str(video), "-o", str(out), "--every", "1.0", "-q")
    _, err = proc.communicate(timeout=300)
    return Outcome(proc.returncode, err.splitlines(), out)


# -- the damaged files ---------------------------------------------------------------------

def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def empty_container() -> bytes:
    """An MP4 with a file type and a movie header and no track at all (no video stream)."""
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = (bytes(4) + struct.pack(">IIII", 0, 0, 1000, 0) + struct.pack(">IH", 0x10000, 0x100)
            + bytes(10) + matrix + bytes(24) + struct.pack(">I", 1))
    return box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41") + box(
        b"moov", box(b"mvhd", mvhd))


def wav_bytes(path: Path) -> bytes:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(8000)
        f.writeframes((np.sin(np.arange(16000) / 5) * 1e4).astype("<i2").tobytes())
    return path.read_bytes()


def mp4v_video(path: Path) -> Path:
    import cv2

    crops = face_crops()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    for i in range(100):
        writer.write(render(i, crops))
    writer.release()
    return path


def cut(src: Path, dst: Path, fraction: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def holed(src: Path, dst: Path) -> Path:
    """Zeros over a tenth of the file, from its middle on; header and index intact."""
    data = src.read_bytes()
    n = len(data)
    dst.write_bytes(data[: n // 2] + bytes(n // 10) + data[n // 2 + n // 10 :])
    return dst


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("broken media")
    (d / "empty.mp4").write_bytes(b"")
    (d / "notes.mp4").write_text("INT. ROOM - DAY\nThis is a screenplay, not a video.\n")
    (d / "audio only.mp4").write_bytes(wav_bytes(d / "sound.wav"))
    (d / "no stream.mp4").write_bytes(empty_container())
    avi = write_video(d / "synthetic.avi")
    webm = make_example().render(d / "demo.webm", fps=5, seconds=10, scale=0.5)
    return {
        "zero bytes": d / "empty.mp4",
        "text named .mp4": d / "notes.mp4",
        "wav named .mp4": d / "audio only.mp4",
        "container without streams": d / "no stream.mp4",
        "avi": avi,
        "avi cut in the middle": cut(avi, d / "synthetic cut.avi", 0.5),
        "avi cut after its header": cut(avi, d / "synthetic header.avi", 0.011),
        "mp4 cut in the middle": cut(mp4v_video(d / "synthetic.mp4"), d / "cut.mp4", 0.5),
        "webm": webm,
        "webm cut near the end": cut(webm, d / "démo coupée.webm", 0.85),
    }


CLEAN_FAILURES = ["zero bytes", "text named .mp4", "wav named .mp4", "container without streams",
                  "mp4 cut in the middle"]
PARTIAL = {"avi cut in the middle": "avi", "webm cut near the end": "webm"}


# "avi cut after its header" is a clean failure only because video.py asks for FFmpeg:
# OpenCV's own AVI reader prints "Unexpected element. Expected: LIST" on stderr.
@pytest.fixture(scope="module")
def outcomes(media: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Outcome]:
    """Every file through ``scriptalign faces``, three processes at a time."""
    root = tmp_path_factory.mktemp("faces out")
    names = list(media)
    with ThreadPoolExecutor(3) as pool:
        done = pool.map(lambda k: faces(media[names[k]], root / f"out {k}"), range(len(names)))
        return dict(zip(names, done, strict=True))


def assert_clean_failure(o: Outcome, video: Path) -> None:
    assert o.code == 1, (o.code, o.stderr)
    assert len(o.stderr) == 1, o.stderr
    assert o.stderr[0].startswith(f"scriptalign: error: {video}: "), o.stderr
    assert not (o.out / "tracks.json").exists()  # nothing half-made left behind


@pytest.mark.parametrize(
    "case", [*CLEAN_FAILURES, "avi cut after its header"])
def test_an_unreadable_file_fails_in_one_line(case: str, media: dict[str, Path],
                                              outcomes: dict[str, Outcome]) -> None:
    assert_clean_failure(outcomes[case], media[case])


@pytest.mark.parametrize("case", list(PARTIAL))
def test_a_truncated_video_keeps_what_was_decoded_and_says_so(
        case: str, media: dict[str, Path], outcomes: dict[str, Outcome]) -> None:
    o, whole = outcomes[case], outcomes[PARTIAL[case]]
    assert (o.code, whole.code) == (0, 0), (o.stderr, whole.stderr)
    assert len(o.stderr) == 1 and o.stderr[0].startswith(
        f"scriptalign: warning: {media[case]}: decoding stopped at frame "), o.stderr
    assert whole.stderr == []
    assert o.tracks.extra["warnings"] and not whole.tracks.extra["warnings"]
    # What was decoded is kept: every track of the whole video that ended half a second before
    # the damage is found the same in the damaged one.
    stopped = int(o.stderr[0].split("decoding stopped at frame ")[1].split()[0])
    fps = whole.tracks.video["fps"]
    before = [(t.start, t.end, len(t.detections)) for t in whole.tracks.tracks
              if t.end < stopped / fps - 0.5]
    assert before, "the test needs tracks before the damage"
    assert [(t.start, t.end, len(t.detections)) for t in o.tracks.tracks][: len(before)] == before
    assert max(t.end for t in o.tracks.tracks) <= stopped / fps


# -- the shared real clips -----------------------------------------------------------------

@pytest.fixture(scope="module")
def real_outcomes(shared: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> dict[str, tuple[Path, Outcome]]:
    d = tmp_path_factory.mktemp("broken clips")
    jobs: dict[str, tuple[Path, Callable[[], Path]]] = {}
    for clip in sorted((shared / "data" / "video").glob("*.mp4")):
        jobs[f"{clip.name} cut"] = (d / f"cut {clip.name}", lambda c=clip: cut(
            c, d / f"cut {c.name}", 0.5))
    hamilton = shared / "data" / "video" / "short_hamilton_clip.mp4"
    jobs["hamilton with zeros"] = (d / "holed.mp4", lambda: holed(hamilton, d / "holed.mp4"))
    names = sorted(jobs)
    with ThreadPoolExecutor(3) as pool:
        done = pool.map(lambda k: faces(jobs[names[k]][1](), d / f"out {k}"), range(len(names)))
        return {name: (jobs[name][0], o) for name, o in zip(names, done, strict=True)}


@pytest.mark.shared
def test_real_clips_cut_or_holed_fail_cleanly_or_keep_what_was_decoded(
        real_outcomes: dict[str, tuple[Path, Outcome]]) -> None:
    seen = set()
    for name, (video, o) in real_outcomes.items():
        assert o.code in (0, 1), (name, o.code, o.stderr)
        assert not any("Traceback" in line for line in o.stderr), (name, o.stderr)
        if o.code == 1:
            assert_clean_failure(o, video)
            seen.add("failed")
        else:
            # Decoding may go on over the damage (FFmpeg conceals it) or stop early; when it
            # stops early, the user is told once and tracks.json says so.
            assert len(o.stderr) <= 1, (name, o.stderr)
            assert bool(o.stderr) == bool(o.tracks.extra["warnings"]), (name, o.stderr)
            seen.add("kept")
    # Their index is at the end: a cut clip cannot be opened at all; the holed one can.
    assert seen == {"failed", "kept"}, real_outcomes

