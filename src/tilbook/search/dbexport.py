"""`tilbook db FILE.db`: the notebook as an SQLite file Datasette opens as it is.

Tables `notes` (rendered HTML and plain text), `categories`, `tags`, `note_tags`, and `notes_fts`
(FTS5 over title and `search_text`: words plus Hangul/CJK bigrams, so Datasette's search box
finds `모듈` inside `모듈성` with its default escaped search). `metadata.json` is written beside it.
Drafts are left out unless asked for. The review log reaches the file only when passed in
(`tilbook db --with-reviews`): a `reviews` table, one row per rating.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError
from ..model import Notebook
from ..pipeline import prepare
from ..render.mathplain import text_with_plain_math
from ..reviewlog import LogEntry
from ..tokens import bigram_text
from ..version import __version__

SCHEMA = """
CREATE TABLE notes(
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, category TEXT NOT NULL, emoji TEXT NOT NULL,
    title TEXT NOT NULL, slug TEXT NOT NULL, url TEXT NOT NULL, path TEXT NOT NULL, draft INTEGER NOT NULL,
    tags TEXT NOT NULL, markdown TEXT NOT NULL, html TEXT NOT NULL, text TEXT NOT NULL, search_text TEXT NOT NULL);
CREATE TABLE categories(name TEXT PRIMARY KEY, emoji TEXT NOT NULL, notes INTEGER NOT NULL);
CREATE TABLE tags(name TEXT PRIMARY KEY, notes INTEGER NOT NULL);
CREATE TABLE note_tags(note_id INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL REFERENCES tags(name),
    PRIMARY KEY (note_id, tag));
CREATE VIRTUAL TABLE notes_fts USING fts5(title, search_text, content='notes', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE INDEX notes_date ON notes(date);
"""


def _refuse_foreign(target: Path) -> None:
    if target.exists():
        with open(target, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise UsageError(f"refusing to overwrite {target}: it is not an SQLite database",
                                 hint="choose a new file name")


REVIEWS_SCHEMA = """
CREATE TABLE reviews(id INTEGER PRIMARY KEY, card TEXT NOT NULL, path TEXT NOT NULL, rating INTEGER NOT NULL,
    time TEXT NOT NULL);
"""


def export_database(notebook: Notebook, target: Path, *, drafts: bool = False,
                    reviews: Sequence[LogEntry] | None = None) -> int:
    """Write the database atomically (temp file + rename) and metadata.json; returns the note count."""
    target = target.resolve()
    _refuse_foreign(target)
    prepared = prepare(notebook, drafts=drafts)
    prepared.save_cache()
    plan, rendered, config = prepared.plan, prepared.rendered, notebook.config
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp_name)
        with con:
            con.executescript(SCHEMA)
            for number, (planned, output) in enumerate(zip(plan.notes, rendered), start=1):
                note = planned.note
                search_text = bigram_text(output.text + " " + " ".join(note.tags))
                con.execute("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            (number, note.date.isoformat(), note.category, config.emoji(note.category), text_with_plain_math(note.title),
                             note.slug, planned.url, note.rel, int(note.draft), json.dumps(list(note.tags), ensure_ascii=False),
                             note.body, output.html, output.text, search_text))
                con.executemany("INSERT OR IGNORE INTO note_tags VALUES (?, ?)", [(number, t) for t in note.tags])
            for group in plan.categories:
                con.execute("INSERT INTO categories VALUES (?,?,?)", (group.name, group.emoji, len(group.notes)))
            con.execute("INSERT INTO tags SELECT tag, count(*) FROM note_tags GROUP BY tag")
            con.execute("INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')")
            if reviews is not None:
                con.executescript(REVIEWS_SCHEMA)
                con.executemany("INSERT INTO reviews(card, path, rating, time) VALUES (?,?,?,?)",
                                [(e.note, e.path, e.rating, e.time) for e in reviews])
        con.execute("VACUUM")
        con.close()
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    metadata = {
        "title": config.title,
        "description": (config.description + " " if config.description else "") + f"Exported by tilbook {__version__}.",
        "databases": {target.stem: {"tables": {
            "notes": {"description": "One row per note: markdown, rendered HTML and plain text.",
                      "fts_table": "notes_fts", "fts_pk": "id", "sort_desc": "date", "label_column": "title",
                      "columns": {"search_text": "Words and Hangul/CJK two-character pieces, for the search box",
                                  "html": "Rendered HTML (math as MathML)", "path": "The note file in the notebook"}},
            "categories": {"description": "Categories with their emoji and note counts."},
            "tags": {"description": "Tags with note counts."},
            "note_tags": {"description": "Which note has which tag."}}}},
    }
    from ..fsutil import atomic_write
    atomic_write(target.parent / "metadata.json", json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    return len(plan.notes)
