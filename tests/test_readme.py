"""The README's Python example runs as written (in a copy of the demo movie)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest
from robust_movie import REPO, make_movie


def python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.M | re.S)


def test_python_blocks_are_found() -> None:
    assert python_blocks("a\n```python\nx = 1\n```\n```sh\nls\n```\n") == ["x = 1\n"]


@pytest.mark.slow
def test_readme_python_example_runs(tmp_path: Path) -> None:
    blocks = python_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert blocks, "the README has no Python example"
    folder = make_movie(tmp_path / "launch_day", seconds=20.0)
    here = Path.cwd()
    os.chdir(folder)
    try:
        for block in blocks:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
            printed = out.getvalue()
            assert printed.strip(), "the example prints what it found"
    finally:
        os.chdir(here)
    assert (folder / "faces" / "tracks.json").is_file()


def test_readme_names_every_script_file_a_movie_folder_takes() -> None:
    from scriptalign.runs.movie import SCRIPT_NAMES, SCRIPT_SUFFIXES

    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## A folder of movies"):]
    section = section[:section.index("```")]
    for name in SCRIPT_NAMES:
        assert f"`{name}`" in section, name
    for suffix in SCRIPT_SUFFIXES:
        assert f"`*{suffix}`" in section or f"`{suffix[-4:]}`" in section, suffix
    assert "only PDF" in section and "only web page" in section


def test_readme_describes_every_field_of_a_json_record() -> None:
    from typing import get_args

    from scriptalign.runs.steps import Status, StepResult

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    start = text.index("stdout carries data only")
    paragraph = text[start:text.index("logs and progress bars", start)]
    statuses = re.search(r"`status` ([a-z|\-]+)", paragraph)
    assert statuses is not None
    assert set(statuses.group(1).split("|")) == set(get_args(Status))
    record = StepResult("m", "align", "ok", [], None, 0.0, ["w"], {"dialogue": 1}).to_dict()
    for key in record:
        assert f"`{key}`" in paragraph, key
