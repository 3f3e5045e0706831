"""Building the problem: tracks in bags, shared frames, input checks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from scriptalign.core.errors import InputError
from scriptalign.datasets import make_planted_movie
from scriptalign.learning import LearnOptions, learn
from scriptalign.learning.problem import (
    BagRows,
    Block,
    build_exclusion,
    checked_rows,
    evidence_cost,
    maximal_cliques,
    movie_tracks,
    tracks_in,
)
from scriptalign.text.alignment import Alignment
from scriptalign.text.bags import Bag
from scriptalign.video.tracks import FaceTracks, Track


def _movie(starts: list[float], ends: list[float], d: int = 4):
    warnings: list[str] = []
    feats = np.random.default_rng(0).standard_normal((len(starts), d))
    return movie_tracks("m", list(range(len(starts))), starts, ends, feats, "face",
                        warnings), warnings


def test_tracks_in_overlap_and_margin() -> None:
    mt, _ = _movie([0, 5, 10], [2, 6, 12])
    assert tracks_in(mt, 1.0, 4.0, 0.0).tolist() == [0]
    assert tracks_in(mt, 2.5, 4.9, 0.0).tolist() == []
    assert tracks_in(mt, 2.5, 4.9, 0.5).tolist() == [0, 1]
    assert tracks_in(mt, 6.0, 10.0, 0.0).tolist() == [1, 2]  # touching ends overlap


def _brute_cliques(s: np.ndarray, e: np.ndarray) -> set[tuple[int, ...]]:
    n = len(s)
    found = set()
    for r in range(1, n + 1):
        for c in itertools.combinations(range(n), r):
            if max(s[list(c)]) <= min(e[list(c)]):
                found.add(c)
    return {c for c in found if not any(set(c) < set(o) for o in found)}


@pytest.mark.parametrize("seed", range(5))
def test_maximal_cliques_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = rng.uniform(0, 10, 9).round(1)
    e = s + rng.uniform(0, 3, 9).round(1)
    got = {tuple(c.tolist()) for c in maximal_cliques(s, e)}
    assert got == _brute_cliques(s, e)


def test_exclusion_groups() -> None:
    # 0 and 1 share a frame; 2 overlaps 1 but not 0 (a chain); 3 is alone
    ex = build_exclusion(np.array([0.0, 1.0, 2.5, 9.0]), np.array([2.0, 3.0, 4.0, 9.5]))
    assert ex is not None
    assert [c.tolist() for c in ex.components] == [[0, 1, 2]]
    assert not ex.is_clique[0]
    assert ex.cliques.shape == (2, 4)
    assert build_exclusion(np.array([0.0, 5.0]), np.array([1.0, 6.0])) is None


def test_checked_rows_drop_and_count() -> None:
    mt, _ = _movie([0, 1, 10], [2, 3, 12])
    counts: dict[str, int] = {}
    assert checked_rows(mt, 0, ["A"], 20, 21, 0.0, counts) == []
    assert counts == {"no track": 1}
    assert checked_rows(mt, 1, ["A", "B"], 10.5, 11, 0.0, counts) == []
    assert counts["more names than tracks"] == 1
    assert checked_rows(mt, 2, ["A"], 5, 4, 0.0, counts) == []
    assert counts["bad times"] == 1
    rows = checked_rows(mt, 3, ["A", "B", "a"], 0.5, 1.5, 0.0, counts)
    assert [r.label for r in rows] == ["A", "B"]  # "a" is "A"
    assert all(r.tracks.tolist() == [0, 1] for r in rows)


def _ft(n: int, face: np.ndarray | None) -> FaceTracks:
    return FaceTracks({"path": "m"}, [], [Track(i, 0, float(2 * i), float(2 * i + 1))
                                          for i in range(n)], face)


def test_nan_features_are_left_out_with_a_warning() -> None:
    pm = make_planted_movie(60, 3, seed=3)
    face = pm.tracks.face.copy()
    face[[1, 7]] = np.nan
    pm.tracks.face = face
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert any("2 of" in w and "NaN/Inf" in w for w in labels.warnings)
    by_id = labels.by_id()
    assert by_id[pm.tracks.tracks[1].id].name is None
    assert by_id[pm.tracks.tracks[1].id].scores == {}
    assert len(labels.tracks) == len(pm.tracks.tracks)


def test_bags_without_tracks_are_dropped_with_counts() -> None:
    pm = make_planted_movie(60, 3, seed=4)
    pm.alignment.bags += [Bag(1e6, 1e6 + 1, 99, ["Anna"]), Bag(2e6, 2e6 + 1, 100, ["Ben"])]
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert any("2 overlap no track (dropped)" in w for w in labels.warnings)


def test_features_that_do_not_match_tracks() -> None:
    a = Alignment([], [], [Bag(0, 1, 0, ["A"])])
    with pytest.raises(InputError, match=r"do not match tracks\.json"):
        learn([(a, _ft(3, np.zeros((2, 4), np.float32)))])
    with pytest.raises(InputError, match="no face features"):
        learn([(a, _ft(3, None))])


def test_no_constraints_at_all() -> None:
    a = Alignment([], [], [Bag(100, 101, 0, ["A"])])  # overlaps no track
    with pytest.raises(InputError, match="nothing to learn from"):
        learn([(a, _ft(3, np.ones((3, 4), np.float32)))])
    with pytest.raises(InputError, match="nothing to learn"):
        learn([])


def test_movies_with_different_feature_sizes() -> None:
    a = Alignment([], [], [Bag(0, 1, 0, ["A"])])
    movies = [(a, _ft(3, np.ones((3, 4), np.float32))), (a, _ft(3, np.ones((3, 5), np.float32)))]
    with pytest.raises(InputError, match="different sizes"):
        learn(movies, LearnOptions(cast_scope="series"))
    # films with casts of their own are problems of their own: sizes may differ
    assert len(learn(movies)) == 2


def test_names_match_across_case_and_movies() -> None:
    pm1 = make_planted_movie(60, 3, seed=5)
    pm2 = make_planted_movie(60, 3, seed=6)
    for bag in pm2.alignment.bags:
        bag.persons = [p.upper() for p in bag.persons]
    labels = learn([(pm1.alignment, pm1.tracks), (pm2.alignment, pm2.tracks)],
                   LearnOptions(solver="fw", cast_scope="series"))
    assert len(labels) == 2
    classes = labels[0].params["classes"]
    assert len(classes) == len({c.casefold() for c in classes}) == 3


def test_a_name_costs_less_where_a_bag_gives_it() -> None:
    # three tracks, two names (columns 1, 2): a bag "1" holding track 0 alone, a bag "2"
    # holding tracks 0 and 1 (track 1 moving its mouth twice as much)
    bags = BagRows(ptr=np.array([0, 1, 3]), tracks=np.array([0, 0, 1]),
                   weights=np.array([1.0, 0.5, 1.0]), col=np.array([1, 2]),
                   alpha=np.ones(2), source=np.array([0, 1]))
    blk = Block("m", 0, 3, np.array([0, 1, 2]), bags, np.array([False, False, True]))
    assert blk.name_cost().tolist() == [[0, 1, 1]] * 3  # no evidence: every name costs 1
    cost = evidence_cost(blk, 0.9)
    assert cost[:, 0].tolist() == [0, 0, 0]  # background is free
    # track 0: the only face of bag "1", the less moving face of bag "2"
    assert cost[0].tolist() == pytest.approx([0, 0.1, 1 - 0.9 * 0.5])
    assert cost[1].tolist() == pytest.approx([0, 1, 0.1])  # the face moving most
    assert cost[2].tolist() == [0, 1, 1]  # in no bag: full price
    assert (evidence_cost(blk, 0.0) == blk.name_cost()).all()
