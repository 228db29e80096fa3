"""The review log: `review/log.jsonl` in the notebook, one JSON line per rating, append-only.

It is the only review state tilbook keeps (card state is derived from it by replaying it through
the scheduler), so it lives beside the notes and travels with them in git. Append-only JSON lines
merge cleanly (`review/log.jsonl merge=union` in `.gitattributes` makes git keep both sides'
lines; order does not matter, replay sorts by time). A line:

    {"note": "c0ffee…", "path": "notes/2021/….md", "date": "2021-03-01", "title": "…",
     "text": "9f86d0…", "rating": 3, "time": "2026-11-29T21:04:05.123+09:00"}

`note` is the card identity (see tilbook.review.identity), `path`, `date`, `title` and `text` (a
fingerprint of the body) are how the note looked when rated, so the card can find its note again
after a rename or an edit. `time` keeps the reviewer's UTC offset: the day of a review is the day
on the reviewer's calendar.

Every rating is one `write` of one whole line to a file opened with O_APPEND, then fsync: a
finished rating survives Ctrl-C or a crash, and two writers never interleave within a line. A
line torn by a power loss is skipped when reading (and the next append starts on a new line).

This module sits beside notes.py (the notebook on disk) so the review feature and the site's
optional review calendar both read the log without importing each other.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import NamedTuple

LOG_PATH = "review/log.jsonl"
"""Relative to the notebook root. Never published: the site copies only `static/` and what notes
link to, and refuses links into `review/`."""
REVIEW_DIR = "review"


class LogEntry(NamedTuple):
    """One rating, as one line of the log (a named tuple: the review cache holds every entry, and
    10,000 of them unpickle in a few ms)."""

    note: str
    """Card identity: fixed at the note's first review, repeated on every later rating."""
    path: str
    """The note's path relative to the notebook root when it was rated."""
    date: str
    """The note's `date` (ISO) when rated."""
    title: str
    text: str
    """Fingerprint of the note's body when rated."""
    rating: int
    """1 Again, 2 Hard, 3 Good, 4 Easy."""
    time: str
    """ISO 8601 with UTC offset, milliseconds."""

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.time)


def log_path(root: Path) -> Path:
    return root / LOG_PATH


def append_entry(root: Path, entry: LogEntry) -> None:
    """Append one line durably: one write with O_APPEND, then fsync (file and, when new, folder)."""
    path = log_path(root)
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry._asdict(), ensure_ascii=False, separators=(", ", ": ")) + "\n"
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn last line
            line = "\n" + line
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


_FIELDS = ("note", "path", "date", "title", "text", "rating", "time")


def _entry(line: str) -> LogEntry | None:
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            return None
        entry = LogEntry(**{name: data[name] for name in _FIELDS})
        if entry.rating not in (1, 2, 3, 4) or not isinstance(entry.note, str) or not entry.note:
            return None
        if entry.moment.tzinfo is None:
            return None
        return entry
    except (ValueError, KeyError, TypeError):
        return None


def read_log(root: Path) -> tuple[list[LogEntry], int]:
    """Every readable entry, in file order, and how many lines were unreadable (torn or hand-edited)."""
    try:
        data = log_path(root).read_bytes()
    except FileNotFoundError:
        return [], 0
    return parse_log(data)


def parse_log(data: bytes) -> tuple[list[LogEntry], int]:
    """The entries of these bytes of the log, in order, and how many lines were unreadable.

    Parsing two pieces split just after a b"\\n" gives what parsing the whole gives (UTF-8 never
    continues a character across a newline byte, and a piece ending in a line break ends a line),
    so the review cache reads only what was appended."""
    entries: list[LogEntry] = []
    bad = 0
    for raw in data.decode("utf-8", errors="replace").splitlines():
        if not raw.strip():
            continue
        entry = _entry(raw)
        if entry is None:
            bad += 1
        else:
            entries.append(entry)
    return entries, bad


def review_days(root: Path) -> set[dt.date]:
    """Days (on the reviewer's calendar) with at least one rating: all the site may learn."""
    return {entry.moment.date() for entry in read_log(root)[0]}
