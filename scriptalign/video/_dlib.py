"""face_recognition's dlib models, loaded one by one when first needed.

``import face_recognition`` loads all five of its models at import time, among them the
CNN detector that ``scriptalign faces`` never uses: that costs seconds in every process
(and --jobs starts several). The ones we use are loaded here from the same files (the
face-recognition-models package) and called exactly as face_recognition calls them:
``face_locations(model="hog")`` is the frontal detector, ``face_encodings(model="small")``
the 5-landmark predictor then the ResNet encoder (tests/video/test_face_descriptors.py
checks the encodings are identical); the 68-point predictor measures mouth openings
(scriptalign.video.mouth).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


def model_file(name: str) -> str:
    """The path of ``models/NAME`` in the installed face-recognition-models package.

    Found without importing it: its ``__init__`` imports ``pkg_resources``, whose import
    costs more than the rest of the start-up, in every process (``--jobs`` starts several).
    """
    import importlib.util

    spec = importlib.util.find_spec("face_recognition_models")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        path = Path(folder) / "models" / name
        if path.is_file():
            return str(path)
    raise FileNotFoundError(f"models/{name} of the face-recognition-models package "
                            "(pip install face-recognition-models)")


@cache
def frontal_face_detector() -> Any:
    import dlib

    return dlib.get_frontal_face_detector()


@cache
def five_point_predictor() -> Any:
    import dlib

    return dlib.shape_predictor(model_file("shape_predictor_5_face_landmarks.dat"))


@cache
def face_encoder() -> Any:
    import dlib

    return dlib.face_recognition_model_v1(model_file("dlib_face_recognition_resnet_model_v1.dat"))


@cache
def landmark_predictor() -> Any:
    """The 68-point landmark model (~100 MB, ~0.7-1.2 s to load here): mouth openings."""
    import dlib

    return dlib.shape_predictor(model_file("shape_predictor_68_face_landmarks.dat"))
