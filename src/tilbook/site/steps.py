"""The pages of a site, one step each, as plain functions of the build's `Site`. Big lists (digest
sections, list entries) are written in Python rather than Jinja: they are rebuilt on every edit."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .calendar import learning_calendar
from .connected import page_parts
from .context import ROOT, SPLICE, Lazy, NoteOutput, Site, input_key
from .feeds import FEED_SIZE, absolute, atom_feed, entry_ranges, sitemap
from .pages import THEME
from .fragments import digest_section, feed_entry, note_context
from .records import FEED_ENTRY, Fragment, Recipe, section_kind
from ..plan import Group, PlannedNote

INDEX_CACHE_VERSION = 6
"""The search index state's format in the build cache."""


def _note_pages(site: Site) -> None:
    notes = site.plan.notes
    for index, planned in enumerate(notes):
        note = planned.note
        before = notes[index - 1] if index > 0 else None
        after = notes[index + 1] if index + 1 < len(notes) else None
        neighbours = [site.outputs[p.note.rel].key if p else None for p in (before, after)]
        linked_from, related = site.connections.page_notes(planned, site.outputs)
        site.note_pages[note.rel] = (before.note.rel if before else None, after.note.rel if after else None,
                                     linked_from, related)
        connected = page_parts(linked_from, related, lambda rel: site.outputs[rel].item)  # linked from, related notes
        output = site.outputs[note.rel]
        site.page(planned.url, "note.html", title=output.item["title"],
                  lastmod=site.connections.updated(note) or note.date,
                  key=(output.key, planned.anchor, neighbours, connected),
                  context=functools.partial(_note_page_context, output, planned.anchor,
                                            site.item(before) if before else None, site.item(after) if after else None,
                                            connected), spread=True)


def _note_page_context(output: NoteOutput, anchor: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                       connected: dict[str, Any]) -> dict[str, Any]:
    """note.html's context, the note's HTML read back from the spill file only now: read while the
    page is planned, every planned page held its note's HTML as text (7.7 KB a note: +850 MB of a
    100,000-note build)."""
    return note_context(output.item, output.html, anchor, before, after, connected)


LIST_PAGE_NOTES = 150
"""Entries a category or tag page shows before it is split: the newest ones, then pages by year."""
YEAR_PART_NOTES = 500
"""A year of a list or the archive beyond this many entries is split into parts (pages stay < 1 MB)."""


def _group_pages(site: Site) -> None:
    for group in site.plan.categories:
        _list_pages(site, group, "category", f"{group.emoji} {group.name}".strip(), f"digest/{group.slug}/")
    for group in site.plan.tags:
        _list_pages(site, group, "tag", f"#{group.name}", None)
    categories = [{"name": g.name, "emoji": g.emoji, "url": g.url, "count": len(g.notes)} for g in site.plan.categories]
    tags = [{"name": g.name, "emoji": "", "url": g.url, "count": len(g.notes)} for g in site.plan.tags]
    site.page("categories/", "groups.html", title="Categories", key=(categories,),
              context=lambda: {"kind": "category", "groups": categories})
    site.page("tags/", "groups.html", title="Tags", key=(tags,), context=lambda: {"kind": "tag", "groups": tags})


def _list_pages(site: Site, group: Group, kind: str, title: str, digest: str | None) -> None:
    """A category or tag page, newest first; a long one shows its newest LIST_PAGE_NOTES entries and
    links to a page per year (`categories/cs/2021/`)."""
    newest = list(reversed(group.notes))
    years = year_pages(group.url, newest, YEAR_PART_NOTES) if len(newest) > LIST_PAGE_NOTES else []
    links = page_links(years)
    light = _light(group)

    def context(notes: list[PlannedNote], year: str | None) -> dict[str, Any]:
        return {"count": len(group.notes), "entries_html": site.entries_html(notes), "kind": kind, "group": light,
                "feed": f"{group.url}feed.xml", "digest": digest, "years": links, "year": year,
                "shown": len(notes)}

    first = newest[:LIST_PAGE_NOTES]
    site.page(group.url, "list.html", title=title, key=(site.keys(first), kind, tuple(map(str, links))),
              context=functools.partial(context, first, None))
    for page in years:
        site.page(page.url, "list.html", title=f"{title} · {page.label}",
                  key=(site.keys(page.notes), kind, tuple(map(str, links)), page.label),
                  context=functools.partial(context, page.notes, page.label))


def _light(group: Group) -> dict[str, str]:
    """What templates show of a group (not its notes)."""
    return {"name": group.name, "emoji": group.emoji, "slug": group.slug, "url": group.url}


