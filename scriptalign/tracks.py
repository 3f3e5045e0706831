"""Face tracks: the ``faces`` output format, shared by ``faces``, ``learn`` and the report.

``OUTDIR/tracks.json``::

    {"version": 1,
     "video": {"path", "fps", "width", "height", "duration", "frames"},
     "shots": [{"start", "end", "first_frame", "last_frame"}],
     "tracks": [{"id", "shot", "start", "end",
                 "detections": [{"frame", "time", "box": [x, y, w, h], "score"}], ...}]}

``OUTDIR/tracks.npz``: ``track_ids`` (N,), ``face`` (N x 128 float32, L2-normalised) and,
with ``--actions``, ``action`` (N x D float32). Readers ignore keys they do not know and
keep them in ``extra`` so that a rewrite loses nothing. ``scriptalign faces`` also writes
the per-detection encodings each ``face`` row averages: ``face_samples`` (M x 128 float32,
L2-normalised), ``face_sample_track`` (M, the track id of each row) and
``face_sample_frame`` (M, the frame it was taken from); other arrays like these are kept in
``FaceTracks.arrays``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scriptalign.atomic import atomic_path, write_json
from scriptalign.errors import InputError

TRACKS_VERSION = 1


@dataclass
class Detection:
    frame: int
    time: float
    box: tuple[float, float, float, float]  # x, y, w, h in pixels of the original frame
    score: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Shot:
    start: float
    end: float
    first_frame: int
    last_frame: int


@dataclass
class Track:
    id: int
    shot: int
    start: float
    end: float
    detections: list[Detection] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class FaceTracks:
    """Everything in a faces output folder; feature arrays are aligned with ``tracks``."""

    video: dict[str, Any]
    shots: list[Shot]
    tracks: list[Track]
    face: np.ndarray | None = None  # (N, 128) float32
    action: np.ndarray | None = None  # (N, D) float32
    extra: dict[str, Any] = field(default_factory=dict)
    # Other arrays of tracks.npz (e.g. face_samples), indexed by their own id columns.
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


def _detection_from(d: dict[str, Any]) -> Detection:
    known = {"frame", "time", "box", "score"}
    box = d.get("box", (0, 0, 0, 0))
    return Detection(int(d["frame"]), float(d["time"]),
                     (float(box[0]), float(box[1]), float(box[2]), float(box[3])),
                     float(d.get("score", 1.0)), {k: v for k, v in d.items() if k not in known})


def tracks_from_dict(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Shot], list[Track]]:
    shots = [Shot(float(s["start"]), float(s["end"]), int(s["first_frame"]), int(s["last_frame"]))
             for s in doc.get("shots", [])]
    known = {"id", "shot", "start", "end", "detections"}
    tracks = [
        Track(int(t["id"]), int(t.get("shot", -1)), float(t["start"]), float(t["end"]),
              [_detection_from(d) for d in t.get("detections", [])],
              {k: v for k, v in t.items() if k not in known})
        for t in doc.get("tracks", [])
    ]
    return dict(doc.get("video", {})), shots, tracks


def tracks_to_dict(ft: FaceTracks) -> dict[str, Any]:
    return {
        "version": TRACKS_VERSION,
        **ft.extra,
        "video": ft.video,
        "shots": [{"start": s.start, "end": s.end, "first_frame": s.first_frame,
                   "last_frame": s.last_frame} for s in ft.shots],
        "tracks": [
            {"id": t.id, "shot": t.shot, "start": t.start, "end": t.end,
             "detections": [{"frame": d.frame, "time": d.time, "box": list(d.box),
                             "score": d.score, **d.extra} for d in t.detections],
             **t.extra}
            for t in ft.tracks
        ],
    }


def load_tracks(folder: str | Path) -> FaceTracks:
    """Read ``tracks.json`` (+ ``tracks.npz`` when present) from a faces output folder."""
    folder = Path(folder)
    jpath = folder / "tracks.json" if folder.is_dir() else folder
    folder = jpath.parent
    try:
        doc = json.loads(jpath.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no tracks.json here (run `scriptalign faces` first)", jpath) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"is not valid JSON ({exc})", jpath) from exc
    if not isinstance(doc, dict):
        raise InputError("is not a tracks file (expected a JSON object)", jpath)
    try:
        video, shots, tracks = tracks_from_dict(doc)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputError(f"is not a valid tracks file ({exc!r})", jpath) from exc
    extra = {k: v for k, v in doc.items() if k not in {"version", "video", "shots", "tracks"}}
    ft = FaceTracks(video, shots, tracks, extra=extra)
    npz = folder / "tracks.npz"
    if npz.exists():
        try:
            with np.load(npz, allow_pickle=False) as arrays:
                ids = [int(i) for i in arrays["track_ids"]]
                order = {tid: k for k, tid in enumerate(ids)}
                missing = [t.id for t in tracks if t.id not in order]
                if missing:
                    raise InputError(f"has no features for {len(missing)} track(s) of "
                                     "tracks.json (re-run `scriptalign faces`)", npz)
                rows = [order[t.id] for t in tracks]
                if "face" in arrays:
                    ft.face = np.asarray(arrays["face"], dtype=np.float32)[rows]
                if "action" in arrays:
                    ft.action = np.asarray(arrays["action"], dtype=np.float32)[rows]
                ft.arrays = {k: np.asarray(arrays[k]) for k in arrays.files
                             if k not in {"track_ids", "face", "action"}}
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"is not a valid features file ({exc})", npz) from exc
    return ft


def save_tracks(ft: FaceTracks, folder: str | Path) -> None:
    """Write ``tracks.json`` and ``tracks.npz`` atomically (npz first: json marks done)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "track_ids": np.array([t.id for t in ft.tracks], dtype=np.int64)}
    arrays["face"] = (ft.face if ft.face is not None
                      else np.zeros((len(ft.tracks), 128))).astype(np.float32)
    if ft.action is not None:
        arrays["action"] = ft.action.astype(np.float32)
    for key, value in ft.arrays.items():
        arrays.setdefault(key, value)
    with atomic_path(folder / "tracks.npz") as tmp:
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    write_json(folder / "tracks.json", tracks_to_dict(ft))
