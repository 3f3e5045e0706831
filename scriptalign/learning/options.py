"""``LearnOptions``: the parameters of ``learn``, checked in one place."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scriptalign.core.errors import UsageError

SOLVERS = ("auto", "cvxpy", "fw")
JOINT = ("alternate", "mccormick")
CAST_SCOPES = ("film", "series")
ROUNDINGS = ("constrained", "argmax")


# Defaults chosen on bbt_s01e01-e02 and planted films (bench/bench_learn.py --tune),
# reported on bbt_s01e03 and other planted seeds: docs/learn.md.
KAPPA = 1.5
BACKGROUND = 0.0275
SPEAKING = 0.5
EVIDENCE = 1.0
ROUNDING = "argmax"


@dataclass
class LearnOptions:
    """Parameters of ``learn``. Paper values (Bojanowski et al. 2013) in brackets.

    ``alpha``: how many tracks of a bag must carry its name. The paper's 3 [faces] and 2
    [actions] are for scene-long bags with many tracks each; a dialogue bag (one line of
    subtitles, 1-4 tracks, the speaker often the only face) holds its speaker once, so 1.
    """

    solver: str = "auto"  # auto: cvxpy up to ``cvxpy_max_tracks`` tracks, else fw
    alpha: float = 1.0  # [3]
    kappa: float = KAPPA  # names: slack penalty per track (kappa/N) [see docs/learn.md]
    lam: float = 1e-4  # classifier regularisation [1e-4]
    margin: float = 0.0  # seconds added to both ends of a bag when matching tracks
    background: float = BACKGROUND  # names: cost of a name per track (prior/N), see problem
    evidence: float = EVIDENCE  # names: share of a name's cost a track's bags for it take off
    speaking: float = SPEAKING  # weight of a dialogue bag's still faces (1: no mouth evidence)
    trust: bool = True  # bags ask as much as the alignment trusts them (status, score)
    cast_scope: str = "film"  # film: a cast per film (or declared series) | series: one cast
    jobs: int = 0  # worker processes for the separate casts (0: one per CPU on big runs)
    rounding: str = ROUNDING  # constrained (bags hold after rounding) | argmax
    action_background: float = 0.01  # actions: pull of tracks in no bag towards background
    exclusive: bool = True  # tracks sharing a frame are different people
    action_alpha: float = 1.0  # [2]
    action_kappa: float = 1.0  # actions: slack penalty per track (kappa/N) [1, absolute]
    action_lam: float = 1e-6  # [1e-6]
    joint: str = "alternate"  # alternate | mccormick (person-action bags)
    max_iter: int = 500  # Frank-Wolfe iterations (each visits every movie once)
    tol: float = 1e-2  # Frank-Wolfe: stop when duality gap <= tol * objective
    cvxpy_max_tracks: int = 300
    degenerate: float = 0.9  # warn when one class holds more than this share of the mass

    def check(self) -> None:
        if self.solver not in SOLVERS:
            raise UsageError(f"unknown solver {self.solver!r} (choose from {', '.join(SOLVERS)})")
        if self.joint not in JOINT:
            raise UsageError(f"unknown --joint {self.joint!r} (choose from {', '.join(JOINT)})")
        if self.joint == "mccormick" and self.solver == "fw":
            raise UsageError("--joint mccormick needs the cvxpy solver (--solver cvxpy or auto)")
        for name in ("alpha", "kappa", "lam", "action_alpha", "action_kappa", "action_lam"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise UsageError(f"{name} must be a positive number (got {value})")
        if self.cast_scope not in CAST_SCOPES:
            raise UsageError(f"unknown --cast-scope {self.cast_scope!r} (choose from "
                             f"{', '.join(CAST_SCOPES)})")
        if self.rounding not in ROUNDINGS:
            raise UsageError(f"unknown --rounding {self.rounding!r} (choose from "
                             f"{', '.join(ROUNDINGS)})")
        if self.jobs < 0:
            raise UsageError(f"jobs must be 0 (automatic) or more (got {self.jobs})")
        if not (math.isfinite(self.evidence) and 0 <= self.evidence <= 1):
            raise UsageError(f"evidence must be in [0, 1] (got {self.evidence})")
        if not (math.isfinite(self.speaking) and 0 <= self.speaking <= 1):
            raise UsageError(f"speaking must be in [0, 1] (got {self.speaking})")
        for name in ("margin", "background", "action_background"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise UsageError(f"{name} must be >= 0 (got {value})")
        if self.max_iter < 1 or not self.tol > 0:
            raise UsageError("max_iter must be >= 1 and tol > 0")
