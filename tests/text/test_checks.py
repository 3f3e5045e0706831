"""Sanity checks: warnings that say why the output is probably garbage, wrong pairs."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import screenplays as sp

from scriptalign.text.aligner import align_files
from scriptalign.text.checks import (
    LOW_ALIGNED,
    WrongPairError,
    check_alignment,
    judge_pair,
    names_heard,
    run_share,
)
from scriptalign.text.options import AlignOptions

ITEMS = sp.speeches(60, seed=11)
_OTHER = ("river mountain castle dragon sword village blacksmith armour shield horse "
          "tavern forest wizard crown bridge").split()


def other_film(n: int) -> list[str]:
    """Lines of another film: other nouns, the same little words."""
    rng = random.Random(5)
    return [f"You know the {rng.choice(_OTHER)} is near the {rng.choice(_OTHER)}, right?"
            for _ in range(n)]


def write(tmp_path: Path, script: str, lines: list[str]) -> tuple[Path, Path]:
    s, u = tmp_path / "film.txt", tmp_path / "film.srt"
    s.write_text(script, encoding="utf-8")
    u.write_text(sp.srt(lines), encoding="utf-8")
    return s, u


def test_run_share_counts_matches_in_runs() -> None:
    # 5 matches in a run of 5, then 3 scattered ones.
    ia = [0, 1, 2, 3, 4, 10, 20, 30]
    ib = [5, 6, 7, 8, 9, 40, 80, 90]
    assert run_share(ia, ib) == pytest.approx(5 / 8)
    assert run_share([], []) == 0.0


def test_names_heard_ignores_common_words() -> None:
    speakers = ["MARGO", "MARGO", "WIND IN HIS HAIR", "DESMOND", "THE GUARD"]
    heard, tried = names_heard(speakers, "margo! where is the wind", {"wind", "hair", "his"})
    assert (heard, tried) == (0.5, 2)  # MARGO heard; DESMOND not; the others say nothing


def test_a_right_far_draft_passes_with_a_warning(tmp_path: Path) -> None:
    # Only 1 speech in 8 survives into the film, verbatim; the rest of the film is new.
    kept = [text for k, (_, text) in enumerate(ITEMS) if k % 8 == 0]
    lines = [x for pair in zip(kept, other_film(len(kept)), strict=True) for x in pair]
    a = align_files(*write(tmp_path, sp.indented(ITEMS), lines))
    assert a.stats["share_aligned"] < LOW_ALIGNED
    assert a.stats["verdict"] == "far-draft"
    assert [w["code"] for w in a.warnings][:1] == ["far-draft"]
    assert a.bags


def test_a_wrong_pair_fails_and_min_aligned_zero_accepts_it(tmp_path: Path) -> None:
    s, u = write(tmp_path, sp.indented(ITEMS), other_film(80))
    with pytest.raises(WrongPairError, match="are these subtitles of this film"):
        align_files(s, u)
    a = align_files(s, u, AlignOptions(min_aligned=0.0))
    assert a.stats["verdict"] == "wrong-pair"
    with pytest.raises(WrongPairError, match=r"--min-aligned 0\.9"):
        align_files(s, u, AlignOptions(min_aligned=0.9))


def test_the_library_returns_no_bags_for_a_wrong_pair(tmp_path: Path) -> None:
    import scriptalign
    from scriptalign.text.formats import load_script, load_subtitles

    s, u = write(tmp_path, sp.indented(ITEMS), other_film(80))
    screenplay, subtitles = load_script(s), load_subtitles(u)
    accepted = scriptalign.align(screenplay, subtitles, options=AlignOptions(min_aligned=0.0))
    assert accepted.stats["verdict"] == "wrong-pair" and accepted.bags  # the user's choice
    for kwargs in ({}, {"options": AlignOptions()}, {"options": AlignOptions(min_aligned=0.5)}):
        a = scriptalign.align(screenplay, subtitles, **kwargs)
        assert a.stats["verdict"] == "wrong-pair"
        assert a.bags == []
        assert [w["code"] for w in a.warnings][:1] == ["wrong-pair"]
    (tmp_path / "right").mkdir()
    right = scriptalign.align(screenplay, load_subtitles(
        write(tmp_path / "right", sp.indented(ITEMS), [t for _, t in ITEMS])[1]))
    assert right.stats["verdict"] == "ok" and right.bags


def test_a_right_pair_has_no_warning(tmp_path: Path) -> None:
    a = align_files(*write(tmp_path, sp.indented(ITEMS), [t for _, t in ITEMS]))
    assert a.warnings == []
    assert a.stats["verdict"] == "ok" and a.stats["run_share"] > 0.9
    assert a.layout is not None and a.layout["name"] == "indented"


def test_speeches_per_page_and_layout_warnings() -> None:
    stats = {"dialogue": 20, "share_aligned": 0.8, "run_share": 0.9}
    found = check_alignment(stats, pages=50.0, layout={"name": "flat", "spacing": "single",
                                                       "confidence": 0.3},
                            script="s.txt", subtitles="s.srt")
    codes = [w.code for w in found]
    assert "few-speeches" in codes and "unsure-layout" in codes
    assert "0.4 a page" in found[0].message and "flat" in found[0].message


def test_too_few_speeches_are_not_judged() -> None:
    assert not judge_pair({"dialogue": 5, "share_aligned": 0.0, "run_share": 0.0}).wrong
