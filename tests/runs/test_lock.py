"""One process per movie folder: the lock refuses, waits, and survives SIGKILL of a holder."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scriptalign.runs.lock import LockedError, MovieLock, read_lock_info

HOLD = """
import sys, time
from scriptalign.runs.lock import MovieLock
lock = MovieLock(sys.argv[1], command="holder")
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def start_holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_lock_records_the_holder_and_is_removed_on_release(tmp_path: Path) -> None:
    path = tmp_path / "out" / "run.lock"
    with MovieLock(path, command="scriptalign run x") as lock:
        assert lock.held
        info = read_lock_info(path)
        assert info is not None
        assert (info.pid, info.host, info.command) == (os.getpid(), socket.gethostname(),
                                                       "scriptalign run x")
    assert not path.exists()
    assert not lock.held


def test_a_second_lock_is_refused_with_the_holder_named(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with MovieLock(path), pytest.raises(LockedError) as err:
        MovieLock(path).acquire()
    message = str(err.value)
    assert f"pid {os.getpid()}" in message
    assert "--wait" in message
    assert str(tmp_path) in message  # names the movie's output folder


def test_another_process_holding_the_lock_refuses_us_until_it_is_killed(
        tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    holder = start_holder(path)
    try:
        with pytest.raises(LockedError, match=f"pid {holder.pid}"):
            MovieLock(path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        lock = MovieLock(path)
        lock.acquire()  # the kernel dropped the dead process's lock
        assert lock.stale is not None and lock.stale.pid == holder.pid
        assert lock.stale.alive() is False
        info = read_lock_info(path)
        assert info is not None and info.pid == os.getpid()
        lock.release()
    finally:
        holder.kill()
        holder.wait(10)


def test_wait_gives_up_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with MovieLock(path):
        t0 = time.monotonic()
        with pytest.raises(LockedError, match=r"waited 0.3 s"):
            MovieLock(path, wait=0.3, poll=0.05).acquire()
        assert time.monotonic() - t0 >= 0.3


def test_wait_succeeds_when_the_holder_finishes(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    first = MovieLock(path)
    first.acquire()
    timer = threading.Timer(0.3, first.release)
    timer.start()
    second = MovieLock(path, wait=10, poll=0.05)
    second.acquire()
    assert second.held and second.stale is None  # a clean release is not stale
    second.release()
    timer.join()


def test_without_flock_a_dead_pid_is_stale_and_a_live_one_holds(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(10)
    path.write_text(json.dumps({"pid": dead.pid, "host": socket.gethostname()}))
    lock = MovieLock(path)
    lock._flock = False  # as on a file system without flock
    lock.acquire()
    assert lock.stale is not None and lock.stale.pid == dead.pid
    lock.release()

    path.write_text(json.dumps({"pid": os.getppid(), "host": socket.gethostname()}))
    other = MovieLock(path)
    other._flock = False
    with pytest.raises(LockedError, match=f"pid {os.getppid()}"):
        other.acquire()
    assert path.exists()  # a live holder's file is left alone
