"""One process per movie folder: a lock file next to the outputs.

``MOVIE/scriptalign/run.lock`` holds ``{"pid", "host", "started", "command"}`` of the
process working on the movie. The exclusion itself is an ``flock`` on that file, which the
kernel drops when the process dies, even by SIGKILL: a lock file left by a killed run is
therefore never an obstacle, and is reported as stale when the next run takes it over.
On file systems without ``flock`` (some network mounts) the file's existence is the lock
and a recorded pid that is no longer alive on this host marks it stale.

A second run on the same folder waits up to ``wait`` seconds, then refuses with a
message naming the holder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from scriptalign.core.errors import ScriptalignError

_NO_FLOCK = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


class LockedError(ScriptalignError):
    """Another process is working on this movie folder (exit code 1: that movie fails)."""


@dataclass
class LockInfo:
    pid: int
    host: str
    started: str = ""
    command: str = ""

    def describe(self) -> str:
        since = f" since {self.started}" if self.started else ""
        return f"pid {self.pid} on {self.host}{since}"

    def alive(self) -> bool | None:
        """Whether the holder still runs (None: on another host, cannot tell)."""
        if self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # exists, belongs to someone else
        return True


def read_lock_info(path: str | Path) -> LockInfo | None:
    """The holder recorded in a lock file; None when absent, empty or unreadable."""
    try:
        doc: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # ValueError: bad JSON or UTF-8
        return None
    if not isinstance(doc, dict):
        return None
    pid, host = doc.get("pid"), doc.get("host")
    # os.kill(pid, 0) checks a process only for a pid > 0 (0 and -1 address groups, and a
    # huge one overflows): anything else is not a holder we can tell about.
    if not (isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 2**31
            and isinstance(host, str)):
        return None
    return LockInfo(pid, host, str(doc.get("started", "")), str(doc.get("command", "")))


class MovieLock:
    """``with MovieLock(path): ...`` holds the movie; raises LockedError when it is taken."""

    def __init__(self, path: str | Path, *, wait: float = 0.0, poll: float = 0.2,
                 command: str | None = None) -> None:
        self.path = Path(path)
        self.wait = wait
        self.poll = poll
        self.command = command if command is not None else " ".join(sys.argv)
        self.stale: LockInfo | None = None  # the dead holder whose lock was taken over
        self._fd: int | None = None
        self._flock = True

    def _record(self) -> bytes:
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": time.strftime("%Y-%m-%d %H:%M:%S"), "command": self.command}
        return (json.dumps(info) + "\n").encode()

    def _refuse(self) -> LockedError:
        holder = read_lock_info(self.path)
        # The holder writes its record right after taking the lock: a refusal in between
        # reads an empty file. Give it a moment rather than say "another process".
        for _ in range(10):
            if holder is not None:
                break
            time.sleep(0.02)
            holder = read_lock_info(self.path)
        who = holder.describe() if holder else "another process"
        waited = f" (waited {self.wait:g} s)" if self.wait > 0 else ""
        return LockedError(f"another scriptalign run is working on this movie: {who}{waited}; "
                           "wait for it to finish or pass --wait SECONDS", self.path.parent)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            if self._try():
                return
            if time.monotonic() >= deadline:
                raise self._refuse()
            time.sleep(self.poll)

    def _try(self) -> bool:
        return self._try_flock() if self._flock else self._try_exclusive()

    def _try_flock(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as exc:
            os.close(fd)
            if exc.errno not in _NO_FLOCK:
                raise
            self._flock = False
            return self._try_exclusive()
        # The holder before us may have unlinked the file between our open and our flock;
        # then we hold a lock on a deleted file, which excludes nobody: start over.
        try:
            same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            return self._try_flock()
        previous = read_lock_info(self.path)
        if previous is not None and previous.pid != os.getpid():
            self.stale = previous  # its process died without releasing (killed)
        os.ftruncate(fd, 0)
        os.pwrite(fd, self._record(), 0)
        self._fd = fd
        return True

    def _try_exclusive(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = read_lock_info(self.path)
            if holder is not None and holder.alive() is False:
                self.stale = holder
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                return self._try_exclusive()
            return False
        os.write(fd, self._record())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        # Unlink while still holding the lock, so nobody reads our record afterwards.
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)  # closing drops the flock
        self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> MovieLock:
        self.acquire()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
