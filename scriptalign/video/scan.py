"""One forward pass over a stretch of video: shots, face tracks and their descriptors.

Per frame: its colour signature goes to the cut detector, which answers ``window`` frames
later (so at most that many frames wait in memory); once the frame's shot is known, the
frame goes to the shot's tracker (optical flow every frame, the face detector every
``every`` seconds from the shot's first frame). At each cut the shot's tracks are
finished: merged, filtered, described (face encodings, action histograms) and cut into
thumbnails; then the frames and crops they came from are gone. Every frame where a track
has a box (detector or flow), its mouth opening is measured, on every
:func:`mouth.mouth_step`-th frame (:mod:`scriptalign.video.mouth`).
A track whose encodings disagree (:func:`face_descriptors.looks_switched`) is split where
its identity changes (:func:`face_descriptors.find_switch`), if another face of the shot
came close to it there (:func:`tracker.meets_another`: a head turning from frontal to
profile moves the encodings as far apart, in mmaction2_demo_skeleton.mp4), or flagged
``identity_switch`` when a side would be too short to be a track.

``--jobs`` runs several passes on consecutive stretches. A pass reports the shots that
*start* inside its :class:`ScanRange`: from the first cut at or after ``open_at`` to the
first cut at or after ``close_at``. Every decision (cuts, detection times, tracks) depends
only on frames of the shot itself and on a few frames around each cut, which the pass
decodes as context, so the shots that neighbouring passes report are exactly those one
pass over the whole video would report.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scriptalign.core.progress import Progress, report
from scriptalign.video import motion_descriptors
from scriptalign.video._opencv import cv2
from scriptalign.video.contact_sheet import encode_image, face_tile, label_tile, strip
from scriptalign.video.detectors import FaceDetector, dlib_box, make_detector
from scriptalign.video.face_descriptors import (
    encode_samples,
    find_switch,
    looks_switched,
    track_descriptor,
)
from scriptalign.video.mouth import lip_motion, mouth_opening, mouth_step, speaking_score
from scriptalign.video.reader import Frame, VideoInfo, VideoReader, scaled
from scriptalign.video.samples import FaceSample, cut_sample, samples_for
from scriptalign.video.shots import CutDetector, CutRule, frame_signature
from scriptalign.video.tracker import (
    ShotTrack,
    ShotTracker,
    TrackingOptions,
    is_borderline,
    meets_another,
    select_tracks,
    split_track,
)
from scriptalign.video.tracks import Shot, Track

if TYPE_CHECKING:
    from scriptalign.video.options import FaceOptions


@dataclass(frozen=True)
class ScanRange:
    first_frame: int = 0  # decoding (for cut context) starts here
    open_at: int | None = None  # report shots from the first cut at/after this frame
    close_at: int | None = None  # ... up to the first cut at/after this frame
    start: float | None = None  # seconds: the user's --start / --end
    end: float | None = None


@dataclass
class TrackResult:
    track: Track  # id and shot are set when the passes are stitched together
    encodings: np.ndarray  # (k, 128) the encodings the descriptor averages
    sample_frames: list[int]
    descriptor: np.ndarray  # (128,)
    action: np.ndarray | None
    # Pictures travel as JPEG bytes: a film has thousands of tracks.
    thumbnail: bytes  # the best face with some context
    strip: bytes  # faces along the track: its row of the contact sheet


@dataclass
class ShotResult:
    shot: Shot
    tracks: list[TrackResult]
    dropped: int  # tracks shorter than min_frames


@dataclass
class ScanResult:
    shots: list[ShotResult] = field(default_factory=list)
    warning: str | None = None
    frames: int = 0  # frames decoded from the start of the file


class _Pass:
    """The state of one pass: the current shot, its tracker, what is done."""

    def __init__(self, info: VideoInfo, options: FaceOptions, span: ScanRange,
                 detector: FaceDetector) -> None:
        self.info = info
        self.options = options
        self.span = span
        self.detector = detector
        self.tracking = TrackingOptions(max_missed=options.max_missed,
                                        min_frames=options.min_frames,
                                        merge_gap=options.merge_gap)
        # Tracking pixels per original pixel (what scaled() really gives after rounding).
        self.scale = round(min(info.height, options.track_height)) / info.height
        self.result = ScanResult()
        self.inside = span.open_at is None  # reporting shots yet?
        self.tracker: ShotTracker | None = None
        self.shot_first: Frame | None = None
        self.last: Frame | None = None
        self.next_detection = 0.0
        self.previous_gray: np.ndarray | None = None
        # Flow moves boxes in the detector's convention; landmarks want dlib's.
        self.core_box = (lambda box: box) if detector.name == "hog" else dlib_box
        self.shot_tracks: list[ShotTrack] = []
        self.mouth_step = mouth_step(info.fps)

    def take(self, frame: Frame, small: np.ndarray, is_cut: bool) -> bool:
        """Process one frame whose cut decision is known; False once the range is done."""
        if is_cut:
            if self.span.close_at is not None and frame.index >= self.span.close_at:
                if self.inside:
                    self.close_shot(frame.time)
                return False
            if self.inside:
                self.close_shot(frame.time)
            elif self.span.open_at is not None and frame.index >= self.span.open_at:
                self.inside = True
        if not self.inside:
            return True
        if self.tracker is None:
            self.open_shot(frame)
        self.track(frame, small)
        self.last = frame
        return True

    def open_shot(self, frame: Frame) -> None:
        self.tracker = ShotTracker(self.tracking, self.scale)
        self.shot_first = frame
        self.next_detection = frame.time
        self.previous_gray = None

    def track(self, frame: Frame, small: np.ndarray) -> None:
        assert self.tracker is not None
        gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        self.tracker.advance(frame.index, frame.time, gray)
        if frame.time >= self.next_detection:
            # A quarter frame of slack: decoder timestamps are rounded.
            self.next_detection = (frame.time + self.options.every
                                   - 0.25 * self.info.frame_interval)
            faces = self.detector.detect(frame.image)
            for track, face in self.tracker.observe(frame.index, frame.time, faces):
                wanted = track.samples.wants_next()
                track.samples.add(cut_sample(frame.image, face, frame.index, frame.time)
                                  if wanted else None)
        if self.options.actions and self.previous_gray is not None:
            for t in self.tracker.alive:
                if t.detections and t.detections[-1].frame == frame.index:
                    feats = motion_descriptors.frame_features(self.previous_gray, gray, t.box,
                                                              self.scale)
                    if feats is not None:
                        t.frame_features[frame.index] = feats
        self.measure_mouths(frame)
        self.previous_gray = gray

    def measure_mouths(self, frame: Frame) -> None:
        assert self.tracker is not None
        if not self.options.mouth or frame.index % self.mouth_step:
            return
        here = [t for t in self.tracker.alive
                if t.detections and t.detections[-1].frame == frame.index]
        if not here:
            return
        for t in here:
            opening = mouth_opening(frame.image, self.core_box(t.box))
            if opening is not None:
                t.mouth[frame.index] = opening

    def close_shot(self, end_time: float) -> None:
        if self.tracker is None or self.shot_first is None or self.last is None:
            return
        shot = Shot(self.shot_first.time, round(end_time, 6), self.shot_first.index,
                    self.last.index)
        finished = self.tracker.finish()
        self.shot_tracks = finished  # switch checks look for other faces nearby
        kept, dropped = select_tracks(finished, self.options.min_frames)
        results = [r for t in kept for r in self.describe(t)]
        self.result.shots.append(ShotResult(shot, results, dropped))
        self.tracker = None
        self.shot_first = None

    def describe(self, t: ShotTrack, split: bool = False) -> list[TrackResult]:
        """The track's result, or several when its identity changes along it (``split``:
        ``t`` is a side of a track that was split)."""
        duration = t.detections[-1].time - t.detections[0].time
        wanted = samples_for(duration, self.options.samples, self.crowded(t))
        chosen = t.samples.spread(wanted)
        encodings = encode_samples(chosen)
        switched = False
        if looks_switched(encodings):
            frame = self.switch_frame(t, chosen, encodings)
            if frame is not None:
                before, after = split_track(t, frame)
                if min(len(before.detections), len(after.detections)) >= self.options.min_frames:
                    return self.describe(before, True) + self.describe(after, True)
                switched = True  # a side too short to be a track of its own: flag it
        return [self.result_of(t, chosen, encodings, switched, split)]

    def crowded(self, t: ShotTrack) -> bool:
        """Whether another face came close to ``t`` (where a tracker can change faces)."""
        middle = (t.first_frame + t.last_frame) // 2
        return meets_another(t, self.shot_tracks, middle, middle - t.first_frame + 1)

    def switch_frame(self, t: ShotTrack, chosen: list[FaceSample],
                     encodings: np.ndarray) -> int | None:
        """The first frame of the second person when ``t``'s identity changes, else None."""
        pool = t.samples.spread(SWITCH_SAMPLES)
        known = {id(s): e for s, e in zip(chosen, encodings, strict=True)}
        todo = [s for s in pool if id(s) not in known]
        known.update({id(s): e for s, e in zip(todo, encode_samples(todo), strict=True)})
        where = find_switch(np.stack([known[id(s)] for s in pool]))
        if where is None:
            return None
        # The identity changes between two kept crops: cut halfway.
        frame = (pool[where - 1].frame + pool[where].frame + 1) // 2
        if not t.first_frame < frame <= t.last_frame:
            return None
        within = pool[where].frame - pool[where - 1].frame
        return frame if meets_another(t, self.shot_tracks, frame, within) else None

    def result_of(self, t: ShotTrack, chosen: list[FaceSample], encodings: np.ndarray,
                  switched: bool, split: bool) -> TrackResult:
        action = None
        if self.options.actions:
            action = motion_descriptors.pool([t.frame_features[d.frame] for d in t.detections
                                              if d.frame in t.frame_features])
        mouth = [t.mouth.get(d.frame) for d in t.detections]
        extra = {"hits": t.hits, "short": is_borderline(t, self.options.min_frames),
                 "mouth": mouth, "lip": lip_motion([d.frame for d in t.detections], mouth),
                 "speaking": speaking_score([d.time for d in t.detections], mouth)}
        if switched:
            extra["identity_switch"] = True
        if split:
            extra["split"] = True
        track = Track(-1, -1, t.detections[0].time, t.detections[-1].time, t.detections,
                      extra)
        tiles = [label_tile(face_tile(s), _mouth_label(_nearest(t.mouth, s.frame,
                                                                 self.mouth_step)))
                 for s in t.samples.samples]
        return TrackResult(track, encodings, [s.frame for s in chosen],
                           track_descriptor(encodings), action,
                           encode_image(t.samples.best(1)[0].crop, ".jpg"),
                           encode_image(strip(tiles), ".jpg"))


