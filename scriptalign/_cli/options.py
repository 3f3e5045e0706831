"""The options shared by the commands that take movie folders: one table, one wording."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MoviesArg = Annotated[list[str] | None, typer.Argument(
    help="Movie folders (video + subtitles + script); - reads folder paths from stdin.",
    show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON line per movie and step.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or logs on stderr.")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Write outputs to OUT/<movie name>/ instead of MOVIE/scriptalign/.")]
LangOpt = Annotated[str | None, typer.Option(
    "--lang", help="Pick the subtitle file whose name has this language (movie.en.srt).")]
VideoOpt = Annotated[str | None, typer.Option(
    "--video", help="The video file (looked up in the movie folder first).")]
SubsOpt = Annotated[str | None, typer.Option(
    "--subs", help="The subtitle file (looked up in the movie folder first).")]
ScriptOpt = Annotated[str | None, typer.Option(
    "--script", help="The script file (looked up in the movie folder first).")]


def refuse_folder_options(files: str, output_hint: str, given: dict[str, object]) -> None:
    """Folder-only options given with files: a usage error, not silently ignored (a user who
    types ``--out result.json`` would otherwise find the result on stdout)."""
    from scriptalign.core.errors import UsageError

    names = [name for name, value in given.items() if value is not None and value is not False]
    if names:
        verb = "is" if len(names) == 1 else "are"
        raise UsageError(f"{'/'.join(names)} {verb} for movie folders, not for {files}; "
                         f"there, {output_hint}")
