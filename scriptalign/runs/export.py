"""Exports of a movie's results to the formats other tools read.

``scriptalign export MOVIE... --to DIR --format F`` writes, per movie (``NAME`` = folder
name with spaces replaced by ``_``):

- ``vtt`` / ``srt``: ``DIR/NAME.vtt|srt``, the subtitles with the aligned speaker of each
  line (writers in ``scriptalign.text.formats``);
- ``csv``: ``DIR/NAME.csv``, one row per script element with its time and score
  (columns in ``scriptalign.text.table``);
- ``rttm``: ``DIR/NAME.rttm``, who appears when, from the named face tracks: one
  ``SPEAKER NAME 1 START DUR <NA> <NA> PERSON <NA> <NA>`` line per stretch of screen time
  (overlapping tracks of one person merged; spaces in names become ``_`` because RTTM
  fields are space separated; background tracks are left out); a movie without face
  tracks (no video) gets who *speaks* when, from the speakers of its subtitle lines;
- ``hollywood2``: for all movies together, ``DIR/clips.csv`` (clip, movie, start, end,
  person, action, score, source; a text cell that starts like a spreadsheet formula gets a
  leading ``'``) and ``DIR/ClipSets/<action>.txt`` with one
  ``<clip> <1|-1>`` line per clip (1 when the clip shows that action), as in the Hollywood2
  dataset's ClipSets. Clips are the face tracks with a learned action; when no action was
  learned, the script's aligned action descriptions (``source`` = ``script``).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from scriptalign.core.atomic import ensure_dir, write_text
from scriptalign.core.errors import InputError, UsageError
from scriptalign.core.jsonfile import displayable
from scriptalign.learning.labels import Labels, load_labels
from scriptalign.runs.movie import Movie
from scriptalign.runs.steps import StepResult, describe_error
from scriptalign.text.alignment import Alignment, load_alignment
from scriptalign.text.table import spreadsheet_safe
from scriptalign.video.tracks import FaceTracks, load_tracks

FORMATS = ("vtt", "srt", "csv", "rttm", "hollywood2")


def token(text: str) -> str:
    """A name usable as one whitespace-free field (RTTM) or file name: spaces -> ``_``
    (and the bytes of a folder name that is not UTF-8 -> U+FFFD)."""
    return "_".join(displayable(text).split()) or "_"


def file_token(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text.strip(), flags=re.UNICODE).strip("._") or "_"


# -- subtitles and the element table (writers: text.formats, text.table) -------------------

def subtitles_text(alignment: Alignment, fmt: str) -> str:
    from scriptalign.text.formats import format_srt, format_vtt

    return format_vtt(alignment.cues) if fmt == "vtt" else format_srt(alignment.cues)


def elements_csv(alignment: Alignment) -> str:
    from scriptalign.text.table import format_csv

    return format_csv(alignment)


# -- RTTM ----------------------------------------------------------------------------------

def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def rttm_text(name: str, tracks: FaceTracks, labels: Labels) -> str:
    by_id = labels.by_id()
    spans: dict[str, list[tuple[float, float]]] = {}
    for t in tracks.tracks:
        lab = by_id.get(t.id)
        if lab is not None and lab.name:
            spans.setdefault(token(lab.name), []).append((t.start, t.end))
    rows = [(start, end, person) for person, sp in spans.items() for start, end in _merge(sp)]
    rows.sort()
    file_id = token(name)
    return "".join(f"SPEAKER {file_id} 1 {start:.3f} {max(end - start, 0.0):.3f} <NA> <NA> "
                   f"{person} <NA> <NA>\n" for start, end, person in rows)


def speakers_rttm_text(name: str, alignment: Alignment) -> str:
    """Who speaks when, from the speakers the alignment gave the subtitle lines (a movie
    without video or face tracks): one line per cue stretch of one speaker, a cue shared by
    two speakers split evenly between its lines."""
    spans: dict[str, list[tuple[float, float]]] = {}
    for cue in alignment.cues:
        spoken = [ln for ln in cue.lines if ln.text.strip()]
        step = (cue.end - cue.start) / max(1, len(spoken))
        for k, line in enumerate(spoken):
            if line.speaker:
                start = cue.start + k * step
                spans.setdefault(token(line.speaker), []).append((start, start + step))
    rows = [(start, end, person) for person, sp in spans.items() for start, end in _merge(sp)]
    rows.sort()
    file_id = token(name)
    return "".join(f"SPEAKER {file_id} 1 {start:.3f} {max(end - start, 0.0):.3f} <NA> <NA> "
                   f"{person} <NA> <NA>\n" for start, end, person in rows)


# -- Hollywood2 clip sets ----------------------------------------------------------------------

@dataclass
class Clip:
    clip: str
    movie: str
    start: float
    end: float
    person: str
    action: str
    score: float | None
    source: str  # "learned" (face track with a learned action) or "script" (action line)


def movie_clips(name: str, alignment: Alignment | None, tracks: FaceTracks | None,
                labels: Labels | None) -> list[Clip]:
    base = file_token(name)
    name = displayable(name)  # for the CSV, which is UTF-8 text
    clips: list[Clip] = []
    if tracks is not None and labels is not None:
        by_id = labels.by_id()
        for t in tracks.tracks:
            lab = by_id.get(t.id)
            if lab is not None and lab.action:
                clips.append(Clip(f"{base}_track{t.id:05d}", name, t.start, t.end,
                                  lab.name or "", lab.action, lab.action_score, "learned"))
    if clips or alignment is None:
        return clips
    for k, bag in enumerate(alignment.bags):
        paired = {a for _, a in bag.pairs}
        who = [(p, a) for p, a in bag.pairs]
        who += [(bag.persons[0] if len(bag.persons) == 1 else "", a)
                for a in bag.actions if a not in paired]
        for j, (person, action) in enumerate(who):
            clips.append(Clip(f"{base}_bag{k:05d}_{j}", name, bag.start, bag.end, person,
                              action, None, "script"))
    return clips


def write_hollywood2(clips: list[Clip], to: Path) -> list[Path]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["clip", "movie", "start", "end", "person", "action", "score", "source"])
    for c in clips:
        w.writerow([*map(spreadsheet_safe, (c.clip, c.movie)), f"{c.start:.3f}", f"{c.end:.3f}",
                    *map(spreadsheet_safe, (c.person, c.action)),
                    "" if c.score is None else f"{c.score:.4f}", c.source])
    written = [to / "clips.csv"]
    write_text(written[0], buf.getvalue())
    actions = sorted({c.action for c in clips})
    files: dict[str, str] = {}
    for action in actions:
        fname = file_token(action)
        if fname in files and files[fname] != action:  # "sit down" vs "sit_down"
            raise InputError(f"actions {files[fname]!r} and {action!r} would share the file "
                             f"ClipSets/{fname}.txt")
        files[fname] = action
        lines = [f"{c.clip} {1 if c.action == action else -1}\n" for c in clips]
        path = to / "ClipSets" / f"{fname}.txt"
        write_text(path, "".join(lines))
        written.append(path)
    return written


# -- per movie -----------------------------------------------------------------------------

def _load(movie: Movie, what: Iterable[str]) -> tuple[Alignment | None, FaceTracks | None,
                                                       Labels | None]:
    want = set(what)
    alignment = load_alignment(movie.align_path) if "align" in want else None
    tracks = load_tracks(movie.faces_dir) if "tracks" in want else None
    labels = load_labels(movie.labels_path) if "labels" in want else None
    return alignment, tracks, labels


def export_movie(movie: Movie, fmt: str, to: Path) -> list[Path]:
    """Write one movie's export (not hollywood2, which is per collection)."""
    name = file_token(movie.name)
    if fmt in ("vtt", "srt", "csv"):
        alignment, _, _ = _load(movie, ["align"])
        assert alignment is not None
        text = subtitles_text(alignment, fmt) if fmt != "csv" else elements_csv(alignment)
    elif fmt == "rttm":
        has_tracks = (movie.faces_dir / "tracks.json").exists() and movie.labels_path.exists()
        if has_tracks:
            _, tracks, labels = _load(movie, ["tracks", "labels"])
            assert tracks is not None and labels is not None
            text = rttm_text(movie.name, tracks, labels)
        else:
            alignment, _, _ = _load(movie, ["align"])
            assert alignment is not None
            text = speakers_rttm_text(movie.name, alignment)
    else:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    path = to / f"{name}.{fmt}"
    write_text(path, text)
    return [path]


