"""The HTML report: built from a movie's outputs, checked in a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scriptalign.learning.labels import Labels, TrackLabel, save_labels
from scriptalign.runs.movie import Movie, find_movie
from scriptalign.runs.report import embed_json, render_report, report_data, write_report
from scriptalign.text.alignment import Alignment, save_alignment
from scriptalign.text.screenplay import Element
from scriptalign.text.subtitles import Cue, SubtitleLine
from scriptalign.video.tracks import Detection, FaceTracks, Shot, Track, save_tracks

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = "<script>window.__pwned = 1</script>"
HOSTILE_2 = '</script><img src=x onerror="window.__pwned = 2">'


def write_movie(root: Path) -> Movie:
    """A movie folder with outputs made here: 6 script elements (5 timed), 4 cues of 5
    lines (two carry markup), 3 face tracks (2 named), thumbnails and a 4 s video."""
    import cv2
    import skimage.data

    folder = root / "my film"
    folder.mkdir()
    (folder / "film.script.txt").write_text("x")
    (folder / "film.srt").write_text("x")
    writer = cv2.VideoWriter(str(folder / "film.webm"), cv2.VideoWriter.fourcc(*"VP80"), 10,
                             (160, 120))
    for k in range(40):
        writer.write(np.full((120, 160, 3), 6 * k, np.uint8))
    writer.release()
    movie = find_movie(folder)
    elements = [
        Element("scene", "INT. BAR - NIGHT", (1, 1), start=0.0, end=1.0, score=0.0,
                status="interpolated"),
        Element("dialogue", "Of all the gin joints.", (3, 4), "RICK", start=0.5, end=1.8,
                score=0.92, status="aligned"),
        Element("action", f"Ilsa reads {HOSTILE}", (6, 6), start=1.8, end=2.2,
                status="interpolated"),
        Element("dialogue", "Play it, Sam & <b>again</b>.", (8, 9), "ILSA", start=2.0, end=3.0,
                score=0.61, status="aligned"),
        Element("dialogue", "Here's looking at you.", (11, 11), "RICK", start=3.1, end=3.9,
                score=0.35, status="aligned"),
        Element("dialogue", "Cut from the film.", (13, 13), "SAM"),
    ]
    cues = [
        Cue(1, 0.5, 1.8, [SubtitleLine("Of all the gin joints.", 0, "Of all the gin joints.",
                                       "RICK")]),
        Cue(2, 2.0, 3.0, [SubtitleLine("Play it.", 0, "- Play it.", "ILSA"),
                          SubtitleLine(HOSTILE, 1, f"- {HOSTILE}", None)]),
        Cue(3, 3.1, 3.9, [SubtitleLine("Looking at you.", 0, HOSTILE_2, "RICK")]),
        Cue(4, 3.9, 4.0, [SubtitleLine("", 0, "[MUSIC]", None)]),
    ]
    save_alignment(Alignment(elements, cues, [], str(folder / "film.script.txt"),
                             str(folder / "film.srt"), ["RICK", "ILSA", "SAM"]),
                   movie.align_path)
    tracks = [Track(i, 0, s, e, [Detection(int(s * 10), s, (10, 10, 50, 50))])
              for i, (s, e) in enumerate([(0.4, 1.9), (2.0, 3.0), (2.2, 3.8)])]
    save_tracks(FaceTracks({"path": str(folder / "film.webm"), "fps": 10.0, "width": 160,
                            "height": 120, "duration": 4.0, "frames": 40},
                           [Shot(0.0, 4.0, 0, 39)], tracks, face=np.zeros((3, 128))),
                movie.faces_dir)
    thumbs = movie.faces_dir / "thumbs"
    thumbs.mkdir()
    face = cv2.cvtColor(skimage.data.astronaut()[40:200, 150:290], cv2.COLOR_RGB2BGR)
    for i in range(3):
        cv2.imwrite(str(thumbs / f"track_{i:04d}.jpg"), cv2.resize(face, (96, 110)))
    save_labels(Labels([TrackLabel(0, "RICK", 0.9), TrackLabel(1, "ILSA <i>", 0.7),
                        TrackLabel(2, None, 0.2)]), movie.labels_path)
    return movie


@pytest.fixture
def movie(tmp_path: Path) -> Movie:
    return write_movie(tmp_path)


def embedded(page: str) -> Any:
    m = re.search(r'<script type="application/json" id="scriptalign-data">(.*?)</script>',
                  page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_embed_json_cannot_close_the_script_element() -> None:
    text = embed_json({"a": HOSTILE_2, "b": "<!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": HOSTILE_2, "b": "<!-- \u2028 & >"}


def test_report_embeds_all_data_and_no_raw_markup_from_inputs(movie: Movie) -> None:
    path = write_report(movie)
    page = path.read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img src=x" not in page
    assert page.count("</script>") == 2  # the data element and the page's own script
    data = embedded(page)
    assert [e["text"] for e in data["elements"]][2] == f"Ilsa reads {HOSTILE}"
    assert [ln["text"] for ln in data["lines"]][3] == HOSTILE_2
    assert data["video"] == "../film.webm"
    assert data["summary"]["tracks"] == 3 and data["summary"]["tracks_named"] == 2
    assert data["summary"]["share_aligned"] == pytest.approx(3 / 4)
    assert data["summary"]["median_score"] == pytest.approx(0.61)
    assert all(t["thumb"].startswith("data:image/jpeg;base64,") for t in data["tracks"])
    assert "http://" not in page and "https://" not in page  # nothing to fetch


def test_report_without_faces_or_labels_still_renders(tmp_path: Path) -> None:
    data = report_data("empty", None, None, None)
    assert data["summary"]["tracks"] == 0 and data["duration"] == 0.0
    assert embedded(render_report(data))["movie"] == "empty"


def test_title_is_escaped(tmp_path: Path) -> None:
    page = render_report(report_data("<b>x</b> %%DATA%%", None, None, None))
    assert "<title>&lt;b&gt;x&lt;/b&gt; %%DATA%% · scriptalign</title>" in page


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_report_in_chromium(movie: Movie, browser: Any, tmp_path: Path) -> None:
    path = write_report(movie)
    data = embedded(path.read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15000)

    assert problems == []
    assert all(u.startswith("file://") for u in requests), requests
    timed = [e for e in data["elements"] if e["start"] is not None]
    assert page.locator("#lane-script .item").count() == len(timed) == 5
    assert page.locator("#lane-subtitles .item").count() == len(data["lines"]) == 5
    assert page.locator("#lane-faces .item").count() == len(data["tracks"]) == 3
    assert page.locator("#tracks tbody tr").count() == 3
    # markup from the inputs is text, never code
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#lane-subtitles .item", has_text=HOSTILE).count() == 1
    assert page.locator("#lane-script .item", has_text="Play it, Sam & <b>again</b>.").count() == 1
    assert page.locator("#tracks", has_text="ILSA <i>").count() == 1
    # thumbnails decode
    widths = page.eval_on_selector_all("#tracks img", "els => els.map(e => e.naturalWidth)")
    assert widths == [96, 96, 96]
    # clicking a face track seeks the video to its start
    page.locator("#lane-faces .item").nth(1).click()
    page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 2.0) < 0.3",
                           timeout=10000)
    assert page.locator("#details .text").inner_text() == "ILSA <i> #1"
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert problems == []
    page.close()


def test_report_path_and_overview_in_chromium(movie: Movie, browser: Any) -> None:
    """The alignment path shows every speech; clicking a dot selects that speech on the
    timeline; the overview strip shows the whole film and frames the visible part."""
    path = write_report(movie)
    data = embedded(path.read_text(encoding="utf-8"))
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15000)
    assert problems == []
    assert [p[2] for p in data["path"]] == ["aligned", "aligned", "aligned", "unaligned"]
    # three timed speeches: a dot (two arcs) each; the cut one a tick on the left edge
    dots = page.get_attribute("#path path.dots-aligned", "d") or ""
    assert dots.count("a1.7") == 6
    assert page.locator("#path path.dots-unaligned").count() == 1
    assert "aligned 3" in page.locator("#path-legend").inner_text()
    assert page.locator("#overview-svg path").count() >= 3
    assert page.eval_on_selector("#viewport", "v => v.getBoundingClientRect().width") >= 4

    # click the dot of the third speech (same geometry as drawPath in the page)
    page.locator("#path").scroll_into_view_if_needed()
    box = page.locator("#path").bounding_box()
    assert box is not None
    width = page.eval_on_selector("#path", "s => s.viewBox.baseVal.width")
    time, line = data["path"][2][0], data["path"][2][1]
    x = 64 + (width - 64 - 14) * time / max(1.0, data["duration"])
    y = 10 + (340 - 10 - 42) * line / data["last_line"]
    page.mouse.click(box["x"] + x * box["width"] / width, box["y"] + y * box["height"] / 340)
    assert page.locator("#details .text").inner_text() == "RICK: Here's looking at you."
    assert page.locator("#lane-script .item.selected").inner_text() == \
        "RICK: Here's looking at you."
    assert problems == []
    page.close()
