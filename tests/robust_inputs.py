"""Hostile inputs for the robustness tests (tests/robust/test_robust_*.py).

- ``time_limit``: a hard bound on one example, so a hang fails the example instead of
  the whole run (a ``BaseException``, so that a reader's ``except Exception`` cannot
  swallow it);
- ``MUTATIONS``: a hypothesis strategy of edits to a file's bytes (truncation, deleted or
  duplicated lines, another encoding, NUL bytes, long lines, flipped bytes, line ends,
  BOMs, format tokens spliced in) and ``mutate`` that applies them;
- ``check_clean_error``: what a failure must look like (the project's own error, one
  line, naming the file).
"""

from __future__ import annotations

import codecs
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from scriptalign.core.errors import ScriptalignError


class Hang(BaseException):
    """An example ran past its time bound."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the main thread after ``seconds`` of wall time."""
    def expired(signum: int, frame: Any) -> None:
        raise Hang(f"no result after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bound_for(size: int) -> float:
    """Seconds one parse may take: generous, the machine is shared (2 cores, 5 users)."""
    return 10.0 + 3.0 * size / 1_000_000


def check_clean_error(exc: BaseException, path: Path | None = None) -> None:
    """A failure on bad input: our own error, one short line, naming the file."""
    assert isinstance(exc, ScriptalignError), f"{type(exc).__name__}: {exc}"
    message = str(exc)
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, repr(message)
    assert len(message) < 1000, f"{len(message)} characters: {message[:200]}..."
    if path is not None:
        assert str(path) in message, message


# -- mutations of a file's bytes -----------------------------------------------------------

ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1252", "latin-1",
             "cp1251", "cp1253", "shift_jis", "gb18030", "koi8-r", "mac_roman", "cp437",
             "cp500", "utf-7")
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)
# Tokens of every format we read, so that spliced-in text gets past the first checks.
PIECES = (
    "\n", "\n\n", " " * 15, " " * 25, " " * 37, "\t", "INT. ROOM - DAY", "EXT. SPACE",
    "JOHN", "JOHN (V.O.)", "(beat)", "(MORE)", "CONTINUED:", "12.", "Hello there.", "CUT TO:",
    "Bob: hi", "[Scene: x]", "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:02.000",
    "99:99:99,999 --> 00:00:00,000", "1", "0", "-1", "WEBVTT", "NOTE", "STYLE", "<v Bob>",
    "</v>", "<i>", "</i>", "{\\an8}", "[LAUGHS]", "- ", "♪", "/*", "*/", "[[", "]]", "@", "^",
    ">", "<", "===", "~", "!", ".", "(", ")", "{", "}", "&amp;", "&#x0;", "-->", ":", "\r",
    "\x00", "\ufeff", "²", "٣", "\x0c", "\u2028", "\U0001f600", "Title: x", "#", "**", "_",
)
LONG_PIECES = ("a", " ", "JOHN ", "-->", "<", "(", "[", "*a", "_a", "/*", "Bob: ", "\t",
               "00:00:01,000 --> 00:00:02,000 ", "JOHN   MARY   ", "é", "\x00")

