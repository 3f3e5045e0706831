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


def test_an_unwritable_place_is_an_output_error_naming_the_path(tmp_path: Path) -> None:
    from scriptalign.core.atomic import ensure_dir
    from scriptalign.core.errors import OutputError

    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    target = blocker / "out.json"
    with pytest.raises(OutputError) as err:
        write_json(target, {"a": 1})
    assert str(err.value).startswith(f"{target}: cannot write here")
    assert err.value.exit_code == 1
    with pytest.raises(OutputError, match="cannot write here"):
        ensure_dir(blocker / "sub")
    assert ensure_dir(tmp_path / "x" / "y").is_dir()


def test_a_folder_in_the_way_of_the_rename_is_an_output_error(tmp_path: Path) -> None:
    from scriptalign.core.errors import OutputError

    (tmp_path / "out.txt").mkdir()
    with pytest.raises(OutputError, match=r"out\.txt: cannot write here"):
        write_text(tmp_path / "out.txt", "text")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary left behind


def test_an_oserror_from_the_writer_itself_is_not_renamed(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), atomic_path(tmp_path / "out.bin"):
        open(tmp_path / "missing_input")  # noqa: SIM115 - the writer's own failure
