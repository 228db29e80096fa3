"""How work is split over worker processes (rendering, front matter, note pages)."""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def worker_count(asked: int | None = None) -> int:
    """The workers to use: as asked (`-j`), else one per core."""
    return asked if asked is not None else (os.cpu_count() or 1)


def split_for_workers(items: Sequence[T], workers: int, smallest: int) -> list[list[T]]:
    """About four chunks per worker (so a slow chunk does not leave the others idle), in order,
    none smaller than `smallest` items unless it is the last."""
    size = max(smallest, len(items) // (workers * 4))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]
