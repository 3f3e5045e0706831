"""Exports: subtitles with speakers, the element table, RTTM and Hollywood2 clip sets."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from scriptalign._cli import main
from scriptalign.learning.labels import Labels, TrackLabel, save_labels
from scriptalign.runs.export import export_movies, rttm_text, token
from scriptalign.runs.movie import Movie, find_movie
from scriptalign.text.alignment import Alignment, save_alignment
from scriptalign.text.bags import Bag
from scriptalign.text.formats import parse_srt, parse_vtt
from scriptalign.text.screenplay import Element
from scriptalign.text.subtitles import Cue, SubtitleLine
from scriptalign.video.tracks import FaceTracks, Shot, Track, save_tracks


def write_outputs(root: Path, name: str, *, actions: bool = True) -> Movie:
    folder = root / name
    folder.mkdir(parents=True)
    movie = find_movie(folder)
    elements = [
        Element("dialogue", "Of all the gin joints.", (3, 4), "RICK BLAINE", start=0.5, end=1.8,
                score=0.92, status="aligned", cues=(1,)),
        Element("action", "Ilsa picks up the phone.", (6, 6), start=1.8, end=2.2,
                status="interpolated"),
        Element("dialogue", "Play it, Sam.", (8, 9), "ILSA", start=2.0, end=3.0, score=0.61,
                status="aligned", cues=(2,)),
    ]
    cues = [Cue(1, 0.5, 1.8, [SubtitleLine("Of all the gin joints.", 0, "", "RICK BLAINE")]),
            Cue(2, 2.0, 3.0, [SubtitleLine("Play it, Sam.", 0, "- Play it, Sam.", "ILSA"),
                              SubtitleLine("Not <b>now</b>.", 1, "- Not <b>now</b>.")])]
    bags = [Bag(1.8, 2.2, 1, ["ILSA"], ["answer phone", "sit down"], [("ILSA", "answer phone")],
                "action")]
    save_alignment(Alignment(elements, cues, bags, cast=["RICK BLAINE", "ILSA"]),
                   movie.align_path)
    spans = [(0.4, 1.5), (1.0, 2.0), (2.5, 3.0), (2.0, 3.0)]
    tracks = [Track(i, 0, s, e) for i, (s, e) in enumerate(spans)]
    save_tracks(FaceTracks({"duration": 3.0}, [Shot(0, 3, 0, 75)], tracks,
                           face=np.zeros((4, 128))), movie.faces_dir)
    acts = ["sit down", "answer phone", None, "answer phone"] if actions else [None] * 4
    names = ["RICK BLAINE", "RICK BLAINE", None, "ILSA"]
    save_labels(Labels([TrackLabel(i, n, 0.8, action=a, action_score=0.6 if a else None)
                        for i, (n, a) in enumerate(zip(names, acts, strict=True))]),
                movie.labels_path)
    return movie


def test_vtt_and_srt_carry_the_speakers(tmp_path: Path) -> None:
    movie = write_outputs(tmp_path, "casablanca")
    for fmt in ("vtt", "srt"):
        [result] = export_movies([movie], fmt, tmp_path / "out")
        assert result.status == "ok"
        path = tmp_path / "out" / f"casablanca.{fmt}"
        assert result.outputs == [str(path)]
        text = path.read_text(encoding="utf-8")
        subs = (parse_vtt if fmt == "vtt" else parse_srt)(text)
        assert [c.start for c in subs.cues] == [0.5, 2.0]
        assert len(subs.cues[1].lines) == 2
    vtt = (tmp_path / "out" / "casablanca.vtt").read_text(encoding="utf-8")
    assert "<v RICK BLAINE>Of all the gin joints.</v>" in vtt
    assert "<b>" not in vtt  # markup from the input is escaped or dropped
    srt = (tmp_path / "out" / "casablanca.srt").read_text(encoding="utf-8")
    assert "RICK BLAINE: Of all the gin joints." in srt


def test_csv_has_one_row_per_element(tmp_path: Path) -> None:
    movie = write_outputs(tmp_path, "casablanca")
    export_movies([movie], "csv", tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "casablanca.csv").read_text(encoding="utf-8"))))
    assert [r["text"] for r in rows] == ["Of all the gin joints.", "Ilsa picks up the phone.",
                                         "Play it, Sam."]
    assert rows[0]["speaker"] == "RICK BLAINE" and float(rows[2]["start"]) == 2.0


def test_rttm_merges_overlapping_tracks_and_drops_background(tmp_path: Path) -> None:
    movie = write_outputs(tmp_path, "my film")
    [result] = export_movies([movie], "rttm", tmp_path / "out")
    text = (tmp_path / "out" / "my_film.rttm").read_text(encoding="utf-8")
    assert result.outputs == [str(tmp_path / "out" / "my_film.rttm")]
    lines = [ln.split() for ln in text.splitlines()]
    assert all(len(f) == 10 and f[0] == "SPEAKER" and f[1] == "my_film" for f in lines)
    got = [(f[7], float(f[3]), float(f[4])) for f in lines]
    # RICK's tracks 0.4-1.5 and 1.0-2.0 are one appearance; track 2 is background
    assert got == [("RICK_BLAINE", 0.4, pytest.approx(1.6)), ("ILSA", 2.0, 1.0)]


def test_token_makes_one_field() -> None:
    assert token("  Mr.\tRick \n Blaine ") == "Mr._Rick_Blaine"
    tracks = FaceTracks({}, [], [Track(0, 0, 1.0, 2.0)])
    text = rttm_text("a b", tracks, Labels([TrackLabel(0, "x\ny z", 1.0)]))
    assert text == "SPEAKER a_b 1 1.000 1.000 <NA> <NA> x_y_z <NA> <NA>\n"


def test_hollywood2_clip_sets_from_learned_actions(tmp_path: Path) -> None:
    a = write_outputs(tmp_path, "casablanca")
    b = write_outputs(tmp_path, "notorious")
    results = export_movies([a, b], "hollywood2", tmp_path / "h2")
    assert [r.status for r in results] == ["ok", "ok"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h2" / "clips.csv").read_text())))
    assert len(rows) == 6  # 3 tracks with an action per movie
    assert rows[0] == {"clip": "casablanca_track00000", "movie": "casablanca",
                       "start": "0.400", "end": "1.500", "person": "RICK BLAINE",
                       "action": "sit down", "score": "0.6000", "source": "learned"}
    sets = sorted(p.name for p in (tmp_path / "h2" / "ClipSets").iterdir())
    assert sets == ["answer_phone.txt", "sit_down.txt"]
    phone = (tmp_path / "h2" / "ClipSets" / "answer_phone.txt").read_text().splitlines()
    assert phone == ["casablanca_track00000 -1", "casablanca_track00001 1",
                     "casablanca_track00003 1", "notorious_track00000 -1",
                     "notorious_track00001 1", "notorious_track00003 1"]
    assert set(results[0].outputs) == {str(tmp_path / "h2" / "clips.csv"),
                                       str(tmp_path / "h2" / "ClipSets" / "answer_phone.txt"),
                                       str(tmp_path / "h2" / "ClipSets" / "sit_down.txt")}


def test_hollywood2_falls_back_to_the_scripts_action_lines(tmp_path: Path) -> None:
    movie = write_outputs(tmp_path, "casablanca", actions=False)
    export_movies([movie], "hollywood2", tmp_path / "h2")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "h2" / "clips.csv").read_text())))
    assert [(r["person"], r["action"], r["source"]) for r in rows] == [
        ("ILSA", "answer phone", "script"), ("ILSA", "sit down", "script")]
    assert (tmp_path / "h2" / "ClipSets" / "sit_down.txt").read_text().splitlines() == [
        "casablanca_bag00000_0 -1", "casablanca_bag00000_1 1"]


def test_cli_export_one_bad_movie_costs_one_movie(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    good = write_outputs(tmp_path, "good")
    bad = tmp_path / "bad"
    bad.mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(good.folder), str(bad), "--to", str(tmp_path / "x"),
              "--format", "rttm", "--json"])
    assert exit_.value.code == 1
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["movie"], r["status"]) for r in records] == [(str(good.folder), "ok"),
                                                            (str(bad), "failed")]
    # Without face tracks the RTTM says who speaks, from align.json, which is missing too.
    assert "align.json" in records[1]["error"]
    assert err.count("\n") == 1 and "bad: export:" in err
    assert (tmp_path / "x" / "good.rttm").exists()


def test_cli_export_to_an_unwritable_place_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    movie = write_outputs(tmp_path, "good")
    blocker = tmp_path / "plain_file"
    blocker.write_text("in the way")
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(movie.folder), "--to", str(blocker / "x"), "--format", "csv"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{blocker / 'x'}: cannot write here" in err


def test_cli_export_help_marks_its_required_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert help_text.count("(required)") >= 2


def test_cli_export_unknown_format_is_a_usage_error(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(tmp_path), "--to", str(tmp_path), "--format", "docx"])
    assert exit_.value.code == 2
    assert "--format 'docx'" in capsys.readouterr().err


def test_rttm_without_tracks_says_who_speaks_when(tmp_path: Path) -> None:
    from scriptalign.runs.export import speakers_rttm_text

    cues = [Cue(1, 10.0, 12.0, [SubtitleLine("Hi.", 0, speaker="MARGO"),
                                SubtitleLine("Hello.", 1, speaker="DESMOND")]),
            Cue(2, 12.0, 14.0, [SubtitleLine("Go on.", 0, speaker="DESMOND")]),
            Cue(3, 20.0, 21.0, [SubtitleLine("[music]", 0, speaker=None)])]
    text = speakers_rttm_text("my film", Alignment([], cues, []))
    assert text.splitlines() == [
        "SPEAKER my_film 1 10.000 1.000 <NA> <NA> MARGO <NA> <NA>",
        "SPEAKER my_film 1 11.000 3.000 <NA> <NA> DESMOND <NA> <NA>",
    ]
