"""`tilbook search`: the notebook's local SQLite index, refreshed incrementally by content hash.

FTS5 with the trigram tokenizer answers query words of 3+ characters as case-insensitive
substrings (so `텐서플로우` matches `텐서플로우의`) ranked by bm25; shorter words (`모듈`, `함수`:
most Korean words) are answered in SQL too, by `instr` over a stored lowercase copy, ranked by
how often they occur. Drafts are indexed and marked; filtering them is the caller's choice.
"""
from __future__ import annotations

import re
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..model import Note, Notebook
from ..notes import cache_dir
from .tokens import normalise

SCHEMA_VERSION = "2"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS notes(
    id INTEGER PRIMARY KEY, rel TEXT UNIQUE NOT NULL, hash TEXT NOT NULL, date TEXT NOT NULL,
    category TEXT NOT NULL, title TEXT NOT NULL, tags TEXT NOT NULL, draft INTEGER NOT NULL,
    body TEXT NOT NULL, hay TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(
    title, body, content='notes', content_rowid='id', tokenize='trigram');
"""
_FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]:?")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_text(body: str) -> str:
    """Searchable text of a note body without markup noise (link URLs, footnote labels, fences)."""
    text = _LINK.sub(r"\1", body)
    text = _FOOTNOTE_LABEL.sub(" ", text)
    text = re.sub(r"^\s*(```+|~~~+).*$", " ", text, flags=re.M)
    text = re.sub(r"[*`#>|]+", " ", text)  # `_` stays: it is part of identifiers such as is_training
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Hit:
    date: str
    category: str
    title: str
    snippet: str
    """Text around the first match, each match wrapped in <mark>…</mark>."""
    path: str
    draft: bool
    tags: tuple[str, ...]


def index_path(root: Path) -> Path:
    return cache_dir(root) / "search.db"


def connect(root: Path) -> sqlite3.Connection:
    path = index_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    version = None
    try:
        version = con.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
    except sqlite3.OperationalError:
        pass
    if version is None or version[0] != SCHEMA_VERSION:
        con.close()
        path.unlink(missing_ok=True)
        con = sqlite3.connect(path)
        con.executescript(SCHEMA)
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        con.commit()
    return con


def _row(note: Note) -> tuple[object, ...]:
    body = plain_text(note.body)
    tags = "\t" + "\t".join(note.tags) + "\t"
    return (note.rel, note.digest_hash, note.date.isoformat(), note.category, note.title, tags, int(note.draft),
            body, normalise(note.title + "\n" + body + "\n" + " ".join(note.tags)))


def refresh(con: sqlite3.Connection, notebook: Notebook) -> tuple[int, int]:
    """Bring the index in line with the notebook: (re)index changed notes, drop vanished ones."""
    known = {rel: (rowid, digest) for rowid, rel, digest in con.execute("SELECT id, rel, hash FROM notes")}
    current = {note.rel: note for note in notebook.notes}
    changed = [n for rel, n in current.items() if known.get(rel, (0, ""))[1] != n.digest_hash]
    gone = [rowid for rel, (rowid, _) in known.items() if rel not in current]
    if not changed and not gone:
        return 0, 0
    with con:
        for note in changed:
            if note.rel in known:
                gone.append(known[note.rel][0])
        for rowid in gone:
            old = con.execute("SELECT title, body FROM notes WHERE id=?", (rowid,)).fetchone()
            con.execute("INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES('delete', ?, ?, ?)", (rowid, *old))
            con.execute("DELETE FROM notes WHERE id=?", (rowid,))
        for note in changed:
            cursor = con.execute("INSERT INTO notes(rel, hash, date, category, title, tags, draft, body, hay) "
                                 "VALUES (?,?,?,?,?,?,?,?,?)", _row(note))
            con.execute("INSERT INTO notes_fts(rowid, title, body) VALUES (?, ?, ?)",
                        (cursor.lastrowid, note.title, plain_text(note.body)))
    return len(changed), len(gone) - sum(1 for n in changed if n.rel in known)


def parse_query(query: str) -> list[str]:
    """Query words, a "quoted phrase" kept whole; lowercased and NFC."""
    try:
        parts = shlex.split(query)
    except ValueError:
        parts = query.replace('"', " ").split()
    return [normalise(p).strip() for p in parts if p.strip()]


def search(con: sqlite3.Connection, query: str, *, category: str | None = None, tag: str | None = None,
           limit: int = 20) -> list[Hit]:
    """Notes matching every query word, best first."""
    words = parse_query(query)
    if not words:
        return []
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    where: list[str] = []
    params: list[object] = []
    if long_words:
        where.append("notes_fts MATCH ?")
        params.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
    for word in short_words:
        where.append("instr(notes.hay, ?) > 0")
        params.append(word)
    if category:
        where.append("notes.category = ? COLLATE NOCASE")
        params.append(category)
    if tag:
        where.append("instr(lower(notes.tags), ?) > 0")
        params.append("\t" + tag.lower() + "\t")
    occurrences = " + ".join("(length(notes.hay) - length(replace(notes.hay, ?, ''))) / ?" for _ in words)
    occurrence_params: list[object] = [p for w in words for p in (w, len(w))]
    rank = "bm25(notes_fts, 5.0, 1.0)" if long_words else "0"
    source = "notes JOIN notes_fts ON notes_fts.rowid = notes.id" if long_words else "notes"
    sql = (f"SELECT notes.date, notes.category, notes.title, notes.body, notes.rel, notes.draft, notes.tags, "
           f"{rank} AS rank, ({occurrences}) AS hits FROM {source} WHERE {' AND '.join(where)} "
           f"ORDER BY rank ASC, hits DESC, notes.date DESC LIMIT ?")
    rows = con.execute(sql, [*occurrence_params, *params, limit]).fetchall()
    return [Hit(date=d, category=c, title=t, snippet=snippet(body, words), path=rel, draft=bool(draft),
                tags=tuple(x for x in tags.split("\t") if x)) for d, c, t, body, rel, draft, tags, _, _ in rows]


def snippet(text: str, words: list[str], width: int = 120) -> str:
    """About `width` characters around the first match, every match wrapped in <mark>."""
    lower = normalise(text)
    starts = [lower.find(w) for w in words if lower.find(w) >= 0]
    first = min(starts) if starts else 0
    start = max(0, first - width // 3)
    end = min(len(text), start + width)
    piece, piece_lower = text[start:end], lower[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out, pos = [], 0
    for match in pattern.finditer(piece_lower):
        out.append(piece[pos:match.start()])
        out.append("<mark>" + piece[match.start():match.end()] + "</mark>")
        pos = match.end()
    out.append(piece[pos:])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
