"""Hostile copies of the files scriptalign writes and reads back: align.json, tracks.json +
tracks.npz, labels.json, manifest.json, run.lock.

A run reads these back (learn reads align.json and tracks, report and export read all
three, every step reads the manifest and the lock), and a user may hand-edit, truncate or
copy them from another tool. From arbitrary bytes and from random edits of real documents
(a value of another type, a deleted key, a huge number, 5,000 nested lists, NaN, ...),
loading either gives objects the report and the exports can use, or raises the project's
own error with one line naming the file; the manifest and the lock, which only steer a
run, never raise: a damaged one counts as absent.
"""

from __future__ import annotations

import io
import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from robust_inputs import (
    MUTATIONS,
    Hang,
    bound_for,
    check_clean_error,
    mutate,
    mutate_json,
    time_limit,
)

from scriptalign.learning.labels import Labels, TrackLabel, load_labels, save_labels
from scriptalign.runs.export import rttm_text
from scriptalign.runs.lock import read_lock_info
from scriptalign.runs.manifest import Manifest
from scriptalign.runs.report import render_report, report_data
from scriptalign.text.alignment import Alignment, alignment_to_dict, load_alignment, save_alignment
from scriptalign.text.bags import Bag
from scriptalign.text.formats import format_srt, format_vtt, load_script, load_subtitles
from scriptalign.text.table import format_csv
from scriptalign.video.tracks import Detection, FaceTracks, Shot, Track, load_tracks, save_tracks

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "launch_day"
SLOW_OK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                        HealthCheck.data_too_large])


# -- documents to start from ---------------------------------------------------------------

def alignment_of(script: Path, subs: Path) -> Alignment:
    """An alignment-shaped document of real text (times made up: no aligner involved)."""
    screenplay = load_script(script)
    cues = load_subtitles(subs).cues
    for k, el in enumerate(screenplay.elements):
        if k % 3:
            el.start, el.end, el.score, el.status = 2.0 * k, 2.0 * k + 1.5, 0.75, "aligned"
            el.cues = (1 + k % max(1, len(cues)),)
    for cue in cues[::2]:
        for line in cue.lines:
            line.speaker = screenplay.cast[0] if screenplay.cast else None
    bags = [Bag(1.0, 2.5, 0, ["EILEEN"], ["walk"], [("EILEEN", "walk")], "action"),
            Bag(3.0, 4.0, 1, ["GRACE"])]
    return Alignment(screenplay.elements, cues, bags, str(script), str(subs),
                     screenplay.cast, {"aligned": 3, "note": "made up"})


def face_tracks(count: int = 4) -> FaceTracks:
    rng = np.random.default_rng(1)
    tracks = [Track(k, k % 2, 1.5 * k, 1.5 * k + 1.0,
                    [Detection(10 * k + j, 1.5 * k + 0.1 * j, (10.0 + j, 20.0, 30.0, 30.0), 0.9,
                               {"yaw": 0.1 * j}) for j in range(3)], {"short": k == 3})
              for k in range(count)]
    face = rng.normal(size=(count, 128)).astype(np.float32)
    face /= np.linalg.norm(face, axis=1, keepdims=True)
    return FaceTracks({"path": "clip.webm", "fps": 10.0, "width": 320, "height": 180,
                       "duration": 9.0, "frames": 90},
                      [Shot(0.0, 4.5, 0, 44), Shot(4.5, 9.0, 45, 89)], tracks, face=face,
                      extra={"params": {"every": 0.5}, "warnings": []},
                      arrays={"face_samples": face[[0, 0, 1]],
                              "face_sample_track": np.array([0, 0, 1])})