def _archive(site: Site) -> None:
    """Every note by year and month, newest first; beyond LIST_PAGE_NOTES notes, a page per year
    (parts of YEAR_PART_NOTES) under a contents page."""
    newest = list(reversed(site.plan.notes))
    pages = year_pages("archive/", newest, YEAR_PART_NOTES) if len(newest) > LIST_PAGE_NOTES else []
    links = page_links(pages)

    def context(notes: list[PlannedNote]) -> dict[str, Any]:
        years: dict[int, dict[int, list[PlannedNote]]] = defaultdict(lambda: defaultdict(list))
        for planned in notes:
            years[planned.note.date.year][planned.note.date.month].append(planned)
        return {"contents": links, "years": [
            {"year": y, "months": [{"month": m, "count": len(in_month), "entries_html": site.entries_html(in_month, excerpts=False)}
                                   for m, in_month in sorted(months.items(), reverse=True)]}
            for y, months in sorted(years.items(), reverse=True)]}

    if not pages:
        site.page("archive/", "archive.html", title="Archive", key=(site.keys(newest),), context=lambda: context(newest))
        return
    site.page("archive/", "archive.html", title="Archive", key=(tuple(map(str, links)),),
              context=lambda: {"contents": links, "years": []})
    for page in pages:
        site.page(page.url, "archive.html", title=f"Archive · {page.label}",
                  key=(site.keys(page.notes), tuple(map(str, links))), context=functools.partial(context, page.notes))


DIGEST_PAGE_NOTES = 100
"""Notes on one digest page at most (~4 KB each rendered: a page stays well under 1 MB)."""


@dataclass(frozen=True, slots=True)
class NotesPage:
    """One page of a paged digest, list or archive."""

    url: str
    label: str
    """What links to the page show: its year, and the part of the year when there are several."""
    notes: list[PlannedNote]


def page_links(pages: list[NotesPage]) -> list[dict[str, Any]]:
    """What a contents page or a year navigation shows of each page: its URL, label and size."""
    return [{"url": p.url, "label": p.label, "count": len(p.notes)} for p in pages]


def digest_pages(base: str, notes: list[PlannedNote]) -> list[NotesPage]:
    """A digest in pages: one page at `base` when it is short, else `year_pages`."""
    if len(notes) <= DIGEST_PAGE_NOTES:
        return [NotesPage(base, "", notes)]
    return year_pages(base, notes, DIGEST_PAGE_NOTES)


def year_pages(base: str, notes: list[PlannedNote], part: int) -> list[NotesPage]:
    """Notes (in the order given) in pages of one year each, split into parts of `part`:
    `base/2021/`, `base/2021/2/`… URLs stay put as notes are added at the newest end, and a page
    never spans two years."""
    years: dict[int, list[PlannedNote]] = {}
    for planned in notes:
        years.setdefault(planned.note.date.year, []).append(planned)
    pages = []
    for year, in_year in years.items():
        parts = [in_year[i:i + part] for i in range(0, len(in_year), part)]
        for number, chunk in enumerate(parts, 1):
            label = f"{year}" if len(parts) == 1 else f"{year} ({number}/{len(parts)})"
            pages.append(NotesPage(f"{base}{year}/" if number == 1 else f"{base}{year}/{number}/", label, chunk))
    return pages