_FRAC = st.floats(0.0, 1.0)
MUTATION = st.one_of(
    st.tuples(st.just("truncate"), _FRAC),
    st.tuples(st.just("delete_lines"), _FRAC, st.integers(1, 50)),
    st.tuples(st.just("duplicate_lines"), _FRAC, st.integers(1, 20)),
    st.tuples(st.just("swap_lines"), _FRAC, _FRAC),
    st.tuples(st.just("encoding"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("nul"), _FRAC, st.integers(1, 20)),
    st.tuples(st.just("long_line"), _FRAC, st.sampled_from((1_000, 100_000, 1_000_000)),
              st.sampled_from(LONG_PIECES)),
    st.tuples(st.just("bytes"), _FRAC, st.binary(min_size=1, max_size=30)),
    st.tuples(st.just("flip"), _FRAC, st.integers(1, 255)),
    st.tuples(st.just("line_ends"), st.sampled_from(("\r\n", "\r", "\n", "\u2028"))),
    st.tuples(st.just("bom"), st.sampled_from(BOMS)),
    st.tuples(st.just("piece"), _FRAC, st.lists(st.sampled_from(PIECES), min_size=1,
                                                max_size=8).map("".join)),
)
MUTATIONS = st.lists(MUTATION, min_size=1, max_size=4)


def _at(data: bytes | list[bytes], frac: float) -> int:
    return min(len(data), int(frac * len(data)))


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def apply(data: bytes, op: tuple[Any, ...]) -> bytes:
    kind = op[0]
    if kind == "truncate":
        return data[: _at(data, op[1])]
    if kind in ("delete_lines", "duplicate_lines", "swap_lines"):
        lines = data.split(b"\n")
        i = min(len(lines) - 1, _at(lines, op[1]))
        if kind == "delete_lines":
            del lines[i : i + op[2]]
        elif kind == "duplicate_lines":
            lines[i:i] = lines[i : i + op[2]]
        else:
            j = min(len(lines) - 1, _at(lines, op[2]))
            lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if kind == "encoding":
        return _decoded(data).encode(op[1], errors="replace")
    if kind == "nul":
        i = _at(data, op[1])
        return data[:i] + b"\x00" * op[2] + data[i:]
    if kind == "long_line":
        i = _at(data, op[1])
        piece = op[3].encode()
        line = piece * (op[2] // len(piece))
        return data[:i] + b"\n" + line + b"\n" + data[i:]
    if kind == "bytes":
        i = _at(data, op[1])
        return data[:i] + op[2] + data[i:]
    if kind == "flip":
        if not data:
            return data
        i = min(len(data) - 1, _at(data, op[1]))
        return data[:i] + bytes([data[i] ^ op[2]]) + data[i + 1 :]
    if kind == "line_ends":
        return _decoded(data).replace("\n", op[1]).encode("utf-8")
    if kind == "bom":
        return op[1] + data
    if kind == "piece":
        i = _at(data, op[1])
        return data[:i] + op[2].encode("utf-8") + data[i:]
    raise ValueError(kind)


def mutate(data: bytes, ops: list[tuple[Any, ...]]) -> bytes:
    for op in ops:
        data = apply(data, op)
    return data


# -- mutations of a JSON document ----------------------------------------------------------

# Stand-ins replaced after json.dumps: text json.dumps cannot write itself.
HUGE = "\x00huge number\x00"  # 5,000 digits: more than Python converts from text to int
DEEP = "\x00deep nesting\x00"  # 5,000 nested lists: deeper than the parser recurses
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                     st.sampled_from((HUGE, DEEP, "", "0", "<script>", -1, 0, 1e308)))
JSON_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _walk(data: st.DataObject, doc: Any) -> list[Any]:
    """A random path (keys and indices) from the root into ``doc``."""
    path: list[Any] = []
    node = doc
    while isinstance(node, dict | list) and node and data.draw(st.integers(0, 3)) > 0:
        key = (data.draw(st.sampled_from(sorted(node))) if isinstance(node, dict)
               else data.draw(st.integers(0, len(node) - 1)))
        path.append(key)
        node = node[key]
    return path


def _edit(doc: Any, path: list[Any], change: Any) -> Any:
    """A copy of ``doc`` (only the containers along ``path`` are copied) with the value at
    ``path`` passed through ``change``; ``change`` returning ``_DELETE`` deletes it."""
    if not path:
        return change(doc)
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    new = _edit(doc[path[0]], path[1:], change)
    if new is _DELETE:
        del copy[path[0]]
    else:
        copy[path[0]] = new
    return copy


_DELETE = object()


def mutate_json(data: st.DataObject, doc: Any) -> bytes:
    """``doc`` with one to four random edits, as bytes (sometimes also mutated as text)."""
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        path = _walk(data, doc)
        how = data.draw(st.sampled_from(("replace", "delete", "wrap", "double")), label="how")
        if how == "replace":
            value = data.draw(JSON_VALUES, label="value")
            doc = _edit(doc, path, lambda _, v=value: v)
        elif how == "delete" and path:
            doc = _edit(doc, path, lambda _: _DELETE)
        elif how == "wrap":
            doc = _edit(doc, path, lambda v: [v])
        else:
            doc = _edit(doc, path, lambda v: v + v if isinstance(v, list | str) else v)
    text = json.dumps(doc, ensure_ascii=False)
    text = text.replace(json.dumps(HUGE), "9" * 5000)
    text = text.replace(json.dumps(DEEP), "[" * 5_000 + "]" * 5_000)
    raw = text.encode("utf-8", errors="surrogatepass")
    if data.draw(st.integers(0, 3), label="also as text") == 0:
        raw = mutate(raw, data.draw(MUTATIONS, label="text mutations"))
    return raw
