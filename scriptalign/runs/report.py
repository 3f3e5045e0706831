"""``report.html``: one self-contained page to look at a movie's results.

The page (template: ``scriptalign/data/report.html``) has the alignment path (script
line against film time, one dot per speech coloured by how it was timed, the subtitle
cues as a rug: ``scriptalign.text.path_plot``), an overview strip of the whole film with
the part the timeline shows, a timeline with three lanes (script elements coloured by
alignment score and status, subtitle lines by speaker, face tracks by learned name), a
table of tracks with thumbnails and the script around them, and a summary. Clicking a
dot of the path or a place on the strip moves the timeline there; clicking an item plays
the video there when the video is reachable by a relative path from the report.

Safety: the data travels as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped, and the page builds its DOM with ``textContent`` only, so text
from a script or subtitle (``<script>alert(1)</script>``) shows as text. A
Content-Security-Policy allows only the page's own inline script and style (by hash),
``data:`` images and the local video: the page never touches the network.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import statistics
import time
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Any

from scriptalign.core.atomic import write_text
from scriptalign.core.jsonfile import displayable, json_text
from scriptalign.learning.labels import Labels, load_labels
from scriptalign.runs.manifest import package_version
from scriptalign.runs.movie import Movie
from scriptalign.text.alignment import Alignment, load_alignment
from scriptalign.text.path_plot import STATUS_COLORS, path_points
from scriptalign.video.tracks import FaceTracks, load_tracks

MAX_CONTEXT = 4  # script elements shown inside a track (plus one before, one after)
_PLACEHOLDER = re.compile(r"%%(CSP|TITLE|DATA)%%")


def _template() -> str:
    return resources.files("scriptalign").joinpath("data/report.html").read_text("utf-8")


def embed_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or
    line separators that would end or change it."""
    text = json_text(obj, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(float(x), digits)


def _thumb(folder: Path | None, track_id: int) -> str | None:
    if folder is None:
        return None
    for name in (f"track_{track_id:04d}.jpg", f"track_{track_id}.jpg",
                 f"track_{track_id:04d}.png"):
        p = folder / name
        if p.is_file():
            mime = "image/png" if p.suffix == ".png" else "image/jpeg"
            return f"data:{mime};base64," + base64.b64encode(p.read_bytes()).decode("ascii")
    return None


def _context(alignment: Alignment | None, start: float, end: float) -> list[dict[str, Any]]:
    """The script elements that lie mostly inside the track, with the one just before and
    the one just after it, in script order (at most MAX_CONTEXT)."""
    if alignment is None:
        return []
    timed = [(e.start, e.end, k, e) for k, e in enumerate(alignment.elements)
             if e.start is not None and e.end is not None and e.kind in ("dialogue", "action")]

    def inside(s: float, e: float) -> float:  # share of the element within the track
        return max(0.0, min(e, end) - max(s, start)) / max(e - s, 1e-3)

    within = [x for x in timed if inside(x[0], x[1]) >= 0.5]
    if len(within) > MAX_CONTEXT:
        within = sorted(within, key=lambda x: -inside(x[0], x[1]))[:MAX_CONTEXT]
    chosen = {x[2] for x in within}
    before = [x for x in timed if x[0] < start and x[2] not in chosen]
    after = [x for x in timed if x[0] >= start and x[2] not in chosen]
    picked = within + before[-1:] + after[:1]
    picked = sorted(picked, key=lambda x: x[2])[:MAX_CONTEXT + 2]
    return [{"speaker": el.speaker, "text": el.text, "start": _r(s)} for s, _, _, el in picked]


def report_data(name: str, alignment: Alignment | None, tracks: FaceTracks | None,
                labels: Labels | None, *, thumbs: Path | None = None,
                video: str | None = None) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-able data (the page computes nothing
    but layout)."""
    elements = alignment.elements if alignment else []
    cues = alignment.cues if alignment else []
    by_id = labels.by_id() if labels else {}
    dialogue = [e for e in elements if e.kind == "dialogue"]
    aligned = [e for e in elements if e.status == "aligned"]
    found = [e for e in dialogue if e.status in ("aligned", "moved")]
    track_rows: list[dict[str, Any]] = []
    for t in tracks.tracks if tracks else []:
        lab = by_id.get(t.id)
        track_rows.append({
            "id": t.id, "start": _r(t.start), "end": _r(t.end),
            "name": lab.name if lab else None, "score": _r(lab.score) if lab else None,
            "action": lab.action if lab else None, "thumb": _thumb(thumbs, t.id),
            "context": _context(alignment, t.start, t.end)})
    lines: list[dict[str, Any]] = [{"cue": c.index, "start": _r(c.start), "end": _r(c.end),
              "text": ln.raw or ln.text, "speaker": ln.speaker}
             for c in cues for ln in c.lines]
    # Names by how often they show (tracks first, then lines): the page colours the
    # first ones, so the main characters keep distinct colours in a 60-speaker film.
    weight: dict[str, float] = dict.fromkeys(alignment.cast if alignment else [], 0.0)
    for row in track_rows:
        if row["name"]:
            weight[row["name"]] = weight.get(row["name"], 0.0) + 1000.0
    for ln in lines:
        if ln["speaker"]:
            weight[ln["speaker"]] = weight.get(ln["speaker"], 0.0) + 1.0
    names = sorted(weight, key=lambda n: -weight[n])  # stable: cast order breaks ties
    ends = [float(x) for x in ([e.end for e in elements if e.end is not None]
                               + [c.end for c in cues] + [t.end for t in (tracks.tracks
                                                                           if tracks else [])])]
    if tracks and tracks.video.get("duration"):
        ends.append(float(tracks.video["duration"]))
    sources = [p for p in (alignment.script if alignment else None,
                           alignment.subtitles if alignment else None, video) if p]
    return {
        "movie": name,
        "version": package_version(),
        "generated": time.strftime("%Y-%m-%d %H:%M"),
        "sources": [Path(urllib.parse.unquote(p)).name for p in sources],
        "video": video,
        "duration": round(max(ends, default=0.0), 3),
        "names": list(names),
        "summary": {
            "share_aligned": len(found) / len(dialogue) if dialogue else None,
            "statuses": {status: sum(e.status == status for e in dialogue)
                         for status in STATUS_COLORS},
            "median_score": (statistics.median(e.score for e in aligned) if aligned else None),
            "tracks": len(track_rows),
            "tracks_named": sum(1 for r in track_rows if r["name"]),
            "elements": len(elements),
            "subtitle_lines": len(lines),
        },
        "elements": [{"kind": e.kind, "speaker": e.speaker, "text": e.text,
                      "lines": list(e.lines), "start": _r(e.start), "end": _r(e.end),
                      "score": _r(e.score), "status": e.status} for e in elements],
        "lines": lines,
        "tracks": track_rows,
        # The alignment path: [time, script line, status, element] per speech (time null
        # when it has none), drawn in the page with these colours.
        "path": [[_r(p["time"]), p["line"], p["status"], p["element"]]
                 for p in (path_points(alignment) if alignment else [])],
        "last_line": max((e.lines[1] for e in elements), default=1),
        "status_colors": STATUS_COLORS,
    }


def _csp(page: str) -> str:
    """Allow exactly the template's inline script and style (hashes), nothing remote."""
    def digest(tag: str) -> str:
        m = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        body = m.group(1) if m else ""
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    return (f"default-src 'none'; script-src {digest('script')}; style-src {digest('style')}; "
            "img-src data:; media-src *; base-uri 'none'; form-action 'none'")


def render_report(data: dict[str, Any]) -> str:
    template = _template()
    values = {"CSP": _csp(template),
              "TITLE": html.escape(displayable(f"{data['movie']} · scriptalign")),
              "DATA": embed_json(data)}
    # One pass: text substituted for one placeholder is never scanned for another.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def write_report(movie: Movie, path: Path | None = None) -> Path:
    """Write ``report.html`` for a movie from whatever outputs it has so far."""
    target = path or movie.report_path
    alignment = load_alignment(movie.align_path) if movie.align_path.exists() else None
    tracks_json = movie.faces_dir / "tracks.json"
    tracks = load_tracks(movie.faces_dir) if tracks_json.exists() else None
    labels = load_labels(movie.labels_path) if movie.labels_path.exists() else None
    video = None
    if movie.video is not None and movie.video.exists():
        rel = os.path.relpath(movie.video, target.parent)
        # A URL relative to the report, of the file's bytes (its name may not be UTF-8).
        video = urllib.parse.quote(os.fsencode(Path(rel).as_posix()))
    data = report_data(movie.name, alignment, tracks, labels, thumbs=movie.faces_dir / "thumbs",
                       video=video)
    write_text(target, render_report(data))
    return target
