"""Sanity checks after parsing and aligning: say so when the output is probably garbage.

Each check gives a ``Warning_`` (a code and one line for humans). The CLI prints every one
on stderr (terminal or not), ``align.json`` keeps them under ``warnings``, and the
``--json`` status records carry them with the stats. One check is fatal: a wrong pair.

Wrong pair or far draft? The share of speeches aligned does not tell them apart (a far
draft of the right film can align 7% of its speeches, another film's subtitles 4%). The
*shape* of the word matches does. The aligner's global word matching always finds a
monotonic chain of common words ("you", "the", "know") between any script and any
subtitles, but for another film those matches are scattered one by one; a draft of the
right film, however far, keeps some lines as written, and its matches come in runs of
consecutive words in both texts. ``run_share`` is the share of matched words that lie in
runs of at least ``RUN_WORDS`` consecutive words on both sides. A second, independent
clue rescues drafts rewritten beyond their lines: the film's subtitles say the main
characters' names (``names_heard``). A pair is wrong when both clues fail:
``run_share < WRONG_RUN_SHARE`` and (when the script has ``MIN_NAMES`` usable names)
``names_heard < WRONG_NAMES_HEARD``. The thresholds were chosen on half of the shared corpus
(films whose folder name sorts before "g", with wrong pairs made among them) and checked on
the other half (``bench/bench_corpus.py`` reports both halves).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scriptalign.core.errors import InputError

if TYPE_CHECKING:
    from scriptalign.text.alignment import Alignment
    from scriptalign.text.screenplay import Screenplay
    from scriptalign.text.subtitles import Subtitles

RUN_WORDS = 4
WRONG_RUN_SHARE = 0.07
WRONG_NAMES_HEARD = 0.6
MIN_NAMES = 5
MAIN_SPEAKERS = 8
# A screenplay page holds about 5-12 speeches; far outside that, the layout was misread.
SPEECHES_PER_PAGE = (3.0, 16.0)
LOW_ALIGNED = 0.25
LOW_CUES_MATCHED = 0.2
LOW_LAYOUT_CONFIDENCE = 0.5
MIN_SPEECHES_TO_JUDGE = 40

# Generic speaker words that are not names anyone says.
_GENERIC = {"MAN", "WOMAN", "THE", "MRS", "MR", "DR", "OFFICER", "VOICE", "GUARD", "DOCTOR",
            "COP", "GIRL", "BOY", "ALL", "NURSE", "YOUNG", "OLD", "OTHER", "FIRST", "SECOND",
            "NARRATOR", "AND", "KID", "CROWD", "TV", "RADIO", "PILOT", "AGENT", "SOLDIER"}


@dataclass(frozen=True)
class Warning_:
    code: str  # few-speeches | many-speeches | low-aligned | few-cues-matched | far-draft
    #            | wrong-pair | unsure-layout | bad-timestamps
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def run_share(ia: Any, ib: Any, run: int = RUN_WORDS) -> float:
    """Share of matches (script word ``ia[k]`` = subtitle word ``ib[k]``, both increasing)
    that lie in runs of at least ``run`` matches consecutive in both texts."""
    n = len(ia)
    if n == 0:
        return 0.0
    inside = 0
    length = 1
    for k in range(1, n + 1):
        if k < n and ia[k] == ia[k - 1] + 1 and ib[k] == ib[k - 1] + 1:
            length += 1
            continue
        if length >= run:
            inside += length
        length = 1
    return inside / n


def _name_words(speaker: str) -> list[str]:
    return [w for w in re.findall(r"[A-Z][A-Z'’]+", speaker.upper())
            if len(w) >= 3 and w not in _GENERIC]


def names_heard(speakers: list[str | None], subtitle_text: str,
                common: set[str] | frozenset[str] = frozenset()) -> tuple[float, int]:
    """Share of the main speakers (the most frequent, with a usable name) whose name is
    said in the subtitles, and how many speakers were tried. Name words in ``common``
    (words the script also writes in lower case: "wind", "bird") say nothing."""
    counts = Counter(s for s in speakers if s)
    names = [[w for w in _name_words(s) if w.lower() not in common]
             for s, _ in counts.most_common(3 * MAIN_SPEAKERS)]
    names = [w for w in names if w]
    names = names[:MAIN_SPEAKERS]
    if not names:
        return 0.0, 0
    said = set(re.findall(r"[a-z'’]+", subtitle_text.lower()))
    hits = sum(any(w.lower() in said for w in words) for words in names)
    return hits / len(names), len(names)


@dataclass(frozen=True)
class PairVerdict:
    wrong: bool
    far: bool
    reason: str


def judge_pair(stats: dict[str, Any]) -> PairVerdict:
    """Wrong pair, far draft or fine, from the stats ``check_alignment`` fills."""
    speeches = int(stats.get("dialogue", 0))
    share = float(stats.get("share_aligned", 0.0))
    runs = float(stats.get("run_share", 0.0))
    heard = float(stats.get("names_heard", 0.0))
    n_names = int(stats.get("names_tried", 0))
    if speeches < MIN_SPEECHES_TO_JUDGE:
        return PairVerdict(False, False, "too few speeches to judge")
    names_fail = n_names < MIN_NAMES or heard < WRONG_NAMES_HEARD
    if runs < WRONG_RUN_SHARE and names_fail:
        return PairVerdict(True, False,
                           f"{share:.0%} of speeches aligned, {runs:.0%} of matched words in "
                           f"runs of {RUN_WORDS}+, {heard:.0%} of main names heard")
    far = share < LOW_ALIGNED
    return PairVerdict(False, far, "")


def check_alignment(stats: dict[str, Any], *, pages: float | None, layout: dict[str, Any] | None,
                    script: str | None, subtitles: str | None) -> list[Warning_]:
    """The warnings for one alignment (``stats`` as the aligner fills them)."""
    out: list[Warning_] = []
    speeches = int(stats.get("dialogue", 0))
    if pages and pages >= 3:
        per_page = speeches / pages
        stats["speeches_per_page"] = round(per_page, 2)
        low, high = SPEECHES_PER_PAGE
        found = (f"found {speeches} speeches on about {pages:.0f} pages ({per_page:.1f} a "
                 f"page; a screenplay has 5-12)")
        how = (f"layout read as {layout.get('name')}, {layout.get('spacing')} spacing"
               if layout else "")
        if per_page < low:
            out.append(Warning_("few-speeches", f"{script}: {found}: most speeches were "
                                f"probably missed ({how})" if how else f"{script}: {found}"))
        elif per_page > high:
            out.append(Warning_("many-speeches", f"{script}: {found}: action lines were "
                                f"probably read as speeches ({how})"))
    if layout and float(layout.get("confidence", 1.0)) < LOW_LAYOUT_CONFIDENCE:
        out.append(Warning_("unsure-layout", f"{script}: the layout is unclear (read as "
                            f"{layout.get('name')}, confidence {layout.get('confidence')}): "
                            "check the speakers in the output"))
    verdict = judge_pair(stats)
    share = float(stats.get("share_aligned", 0.0))
    if verdict.wrong:
        stats["verdict"] = "wrong-pair"
        out.append(Warning_("wrong-pair", f"{subtitles} does not look like the subtitles of "
                            f"{script} ({verdict.reason}): are these subtitles of this film?"))
    elif verdict.far:
        stats["verdict"] = "far-draft"
        out.append(Warning_("far-draft", f"{script}: only {share:.0%} of speeches were found "
                            "in the subtitles, but in order and with lines as written: a "
                            "draft far from the film as released; timings are sparse"))
    elif share < LOW_ALIGNED and speeches:
        stats["verdict"] = "low-aligned"
        out.append(Warning_("low-aligned", f"{script}: only {share:.0%} of speeches were "
                            f"found in {subtitles}: a far draft, or subtitles of another "
                            "film or cut?"))
    else:
        stats["verdict"] = "ok"
    cues = int(stats.get("cues", 0))
    matched = int(stats.get("cues_matched", 0))
    if cues and matched / cues < LOW_CUES_MATCHED and not verdict.wrong:
        out.append(Warning_("few-cues-matched", f"{subtitles}: only {matched / cues:.0%} of "
                            "subtitle cues matched the script (another language? another "
                            "film? a script that covers part of the film?)"))
    return out


class WrongPairError(InputError):
    """The subtitles are not those of the script's film (exit 1, nothing written)."""


