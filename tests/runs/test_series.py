"""Movie folders that declare a series (scriptalign.toml) share a cast when learning."""

from __future__ import annotations

from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.datasets import make_planted_movies
from scriptalign.learning.labels import load_labels
from scriptalign.learning.options import LearnOptions
from scriptalign.runs.movie import find_movie, read_series
from scriptalign.runs.steps import StepSettings, do_learn, step_params
from scriptalign.text.alignment import save_alignment
from scriptalign.video.tracks import save_tracks


def _folder(root: Path, name: str, settings: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for f in ("v.mp4", "s.srt", "script.txt"):
        (folder / f).write_text("x", encoding="utf-8")
    if settings is not None:
        (folder / "scriptalign.toml").write_text(settings, encoding="utf-8")
    return folder


def test_the_series_key_is_read_from_the_folder(tmp_path: Path) -> None:
    assert find_movie(_folder(tmp_path, "plain")).series is None
    assert find_movie(_folder(tmp_path, "e1", 'series = "bbt"\n')).series == "bbt"
    assert read_series(_folder(tmp_path, "other", "# nothing here\n")) is None
    bad = find_movie(_folder(tmp_path, "bad", "series = \n"))
    assert bad.series is None and "scriptalign.toml" in bad.problems["series"]
    with pytest.raises(InputError, match="non-empty string"):
        read_series(_folder(tmp_path, "num", "series = 3\n"))


def test_learn_parameters_follow_the_series_not_the_jobs(tmp_path: Path) -> None:
    a = find_movie(_folder(tmp_path, "a", 'series = "s"\n'))
    b = find_movie(_folder(tmp_path, "b"))
    one = step_params("learn", a, StepSettings(learn=LearnOptions(jobs=1)), [a, b])
    two = step_params("learn", a, StepSettings(learn=LearnOptions(jobs=2)), [a, b])
    assert one == two and one["series"] == {"a": "s"}
    b.series = "s"
    assert step_params("learn", a, StepSettings(), [a, b]) != one


def test_episodes_of_a_declared_series_are_one_problem(tmp_path: Path) -> None:
    eps = make_planted_movies(3, 80, 3, shared_cast=True, seed=2)
    movies = []
    for k, ep in enumerate(eps):
        settings = 'series = "show"\n' if k < 2 else None
        movie = find_movie(_folder(tmp_path, f"ep{k}", settings))
        movie.out.mkdir(parents=True)
        save_alignment(ep.alignment, movie.align_path)
        save_tracks(ep.tracks, movie.faces_dir)
        movies.append(movie)
    do_learn(movies, StepSettings())
    labels = [load_labels(m.labels_path) for m in movies]
    assert labels[0].params["movies"] == labels[1].params["movies"] == ["planted1", "planted2"]
    assert labels[0].params["series"] == "show"
    assert labels[2].params["movies"] == ["planted3"]
    movies[2].problems["series"] = "scriptalign.toml: is not a valid settings file"
    with pytest.raises(InputError, match="settings file"):
        do_learn(movies, StepSettings())
