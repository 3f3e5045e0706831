"""``learn`` end to end on planted movies: names, actions, joint movies, warnings."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

from scriptalign.core.errors import UsageError
from scriptalign.datasets import make_planted_movie
from scriptalign.learning import LearnOptions, learn
from scriptalign.learning.evaluation import evaluate
from scriptalign.learning.labels import Labels, TrackLabel
from scriptalign.learning.problem import name_key
from scriptalign.text.alignment import Alignment
from scriptalign.text.bags import Bag


def _check_bags(pm_bags: list[Bag], labels: Labels, tracks: dict[int, tuple[float, float]]
                ) -> int:
    """Person bags that no track of theirs carries after rounding."""
    by_id = labels.by_id()
    missed = 0
    for bag in pm_bags:
        for person in bag.persons:
            inside = [t for t, (s, e) in tracks.items() if s <= bag.end and e >= bag.start]
            if not any(by_id[t].name is not None and name_key(by_id[t].name) ==
                       name_key(person) for t in inside):
                missed += 1
    return missed


@pytest.mark.parametrize("solver", ["fw", "cvxpy"])
def test_planted_names_come_back(solver: str) -> None:
    pm = make_planted_movie(200, 5, seed=11, noise=0.9)
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver=solver))[0]
    r = evaluate(labels, pm.truth, pm.alignment.cast)
    # chance: 1/5 of the names (1/6 with background); majority name < 0.4
    assert r["accuracy"] > 0.8
    assert r["map"] > 0.85
    assert labels.solver["name"].startswith(solver)
    spans = {t.id: (t.start, t.end) for t in pm.tracks.tracks}
    assert _check_bags(pm.alignment.bags, labels, spans) == 0  # every bag holds
    for t in labels.tracks:
        assert 0.0 <= t.score <= 1.0
        assert set(t.scores) == set(pm.alignment.cast)


def test_shared_frames_never_get_one_name_twice() -> None:
    pm = make_planted_movie(200, 4, seed=12, noise=1.2, max_faces=3)
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    by_id = labels.by_id()
    tracks = pm.tracks.tracks
    for a in tracks:
        for b in tracks:
            if a.id < b.id and max(a.start, b.start) <= min(a.end, b.end):
                na, nb = by_id[a.id].name, by_id[b.id].name
                assert na is None or na != nb


def test_auto_picks_cvxpy_for_small_and_fw_for_large() -> None:
    pm = make_planted_movie(60, 3, seed=13)
    small = learn([(pm.alignment, pm.tracks)], LearnOptions(cvxpy_max_tracks=1000))[0]
    large = learn([(pm.alignment, pm.tracks)], LearnOptions(cvxpy_max_tracks=10))[0]
    assert small.solver["name"].startswith("cvxpy") and large.solver["name"] == "fw"


def test_joint_movies_share_the_classifier() -> None:
    # the same four people in three movies; movie 3 has a single bag for Dmitri
    first = make_planted_movie(150, 4, seed=20, noise=1.0)
    means = np.random.default_rng(20).standard_normal((5, 32))
    means /= np.linalg.norm(means, axis=1, keepdims=True)
    movies = [make_planted_movie(150, 4, seed=s, noise=1.0, means=means, label=f"m{s}")
              for s in (21, 22, 23)]
    last = movies[-1]
    last.alignment.bags = [b for b in last.alignment.bags if b.persons != ["Dmitri"]][:25] + \
        [b for b in last.alignment.bags if b.persons == ["Dmitri"]][:1]
    alone = learn([(last.alignment, last.tracks)], LearnOptions(solver="fw"))[0]
    joint = learn([(m.alignment, m.tracks) for m in movies],
                  LearnOptions(solver="fw", cast_scope="series"))
    assert len(joint) == 3
    acc_alone = evaluate(alone, last.truth)["accuracy"]
    acc_joint = evaluate(joint[2], last.truth)["accuracy"]
    assert acc_joint > acc_alone + 0.05
    assert all(lab.solver == joint[0].solver for lab in joint)
    del first


def test_degenerate_solution_is_reported() -> None:
    # one bag for thousands of seconds of tracks: background takes nearly everything
    pm = make_planted_movie(150, 3, seed=14)
    pm.alignment.bags = pm.alignment.bags[:1]
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw", background=1.0))[0]
    assert any("degenerate name solution: background" in w for w in labels.warnings)


@pytest.mark.parametrize("joint", ["alternate", "mccormick"])
def test_actions(joint: str) -> None:
    pm = make_planted_movie(200, 4, seed=15, noise=0.7, actions=3)
    assert pm.tracks.action is not None
    options = LearnOptions(solver="cvxpy" if joint == "mccormick" else "fw", joint=joint)
    labels = learn([(pm.alignment, pm.tracks)], options)[0]
    assert labels.action_solver is not None
    acting = {i: a for i, a in pm.action_truth.items() if a is not None}
    as_names = Labels([TrackLabel(t.id, t.action, t.action_score or 0.0,
                                  t.action_scores or {}) for t in labels.tracks])
    r = evaluate(as_names, acting)
    assert r["map"] > 0.6  # chance: about 1/3
    assert evaluate(labels, pm.truth, pm.alignment.cast)["accuracy"] > 0.7
    assert all(t.action_score is not None for t in labels.tracks)
    assert "actions" in labels.params


def test_no_action_features_no_actions() -> None:
    pm = make_planted_movie(80, 3, seed=16, actions=2)
    pm.tracks.action = None
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert labels.action_solver is None
    assert all(t.action is None and t.action_score is None for t in labels.tracks)


def test_options_are_checked() -> None:
    pm = make_planted_movie(40, 2, seed=17)
    movie = [(pm.alignment, pm.tracks)]
    for bad in (dict(solver="gurobi"), dict(joint="both"), dict(kappa=0.0),
                dict(margin=-1.0), dict(solver="fw", joint="mccormick"), dict(tol=0.0)):
        with pytest.raises(UsageError):
            learn(movie, LearnOptions(**bad))  # type: ignore[arg-type]


def test_learn_imports_no_cvxpy_unless_asked() -> None:
    code = ("import sys\n"
            "from scriptalign.learning import learn, LearnOptions\n"
            "from scriptalign.datasets import make_planted_movie\n"
            "pm = make_planted_movie(60, 3)\n"
            "learn([(pm.alignment, pm.tracks)], LearnOptions(solver='fw'))\n"
            "from scriptalign._cli import main\n"
            "try:\n    main(['align', '--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'cvxpy' not in sys.modules, 'cvxpy was imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_empty_bags_of_persons_but_actions_only() -> None:
    pm = make_planted_movie(60, 3, seed=18)
    extra = Alignment([], [], [Bag(0, 1, 0, [], ["walk"])])
    pm.alignment.bags += extra.bags
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert labels.action_solver is None  # no action features: actions are skipped


def test_action_bags_that_miss_every_track_leave_the_names() -> None:
    pm = make_planted_movie(80, 3, seed=19, actions=2)
    for bag in pm.alignment.bags:
        bag.actions, bag.pairs = [], []
    pm.alignment.bags.append(Bag(1e6, 1e6 + 1, 999, [], ["walk"], kind="action"))
    labels = learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))[0]
    assert labels.action_solver is None
    assert any(w.startswith("no actions learned") for w in labels.warnings)
    assert evaluate(labels, pm.truth, pm.alignment.cast)["accuracy"] > 0.7


def test_progress_is_reported_to_the_end() -> None:
    pm = make_planted_movie(80, 3, seed=21, actions=2)
    seen: list[tuple[int, int]] = []
    learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"),
          progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (1000, 1000)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_top_level_learn_and_evaluate_stay_callable() -> None:
    # scriptalign.learn / .evaluate are functions even after their modules are imported
    import scriptalign
    import scriptalign.learning
    import scriptalign.learning.evaluation

    pm = make_planted_movie(40, 2, seed=22)
    for _ in range(2):
        labels = scriptalign.learn([(pm.alignment, pm.tracks)], LearnOptions(solver="fw"))
        assert scriptalign.evaluate(labels[0], pm.truth)["tracks"] > 0


def test_the_action_bag_penalty_is_per_track() -> None:
    from scriptalign.learning import joint_actions as act
    from scriptalign.learning.learner import _action_movies

    sizes = []
    for n in (120, 480):
        pm = make_planted_movie(n, 3, seed=17, actions=2)
        warnings: list[str] = []
        movies = _action_movies(["m"], [(pm.alignment, pm.tracks)], warnings)
        rows = act.action_rows([pm.alignment], movies, 0.0, warnings)
        problem = act.build_actions(movies, rows.plain, alpha=1.0, kappa=2.0, lam=1e-6,
                                    background=0.01, warnings=warnings,
                                    extra=act.pair_actions(rows))
        assert problem.kappa == pytest.approx(2.0 / problem.N)
        sizes.append(problem.N)
    assert sizes[1] > sizes[0]
