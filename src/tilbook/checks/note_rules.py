"""Rules that read one note's markdown (a note file's body, or one note of a digest post).

What the renderer noticed (footnotes, math, code languages) comes with the rendered note, so a
note is parsed once for the site and the linter alike; nothing inside code is ever reported.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..links import placeholder_target
from .model import Spot, Unit


def rendered_warnings(*codes: str, footnote: bool = False) -> Callable[[Unit], Iterator[Spot]]:
    """The rule for one kind of render warning; footnote warnings of a digest note are left to
    the post, whose References section the note shares."""
    def check(unit: Unit) -> Iterator[Spot]:
        if footnote and unit.footnotes_checked_by_post:
            return
        for warning in unit.rendered.warnings:
            if warning.code in codes:
                yield unit.line(warning.line), warning.message
    check.__name__ = f"rendered_{codes[0].replace('-', '_')}"
    return check


def _resolve(unit: Unit, ref: str) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (unit.file.parent / unquote(parts.path)).resolve()


def missing_images(unit: Unit) -> Iterator[Spot]:
    for src, line in unit.rendered.images:
        target = _resolve(unit, src)
        if target is not None and not target.is_file():
            yield unit.line(line), f"image {unquote(src)} does not exist; add the file or fix the path"


def broken_links(unit: Unit) -> Iterator[Spot]:
    for href, line in unit.rendered.links:
        name = placeholder_target(href)
        if name is not None:  # a wikilink: it must name exactly one note
            problem = unit.notes.resolve(name).problem if unit.notes is not None else None
            if problem:
                yield unit.line(line), f"[[{name}]] links no note: {problem}; the page shows its text"
            continue
        target = _resolve(unit, href)
        if target is not None and not target.exists():
            yield unit.line(line), f"link target {unquote(href)} does not exist; fix the path or the note's file name"


def future_date(unit: Unit) -> Iterator[Spot]:
    if unit.date and unit.date > dt.date.today():
        yield unit.date_line, f"date {unit.date.isoformat()} is in the future; fix the date"
