from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptalign.core.atomic import atomic_open, atomic_path, write_json, write_text


def test_write_json_round_trips_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    write_json(target, {"a": [1, 2], "é": "ü"})
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": [1, 2], "é": "ü"}
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_failure_keeps_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_text(target, "old contents")
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write("half of the new")
        raise RuntimeError("crash in the middle")
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_path_keeps_the_suffix_for_writers_that_need_it(tmp_path: Path) -> None:
    target = tmp_path / "arrays.npz"
    with atomic_path(target) as tmp:
        assert tmp.suffix == ".npz"
        assert tmp.parent == tmp_path
        tmp.write_bytes(b"data")
    assert target.read_bytes() == b"data"


def test_outputs_get_the_umask_permissions_not_0600(tmp_path: Path) -> None:
    import os

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "out.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644
