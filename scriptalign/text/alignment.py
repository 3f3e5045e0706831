"""The canonical ``align`` output: one JSON document (schema in the README).

``scriptalign.text.aligner`` builds an ``Alignment``; SRT/VTT/CSV exports, ``learn`` and the
report all read this document back with ``load_alignment``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from scriptalign.core.atomic import write_text
from scriptalign.core.errors import InputError
from scriptalign.core.jsonfile import (
    Invalid,
    as_dict,
    as_float,
    as_int,
    as_list,
    as_opt_float,
    as_opt_str,
    as_str,
    get,
    int_list,
    read_json,
    str_list,
)
from scriptalign.text.bags import Bag
from scriptalign.text.screenplay import ELEMENT_KINDS, Element, ElementKind, Status
from scriptalign.text.subtitles import Cue, SubtitleLine

ALIGN_VERSION = 1
STATUSES: tuple[Status, ...] = ("aligned", "moved", "slotted", "interpolated", "unaligned")


@dataclass
class Alignment:
    elements: list[Element]
    cues: list[Cue]
    bags: list[Bag]
    script: str | None = None  # path of the screenplay / transcript
    subtitles: str | None = None  # path of the subtitle file
    cast: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    # Sanity-check findings, each {"code", "message"} (scriptalign.text.checks).
    warnings: list[dict[str, str]] = field(default_factory=list)
    # How the script was read: {"name", "spacing", "confidence", "columns", "container"}.
    layout: dict[str, Any] | None = None
    # Cast clean-up: {"merges": [{"name", "variants", "reason"}], "groups", "title_page"}.
    cast_cleanup: dict[str, Any] | None = None


def _r(x: float | None) -> float | None:
    # A time that is not finite is no time: null, not NaN (which JSON readers refuse).
    return None if x is None or not math.isfinite(x) else round(float(x), 3)


def alignment_to_dict(a: Alignment) -> dict[str, Any]:
    return {
        "version": ALIGN_VERSION,
        "script": a.script,
        "subtitles": a.subtitles,
        "cast": a.cast,
        "stats": a.stats,
        "warnings": a.warnings,
        "layout": a.layout,
        "cast_cleanup": a.cast_cleanup,
        "elements": [
            {"kind": e.kind, "speaker": e.speaker, "text": e.text, "lines": list(e.lines),
             **({"page_lines": [list(e.page_lines[0]), list(e.page_lines[1])]}
                if e.page_lines else {}),
             "flags": list(e.flags), "start": _r(e.start), "end": _r(e.end),
             "score": round(float(e.score), 4), "status": e.status, "cues": list(e.cues)}
            for e in a.elements
        ],
        "cues": [
            {"index": c.index, "start": _r(c.start), "end": _r(c.end),
             "lines": [{"text": ln.text, "speaker": ln.speaker, "raw": ln.raw,
                        **({"label": ln.label} if ln.label else {})} for ln in c.lines]}
            for c in a.cues
        ],
        "bags": [
            {"start": _r(b.start), "end": _r(b.end), "element": b.element, "kind": b.kind,
             "persons": list(b.persons), "actions": list(b.actions),
             "pairs": [list(p) for p in b.pairs], "status": b.status,
             "score": round(float(b.score), 4)}
            for b in a.bags
        ],
    }


def _element(e: Any, w: str) -> Element:
    e = as_dict(e, w)
    kind = as_str(get(e, "kind", w), f"{w}.kind")
    status = as_str(get(e, "status", w, "unaligned"), f"{w}.status")
    if kind not in ELEMENT_KINDS:
        raise Invalid(f"{w}.kind: unknown kind {kind[:40]!r}")
    if status not in STATUSES:
        raise Invalid(f"{w}.status: unknown status {status[:40]!r}")
    lines = int_list(get(e, "lines", w), f"{w}.lines")
    if len(lines) != 2:
        raise Invalid(f"{w}.lines: expected [first, last], not {len(lines)} numbers")
    return Element(kind=cast(ElementKind, kind), text=as_str(get(e, "text", w, ""), f"{w}.text"),
                   lines=(lines[0], lines[1]),
                   speaker=as_opt_str(get(e, "speaker", w, None), f"{w}.speaker"),
                   flags=tuple(str_list(get(e, "flags", w, []), f"{w}.flags")),
                   start=as_opt_float(get(e, "start", w, None), f"{w}.start"),
                   end=as_opt_float(get(e, "end", w, None), f"{w}.end"),
                   score=as_float(get(e, "score", w, 0.0), f"{w}.score"),
                   status=cast(Status, status),
                   cues=tuple(int_list(get(e, "cues", w, []), f"{w}.cues")),
                   page_lines=_page_lines(get(e, "page_lines", w, None), f"{w}.page_lines"))


def _page_lines(value: Any, w: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    if value is None:
        return None
    pairs = [int_list(p, f"{w}[{k}]") for k, p in enumerate(as_list(value, w))]
    if len(pairs) != 2 or any(len(p) != 2 for p in pairs):
        raise Invalid(f"{w}: expected [[page, line], [page, line]]")
    return (pairs[0][0], pairs[0][1]), (pairs[1][0], pairs[1][1])


def _cue(c: Any, w: str) -> Cue:
    c = as_dict(c, w)
    lines = []
    for k, ln in enumerate(as_list(get(c, "lines", w, []), f"{w}.lines")):
        lw = f"{w}.lines[{k}]"
        ln = as_dict(ln, lw)
        lines.append(SubtitleLine(as_str(get(ln, "text", lw, ""), f"{lw}.text"), k,
                                  as_str(get(ln, "raw", lw, ""), f"{lw}.raw"),
                                  as_opt_str(get(ln, "speaker", lw, None), f"{lw}.speaker"),
                                  as_opt_str(get(ln, "label", lw, None), f"{lw}.label")))
    return Cue(as_int(get(c, "index", w), f"{w}.index"), as_float(get(c, "start", w), f"{w}.start"),
               as_float(get(c, "end", w), f"{w}.end"), lines)


def _bag(b: Any, w: str) -> Bag:
    b = as_dict(b, w)
    pairs = []
    for k, p in enumerate(as_list(get(b, "pairs", w, []), f"{w}.pairs")):
        pair = str_list(p, f"{w}.pairs[{k}]")
        if len(pair) != 2:
            raise Invalid(f"{w}.pairs[{k}]: expected [person, action]")
        pairs.append((pair[0], pair[1]))
    return Bag(as_float(get(b, "start", w), f"{w}.start"), as_float(get(b, "end", w), f"{w}.end"),
               as_int(get(b, "element", w, -1), f"{w}.element"),
               str_list(get(b, "persons", w, []), f"{w}.persons"),
               str_list(get(b, "actions", w, []), f"{w}.actions"), pairs,
               as_str(get(b, "kind", w, "dialogue"), f"{w}.kind"),
               # Alignments written before bags said how their element was timed.
               as_str(get(b, "status", w, "aligned"), f"{w}.status"),
               as_float(get(b, "score", w, 1.0), f"{w}.score"))


def alignment_from_dict(doc: dict[str, Any]) -> Alignment:
    """The alignment in ``doc``; ``Invalid`` (a ValueError naming the field) when a field
    has the wrong type."""
    doc = as_dict(doc, "document")
    parts = {key: as_list(get(doc, key, "document", []), key)
             for key in ("elements", "cues", "bags")}
    return Alignment([_element(e, f"elements[{k}]") for k, e in enumerate(parts["elements"])],
                     [_cue(c, f"cues[{k}]") for k, c in enumerate(parts["cues"])],
                     [_bag(b, f"bags[{k}]") for k, b in enumerate(parts["bags"])],
                     as_opt_str(get(doc, "script", "document", None), "script"),
                     as_opt_str(get(doc, "subtitles", "document", None), "subtitles"),
                     str_list(get(doc, "cast", "document", []), "cast"),
                     dict(as_dict(get(doc, "stats", "document", {}), "stats")),
                     [_warning(x, f"warnings[{k}]") for k, x in
                      enumerate(as_list(get(doc, "warnings", "document", []), "warnings"))],
                     _opt_dict(get(doc, "layout", "document", None), "layout"),
                     _opt_dict(get(doc, "cast_cleanup", "document", None), "cast_cleanup"))


def _warning(x: Any, w: str) -> dict[str, str]:
    x = as_dict(x, w)
    return {"code": as_str(get(x, "code", w, ""), f"{w}.code"),
            "message": as_str(get(x, "message", w, ""), f"{w}.message")}


def _opt_dict(x: Any, w: str) -> dict[str, Any] | None:
    return None if x is None else dict(as_dict(x, w))


def load_alignment(path: str | Path) -> Alignment:
    p = Path(path)
    doc = read_json(p, "no such file (run `scriptalign align` first)")
    if not isinstance(doc, dict) or "elements" not in doc:
        raise InputError("is not a scriptalign alignment (no 'elements')", p)
    try:
        return alignment_from_dict(doc)
    except Invalid as exc:
        raise InputError(f"is not a valid alignment file ({exc})", p) from exc


def alignment_json(a: Alignment) -> str:
    """The text of ``align.json``: top-level fields one per line, each element, cue and
    bag on a line of its own (readable and diffable, and written by json's C encoder:
    an indented dump of a whole film takes longer than aligning it). Lone surrogates (file
    names that are not UTF-8) are written as escapes, as ``core.jsonfile.json_text`` does."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode
    parts = []
    for key, value in alignment_to_dict(a).items():
        if key in ("elements", "cues", "bags") and value:
            items = ",\n  ".join(encode(item) for item in value)
            parts.append(f"{encode(key)}: [\n  {items}\n ]")
        else:
            parts.append(f"{encode(key)}: {encode(value)}")
    text = "{\n " + ",\n ".join(parts) + "\n}\n"
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def save_alignment(a: Alignment, path: str | Path) -> None:
    write_text(path, alignment_json(a))
