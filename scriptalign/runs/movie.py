"""Movie folders: one film's video, subtitles and script in a folder, outputs beside them.

A movie folder holds (top level only; hidden files are ignored)::

    films/casablanca/
        casablanca.mp4          one video      (.mp4 .mkv .webm .avi .mov .m4v .mpg .mpeg .wmv .ts)
        casablanca.en.srt       subtitles      (.srt .vtt .ass .ssa .sub; several -> --lang)
        casablanca.script.txt   the script     (rule below)
        scriptalign.toml        optional settings: ``series = "casablanca-tv"`` makes the
                                folders of one series share a cast when learning names
        scriptalign/            every output: align.json, faces/, labels.json, report.html,
                                manifest.json (deleting this folder resets the movie)

The script is, in order: a file named ``*.script.txt``, ``*.fountain``, ``*.transcript.txt``,
``script.txt``, ``transcript.txt`` or ``screenplay.txt``, or a ``script.pdf`` /
``*.script.pdf`` / ``script.html`` (the shared films use ``script.txt``, the TV episodes
``transcript.txt``); failing that, the folder's only ``.txt`` file, else its only PDF, else its
only web page. A ``.sub`` beside an ``.idx`` is a VobSub picture file and is not picked.
Several subtitle files: ``--lang en`` keeps those whose name has ``en`` as a
dot/underscore/dash separated word (``movie.en.srt``, ``subs_en.vtt``); a folder with a
single subtitle file uses it whatever ``--lang`` says. Anything ambiguous fails, listing the
candidates, and ``--video/--subs/--script`` override the search (a relative override is
looked up in the movie folder first, then in the current directory).

With ``--out DIR`` outputs go to ``DIR/<folder name>/`` instead, so read-only collections
work. A problem with one movie (no video, two scripts) is stored in ``Movie.problems`` and
raised by ``Movie.require`` when a step needs that file: one bad folder costs one movie.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from scriptalign.core.errors import InputError, UsageError

VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".avi", ".mov", ".m4v", ".mpg", ".mpeg", ".wmv",
                    ".ts")
SUBTITLE_EXTENSIONS = (".srt", ".vtt", ".ass", ".ssa", ".sub")
SCRIPT_SUFFIXES = (".script.txt", ".fountain", ".transcript.txt", ".script.pdf",
                   ".script.html", ".script.htm")
SCRIPT_NAMES = ("script.txt", "transcript.txt", "screenplay.txt", "script.pdf", "script.html",
                "screenplay.pdf")
# Without a named script, the only file of one of these kinds, in this order.
_SCRIPT_FALLBACKS = ((".txt",), (".pdf",), (".html", ".htm"))
OUTPUT_DIRNAME = "scriptalign"
SETTINGS_NAME = "scriptalign.toml"

FileKind = Literal["video", "subtitles", "script"]
_OPTION = {"video": "--video", "subtitles": "--subs", "script": "--script"}


@dataclass
class Movie:
    """One movie folder with its input files (None when missing or ambiguous) and outputs."""

    folder: Path  # absolute; a symlinked folder keeps the name it was given
    out: Path  # where every output of this movie goes
    video: Path | None = None
    subtitles: Path | None = None
    script: Path | None = None
    problems: dict[str, str] = field(default_factory=dict)  # kind -> why it is None
    series: str | None = None  # from scriptalign.toml: folders of one series share a cast

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def align_path(self) -> Path:
        return self.out / "align.json"

    @property
    def faces_dir(self) -> Path:
        return self.out / "faces"

    @property
    def labels_path(self) -> Path:
        return self.out / "labels.json"

    @property
    def report_path(self) -> Path:
        return self.out / "report.html"

    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    @property
    def lock_path(self) -> Path:
        return self.out / "run.lock"

    def require(self, kind: FileKind) -> Path:
        """The input file of ``kind``; InputError naming the folder when there is none."""
        path: Path | None = getattr(self, kind)
        if path is None:
            raise InputError(self.problems.get(kind, f"no {kind} file"), self.folder)
        return path


def read_movie_args(args: Sequence[str], stdin: TextIO | None = None) -> list[str]:
    """Expand ``-`` into the folder paths read from ``stdin``, one per line.

    Lines keep inner spaces (folder names have them); blank lines are skipped. Input with
    NUL bytes is split on NUL instead, so ``find ... -print0`` works too.
    """
    out: list[str] = []
    consumed = False
    for arg in args:
        if arg != "-":
            out.append(arg)
            continue
        if consumed:
            continue  # stdin can be read once; a second "-" adds nothing
        consumed = True
        text = stdin.read() if stdin is not None else ""
        parts = text.split("\0") if "\0" in text else text.splitlines()
        out.extend(p.rstrip("\r\n") for p in parts if p.strip())
    return out


def looks_like_movie_args(args: Sequence[str]) -> bool:
    """True when every argument is ``-`` or a folder: how ``align``/``faces``/``learn`` tell
    ``align MOVIE...`` from ``align SCRIPT SUBS``."""
    return bool(args) and all(a == "-" or Path(a).is_dir() for a in args)


def _files(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except PermissionError as exc:
        raise InputError("cannot list the folder (permission denied)", folder) from exc
    return [p for p in entries if not p.name.startswith(".") and p.is_file()]


def _listing(paths: Iterable[Path]) -> str:
    return ", ".join(p.name for p in paths)


def _lang_words(name: str) -> set[str]:
    stem = name.rsplit(".", 1)[0].lower()
    return set(re.split(r"[._\- ]+", stem))


def _pick_video(files: list[Path]) -> tuple[Path | None, str | None]:
    found = [p for p in files if p.suffix.lower() in VIDEO_EXTENSIONS]
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, (f"no video file (looked for {' '.join(VIDEO_EXTENSIONS)}; "
                      "pass --video FILE)")
    return None, f"several video files ({_listing(found)}); pick one with --video FILE"


def _pick_subtitles(files: list[Path], lang: str | None) -> tuple[Path | None, str | None]:
    found = [p for p in files if p.suffix.lower() in SUBTITLE_EXTENSIONS
             and not (p.suffix.lower() == ".sub" and p.with_suffix(".idx").exists())]
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, "no subtitle file (.srt .vtt .ass .ssa .sub; pass --subs FILE)"
    if lang is None:
        return None, (f"several subtitle files ({_listing(found)}); pick one with "
                      "--lang LANG or --subs FILE")
    matching = [p for p in found if lang.lower() in _lang_words(p.name)]
    if len(matching) == 1:
        return matching[0], None
    which = _listing(matching or found)
    return None, (f"{'several' if matching else 'no'} subtitle files for --lang {lang} "
                  f"(candidates: {which}); pick one with --subs FILE")


def script_rule() -> str:
    """What a folder's script may be called, from the lists the search uses."""
    fallbacks = ", else ".join(f"a single {' or '.join(kinds)} file" for kinds in
                               _SCRIPT_FALLBACKS)
    return (f"{' '.join('*' + s for s in SCRIPT_SUFFIXES)} {' '.join(SCRIPT_NAMES)}; "
            f"else {fallbacks}")


