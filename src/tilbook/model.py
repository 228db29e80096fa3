"""The notebook's data: immutable values, no I/O.

Every command starts from these. `publishable` is the single place that decides whether a note
may leave the machine: pages, feeds, sitemap, search records, counts and the calendar all ask it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Note:
    """One TIL note as read from `notes/…/*.md`."""

    path: Path
    """Absolute path of the note file."""
    rel: str
    """Path relative to the notebook root, POSIX separators (what `list --json` prints)."""
    date: dt.date
    category: str
    """Category name without its emoji (the emoji lives in the category table)."""
    tags: tuple[str, ...]
    title: str
    draft: bool
    body: str
    """Markdown after the front matter, footnote definitions included, LF line endings."""
    body_line: int
    """1-based line of the file where `body` starts, so body-relative lines map to file lines."""
    slug: str
    """URL/file slug: front matter `slug`, else the file name without date prefix."""
    updated: dt.date | None = None
    title_derived: bool = False
    """True when the file has no `title` and it was derived from the first sentence."""
    digest_hash: str = ""
    """Hash of the file's bytes: the cache key for everything derived from this note."""
    field_lines: tuple[tuple[str, int], ...] = ()
    """File line of each front matter field (`date`, `category`…), so findings name it."""
    unknown_fields: tuple[tuple[str, int], ...] = ()
    """Front matter fields tilbook does not read, with their lines (`check` warns about them)."""
    written_category: str = ""
    """The category as the file writes it, when [category_aliases] reads it as another one."""

    def field_line(self, name: str, default: int = 2) -> int:
        return dict(self.field_lines).get(name, default)


def publishable(note: Note) -> bool:
    """May this note appear in a published page, feed, sitemap, search index or count?"""
    return not note.draft


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    emoji: str
    slug: str


@dataclass(frozen=True, slots=True)
class Notebook:
    root: Path
    config: "Config"
    notes: tuple[Note, ...]
    problems: tuple[Exception, ...] = field(default=())
    """Notes that could not be read (only filled by a lenient load, for `check`)."""

    def publishable_notes(self) -> tuple[Note, ...]:
        return tuple(n for n in self.notes if publishable(n))

    def visible_notes(self, *, drafts: bool) -> tuple[Note, ...]:
        return self.notes if drafts else self.publishable_notes()


from .config import Config  # noqa: E402  (a type only; config has no dependency on model)
