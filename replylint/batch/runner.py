"""Run jobs on this process, on N worker processes, or on a Dask cluster — same rows out, in the
same order.

Jobs travel in chunks (a check takes milliseconds; one round trip per reply would cost more than
the check) and only a fixed number of chunks is in flight at once, so a file of any size streams
through in bounded memory: `Pool.imap` would read the whole input ahead. Each worker loads the
rule engine once, on its first chunk.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any

from ..config import Config
from ..errors import InputError
from .grade import Graded, grade, grade_chunk
from .jobs import Job

CHUNK = 32
IN_FLIGHT_PER_WORKER = 3


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _chunks(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    iterator = iter(jobs)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _warm(config: Config) -> None:
    """A worker's start: compile the rules and load the models before the first chunk arrives."""
    import replylint

    replylint.load(config)


def _windowed(submit: Any, chunks: Iterator[list[Job]], window: int) -> Iterator[tuple[Job, Graded]]:
    """Keep `window` chunks in flight; yield results in input order."""
    pending: deque[tuple[list[Job], Future[list[Graded]]]] = deque()
    for chunk in chunks:
        pending.append((chunk, submit(chunk)))
        if len(pending) >= window:
            done_chunk, future = pending.popleft()
            yield from zip(done_chunk, future.result())
    while pending:
        done_chunk, future = pending.popleft()
        yield from zip(done_chunk, future.result())


def run_local(jobs: Iterable[Job], config: Config, *, workers: int, include_text: bool = False) -> Iterator[tuple[Job, Graded]]:
    """Each job with its graded row, in input order, on `workers` processes (1: this one)."""
    if workers <= 1:
        for job in jobs:
            yield job, grade(job, config, include_text=include_text)
        return
    # spawn, not fork: the parent may hold threads (the progress bar) and a fork copies their locks.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm,
                             initargs=(config,)) as pool:
        yield from _windowed(lambda chunk: pool.submit(grade_chunk, chunk, config, include_text),
                             _chunks(jobs, CHUNK), workers * IN_FLIGHT_PER_WORKER)


class DaskCluster:
    """A connection to a Dask distributed cluster: at `scheduler` (tcp://host:8786), or a local
    cluster of `workers` single-threaded processes when none is given. Connects on creation, so an
    unreachable scheduler is reported before any output is written; `close()` ends it."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise InputError("--engine dask needs Dask's distributed scheduler: "
                             "pip install 'dask[distributed]'") from None
        self.cluster = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__})") from None
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    def run(self, jobs: Iterable[Job], config: Config, *, include_text: bool = False) -> Iterator[tuple[Job, Graded]]:
        """Each job with its graded row, in input order; chunks of jobs are the partitions."""
        yield from _windowed(
            lambda chunk: self.client.submit(grade_chunk, chunk, config, include_text, pure=False),
            _chunks(jobs, CHUNK * 4), self.workers * IN_FLIGHT_PER_WORKER)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
