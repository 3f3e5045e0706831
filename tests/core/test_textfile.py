from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptalign.core.errors import InputError
from scriptalign.core.textfile import decode_text, detect_encoding, looks_binary, read_text


def test_utf8_bom_is_stripped_and_crlf_normalised() -> None:
    data = "\ufeffHello\r\nWorld\rAgain\n".encode()
    assert decode_text(data) == "Hello\nWorld\nAgain\n"


def test_cp1252_is_detected_when_not_utf8() -> None:
    text = "Ça va? Très bien, señor. “Quoted” – dash\n" * 20
    data = text.encode("cp1252")
    assert detect_encoding(data) != "utf-8"
    assert decode_text(data) == text


def test_latin1_accents_survive() -> None:
    text = "Où est le café? Déjà vu à Noël.\n" * 30
    assert decode_text(text.encode("latin-1")) == text


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_cyrillic_single_byte_is_not_read_as_western(encoding: str) -> None:
    text = "Привет, как дела? Я не знаю, что сказать тебе сегодня вечером.\n" * 20
    assert decode_text(text.encode(encoding)) == text


def test_forced_encoding_wins() -> None:
    data = "café".encode()
    assert decode_text(data, "latin-1") == "cafÃ©"


def test_unknown_encoding_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown encoding"):
        decode_text(b"abc", "no-such-codec", "x.srt")


def test_binary_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "movie.srt"
    p.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    assert looks_binary(p.read_bytes())
    with pytest.raises(InputError, match="binary") as info:
        read_text(p)
    assert str(p) in str(info.value)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    with pytest.raises(InputError, match="empty"):
        read_text(empty)
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        out = decode_text(data)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert "\r" not in out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_utf8_text_round_trips(text: str) -> None:
    data = text.encode("utf-8")
    if looks_binary(data):
        return
    expected = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert decode_text(data) == expected
