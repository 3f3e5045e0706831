"""``scriptalign learn`` and ``scriptalign evaluate``.

``learn ALIGN_JSON TRACKS_DIR [ALIGN_JSON TRACKS_DIR ...]``: one pair per movie; several
pairs are one joint problem, with one labels.json written into each TRACKS_DIR (or to
``-o`` for a single movie). Warnings (dropped bags, a degenerate solution) go to stderr,
one line each. numpy, scipy and cvxpy are imported inside the commands, not here.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from scriptalign._cli import app
from scriptalign._cli.options import JsonOpt, LangOpt, OutOpt
from scriptalign._cli.progress import progress_bar
from scriptalign.core.errors import InputError, UsageError
from scriptalign.learning.options import BACKGROUND, EVIDENCE, KAPPA, ROUNDING, SPEAKING


def _pairs(paths: list[Path]) -> list[tuple[Path, Path]]:
    if not paths or len(paths) % 2:
        raise UsageError("give ALIGN_JSON TRACKS_DIR pairs (one pair per movie); got "
                         f"{len(paths)} path(s)")
    return [(paths[i], paths[i + 1]) for i in range(0, len(paths), 2)]


@app.command("learn")
def learn_command(
    paths: Annotated[list[Path], typer.Argument(
        metavar="ALIGN_JSON TRACKS_DIR | MOVIE...",
        help="One pair per movie (align.json from `scriptalign align`, the folder from "
             "`scriptalign faces`). Or movie folders (- reads folder paths from stdin), each "
             "labels.json into MOVIE/scriptalign/. Each film has its own cast unless "
             "--cast-scope series, or its folder declares a series (scriptalign.toml: "
             'series = "NAME").', show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="labels.json to write (a single movie only; default: "
                               "TRACKS_DIR/labels.json).", show_default=False)] = None,
    solver: Annotated[str, typer.Option(
        "--solver", help="auto (cvxpy for small problems, else fw) | cvxpy | fw.")] = "auto",
    joint: Annotated[str, typer.Option(
        "--joint", help="Person-action bags: alternate (names, then actions) | mccormick "
                        "(both at once; cvxpy).")] = "alternate",
    alpha: Annotated[float | None, typer.Option(
        help="Tracks of a bag that must carry its name (default 1).",
        show_default=False)] = None,
    kappa: Annotated[float | None, typer.Option(
        help=f"Penalty on unsatisfied bags, per track (default {KAPPA:g}).",
        show_default=False)] = None,
    background: Annotated[float | None, typer.Option(
        help="Cost of giving a track a name rather than null (nobody of the cast); larger "
             f"leaves more faces unnamed (default {BACKGROUND:g}).", show_default=False)] = None,
    evidence: Annotated[float | None, typer.Option(
        help="Share of that cost a track does not pay for a name its bags give it (1: the "
             "face moving its mouth most in a line gets the line's name free; 0: every "
             f"track pays the same) (default {EVIDENCE:g}).", show_default=False)] = None,
    speaking: Annotated[float | None, typer.Option(
        help="Weight, in a dialogue bag, of a face whose mouth does not move during the line "
             f"(tracks with a mouth/lip series; 1 ignores mouths) (default {SPEAKING:g}).",
        show_default=False)] = None,
    cast_scope: Annotated[str, typer.Option(
        "--cast-scope", help="film: names belong to their film (films declaring one series "
                             "share them) | series: all the movies given share one cast.")
                          ] = "film",
    rounding: Annotated[str | None, typer.Option(
        "--rounding", help="argmax: each track its most likely label | constrained: the "
                           f"nearest labelling where every bag holds (default {ROUNDING}).",
        show_default=False)] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Worker processes for the films' separate name problems (0: one "
                             "per CPU when the films hold 20,000 tracks or more).")] = 0,
    lam: Annotated[float | None, typer.Option(
        "--lambda", help="Classifier regularisation (default 1e-4).", show_default=False)
                   ] = None,
    margin: Annotated[float | None, typer.Option(
        help="Seconds added to both ends of a bag (default 0).", show_default=False)] = None,
    max_iter: Annotated[int | None, typer.Option(
        "--max-iter", help="Frank-Wolfe iterations (passes over the movies) (default 500).",
        show_default=False)] = None,
    tol: Annotated[float | None, typer.Option(
        help="Frank-Wolfe: relative duality gap to stop at (default 1e-2).",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    as_json: JsonOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Movie folders: redo up-to-date "
                                                        "labels.")] = False,
    out: OutOpt = None,
    lang: LangOpt = None,
) -> None:
    """Name the face tracks (and their actions) from the script's bags."""
    from scriptalign.learning.labels import save_labels
    from scriptalign.learning.learner import learn, summary
    from scriptalign.learning.options import LearnOptions
    from scriptalign.runs.movie import looks_like_movie_args
    from scriptalign.text.alignment import load_alignment
    from scriptalign.video.tracks import load_tracks

    given = {"alpha": alpha, "kappa": kappa, "lam": lam, "margin": margin,
             "max_iter": max_iter, "tol": tol, "background": background,
             "evidence": evidence, "speaking": speaking, "rounding": rounding}
    options = LearnOptions(solver=solver, joint=joint, cast_scope=cast_scope, jobs=jobs,
                           **{k: v for k, v in given.items() if v is not None})  # type: ignore[arg-type]
    options.check()
    if looks_like_movie_args([str(p) for p in paths]):
        from scriptalign._cli.pipeline import run_step_on_movies
        from scriptalign.runs.steps import StepSettings

        if output is not None:
            raise UsageError("-o is for ALIGN_JSON TRACKS_DIR; movie folders write "
                             "MOVIE/scriptalign/labels.json")
        run_step_on_movies("learn", [str(p) for p in paths], StepSettings(learn=options),
                           force=force, as_json=as_json, quiet=quiet, out=out, lang=lang)
        return
    pairs = _pairs(paths)
    if output is not None and len(pairs) > 1:
        raise UsageError("-o works for a single movie; with several, each labels.json goes "
                         "into its TRACKS_DIR")
    if output is not None and output.is_dir():
        raise UsageError(f"-o {output} is a directory; give a file name")
    movies = []
    for align_path, tracks_dir in pairs:
        if not tracks_dir.is_dir():
            raise InputError("is not a faces output folder (run `scriptalign faces`)",
                             tracks_dir)
        movies.append((load_alignment(align_path), load_tracks(tracks_dir)))
    with progress_bar("learning", quiet) as progress:
        labels = learn(movies, options, progress=progress)
    targets = [output] if output is not None else [d / "labels.json" for _, d in pairs]
    for lab, target in zip(labels, targets, strict=True):
        save_labels(lab, target)
    for warning in dict.fromkeys(w for lab in labels for w in lab.warnings):
        print(f"scriptalign: warning: {warning}", file=sys.stderr)
    if not quiet:
        print(summary(labels), file=sys.stderr)


