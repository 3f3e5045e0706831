"""Accuracy, per-name AP, the accuracy curve and its PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scriptalign.learning.evaluation import average_precision, evaluate, plot_curve
from scriptalign.learning.labels import Labels, TrackLabel


def test_average_precision_by_hand() -> None:
    # ranking: + - + -  -> precision at the positives 1/1 and 2/3
    ap = average_precision(np.array([0.9, 0.8, 0.7, 0.1]), np.array([1, 0, 1, 0], bool))
    assert ap == pytest.approx((1.0 + 2 / 3) / 2)
    assert average_precision(np.array([0.2, 0.9]), np.array([0, 1], bool)) == 1.0
    assert np.isnan(average_precision(np.array([0.2]), np.array([0], bool)))


def test_average_precision_ties_are_one_threshold() -> None:
    # all tied: precision = share of positives, whatever the order of the input
    s = np.zeros(4)
    assert average_precision(s, np.array([1, 0, 0, 0], bool)) == pytest.approx(0.25)
    assert average_precision(s, np.array([0, 0, 0, 1], bool)) == pytest.approx(0.25)


def _labels() -> Labels:
    return Labels([
        TrackLabel(1, "Rick", 0.9, {"Rick": 0.9, "Ilsa": 0.1}),
        TrackLabel(2, "Ilsa", 0.8, {"Rick": 0.1, "Ilsa": 0.8}),
        TrackLabel(3, "rick", 0.4, {"Rick": 0.4, "Ilsa": 0.3}),  # wrong: truth Ilsa
        TrackLabel(4, None, 0.7, {"Rick": 0.2, "Ilsa": 0.1}),  # background: wrong
        TrackLabel(5, "Rick", 0.5, {"Rick": 0.5, "Ilsa": 0.2}),  # an extra: not scored
    ])


def test_evaluate() -> None:
    truth = {1: "rick", 2: "ilsa", 3: "ilsa", 4: "rick", 5: "unknown", 6: "rick"}
    r = evaluate(_labels(), truth, cast=["Rick", "Ilsa"])
    assert r["tracks"] == 5  # 1, 2, 3, 4 and 6 (missing from labels: wrong)
    assert r["missing"] == 1
    assert r["correct"] == 2
    assert r["accuracy"] == pytest.approx(0.4)
    # Rick: scores 0.9 (+), 0.1 (-), 0.4 (-), 0.2 (+), missing 0 (+)
    assert r["ap"]["Rick"] == pytest.approx(average_precision(
        np.array([0.9, 0.1, 0.4, 0.2, 0.0]), np.array([1, 0, 0, 1, 1], bool)), abs=1e-4)
    assert r["positives"] == {"Rick": 3, "Ilsa": 2}
    assert r["map"] == pytest.approx((r["ap"]["Rick"] + r["ap"]["Ilsa"]) / 2, abs=1e-4)
    # the curve: most confident first (0.9 ok, 0.8 ok, 0.7 wrong, 0.4 wrong, missing)
    assert r["curve"]["accuracy"][:3] == [1.0, 1.0, pytest.approx(0.6667, abs=1e-4)]
    assert r["curve"]["share"][-1] == 1.0


def test_evaluate_without_cast_scores_every_truth_name() -> None:
    r = evaluate(_labels(), {1: "Rick", 5: "Rick"})
    assert r["tracks"] == 2 and r["correct"] == 2 and r["map"] == 1.0


def test_perfect_and_chance() -> None:
    rng = np.random.default_rng(0)
    names = ["a", "b", "c"]
    truth = {i: names[i % 3] for i in range(300)}
    perfect = Labels([TrackLabel(i, n, 1.0, {m: float(m == n) for m in names})
                      for i, n in truth.items()])
    r = evaluate(perfect, truth)
    assert r["accuracy"] == 1.0 and r["map"] == 1.0 and r["curve_ap"] == 1.0
    noise = Labels([TrackLabel(i, names[int(rng.integers(3))], float(rng.random()),
                               {m: float(rng.random()) for m in names}) for i in truth])
    r = evaluate(noise, truth)
    assert 0.2 < r["accuracy"] < 0.47 and 0.2 < r["map"] < 0.5


def test_plot(tmp_path: Path) -> None:
    truth = {1: "rick", 2: "ilsa", 3: "ilsa", 4: "rick"}
    r = evaluate(_labels(), truth)
    png = tmp_path / "curve.png"
    plot_curve(r, png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
    assert not list(tmp_path.glob(".curve.png*"))  # written atomically, no leftovers


def test_extras_null_and_precision_of_the_names_given() -> None:
    labels = Labels([TrackLabel(1, "Anna", 0.9), TrackLabel(2, None, 0.8),
                     TrackLabel(3, "Ben", 0.7), TrackLabel(4, "Anna", 0.6),
                     TrackLabel(5, None, 0.5)])
    truth = {1: "anna", 2: "unknown", 3: "unknown", 4: "Ben", 5: "ben"}
    r = evaluate(labels, truth, ["Anna", "Ben"])
    assert r["extras"] == 2 and r["extras_null"] == 0.5  # track 2 null, track 3 named
    assert r["named"] == 3  # tracks 1, 3, 4 got a name; only track 1 is right
    assert r["named_precision"] == round(1 / 3, 4)
    assert r["accuracy"] == round(1 / 3, 4)  # of the cast tracks 1, 4, 5
