"""Action lexicons: the pattern language, the shipped lexicon, user files and their errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.lexicon import default_lexicon, load_lexicon, parse_lexicon, parse_pattern

HOLLYWOOD2 = ("answer phone", "drive car", "eat", "fight", "get out of car", "hand shake",
              "hug", "kiss", "run", "sit down", "sit up", "stand up")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))


def test_alternatives_and_gaps() -> None:
    p = parse_pattern("answer|answers|answered ... phone|telephone")
    assert p.find(words("He answers the phone")) == [1]
    assert p.find(words("She answered her old black telephone")) == [1]  # 3 words between
    assert p.find(words("She answered and then went to the phone")) == []  # 4 words between
    assert p.find(words("The phone answers")) == []  # order matters
    assert parse_pattern("sit|sits down").find(words("Rick sits down, then sits up")) == [1]


def test_pattern_words_are_normalised_like_descriptions() -> None:
    assert parse_pattern("Doesn't").find(["doesnt"]) == [0]


@pytest.mark.parametrize("bad", ["", "... phone", "answer ...", "answer ... ... phone",
                                 "answer phone!"])
def test_bad_patterns_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_pattern(bad)


@pytest.mark.parametrize(("action", "sentence"), [
    ("answer phone", "Rick picks up the phone"),
    ("drive car", "Ilsa drives the car away"),
    ("eat", "They are eating in silence"),
    ("fight", "The two men fight"),
    ("get out of car", "Renault gets out of the police car"),
    ("hand shake", "They shake hands"),
    ("hug", "Luke hugs Biggs"),
    ("kiss", "He kisses her"),
    ("run", "Luke runs to the ship"),
    ("sit down", "Rick sits down at the table"),
    ("sit up", "Leonard sits up in bed"),
    ("stand up", "Sheldon stands up"),
    ("walk", "Ilsa walks to the bar"),
    ("open door", "Sam opens the door"),
])
def test_the_default_lexicon_knows_the_hollywood2_actions(action: str, sentence: str) -> None:
    lex = default_lexicon()
    assert set(HOLLYWOOD2) | {"walk", "open door"} <= set(lex.actions)
    assert action in [a for _, a in lex.find(words(sentence))]


def test_find_reports_each_action_once_per_verb_in_order() -> None:
    found = default_lexicon().find(words("He picks up the phone and sits down"))
    assert found == [(1, "answer phone"), (6, "sit down")]


def test_a_user_lexicon_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"version": 1, "actions": {
        "smoke": ["smoke|smokes|smoking", "light|lights ... cigarette"],
        "salute": "salute|salutes"}}), encoding="utf-8")
    lex = load_lexicon(path)
    assert list(lex.actions) == ["smoke", "salute"]
    assert lex.find(words("Rick lights a cigarette and salutes")) == [(1, "smoke"),
                                                                      (5, "salute")]
    assert lex.source == str(path)


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ('{"version": 1}', "is not a lexicon"),
    ('{"version": 2, "actions": {"x": ["x"]}}', "version 2"),
    ('{"actions": {"kiss": []}}', "non-empty list"),
    ('{"actions": {"kiss": ["... kiss"]}}', "starts or ends"),
    ('{"actions": {}}', "defines no actions"),
])
def test_bad_lexicon_files_raise_input_errors_naming_the_file(
        tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_lexicon(path)
    assert info.value.path == str(path)


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such lexicon file"):
        load_lexicon(tmp_path / "nope.json")


def test_parse_lexicon_accepts_a_single_pattern_string() -> None:
    assert parse_lexicon({"actions": {"kiss": "kiss|kisses"}}).find(["kisses"]) == [(0, "kiss")]
