"""The four steps of a movie run: what each reads, writes and is parameterised by.

========  ================================  ======================================
step      reads                             writes (in ``Movie.out``)
========  ================================  ======================================
align     script, subtitles                 align.json
faces     video                             faces/ (tracks.json, tracks.npz, thumbs/)
learn     align.json + faces/ of *every*    labels.json (one joint problem)
          movie in the run
report    align.json, faces/, labels.json   report.html
========  ================================  ======================================

``run_step`` is the unit of work: it skips an up-to-date step (see ``scriptalign.runs.manifest``),
runs it otherwise, records it in the manifest and returns a ``StepResult``; it never raises
for a bad movie, so one bad movie costs one movie. It runs in this process, in a local
worker process (``--jobs``) or on a Dask worker (``--scheduler``), hence everything here is
picklable and the heavy libraries are imported inside the steps.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scriptalign.core.errors import InputError, ScriptalignError
from scriptalign.core.progress import Progress
from scriptalign.learning.options import LearnOptions
from scriptalign.runs.manifest import Manifest
from scriptalign.runs.movie import Movie
from scriptalign.text.options import AlignOptions
from scriptalign.video.options import FaceOptions

STEPS = ("align", "faces", "learn", "report")
PER_MOVIE_STEPS = ("align", "faces")  # independent per movie: these go to workers
Status = Literal["ok", "up-to-date", "skipped", "failed"]


@dataclass
class StepResult:
    """One line of ``--json`` output."""

    movie: str  # the movie folder, so failed ones can be piped back into `scriptalign run -`
    command: str
    status: Status
    outputs: list[str] = field(default_factory=list)
    error: str | None = None  # why it failed, or why it was skipped
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # align: the sanity checks' findings
    stats: dict[str, Any] = field(default_factory=dict)  # align: the alignment's stats

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "movie": self.movie, "command": self.command, "status": self.status,
            "outputs": self.outputs, "error": self.error, "seconds": round(self.seconds, 3)}
        if self.command == "align" and (self.warnings or self.stats):
            record["warnings"] = self.warnings
            record["stats"] = self.stats
        return record

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class StepSettings:
    """Parameters of the steps; they are part of each step's up-to-date check."""

    align: AlignOptions = field(default_factory=AlignOptions)
    faces: FaceOptions = field(default_factory=FaceOptions)
    learn: LearnOptions = field(default_factory=LearnOptions)


def describe_error(exc: BaseException) -> str:
    """One line for a record: our own errors as they are, anything else with its type."""
    if isinstance(exc, ScriptalignError):
        return str(exc)
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _options_dict(options: Any, ignore: tuple[str, ...] = ()) -> dict[str, Any]:
    if options is None:
        return {}
    if dataclasses.is_dataclass(options) and not isinstance(options, type):
        return {k: v for k, v in dataclasses.asdict(options).items() if k not in ignore}
    return {"options": repr(options)}


# -- inputs, parameters and outputs of each step -------------------------------------------

def _keyed(movies: list[Movie]) -> list[tuple[str, Movie]]:
    """Movies by name (so that a moved collection stays up to date), by folder when two
    movies of one run share a name."""
    names = [m.name for m in movies]
    return [(m.name if names.count(m.name) == 1 else str(m.folder), m) for m in movies]


def step_inputs(step: str, movie: Movie, group: list[Movie] | None = None) -> dict[str, Path]:
    """The files ``step`` reads for ``movie``; InputError when one is missing."""
    if step == "align":
        return {"script": movie.require("script"), "subtitles": movie.require("subtitles")}
    if step == "faces":
        return {"video": movie.require("video")}
    if step == "learn":
        inputs: dict[str, Path] = {}
        for key, m in _keyed(group or [movie]):
            inputs[f"align:{key}"] = m.align_path
            inputs[f"tracks:{key}"] = m.faces_dir / "tracks.json"
            if (m.faces_dir / "tracks.npz").exists():
                inputs[f"features:{key}"] = m.faces_dir / "tracks.npz"
        return inputs
    if step == "report":
        candidates = {"align": movie.align_path, "tracks": movie.faces_dir / "tracks.json",
                      "labels": movie.labels_path}
        return {role: p for role, p in candidates.items() if p.exists()}
    raise ValueError(f"unknown step {step!r}")


