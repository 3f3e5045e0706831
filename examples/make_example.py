"""Make the demo movie folder: a short video for the committed screenplay and subtitles.

    python examples/make_example.py examples/launch_day

writes ``examples/launch_day/launch_day.webm`` (34 s, 640x360, VP8: small, and every
browser plays it from the report). The two people are photos that registry packages
ship, so this works offline on a fresh machine:

- EILEEN: ``skimage.data.astronaut()`` (scikit-image), astronaut Eileen Collins;
- GRACE: ``grace_hopper.jpg`` from matplotlib's sample data, Rear Admiral Grace Hopper.

Shots follow the subtitles: a title card, close-ups of whoever speaks, two-shots for the
exchanges, an end card. Close-ups zoom or pan slowly so the faces move like a camera's
would. When FOLDER is not the committed example folder, the screenplay and subtitles are
copied there too, which is how the tests get a complete movie folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE / "launch_day"
NAME = "launch_day"
WIDTH, HEIGHT = 640, 360


@dataclass(frozen=True)
class Shot:
    start: float
    end: float
    who: tuple[str, ...]  # () for a card, one name for a close-up, two for a two-shot
    background: tuple[int, int, int]  # BGR; each shot differs, so cuts are visible


SHOTS = (
    Shot(0.0, 3.0, (), (40, 24, 16)),
    Shot(3.0, 8.0, ("EILEEN",), (92, 64, 40)),
    Shot(8.0, 13.0, ("GRACE",), (60, 52, 88)),
    Shot(13.0, 19.0, ("EILEEN", "GRACE"), (70, 90, 70)),
    Shot(19.0, 23.0, ("EILEEN",), (110, 80, 50)),
    Shot(23.0, 27.0, ("GRACE",), (50, 60, 110)),
    Shot(27.0, 32.0, ("EILEEN", "GRACE"), (80, 70, 95)),
    Shot(32.0, 34.0, (), (40, 24, 16)),
)


def portraits() -> dict[str, np.ndarray]:
    """Head-and-shoulders crops (BGR) of the two photos."""
    import matplotlib.cbook
    import skimage.data
    from PIL import Image

    astronaut = skimage.data.astronaut()[0:330, 70:390]  # RGB; leaves out the suit's patch
    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    hopper = np.asarray(Image.open(path).convert("RGB"))[0:440, 56:456]
    return {"EILEEN": cv2.cvtColor(astronaut, cv2.COLOR_RGB2BGR),
            "GRACE": cv2.cvtColor(hopper, cv2.COLOR_RGB2BGR)}


def _paste(frame: np.ndarray, image: np.ndarray, height: int, cx: float, top: int) -> None:
    h, w = image.shape[:2]
    width = max(1, round(w * height / h))
    small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    x0 = round(cx - width / 2)
    xs, xe = max(0, x0), min(WIDTH, x0 + width)
    ys, ye = max(0, top), min(HEIGHT, top + height)
    frame[ys:ye, xs:xe] = small[ys - top:ye - top, xs - x0:xe - x0]


def _card(frame: np.ndarray, text: str) -> None:
    font = cv2.FONT_HERSHEY_DUPLEX
    (tw, th), _ = cv2.getTextSize(text, font, 1.4, 2)
    cv2.putText(frame, text, ((WIDTH - tw) // 2, (HEIGHT + th) // 2), font, 1.4,
                (235, 235, 235), 2, cv2.LINE_AA)


def _vp8_writer(path: Path, fps: float, size: tuple[int, int]) -> cv2.VideoWriter:
    # OpenCV's FFmpeg backend prints "tag 'VP80' is not supported with codec id 139" on
    # stderr and then writes VP8 anyway: keep the demo's output free of that false alarm.
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            return cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"VP80"), fps, size)
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def render(path: Path, fps: float = 10.0, seconds: float | None = None,
           scale: float = 1.0) -> Path:
    """Write the video; tests make it short (``seconds``) and small (``scale``)."""
    faces = portraits()
    end = SHOTS[-1].end if seconds is None else seconds
    size = (round(WIDTH * scale), round(HEIGHT * scale))
    writer = _vp8_writer(path, fps, size)
    if not writer.isOpened():
        raise SystemExit(f"cannot write {path}: OpenCV has no VP8 encoder here")
    try:
        for k in range(round(end * fps)):
            t = k / fps
            shot = next(s for s in SHOTS if s.start <= t < s.end)
            u = (t - shot.start) / (shot.end - shot.start)  # 0 -> 1 through the shot
            # the shot's colour in a soft vertical gradient, so the background is not flat
            shade = np.linspace(1.15, 0.75, HEIGHT)[:, None, None]
            frame = (np.array(shot.background) * shade).clip(0, 255).astype(np.uint8)
            frame = np.ascontiguousarray(np.broadcast_to(frame, (HEIGHT, WIDTH, 3)))
            if not shot.who:
                _card(frame, "LAUNCH DAY" if shot.start == 0 else "THE END")
            elif len(shot.who) == 1:
                height = round(330 + 40 * u)  # slow push in
                _paste(frame, faces[shot.who[0]], height, WIDTH / 2 + 40 * (u - 0.5), 30)
            else:
                for i, who in enumerate(shot.who):
                    _paste(frame, faces[who], 250, WIDTH * (0.28 + 0.44 * i) + 12 * u, 70)
            writer.write(frame if scale == 1.0
                         else cv2.resize(frame, size, interpolation=cv2.INTER_AREA))
    finally:
        writer.release()
    return path


def make(folder: Path, fps: float = 10.0, seconds: float | None = None,
         scale: float = 1.0) -> Path:
    """A complete movie folder: video + (copied) screenplay and subtitles."""
    folder.mkdir(parents=True, exist_ok=True)
    if folder.resolve() != EXAMPLE.resolve():
        for name in (f"{NAME}.script.txt", f"{NAME}.en.srt"):
            shutil.copyfile(EXAMPLE / name, folder / name)
    return render(folder / f"{NAME}.webm", fps, seconds, scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?", default=EXAMPLE)
    parser.add_argument("--fps", type=float, default=10.0)
    args = parser.parse_args()
    video = make(args.folder, args.fps)
    print(video)


if __name__ == "__main__":
    main()
