"""Running the steps over many movies: locks, parallelism, joint learning, records.

``run(movies, options)`` does, for the requested steps (``scriptalign run`` asks for all):

1. take every movie's lock (a movie another run holds fails, the others go on);
2. align and faces per movie: in this process, in ``jobs`` local processes, or on a Dask
   cluster (``scheduler``), results streaming back as each movie finishes;
3. learn once, jointly over the movies whose align and faces succeeded;
4. report per movie.

Every step yields a ``StepResult`` (the ``--json`` line), handed to ``on_result`` as soon
as it exists. Nothing here raises for a bad movie; ``fail_fast`` stops at the first failure.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from scriptalign.runs.lock import MovieLock
from scriptalign.runs.movie import Movie
from scriptalign.runs.steps import (
    PER_MOVIE_STEPS,
    STEPS,
    StepResult,
    StepSettings,
    check_writable,
    describe_error,
    lacks_video,
    remove_partial_outputs,
    run_learn,
    run_movie_steps,
    run_step,
)

ResultCallback = Callable[[StepResult], None]
LogCallback = Callable[[str], None]
StepProgress = Callable[[str, str, int, int], None]  # movie name, step, done, total


@dataclass
class RunOptions:
    steps: tuple[str, ...] = STEPS
    settings: StepSettings = field(default_factory=StepSettings)
    force: bool = False
    fail_fast: bool = False
    jobs: int = 1  # local worker processes for align/faces
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler
    lock_wait: float = 0.0  # seconds to wait for a movie another run holds


class _Stop(Exception):
    """--fail-fast: a step failed, stop everything."""


def exit_code(results: list[StepResult]) -> int:
    """0 when every step succeeded or was up to date, 1 when some movie failed."""
    return 1 if any(r.failed for r in results) else 0


def _phase_local(movies: list[Movie], steps: tuple[str, ...], options: RunOptions,
                 step_progress: StepProgress | None) -> Iterator[list[StepResult]]:
    if options.jobs <= 1 or len(movies) <= 1:
        for movie in movies:
            for step in steps:
                def report(done: int, total: int, _m: str = movie.name, _s: str = step) -> None:
                    if step_progress is not None:
                        step_progress(_m, _s, done, total)

                yield [run_step(movie, step, options.settings, force=options.force,
                                progress=report)]
        return
    # spawn, not fork: the parent may hold threads (progress bars, a Dask client) and
    # forking a threaded process can deadlock the child.
    context = multiprocessing.get_context("spawn")
    pool = cf.ProcessPoolExecutor(max_workers=min(options.jobs, len(movies)), mp_context=context)
    finished = False
    try:
        futures = {pool.submit(run_movie_steps, m, steps, options.settings, options.force): m
                   for m in movies}
        for fut in cf.as_completed(futures):
            movie = futures[fut]
            try:
                yield fut.result()
            except Exception as exc:  # the worker process died (e.g. out of memory)
                yield [StepResult(str(movie.folder), steps[0], "failed", [], describe_error(exc))]
        finished = True
    finally:
        if not finished:
            # --fail-fast or Ctrl-C: do not wait an hour for the faces of other movies.
            # (No public way to stop running workers before Python 3.14; their outputs
            # are atomic, so killing them leaves nothing half-written.)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _nothing_to_learn(movie: Movie) -> bool:
    """Aligned, but no video and no face tracks made earlier (a folder whose video was moved
    away after `faces` still learns; one with nothing at all fails as it did)."""
    return (lacks_video(movie) and movie.align_path.exists()
            and not (movie.faces_dir / "tracks.json").exists())


def run(movies: list[Movie], options: RunOptions | None = None, *,
        on_result: ResultCallback | None = None, log: LogCallback | None = None,
        step_progress: StepProgress | None = None) -> list[StepResult]:
    """Run ``options.steps`` over ``movies``; return every record (also sent to on_result)."""
    options = options or RunOptions()
    steps = tuple(s for s in STEPS if s in options.steps)
    results: list[StepResult] = []

    def emit(result: StepResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)
        if result.failed and options.fail_fast:
            raise _Stop

    def say(message: str) -> None:
        if log is not None:
            log(message)

    locks: dict[str, MovieLock] = {}
    try:
        ready: list[Movie] = []
        for movie in movies:
            lock = MovieLock(movie.lock_path, wait=options.lock_wait)
            try:
                check_writable(movie)
                lock.acquire()
            except Exception as exc:
                emit(StepResult(str(movie.folder), steps[0], "failed", [], describe_error(exc)))
                continue
            locks[str(movie.folder)] = lock
            if lock.stale is not None:
                say(f"{movie.name}: took over a stale lock of {lock.stale.describe()} "
                    "(that run was killed); finishing its work")
            remove_partial_outputs(movie)
            ready.append(movie)

        failed: set[str] = set()
        per_movie = tuple(s for s in steps if s in PER_MOVIE_STEPS)
        if per_movie and ready:
            if options.scheduler:
                from scriptalign.runs.distributed import run_on_cluster

                batches = run_on_cluster(options.scheduler, ready, per_movie, options.settings,
                                         force=options.force)
            else:
                batches = _phase_local(ready, per_movie, options, step_progress)
            try:
                for batch in batches:
                    for result in batch:
                        if result.failed:
                            failed.add(result.movie)
                        emit(result)
            finally:
                close = getattr(batches, "close", None)
                if close is not None:
                    close()  # stop the workers when fail-fast or Ctrl-C leaves early
        survivors = [m for m in ready if str(m.folder) not in failed]

        if "learn" in steps:
            # A folder without a video has no faces to learn from; align and report still run.
            for movie in (m for m in survivors if _nothing_to_learn(m)):
                emit(StepResult(str(movie.folder), "learn", "skipped", [], "no video"))
        learners = [m for m in survivors if not _nothing_to_learn(m)]
        if "learn" in steps and learners:
            def learn_progress(done: int, total: int) -> None:
                if step_progress is not None:
                    step_progress("all movies", "learn", done, total)

            for result in run_learn(learners, options.settings, force=options.force,
                                    progress=learn_progress):
                if result.failed:
                    failed.add(result.movie)
                emit(result)
            survivors = [m for m in survivors if str(m.folder) not in failed]

        if "report" in steps:
            for movie in survivors:
                emit(run_step(movie, "report", options.settings, force=options.force))
    except _Stop:
        say("stopping at the first failure (--fail-fast)")
    finally:
        for lock in locks.values():
            lock.release()
    return results
