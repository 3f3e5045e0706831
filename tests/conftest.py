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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Every test that reads ../shared asks for the ``shared`` fixture; marking it here keeps
    # the marker and the dependency from drifting apart (`make test-fast` deselects them).
    for item in items:
        if "shared" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared)
