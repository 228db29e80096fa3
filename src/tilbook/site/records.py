"""What a full build records so that a quick build can re-make only what one edited note shows.

Two kinds of record, kept in the build state's SQLite file (`site/state.py`) per output folder:
- a `NoteRow` per note: what the note looked like to the rest of the site (its front matter
  fields, list item, page neighbours, links, warnings, search entry), and the answers it got
  about other notes (`site/lookups.py`);
- a `Recipe` per page that shows notes as fragments (list entries, digest sections, feed
  entries): the file's hash and the byte range of every fragment in it. A fragment is exactly
  the bytes tilbook's own code made for that note (checked when the page is made), so a quick
  build replaces one note's fragments in the live file and gets the bytes a full build would
  write. A recipe is only trusted while the file's hash still matches it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import sqlite3
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..model import Note
from . import state

FRAGMENT_START, FRAGMENT_OPEN, FRAGMENT_END = "\ue001", "\ue002", "\ue003"
"""Around each list entry while a page is rendered (`Site.entries_html`), removed after."""
_MARKS = re.compile(f"{FRAGMENT_START}(\\d+){FRAGMENT_OPEN}|{FRAGMENT_END}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS note_rows(output TEXT NOT NULL, rel TEXT NOT NULL, digest TEXT NOT NULL,
    row BLOB NOT NULL, PRIMARY KEY(output, rel));
CREATE TABLE IF NOT EXISTS recipes(output TEXT NOT NULL, page TEXT NOT NULL, recipe BLOB NOT NULL,
    PRIMARY KEY(output, page));
CREATE TABLE IF NOT EXISTS shown_on(output TEXT NOT NULL, rel TEXT NOT NULL, page TEXT NOT NULL,
    PRIMARY KEY(output, rel, page));
CREATE INDEX IF NOT EXISTS shown_on_page ON shown_on(output, page);
CREATE TABLE IF NOT EXISTS rewritten(output TEXT NOT NULL, page TEXT NOT NULL, PRIMARY KEY(output, page));
CREATE TABLE IF NOT EXISTS related_df(output TEXT PRIMARY KEY, df BLOB NOT NULL);
"""


def entry_kind(excerpts: bool) -> str:
    return "entry+excerpt" if excerpts else "entry"


def section_kind(style: str) -> str:
    return f"section:{style}"


FEED_ENTRY = "feed"


class Fragment(NamedTuple):
    rel: str
    kind: str
    """`entry`, `entry+excerpt`, `section:<style>` or `feed`."""
    start: int
    end: int
    """Byte range in the file."""

    def shifted(self, by: int) -> Fragment:
        return Fragment(self.rel, self.kind, self.start + by, self.end + by)


class Recipe(NamedTuple):
    digest: str
    """sha1 of the file as made (the writer's manifest holds the same hash of the live file)."""
    root: str
    """The page's relative path to the site root (what ROOT placeholders became)."""
    fragments: tuple[Fragment, ...] | None
    """None: the page shows notes in a way tilbook cannot replay (an overridden template that
    changes entries): only a full build re-makes it."""


class NoteRecord(NamedTuple):
    """What making one note's HTML used and said."""

    warnings: tuple[Any, ...]
    media: dict[str, str]
    """Site path → source file, of the images and files it shows."""
    looked_up: tuple[str, ...]
    links_out: tuple[str, ...]


class NoteRow(NamedTuple):
    meta: tuple[Any, ...]
    """`note_meta`: a quick build re-makes a note only when these did not change."""
    page: tuple[str, str] | None
    """(url, anchor) of its page; None when this build has no page for it (a draft)."""
    item: dict[str, Any] | None
    key: str
    record: NoteRecord | None
    answers: dict[tuple[str, str], Any]
    terms: str
    """The terms of its text related notes score (`connected.scored_terms`)."""
    search: tuple[str, ...] | None
    """The search index's entry: (fingerprint, document id); its terms follow from `terms`, the
    title and the tags (`search_index.record_terms`)."""
    neighbours: tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]] | None
    """Its page's previous and next note, the notes it is linked from and its related notes, as shown."""
    order: int
    """Its place in the build's notes (oldest first), -1 without a page: warnings come in this order."""
    body: str = ""
    """`body_key` of the note as this build read it."""
    memo: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
    """Its code blocks and formulas as the last quick build rendered them (the renderer's caches),
    so saving the same note again does not start Pygments' lexers or KaTeX."""


