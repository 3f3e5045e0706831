"""Single steps: inputs and parameters, the faces folder swap, errors as records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scriptalign.core.errors import InputError
from scriptalign.runs.movie import Movie, find_movie
from scriptalign.runs.steps import (
    StepSettings,
    check_writable,
    describe_error,
    do_faces,
    remove_partial_outputs,
    run_step,
    step_inputs,
    step_params,
)
from scriptalign.text.options import AlignOptions
from scriptalign.video import faces as faces_module
from scriptalign.video.options import FaceOptions


def folder_with(root: Path, name: str, files: dict[str, str]) -> Movie:
    folder = root / name
    folder.mkdir(parents=True)
    for fname, text in files.items():
        (folder / fname).write_text(text, encoding="utf-8")
    return find_movie(folder)


SCRIPT = """INT. BAR - NIGHT

                         RICK
          Of all the gin joints in all the
          towns in all the world.
"""
SRT = """1
00:00:01,000 --> 00:00:03,000
Of all the gin joints in all the towns
in all the world...
"""


def test_describe_error_is_one_line() -> None:
    assert describe_error(InputError("is empty", "/x/a.srt")) == "/x/a.srt: is empty"
    assert describe_error(ValueError("bad\n  value")) == "ValueError: bad value"
    assert describe_error(MemoryError()) == "MemoryError"


def test_parameters_leave_out_what_does_not_change_results(tmp_path: Path) -> None:
    movie = folder_with(tmp_path, "m", {"v.mp4": "x"})
    one = step_params("faces", movie, StepSettings(faces=FaceOptions(jobs=1)))
    four = step_params("faces", movie, StepSettings(faces=FaceOptions(jobs=4)))
    assert one == four and "jobs" not in one
    assert one != step_params("faces", movie, StepSettings(faces=FaceOptions(every=2.0)))
    assert step_params("report", movie, StepSettings()) == {"video": "../v.mp4"}


def test_learn_inputs_cover_every_movie_of_the_joint_problem(tmp_path: Path) -> None:
    a = folder_with(tmp_path / "x", "film", {})
    b = folder_with(tmp_path / "y", "film", {})  # same name, other folder
    c = folder_with(tmp_path, "other", {})
    inputs = step_inputs("learn", a, [a, b, c])
    assert set(inputs) == {f"align:{a.folder}", f"tracks:{a.folder}", f"align:{b.folder}",
                           f"tracks:{b.folder}", "align:other", "tracks:other"}
    assert step_params("learn", a, StepSettings(), [a, b, c])["movies"] == sorted(
        [str(a.folder), str(b.folder), "other"])


def test_align_step_runs_records_and_then_is_up_to_date(tmp_path: Path) -> None:
    movie = folder_with(tmp_path, "m", {"m.script.txt": SCRIPT, "m.srt": SRT})
    first = run_step(movie, "align", StepSettings())
    assert (first.status, first.outputs, first.error) == ("ok", [str(movie.align_path)], None)
    doc = json.loads(movie.manifest_path.read_text(encoding="utf-8"))
    assert set(doc["steps"]["align"]["inputs"]) == {"script", "subtitles"}
    second = run_step(movie, "align", StepSettings())
    assert (second.status, second.outputs) == ("up-to-date", [str(movie.align_path)])
    assert second.stats == first.stats and second.stats["dialogue"] > 0
    assert second.to_dict()["stats"] == first.to_dict()["stats"]
    third = run_step(movie, "align", StepSettings(align=AlignOptions(encoding="cp1252")))
    assert third.status == "ok"  # a parameter changed


def test_a_failing_step_is_a_record_not_an_exception(tmp_path: Path) -> None:
    movie = folder_with(tmp_path, "m", {"m.script.txt": SCRIPT, "m.srt": ""})
    result = run_step(movie, "align", StepSettings())
    assert result.status == "failed" and result.outputs == []
    assert result.error == f"{movie.folder / 'm.srt'}: is empty"
    assert not movie.manifest_path.exists()


def fake_find_faces(fail: bool) -> Any:
    def find_faces(video: Path, outdir: Path, options: Any = None, progress: Any = None) -> None:
        outdir.mkdir(parents=True)
        (outdir / "thumbs").mkdir()
        (outdir / "thumbs" / "track_0000.jpg").write_text("new")
        if fail:
            raise InputError("stops decoding at frame 12", video)
        (outdir / "tracks.json").write_text('{"new": true}')

    return find_faces


def test_faces_output_is_swapped_in_whole_or_not_at_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    movie = folder_with(tmp_path, "m", {"m.mp4": "x"})
    old = movie.faces_dir
    (old / "thumbs").mkdir(parents=True)
    (old / "tracks.json").write_text('{"old": true}')
    (old / "thumbs" / "track_0009.jpg").write_text("old")
    leftover = movie.out / ".faces.new-999"  # from a run killed mid-faces
    leftover.mkdir()

    monkeypatch.setattr(faces_module, "find_faces", fake_find_faces(fail=True))
    with pytest.raises(InputError):
        do_faces(movie, StepSettings())
    assert (old / "tracks.json").read_text() == '{"old": true}'  # untouched
    assert sorted(p.name for p in (old / "thumbs").iterdir()) == ["track_0009.jpg"]
    assert [p.name for p in movie.out.iterdir()] == ["faces"]  # leftovers cleaned

    monkeypatch.setattr(faces_module, "find_faces", fake_find_faces(fail=False))
    do_faces(movie, StepSettings())
    assert (old / "tracks.json").read_text() == '{"new": true}'
    assert sorted(p.name for p in (old / "thumbs").iterdir()) == ["track_0000.jpg"]
    assert [p.name for p in movie.out.iterdir()] == ["faces"]


def test_remove_partial_outputs_only_removes_hidden_files(tmp_path: Path) -> None:
    movie = folder_with(tmp_path, "m", {})
    movie.out.mkdir()
    (movie.out / ".align.json.x1y2.json").write_text("{half")
    (movie.out / "align.json").write_text("{}")
    remove_partial_outputs(movie)
    assert [p.name for p in movie.out.iterdir()] == ["align.json"]


def test_unwritable_output_folder_suggests_out(tmp_path: Path) -> None:
    movie = folder_with(tmp_path, "m", {})
    (movie.folder / "scriptalign").write_text("a file where the output folder should be")
    with pytest.raises(InputError, match="--out DIR"):
        check_writable(movie)


def test_microdvd_subtitles_take_the_frame_rate_of_the_folders_video(tmp_path: Path) -> None:
    import screenplays as sp
    from synthetic_video import FPS, write_video

    from scriptalign.runs.movie import find_movie
    from scriptalign.runs.steps import StepSettings, run_step
    from scriptalign.text.alignment import load_alignment

    folder = tmp_path / "film"
    folder.mkdir()
    write_video(folder / "film.avi", frames=10, with_faces=False)
    items = sp.speeches(20, seed=6)
    (folder / "film.txt").write_text(sp.indented(items), encoding="utf-8")
    # Cue k from frame 100 k to 100 k + 50: at the video's 25 fps, 4 s apart.
    (folder / "film.sub").write_text("".join(f"{{{100 * k}}}{{{100 * k + 50}}}{text}\n"
                                             for k, (_, text) in enumerate(items, start=1)),
                                     encoding="utf-8")
    movie = find_movie(folder)
    result = run_step(movie, "align", StepSettings())
    assert result.status == "ok", result.error
    cues = load_alignment(movie.align_path).cues
    assert [c.start for c in cues[:2]] == [100 / FPS, 200 / FPS]
