"""`tilbook import`: digest posts in, one note file per note out.

Idempotent (a note that exists — same day, same body — is merged, never duplicated), never
touches its sources, and keeps everything it could not place in a report file per post under
`import-reports/`: text outside any note (verbatim, with its lines), footnote definitions no
note cites, undated notes, missing images, near duplicates and the categories it added.
Local images the post shows are copied into `images/` and the note's path is rewritten.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .config import CONFIG_NAME, Config, add_categories
from .digest import DigestPost, Entry, Finding, note_body_with_definitions, parse_post
from .fsutil import write_if_changed
from .mdtext import local_images, replace_image_paths, split_definitions
from .model import Note
from .notes import NOTES_DIR, TakenNames, derive_title, format_note, load_notebook, read_note, rewrite_note, title_slug, write_new_note

REPORTS_DIR = "import-reports"
IMAGES_DIR = "images"
"""Images brought in by `import`, at the notebook's root (notes link them as `../../images/x.png`)."""


@dataclass(slots=True)
class ImportResult:
    created: list[Path] = field(default_factory=list)
    merged: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    new_categories: dict[str, str] = field(default_factory=dict)
    findings: list[tuple[Path, Finding]] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    """Image files copied (or, in a dry run, that would be copied) into the notebook."""


def merge_key(date: object, body: str) -> tuple[object, str]:
    """Same day and same text, ignoring footnote labels, HTML comments and white space."""
    text = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text, _ = split_definitions(text)
    text = re.sub(r"\[\^[^\]\s]+\]", "[^]", text)
    return date, " ".join(text.split())


@dataclass(slots=True)
class _Run:
    """What one import knows while placing notes."""

    root: Path
    config: Config
    dry_run: bool
    existing: dict[tuple[object, str], Note]
    by_title: dict[tuple[object, str], Note]
    categories: dict[str, str]
    taken: TakenNames
    result: ImportResult
    added_images: dict[str, bytes] = field(default_factory=dict)
    """Image files this run placed (dry runs too), by notebook-relative path."""


def import_posts(root: Path, paths: list[Path], *, dry_run: bool = False) -> ImportResult:
    """Read every post, then create or merge notes; category-style posts are placed first so a
    date-style topic post finds the notes (and categories) it repeats."""
    notebook = load_notebook(root)
    config = notebook.config
    posts = [parse_post(p.resolve(), known_emoji=config.categories) for p in paths]
    posts.sort(key=lambda post: post.style != "category")
    run = _Run(root=root, config=config, dry_run=dry_run,
               existing={merge_key(n.date, n.body): n for n in notebook.notes},
               by_title={(n.date, n.title.casefold()): n for n in notebook.notes},
               categories=dict(config.categories), taken=TakenNames(root), result=ImportResult())
    for post in posts:
        for entry in post.entries:
            post.findings += _place(run, post, entry)
        post.findings.sort(key=lambda f: f.line)
        run.result.findings += [(post.path, f) for f in post.findings]
        if not dry_run:
            report = root / REPORTS_DIR / f"{post.path.stem}.md"
            write_if_changed(report, _report(post))
            run.result.reports.append(report)
    if run.result.new_categories and not dry_run:
        add_categories(root / CONFIG_NAME, run.result.new_categories)
    if run.result.created and not dry_run:
        os.sync()  # new notes were written without one fsync each: flush them all at once
    return run.result


def _place(run: _Run, post: DigestPost, entry: Entry) -> list[Finding]:
    """Create or merge one note; the findings it makes (images, near duplicates)."""
    findings: list[Finding] = []
    body = _bring_images(run, post, entry, note_body_with_definitions(entry), findings)
    key = merge_key(entry.date, body)
    tags = list(dict.fromkeys(entry.tags + ([post.topic] if post.topic else [])))
    draft = entry.draft if entry.draft is not None else post.draft
    note = run.existing.get(key)
    if note is not None:
        _merge(run, note, key, tags, draft)
        return findings
    category = entry.category or post.topic or str(post.meta.get("category") or "Uncategorized")
    category = run.config.canonical_category(" ".join(category.split()))
    if category not in run.categories:
        run.categories[category] = entry.emoji if entry.category else ""
        run.result.new_categories[category] = run.categories[category]
    title = entry.title or derive_title(entry.body)
    text = format_note(date=entry.date, category=category, tags=tags, title=title, draft=draft, body=body)
    if run.dry_run:
        path = run.root / NOTES_DIR / str(entry.date.year) / f"{entry.date.isoformat()}-{title_slug(title, body)}.md"
    else:
        path = write_new_note(run.root, text, entry.date, title_slug(title, body), run.taken, durable=False)
    new = read_note(path, run.root, text.encode("utf-8"))
    twin = run.by_title.get((entry.date, title.casefold()))
    if twin is not None:
        findings.append(Finding("note-near-duplicate", entry.heading_line,
                                f"same date and title as {twin.rel} but other text; written as {new.rel}: "
                                "compare the two and keep one"))
    run.existing[key] = new
    run.by_title.setdefault((entry.date, title.casefold()), new)
    run.result.created.append(path)
    return findings


