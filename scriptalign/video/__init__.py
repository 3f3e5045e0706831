"""The video side: a video in, shots and face tracks with descriptors out.

``reader`` decodes, ``shots`` finds cuts, ``detectors`` find faces, ``tracker`` follows
them inside a shot, ``samples`` keeps each track's best crops, ``face_descriptors`` and
``motion_descriptors`` describe tracks, ``scan`` is one pass over the video, ``faces``
(``find_faces``) runs it and writes the faces folder (``tracks`` is that format,
``contact_sheet`` its pictures), ``options`` holds ``FaceOptions``. Never imports the text
side. Modules load cv2 and dlib; this package file does not.
"""
