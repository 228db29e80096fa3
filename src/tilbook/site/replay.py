"""The part of a quick build that makes things (`site/quick.py` decides whether one can be
made): render the edited notes as a full build would, their own pages, their fragments spliced
into the pages that show them, and the search index's changed files. Imported only when a note's
text changed, so a build whose edited notes read as before imports no renderer."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..plan import PlannedNote
from ..render.cache import RenderJob, job_key, settings_key
from ..render.markdown import Renderer
from ..tokens import terms
from ..version import __version__
from . import records, state
from .connected import page_parts, related_unchanged, scored_terms
from .context import ROOT, NoteOutput, Site, _list_entry
from .feeds import entry_bytes
from .fragments import digest_section, feed_entry, note_context
from .lookups import NeedFullBuild, RecordedLookups
from .records import FEED_ENTRY, Fragment, NoteRow, Recipe
from .search_index import SearchRecord, record_terms
from .search_patch import patch_documents
from .writer import SiteWriter


class Replay:
    """Makes what edited notes show, from the build state's records."""

    scored_terms = staticmethod(scored_terms)

    def __init__(self, root: Path, target: Path, con: Any, drafts: bool, last: state.LastBuild) -> None:
        self.root, self.target, self.con, self.drafts, self.last = root, target, con, drafts, last
        self.output = str(target)
        self.memos: dict[str, tuple[dict[Any, Any], dict[Any, Any]]] = {}
        self.df: dict[str, int] | None = None
        """Related notes' document frequencies, once an edit's words need them."""
        self.search_entries: dict[str, tuple[str, ...]] = {}

    # --- the notes ----------------------------------------------------------------------
    def site(self, config: Any, shown: dict[str, NoteRow]) -> Site:
        category_urls: dict[str, str] = {}
        tag_urls: dict[str, str] = {}
        for row in shown.values():
            assert row.item is not None
            category_urls[row.item["category"]] = row.item["category_url"]
            tag_urls.update((t["name"].casefold(), t["url"]) for t in row.item["tags"])
        self.lookups = RecordedLookups({rel: row.answers for rel, row in shown.items()})
        return Site.replay(self.root, config, self.drafts, self.last.report["nav"], self.lookups, category_urls, tag_urls)

    def render(self, site: Site, config: Any, notes: dict[str, Any], shown: dict[str, NoteRow]) -> dict[str, NoteOutput]:
        """Each shown note's output as a full build makes it; NeedFullBuild when it moved more
        than its own pages and fragments."""
        renderer = Renderer(macros=config.macros, allow_html=config.allow_html)
        settings = settings_key(config.macros, config.allow_html, __version__)
        for rel, row in shown.items():
            url, anchor = row.page  # type: ignore[misc]
            note = notes[rel]
            job = RenderJob(job_key(note.digest_hash, anchor), note.body, anchor)
            renderer._code_cache, renderer._math_cache = dict(row.memo[0]), dict(row.memo[1])
            rendered = renderer.render(job.body, id_prefix=job.anchor)  # as the render cache's workers do
            text_terms = "\n".join(sorted(terms(rendered.text)))
            self.memos[rel] = tuple({key: value for key, value in cache.items() if key[0] in note.body}  # type: ignore[assignment]
                                    for cache in (renderer._code_cache, renderer._math_cache))
            try:
                site.add_note(PlannedNote(note, url, anchor), rendered, settings + job.key, text_terms)
            except NeedFullBuild as new:
                raise NeedFullBuild(f"{rel}: its links or images changed ({new})") from None
            output, record = site.outputs[rel], site.note_records[rel]
            old = row.record
            assert old is not None and row.item is not None
            if (record.media, record.looked_up, record.links_out) != (old.media, old.looked_up, old.links_out):
                raise NeedFullBuild(f"{rel}: its links or images changed")
            scored = scored_terms(output)
            if scored != row.terms:
                if self.df is None:
                    self.df = records.load_df(self.con, self.output)
                if not related_unchanged(note.title, row.terms, scored, self.df, int(self.last.report["notes"])):
                    raise NeedFullBuild(f"{rel}: it gained or lost words that related notes are scored by")
            if _without_excerpt(output.item) != _without_excerpt(row.item):
                raise NeedFullBuild(f"{rel}: what lists show of it changed")
            if output.item["excerpt"] != row.item["excerpt"] and _own_templates(self.root):
                raise NeedFullBuild(f"{rel}: its excerpt changed and the notebook has its own templates")
        return site.outputs

    def note_pages(self, site: Site, changed: set[str], outputs: dict[str, NoteOutput], rows: dict[str, NoteRow],
                    files: dict[str, bytes | None]) -> None:
        """Each changed note's own page, rendered as a full build renders it."""
        others = {rel for r in changed for rel in _neighbours(rows[r])} - set(outputs)
        items = {rel: row.item for rel, row in records.rows_of(self.con, self.output, others).items() if row.item}
        items.update({rel: output.item for rel, output in outputs.items()})
        for rel in sorted(changed):
            row, output = rows[rel], outputs[rel]
            assert row.neighbours is not None and row.page is not None
            before, after, linked_from, related = row.neighbours
            try:
                context = note_context(output.item, output.html, row.page[1], items[before] if before else None,
                                       items[after] if after else None, page_parts(linked_from, related, items.__getitem__))
            except KeyError:
                raise NeedFullBuild(f"{rel}: a note its page shows was not recorded") from None
            url = row.page[0]
            files[url + "index.html"] = site.render_page(url, "note.html", output.item["title"], context).encode("utf-8")

    def fragments(self, site: Site, writer: SiteWriter, changed: set[str], rows: dict[str, NoteRow],
                   files: dict[str, bytes | None], recipes: dict[str, Recipe]) -> None:
        """Each page showing a changed note, with the note's fragments replaced."""
        base = site.config.base_url.rstrip("/") + "/"
        draft = site.language.gettext("draft")
        made: dict[tuple[str, str, str], bytes] = {}

        def fragment(rel: str, kind: str, root: str) -> bytes:
            if (rel, kind, root) not in made:
                row = rows[rel]
                assert row.page is not None
                planned = PlannedNote(site.outputs[rel].planned.note, *row.page)
                if kind == FEED_ENTRY:
                    made[(rel, kind, root)] = entry_bytes(site.config.base_url, feed_entry(site, planned, base))
                elif kind.startswith("section:"):
                    text = digest_section(site, planned, kind.removeprefix("section:"))
                    made[(rel, kind, root)] = text.replace(ROOT, root).encode("utf-8")
                else:
                    text = _list_entry(site.outputs[rel].item, kind == records.entry_kind(True), draft)
                    made[(rel, kind, root)] = text.replace(ROOT, root).encode("utf-8")
            return made[(rel, kind, root)]

        for page, recipe in records.recipes_showing(self.con, self.output, changed).items():
            if recipe.fragments is None:
                raise NeedFullBuild(f"{page} shows notes in a way only a full build can make")
            if not writer.live_matches(page, recipe.digest):
                raise NeedFullBuild(f"{page} is not the file the last build recorded")
            with open(writer.target(page), "rb") as handle:
                data = handle.read()
            pieces, fragments, at, shift = [], [], 0, 0
            for part in recipe.fragments:
                new = fragment(part.rel, part.kind, recipe.root) if part.rel in changed else data[part.start:part.end]
                pieces += [data[at:part.start], new]
                at = part.end
                fragments.append(Fragment(part.rel, part.kind, part.start + shift, part.start + shift + len(new)))
                shift += len(new) - (part.end - part.start)
            pieces.append(data[at:])
            remade = b"".join(pieces)
            if remade != data:
                files[page] = remade
                recipes[page] = Recipe(records.sha1(remade), recipe.root, tuple(fragments))

    def search(self, changed: set[str], outputs: dict[str, NoteOutput], rows: dict[str, NoteRow],
                files: dict[str, bytes | None]) -> None:
        changes = []
        for rel in sorted(changed):
            row, output = rows[rel], outputs[rel]
            if row.search is None:
                raise NeedFullBuild(f"{rel}: not in the search index")
            note, url = output.planned.note, output.planned.url
            record = SearchRecord(id=url, url=url, title=output.item["title"], date=note.date.isoformat(),
                                  category=note.category, tags=note.tags, text=output.text, fingerprint=output.key,
                                  text_terms=output.text_terms)
            if row.search[0] != record.fingerprint:
                before = dataclasses.replace(record, text="", text_terms=row.terms)  # title and tags as they were
                changes.append(((row.search[0], row.search[1], record_terms(before)), record))
        if not changes:
            return
        patched = patch_documents(changes, int(self.last.report["notes"]), self._read_index)
        if patched is None:
            raise NeedFullBuild("the search index needs a full build (a document would move, or its layout changed)")
        made, entries = patched
        by_url = {outputs[rel].planned.url: rel for rel in changed}
        self.search_entries = {by_url[url]: entry[:2] for url, entry in entries.items()}
        for rel, data in made.items():
            if data != self._read_index(rel):
                files[f"search/{rel}"] = data

    def _read_index(self, rel: str) -> bytes | None:
        try:
            with open(os.path.join(self.output, "search", rel), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None



def _neighbours(row: NoteRow) -> Iterable[str]:
    assert row.neighbours is not None
    before, after, linked_from, related = row.neighbours
    return [rel for rel in (before, after) if rel] + [*linked_from, *related]


def _without_excerpt(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "excerpt"}


def _own_templates(root: Path) -> bool:
    folder = root / "templates"
    return folder.is_dir() and any(folder.iterdir())
