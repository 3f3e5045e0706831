"""Reading text files whose encoding nobody wrote down.

Order of trust: a BOM, then strict UTF-8, then charset-normalizer's guess, then cp1252
(``mission_impossible_1996/subs_latin1.srt`` is ISO-8859-1, which cp1252 reads the same for
every printable byte). Line ends are normalised to ``\\n`` so that CRLF and mixed files
(several of the shared SRTs) give the same line numbers as an editor shows.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from scriptalign.core.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> str:
    """Return the name of the most plausible encoding of ``data``."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _plausible_western(data):
        return "cp1252"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None:
            return str(best.encoding)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    return "cp1252"


# Letters and punctuation that Western European subtitles and scripts use; a cp1252 reading
# made only of these is trusted over charset-normalizer, which reads short French or
# Spanish files as cp1250 or iso8859-13 (seen on a 1 KB excerpt of subs_latin1.srt).
# 0xA0-0xBF holds the symbols (£ in birthday_girl_2001/subs.srt, ©, °, ¿, «»).
_WESTERN = set(range(0xA0, 0x100)) - {0xD7, 0xF7}
_WESTERN |= {ord(c) for c in "‘’“”–—…•€™ŒœŠšŸŽž"}


def _plausible_western(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    high = [ord(c) for c in text if ord(c) > 0x7F]
    if not high:
        return True
    letters = sum(c.isalpha() for c in text)
    # In Western languages accented letters are a minority; text where they dominate is
    # another single-byte script (cp1251 Russian, cp1253 Greek) read through the wrong table.
    return sum(c in _WESTERN for c in high) >= 0.95 * len(high) and len(high) <= 0.3 * letters


def looks_binary(data: bytes) -> bool:
    """True for data no text editor would open: NUL bytes outside UTF-16."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head


def decode_text(data: bytes, encoding: str | None = None, path: str | Path | None = None) -> str:
    """Decode bytes to text with ``\\n`` line ends; raise InputError naming ``path``."""
    if encoding is None and looks_binary(data):
        raise InputError("is a binary file, not text (pass the right file)", path)
    name = encoding or detect_encoding(data)
    try:
        text = data.decode(name)
    except LookupError as exc:
        raise InputError(f"unknown encoding {name!r} (try --encoding utf-8 or cp1252)",
                         path) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot be decoded as {name} at byte {exc.start} (try --encoding cp1252)", path
        ) from exc
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """Read a text file with encoding detection; InputError when it is missing or not text."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("no such file", p) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, expected a file", p) from exc
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", p) from exc
    if not data.strip():
        raise InputError("is empty", p)
    return decode_text(data, encoding, p)
