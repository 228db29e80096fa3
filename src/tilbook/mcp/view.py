"""The notebook as a long-running server sees it: loaded once, kept fresh cheaply.

A command loads the notebook and exits; a server answers hundreds of calls. Loading 10,000 notes
(stat every file, read the loader cache) and refreshing the search index cost tens of
milliseconds each, more than a search itself, so the view keeps the loaded notebook and reloads
it only when something may have changed: a folder under notes/ changed its mtime (a note was
added, removed or atomically replaced: what tilbook, git and most editors do), this server wrote a
note, or `RESCAN_SECONDS` passed (an editor that rewrites a file in place changes no folder).

Tools run in worker threads; one lock serialises every read of the view, and each thread has its
own SQLite connection to the shared index file.
"""
from __future__ import annotations

import dataclasses
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..model import Notebook
from ..notes import NOTES_DIR, cache_dir, load_notebook
from ..search import fts
from .notes_access import Resolver, safe_notes

INDEX_LOCK = "mcp-index.lock"
RESCAN_SECONDS = 2.0
"""At most this long between full re-reads when no folder under notes/ changed."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The notebook at one moment, with what answers questions about it."""

    notebook: Notebook
    resolver: Resolver
    con: sqlite3.Connection
    """The calling thread's connection to the search index, refreshed for this notebook."""


class NotebookView:
    """The notebook of one root, reloaded when it may have changed."""

    def __init__(self, root: Path, *, rescan_seconds: float = RESCAN_SECONDS) -> None:
        self.root = root.resolve()
        self.rescan_seconds = rescan_seconds
        self._lock = threading.RLock()
        self._notebook: Notebook | None = None
        self._stamp: tuple[tuple[str, int], ...] = ()
        self._loaded_at = 0.0
        self._generation = 0
        self._connections = threading.local()

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """The current notebook (reloaded if stale), held under the view's lock."""
        with self._lock:
            notebook = self._current()
            con = self._connection()
            yield Snapshot(notebook=notebook, resolver=Resolver(self.root, notebook.notes), con=con)

    def changed(self) -> None:
        """This server wrote a note: the next snapshot reloads."""
        with self._lock:
            self._notebook = None

    @contextmanager
    def file_lock(self, name: str) -> Iterator[None]:
        """An exclusive lock shared by every server process of this notebook (flock on a file in
        .tilbook-cache/): around read-modify-writes of notes and the search index's set-up."""
        folder = cache_dir(self.root)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / name, "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _folder_stamp(self) -> tuple[tuple[str, int], ...]:
        """mtimes of notes/ and of the folders below it: they change when a note file appears,
        disappears or is replaced by a rename."""
        base = self.root / NOTES_DIR
        stamp: list[tuple[str, int]] = []
        for folder, dirs, _ in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            try:
                stamp.append((folder, os.stat(folder).st_mtime_ns))
            except OSError:
                continue
        return tuple(stamp)

    def _current(self) -> Notebook:
        now = time.monotonic()
        if self._notebook is not None and now - self._loaded_at < self.rescan_seconds:
            stamp = self._folder_stamp()
            if stamp == self._stamp:
                return self._notebook
        else:
            stamp = self._folder_stamp()
        loaded = load_notebook(self.root, strict=False)
        notebook = dataclasses.replace(loaded, notes=safe_notes(loaded))
        if self._notebook is None or _identity(notebook) != _identity(self._notebook):
            self._generation += 1
        self._notebook, self._stamp, self._loaded_at = notebook, stamp, now
        return notebook

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, refreshed when the notebook changed since it last was."""
        local = self._connections
        if getattr(local, "con", None) is None:
            with self.file_lock(INDEX_LOCK):  # two servers starting at once must not both create the index
                local.con = fts.connect(self.root)
            local.generation = -1
        if local.generation != self._generation:
            assert self._notebook is not None
            with self.file_lock(INDEX_LOCK):
                fts.refresh(local.con, self._notebook)
            local.generation = self._generation
        con: sqlite3.Connection = local.con
        return con


def _identity(notebook: Notebook) -> list[tuple[str, str]]:
    return [(note.rel, note.digest_hash) for note in notebook.notes]
