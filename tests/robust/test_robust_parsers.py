"""Hostile text inputs: every script and subtitle reader parses or fails cleanly, in time.

For each reader (indented screenplay, Fountain, transcript, SRT, WebVTT, and the two
registry loaders that pick a reader by name and content), from a file on disk:

- arbitrary bytes;
- mutations (tests/robust_inputs.py: truncation, deleted lines, another encoding, NUL
  bytes, long lines, ...) of the project's own files (examples/launch_day and small
  samples below) and of the real files in ../shared (skipped when absent);
- a 10 MB line inside a real file.

Either the reader returns a well-formed result (line spans inside the file, cue times
ordered and finite) or it raises ``ScriptalignError`` with a one-line message naming the
file; anything else, or taking longer than the bound, fails.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_inputs import (
    MUTATIONS,
    PIECES,
    Hang,
    bound_for,
    check_clean_error,
    mutate,
    time_limit,
)

from scriptalign.core.textfile import read_text
from scriptalign.text.formats import (
    format_vtt,
    load_script,
    load_subtitles,
    parse_fountain,
    parse_screenplay,
    parse_srt,
    parse_transcript,
    parse_vtt,
)
from scriptalign.text.formats.cleaning import strip_hash_ends
from scriptalign.text.formats.fountain import remove_emphasis
from scriptalign.text.formats.lines import split_lines
from scriptalign.text.screenplay import ELEMENT_KINDS, Screenplay
from scriptalign.text.subtitles import Subtitles

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "launch_day"

FOUNTAIN = """Title: Launch Day
Author: scriptalign tests

INT. LAUNCH CONTROL - NIGHT

A wall of consoles. /* a boneyard note */ The clock reads T-MINUS 10:00.

EILEEN
(into her headset)
Control, this is Eileen. Do you read me?

@McGRACE
Loud and clear, *Commander*.

EILEEN ^
Is that good news?

> CUT TO:

.THE PAD

~A song of launch days~
"""
TRANSCRIPT = """[Scene: The control room. Eileen at the console.]
Eileen: control, this is eileen. do you read me?
Grace (smiling): loud and clear, commander.
(Eileen laughs)
is that good news
Grace: it is the best news.
"""
VTT = """WEBVTT

NOTE made for the robustness tests

1
00:00:03.400 --> 00:00:05.600 align:start
<v Eileen>Control, this is Eileen.</v>
Do you read me?

00:05.800 --> 00:07.800
<i>Launch window</i> opens &amp; closes.

STYLE
::cue { color: lime }

