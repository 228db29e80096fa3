"""The pages of a site, one step each, as plain functions of the build's `Site`. Big lists (digest
sections, list entries) are written in Python rather than Jinja: they are rebuilt on every edit."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from .calendar import learning_calendar
from .context import ROOT, SPLICE, Lazy, Site, esc, input_key
from .feeds import FEED_SIZE, FeedEntry, absolute, atom_feed, sitemap
from .pages import THEME
from ..plan import Group, PlannedNote

INDEX_CACHE_VERSION = 5
"""The search index state's format in the build cache."""


def _note_pages(site: Site) -> None:
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

        site.page(planned.url, "note.html", title=site.item(planned)["title"], lastmod=note.updated or note.date,
                  key=(site.outputs[note.rel].key, planned.anchor, neighbours), context=context, spread=True)


def _group_pages(site: Site) -> None:
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


def _group_context(site: Site, group: Group, kind: str, digest: str | None) -> dict[str, Any]:
    return {"count": len(group.notes), "entries_html": site.entries_html(reversed(group.notes)), "kind": kind,
            "group": _light(group), "feed": f"{group.url}feed.xml", "digest": digest}


def _light(group: Group) -> dict[str, str]:
    """What templates show of a group (not its notes)."""
    return {"name": group.name, "emoji": group.emoji, "slug": group.slug, "url": group.url}


def _archive(site: Site) -> None:
    def context() -> dict[str, Any]:
        years: dict[int, dict[int, list[PlannedNote]]] = defaultdict(lambda: defaultdict(list))
        for planned in reversed(site.plan.notes):
            years[planned.note.date.year][planned.note.date.month].append(planned)
        return {"years": [{"year": y, "months": [{"month": m, "count": len(notes),
                                                  "entries_html": site.entries_html(notes, excerpts=False)}
                                                 for m, notes in sorted(months.items(), reverse=True)]}
                          for y, months in sorted(years.items(), reverse=True)]}

    site.page("archive/", "archive.html", title="Archive", key=(site.keys(site.plan.notes),), context=context)


def _digests(site: Site) -> None:
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


def _digest_section(site: Site, planned: PlannedNote, style: str) -> str:
    """One note of a digest page. Written here, not in a template: a digest of 10,000 notes is
    rebuilt on every edit and a template loop costs ten times as much (override digest.html for the
    page around the sections; the section markup is stable: `section.digest-note`)."""
    item = site.item(planned)
    url = f"{ROOT}{esc(item['url'])}"
    day = esc(item["day"])
    if style == "date":
        heading = f'<h2><a href="{url}">🗓 {day}</a></h2>\n'
    else:
        label = esc(f"{item['emoji']} {item['category']}".strip())
        heading = (f'<h2><a href="{url}">{label}</a></h2>\n'
                   f'<p class="meta"><time datetime="{item["date"].isoformat()}">{day}</time></p>\n')
    return (f'<section class="digest-note" id="{esc(planned.anchor)}">\n{heading}'
            f'<div class="note-body">\n{site.outputs[planned.note.rel].html}</div>\n</section>\n')


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

    def entries(notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[FeedEntry]:
        newest = sorted(notes, key=lambda p: (p.note.updated or p.note.date, p.note.date, p.url), reverse=True)
        return [FeedEntry(title=site.item(p)["title"], url=p.url, published=p.note.date,
                          updated=p.note.updated or p.note.date, category=p.note.category,
                          html=site.outputs[p.note.rel].html.replace(ROOT, base)) for p in newest[:FEED_SIZE]]

    def feed(rel: str, title: str, page_rel: str, notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> None:
        chosen = entries(notes)
        key = input_key(site.fingerprint, rel, title, page_rel, chosen)
        site.files[rel] = Lazy(key, lambda: atom_feed(title=title, subtitle=cfg.description, author=cfg.author,
                                                       language=site.language.code,
                                                       base_url=cfg.base_url, feed_rel=rel, page_rel=page_rel,
                                                       entries=chosen))

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
        site.files[f"search/{rel}"] = Lazy(hashes[rel], functools.partial(files.__getitem__, rel))
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
