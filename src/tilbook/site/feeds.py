"""Atom feeds and the sitemap, written with ElementTree so they are always well-formed XML."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def absolute(base_url: str, rel: str) -> str:
    """`base_url` + a site-relative path, percent-encoded (Hangul slugs become valid IRIs→URIs)."""
    return base_url.rstrip("/") + "/" + quote(rel, safe="/:@-._~!$&'()*+,;=")


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    title: str
    url: str
    """Site-relative URL of the note page."""
    published: dt.date
    updated: dt.date
    category: str
    html: str
    """Full HTML of the note with absolute links and image sources."""


def atom_feed(*, title: str, subtitle: str, author: str, base_url: str, feed_rel: str, page_rel: str,
              entries: Sequence[FeedEntry], language: str = "") -> bytes:
    """An Atom 1.0 feed (RFC 4287) of the newest `FEED_SIZE` entries, full content, in the
    notebook's `language` (`xml:lang`, which every element inherits)."""
    import xml.etree.ElementTree as ET  # here: a quick build writes no feed unless a note in one changed
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language} if language else {})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    if subtitle:
        ET.SubElement(feed, f"{{{ATOM}}}subtitle").text = subtitle
    ET.SubElement(feed, f"{{{ATOM}}}id").text = absolute(base_url, feed_rel)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=absolute(base_url, feed_rel))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute(base_url, page_rel))
    newest = sorted(entries, key=lambda e: (e.updated, e.published, e.url), reverse=True)[:FEED_SIZE]
    updated = max((e.updated for e in newest), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = stamp(updated)
    author_el = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author_el, f"{{{ATOM}}}name").text = author or title
    ET.SubElement(feed, f"{{{ATOM}}}generator", uri="https://pypi.org/project/tilbook/").text = "tilbook"
    for entry in newest:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(item, f"{{{ATOM}}}id").text = absolute(base_url, entry.url)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=absolute(base_url, entry.url))
        ET.SubElement(item, f"{{{ATOM}}}published").text = stamp(entry.published)
        ET.SubElement(item, f"{{{ATOM}}}updated").text = stamp(entry.updated)
        ET.SubElement(item, f"{{{ATOM}}}category", term=entry.category)
        ET.SubElement(item, f"{{{ATOM}}}content", type="html").text = entry.html
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def sitemap(base_url: str, urls: Sequence[tuple[str, dt.date | None]]) -> bytes:
    """The sitemap, written out as ElementTree writes it (`tests/site/test_feeds.py` compares them)
    without building a tree: one element tree of every page of a 100,000-note site took ~110 MB."""
    head = f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\"".encode()
    if not urls:
        return head + b" />\n"
    parts = [head, b">"]
    for rel, lastmod in urls:
        loc = _escape_text(absolute(base_url, rel))
        day = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        parts.append(f"<url><loc>{loc}</loc>{day}</url>".encode())
    parts.append(b"</urlset>\n")
    return b"".join(parts)


def _escape_text(text: str) -> str:
    """Character data as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def entry_ranges(feed: bytes) -> list[tuple[int, int]]:
    """Byte range of each `<entry>` element of a feed made by `atom_feed`, in order (entry text
    is escaped, so the tags cannot occur inside one)."""
    ranges = []
    at = feed.find(b"<entry>")
    while at != -1:
        end = feed.index(b"</entry>", at) + len(b"</entry>")
        ranges.append((at, end))
        at = feed.find(b"<entry>", end)
    return ranges


def entry_bytes(base_url: str, entry: FeedEntry) -> bytes:
    """The `<entry>` element `atom_feed` writes for `entry` (the same bytes in any feed)."""
    alone = atom_feed(title="", subtitle="", author="-", base_url=base_url, feed_rel="", page_rel="", entries=[entry])
    (start, end), = entry_ranges(alone)
    return alone[start:end]
