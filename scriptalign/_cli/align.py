"""``scriptalign align``: a screenplay or transcript aligned to subtitles.

The result goes to ``-o FILE`` (written atomically) or to stdout; progress goes to stderr
and only when stderr is a terminal. This module imports no heavy library: ``align`` must
start fast (checked with ``python -X importtime``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scriptalign._cli import app
from scriptalign._cli.options import JsonOpt, LangOpt, OutOpt, refuse_folder_options
from scriptalign._cli.progress import progress_bar
from scriptalign.core.errors import ScriptalignError, UsageError
from scriptalign.text.alignment import Alignment

FORMATS = ("json", "srt", "vtt", "csv")


def render(alignment: Alignment, fmt: str, speakers: str = "change") -> str:
    """The text of ``alignment`` in output format ``fmt`` (JSON as ``save_alignment``);
    ``speakers``: where SRT/VTT name the speaker (prefix | change | none)."""
    if fmt == "json":
        from scriptalign.text.alignment import alignment_json

        return alignment_json(alignment)
    if fmt == "csv":
        from scriptalign.text.table import format_csv

        return format_csv(alignment)
    from scriptalign.text.formats import format_srt, format_vtt
    from scriptalign.text.formats.srt import label_speakers

    cues = label_speakers(alignment.cues, speakers)
    return format_srt(cues) if fmt == "srt" else format_vtt(cues)


def choose_format(fmt: str | None, output: Path | None) -> str:
    """``--format``, else the extension of ``-o``, else JSON; UsageError for an unknown
    format or one that contradicts the extension of ``-o``."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    by_name = suffix if suffix in FORMATS else None
    if fmt is None:
        return by_name or "json"
    name = fmt.lower()
    if name not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if by_name is not None and by_name != name:
        raise UsageError(f"--format {name} contradicts -o {output} (a .{by_name} file): drop "
                         "--format, the extension picks the format")
    return name


_SUBTITLE_SUFFIXES = (".srt", ".vtt", ".webvtt", ".ass", ".ssa", ".sub")
_SCRIPT_SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".fountain", ".spmd", ".fdx")


def check_order(script: Path, subtitles: Path) -> None:
    """UsageError when SCRIPT and SUBTITLES look swapped (by their extensions)."""
    if (script.suffix.lower() in _SUBTITLE_SUFFIXES
            and subtitles.suffix.lower() not in _SUBTITLE_SUFFIXES):
        raise UsageError(f"{script} looks like subtitles and {subtitles} like a script: did "
                         "you swap them? The order is SCRIPT SUBTITLES")


def status_record(script: Path, subtitles: Path, status: str, outputs: list[str],
                  error: str | None, alignment: Alignment | None) -> str:
    """The ``--json`` line of a file-mode run (the movie-folder records' fields, with the
    script and subtitles instead of the movie)."""
    from scriptalign.core.jsonfile import json_text

    record: dict[str, object] = {
        "script": str(script), "subtitles": str(subtitles), "command": "align",
        "status": status, "outputs": outputs, "error": error,
        "warnings": [w["message"] for w in alignment.warnings] if alignment else [],
        "stats": alignment.stats if alignment else {}}
    return json_text(record)


