"""Checking a digest post on its own, before it is imported (from any folder)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..config import Config
from ..digest import DigestPost, Entry, parse_post
from ..errors import InputError
from ..importer import merge_key
from ..notes import derive_title
from ..render.markdown import Renderer
from .content import CONTENT_RULES, Unit
from .model import Finding, finding

POST_RULES = ("footnote-malformed", "footnote-undefined", "footnote-unused", "footnote-duplicate",
              "category-inconsistent", "date-invalid")
"""Findings that `parse_post` itself makes while reading (repairs it made, leftovers)."""


def check_post(path: Path, shown: str, renderer: Renderer, config: Config) -> list[Finding]:
    """Every problem of the post in one run: a bad note is a finding, never the end of the check."""
    try:
        post = parse_post(path, known_emoji=config.categories)
    except InputError as exc:
        rule = "frontmatter-invalid" if exc.line else "digest-invalid"
        return [finding(rule, shown, exc.line or 1, f"{exc.message}; {exc.hint}" if exc.hint else exc.message)]
    out = [finding(f.rule, shown, f.line, _fix_hint(f.message, f.fixed)) for f in post.findings if f.rule in POST_RULES]
    out += _frontmatter(post, shown)
    for entry in post.entries:
        unit = Unit(path=shown, file=path, body=entry.body, body_line=entry.body_line, date=entry.date,
                    date_line=entry.date_line, footnotes_checked_by_post=True)
        for check_rule in CONTENT_RULES:
            out += check_rule(unit, renderer)
    out += _order(post, shown)
    out += _duplicates(post, shown)
    out += _near_duplicates(post, shown)
    out += _categories(post, shown, config)
    return out


def _fix_hint(message: str, fixed: bool) -> str:
    """parse_post says what it repaired; a checker says what to do."""
    if not fixed:
        return message
    return re.sub(r"; (repaired|normalised) (as|to) ", "; write ", message) + " (--fix does this)"


def _frontmatter(post: DigestPost, shown: str) -> list[Finding]:
    draft = post.meta.get("draft", False)
    if not isinstance(draft, bool):
        return [finding("frontmatter-invalid", shown, 2, f"`draft` is {draft!r}, not a boolean; "
                        "write `draft: true` or `draft: false` without quotes")]
    return []


def _order(post: DigestPost, shown: str) -> list[Finding]:
    dates = [e.date for e in post.entries]
    if len(dates) < 2:
        return []
    rises = sum(1 for a, b in zip(dates, dates[1:]) if b > a)
    falls = sum(1 for a, b in zip(dates, dates[1:]) if b < a)
    order = post.declared_order or ("asc" if rises >= falls else "desc")
    out = []
    for previous, entry in zip(post.entries, post.entries[1:]):
        wrong = entry.date < previous.date if order == "asc" else entry.date > previous.date
        if wrong:
            side = "oldest first" if order == "asc" else "newest first"
            out.append(finding("date-order", shown, entry.heading_line,
                               f"note of {entry.date.isoformat()} comes after {previous.date.isoformat()}, "
                               f"but the post lists notes {side}; move it"))
    return out


def _duplicates(post: DigestPost, shown: str) -> list[Finding]:
    seen: dict[tuple[object, str], int] = {}
    out = []
    for entry in post.entries:
        key = merge_key(entry.date, entry.body)
        if key in seen:
            out.append(finding("duplicate-note", shown, entry.heading_line,
                               f"same date and text as the note on line {seen[key]}; delete one"))
        else:
            seen[key] = entry.heading_line
    return out


def _near_duplicates(post: DigestPost, shown: str) -> list[Finding]:
    """Notes of one date and title with other text: import keeps both, so the author should look."""
    seen: dict[tuple[object, str], Entry] = {}
    out = []
    for entry in post.entries:
        title = (entry.title or derive_title(entry.body)).casefold()
        first = seen.setdefault((entry.date, title), entry)
        if first is not entry and merge_key(first.date, first.body) != merge_key(entry.date, entry.body):
            out.append(finding("note-near-duplicate", shown, entry.heading_line,
                               f"same date and title as the note on line {first.heading_line} but other text; "
                               "import keeps both: keep one"))
    return out


def _categories(post: DigestPost, shown: str, config: Config) -> list[Finding]:
    """Labels that differ only in case, and (in a notebook) categories missing from the table."""
    table = config.categories
    names = Counter(e.category for e in post.entries if e.category)
    by_fold: dict[str, str] = {}
    out = []
    for entry in post.entries:
        if not entry.category:
            continue
        if entry.category in config.category_aliases:
            continue
        folded = entry.category.casefold()
        first = by_fold.setdefault(folded, entry.category)
        if first != entry.category:
            common = max((first, entry.category), key=lambda n: names[n])
            out.append(finding("category-inconsistent", shown, entry.heading_line,
                               f"category `{entry.category}` differs from `{first}` only in case; use `{common}`"))
        elif table and entry.category not in table and folded not in {k.casefold() for k in table}:
            out.append(finding("category-inconsistent", shown, entry.heading_line,
                               f"category `{entry.category}` is not in [categories] of tilbook.toml; add it or fix the label"))
    return out
