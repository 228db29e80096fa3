"""A quick build: a few notes were edited and nothing else changed, so only what they show is
made again (an edit costs what the note costs, not what the notebook costs).

It reads the edited notes; one that reads as before (its file changed, not what it says) only
has its stat recorded, without importing any renderer. The others are made by `site/replay.py`,
from what the build state (`site/records.py`) says about where they are shown: their own pages
are rendered again, and their fragments (list entries, digest sections, feed entries) are
replaced in the live pages, whose bytes the recipes say. The search index gets the terms each
note gained or lost. Whatever a quick build cannot do exactly as a
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

import pickle
import sqlite3
import time
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import BuildError, TilbookError
from ..notes import load_note
from ..paths import CONFIG_NAME, NOTES_DIR
from ..version import __version__
from . import records, state
from .lookups import NeedFullBuild
from .notestats import Unreadable
from .records import NoteRow, Recipe
from .result import BuildResult, BuildWarning
from .manifest import manifest_of
from .writer import SiteWriter

MAX_NOTES = 16
"""More edited notes than this: a full build (it is then about as quick)."""


def quick_build(root: Path, target: Path, cache: Path, *, drafts: bool, strict: bool, inputs: state.Inputs,
                last: state.LastBuild) -> BuildResult | str:
    """Re-make what the edited notes show, or say why only a full build can (see the module)."""
    edited = []
    for bucket in inputs.notes.differing(last.notes):
        try:
            before, now = last.notes.entries(bucket), inputs.notes.entries(bucket)
        except Unreadable:
            return "the build state's note stats could not be read"
        if before.keys() != now.keys():
            return "notes were added, deleted or renamed"
        edited += [f"{NOTES_DIR}/{rel}" for rel, stat in now.items() if before[rel] != stat]
    edited.sort()
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
        shown = {rel: rows[rel] for rel in edited if rows[rel].page is not None
                 and records.body_key(notes[rel]) != rows[rel].body}  # else its file changed, not what it says
        if not shown:
            state.record(self.cache, self.target, drafts=self.drafts, inputs=inputs, extra=map(Path, self.last.extra),
                         report=self.last.report, con=self.con)
            return self._result(self.last.report, 0, 0, [BuildWarning(*w) for w in self.last.report["warnings"]], started)
        from .replay import Replay  # the heavy part: renderer, templates, search index
        replay = self.replay = Replay(self.root, self.target, self.con, self.drafts, self.last)
        site = replay.site(config, shown)
        outputs = replay.render(site, config, notes, shown)
        new_rows = {rel: rows[rel] for rel in edited}
        files: dict[str, bytes | None] = {}
        recipes: dict[str, Recipe] = {}
        with SiteWriter(self.target, manifest_of(self.cache, self.target, self.con), partial=True) as writer:
            changed = {rel for rel in shown if outputs[rel].key != rows[rel].key}
            if changed:
                replay.note_pages(site, changed, outputs, rows, files)
                replay.fragments(site, writer, changed, rows, files, recipes)
                replay.search(changed, outputs, rows, files)
            for rel in shown:
                row, output = rows[rel], outputs[rel]
                new_rows[rel] = row._replace(item=output.item, key=output.key, record=site.note_records[rel],
                                             body=records.body_key(notes[rel]),
                                             terms=replay.scored_terms(output), memo=replay.memos[rel],
                                             answers=replay.lookups.asked_by[rel],
                                             search=replay.search_entries.get(rel, row.search))
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
            if replay.df is not None:
                records.save_df(con, self.output, replay.df)
            records.replace_recipes(con, self.output, recipes, same_notes=True)
            records.mark_rewritten(con, self.output, files)

        state.record(self.cache, self.target, drafts=self.drafts, inputs=inputs, extra=map(Path, self.last.extra),
                     report=report, also=also, con=self.con)
        return self._result(report, written, len(shown), warnings, started)

    def _result(self, report: dict[str, Any], written: int, rendered: int, warnings: list[BuildWarning],
                started: float) -> BuildResult:
        pages, notes = int(report["pages"]), int(report["notes"])
        return BuildResult(out=self.target, notes=notes, pages=pages, changed=written, unchanged=pages - written,
                           cache_hits=notes - rendered, seconds=time.perf_counter() - started, drafts=self.drafts,
                           warnings=warnings, notices=list(report.get("notices", [])), quick=True)

def _warnings(report: dict[str, Any], rows: dict[str, NoteRow]) -> list[BuildWarning]:
    groups = records.warning_groups_update(report, rows)
    return [BuildWarning(*w) for _, _, warnings in groups for w in warnings]
