"""scriptalign: weakly-labelled data (who appears, what they do, when) from movies.

The library is the product; the ``scriptalign`` command is a thin layer over it::

    import scriptalign
    a = scriptalign.align("casablanca.script.txt", "casablanca.srt")
    tracks = scriptalign.find_faces("casablanca.mp4", "out/faces")
    labels = scriptalign.learner([(a, tracks)])

Heavy dependencies (OpenCV, dlib, cvxpy) load only when the function that needs them is
called, so ``import scriptalign`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_EXPORTS = {
    "align_files": "scriptalign.aligner:align_files",
    "load_script": "scriptalign.formats:load_script",
    "load_subtitles": "scriptalign.formats:load_subtitles",
    "Alignment": "scriptalign.alignment:Alignment",
    "load_alignment": "scriptalign.alignment:load_alignment",
    "save_alignment": "scriptalign.alignment:save_alignment",
    "Screenplay": "scriptalign.screenplay:Screenplay",
    "Element": "scriptalign.screenplay:Element",
    "Subtitles": "scriptalign.subtitles:Subtitles",
    "Cue": "scriptalign.subtitles:Cue",
    "Bag": "scriptalign.bags:Bag",
    "FaceTracks": "scriptalign.tracks:FaceTracks",
    "Track": "scriptalign.tracks:Track",
    "load_tracks": "scriptalign.tracks:load_tracks",
    "find_faces": "scriptalign.faces:find_faces",
    "FaceOptions": "scriptalign.faces:FaceOptions",
    "learn": "scriptalign.learner:learn",
    "LearnOptions": "scriptalign.learner:LearnOptions",
    "Labels": "scriptalign.labels:Labels",
    "load_labels": "scriptalign.labels:load_labels",
    "evaluate": "scriptalign.evaluation:evaluate",
    "ScriptalignError": "scriptalign.errors:ScriptalignError",
    "InputError": "scriptalign.errors:InputError",
}

__all__ = ["__version__", "align", *_EXPORTS]


def align(script: Any, subtitles: Any, **options: Any) -> Any:
    """Align a screenplay to subtitles; give paths or parsed objects.

    Paths go through ``scriptalign.aligner.align_files`` (options ``lexicon_path``,
    ``encoding``, ``progress``); a ``Screenplay`` and ``Subtitles`` through
    ``scriptalign.aligner.align`` (options ``lexicon``, ``progress``). Returns an
    ``Alignment``.
    """
    from os import PathLike

    from scriptalign import aligner

    if isinstance(script, str | PathLike) and isinstance(subtitles, str | PathLike):
        return aligner.align_files(script, subtitles, **options)
    return aligner.align(script, subtitles, **options)


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'scriptalign' has no attribute {name!r}") from None
    return getattr(import_module(module), attr)
