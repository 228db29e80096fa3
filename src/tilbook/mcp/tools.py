"""What each MCP tool does, as plain functions over a `NotebookView` that return JSON-ready data.

No MCP types here: `server.py` registers these and adds the readable text, so every behaviour
can be tested (and benchmarked) with or without a client. Every function goes through the same
library call as its command: `fts.search` (`tilbook search`), `capture.new_note` (`tilbook new`),
`run_checks` (`tilbook check`), `export_post` (`tilbook export`).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from typing_extensions import TypedDict

from ..capture import new_note
from ..checks import Finding, Target, run_checks
from ..errors import UsageError
from ..exporter import export_post, select_notes
from ..frontmatter import decode, split_front_matter
from ..model import Note, Notebook
from ..notes import NOTES_DIR, rewrite_note
from ..plan import note_url
from ..search import fts
from .notes_access import AccessRefused, inside
from .view import NotebookView

SEARCH_MARGIN = 5
"""fts.search does not filter drafts or dates: ask it for this many more than `limit` and filter
here, asking again for everything only when the filters ate too many (every extra hit costs a snippet)."""
MAX_LIMIT = 1000
WRITE_LOCK = "mcp-write.lock"


class NoteSummary(TypedDict):
    date: str
    title: str
    category: str
    tags: list[str]
    path: str
    """Relative to the notebook root (`notes/YYYY/…md`); what read_note and append_to_note take."""
    url: str
    draft: bool


class SearchHit(NoteSummary):
    snippet: str
    """Text around the first match, each match wrapped in <mark>…</mark>."""


class SearchResult(TypedDict):
    """(The query is not echoed: a caller that searched for a draft's words sees nothing of them.)"""

    count: int
    results: list[SearchHit]


class NoteList(TypedDict):
    total: int
    """How many notes match; `notes` holds at most `limit` of them, newest first."""
    notes: list[NoteSummary]


class NoteText(NoteSummary):
    front_matter: dict[str, Any]
    body: str


class FindingData(TypedDict):
    rule: str
    severity: str
    path: str
    line: int
    message: str


class Written(TypedDict):
    path: str
    url: str
    findings: list[FindingData]


class CheckResult(TypedDict):
    errors: int
    warnings: int
    findings: list[FindingData]


class Digest(TypedDict):
    notes: int
    markdown: str


def parse_day(value: str | None, name: str) -> dt.date | None:
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip().replace(".", "-"))
    except ValueError:
        raise UsageError(f"`{name}` {value!r} is not a date", hint="write YYYY-MM-DD") from None


def _limit(limit: int | None, default: int) -> int:
    if limit is None:
        return default
    if limit < 1:
        raise UsageError(f"limit {limit} is less than 1")
    return min(limit, MAX_LIMIT)


def summary(notebook: Notebook, note: Note) -> NoteSummary:
    return NoteSummary(date=note.date.isoformat(), title=note.title, category=note.category, tags=list(note.tags),
                       path=note.rel, url=notebook.config.base_url.rstrip("/") + "/" + note_url(note),
                       draft=note.draft)


def _in_range(note: Note, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or note.date >= since) and (until is None or note.date <= until)


def search_notes(view: NotebookView, query: str, *, category: str | None = None, tag: str | None = None,
                 since: str | None = None, until: str | None = None, drafts: bool = False,
                 limit: int = 10) -> SearchResult:
    """The notes matching every word of `query`, best first (the engine of `tilbook search`)."""
    first, last, wanted = parse_day(since, "since"), parse_day(until, "until"), _limit(limit, 10)
    with view.snapshot() as snap:
        by_rel = view.by_rel
        asked = wanted + (SEARCH_MARGIN if first is None and last is None else 10 * wanted + 50)
        while True:
            hits = fts.search(snap.con, query, category=category or None, tag=tag or None, limit=asked)
            kept = [(hit, by_rel[hit.path]) for hit in hits if hit.path in by_rel]
            kept = [(hit, note) for hit, note in kept
                    if (drafts or not note.draft) and _in_range(note, first, last)]
            if len(kept) >= wanted or len(hits) < asked:
                break
            asked = len(by_rel) + 1  # the filters ate too many: rank them all once
        results = [SearchHit(**summary(snap.notebook, note), snippet=hit.snippet) for hit, note in kept[:wanted]]
    return SearchResult(count=len(results), results=results)


