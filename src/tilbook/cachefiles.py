"""Pickled caches in the notebook's `.tilbook-cache/`.

Written atomically but never fsynced (a cache can always be rebuilt, and a build is not slowed by
a disk flush), and kept in memory between builds of one process, so the preview server, which
rebuilds on every save, does not read back what it wrote a second ago. The memory copy is used
only while the file still has the size and mtime this process last saw; callers must treat a
loaded value as read-only, since a later build may be handed the same object.
"""
from __future__ import annotations

import functools
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .fsutil import atomic_write_with

_MEMORY: dict[str, tuple[tuple[int, int], Any]] = {}


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def load(path: Path, convert: Callable[[Any], Any] | None = None) -> Any:
    """The cache at `path`, passed through `convert`; None if it is missing or unreadable."""
    signature = _signature(path)
    if signature is None:
        return None
    remembered = _MEMORY.get(str(path))
    if remembered is not None and remembered[0] == signature:
        return remembered[1]
    try:
        with open(path, "rb") as handle:
            value = pickle.load(handle)
        if convert is not None:
            value = convert(value)
    except Exception:  # an unreadable or stale cache is only a slower build
        return None
    _MEMORY[str(path)] = (signature, value)
    return value


def save(path: Path, stored: Any, value: Any = None) -> None:
    """Write `stored` to `path`; `value` (default: `stored`) is what `load` hands back meanwhile."""
    try:
        # pickled straight into the file: `pickle.dumps` would hold a second copy of a big cache as bytes
        atomic_write_with(path, functools.partial(pickle.dump, stored, protocol=pickle.HIGHEST_PROTOCOL),
                          durable=False)
    except OSError:  # a cache that cannot be written only makes the next build slower
        _MEMORY.pop(str(path), None)
        return
    signature = _signature(path)
    if signature is not None:
        _MEMORY[str(path)] = (signature, stored if value is None else value)


def forget(path: Path) -> None:
    """Drop the memory copy of `path` (the file stays): for what this process will not load again."""
    _MEMORY.pop(str(path), None)


def remove(path: Path) -> None:
    _MEMORY.pop(str(path), None)
    path.unlink(missing_ok=True)
