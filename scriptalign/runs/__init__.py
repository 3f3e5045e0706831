"""Movie folders: discovery (``movie``), the steps align/faces/learn/report (``steps``),
the runner over many movies (``runner``) or a Dask cluster (``distributed``), the lock and
``manifest`` that make re-runs incremental, and the outputs rendered from the canonical
JSON (``report``, ``export``).
"""
