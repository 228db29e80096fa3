"""The build plan: every output URL and what it shows, computed as pure data before anything
is rendered or written. URL collisions and unsafe paths are caught here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .errors import BuildError
from .model import Note, Notebook
from .slugs import slugify, url_key


@dataclass(frozen=True, slots=True)
class PlannedNote:
    note: Note
    url: str
    """Site-relative folder URL, e.g. `2021/04/25/moment/`."""
    anchor: str
    """Unique id prefix for this note's footnotes and headings (unique across the site)."""


@dataclass(frozen=True, slots=True)
class Group:
    """A category or a tag: its own page and feed."""

    name: str
    emoji: str
    slug: str
    url: str
    notes: tuple[PlannedNote, ...]


@dataclass(slots=True)
class SitePlan:
    notes: list[PlannedNote]
    """Visible notes, oldest first (date, then file path)."""
    by_rel: dict[str, PlannedNote]
    categories: list[Group]
    """In the configured order, then any category missing from the table alphabetically."""
    tags: list[Group]
    digest_order: str
    sources: dict[str, str] = field(default_factory=dict)
    """URL key → the file or name that claimed it (to name both sides of a collision)."""

    def claim(self, url: str, source: str) -> None:
        key = url_key(url)
        if key in self.sources and self.sources[key] != source:
            raise BuildError(f"two sources would write the same URL /{url}: {self.sources[key]} and {source}",
                             hint="give one of them a different slug or name")
        self.sources[key] = source


def note_url(note: Note) -> str:
    return f"{note.date:%Y/%m/%d}/{note.slug}/"


def note_anchor(note: Note) -> str:
    """The note's id prefix in pages (heading and footnote ids): stable, and unique per URL."""
    return f"{note.date:%Y%m%d}-{note.slug}"


def make_plan(notebook: Notebook, *, drafts: bool) -> SitePlan:
    """Plan the site for the visible notes; raises BuildError on any URL collision."""
    visible = notebook.visible_notes(drafts=drafts)
    plan = SitePlan(notes=[], by_rel={}, categories=[], tags=[], digest_order=notebook.config.order)
    for reserved in ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", "archive/",
                     "categories/", "tags/", "digest/", "search/", "assets/", "media/"):
        plan.claim(reserved, "tilbook itself")
    for note in visible:
        url = note_url(note)
        plan.claim(url, note.rel)
        planned = PlannedNote(note=note, url=url, anchor=note_anchor(note))
        plan.notes.append(planned)
        plan.by_rel[note.rel] = planned

    by_category: dict[str, list[PlannedNote]] = defaultdict(list)
    by_tag: dict[str, list[PlannedNote]] = defaultdict(list)
    tag_names: dict[str, str] = {}
    for planned in plan.notes:
        by_category[planned.note.category].append(planned)
        for tag in planned.note.tags:
            folded = tag.casefold()
            tag_names.setdefault(folded, tag)
            by_tag[folded].append(planned)
    table = notebook.config.categories
    ordered = [c for c in table if c in by_category] + sorted(c for c in by_category if c not in table)
    for name in ordered:
        slug = slugify(name, fallback="category")
        url = f"categories/{slug}/"
        plan.claim(url, f"category `{name}`")
        plan.categories.append(Group(name, table.get(name, ""), slug, url, tuple(by_category[name])))
        plan.claim(f"digest/{slug}/", f"category `{name}`")
    for folded in sorted(by_tag, key=lambda t: tag_names[t].casefold()):
        name = tag_names[folded]
        slug = slugify(name, fallback="tag")
        url = f"tags/{slug}/"
        plan.claim(url, f"tag `{name}`")
        plan.tags.append(Group(name, "", slug, url, tuple(by_tag[folded])))
    return plan
