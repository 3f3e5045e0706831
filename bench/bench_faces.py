"""Benchmarks of ``scriptalign faces``: speed per minute of video, peak memory.

    .venv/bin/python bench/bench_faces.py [--quick]

1. The shared clips (../shared/data/video, skipped when absent), HOG and YuNet, --jobs 1
   and 2: seconds of processing per minute of video. Targets on a 2-core machine: HOG on
   640x360 (short_hamilton_clip) <= 60 s/min with --jobs 1, YuNet <= 20 s/min, 1080p
   (mmaction2_demo_skeleton) within 1.5x of those.
2. The same synthetic minute at 640x360 and 1920x1080 (moving faces from skimage's
   astronaut, a cut every 4-8 s): the cost of resolution with the content held fixed.
3. Memory: a synthetic 10-minute 720p video (made in a temporary folder): peak RSS must stay
   <= 1 GB (and not grow with length). --quick skips it (it takes several minutes).

Every run is a fresh ``python`` process calling ``find_faces``; it reports its own
processing time ("process": after imports and loading dlib's models, which take 1-2 s and
are listed apart as "startup"; --jobs 2 workers load theirs inside "process"), the CPU
seconds it and its workers used meanwhile ("cpu": less sensitive than wall time to other
processes on a busy machine), and its peak RSS from ``getrusage`` (itself, and its largest
worker with --jobs 2); the bench also samples the RSS of the whole process tree every
50 ms (with --jobs 2 that is the sum over the processes). "wall" is the whole command.
Times are wall-clock on whatever machine runs it: during development a 2-core machine
shared with other engineers, so they are noisy.

Prints tables and writes bench/out/bench_faces.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from tables import table  # bench/tables.py (this folder is on sys.path)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
OUT = REPO / "bench" / "out" / "bench_faces.json"
MODEL = SHARED / "models" / "face_detection_yunet_2023mar.onnx"
CLIPS = ("short_hamilton_clip", "goldeneye-vfr-drop3", "mmaction2_demo",
         "mmaction2_demo_skeleton", "fades")

RUNNER = """
import json, resource, sys, time
def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
t0 = time.perf_counter()
from scriptalign.video._dlib import face_encoder, five_point_predictor, frontal_face_detector
from scriptalign.video.faces import find_faces
from scriptalign.video.options import FaceOptions
frontal_face_detector(), five_point_predictor(), face_encoder()
t1, c1 = time.perf_counter(), cpu()
args = json.loads(sys.argv[1])
model = args.pop("yunet_model", None)
faces = find_faces(args.pop("video"), args.pop("out"), FaceOptions(**args, yunet_model=model))
t2, c2 = time.perf_counter(), cpu()
print(json.dumps({"startup": t1 - t0, "process": t2 - t1, "cpu": c2 - c1,
                  "tracks": len(faces.tracks), "shots": len(faces.shots),
                  "rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

def _tree_rss_kb(root: int) -> int:
    """RSS of ``root`` and all its descendants, from /proc (Linux)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run(video: Path, duration: float, detector: str, jobs: int,
        workdir: Path) -> dict[str, Any]:
    args: dict[str, Any] = {"video": str(video), "out": str(workdir / "out"),
                            "detector": detector, "jobs": jobs}
    if detector == "yunet":
        args["yunet_model"] = str(MODEL)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, json.dumps(args)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{video.name} {detector} jobs={jobs} failed:\n{err}")
    report = json.loads(out.strip().splitlines()[-1])
    minutes = duration / 60.0
    return {"video": video.name, "duration_s": round(duration, 2), "detector": detector,
            "jobs": jobs, "tracks": report["tracks"], "shots": report["shots"],
            "startup_s": round(report["startup"], 2), "process_s": round(report["process"], 2),
            "wall_s": round(wall, 2),
            "process_s_per_min": round(report["process"] / minutes, 1),
            "cpu_s_per_min": round(report["cpu"] / minutes, 1),
            "wall_s_per_min": round(wall / minutes, 1),
            "rss_main_mb": round(report["rss_self_mb"]),
            "rss_worker_mb": round(report["rss_worker_mb"]),
            "rss_tree_sampled_mb": round(peak / 1024)}


def _rows(results: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["video"], r["detector"], r["jobs"], r["duration_s"], r["shots"], r["tracks"],
             r["startup_s"], r["process_s"], r["process_s_per_min"], r["cpu_s_per_min"],
             r["wall_s_per_min"],
             r["rss_main_mb"], r["rss_worker_mb"], r["rss_tree_sampled_mb"]]
            for r in results]


HEADER = ["video", "det", "jobs", "dur s", "shots", "tracks", "startup s", "process s",
          "process s/min", "cpu s/min", "wall s/min", "RSS main MB", "RSS worker MB",
          "RSS tree MB"]


# -- synthetic video ---------------------------------------------------------------------------

def make_video(path: Path, seconds: float, size: tuple[int, int], fps: float = 30.0,
               seed: int = 0) -> Path:
    """Moving astronaut faces (skimage) over plain backgrounds, a cut every 4-8 s."""
    import cv2
    from skimage import data

    rng = np.random.default_rng(seed)
    width, height = size
    face = np.ascontiguousarray(data.astronaut()[40:200, 150:290, ::-1])
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    frames = int(seconds * fps)
    index = 0
    try:
        while index < frames:
            length = int(rng.uniform(4, 8) * fps)
            top, bottom = rng.integers(20, 235, 3), rng.integers(20, 235, 3)
            ramp = np.linspace(0, 1, height)[:, None, None]
            background = (top * (1 - ramp) + bottom * ramp).astype(np.uint8)
            background = np.ascontiguousarray(np.broadcast_to(background, (height, width, 3)))
            people = []
            for _ in range(int(rng.integers(0, 3))):
                scale = rng.uniform(0.12, 0.25) * height / 90  # face 12-25 % of the height
                crop = cv2.resize(face[:, ::-1] if rng.random() < 0.5 else face, None,
                                  fx=scale, fy=scale)
                ch, cw = crop.shape[:2]
                x0 = rng.uniform(0, width - cw)
                y0 = rng.uniform(0, height - ch)
                vx = rng.uniform(-1, 1) * width / 400
                enter, leave = sorted(rng.integers(0, length, 2))
                people.append((crop, x0, y0, vx, enter, max(leave, enter + int(fps))))
            for k in range(min(length, frames - index)):
                img = background.copy()
                for crop, x0, y0, vx, enter, leave in people:
                    if enter <= k <= leave:
                        ch, cw = crop.shape[:2]
                        x = int(np.clip(x0 + vx * (k - enter), 0, width - cw))
                        img[int(y0):int(y0) + ch, x:x + cw] = crop
                writer.write(img)
                index += 1
    finally:
        writer.release()
    return path


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    results: dict[str, Any] = {"quick": quick, "shared": [], "resolution": [], "memory": []}
    detectors = ["hog"] + (["yunet"] if MODEL.exists() else [])
    from scriptalign.video.reader import probe_video

    with tempfile.TemporaryDirectory(prefix="bench_faces.") as tmp:
        work = Path(tmp)
        folder = SHARED / "data" / "video"
        if folder.is_dir():
            for name in CLIPS:
                clip = folder / f"{name}.mp4"
                info = probe_video(clip)
                for detector in detectors:
                    for jobs in (1, 2):
                        r = run(clip, info.duration, detector, jobs, work)
                        r["size"] = f"{info.width}x{info.height}"
                        results["shared"].append(r)
                        print(f"  {name} {detector} jobs={jobs}: {r['process_s_per_min']} s/min",
                              flush=True)
            table("Shared clips (process s/min: after imports; wall: the whole command)",
                  HEADER, _rows(results["shared"]))
        else:
            print("../shared is absent: shared clips skipped")

        for size in ((640, 360), (1920, 1080)):
            video = make_video(work / f"minute_{size[1]}p.mp4", 60.0, size)
            for detector in detectors:
                r = run(video, 60.0, detector, 1, work)
                results["resolution"].append(r)
            video.unlink()
        table("One synthetic minute at two resolutions (same content), --jobs 1", HEADER,
              _rows(results["resolution"]))

        if not quick:
            t0 = time.perf_counter()
            video = make_video(work / "ten_minutes_720p.mp4", 600.0, (1280, 720), seed=1)
            print(f"\n  made the 10-minute 720p video in {time.perf_counter() - t0:.0f} s",
                  flush=True)
            for jobs in (1, 2):
                results["memory"].append(run(video, 600.0, "hog", jobs, work))
            table("Memory: synthetic 10 minutes of 720p (target: peak RSS <= 1024 MB)",
                  HEADER, _rows(results["memory"]))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nwrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
