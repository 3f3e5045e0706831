from __future__ import annotations

import numpy as np
import pytest

from scriptalign.video.motion_descriptors import (
    DIM,
    FLOW_BINS,
    GRID,
    frame_features,
    pool,
    upper_body,
)

FACE = (130.0, 40.0, 40.0, 40.0)  # x, y, w, h in a 320 x 240 frame
CELLS = GRID[0] * GRID[1]


def _scene(arm_x: int) -> np.ndarray:
    """A still body below the face, with a textured 'arm' at ``arm_x``."""
    rng = np.random.default_rng(3)
    img = np.tile(np.linspace(40, 90, 320, dtype=np.uint8), (240, 1))
    img[90:200, 125:175] = 150  # torso
    img[120:150, arm_x:arm_x + 30] = rng.integers(0, 255, (30, 30), dtype=np.uint8)
    return img


def _still_share(features: np.ndarray) -> float:
    hof = features[: DIM // 2].reshape(CELLS, FLOW_BINS + 1)
    return float(hof[:, FLOW_BINS].sum() / hof.sum())


def test_upper_body_extends_below_the_face_and_clips() -> None:
    x0, y0, x1, y1 = upper_body(FACE, 320, 240)  # type: ignore[misc]
    assert x0 < FACE[0] and x1 > FACE[0] + FACE[2]
    assert y0 < FACE[1] and y1 >= FACE[1] + 3 * FACE[3]
    assert upper_body((300.0, 230.0, 40.0, 40.0), 320, 240) == (260, 220, 320, 240)
    assert upper_body((316.0, 236.0, 4.0, 4.0), 320, 240) is None  # nothing left
    clipped = upper_body((0.0, 0.0, 200.0, 200.0), 320, 240)
    assert clipped == (0, 0, 320, 240)


def test_moving_arm_moves_the_flow_histogram() -> None:
    still = frame_features(_scene(185), _scene(185), FACE, 1.0)
    moving = frame_features(_scene(185), _scene(193), FACE, 1.0)
    assert still is not None and moving is not None
    assert still.shape == moving.shape == (DIM,)
    assert _still_share(still) > 0.95
    assert _still_share(moving) < _still_share(still) - 0.02
    # Gradients (posture) barely change when only the arm's place changes.
    np.testing.assert_allclose(still[DIM // 2:].sum(), 1.0, atol=1e-5)


def test_pool_is_unit_length_and_zero_without_frames() -> None:
    feats = [frame_features(_scene(185), _scene(185 + k), FACE, 1.0) for k in range(3)]
    vec = pool([f for f in feats if f is not None])
    assert vec.shape == (DIM,) and vec.dtype == np.float32
    assert np.linalg.norm(vec) == pytest.approx(1.0, abs=1e-5)
    assert not pool([]).any()
