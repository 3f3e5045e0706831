"""Learning names and actions of face tracks from the script's bags (Bojanowski et al. 2013).

Modules: ``learner`` (``learn``: the orchestration), ``options`` (``LearnOptions``),
``problem`` (constraints from bags and tracks), ``diffrac`` (the objective), ``solve_fw`` /
``solve_cvxpy`` (the solvers; ``oracle`` and ``projection`` serve Frank-Wolfe),
``rounding`` (relaxed Z -> one label per track), ``joint_actions`` (the action problem and
person-action bags), ``labels`` (labels.json), ``evaluation`` (accuracy, AP, curves).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Re-exported lazily: ``labels`` is read by reports and exports that must not pay for
# numpy and the solvers.
_EXPORTS = {
    "LearnOptions": "scriptalign.learning.options",
    "learn": "scriptalign.learning.learner",
    "solve": "scriptalign.learning.learner",
    "Labels": "scriptalign.learning.labels",
    "TrackLabel": "scriptalign.learning.labels",
    "load_labels": "scriptalign.learning.labels",
    "save_labels": "scriptalign.learning.labels",
    "evaluate": "scriptalign.learning.evaluation",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'scriptalign.learning' has no attribute {name!r}") from None
    return getattr(import_module(module), name)
