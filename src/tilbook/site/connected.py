"""What connects a note page to other notes: its links to them resolved to their pages, the notes
that link to it ("Linked from"), its related notes, and its dates from git.

`Site` asks this once per note (`place_links`) and once per note page (`page_parts`); the rules
live in `links.py` (what a link names), `related.py` (scores) and `gitdates.py` (dates).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import cachefiles
from ..gitdates import note_history, shown_update
from ..links import NoteIndex, placeholder_target, split_target
from ..model import Note, Notebook
from ..notes import cache_dir
from ..plan import PlannedNote, SitePlan
from ..render.markdown import Rendered, heading_slug
from .lookups import Lookups
from ..tokens import terms

if TYPE_CHECKING:
    from ..related import Doc, Related

RELATED_CACHE = "related.pickle"
RELATED_CACHE_VERSION = 3  # 3: lengths over specific terms only; the document frequencies too
Warn = Callable[[str, int | None, str, str], None]


def _unpublished(language: str) -> str:
    """What a page shows for `[[a draft]]` written with no shown text: never its slug or title."""
    return "(비공개 노트)" if language.startswith("ko") else "(unpublished note)"


class Connections:
    """One build's links between notes, backlinks, related notes and git dates."""

    def __init__(self, notebook: Notebook, plan: SitePlan) -> None:
        self.notebook = notebook
        self.plan = plan
        history = note_history(notebook.root, cache_dir(notebook.root))
        self.lookups = Lookups({n.path: n for n in notebook.notes}, plan.by_rel, NoteIndex.of(notebook.notes),
                               history.dates)
        """How links, pages and git dates of other notes are found (recorded per note)."""
        self.notice = history.warning
        self._setup(notebook.config.language)

    def _setup(self, language: str) -> None:
        self.linked_from: dict[str, dict[str, None]] = {}
        """Target note → the notes linking to it (in plan order: oldest first)."""
        self.links_out: dict[str, dict[str, None]] = {}
        """Note → the notes it links to (in the order of its links)."""
        self.unpublished = _unpublished(language)
        self._related: dict[str, list[Related]] | None = None
        self.df: dict[str, int] = {}
        """In how many notes each term is, as related notes count them (a quick build checks an
        edit's words against it)."""
        self.hidden: dict[str, list[str]] = {}
        """Note → names of drafts it links with no shown text (kept out of its derived title too)."""

    @classmethod
    def replay(cls, language: str, lookups: Lookups) -> Connections:
        """Connections for re-making single notes from recorded answers (a quick build): no
        notebook, no plan, no related notes."""
        made = cls.__new__(cls)
        made.lookups = lookups
        made.notice = None
        made._setup(language)
        return made

    # --- dates ---------------------------------------------------------------------------
    def updated(self, note: Note) -> dt.date | None:
        """The day the note was last changed after it was written, if it was (else None)."""
        return shown_update(note, self.lookups.git(note.rel))

    # --- links -----------------------------------------------------------------------------
    def link(self, source: str, target: str) -> None:
        if source != target:
            self.linked_from.setdefault(target, {})[source] = None
            self.links_out.setdefault(source, {})[target] = None

    def place_links(self, planned: PlannedNote, rendered: Rendered, html: str, root: str,
                    warn: Warn) -> tuple[str, str]:
        """The note's HTML with each wikilink pointing at its note's page (or shown as text when it
        names no note, several notes, or a draft of a published build), and its plain text (which
        loses the name of a linked draft)."""
        note = planned.note
        text = rendered.text
        done: set[str] = set()
        for href, line in rendered.links:
            target = placeholder_target(href)
            if target is None or href in done:
                continue
            done.add(href)
            name, heading = split_target(target)
            found, problem = self.lookups.wikilink(target)
            where = note.body_line + line - 1
            anchor = re.compile(rf'<a href="{re.escape(href)}" class="note-link">(.*?)</a>', re.S)
            if found is None:
                warn(note.rel, where, "link-broken", f"[[{target}]]: {problem}")
                html = anchor.sub(r"\1", html)
                continue
            linked = self.lookups.page_of(found)
            if linked is None:  # a draft, in a build without drafts: the shown text only
                warn(note.rel, where, "link-draft", "links to a draft note; the link is left out of the published page")
                html = anchor.sub(lambda m: self.unpublished if _bare(m.group(1), name) else m.group(1), html)
                if name in text:
                    text = text.replace(name, self.unpublished)
                self.hidden.setdefault(note.rel, []).append(name)
                continue
            url, linked_anchor = linked
            fragment = f"#{linked_anchor}-{heading_slug(heading)}" if heading else ""
            html = html.replace(f'href="{href}"', f'href="{root}{url}{fragment}"')
            self.link(note.rel, found)
        return html, text

    def title(self, note: Note) -> str:
        """The note's title, without the name of a draft it links (a title taken from the first
        sentence has `[[a-draft]]` as written)."""
        title = note.title
        for name in self.hidden.get(note.rel, ()) if note.title_derived else ():
            title = title.replace(name, self.unpublished)
        return title

    # --- pages -----------------------------------------------------------------------------
    def related(self, outputs: dict[str, Any]) -> dict[str, list[Related]]:
        """Related notes of every planned note (computed once per build, cached by input)."""
        if self._related is None:
            self._related, self.df = _cached_related(self.notebook, self.plan.notes, outputs)
        return self._related

    def page_notes(self, planned: PlannedNote, outputs: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The notes a note page shows as "Linked from" (newest first) and as related notes."""
        by_rel = self.plan.by_rel
        sources = [rel for rel in self.linked_from.get(planned.note.rel, ()) if rel in by_rel]
        related = [r.key for r in self.related(outputs).get(planned.note.rel, []) if r.key in by_rel]
        return tuple(reversed(sources)), tuple(related)


def page_parts(linked_from: tuple[str, ...], related: tuple[str, ...], item: Callable[[str], dict[str, Any]]
               ) -> dict[str, list[dict[str, Any]]]:
    """What a note page shows of other notes (`item`: a note's list item)."""
    return {"linked_from": [_shown(item(rel)) for rel in linked_from], "related": [_shown(item(rel)) for rel in related]}


def _bare(shown_html: str, name: str) -> bool:
    """Whether a rendered wikilink shows its target as written (no `|shown text`)."""
    return shown_html.strip() == name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _shown(item: dict[str, Any]) -> dict[str, Any]:
    return {"title": item["title"], "url": item["url"], "date": item["date"]}


def _doc(note: Note, output: Any) -> Doc:
    from ..related import note_doc  # see _cached_related

    text_terms = output.text_terms.split("\n") if output.text_terms else terms(output.text)
    return note_doc(note, text_terms)


def scored_inputs(note: Note, output: Any) -> bytes:
    """What related notes are scored from, of one note: its path, title, tags, category, date
    and search terms (or text)."""
    head = f"{note.rel}\0{note.title}\0{note.tags}\0{note.category}\0{note.date}\0".encode()
    return head + (output.text_terms or output.text).encode("utf-8", "surrogatepass")


def scored_terms(output: Any) -> str:
    """The terms of a note's text that related notes score, sorted, "\n"-joined (its title's
    terms count too: `related.note_doc`)."""
    return output.text_terms or "\n".join(sorted(terms(output.text)))


def related_unchanged(title: str, before: str, after: str, df: dict[str, int], count: int) -> bool:
    """Whether a note whose scored terms went from `before` to `after` (its title and the other
    notes as they were) leaves every note's related notes as they were: only when no term that
    came or went is specific, before or after (`related.is_specific`). `df` is updated."""
    from ..related import is_specific  # see _cached_related

    old, new = set(before.split("\n")) - {""}, set(after.split("\n")) - {""}
    moved = (old ^ new) - terms(title)
    counts = {t: (df.get(t, 0), df.get(t, 0) + (1 if t in new else -1)) for t in moved}
    if any(is_specific(a, count) or is_specific(b, count) for a, b in counts.values()):
        return False
    for term, (_, now) in counts.items():
        if now > 0:
            df[term] = now
        else:
            df.pop(term, None)
    return True


def _cached_related(notebook: Notebook, planned: list[PlannedNote], outputs: dict[str, Any]
                    ) -> tuple[dict[str, list[Related]], dict[str, int]]:
    """Related notes of the planned notes, reused from the last build when nothing they are
    scored from changed: each note's path, search terms (or text), title, tags, category and
    date. An edit that keeps a note's terms (punctuation, code, a blank line, words moved)
    recomputes nothing; one that changes them recomputes all (every term's weight may move)."""
    from ..related import RelatedIndex  # imported where used: a quick build that keeps a note's terms scores nothing

    path = cache_dir(notebook.root) / RELATED_CACHE
    digest = hashlib.blake2b(digest_size=16)
    for p in planned:
        digest.update(scored_inputs(p.note, outputs[p.note.rel]))
    key = digest.hexdigest()
    cached = cachefiles.load(path)
    if isinstance(cached, tuple) and len(cached) == 4 and cached[0] == RELATED_CACHE_VERSION and cached[1] == key:
        return cached[2], cached[3]
    index = RelatedIndex(_doc(p.note, outputs[p.note.rel]) for p in planned)
    found, df = index.all_related(), dict(index.df)
    try:
        cachefiles.save(path, (RELATED_CACHE_VERSION, key, found, df))
    except OSError:
        pass
    return found, df
