"""A whole build: gather → plan → render → write, top to bottom (`build.build_site` calls it
when the build state says something changed).

Pages are rendered while they are written: the writer stages each new or changed file in a
pending folder beside the output, and only once every page is staged does it move them into the
live site (see site/writer.py). So a build that fails at any step before that leaves the previous
site as it was, and its pending folder is removed.
"""
from __future__ import annotations

import functools
import hashlib
import multiprocessing
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .. import cachefiles
from ..version import __version__
from ..errors import BuildError
from ..memory import give_back
from ..notes import cache_dir, load_notebook
from ..parallel import in_order, worker_count
from .context import Lazy, Site, input_key
from .result import BuildResult
from .pages import theme_fingerprint
from ..pipeline import prepare
from .steps import INDEX_CACHE_VERSION, STEPS, add_feeds, add_search_index
from .manifest import manifest_of
from .writer import SiteWriter
from .connected import scored_terms
from .records import NoteRow, body_key, note_meta


def assemble_site(root: Path, target: Path, *, drafts: bool, strict: bool, workers: int | None,
                  progress: Callable[[str, int, int], None] | None, later: list[Callable[[], None]] | None,
                  recorded: tuple[dict[str, str], set[str]] | None = None) -> tuple[BuildResult, Site]:
    """Load, plan, render and write the site; the result and what the build knew (its `Site`).
    `recorded`: the file hash of each page's recipe in the build state (a page whose file no
    longer matches its recipe is made again, so that its recipe is recorded) and the files quick
    builds rewrote (made again: their page keys are out of date)."""
    started = time.perf_counter()
    notebook = load_notebook(root)
    root = notebook.root
    prepared = prepare(notebook, drafts=drafts, workers=workers,
                       progress=functools.partial(progress, "rendering notes") if progress else None)
    plan, render_cache, jobs, rendered = prepared.plan, prepared.cache, prepared.jobs, prepared.rendered
    result = BuildResult(out=target, notes=len(plan.notes), drafts=drafts)
    config = notebook.config
    cache_folder = cache_dir(root)
    result.cache_hits = render_cache.hits

    # A build of its own (`tilbook build`, not a preview server's) writes its render cache and index
    # state as soon as they are complete and lets go of them: the next build is another process.
    # What the memory of a 100,000-note build is made of: docs/performance.md, "Memory".
    once = later is None
    used = {job.key for job in jobs}
    if once:
        render_cache.save(used)
    site = Site(notebook, plan, drafts)
    site.fingerprint = input_key(__version__, theme_fingerprint(root), config.fingerprint(), drafts, site.nav)
    for planned, output, job in zip(plan.notes, rendered, jobs):
        # same settings, same note: same HTML
        site.add_note(planned, output, render_cache.settings + job.key, render_cache.text_terms.get(job.key, ""))
    if once:
        render_cache.forget()  # the site holds what it shows of each note (its HTML in its spill file)
    # The notes' texts and terms are read by related notes and the search index only: both are made
    # now, before the pages are planned, and the texts dropped (~3 KB a note).
    site.connections.related(site.outputs)
    index_cache = _load_index_cache(cache_folder)
    index_changed = add_search_index(site, index_cache)
    for note_output in site.outputs.values():
        note_output.text = ""  # its terms stay: the build state records them (`NoteRow.terms`)
    site.index_docs = {url: entry[:2] for url, entry in index_cache.get("docs", {}).items()}
    if once:
        if index_changed:
            _save_index_cache(cache_folder, index_cache)
        cachefiles.forget(_index_cache_path(cache_folder))
        index_cache.clear()  # its files stay, as the site's search/ files
    give_back()  # what the render cache, the texts and the index's making held (see memory.py)
    for step in STEPS:
        step(site)
    add_feeds(site)
    result.warnings = site.warnings
    result.notices = [site.connections.notice] if site.connections.notice else []
    if strict and site.warnings:
        raise BuildError(f"{len(site.warnings)} warnings and --strict: nothing was written",
                         hint="fix them, e.g. " + str(site.warnings[0]))

    manifest = manifest_of(cache_folder, target)
    for pickled in cache_folder.glob("site-manifest-*.pickle"):  # where the manifest was kept before 7f40982
        pickled.unlink(missing_ok=True)
    previous_keys = _load_page_keys(cache_folder, target)
    recipe_digests, rewritten = recorded if recorded is not None else (None, set())
    page_keys: dict[str, str] = {}
    saves: list[Callable[[], None]] = []
    with SiteWriter(target, manifest) as writer:
        writer.save_manifest_on_commit = later is None
        rels = sorted(site.files)
        kept: set[str] = set()
        spread: list[str] = []
        for rel in rels:
            item = site.files[rel]
            if isinstance(item, Lazy):
                page_keys[rel] = item.key
                if previous_keys.get(rel) == item.key and rel not in rewritten and (
                        not item.recorded or recipe_digests is None or recipe_digests.get(rel) == writer.recorded_digest(rel)
                ) and writer.keep(rel):
                    kept.add(rel)
                elif item.spread:
                    spread.append(rel)
        made = _made_in_workers(site.files, spread, worker_count(workers))
        try:
            ready = next(made, None)  # the workers start now, before the writer's threads do
            for done, rel in enumerate(rels, 1):
                if progress and done % 256 == 0:
                    progress("writing pages", done, len(site.files))
                if rel in kept:
                    continue
                item = site.files[rel]
                if isinstance(item, Lazy):
                    if ready is not None and ready[0] == rel:
                        item, ready = ready[1], next(made, None)
                    else:
                        item = item.make()
                writer.write(rel, item)
        finally:
            made.close()
        for rel in sorted(site.media):
            writer.copy(rel, site.media[rel])
        result.removed = writer.commit(drafts=drafts, info={"generator": "tilbook", "version": __version__,
                                                             "drafts": drafts})
        result.changed, result.unchanged = writer.changed, writer.unchanged
    site.entries.clear()  # the list entries were for the pages: the caches and records saved next reuse them
    give_back()
    if later is not None:
        saves.append(writer.save_manifest)
    saves.append(functools.partial(_save_page_keys, cache_folder, target, page_keys))
    if not once:
        saves.append(functools.partial(render_cache.save, used))
        if index_changed:
            saves.append(functools.partial(_save_index_cache, cache_folder, index_cache))
    if later is None:
        for save in saves:
            save()
    else:
        later.extend(saves)
    result.pages = sum(1 for rel in site.files if rel.endswith(".html"))
    result.seconds = time.perf_counter() - started
    return result, site