3
00:00:08.300 --> 00:00:10.300
- Loud and clear.
- [LAUGHS] Commander.
"""

Reader = Callable[[Path], Any]


def _with(parse: Callable[[str, Path], Any]) -> Reader:
    return lambda path: parse(read_text(path), path)


# name -> (reader, file name the bytes are written to)
READERS: dict[str, tuple[Reader, str]] = {
    "screenplay": (_with(parse_screenplay), "script.txt"),
    "fountain": (_with(parse_fountain), "script.fountain"),
    "transcript": (_with(parse_transcript), "episode.transcript.txt"),
    "srt": (_with(parse_srt), "subs.srt"),
    "vtt": (_with(parse_vtt), "subs.vtt"),
    "load_script": (load_script, "script.txt"),
    "load_subtitles": (load_subtitles, "subtitles.srt"),
}


def own_seeds() -> dict[str, bytes]:
    return {
        "launch_day.script.txt": (EXAMPLE / "launch_day.script.txt").read_bytes(),
        "launch_day.en.srt": (EXAMPLE / "launch_day.en.srt").read_bytes(),
        "launch_day.fountain": FOUNTAIN.encode(),
        "launch_day.transcript.txt": TRANSCRIPT.encode(),
        "launch_day.vtt": VTT.encode(),
    }


def shared_seeds(shared: Path) -> dict[str, bytes]:
    data = shared / "data"
    files = (sorted(data.glob("films/*/script.txt")) + sorted(data.glob("films/*/subs*.srt"))
             + sorted(data.glob("tv/*/transcript.txt")) + sorted(data.glob("tv/*/subs.srt")))
    seeds = {str(p.relative_to(data)): p.read_bytes() for p in files}
    # No shared file is WebVTT: the real cues of one film, written as WebVTT.
    srt = data / "films" / "star_wars_1977" / "subs.srt"
    if srt.exists():
        seeds["star_wars_1977/subs.vtt"] = format_vtt(load_subtitles(srt).cues).encode()
    return seeds


def check_result(result: Any, path: Path) -> None:
    """What a successful parse must look like."""
    if isinstance(result, Screenplay):
        count = len(split_lines(read_text(path)))
        for el in result.elements:
            assert el.kind in ELEMENT_KINDS
            assert isinstance(el.text, str)
            assert el.speaker is None or isinstance(el.speaker, str)
            assert 1 <= el.lines[0] <= el.lines[1] <= count, (el, count)
    else:
        assert isinstance(result, Subtitles)
        previous = 0
        for cue in result.cues:
            assert isinstance(cue.index, int) and cue.index > previous, (cue.index, previous)
            previous = cue.index
            assert math.isfinite(cue.start) and 0 <= cue.start <= cue.end, cue
            assert all(isinstance(line.text, str) for line in cue.lines)


def parse_or_fail_cleanly(name: str, folder: Path, data: bytes) -> str:
    """Run reader ``name`` on ``data`` written to a file; return "ok" or "error"."""
    reader, filename = READERS[name]
    path = folder / filename
    path.write_bytes(data)
    started = time.monotonic()
    try:
        with time_limit(bound_for(len(data))):
            result = reader(path)
    except Hang:
        raise AssertionError(f"{name}: no result after {time.monotonic() - started:.0f} s "
                             f"on {len(data)} bytes") from None
    except Exception as exc:
        check_clean_error(exc, path)
        return "error"
    check_result(result, path)
    return "ok"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A name with a space and non-ASCII letters: messages must name it as it is.
    path = tmp_path_factory.mktemp("hostile") / "dossier à lire"
    path.mkdir()
    return path


SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                        HealthCheck.data_too_large])

# Bytes that are text-like often enough to reach the parsers, raw bytes otherwise.
BYTES = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.sampled_from(PIECES), max_size=80).map(lambda p: "".join(p).encode()),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
)


@pytest.mark.parametrize("name", list(READERS))
@settings(SLOW_OK, max_examples=200)
@given(data=BYTES)
def test_arbitrary_bytes_parse_or_fail_cleanly(name: str, folder: Path, data: bytes) -> None:
    parse_or_fail_cleanly(name, folder, data)


@pytest.mark.parametrize("name", list(READERS))
@settings(SLOW_OK, max_examples=100)
@given(seed=st.sampled_from(sorted(own_seeds())), ops=MUTATIONS)
def test_mutated_own_files_parse_or_fail_cleanly(name: str, folder: Path, seed: str,
                                                 ops: list[tuple[Any, ...]]) -> None:
    parse_or_fail_cleanly(name, folder, mutate(own_seeds()[seed], ops))


@pytest.fixture(scope="module")
def real_files(shared: Path) -> dict[str, bytes]:
    return shared_seeds(shared)


@pytest.mark.shared
@pytest.mark.parametrize("name", list(READERS))
@settings(SLOW_OK, max_examples=30)
@given(pick=st.data(), ops=MUTATIONS)
def test_mutated_shared_files_parse_or_fail_cleanly(name: str, folder: Path,
                                                    real_files: dict[str, bytes],
                                                    pick: st.DataObject,
                                                    ops: list[tuple[Any, ...]]) -> None:
    seed = pick.draw(st.sampled_from(sorted(real_files)), label="seed")
    parse_or_fail_cleanly(name, folder, mutate(real_files[seed], ops))


def test_unmutated_seeds_parse(folder: Path) -> None:
    """The mutation tests start from files their readers accept (else they test little)."""
    seeds = own_seeds()
    for name, seed in [("screenplay", "launch_day.script.txt"), ("srt", "launch_day.en.srt"),
                       ("fountain", "launch_day.fountain"),
                       ("transcript", "launch_day.transcript.txt"), ("vtt", "launch_day.vtt")]:
        assert parse_or_fail_cleanly(name, folder, seeds[seed]) == "ok", name


# One 10 MB line per reader, made of the token its regular expressions work hardest on.
TEN_MB = 10_000_000
HOSTILE_LINE = {
    "screenplay": "JOHN   MARY   ",  # two cues side by side: the dual-dialogue splitter
    "fountain": "*a",  # emphasis markers that never close
    "transcript": "Bob Bob: ",  # a speaker name, again and again
    "srt": "<",  # a tag that never closes
    "vtt": "<v ",  # a voice that never closes
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE_LINE))
def test_a_ten_megabyte_line_parses_or_fails_cleanly(name: str, folder: Path) -> None:
    seed = {"screenplay": "launch_day.script.txt", "fountain": "launch_day.fountain",
            "transcript": "launch_day.transcript.txt", "srt": "launch_day.en.srt",
            "vtt": "launch_day.vtt"}[name]
    data = own_seeds()[seed]
    middle = data.find(b"\n\n", len(data) // 2) + 1
    piece = HOSTILE_LINE[name].encode()
    line = piece * (TEN_MB // len(piece))
    # The file still holds every cue or speech: the line must not hide them.
    assert parse_or_fail_cleanly(name, folder, data[:middle] + line + b"\n" + data[middle:]
                                 ) == "ok"


# Lines that took quadratic (or worse) time in a regular expression of a reader, found by
# the tests above and by timing every pattern of scriptalign.text.formats on long repetitive
# strings: 30 KB of "<v " took 5 s in the WebVTT voice pattern, 60 KB of "_a " 43 s in
# Fountain's emphasis, "CONTINUED" + 1,600 blanks + "x" 40 s (cubic). At 1 MB each would
# run for days; fixed, each file parses in well under a second.
MB = 1_000_000
QUADRATIC = {
    "vtt voice tag": ("vtt", "<v " * (MB // 3)),
    "fountain emphasis": ("fountain", "_a " * (MB // 3)),
    "fountain emphasis stars": ("fountain", "**a " * (MB // 4)),
    "fountain scene number": ("fountain", "\nINT. HOUSE" + " " * MB + "x\n"),
    "screenplay CONTINUED": ("screenplay", "CONTINUED" + " " * MB + "x"),
    "screenplay scene numbers at both ends": ("screenplay", "12" + " " * MB + "x"),
    "screenplay scene number at the end": ("screenplay", "INT. HOUSE" + " " * MB + "1x"),
    "srt music hashes": ("srt", "JOHN" + "#" * MB + "!"),
    "srt blanks": ("srt", "a" + " " * MB + "b"),
    "transcript sniffing": ("load_script", "JOHN" + " " * MB + "x"),
}


@pytest.mark.parametrize("case", list(QUADRATIC))
def test_a_long_line_takes_linear_time(case: str, folder: Path) -> None:
    name, line = QUADRATIC[case]
    seed = {"vtt": "launch_day.vtt", "fountain": "launch_day.fountain", "srt": "launch_day.en.srt"
            }.get(name, "launch_day.script.txt")
    data = own_seeds()[seed]
    middle = data.find(b"\n\n", len(data) // 2) + 1
    # CPU time, not wall time: other work on the machine must not fail this test; a
    # quadratic rule on a megabyte line would take minutes of CPU
    started = time.process_time()
    parse_or_fail_cleanly(name, folder, data[:middle] + line.encode() + b"\n" + data[middle:])
    assert time.process_time() - started < bound_for(MB)


# The rules as first written with regular expressions; the readers now apply them in linear
# time and must give the same results.
EMPHASIS_RULE = re.compile(r"(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1")
HASH_ENDS_RULE = re.compile(r"^\s*#+\s*|\s*#+\s*$")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="*_ a\\\n\tb#", max_size=40))
def test_fountain_emphasis_is_removed_as_the_regular_expression_says(text: str) -> None:
    assert remove_emphasis(text) == EMPHASIS_RULE.sub(r"\2", text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="# a\t\n♪b", max_size=30))
def test_music_hashes_are_removed_as_the_regular_expression_says(text: str) -> None:
    music = bool(HASH_ENDS_RULE.search(text))
    expected = " ".join(HASH_ENDS_RULE.sub(" ", text).split()) if music else " ".join(
        text.split())
    cleaned, found = strip_hash_ends(text)
    assert (" ".join(cleaned.split()), found) == (expected, music)
