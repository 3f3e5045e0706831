"""Dask scale-out against a real cluster: a ``dask scheduler`` and two ``dask worker``
processes on 127.0.0.1, started and stopped by this module."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from robust_movie import copy_movie, make_movie

from scriptalign.core.errors import UsageError
from scriptalign.runs.manifest import Manifest
from scriptalign.runs.movie import resolve_movies
from scriptalign.runs.runner import RunOptions, run
from scriptalign.runs.steps import StepResult, StepSettings
from scriptalign.video.options import FaceOptions

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CHEAP = StepSettings(faces=FaceOptions(every=2.0, samples=1))  # the cluster is the subject


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dask_command() -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


class Cluster:
    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.logs = tmp
        self.procs: list[subprocess.Popen[bytes]] = []

    def _start(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        out = open(self.logs / log, "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([*dask_command(), *args], stdout=out, stderr=subprocess.STDOUT,
                                cwd=self.logs)
        out.close()
        self.procs.append(proc)
        return proc

    def start(self) -> None:
        self._start(["scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                     "--no-dashboard"], "scheduler.log")
        # --no-nanny: the worker's pid is the process that runs the tasks (checked below)
        self.workers = [self._start(["worker", self.address, "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--host", "127.0.0.1",
                                     "--name", f"w{k}"], f"worker{k}.log") for k in range(2)]
        from dask.distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=90)

    def stop(self) -> None:
        # workers first, so they do not spend their shutdown looking for the scheduler
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_movie(tmp_path_factory.mktemp("src") / "launch_day", seconds=19.0)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        c.start()
        yield c
    finally:
        c.stop()


def test_align_and_faces_run_on_the_workers_learn_and_report_here(
        cluster: Cluster, mini: Path, tmp_path: Path) -> None:
    good = [copy_movie(mini, tmp_path / name) for name in ("first", "second film")]
    bad = tmp_path / "bad"
    bad.mkdir()
    movies = resolve_movies([str(bad), *map(str, good)])
    seen: list[tuple[float, StepResult]] = []
    results = run(movies, RunOptions(settings=CHEAP, scheduler=cluster.address),
                  on_result=lambda r: seen.append((time.monotonic(), r)))
    by = {(Path(r.movie).name, r.command): r for r in results}
    assert by[("bad", "align")].status == "failed"
    assert "no script" in str(by[("bad", "align")].error)
    for name in ("first", "second film"):
        assert [by[(name, s)].status for s in ("align", "faces", "learn", "report")] == [
            "ok"] * 4, [by[(name, s)].error for s in ("align", "faces", "learn", "report")]
    worker_pids = {w.pid for w in cluster.workers}
    for folder in good:
        steps = Manifest.load(folder / "scriptalign" / "manifest.json").steps
        assert steps["align"]["pid"] in worker_pids
        assert steps["faces"]["pid"] in worker_pids
        assert steps["learn"]["pid"] == os.getpid()  # learn is joint: the client runs it
    # the bad movie's records arrived first, as soon as its task finished
    assert Path(seen[0][1].movie).name == "bad"


def test_cli_streams_json_lines_as_movies_finish(cluster: Cluster, mini: Path,
                                                 tmp_path: Path) -> None:
    good = copy_movie(mini, tmp_path / "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    env = {**os.environ, "SCRIPTALIGN_SCHEDULER": cluster.address}
    proc = subprocess.Popen([sys.executable, "-m", "scriptalign", "run", str(bad), str(good),
                             "--json"],  # default faces settings: seconds of work
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO)
    assert proc.stdout is not None
    arrivals: list[tuple[float, dict[str, object]]] = []
    for line in proc.stdout:
        arrivals.append((time.monotonic(), json.loads(line)))
    proc.wait(240)
    assert proc.returncode == 1  # one movie failed
    assert [(Path(str(r["movie"])).name, r["command"], r["status"]) for _, r in arrivals] == [
        ("bad", "align", "failed"), ("bad", "faces", "skipped"),
        ("good", "align", "ok"), ("good", "faces", "ok"), ("good", "learn", "ok"),
        ("good", "report", "ok")]
    # streamed: the bad movie's lines came out while the good one's faces still ran
    assert arrivals[3][0] - arrivals[0][0] > 1.0
    if proc.stderr is not None:
        proc.stderr.close()
    proc.stdout.close()


def test_a_bad_scheduler_address_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a Dask scheduler address"):
        run(resolve_movies([str(tmp_path)]), RunOptions(scheduler="127.0.0.1:8786"))


def test_workers_need_the_movie_folders_on_shared_storage(cluster: Cluster, mini: Path,
                                                          tmp_path: Path) -> None:
    # The workers get paths, not data: a folder they cannot see fails that movie alone.
    folder = copy_movie(mini, tmp_path / "vanishing")
    movies = resolve_movies([str(folder)])
    (folder / "launch_day.webm").unlink()
    results = run(movies, RunOptions(steps=("faces",), scheduler=cluster.address))
    assert [r.status for r in results] == ["failed"]
    assert "launch_day.webm" in str(results[0].error)
