"""`tilbook build`: gather → plan → render → write, top to bottom.

Nothing is written until every page is rendered, and the writer swaps the new site in at once, so
a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import html
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from .. import __version__, cachefiles
from ..errors import BuildError
from ..model import Notebook
from ..notes import NOTES_DIR, cache_dir, load_notebook
from ..render.markdown import Rendered
from .calendar import learning_calendar
from .feeds import FEED_SIZE, FeedEntry, absolute, atom_feed, sitemap
from .pages import THEME, make_environment, theme_fingerprint
from .plan import Group, PlannedNote, SitePlan, make_plan
from .rendering import RenderCache, RenderJob, job_key, render_all, settings_key
from .writer import SiteWriter, check_output_folder

_esc = functools.partial(html.escape, quote=True)
"""Escaping for HTML written in Python (markupsafe's escape costs several times more per call)."""
ROOT = "\ue000root\ue000"
SPLICE = "\ue000splice\ue000"
"""Placeholder for the page's relative path to the site root inside cached note HTML."""
EXCERPT_LENGTH = 160
INDEX_CACHE_VERSION = 5


@dataclass(frozen=True, slots=True)
class BuildWarning:
    path: str
    line: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: warning: [{self.code}] {self.message}"


@dataclass(slots=True)
class BuildResult:
    out: Path
    notes: int = 0
    pages: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    drafts: bool = False
    warnings: list[BuildWarning] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.notes} notes, {self.pages} pages ({self.changed} written, {self.unchanged} unchanged, "
                f"{self.removed} removed), {self.cache_hits} cache hits, {len(self.warnings)} warnings, "
                f"{self.seconds:.2f} s")


@dataclass(frozen=True, slots=True)
class Lazy:
    """An output rendered only when its inputs changed since the last build (key = their hash)."""

    key: str
    make: Callable[[], bytes]


def input_key(*parts: object) -> str:
    """Hash of everything an output is made from (reprs of plain data are stable)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class NoteOutput:
    """A note's HTML ready for pages (root placeholder inside) and its plain text."""

    planned: PlannedNote
    html: str
    text: str
    excerpt: str
    item: dict[str, Any] = field(default_factory=dict)
    """What list pages show of the note."""
    key: str = ""
    """Hash of the item, the HTML and the text: what every page and index entry showing this note
    depends on."""


def _excerpt(text: str) -> str:
    flat = " ".join(text[:EXCERPT_LENGTH * 4].split())  # a prefix is enough unless it is mostly blanks
    if len(flat) <= EXCERPT_LENGTH and len(text) > EXCERPT_LENGTH * 4:
        flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"


