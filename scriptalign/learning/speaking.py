"""Evidence from the script's bags beyond "someone here is NAME": who talks, and how sure.

* Speaking: a dialogue bag says its speaker is on screen *and talking*. When the tracks
  carry a mouth-motion series (``mouth`` from ``scriptalign faces``, or ``lip`` as in the
  TVPersonID tracks), the tracks of a dialogue bag are weighted by how much their mouth
  moves during the line: weight ``floor + (1 - floor) * a / max(a)`` with ``a`` the
  standard deviation of the series over the line. The bag row ``sum_n w_n z_{n,NAME} >= 1``
  then leans on the moving face. Tracks with no series during the line keep weight 1 (no
  evidence is not evidence of silence).
* Trust: a bag inherits the ``status`` and ``score`` of the script element it comes from
  (how the alignment timed it): its row asks for ``alpha * trust`` instead of ``alpha``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scriptalign.text.bags import Bag
from scriptalign.video.tracks import Track

MOUTH_KEYS = ("mouth", "lip")
# Element statuses whose timing is a guess rather than a match of the words: their bag is
# trusted half as much as the element's own score says.
GUESSED = frozenset({"slotted", "interpolated"})


def mouth_series(track: Track) -> tuple[np.ndarray, np.ndarray] | None:
    """(times, values) of a track's mouth motion, or None when it has none."""
    for key in MOUTH_KEYS:
        raw = track.extra.get(key)
        if isinstance(raw, list) and raw and len(raw) == len(track.detections):
            try:
                values = np.array([np.nan if v is None else float(v) for v in raw])
            except (TypeError, ValueError):
                return None
            times = np.array([d.time for d in track.detections], dtype=np.float64)
            return times, values
    return None


def activity(series: tuple[np.ndarray, np.ndarray] | None, start: float, end: float) -> float:
    """How much the mouth moves in [start, end] (NaN: no evidence)."""
    if series is None:
        return float("nan")
    times, values = series
    inside = values[(times >= start) & (times <= end)]
    inside = inside[np.isfinite(inside)]
    return float(np.std(inside)) if len(inside) >= 2 else float("nan")


def speaking_weights(series: Sequence[tuple[np.ndarray, np.ndarray] | None], start: float,
                     end: float, floor: float) -> np.ndarray:
    """Weights of a dialogue bag's tracks (all 1 when ``floor`` >= 1 or nobody has a series)."""
    out = np.ones(len(series))
    if floor >= 1.0 or len(series) < 2:
        return out
    a = np.array([activity(s, start, end) for s in series])
    known = np.isfinite(a)
    top = float(a[known].max()) if known.any() else 0.0
    if top <= 0:
        return out
    out[known] = floor + (1.0 - floor) * a[known] / top
    return out


def bag_trust(bag: Bag) -> float:
    """How much a bag's row asks, in [0, 1] (bags without ``status``/``score``: 1)."""
    score = getattr(bag, "score", None)
    status = getattr(bag, "status", None)
    trust = 1.0 if score is None else float(min(max(float(score), 0.0), 1.0))
    if not np.isfinite(trust):
        trust = 1.0
    return trust * (0.5 if status in GUESSED else 1.0)
