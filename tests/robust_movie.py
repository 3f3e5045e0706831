"""Movie folders and ``scriptalign`` subprocesses for the robustness tests.

The movie is the demo's (examples/make_example.py) cut short and small, so that a whole
``scriptalign run`` (align, faces, learn, report) takes a few seconds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from scriptalign.learning.labels import load_labels
from scriptalign.runs.movie import Movie
from scriptalign.text.alignment import load_alignment
from scriptalign.video.tracks import load_tracks

REPO = Path(__file__).resolve().parents[1]
# `scriptalign run --every 1.0`: sparse detection, enough for the demo's slow shots.
FAST = ("--every", "1.0")


def make_example() -> Any:
    """examples/make_example.py as a module."""
    spec = importlib.util.spec_from_file_location("make_example",
                                                  REPO / "examples" / "make_example.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_example"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def make_movie(folder: Path, seconds: float = 14.0) -> Path:
    """A movie folder: the demo's screenplay and subtitles, ``seconds`` of its video (both
    people appear from 13 s on) at 5 fps and half size."""
    make_example().make(folder, fps=5, seconds=seconds, scale=0.5)
    return folder


def copy_movie(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


def scriptalign(*args: str, cwd: Path | None = None, **popen: Any) -> subprocess.Popen[str]:
    """``python -m scriptalign ARGS`` in a child process, output captured as text."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "scriptalign", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="backslashreplace",  # OpenCV may print a file's bytes
                            cwd=cwd or REPO, env=env, **popen)


def outputs_parse(movie: Movie) -> list[str]:
    """Load every output the movie has; return the names of those that exist."""
    found = []
    if movie.align_path.exists():
        load_alignment(movie.align_path)
        found.append("align.json")
    if (movie.faces_dir / "tracks.json").exists():
        load_tracks(movie.faces_dir)
        found.append("faces")
    if movie.labels_path.exists():
        load_labels(movie.labels_path)
        found.append("labels.json")
    if movie.manifest_path.exists():
        json.loads(movie.manifest_path.read_text(encoding="utf-8"))
        found.append("manifest.json")
    if movie.report_path.exists():
        page = movie.report_path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        found.append("report.html")
    return found


def results(movie: Movie) -> dict[str, Any]:
    """What a run computed for a movie, to compare two runs (not the times it took)."""
    tracks = load_tracks(movie.faces_dir)
    return {
        "elements": [(e.kind, e.start, e.end, e.status, e.cues)
                     for e in load_alignment(movie.align_path).elements],
        "tracks": [(t.id, t.start, t.end, len(t.detections)) for t in tracks.tracks],
        "labels": [(t.id, t.name, t.score) for t in load_labels(movie.labels_path).tracks],
    }
