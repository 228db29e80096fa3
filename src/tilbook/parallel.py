"""How work is split over worker processes (rendering, front matter, note pages)."""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # only annotations: a quick build, which runs no pool, need not import them
    from concurrent.futures import Executor, Future

T = TypeVar("T")
R = TypeVar("R")


def worker_count(asked: int | None = None) -> int:
    """The workers to use: as asked (`-j`), else one per core."""
    return asked if asked is not None else (os.cpu_count() or 1)


def split_for_workers(items: Sequence[T], workers: int, smallest: int, largest: int | None = None) -> list[list[T]]:
    """About four chunks per worker (so a slow chunk does not leave the others idle), in order,
    none smaller than `smallest` items unless it is the last, nor larger than `largest`."""
    size = max(smallest, min(len(items) // (workers * 4), largest or len(items)))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def in_order(pool: Executor, work: Callable[[list[T]], R], chunks: Iterable[list[T]], ahead: int
             ) -> Iterator[tuple[list[T], R]]:
    """Each chunk with `work(chunk)` done in `pool`, in order, like `pool.map`, but with at most
    `ahead` chunks submitted and not yet taken: results wait in memory only while the taker lags
    that far behind (`pool.map` submits everything at once and holds every result it made).
    Closing the iterator early cancels what has not started."""
    waiting: deque[tuple[list[T], Future[R]]] = deque()
    try:
        for chunk in chunks:
            if len(waiting) >= ahead:
                done, future = waiting.popleft()
                yield done, future.result()
            waiting.append((chunk, pool.submit(work, chunk)))
        while waiting:
            done, future = waiting.popleft()
            yield done, future.result()
    finally:
        for _, future in waiting:
            future.cancel()
