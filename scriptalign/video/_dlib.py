"""face_recognition's dlib models, loaded one by one when first needed.

``import face_recognition`` loads all five of its models at import time, among them the
100 MB 68-landmark predictor and the CNN detector that ``scriptalign faces`` never uses:
that costs seconds and ~100 MB in every process (and --jobs starts several). The three we
use are loaded here from the same files (the face-recognition-models package) and called
exactly as face_recognition calls them: ``face_locations(model="hog")`` is the frontal
detector, ``face_encodings(model="small")`` the 5-landmark predictor then the ResNet
encoder (tests/video/test_face_descriptors.py checks the encodings are identical).
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def frontal_face_detector() -> Any:
    import dlib

    return dlib.get_frontal_face_detector()


@cache
def five_point_predictor() -> Any:
    import dlib
    import face_recognition_models

    return dlib.shape_predictor(face_recognition_models.pose_predictor_five_point_model_location())


@cache
def face_encoder() -> Any:
    import dlib
    import face_recognition_models

    return dlib.face_recognition_model_v1(face_recognition_models.face_recognition_model_location())
