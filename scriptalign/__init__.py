"""scriptalign: weakly-labelled data (who appears, what they do, when) from movies.

The library is the product; the ``scriptalign`` command is a thin layer over it::

    import scriptalign
    a = scriptalign.align("casablanca.script.txt", "casablanca.srt")
    tracks = scriptalign.find_faces("casablanca.mp4", "out/faces")
    labels = scriptalign.learn([(a, tracks)])

Heavy dependencies (OpenCV, dlib, cvxpy) load only when the function that needs them is
called, so ``import scriptalign`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_EXPORTS = {
    "align_files": "scriptalign.text.aligner:align_files",
    "AlignOptions": "scriptalign.text.options:AlignOptions",
    "load_script": "scriptalign.text.formats:load_script",
    "load_subtitles": "scriptalign.text.formats:load_subtitles",
    "Alignment": "scriptalign.text.alignment:Alignment",
    "load_alignment": "scriptalign.text.alignment:load_alignment",
    "save_alignment": "scriptalign.text.alignment:save_alignment",
    "Screenplay": "scriptalign.text.screenplay:Screenplay",
    "Element": "scriptalign.text.screenplay:Element",
    "Subtitles": "scriptalign.text.subtitles:Subtitles",
    "Cue": "scriptalign.text.subtitles:Cue",
    "Bag": "scriptalign.text.bags:Bag",
    "FaceTracks": "scriptalign.video.tracks:FaceTracks",
    "Track": "scriptalign.video.tracks:Track",
    "load_tracks": "scriptalign.video.tracks:load_tracks",
    "find_faces": "scriptalign.video.faces:find_faces",
    "FaceOptions": "scriptalign.video.options:FaceOptions",
    "learn": "scriptalign.learning:learn",
    "LearnOptions": "scriptalign.learning:LearnOptions",
    "Labels": "scriptalign.learning.labels:Labels",
    "load_labels": "scriptalign.learning.labels:load_labels",
    "evaluate": "scriptalign.learning.evaluation:evaluate",
    "ScriptalignError": "scriptalign.core.errors:ScriptalignError",
    "InputError": "scriptalign.core.errors:InputError",
}

__all__ = ["__version__", "align", *_EXPORTS]


def align(script: Any, subtitles: Any, **options: Any) -> Any:
    """Align a screenplay to subtitles; give paths or parsed objects. Returns an ``Alignment``.

    Paths go through ``scriptalign.text.aligner.align_files`` (keywords ``options``, an
    ``AlignOptions``, and ``progress``), which raises ``WrongPairError`` for subtitles of
    another film; a ``Screenplay`` and ``Subtitles`` through
    ``scriptalign.text.aligner.align`` (keywords ``lexicon``, ``progress``, ``options``),
    which keeps the wrong-pair warning but returns no bags for such a pair unless
    ``options.min_aligned`` is 0.
    """
    from os import PathLike

    from scriptalign.text import aligner

    if isinstance(script, str | PathLike) and isinstance(subtitles, str | PathLike):
        return aligner.align_files(script, subtitles, **options)
    return aligner.align(script, subtitles, **options)


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name].split(":")
    except KeyError:
        raise AttributeError(f"module 'scriptalign' has no attribute {name!r}") from None
    return getattr(import_module(module), attr)
