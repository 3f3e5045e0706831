"""The text side: scripts and subtitles in, an ``Alignment`` (with bags) out.

``formats`` reads and writes files (a registry picks the reader), ``screenplay`` and
``subtitles`` are the data model, ``matching`` matches words, ``aligner`` times every script
element and gives every subtitle line a speaker (with ``moved``: scenes the film moved, and
``slots``: rewritten speeches between found neighbours), ``bags`` turns timed elements into
weak labels with the ``lexicon``, ``alignment`` is align.json, ``path_plot`` draws an
alignment's path. Never imports the video side,
the learners, or cv2/dlib/cvxpy.
"""
