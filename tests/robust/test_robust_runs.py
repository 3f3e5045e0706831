"""Interrupted and concurrent runs of ``scriptalign run`` on one movie folder.

Killed: SIGKILL 20 times, at random moments of each step. One movie folder (the demo, 10 s
of video) is run uninterrupted once, for reference: the arrival time of each step's
``--json`` line gives each step's window. Then another copy goes through 20 runs, each
killed during one step (the one interrupted least so far: report takes hundredths of a
second, so a kill aimed at it often comes too late). Before each run the output of the
targeted step is deleted, so that step runs again (the others are up to date, or redone
when an earlier kill left them unfinished); the run is killed at a random moment between
the end of the step before it and the reference length of the step. After every kill,
each output that exists parses and no half-written file is visible; a last run completes
and gives the same results as the uninterrupted one. (A kill "during align" may land while
Python is still starting: align itself takes a fraction of a second.) The random moments
come from a fixed seed (SCRIPTALIGN_KILL_SEED draws others); which step a kill lands in
depends on the machine's load, so it is logged on failure, not asserted.

Concurrent: two runs started together on the same folder: one refuses at once with one
line naming the holder (the lock file), the other finishes; with ``--wait`` the second
waits, then finds every step up to date. Either way the outputs are the reference run's.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from robust_movie import FAST, copy_movie, make_movie, outputs_parse, results, scriptalign

from scriptalign.runs.lock import LockedError, MovieLock
from scriptalign.runs.movie import Movie, find_movie

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow

STEPS = ("align", "faces", "learn", "report")
KILLS = 20
# What may be in the output folder besides the hidden temporaries of a killed write.
OUTPUTS = {"align.json", "faces", "labels.json", "report.html", "manifest.json", "run.lock"}


@dataclass
class Run:
    """A ``scriptalign run --json`` child, its JSON lines as they arrive (with times)."""

    proc: subprocess.Popen[str]
    started: float = field(default_factory=time.monotonic)
    lines: queue.Queue[tuple[float, dict[str, Any] | None]] = field(default_factory=queue.Queue)
    seen: list[tuple[float, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.monotonic() - self.started, json.loads(line)))
        self.lines.put((time.monotonic() - self.started, None))  # end of output

    def wait_for(self, command: str, timeout: float = 300) -> bool:
        """Block until the line of ``command`` arrives; False when the run ended first."""
        while True:
            at, record = self.lines.get(timeout=timeout)
            if record is None:
                return False
            self.seen.append((at, record))
            if record["command"] == command:
                return True

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        code = self.proc.wait(timeout)
        while self.wait_for("(none)", timeout):
            pass
        assert self.proc.stderr is not None
        return code, self.proc.stderr.read()


def start(folder: Path) -> Run:
    return Run(scriptalign("run", str(folder), "--json", *FAST))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_movie(tmp_path_factory.mktemp("src") / "launch day", seconds=10)


@pytest.fixture(scope="module")
def reference(source: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Movie, dict[str, float]]:
    """The uninterrupted run, and when each step's line arrived (seconds from the start)."""
    folder = copy_movie(source, tmp_path_factory.mktemp("reference") / "launch day")
    run = start(folder)
    code, err = run.finish()
    assert code == 0, err
    arrived = {record["command"]: at for at, record in run.seen}
    assert [record["status"] for _, record in run.seen] == ["ok"] * 4, run.seen
    return find_movie(folder), arrived


def output_of(movie: Movie, step: str) -> Path:
    return {"align": movie.align_path, "faces": movie.faces_dir / "tracks.json",
            "learn": movie.labels_path, "report": movie.report_path}[step]


