"""Giving freed memory back to the operating system.

CPython returns what a build frees to the C allocator (strings and bytes over 512 bytes: every
note's HTML, text and terms) or to its own pools (smaller objects), and glibc keeps freed blocks
in the middle of its heap instead of unmapping them. So a build that frees its render cache and
then allocates small objects (pages' contexts, list entries) grows by the new objects although
hundreds of megabytes lie free: at 25,000 notes, 262 MB of 397 MB of heap were free when the pages
were written. `give_back` hands those pages back (`malloc_trim(0)`: milliseconds) where a build
has just let go of much.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None  # type: ignore[no-any-return]
    except OSError:
        return None


def give_back() -> None:
    """Return the free pages of the C heap to the operating system (glibc only; elsewhere nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
