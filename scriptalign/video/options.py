"""``FaceOptions``: settings of ``find_faces`` and ``scriptalign faces``, checked in one place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scriptalign.core.errors import UsageError

if TYPE_CHECKING:
    from scriptalign.video.reader import VideoInfo


DETECTORS = ("centerface", "hog", "yunet")  # see scriptalign.video.detectors


@dataclass
class FaceOptions:
    """Settings of ``scriptalign faces``; the defaults meet the speed targets in bench/."""

    detector: str = "centerface"  # one of DETECTORS; "yunet" needs yunet_model
    yunet_model: Path | None = None  # face_detection_yunet_2023mar.onnx
    every: float = 0.5  # seconds between detection rounds inside a shot (0: every frame)
    start: float | None = None  # seconds
    end: float | None = None
    jobs: int = 1  # processes; the output does not depend on it
    actions: bool = False  # also compute action descriptors (tracks.npz "action")
    mouth: bool = True  # mouth openings (68 landmarks, about 10 times a second)
    detect_height: int | None = None  # working height of the detector (None: its default)
    track_height: int = 360  # height of the grey frames optical flow follows faces on
    samples: int = 3  # most face encodings per track (~0.1 s each; see samples.samples_for)
    min_frames: int = 8  # tracks spanning fewer frames are dropped
    min_face: int = 20  # pixels: smaller faces are too small to recognise
    max_missed: int = 2  # detection rounds a track may miss before it ends
    merge_gap: float = 1.0  # seconds: fragments of one face this close are merged

    def check(self, info: VideoInfo | None = None) -> None:
        """UsageError for values that cannot work (with this video, when given)."""
        if self.detector not in DETECTORS:
            raise UsageError(f"unknown detector {self.detector!r} "
                             f"(use {', '.join(DETECTORS)})")
        if not math.isfinite(self.every) or self.every < 0:
            raise UsageError(f"--every must be >= 0 seconds, not {self.every}")
        if self.jobs < 1:
            raise UsageError(f"--jobs must be >= 1, not {self.jobs}")
        if self.samples < 1:
            raise UsageError(f"samples per track must be >= 1, not {self.samples}")
        start, end = self.start, self.end
        if start is not None:
            if not math.isfinite(start) or start < 0:
                raise UsageError(f"--start must be a time >= 0 seconds, not {start}")
            if info is not None and info.duration > 0 and start >= info.duration:
                raise UsageError(f"--start {start:g} is at or past the end of the video "
                                 f"({info.duration:.2f} s)")
        if end is not None:
            if not math.isfinite(end) or end <= 0:
                raise UsageError(f"--end must be a time > 0 seconds, not {end}")
            if start is not None and end <= start:
                raise UsageError(f"--end {end:g} must come after --start {start:g}")
