"""`tilbook search`: the notebook's local SQLite index, refreshed incrementally by content hash.

FTS5 with the trigram tokenizer answers query words of 3+ characters as case-insensitive
substrings (so `텐서플로우` matches `텐서플로우의`) ranked by bm25. One- and two-syllable Korean
(CJK) words (`모듈`, `함수`: most Korean words) are answered by a second FTS5 table over the text's
CJK characters and bigrams, also ranked by bm25. One or two Latin letters are answered in SQL by
`instr` over a stored lowercase copy, ranked by how often they occur. Drafts are indexed and
marked; filtering them is the caller's choice.
"""
from __future__ import annotations

import re
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..links import plain_wikilinks
from ..model import Note, Notebook
from ..notes import cache_dir
from ..mdtext import CODE_SPAN, FENCE_OPEN, fenced_lines
from ..render.mathplain import text_with_plain_math
from ..tokens import bigram_text, is_cjk, normalise

SCHEMA_VERSION = "8"  # 6: formulas in plain form (σ, not \sigma); 7: markdown escapes read as rendered; 8: [[wikilinks]] as their text
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS notes(
    id INTEGER PRIMARY KEY, rel TEXT UNIQUE NOT NULL, hash TEXT NOT NULL, date TEXT NOT NULL,
    category TEXT NOT NULL, title TEXT NOT NULL, tags TEXT NOT NULL, draft INTEGER NOT NULL,
    body TEXT NOT NULL, hay TEXT NOT NULL, grams TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS notes_fts USING fts5(
    title, body, content='notes', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE IF NOT EXISTS notes_grams USING fts5(
    grams, content='notes', content_rowid='id', tokenize='unicode61');
"""
FAST_PATH_SLACK = 50
"""When one FTS table answers alone, it ranks this many more than asked before dates break ties."""
_FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]:?")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A markdown backslash escape (`map\\_fn`): the reader sees the character alone."""
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def plain_text(body: str) -> str:
    """Searchable text of a note body as a reader sees it: escapes resolved, without markup noise (link URLs, footnote labels, fence
    lines, `*`/`#`/`>`/`|` markup); code keeps every character (`Option<i32>`, `a -> b`)."""
    lines = body.split("\n")
    out = []
    for line, in_code in zip(lines, fenced_lines(lines)):
        if in_code:
            out.append("" if FENCE_OPEN.match(line) else line)
            continue
        pieces = []
        for index, piece in enumerate(CODE_SPAN.split(line)):
            if index % 3 == 2:  # a code span's content
                pieces.append(piece)
            elif index % 3 == 0:
                prose = _FOOTNOTE_LABEL.sub(" ", _LINK.sub(r"\1", plain_wikilinks(piece)))
                prose = _ESCAPE.sub(r"\1", text_with_plain_math(prose))
                pieces.append(re.sub(r"[*`#>|]+", " ", prose))  # `_` stays: is_training is one word
        out.append("".join(pieces))
    return " ".join(" ".join(out).split())


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
    title = text_with_plain_math(note.title)
    hay = normalise(title + "\n" + body + "\n" + " ".join(note.tags))
    return (note.rel, note.digest_hash, note.date.isoformat(), note.category, title, tags, int(note.draft),
            body, hay, _grams(hay))


def _grams(hay: str) -> str:
    """Tokens of the CJK index: words, CJK runs and their bigrams, and every CJK character alone
    (so one- and two-syllable queries are index lookups)."""
    return bigram_text(hay) + " " + " ".join(c for c in hay if is_cjk(c))


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
            title, body, grams = con.execute("SELECT title, body, grams FROM notes WHERE id=?", (rowid,)).fetchone()
            con.execute("INSERT INTO notes_fts(notes_fts, rowid, title, body) VALUES('delete', ?, ?, ?)",
                        (rowid, title, body))
            con.execute("INSERT INTO notes_grams(notes_grams, rowid, grams) VALUES('delete', ?, ?)", (rowid, grams))
            con.execute("DELETE FROM notes WHERE id=?", (rowid,))
        for note in changed:
            row = _row(note)
            cursor = con.execute("INSERT INTO notes(rel, hash, date, category, title, tags, draft, body, hay, grams) "
                                 "VALUES (?,?,?,?,?,?,?,?,?,?)", row)
            con.execute("INSERT INTO notes_fts(rowid, title, body) VALUES (?, ?, ?)", (cursor.lastrowid, row[4], row[7]))
            con.execute("INSERT INTO notes_grams(rowid, grams) VALUES (?, ?)", (cursor.lastrowid, row[9]))
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
    gram_words = [w for w in words if len(w) < 3 and all(is_cjk(c) for c in w)]
    scan_words = [w for w in words if len(w) < 3 and w not in gram_words]
    matches = []  # (FTS table, its MATCH expression, its bm25 call)
    if long_words:
        matches.append(("notes_fts", " AND ".join(_quoted(w) for w in long_words), "bm25(notes_fts, 5.0, 1.0)"))
    if gram_words:
        matches.append(("notes_grams", " AND ".join(_quoted(w) for w in gram_words), "bm25(notes_grams)"))
    columns = "notes.date, notes.category, notes.title, notes.body, notes.rel, notes.draft, notes.tags"
    if len(matches) == 1 and not scan_words and not category and not tag:
        # the common case, answered inside the FTS index: rank there, join only the best
        table, expression, bm25 = matches[0]
        sql = (f"SELECT {columns} FROM (SELECT rowid AS id, {bm25} AS rank FROM {table} WHERE {table} MATCH ? "
               f"ORDER BY rank LIMIT ?) AS top JOIN notes ON notes.id = top.id "
               f"ORDER BY top.rank, notes.date DESC LIMIT ?")
        rows = con.execute(sql, [expression, limit + FAST_PATH_SLACK, limit]).fetchall()
    else:
        # each FTS table ranks its own matches once, materialised (joining two FTS tables directly
        # makes SQLite re-run one MATCH per row of the other: most of a second at 10,000 notes)
        ctes: list[str] = []
        params: list[object] = []
        where: list[str] = []
        for index, (table, expression, bm25) in enumerate(matches):
            ctes.append(f"m{index} AS MATERIALIZED (SELECT rowid AS id, {bm25} AS rank FROM {table} "
                        f"WHERE {table} MATCH ?)")
            params.append(expression)
        source = " JOIN ".join([f"m{i}" + (f" ON m{i}.id = m0.id" if i else "") for i in range(len(matches))]
                               + ["notes" + (" ON notes.id = m0.id" if matches else "")])
        for word in scan_words:
            where.append("instr(notes.hay, ?) > 0")
            params.append(word)
        if category:
            where.append("notes.category = ? COLLATE NOCASE")
            params.append(category)
        if tag:
            where.append("instr(lower(notes.tags), ?) > 0")
            params.append("\t" + tag.lower() + "\t")
        rank = " + ".join(f"m{index}.rank" for index in range(len(matches))) or "0"
        occurrences = " + ".join("(length(notes.hay) - length(replace(notes.hay, ?, ''))) / ?"
                                 for _ in scan_words) or "0"
        occurrence_params: list[object] = [p for w in scan_words for p in (w, len(w))]
        sql = (("WITH " + ", ".join(ctes) + " " if ctes else "")
               + f"SELECT {columns}, {rank} AS rank, ({occurrences}) AS hits FROM {source} "
               f"WHERE {' AND '.join(where) or '1'} ORDER BY rank ASC, hits DESC, notes.date DESC LIMIT ?")
        rows = [row[:7] for row in con.execute(sql, [*params[:len(ctes)], *occurrence_params, *params[len(ctes):],
                                                     limit]).fetchall()]
    return [Hit(date=d, category=c, title=t, snippet=snippet(body, words), path=rel, draft=bool(draft),
                tags=tuple(x for x in tags.split("\t") if x)) for d, c, t, body, rel, draft, tags in rows]


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


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