def note_rows(site: Site) -> Iterator[tuple[str, NoteRow]]:
    """What the build state records of every note of the notebook (`site/records.py`), one note
    at a time (a row is ~3 KB: the build state takes them as they come)."""
    answers = site.connections.lookups.answers
    order = {p.note.rel: i for i, p in enumerate(site.plan.notes)}
    for note in site.notebook.notes:
        planned = site.plan.by_rel.get(note.rel)
        meta = note_meta(note)
        if planned is None:
            yield note.rel, NoteRow(meta, None, None, "", None, {}, "", None, None, -1, body_key(note))
            continue
        output = site.outputs[note.rel]
        yield note.rel, NoteRow(meta, (planned.url, planned.anchor), output.item, output.key, site.note_records[note.rel],
                                answers.get(note.rel, {}), scored_terms(output), site.index_docs.get(planned.url),
                                site.note_pages.get(note.rel), order[note.rel], body_key(note))


def warning_groups(site: Site) -> list[list[Any]]:
    """The build's warnings by note in build order (`records.warning_groups`' form)."""
    return [[order, p.note.rel, [list(w) for w in site.note_records[p.note.rel].warnings]]
            for order, p in enumerate(site.plan.notes) if site.note_records[p.note.rel].warnings]


PARALLEL_PAGES = 2000
"""From this many note pages to render, Jinja runs in worker processes too."""
PAGES_PER_CHUNK = 100
"""Note pages a worker makes per task (~1 MB of HTML)."""
CHUNKS_AHEAD = 4
"""Tasks per worker made ahead of the writer, at most: made pages wait in memory only that long."""
_files_for_workers: dict[str, bytes | Lazy] = {}
"""The build's planned files, as forked page workers inherit them."""


def _make_in_worker(rels: list[str]) -> list[bytes]:
    return [item.make() for rel in rels for item in [_files_for_workers[rel]] if isinstance(item, Lazy)]


def _made_in_workers(files: dict[str, bytes | Lazy], rels: list[str], workers: int
                     ) -> Generator[tuple[str, bytes], None, None]:
    """Note pages rendered by forked workers that inherit this build's state (nothing to send but
    names, since templates and contexts are already in memory), as (rel, page) in the order of
    `rels`, made a few chunks ahead of the writer that takes them (made all at once, they held
    every note page of the site in memory until written: ~780 MB at 100,000 notes); nothing when
    too few or no `fork`. Close the iterator when done: that ends the workers."""
    global _files_for_workers
    if len(rels) < PARALLEL_PAGES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    chunks = [rels[i:i + PAGES_PER_CHUNK] for i in range(0, len(rels), PAGES_PER_CHUNK)]
    _files_for_workers = files
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk, pages in in_order(pool, _make_in_worker, chunks, ahead=workers * CHUNKS_AHEAD):
                yield from zip(chunk, pages)
    finally:
        _files_for_workers = {}


def _keys_path(folder: Path, target: Path) -> Path:
    return folder / f"page-keys-{hashlib.sha1(str(target).encode()).hexdigest()[:12]}.pickle"


def _load_page_keys(folder: Path, target: Path) -> dict[str, str]:
    keys = cachefiles.load(_keys_path(folder, target))
    return keys if isinstance(keys, dict) else {}  # no keys: every page is rendered


def _save_page_keys(folder: Path, target: Path, keys: dict[str, str]) -> None:
    cachefiles.save(_keys_path(folder, target), keys)


def _index_cache_path(folder: Path) -> Path:
    return folder / "site-index.pickle"


def _load_index_cache(folder: Path) -> dict[str, Any]:
    """The search index state (a copy of the top level: the loaded object may be shared)."""
    loaded = cachefiles.load(_index_cache_path(folder))
    return dict(loaded) if isinstance(loaded, dict) and loaded.get("version") == INDEX_CACHE_VERSION else {}


def _save_index_cache(folder: Path, cache: dict[str, Any]) -> None:
    cachefiles.save(_index_cache_path(folder), cache)
