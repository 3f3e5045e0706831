"""``scriptalign run``, ``report`` and ``export``: commands over movie folders.

stdout carries data only (``--json`` records, or the paths written); progress bars, logs
and errors go to stderr. Exit codes: 0 all ok, 1 some movie failed, 2 usage, 130 Ctrl-C.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from scriptalign._cli import app
from scriptalign._cli.options import (
    JsonOpt,
    LangOpt,
    MoviesArg,
    OutOpt,
    QuietOpt,
    ScriptOpt,
    SubsOpt,
    VideoOpt,
)
from scriptalign.core.jsonfile import json_text
from scriptalign.runs.movie import Movie, resolve_movies
from scriptalign.runs.runner import RunOptions
from scriptalign.runs.steps import StepResult, StepSettings


class Output:
    """Where records go: JSON lines or paths on stdout; status lines and bars on stderr."""

    def __init__(self, as_json: bool, quiet: bool, show: Callable[[StepResult], list[str]]):
        from rich.console import Console

        self.as_json = as_json
        # Logs are for a person watching: none in a pipeline or a cron job (errors still are).
        self.quiet = quiet or not sys.stderr.isatty()
        self.show = show  # which paths of an ok record go to stdout without --json
        self.console = Console(stderr=True, highlight=False)
        self.bars = not self.quiet
        self.progress: Any = None
        self.overall: Any = None
        self.current: Any = None

    def log(self, message: str) -> None:
        if not self.quiet:
            self.console.print(message, markup=False)

    def result(self, r: StepResult) -> None:
        if self.as_json:
            # json_text: a folder name that is not UTF-8 must not crash a strict stdout
            print(json_text(r.to_dict()), flush=True)
        elif r.status != "failed":
            for path in self.show(r):
                print(path, flush=True)
        name = Path(r.movie).name
        for warning in r.warnings:
            # Like failures, the sanity checks' warnings always reach the user.
            print(f"scriptalign: warning: {name}: {warning}", file=sys.stderr, flush=True)
        if r.failed:
            # Failures are always told, even with -q: one line, no traceback.
            print(f"scriptalign: error: {name}: {r.command}: {r.error}", file=sys.stderr,
                  flush=True)
        elif not self.quiet:
            mark = {"ok": "✓", "skipped": "-"}.get(r.status, "=")
            why = f": {r.error}" if r.status == "skipped" and r.error else ""
            self.console.print(f"{mark} {name}  {r.command}  {r.status}{why}  "
                               f"({r.seconds:.1f} s)", markup=False)
        if self.overall is not None:
            self.progress.advance(self.overall)

    def step(self, movie: str, step: str, done: int, total: int) -> None:
        if self.current is not None:
            self.progress.update(self.current, description=f"{movie}: {step}",
                                 completed=done, total=total or None)

    @contextmanager
    def bars_for(self, total: int) -> Iterator[None]:
        if not self.bars:
            yield
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      console=self.console, transient=True) as progress:
            self.progress = progress
            self.overall = progress.add_task("steps", total=total)
            self.current = progress.add_task("", total=None)
            try:
                yield
            finally:
                self.progress = self.overall = self.current = None


def _exit(code: int) -> None:
    # SystemExit works the same whether click runs standalone (the entry point) or not
    # (tests calling the command object), where typer.Exit's code would be returned.
    if code:
        raise SystemExit(code)


@contextmanager
def _interruptible() -> Iterator[None]:
    # Exit 130 on Ctrl-C even when the command is called outside typer's standalone mode.
    try:
        yield
    except KeyboardInterrupt:
        print("scriptalign: interrupted", file=sys.stderr)
        raise SystemExit(130) from None


def _movies(movies: list[str] | None, out: Path | None, lang: str | None, video: str | None,
            subs: str | None, script: str | None) -> list[Movie]:
    return resolve_movies(movies or [], sys.stdin, out=out, lang=lang, video=video, subs=subs,
                          script=script)


def _reports(r: StepResult) -> list[str]:
    return r.outputs if r.command == "report" else []


def _outputs(r: StepResult) -> list[str]:
    return r.outputs


def run_movie_command(movie_args: list[str] | None, options: RunOptions, *,
                      as_json: bool = False, quiet: bool = False, out: Path | None = None,
                      lang: str | None = None, video: str | None = None,
                      subs: str | None = None, script: str | None = None) -> None:
    """Run ``options.steps`` over movie folders and exit like ``scriptalign run``.

    The single-step commands reach it through ``run_step_on_movies``.

    stdout: ``--json`` records, else the paths written (the report for ``run``).
    """
    from scriptalign.core.errors import UsageError
    from scriptalign.runs.distributed import check_address
    from scriptalign.runs.runner import exit_code, run

    if options.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {options.jobs}")
    if options.lock_wait < 0:
        raise UsageError(f"--wait must be >= 0 seconds, not {options.lock_wait:g}")
    if options.scheduler:
        check_address(options.scheduler)
    found = resolve_movies(movie_args or [], sys.stdin, out=out, lang=lang, video=video,
                           subs=subs, script=script)
    output = Output(as_json, quiet, _reports if "report" in options.steps else _outputs)
    with _interruptible(), output.bars_for(len(found) * len(options.steps)):
        results = run(found, options, on_result=output.result, log=output.log,
                      step_progress=output.step)
    _exit(exit_code(results))


def run_step_on_movies(step: str, movie_args: list[str], settings: StepSettings, *,
                       force: bool, as_json: bool, quiet: bool, out: Path | None,
                       lang: str | None, video: str | None = None) -> None:
    """The movie-folder form of ``align``/``faces``/``learn``: one step, like ``run``."""
    run_movie_command(movie_args, RunOptions(steps=(step,), settings=settings, force=force),
                      as_json=as_json, quiet=quiet, out=out, lang=lang, video=video)


@app.command("run")
def run_command(
    movies: MoviesArg = None,
    as_json: JsonOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j",
                                      help="Movies processed in parallel (local processes).")] = 1,
    force: Annotated[bool, typer.Option("--force", help="Redo steps that are up to date.")] = False,
    fail_fast: Annotated[bool, typer.Option("--fail-fast",
                                            help="Stop at the first failed movie.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", envvar="SCRIPTALIGN_SCHEDULER",
        help="Send align/faces to a Dask cluster (tcp://HOST:PORT).")] = None,
    wait: Annotated[float, typer.Option(
        "--wait", help="Seconds to wait for a movie another run is working on.")] = 0.0,
    quiet: QuietOpt = False,
    out: OutOpt = None,
    lang: LangOpt = None,
    video: VideoOpt = None,
    subs: SubsOpt = None,
    script: ScriptOpt = None,
    detector: Annotated[str | None, typer.Option(
        "--detector", help="faces: centerface (default), hog, or yunet (needs --yunet-model).",
        show_default=False)] = None,
    yunet_model: Annotated[Path | None, typer.Option(
        "--yunet-model", envvar="SCRIPTALIGN_YUNET_MODEL",
        help="faces: the YuNet .onnx file for --detector yunet.")] = None,
    every: Annotated[float | None, typer.Option(
        "--every", help="faces: seconds between detection rounds (default 0.5).",
        show_default=False)] = None,
    actions: Annotated[bool, typer.Option(
        "--actions", help="faces: also compute action descriptors, so learn names actions.")
    ] = False,
    mouth: Annotated[bool, typer.Option(
        "--mouth/--no-mouth", help="faces: measure mouth openings (speaking evidence for "
                                   "learn).")] = True,
    min_aligned: Annotated[float | None, typer.Option(
        "--min-aligned", help="align: fail a movie below this share of speeches aligned "
                              "(default: fail only a wrong subtitle file; 0 accepts any).",
        show_default=False)] = None,
    cast_scope: Annotated[str, typer.Option(
        "--cast-scope", help="learn: film (a cast per film, or per series declared in the "
                             "folder's scriptalign.toml) | series (all movies share one cast).")
    ] = "film",
) -> None:
    """Align, find faces, learn names and write the report, for every movie folder."""
    from scriptalign.learning.options import LearnOptions
    from scriptalign.text.options import AlignOptions
    from scriptalign.video.options import FaceOptions

    given: dict[str, Any] = {"detector": detector, "yunet_model": yunet_model, "every": every,
                             "actions": actions or None, "mouth": mouth}
    faces = FaceOptions(**{k: v for k, v in given.items() if v is not None})
    faces.check()
    align = AlignOptions(min_aligned=min_aligned)
    align.check()
    learn = LearnOptions(cast_scope=cast_scope)
    learn.check()
    settings = StepSettings(align=align, faces=faces, learn=learn)
    options = RunOptions(settings=settings, force=force, fail_fast=fail_fast,
                         jobs=jobs, scheduler=scheduler or None, lock_wait=wait)
    run_movie_command(movies, options, as_json=as_json, quiet=quiet, out=out, lang=lang,
                      video=video, subs=subs, script=script)


@app.command("report")
def report_command(
    movies: MoviesArg = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    out: OutOpt = None,
    lang: LangOpt = None,
    video: VideoOpt = None,
    subs: SubsOpt = None,
    script: ScriptOpt = None,
) -> None:
    """Write MOVIE/scriptalign/report.html from the outputs the movie has so far."""
    run_movie_command(movies, RunOptions(steps=("report",), force=True), as_json=as_json,
                      quiet=quiet, out=out, lang=lang, video=video, subs=subs, script=script)


@app.command("export")
def export_command(
    movies: MoviesArg = None,
    to: Annotated[Path | None, typer.Option(
        "--to", help="Folder to write the exports to (required).", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="vtt | srt | csv | rttm | hollywood2 (required).",
        show_default=False)] = None,
    as_json: JsonOpt = False,
    quiet: QuietOpt = False,
    out: OutOpt = None,
    lang: LangOpt = None,
    video: VideoOpt = None,
    subs: SubsOpt = None,
    script: ScriptOpt = None,
) -> None:
    """Export subtitles with speakers, the element table, RTTM or Hollywood2 clip sets."""
    from scriptalign.core.errors import UsageError
    from scriptalign.runs.export import FORMATS, export_movies
    from scriptalign.runs.runner import exit_code

    if to is None:
        raise UsageError("--to DIR is required (the folder to write the exports to)")
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}"
                         if fmt else f"--format is required: one of {', '.join(FORMATS)}")
    found = _movies(movies, out, lang, video, subs, script)
    shown: set[str] = set()

    def paths(r: StepResult) -> list[str]:
        new = [p for p in r.outputs if p not in shown]  # hollywood2 files are shared
        shown.update(new)
        return new

    output = Output(as_json, quiet, paths)
    with _interruptible():
        results = export_movies(found, fmt, Path(os.path.abspath(to)), on_result=output.result)
    _exit(exit_code(results))
