"""Face crops kept from a track while the video streams past: for descriptors and thumbnails.

Frames are gone once processed, so whatever a track will need later (its 128-d encodings,
its thumbnail, its row in the contact sheet) is cut out of the frame when the detector
finds the face. A :class:`SampleBuffer` holds at most ``capacity`` crops spread evenly over
the track whatever its length: it keeps every ``stride``-th detection and, when full, drops
every other crop and doubles the stride.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scriptalign.video._opencv import cv2
from scriptalign.video.detectors import Box, FaceBox

MARGIN = 0.35  # context kept around the box: face_recognition's chip pads faces by 0.25
MAX_FACE = 150  # face height kept in a crop: the encoder's chip is 150 x 150 anyway
SAMPLE_SPACING = 4.0  # seconds of track per encoding beyond the first (see samples_for)


@dataclass
class FaceSample:
    frame: int
    time: float
    crop: np.ndarray  # BGR
    box: Box  # the face inside ``crop``, in dlib's box convention (FaceBox.landmark_box)
    quality: float  # higher is a better face to describe (size x confidence)


def samples_for(duration: float, k: int, crowded: bool = False) -> int:
    """How many encodings a track of ``duration`` seconds gets: 1, plus one per
    ``SAMPLE_SPACING`` seconds, at most ``k``; but one under ``2 * SAMPLE_SPACING``
    seconds unless the track is ``crowded`` (another face came within a face width of
    it), which gets at least two when ``k`` allows. :meth:`SampleBuffer.spread` takes
    them from consecutive stretches of the track, so two or more also check that it
    follows one person (see face_descriptors.looks_switched).

    A short track shows one face under one light, and an encoding costs ~0.1 s. On the
    stills and tracks of short_hamilton_clip.mp4, the nearest still identity of one
    encoding differed from that of the mean of all a track's encodings in 7 of 50 draws,
    of the mean of two in 12 of 92, of three in 7 of 84 (distance to the all-encodings
    mean 0.15, 0.10, 0.08): a second view alone changes little, a third a bit more. A
    second view pays as a switch check, and only where another face was near: a tracker
    cannot slip to a face that is not there (the scan cuts a track only where one is).
    """
    wanted = max(1, min(k, 1 + int(duration / SAMPLE_SPACING)))
    if crowded and k > 1:
        return max(wanted, 2)
    return 1 if duration < 2 * SAMPLE_SPACING else wanted


def face_quality(face: FaceBox) -> float:
    """Bigger and more confident faces describe a person better; size saturates at the chip."""
    return round(min(face.box[3], MAX_FACE) / MAX_FACE * (0.25 + 0.75 * face.score), 6)


def cut_sample(image: np.ndarray, face: FaceBox, frame: int, time: float) -> FaceSample:
    x, y, w, h = face.landmark_box
    rows, cols = image.shape[:2]
    x0 = int(max(0, np.floor(x - MARGIN * w)))
    y0 = int(max(0, np.floor(y - MARGIN * h)))
    x1 = int(min(cols, np.ceil(x + w + MARGIN * w)))
    y1 = int(min(rows, np.ceil(y + h + MARGIN * h)))
    crop = image[y0:y1, x0:x1]
    box = (x - x0, y - y0, w, h)
    if h > MAX_FACE:
        s = MAX_FACE / h
        crop = cv2.resize(crop, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
        box = (box[0] * s, box[1] * s, w * s, h * s)
    return FaceSample(frame, time, np.ascontiguousarray(crop), box, face_quality(face))


@dataclass
class SampleBuffer:
    capacity: int = 12
    stride: int = 1
    seen: int = 0
    samples: list[FaceSample] = field(default_factory=list)

    def wants_next(self) -> bool:
        """Whether the next detection will be kept (callers skip cutting crops otherwise)."""
        return self.seen % self.stride == 0

    def add(self, sample: FaceSample | None) -> None:
        """Count one detection; keep ``sample`` if its turn has come (see ``wants_next``)."""
        keep = self.wants_next()
        self.seen += 1
        if keep and sample is not None:
            self.samples.append(sample)
            self._thin()

    def extend(self, other: SampleBuffer) -> None:
        """Append a later fragment of the same face (tracks merged inside a shot)."""
        self.samples.extend(other.samples)
        self.seen += other.seen
        self.stride = max(self.stride, other.stride)
        self._thin()

    def _thin(self) -> None:
        while len(self.samples) > self.capacity:
            self.samples = self.samples[::2]
            self.stride *= 2

    def spread(self, k: int) -> list[FaceSample]:
        """The best crop of each of ``k`` consecutive stretches of the track (time order)."""
        if k <= 1 or len(self.samples) <= 1:
            return self.best(1)
        groups = np.array_split(np.arange(len(self.samples)), min(k, len(self.samples)))
        return [max((self.samples[i] for i in group), key=lambda s: (s.quality, -s.frame))
                for group in groups]

    def best(self, k: int) -> list[FaceSample]:
        """The ``k`` best-quality crops, in time order."""
        ranked = sorted(self.samples, key=lambda s: (-s.quality, s.frame))[:k]
        return sorted(ranked, key=lambda s: s.frame)
