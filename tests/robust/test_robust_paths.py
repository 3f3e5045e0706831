"""Awkward places for a movie folder, through the command line.

- spaces and non-ASCII letters in every name (folder, files, --out, --to), the folder
  reached through a symlink: ``scriptalign run`` writes through the link, and the real path
  is the same movie (every step up to date); every export works;
- a file name that is not UTF-8 (an old Latin-1 archive: ``caf\\xe9``), which Python hands
  over as a string with lone surrogates;
- a read-only input folder: tests run as root here, which ignores file permissions, so the
  folder is made read-only for real with a read-only bind mount in a private mount
  namespace (``unshare -m``); where that is not possible (no CAP_SYS_ADMIN) the test falls
  back to ``chmod -R a-w``, which root ignores, and only the "nothing in the input folder
  changed" check is meaningful. Either way the input folder's files (names, sizes, times,
  SHA-256) must be exactly as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from robust_movie import FAST, REPO, copy_movie, make_movie, outputs_parse, scriptalign

from scriptalign.runs.manifest import Manifest
from scriptalign.runs.movie import find_movie
from scriptalign.runs.steps import StepSettings, step_params

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow

EXPORTS = ("vtt", "srt", "csv", "rttm", "hollywood2")


def run(*args: str | bytes, timeout: float = 300) -> tuple[int, list[dict[str, Any]], str]:
    proc = scriptalign(*(os.fsdecode(a) for a in args))
    out, err = proc.communicate(timeout=timeout)
    records = [json.loads(line) for line in out.splitlines()] if "--json" in args else []
    return proc.returncode, records, err


def snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Every file and folder under ``folder``: size, mtime and content hash."""
    found = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        found[str(p.relative_to(folder))] = (st.st_size, st.st_mtime_ns, digest)
    return found


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_movie(tmp_path_factory.mktemp("src") / "launch_day", seconds=10)


def renamed_copy(source: Path, folder: Path, stem: str) -> Path:
    """The movie's files under another stem: ``STEM.script.txt``, ``STEM.fr.srt``, ..."""
    folder.mkdir(parents=True)
    for suffix in (".script.txt", ".en.srt", ".webm"):
        shutil.copyfile(source / f"launch_day{suffix}", folder / f"{stem}{suffix}")
    return folder


def test_spaces_non_ascii_and_a_symlinked_folder(source: Path, tmp_path: Path) -> None:
    real = renamed_copy(source, tmp_path / "stockage été" / "tt0001 — Amélie (2001)",
                        "Le Fabuleux Destin d’Amélie Poulain")
    link = tmp_path / "films à voir" / "Amélie, la copie"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    code, records, err = run("run", str(link), "--json", *FAST)
    assert code == 0, err
    assert [(r["command"], r["status"]) for r in records] == [
        (s, "ok") for s in ("align", "faces", "learn", "report")], records
    assert all(r["movie"] == str(link) for r in records)
    movie = find_movie(link)
    assert (real / "scriptalign" / "report.html").exists()  # written through the link
    outputs_parse(movie)
    page = movie.report_path.read_text(encoding="utf-8")
    assert '"video":"../Le%20Fabuleux%20Destin%20d%E2%80%99Am%C3%A9lie%20Poulain.webm"' in page
    # The real path is the same movie: its own steps are up to date. (learn and report run
    # again: the joint learning problem is keyed by folder names, and the name differs.)
    code, again, err = run("run", str(real), "--json", *FAST)
    assert code == 0, err
    assert [(r["command"], r["status"]) for r in again][:2] == [
        ("align", "up-to-date"), ("faces", "up-to-date")], again
    to = tmp_path / "exports d’été"
    for fmt in EXPORTS:
        code, records, err = run("export", str(link), "--to", str(to), "--format", fmt, "--json")
        assert code == 0, (fmt, err)
        assert [r["status"] for r in records] == ["ok"], (fmt, records)
    names = {p.name for p in to.iterdir()}
    assert names >= {"Amélie_la_copie.csv", "Amélie_la_copie.rttm", "Amélie_la_copie.srt",
                     "Amélie_la_copie.vtt", "clips.csv"}, names