def clips_of_movie(movie: Movie) -> list[Clip]:
    alignment = load_alignment(movie.align_path) if movie.align_path.exists() else None
    has_tracks = (movie.faces_dir / "tracks.json").exists() and movie.labels_path.exists()
    tracks = load_tracks(movie.faces_dir) if has_tracks else None
    labels = load_labels(movie.labels_path) if has_tracks else None
    if alignment is None and tracks is None:
        raise InputError("has no align.json and no labels.json (run `scriptalign run` first)",
                         movie.out)
    return movie_clips(movie.name, alignment, tracks, labels)


def export_movies(movies: list[Movie], fmt: str, to: str | Path,
                  on_result: Callable[[StepResult], None] | None = None) -> list[StepResult]:
    """Export every movie; a movie that cannot be exported fails alone."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    # An unwritable --to fails the whole export once, not every movie in turn.
    to = ensure_dir(to)
    results: list[StepResult] = []
    clips: list[Clip] = []
    pending: list[StepResult] = []  # hollywood2: outputs known once every movie is read
    for movie in movies:
        t0 = time.monotonic()
        try:
            if fmt == "hollywood2":
                clips.extend(clips_of_movie(movie))
                pending.append(StepResult(str(movie.folder), "export", "ok", [], None,
                                          time.monotonic() - t0))
                continue
            outputs = export_movie(movie, fmt, to)
            result = StepResult(str(movie.folder), "export", "ok", [str(p) for p in outputs],
                                None, time.monotonic() - t0)
        except Exception as exc:  # one bad movie costs one movie
            result = StepResult(str(movie.folder), "export", "failed", [], describe_error(exc),
                                time.monotonic() - t0)
        results.append(result)
        if on_result is not None:
            on_result(result)
    if fmt == "hollywood2" and pending:
        t0 = time.monotonic()
        try:
            written = [str(p) for p in write_hollywood2(clips, to)]
            error = None
        except Exception as exc:
            written, error = [], describe_error(exc)
        for result in pending:
            result.outputs = written
            result.seconds += time.monotonic() - t0
            if error is not None:
                result.status, result.error = "failed", error
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results