def test_sigkill_twenty_times_then_the_next_run_finishes_the_job(
        source: Path, reference: tuple[Movie, dict[str, float]], tmp_path: Path) -> None:
    ref_movie, arrived = reference
    seed = int(os.environ.get("SCRIPTALIGN_KILL_SEED", "20261129"))
    rng = random.Random(seed)
    folder = copy_movie(source, tmp_path / "killed movie")
    movie = find_movie(folder)
    windows = {step: arrived[step] - (arrived[STEPS[k - 1]] if k else 0.0)
               for k, step in enumerate(STEPS)}
    interrupted: dict[str, int] = dict.fromkeys(STEPS, 0)
    log = []
    aimed: dict[str, int] = dict.fromkeys(STEPS, 0)
    for k in range(KILLS):
        # Aim at the step interrupted least so far: report takes a few hundredths of a
        # second, and a kill aimed at it often comes after it.
        step = min(STEPS, key=lambda s: (interrupted[s], aimed[s]))
        aimed[step] += 1
        if step == "faces":
            shutil.rmtree(movie.faces_dir, ignore_errors=True)
        output_of(movie, step).unlink(missing_ok=True)
        run = start(folder)
        before = STEPS[STEPS.index(step) - 1] if step != "align" else None
        if before is None or run.wait_for(before):
            time.sleep(rng.uniform(0.0, windows[step]))
        alive = run.proc.poll() is None
        run.proc.send_signal(signal.SIGKILL)
        run.finish()
        done = {record["command"] for _, record in run.seen}
        hit = next((s for s in STEPS if s not in done), "none") if alive else "none"
        interrupted[hit] = interrupted.get(hit, 0) + 1
        log.append(f"kill {k}: aimed at {step}, interrupted {hit}")
        context = f"seed {seed}; " + "; ".join(log)
        # Every output that exists is whole; nothing half-written is visible.
        outputs_parse(movie)
        made = list(movie.out.iterdir()) if movie.out.exists() else []
        visible = {p.name for p in made if not p.name.startswith(".")}
        assert visible <= OUTPUTS, (visible - OUTPUTS, context)
        if movie.faces_dir.exists():
            assert (movie.faces_dir / "tracks.json").exists(), context  # all of it or none
    final = start(folder)
    code, err = final.finish()
    context = f"seed {seed}; " + "; ".join(log)
    assert code == 0, (err, context)
    assert [record["command"] for _, record in final.seen] == list(STEPS), context
    assert outputs_parse(movie) == ["align.json", "faces", "labels.json", "manifest.json",
                                    "report.html"]
    assert not movie.lock_path.exists()
    assert [p.name for p in movie.out.iterdir() if p.name.startswith(".")] == [], context
    assert results(movie) == results(ref_movie), context


# -- two runs on one movie at once -----------------------------------------------------------

def test_two_runs_at_once_one_refuses_and_the_other_finishes(
        source: Path, reference: tuple[Movie, dict[str, float]], tmp_path: Path) -> None:
    folder = copy_movie(source, tmp_path / "launch day")
    movie = find_movie(folder)
    first, second = start(folder), start(folder)
    (code1, err1), (code2, err2) = first.finish(), second.finish()
    assert sorted([code1, code2]) == [0, 1], (err1, err2)
    winner, loser, err = (first, second, err2) if code1 == 0 else (second, first, err1)
    assert [(r["command"], r["status"]) for _, r in winner.seen] == [(s, "ok") for s in STEPS]
    assert [(r["command"], r["status"]) for _, r in loser.seen] == [("align", "failed")]
    # One clear line: who holds the movie and what to do.
    assert err.splitlines() == [
        f"scriptalign: error: launch day: align: {movie.out}: another scriptalign run is "
        f"working on this movie: pid {winner.proc.pid} on {os.uname().nodename} since "
        + err.split(" since ")[-1].rstrip("\n")], err
    assert "wait for it to finish or pass --wait SECONDS" in err
    outputs_parse(movie)
    assert results(movie) == results(reference[0])
    assert not movie.lock_path.exists()


def test_a_run_told_to_wait_starts_when_the_first_is_done(
        source: Path, reference: tuple[Movie, dict[str, float]], tmp_path: Path) -> None:
    folder = copy_movie(source, tmp_path / "launch day")
    movie = find_movie(folder)
    first = start(folder)
    assert first.wait_for("align")  # it holds the movie now
    second = Run(scriptalign("run", str(folder), "--json", *FAST, "--wait", "120"))
    code1, err1 = first.finish()
    stamps = {p: p.stat().st_mtime_ns for p in movie.out.rglob("*") if p.is_file()}
    code2, err2 = second.finish()
    assert (code1, code2) == (0, 0), (err1, err2)
    # The second waited (else it would have failed on the lock), then found everything done
    # by the first and rewrote nothing.
    assert [(r["command"], r["status"]) for _, r in second.seen] == [
        (s, "up-to-date") for s in STEPS], err2
    assert {p: p.stat().st_mtime_ns for p in movie.out.rglob("*") if p.is_file()} == stamps
    assert results(movie) == results(reference[0])


def test_a_refusal_names_a_holder_that_has_just_taken_the_lock(tmp_path: Path) -> None:
    """Between taking the lock and writing its record, the holder's lock file is empty for
    a moment; a run refused then must still name the holder, not "another process"."""
    path = tmp_path / "scriptalign" / "run.lock"
    path.parent.mkdir()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)  # taken; the record comes 50 ms later
    record = json.dumps({"pid": 4242, "host": "node3", "started": "2024-05-01 12:00:00"})
    writer = threading.Timer(0.05, lambda: os.pwrite(fd, record.encode(), 0))
    writer.start()
    try:
        with pytest.raises(LockedError) as refused:
            MovieLock(path).acquire()
    finally:
        writer.join()
        os.close(fd)
    assert "working on this movie: pid 4242 on node3 since 2024-05-01 12:00:00;" in str(
        refused.value)