def _truth(path: Path) -> tuple[dict[int, str], list[str] | None]:
    import json

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no such file", path) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"is not valid JSON ({exc})", path) from exc
    ids = doc.get("identities") if isinstance(doc, dict) else None
    if not isinstance(ids, dict):
        raise InputError('is not a truth file (expected {"identities": {track id: name}})',
                         path)
    try:
        truth = {int(k): str(v) for k, v in ids.items()}
    except (TypeError, ValueError) as exc:
        raise InputError(f"has a track id that is not a number ({exc})", path) from exc
    cast = doc.get("cast")
    return truth, [str(c) for c in cast] if isinstance(cast, list) else None


@app.command("evaluate")
def evaluate_command(
    labels_path: Annotated[Path, typer.Argument(
        metavar="LABELS_JSON", help="labels.json from `scriptalign learn`.",
        show_default=False)],
    truth_path: Annotated[Path, typer.Argument(
        metavar="TRUTH_JSON", help='{"identities": {track id: name}, "cast": [...]}; only '
                                   "tracks whose name is in the cast are scored (all when "
                                   "there is no cast).", show_default=False)],
    plot: Annotated[Path | None, typer.Option(
        "--plot", help="Write a PNG of accuracy against the share of tracks labelled.",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")
                       ] = False,
) -> None:
    """Score LABELS_JSON against the true names: accuracy, per-name AP, mAP."""
    import json

    from scriptalign.learning.evaluation import evaluate, plot_curve
    from scriptalign.learning.labels import load_labels

    labels = load_labels(labels_path)
    truth, cast = _truth(truth_path)
    result: dict[str, Any] = evaluate(labels, truth, cast)
    if result["tracks"] == 0:
        raise InputError("no track of the truth has a name of the cast: nothing to score",
                         truth_path)
    if plot is not None:
        plot_curve(result, plot, title=labels_path.name)
    if as_json:
        sys.stdout.write(json.dumps({k: v for k, v in result.items() if k != "curve"},
                                    indent=1) + "\n")
        return
    width = max(len(n) for n in [*result["positives"], "name"])
    lines = [f"{'name':<{width}}  tracks  AP"]
    for name, count in result["positives"].items():
        ap = result["ap"].get(name)
        lines.append(f"{name:<{width}}  {count:>6}  {'-' if ap is None else f'{ap:.3f}'}")
    missing = f", {result['missing']} missing" if result["missing"] else ""
    lines.append(f"\naccuracy {result['accuracy']:.3f} ({result['correct']}/{result['tracks']}"
                 f" tracks{missing})   mAP {result['map']:.3f}"
                 f"   curve AP {result['curve_ap']:.3f}")
    if result["extras"]:
        lines.append(f"extras null {result['extras_null']:.3f} (of {result['extras']} tracks "
                     "of nobody in the cast)")
    if result["named"]:
        lines.append(f"precision of the names given {result['named_precision']:.3f} "
                     f"({result['named']} tracks named)")
    sys.stdout.write("\n".join(lines) + "\n")