def step_params(step: str, movie: Movie, settings: StepSettings,
                group: list[Movie] | None = None) -> dict[str, Any]:
    if step == "align":
        return _options_dict(settings.align)
    if step == "faces":
        # The number of worker processes does not change the tracks.
        return _options_dict(settings.faces, ignore=("jobs",))
    if step == "learn":
        keyed = _keyed(group or [movie])
        # the number of worker processes does not change the labels; the series do
        return {**_options_dict(settings.learn, ignore=("jobs",)),
                "movies": sorted(key for key, _ in keyed),
                "series": {key: m.series for key, m in sorted(keyed, key=lambda km: km[0])
                           if m.series}}
    if step == "report":
        video = None if movie.video is None else os.path.relpath(movie.video, movie.out)
        return {"video": video}
    raise ValueError(f"unknown step {step!r}")


def step_outputs(step: str, movie: Movie) -> dict[str, Path]:
    if step == "align":
        return {"align": movie.align_path}
    if step == "faces":
        return {"tracks": movie.faces_dir / "tracks.json"}
    if step == "learn":
        return {"labels": movie.labels_path}
    if step == "report":
        return {"report": movie.report_path}
    raise ValueError(f"unknown step {step!r}")


# -- doing each step -----------------------------------------------------------------------

def do_align(movie: Movie, settings: StepSettings, progress: Progress | None = None
             ) -> tuple[list[str], dict[str, Any]]:
    """Align the movie; its warnings and stats for the record."""
    from scriptalign.text.aligner import align_files
    from scriptalign.text.alignment import save_alignment

    alignment = align_files(movie.require("script"), movie.require("subtitles"),
                            _with_video_fps(settings.align, movie), progress=progress)
    save_alignment(alignment, movie.align_path)
    return [w["message"] for w in alignment.warnings], alignment.stats


def stored_checks(movie: Movie) -> tuple[list[str], dict[str, Any]]:
    """The warnings and stats of the align.json already there: a re-run that finds the
    alignment up to date must not report a film the checks doubted as clean."""
    from scriptalign.core.jsonfile import read_json

    try:
        doc = read_json(movie.align_path, "no such file")
    except (InputError, ValueError):  # damaged since: the record just has nothing to add
        return [], {}
    if not isinstance(doc, dict):
        return [], {}
    raw = doc.get("warnings")
    warnings = [str(w["message"]) for w in raw if isinstance(w, dict) and "message" in w] \
        if isinstance(raw, list) else []
    stats = doc.get("stats")
    return warnings, stats if isinstance(stats, dict) else {}


def _with_video_fps(opts: AlignOptions, movie: Movie) -> AlignOptions:
    """MicroDVD subtitles count frames: without --fps, the video's frame rate."""
    if (opts.fps is not None or movie.video is None or movie.subtitles is None
            or movie.subtitles.suffix.lower() != ".sub"):
        return opts
    from scriptalign.video.reader import probe_video

    fps = probe_video(movie.video).fps
    return dataclasses.replace(opts, fps=fps) if fps > 0 else opts


def lacks_video(movie: Movie) -> bool:
    """The folder has no video at all (not several, not a wrong --video): faces and learn
    are skipped, align and report still run."""
    return movie.video is None and movie.problems.get("video", "").startswith("no video")


