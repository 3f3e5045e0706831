"""The canonical ``align`` output: one JSON document (schema in the README).

``scriptalign.aligner`` builds an ``Alignment``; SRT/VTT/CSV exports, ``learn`` and the
report all read this document back with ``load_alignment``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scriptalign.atomic import write_json
from scriptalign.bags import Bag
from scriptalign.errors import InputError
from scriptalign.screenplay import Element
from scriptalign.subtitles import Cue, SubtitleLine

ALIGN_VERSION = 1


@dataclass
class Alignment:
    elements: list[Element]
    cues: list[Cue]
    bags: list[Bag]
    script: str | None = None  # path of the screenplay / transcript
    subtitles: str | None = None  # path of the subtitle file
    cast: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 3)


def alignment_to_dict(a: Alignment) -> dict[str, Any]:
    return {
        "version": ALIGN_VERSION,
        "script": a.script,
        "subtitles": a.subtitles,
        "cast": a.cast,
        "stats": a.stats,
        "elements": [
            {"kind": e.kind, "speaker": e.speaker, "text": e.text, "lines": list(e.lines),
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
             "pairs": [list(p) for p in b.pairs]}
            for b in a.bags
        ],
    }


def alignment_from_dict(doc: dict[str, Any]) -> Alignment:
    elements = [
        Element(kind=e["kind"], text=e.get("text", ""),
                lines=(int(e["lines"][0]), int(e["lines"][1])),
                speaker=e.get("speaker"), flags=tuple(e.get("flags", ())),
                start=e.get("start"), end=e.get("end"), score=float(e.get("score", 0.0)),
                status=e.get("status", "unaligned"), cues=tuple(e.get("cues", ())))
        for e in doc.get("elements", [])
    ]
    cues = [
        Cue(int(c["index"]), float(c["start"]), float(c["end"]),
            [SubtitleLine(ln.get("text", ""), k, ln.get("raw", ""), ln.get("speaker"),
                          ln.get("label")) for k, ln in enumerate(c.get("lines", []))])
        for c in doc.get("cues", [])
    ]
    bags = [
        Bag(float(b["start"]), float(b["end"]), int(b.get("element", -1)),
            list(b.get("persons", [])), list(b.get("actions", [])),
            [(str(p[0]), str(p[1])) for p in b.get("pairs", [])], b.get("kind", "dialogue"))
        for b in doc.get("bags", [])
    ]
    return Alignment(elements, cues, bags, doc.get("script"), doc.get("subtitles"),
                     list(doc.get("cast", [])), dict(doc.get("stats", {})))


def load_alignment(path: str | Path) -> Alignment:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no such file (run `scriptalign align` first)", p) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"is not valid JSON ({exc})", p) from exc
    if not isinstance(doc, dict) or "elements" not in doc:
        raise InputError("is not a scriptalign alignment (no 'elements')", p)
    try:
        return alignment_from_dict(doc)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InputError(f"is not a valid alignment file ({exc!r})", p) from exc


def save_alignment(a: Alignment, path: str | Path) -> None:
    write_json(path, alignment_to_dict(a))
