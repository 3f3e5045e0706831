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

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from scriptalign.text.alignment import Alignment
from scriptalign.text.bags import Bag
from scriptalign.video.tracks import Detection, FaceTracks, Shot, Track

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
                       label: str = "planted", crowd: float = 0.0, silent: float = 0.0,
                       wrong: float = 0.0, names: Sequence[str] | None = None,
                       mouth: bool = False) -> PlantedMovie:
    """A movie of about ``n_tracks`` tracks of ``n_names`` cast members and extras.

    ``noise`` spreads each track's descriptor around its person's mean (unit vectors in
    ``dim`` dimensions); ``extras`` is the chance that a shot also shows somebody of no cast
    (one look shared by all of them); ``actions`` > 0 adds action descriptors and action
    bags; ``means`` reuses identities across movies (one row per name, then one for the
    extras); ``first_id`` numbers the tracks.

    What real films add, all off by default: ``crowd`` is the share of the faces that are
    extras who each look like nobody else (a new person, seen in one to three tracks; the
    audience, passers-by); ``silent`` the share of shots with no line, whose tracks are in
    no bag; ``wrong`` the share of lines spoken off screen: the bag names somebody of the
    cast who is not visible. ``names`` gives the cast its names (two films whose casts share
    first names); ``mouth`` adds detections with a ``mouth`` series per track (the speaker's
    moves during the line, the others' barely).
    """
    rng = np.random.default_rng(seed)
    if names is not None:
        names = [str(x) for x in names]
        n_names = len(names)
    else:
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
    crowd_looks: list[tuple[np.ndarray, int]] = []  # (mean, appearances left) of extras
    lines: list[tuple[int, float, float]] = []  # (track id, start, end): who speaks when
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
        # a face of the crowd takes the place of a cast member (-1: a new look each time)
        people = [-1 if crowd and rng.random() < crowd else p for p in people]
        if rng.random() < extras:
            people.append(None)  # an extra
        visible: list[tuple[int, int | None, float, float]] = []
        for person in people:
            a = s0 + float(rng.uniform(0, 0.3 * length))
            b = s1 - float(rng.uniform(0, 0.3 * length))
            tid = first_id + len(tracks)
            tracks.append(Track(tid, shot_index, round(a, 3), round(b, 3)))
            if person == -1:
                mean = _crowd_face(rng, crowd_looks, dim)
            else:
                mean = face_means[n_names if person is None else person]
            faces.append(mean + noise * rng.standard_normal(dim) / np.sqrt(dim))
            truth[tid] = "unknown" if person is None or person < 0 else names[person]
            if actions:
                doing = int(rng.integers(0, actions + 1))  # actions = none
                act = None if doing == actions else act_names[doing]
                action_truth[tid] = act
                base = act_means[doing] if act is not None else np.zeros(action_dim)
                acts.append(base + noise * rng.standard_normal(action_dim) / np.sqrt(action_dim))
            visible.append((tid, None if person is None or person < 0 else person, a, b))
        speakers = [v for v in visible if v[1] is not None]
        if silent and rng.random() < silent:
            speakers = []
        elif wrong and rng.random() < wrong:
            absent = sorted(set(range(n_names)) - {v[1] for v in speakers})
            if absent:
                a, b = visible[0][2], visible[0][3]
                l0 = float(rng.uniform(a, a + 0.5 * (b - a)))
                l1 = float(min(b, l0 + rng.uniform(0.8, 3.0)))
                off = absent[int(rng.integers(len(absent)))]
                bags.append(Bag(round(l0, 3), round(l1, 3), len(bags), [names[off]],
                                kind="dialogue"))
                speakers = []
        if speakers:
            tid, person, a, b = speakers[int(rng.integers(len(speakers)))]
            assert person is not None
            l0 = float(rng.uniform(a, a + 0.5 * (b - a)))
            l1 = float(min(b, l0 + rng.uniform(0.8, 3.0)))
            lines.append((tid, l0, l1))
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
    if mouth:
        _add_mouths(rng, tracks, lines, fps)
    face = np.asarray(faces, dtype=np.float64)
    face /= np.linalg.norm(face, axis=1, keepdims=True)
    ft = FaceTracks({"path": label, "fps": fps}, shots, tracks,
                    face.astype(np.float32),
                    np.asarray(acts, dtype=np.float32) if actions else None)
    alignment = Alignment([], [], bags, cast=names)
    return PlantedMovie(alignment, ft, truth, action_truth)


def _crowd_face(rng: np.random.Generator, looks: list[tuple[np.ndarray, int]],
                dim: int) -> np.ndarray:
    """The mean of a face of the crowd: a new person, or one seen before (1-3 tracks each)."""
    open_ = [k for k, (_, left) in enumerate(looks) if left > 0]
    if open_ and rng.random() < 0.5:
        k = open_[int(rng.integers(len(open_)))]
        mean, left = looks[k]
        looks[k] = (mean, left - 1)
        return mean
    mean = _unit(rng, 1, dim)[0]
    looks.append((mean, int(rng.integers(0, 3))))
    return mean


def _add_mouths(rng: np.random.Generator, tracks: list[Track],
                lines: list[tuple[int, float, float]], fps: float) -> None:
    """Detections at every frame with a ``mouth`` series: the speaker's moves while he
    speaks, everyone else's barely (the ``mouth`` field of ``scriptalign faces``)."""
    speaking: dict[int, list[tuple[float, float]]] = {}
    for tid, l0, l1 in lines:
        speaking.setdefault(tid, []).append((l0, l1))
    for track in tracks:
        frames = np.arange(int(np.ceil(track.start * fps)), int(track.end * fps) + 1)
        times = frames / fps
        amp = np.full(len(frames), 0.004)
        for l0, l1 in speaking.get(track.id, []):
            amp[(times >= l0) & (times <= l1)] = 0.02
        series = amp * rng.standard_normal(len(frames))
        track.detections = [Detection(int(f), round(float(s), 3), (0.0, 0.0, 40.0, 40.0))
                            for f, s in zip(frames, times, strict=True)]
        track.extra["mouth"] = [round(float(v), 5) for v in series]


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
