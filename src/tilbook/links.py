"""Links between notes: what a `[[…]]` wikilink is, and which note a link names.

A note links another note two ways: a wikilink (`[[title]]`, `[[slug]]`, `[[YYYY-MM-DD-slug]]`,
each optionally `|shown text` and `#heading`) or a relative link to the other note's file
(`../2021/2021-04-25-x.md`). The renderer turns a wikilink into a link to `tilbook-note:<target>`
without knowing any other note, so a rendered note stays cacheable on its own text; the site, the
digest export and `check` resolve that placeholder here, against the whole notebook.

Resolution of a wikilink target, first rule that finds anything wins:
1. the file stem `YYYY-MM-DD-slug` (or the date and slug of a note whose front matter sets `slug`),
   also written as a path (`notes/2021/2021-04-25-x.md`, `2021-04-25-x.md`);
2. the note's slug;
3. the note's title, case-folded.
Two or more notes found by the rule that finds any: ambiguous (a `link-broken` finding naming
them). Drafts are in the index, so a link to a draft is known as such (never shown as a link on
a published page) rather than reported as broken.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from .model import Note
from .slugs import nfc, url_key

NOTE_SCHEME = "tilbook-note:"
"""The href a rendered wikilink carries until it is resolved (its target percent-encoded)."""
WIKILINK = re.compile(r"\[\[([^\[\]\n|]+)(?:\|([^\[\]\n]*))?\]\]")
"""`[[target]]` or `[[target|shown text]]` on one line."""
ANCHOR_LINE = re.compile(r'^<a id="[^"<>]*"></a>\s*$')
"""The line an exported digest post puts above a note that other notes of the post link to."""


def placeholder_href(target: str) -> str:
    return NOTE_SCHEME + quote(target.strip(), safe="")


def placeholder_target(href: str) -> str | None:
    """The target text of a placeholder href, None for any other href."""
    return unquote(href[len(NOTE_SCHEME):]) if href.startswith(NOTE_SCHEME) else None


def wikilink_text(match: re.Match[str]) -> str:
    """What a wikilink shows as plain text: its shown text, else its target without `#heading`."""
    shown = (match.group(2) or "").strip()
    return shown or match.group(1).split("#", 1)[0].strip()


def plain_wikilinks(text: str) -> str:
    """Text with every `[[…]]` replaced by what it shows (for search snippets and titles)."""
    return WIKILINK.sub(wikilink_text, text) if "[[" in text else text


def split_target(target: str) -> tuple[str, str]:
    """(`note`, `heading`) of `note#heading`."""
    name, _, heading = target.partition("#")
    return name.strip(), heading.strip()


@dataclass(frozen=True, slots=True)
class Resolution:
    note: Note | None
    """The one note the target names, if exactly one does."""
    candidates: tuple[Note, ...] = ()
    """Every note the first matching rule found (two or more: ambiguous)."""

    @property
    def problem(self) -> str | None:
        """Why the link goes nowhere, for a `link-broken` finding; None when it resolves."""
        if self.note is not None:
            return None
        if self.candidates:
            names = ", ".join(n.rel for n in self.candidates[:4])
            return f"ambiguous: {len(self.candidates)} notes match ({names}); link the file name YYYY-MM-DD-slug"
        return "no note has this file name, slug or title"


def _stem_key(text: str) -> str:
    name = PurePosixPath(text.replace("\\", "/")).name
    if name.endswith(".md"):
        name = name[:-3]
    return url_key(name)


@dataclass(slots=True)
class NoteIndex:
    """Every note of a notebook by file stem, slug and folded title."""

    by_stem: dict[str, list[Note]] = field(default_factory=dict)
    by_slug: dict[str, list[Note]] = field(default_factory=dict)
    by_title: dict[str, list[Note]] = field(default_factory=dict)

    @classmethod
    def of(cls, notes: Iterable[Note]) -> NoteIndex:
        index = cls()
        for note in notes:
            stems = {_stem_key(note.rel), url_key(f"{note.date.isoformat()}-{note.slug}")}
            for stem in stems:
                index.by_stem.setdefault(stem, []).append(note)
            index.by_slug.setdefault(url_key(note.slug), []).append(note)
            index.by_title.setdefault(url_key(" ".join(note.title.split())), []).append(note)
        return index

    def resolve(self, target: str) -> Resolution:
        """The note a wikilink target (without `|shown text`; a `#heading` is ignored) names."""
        name = nfc(split_target(target)[0])
        for table, key in ((self.by_stem, _stem_key(name)), (self.by_slug, url_key(name)),
                           (self.by_title, url_key(" ".join(name.split())))):
            found = table.get(key)
            if found:
                unique = tuple(dict.fromkeys(found))
                return Resolution(unique[0] if len(unique) == 1 else None, unique)
        return Resolution(None)
