"""What review needs of every note, without loading the whole notebook.

`tilbook review --due` must answer in well under 200 ms at 10,000 notes, and the full loader
(bodies and all, ~300 ms there) is too slow for that. So review keeps its own small cache,
`.tilbook-cache/review-heads.pickle`: per note file its size and mtime and the few fields review
reads (date, title, draft, category, tags and the body's fingerprint). A file whose size or mtime
changed is parsed again by the one note parser, `notes.read_note`; nothing here parses markdown or
YAML itself. The trust rule is the loader's: same size and mtime, same note.

When no file changed (the scan's list of paths, sizes and mtimes equals the cached one) the
cached, already sorted list is the answer: one scandir pass and one list comparison, and the note
parser (with YAML) is not even imported.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

from .. import cachefiles
from ..config import Config
from ..paths import NOTES_DIR, cache_dir

CACHE_NAME = "review-heads.pickle"
CACHE_VERSION = 3


class NoteHead(NamedTuple):
    """A note as review sees it (a named tuple: 10,000 of them unpickle in a few ms)."""

    rel: str
    """Path relative to the notebook root (POSIX separators)."""
    date: dt.date
    title: str
    draft: bool
    category: str
    tags: tuple[str, ...]
    text: str
    """Fingerprint of the body (identity.fingerprint)."""


def scan_notes(folder: str, found: list[tuple[str, int, int]]) -> None:
    """Every `*.md` under notes/ with size and mtime, hidden files and folders skipped (the rule
    of notes.note_files, with scandir: one stat per file, no sorting)."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                scan_notes(entry.path, found)
            elif entry.name.endswith(".md"):
                stat = entry.stat()
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))


def load_heads(root: Path, config: Config) -> list[NoteHead]:
    """Every note of the notebook, sorted by (date, path); unreadable notes raise InputError."""
    base = root / NOTES_DIR
    found: list[tuple[str, int, int]] = []
    if base.is_dir():
        scan_notes(str(base), found)
    cache_file = cache_dir(root) / CACHE_NAME
    loaded = cachefiles.load(cache_file)
    if isinstance(loaded, tuple) and len(loaded) == 4 and loaded[0] == CACHE_VERSION and loaded[1] == found:
        heads: list[NoteHead] = list(loaded[3])
    else:
        heads = _refresh(root, found, cache_file, loaded)
    if config.category_aliases:
        heads = [h._replace(category=config.canonical_category(h.category)) for h in heads]
    return heads


def _refresh(root: Path, found: list[tuple[str, int, int]], cache_file: Path, loaded: object) -> list[NoteHead]:
    """The heads of `found`, parsing the files the cache does not know as they are now; the cache
    becomes (version, found, heads in the order of found, heads sorted)."""
    from ..notes import read_note
    from .identity import fingerprint

    cached: dict[str, tuple[int, int, NoteHead]] = {}
    if isinstance(loaded, tuple) and len(loaded) == 4 and loaded[0] == CACHE_VERSION:
        cached = {head.rel: (size, mtime, head) for (_, size, mtime), head in zip(loaded[1], loaded[2])}
    prefix = len(str(root)) + 1
    aligned: list[NoteHead] = []
    for name, size, mtime in found:
        rel = name[prefix:].replace(os.sep, "/")
        known = cached.get(rel)
        if known is not None and known[0] == size and known[1] == mtime:
            aligned.append(known[2])
            continue
        note = read_note(Path(name), root)
        aligned.append(NoteHead(rel=rel, date=note.date, title=note.title, draft=note.draft,
                                category=note.category, tags=note.tags, text=fingerprint(note.body)))
    heads = sorted(aligned, key=lambda h: (h.date, h.rel))
    cachefiles.save(cache_file, (CACHE_VERSION, found, aligned, heads))
    return heads
