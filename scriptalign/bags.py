"""Weak supervision: time intervals in which the script says who is present / what happens."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Bag:
    """"At least one track in [start, end] is each of ``persons``" (and does each action).

    ``element`` is the index of the script element the bag comes from; ``pairs`` are
    [person, action] pairs where the person is the subject of the action's verb.
    """

    start: float
    end: float
    element: int
    persons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "dialogue"  # dialogue (the speaker) | action (a description)
