"""Reading the JSON documents scriptalign writes (align.json, tracks.json, ...), strictly.

A document on disk may be truncated, hand-edited or written by another tool. ``read_json``
turns every way JSON text can fail into an ``InputError``: bad syntax, bad UTF-8, nesting
deep enough to exhaust the parser's recursion, a number of more than 4,300 digits. The
typed getters check each field where it is read, so that a wrong type fails at load time
naming the field (``elements[3].text: expected a string, not int``) instead of deep inside
the report or an export; numbers must be finite (``NaN`` in a time would make the report's
JSON invalid).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scriptalign.core.errors import InputError

_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(obj: Any, **options: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **options)`` that any UTF-8 writer accepts.

    A file name that is not UTF-8 (``caf\\xe9`` from a Latin-1 archive) reaches Python with
    its bad bytes as lone surrogates (``caf\\udce9``), which UTF-8 cannot encode: they are
    written as JSON escapes, which read back to the same string (and ``os.fsencode`` gives
    the same bytes again).
    """
    text = json.dumps(obj, ensure_ascii=False, **options)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def displayable(text: str) -> str:
    """``text`` for a person to read: the bytes of a non-UTF-8 file name shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Invalid(ValueError):
    """A field has the wrong type or value; the message names the field."""


def read_json(path: str | Path, missing: str) -> Any:
    """The parsed document; InputError ("``missing``" when there is no file)."""
    p = Path(path)
    try:
        # utf-8-sig: a hand-written file (a lexicon) may start with a BOM from Notepad.
        return json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise InputError(missing, p) from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory, expected a JSON file", p) from exc
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", p) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start})", p) from exc
    except RecursionError as exc:
        raise InputError("is not valid JSON (nested too deeply)", p) from exc
    except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
        raise InputError(f"is not valid JSON ({exc})", p) from exc


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def get(doc: Mapping[str, Any], key: str, where: str, default: Any = ...) -> Any:
    """``doc[key]``, or ``default`` when given and the key is absent."""
    if key in doc:
        return doc[key]
    if default is ...:
        raise Invalid(f"{where}: missing {key!r}")
    return default


def as_dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"{where}: expected an object, not {_kind(value)}")
    return value


def as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise Invalid(f"{where}: expected a list, not {_kind(value)}")
    return value


def as_str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{where}: expected a string, not {_kind(value)}")
    return value


def as_opt_str(value: Any, where: str) -> str | None:
    return None if value is None else as_str(value, where)


def as_float(value: Any, where: str) -> float:
    """A finite number (an int is fine; a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"{where}: expected a number, not {_kind(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise Invalid(f"{where}: expected a finite number, not {number}")
    return number


def as_opt_float(value: Any, where: str) -> float | None:
    return None if value is None else as_float(value, where)


def as_int(value: Any, where: str) -> int:
    """An integer (a float with an integral value, e.g. ``3.0``, is accepted)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise Invalid(f"{where}: expected an integer, not {_kind(value)}")


def str_list(value: Any, where: str) -> list[str]:
    return [as_str(v, f"{where}[{k}]") for k, v in enumerate(as_list(value, where))]


def int_list(value: Any, where: str) -> list[int]:
    return [as_int(v, f"{where}[{k}]") for k, v in enumerate(as_list(value, where))]
