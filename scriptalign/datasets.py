"""Synthetic movies with a planted truth: inputs of ``learn`` whose answer is known.

Public generators in the manner of scikit-learn's ``make_blobs``: they build the
``Alignment`` (bags only) and ``FaceTracks`` (descriptors only, no video) that ``learn``
takes, and the truth per track, so a solver, a default or a new constraint can be judged
without any third-party data::

    from scriptalign.datasets import make_planted_movie
    pm = make_planted_movie(200, 4, seed=0)
    labels = scriptalign.learn([(pm.alignment, pm.tracks)])[0]


A movie is a run of shots; in each shot one to ``max_faces`` different people are visible
(their tracks overlap in time, some end early), each track's face descriptor is drawn
around its person's mean, and one visible person speaks a line: that is a bag
``{persons: [speaker]}`` over the line's time, true by construction. Extras (nobody of the
cast, truth ``"unknown"``) appear and never speak. With ``actions``, every track also
does one of the actions (or none) with its own descriptor, and some shots carry an action
bag ("someone does ACTION") or a joint bag ("SPEAKER does ACTION").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scriptalign.text.alignment import Alignment
from scriptalign.text.bags import Bag
from scriptalign.video.tracks import FaceTracks, Shot, Track

NAMES = ("Anna", "Ben", "Carla", "Dmitri", "Eve", "Farid", "Gwen", "Hugo", "Ines", "Jon",
         "Kira", "Liam")
ACTIONS = ("walk", "sit down", "drink", "open door", "phone")


@dataclass
class PlantedMovie:
    alignment: Alignment
    tracks: FaceTracks
    truth: dict[int, str]  # track id -> name, "unknown" for extras
    action_truth: dict[int, str | None] = field(default_factory=dict)


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    v = rng.standard_normal((n, d))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def make_planted_movie(n_tracks: int = 200, n_names: int = 4, *, dim: int = 32,
                  noise: float = 0.5, extras: float = 0.1, max_faces: int = 3,
                  actions: int = 0, action_dim: int = 16, seed: int = 0,
                  means: np.ndarray | None = None, first_id: int = 0,
                  label: str = "planted") -> PlantedMovie:
    """A movie of about ``n_tracks`` tracks of ``n_names`` cast members and extras.

    ``noise`` spreads each track's descriptor around its person's mean (unit vectors in
    ``dim`` dimensions); ``extras`` is the chance that a shot also shows somebody of no cast;
    ``actions`` > 0 adds action descriptors and action bags; ``means`` reuses identities
    across movies (one row per name, then one for the extras); ``first_id`` numbers the
    tracks.
    """
    rng = np.random.default_rng(seed)
    names = list(NAMES[:n_names]) if n_names <= len(NAMES) else \
        [f"Person{i + 1}" for i in range(n_names)]
    face_means = means if means is not None else _unit(rng, n_names + 1, dim)
    act_names = list(ACTIONS[:actions])
    act_means = _unit(rng, actions, action_dim) if actions else np.zeros((0, action_dim))
    shots: list[Shot] = []
    tracks: list[Track] = []
    truth: dict[int, str] = {}
    action_truth: dict[int, str | None] = {}
    bags: list[Bag] = []
    faces, acts = [], []
    t = 0.0
    fps = 25.0
    popularity = rng.dirichlet(np.full(n_names, 2.0))
    while len(tracks) < n_tracks:
        length = float(rng.uniform(2.0, 8.0))
        s0, s1 = t, t + length
        shot_index = len(shots)
        shots.append(Shot(s0, s1, int(s0 * fps), int(s1 * fps) - 1))
        n_faces = int(rng.integers(1, max_faces + 1))
        who = list(rng.choice(n_names, size=min(n_faces, n_names), replace=False, p=popularity))
        people: list[int | None] = [int(w) for w in who]
        if rng.random() < extras:
            people.append(None)  # an extra
        visible: list[tuple[int, int | None, float, float]] = []
        for person in people:
            a = s0 + float(rng.uniform(0, 0.3 * length))
            b = s1 - float(rng.uniform(0, 0.3 * length))
            tid = first_id + len(tracks)
            tracks.append(Track(tid, shot_index, round(a, 3), round(b, 3)))
            mean = face_means[n_names if person is None else person]
            faces.append(mean + noise * rng.standard_normal(dim) / np.sqrt(dim))
            truth[tid] = "unknown" if person is None else names[person]
            if actions:
                doing = int(rng.integers(0, actions + 1))  # actions = none
                act = None if doing == actions else act_names[doing]
                action_truth[tid] = act
                base = act_means[doing] if act is not None else np.zeros(action_dim)
                acts.append(base + noise * rng.standard_normal(action_dim) / np.sqrt(action_dim))
            visible.append((tid, person, a, b))
        speakers = [v for v in visible if v[1] is not None]
        if speakers:
            tid, person, a, b = speakers[int(rng.integers(len(speakers)))]
            assert person is not None
            l0 = float(rng.uniform(a, a + 0.5 * (b - a)))
            l1 = float(min(b, l0 + rng.uniform(0.8, 3.0)))
            bag = Bag(round(l0, 3), round(l1, 3), len(bags), [names[person]], kind="dialogue")
            if actions and action_truth.get(tid) is not None and rng.random() < 0.5:
                act = action_truth[tid]
                assert act is not None
                bag.actions = [act]
                bag.pairs = [(names[person], act)]
            bags.append(bag)
        if actions and rng.random() < 0.3:
            doers = [v for v in visible if action_truth.get(v[0]) is not None]
            if doers:
                tid, _, a, b = doers[int(rng.integers(len(doers)))]
                act = action_truth[tid]
                assert act is not None
                bags.append(Bag(round(a, 3), round(b, 3), len(bags), [], [act], kind="action"))
        t = s1 + 1.0 / fps
    face = np.asarray(faces, dtype=np.float64)
    face /= np.linalg.norm(face, axis=1, keepdims=True)
    ft = FaceTracks({"path": label, "fps": fps}, shots, tracks,
                    face.astype(np.float32),
                    np.asarray(acts, dtype=np.float32) if actions else None)
    alignment = Alignment([], [], bags, cast=names)
    return PlantedMovie(alignment, ft, truth, action_truth)


def make_planted_movies(n_movies: int, n_tracks: int = 200, n_names: int = 4, *,
                        dim: int = 32, shared_cast: bool = True, seed: int = 0,
                        **options: float) -> list[PlantedMovie]:
    """``n_movies`` planted movies; with ``shared_cast`` the same people play in all of them
    (episodes of a series), else every movie has its own people under the same names.
    Other keyword options go to :func:`make_planted_movie`."""
    rng = np.random.default_rng(seed)
    means = _unit(rng, n_names + 1, dim) if shared_cast else None
    out = []
    for k in range(n_movies):
        out.append(make_planted_movie(n_tracks, n_names, dim=dim, seed=seed * 1000 + k + 1,
                                      means=means, first_id=0, label=f"planted{k + 1}",
                                      **options))  # type: ignore[arg-type]
    return out
