"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The third-party data folder ``../shared``; the test is skipped when it is absent."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is absent (third-party data for integration tests)")
    return SHARED


def _hypothesis_profile() -> None:
    # CI replays the same generated cases on every run (a red build must be reproducible);
    # a developer's run draws new ones and keeps the failures it finds in .hypothesis/.
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profile()
