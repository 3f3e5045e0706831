"""Action descriptors (``--actions``): how the person below a face moves and what they look like.

For each frame of a track, the face box is extended to the upper body (three face widths
wide, four face heights tall from the forehead), cut from this frame and the previous one,
and described by two spatially pooled histograms over a 2 x 3 grid of cells:

- HOF: dense optical flow (Farneback) orientations weighted by magnitude, 8 directions plus
  a "still" bin, after removing the region's median motion (camera pan, the whole person
  walking) so that what remains is limbs moving relative to the body;
- HOG: gradient orientations (9 unsigned bins) weighted by magnitude: posture, held objects.

Each frame's two histograms are normalised to sum 1 and averaged over the track; the track
vector is the two averages, each L2-normalised, concatenated and scaled to unit length, so
``learn`` can compare tracks of any length. Dimension: 2 * 6 * 9 = 108.
"""

from __future__ import annotations

import numpy as np

from scriptalign.video._opencv import cv2
from scriptalign.video.detectors import Box

GRID = (3, 2)  # rows, columns of cells over the upper-body region
PATCH = (64, 96)  # width, height the region is resized to (a torso is taller than wide)
FLOW_BINS = 8  # directions; one more bin counts still pixels
GRADIENT_BINS = 9
DIM = 2 * GRID[0] * GRID[1] * (FLOW_BINS + 1)
assert GRADIENT_BINS == FLOW_BINS + 1  # equal halves keep the layout simple


def upper_body(face: Box, width: int, height: int) -> tuple[int, int, int, int] | None:
    """The region below and around a face box, clipped to the frame (x0, y0, x1, y1)."""
    x, y, w, h = face
    x0, x1 = int(max(0, x - w)), int(min(width, x + 2 * w))
    y0, y1 = int(max(0, y - 0.25 * h)), int(min(height, y + 3.75 * h))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return x0, y0, x1, y1


def _cell_histograms(angle: np.ndarray, weight: np.ndarray, bins: int,
                     period: float) -> np.ndarray:
    index = np.minimum((angle / period * bins).astype(np.int64), bins - 1)
    rows, cols = GRID
    cell_h, cell_w = PATCH[1] // rows, PATCH[0] // cols
    out = np.zeros((rows, cols, bins))
    for r in range(rows):
        for c in range(cols):
            sl = (slice(r * cell_h, (r + 1) * cell_h), slice(c * cell_w, (c + 1) * cell_w))
            out[r, c] = np.bincount(index[sl].ravel(), weight[sl].ravel(), bins)
    return out


def frame_features(previous: np.ndarray, gray: np.ndarray, face: Box,
                   scale: float) -> np.ndarray | None:
    """HOF and HOG of one frame's upper-body region (grey images at ``scale`` x original)."""
    box = (face[0] * scale, face[1] * scale, face[2] * scale, face[3] * scale)
    region = upper_body(box, gray.shape[1], gray.shape[0])
    if region is None:
        return None
    x0, y0, x1, y1 = region
    before = cv2.resize(previous[y0:y1, x0:x1], PATCH, interpolation=cv2.INTER_AREA)
    now = cv2.resize(gray[y0:y1, x0:x1], PATCH, interpolation=cv2.INTER_AREA)

    # OpenCV's stubs do not admit flow=None (allocate the result), which the C++ API does.
    flow = cv2.calcOpticalFlowFarneback(before, now, None, 0.5, 2, 9, 2, 5, 1.1,  # type: ignore[call-overload]
                                        0)
    flow = flow - np.median(flow.reshape(-1, 2), axis=0)
    magnitude, angle = cv2.cartToPolar(flow[..., 0], flow[..., 1])
    moving = magnitude > 0.5  # pixels; below that it is noise, counted as "still"
    flow_index = np.where(moving, angle, 0.0)
    hof = _cell_histograms(flow_index, np.where(moving, magnitude, 0.0), FLOW_BINS,
                           2 * np.pi)
    still = _cell_histograms(np.zeros_like(angle), (~moving).astype(np.float64), 1, 1.0)
    hof = np.concatenate([hof, still], axis=2)

    gx = cv2.Sobel(now, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(now, cv2.CV_32F, 0, 1, ksize=3)
    g_mag, g_angle = cv2.cartToPolar(gx, gy)
    hog = _cell_histograms(np.mod(g_angle, np.pi), g_mag, GRADIENT_BINS, np.pi)

    parts = []
    for hist in (hof, hog):
        v = hist.ravel()
        parts.append(v / max(float(v.sum()), 1e-9))
    return np.concatenate(parts).astype(np.float32)


def pool(features: list[np.ndarray]) -> np.ndarray:
    """The track's action vector from its frames' features (zeros when there are none)."""
    if not features:
        return np.zeros(DIM, dtype=np.float32)
    mean = np.mean(np.stack(features).astype(np.float64), axis=0)
    half = DIM // 2
    parts = []
    for v in (mean[:half], mean[half:]):
        norm = float(np.linalg.norm(v))
        parts.append(v / norm if norm > 0 else v)
    return (np.concatenate(parts) / np.sqrt(2.0)).astype(np.float32)