NOT_UTF8 = b"caf\xe9"
# OpenCV's Python binding crashes (SIGSEGV) on a str path holding lone surrogates.
@pytest.fixture(scope="module")
def latin1_movie(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("latin1")
    folder = os.path.join(os.fsencode(root), NOT_UTF8 + b" movie")
    os.mkdir(folder)
    for suffix in (".script.txt", ".en.srt", ".webm"):
        shutil.copyfile(source / f"launch_day{suffix}",
                        os.path.join(folder, NOT_UTF8 + suffix.encode()))
    return Path(os.fsdecode(folder))


def test_a_folder_named_in_latin1_aligns_reports_and_exports(latin1_movie: Path,
                                                             tmp_path: Path) -> None:
    folder = copy_movie(latin1_movie, Path(os.fsdecode(os.path.join(
        os.fsencode(tmp_path), NOT_UTF8 + b" a"))))
    (folder / f"{os.fsdecode(NOT_UTF8)}.webm").unlink()  # faces: the test below
    code, records, err = run("report", str(folder), "--json")
    assert code == 0 and records[0]["status"] == "ok", (err, records)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}  # stdout refuses surrogates
    proc = subprocess.run([sys.executable, "-m", "scriptalign", "run", str(folder), "--json"],
                          capture_output=True, cwd=REPO, env=env, check=False)
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    # align and the report work; faces fails (no video), one line, no traceback
    assert [(r["command"], r["status"]) for r in records] == [
        ("align", "ok"), ("faces", "failed")], proc.stderr
    assert records[0]["movie"] == str(folder)  # the name comes back exactly from the JSON
    assert b"Traceback" not in proc.stderr
    movie = find_movie(folder)
    outputs_parse(movie)
    manifest = json.loads(movie.manifest_path.read_text(encoding="utf-8"))
    assert manifest["movie"] == str(folder)
    assert Manifest.load(movie.manifest_path).stale_reason(
        "align", {"script": movie.require("script"), "subtitles": movie.require("subtitles")},
        step_params("align", movie, StepSettings())) is None
    to = tmp_path / "out"
    for fmt in ("vtt", "srt", "csv", "hollywood2"):
        code, records, err = run("export", str(folder), "--to", str(to), "--format", fmt,
                                 "--json")
        assert code == 0 and records[0]["status"] == "ok", (fmt, err)


def test_a_video_named_in_latin1_fails_or_works_without_crashing(latin1_movie: Path,
                                                                 tmp_path: Path) -> None:
    video = next(p for p in latin1_movie.iterdir() if p.suffix == ".webm")
    code, _, err = run("faces", str(video), "-o", str(tmp_path / "faces"), "--every", "1.0",
                       "-q")
    # OpenCV crashed the process on such a name (SIGSEGV, exit 139); video.py refuses it now.
    assert code == 1, (code, err)
    assert len(err.splitlines()) == 1 and err.startswith("scriptalign: error: "), err


# -- read-only input -----------------------------------------------------------------------

def read_only_command(folder: Path, view: Path) -> list[str] | None:
    """A command prefix that runs the rest with ``folder`` mounted read-only at ``view``
    (private mount namespace: gone when the process ends), or None when not possible."""
    script = 'mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" && shift 2 && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, "sh", str(folder), str(view)]
    if shutil.which("unshare") is None:
        return None
    view.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run([*prefix, "sh", "-c", f'! touch "{view}/.probe"'],
                           capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


def test_a_read_only_movie_folder_is_left_untouched(source: Path, tmp_path: Path) -> None:
    folder = copy_movie(source, tmp_path / "collection" / "launch day")
    view = tmp_path / "read-only view" / "launch day"
    prefix = read_only_command(folder, view)
    if prefix is None:  # root ignores this: only the snapshot below checks anything
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        prefix, view = [], folder
    before = snapshot(folder)

    def scriptalign_ro(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, sys.executable, "-m", "scriptalign", *args],
                              capture_output=True, text=True, cwd=REPO, check=False,
                              timeout=300)

    out = tmp_path / "résultats"
    if prefix:
        # Without --out the run cannot write: one clear line, exit 1.
        refused = scriptalign_ro("run", str(view), "--json")
        assert refused.returncode == 1, refused.stderr
        assert refused.stderr.splitlines() == [
            f"scriptalign: error: launch day: align: {view / 'scriptalign'}: cannot create the "
            "output folder (Read-only file system); write outputs elsewhere with --out DIR"]
    done = scriptalign_ro("run", str(view), "--out", str(out), "--json", *FAST)
    assert done.returncode == 0, done.stderr
    assert [json.loads(x)["status"] for x in done.stdout.splitlines()] == ["ok"] * 4
    assert snapshot(folder) == before
    assert not (folder / "scriptalign").exists()
    movie = find_movie(view, out=out)
    assert outputs_parse(movie) == ["align.json", "faces", "labels.json", "manifest.json",
                                    "report.html"]
    # The report finds the video from where it is written.
    video = urllib.parse.quote(os.path.relpath(view / "launch_day.webm", movie.out))
    assert f'"video":"{video}"' in movie.report_path.read_text(encoding="utf-8")
