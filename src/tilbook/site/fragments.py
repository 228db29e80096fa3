"""How one note appears inside pages other than its own list entry: its page's context, its
section of a digest, its entry in a feed. The full build's steps (`site/steps.py`) and a quick
build (`site/quick.py`) both make notes' parts here, so a part spliced in by a quick build is the
part a full build writes."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..plan import PlannedNote
from .context import ROOT, Site, esc
from .feeds import FeedEntry


def note_context(item: dict[str, Any], html: str, anchor: str, before: dict[str, Any] | None,
                 after: dict[str, Any] | None, connected: dict[str, Any]) -> dict[str, Any]:
    """What note.html is given."""
    return {"note": item, "body": Markup(html), "anchor": anchor, "prev": before, "next": after, **connected}


def digest_section(site: Site, planned: PlannedNote, style: str) -> str:
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


def feed_entry(site: Site, planned: PlannedNote, base: str) -> FeedEntry:
    """A note as its feeds show it (`base`: the site's absolute URL, ending in /)."""
    note = planned.note
    return FeedEntry(title=site.item(planned)["title"], url=planned.url, published=note.date,
                     updated=site.connections.updated(note) or note.date, category=note.category,
                     html=site.outputs[note.rel].html.replace(ROOT, base))
