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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from scriptalign.core.atomic import atomic_path, write_json
from scriptalign.core.errors import InputError
from scriptalign.core.jsonfile import Invalid, as_dict, as_float, as_int, as_list, get, read_json

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


def _detection_from(d: Any, w: str) -> Detection:
    d = as_dict(d, w)
    known = {"frame", "time", "box", "score"}
    box = [as_float(v, f"{w}.box[{k}]")
           for k, v in enumerate(as_list(get(d, "box", w, [0, 0, 0, 0]), f"{w}.box"))]
    if len(box) != 4:
        raise Invalid(f"{w}.box: expected [x, y, w, h], not {len(box)} numbers")
    return Detection(as_int(get(d, "frame", w), f"{w}.frame"),
                     as_float(get(d, "time", w), f"{w}.time"), (box[0], box[1], box[2], box[3]),
                     as_float(get(d, "score", w, 1.0), f"{w}.score"),
                     {k: v for k, v in d.items() if k not in known})


def _shot_from(s: Any, w: str) -> Shot:
    s = as_dict(s, w)
    return Shot(as_float(get(s, "start", w), f"{w}.start"), as_float(get(s, "end", w), f"{w}.end"),
                as_int(get(s, "first_frame", w), f"{w}.first_frame"),
                as_int(get(s, "last_frame", w), f"{w}.last_frame"))


def _track_from(t: Any, w: str) -> Track:
    t = as_dict(t, w)
    known = {"id", "shot", "start", "end", "detections"}
    detections = as_list(get(t, "detections", w, []), f"{w}.detections")
    return Track(as_int(get(t, "id", w), f"{w}.id"), as_int(get(t, "shot", w, -1), f"{w}.shot"),
                 as_float(get(t, "start", w), f"{w}.start"), as_float(get(t, "end", w), f"{w}.end"),
                 [_detection_from(d, f"{w}.detections[{k}]") for k, d in enumerate(detections)],
                 {k: v for k, v in t.items() if k not in known})


def tracks_from_dict(doc: dict[str, Any]) -> tuple[dict[str, Any], list[Shot], list[Track]]:
    """Video, shots and tracks of ``doc``; ``Invalid`` (a ValueError naming the field) when a
    field has the wrong type or two tracks share an id."""
    doc = as_dict(doc, "document")
    video = dict(as_dict(get(doc, "video", "document", {}), "video"))
    for key in ("fps", "duration"):  # the numbers readers compute with
        if video.get(key) is not None:
            video[key] = as_float(video[key], f"video.{key}")
    for key in ("width", "height", "frames"):
        if video.get(key) is not None:
            video[key] = as_int(video[key], f"video.{key}")
    shots = [_shot_from(sh, f"shots[{k}]")
             for k, sh in enumerate(as_list(get(doc, "shots", "document", []), "shots"))]
    tracks = [_track_from(t, f"tracks[{k}]")
              for k, t in enumerate(as_list(get(doc, "tracks", "document", []), "tracks"))]
    seen: set[int] = set()
    for k, t in enumerate(tracks):
        if t.id in seen:
            raise Invalid(f"tracks[{k}].id: {t.id} is the id of an earlier track")
        seen.add(t.id)
    return video, shots, tracks


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
    doc = read_json(jpath, "no tracks.json here (run `scriptalign faces` first)")
    if not isinstance(doc, dict):
        raise InputError("is not a tracks file (expected a JSON object)", jpath)
    try:
        video, shots, tracks = tracks_from_dict(doc)
    except Invalid as exc:
        raise InputError(f"is not a valid tracks file ({exc})", jpath) from exc
    extra = {k: v for k, v in doc.items() if k not in {"version", "video", "shots", "tracks"}}
    ft = FaceTracks(video, shots, tracks, extra=extra)
    npz = folder / "tracks.npz"
    if npz.exists():
        _load_features(ft, npz)
    return ft


def _load_features(ft: FaceTracks, npz: Path) -> None:
    """Fill ``ft.face``, ``ft.action`` and ``ft.arrays`` from ``tracks.npz``."""
    try:
        archive = np.load(npz, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise Invalid("one array (.npy), not an .npz archive")
        with archive:
            loaded = {k: np.asarray(archive[k]) for k in archive.files}
    except Invalid as exc:
        raise InputError(f"is not a valid features file ({exc})", npz) from exc
    # np.load fails in many ways on a damaged file: a broken zip (BadZipFile), a cut one
    # (EOFError), a bad header (ValueError), pickled data (refused, ValueError).
    except Exception as exc:
        raise InputError(f"is not a valid features file ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:200]})", npz) from exc
    ids_array = loaded.get("track_ids")
    if ids_array is None or ids_array.ndim != 1 or ids_array.dtype.kind not in "iu":
        raise InputError("is not a valid features file (no 1-D integer array 'track_ids')",
                         npz)
    ids = [int(i) for i in ids_array]
    if len(set(ids)) != len(ids):
        raise InputError("is not a valid features file (a track id appears twice)", npz)
    order = {tid: k for k, tid in enumerate(ids)}
    missing = [t.id for t in ft.tracks if t.id not in order]
    if missing:
        raise InputError(f"has no features for {len(missing)} track(s) of "
                         "tracks.json (re-run `scriptalign faces`)", npz)
    rows = [order[t.id] for t in ft.tracks]
    for key in ("face", "action"):
        if key not in loaded:
            continue
        values = loaded[key]
        if values.ndim != 2 or len(values) != len(ids) or values.dtype.kind not in "iuf":
            raise InputError(f"is not a valid features file ('{key}' is {values.dtype} "
                             f"{values.shape}, expected {len(ids)} rows of numbers)", npz)
        setattr(ft, key, values.astype(np.float32)[rows])
    ft.arrays = {k: v for k, v in loaded.items() if k not in {"track_ids", "face", "action"}}


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