def _pick_script(files: list[Path]) -> tuple[Path | None, str | None]:
    def named(p: Path) -> bool:
        low = p.name.lower()
        return low in SCRIPT_NAMES or low.endswith(SCRIPT_SUFFIXES)

    found = [p for p in files if named(p)]
    for suffixes in _SCRIPT_FALLBACKS:
        if found:
            break
        found = [p for p in files if p.suffix.lower() in suffixes]
        if len(found) > 1:
            return None, (f"no *.script.txt / *.fountain / *.transcript.txt and several "
                          f"{suffixes[0]} files ({_listing(found)}); pick one with --script "
                          "FILE")
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, f"no script ({script_rule()}; pass --script FILE)"
    return None, f"several scripts ({_listing(found)}); pick one with --script FILE"


def _override(folder: Path, given: str | Path, kind: FileKind) -> tuple[Path | None, str | None]:
    p = Path(given).expanduser()
    tries = [p] if p.is_absolute() else [folder / p, Path.cwd() / p]
    for candidate in tries:
        if candidate.is_file():
            return Path(os.path.abspath(candidate)), None
    return None, f"{_OPTION[kind]} {given}: no such file (tried {', '.join(map(str, tries))})"


def find_movie(folder: str | Path, *, out: str | Path | None = None, lang: str | None = None,
               video: str | Path | None = None, subs: str | Path | None = None,
               script: str | Path | None = None) -> Movie:
    """Look into one movie folder; missing or ambiguous files end up in ``problems``."""
    # abspath, not resolve(): a symlinked movie folder keeps its own name and outputs
    # are written through the link, where the user looks for them.
    folder = Path(os.path.abspath(Path(folder).expanduser()))
    if not folder.is_dir():
        raise UsageError("is not a folder (a movie folder holds a video, subtitles and a "
                         "script)", folder)
    out_dir = folder / OUTPUT_DIRNAME if out is None else Path(os.path.abspath(out)) / folder.name
    files = _files(folder)
    movie = Movie(folder, out_dir)
    picks: list[tuple[FileKind, tuple[Path | None, str | None]]] = [
        ("video", _override(folder, video, "video") if video else _pick_video(files)),
        ("subtitles", _override(folder, subs, "subtitles") if subs
         else _pick_subtitles(files, lang)),
        ("script", _override(folder, script, "script") if script else _pick_script(files)),
    ]
    for kind, (path, problem) in picks:
        setattr(movie, kind, path)
        if problem:
            movie.problems[kind] = problem
    try:
        movie.series = read_series(folder)
    except InputError as exc:
        movie.problems["series"] = str(exc)
    return movie


