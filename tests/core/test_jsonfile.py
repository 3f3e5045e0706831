"""Reading our JSON documents strictly, and writing JSON any UTF-8 writer accepts."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from scriptalign.core.errors import InputError
from scriptalign.core.jsonfile import (
    Invalid,
    as_float,
    as_int,
    as_opt_str,
    displayable,
    json_text,
    read_json,
    str_list,
)


@pytest.mark.parametrize(("data", "says"), [
    (b"{", "is not valid JSON"),
    (b"[" * 5000 + b"]" * 5000, "is not valid JSON (nested too deeply)"),
    (b'{"a": ' + b"9" * 5000 + b"}", "is not valid JSON"),
    (b'{"a": "\xff"}', "is not UTF-8 text"),
])
def test_bad_json_is_one_input_error_naming_the_file(tmp_path: Path, data: bytes,
                                                     says: str) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        read_json(path, "no such file")
    message = str(error.value)
    assert message.startswith(f"{path}: {says}") and "\n" not in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="run it first"):
        read_json(tmp_path / "none.json", "run it first")
    with pytest.raises(InputError, match="is a directory"):
        read_json(tmp_path, "x")


@pytest.mark.parametrize("value", [True, "1", None, math.nan, math.inf, 10**400, [1]])
def test_as_float_takes_finite_numbers_only(value: Any) -> None:
    with pytest.raises(Invalid, match=r"^x\.y: expected a"):
        as_float(value, "x.y")


def test_typed_getters() -> None:
    assert as_float(3, "x") == 3.0 and as_int(3.0, "x") == 3
    for bad in (3.5, True, "3"):
        with pytest.raises(Invalid):
            as_int(bad, "x")
    assert as_opt_str(None, "x") is None
    with pytest.raises(Invalid, match=r"^names\[1\]: expected a string, not int$"):
        str_list(["a", 2], "names")


def test_json_text_writes_a_name_that_is_not_utf8_as_escapes() -> None:
    name = os.fsdecode(b"/films/caf\xe9 movie")  # what Python gives for a Latin-1 name
    text = json_text({"movie": name, "title": "Amélie"})
    text.encode("utf-8")  # any UTF-8 writer takes it
    assert "Amélie" in text  # readable letters stay letters
    assert json.loads(text)["movie"] == name
    assert os.fsencode(json.loads(text)["movie"]) == b"/films/caf\xe9 movie"
    assert displayable(name) == "/films/caf\ufffd movie"
