"""`tilbook import`: digest posts in, one note file per note out.

Idempotent (a note that exists — same day, same body — is merged, never duplicated), never
touches its sources, and keeps what it could not place (unused footnote definitions) in a
report file per post under `import-reports/`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAME, add_categories
from .digest import DigestPost, Entry, Finding, note_body_with_definitions, parse_post
from .fsutil import write_if_changed
from .mdtext import split_definitions
from .model import Note
from .notes import TakenNames, derive_title, format_note, load_notebook, read_note, rewrite_note, title_slug, write_new_note

REPORTS_DIR = "import-reports"


@dataclass(slots=True)
class ImportResult:
    created: list[Path] = field(default_factory=list)
    merged: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    new_categories: dict[str, str] = field(default_factory=dict)
    findings: list[tuple[Path, Finding]] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)


def merge_key(date: object, body: str) -> tuple[object, str]:
    """Same day and same text, ignoring footnote labels, HTML comments and white space."""
    text = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text, _ = split_definitions(text)
    text = re.sub(r"\[\^[^\]\s]+\]", "[^]", text)
    return date, " ".join(text.split())


def _report(post: DigestPost) -> str:
    lines = [f"# Import report: {post.path.name}", "",
             "Written by `tilbook import`; regenerated on every import of this post.", ""]
    fixed = [f for f in post.findings if f.fixed]
    left = [f for f in post.findings if not f.fixed and f.rule != "footnote-unused"]
    if fixed:
        lines += ["## Repaired", ""] + [f"- line {f.line}: {f.message}" for f in fixed] + [""]
    if left:
        lines += ["## Problems left in the post", ""] + [f"- line {f.line}: `{f.rule}` {f.message}" for f in left] + [""]
    if post.unused:
        lines += ["## Footnote definitions no note references", "",
                  "Kept here so nothing is lost; paste one into a note to use it.", ""]
        lines += [d.text for d in post.unused] + [""]
    return "\n".join(lines)


def import_posts(root: Path, paths: list[Path], *, dry_run: bool = False) -> ImportResult:
    """Read every post, then create or merge notes; category-style posts are placed first so a
    date-style topic post finds the notes (and categories) it repeats."""
    notebook = load_notebook(root)
    result = ImportResult()
    posts = [parse_post(p.resolve(), known_emoji=notebook.config.categories) for p in paths]
    posts.sort(key=lambda post: post.style != "category")
    existing: dict[tuple[object, str], Note] = {merge_key(n.date, n.body): n for n in notebook.notes}
    categories = dict(notebook.config.categories)
    taken = TakenNames(root)
    for post in posts:
        result.findings += [(post.path, f) for f in post.findings]
        for entry in post.entries:
            _place(root, post, entry, existing, categories, result, dry_run, taken)
        if not dry_run:
            report = root / REPORTS_DIR / f"{post.path.stem}.md"
            write_if_changed(report, _report(post))
            result.reports.append(report)
    if result.new_categories and not dry_run:
        add_categories(root / CONFIG_NAME, result.new_categories)
    if result.created and not dry_run:
        os.sync()  # new notes were written without one fsync each: flush them all at once
    return result


def _place(root: Path, post: DigestPost, entry: Entry, existing: dict[tuple[object, str], Note],
           categories: dict[str, str], result: ImportResult, dry_run: bool, taken: TakenNames) -> None:
    body = note_body_with_definitions(entry)
    key = merge_key(entry.date, body)
    tags = list(dict.fromkeys(entry.tags + ([post.topic] if post.topic else [])))
    draft = entry.draft if entry.draft is not None else post.draft
    note = existing.get(key)
    if note is not None:
        merged_tags = list(dict.fromkeys([*note.tags, *tags]))
        merged_draft = note.draft and draft
        if merged_tags == list(note.tags) and merged_draft == note.draft:
            result.unchanged.append(note.path)
            return
        text = format_note(date=note.date, category=note.category, tags=merged_tags,
                           title=None if note.title_derived else note.title, draft=merged_draft,
                           body=note.body, updated=note.updated)
        if not dry_run:
            rewrite_note(note.path, text)
            existing[key] = read_note(note.path, root)
        result.merged.append(note.path)
        return
    category = entry.category or post.topic or str(post.meta.get("category") or "Uncategorized")
    category = " ".join(category.split())
    if category not in categories:
        categories[category] = entry.emoji if entry.category else ""
        result.new_categories[category] = categories[category]
    title = entry.title or derive_title(entry.body)
    text = format_note(date=entry.date, category=category, tags=tags, title=title, draft=draft, body=body)
    if dry_run:
        planned = root / "notes" / str(entry.date.year) / f"{entry.date.isoformat()}-{title_slug(title, body)}.md"
        existing[key] = read_note(planned, root, text.encode("utf-8"))
        result.created.append(planned)
        return
    path = write_new_note(root, text, entry.date, title_slug(title, body), taken, durable=False)
    existing[key] = read_note(path, root, text.encode("utf-8"))
    result.created.append(path)