SWITCH_SAMPLES = 6  # crops encoded to locate an identity switch (~0.1 s each)


def _nearest(mouth: dict[int, float], frame: int, within: int) -> float | None:
    """The opening measured nearest ``frame``, at most ``within`` frames away (crops are
    cut on detection rounds, openings measured on every ``mouth_step``-th frame)."""
    near = [f for f in range(frame - within, frame + within + 1) if f in mouth]
    return mouth[min(near, key=lambda f: (abs(f - frame), f))] if near else None


def _mouth_label(opening: float | None) -> str:
    return "" if opening is None else f"m {opening:.2f}"


def scan(path: str | Path, info: VideoInfo, options: FaceOptions, span: ScanRange,
         progress: Progress | None = None, detector: FaceDetector | None = None) -> ScanResult:
    """Shots and finished face tracks of ``span`` (see the module docstring)."""
    if detector is None:
        detector = make_detector(options.detector, yunet_model=options.yunet_model,
                                 working_height=options.detect_height,
                                 min_face=options.min_face)
    state = _Pass(info, options, span, detector)
    cuts = CutDetector(CutRule())
    reader = VideoReader(path, info, first_frame=span.first_frame, start=span.start,
                         end=span.end)
    frames = iter(reader)
    # Frames whose cut decision is not known yet, with their copy at tracking scale.
    waiting: deque[tuple[Frame, np.ndarray]] = deque()
    try:
        for frame in frames:
            small = scaled(frame.image, state.scale)
            waiting.append((frame, small))
            for _, is_cut in cuts.push(frame.index, frame_signature(small)):
                if not state.take(*waiting.popleft(), is_cut):
                    state.result.frames = reader.frames_decoded
                    return state.result
            if frame.index % 10 == 0:
                report(progress, frame.index, 0)
    finally:
        frames.close()  # type: ignore[attr-defined]
    for _, is_cut in cuts.flush():
        if not state.take(*waiting.popleft(), is_cut):
            break
    else:
        if state.last is not None:  # the video (or --end) ends the last shot
            state.close_shot(state.last.time + info.frame_interval)
    state.result.warning = reader.warning
    state.result.frames = reader.frames_decoded
    return state.result
