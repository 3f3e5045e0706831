"""Text from input files in the HTML report and in every export stays text.

Generated texts (markup, ``</script>``, ``&``, quotes, line separators, spreadsheet
formulas, names with spaces, ...) go into every field that comes from a script, a
subtitle file, a learned name or a folder name; then:

- report.html has exactly the template's elements (an HTML parser sees the same tags, so
  nothing was injected), its title reads as the movie's name, and its embedded data reads
  back as exactly what was put in;
- SRT and WebVTT exports read back to the same cues and texts (WebVTT never carries a raw
  ``-->``, ``<`` or ``&``);
- CSV exports (clips.csv, the element table) start no cell with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return, which spreadsheets run as formulas (OWASP "CSV
  injection"; such a cell gets a leading ``'``), and every row has its columns;
- RTTM has ten space-separated fields per line: names with blanks become ``_``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scriptalign.core.jsonfile import displayable
from scriptalign.learning.labels import Labels, TrackLabel, save_labels
from scriptalign.runs.export import FORMATS, export_movies, token
from scriptalign.runs.movie import Movie, find_movie
from scriptalign.runs.report import write_report
from scriptalign.text.alignment import Alignment, save_alignment
from scriptalign.text.bags import Bag
from scriptalign.text.formats import parse_srt, parse_vtt
from scriptalign.text.screenplay import Element
from scriptalign.text.subtitles import Cue, SubtitleLine
from scriptalign.video.tracks import FaceTracks, Track, save_tracks

NASTY = ["<script>alert(1)</script>", "</script><img src=x onerror=alert(2)>", "<!--", "-->",
         "]]>", '"quoted"', "'single'", "Tom & Jerry", "&amp;", "&lt;b&gt;", "\u2028", "\u2029",
         "=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK()",
         "MARY JANE", "R2 D2\u00a0X", "%%DATA%%", "%%TITLE%%", "${x}", "{{x}}", "\\", "<v Bob>",
         "00:00:01,000 --> 00:00:02,000", "1", "WEBVTT", "NOTE x"]
TEXT = st.one_of(st.sampled_from(NASTY),
                 st.lists(st.sampled_from(NASTY), min_size=1, max_size=3).map(" ".join),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
NAME = st.one_of(st.none(), TEXT.filter(lambda t: t.strip() != ""))
FOLDER = TEXT.map(lambda t: t.replace("/", "_").replace("\x00", "_").strip()).filter(
    lambda t: t not in ("", ".", "..") and len(t.encode()) < 200)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                        HealthCheck.function_scoped_fixture])


@st.composite
def movie_texts(draw: st.DrawFn) -> dict[str, Any]:
    return {"folder": draw(FOLDER), "texts": draw(st.lists(TEXT, min_size=4, max_size=4)),
            "speakers": draw(st.lists(NAME, min_size=3, max_size=3)),
            "raws": draw(st.lists(TEXT, min_size=2, max_size=2)),
            "names": draw(st.lists(NAME, min_size=3, max_size=3)),
            "actions": draw(st.lists(NAME, min_size=3, max_size=3))}


def write_movie(root: Path, x: dict[str, Any]) -> Movie:
    folder = root / x["folder"]
    folder.mkdir(parents=True)
    movie = find_movie(folder)
    t, who = x["texts"], x["speakers"]
    elements = [Element("dialogue", t[0], (1, 2), who[0], start=0.5, end=1.5, score=0.5,
                        status="aligned", cues=(1,)),
                Element("action", t[1], (3, 3), start=1.5, end=2.5, status="interpolated"),
                Element("dialogue", t[2], (4, 5), who[1], start=2.5, end=3.5, score=0.25,
                        status="aligned"),
                Element("parenthetical", t[3], (6, 6), who[2])]
    cues = [Cue(1, 0.5, 1.5, [SubtitleLine(t[0], 0, x["raws"][0], who[0])]),
            Cue(2, 2.5, 3.5, [SubtitleLine(t[2], 0, x["raws"][1], who[1]),
                              SubtitleLine(t[3], 1, t[3], None)])]
    persons = [n for n in who if n]
    bags = [Bag(1.5, 2.5, 1, persons[:1], [a for a in x["actions"] if a],
                [(persons[0], a) for a in x["actions"][:1] if a and persons], "action")]
    save_alignment(Alignment(elements, cues, bags, str(folder / "s.script.txt"),
                             str(folder / "s.srt"), persons), movie.align_path)
    tracks = [Track(k, 0, 1.0 * k, 1.0 * k + 0.8) for k in range(3)]
    save_tracks(FaceTracks({"path": "v.webm", "fps": 10.0, "duration": 4.0}, [], tracks,
                           face=np.zeros((3, 128))), movie.faces_dir)
    save_labels(Labels([TrackLabel(k, x["names"][k], 0.5, {}, x["actions"][k],
                                   0.5 if x["actions"][k] else None) for k in range(3)]),
                movie.labels_path)
    return movie


class Tags(HTMLParser):
    """The start tags of a page, and the text of its title and data element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.title = ""
        self.data = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in = "data" if ("id", "scriptalign-data") in attrs else tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "data":
            self.data += data


