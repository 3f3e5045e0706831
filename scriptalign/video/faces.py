"""``find_faces``: a video in, a faces folder out (tracks.json, tracks.npz, thumbs/, tracks.png).

The work itself is one forward pass over the video (:mod:`scriptalign.video.scan`). With
``jobs > 1`` the range is cut into ``jobs`` stretches of equal length, each scanned in its
own process; each pass reports the shots that start in its stretch (a stretch really begins
at its first cut), so stitching is concatenation and the result equals one pass's.

What ``scriptalign faces`` adds to the format of :mod:`scriptalign.video.tracks`:

- top level: ``params`` (the options that shape the result), ``warnings`` (e.g. a video
  that stopped decoding early), ``dropped_tracks`` (how many were shorter than
  ``min_frames``);
- per track: ``hits`` (detector boxes in it), ``short`` (borderline: under
  ``2 * min_frames`` frames or a single detector hit; kept, but ``learn`` may skip it);
  ``mouth`` and ``lip`` (one value or null per detection) and ``speaking`` (a number or
  null), see :mod:`scriptalign.video.mouth`; ``split`` (true on both sides of a track cut
  where its identity changed) or ``identity_switch`` (true when it seems to change but a
  side would be too short to be a track), see :mod:`scriptalign.video.scan`;
- per detection: ``source``: ``detector`` (``score`` is the detector's confidence in
  [0, 1]), ``flow`` (followed by optical flow, ``score`` 0) or ``interpolated``;
- tracks.npz: ``face_samples``, ``face_sample_track``, ``face_sample_frame`` (the
  encodings each ``face`` row averages).
"""

from __future__ import annotations

import multiprocessing
import queue
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import numpy as np

from scriptalign.core.atomic import write_bytes
from scriptalign.core.progress import Progress, report
from scriptalign.video.contact_sheet import write_contact_sheet
from scriptalign.video.detectors import make_detector
from scriptalign.video.options import FaceOptions
from scriptalign.video.reader import VideoInfo, probe_video
from scriptalign.video.scan import ScanRange, ScanResult, TrackResult, scan
from scriptalign.video.shots import CutRule
from scriptalign.video.tracks import FaceTracks, Shot, Track, save_tracks

MIN_FRAMES_PER_JOB = 50  # shorter stretches are not worth a process (~2 s to start)


