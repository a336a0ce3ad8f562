"""Work over many documents: across the machine's cores when there are enough of them to pay
for starting the workers, in chunks, in order, with progress a person can follow.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

ENV_WORKERS = "WUMENG_WORKERS"
ENV_PROGRESS_TERMINAL = "WUMENG_PROGRESS_TERMINAL"  # set by `wumeng refresh` on a terminal
# Below this many documents one process is faster: a worker takes ~0.5 s to start.
MIN_DOCUMENTS_FOR_WORKERS = 400
CHUNK = 64

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    return max(1, int(os.environ.get(ENV_WORKERS) or os.cpu_count() or 1))


class Progress:
    """`label: 4,000/100,000 documents (4 %), 850/s, about 1m52s left`, every few seconds,
    to a log (Dagster's run log) and, when a person is watching, to the terminal."""

    def __init__(self, label: str, total: int, log: Callable[[str], Any] | None = None,
                 every_seconds: float = 5.0):
        self.label, self.total, self.log, self.every = label, total, log, every_seconds
        self.done = 0
        self.started = self.last = time.monotonic()
        self.terminal = sys.__stderr__ if os.environ.get(ENV_PROGRESS_TERMINAL) else None

    def advance(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            self._report(self.message(now))

    def message(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done / elapsed
        text = (f"{self.label}: {self.done:,}/{self.total:,} documents "
                f"({100 * self.done / max(self.total, 1):.0f} %), {rate:,.0f}/s")
        if self.done < self.total and rate > 0:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        else:
            text += f", in {_duration(elapsed)}"
        return text

    def _report(self, text: str) -> None:
        if self.log:
            self.log(text)
        if self.terminal:
            end = "\n" if self.done >= self.total else ""
            self.terminal.write(f"\r  {text}\033[K{end}")
            self.terminal.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


def map_documents(fn: Callable[[T], R], items: Sequence[T], progress: Progress | None = None,
                  initializer: Callable[..., None] | None = None,
                  initargs: tuple = ()) -> Iterator[R]:
    """fn(item) for every item, in order. `fn` and `initializer` must be module-level
    functions (workers are fresh processes: `spawn`, never a fork of a process holding
    DuckDB and Dagster's threads)."""
    workers = worker_count()
    if workers == 1 or len(items) < MIN_DOCUMENTS_FOR_WORKERS:
        if initializer:
            initializer(*initargs)
        for item in items:
            yield fn(item)
            if progress:
                progress.advance()
        return
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=initializer, initargs=initargs) as pool:
        for results in pool.map(_run_chunk, [fn] * len(chunks), chunks):
            yield from results
            if progress:
                progress.advance(len(results))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