def tags_of(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def template_tags() -> list[str]:
    from scriptalign.runs.report import _template

    return tags_of(_template()).tags


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def no_formulas(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA), (cell, row)


@pytest.mark.slow
@settings(SLOW_OK, max_examples=120)
@given(x=movie_texts())
@example(x={"folder": "<script>alert(1)<\\script> & \"co\"", "texts": NASTY[:4],
            "speakers": ["MARY JANE", "=cmd", None], "raws": NASTY[4:6],
            "names": ["=HYPERLINK()", "MARY JANE", "</script>"],
            "actions": ["-2+3", "\r=1", None]})
def test_report_and_exports_keep_input_text_as_text(tmp_path: Path, template_tags: list[str],
                                                    x: dict[str, Any]) -> None:
    root = tmp_path / f"case {len(list(tmp_path.iterdir()))}"
    movie = write_movie(root / "films", x)
    page = write_report(movie).read_text(encoding="utf-8")
    parsed = tags_of(page)
    assert parsed.tags == template_tags  # no element came from the data
    title = displayable(f"{movie.name} · scriptalign")  # HTML reads a CR as a line feed
    assert parsed.title == title.replace("\r\n", "\n").replace("\r", "\n")
    data = json.loads(parsed.data)
    assert data["movie"] == movie.name
    assert [e["text"] for e in data["elements"]] == x["texts"]
    who = x["speakers"]
    assert [e["speaker"] for e in data["elements"]] == [who[0], None, who[1], who[2]]
    assert [t["name"] for t in data["tracks"]] == x["names"]
    assert "\u2028" not in parsed.data and "\u2029" not in parsed.data

    to = root / "exports"
    results = {fmt: export_movies([movie], fmt, to) for fmt in ("vtt", "srt", "rttm",
                                                                 "hollywood2")}
    # Two actions whose file names clash ("sit down", "sit_down") fail the clip sets, by
    # design, naming both; nothing else may fail.
    clash = "would share the file ClipSets/"
    assert all(r.status == "ok" or (fmt == "hollywood2" and clash in str(r.error))
               for fmt, rs in results.items() for r in rs), results
    name = results["vtt"][0].outputs[0]
    vtt = Path(name).read_text(encoding="utf-8")
    assert not re.search(r"-->", "\n".join(line for line in vtt.split("\n")
                                            if not re.match(r"^\d\d:\d\d:\d\d\.\d{3} --> ", line)))
    for fmt, parse in (("vtt", parse_vtt), ("srt", parse_srt)):
        cues = parse(Path(results[fmt][0].outputs[0]).read_text(encoding="utf-8")).cues
        assert [c.index for c in cues] == [1, 2]
        assert [(c.start, c.end) for c in cues] == [(0.5, 1.5), (2.5, 3.5)]
    rttm = Path(results["rttm"][0].outputs[0]).read_text(encoding="utf-8").splitlines()
    named = [n for n in x["names"] if n]
    assert len(rttm) == len(named)  # one line per named track (they do not overlap)
    for line in rttm:
        fields = line.split(" ")
        assert len(fields) == 10 and fields[0] == "SPEAKER", line
        assert fields[1] == token(movie.name) and fields[7] in {token(n) for n in named}
    if results["hollywood2"][0].status == "ok":
        clips = csv_rows(to / "clips.csv")
        assert len(clips) == 1 + sum(1 for a in x["actions"] if a), clips
        assert all(len(row) == 8 for row in clips), clips
        no_formulas(clips)


@settings(SLOW_OK, max_examples=50)
@given(x=movie_texts())
@example(x={"folder": "m", "texts": ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "a\rb"],
            "speakers": ["=HYPERLINK()", None, None], "raws": ["a", "b"],
            "names": [None, None, None], "actions": [None, None, None]})
def test_the_element_table_has_no_formulas(tmp_path: Path, x: dict[str, Any]) -> None:
    root = tmp_path / f"case {len(list(tmp_path.iterdir()))}"
    movie = write_movie(root / "films", x)
    [result] = export_movies([movie], "csv", root / "exports")
    rows = csv_rows(Path(result.outputs[0]))
    assert len(rows) == 5 and all(len(row) == 11 for row in rows)
    no_formulas(rows)


def test_every_export_format_is_covered() -> None:
    assert set(FORMATS) == {"vtt", "srt", "csv", "rttm", "hollywood2"}
