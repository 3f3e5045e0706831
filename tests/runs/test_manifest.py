"""The manifest: a step is skipped exactly when its inputs, parameters and outputs hold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scriptalign.runs import manifest as manifest_module
from scriptalign.runs.manifest import Manifest, file_sha256, stamp


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    script = tmp_path / "film.script.txt"
    script.write_text("INT. ROOM - DAY\n", encoding="utf-8")
    subs = tmp_path / "film.srt"
    subs.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", encoding="utf-8")
    out = tmp_path / "scriptalign" / "align.json"
    out.parent.mkdir()
    out.write_text('{"elements": []}\n', encoding="utf-8")
    return {"script": script, "subtitles": subs, "out": out}


def recorded(tmp_path: Path, files: dict[str, Path], params: dict[str, object]) -> Manifest:
    man = Manifest(tmp_path / "scriptalign" / "manifest.json", "film")
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    man.record("align", man.stamps("align", inputs), params, {"align": files["out"]}, 0.5)
    man.save()
    return Manifest.load(man.path)


def test_stamp_has_size_mtime_and_hash(files: dict[str, Path]) -> None:
    st = stamp(files["script"])
    assert st["size"] == files["script"].stat().st_size
    assert st["mtime_ns"] == files["script"].stat().st_mtime_ns
    import hashlib
    assert st["sha256"] == hashlib.sha256(files["script"].read_bytes()).hexdigest()


def test_record_round_trips_and_an_unchanged_step_is_up_to_date(
        tmp_path: Path, files: dict[str, Path]) -> None:
    man = recorded(tmp_path, files, {"encoding": None, "lexicon": Path("/x/lex.json")})
    rec = man.steps["align"]
    assert set(rec) >= {"inputs", "params", "package", "outputs", "seconds", "finished"}
    assert rec["params"] == {"encoding": None, "lexicon": "/x/lex.json"}
    assert rec["outputs"]["align"]["path"] == "align.json"  # relative: folders can move
    assert man.outputs("align") == [files["out"]]
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    assert man.stale_reason("align", inputs,
                            {"encoding": None, "lexicon": Path("/x/lex.json")}) is None


def test_changes_that_make_a_step_stale(tmp_path: Path, files: dict[str, Path],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    params = {"encoding": None}
    man = recorded(tmp_path, files, params)
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    assert man.stale_reason("faces", inputs, params) == "never ran"
    assert man.stale_reason("align", inputs, {"encoding": "cp1252"}) == "parameters changed"
    assert man.stale_reason("align", {"script": files["script"]}, params) == "different inputs"

    monkeypatch.setattr(manifest_module, "package_version", lambda: "99.0")
    assert "package version changed" in str(man.stale_reason("align", inputs, params))
    monkeypatch.undo()

    files["subtitles"].write_text("1\n00:00:01,000 --> 00:00:02,000\nGoodbye.\n")
    assert man.stale_reason("align", inputs, params) == (
        f"input subtitles changed ({files['subtitles']})")


def test_a_touched_but_identical_input_is_still_up_to_date(
        tmp_path: Path, files: dict[str, Path]) -> None:
    man = recorded(tmp_path, files, {})
    st = files["script"].stat()
    os.utime(files["script"], ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    assert man.stale_reason("align", inputs, {}) is None
    # same size, new content, new mtime: the hash tells
    files["script"].write_text("INT. ROOM - NIT\n", encoding="utf-8")
    assert man.stale_reason("align", inputs, {}) is not None


def test_missing_or_edited_output_makes_the_step_stale(
        tmp_path: Path, files: dict[str, Path]) -> None:
    man = recorded(tmp_path, files, {})
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    files["out"].write_text('{"elements": [1]}\n')
    assert "output align missing or changed" in str(man.stale_reason("align", inputs, {}))
    files["out"].unlink()
    assert "output align missing or changed" in str(man.stale_reason("align", inputs, {}))


def test_moved_inputs_with_the_same_content_are_up_to_date(
        tmp_path: Path, files: dict[str, Path]) -> None:
    man = recorded(tmp_path, files, {})
    moved = tmp_path / "moved.srt"
    moved.write_bytes(files["subtitles"].read_bytes())
    assert man.stale_reason("align", {"script": files["script"], "subtitles": moved}, {}) is None


def test_hashes_are_reused_while_size_and_mtime_hold(
        tmp_path: Path, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    man = recorded(tmp_path, files, {})
    hashed: list[Path] = []

    def counting(path: str | Path) -> str:
        hashed.append(Path(path))
        return file_sha256(path)

    monkeypatch.setattr(manifest_module, "file_sha256", counting)
    inputs = {"script": files["script"], "subtitles": files["subtitles"]}
    assert man.stale_reason("align", inputs, {}) is None
    man.stamps("learn", {"align": files["out"], **inputs})
    assert hashed == []  # a 2 GB video is not re-read on every run
    files["script"].write_text("INT. ROOM - NIGHT\n")
    man.stamps("align", inputs)
    assert hashed == [files["script"]]


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"version": 7, "steps": {}}',
                                     '{"version": 1, "steps": []}'])
def test_a_broken_manifest_reads_as_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content)
    assert Manifest.load(path).steps == {}
    assert Manifest.load(tmp_path / "absent.json").steps == {}