def do_faces(movie: Movie, settings: StepSettings, progress: Progress | None = None) -> None:
    """Find faces into a fresh folder, then swap it in: ``faces/`` is always one complete
    run (tracks.json, tracks.npz and thumbs/ of the same tracks), never a mix of two."""
    from scriptalign.video.faces import find_faces

    final = movie.faces_dir
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f".{final.name}.*"):  # from a killed run (we hold the lock)
        shutil.rmtree(leftover, ignore_errors=True)
    work = final.parent / f".{final.name}.new-{os.getpid()}"
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    try:
        find_faces(movie.require("video"), work, settings.faces, progress=progress)
        if final.exists():
            os.rename(final, old)
        os.rename(work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def do_learn(movies: list[Movie], settings: StepSettings,
             progress: Progress | None = None) -> None:
    from scriptalign.learning.labels import save_labels
    from scriptalign.learning.learner import learn
    from scriptalign.text.alignment import load_alignment
    from scriptalign.video.tracks import load_tracks

    for m in movies:
        if "series" in m.problems:
            raise InputError(m.problems["series"])
    data = [(load_alignment(m.align_path), load_tracks(m.faces_dir)) for m in movies]
    labels = learn(data, settings.learn, progress=progress, series=[m.series for m in movies])
    if len(labels) != len(movies):
        raise InputError(f"learn returned {len(labels)} label sets for {len(movies)} movies")
    for movie, lab in zip(movies, labels, strict=True):
        save_labels(lab, movie.labels_path)


def do_report(movie: Movie, settings: StepSettings, progress: Progress | None = None) -> None:
    from scriptalign.runs.report import write_report

    write_report(movie)


# -- the unit of work ------------------------------------------------------------------------

def _outputs_of(manifest: Manifest, step: str) -> list[str]:
    return [str(p) for p in manifest.outputs(step)]


def run_step(movie: Movie, step: str, settings: StepSettings, *, force: bool = False,
             progress: Progress | None = None) -> StepResult:
    """Run one per-movie step (align, faces, report) unless it is up to date."""
    t0 = time.monotonic()
    if step == "faces" and lacks_video(movie):
        return StepResult(str(movie.folder), step, "skipped", [], "no video", 0.0)
    try:
        manifest = Manifest.load(movie.manifest_path, str(movie.folder))
        inputs = step_inputs(step, movie)
        params = step_params(step, movie, settings)
        if not force and manifest.stale_reason(step, inputs, params) is None:
            found, known = stored_checks(movie) if step == "align" else ([], {})
            return StepResult(str(movie.folder), step, "up-to-date", _outputs_of(manifest, step),
                              None, time.monotonic() - t0, found, known)
        stamps = manifest.stamps(step, inputs)
        warnings: list[str] = []
        stats: dict[str, Any] = {}
        if step == "align":
            warnings, stats = do_align(movie, settings, progress)
        else:
            {"faces": do_faces, "report": do_report}[step](movie, settings, progress)
        outputs = step_outputs(step, movie)
        manifest.record(step, stamps, params, outputs, time.monotonic() - t0)
        manifest.save()
        return StepResult(str(movie.folder), step, "ok", [str(p) for p in outputs.values()],
                          None, time.monotonic() - t0, warnings, stats)
    except Exception as exc:  # one bad movie costs one movie, whatever broke
        return StepResult(str(movie.folder), step, "failed", [], describe_error(exc),
                          time.monotonic() - t0)


def run_movie_steps(movie: Movie, steps: tuple[str, ...], settings: StepSettings,
                    force: bool = False) -> list[StepResult]:
    """The per-movie steps of one movie, in order (what a worker process runs).

    align and faces do not depend on each other, so a failed align still lets faces run
    (and be cached for the next run).
    """
    return [run_step(movie, s, settings, force=force) for s in steps]


def run_learn(movies: list[Movie], settings: StepSettings, *, force: bool = False,
              progress: Progress | None = None) -> list[StepResult]:
    """Learn jointly over ``movies``: one problem, one labels.json per movie."""
    t0 = time.monotonic()
    if not movies:
        return []
    try:
        manifests = [Manifest.load(m.manifest_path, str(m.folder)) for m in movies]
        inputs = step_inputs("learn", movies[0], movies)
        params = step_params("learn", movies[0], settings, movies)
        if not force and all(man.stale_reason("learn", inputs, params) is None
                             for man in manifests):
            return [StepResult(str(m.folder), "learn", "up-to-date", _outputs_of(man, "learn"),
                               None, time.monotonic() - t0)
                    for m, man in zip(movies, manifests, strict=True)]
        stamps = manifests[0].stamps("learn", inputs)
        do_learn(movies, settings, progress)
        seconds = time.monotonic() - t0
        results = []
        for movie, man in zip(movies, manifests, strict=True):
            outputs = step_outputs("learn", movie)
            man.record("learn", stamps, params, outputs, seconds)
            man.save()
            results.append(StepResult(str(movie.folder), "learn", "ok",
                                      [str(p) for p in outputs.values()], None, seconds))
        return results
    except Exception as exc:  # the joint problem failed: every movie in it failed
        error = describe_error(exc)
        return [StepResult(str(m.folder), "learn", "failed", [], error, time.monotonic() - t0)
                for m in movies]


def remove_partial_outputs(movie: Movie) -> None:
    """Temporary files a killed run left in the output folder (only call under the lock)."""
    if not movie.out.is_dir():
        return
    for p in movie.out.iterdir():
        # atomic.py names its temporaries ".<target>.<random><suffix>"
        if p.name.startswith(".") and p.is_file():
            with contextlib.suppress(OSError):
                p.unlink()


def check_writable(movie: Movie) -> None:
    """InputError when the output folder cannot be created or written (read-only input)."""
    try:
        movie.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror}); "
                         "write outputs elsewhere with --out DIR", movie.out) from exc
    if not os.access(movie.out, os.W_OK):
        raise InputError("the output folder is not writable; write outputs elsewhere with "
                         "--out DIR", movie.out)
