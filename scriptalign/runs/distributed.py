"""Scale-out: the per-movie steps (align, faces) on an existing Dask distributed cluster.

``scriptalign run --scheduler tcp://HOST:PORT`` (or ``SCRIPTALIGN_SCHEDULER``) submits one
task per movie; a worker runs ``steps.run_movie_steps`` on it, reading the inputs and
writing the outputs and manifest straight into the movie folder, which therefore has to be
on storage every worker sees under the same path. Only the small ``StepResult`` records
travel back; they are yielded as movies finish (``as_completed``), so ``--json`` lines
stream. The client process keeps the movie locks and runs learn and report afterwards.

Needs the optional extra: ``pip install 'scriptalign[dask]'``, on the workers too.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

from scriptalign.core.errors import UsageError
from scriptalign.runs.movie import Movie
from scriptalign.runs.steps import StepResult, StepSettings, describe_error, run_movie_steps

SCHEDULER_ENV = "SCRIPTALIGN_SCHEDULER"
_ADDRESS = re.compile(r"^(tcp|tls|ucx|ws|wss|inproc)://\S+$")


def check_address(address: str) -> str:
    if not _ADDRESS.match(address):
        raise UsageError(f"--scheduler {address!r} is not a Dask scheduler address "
                         "(expected tcp://HOST:PORT)")
    return address


def connect(address: str, timeout: float = 20.0) -> Any:
    """A ``dask.distributed.Client``; UsageError when Dask is missing or nobody answers."""
    check_address(address)
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise UsageError("--scheduler needs Dask: pip install 'scriptalign[dask]'") from exc
    try:
        return Client(address, timeout=f"{timeout}s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc


def run_on_cluster(address: str, movies: list[Movie], steps: tuple[str, ...],
                   settings: StepSettings, *, force: bool = False,
                   timeout: float = 20.0) -> Iterator[list[StepResult]]:
    """Yield each movie's records as its task finishes on the cluster."""
    from dask.distributed import as_completed

    client = connect(address, timeout)
    futures: dict[Any, Movie] = {}
    finished = False
    try:
        run = uuid.uuid4().hex[:8]
        for k, movie in enumerate(movies):
            fut = client.submit(run_movie_steps, movie, steps, settings, force,
                                key=f"scriptalign-{run}-{k}-{movie.name}", pure=False)
            futures[fut] = movie
        for fut in as_completed(list(futures), loop=client.loop):
            movie = futures[fut]
            try:
                records: list[StepResult] = fut.result()
            except Exception as exc:  # the task itself broke (worker lost 3 times, ...)
                records = [StepResult(str(movie.folder), steps[0], "failed", [],
                                      f"on the cluster: {describe_error(exc)}")]
            yield records
        finished = True
    finally:
        if not finished:
            client.cancel(list(futures))  # fail-fast or Ctrl-C: free the workers
        client.close()