class _Site:
    """Everything one build needs, so helper steps read as plain functions of the plan."""

    def __init__(self, notebook: Notebook, plan: SitePlan, drafts: bool) -> None:
        self.notebook = notebook
        self.config = notebook.config
        self.plan = plan
        self.drafts = drafts
        self.env = make_environment(notebook.root)
        self.outputs: dict[str, NoteOutput] = {}
        self.media: dict[str, Path] = {}
        self.warnings: list[BuildWarning] = []
        self.files: dict[str, bytes | Lazy] = {}
        self.fingerprint = ""
        """Theme, config, version and navigation: part of every page's key."""
        self.sitemap_urls: list[tuple[str, dt.date | None]] = []
        self.notes_by_path = {n.path: n for n in notebook.notes}
        self.nav = [{"name": g.name, "emoji": g.emoji, "url": g.url} for g in plan.categories]
        self.root = notebook.root.resolve()
        self.category_urls = {g.name: g.url for g in plan.categories}
        self.tag_urls = {g.name.casefold(): g.url for g in plan.tags}
        self.entries: dict[tuple[str, bool], str] = {}
        """List-page entries already written in this build, by (note, with excerpt)."""

    # --- notes -------------------------------------------------------------------------
    def localise(self, planned: PlannedNote, rendered: Rendered) -> str:
        """Point local images and note links at their site URLs; warn about missing ones."""
        note = planned.note
        out = rendered.html
        for warning in rendered.warnings:
            self.warn(note.rel, note.body_line + warning.line - 1, warning.code, warning.message)
        root = self.root
        for src, line in rendered.images:
            target = self._local_target(note.path, src)
            if target is None or not target.is_file():
                self.warn(note.rel, note.body_line + line - 1, "image-missing",
                          f"image {unquote(src)} not found; the page shows a broken image until it is added")
                continue
            out = out.replace(f'src="{html.escape(src)}"', f'src="{ROOT}{self._media(target, root)}"')
        for href, line in rendered.links:
            parts = urlsplit(href)
            target = self._local_target(note.path, href)
            attr = f'href="{html.escape(href)}"'
            if target is None:
                continue
            linked = self.notes_by_path.get(target)
            if linked is not None:
                planned_target = self.plan.by_rel.get(linked.rel)
                if planned_target is None:  # a draft in a published build: keep the text, drop the link
                    self.warn(note.rel, note.body_line + line - 1, "link-draft",
                              "links to a draft note; the link is left out of the published page")
                    out = re.sub(rf'<a {re.escape(attr)}[^>]*>(.*?)</a>', r"\1", out, flags=re.S)
                    continue
                fragment = f"#{planned_target.anchor}-{parts.fragment}" if parts.fragment else ""
                out = out.replace(attr, f'href="{ROOT}{planned_target.url}{fragment}"')
            elif target.is_file():
                out = out.replace(attr, f'href="{ROOT}{self._media(target, root)}"')
            else:
                self.warn(note.rel, note.body_line + line - 1, "link-broken", f"link target {unquote(href)} not found")
        return out

    def _local_target(self, note_path: Path, ref: str) -> Path | None:
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        target = (note_path.parent / unquote(parts.path)).resolve()
        return target if target.is_relative_to(self.root) else None

    def _media(self, target: Path, root: Path) -> str:
        notes_dir = (root / NOTES_DIR).resolve()
        base = notes_dir if target.is_relative_to(notes_dir) else root
        rel = "media/" + target.relative_to(base).as_posix()
        self.media[rel] = target
        return html.escape(rel)

    def warn(self, path: str, line: int | None, code: str, message: str) -> None:
        self.warnings.append(BuildWarning(path, line, code, message))

    # --- pages -------------------------------------------------------------------------
    def add_note(self, planned: PlannedNote, rendered: Rendered, render_key: str) -> None:
        """The note's HTML for pages, what list pages show of it, and the key of both
        (`render_key` stands for the rendered HTML and text when localising changed nothing)."""
        note = planned.note
        body = self.localise(planned, rendered)
        excerpt = _excerpt(rendered.text)
        item = {"title": note.title, "url": planned.url, "date": note.date, "category": note.category,
                "emoji": self.config.emoji(note.category), "category_url": self.category_urls[note.category],
                "excerpt": excerpt, "draft": note.draft,
                "tags": [{"name": t, "url": self.tag_urls[t.casefold()]} for t in note.tags if t.casefold() in self.tag_urls]}
        digest = hashlib.blake2b(repr(item).encode("utf-8", "surrogatepass"), digest_size=16)
        if body is rendered.html:
            digest.update(render_key.encode())
        else:
            digest.update(body.encode("utf-8", "surrogatepass"))
            digest.update(rendered.text.encode("utf-8", "surrogatepass"))
        self.outputs[note.rel] = NoteOutput(planned, body, rendered.text, excerpt, item, digest.hexdigest())

    def item(self, planned: PlannedNote) -> dict[str, Any]:
        return self.outputs[planned.note.rel].item

    def entries_html(self, notes: Iterable[PlannedNote], excerpts: bool = True) -> Markup:
        """The `<li>` entries of a note list (newest first is the caller's order)."""
        parts = []
        for planned in notes:
            cached = self.entries.get((planned.note.rel, excerpts))
            if cached is None:
                cached = self.entries[(planned.note.rel, excerpts)] = _list_entry(self.item(planned), excerpts)
            parts.append(cached)
        return Markup("".join(parts))

    def keys(self, notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[str]:
        return [self.outputs[p.note.rel].key for p in notes]

    def page(self, rel_url: str, template: str, *, title: str, key: object,
             context: Callable[[], dict[str, Any]], lastmod: dt.date | None = None,
             splice: Callable[[str], list[bytes]] | None = None) -> None:
        """Plan a template render to `rel_url` (a folder URL gets index.html). `key` holds (small)
        everything the page shows; the context is only built when the page must be rendered.
        `splice(root)` makes the encoded HTML that replaces the SPLICE marker after rendering, so a
        page many megabytes long (a digest) is neither pushed through the template engine nor held
        as text and bytes at once."""
        path = rel_url + "index.html" if rel_url.endswith("/") or rel_url == "" else rel_url
        root = "../" * path.count("/")

        def make() -> bytes:
            base = {
                "site": self.config, "root": root, "page_title": title, "drafts": self.drafts,
                "canonical": absolute(self.config.base_url, rel_url), "page_url": rel_url,
                "nav_categories": self.nav, "feed_url": "feed.xml", "version": __version__,
            }
            text = self.env.get_template(template).render(**base, **context()).replace(ROOT, root)
            if splice is None:
                return text.encode("utf-8")
            head, marker, tail = text.partition(SPLICE)
            if not marker:  # an overridden template that leaves the spliced part out
                return text.encode("utf-8")
            return b"".join([head.encode("utf-8"), *splice(root), tail.encode("utf-8")])

        self.files[path] = Lazy(input_key(self.fingerprint, template, rel_url, title, key), make)
        if path.endswith(".html") and path != "404.html":
            self.sitemap_urls.append((rel_url, lastmod))


def _note_pages(site: _Site) -> None:
    notes = site.plan.notes
    for index, planned in enumerate(notes):
        note = planned.note
        before = notes[index - 1] if index > 0 else None
        after = notes[index + 1] if index + 1 < len(notes) else None
        neighbours = [site.outputs[p.note.rel].key if p else None for p in (before, after)]

        def context(planned: PlannedNote = planned, before: PlannedNote | None = before,
                    after: PlannedNote | None = after) -> dict[str, Any]:
            output = site.outputs[planned.note.rel]
            return {"note": output.item, "body": Markup(output.html), "anchor": planned.anchor,
                    "prev": site.item(before) if before else None, "next": site.item(after) if after else None}

        site.page(planned.url, "note.html", title=note.title, lastmod=note.updated or note.date,
                  key=(site.outputs[note.rel].key, planned.anchor, neighbours), context=context)


def _group_pages(site: _Site) -> None:
    for group in site.plan.categories:
        site.page(group.url, "list.html", title=f"{group.emoji} {group.name}".strip(),
                  key=(site.keys(group.notes), "category"),
                  context=functools.partial(_group_context, site, group, "category", f"digest/{group.slug}/"))
    for group in site.plan.tags:
        site.page(group.url, "list.html", title=f"#{group.name}", key=(site.keys(group.notes), "tag"),
                  context=functools.partial(_group_context, site, group, "tag", None))
    categories = [{"name": g.name, "emoji": g.emoji, "url": g.url, "count": len(g.notes)} for g in site.plan.categories]
    tags = [{"name": g.name, "emoji": "", "url": g.url, "count": len(g.notes)} for g in site.plan.tags]
    site.page("categories/", "groups.html", title="Categories", key=(categories,),
              context=lambda: {"kind": "category", "groups": categories})
    site.page("tags/", "groups.html", title="Tags", key=(tags,), context=lambda: {"kind": "tag", "groups": tags})


def _group_context(site: _Site, group: Group, kind: str, digest: str | None) -> dict[str, Any]:
    return {"count": len(group.notes), "entries_html": site.entries_html(reversed(group.notes)), "kind": kind,
            "group": _light(group), "feed": f"{group.url}feed.xml", "digest": digest}


def _list_entry(item: dict[str, Any], excerpts: bool) -> str:
    """One note of a list page (home, category, tag, archive). Written here, not in a template, for
    the reason given at `_digest_section`; the markup is stable: `ol.note-list > li`."""
    root = ROOT
    tags = "".join(f'<a class="tag" href="{root}{_esc(t["url"])}">#{_esc(t["name"])}</a> ' for t in item["tags"])
    draft = '<span class="draft-badge">draft</span>' if item["draft"] else ""
    excerpt = f'\n  <p class="excerpt">{_esc(item["excerpt"])}</p>' if excerpts and item["excerpt"] else ""
    return (f'<li>\n  <a class="note-title" href="{root}{_esc(item["url"])}">{_esc(item["title"])}</a>\n'
            f'  <p class="meta"><time datetime="{item["date"].isoformat()}">{item["date"].strftime("%Y.%m.%d")}</time>\n'
            f'<a class="category" href="{root}{_esc(item["category_url"])}">{_esc(item["emoji"])} '
            f'{_esc(item["category"])}</a>\n{tags}\n{draft}</p>{excerpt}\n</li>\n')


def _light(group: Group) -> dict[str, str]:
    """What templates show of a group (not its notes)."""
    return {"name": group.name, "emoji": group.emoji, "slug": group.slug, "url": group.url}


def _archive(site: _Site) -> None:
    def context() -> dict[str, Any]:
        years: dict[int, dict[int, list[PlannedNote]]] = defaultdict(lambda: defaultdict(list))
        for planned in reversed(site.plan.notes):
            years[planned.note.date.year][planned.note.date.month].append(planned)
        return {"years": [{"year": y, "months": [{"month": m, "count": len(notes),
                                                  "entries_html": site.entries_html(notes, excerpts=False)}
                                                 for m, notes in sorted(months.items(), reverse=True)]}
                          for y, months in sorted(years.items(), reverse=True)]}

    site.page("archive/", "archive.html", title="Archive", key=(site.keys(site.plan.notes),), context=context)


def _digests(site: _Site) -> None:
    """The whole notebook and each category as one long page, in the configured order."""
    reverse = site.plan.digest_order == "desc"

    def ordered(notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[PlannedNote]:
        return list(reversed(notes)) if reverse else list(notes)  # the plan keeps (date, file) order

    def context(group: Group | None) -> dict[str, Any]:
        return {"sections_html": Markup(SPLICE), "group": _light(group) if group else None,
                "order": site.plan.digest_order}

    def sections(notes: list[PlannedNote], style: str, root: str) -> list[bytes]:
        return [_digest_section(site, p, style).replace(ROOT, root).encode("utf-8") for p in notes]

    everything = ordered(site.plan.notes)
    site.page("digest/", "digest.html", title=site.config.title, key=(site.keys(everything), "category"),
              context=functools.partial(context, None), splice=functools.partial(sections, everything, "category"))
    for group in site.plan.categories:
        notes = ordered(group.notes)
        site.page(f"digest/{group.slug}/", "digest.html", title=f"{site.config.title}: {group.name}",
                  key=(site.keys(notes), "date", group.emoji),
                  context=functools.partial(context, group), splice=functools.partial(sections, notes, "date"))


def _digest_section(site: _Site, planned: PlannedNote, style: str) -> str:
    """One note of a digest page. Written here, not in a template: a digest of 10,000 notes is
    rebuilt on every edit and a template loop costs ten times as much (override digest.html for the
    page around the sections; the section markup is stable: `section.digest-note`)."""
    item = site.item(planned)
    url = f"{ROOT}{_esc(item['url'])}"
    day = item["date"].strftime("%Y.%m.%d")
    if style == "date":
        heading = f'<h2><a href="{url}">🗓 {day}</a></h2>\n'
    else:
        label = _esc(f"{item['emoji']} {item['category']}".strip())
        heading = (f'<h2><a href="{url}">{label}</a></h2>\n'
                   f'<p class="meta"><time datetime="{item["date"].isoformat()}">{day}</time></p>\n')
    return (f'<section class="digest-note" id="{_esc(planned.anchor)}">\n{heading}'
            f'<div class="note-body">\n{site.outputs[planned.note.rel].html}</div>\n</section>\n')


def _home(site: _Site) -> None:
    published = site.plan.notes
    recent_notes = list(reversed(published[-site.config.recent:]))
    dates = [p.note.date for p in published]
    categories = [{"name": g.name, "emoji": g.emoji, "url": g.url, "count": len(g.notes)} for g in site.plan.categories]

    def context() -> dict[str, Any]:
        calendar = learning_calendar(dates, language=site.config.language)
        return {"recent_html": site.entries_html(recent_notes), "calendar": calendar,
                "calendar_svg": Markup(calendar.svg), "categories": categories}

    site.page("", "home.html", title=site.config.title, key=(site.keys(recent_notes), dates, categories),
              context=context)
    site.page("search/", "search.html", title="Search", key=(), context=dict)
    site.page("404.html", "404.html", title="Not found", key=(), context=dict)


def _feeds(site: _Site) -> None:
    base = site.config.base_url.rstrip("/") + "/"
    cfg = site.config

    def entries(notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[FeedEntry]:
        newest = sorted(notes, key=lambda p: (p.note.updated or p.note.date, p.note.date, p.url), reverse=True)
        return [FeedEntry(title=p.note.title, url=p.url, published=p.note.date,
                          updated=p.note.updated or p.note.date, category=p.note.category,
                          html=site.outputs[p.note.rel].html.replace(ROOT, base)) for p in newest[:FEED_SIZE]]

    def feed(rel: str, title: str, page_rel: str, notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> None:
        chosen = entries(notes)
        key = input_key(site.fingerprint, rel, title, page_rel, chosen)
        site.files[rel] = Lazy(key, lambda: atom_feed(title=title, subtitle=cfg.description, author=cfg.author,
                                                       base_url=cfg.base_url, feed_rel=rel, page_rel=page_rel,
                                                       entries=chosen))

    feed("feed.xml", cfg.title, "", site.plan.notes)
    for group in [*site.plan.categories, *site.plan.tags]:
        label = f"{group.emoji} {group.name}".strip() if group in site.plan.categories else f"#{group.name}"
        feed(f"{group.url}feed.xml", f"{cfg.title}: {label}", group.url, group.notes)
    urls = sorted(site.sitemap_urls, key=lambda u: u[0])
    site.files["sitemap.xml"] = Lazy(input_key(site.fingerprint, urls), lambda: sitemap(cfg.base_url, urls))
    site.files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {absolute(cfg.base_url, 'sitemap.xml')}\n".encode()


def _search_index(site: _Site, cache: dict[str, Any]) -> bool:
    """The site's search index, patched where published notes changed; True if `cache` changed."""
    from ..search.site_index import SearchRecord, update_site_index

    records = [SearchRecord(id=p.url, url=p.url, title=p.note.title, date=p.note.date.isoformat(),
                            category=p.note.category, tags=p.note.tags, text=site.outputs[p.note.rel].text,
                            fingerprint=site.outputs[p.note.rel].key)
               for p in site.plan.notes]
    files, changed = update_site_index(records, cache)
    hashes = cache["hashes"] = dict(cache.get("hashes", {}))  # a copy: the loaded state may be shared
    for rel in [rel for rel in hashes if rel not in files]:
        del hashes[rel]
    for rel, data in files.items():
        if rel in changed or rel not in hashes:
            hashes[rel] = hashlib.blake2b(data, digest_size=16).hexdigest()
        site.files[f"search/{rel}"] = Lazy(hashes[rel], functools.partial(files.__getitem__, rel))
    cache["version"] = INDEX_CACHE_VERSION
    return bool(changed)


def _assets(site: _Site) -> None:
    from ..render.highlight import pygments_css

    static = THEME / "static"
    for path in sorted(static.rglob("*")):
        if path.is_file():
            site.files[f"assets/{path.relative_to(static).as_posix()}"] = path.read_bytes()
    override = site.notebook.root / "static"
    if override.is_dir():
        for path in sorted(override.rglob("*")):
            if path.is_file():
                site.files[f"assets/{path.relative_to(override).as_posix()}"] = path.read_bytes()
    site.files["assets/pygments.css"] = pygments_css().encode("utf-8")


STEPS: list[Callable[[_Site], None]] = [_note_pages, _group_pages, _archive, _digests, _home, _assets]
"""Page steps in order; feeds and sitemap come last because they list what the steps made."""


def build_site(root: Path, out: Path | None = None, *, drafts: bool = False, strict: bool = False,
               workers: int | None = None, progress: Callable[[str, int, int], None] | None = None,
               later: list[Callable[[], None]] | None = None) -> BuildResult:
    """Build the site of the notebook at `root` into `out` (default `site/` in the notebook).

    With `later`, writing the caches for the next build is left to the caller (append order): the
    preview server runs them after the browser was told to reload. Skipping them is safe; the
    next build is only slower.

    The cyclic garbage collector is paused meanwhile: a build makes hundreds of thousands of
    short-lived acyclic objects, and collection passes over them cost ~10% of the time (measured
    at 10,000 notes, same peak memory)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_site(root, out, drafts=drafts, strict=strict, workers=workers, progress=progress, later=later)
    finally:
        if collecting:
            gc.enable()


def _build_site(root: Path, out: Path | None, *, drafts: bool, strict: bool, workers: int | None,
                progress: Callable[[str, int, int], None] | None, later: list[Callable[[], None]] | None
                ) -> BuildResult:
    started = time.perf_counter()
    notebook = load_notebook(root)
    root = notebook.root
    target = check_output_folder(out if out is not None else root / "site", root, root / NOTES_DIR)
    plan = make_plan(notebook, drafts=drafts)
    result = BuildResult(out=target, notes=len(plan.notes), drafts=drafts)
    config = notebook.config

    cache_folder = cache_dir(root)
    render_cache = RenderCache(cache_folder, settings_key(config.macros, config.allow_html, __version__))
    jobs = [RenderJob(job_key(p.note.digest_hash, p.anchor), p.note.body, p.anchor) for p in plan.notes]
    rendered = render_all(jobs, render_cache, macros=config.macros, allow_html=config.allow_html, workers=workers,
                          progress=functools.partial(progress, "rendering notes") if progress else None)
    result.cache_hits = render_cache.hits

    site = _Site(notebook, plan, drafts)
    site.fingerprint = input_key(__version__, theme_fingerprint(root), config.fingerprint(), drafts, site.nav)
    for planned, output, job in zip(plan.notes, rendered, jobs):
        site.add_note(planned, output, render_cache.settings + job.key)  # same settings, same note: same HTML
    for step in STEPS:
        step(site)
    index_cache = _load_index_cache(cache_folder)
    index_changed = _search_index(site, index_cache)
    _feeds(site)
    result.warnings = site.warnings
    if strict and site.warnings:
        raise BuildError(f"{len(site.warnings)} warnings and --strict: nothing was written",
                         hint="fix them, e.g. " + str(site.warnings[0]))

    manifest = cache_folder / f"site-manifest-{hashlib.sha1(str(target).encode()).hexdigest()[:12]}.json"
    previous_keys = _load_page_keys(cache_folder, target)
    page_keys: dict[str, str] = {}
    saves: list[Callable[[], None]] = []
    with SiteWriter(target, manifest) as writer:
        writer.save_manifest_on_commit = later is None
        for done, rel in enumerate(sorted(site.files), 1):
            if progress and done % 256 == 0:
                progress("writing pages", done, len(site.files))
            item = site.files[rel]
            if isinstance(item, Lazy):
                page_keys[rel] = item.key
                if previous_keys.get(rel) == item.key and writer.keep(rel):
                    continue
                item = item.make()
            writer.write(rel, item)
        for rel in sorted(site.media):
            writer.copy(rel, site.media[rel])
        result.removed = writer.commit(drafts=drafts, info={"generator": "tilbook", "version": __version__,
                                                             "drafts": drafts})
        result.changed, result.unchanged = writer.changed, writer.unchanged
    if later is not None:
        saves.append(writer.save_manifest)
    saves.append(functools.partial(_save_page_keys, cache_folder, target, page_keys))
    saves.append(functools.partial(render_cache.save, {job.key for job in jobs}))
    if index_changed:
        saves.append(functools.partial(_save_index_cache, cache_folder, index_cache))
    if later is None:
        for save in saves:
            save()
    else:
        later.extend(saves)
    result.pages = sum(1 for rel in site.files if rel.endswith(".html"))
    result.seconds = time.perf_counter() - started
    return result


def _keys_path(folder: Path, target: Path) -> Path:
    return folder / f"page-keys-{hashlib.sha1(str(target).encode()).hexdigest()[:12]}.pickle"


def _load_page_keys(folder: Path, target: Path) -> dict[str, str]:
    keys = cachefiles.load(_keys_path(folder, target))
    return keys if isinstance(keys, dict) else {}  # no keys: every page is rendered


def _save_page_keys(folder: Path, target: Path, keys: dict[str, str]) -> None:
    cachefiles.save(_keys_path(folder, target), keys)


def _load_index_cache(folder: Path) -> dict[str, Any]:
    """The search index state (a copy of the top level: the loaded object may be shared)."""
    loaded = cachefiles.load(folder / "site-index.pickle")
    return dict(loaded) if isinstance(loaded, dict) and loaded.get("version") == INDEX_CACHE_VERSION else {}


def _save_index_cache(folder: Path, cache: dict[str, Any]) -> None:
    cachefiles.save(folder / "site-index.pickle", cache)
