"""The project's own exceptions: each carries a one-line message and an exit code.

The CLI prints ``str(error)`` on one stderr line and exits with ``error.exit_code``;
anything else escaping a command is a bug.
"""

from __future__ import annotations

from pathlib import Path


class ScriptalignError(Exception):
    """Base class: a failure the user can act on. Exit code 1 (failed input)."""

    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = None if path is None else str(path)
        text = " ".join(str(message).split())  # one line, whatever the cause said
        super().__init__(f"{self.path}: {text}" if self.path else text)


class InputError(ScriptalignError):
    """An input file is unreadable, empty, in an unknown encoding or of the wrong kind."""


class OutputError(ScriptalignError):
    """An output cannot be written there (no such folder, no permission, a full disk)."""


class UsageError(ScriptalignError):
    """The command line is wrong (bad option value, missing argument). Exit code 2."""

    exit_code = 2
