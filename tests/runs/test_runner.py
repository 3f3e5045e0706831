"""``scriptalign run`` over movie folders: steps, skipping, failures, locks, kills, exit codes.

The movie is the demo's (examples/make_example.py), cut to 19 s at 5 fps and half size,
so that faces takes seconds. One module-level run does all four steps on two copies;
the other tests copy its folders (a moved folder stays up to date) or run cheap steps.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from robust_movie import copy_movie, make_movie

from scriptalign._cli import main
from scriptalign.learning.labels import load_labels
from scriptalign.runs.lock import MovieLock
from scriptalign.runs.manifest import Manifest
from scriptalign.runs.movie import Movie, find_movie, resolve_movies
from scriptalign.runs.runner import RunOptions, exit_code, run
from scriptalign.runs.steps import StepResult, StepSettings
from scriptalign.text.alignment import load_alignment
from scriptalign.video.options import FaceOptions
from scriptalign.video.tracks import load_tracks

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FAST = StepSettings(faces=FaceOptions(every=1.0))  # = `scriptalign run --every 1.0`


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh movie folder: screenplay, subtitles and a 19 s video of both people."""
    return make_movie(tmp_path_factory.mktemp("src") / "launch_day", seconds=19.0)


@pytest.fixture(scope="module")
def finished(mini: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[list[Movie], list[StepResult]]:
    """Two copies of the movie (one with a space in its name) run through all the steps
    with two worker processes."""
    root = tmp_path_factory.mktemp("done")
    folders = [copy_movie(mini, root / "launch_day"), copy_movie(mini, root / "launch day 2")]
    movies = resolve_movies([str(f) for f in folders])
    results = run(movies, RunOptions(settings=FAST, jobs=2))
    return movies, results


def statuses(results: list[StepResult]) -> list[tuple[str, str, str]]:
    return [(Path(r.movie).name, r.command, r.status) for r in results]


def ordered(results: list[StepResult]) -> list[tuple[str, str, str]]:
    return sorted(statuses(results))


def test_a_first_run_does_every_step_and_writes_every_output(
        finished: tuple[list[Movie], list[StepResult]]) -> None:
    movies, results = finished
    assert [r.error for r in results if r.failed] == []
    assert ordered(results) == sorted(
        (m.name, step, "ok") for m in movies for step in ("align", "faces", "learn", "report"))
    # align and faces ran in worker processes, learn and report here
    for m in movies:
        man = Manifest.load(m.manifest_path)
        assert man.steps["faces"]["pid"] != os.getpid()
        assert man.steps["learn"]["pid"] == os.getpid()
        assert load_alignment(m.align_path).stats["aligned"] > 0
        tracks = load_tracks(m.faces_dir)
        assert len(tracks.tracks) >= 3 and (m.faces_dir / "thumbs").is_dir()
        labels = load_labels(m.labels_path)
        assert {t.id for t in labels.tracks} == {t.id for t in tracks.tracks}
        assert m.report_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        assert not m.lock_path.exists()
        assert [p.name for p in m.out.iterdir() if p.name.startswith(".")] == []
    # learn is one joint problem: both movies carry the same inputs
    learn = [Manifest.load(m.manifest_path).steps["learn"] for m in movies]
    assert learn[0]["inputs"] == learn[1]["inputs"]
    assert learn[0]["params"]["movies"] == sorted(m.name for m in movies)
    first = next(r for r in results if r.command == "report")
    assert first.outputs == [str(movies[0].report_path)] or first.outputs == [
        str(movies[1].report_path)]


def test_a_moved_finished_collection_is_up_to_date(
        finished: tuple[list[Movie], list[StepResult]], tmp_path: Path) -> None:
    movies, _ = finished
    copies = [copy_movie(m.folder, tmp_path / m.name) for m in movies]
    t0 = time.monotonic()
    results = run(resolve_movies([str(c) for c in copies]), RunOptions(settings=FAST))
    assert {r.status for r in results} == {"up-to-date"}, [(r.command, r.error) for r in results]
    assert len(results) == 8
    assert time.monotonic() - t0 < 30  # nothing was recomputed (generous: loaded machine)


def test_changed_subtitles_redo_align_learn_report_but_not_faces(
        finished: tuple[list[Movie], list[StepResult]], tmp_path: Path) -> None:
    movies, _ = finished
    folder = copy_movie(movies[0].folder, tmp_path / "launch_day")
    srt = folder / "launch_day.en.srt"
    srt.write_text(srt.read_text(encoding="utf-8") + "\n11\n00:00:33,000 --> 00:00:33,900\n"
                   "The end.\n", encoding="utf-8")
    results = run(resolve_movies([str(folder)]), RunOptions(settings=FAST))
    assert statuses(results) == [("launch_day", "align", "ok"),
                                 ("launch_day", "faces", "up-to-date"),
                                 ("launch_day", "learn", "ok"),
                                 ("launch_day", "report", "ok")]
    assert len(load_alignment(folder / "scriptalign" / "align.json").cues) == 11
    again = run(resolve_movies([str(folder)]), RunOptions(settings=FAST))
    assert {r.status for r in again} == {"up-to-date"}


def test_force_redoes_up_to_date_steps(mini: Path, tmp_path: Path) -> None:
    folder = copy_movie(mini, tmp_path / "m")
    options = RunOptions(steps=("align", "report"))
    assert [r.status for r in run(resolve_movies([str(folder)]), options)] == ["ok", "ok"]
    assert [r.status for r in run(resolve_movies([str(folder)]), options)] == [
        "up-to-date", "up-to-date"]
    options.force = True
    assert [r.status for r in run(resolve_movies([str(folder)]), options)] == ["ok", "ok"]


def test_one_bad_movie_costs_one_movie(finished: tuple[list[Movie], list[StepResult]],
                                       tmp_path: Path) -> None:
    movies, _ = finished
    good = copy_movie(movies[0].folder, tmp_path / "launch_day")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "bad.script.txt").write_text("")  # empty script, no subtitles, no video
    results = run(resolve_movies([str(bad), str(good)]), RunOptions(settings=FAST))
    # the report is redone only if labels.json changed: each film's names are its own
    # problem, so they may come out byte for byte the same (timing included)
    assert statuses(results)[:5] == [("bad", "align", "failed"), ("bad", "faces", "skipped"),
                                     ("launch_day", "align", "up-to-date"),
                                     ("launch_day", "faces", "up-to-date"),
                                     ("launch_day", "learn", "ok")]
    assert statuses(results)[5][:2] == ("launch_day", "report")
    assert "no subtitle file" in str(results[0].error)
    assert results[1].error == "no video"
    assert exit_code(results) == 1
    # learn ran without the bad movie (a different joint set than the first run's)
    assert Manifest.load(good / "scriptalign" / "manifest.json").steps["learn"]["params"][
        "movies"] == ["launch_day"]


