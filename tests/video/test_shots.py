from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_video import CUTS, write_video

from scriptalign.video.shots import (
    CutDetector,
    CutRule,
    find_cuts,
    frame_signature,
    signature_distance,
)


def _flat(bgr: tuple[int, int, int]) -> np.ndarray:
    return np.full((54, 96, 3), bgr, np.uint8)


def _decide(signatures: list[np.ndarray], rule: CutRule | None = None) -> list[int]:
    detector = CutDetector(rule)
    decisions = []
    for i, s in enumerate(signatures):
        decisions += detector.push(i, s)
    decisions += detector.flush()
    assert [i for i, _ in decisions] == list(range(len(signatures)))  # each frame once
    return [i for i, cut in decisions if cut]


PALETTE = [(40, 60, 200), (200, 120, 30), (60, 200, 90), (150, 150, 150)]


def _textured(seed: int, shift: int = 0) -> np.ndarray:
    """A noisy picture around one of the PALETTE colours; ``shift`` pans across it."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(0, 25, (54, 96 + 40, 3))
    base = np.clip(np.array(PALETTE[seed % len(PALETTE)]) + noise, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(base[:, shift:shift + 96])


def test_signature_is_a_distribution_and_distance_is_bounded() -> None:
    a, b = frame_signature(_flat((0, 0, 250))), frame_signature(_flat((90, 40, 20)))
    assert a.sum() == pytest.approx(1.0)
    assert signature_distance(a, a) == pytest.approx(0.0)
    assert 0.5 < signature_distance(a, b) <= 1.0


def test_a_hard_cut_is_found_at_its_first_frame() -> None:
    frames = [_textured(1, shift=k) for k in range(20)] + [_textured(2, shift=k)
                                                          for k in range(20)]
    assert _decide([frame_signature(f) for f in frames]) == [20]


def test_a_fade_between_uniform_frames_is_not_a_cut() -> None:
    # fades.mp4 in miniature: uniform grey stepping from black to white and back.
    levels = list(range(0, 256, 8)) + list(range(255, -1, -8))
    assert _decide([frame_signature(_flat((v, v, v))) for v in levels]) == []


def test_decisions_wait_for_the_window() -> None:
    rule = CutRule(window=3)
    detector = CutDetector(rule)
    out = [detector.push(i, frame_signature(_textured(i // 10))) for i in range(10)]
    assert out[0] == out[1] == out[2] == []
    assert out[3] == [(0, False)]
    assert out[9] == [(6, False)]


def test_decisions_are_local_so_a_late_start_agrees() -> None:
    # What --jobs relies on: a detector fed from frame 10 decides frames >= 10 + window
    # exactly like one fed from frame 0.
    sigs = [frame_signature(_textured(1 + (i >= 25) + (i >= 31), shift=i % 30))
            for i in range(45)]
    full = _decide(sigs)
    detector = CutDetector()
    late = []
    for i in range(10, 45):
        late += detector.push(i, sigs[i])
    late += detector.flush()
    w = CutRule().window
    assert full == [25, 31]
    assert [i for i, c in late if c and i >= 10 + w + 1] == full


def test_synthetic_video_cuts(tmp_path: Path) -> None:
    path = write_video(tmp_path / "v.avi", with_faces=True)
    assert find_cuts(path) == list(CUTS)


@pytest.mark.parametrize(("name", "expected"), [
    ("short_hamilton_clip.mp4", [20, 82, 211]),
    ("goldeneye-vfr-drop3.mp4", [60, 140]),
])
def test_shared_clips_cut_where_expected(shared: Path, name: str, expected: list[int]) -> None:
    cuts = find_cuts(shared / "data/video" / name)
    assert len(cuts) == len(expected)
    for got, want in zip(cuts, expected, strict=True):
        assert abs(got - want) <= 1


def test_shared_fades_are_one_shot(shared: Path) -> None:
    # Grey levels stepping smoothly between black and white: gradual, never a hard cut.
    assert find_cuts(shared / "data/video/fades.mp4") == []