def _ranges(info: VideoInfo, options: FaceOptions) -> list[ScanRange]:
    """One ScanRange per process, stretches of equal estimated length."""
    fps = info.fps or 25.0
    first = int((options.start or 0.0) * fps)
    last = info.frames if options.end is None else min(info.frames, int(options.end * fps))
    jobs = max(1, min(options.jobs, (last - first) // MIN_FRAMES_PER_JOB))
    bounds = [first + (last - first) * k // jobs for k in range(jobs)] + [None]
    context = CutRule().window + 1  # frames a pass needs before its stretch to judge cuts
    return [ScanRange(first_frame=0 if k == 0 else max(0, bounds[k] - context),  # type: ignore[operator]
                      open_at=None if k == 0 else bounds[k],
                      close_at=bounds[k + 1], start=options.start, end=options.end)
            for k in range(jobs)]


# -- worker processes ------------------------------------------------------------------------

_progress_queue: Any = None


def _init_worker(progress_queue: Any) -> None:
    global _progress_queue
    _progress_queue = progress_queue
    from scriptalign.video._opencv import cv2

    cv2.setNumThreads(1)  # the processes already use the cores


def _worker(k: int, path: str, info: VideoInfo, options: FaceOptions,
            span: ScanRange) -> ScanResult:
    def tell(done: int, total: int) -> None:
        _progress_queue.put((k, done))

    return scan(path, info, options, span, tell)


def _scan_parallel(path: Path, info: VideoInfo, options: FaceOptions,
                   spans: list[ScanRange], progress: Progress | None,
                   total: int) -> list[ScanResult]:
    context = multiprocessing.get_context("spawn")  # fork + OpenCV threads can deadlock
    messages = context.Queue()
    position = {k: (span.open_at or span.first_frame) for k, span in enumerate(spans)}
    origin = dict(position)
    with ProcessPoolExecutor(len(spans), mp_context=context, initializer=_init_worker,
                             initargs=(messages,)) as pool:
        futures: list[Future[ScanResult]] = [
            pool.submit(_worker, k, str(path), info, options, span)
            for k, span in enumerate(spans)]
        pending = set(futures)
        try:
            while pending:
                _, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                while True:
                    try:
                        k, done = messages.get_nowait()
                    except queue.Empty:
                        break
                    position[k] = max(position[k], done)
                report(progress, min(total, sum(max(0, position[k] - origin[k])
                                                for k in position)), total)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        return [f.result() for f in futures]


# -- putting it together ---------------------------------------------------------------------

def _stitch(results: list[ScanResult]) -> tuple[list[Shot], list[TrackResult], int]:
    shots: list[Shot] = []
    tracks: list[TrackResult] = []
    dropped = 0
    for result in results:
        for shot_result in result.shots:
            if shots and shot_result.shot.first_frame != shots[-1].last_frame + 1:
                raise RuntimeError("internal error: passes over the video do not join "
                                   f"(shot at frame {shots[-1].last_frame} then "
                                   f"{shot_result.shot.first_frame})")
            index = len(shots)
            shots.append(shot_result.shot)
            dropped += shot_result.dropped
            for tr in shot_result.tracks:
                tr.track.shot = index
                tracks.append(tr)
    for number, tr in enumerate(tracks):
        tr.track.id = number
    return shots, tracks, dropped


def _face_tracks(info: VideoInfo, options: FaceOptions, shots: list[Shot],
                 results: list[TrackResult], dropped: int, warnings: list[str]) -> FaceTracks:
    tracks: list[Track] = [r.track for r in results]
    face = (np.stack([r.descriptor for r in results]) if results
            else np.zeros((0, 128), np.float32)).astype(np.float32)
    action = None
    if options.actions:
        from scriptalign.video.motion_descriptors import DIM

        action = (np.stack([r.action for r in results if r.action is not None]) if results
                  else np.zeros((0, DIM), np.float32)).astype(np.float32)
    samples = [r.encodings for r in results]
    arrays = {
        "face_samples": (np.concatenate(samples) if samples
                         else np.zeros((0, 128))).astype(np.float32),
        "face_sample_track": np.array([r.track.id for r in results
                                       for _ in range(len(r.encodings))], dtype=np.int64),
        "face_sample_frame": np.array([f for r in results for f in r.sample_frames],
                                      dtype=np.int64),
    }
    params = {"detector": options.detector, "every": options.every,
              "start": options.start, "end": options.end,
              "detect_height": options.detect_height, "samples": options.samples,
              "min_frames": options.min_frames, "actions": options.actions,
              "mouth": options.mouth}
    extra = {"params": params, "warnings": warnings, "dropped_tracks": dropped}
    return FaceTracks(info.to_dict(), shots, tracks, face=face, action=action, extra=extra,
                      arrays=arrays)


def _write_pictures(outdir: Path, results: list[TrackResult]) -> None:
    thumbs = outdir / "thumbs"
    thumbs.mkdir(parents=True, exist_ok=True)
    names = set()
    for r in results:
        name = f"track_{r.track.id:04d}.jpg"
        names.add(name)
        write_bytes(thumbs / name, r.thumbnail)
    for old in thumbs.glob("track_*.jpg"):  # from an earlier run with more tracks
        if old.name not in names:
            old.unlink()
    rows = [(_row_label(r.track), r.strip) for r in results]
    write_contact_sheet(outdir / "tracks.png", rows)


def _row_label(track: Track) -> str:
    """Three lines: id and shot; time span; speaking score and warnings."""
    speaking = track.extra.get("speaking")
    flags = [f"speak {speaking:.3f}" if speaking is not None else "speak -"]
    if track.extra.get("identity_switch"):
        flags.append("SWITCH?")
    elif track.extra.get("split"):
        flags.append("split")
    return (f"#{track.id} shot {track.shot}\n{track.start:.1f}-{track.end:.1f}s"
            + (" short" if track.extra.get("short") else "") + "\n" + " ".join(flags))


def find_faces(video_path: str | Path, outdir: str | Path, options: FaceOptions | None = None,
               progress: Progress | None = None) -> FaceTracks:
    """Shots, face tracks and descriptors of a video, written to ``outdir``.

    Raises InputError for an unreadable video or YuNet model, UsageError for bad options.
    A video that stops decoding early gives the tracks of what was decoded and a warning
    in ``tracks.json`` (``warnings``) and in the returned ``FaceTracks.extra``.

    ``jobs > 1`` starts processes with multiprocessing's "spawn" (fork and OpenCV's
    threads can deadlock), so a script calling this needs the usual
    ``if __name__ == "__main__":`` guard.
    """
    options = options or FaceOptions()
    video_path, outdir = Path(video_path), Path(outdir)
    info = probe_video(video_path)
    options.check(info)
    spans = _ranges(info, options)
    # Made here even for workers: a bad YuNet model fails now, in one line, not in a child.
    detector = make_detector(options.detector, yunet_model=options.yunet_model,
                             working_height=options.detect_height, min_face=options.min_face) \
        if len(spans) == 1 or options.detector != "hog" else None
    first = spans[0].first_frame if options.start is None else int(options.start * info.fps)
    last = info.frames if options.end is None else min(info.frames, int(options.end * info.fps))
    total = max(1, last - first)
    report(progress, 0, total)
    if len(spans) == 1:
        def tell(done: int, _: int) -> None:
            report(progress, min(total, max(0, done - first)), total)

        results = [scan(video_path, info, options, spans[0], tell, detector)]
    else:
        results = _scan_parallel(video_path, info, options, spans, progress, total)
    report(progress, total, total)
    shots, tracks, dropped = _stitch(results)
    warnings = [r.warning for r in results if r.warning]
    faces = _face_tracks(info, options, shots, tracks, dropped, warnings)
    _write_pictures(outdir, tracks)
    save_tracks(faces, outdir)
    return faces
