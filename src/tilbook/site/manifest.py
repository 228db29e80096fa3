"""What the writer last put in an output folder: size, mtime and hash of every file, one row per
file in the build state's SQLite file, so that a build which rewrites a few files reads and
writes a few rows (a pickle of the whole manifest cost 20 ms per edit at 10,000 notes and ~0.4 s
at 100,000).

A manifest only vouches for files that still have the size and mtime it recorded (the writer
checks), so a stale one costs a rewrite, never a wrong site: rows are written after the files
they describe, in one transaction.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from . import state

Entry = tuple[int, int, str]
"""size, mtime in ns, sha1 of the bytes."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS site_files(
    output TEXT NOT NULL, rel TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
    digest TEXT NOT NULL, PRIMARY KEY (output, rel)) WITHOUT ROWID;
"""


class Manifest:
    """The rows of one output folder in the SQLite file at `path` (opened when first needed)."""

    def __init__(self, path: Path, output: str, con: sqlite3.Connection | None = None) -> None:
        self.path = path
        self.output = output
        self._con = con
        self._own = con is None
        """Closed by `close` (a connection the caller passed in stays open: closing the last
        connection to the file checkpoints it, 1–2 ms)."""
        if con is not None:
            con.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        if self._con is None:
            self._con = state.connect(self.path.parent)  # as the rest of the build state is opened
            self._con.executescript(_SCHEMA)
        return self._con

    def close(self) -> None:
        if self._con is not None and self._own:
            self._con.close()
            self._con = None

    def everything(self) -> dict[str, Entry]:
        """Every file recorded for the folder (a full build checks them all)."""
        try:
            return {rel: (size, mtime, digest) for rel, size, mtime, digest in self._connect().execute(
                "SELECT rel, size, mtime, digest FROM site_files WHERE output = ?", (self.output,))}
        except sqlite3.DatabaseError:
            return {}  # unreadable: every file is written again, and the rows replaced

    def get(self, rel: str) -> Entry | None:
        """One file's row (a quick build looks up only the files it touches)."""
        try:
            row = self._connect().execute("SELECT size, mtime, digest FROM site_files WHERE output = ? AND rel = ?",
                                          (self.output, rel)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return (row[0], row[1], row[2]) if row is not None else None

    def update(self, changed: dict[str, Entry], gone: Iterable[str], *, only: bool = False) -> None:
        """Record `changed` files and forget `gone` ones; with `only`, forget every file not in `changed`."""
        con = self._connect()
        with con:
            if only:
                con.execute("DELETE FROM site_files WHERE output = ?", (self.output,))
            else:
                con.executemany("DELETE FROM site_files WHERE output = ? AND rel = ?",
                                ((self.output, rel) for rel in gone))
            con.executemany("INSERT OR REPLACE INTO site_files VALUES (?, ?, ?, ?, ?)",
                            ((self.output, rel, *entry) for rel, entry in changed.items()))



def manifest_of(cache: Path, out: Path, con: sqlite3.Connection | None = None) -> Manifest:
    """The manifest the writer keeps of `out`, in the notebook's build state file (through `con`,
    a connection to that file, if given)."""
    return Manifest(cache / state.STATE_FILE, str(out), con)
