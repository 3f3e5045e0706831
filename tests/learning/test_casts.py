"""Extras left unnamed, casts per film or per series, separate problems in parallel."""

from __future__ import annotations

import pytest

from scriptalign.core.errors import UsageError
from scriptalign.datasets import make_planted_movie, make_planted_movies
from scriptalign.learning import LearnOptions, learn
from scriptalign.learning.evaluation import evaluate
from scriptalign.learning.learner import cast_groups, summary

FILM = {"dim": 64, "noise": 0.5, "extras": 0.0, "silent": 0.2}


@pytest.mark.slow
def test_extras_end_up_null_and_names_stay_precise() -> None:
    pm = make_planted_movie(500, 6, crowd=0.3, seed=21, **FILM)  # type: ignore[arg-type]
    r = evaluate(learn([(pm.alignment, pm.tracks)])[0], pm.truth, pm.alignment.cast)
    assert r["extras"] > 100
    assert r["extras_null"] >= 0.8
    assert r["named_precision"] >= 0.9
    assert r["accuracy"] >= 0.95
    # without the cost of a name, the extras take the leading names
    free = evaluate(learn([(pm.alignment, pm.tracks)], LearnOptions(background=0.0))[0],
                    pm.truth, pm.alignment.cast)
    assert free["extras_null"] < 0.5 < r["extras_null"]


def test_cast_groups() -> None:
    assert cast_groups(3, None, "film") == [[0], [1], [2]]
    assert cast_groups(3, None, "series") == [[0, 1, 2]]
    assert cast_groups(4, ["bbt", None, "bbt", "x"], "film") == [[0, 2], [1], [3]]


@pytest.mark.slow
def test_films_sharing_first_names_keep_them_apart() -> None:
    films = make_planted_movies(2, 300, 4, shared_cast=False, seed=3, **FILM)  # type: ignore[arg-type]
    pairs = [(f.alignment, f.tracks) for f in films]
    together = learn(pairs)
    alone = [learn([p])[0] for p in pairs]
    for t, a in zip(together, alone, strict=True):
        assert [x.name for x in t.tracks] == [x.name for x in a.tracks]
        assert t.params["movies"] == a.params["movies"]
    assert together[0].params["classes"] == together[1].params["classes"]  # same names...
    assert together[0].solver != together[1].solver  # ... two problems
    assert summary(together).startswith("learn: named ")
    assert "2 name problems" in summary(together)


def test_a_declared_series_shares_its_cast() -> None:
    eps = make_planted_movies(3, 200, 4, shared_cast=True, seed=8, **FILM)  # type: ignore[arg-type]
    eps[2].alignment.bags = eps[2].alignment.bags[:6]  # an episode where nobody says much
    pairs = [(e.alignment, e.tracks) for e in eps]
    alone = learn([pairs[2]], LearnOptions(solver="fw"))[0]
    series = learn(pairs, LearnOptions(solver="fw"), series=["s", "s", "s"])
    assert series[0].params["movies"] == series[2].params["movies"]
    assert series[0].params["series"] == "s"
    acc_alone = evaluate(alone, eps[2].truth, eps[2].alignment.cast)["accuracy"]
    acc_series = evaluate(series[2], eps[2].truth, eps[2].alignment.cast)["accuracy"]
    assert acc_series > acc_alone + 0.05
    with pytest.raises(UsageError, match="series keys"):
        learn(pairs, series=["s"])


@pytest.mark.slow
def test_worker_processes_give_the_same_labels() -> None:
    films = make_planted_movies(3, 150, 3, shared_cast=False, seed=4, **FILM)  # type: ignore[arg-type]
    pairs = [(f.alignment, f.tracks) for f in films]
    one = learn(pairs, LearnOptions(solver="fw"))
    two = learn(pairs, LearnOptions(solver="fw", jobs=2))
    assert [[t.name for t in lab.tracks] for lab in one] == \
        [[t.name for t in lab.tracks] for lab in two]
    assert [lab.solver["objective"] for lab in one] == [lab.solver["objective"] for lab in two]


def test_a_film_without_person_bags_gets_no_names_but_the_others_do() -> None:
    a, b = make_planted_movies(2, 100, 3, shared_cast=False, seed=9)
    b.alignment.bags = []
    labels = learn([(a.alignment, a.tracks), (b.alignment, b.tracks)])
    assert any(t.name for t in labels[0].tracks)
    assert all(t.name is None for t in labels[1].tracks)
    assert any("no person bag overlaps" in w for w in labels[1].warnings)


def test_converged_solutions_report_their_gap() -> None:
    pm = make_planted_movie(400, 4, seed=1)
    lab = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert lab.solver["converged"] is True
    assert lab.solver["relative_gap"] <= lab.solver["tol"]
