"""``scriptalign align`` end to end on files the tests write."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scriptalign._cli import main
from scriptalign.text.alignment import load_alignment

SCRIPT = """\
          INT. RICK'S CAFE - NIGHT

                              RICK
                    Of all the gin joints in all the
                    towns in all the world, she walks
                    into mine.

          Ilsa stands up and smokes by the piano.

                              ILSA
                    Play it once, Sam. For old times'
                    sake.
"""
SRT = """\
1
00:05:00,000 --> 00:05:03,000
Of all the gin joints in all the towns
in all the world,

2
00:05:03,000 --> 00:05:05,000
she walks into mine.

3
00:05:30,000 --> 00:05:33,000
Play it once, Sam.
For old times' sake.
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    script, subs = tmp_path / "casablanca.txt", tmp_path / "casablanca.srt"
    script.write_text(SCRIPT, encoding="utf-8")
    subs.write_text(SRT, encoding="utf-8")
    return script, subs


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(["align", *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_on_stdout(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(files[0]), str(files[1])], capsys)
    assert code == 0 and err == ""  # stderr is not a terminal here: no progress
    doc = json.loads(out)
    assert doc["version"] == 1 and doc["cast"] == ["RICK", "ILSA"]
    speeches = [(e["speaker"], e["cues"], e["status"]) for e in doc["elements"]
                if e["kind"] == "dialogue"]
    assert speeches == [("RICK", [1, 2], "aligned"), ("ILSA", [3], "aligned")]
    assert [ln["speaker"] for c in doc["cues"] for ln in c["lines"]] == ["RICK"] * 3 + ["ILSA"] * 2
    action = next(b for b in doc["bags"] if b["kind"] == "action")
    assert (action["start"], action["end"]) == (305.0, 330.0)
    assert action["pairs"] == [["ILSA", "stand up"]]


def test_output_file_and_format_from_its_extension(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "out" / "align.json"
    code, out, _ = run([str(files[0]), str(files[1]), "-o", str(out_json)], capsys)
    assert code == 0 and out == ""
    assert load_alignment(out_json).elements[1].cues == (1, 2)
    out_vtt = tmp_path / "speakers.vtt"
    assert run([str(files[0]), str(files[1]), "-o", str(out_vtt)], capsys)[0] == 0
    assert "<v RICK>" in out_vtt.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "expected"), [
    ("srt", "RICK: Of all the gin joints"),
    ("vtt", "<v ILSA>Play it once, Sam."),
    ("csv", "element,kind,speaker,start,end,score,status"),
])
def test_other_formats(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                       fmt: str, expected: str) -> None:
    code, out, _ = run([str(files[0]), str(files[1]), "--format", fmt, "-q"], capsys)
    assert code == 0 and expected in out