def list_notes(view: NotebookView, *, category: str | None = None, tag: str | None = None,
               since: str | None = None, until: str | None = None, drafts: bool = False,
               limit: int | None = 50) -> NoteList:
    """Notes newest first, filtered as `tilbook list` filters them, plus dates."""
    first, last, wanted = parse_day(since, "since"), parse_day(until, "until"), _limit(limit, 50)
    with view.snapshot() as snap:
        chosen = [note for note in select_notes(snap.notebook, category=category, tag=tag, drafts=drafts)
                  if _in_range(note, first, last)]
        chosen.sort(key=lambda n: (n.date, n.rel), reverse=True)
        return NoteList(total=len(chosen), notes=[summary(snap.notebook, note) for note in chosen[:wanted]])


def _plain(value: Any) -> Any:
    """A front matter value as JSON (dates as ISO strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def read_note(view: NotebookView, path_or_slug: str, *, drafts: bool = False) -> NoteText:
    """One note: its front matter as written and its body."""
    with view.snapshot() as snap:
        note = snap.resolver.resolve(path_or_slug, drafts=drafts)
        data = summary(snap.notebook, note)
    raw = split_front_matter(Path(note.rel), decode(Path(note.rel), _read_inside(view.root, note.rel)))
    return NoteText(**data, front_matter=_plain(raw.meta), body=note.body)


def _read_inside(root: Path, rel: str) -> bytes:
    """The bytes of a note file, refused if the path now leads out of notes/ (a symlink swapped in)."""
    path = root / rel
    if not inside(root / NOTES_DIR, path):
        raise AccessRefused(f"`{rel}` now leads outside the notes/ folder; it is not served")
    return path.read_bytes()


def findings_data(findings: Iterable[Finding]) -> list[FindingData]:
    return [FindingData(rule=f.rule, severity=f.severity, path=f.path, line=f.line, message=f.message)
            for f in findings]


def _findings_of(view: NotebookView, rel: str | None) -> list[FindingData]:
    """`tilbook check` on the whole notebook (notebook rules need every note), kept to one note when asked."""
    found = run_checks(Target(view.root, True))
    notes = view.root / NOTES_DIR
    return findings_data(f for f in found if (rel is None or f.path == rel)
                         and (not f.path.startswith(NOTES_DIR + "/") or inside(notes, view.root / f.path)))


def add_note(view: NotebookView, text: str, category: str, *, tags: list[str] | None = None,
             title: str | None = None, date: str | None = None, draft: bool = False) -> Written:
    """A new note through `tilbook new`'s path: a taken file name gets `-2`, `-3`…, nothing is replaced."""
    day = parse_day(date, "date")
    path = new_note(view.root, text, category=category, tags=list(tags or []), date=day, title=title, draft=draft)
    view.changed()
    rel = path.relative_to(view.root).as_posix()
    with view.snapshot() as snap:
        note = next((n for n in snap.notebook.notes if n.rel == rel), None)
        url = summary(snap.notebook, note)["url"] if note else ""
    return Written(path=rel, url=url, findings=_findings_of(view, rel))


def append_to_note(view: NotebookView, path_or_slug: str, text: str, *, drafts: bool = False) -> Written:
    """Add a paragraph at the end of a note: atomically, and two appends at once both land."""
    addition = text.strip()
    if not addition:
        raise UsageError("the text to append is empty; nothing was written")
    with view.snapshot() as snap:
        note = snap.resolver.resolve(path_or_slug, drafts=drafts)
        url = summary(snap.notebook, note)["url"]
    with view.file_lock(WRITE_LOCK):  # one read-modify-write at a time, across server processes
        current = decode(Path(note.rel), _read_inside(view.root, note.rel))
        rewrite_note(view.root / note.rel, current.rstrip("\n") + "\n\n" + addition + "\n")
    view.changed()
    return Written(path=note.rel, url=url, findings=_findings_of(view, note.rel))


def check(view: NotebookView, path: str | None = None) -> CheckResult:
    """`tilbook check`'s findings for the notebook, or for one note."""
    rel = None
    if path is not None and path.strip():
        with view.snapshot() as snap:
            rel = snap.resolver.resolve(path, drafts=True).rel
    found = _findings_of(view, rel)
    return CheckResult(errors=sum(f["severity"] == "error" for f in found),
                       warnings=sum(f["severity"] == "warning" for f in found), findings=found)


def export_digest(view: NotebookView, *, category: str | None = None, tag: str | None = None) -> Digest:
    """The published notes (of a category or tag) as one digest post, as `tilbook export` writes it."""
    with view.snapshot() as snap:
        count = len(select_notes(snap.notebook, category=category, tag=tag))
        if not count:
            raise UsageError("no published note matches", hint="check the category or tag with list_notes")
        return Digest(notes=count, markdown=export_post(snap.notebook, category=category, tag=tag))