def labels_of(ids: list[int]) -> Labels:
    names = ["EILEEN", "GRACE", None]
    return Labels([TrackLabel(i, names[i % 3], 0.5 + 0.125 * (i % 3),
                              {"EILEEN": 0.25, "GRACE": 0.75}, "walk" if i % 2 else None,
                              0.5 if i % 2 else None) for i in ids],
                  {"name": "fw", "iterations": 12, "objective": 0.5, "gap": 0.001,
                   "seconds": 0.25}, {"alpha": 0.1}, ["a warning"])


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("seeds")
    save_alignment(alignment_of(EXAMPLE / "launch_day.script.txt",
                                EXAMPLE / "launch_day.en.srt"), root / "align.json")
    save_tracks(face_tracks(), root / "faces")
    save_labels(labels_of(list(range(4))), root / "labels.json")
    return {"align": json.loads((root / "align.json").read_text(encoding="utf-8")),
            "tracks": json.loads((root / "faces" / "tracks.json").read_text(encoding="utf-8")),
            "npz": (root / "faces" / "tracks.npz").read_bytes(),
            "labels": json.loads((root / "labels.json").read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile outputs")


# -- what a loaded document must be good for -----------------------------------------------

def use_alignment(a: Alignment, work: Path) -> None:
    format_srt(a.cues)
    format_vtt(a.cues)
    format_csv(a)
    page = render_report(report_data("movie", a, None, None))
    assert "NaN" not in page.split('id="scriptalign-data"')[-1][:10]
    json.loads(json.dumps(report_data("movie", a, None, None), allow_nan=False))
    save_alignment(a, work / "again.json")
    again = load_alignment(work / "again.json")
    assert len(again.elements) == len(a.elements) and len(again.cues) == len(a.cues)


def use_tracks(ft: FaceTracks, work: Path) -> None:
    labels = labels_of([t.id for t in ft.tracks])
    json.loads(json.dumps(report_data("movie", None, ft, labels, thumbs=work), allow_nan=False))
    render_report(report_data("movie", None, ft, labels, thumbs=work))
    rttm_text("movie", ft, labels)
    if ft.face is not None:
        assert ft.face.ndim == 2 and len(ft.face) == len(ft.tracks)
    save_tracks(ft, work / "again")
    assert [t.id for t in load_tracks(work / "again").tracks] == [t.id for t in ft.tracks]


def use_labels(labels: Labels, work: Path) -> None:
    ft = FaceTracks({"duration": 9.0}, [], [Track(t.id, 0, 1.0, 2.0) for t in labels.tracks])
    assert all(isinstance(t.name, str | None) for t in labels.tracks)
    json.loads(json.dumps(report_data("movie", None, ft, labels), allow_nan=False))
    rttm_text("movie", ft, labels)
    save_labels(labels, work / "again.json")
    load_labels(work / "again.json")


def load_or_fail_cleanly(load: Callable[[Path], Any], use: Callable[[Any, Path], None],
                         path: Path, data: bytes, work: Path, *, load_from: Path | None = None,
                         ) -> None:
    """Write ``data`` to ``path``, load from ``load_from`` (default: ``path``); the error must
    name a file in that folder (tracks.json or tracks.npz)."""
    path.write_bytes(data)
    started = time.monotonic()
    try:
        with time_limit(bound_for(len(data))):
            try:
                loaded = load(load_from or path)
            except Exception as exc:
                check_clean_error(exc, load_from or path)
                return
            use(loaded, work)
    except Hang:
        raise AssertionError(f"no result after {time.monotonic() - started:.0f} s") from None


DEEP_TEXT = b"[" * 5_000 + b"]" * 5_000  # the parser recurses once per level (limit ~1000)
HUGE_NUMBER = b'{"tracks": [{"id": ' + b"9" * 5000 + b'}], "elements": []}'
BYTES = st.one_of(st.binary(max_size=2000),
                  st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))


# -- align.json ----------------------------------------------------------------------------

@settings(SLOW_OK, max_examples=100)
@given(data=BYTES)
@example(data=DEEP_TEXT)
@example(data=HUGE_NUMBER)
def test_align_json_from_arbitrary_bytes(work: Path, data: bytes) -> None:
    load_or_fail_cleanly(load_alignment, use_alignment, work / "align.json", data, work)


@settings(SLOW_OK, max_examples=150)
@given(data=st.data())
def test_align_json_with_random_edits(work: Path, seeds: dict[str, Any],
                                      data: st.DataObject) -> None:
    load_or_fail_cleanly(load_alignment, use_alignment, work / "align.json",
                         mutate_json(data, seeds["align"]), work)


@pytest.fixture(scope="module")
def real_alignment(shared: Path) -> dict[str, Any]:
    film = shared / "data" / "films" / "chinatown_1974"
    a = alignment_of(film / "script.txt", film / "subs.srt")
    result: dict[str, Any] = json.loads(json.dumps(alignment_to_dict(a)))
    return result


@pytest.mark.shared
@settings(SLOW_OK, max_examples=25)
@given(data=st.data())
def test_align_json_of_a_real_film_with_random_edits(work: Path, real_alignment: dict[str, Any],
                                                     data: st.DataObject) -> None:
    load_or_fail_cleanly(load_alignment, use_alignment, work / "align.json",
                         mutate_json(data, real_alignment), work)


# -- tracks.json and tracks.npz ------------------------------------------------------------

def tracks_folder(work: Path, npz: bytes | None) -> Path:
    folder = work / "faces"
    folder.mkdir(exist_ok=True)
    if npz is None:
        (folder / "tracks.npz").unlink(missing_ok=True)
    else:
        (folder / "tracks.npz").write_bytes(npz)
    return folder


@settings(SLOW_OK, max_examples=100)
@given(data=BYTES)
@example(data=DEEP_TEXT)
@example(data=HUGE_NUMBER)
def test_tracks_json_from_arbitrary_bytes(work: Path, data: bytes) -> None:
    folder = tracks_folder(work, None)
    load_or_fail_cleanly(load_tracks, use_tracks, folder / "tracks.json", data, work)


@settings(SLOW_OK, max_examples=150)
@given(data=st.data())
def test_tracks_json_with_random_edits(work: Path, seeds: dict[str, Any],
                                       data: st.DataObject) -> None:
    folder = tracks_folder(work, seeds["npz"])
    load_or_fail_cleanly(load_tracks, use_tracks, folder / "tracks.json",
                         mutate_json(data, seeds["tracks"]), work)


def npz_bytes(**arrays: Any) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


ARRAYS = st.sampled_from([
    np.zeros((4, 128)), np.zeros((3, 128)), np.zeros(128), np.zeros((4, 5)), np.zeros((0, 128)),
    np.array([["a"] * 128] * 4), np.array([0, 1, 2, 3]), np.array([0, 1, 2, 2]),
    np.array([[0, 1, 2, 3]]), np.array([0.5, 1, 2, 3]), np.array([np.nan] * 4),
    np.array(["0", "1", "2", "3"]), np.array([3, 2, 1, 0, 7]), np.array(5)])


@settings(SLOW_OK, max_examples=100)
@given(how=st.sampled_from(["bytes", "arrays"]), ops=st.data())
def test_tracks_npz_damaged_or_of_the_wrong_shape(work: Path, seeds: dict[str, Any], how: str,
                                                  ops: st.DataObject) -> None:
    """The features file cut, flipped or holding arrays of other shapes and types."""
    if how == "bytes":
        npz = mutate(seeds["npz"], ops.draw(MUTATIONS))
    else:
        keys = ops.draw(st.dictionaries(st.sampled_from(["track_ids", "face", "action", "x"]),
                                        ARRAYS, max_size=4))
        npz = npz_bytes(**keys)
    folder = tracks_folder(work, npz)
    load_or_fail_cleanly(load_tracks, use_tracks, folder / "tracks.json",
                         json.dumps(seeds["tracks"]).encode(), work, load_from=folder)


@pytest.fixture(scope="module")
def real_tracks(shared: Path) -> tuple[dict[str, Any], bytes]:
    folder = shared / "data" / "tv" / "bbt_s01e01" / "tracks"
    doc = json.loads((folder / "tracks.json").read_text(encoding="utf-8"))
    doc["tracks"] = doc["tracks"][:150]  # of 657: the same fields, four times faster
    return doc, (folder / "tracks.npz").read_bytes()


@pytest.mark.shared
@settings(SLOW_OK, max_examples=40)
@given(data=st.data())
def test_real_tracks_with_random_edits(work: Path, real_tracks: tuple[dict[str, Any], bytes],
                                       data: st.DataObject) -> None:
    doc, npz = real_tracks
    folder = tracks_folder(work, npz)
    load_or_fail_cleanly(load_tracks, use_tracks, folder / "tracks.json",
                         mutate_json(data, doc), work)


# -- labels.json (written by learn) --------------------------------------------------------

@settings(SLOW_OK, max_examples=100)
@given(data=BYTES)
@example(data=DEEP_TEXT)
@example(data=HUGE_NUMBER)
def test_labels_json_from_arbitrary_bytes(work: Path, data: bytes) -> None:
    load_or_fail_cleanly(load_labels, use_labels, work / "labels.json", data, work)


@settings(SLOW_OK, max_examples=150)
@given(data=st.data())
@example(data=None)  # the deep-nesting case, drawn below when there is no data
def test_labels_json_with_random_edits(work: Path, seeds: dict[str, Any],
                                       data: st.DataObject | None) -> None:
    raw = DEEP_TEXT if data is None else mutate_json(data, seeds["labels"])
    load_or_fail_cleanly(load_labels, use_labels, work / "labels.json", raw, work)


# -- manifest.json and run.lock: damaged ones count as absent --------------------------------

@pytest.fixture(scope="module")
def movie_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("manifest")
    out = root / "scriptalign"
    out.mkdir()
    inputs = {"script": root / "a.script.txt", "subtitles": root / "a.srt"}
    for p in inputs.values():
        p.write_text("text\n")
    (out / "align.json").write_text("{}\n")
    manifest = Manifest(out / "manifest.json", str(root))
    manifest.record("align", manifest.stamps("align", inputs), {"lexicon": None},
                    {"align": out / "align.json"}, 0.5)
    manifest.record("report", {}, {"video": None}, {"report": out / "align.json"}, 0.5)
    manifest.save()
    return {"path": out / "manifest.json", "inputs": inputs, "out": out,
            "doc": json.loads((out / "manifest.json").read_text(encoding="utf-8"))}


def manifest_still_steers(files: dict[str, Any], data: bytes) -> None:
    path: Path = files["path"]
    path.write_bytes(data)
    with time_limit(bound_for(len(data))):
        manifest = Manifest.load(path, "movie")
        for step in ("align", "report", "faces"):
            reason = manifest.stale_reason(step, files["inputs"], {"lexicon": None})
            assert reason is None or isinstance(reason, str)
            stamps = manifest.stamps(step, files["inputs"])
            manifest.outputs(step)
            manifest.record(step, stamps, {"lexicon": None},
                            {"align": files["out"] / "align.json"}, 0.1)
        manifest.save()
    assert Manifest.load(path).stale_reason("align", files["inputs"], {"lexicon": None}) is None


@settings(SLOW_OK, max_examples=100)
@given(data=BYTES)
@example(data=DEEP_TEXT)
@example(data=HUGE_NUMBER)
def test_a_damaged_manifest_counts_as_absent(movie_files: dict[str, Any], data: bytes) -> None:
    manifest_still_steers(movie_files, data)


@settings(SLOW_OK, max_examples=150)
@given(data=st.data())
def test_a_manifest_with_random_edits_counts_as_absent(movie_files: dict[str, Any],
                                                       data: st.DataObject) -> None:
    manifest_still_steers(movie_files, mutate_json(data, movie_files["doc"]))


LOCK = {"pid": 4242, "host": "node3", "started": "2024-05-01 12:00:00", "command": "run x"}


@settings(SLOW_OK, max_examples=150)
@given(data=st.data())
@example(data=None)
def test_a_damaged_lock_file_reads_as_no_holder(work: Path, data: st.DataObject | None) -> None:
    path = work / "run.lock"
    if data is None:
        raw = DEEP_TEXT
    elif data.draw(st.booleans(), label="edit a real lock"):
        raw = mutate_json(data, LOCK)
    else:
        raw = data.draw(BYTES)
    path.write_bytes(raw)
    info = read_lock_info(path)
    if info is not None:
        assert isinstance(info.pid, int) and isinstance(info.host, str)
        assert math.isfinite(info.pid)


@pytest.mark.parametrize("damage", [{"inputs": ["a.srt"]}, {"outputs": {"align": "align.json"}},
                                    {"inputs": {"script": {"path": 3}}}, {"outputs": None}])
def test_a_damaged_step_record_is_a_step_that_never_ran(movie_files: dict[str, Any],
                                                        damage: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(movie_files["doc"]))
    doc["steps"]["align"].update(damage)
    movie_files["path"].write_text(json.dumps(doc), encoding="utf-8")
    manifest = Manifest.load(movie_files["path"])
    assert manifest.stale_reason("align", movie_files["inputs"], {"lexicon": None}) == "never ran"
    manifest.stamps("align", movie_files["inputs"])  # reads every record's stamps


@pytest.mark.parametrize("pid", [-1, 0, 10**30, True, "4242", 4.5])
def test_a_lock_file_with_an_impossible_pid_names_no_holder(work: Path, pid: Any) -> None:
    path = work / "run.lock"
    path.write_text(json.dumps({**LOCK, "pid": pid}), encoding="utf-8")
    assert read_lock_info(path) is None
