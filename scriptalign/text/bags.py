"""Weak supervision: time intervals in which the script says who is present / what happens.

``extract_bags`` reads the aligned script elements (Laptev et al. 2008; Bojanowski et al.
2013):

- an aligned speech gives a ``dialogue`` bag holding its speaker, unless the speaker is
  off screen (V.O., O.S., O.C., "X'S VOICE");
- a description (action element) gives an ``action`` bag: the characters it names and
  the actions of the lexicon it mentions, with [person, action] pairs when the person is
  the subject of the action's verb; a parenthetical does the same with its speaker as the
  subject ("(sitting down)").

Characters are the cast (the speakers of the script's character cues). A cue is found in
a description case-insensitively, with a possessive ("Rick's"), and by its first name
("RICK BLAINE" -> "Rick") or, after a title, its last name ("MRS. MULWRAY" -> "Mulwray")
when the name looks like a person's: neither that word nor the last one is ever written in
lower case in the script (so "RED LEADER" is not found in "a red light", nor "IMPERIAL
OFFICER" in "Imperial cruisers") and the word is not another character's name.

The subject of a verb: the nearest character named before it in the same clause, with
the ones joined to it by "and" ("Rick and Ilsa kiss"); in a clause without one ("Luke
runs to Leia and hugs her"), the first character of the nearest clause before it in the
sentence. A possessive is never the subject ("Luke's X-wing races"). A heuristic, not a
parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptalign.text.lexicon import Lexicon
    from scriptalign.text.screenplay import Element


@dataclass
class Bag:
    """"At least one track in [start, end] is each of ``persons``" (and does each action).

    ``element`` is the index of the script element the bag comes from; ``pairs`` are
    [person, action] pairs where the person is the subject of the action's verb.
    ``status`` says how that element was timed (``scriptalign.text.screenplay.Status``)
    and ``score`` (0..1) how sure the timing is: a speech's own score; for a description,
    the lower score of the speeches that bracket it in time.
    """

    start: float
    end: float
    element: int
    persons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "dialogue"  # dialogue (the speaker) | action (a description)
    status: str = "aligned"
    score: float = 1.0


# Extensions that put the speaker off screen (spellings as scriptalign.text.formats.cue writes).
OFFSCREEN_FLAGS = frozenset({"V.O.", "O.S.", "O.C.", "VOICE", "FILTERED", "ON PHONE",
                             "ON RADIO", "ON TV", "OVER PHONE", "OVER RADIO", "OVER INTERCOM",
                             "ON INTERCOM", "ON SPEAKER", "OVER SPEAKER"})
# Cue names that are not one person one could see ("ALL", "VOICES") or too generic to find
# in a description without mistaking someone else for them ("a man enters").
_NOT_A_PERSON = frozenset("all both everyone everybody crowd voice voices others together "
                          "group someone somebody man woman boy girl guy kid person people "
                          "they we".split())
# Titles: "MRS. MULWRAY" is found as "Mulwray", never as "Mrs".
_TITLES = frozenset("mr mrs ms miss dr doctor doc captain capt lt lieutenant sgt sergeant "
                    "officer agent uncle aunt father mother sister brother king queen prince "
                    "princess lord lady sir madam general commander colonel major admiral "
                    "governor senator president professor detective inspector judge "
                    "chief mister".split())
_CONJUNCTIONS = frozenset("and but then while as when before after until because so or "
                          "yet".split())
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|--|[.!?;:,—]")
_SENTENCE_END = frozenset(".!?;:")
_CLAUSE_BREAK = frozenset({",", "--", "—"})


def _words(name: str) -> tuple[str, ...]:
    return tuple(w.replace("'", "").replace("’", "").lower()
                 for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", name))


class CastNames:
    """Finds the cast's names in text: word sequences -> cast member."""

    def __init__(self, cast: Sequence[str], lower_words: set[str] | frozenset[str] = frozenset()):
        """``lower_words``: words the script writes in lower case (so not names)."""
        full: dict[tuple[str, ...], str] = {}
        for name in cast:
            words = _words(name)
            if words and not (len(words) == 1 and words[0] in _NOT_A_PERSON) \
                    and not any(w.isdigit() for w in words):
                full.setdefault(words, name)
        alias: dict[tuple[str, ...], str | None] = {}
        for words, name in full.items():
            if len(words) < 2:
                continue
            if words[-1] in lower_words or words[-1] in _TITLES:
                continue  # "IMPERIAL OFFICER", "RED LEADER": a role, not a full name
            short = words[-1] if words[0] in _TITLES else words[0]
            if short in lower_words or short in _NOT_A_PERSON or len(short) < 2 \
                    or (short,) in full:
                continue
            key: tuple[str, ...] = (short,)
            alias[key] = name if key not in alias or alias[key] == name else None  # ambiguous
        self.names: dict[tuple[str, ...], str] = dict(full)
        self.names.update({k: v for k, v in alias.items() if v is not None})
        # first word -> the names starting with it, longest first
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self.names, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)

    def find(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """(start, end, name) of each mention in ``words``: lower case, and a possessive
        's or ' written as a separate word ``'s`` (see ``_sentences``)."""
        out: list[tuple[int, int, str]] = []
        k = 0
        while k < len(words):
            for key in self.by_first.get(words[k], ()):
                if tuple(words[k:k + len(key)]) == key:
                    out.append((k, k + len(key), self.names[key]))
                    k += len(key)
                    break
            else:
                k += 1
        return out


@dataclass
class Description:
    persons: list[str]
    actions: list[str]
    pairs: list[tuple[str, str]]


_POSSESSIVE = re.compile(r"^(.+?)(?:['’]s|(?<=s)['’])$", re.I)


def _sentences(text: str) -> list[list[str]]:
    """Sentences of ``text`` as tokens: words (lower case, no apostrophes), "--" for a
    comma or dash, and "'s" after a possessive ("Rick's" -> "rick", "'s")."""
    sentences: list[list[str]] = [[]]
    for token in _TOKEN.findall(text):
        if token in _SENTENCE_END:
            if sentences[-1]:
                sentences.append([])
        elif token in _CLAUSE_BREAK:
            sentences[-1].append("--")
        else:
            possessive = _POSSESSIVE.match(token)
            if possessive:
                sentences[-1].append(_words(possessive.group(1))[0])
                sentences[-1].append("'s")
            else:
                sentences[-1].append(token.replace("'", "").replace("’", "").lower())
    return [s for s in sentences if s]


def describe(text: str, names: CastNames, lexicon: Lexicon,
             subject: str | None = None) -> Description:
    """Persons, actions and [person, action] pairs of one description.

    ``subject`` (a parenthetical's speaker) is the doer of every action found.
    """
    persons: dict[str, None] = {}
    actions: dict[str, None] = {}
    pairs: dict[tuple[str, str], None] = {}
    if subject:
        persons[subject] = None
    for tokens in _sentences(text):
        clause_of = _clauses(tokens)
        # Lexicon patterns see "ricks" for "Rick's" (apostrophes dropped), names see "rick".
        index = [k for k, t in enumerate(tokens) if t not in ("--", "'s")]
        words = [tokens[k] for k in index]
        lex_words = [t + "s" if k + 1 < len(tokens) and tokens[k + 1] == "'s" else t
                     for k, t in ((k, tokens[k]) for k in index)]
        mentions = [(index[s], index[e - 1] + 1, n) for s, e, n in names.find(words)]
        for _, _, name in mentions:
            persons.setdefault(name, None)
        # "Luke's X-wing races away": a possessive names the owner, not the doer.
        doers_at = [m for m in mentions if not (m[1] < len(tokens) and tokens[m[1]] == "'s")]
        for pos, action in lexicon.find(lex_words):
            actions.setdefault(action, None)
            doers = [subject] if subject else _subjects(index[pos], doers_at, clause_of, tokens)
            for doer in doers:
                pairs.setdefault((doer, action), None)
    return Description(list(persons), list(actions), list(pairs))


def _clauses(tokens: list[str]) -> list[int]:
    """Clause number of each token: a comma, dash or conjunction starts a new clause."""
    out: list[int] = []
    clause = 0
    for k, t in enumerate(tokens):
        if t == "--" or (t in _CONJUNCTIONS and k > 0):
            clause += 1
        out.append(clause)
    return out


def _subjects(verb: int, mentions: list[tuple[int, int, str]], clause_of: list[int],
              tokens: list[str]) -> list[str]:
    clause = clause_of[verb]
    before = [m for m in mentions if m[1] <= verb]
    # "Rick and Ilsa kiss": "and" between two names joins them instead of splitting.
    same = [m for m in before if _same_clause(m, verb, clause_of, tokens, mentions)]
    if same:
        group = [same[-1]]
        for m in reversed(same[:-1]):
            gap = tokens[m[1]:group[-1][0]]
            if gap in (["and"], ["--"], ["--", "and"]):
                group.append(m)
            else:
                break
        return [m[2] for m in reversed(group)]
    earlier = [m for m in before if clause_of[m[0]] < clause]
    if not earlier:
        return []
    last_clause = clause_of[earlier[-1][0]]
    return [next(m[2] for m in earlier if clause_of[m[0]] == last_clause)]


def _same_clause(m: tuple[int, int, str], verb: int, clause_of: list[int], tokens: list[str],
                 mentions: list[tuple[int, int, str]]) -> bool:
    """Is mention ``m`` in the verb's clause, counting "A and B" as one clause."""
    k = m[0]
    while k < verb:
        nxt = k + 1
        # A break right before another name ("Rick and Ilsa") does not count.
        if nxt < len(tokens) and clause_of[nxt] != clause_of[k] and not any(
                s == nxt + 1 and tokens[nxt] in ("and", "--") for s, _, _ in mentions):
            return False
        k = nxt
    return True


def is_offscreen(element: Element) -> bool:
    return any(flag in OFFSCREEN_FLAGS for flag in element.flags)


# Speeches whose time is their own: they time their neighbours.
_TIMED = frozenset({"aligned", "slotted"})
BAG_STATUSES = ("aligned", "moved", "slotted", "interpolated")


def _bracket_scores(elements: list[Element]) -> list[float]:
    """Per element, the lower score of the timed speeches just before and after it (0 at
    either end of the script): how well the gap an interpolated element got is known."""
    n = len(elements)
    before = [0.0] * n
    after = [0.0] * n
    last: float | None = None
    for k, el in enumerate(elements):
        before[k] = last if last is not None else 0.0
        if el.kind == "dialogue" and el.status in _TIMED:
            last = el.score
    last = None
    for k in range(n - 1, -1, -1):
        after[k] = last if last is not None else 0.0
        el = elements[k]
        if el.kind == "dialogue" and el.status in _TIMED:
            last = el.score
    return [min(b, a) for b, a in zip(before, after, strict=True)]


def extract_bags(elements: list[Element], cast: Sequence[str], lexicon: Lexicon, *,
                 statuses: Sequence[str] = BAG_STATUSES, min_score: float = 0.0,
                 max_seconds: float = math.inf) -> list[Bag]:
    """One bag per timed element that says who is there or what happens.

    Only elements timed well enough give one: status in ``statuses``, bag score at least
    ``min_score``, an interval no longer than ``max_seconds``. A speech gives a bag only
    when its own words or position timed it (never when interpolated).
    """
    lower_words = {w for el in elements if el.kind in ("action", "scene")
                   for w in re.findall(r"\b[a-z][a-z']*\b", el.text)}
    names = CastNames(cast, {w.replace("'", "") for w in lower_words})
    bracket = _bracket_scores(elements)
    wanted = frozenset(statuses)
    bags: list[Bag] = []
    for k, el in enumerate(elements):
        if el.start is None or el.end is None or el.status not in wanted \
                or el.end - el.start > max_seconds:
            continue
        if el.kind == "dialogue":
            if el.status in ("aligned", "moved", "slotted") and el.speaker \
                    and not is_offscreen(el) and el.score >= min_score:
                bags.append(Bag(el.start, el.end, k, [el.speaker], [], [], "dialogue",
                                el.status, el.score))
        elif el.kind in ("action", "parenthetical"):
            score = bracket[k]
            # A parenthetical acted while its speech is said is as sure as that speech.
            for j in (k + 1, k - 1):
                if el.kind == "parenthetical" and 0 <= j < len(elements) \
                        and elements[j].kind == "dialogue" \
                        and (elements[j].start, elements[j].end) == (el.start, el.end):
                    score = elements[j].score
                    break
            if score < min_score:
                continue
            subject = el.speaker if el.kind == "parenthetical" and not is_offscreen(el) \
                else None
            d = describe(el.text, names, lexicon, subject)
            # A parenthetical without an action says nothing its speech's bag does not.
            if d.actions or (d.persons and el.kind == "action"):
                bags.append(Bag(el.start, el.end, k, d.persons, d.actions, d.pairs, "action",
                                el.status, score))
    return bags
