"""``scriptalign learn`` and ``scriptalign evaluate`` on files the tests write."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scriptalign._cli import main
from scriptalign.datasets import PlantedMovie, make_planted_movie
from scriptalign.learning import LearnOptions
from scriptalign.learning.labels import load_labels
from scriptalign.text.alignment import save_alignment
from scriptalign.video.tracks import save_tracks

# whole-pipeline runs in child processes: seconds each (`make test-fast` skips them)
pytestmark = pytest.mark.slow


def _write(tmp: Path, pm: PlantedMovie, name: str) -> tuple[Path, Path]:
    align = tmp / f"{name}.align.json"
    faces = tmp / f"{name}_faces"
    save_alignment(pm.alignment, align)
    save_tracks(pm.tracks, faces)
    (tmp / f"{name}.truth.json").write_text(json.dumps(
        {"identities": {str(k): v for k, v in pm.truth.items()},
         "cast": pm.alignment.cast}), encoding="utf-8")
    return align, faces


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "scriptalign", *args], capture_output=True,
                          text=True, check=False, env=env)


def _main(args: list[str]) -> None:
    """Run the CLI in this process; it ends with SystemExit(0) on success."""
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code


def test_learn_then_evaluate(tmp_path: Path) -> None:
    pm = make_planted_movie(120, 3, seed=1, noise=0.8)
    align, faces = _write(tmp_path, pm, "m")
    out = tmp_path / "labels.json"
    _main(["learn", str(align), str(faces), "-o", str(out), "--solver", "fw", "-q"])
    labels = load_labels(out)
    assert len(labels.tracks) == len(pm.tracks.tracks)
    assert labels.solver["name"] == "fw"
    png = tmp_path / "curve.png"
    proc = _run(["evaluate", str(out), str(tmp_path / "m.truth.json"), "--plot", str(png)])
    assert proc.returncode == 0, proc.stderr
    acc = float(re.search(r"accuracy (\d\.\d+)", proc.stdout).group(1))  # type: ignore[union-attr]
    assert acc > 0.8
    assert "Anna" in proc.stdout and "mAP" in proc.stdout
    assert re.search(r"extras null \d\.\d+ \(of \d+ tracks", proc.stdout)
    assert re.search(r"precision of the names given \d\.\d+", proc.stdout)
    assert png.read_bytes()[:4] == b"\x89PNG"
    proc = _run(["evaluate", str(out), str(tmp_path / "m.truth.json"), "--json"])
    doc = json.loads(proc.stdout)
    assert doc["accuracy"] == pytest.approx(acc, abs=1e-3) and "ap" in doc
    assert 0 <= doc["extras_null"] <= 1 and doc["named"] > 0


def test_several_movies_write_one_labels_json_each(tmp_path: Path) -> None:
    pairs = [_write(tmp_path, make_planted_movie(60, 3, seed=s), f"m{s}") for s in (2, 3)]
    _main(["learn", *[str(p) for pair in pairs for p in pair], "-q"])
    for _, faces in pairs:
        assert load_labels(faces / "labels.json").tracks


@pytest.mark.parametrize("args, code, message", [
    (["learn", "only_one_path"], 2, "pairs"),
    (["learn", "a.json", "dir", "b.json"], 2, "pairs"),
    (["learn", "{a}", "{f}", "--solver", "magic"], 2, "unknown solver"),
    (["learn", "{a}", "{f}", "--kappa", "-1"], 2, "kappa"),
    (["learn", "{a}", "{f}", "--evidence", "2"], 2, "evidence"),
    (["learn", "{a}", "{f}", "{a}", "{f}", "-o", "x.json"], 2, "single movie"),
    (["learn", "{a}", "{tmp}/nowhere"], 1, "faces output folder"),
    (["learn", "{tmp}/none.json", "{f}"], 1, "scriptalign align"),
    (["evaluate", "{tmp}/none.json", "{a}"], 1, "no such file"),
    (["evaluate", "{labels}", "{a}"], 1, "not a truth file"),
    (["learn", "{a}", "{f}", "-o", "{a}/l.json"], 1, "l.json: cannot write here"),
    (["evaluate", "{labels}", "{tmp}/m.truth.json", "--plot", "{a}/c.png"], 1,
     "c.png: cannot write here"),
])
def test_errors_are_one_line(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    pm = make_planted_movie(40, 2, seed=4)
    align, faces = _write(tmp_path, pm, "m")
    labels = tmp_path / "l.json"
    _main(["learn", str(align), str(faces), "-o", str(labels), "-q", "--solver", "fw"])
    fmt = {"a": str(align), "f": str(faces), "tmp": str(tmp_path), "labels": str(labels)}
    proc = _run([a.format(**fmt) for a in args])
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    if code == 1:
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_warnings_go_to_stderr(tmp_path: Path) -> None:
    pm = make_planted_movie(60, 3, seed=5)
    from scriptalign.text.bags import Bag

    pm.alignment.bags.append(Bag(1e6, 1e6 + 1, 99, ["Anna"]))
    align, faces = _write(tmp_path, pm, "m")
    proc = _run(["learn", str(align), str(faces), "--solver", "fw"])
    assert proc.returncode == 0, proc.stderr
    assert "scriptalign: warning:" in proc.stderr and "1 overlap no track" in proc.stderr
    assert proc.stdout == ""


def test_help_states_the_library_defaults() -> None:
    proc = _run(["learn", "--help"])
    text = " ".join(proc.stdout.split())
    d = LearnOptions()
    for name, shown in (("alpha", "1"), ("kappa", "1.5"), ("lam", "1e-4"), ("margin", "0"),
                        ("max_iter", "500"), ("tol", "1e-2"), ("background", "0.0275"),
                        ("evidence", "1"), ("speaking", "0.5")):
        assert float(shown) == float(dataclasses.asdict(d)[name])
        assert f"(default {shown})" in text
    assert f"(default {d.rounding})" in text


def test_movie_folders_learn_jointly_into_each_folder(tmp_path: Path) -> None:
    folders = []
    for k, seed in enumerate((3, 4)):
        folder = tmp_path / f"movie {k}"
        out = folder / "scriptalign"
        out.mkdir(parents=True)
        pm = make_planted_movie(60, 2, seed=seed)
        save_alignment(pm.alignment, out / "align.json")
        save_tracks(pm.tracks, out / "faces")
        folders.append(folder)
    proc = _run(["learn", *map(str, folders), "--json", "--solver", "fw"])
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["status"] for r in records] == ["ok", "ok"]
    for folder in folders:
        assert load_labels(folder / "scriptalign" / "labels.json").tracks
    again = _run(["learn", *map(str, folders), "--json", "--solver", "fw"])
    assert [json.loads(line)["status"] for line in again.stdout.splitlines()] == \
        ["up-to-date", "up-to-date"]
    empty = tmp_path / "no outputs"
    empty.mkdir()
    failed = _run(["learn", str(empty), "--json"])
    assert failed.returncode == 1
    assert json.loads(failed.stdout)["status"] == "failed"
    assert "Traceback" not in failed.stderr
