"""File writes that never lose what the user wrote.

Every write goes to a temporary file in the same folder, is flushed to disk and then renamed over
the target, so a crash leaves either the old file or the new one whole. `create_exclusive` never
replaces an existing file at all.
"""
from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def atomic_write(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Replace `path` with `data` atomically (temp file + fsync + rename).

    `durable=False` skips the fsync (still atomic for readers and crashes of the process; only a
    power loss could lose the new bytes): for build output, which can always be rebuilt."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    atomic_write_with(path, lambda handle: handle.write(payload), durable=durable)


def atomic_write_with(path: Path, write: Callable[[BinaryIO], object], *, durable: bool = True) -> None:
    """`atomic_write` of what `write(handle)` writes into the open file: big contents (a pickled
    cache of hundreds of megabytes) go to the disk as they are made, never whole in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: `review --due` writes nothing, and tempfile costs ~4 ms to import

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """Write atomically only when the bytes differ, so unchanged files keep their mtime."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, payload)
    return True


def create_exclusive(path: Path, data: str, *, durable: bool = True) -> None:
    """Create `path` with `data`; raises FileExistsError rather than replace anything.

    The content is written to a temp file first and hard-linked into place, so the target
    appears complete or not at all, and `link` fails if the name exists (no race).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8"))
            handle.flush()
            if durable:  # bulk writers pass False and call os.sync() once at the end
                os.fsync(handle.fileno())
        os.link(tmp_name, path)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def exchange_folders(a: Path, b: Path) -> bool:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    import ctypes
    import ctypes.util
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
        err = ctypes.get_errno()
        if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EXDEV):
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True
