"""Shot boundaries (hard cuts) from colour-histogram distances with an adaptive threshold.

Each frame is summarised by a colour histogram of a small thumbnail; ``d[t]`` is the
histogram-intersection distance between frames ``t-1`` and ``t``. Frame ``t`` starts a new
shot when ``d[t]`` is both large in absolute terms and several times the mean distance of
its neighbours ``t-w..t+w``: camera motion raises the distances of every frame around it,
a cut raises one. The decision for frame ``t`` therefore waits for ``w`` later frames;
:class:`CutDetector` is fed frame by frame and answers with that delay, so a caller holds
at most ``w`` frames.

The histograms are *soft*-binned (each value shares its weight between the two nearest
bins): with hard bins, a fade between uniform grey frames (``fades.mp4``) jumps from one bin
to the next every few frames and looked like a string of cuts; soft bins make the distance
change smoothly with brightness, so a fade is no cut. The decision depends only on frames
within ``w+1`` of ``t``, which lets ``--jobs`` workers that start at different frames agree
on every cut they both see.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scriptalign.video._opencv import cv2

THUMB_SIZE = (96, 54)  # width, height: enough to see composition, cheap to histogram
HUE_BINS, SAT_BINS, VAL_BINS = 16, 8, 8


@dataclass(frozen=True)
class CutRule:
    """When a histogram jump is a cut. Defaults checked on the shared clips (see tests)."""

    min_distance: float = 0.15  # real cuts there: 0.21-0.40; motion, flashes: <= 0.06
    ratio: float = 3.0  # d[t] over the mean of its neighbours (cuts there: >= 15)
    window: int = 2  # neighbours on each side; also the decision delay in frames


def _soft_histogram(values: np.ndarray, bins: int, top: float, circular: bool) -> np.ndarray:
    x = values.astype(np.float32).ravel() * (bins / top) - 0.5
    low = np.floor(x)
    weight_high = x - low
    lo = low.astype(np.int64)
    hi = lo + 1
    if circular:  # hue wraps around: red sits at both ends
        lo %= bins
        hi %= bins
    else:
        lo = np.clip(lo, 0, bins - 1)
        hi = np.clip(hi, 0, bins - 1)
    hist = (np.bincount(lo, 1.0 - weight_high, bins) + np.bincount(hi, weight_high, bins))
    return hist / max(float(hist.sum()), 1e-9)


def frame_signature(image: np.ndarray) -> np.ndarray:
    """Concatenated soft H, S and V histograms of a thumbnail; sums to 1.

    Give it the frame at any size (callers pass the one they already shrank for tracking).
    """
    # Two steps: INTER_AREA is only fast for an integer factor.
    double = cv2.resize(image, (2 * THUMB_SIZE[0], 2 * THUMB_SIZE[1]),
                        interpolation=cv2.INTER_LINEAR)
    thumb = cv2.resize(double, THUMB_SIZE, interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(thumb, cv2.COLOR_BGR2HSV)
    parts = [_soft_histogram(hsv[..., 0], HUE_BINS, 180.0, True),
             _soft_histogram(hsv[..., 1], SAT_BINS, 256.0, False),
             _soft_histogram(hsv[..., 2], VAL_BINS, 256.0, False)]
    return np.concatenate(parts) / 3.0


def signature_distance(a: np.ndarray, b: np.ndarray) -> float:
    """1 - histogram intersection: 0 for equal colour distributions, 1 for disjoint ones."""
    return float(1.0 - np.minimum(a, b).sum())


class CutDetector:
    """Feed ``(index, signature)`` in frame order; get ``(index, is_cut)`` ``window`` frames later.

    The first frame fed is never a cut (there is nothing before it to differ from).
    """

    def __init__(self, rule: CutRule | None = None) -> None:
        self.rule = rule or CutRule()
        self._previous: np.ndarray | None = None
        # (index, distance to previous frame) for frames not yet decided plus context.
        self._history: deque[tuple[int, float]] = deque(maxlen=2 * self.rule.window + 1)
        self._undecided: deque[int] = deque()

    def push(self, index: int, signature: np.ndarray) -> list[tuple[int, bool]]:
        distance = (0.0 if self._previous is None
                    else signature_distance(self._previous, signature))
        self._previous = signature
        self._history.append((index, distance))
        self._undecided.append(index)
        decided = []
        while self._undecided and self._undecided[0] + self.rule.window <= index:
            decided.append(self._decide(self._undecided.popleft()))
        return decided

    def flush(self) -> list[tuple[int, bool]]:
        """Decisions for the last frames, once the video (or the range) has ended."""
        decided = [self._decide(i) for i in self._undecided]
        self._undecided.clear()
        return decided

    def _decide(self, index: int) -> tuple[int, bool]:
        w = self.rule.window
        near = [(i, d) for i, d in self._history if abs(i - index) <= w]
        here = next(d for i, d in near if i == index)
        before = [d for i, d in near if i < index]
        after = [d for i, d in near if i > index]
        others = before + after
        if here < self.rule.min_distance:
            return index, False
        # Two cuts within w frames would be a flash, not two shots: keep the larger jump.
        if any(d >= here for d in before) or any(d > here for d in after):
            return index, False
        baseline = float(np.mean(others)) if others else 0.0
        return index, here >= self.rule.ratio * baseline


def find_cuts(path: str | Path, rule: CutRule | None = None) -> list[int]:
    """Frame indices that start a new shot (not counting frame 0), for the whole video."""
    from scriptalign.video.reader import VideoReader, probe_video, scaled

    info = probe_video(path)
    detector = CutDetector(rule)
    decisions: list[tuple[int, bool]] = []
    for frame in VideoReader(path, info):
        small = scaled(frame.image, min(1.0, 360 / info.height))
        decisions += detector.push(frame.index, frame_signature(small))
    decisions += detector.flush()
    return [index for index, is_cut in decisions if is_cut]
