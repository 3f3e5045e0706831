"""Reading and writing SubRip files, including the broken ones found in the wild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.formats import format_srt, load_subtitles, parse_srt
from scriptalign.text.formats.srt import _read_leniently, _read_with_pysrt
from scriptalign.text.subtitles import Cue, SubtitleLine

GOOD = """1
00:00:01,250 --> 00:00:03,750
If a kettle is left on the stove all night
with nobody watching it...

2
00:00:12,480 --> 00:00:14,025
- Excuse me.
- <i>One moment.</i>

3
01:02:03,004 --> 01:02:05,500
JOHN: [LAUGHS] Over here.
"""


def summary(text: str) -> list[tuple[int, float, float, list[str]]]:
    return [(c.index, c.start, c.end, [ln.text for ln in c.lines]) for c in parse_srt(text).cues]


def test_well_formed_file() -> None:
    subs = parse_srt(GOOD)
    assert summary(GOOD) == [
        (1, 1.25, 3.75, ["If a kettle is left on the stove all night",
                         "with nobody watching it..."]),
        (2, 12.48, 14.025, ["Excuse me.", "One moment."]),
        (3, 3723.004, 3725.5, ["Over here."]),
    ]
    two = subs.cues[1].lines
    assert [(ln.index, ln.raw) for ln in two] == [(0, "- Excuse me."), (1, "- <i>One moment.</i>")]
    labelled = subs.cues[2].lines[0]
    assert (labelled.label, labelled.speaker) == ("JOHN", "JOHN")
    assert _read_with_pysrt(GOOD) is not None  # the primary path accepted it


@pytest.mark.parametrize(
    "variant",
    [
        GOOD.replace("\n", "\r\n"),
        GOOD.replace("\n", "\r"),
        "\ufeff" + GOOD,
        GOOD.replace("\n", "\r\n", 5),  # mixed line ends
        GOOD.replace(",", "."),  # dots in timestamps
        "\n\n" + GOOD.replace("\n\n", "\n\n\n") + "\n\n\n",
    ],
)
def test_line_ends_bom_and_spacing_do_not_matter(variant: str) -> None:
    text = variant.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert summary(text) == summary(GOOD)


def test_line_ends_and_bom_through_load_subtitles(tmp_path: Path) -> None:
    path = tmp_path / "a.srt"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    subs = load_subtitles(path)
    assert [(c.index, c.text) for c in subs.cues] == [(c.index, c.text)
                                                     for c in parse_srt(GOOD).cues]
    assert subs.path == str(path)


def test_missing_blank_line_between_cues() -> None:
    text = GOOD.replace("with nobody watching it...\n\n2", "with nobody watching it...\n2")
    assert _read_with_pysrt(text) is None  # pysrt merges the two cues: we do not
    assert summary(text) == summary(GOOD)


def test_bad_numbering_and_a_cue_without_text() -> None:
    text = ("7\n00:00:01,000 --> 00:00:02,000\nFirst.\n\n"
            "7\n00:00:03,000 --> 00:00:04,000\nRepeated number.\n\n"
            "x\n00:00:05,000 --> 00:00:06,000\nGarbled number.\n\n"
            "00:00:07,000 --> 00:00:08,000\nNo number.\n\n"
            "20\n00:00:09,000 --> 00:00:10,000\n\n"
            "21\n00:00:11,000 --> 00:00:12,000\nLast.\n")
    cues = parse_srt(text).cues
    # Numbers as written, even repeated; a garbled or missing one continues the count.
    assert [(c.index, c.text) for c in cues] == [
        (7, "First."), (7, "Repeated number."), (8, "Garbled number."), (9, "No number."),
        (20, ""), (21, "Last."),
    ]
    assert cues[4].lines == []


def test_text_after_a_blank_line_inside_a_cue_is_kept() -> None:
    text = ("1\n00:00:01,000 --> 00:00:02,000\nHello\n\nthere.\n\n"
            "2\n00:00:03,000 --> 00:00:04,000\nBye.\n")
    assert summary(text) == [(1, 1.0, 2.0, ["Hello", "there."]), (2, 3.0, 4.0, ["Bye."])]


def test_short_millisecond_field_is_a_fraction() -> None:
    text = "1\n00:00:01,5 --> 00:00:02,25\nHi.\n"
    assert summary(text) == [(1, 1.5, 2.25, ["Hi."])]


@pytest.mark.parametrize("text", ["", "just words\n", "1\nno timing here\n\n2\n"])
def test_zero_cues_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match="no subtitle cues"):
        parse_srt(text, "x.srt")


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.srt"
    empty.write_bytes(b"")
    binary = tmp_path / "movie.srt"
    binary.write_bytes(b"\x00\x01\x02RIFF\x00\x00" * 100)
    for path in (empty, binary):
        with pytest.raises(InputError) as err:
            load_subtitles(path)
        assert str(path) in str(err.value)


def test_encoding_is_detected_and_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "fr.srt"
    path.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nAttaché à l'ambassade.\n".encode("cp1252"))
    assert load_subtitles(path).cues[0].text == "Attaché à l'ambassade."
    forced = load_subtitles(path, encoding="latin-1")
    assert forced.encoding == "latin-1" and forced.cues[0].text == "Attaché à l'ambassade."


def test_writer_round_trip() -> None:
    cues = [
        Cue(1, 1.5, 2.25, [SubtitleLine("Hi.", 0, speaker="Rick"),
                           SubtitleLine("Hello.", 1, speaker="ILSA")]),
        Cue(2, 3600.0, 3601.001, [SubtitleLine("", 0, raw="[LAUGHS]"),
                                  SubtitleLine("No one here.", 1)]),
        Cue(5, 4000.0, 4001.0, []),
    ]
    text = format_srt(cues)
    assert text.startswith("1\n00:00:01,500 --> 00:00:02,250\nRICK: Hi.\nILSA: Hello.\n\n")
    again = parse_srt(text).cues
    assert [(c.index, c.start, c.end) for c in again] == [(1, 1.5, 2.25), (2, 3600.0, 3601.001),
                                                         (5, 4000.0, 4001.0)]
    assert [[(ln.index, ln.text, ln.speaker) for ln in c.lines] for c in again] == [
        [(0, "Hi.", "RICK"), (1, "Hello.", "ILSA")],
        [(0, "", None), (1, "No one here.", None)],
        [],
    ]


def test_shared_subtitles_pysrt_and_lenient_agree(shared: Path) -> None:
    for path in sorted((shared / "data").glob("*/*/subs*.srt")):
        subs = load_subtitles(path)
        assert subs.cues, path
        text = path.read_bytes().decode(subs.encoding or "utf-8").lstrip("\ufeff")
        text = text.replace("\r\n", "\n")
        strict = _read_with_pysrt(text)
        # pysrt declines some real files (matrix_1999 is numbered from 0): the lenient
        # reader then reads them alone; where pysrt reads a file, both agree on it
        assert strict is None or strict == _read_leniently(text), path


def test_latin1_copy_reads_the_same(shared: Path) -> None:
    film = shared / "data" / "films" / "mission_impossible_1996"
    utf8 = load_subtitles(film / "subs.srt")
    latin1 = load_subtitles(film / "subs_latin1.srt")
    assert len(utf8.cues) == 933
    assert latin1.cues == utf8.cues
    assert any("attaché" in c.text for c in latin1.cues)


def test_tv_lines_match_the_benchmark_keys(shared: Path) -> None:
    for episode in ("bbt_s01e01", "bbt_s01e02", "bbt_s01e03"):
        folder = shared / "data" / "tv" / episode
        subs = load_subtitles(folder / "subs.srt")
        ours = {(c.index, ln.index): ln.raw for c in subs.cues for ln in c.lines}
        truth = [json.loads(x) for x in (folder / "gt_speakers.jsonl").read_text().splitlines()]
        assert {(r["srt_index"], r["line"]): r["text"] for r in truth} == ours


def test_numbering_from_zero_is_kept() -> None:
    text = ("0\n00:00:01,000 --> 00:00:02,000\nA release tag.\n\n"
            "1\n00:00:03,000 --> 00:00:04,000\nFirst line.\n")
    assert [c.index for c in parse_srt(text).cues] == [0, 1]


def test_impossible_timestamps_are_counted_and_named() -> None:
    text = ("1\n00:00:01,000 --> 00:00:02,000\nFine.\n\n"
            "2\n99:99:99,999 --> 99:99:99,999\nGarbage.\n\n"
            "3\n00:61:00,000 --> 00:61:02,000\nMinutes past 59.\n\n"
            "4\n00:00:09,000 --> 00:00:08,000\nBackwards.\n")
    subs = parse_srt(text, "x.srt")
    assert [(c.index, c.text) for c in subs.cues] == [(1, "Fine."), (4, "Backwards.")]
    assert subs.cues[1].start == subs.cues[1].end == 9.0
    assert len(subs.problems) == 2
    assert "2 cue(s)" in subs.problems[0] and "cue 2 `99:99:99,999" in subs.problems[0]
    assert "1 cue(s)" in subs.problems[1] and "ends before it starts" in subs.problems[1]


def test_no_possible_time_at_all_is_an_input_error() -> None:
    text = "1\n00:99:00,000 --> 00:99:01,000\nA.\n\n2\n00:00:75,000 --> 00:00:76,000\nB.\n"
    with pytest.raises(InputError, match=r"no cue has a possible time \(cue 1"):
        parse_srt(text, "x.srt")
