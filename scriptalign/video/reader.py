"""Reading a video: one forward pass with OpenCV, frames as an iterator, decoder timestamps.

Frames are yielded one at a time and never collected, so memory does not grow with the
video's length. Frame indices count decoded frames from the start of the file (the order
a player shows them); times come from the decoder (``CAP_PROP_POS_MSEC``) because variable
frame rate video exists (``goldeneye-vfr-drop3.mp4`` drops every third frame), where
``index / fps`` would be wrong.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scriptalign.core.errors import InputError
from scriptalign.video._opencv import cv2


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video (``frames`` and ``duration`` are its claims)."""

    path: str
    fps: float
    width: int
    height: int
    frames: int
    duration: float

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "fps": self.fps, "width": self.width,
                "height": self.height, "duration": self.duration, "frames": self.frames}

    @property
    def frame_interval(self) -> float:
        return 1.0 / self.fps if self.fps > 0 else 1.0 / 25.0


@dataclass
class Frame:
    index: int  # 0-based position in decoding order from the start of the file
    time: float  # seconds, from the decoder
    image: np.ndarray  # BGR, uint8, full resolution


def scaled(image: np.ndarray, scale: float) -> np.ndarray:
    """``image`` resized by ``scale``, quickly.

    Shrinking halves with INTER_AREA while it can (OpenCV's fast path, several times
    faster than INTER_AREA by an arbitrary factor) and finishes with
    INTER_LINEAR, which is fast and alias-free for the last factor above 1/2.
    """
    if abs(scale - 1.0) < 1e-3:
        return image
    height, width = image.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    while image.shape[0] >= 2 * size[1] and image.shape[1] >= 2 * size[0]:
        h, w = image.shape[0] // 2, image.shape[1] // 2
        image = cv2.resize(image[:2 * h, :2 * w], (w, h), interpolation=cv2.INTER_AREA)
    if (image.shape[1], image.shape[0]) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def _open(path: Path) -> Any:
    if not path.exists():
        raise InputError("no such file", path)
    if path.is_dir():
        raise InputError("is a folder, not a video file", path)
    if path.stat().st_size == 0:
        raise InputError("is empty (0 bytes)", path)
    try:
        name = str(path).encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        # A name in another encoding (Latin-1 bytes on a UTF-8 system) reaches Python as
        # lone surrogates, and OpenCV crashes the process on them.
        raise InputError("has a file name that is not valid UTF-8; rename the file",
                         os.fsencode(path).decode("utf-8", "replace")) from None
    # FFmpeg only: OpenCV's fallback AVI reader prints parser noise on stderr for a
    # damaged .avi instead of failing quietly.
    cap = cv2.VideoCapture(name, cv2.CAP_FFMPEG)
    if not cap.isOpened():
        raise InputError("cannot be decoded as a video (not a video file, or damaged "
                         "beyond its header)", path)
    return cap


def probe_video(path: str | Path) -> VideoInfo:
    """Open ``path`` and decode its first frame; InputError when that is impossible."""
    path = Path(path)
    cap = _open(path)
    try:
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        fps = fps if np.isfinite(fps) and 0 < fps < 1000 else 0.0
        frames = max(0, int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0))
        ok, image = cap.read()
        if not ok or image is None:
            raise InputError("has no decodable video frame", path)
        height, width = image.shape[:2]
    finally:
        cap.release()
    duration = frames / fps if fps > 0 else 0.0
    return VideoInfo(str(path), round(fps, 6), int(width), int(height), frames,
                     round(duration, 6))


class VideoReader:
    """Iterate over the frames of ``[first_frame, stop_frame)`` and ``[start, end)`` seconds.

    Frames before the range are *grabbed* (decoded, not converted to BGR: several times
    cheaper than reading), which keeps frame indices exact where seeking would guess them
    from an average frame rate. After iteration ``warning`` says whether decoding stopped
    before the container's announced end (a truncated or damaged file); what was decoded
    before the damage has been yielded already.
    """

    def __init__(self, path: str | Path, info: VideoInfo, *, first_frame: int = 0,
                 stop_frame: int | None = None, start: float | None = None,
                 end: float | None = None) -> None:
        self.path = Path(path)
        self.info = info
        self.first_frame = first_frame
        self.stop_frame = stop_frame
        self.start = start
        self.end = end
        self.warning: str | None = None
        self.frames_decoded = 0  # grabbed or read, from the start of the file
        self.last_time: float | None = None

    def __iter__(self) -> Iterator[Frame]:
        cap = _open(self.path)
        step = self.info.frame_interval
        previous = -1.0
        index = -1
        reached_eof = False
        try:
            while True:
                index += 1
                if self.stop_frame is not None and index >= self.stop_frame:
                    break
                if not cap.grab():
                    reached_eof = True
                    break
                self.frames_decoded = index + 1
                time = float(cap.get(cv2.CAP_PROP_POS_MSEC)) / 1000.0
                if not np.isfinite(time) or time <= previous:
                    # Some containers (OpenCV-written AVI, damaged streams) report no or
                    # repeated timestamps: fall back to the nominal frame interval.
                    time = previous + step if previous >= 0 else 0.0
                time = round(time, 6)
                previous = time
                self.last_time = time
                if self.end is not None and time >= self.end:
                    break
                if index < self.first_frame or (self.start is not None
                                                and time < self.start - 1e-6):
                    continue
                ok, image = cap.retrieve()
                if not ok or image is None:
                    reached_eof = True
                    break
                yield Frame(index, time, image)
        finally:
            cap.release()
        expected = self.info.frames
        # Containers round their frame count; a few frames short is not damage.
        short = expected > 0 and self.frames_decoded < expected - max(2, expected // 100)
        if reached_eof and short:
            self.warning = (f"decoding stopped at frame {self.frames_decoded} of the "
                            f"{expected} the container announces (truncated or damaged "
                            "file?): results cover only the decoded part")