@app.command("align")
def align_command(
    inputs: Annotated[list[str], typer.Argument(
        metavar="SCRIPT SUBTITLES | MOVIE...",
        help="A screenplay (plain text, IMSDb .html or .pdf), Fountain (.fountain) or "
             "transcript (`Name: text` lines, Kaggle quoted rows) and its subtitles (.srt, "
             ".vtt, .ass/.ssa or MicroDVD .sub); or movie folders (- reads folder paths from "
             "stdin), each aligned into MOVIE/scriptalign/align.json.",
        show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write here (atomically) instead of stdout.",
        show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="json (default) | srt | vtt (subtitles with speakers) | "
                               "csv (table of elements). Default: from -o's extension.",
        show_default=False)] = None,
    lexicon: Annotated[Path | None, typer.Option(
        "--lexicon", help="Action lexicon JSON (default: the shipped one; format in "
                          "scriptalign/text/lexicon.py).", show_default=False)] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Force the input encoding (e.g. utf-8, cp1252); default: "
                           "detected.", show_default=False)] = None,
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Also draw the alignment path into this image (.png, .svg or .pdf): "
                       "script line against film time, one dot per speech coloured by how "
                       "it was timed.", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    as_json: JsonOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Movie folders: redo up-to-date "
                                                        "alignments.")] = False,
    out: OutOpt = None,
    lang: LangOpt = None,
    alias: Annotated[Path | None, typer.Option(
        "--alias", help='Your own name merges, a JSON or YAML file: {"DET. BURKE": "BURKE"}.',
        show_default=False)] = None,
    min_aligned: Annotated[float | None, typer.Option(
        "--min-aligned", metavar="FRACTION",
        help="Fail (exit 1, nothing written) when fewer speeches align. Default: fail only "
             "on a wrong pair (subtitles of another film); 0 accepts anything.",
        show_default=False)] = None,
    speakers: Annotated[str, typer.Option(
        "--speakers", metavar="prefix|change|none",
        help="SRT/VTT output: name the speaker on every line, at each change of speaker, "
             "or never.")] = "change",
    fps: Annotated[float | None, typer.Option(
        "--fps", help="Frame rate of MicroDVD (.sub) subtitles, which count frames.",
        show_default=False)] = None,
) -> None:
    """Align SCRIPT to SUBTITLES: when each script element is said, who says each line."""
    from scriptalign.core.atomic import write_text
    from scriptalign.runs.movie import looks_like_movie_args
    from scriptalign.text.aligner import align_files
    from scriptalign.text.formats.srt import SPEAKER_MODES
    from scriptalign.text.options import AlignOptions

    options = AlignOptions(lexicon_path=lexicon, encoding=encoding, alias_path=alias,
                           min_aligned=min_aligned, fps=fps)
    options.check()
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--plot {plot}: give a .png, .svg or .pdf file name")
    if speakers not in SPEAKER_MODES:
        raise UsageError(f"--speakers {speakers!r} is not one of {', '.join(SPEAKER_MODES)}")
    if looks_like_movie_args(inputs):
        from scriptalign._cli.pipeline import run_step_on_movies
        from scriptalign.runs.steps import StepSettings

        if output is not None or fmt is not None or plot is not None:
            raise UsageError("-o/--format/--plot are for SCRIPT SUBTITLES; movie folders "
                             "write MOVIE/scriptalign/align.json (see `scriptalign export`; "
                             "`scriptalign report` draws the path)")
        run_step_on_movies("align", inputs, StepSettings(align=options),
                           force=force, as_json=as_json, quiet=quiet, out=out, lang=lang)
        return
    if len(inputs) != 2:
        raise UsageError(f"expected SCRIPT SUBTITLES or movie folders, got {len(inputs)} "
                         f"argument(s) that are not all folders: {' '.join(inputs)}")
    refuse_folder_options("SCRIPT SUBTITLES", "-o FILE says where to write",
                          {"--out": out, "--lang": lang, "--force": force})
    script, subtitles = Path(inputs[0]), Path(inputs[1])
    check_order(script, subtitles)
    name = choose_format(fmt, output)
    if output is not None and output.is_dir():
        raise UsageError(f"-o {output} is a directory; give a file name")
    try:
        with progress_bar("aligning", quiet) as progress:
            alignment = align_files(script, subtitles, options, progress=progress)
    except ScriptalignError as exc:
        if as_json and output is not None:
            print(status_record(script, subtitles, "failed", [], str(exc), None), flush=True)
        raise
    # Warnings always reach the user, whatever --quiet says and wherever stderr goes.
    for warning in alignment.warnings:
        print(f"scriptalign: warning: {warning['message']}", file=sys.stderr)
    text = render(alignment, name, speakers)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text(output, text)
        if as_json:
            print(status_record(script, subtitles, "ok", [str(output)], None, alignment),
                  flush=True)
    if plot is not None:
        from scriptalign.text.path_plot import plot_path

        plot_path(alignment, plot)
    if not quiet and sys.stderr.isatty():
        s = alignment.stats
        print(f"aligned {s.get('aligned', 0)}/{s.get('dialogue', 0)} speeches "
              f"(median score {s.get('median_score', 0)}) in {s.get('seconds', 0)} s",
              file=sys.stderr)
