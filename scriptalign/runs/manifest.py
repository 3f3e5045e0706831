"""The per-movie manifest: what each step read, with which parameters, and what it wrote.

``MOVIE/scriptalign/manifest.json``::

    {"version": 1, "movie": "/films/casablanca",
     "steps": {"align": {"inputs": {"script": STAMP, "subtitles": STAMP},
                         "params": {...}, "package": "0.1.0",
                         "outputs": {"align": STAMP (path relative to this file)},
                         "finished": "2024-05-01T12:00:00", "seconds": 1.2,
                         "host": "node3", "pid": 4242}, ...}}

    STAMP = {"path": "/films/casablanca/casablanca.srt", "size": 51234,
             "mtime_ns": 1714557600000000000, "sha256": "..."}

A step is up to date when the manifest has a record for it with the same parameters and
package version, the same input contents and outputs that are still the ones it wrote.
Contents are compared by size and SHA-256; the hash is only recomputed when a file's size
or mtime moved, so an untouched 2 GB video is not re-read on every run, while a file that
was merely touched (or a movie folder that moved) does not redo an hour of work.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptalign.core.atomic import write_json

MANIFEST_VERSION = 1
_CHUNK = 1 << 20


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scriptalign")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stamp(path: str | Path, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Size, mtime and hash of a file; the hash of ``previous`` is reused when the file's
    size and mtime are the ones recorded there."""
    p = Path(path)
    st = p.stat()
    if (previous and previous.get("size") == st.st_size
            and previous.get("mtime_ns") == st.st_mtime_ns and previous.get("sha256")):
        digest = str(previous["sha256"])
    else:
        digest = file_sha256(p)
    return {"path": str(p), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}


def same_content(recorded: Mapping[str, Any], path: str | Path) -> bool:
    """Whether ``path`` still holds the content ``recorded`` (hashing only if stat moved)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return False
    if st.st_size != recorded.get("size"):
        return False
    if st.st_mtime_ns == recorded.get("mtime_ns"):
        return True
    return file_sha256(p) == recorded.get("sha256")


def normalise(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON would store them (Paths become strings, tuples lists)."""
    result: dict[str, Any] = json.loads(json.dumps(dict(params), default=str, sort_keys=True))
    return result


def _valid_stamps(stamps: Any) -> bool:
    return isinstance(stamps, dict) and all(
        isinstance(st, dict) and isinstance(st.get("path"), str)
        and isinstance(st.get("sha256"), str)
        and all(isinstance(st.get(k), int) and not isinstance(st.get(k), bool)
                for k in ("size", "mtime_ns"))
        for st in stamps.values())


def _valid_record(rec: Any) -> bool:
    """Whether a step record has the shape ``record`` writes (the fields a run reads)."""
    return (isinstance(rec, dict) and _valid_stamps(rec.get("inputs"))
            and _valid_stamps(rec.get("outputs")))


@dataclass
class Manifest:
    path: Path
    movie: str = ""
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path, movie: str = "") -> Manifest:
        """Read a manifest; a missing or unreadable one is empty (every step runs again)."""
        p = Path(path)
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
            ok = isinstance(doc, dict) and doc.get("version") == MANIFEST_VERSION
            steps = doc.get("steps") if ok else {}
            if not isinstance(steps, dict):
                steps = {}
        except (OSError, ValueError, RecursionError):  # ValueError: bad JSON or UTF-8
            steps = {}
        # A damaged record is a step that never ran, not a movie that fails on every run.
        return cls(p, movie, {k: v for k, v in steps.items() if _valid_record(v)})

    def save(self) -> None:
        write_json(self.path, {"version": MANIFEST_VERSION, "movie": self.movie,
                               "steps": self.steps})

    def stale_reason(self, step: str, inputs: Mapping[str, Path], params: Mapping[str, Any],
                     ) -> str | None:
        """Why ``step`` must run again, or None when it is up to date."""
        rec = self.steps.get(step)
        if rec is None:
            return "never ran"
        if rec.get("package") != package_version():
            return f"package version changed ({rec.get('package')} -> {package_version()})"
        if rec.get("params") != normalise(params):
            return "parameters changed"
        old_inputs = rec.get("inputs", {})
        if set(old_inputs) != set(inputs):
            return "different inputs"
        for role, path in inputs.items():
            if not same_content(old_inputs[role], path):
                return f"input {role} changed ({path})"
        for role, out in rec.get("outputs", {}).items():
            if not same_content(out, self.output_path(out)):
                return f"output {role} missing or changed ({out.get('path')})"
        return None

    def output_path(self, recorded: Mapping[str, Any]) -> Path:
        """Outputs are recorded relative to the manifest, so a moved movie folder keeps
        its steps up to date."""
        return self.path.parent / str(recorded.get("path", ""))

    def outputs(self, step: str) -> list[Path]:
        return [self.output_path(o) for o in self.steps.get(step, {}).get("outputs", {}).values()]

    def record(self, step: str, inputs: Mapping[str, Mapping[str, Any]],
               params: Mapping[str, Any], outputs: Mapping[str, Path], seconds: float) -> None:
        """Store a finished step; ``inputs`` are stamps taken *before* it ran, so an input
        edited during the run is seen as changed next time."""
        old_outputs = self.steps.get(step, {}).get("outputs", {})
        written = {}
        for role, p in outputs.items():
            st = stamp(p, old_outputs.get(role))
            st["path"] = os.path.relpath(p, self.path.parent)
            written[role] = st
        self.steps[step] = {
            "inputs": dict(inputs),
            "params": normalise(params),
            "package": package_version(),
            "outputs": written,
            "finished": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "seconds": round(seconds, 3),
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }

    def stamps(self, step: str, inputs: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
        """Stamps of ``inputs``, reusing hashes the manifest already knows for them."""
        known: dict[str, Mapping[str, Any]] = {}
        for rec in self.steps.values():
            for st in rec.get("inputs", {}).values():
                if isinstance(st, dict) and "path" in st:
                    known[str(st["path"])] = st
            for st in rec.get("outputs", {}).values():
                if isinstance(st, dict) and "path" in st:
                    known[str(self.output_path(st))] = st
        return {role: stamp(p, known.get(str(p))) for role, p in inputs.items()}
