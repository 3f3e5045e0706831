"""Cleaning up the cast of a parsed script: one name per character, groups, no title page.

Real scripts spell one character many ways, and OCR adds more: ``MORPHEUS .``,
``B USTER`` for ``BUSTER``, ``DET. BURKE`` and ``BURKE``, ``Driver`` and ``DRIVER``,
``VOLDEMONT`` once among a hundred ``VOLDEMORT``. ``clean_cast`` merges them, in order:

1. the user's aliases (``--alias FILE``), applied first and trusted;
2. the same letters and digits once case, blanks and punctuation are ignored
   (``B USTER`` = ``BUSTER``, ``Mc Clane`` = ``MCCLANE``);
3. a title in front (``DET.``, ``DR.``, ``MR.``, ``SGT.``...) when the bare name is a cue
   of its own and only one titled form leads to it (``MR. GRANGER`` and ``MRS. GRANGER``
   stay two people);
4. an OCR slip: a name used at most twice, one or two letters away from a name used five
   times as often (names that differ in a digit, ``GUARD 1``/``GUARD 2``, never merge).

The kept spelling is the most frequent one. Every merge is reported (``CastMerge``).

Group cues (``ALL``, ``BOTH``, ``LANCE AND VINCENT``, ``WILL/MORGAN/BILLY``) are flagged
``GROUP``; the bags of such a speech name every member that is a character of its own
(``ALL`` names nobody, who is there is unknown).

Title-page text read as a speech (``WITH REVISION #1`` over a centred date, a transcript's
``Last updated: ...``) is turned back into action: a speaker heard once, before the first
scene heading or transition (or in the first twentieth of a file without any), whose name or
words read like a title page (a draft, a revision, a date, "written by").
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from scriptalign.core.errors import InputError
from scriptalign.text.bags import Bag
from scriptalign.text.screenplay import Element, Screenplay

_TITLES = ("DET", "DETECTIVE", "DR", "DOCTOR", "MR", "MRS", "MS", "MISS", "SGT", "SERGEANT",
           "CAPT", "CAPTAIN", "LT", "LIEUTENANT", "COL", "COLONEL", "GEN", "GENERAL", "PROF",
           "PROFESSOR", "OFFICER", "AGENT", "INSPECTOR", "SIR", "LADY", "LORD", "FATHER",
           "SISTER", "UNCLE", "AUNT", "JUDGE", "SENATOR", "PRESIDENT", "CHIEF", "MAJOR")
_TITLE = re.compile(rf"^(?:{'|'.join(_TITLES)})\.?\s+(?=\S)", re.I)
# Names of nobody in particular: the speech is everybody's.
_NOBODY = {"ALL", "EVERYONE", "EVERYBODY", "BOTH", "TOGETHER", "CROWD", "CHORUS", "ALL THREE",
           "ALL FOUR", "THE CROWD", "VOICES", "THE GROUP", "GROUP", "OTHERS", "THE OTHERS",
           "KIDS", "MEN", "WOMEN", "BOYS", "GIRLS"}
# "WOMAN W/BABY" is one person with a baby: a slash after a one-letter word splits nothing.
_GROUP_SPLIT = re.compile(r"\s*(?:(?<!\b[A-Za-z])/|&|,|\bAND\b|\+)\s*", re.I)
# What title pages say (IMSDb's and transcripts' headers).
_TITLE_TEXT = re.compile(r"draft|revis|written|screenplay|copyright|updated|based on|story by|"
                         r"transcri|property of|shooting script|final|\d|#", re.I)
OCR_MAX_USES = 2
OCR_RATIO = 5
OCR_MIN_SIMILARITY = 85.0


@dataclass
class CastMerge:
    """``variants`` are now spelled ``name``; ``reason``: alias | spelling | title | ocr."""

    name: str
    variants: list[str]
    reason: str


@dataclass
class CastReport:
    merges: list[CastMerge] = field(default_factory=list)
    groups: dict[str, list[str]] = field(default_factory=dict)  # group cue -> members
    title_page: list[str] = field(default_factory=list)  # "speakers" that were title text

    def to_dict(self) -> dict[str, object]:
        return {"merges": [{"name": m.name, "variants": m.variants, "reason": m.reason}
                           for m in self.merges],
                "groups": self.groups, "title_page": self.title_page}


def _key(name: str) -> str:
    return "".join(c for c in name.upper() if c.isalnum())


def _whole_words(name: str) -> bool:
    """No word of one letter: "FUZZY" rather than OCR's "F U Z Z Y"."""
    return all(len(w) > 1 for w in name.split())


def _digits(name: str) -> str:
    return "".join(c for c in name if c.isdigit())


def group_members(name: str) -> list[str] | None:
    """The names in a group cue (``[]`` for ``ALL``), None when ``name`` is one person."""
    text = " ".join(name.split())
    if text.upper() in _NOBODY or text.upper().startswith("ALL "):
        return []
    parts = [p for p in _GROUP_SPLIT.split(text) if p]
    if len(parts) < 2 or any(len(_key(p)) < 2 for p in parts):
        return None
    return parts


