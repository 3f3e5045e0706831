"""Movie-folder discovery: which files are the video, subtitles and script; where outputs go."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError, UsageError
from scriptalign.runs.movie import (
    find_movie,
    looks_like_movie_args,
    read_movie_args,
    resolve_movies,
)


def make_folder(root: Path, name: str, files: list[str]) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for f in files:
        (folder / f).write_text("x", encoding="utf-8")
    return folder


def test_a_plain_folder_is_found_and_outputs_go_inside(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "casablanca", ["casablanca.mp4", "casablanca.srt",
                                                  "casablanca.script.txt", "notes.md"])
    movie = find_movie(folder)
    assert movie.name == "casablanca"
    assert movie.video == folder / "casablanca.mp4"
    assert movie.subtitles == folder / "casablanca.srt"
    assert movie.script == folder / "casablanca.script.txt"
    assert movie.problems == {}
    assert movie.out == folder / "scriptalign"
    assert movie.align_path == folder / "scriptalign" / "align.json"
    assert movie.faces_dir == folder / "scriptalign" / "faces"
    assert movie.report_path == folder / "scriptalign" / "report.html"


@pytest.mark.parametrize("script", ["film.fountain", "ep1.transcript.txt", "script.txt",
                                    "transcript.txt", "Film.Script.TXT"])
def test_every_documented_script_name_is_recognised(tmp_path: Path, script: str) -> None:
    folder = make_folder(tmp_path, "m", ["m.mkv", "m.vtt", script, "readme.txt"])
    assert find_movie(folder).script == folder / script


def test_a_single_txt_file_is_the_script_but_two_are_ambiguous(tmp_path: Path) -> None:
    one = make_folder(tmp_path, "one", ["v.mp4", "s.srt", "draft.txt"])
    assert find_movie(one).script == one / "draft.txt"
    two = make_folder(tmp_path, "two", ["v.mp4", "s.srt", "draft.txt", "notes.txt"])
    movie = find_movie(two)
    assert movie.script is None
    with pytest.raises(InputError) as err:
        movie.require("script")
    assert "draft.txt" in str(err.value) and "notes.txt" in str(err.value)
    assert "--script" in str(err.value)


def test_several_subtitles_need_lang_and_the_error_lists_candidates(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "m", ["m.mp4", "m.en.srt", "m.fr.srt", "m_de.vtt",
                                         "m.script.txt"])
    movie = find_movie(folder)
    with pytest.raises(InputError) as err:
        movie.require("subtitles")
    message = str(err.value)
    assert all(n in message for n in ("m.en.srt", "m.fr.srt", "m_de.vtt"))
    assert "--lang" in message
    assert find_movie(folder, lang="fr").subtitles == folder / "m.fr.srt"
    assert find_movie(folder, lang="DE").subtitles == folder / "m_de.vtt"
    missing = find_movie(folder, lang="it")
    with pytest.raises(InputError, match="no subtitle files for --lang it"):
        missing.require("subtitles")


def test_lang_is_ignored_when_there_is_only_one_subtitle_file(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "m", ["m.mp4", "subs.srt", "script.txt"])
    assert find_movie(folder, lang="en").subtitles == folder / "subs.srt"


def test_missing_and_ambiguous_video_are_problems_not_exceptions(tmp_path: Path) -> None:
    none = make_folder(tmp_path, "none", ["s.srt", "script.txt"])
    movie = find_movie(none)  # does not raise: align can still run
    assert movie.video is None and movie.script is not None
    with pytest.raises(InputError, match="no video file"):
        movie.require("video")
    two = make_folder(tmp_path, "two", ["a.mp4", "b.mkv", "s.srt", "script.txt"])
    with pytest.raises(InputError, match=r"several video files \(a.mp4, b.mkv\)"):
        find_movie(two).require("video")


def test_a_folder_without_a_script_says_which_names_are_looked_for(tmp_path: Path) -> None:
    movie = find_movie(make_folder(tmp_path, "noscript", ["m.mp4", "m.srt"]))
    with pytest.raises(InputError) as err:
        movie.require("script")
    for name in ("*.script.txt", "*.fountain", "script.pdf", "*.script.html", "single .pdf",
                 "--script FILE"):
        assert name in str(err.value), name


def test_hidden_files_and_the_output_folder_are_ignored(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "m", ["m.mp4", "._m.mp4", "m.srt", "script.txt"])
    (folder / "scriptalign").mkdir()
    (folder / "scriptalign" / "other.mp4").write_text("x")
    movie = find_movie(folder)
    assert movie.video == folder / "m.mp4"
    assert movie.problems == {}


def test_overrides_are_looked_up_in_the_movie_folder_then_cwd(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = make_folder(tmp_path, "m", ["a.mp4", "b.mp4", "x.srt", "y.srt", "script.txt",
                                         "alt.fountain"])
    movie = find_movie(folder, video="b.mp4", subs="y.srt", script="alt.fountain")
    assert (movie.video, movie.subtitles, movie.script) == (
        folder / "b.mp4", folder / "y.srt", folder / "alt.fountain")
    elsewhere = make_folder(tmp_path, "elsewhere", ["fixed.srt"])
    monkeypatch.chdir(elsewhere)
    assert find_movie(folder, subs="fixed.srt").subtitles == elsewhere / "fixed.srt"
    bad = find_movie(folder, subs="nope.srt")
    with pytest.raises(InputError, match=r"--subs nope\.srt: no such file"):
        bad.require("subtitles")


def test_out_puts_outputs_under_out_by_movie_name(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "films/Le Samouraï", ["v.mp4", "s.srt", "script.txt"])
    movie = find_movie(folder, out=tmp_path / "results")
    assert movie.out == tmp_path / "results" / "Le Samouraï"
    assert movie.manifest_path == tmp_path / "results" / "Le Samouraï" / "manifest.json"


def test_read_movie_args_expands_stdin_keeping_spaces(tmp_path: Path) -> None:
    stdin = io.StringIO("films/The Third Man\n\nfilms/M\n")
    assert read_movie_args(["a", "-", "b", "-"], stdin) == [
        "a", "films/The Third Man", "films/M", "b"]
    assert read_movie_args(["-"], io.StringIO("x y\0z\n\0")) == ["x y", "z"]


def test_resolve_movies_from_stdin_like_find_does(tmp_path: Path) -> None:
    a = make_folder(tmp_path, "films/a film", ["v.mp4", "s.srt", "script.txt"])
    b = make_folder(tmp_path, "films/b", ["v.mp4", "s.srt", "script.txt"])
    stdin = io.StringIO(f"{a}\n{b}\n")
    movies = resolve_movies(["-"], stdin)
    assert [m.folder for m in movies] == [a, b]


def test_resolve_movies_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no movie folders"):
        resolve_movies([], io.StringIO(""))
    with pytest.raises(UsageError, match="no movie folders"):
        resolve_movies(["-"], io.StringIO("\n\n"))
    f = tmp_path / "file.mp4"
    f.write_text("x")
    with pytest.raises(UsageError, match="is not a folder"):
        resolve_movies([str(f)])
    with pytest.raises(UsageError, match="is not a folder"):
        resolve_movies([str(tmp_path / "missing")])
    one = make_folder(tmp_path, "x/m", ["v.mp4"])
    two = make_folder(tmp_path, "y/m", ["v.mp4"])
    assert len(resolve_movies([str(one), str(two)])) == 2  # outputs live in each folder
    with pytest.raises(UsageError, match="named 'm'"):
        resolve_movies([str(one), str(two)], out=tmp_path / "out")
    with pytest.raises(UsageError, match="shared by several movies"):
        resolve_movies([str(one), str(two)], subs=str(tmp_path / "s.srt"))


def test_symlinked_folder_keeps_its_name_and_duplicates_are_dropped(tmp_path: Path) -> None:
    real = make_folder(tmp_path, "store/tt0034583", ["v.mp4", "s.srt", "script.txt"])
    link = tmp_path / "casablanca"
    os.symlink(real, link)
    movies = resolve_movies([str(link), str(real)])
    assert len(movies) == 1
    assert movies[0].name == "casablanca"
    assert movies[0].out == link / "scriptalign"  # written through the link
    assert movies[0].video == link / "v.mp4"


def test_looks_like_movie_args(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "m", ["script.txt", "s.srt"])
    assert looks_like_movie_args([str(folder), "-"])
    assert not looks_like_movie_args([str(folder / "script.txt"), str(folder / "s.srt")])
    assert not looks_like_movie_args([])


def test_ass_subtitles_and_a_pdf_script_are_picked_but_not_vobsub(tmp_path: Path) -> None:
    folder = tmp_path / "film"
    folder.mkdir()
    for name in ("film.pdf", "film.ass", "film.sub", "film.idx"):
        (folder / name).write_bytes(b"x")
    movie = find_movie(folder)
    assert movie.subtitles is not None and movie.subtitles.name == "film.ass"
    assert movie.script is not None and movie.script.name == "film.pdf"
