"""OpenCV, imported quietly: ``from scriptalign.video._opencv import cv2``.

OpenCV and the FFmpeg inside it write their own diagnostics straight to stderr ("moov atom
not found" for a truncated mp4, a DNN backend warning when YuNet loads). Our CLI promises one
line per error, so their log levels are lowered before the first import; the facts they
report reach the user through our own InputError messages and warnings instead.
Only the faces modules import this (``scriptalign align`` never loads OpenCV).
"""

from __future__ import annotations

import os

# Read by OpenCV when it first logs / first opens a file, so they must be set before import.
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

import cv2

cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)

__all__ = ["cv2"]
