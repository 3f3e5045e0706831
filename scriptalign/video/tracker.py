"""Face tracks inside one shot: detections linked over time, followed by optical flow between.

The detector runs every ``--every`` seconds; between two detection rounds each face is
followed with pyramidal Lucas-Kanade optical flow on corner points inside its box (a
forward-backward check drops points that slid off the face). On a detection round the new
boxes are linked to the followed ones by IoU with the Hungarian algorithm; a face nobody
claims starts a track, a track nobody claims for more than ``max_missed`` rounds ends.

What a track keeps (``ShotTrack.detections``, one entry a frame, no holes), by source:
``detector`` boxes, ``flow`` boxes followed in between, ``interpolated`` boxes across a
short stretch where the flow lost the face before the detector found it again. Frames
followed after the last detector hit survive only while no detection round has missed the
face: a face that left the frame is not tracked to wherever its corners drifted.

At the end of the shot (:meth:`ShotTracker.finish`), fragments of one face are merged
(a track that ends where another starts soon after), then :func:`select_tracks` drops
tracks shorter than ``min_frames`` (Everingham et al. 2006 and Bojanowski's face pipeline
drop tracks under ~8 frames) and flags borderline ones ``short``. Tracks never cross a
cut: a tracker lives for one shot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scriptalign.video._opencv import cv2
from scriptalign.video.detectors import Box, FaceBox
from scriptalign.video.samples import SampleBuffer
from scriptalign.video.tracks import Detection

LK_WINDOW, LK_LEVELS = (15, 15), 2
MAX_POINTS = 25  # corners followed per face; re-seeded when a third are left
LK_CRITERIA = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 20, 0.03)


@dataclass(frozen=True)
class TrackingOptions:
    iou: float = 0.3  # least IoU between a followed box and a detection to link them
    max_missed: int = 2  # detection rounds a track may miss (profile turn, blur) and go on
    min_frames: int = 8  # tracks spanning fewer frames are dropped
    merge_gap: float = 1.0  # seconds: fragments this close in time (and space) are one face
    sample_capacity: int = 12  # face crops kept per track (see scriptalign.video.samples)


@dataclass
class ShotTrack:
    """A face track being built inside one shot."""

    key: int  # creation order inside the shot
    box: Box  # latest box, original frame pixels
    detections: list[Detection] = field(default_factory=list)
    hits: int = 0  # detector boxes linked to this track
    last_hit: int = 0  # position in ``detections`` of the latest detector box
    missed: int = 0  # consecutive detection rounds without a linked box
    lost: bool = False  # flow gave up; waiting for the detector to find the face again
    points: np.ndarray | None = None  # flow points, (N, 1, 2) float32, tracking pixels
    samples: SampleBuffer = field(default_factory=SampleBuffer)
    # Per-frame features the caller pools over the final track (e.g. action histograms).
    frame_features: dict[int, Any] = field(default_factory=dict)
    mouth: dict[int, float] = field(default_factory=dict)  # frame -> mouth opening

    @property
    def first_frame(self) -> int:
        return self.detections[0].frame

    @property
    def last_frame(self) -> int:
        return self.detections[-1].frame


def iou(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = min(ax + aw, bx + bw) - max(ax, bx)
    h = min(ay + ah, by + bh) - max(ay, by)
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / (aw * ah + bw * bh - inter)


def link(boxes: list[Box], faces: list[FaceBox], min_iou: float) -> list[tuple[int, int]]:
    """Pairs (box index, face index) of the assignment maximising total IoU, each >= min_iou.

    Usually every box overlaps at most one face enough and the other way round: those
    pairs are the answer. Only when they compete is the Hungarian algorithm run (scipy's;
    importing it costs ~0.3-0.5 s, in every process, which a short clip notices).
    """
    if not boxes or not faces:
        return []
    overlap = np.array([[iou(b, f.box) for f in faces] for b in boxes])
    enough = overlap >= min_iou
    if (enough.sum(axis=0) <= 1).all() and (enough.sum(axis=1) <= 1).all():
        return [(int(r), int(c)) for r, c in zip(*np.nonzero(enough), strict=True)]
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-np.where(enough, overlap, 0.0))
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True)
            if overlap[r, c] >= min_iou]


def _lerp(a: Box, b: Box, t: float) -> Box:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t,
            a[2] + (b[2] - a[2]) * t, a[3] + (b[3] - a[3]) * t)


class ShotTracker:
    """Builds the face tracks of one shot from frames given in order.

    Per frame: :meth:`advance` with the frame's grey image at tracking scale, then, on
    detection rounds, :meth:`observe` with the detector's boxes. :meth:`finish` at the cut.
    """

    def __init__(self, options: TrackingOptions, scale: float) -> None:
        self.options = options
        self.scale = scale  # tracking pixels per original pixel
        self.alive: list[ShotTrack] = []
        self.ended: list[ShotTrack] = []
        self.frames: list[tuple[int, float]] = []  # (index, time) of every frame of the shot
        self._previous: np.ndarray | None = None
        self._next_key = 0

    # -- following faces between detections -------------------------------------------

    def advance(self, index: int, time: float, gray: np.ndarray) -> None:
        """Move every followed face from the previous frame to this one."""
        previous, self._previous = self._previous, gray
        self.frames.append((index, time))
        if previous is None:
            return
        followed = []
        for track in self.alive:
            if track.lost:
                continue
            if track.points is None or len(track.points) < MAX_POINTS // 3:
                track.points = self._seed(previous, track.box)
            if track.points is None:
                track.lost = True
            else:
                followed.append(track)
        if not followed:
            return
        start = np.concatenate([t.points for t in followed if t.points is not None])
        # Forward then backward: a point that does not come back where it started slid off
        # the face (occlusion, background). OpenCV's stubs do not admit nextPts=None.
        moved, ok_fwd, _ = cv2.calcOpticalFlowPyrLK(  # type: ignore[call-overload]
            previous, gray, start, None, winSize=LK_WINDOW, maxLevel=LK_LEVELS,
            criteria=LK_CRITERIA)
        back, ok_back, _ = cv2.calcOpticalFlowPyrLK(  # type: ignore[call-overload]
            gray, previous, moved, None, winSize=LK_WINDOW, maxLevel=LK_LEVELS,
            criteria=LK_CRITERIA)
        error = np.linalg.norm((start - back).reshape(-1, 2), axis=1)
        good = (ok_fwd.ravel() == 1) & (ok_back.ravel() == 1) & (error < 1.0)
        height, width = gray.shape[:2]
        offset = 0
        for track in followed:
            assert track.points is not None
            n = len(track.points)
            keep = good[offset:offset + n]
            old = start[offset:offset + n][keep].reshape(-1, 2)
            new = moved[offset:offset + n][keep].reshape(-1, 2)
            offset += n
            if len(new) < max(4, int(0.3 * n)):
                track.lost = True
                track.points = None
                continue
            box = self._moved_box(track.box, old, new)
            cx, cy = (box[0] + box[2] / 2) * self.scale, (box[1] + box[3] / 2) * self.scale
            if not (0 <= cx < width and 0 <= cy < height):
                track.lost = True
                track.points = None
                continue
            track.box = box
            track.points = new.reshape(-1, 1, 2).astype(np.float32)
            track.detections.append(Detection(index, time, _rounded(box), 0.0,
                                              {"source": "flow"}))

    def _seed(self, gray: np.ndarray, box: Box) -> np.ndarray | None:
        s = self.scale
        x, y, w, h = (v * s for v in box)
        # The central part of the box: its border often shows background that moves
        # differently from the face.
        x0, y0 = int(max(0, x + 0.15 * w)), int(max(0, y + 0.15 * h))
        x1 = int(min(gray.shape[1], x + 0.85 * w))
        y1 = int(min(gray.shape[0], y + 0.85 * h))
        if x1 - x0 < 4 or y1 - y0 < 4:
            return None
        found = cv2.goodFeaturesToTrack(gray[y0:y1, x0:x1], MAX_POINTS, 0.005, 2)
        if found is None or len(found) < 4:
            return None
        offset = np.array([x0, y0], dtype=np.float32)
        return (found.reshape(-1, 1, 2) + offset).astype(np.float32)

    def _moved_box(self, box: Box, old: np.ndarray, new: np.ndarray) -> Box:
        shift = np.median(new - old, axis=0) / self.scale
        zoom = 1.0
        if len(old) >= 5:  # scale change: how distances to the centroid grew or shrank
            d_old = np.linalg.norm(old - old.mean(axis=0), axis=1)
            d_new = np.linalg.norm(new - new.mean(axis=0), axis=1)
            valid = d_old > 1.0
            if valid.sum() >= 3:
                zoom = float(np.clip(np.median(d_new[valid] / d_old[valid]), 0.9, 1.1))
        x, y, w, h = box
        cx, cy = x + w / 2 + float(shift[0]), y + h / 2 + float(shift[1])
        w, h = w * zoom, h * zoom
        return (cx - w / 2, cy - h / 2, w, h)

    # -- detection rounds ---------------------------------------------------------------

    def observe(self, index: int, time: float,
                faces: list[FaceBox]) -> list[tuple[ShotTrack, FaceBox]]:
        """Link this frame's detections; returns the (track, face) pairs, new tracks included."""
        pairs = link([t.box for t in self.alive], faces, self.options.iou)
        claimed = {c for _, c in pairs}
        linked = {r for r, _ in pairs}
        out: list[tuple[ShotTrack, FaceBox]] = []
        for r, c in pairs:
            track, face = self.alive[r], faces[c]
            self._hit(track, index, time, face)
            out.append((track, face))
        for r, track in enumerate(list(self.alive)):
            if r in linked:
                continue
            track.missed += 1
            if track.missed > self.options.max_missed:
                self._end(track)
        for c, face in enumerate(faces):
            if c in claimed:
                continue
            track = ShotTrack(self._next_key, face.box,
                              samples=SampleBuffer(self.options.sample_capacity))
            self._next_key += 1
            self._hit(track, index, time, face)
            self.alive.append(track)
            out.append((track, face))
        return out

    def _hit(self, track: ShotTrack, index: int, time: float, face: FaceBox) -> None:
        if track.detections and track.detections[-1].frame == index:
            track.detections.pop()  # the flow box of this frame yields to the detector's
        if track.detections and track.detections[-1].frame < index - 1:
            self._interpolate(track, index, face.box)
        track.detections.append(Detection(index, time, _rounded(face.box), face.score,
                                          {"source": "detector"}))
        track.hits += 1
        track.last_hit = len(track.detections) - 1
        track.missed = 0
        track.lost = False
        track.points = None  # re-seeded on the detector's box at the next frame
        track.box = face.box

    def _interpolate(self, track: ShotTrack, index: int, box: Box) -> None:
        last = track.detections[-1]
        between = [(i, t) for i, t in self.frames if last.frame < i < index]
        span = index - last.frame
        for i, t in between:
            track.detections.append(Detection(i, t, _rounded(_lerp(last.box, box,
                                                                   (i - last.frame) / span)),
                                              0.0, {"source": "interpolated"}))

    def _end(self, track: ShotTrack) -> None:
        if track.missed > 0:  # a round missed the face: what flow followed since is unsure
            del track.detections[track.last_hit + 1:]
        self.alive.remove(track)
        self.ended.append(track)

    # -- end of shot ----------------------------------------------------------------------

    def finish(self) -> list[ShotTrack]:
        """End every track (the shot is over) and merge fragments of one face."""
        for track in list(self.alive):
            self._end(track)
        self._previous = None
        return self._merge(sorted(self.ended, key=lambda t: (t.first_frame, t.key)))

    def _merge(self, tracks: list[ShotTrack]) -> list[ShotTrack]:
        candidates = []
        for a in tracks:
            for b in tracks:
                gap = b.detections[0].time - a.detections[-1].time
                if (b.first_frame > a.last_frame and gap <= self.options.merge_gap
                        and _same_place(a.detections[-1].box, b.detections[0].box)):
                    candidates.append((gap, a.key, b.key))
        successor: dict[int, int] = {}
        predecessor: dict[int, int] = {}
        for _, a_key, b_key in sorted(candidates):
            if a_key not in successor and b_key not in predecessor:
                successor[a_key] = b_key
                predecessor[b_key] = a_key
        by_key = {t.key: t for t in tracks}
        merged = []
        for track in tracks:
            if track.key in predecessor:
                continue
            key = track.key
            while key in successor:
                nxt = by_key[successor[key]]
                self._interpolate(track, nxt.first_frame, nxt.detections[0].box)
                track.detections.extend(nxt.detections)
                track.hits += nxt.hits
                track.samples.extend(nxt.samples)
                track.frame_features.update(nxt.frame_features)
                track.mouth.update(nxt.mouth)
                key = nxt.key
            merged.append(track)
        return merged