def _merge(run: _Run, note: Note, key: tuple[object, str], tags: list[str], draft: bool) -> None:
    merged_tags = list(dict.fromkeys([*note.tags, *tags]))
    merged_draft = note.draft and draft
    if merged_tags == list(note.tags) and merged_draft == note.draft:
        run.result.unchanged.append(note.path)
        return
    text = format_note(date=note.date, category=note.category, tags=merged_tags,
                       title=None if note.title_derived else note.title, draft=merged_draft,
                       body=note.body, updated=note.updated)
    if not run.dry_run:
        rewrite_note(note.path, text)
        run.existing[key] = read_note(note.path, run.root)
    run.result.merged.append(note.path)


def _bring_images(run: _Run, post: DigestPost, entry: Entry, body: str, findings: list[Finding]) -> str:
    """Copy the local images the note shows into `images/` and point the note at them; an image
    that cannot be found keeps its path and is reported with its line."""
    new_paths: dict[str, str] = {}
    lines = {src: line for src, line in reversed(local_images(entry.body))}
    for src, _ in local_images(body):
        if src in new_paths:
            continue
        source = (post.path.parent / unquote(src.split("#")[0].split("?")[0])).resolve()
        line = entry.body_line + lines.get(src, 0)
        if not source.is_file():
            findings.append(Finding("image-missing", line,
                                    f"image {src} not found (looked for {source}); the path is kept as written: "
                                    f"put the file in {IMAGES_DIR}/ and point the note at ../../{IMAGES_DIR}/{source.name}"))
            continue
        name = _image_name(run, source)
        new_paths[src] = f"../../{IMAGES_DIR}/{name}"
    return replace_image_paths(body, new_paths)


def _image_name(run: _Run, source: Path) -> str:
    """The name of `source` in images/: its own, or `-2`, `-3`… when another image has it."""
    data = source.read_bytes()
    stem, suffix = source.stem, source.suffix
    for number in range(1, 1000):
        name = f"{stem}{'' if number == 1 else f'-{number}'}{suffix}"
        target = run.root / IMAGES_DIR / name
        placed = run.added_images.get(name)
        if placed is not None or target.is_file():
            if (placed if placed is not None else target.read_bytes()) == data:
                return name
            continue
        run.added_images[name] = data
        if not run.dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        run.result.images.append(target)
        return name
    raise RuntimeError("unreachable: 1000 images of one name")


def _report(post: DigestPost) -> str:
    lines = [f"# Import report: {post.path.name}", "",
             "Written by `tilbook import`; regenerated on every import of this post.", ""]
    fixed = [f for f in post.findings if f.fixed]
    left = [f for f in post.findings if not f.fixed and f.rule not in ("footnote-unused", "text-outside-notes")]
    if fixed:
        lines += ["## Repaired", ""] + [f"- line {f.line}: {f.message}" for f in fixed] + [""]
    if left:
        lines += ["## Problems left in the post", ""] + [f"- line {f.line}: `{f.rule}` {f.message}" for f in left] + [""]
    if post.outside:
        lines += ["## Text outside any note", "", "Kept verbatim, with the post's line numbers.", ""]
        for line, block in post.outside:
            lines += [f"line {line}:", "", "~~~~markdown", block, "~~~~", ""]
    if post.unused:
        lines += ["## Footnote definitions no note references", "",
                  "Kept here so nothing is lost; paste one into a note to use it.", ""]
        lines += [d.text for d in post.unused] + [""]
    return "\n".join(lines)