def sha1(data: bytes) -> str:
    """The hash recipes and the writer's manifest keep of a file."""
    return hashlib.sha1(data).hexdigest()


def warning_groups_update(report: dict[str, Any], rows: dict[str, NoteRow]) -> list[list[Any]]:
    """The last build's warning groups with those of `rows`' notes replaced."""
    kept = [group for group in report.get("warning_groups", []) if group[1] not in rows]
    return sorted(kept + warning_groups(rows), key=lambda group: group[0])


def warning_groups(rows: dict[str, NoteRow]) -> list[list[Any]]:
    """The warnings of a build, by note in build order: [[order, note, [warning…]]…]."""
    warned = [(row.order, rel, row.record.warnings) for rel, row in rows.items()
              if row.record is not None and row.record.warnings]
    return [[order, rel, [list(w) for w in warnings]] for order, rel, warnings in sorted(warned)]


def note_meta(note: Note) -> tuple[Any, ...]:
    """Everything of a note but its body that pages, lists, feeds and links read."""
    return (str(note.path), note.rel, note.date, note.category, note.tags, note.title, note.draft, note.slug,
            note.updated, note.title_derived, note.written_category)


def body_key(note: Note) -> str:
    """Hash of a note's body and the file line it starts on: when both are as the last build
    read them (a trailing blank line, a touched file), nothing made from the note changes."""
    return hashlib.blake2b(f"{note.body_line}\0{note.body}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def strip_fragments(text: str, refs: list[tuple[str, str, str]], placeholder: str, root: str
                    ) -> tuple[str, list[Fragment] | None]:
    """`text` without fragment marks, and the byte range of each marked fragment (`refs[i]` is
    (note, kind, the fragment as made, with `placeholder` where `root` goes)); None when a
    fragment was changed on its way through the template (then the page cannot be replayed)."""
    if FRAGMENT_START not in text:
        return text, []
    out: list[str] = []
    fragments: list[Fragment] | None = []
    at = pos = 0
    opened: tuple[int, int, int] | None = None
    for match in _MARKS.finditer(text):
        piece = text[pos:match.start()]
        out.append(piece)
        at += len(piece.encode("utf-8"))
        if match.group(1) is not None:
            opened = (int(match.group(1)), at, match.end())
        elif opened is not None and fragments is not None:
            index, start, begins = opened
            rel, kind, made = refs[index]
            if text[begins:match.start()] != made.replace(placeholder, root):
                fragments = None
            else:
                fragments.append(Fragment(rel, kind, start, at))
            opened = None
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), fragments