def read_series(folder: Path) -> str | None:
    """The ``series`` key of the folder's scriptalign.toml (None without one)."""
    import tomllib

    path = folder / SETTINGS_NAME
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise InputError(f"is not a valid settings file ({exc}); fix or delete it", path) \
            from exc
    value = doc.get("series")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError('series must be a non-empty string (series = "NAME")', path)
    return value.strip()


def resolve_movies(args: Sequence[str], stdin: TextIO | None = None, *,
                   out: str | Path | None = None, lang: str | None = None,
                   video: str | Path | None = None, subs: str | Path | None = None,
                   script: str | Path | None = None) -> list[Movie]:
    """Movie folders from command-line arguments (``-`` = read paths from ``stdin``).

    UsageError (exit 2) for no folders, a path that is not a folder, or two folders with
    the same name under ``--out``. The same folder given twice (e.g. through a symlink) is
    kept once.
    """
    paths = read_movie_args(args, stdin)
    if not paths:
        raise UsageError("no movie folders given (pass folders, or - to read them from stdin)")
    if len(paths) > 1 and any(Path(o).is_absolute() for o in (video, subs, script) if o):
        raise UsageError("an absolute --video/--subs/--script would be shared by several "
                         "movies; give one movie, or a path relative to each movie folder")
    movies: list[Movie] = []
    seen: set[str] = set()
    names: dict[str, Path] = {}
    for p in paths:
        movie = find_movie(p, out=out, lang=lang, video=video, subs=subs, script=script)
        real = os.path.realpath(movie.folder)
        if real in seen:
            continue
        seen.add(real)
        if out is not None and movie.name in names:
            raise UsageError(f"two movie folders are named {movie.name!r} ({names[movie.name]} "
                             f"and {movie.folder}); with --out each name must be unique")
        names[movie.name] = movie.folder
        movies.append(movie)
    return movies
