"""What one build knows: the notebook's notes as HTML ready for pages, and the pages and files it
plans, each with a key of its inputs so unchanged outputs are neither rendered nor written."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from ..version import __version__
from ..config import Config
from ..model import Notebook
from ..notes import CACHE_DIR, NOTES_DIR, cache_dir
from ..render.markdown import Rendered
from ..render.math import text_with_mathml, text_with_plain_math
from ..reviewlog import REVIEW_DIR
from .connected import Connections
from .lookups import Lookups
from .records import FRAGMENT_END, FRAGMENT_OPEN, FRAGMENT_START, Fragment, NoteRecord, Recipe, entry_kind, strip_fragments
from .feeds import absolute
from .result import BuildWarning
from .i18n import Language
from .pages import make_environment, template_error
from ..spill import Spill, Spilled
from ..plan import PlannedNote, SitePlan

esc = functools.partial(html.escape, quote=True)
"""Escaping for HTML written in Python (markupsafe's escape costs several times more per call)."""
ROOT = "\ue000root\ue000"
"""Placeholder for the page's relative path to the site root inside cached note HTML."""
SPLICE = "\ue000splice\ue000"
"""Where a spliced page's big part goes (see `Site.page`)."""
EXCERPT_LENGTH = 160


@dataclass(frozen=True, slots=True)
class Lazy:
    """An output rendered only when its inputs changed since the last build (key = their hash)."""

    key: str
    make: Callable[[], bytes]
    spread: bool = False
    """One of many small pages (a note's): may be made in a worker process."""
    recorded: bool = False
    """Its making records a recipe (`Site.recipes`): a full build re-makes it when the build
    state's recipe no longer matches the file."""


def input_key(*parts: object) -> str:
    """Hash of everything an output is made from (reprs of plain data are stable)."""
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class NoteOutput:
    """A note's HTML ready for pages (root placeholder inside) and its plain text."""

    planned: PlannedNote
    spilled: Spilled
    """Where the HTML waits for the pages that show it (out of memory: see spill.py)."""
    text: str
    excerpt: str
    item: dict[str, Any] = field(default_factory=dict)
    """What list pages show of the note."""
    key: str = ""
    """Hash of the item, the HTML and the text: what every page and index entry showing this note
    depends on."""
    text_terms: str = ""
    """The text's search-index terms, if the render step found them."""

    @property
    def html(self) -> str:
        return self.spilled.text()


def _after_title(text: str, titles: tuple[str, ...], derived: bool) -> str:
    """`text` without the sentence its title already shows (a list entry shows the title as its
    link): the title's words when the text starts with one of `titles` (the rest of that sentence
    too when the title was shortened with "…"); for a derived title that the text does not start
    with word for word (math written another way), the text after its first sentence end."""
    flat = " ".join(text[:EXCERPT_LENGTH * 8].split())
    rest = text[EXCERPT_LENGTH * 8:]
    for title in titles:
        head = " ".join(title.removesuffix("…").split())
        if head and flat.startswith(head):
            if not title.endswith("…"):
                return flat[len(head):].lstrip() + rest
            derived = True
            break
    if not derived:
        return text
    sentence_end = re.search(r"(?<=[.!?。])\s", flat)
    return flat[sentence_end.end():] + rest if sentence_end else ""


def _excerpt(text: str) -> str:
    flat = " ".join(text[:EXCERPT_LENGTH * 4].split())  # a prefix is enough unless it is mostly blanks
    if len(flat) <= EXCERPT_LENGTH and len(text) > EXCERPT_LENGTH * 4:
        flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"


class Site:
    """Everything one build needs, so helper steps read as plain functions of the plan."""

    def __init__(self, notebook: Notebook, plan: SitePlan, drafts: bool) -> None:
        self.notebook = notebook
        self.config = notebook.config
        self.plan = plan
        self.drafts = drafts
        self.language = Language.of(self.config.language, cache=cache_dir(notebook.root))
        self.env = make_environment(notebook.root, self.language)
        self.outputs: dict[str, NoteOutput] = {}
        self.spill = Spill(notebook.root / CACHE_DIR)
        self.media: dict[str, Path] = {}
        self.looked_up: set[Path] = set()
        """Every local file a note links to or shows, found or not (the build state watches them)."""
        self.warnings: list[BuildWarning] = []
        self.files: dict[str, bytes | Lazy] = {}
        self.fingerprint = ""
        """Theme, config, version and navigation: part of every page's key."""
        self.sitemap_urls: list[tuple[str, dt.date | None]] = []
        self.nav = [{"name": g.name, "emoji": g.emoji, "url": g.url} for g in plan.categories]
        self.root = notebook.root.resolve()
        self.category_urls = {g.name: g.url for g in plan.categories}
        self.tag_urls = {g.name.casefold(): g.url for g in plan.tags}
        self.entries: dict[tuple[str, bool], bytes] = {}
        """List-page entries already written in this build, by (note, with excerpt), as UTF-8: as
        `str`, the category's emoji makes an entry four bytes a character (~260 MB at 100,000 notes)."""
        self.connections = Connections(notebook, plan)
        """Links between notes, backlinks, related notes, dates from git (site/connected.py)."""
        self._start_records()

    @classmethod
    def replay(cls, root: Path, config: Config, drafts: bool, nav: list[dict[str, str]], lookups: Lookups,
               category_urls: dict[str, str], tag_urls: dict[str, str]) -> Site:
        """A Site that re-makes single notes and their pages from what the last build recorded
        (a quick build, `site/quick.py`): no notebook, no plan; every other note is a record."""
        site = cls.__new__(cls)
        site.config, site.drafts, site.nav, site.root = config, drafts, nav, root.resolve()
        site.language = Language.of(config.language, cache=cache_dir(root))
        site.env = make_environment(root, site.language)
        site.outputs, site.media, site.looked_up, site.warnings, site.files = {}, {}, set(), [], {}
        site.spill = Spill(root / CACHE_DIR)
        site.fingerprint, site.sitemap_urls, site.entries = "", [], {}
        site.category_urls, site.tag_urls = category_urls, tag_urls
        site.connections = Connections.replay(config.language, lookups)
        site._start_records()
        return site

    def _start_records(self) -> None:
        self.note_records: dict[str, NoteRecord] = {}
        """What each note's making used and said (the build state keeps it for quick builds)."""
        self.index_docs: dict[str, tuple[str, str]] = {}
        """The search index's entry of each note page URL (fingerprint, document id)."""
        self.recipes: dict[str, Recipe] = {}
        """Outputs made in this build that show notes as fragments, with where each fragment is."""
        self.note_pages: dict[str, tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]] = {}
        """Each note page's previous and next note, "Linked from" and related notes."""
        self._fragments: list[tuple[str, str, str]] | None = None
        self._note_media: dict[str, str] = {}
        self._note_looked: set[str] = set()

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
            lookups = self.connections.lookups
            linked = lookups.note_at(target)
            if linked is not None:
                page = lookups.page_of(linked)
                if page is None:  # a draft in a published build: keep the text, drop the link
                    self.warn(note.rel, note.body_line + line - 1, "link-draft",
                              "links to a draft note; the link is left out of the published page")
                    out = re.sub(rf'<a {re.escape(attr)}[^>]*>(.*?)</a>', r"\1", out, flags=re.S)
                    continue
                url, anchor = page
                fragment = f"#{anchor}-{parts.fragment}" if parts.fragment else ""
                out = out.replace(attr, f'href="{ROOT}{url}{fragment}"')
                self.connections.link(note.rel, linked)
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
        self.looked_up.add(target)  # the page depends on whether (and what) it is: the build state keeps it
        self._note_looked.add(str(target))
        if any(target.is_relative_to(self.root / private) for private in (REVIEW_DIR, CACHE_DIR)):
            return None  # the review log and caches are never published, even when a note links them
        return target if target.is_relative_to(self.root) else None

    def _media(self, target: Path, root: Path) -> str:
        notes_dir = (root / NOTES_DIR).resolve()
        base = notes_dir if target.is_relative_to(notes_dir) else root
        rel = "media/" + target.relative_to(base).as_posix()
        self.media[rel] = target
        self._note_media[rel] = str(target)
        return html.escape(rel)

    def warn(self, path: str, line: int | None, code: str, message: str) -> None:
        self.warnings.append(BuildWarning(path, line, code, message))

    # --- pages -------------------------------------------------------------------------
    def add_note(self, planned: PlannedNote, rendered: Rendered, render_key: str, text_terms: str = "") -> None:
        """The note's HTML for pages, what list pages show of it, and the key of both
        (`render_key` stands for the rendered HTML and text when localising changed nothing)."""
        note = planned.note
        self.connections.lookups.start(note.rel)
        first_warning = len(self.warnings)
        self._note_media, self._note_looked = {}, set()
        body = self.localise(planned, rendered)
        body, text = self.connections.place_links(planned, rendered, body, ROOT, self.warn)
        title = self.connections.title(note)  # without a linked draft's name
        plain_title = text_with_plain_math(title)
        excerpt = _excerpt(_after_title(text, (title, plain_title), note.title_derived))
        item = {"title": plain_title, "title_html": self.title_html(title),
                "url": planned.url, "date": note.date, "day": self.language.day(note.date), "category": note.category,
                "emoji": self.config.emoji(note.category), "category_url": self.category_urls[note.category],
                "excerpt": excerpt, "draft": note.draft, "updated": self.connections.updated(note),
                "tags": [{"name": t, "url": self.tag_urls[t.casefold()]} for t in note.tags if t.casefold() in self.tag_urls]}
        digest = hashlib.blake2b(repr(item).encode("utf-8", "surrogatepass"), digest_size=16)
        if body is rendered.html and text is rendered.text:
            digest.update(render_key.encode())
        else:
            digest.update(body.encode("utf-8", "surrogatepass"))
            digest.update(text.encode("utf-8", "surrogatepass"))
        self.outputs[note.rel] = NoteOutput(planned, self.spill.add(body), text, excerpt, item, digest.hexdigest(),
                                            text_terms if text is rendered.text else "")
        self.note_records[note.rel] = NoteRecord(
            warnings=tuple((w.path, w.line, w.code, w.message) for w in self.warnings[first_warning:]), media=self._note_media, looked_up=tuple(sorted(self._note_looked)),
            links_out=tuple(self.connections.links_out.get(note.rel, ())))

    def title_html(self, title: str) -> Markup:
        """The note's title for its `<h1>`: formulas as MathML."""
        return Markup(text_with_mathml(title, macros=self.config.macros) if "$" in title else html.escape(title, quote=False))

    def item(self, planned: PlannedNote) -> dict[str, Any]:
        return self.outputs[planned.note.rel].item

    def entries_html(self, notes: Iterable[PlannedNote], excerpts: bool = True) -> Markup:
        """The `<li>` entries of a note list (newest first is the caller's order)."""
        parts = []
        draft = self.language.gettext("draft")
        fragments = self._fragments
        for planned in notes:
            cached = self.entries.get((planned.note.rel, excerpts))
            if cached is None:
                cached = _list_entry(self.item(planned), excerpts, draft).encode("utf-8", "surrogatepass")
                if excerpts:  # shown again on each of its tags' pages; without, on the archive's only
                    self.entries[(planned.note.rel, excerpts)] = cached
            if fragments is not None:  # marked, so the page's recipe knows where each entry is
                text = cached.decode("utf-8", "surrogatepass")
                parts.append(f"{FRAGMENT_START}{len(fragments)}{FRAGMENT_OPEN}{text}{FRAGMENT_END}".encode("utf-8"))
                fragments.append((planned.note.rel, entry_kind(excerpts), text))
            else:
                parts.append(cached)
        return Markup(b"".join(parts).decode("utf-8", "surrogatepass"))

    def keys(self, notes: tuple[PlannedNote, ...] | list[PlannedNote]) -> list[str]:
        return [self.outputs[p.note.rel].key for p in notes]

    def render_page(self, rel_url: str, template: str, title: str, context: dict[str, Any]) -> str:
        """A template rendered as the page at `rel_url`, with links relative to its folder."""
        path = rel_url + "index.html" if rel_url.endswith("/") or rel_url == "" else rel_url
        root = "../" * path.count("/")
        base = {
            "site": self.config, "root": root, "page_title": title, "drafts": self.drafts,
            "canonical": absolute(self.config.base_url, rel_url), "page_url": rel_url,
            "nav_categories": self.nav, "feed_url": "feed.xml", "version": __version__,
        }
        try:
            return self.env.get_template(template).render(**base, **context).replace(ROOT, root)
        except Exception as exc:
            found = template_error(exc, self.root, path)
            if found is None:
                raise
            raise found from None

    def page(self, rel_url: str, template: str, *, title: str, key: object,
             context: Callable[[], dict[str, Any]], lastmod: dt.date | None = None,
             splice: Callable[[str], list[bytes]] | None = None, splice_notes: list[tuple[str, str]] | None = None,
             spread: bool = False) -> None:
        """Plan a template render to `rel_url` (a folder URL gets index.html). `key` holds (small)
        everything the page shows; the context is only built when the page must be rendered.
        `splice(root)` makes the encoded HTML that replaces the SPLICE marker after rendering, so a
        page many megabytes long (a digest) is neither pushed through the template engine nor held
        as text and bytes at once."""
        path = rel_url + "index.html" if rel_url.endswith("/") or rel_url == "" else rel_url
        root = "../" * path.count("/")

        def make() -> bytes:
            self._fragments = None if spread else []
            try:
                shown_text = self.render_page(rel_url, template, title, context())
            finally:
                shown, self._fragments = self._fragments, None
            text, fragments = strip_fragments(shown_text, shown or [], ROOT, root)
            data = text.encode("utf-8")
            before, marker, after = text.partition(SPLICE) if splice is not None else (text, "", "")
            if marker and splice is not None:  # an overridden template may leave the spliced part out
                head = before.encode("utf-8")
                pieces = splice(root)
                at, spliced = len(head), []
                for (rel, kind), piece in zip(splice_notes or [], pieces):
                    spliced.append(Fragment(rel, kind, at, at + len(piece)))
                    at += len(piece)
                shift = at - len(head) - len(SPLICE.encode("utf-8"))
                if fragments is not None and len(spliced) == len(pieces):
                    fragments = sorted([f if f.start < len(head) else f.shifted(shift) for f in fragments] + spliced,
                                       key=lambda f: f.start)
                else:  # pieces tilbook cannot name: never replayed
                    fragments = None
                data = b"".join([head, *pieces, after.encode("utf-8")])
            if not spread:
                self.recipes[path] = Recipe(hashlib.sha1(data).hexdigest(), root,
                                            tuple(fragments) if fragments is not None else None)
            return data

        self.files[path] = Lazy(input_key(self.fingerprint, template, rel_url, title, key), make, spread,
                                recorded=not spread)
        if path.endswith(".html") and path != "404.html":
            self.sitemap_urls.append((rel_url, lastmod))


def _list_entry(item: dict[str, Any], excerpts: bool, draft_label: str = "draft") -> str:
    """One note of a list page (home, category, tag, archive). Written here, not in a template, for
    the reason given at `fragments.digest_section`; the markup is stable: `ol.note-list > li`."""
    root = ROOT
    tags = "".join(f'<a class="tag" href="{root}{esc(t["url"])}">#{esc(t["name"])}</a> ' for t in item["tags"])
    draft = f'<span class="draft-badge">{esc(draft_label)}</span>' if item["draft"] else ""
    excerpt = f'\n  <p class="excerpt">{esc(item["excerpt"])}</p>' if excerpts and item["excerpt"] else ""
    return (f'<li>\n  <a class="note-title" href="{root}{esc(item["url"])}">{esc(item["title"])}</a>\n'
            f'  <p class="meta"><time datetime="{item["date"].isoformat()}">{esc(item["day"])}</time>\n'
            f'<a class="category" href="{root}{esc(item["category_url"])}">{esc(item["emoji"])} '
            f'{esc(item["category"])}</a>\n{tags}\n{draft}</p>{excerpt}\n</li>\n')