# --- the store ----------------------------------------------------------------------------
def _blob(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def write(con: sqlite3.Connection, output: str, rows: Iterable[tuple[str, NoteRow]], recipes: dict[str, Recipe],
          pages: Iterable[str], df: dict[str, int]) -> None:
    """Record this build's note rows (all notes: unchanged rows are not rewritten) and the recipes
    of the pages it made; drop the recipes of pages the site no longer has (`pages`: all it has);
    and the document frequencies of related notes' terms."""
    con.executescript(SCHEMA)
    for (other,) in con.execute("SELECT DISTINCT output FROM note_rows").fetchall():
        if other != output and not os.path.isdir(other):  # e.g. a preview server's folder it could not drop
            state.delete_output(con, other)
    save_df(con, output, df)
    stored = dict(con.execute("SELECT rel, digest FROM note_rows WHERE output = ?", (output,)))
    changed = []
    for rel, row in rows:
        blob = _blob(row)
        digest = hashlib.blake2b(blob, digest_size=16).hexdigest()
        if stored.pop(rel, None) != digest:
            changed.append((output, rel, digest, blob))
        if len(changed) >= 1000:  # in batches: 100,000 rows are ~300 MB
            con.executemany("INSERT OR REPLACE INTO note_rows VALUES (?, ?, ?, ?)", changed)
            changed.clear()
    con.executemany("INSERT OR REPLACE INTO note_rows VALUES (?, ?, ?, ?)", changed)
    con.executemany("DELETE FROM note_rows WHERE output = ? AND rel = ?", [(output, rel) for rel in stored])
    keep = set(pages)
    gone = [page for (page,) in con.execute("SELECT page FROM recipes WHERE output = ?", (output,))
            if page not in keep]
    replace_recipes(con, output, recipes, gone)
    con.execute("DELETE FROM rewritten WHERE output = ?", (output,))


def mark_rewritten(con: sqlite3.Connection, output: str, pages: Iterable[str]) -> None:
    """Files a quick build rewrote: their page keys from the last full build no longer say what
    they hold, so the next full build makes them again instead of keeping them."""
    con.executemany("INSERT OR IGNORE INTO rewritten VALUES (?, ?)", [(output, page) for page in pages])


def replace_recipes(con: sqlite3.Connection, output: str, recipes: dict[str, Recipe], gone: Iterable[str] = (),
                    *, same_notes: bool = False) -> None:
    """Record `recipes` (and drop those of the pages `gone`); `same_notes`: each page shows the
    notes it showed (a quick build moved fragments, not notes), so `shown_on` stays."""
    dropped = [*recipes, *gone]
    con.executemany("DELETE FROM recipes WHERE output = ? AND page = ?", [(output, p) for p in dropped])
    con.executemany("INSERT INTO recipes VALUES (?, ?, ?)", [(output, p, _blob(r)) for p, r in recipes.items()])
    if same_notes:
        return
    con.executemany("DELETE FROM shown_on WHERE output = ? AND page = ?", [(output, p) for p in dropped])
    con.executemany("INSERT OR IGNORE INTO shown_on VALUES (?, ?, ?)",
                    [(output, f.rel, page) for page, r in recipes.items() for f in r.fragments or ()])


def replace_rows(con: sqlite3.Connection, output: str, rows: dict[str, NoteRow]) -> None:
    blobs = {rel: _blob(row) for rel, row in rows.items()}
    con.executemany("INSERT OR REPLACE INTO note_rows VALUES (?, ?, ?, ?)",
                    [(output, rel, hashlib.blake2b(b, digest_size=16).hexdigest(), b) for rel, b in blobs.items()])


def kept_checks(con: sqlite3.Connection, output: str) -> tuple[dict[str, str], set[str]]:
    """Each recorded page's file hash (a full build re-makes a page whose file no longer matches),
    and the files quick builds rewrote since the last full build."""
    con.executescript(SCHEMA)
    digests = {page: pickle.loads(blob).digest
               for page, blob in con.execute("SELECT page, recipe FROM recipes WHERE output = ?", (output,))}
    return digests, {page for (page,) in con.execute("SELECT page FROM rewritten WHERE output = ?", (output,))}


def save_df(con: sqlite3.Connection, output: str, df: dict[str, int]) -> None:
    con.execute("INSERT OR REPLACE INTO related_df VALUES (?, ?)", (output, _blob(df)))


def load_df(con: sqlite3.Connection, output: str) -> dict[str, int]:
    got = con.execute("SELECT df FROM related_df WHERE output = ?", (output,)).fetchone()
    return pickle.loads(got[0]) if got is not None else {}


def rows_of(con: sqlite3.Connection, output: str, rels: Iterable[str]) -> dict[str, NoteRow]:
    return _each(con, "SELECT row FROM note_rows WHERE output = ? AND rel = ?", output, set(rels))


def recipes_showing(con: sqlite3.Connection, output: str, rels: Iterable[str]) -> dict[str, Recipe]:
    pages = {page for rel in set(rels)
             for (page,) in con.execute("SELECT page FROM shown_on WHERE output = ? AND rel = ?", (output, rel))}
    return _each(con, "SELECT recipe FROM recipes WHERE output = ? AND page = ?", output, sorted(pages))


def _each(con: sqlite3.Connection, query: str, output: str, keys: Iterable[str]) -> dict[str, Any]:
    """The pickled value `query` finds for each key that has one."""
    found = {}
    for key in keys:
        got = con.execute(query, (output, key)).fetchone()
        if got is not None:
            found[key] = pickle.loads(got[0])
    return found
