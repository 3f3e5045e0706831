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
from scriptalign._cli.options import JsonOpt, LangOpt, OutOpt
from scriptalign._cli.progress import progress_bar
from scriptalign.core.errors import UsageError
from scriptalign.text.alignment import Alignment

FORMATS = ("json", "srt", "vtt", "csv")


def render(alignment: Alignment, fmt: str) -> str:
    """The text of ``alignment`` in output format ``fmt`` (JSON as ``save_alignment``)."""
    if fmt == "json":
        import json

        from scriptalign.text.alignment import alignment_to_dict

        return json.dumps(alignment_to_dict(alignment), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        from scriptalign.text.table import format_csv

        return format_csv(alignment)
    from scriptalign.text.formats import format_srt, format_vtt

    return format_srt(alignment.cues) if fmt == "srt" else format_vtt(alignment.cues)


def choose_format(fmt: str | None, output: Path | None) -> str:
    """``--format``, else the extension of ``-o``, else JSON; UsageError for anything else."""
    if fmt is None:
        suffix = output.suffix.lower().lstrip(".") if output is not None else ""
        return suffix if suffix in FORMATS else "json"
    name = fmt.lower()
    if name not in FORMATS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    return name


@app.command("align")
def align_command(
    inputs: Annotated[list[str], typer.Argument(
        metavar="SCRIPT SUBTITLES | MOVIE...",
        help="A screenplay (indented .txt), Fountain (.fountain) or transcript (`Name: text` "
             "lines) and its subtitles (.srt or .vtt); or movie folders (- reads folder "
             "paths from stdin), each aligned into MOVIE/scriptalign/align.json.",
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
) -> None:
    """Align SCRIPT to SUBTITLES: when each script element is said, who says each line."""
    from scriptalign.core.atomic import write_text
    from scriptalign.runs.movie import looks_like_movie_args
    from scriptalign.text.aligner import align_files
    from scriptalign.text.options import AlignOptions

    options = AlignOptions(lexicon_path=lexicon, encoding=encoding)
    options.check()
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--plot {plot}: give a .png, .svg or .pdf file name")
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
    script, subtitles = Path(inputs[0]), Path(inputs[1])
    name = choose_format(fmt, output)
    if output is not None and output.is_dir():
        raise UsageError(f"-o {output} is a directory; give a file name")
    with progress_bar("aligning", quiet) as progress:
        alignment = align_files(script, subtitles, options, progress=progress)
    text = render(alignment, name)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_text(output, text)
    if plot is not None:
        from scriptalign.text.path_plot import plot_path

        plot_path(alignment, plot)
    if not quiet and sys.stderr.isatty():
        s = alignment.stats
        print(f"aligned {s.get('aligned', 0)}/{s.get('dialogue', 0)} speeches "
              f"(median score {s.get('median_score', 0)}) in {s.get('seconds', 0)} s",
              file=sys.stderr)
