"""The ``learn`` output: a name (and an action) for every face track, with soft scores.

``labels.json``::

    {"version": 1,
     "tracks": [{"id", "name", "score", "scores": {name: s}, "action", "action_score"}],
     "solver": {"name", "iterations", "objective", "gap", "seconds"},
     "params": {...},
     "warnings": [...]}

``name`` is the rounded label (``null`` = background: nobody of the cast, or no label);
``score`` is the relaxed (soft) assignment of the track to that label, in [0, 1];
``scores`` holds the soft assignment to every name the track could take. ``action`` and
``action_score`` are ``null`` when no actions were learned; when they were, the track
also carries ``action_scores``, and the document ``action_solver``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptalign.core.atomic import write_json
from scriptalign.core.errors import InputError
from scriptalign.core.jsonfile import read_json

LABELS_VERSION = 1


@dataclass
class TrackLabel:
    id: int
    name: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    action: str | None = None
    action_score: float | None = None
    action_scores: dict[str, float] | None = None


@dataclass
class Labels:
    tracks: list[TrackLabel]
    solver: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    action_solver: dict[str, Any] | None = None

    def by_id(self) -> dict[int, TrackLabel]:
        return {t.id: t for t in self.tracks}


def _num(x: float | None, digits: int = 4) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), digits)


def labels_to_dict(labels: Labels) -> dict[str, Any]:
    tracks: list[dict[str, Any]] = []
    for t in labels.tracks:
        row: dict[str, Any] = {
            "id": t.id, "name": t.name, "score": _num(t.score),
            "scores": {k: _num(v) for k, v in t.scores.items()},
            "action": t.action, "action_score": _num(t.action_score)}
        if t.action_scores is not None:
            row["action_scores"] = {k: _num(v) for k, v in t.action_scores.items()}
        tracks.append(row)
    doc: dict[str, Any] = {"version": LABELS_VERSION, "tracks": tracks,
                           "solver": labels.solver}
    if labels.action_solver is not None:
        doc["action_solver"] = labels.action_solver
    doc["params"] = labels.params
    doc["warnings"] = list(labels.warnings)
    return doc


def _score_map(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise TypeError("scores must be an object")
    return {str(k): float(v) for k, v in raw.items() if v is not None}


def labels_from_dict(doc: dict[str, Any]) -> Labels:
    tracks = []
    for t in doc["tracks"]:
        name = t.get("name")
        action = t.get("action")
        action_score = t.get("action_score")
        tracks.append(TrackLabel(
            id=int(t["id"]), name=None if name is None else str(name),
            score=float(t.get("score") or 0.0), scores=_score_map(t.get("scores", {})),
            action=None if action is None else str(action),
            action_score=None if action_score is None else float(action_score),
            action_scores=(_score_map(t["action_scores"])
                           if t.get("action_scores") is not None else None)))
    return Labels(tracks, dict(doc.get("solver", {})), dict(doc.get("params", {})),
                  [str(w) for w in doc.get("warnings", [])],
                  doc.get("action_solver"))


def _short(exc: BaseException) -> str:
    text = repr(exc)
    return text if len(text) <= 200 else text[:200] + "..."


def save_labels(labels: Labels, path: str | Path) -> None:
    write_json(path, labels_to_dict(labels))


def load_labels(path: str | Path) -> Labels:
    p = Path(path)
    doc = read_json(p, "no such file (run `scriptalign learn` first)")
    if not isinstance(doc, dict) or not isinstance(doc.get("tracks"), list):
        raise InputError("is not a scriptalign labels file (no 'tracks' list)", p)
    try:
        return labels_from_dict(doc)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError,
            RecursionError) as exc:
        raise InputError(f"is not a valid labels file ({_short(exc)})", p) from exc
