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


@cache
def landmark_predictor() -> Any:
    """The 68-point landmark model (~100 MB, ~0.7-1.2 s to load here): mouth openings."""
    import dlib
    import face_recognition_models

    return dlib.shape_predictor(face_recognition_models.pose_predictor_model_location())