def attach_checks(alignment: Alignment, screenplay: Screenplay, subtitles: Subtitles,
                  runs: float) -> None:
    """Fill the check statistics of ``alignment.stats`` and its ``warnings`` (``runs``:
    ``run_share`` of the aligner's word matches)."""
    stats = alignment.stats
    dialogue = [el for el in alignment.elements if el.kind == "dialogue"]
    cue_ids = {c for el in dialogue if el.status == "aligned" for c in el.cues}
    stats["cues"] = len(alignment.cues)
    stats["cues_matched"] = sum(1 for c in alignment.cues if c.index in cue_ids)
    stats["run_share"] = round(runs, 4)
    common = {w for el in screenplay.elements
              for w in re.findall(r"\b[a-z][a-z'’]+\b", el.text)}
    heard, tried = names_heard([el.speaker for el in dialogue],
                               " ".join(c.text for c in alignment.cues), common)
    stats["names_heard"], stats["names_tried"] = round(heard, 3), tried
    layout = screenplay.layout
    if layout is not None:
        stats["layout"] = layout.get("name")
    found = check_alignment(stats, pages=screenplay.pages, layout=layout,
                            script=screenplay.path, subtitles=subtitles.path)
    found += [Warning_("bad-timestamps", f"{subtitles.path}: {note}")
              for note in subtitles.problems]
    alignment.warnings = [w.to_dict() for w in found]
    alignment.layout = layout
    alignment.cast_cleanup = screenplay.cast_cleanup


def withhold_bags(alignment: Alignment, min_aligned: float | None = None) -> None:
    """Drop the bags of a pair the checks judged wrong (its warning stays), unless
    ``min_aligned`` is 0 (the user accepts anything): bags from another film's subtitles
    would teach ``learn`` wrong names. ``align`` applies it to every alignment it makes;
    ``align_files`` then also raises ``WrongPairError`` (``enforce_pair``)."""
    if alignment.stats.get("verdict") == "wrong-pair" and min_aligned != 0:
        alignment.bags = []


def enforce_pair(alignment: Alignment, min_aligned: float | None = None) -> None:
    """WrongPairError when the pair must not be used: with ``min_aligned`` None, when the
    checks judged it a wrong pair; else when fewer than ``min_aligned`` of the speeches
    aligned (0 accepts anything)."""
    stats = alignment.stats
    share = float(stats.get("share_aligned", 0.0))
    if min_aligned is None:
        if stats.get("verdict") != "wrong-pair":
            return
        why = next((w["message"] for w in alignment.warnings if w["code"] == "wrong-pair"), "")
    elif share >= min_aligned:
        return
    else:
        why = (f"only {share:.0%} of the speeches of {alignment.script} were found in "
               f"{alignment.subtitles} (--min-aligned {min_aligned:g}): are these subtitles "
               "of this film?")
    raise WrongPairError(f"{why} Nothing was written; --min-aligned 0 aligns anyway.")