def test_a_user_lexicon(files: tuple[Path, Path], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    lexicon = tmp_path / "lex.json"
    lexicon.write_text('{"version": 1, "actions": {"smoke": ["smoke|smokes"]}}', "utf-8")
    code, out, _ = run([str(files[0]), str(files[1]), "--lexicon", str(lexicon)], capsys)
    assert code == 0
    action = next(b for b in json.loads(out)["bags"] if b["kind"] == "action")
    assert action["actions"] == ["smoke"] and action["pairs"] == [["ILSA", "smoke"]]


def test_forced_encoding(files: tuple[Path, Path], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    latin = tmp_path / "latin.srt"
    latin.write_bytes(SRT.replace("Sam.", "Sàm.").encode("latin-1"))
    code, out, _ = run([str(files[0]), str(latin), "--encoding", "latin-1"], capsys)
    assert code == 0 and "Sàm" in out


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(("args", "code", "says"), [
    (["--format", "xml"], 2, "--format 'xml'"),
    (["--encoding", "klingon"], 2, "--encoding 'klingon'"),
    (["--plot", "path.jpg"], 2, "--plot path.jpg"),
    (["--out", "result.json"], 2, "--out is for movie folders"),
    (["--lang", "fr", "--force"], 2, "--lang/--force are for movie folders"),
])
def test_usage_errors_exit_2(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str],
                             args: list[str], code: int, says: str) -> None:
    got, out, err = run([str(files[0]), str(files[1]), *args], capsys)
    assert got == code and out == ""
    assert says in one_line(err)


def test_bad_input_exits_1_naming_the_file_and_writes_nothing(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "align.json"
    target.write_text("previous result", encoding="utf-8")
    no_cues = tmp_path / "empty.srt"
    no_cues.write_text("just some words\n", encoding="utf-8")
    no_dialogue = tmp_path / "prose.txt"
    no_dialogue.write_text("It was a dark and stormy night.\n", encoding="utf-8")
    cases = [
        ([str(files[0]), str(no_cues)], str(no_cues)),
        ([str(no_dialogue), str(files[1])], str(no_dialogue)),
        ([str(tmp_path / "missing.txt"), str(files[1])], "missing.txt"),
        ([str(files[0]), str(files[1]), "--lexicon", str(no_cues)], str(no_cues)),
    ]
    for args, name in cases:
        code, out, err = run([*args, "-o", str(target)], capsys)
        assert code == 1 and out == ""
        assert name in one_line(err)
        assert target.read_text(encoding="utf-8") == "previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "align.json", "casablanca.srt", "casablanca.txt", "empty.srt", "prose.txt"]


@pytest.mark.parametrize("option", ["-o", "--plot"])
def test_an_unwritable_output_is_one_line_naming_it(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        option: str) -> None:
    blocker = tmp_path / "plain_file"
    blocker.write_text("in the way", encoding="utf-8")
    target = blocker / ("out.json" if option == "-o" else "path.png")
    code, _, err = run([str(files[0]), str(files[1]), option, str(target)], capsys)
    assert code == 1
    line = one_line(err)
    assert line.startswith(f"scriptalign: error: {target}: cannot write here")


def test_the_align_process_loads_no_heavy_library(files: tuple[Path, Path]) -> None:
    """Start-up time: `scriptalign align` must not import OpenCV, dlib or cvxpy."""
    code = (
        "import sys\n"
        "from scriptalign._cli import main\n"
        "try:\n"
        f"    main(['align', {str(files[0])!r}, {str(files[1])!r}, '-q', '-f', 'csv'])\n"
        "finally:\n"
        "    heavy = [m for m in ('cv2', 'dlib', 'cvxpy', 'face_recognition', 'torch',"
        " 'matplotlib')"
        " if m in sys.modules]\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    assert done.stdout.startswith("element,kind")


def test_align_takes_movie_folders_and_reports_up_to_date(tmp_path: Path) -> None:
    movie = tmp_path / "my movie"
    movie.mkdir()
    (movie / "film.script.txt").write_text(
        "INT. ROOM - DAY\n\n                    ANNA\n          Where did you put the keys?\n\n"
        "                    BEN\n          On the table by the window.\n")
    (movie / "film.srt").write_text(
        "1\n00:00:01,000 --> 00:00:02,500\nWhere did you put the keys?\n\n"
        "2\n00:00:03,000 --> 00:00:04,500\nOn the table by the window.\n")
    cmd = [sys.executable, "-m", "scriptalign", "align", str(movie), "--json"]
    first = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    record = json.loads(first.stdout)
    assert record["status"] == "ok"
    doc = json.loads((movie / "scriptalign" / "align.json").read_text())
    speakers = [ln["speaker"] for c in doc["cues"] for ln in c["lines"]]
    assert speakers == ["ANNA", "BEN"]
    again = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert json.loads(again.stdout)["status"] == "up-to-date"
    three = subprocess.run([sys.executable, "-m", "scriptalign", "align", "a", "b", "c"],
                           capture_output=True, text=True, check=False)
    assert three.returncode == 2
    assert "Traceback" not in three.stderr


def test_plot_draws_the_alignment_path(files: tuple[Path, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "path.png", tmp_path / "path.svg"
    code, _, err = run([str(files[0]), str(files[1]), "-o", str(tmp_path / "a.json"),
                        "--plot", str(png)], capsys)
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000
    code, _, err = run([str(files[0]), str(files[1]), "-o", str(tmp_path / "a.json"),
                        "--plot", str(svg)], capsys)
    assert code == 0, err
    page = svg.read_text(encoding="utf-8")
    assert "<svg" in page and "aligned (2)" in page  # the legend counts the two speeches


def test_version_and_flags_shown_as_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("scriptalign ")
    with pytest.raises(SystemExit):
        main(["align", "--help"])
    help_text = capsys.readouterr().out
    quiet = next(line for line in help_text.splitlines() if "--quiet" in line)
    assert "<bool>" not in quiet and "--min-aligned" in help_text
    assert "<bool>" not in help_text  # --help itself included


def test_format_from_extension_and_a_contradiction(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vtt = tmp_path / "speakers.vtt"
    code, _, _ = run([str(files[0]), str(files[1]), "-o", str(vtt)], capsys)
    assert code == 0 and vtt.read_text().startswith("WEBVTT")
    code, _, err = run([str(files[0]), str(files[1]), "-o", str(tmp_path / "x.vtt"),
                        "--format", "srt"], capsys)
    assert code == 2 and "contradicts" in err and not (tmp_path / "x.vtt").exists()


def test_swapped_arguments(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(files[1]), str(files[0])], capsys)
    assert code == 2 and "did you swap them?" in err and out == ""


def test_speakers_once_per_change(files: tuple[Path, Path],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*map(str, files), "--format", "srt"], capsys)
    labelled = [ln for ln in out.splitlines() if ":" in ln and "-->" not in ln]
    assert code == 0 and [ln.split(":")[0] for ln in labelled] == ["RICK", "ILSA"]
    code, out, _ = run([*map(str, files), "--format", "srt", "--speakers", "prefix"], capsys)
    assert sum(ln.startswith("RICK:") for ln in out.splitlines()) == 3
    code, out, _ = run([*map(str, files), "--format", "srt", "--speakers", "none"], capsys)
    assert "RICK:" not in out
    code, _, err = run([*map(str, files), "--speakers", "every"], capsys)
    assert code == 2 and "--speakers" in err


def _long_pair(tmp_path: Path, right: bool) -> tuple[Path, Path]:
    import screenplays as sp

    items = sp.speeches(60, seed=2)
    lines = ([t for _, t in items] if right else
             [f"You know the castle {k} is near the river, right?" for k in range(80)])
    script, subs = tmp_path / "film.txt", tmp_path / "other.srt"
    script.write_text(sp.indented(items), encoding="utf-8")
    subs.write_text(sp.srt(lines), encoding="utf-8")
    return script, subs


def test_wrong_pair_exits_1_names_both_files_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script, subs = _long_pair(tmp_path, right=False)
    out = tmp_path / "align.json"
    code, stdout, err = run([str(script), str(subs), "-o", str(out), "--json"], capsys)
    assert code == 1 and not out.exists()
    assert str(script) in err and str(subs) in err and "subtitles of this film" in err
    record = json.loads(stdout)
    assert record["status"] == "failed" and "subtitles of this film" in record["error"]
    code, _, err = run([str(script), str(subs), "-o", str(out), "--min-aligned", "0"], capsys)
    assert code == 0 and out.exists()
    assert "scriptalign: warning:" in err  # stderr is no terminal here, the warning still comes


def test_json_status_record_in_file_mode(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    script, subs = _long_pair(tmp_path, right=True)
    out = tmp_path / "align.json"
    code, stdout, _ = run([str(script), str(subs), "-o", str(out), "--json"], capsys)
    record = json.loads(stdout)
    assert code == 0 and record["status"] == "ok" and record["outputs"] == [str(out)]
    assert record["stats"]["share_aligned"] > 0.9 and record["warnings"] == []


def test_impossible_timestamps_are_warned_about(
        files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    subs = files[1]
    subs.write_text(subs.read_text() + "\n4\n00:99:00,000 --> 00:99:01,000\nLate.\n")
    code, _, err = run([*map(str, files)], capsys)
    assert code == 0 and "impossible times" in err and "cue 4" in err


def test_an_up_to_date_folder_still_reports_its_warnings_and_stats(
        files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    movie = tmp_path / "doubtful"
    movie.mkdir()
    (movie / "doubtful.script.txt").write_text(files[0].read_text())
    (movie / "doubtful.srt").write_text(
        files[1].read_text() + "\n4\n00:88:00,000 --> 00:88:02,000\nToo late.\n")
    records, errors = [], []
    for _ in range(2):
        code, out, err = run([str(movie), "--json", "-q"], capsys)
        assert code == 0, err
        records.append(json.loads(out))
        errors.append(err)
    assert [r["status"] for r in records] == ["ok", "up-to-date"]
    first, again = records
    assert any("impossible times" in w for w in first["warnings"])
    assert again["warnings"] == first["warnings"]
    assert again["stats"] == first["stats"] and again["stats"]["dialogue"] == 2
    assert "impossible times" in errors[1]  # and they reach stderr again
