"""Writing outputs so that a crash never leaves a half-written file.

Everything goes to a temporary file in the target's folder, is flushed to disk, then
renamed over the target: rename is atomic on POSIX, so readers see the old file or the
new one, never a mix.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from scriptalign.core.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(target: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"cannot write here ({reason}); choose another output path", target)


def ensure_dir(folder: str | Path) -> Path:
    """Create ``folder`` (and its parents); a place we cannot write to is an ``OutputError``
    naming it, so a command can fail before its long work rather than after."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError("cannot write here (Permission denied); choose another output "
                          "path", folder)
    return folder


@contextmanager
def atomic_path(target: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it replaces ``target``.

    Useful for writers that want a file name (``np.savez``, ``cv2.imwrite``). The suffix
    keeps the extension such writers look at.
    """
    target = Path(target)
    # Only the making and the final rename are the target's fault; an OSError raised by the
    # writer in the block (a bad input it reads, say) passes through as it is.
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix,
                                   dir=target.parent)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    # mkstemp makes the file 0600; outputs on shared lab storage (and Dask workers running
    # as other users) need the ordinary permissions the umask gives.
    os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        try:
            os.replace(tmp_path, target)
        except OSError as exc:  # the target is a folder, say
            raise _cannot_write(target, exc) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextmanager
def atomic_open(
    target: str | Path, mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; it replaces ``target`` when the block succeeds."""
    with atomic_path(target) as tmp:
        enc = None if "b" in mode else encoding
        with open(tmp, mode, encoding=enc) as fh:
            yield fh


def write_text(target: str | Path, text: str) -> None:
    with atomic_open(target) as fh:
        fh.write(text)


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_open(target, "wb") as fh:
        fh.write(data)


def write_json(target: str | Path, obj: Any) -> None:
    """Canonical JSON: UTF-8, indented, keys in the order the writer built them (file names
    that are not UTF-8 as ``\\udcXX`` escapes: ``scriptalign.core.jsonfile.json_text``)."""
    from scriptalign.core.jsonfile import json_text

    write_text(target, json_text(obj, indent=1) + "\n")