def split_track(track: ShotTrack, frame: int) -> tuple[ShotTrack, ShotTrack]:
    """The detections before ``frame`` and those from ``frame`` on, as two tracks (with the
    crops, features and mouth openings of their frames). Both sides must be non-empty."""
    parts = []
    for keep in (lambda f: f < frame, lambda f: f >= frame):
        detections = [d for d in track.detections if keep(d.frame)]
        if not detections:
            raise ValueError(f"split at frame {frame} leaves a side of the track empty")
        hits = [i for i, d in enumerate(detections) if d.extra.get("source") == "detector"]
        samples = SampleBuffer(track.samples.capacity, track.samples.stride,
                               samples=[s for s in track.samples.samples if keep(s.frame)])
        samples.seen = len(hits)
        parts.append(ShotTrack(
            track.key, detections[-1].box, detections, hits=len(hits),
            last_hit=hits[-1] if hits else 0, samples=samples,
            frame_features={f: v for f, v in track.frame_features.items() if keep(f)},
            mouth={f: v for f, v in track.mouth.items() if keep(f)}))
    return parts[0], parts[1]


def meets_another(track: ShotTrack, others: list[ShotTrack], frame: int, within: int) -> bool:
    """Whether another face of the shot comes within one face width (centre to centre) of
    ``track`` less than ``within`` frames from ``frame``: where a tracker can slip from
    one face to another (a head turning alone changes the encodings too, but no face
    is there to slip to)."""
    mine = {d.frame: d.box for d in track.detections if abs(d.frame - frame) <= within}
    for other in others:
        if other is track:
            continue
        for d in other.detections:
            box = mine.get(d.frame)
            if box is None:
                continue
            gap = np.hypot(box[0] + box[2] / 2 - d.box[0] - d.box[2] / 2,
                           box[1] + box[3] / 2 - d.box[1] - d.box[3] / 2)
            if gap <= max(box[2], d.box[2]):
                return True
    return False


def _same_place(a: Box, b: Box) -> bool:
    if iou(a, b) >= 0.2:
        return True
    ca = np.array([a[0] + a[2] / 2, a[1] + a[3] / 2])
    cb = np.array([b[0] + b[2] / 2, b[1] + b[3] / 2])
    near = float(np.linalg.norm(ca - cb)) <= 0.5 * max(a[2], b[2])
    return near and 2 / 3 <= a[3] / max(b[3], 1e-6) <= 3 / 2


def _rounded(box: Box) -> Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


def select_tracks(tracks: list[ShotTrack], min_frames: int) -> tuple[list[ShotTrack], int]:
    """Tracks long enough to keep, and how many were dropped.

    Kept tracks shorter than ``2 * min_frames`` or with a single detector hit are
    borderline: the caller flags them ``short`` rather than silently dropping them.
    """
    kept = [t for t in tracks if t.last_frame - t.first_frame + 1 >= min_frames]
    return kept, len(tracks) - len(kept)


def is_borderline(track: ShotTrack, min_frames: int) -> bool:
    return track.last_frame - track.first_frame + 1 < 2 * min_frames or track.hits < 2
