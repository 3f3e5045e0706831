"""The planted generators: what they promise about extras, silent shots, wrong bags."""

from __future__ import annotations

import numpy as np

from scriptalign.datasets import make_planted_movie, make_planted_movies
from scriptalign.video.tracks import Track


def _inside(bag_start: float, bag_end: float, start: float, end: float) -> bool:
    return start <= bag_end and end >= bag_start


def test_crowd_faces_are_extras_who_look_like_nobody_else() -> None:
    pm = make_planted_movie(600, 5, crowd=0.3, extras=0.0, seed=1, dim=64)
    ids = [t.id for t in pm.tracks.tracks]
    extra = np.array([pm.truth[i] == "unknown" for i in ids])
    assert 0.2 < extra.mean() < 0.4
    assert pm.tracks.face is not None
    face = pm.tracks.face.astype(np.float64)
    # extras are far from each other on average, cast members close to their own
    sims = face[extra] @ face[extra].T
    assert float(np.median(sims[np.triu_indices(int(extra.sum()), 1)])) < 0.3
    anna = np.array([pm.truth[i] == "Anna" for i in ids])
    assert float(np.median(face[anna] @ face[anna].T)) > 0.6
    # and they never speak
    for bag in pm.alignment.bags:
        assert bag.persons and bag.persons[0] != "unknown"


def test_silent_shots_and_lines_spoken_off_screen() -> None:
    pm = make_planted_movie(600, 5, silent=0.3, wrong=0.2, seed=2, extras=0.0)
    spans = [(t.start, t.end, pm.truth[t.id]) for t in pm.tracks.tracks]
    outside = [s for s in spans if not any(_inside(b.start, b.end, s[0], s[1])
                                           for b in pm.alignment.bags)]
    assert len(outside) > 0.15 * len(spans)
    wrong = [b for b in pm.alignment.bags
             if b.persons[0] not in {n for s, e, n in spans if _inside(b.start, b.end, s, e)}]
    assert 0.1 * len(pm.alignment.bags) < len(wrong) < 0.4 * len(pm.alignment.bags)


def test_films_share_first_names_but_not_faces_and_series_share_both() -> None:
    films = make_planted_movies(2, 200, 3, shared_cast=False, seed=3)
    assert films[0].alignment.cast == films[1].alignment.cast
    series = make_planted_movies(2, 200, 3, shared_cast=True, seed=3)

    def anna_mean(pm: object) -> np.ndarray:
        ft = pm.tracks  # type: ignore[attr-defined]
        rows = [k for k, t in enumerate(ft.tracks) if pm.truth[t.id] == "Anna"]  # type: ignore[attr-defined]
        m = ft.face[rows].mean(axis=0)
        return np.asarray(m / np.linalg.norm(m))

    assert float(anna_mean(films[0]) @ anna_mean(films[1])) < 0.5
    assert float(anna_mean(series[0]) @ anna_mean(series[1])) > 0.9
    named = make_planted_movie(100, names=["John", "Mary"], seed=4)
    assert named.alignment.cast == ["John", "Mary"]


def _activity(track: Track, start: float, end: float) -> float:
    vals = [v for d, v in zip(track.detections, track.extra["mouth"], strict=True)
            if start <= d.time <= end]
    return float(np.std(vals)) if len(vals) > 1 else 0.0


def test_mouths_move_for_the_speaker_during_the_line() -> None:
    pm = make_planted_movie(200, 4, mouth=True, seed=5)
    louder = total = 0
    for bag in pm.alignment.bags:
        seen = [t for t in pm.tracks.tracks if _inside(bag.start, bag.end, t.start, t.end)]
        spk = next(t for t in seen if pm.truth[t.id] == bag.persons[0])
        assert len(spk.extra["mouth"]) == len(spk.detections) > 0
        for other in seen:
            if other is not spk:
                louder += _activity(spk, bag.start, bag.end) > _activity(other, bag.start,
                                                                         bag.end)
                total += 1
    assert total > 20 and louder > 0.9 * total
