"""The stat of every note file a build was made from, in buckets by a hash of the path, so that
two scans are compared bucket by bucket and only the buckets that differ are read from the build
state or written back: at 100,000 notes, loading, comparing and storing the whole map of stats
cost ~0.2 s per edit; a bucket holds ~400 of them.

Rows live in the build state's SQLite file beside `last_builds`, which holds each bucket's digest:
a bucket whose row does not match its digest (another build of the same folder wrote between)
reads as missing, and the build that needed it does a full build.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

BUCKETS = 256
_SCAN_BY_DESCRIPTOR = os.scandir in os.supports_fd
SCHEMA = """
CREATE TABLE IF NOT EXISTS note_stats(output TEXT NOT NULL, bucket INTEGER NOT NULL, digest TEXT NOT NULL,
    stats BLOB NOT NULL, PRIMARY KEY(output, bucket)) WITHOUT ROWID;
"""


class Unreadable(Exception):
    """A bucket the build state should hold is missing or does not match its digest."""


def bucket_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8", "surrogateescape")) & (BUCKETS - 1)


def _digest(entries: dict[str, str]) -> str:
    lines = "\n".join(sorted(f"{rel} {stat}" for rel, stat in entries.items()))
    return hashlib.blake2b(lines.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


@dataclass(slots=True)
class NoteStats:
    """Note files by bucket: notes-relative path → `size:mtime`."""

    digests: dict[int, str]
    """Bucket → digest of its entries (a bucket with no note has none)."""
    buckets: dict[int, dict[str, str]] = field(default_factory=dict)
    """Bucket → its entries: every bucket of a scan; of a recorded build, those read so far."""
    load: Callable[[int, str], dict[str, str] | None] | None = None
    """Reads a recorded bucket (given its digest) from the build state."""

    @classmethod
    def scanned(cls, stats: Iterable[Sequence[str]]) -> NoteStats:
        """From (path, stat) pairs."""
        buckets: dict[int, dict[str, str]] = defaultdict(dict)
        for rel, stat in stats:
            buckets[bucket_of(rel)][rel] = stat
        return cls._of(buckets)

    @classmethod
    def scan(cls, folder: str) -> NoteStats:
        """Every `.md` file under `folder` (dot files and folders skipped, symlinked folders not
        followed): one `scandir` walk and one stat a file, bucketed as it goes. Each folder is
        listed through a descriptor where the OS allows, so a file's stat resolves its name
        alone, not its whole path (~10% of the scan at 10,000 notes)."""
        buckets: dict[int, dict[str, str]] = defaultdict(dict)
        stack = [(folder, "")]
        while stack:
            path, prefix = stack.pop()
            descriptor = None
            try:
                if _SCAN_BY_DESCRIPTOR:
                    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
                    listing = os.scandir(descriptor)
                else:
                    listing = os.scandir(path)
            except OSError:
                if descriptor is not None:
                    os.close(descriptor)
                continue
            try:
                with listing:
                    for entry in listing:
                        name = entry.name
                        if name[0] == ".":
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            stack.append((os.path.join(path, name), f"{prefix}{name}/"))
                        elif name.endswith(".md"):
                            stat = entry.stat()
                            rel = prefix + name
                            buckets[bucket_of(rel)][rel] = f"{stat.st_size}:{stat.st_mtime_ns}"
            finally:
                if descriptor is not None:
                    os.close(descriptor)
        return cls._of(buckets)

    @classmethod
    def _of(cls, buckets: dict[int, dict[str, str]]) -> NoteStats:
        return cls({bucket: _digest(entries) for bucket, entries in buckets.items()}, dict(buckets))

    def differing(self, other: NoteStats) -> list[int]:
        """Buckets whose notes or stats differ between the two."""
        return sorted(b for b in self.digests.keys() | other.digests.keys() if self.digests.get(b) != other.digests.get(b))

    def entries(self, bucket: int) -> dict[str, str]:
        """The notes of one bucket (read from the build state when first asked); raises `Unreadable`."""
        if bucket not in self.digests:
            return {}
        if bucket not in self.buckets:
            loaded = self.load(bucket, self.digests[bucket]) if self.load is not None else None
            if loaded is None:
                raise Unreadable(f"note stats bucket {bucket}")
            self.buckets[bucket] = loaded
        return self.buckets[bucket]

    def updated(self, stats: dict[str, str | None]) -> NoteStats:
        """These stats with some notes' changed (None: the file is gone); raises `Unreadable`."""
        touched: dict[int, dict[str, str]] = {}
        for rel, stat in stats.items():
            bucket = bucket_of(rel)
            if bucket not in touched:
                touched[bucket] = dict(self.entries(bucket))
            if stat is None:
                touched[bucket].pop(rel, None)
            else:
                touched[bucket][rel] = stat
        digests = dict(self.digests)
        for bucket, entries in touched.items():
            if entries:
                digests[bucket] = _digest(entries)
            else:
                digests.pop(bucket, None)
        buckets = {b: e for b, e in self.buckets.items() if b in digests}
        buckets.update((b, e) for b, e in touched.items() if e)
        return NoteStats(digests, buckets, self.load)


def save(con: sqlite3.Connection, output: str, stats: NoteStats) -> None:
    """Write the buckets whose recorded row differs (a bucket not in memory is left as it is: if
    its row does not match, reading it fails and the next build is a full one). Inside the
    caller's transaction: the table is made when the state file is opened (`state.connect`)."""
    stored = dict(con.execute("SELECT bucket, digest FROM note_stats WHERE output = ?", (output,)))
    con.executemany("DELETE FROM note_stats WHERE output = ? AND bucket = ?",
                    [(output, b) for b in stored if b not in stats.digests])
    con.executemany("INSERT OR REPLACE INTO note_stats VALUES (?, ?, ?, ?)",
                    [(output, b, digest, pickle.dumps(stats.buckets[b], protocol=pickle.HIGHEST_PROTOCOL))
                     for b, digest in stats.digests.items() if stored.get(b) != digest and b in stats.buckets])


def load(con: sqlite3.Connection, output: str, bucket: int, digest: str) -> dict[str, str] | None:
    """One recorded bucket, if its row matches `digest`."""
    try:
        row = con.execute("SELECT digest, stats FROM note_stats WHERE output = ? AND bucket = ?",
                          (output, bucket)).fetchone()
    except sqlite3.Error:
        return None
    if row is None or row[0] != digest:
        return None
    entries = pickle.loads(row[1])
    return entries if isinstance(entries, dict) else None
