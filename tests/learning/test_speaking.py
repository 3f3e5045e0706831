"""Speaking evidence (mouth motion in dialogue bags) and bag trust."""

from __future__ import annotations

import numpy as np

from scriptalign.datasets import make_planted_movie
from scriptalign.learning import LearnOptions, learn
from scriptalign.learning.evaluation import evaluate
from scriptalign.learning.learner import _name_rows, _tracks
from scriptalign.learning.speaking import (
    activity,
    bag_trust,
    mouth_series,
    speaking_weights,
)
from scriptalign.text.bags import Bag
from scriptalign.video.tracks import Detection, Track


def _track(tid: int, values: list[float], key: str = "mouth") -> Track:
    dets = [Detection(i, i * 0.1, (0.0, 0.0, 10.0, 10.0)) for i in range(len(values))]
    return Track(tid, 0, 0.0, (len(values) - 1) * 0.1, dets, {key: values})


def test_the_moving_face_weighs_most_and_still_ones_get_the_floor() -> None:
    rng = np.random.default_rng(0)
    talking = _track(0, list(0.02 * rng.standard_normal(30)))
    still = _track(1, list(0.002 * rng.standard_normal(30)), key="lip")
    none = Track(2, 0, 0.0, 3.0)
    w = speaking_weights([mouth_series(t) for t in (talking, still, none)], 0.0, 3.0, 0.5)
    assert w[0] == 1.0
    assert 0.5 <= w[1] < 0.6
    assert w[2] == 1.0  # no series: no evidence either way
    # outside the line nobody has evidence
    assert np.isnan(activity(mouth_series(talking), 10.0, 11.0))
    # the floor 1 turns the evidence off
    off = speaking_weights([mouth_series(t) for t in (talking, still)], 0.0, 3.0, 1.0)
    assert off.tolist() == [1.0, 1.0]


def test_a_series_that_does_not_match_the_detections_is_ignored() -> None:
    t = _track(0, [0.1, 0.2, 0.3])
    t.extra["mouth"] = [0.1, 0.2]
    assert mouth_series(t) is None


def test_bag_trust_from_status_and_score() -> None:
    bag = Bag(0.0, 1.0, 0, ["Anna"])
    assert bag_trust(bag) == 1.0
    bag.score = 0.4  # type: ignore[attr-defined]
    assert bag_trust(bag) == 0.4
    bag.status = "interpolated"  # type: ignore[attr-defined]
    assert bag_trust(bag) == 0.2


def test_trust_scales_the_rows_alpha() -> None:
    pm = make_planted_movie(60, 3, seed=2)
    for bag in pm.alignment.bags[:5]:
        bag.score = 0.3  # type: ignore[attr-defined]
    warnings: list[str] = []
    movie = _tracks("p", pm.tracks, pm.tracks.face, "face", warnings)
    rows = _name_rows(pm.alignment, pm.tracks, movie, LearnOptions(), warnings)
    trust = {r.source: r.trust for r in rows}
    assert all(trust[i] == 0.3 for i in range(5) if i in trust)
    assert all(v == 1.0 for i, v in trust.items() if i >= 5)
    off = _name_rows(pm.alignment, pm.tracks, movie, LearnOptions(trust=False), warnings)
    assert all(r.trust == 1.0 for r in off)


def test_mouths_weight_dialogue_rows_and_help_when_faces_are_ambiguous() -> None:
    # faces barely tell people apart: the bags and who talks must do the work
    pm = make_planted_movie(300, 4, seed=4, noise=1.6, max_faces=3, mouth=True)
    warnings: list[str] = []
    movie = _tracks("p", pm.tracks, pm.tracks.face, "face", warnings)
    rows = _name_rows(pm.alignment, pm.tracks, movie, LearnOptions(), warnings)
    multi = [r for r in rows if len(r.tracks) > 1]
    assert multi and all(r.weights.max() == 1.0 for r in multi)
    assert any(r.weights.min() < 0.7 for r in multi)
    # the heaviest track of a row is its speaker
    ids = pm.tracks.tracks
    hits = [pm.truth[ids[int(movie.keep[r.tracks[int(r.weights.argmax())]])].id] == r.label
            for r in multi]
    assert np.mean(hits) > 0.9
    with_mouths = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    without = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw", speaking=1.0))[0]
    acc_with = evaluate(with_mouths, pm.truth, pm.alignment.cast)["accuracy"]
    acc_without = evaluate(without, pm.truth, pm.alignment.cast)["accuracy"]
    assert acc_with > acc_without