def clean_cast(screenplay: Screenplay,
               aliases: dict[str, str] | None = None) -> tuple[Screenplay, CastReport]:
    """A copy of ``screenplay`` with speakers merged, title-page speeches made action and
    group cues flagged; and the report of what changed."""
    from rapidfuzz.distance import Levenshtein

    report = CastReport()
    elements = [Element(**{**el.__dict__}) for el in screenplay.elements]
    _drop_title_page(elements, report)
    uses: Counter[str] = Counter(el.speaker for el in elements
                                 if el.kind == "dialogue" and el.speaker)
    rename: dict[str, str] = {}

    def merge(variants: list[str], name: str, reason: str) -> None:
        moved = [v for v in variants if v != name and v not in rename]
        if not moved:
            return
        for v in moved:
            rename[v] = name
            uses[name] += uses.pop(v, 0)
        report.merges.append(CastMerge(name, moved, reason))

    if aliases:
        wanted = {k.upper(): v for k, v in aliases.items()}
        by_alias: dict[str, list[str]] = {}
        for name in list(uses):
            target = aliases.get(name, wanted.get(name.upper()))
            if target is not None and target != name:
                by_alias.setdefault(target, []).append(name)
        for target, names in by_alias.items():
            uses.setdefault(target, 0)
            merge(names, target, "alias")

    same: dict[str, list[str]] = {}
    for name in uses:
        if name not in rename and _key(name):
            same.setdefault(_key(name), []).append(name)
    for names in same.values():
        if len(names) > 1:
            merge(names, max(names, key=lambda n: (_whole_words(n), uses[n], n.isupper(),
                                                   -len(n))), "spelling")

    keys = {_key(n): n for n in uses if n not in rename}
    titled: dict[str, list[str]] = {}
    for name in uses:
        bare = _TITLE.sub("", name)
        if name not in rename and bare != name and _key(bare) in keys:
            titled.setdefault(keys[_key(bare)], []).append(name)
    for bare, names in titled.items():
        if len(names) == 1:
            merge(names, bare, "title")

    # OCR reads a speck before a name as a letter: "I RAND", "l BILLY".
    for name in list(uses):
        head, _, rest = name.partition(" ")
        if name not in rename and len(head) == 1 and _key(rest) in keys and \
                keys[_key(rest)] != name and uses[name] <= OCR_MAX_USES:
            merge([name], keys[_key(rest)], "ocr")

    ranked = sorted((n for n in uses if n not in rename), key=lambda n: -uses[n])
    for name in ranked[::-1]:
        if uses[name] > OCR_MAX_USES or name in rename:
            continue
        k = _key(name)
        if len(k) < 5:
            continue
        for main in ranked:
            if main == name or main in rename or uses[main] < OCR_RATIO * max(1, uses[name]):
                continue
            mk = _key(main)
            if (_digits(main) == _digits(name) and abs(len(mk) - len(k)) <= 2
                    and Levenshtein.distance(k, mk) <= 2
                    and Levenshtein.normalized_similarity(k, mk) * 100 >= OCR_MIN_SIMILARITY):
                merge([name], main, "ocr")
                break

    for el in elements:
        if el.speaker and el.speaker in rename:
            el.speaker = rename[el.speaker]
    known = {el.speaker for el in elements if el.kind == "dialogue" and el.speaker}
    for el in elements:
        if not el.speaker or el.kind not in ("dialogue", "parenthetical"):
            continue
        members = group_members(el.speaker)
        if members is None:
            continue
        by_key = {_key(n): n for n in known}
        named = [by_key[_key(rename.get(m, m))] for m in members
                 if _key(rename.get(m, m)) in by_key]
        report.groups.setdefault(el.speaker, named)
        if "GROUP" not in el.flags:
            el.flags = (*el.flags, "GROUP")
    out = Screenplay(elements, screenplay.path, screenplay.format, screenplay.layout,
                     screenplay.pages, dict(report.groups), report.to_dict())
    return out, report


def _drop_title_page(elements: list[Element], report: CastReport) -> None:
    """Speeches of the title page become action (see the module doc)."""
    first_scene = next((k for k, el in enumerate(elements)
                        if el.kind in ("scene", "transition")), None)
    limit = first_scene if first_scene is not None else max(1, len(elements) // 20)
    uses = Counter(el.speaker for el in elements if el.kind == "dialogue" and el.speaker)
    for k in range(min(limit, len(elements))):
        el = elements[k]
        if (el.kind in ("dialogue", "parenthetical") and el.speaker and uses[el.speaker] <= 1
                and _TITLE_TEXT.search(f"{el.speaker} {el.text}")):
            if el.speaker not in report.title_page:
                report.title_page.append(el.speaker)
            text = f"{el.speaker} {el.text}" if el.kind == "dialogue" else el.text
            elements[k] = Element("action", text, el.lines)


def group_bags(bags: list[Bag], elements: list[Element],
               groups: dict[str, list[str]]) -> list[Bag]:
    """Dialogue bags of group speeches name the group's members instead of the group
    (none for ``ALL``: such a bag says nothing and is dropped)."""
    if not groups:
        return bags
    out: list[Bag] = []
    for bag in bags:
        speaker = elements[bag.element].speaker if 0 <= bag.element < len(elements) else None
        if bag.kind == "dialogue" and speaker in groups:
            members = groups[speaker]
            if not members:
                continue
            bag.persons = list(members)
        out.append(bag)
    return out


def load_aliases(path: str | Path) -> dict[str, str]:
    """A user's name merges: a JSON or YAML mapping ``{"DET. BURKE": "BURKE"}``."""
    from scriptalign.core.textfile import read_text

    text = read_text(path)
    try:
        if Path(path).suffix.lower() in (".yaml", ".yml"):
            import yaml

            doc = yaml.safe_load(text)
        else:
            doc = json.loads(text)
    except Exception as exc:  # json and yaml raise their own errors on bad syntax
        raise InputError(f"is not a valid alias file ({type(exc).__name__}: "
                         f"{' '.join(str(exc).split())[:100]}); expected "
                         '{"DET. BURKE": "BURKE"}', path) from exc
    if not isinstance(doc, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
        raise InputError('is not an alias file: expected a mapping of names to names, like '
                         '{"DET. BURKE": "BURKE"}', path)
    return {" ".join(k.split()): " ".join(v.split()) for k, v in doc.items()}
