"""The notebook as a long-running server sees it: loaded once, kept fresh cheaply.

A command loads the notebook and exits; a server answers hundreds of calls. Loading 10,000 notes
(stat every file, read the loader cache) and refreshing the search index cost tens of
milliseconds each, more than a search itself, so the view keeps the loaded notebook and reloads
it only when something may have changed: notes/ or a year folder in it changed its mtime (a note
was added, removed or atomically replaced: what tilbook, git and most editors do), this server
wrote a note, or, checked at most every `RESCAN_SECONDS`, a note file changed its size or mtime
(an editor that rewrites a file in place changes no folder).

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

from ..model import Note, Notebook
from ..notes import NOTES_DIR, cache_dir, load_notebook
from ..search import fts
from .notes_access import Resolver, safe_notes

INDEX_LOCK = "mcp-index.lock"
RESCAN_SECONDS = 2.0
"""At most this long between stat sweeps of every note file (~10 ms at 10,000 notes)."""


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
        self._checked_at = 0.0
        self._file_stats: list[tuple[int, int]] = []
        self.by_rel: dict[str, Note] = {}
        """The current notebook's notes by path (valid while a snapshot is held)."""
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
        """mtimes of notes/ and of the folders in it (the years): they change when a note file
        appears, disappears or is replaced by a rename. A few stats, not one per note."""
        base = self.root / NOTES_DIR
        stamp: list[tuple[str, int]] = []
        try:
            stamp.append((str(base), os.stat(base).st_mtime_ns))
            with os.scandir(base) as entries:
                for entry in entries:
                    if entry.is_dir() and not entry.name.startswith("."):
                        stamp.append((entry.name, entry.stat().st_mtime_ns))
        except OSError:
            pass
        return tuple(sorted(stamp))

    def _files_changed(self, notebook: Notebook) -> bool:
        """Whether any note file changed size or mtime since the load (an in-place edit)."""
        for note, seen in zip(notebook.notes, self._file_stats):
            try:
                stat = os.stat(note.path)
            except OSError:
                return True
            if (stat.st_size, stat.st_mtime_ns) != seen:
                return True
        return False

    def _current(self) -> Notebook:
        now = time.monotonic()
        stamp = self._folder_stamp()
        if self._notebook is not None and stamp == self._stamp:
            if now - self._checked_at < self.rescan_seconds:
                return self._notebook
            self._checked_at = now
            if not self._files_changed(self._notebook):
                return self._notebook
        loaded = load_notebook(self.root, strict=False)
        notebook = dataclasses.replace(loaded, notes=safe_notes(loaded))
        if self._notebook is None or _identity(notebook) != _identity(self._notebook):
            self._generation += 1
        self._file_stats = [_signature(note.path) for note in notebook.notes]
        self._notebook, self._stamp, self._checked_at = notebook, stamp, now
        self.by_rel = {note.rel: note for note in notebook.notes}
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


def _signature(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return stat.st_size, stat.st_mtime_ns
