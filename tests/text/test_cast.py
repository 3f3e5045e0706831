"""Cast clean-up: name variants merged, groups, title pages, the user's aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptalign.core.errors import InputError
from scriptalign.text.bags import Bag
from scriptalign.text.cast import clean_cast, group_bags, group_members, load_aliases
from scriptalign.text.screenplay import Element, Screenplay


def play(*speakers: str, heading_first: bool = True) -> Screenplay:
    elements = [Element("scene", "INT. PIER - NIGHT", (1, 1))] if heading_first else []
    for k, name in enumerate(speakers):
        elements.append(Element("dialogue", "a line of words", (k + 2, k + 2), name))
    return Screenplay(elements)


def test_spelling_case_ocr_splits_and_titles_merge() -> None:
    names = (["MORPHEUS"] * 6 + ["MORPHEUS ."] + ["BUSTER"] * 3 + ["B USTER"]
             + ["BURKE"] * 4 + ["DET. BURKE"] + ["DRIVER"] * 2 + ["Driver"]
             + ["VOLDEMORT"] * 10 + ["VOLDEMONT"])
    script, report = clean_cast(play(*names))
    assert script.cast == ["MORPHEUS", "BUSTER", "BURKE", "DRIVER", "VOLDEMORT"]
    merged = {(m.name, tuple(m.variants), m.reason) for m in report.merges}
    assert ("MORPHEUS", ("MORPHEUS .",), "spelling") in merged
    assert ("BUSTER", ("B USTER",), "spelling") in merged
    assert ("BURKE", ("DET. BURKE",), "title") in merged
    assert ("DRIVER", ("Driver",), "spelling") in merged
    assert ("VOLDEMORT", ("VOLDEMONT",), "ocr") in merged
    assert script.cast_cleanup is not None and len(script.cast_cleanup["merges"]) == 5


def test_what_must_not_merge() -> None:
    names = ["MR. GRANGER", "MRS. GRANGER", "GRANGER"] * 2 + ["GUARD 1"] * 6 + ["GUARD 2"]
    script, report = clean_cast(play(*names))
    assert set(script.cast) == {"MR. GRANGER", "MRS. GRANGER", "GRANGER", "GUARD 1", "GUARD 2"}
    assert report.merges == []


def test_groups_name_their_members_and_all_names_nobody() -> None:
    script, report = clean_cast(play("LANCE", "VINCENT", "LANCE AND VINCENT", "MIA",
                                     "WILL/MIA", "ALL", "WOMAN W/BABY"))
    assert report.groups == {"LANCE AND VINCENT": ["LANCE", "VINCENT"], "WILL/MIA": ["MIA"],
                             "ALL": []}
    assert script.cast == ["LANCE", "VINCENT", "MIA", "WOMAN W/BABY"]
    flagged = [el.speaker for el in script.elements if "GROUP" in el.flags]
    assert flagged == ["LANCE AND VINCENT", "WILL/MIA", "ALL"]
    bags = [Bag(0, 1, k, [el.speaker or ""], [], [], "dialogue")
            for k, el in enumerate(script.elements) if el.kind == "dialogue"]
    persons = [b.persons for b in group_bags(bags, script.elements, script.groups)]
    assert ["LANCE", "VINCENT"] in persons and ["MIA"] in persons
    assert not any(p == ["ALL"] or p == [] for p in persons)


def test_title_page_speeches_are_action() -> None:
    # A one-off speaker before the first heading who says nothing title-like stays.
    script, report = clean_cast(play("NARRATOR", *["MARGO"] * 30, heading_first=False))
    assert report.title_page == [] and "NARRATOR" in script.cast
    names = ["WITH REVISION #1"] + ["MARGO"] * 30
    elements = play(*names, heading_first=False).elements
    elements.insert(1, Element("scene", "INT. PIER - NIGHT", (1, 1)))
    script, report = clean_cast(Screenplay(elements))
    assert report.title_page == ["WITH REVISION #1"]
    assert script.cast == ["MARGO"]
    assert script.elements[0].kind == "action"


def test_aliases_from_json_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"THE DRIVER": "DRIVER"}))
    (tmp_path / "a.yaml").write_text("THE DRIVER: DRIVER\n")
    for name in ("a.json", "a.yaml"):
        aliases = load_aliases(tmp_path / name)
        script, report = clean_cast(play("DRIVER", "THE DRIVER"), aliases)
        assert script.cast == ["DRIVER"]
        assert report.merges[0].reason == "alias"
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(InputError, match="alias file"):
        load_aliases(tmp_path / "bad.json")


def test_group_members_parsing() -> None:
    assert group_members("LANCE AND VINCENT") == ["LANCE", "VINCENT"]
    assert group_members("Fa Li & Mulan") == ["Fa Li", "Mulan"]
    assert group_members("EVERYONE") == []
    assert group_members("MARGO") is None
