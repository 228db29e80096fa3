"""A quick build: a few notes were edited and nothing else changed, so only what they show is
made again (an edit costs what the note costs, not what the notebook costs).

It reads the edited notes, renders them, and asks the build state (`site/records.py`) where
they are shown: their own pages are rendered again, and their fragments (list entries, digest
sections, feed entries) are replaced in the live pages, whose bytes the recipes say. The search
index gets the terms each note gained or lost. Whatever a quick build cannot do exactly as a
full build would, it declines (returns None, and `build_site` does a full build):
- a note was added, deleted or renamed, or its front matter fields (date, category, tags, title,
  slug, draft…) changed: the plan of the site moves;
- its links, images or what related notes are scored from changed (backlinks and related notes
  of other notes move), or it asks about a note the last build was not asked about;
- a page that shows it has no usable recipe (an overridden template changed the entries, or
  the live file is not the one recorded), or its excerpt changed and the notebook has its own
  templates (a template could show the excerpt anywhere).
Like a full build it drops the build state before touching the site and records it after, so a
kill leaves the next build a full one.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import BuildError, TilbookError
from ..notes import load_note
from ..paths import CONFIG_NAME, NOTES_DIR
from ..plan import PlannedNote
from ..render.cache import RenderJob, _rendered_with_terms, job_key, settings_key
from ..render.markdown import Renderer
from ..version import __version__
from . import records, state
from .connected import page_parts, related_unchanged, scored_terms
from .context import ROOT, NoteOutput, Site, _list_entry
from .feeds import entry_bytes
from .lookups import NeedFullBuild, RecordedLookups
from .records import FEED_ENTRY, Fragment, NoteRow, Recipe
from .result import BuildResult, BuildWarning
from .search_index import SearchRecord, patch_documents
from .fragments import digest_section, feed_entry, note_context
from .writer import SiteWriter, manifest_path

MAX_NOTES = 16
"""More edited notes than this: a full build (it is then about as quick)."""


def quick_build(root: Path, target: Path, cache: Path, *, drafts: bool, strict: bool, inputs: state.Inputs,
                last: state.LastBuild) -> BuildResult | str:
    """Re-make what the edited notes show, or say why only a full build can (see the module)."""
    if set(inputs.notes) != set(last.notes):
        return "notes were added, deleted or renamed"
    edited = sorted(f"{NOTES_DIR}/{rel}" for rel, stat in inputs.notes.items() if last.notes[rel] != stat)
    if not edited or len(edited) > MAX_NOTES:
        return f"{len(edited)} notes changed"
    started = time.perf_counter()
    con = state.connect(cache)
    try:
        con.executescript(records.SCHEMA)
        quick = _Quick(root, target, cache, con, drafts, last)
        return quick.build(edited, inputs, strict, started)
    except NeedFullBuild as why:
        return str(why)
    except (sqlite3.Error, pickle.UnpicklingError) as error:
        return f"the build state could not be read ({error})"
    finally:
        con.close()


class _Quick:
    def __init__(self, root: Path, target: Path, cache: Path, con: Any, drafts: bool, last: state.LastBuild) -> None:
        self.root, self.target, self.cache, self.con, self.drafts, self.last = root, target, cache, con, drafts, last
        self.output = str(target)
        self.memos: dict[str, tuple[dict[Any, Any], dict[Any, Any]]] = {}
        self.df: dict[str, int] | None = None
        """Related notes' document frequencies, once an edit's words need them."""

    def build(self, edited: list[str], inputs: state.Inputs, strict: bool, started: float) -> BuildResult:
        rows = records.rows_of(self.con, self.output, edited)
        if len(rows) != len(edited):
            raise NeedFullBuild("a note the last build did not record")
        config = load_config(self.root / CONFIG_NAME)
        notes = {}
        for rel in edited:
            try:
                note = load_note(self.root, config, self.root / rel)
            except TilbookError:
                raise NeedFullBuild(f"{rel} cannot be read: a full build reports it") from None
            if records.note_meta(note) != rows[rel].meta:
                raise NeedFullBuild(f"{rel}: its front matter or title changed")
            notes[rel] = note
        shown = {rel: rows[rel] for rel in edited if rows[rel].page is not None}
        site = self._site(config, shown)
        outputs = self._render(site, config, notes, shown)
        new_rows = {rel: rows[rel] for rel in edited}
        files: dict[str, bytes | None] = {}
        recipes: dict[str, Recipe] = {}
        with SiteWriter(self.target, manifest_path(self.cache, self.target), partial=True) as writer:
            changed = {rel for rel in shown if outputs[rel].key != rows[rel].key}
            if changed:
                self._note_pages(site, changed, outputs, rows, files)
                self._fragments(site, writer, changed, rows, files, recipes)
                self._search(changed, outputs, rows, files)
            for rel in shown:
                row, output = rows[rel], outputs[rel]
                new_rows[rel] = row._replace(item=output.item, key=output.key, record=site.note_records[rel],
                                             terms=scored_terms(output), memo=self.memos[rel],
                                             answers=self.lookups.asked_by[rel],
                                             search=self.search_entries.get(rel, row.search))
            warnings = _warnings(self.last.report, new_rows)
            if strict and warnings:
                raise BuildError(f"{len(warnings)} warnings and --strict: nothing was written",
                                 hint="fix them, e.g. " + str(warnings[0]))
            state.forget(self.cache, self.target, self.con)
            for rel, data in sorted(files.items()):
                if data is None:
                    writer.remove(rel)
                else:
                    writer.write(rel, data)
            writer.commit(drafts=self.drafts, info={"generator": "tilbook", "version": __version__, "drafts": self.drafts})
            written = writer.changed
        report = dict(self.last.report, warnings=[[w.path, w.line, w.code, w.message] for w in warnings],
                      warning_groups=records.warning_groups_update(self.last.report, new_rows))

        def also(con: Any) -> None:
            records.replace_rows(con, self.output, new_rows)
            if self.df is not None:
                records.save_df(con, self.output, self.df)
            records.replace_recipes(con, self.output, recipes, same_notes=True)
            records.mark_rewritten(con, self.output, files)

        state.record(self.cache, self.target, drafts=self.drafts, inputs=inputs, extra=map(Path, self.last.extra),
                     report=report, also=also, con=self.con)
        pages = int(report["pages"])
        return BuildResult(out=self.target, notes=int(report["notes"]), pages=pages, changed=written,
                           unchanged=pages - written, cache_hits=int(report["notes"]) - len(shown),
                           seconds=time.perf_counter() - started, drafts=self.drafts, warnings=warnings,
                           notices=list(report.get("notices", [])), quick=True)

    # --- the notes ----------------------------------------------------------------------
    def _site(self, config: Any, shown: dict[str, NoteRow]) -> Site:
        category_urls: dict[str, str] = {}
        tag_urls: dict[str, str] = {}
        for row in shown.values():
            assert row.item is not None
            category_urls[row.item["category"]] = row.item["category_url"]
            tag_urls.update((t["name"].casefold(), t["url"]) for t in row.item["tags"])
        self.lookups = _Answers({rel: row.answers for rel, row in shown.items()})
        return Site.replay(self.root, config, self.drafts, self.last.report["nav"], self.lookups, category_urls, tag_urls)

    def _render(self, site: Site, config: Any, notes: dict[str, Any], shown: dict[str, NoteRow]) -> dict[str, NoteOutput]:
        """Each shown note's output as a full build makes it; NeedFullBuild when it moved more
        than its own pages and fragments."""
        renderer = Renderer(macros=config.macros, allow_html=config.allow_html)
        settings = settings_key(config.macros, config.allow_html, __version__)
        for rel, row in shown.items():
            url, anchor = row.page  # type: ignore[misc]
            note = notes[rel]
            job = RenderJob(job_key(note.digest_hash, anchor), note.body, anchor)
            renderer._code_cache, renderer._math_cache = dict(row.memo[0]), dict(row.memo[1])
            rendered, text_terms = _rendered_with_terms(renderer, job)
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

    def _note_pages(self, site: Site, changed: set[str], outputs: dict[str, NoteOutput], rows: dict[str, NoteRow],
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
                                       items[after] if after else None, page_parts(linked_from, related, items))
            except KeyError:
                raise NeedFullBuild(f"{rel}: a note its page shows was not recorded") from None
            url = row.page[0]
            files[url + "index.html"] = site.render_page(url, "note.html", output.item["title"], context).encode("utf-8")

    def _fragments(self, site: Site, writer: SiteWriter, changed: set[str], rows: dict[str, NoteRow],
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

    def _search(self, changed: set[str], outputs: dict[str, NoteOutput], rows: dict[str, NoteRow],
                files: dict[str, bytes | None]) -> None:
        self.search_entries: dict[str, tuple[str, str, str]] = {}
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
                changes.append((row.search, record))
        if not changes:
            return
        patched = patch_documents(changes, int(self.last.report["notes"]), self._read_index)
        if patched is None:
            raise NeedFullBuild("the search index needs a full build (a document would move, or its layout changed)")
        made, entries = patched
        by_url = {outputs[rel].planned.url: rel for rel in changed}
        self.search_entries = {by_url[url]: entry for url, entry in entries.items()}
        for rel, data in made.items():
            if data != self._read_index(rel):
                files[f"search/{rel}"] = data

    def _read_index(self, rel: str) -> bytes | None:
        try:
            with open(os.path.join(self.output, "search", rel), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None


class _Answers(RecordedLookups):
    """Recorded answers; what each note asked this time is kept for its new row."""

    def __init__(self, answers: dict[str, dict[tuple[str, str], Any]]) -> None:
        super().__init__(answers)
        self.asked_by: dict[str, dict[tuple[str, str], Any]] = {}

    def start(self, rel: str) -> None:
        super().start(rel)
        self.asked_by[rel] = self._current


def _neighbours(row: NoteRow) -> Iterable[str]:
    assert row.neighbours is not None
    before, after, linked_from, related = row.neighbours
    return [rel for rel in (before, after) if rel] + [*linked_from, *related]


def _without_excerpt(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "excerpt"}


def _own_templates(root: Path) -> bool:
    folder = root / "templates"
    return folder.is_dir() and any(folder.iterdir())


def _warnings(report: dict[str, Any], rows: dict[str, NoteRow]) -> list[BuildWarning]:
    groups = records.warning_groups_update(report, rows)
    return [BuildWarning(*w) for _, _, warnings in groups for w in warnings]