def _digests(site: Site) -> None:
    """The whole notebook and each category as a digest in the configured order: one page, or
    (beyond DIGEST_PAGE_NOTES notes) a contents page at the digest's URL and pages by year."""
    reverse = site.plan.digest_order == "desc"

    def ordered(notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[PlannedNote]:
        return list(reversed(notes)) if reverse else list(notes)  # the plan keeps (date, file) order

    def sections(notes: list[PlannedNote], style: str, root: str) -> list[bytes]:
        return [digest_section(site, p, style).replace(ROOT, root).encode("utf-8") for p in notes]

    def add(base: str, title: str, notes: list[PlannedNote], style: str, group: Group | None) -> None:
        pages = digest_pages(base, notes)
        contents = page_links(pages) if len(pages) > 1 else []
        light = _light(group) if group else None
        if contents:
            site.page(base, "digest.html", title=title, key=(tuple(map(str, contents)), style, light),
                      context=lambda: {"sections_html": "", "group": light, "order": site.plan.digest_order,
                                       "contents": contents, "pager": None})
        for index, page in enumerate(pages):
            pager = {"prev": pages[index - 1].url if index else None, "label": page.label,
                     "next": pages[index + 1].url if index + 1 < len(pages) else None,
                     "contents": base if contents else None}
            site.page(page.url, "digest.html", title=f"{title} · {page.label}" if page.label else title,
                      key=(site.keys(page.notes), style, light, tuple(pager.items())),
                      context=functools.partial(dict, sections_html=Markup(SPLICE), group=light,
                                                order=site.plan.digest_order, contents=[], pager=pager),
                      splice=functools.partial(sections, page.notes, style),
                      splice_notes=[(p.note.rel, section_kind(style)) for p in page.notes])

    add("digest/", site.config.title, ordered(site.plan.notes), "category", None)
    for group in site.plan.categories:
        add(f"digest/{group.slug}/", f"{site.config.title}: {group.name}", ordered(group.notes), "date", group)


def _review_days(site: Site) -> set[dt.date]:
    """Days with reviews, for `[review] show_on_site` only: the days, never what was reviewed."""
    from ..reviewlog import review_days
    return review_days(site.notebook.root)


def _home(site: Site) -> None:
    published = site.plan.notes
    recent_notes = list(reversed(published[-site.config.recent:]))
    dates = [p.note.date for p in published]
    categories = [{"name": g.name, "emoji": g.emoji, "url": g.url, "count": len(g.notes)} for g in site.plan.categories]

    reviewed = sorted(_review_days(site)) if site.config.review_on_site else []

    def context() -> dict[str, Any]:
        calendar = learning_calendar(dates, language=site.language, review_days=set(reviewed))
        return {"recent_html": site.entries_html(recent_notes), "calendar": calendar,
                "calendar_svg": Markup(calendar.svg), "categories": categories}

    site.page("", "home.html", title=site.config.title, key=(site.keys(recent_notes), dates, categories, reviewed),
              context=context)
    site.page("search/", "search.html", title="Search", key=(), context=dict)
    site.page("404.html", "404.html", title="Not found", key=(), context=dict)


def add_feeds(site: Site) -> None:
    base = site.config.base_url.rstrip("/") + "/"
    cfg = site.config

    def newest(notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[PlannedNote]:
        updated = {p.note.rel: site.connections.updated(p.note) or p.note.date for p in notes}  # git dates
        return sorted(notes, key=lambda p: (updated[p.note.rel], p.note.date, p.url), reverse=True)[:FEED_SIZE]

    def feed(rel: str, title: str, page_rel: str, notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> None:
        shown = newest(notes)
        chosen = [feed_entry(site, p, base) for p in shown]
        key = input_key(site.fingerprint, rel, title, page_rel, chosen)

        def make() -> bytes:
            data = atom_feed(title=title, subtitle=cfg.description, author=cfg.author, language=site.language.code,
                             base_url=cfg.base_url, feed_rel=rel, page_rel=page_rel, entries=chosen)
            ranges = entry_ranges(data)
            fragments = tuple(Fragment(p.note.rel, FEED_ENTRY, start, end) for p, (start, end) in zip(shown, ranges))
            site.recipes[rel] = Recipe(hashlib.sha1(data).hexdigest(), "", fragments if len(ranges) == len(shown) else None)
            return data

        site.files[rel] = Lazy(key, make, recorded=True)

    feed("feed.xml", cfg.title, "", site.plan.notes)
    for group in [*site.plan.categories, *site.plan.tags]:
        label = f"{group.emoji} {group.name}".strip() if group in site.plan.categories else f"#{group.name}"
        feed(f"{group.url}feed.xml", f"{cfg.title}: {label}", group.url, group.notes)
    urls = sorted(site.sitemap_urls, key=lambda u: u[0])
    site.files["sitemap.xml"] = Lazy(input_key(site.fingerprint, urls), lambda: sitemap(cfg.base_url, urls))
    site.files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {absolute(cfg.base_url, 'sitemap.xml')}\n".encode()


def add_search_index(site: Site, cache: dict[str, Any]) -> bool:
    """The site's search index, patched where published notes changed; True if `cache` changed."""
    from .search_index import SearchRecord, update_site_index

    records = [SearchRecord(id=p.url, url=p.url, title=site.item(p)["title"], date=p.note.date.isoformat(),
                            category=p.note.category, tags=p.note.tags, text=site.outputs[p.note.rel].text,
                            fingerprint=site.outputs[p.note.rel].key, text_terms=site.outputs[p.note.rel].text_terms)
               for p in site.plan.notes]
    files, changed = update_site_index(records, cache)
    hashes = cache["hashes"] = dict(cache.get("hashes", {}))  # a copy: the loaded state may be shared
    for rel in [rel for rel in hashes if rel not in files]:
        del hashes[rel]
    for rel, data in files.items():
        if rel in changed or rel not in hashes:
            hashes[rel] = hashlib.blake2b(data, digest_size=16).hexdigest()
        # from the spill file: once the build has saved the index state, nothing else holds the
        # files until they are written, late in the site (~2.5 KB a note)
        site.files[f"search/{rel}"] = Lazy(hashes[rel], site.spill.add_bytes(data).data)
    cache["version"] = INDEX_CACHE_VERSION
    return bool(changed)


def _assets(site: Site) -> None:
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


STEPS: list[Callable[[Site], None]] = [_note_pages, _group_pages, _archive, _digests, _home, _assets]
"""Page steps in order; feeds and sitemap come last because they list what the steps made."""
