"""Rules over one digest post read as a whole (before it is imported, from any folder)."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..config import Config
from ..digest import DigestPost, Entry
from ..importer import merge_key
from ..notes import derive_title
from .model import Spot


@dataclass(frozen=True, slots=True)
class PostContext:
    post: DigestPost
    config: Config


def found_while_reading(rule_id: str) -> Callable[[PostContext], Iterator[Spot]]:
    """The rule for what `parse_post` noticed under one id (footnotes, labels, dates): a repair
    it made becomes what to write, with `--fix` named when it can do it."""
    def check(context: PostContext) -> Iterator[Spot]:
        for item in context.post.findings:
            if item.rule == rule_id:
                yield item.line, _fix_hint(item.message, item.fixed)
    check.__name__ = f"read_{rule_id.replace('-', '_')}"
    return check


def _fix_hint(message: str, fixed: bool) -> str:
    if not fixed:
        return message
    return re.sub(r"; (repaired|normalised) (as|to) ", "; write ", message) + " (--fix does this)"


def draft_not_boolean(context: PostContext) -> Iterator[Spot]:
    draft = context.post.meta.get("draft", False)
    if not isinstance(draft, bool):
        yield 2, f"`draft` is {draft!r}, not a boolean; write `draft: true` or `draft: false` without quotes"


def date_order(context: PostContext) -> Iterator[Spot]:
    post = context.post
    dates = [e.date for e in post.entries]
    if len(dates) < 2:
        return
    rises = sum(1 for a, b in zip(dates, dates[1:]) if b > a)
    falls = sum(1 for a, b in zip(dates, dates[1:]) if b < a)
    order = post.declared_order or ("asc" if rises >= falls else "desc")
    for previous, entry in zip(post.entries, post.entries[1:]):
        wrong = entry.date < previous.date if order == "asc" else entry.date > previous.date
        if wrong:
            side = "oldest first" if order == "asc" else "newest first"
            yield (entry.heading_line, f"note of {entry.date.isoformat()} comes after {previous.date.isoformat()}, "
                                       f"but the post lists notes {side}; move it")


def duplicates(context: PostContext) -> Iterator[Spot]:
    seen: dict[tuple[object, str], int] = {}
    for entry in context.post.entries:
        key = merge_key(entry.date, entry.body)
        if key in seen:
            yield entry.heading_line, f"same date and text as the note on line {seen[key]}; delete one"
        else:
            seen[key] = entry.heading_line


def near_duplicates(context: PostContext) -> Iterator[Spot]:
    """Notes of one date and title with other text: import keeps both, so the author should look."""
    seen: dict[tuple[object, str], Entry] = {}
    for entry in context.post.entries:
        first = seen.setdefault((entry.date, (entry.title or derive_title(entry.body)).casefold()), entry)
        if first is not entry and merge_key(first.date, first.body) != merge_key(entry.date, entry.body):
            yield (entry.heading_line, f"same date and title as the note on line {first.heading_line} but other text; "
                                       "import keeps both: keep one")


def category_labels(context: PostContext) -> Iterator[Spot]:
    """Labels that differ only in case, and (in a notebook) categories missing from the table."""
    entries = [e for e in context.post.entries if e.category and e.category not in context.config.category_aliases]
    table = context.config.categories
    names = Counter(e.category for e in entries)
    by_fold: dict[str, str] = {}
    for entry in entries:
        assert entry.category is not None
        folded = entry.category.casefold()
        first = by_fold.setdefault(folded, entry.category)
        if first != entry.category:
            common = max((first, entry.category), key=lambda n: names[n])
            yield entry.heading_line, f"category `{entry.category}` differs from `{first}` only in case; use `{common}`"
        elif table and entry.category not in table and folded not in {k.casefold() for k in table}:
            yield entry.heading_line, f"category `{entry.category}` is not in [categories] of tilbook.toml; add it or fix the label"