def test_fail_fast_stops_at_the_first_failure(mini: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    good = copy_movie(mini, tmp_path / "good")
    results = run(resolve_movies([str(bad), str(good)]),
                  RunOptions(steps=("align", "report"), fail_fast=True))
    assert statuses(results) == [("bad", "align", "failed")]
    assert not (good / "scriptalign" / "align.json").exists()


def test_a_locked_movie_fails_and_the_others_go_on(mini: Path, tmp_path: Path) -> None:
    busy = copy_movie(mini, tmp_path / "busy")
    free = copy_movie(mini, tmp_path / "free")
    movies = resolve_movies([str(busy), str(free)])
    with MovieLock(movies[0].lock_path):
        results = run(movies, RunOptions(steps=("align",)))
    assert statuses(results) == [("busy", "align", "failed"), ("free", "align", "ok")]
    assert "another scriptalign run is working on this movie" in str(results[0].error)
    assert f"pid {os.getpid()}" in str(results[0].error)


def test_a_stale_lock_of_a_killed_run_is_taken_over(mini: Path, tmp_path: Path) -> None:
    folder = copy_movie(mini, tmp_path / "m")
    movie = find_movie(folder)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(10)
    movie.out.mkdir()
    movie.lock_path.write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename}))
    logs: list[str] = []
    results = run([movie], RunOptions(steps=("align",)), log=logs.append)
    assert [r.status for r in results] == ["ok"]
    assert any(f"stale lock of pid {dead.pid}" in line for line in logs)


