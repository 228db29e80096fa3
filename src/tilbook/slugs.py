"""The one slug function: NFC, Hangul kept, lowercase, never empty, never a path.

Every URL and file name tilbook makes goes through `slugify`, so `..`, `/`, `\\`, `%2e`, NUL
and absolute paths can never reach the file system through a title, category or tag.
"""
from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_DASHES = re.compile(r"[\s_-]+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slugify(text: str, *, fallback: str = "note", max_length: int = MAX_SLUG_LENGTH) -> str:
    """`"텐서플로우 map_fn"` → `"텐서플로우-map-fn"`; punctuation dropped, never empty or dotted."""
    text = nfc(str(text)).replace("\x00", "").casefold()
    text = text.replace("&", " and ").replace("+", " plus ").replace("#", " sharp ")
    text = _DROP.sub(" ", text)
    slug = _DASHES.sub("-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug or fallback


def url_key(url: str) -> str:
    """What two URLs are compared by: NFC and case-folded (file systems that fold case collide)."""
    return nfc(url).casefold()


def unique_slug(slug: str, folded: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... whichever is not in `folded` (names already passed through url_key)."""
    candidate, n = slug, 2
    while url_key(candidate) in folded:
        candidate = f"{slug}-{n}"
        n += 1
    return candidate
