"""Scoring ``labels.json`` against true identities: accuracy, per-name AP, the paper's curve.

Truth is ``{track id: name}`` (as in ``gt_identities.json``); only tracks whose true name
is in the cast are scored (others are extras, ``unknown``). Names compare case- and
spacing-insensitively ("Sheldon" == "sheldon"). A scored track that ``labels`` lacks
counts as wrong.

* accuracy: share of scored tracks whose rounded name is the true one;
* AP of a name: average precision of ranking the scored tracks by their soft score for
  that name (positives = tracks of that person; ties count as one threshold), mAP = mean
  over the names with at least one track;
* curve: tracks sorted by the score of their label, accuracy of the first x% against x
  (Bojanowski et al. 2013, fig. 4); ``curve_ap`` is the area under it;
* extras (tracks of the truth whose name is not in the cast): ``extras_null``, the share of
  them labelled ``null`` (nobody of the cast);
* ``named_precision``: over every track of the truth that got a name, the share whose
  name is the true one (an extra that gets a name counts against it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from scriptalign.core.atomic import atomic_path
from scriptalign.learning.labels import Labels


def _key(name: str | None) -> str | None:
    return None if name is None else " ".join(str(name).split()).casefold()


def average_precision(scores: np.ndarray, positive: np.ndarray) -> float:
    """Non-interpolated AP, tied scores grouped into one threshold (as scikit-learn)."""
    n_pos = int(positive.sum())
    if n_pos == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], positive[order].astype(np.float64)
    tp = np.cumsum(y)
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]  # end of each tie group
    precision = tp[last] / (last + 1)
    recall = tp[last] / n_pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def evaluate(labels: Labels, truth: dict[int, str], cast: Iterable[str] | None = None
             ) -> dict[str, Any]:
    names: dict[str, str] = {}  # key -> display
    for nm in (cast if cast is not None else truth.values()):
        k = _key(nm)
        if k is not None:
            names.setdefault(k, str(nm))
    scored = sorted((int(tid), _key(nm)) for tid, nm in truth.items() if _key(nm) in names)
    by_id = labels.by_id()
    n = len(scored)
    correct = np.zeros(n, dtype=bool)
    conf = np.full(n, -np.inf)
    missing = 0
    score_maps: list[dict[str, float]] = []
    for i, (tid, true) in enumerate(scored):
        t = by_id.get(tid)
        if t is None:
            missing += 1
            score_maps.append({})
            continue
        correct[i] = _key(t.name) == true
        conf[i] = t.score
        score_maps.append({str(_key(k)): v for k, v in t.scores.items()})
    ap: dict[str, float] = {}
    positives: dict[str, int] = {}
    truth_keys = np.array([true for _, true in scored], dtype=object)
    for key, display in names.items():
        pos = truth_keys == key
        positives[display] = int(pos.sum())
        if pos.any():
            s = np.array([m.get(key, 0.0) for m in score_maps])
            ap[display] = round(average_precision(s, pos), 4)
    true_of = {int(tid): _key(nm) for tid, nm in truth.items()}
    extras = [tid for tid, key in true_of.items() if key not in names]
    extras_null = sum(1 for tid in extras if tid in by_id and by_id[tid].name is None)
    given = [(tid, _key(by_id[tid].name)) for tid in true_of
             if tid in by_id and by_id[tid].name is not None]
    named_right = sum(1 for tid, name in given if name == true_of[tid])
    order = np.argsort(-conf, kind="stable")
    cum = np.cumsum(correct[order]) / np.arange(1, n + 1) if n else np.zeros(0)
    share = np.arange(1, n + 1) / n if n else np.zeros(0)
    curve_ap = float(np.sum(np.diff(np.r_[0.0, share]) * cum)) if n else float("nan")
    return {
        "tracks": n,
        "correct": int(correct.sum()),
        "accuracy": round(float(correct.mean()), 4) if n else float("nan"),
        "missing": missing,
        "ap": ap,
        "positives": positives,
        "map": round(float(np.mean(list(ap.values()))), 4) if ap else float("nan"),
        "curve_ap": round(curve_ap, 4),
        "extras": len(extras),
        "extras_null": round(extras_null / len(extras), 4) if extras else float("nan"),
        "named": len(given),
        "named_precision": (round(named_right / len(given), 4) if given else float("nan")),
        "curve": {"share": [round(float(x), 4) for x in share],
                  "accuracy": [round(float(x), 4) for x in cum]},
    }


def plot_curve(result: dict[str, Any], path: str | Path, title: str = "") -> None:
    """PNG of accuracy against the share of tracks labelled (most confident first)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 4), dpi=100)
    ax = fig.add_subplot()
    share, acc = result["curve"]["share"], result["curve"]["accuracy"]
    ax.plot(share, acc, lw=2,
            label=f"AP {result['curve_ap']:.3f}, accuracy {result['accuracy']:.3f}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("share of tracks labelled (most confident first)")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    summary = f"{result['tracks']} tracks, mAP {result['map']:.3f}"
    ax.set_title(f"{title}: {summary}" if title else summary)
    fig.tight_layout()
    with atomic_path(path, suffix=".png") as tmp:
        fig.savefig(tmp, format="png")
