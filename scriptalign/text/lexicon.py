"""Action lexicons: which words in a scene description mean "someone does action X".

A lexicon is a JSON file (the default one is ``scriptalign/data/lexicon.json``)::

    {
      "version": 1,
      "actions": {
        "sit down": ["sit|sits|sat|sitting down", "take|takes|took|taking ... seat"],
        "kiss": ["kiss|kisses|kissed|kissing"]
      }
    }

Each action (any name; it is copied into the bags as is) has a list of *verb patterns*.
A pattern is a sequence of slots separated by spaces:

- ``a|b|c`` matches one word that is one of the alternatives. List every inflection you
  want (``sit|sits|sat|sitting``): there is no stemming, so nothing matches by surprise;
- ``...`` lets up to three other words stand there (``answers the phone``, ``opens the
  heavy door``); it cannot start or end a pattern.

Words are compared lower-case and without apostrophes, the way ``bags`` reads a
description. The first slot is the verb: the person doing the action is looked for
before it (``scriptalign.text.bags``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from scriptalign.core.errors import InputError
from scriptalign.core.jsonfile import read_json

LEXICON_VERSION = 1
GAP = "..."
MAX_GAP = 3  # words a "..." slot may skip
_WORD = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


def normalise_word(word: str) -> str:
    """Lower case without apostrophes: how descriptions and patterns are compared."""
    return word.lower().replace("'", "").replace("’", "")


@dataclass(frozen=True)
class Pattern:
    """One verb pattern; ``slots[k]`` is a set of words, or None for ``...``."""

    text: str
    slots: tuple[frozenset[str] | None, ...]

    def find(self, words: Sequence[str]) -> list[int]:
        """Positions in ``words`` where the pattern's first slot (the verb) matches."""
        return [k for k in range(len(words)) if self.matches_at(words, k)]

    def matches_at(self, words: Sequence[str], pos: int) -> bool:
        """Does the pattern match with its verb at ``words[pos]``?"""
        first = self.slots[0]
        assert first is not None
        return words[pos] in first and self._rest(words, 1, pos + 1)

    def _rest(self, words: Sequence[str], slot: int, pos: int) -> bool:
        if slot == len(self.slots):
            return True
        want = self.slots[slot]
        if want is None:  # a gap: the next slot may come up to MAX_GAP words later
            return any(self._rest(words, slot + 1, pos + skip) for skip in range(MAX_GAP + 1))
        return pos < len(words) and words[pos] in want and self._rest(words, slot + 1, pos + 1)


def parse_pattern(text: str) -> Pattern:
    """Parse ``"answer|answers ... phone"``; ValueError saying what is wrong."""
    tokens = text.split()
    if not tokens:
        raise ValueError("empty pattern")
    if tokens[0] == GAP or tokens[-1] == GAP:
        raise ValueError(f"pattern {text!r} starts or ends with '...'")
    slots: list[frozenset[str] | None] = []
    for token in tokens:
        if token == GAP:
            if slots and slots[-1] is None:
                raise ValueError(f"pattern {text!r} has '... ...'")
            slots.append(None)
            continue
        words = [normalise_word(w) for w in token.split("|")]
        bad = [w for w in words if not _WORD.match(w)]
        if bad:
            raise ValueError(f"pattern {text!r}: {bad[0]!r} is not a word")
        slots.append(frozenset(words))
    return Pattern(text, tuple(slots))


@dataclass(frozen=True)
class Lexicon:
    """Actions and their verb patterns, in the order of the file."""

    actions: dict[str, tuple[Pattern, ...]]
    source: str | None = None
    # verb -> the (action, pattern) pairs whose first slot holds it; built on creation.
    by_verb: dict[str, list[tuple[str, Pattern]]] = field(default_factory=dict, init=False,
                                                          compare=False, repr=False)

    def __post_init__(self) -> None:
        for action, patterns in self.actions.items():
            for pattern in patterns:
                for verb in pattern.slots[0] or ():
                    self.by_verb.setdefault(verb, []).append((action, pattern))

    def find(self, words: Sequence[str]) -> list[tuple[int, str]]:
        """(verb position, action) for every action mentioned in ``words``, in order.

        An action found by two patterns at the same verb counts once.
        """
        found: set[tuple[int, str]] = set()
        for pos, word in enumerate(words):
            for action, pattern in self.by_verb.get(word, ()):
                if (pos, action) not in found and pattern.matches_at(words, pos):
                    found.add((pos, action))
        return sorted(found)


def parse_lexicon(doc: Any, source: str | Path | None = None) -> Lexicon:
    """Build a Lexicon from the JSON document; InputError naming ``source`` if malformed."""
    if not isinstance(doc, dict) or not isinstance(doc.get("actions"), dict):
        raise InputError('is not a lexicon: expected {"version": 1, "actions": '
                         '{"action name": ["verb pattern", ...]}}', source)
    version = doc.get("version", LEXICON_VERSION)
    if version != LEXICON_VERSION:
        raise InputError(f"has lexicon version {version!r}; this scriptalign reads version "
                         f"{LEXICON_VERSION}", source)
    actions: dict[str, tuple[Pattern, ...]] = {}
    for name, patterns in doc["actions"].items():
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not patterns \
                or not all(isinstance(p, str) for p in patterns):
            raise InputError(f"action {name!r} needs a non-empty list of pattern strings",
                             source)
        try:
            actions[str(name)] = tuple(parse_pattern(p) for p in patterns)
        except ValueError as exc:
            raise InputError(f"action {name!r}: {exc}", source) from exc
    if not actions:
        raise InputError("defines no actions", source)
    return Lexicon(actions, None if source is None else str(source))


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon JSON file (format in the module doc)."""
    p = Path(path)
    return parse_lexicon(read_json(p, "no such lexicon file"), p)


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with scriptalign: Hollywood2's 12 actions, walk, open door."""
    text = resources.files("scriptalign").joinpath("data/lexicon.json").read_text("utf-8")
    return parse_lexicon(json.loads(text), "scriptalign/data/lexicon.json")
