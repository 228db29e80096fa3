"""Which note a caller means, and the guarantee that it lives inside the notebook's notes folder.

An MCP client passes whatever a model wrote: a path (`notes/2021/2021-05-24-x.md`,
`2021/2021-05-24-x.md`), a file name with or without `.md`, a date and slug (`2021-05-24/x`) or a
slug alone (`x`). Everything resolves against the notes the loader found, never against the file
system at large: an absolute path, a `..` component or a symlink that leads out of `notes/` is
refused with a message that says so, before anything is opened. Drafts are found only when asked.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import UsageError
from ..model import Note, Notebook
from ..notes import NOTES_DIR
from ..slugs import nfc


class AccessRefused(UsageError):
    """A path that would leave the notes folder, or a note the caller may not see."""


class NoteNotFound(UsageError):
    """No note (or more than one) answers to what the caller named."""


_DATE_SLUG = re.compile(r"^(\d{4}-\d{2}-\d{2})/([^/]+)$")


def inside(folder: Path, path: Path) -> bool:
    """Whether `path`, symlinks followed, is `folder` or below it."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True


def safe_notes(notebook: Notebook) -> tuple[Note, ...]:
    """The notebook's notes without any file that is (or passes through) a symlink leading out of
    notes/: such a file is never read back, searched or listed through the server."""
    base = notebook.root / NOTES_DIR
    return tuple(note for note in notebook.notes if inside(base, note.path))


@dataclass(frozen=True, slots=True)
class Resolver:
    """Looks notes up by what a caller wrote, among the notes it was given."""

    root: Path
    notes: tuple[Note, ...]

    def resolve(self, name: str, *, drafts: bool = False) -> Note:
        """The one note `name` means; AccessRefused or NoteNotFound with a clear message otherwise."""
        text = nfc(name.strip()).replace("\\", "/")
        if not text:
            raise NoteNotFound("no note named: the path or slug is empty",
                               hint="pass a path from search_notes or list_notes, or a slug")
        if "\x00" in text:
            raise AccessRefused("a note path cannot contain a NUL character")
        pure = PurePosixPath(text)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:/", text) or text.startswith("~"):
            raise AccessRefused(f"`{name}` is an absolute path; only notes inside the notebook's notes/ folder "
                                "can be read or changed", hint="pass a path relative to the notebook, e.g. notes/2024/…")
        if ".." in pure.parts:
            raise AccessRefused(f"`{name}` leaves the notebook's notes/ folder (`..` is refused)",
                                hint="pass a path from search_notes or list_notes")
        visible = self.notes if drafts else tuple(note for note in self.notes if not note.draft)
        try:
            note = self._lookup(text, visible)
        except NoteNotFound:
            if not drafts and self._names_a_draft(text):
                raise AccessRefused(f"`{name}` is a draft; drafts are returned only when asked",
                                    hint="pass drafts=true") from None
            raise
        if not inside(self.root / NOTES_DIR, self.root / note.rel):
            raise AccessRefused(f"`{name}` is a link to a file outside the notes/ folder; it is not served")
        return note

    def _names_a_draft(self, text: str) -> bool:
        try:
            self._lookup(text, tuple(note for note in self.notes if note.draft))
        except NoteNotFound:
            return False
        return True

    def _lookup(self, text: str, notes: tuple[Note, ...]) -> Note:
        by_rel = {note.rel: note for note in notes}
        path = text[len("./"):] if text.startswith("./") else text
        candidates = [path, f"{NOTES_DIR}/{path}"]
        if not path.endswith(".md"):
            candidates += [f"{c}.md" for c in candidates]
        for candidate in candidates:
            if candidate in by_rel:
                return by_rel[candidate]
        if "/" in path and (match := _DATE_SLUG.match(path)) is None:
            if (self.root / NOTES_DIR / path).is_symlink() or (self.root / path).is_symlink():
                raise AccessRefused(f"`{text}` is a link to a file outside the notes/ folder; it is not served")
            raise NoteNotFound(f"no note at `{text}` in the notes/ folder",
                               hint="pass a path from search_notes or list_notes")
        match = _DATE_SLUG.match(path)
        stem = path[:-3] if path.endswith(".md") else path
        found = [note for note in notes
                 if (match and note.date.isoformat() == match[1] and note.slug == match[2])
                 or (not match and (note.slug == stem or Path(note.rel).stem == stem))]
        if len(found) == 1:
            return found[0]
        if not found:
            raise NoteNotFound(f"no note named `{text}`", hint="search_notes or list_notes give exact paths")
        shown = ", ".join(note.rel for note in found[:10])
        raise NoteNotFound(f"`{text}` names {len(found)} notes: {shown}", hint="pass one of these paths")
