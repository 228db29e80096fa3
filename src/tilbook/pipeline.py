"""The one way from note files to rendered notes: load → plan → render (cached).

`build`, `check` and the database export all start here, so a note is parsed, planned and
rendered the same way everywhere, and what one of them rendered the others find in the cache.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Note, Notebook
from .notes import cache_dir, load_notebook
from .plan import SitePlan, make_plan, note_anchor
from .render.cache import RenderCache, RenderJob, job_key, render_all, settings_key
from .related import LIMIT as RELATED_LIMIT
from .related import RelatedIndex, note_doc
from .render.markdown import Rendered
from .tokens import terms
from .version import __version__


@dataclass(slots=True)
class RenderedNotes:
    """Notes rendered through the shared cache, in the order asked for."""

    cache: RenderCache
    jobs: list[RenderJob]
    rendered: Sequence[Rendered]
    """Made from the cache as they are read (`render.cache.RenderedView`)."""

    def save_cache(self, *, keep_others: bool = True) -> None:
        """Write back the render cache (keeping entries this run did not use, unless told not to)."""
        used = {job.key for job in self.jobs}
        self.cache.save(used | set(self.cache.entries) if keep_others else used)


@dataclass(slots=True)
class Prepared(RenderedNotes):
    """A notebook with its plan and every planned note rendered, in plan order."""

    notebook: Notebook
    plan: SitePlan


def render_notes(notebook: Notebook, notes: Sequence[Note], *, anchors: Sequence[str] | None = None,
                 workers: int | None = None, progress: Callable[[int, int], None] | None = None) -> RenderedNotes:
    """Render `notes` (each with its page anchor), taking what the cache holds."""
    config = notebook.config
    cache = RenderCache(cache_dir(notebook.root), settings_key(config.macros, config.allow_html, __version__))
    anchors = anchors if anchors is not None else [note_anchor(n) for n in notes]
    jobs = [RenderJob(job_key(n.digest_hash, anchor), n.body, anchor) for n, anchor in zip(notes, anchors)]
    rendered = render_all(jobs, cache, macros=config.macros, allow_html=config.allow_html, workers=workers,
                          progress=progress)
    return RenderedNotes(cache, jobs, rendered)


def prepare(root: Path | Notebook, *, drafts: bool, workers: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> Prepared:
    """Load, plan (BuildError on a URL collision), and render what the cache does not hold;
    drafts are planned only when asked for."""
    notebook = root if isinstance(root, Notebook) else load_notebook(root)
    plan = make_plan(notebook, drafts=drafts)
    done = render_notes(notebook, [p.note for p in plan.notes], anchors=[p.anchor for p in plan.notes],
                        workers=workers, progress=progress)
    return Prepared(done.cache, done.jobs, done.rendered, notebook, plan)


def related_notes(notebook: Notebook, note: Note, *, drafts: bool = False,
                  limit: int = RELATED_LIMIT) -> list[tuple[Note, float]]:
    """The notes most like `note` among the published ones (drafts too when asked), scored as the
    site's "Related notes" are (`related.py`), best first."""
    notes = [n for n in notebook.visible_notes(drafts=drafts) if n.rel != note.rel] + [note]
    done = render_notes(notebook, notes)
    docs = [note_doc(n, done.cache.text_terms.get(job.key, "").split("\n") if done.cache.text_terms.get(job.key)
                     else terms(rendered.text)) for n, job, rendered in zip(notes, done.jobs, done.rendered)]
    try:
        done.save_cache()
    except OSError:  # a read-only notebook still answers
        pass
    by_rel = {n.rel: n for n in notes}
    return [(by_rel[r.key], r.score) for r in RelatedIndex(docs).related(note.rel, limit)]