def test_out_leaves_the_movie_folder_untouched(mini: Path, tmp_path: Path) -> None:
    folder = copy_movie(mini, tmp_path / "read only")
    before = sorted(p.name for p in folder.iterdir())
    out = tmp_path / "results"
    results = run(resolve_movies([str(folder)], out=out), RunOptions(steps=("align", "report")))
    assert [r.status for r in results] == ["ok", "ok"]
    assert sorted(p.name for p in folder.iterdir()) == before
    assert (out / "read only" / "align.json").exists()
    page = (out / "read only" / "report.html").read_text(encoding="utf-8")
    assert '"video":"../../read%20only/launch_day.webm"' in page


def test_a_symlinked_movie_folder_writes_through_the_link(mini: Path, tmp_path: Path) -> None:
    real = copy_movie(mini, tmp_path / "store" / "tt0001")
    link = tmp_path / "launch"
    link.symlink_to(real)
    results = run(resolve_movies([str(link)]), RunOptions(steps=("align",)))
    assert statuses(results) == [("launch", "align", "ok")]
    assert (real / "scriptalign" / "align.json").exists()


# -- the command line ----------------------------------------------------------------------

def cli(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, list[dict[str, Any]], str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    lines = [json.loads(x) for x in out.splitlines()] if "--json" in argv else []
    return code, lines, err if "--json" in argv else out + "\0" + err


def test_cli_report_reads_folders_from_stdin(
        finished: tuple[list[Movie], list[StepResult]], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    movies, _ = finished
    stdin = "".join(f"{m.folder}\n" for m in movies)
    code, records, err = cli(["report", "-", "--json"], capsys, stdin, monkeypatch)
    assert code == 0 and err == ""
    assert [(r["movie"], r["command"], r["status"]) for r in records] == [
        (str(m.folder), "report", "ok") for m in movies]
    assert set(records[0]) == {"movie", "command", "status", "outputs", "error", "seconds"}
    code, _, out = cli(["report", str(movies[0].folder)], capsys)
    assert code == 0 and out.split("\0")[0] == f"{movies[0].report_path}\n"  # data only


@pytest.mark.parametrize("argv", [["run"], ["run", "--jobs", "0", "."],
                                  ["run", "--scheduler", "localhost:8786", "."],
                                  ["run", "/nonexistent/movie"]])
def test_cli_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, out = cli(argv, capsys)
    assert code == 2
    assert "Traceback" not in out


def test_cli_exit_1_when_a_movie_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    (tmp_path / "empty").mkdir()
    code, records, err = cli(["run", str(tmp_path / "empty"), "--json"], capsys)
    assert code == 1
    assert [(r["command"], r["status"]) for r in records] == [("align", "failed"),
                                                             ("faces", "skipped")]
    assert err.count("scriptalign: error: empty: ") == 1


# -- killed runs (subprocesses) ------------------------------------------------------------

def _interactive_sigint() -> None:
    # A shell starts background jobs with SIGINT ignored, and Python keeps an ignored SIGINT
    # ignored: when the test runner itself runs in the background, Ctrl-C would never reach
    # the child. Restore the default, as a terminal's foreground job has it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(folder: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "scriptalign", "run", str(folder), "--json",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO, preexec_fn=_interactive_sigint)


def read_until(proc: subprocess.Popen[str], command: str) -> list[dict[str, Any]]:
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(json.loads(line))
        if seen[-1]["command"] == command:
            return seen
    raise AssertionError(f"the run ended before {command}: {seen}")


def every_output_parses(movie: Movie) -> None:
    if movie.align_path.exists():
        load_alignment(movie.align_path)
    if (movie.faces_dir / "tracks.json").exists():
        load_tracks(movie.faces_dir)
    if movie.labels_path.exists():
        load_labels(movie.labels_path)
    if movie.manifest_path.exists():
        json.loads(movie.manifest_path.read_text(encoding="utf-8"))
    if movie.report_path.exists():
        assert movie.report_path.read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.fixture
def kill_on_exit() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(30)
        for stream in (p.stdout, p.stderr):
            if stream is not None:
                stream.close()


def test_sigkill_at_a_random_moment_then_the_next_run_finishes_the_job(
        mini: Path, tmp_path: Path, kill_on_exit: list[subprocess.Popen[str]],
        finished: tuple[list[Movie], list[StepResult]]) -> None:
    folder = copy_movie(mini, tmp_path / "killed movie")
    movie = find_movie(folder)
    proc = start_run(folder, "--every", "1.0")
    kill_on_exit.append(proc)
    after = random.choice(["align", "faces"])
    done = read_until(proc, after)
    time.sleep(random.uniform(0.0, 1.5))  # somewhere in the next step(s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    every_output_parses(movie)

    again = start_run(folder, "--every", "1.0")
    kill_on_exit.append(again)
    out, err = again.communicate(timeout=240)
    assert again.returncode == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["command"] for r in records] == ["align", "faces", "learn", "report"]
    finished_before_kill = {r["command"] for r in done if r["status"] == "ok"}
    for r in records:
        if r["command"] in finished_before_kill:
            assert r["status"] == "up-to-date", (after, records)
        else:
            assert r["status"] in ("ok", "up-to-date"), (after, records)
    every_output_parses(movie)
    assert not movie.lock_path.exists()  # the dead run's lock was taken over, then released
    assert [p.name for p in movie.out.iterdir() if p.name.startswith(".")] == []
    # the same results as the uninterrupted run of the same movie and settings
    reference = finished[0][0]
    assert [(t.start, t.end) for t in load_tracks(movie.faces_dir).tracks] == [
        (t.start, t.end) for t in load_tracks(reference.faces_dir).tracks]
    assert [(e.start, e.end, e.status) for e in load_alignment(movie.align_path).elements] == [
        (e.start, e.end, e.status) for e in load_alignment(reference.align_path).elements]
    assert [t.name for t in load_labels(movie.labels_path).tracks] == [
        t.name for t in load_labels(reference.labels_path).tracks]


def test_ctrl_c_exits_130_without_a_traceback(mini: Path, tmp_path: Path,
                                              kill_on_exit: list[subprocess.Popen[str]]) -> None:
    folder = copy_movie(mini, tmp_path / "m")
    proc = start_run(folder)
    kill_on_exit.append(proc)
    read_until(proc, "align")
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    every_output_parses(find_movie(folder))


def test_a_movie_folder_without_video_aligns_and_reports(tmp_path: Path) -> None:
    import screenplays as sp

    from scriptalign.runs.movie import find_movie
    from scriptalign.runs.runner import RunOptions, exit_code, run

    folder = tmp_path / "film"
    folder.mkdir()
    items = sp.speeches(30, seed=4)
    (folder / "film.txt").write_text(sp.indented(items), encoding="utf-8")
    (folder / "film.srt").write_text(sp.srt([t for _, t in items]), encoding="utf-8")
    results = run([find_movie(folder)], RunOptions())
    assert [(r.command, r.status, r.error) for r in results] == [
        ("align", "ok", None), ("faces", "skipped", "no video"),
        ("learn", "skipped", "no video"), ("report", "ok", None)]
    assert exit_code(results) == 0
    assert (folder / "scriptalign" / "report.html").exists()
    assert results[0].stats["share_aligned"] == 1.0
