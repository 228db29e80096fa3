"""The `tilbook` command: a thin layer that parses options, calls the library and prints.

Library errors (TilbookError) become one line on stderr naming file and line, with exit status 2
for bad input and 1 for failed checks; no traceback ever reaches the user.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

from .errors import TilbookError, UsageError
from .notes import find_notebook, load_notebook


def _root(ctx: click.Context) -> Path:
    return find_notebook(Path(ctx.obj.get("directory") or "."))


def _shown(path: Path) -> str:
    """A path relative to the current folder when inside it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.replace(".", "-"))
    except ValueError:
        raise UsageError(f"--date {value} is not a date", hint="write YYYY-MM-DD") from None


class _LazyGroup(click.Group):
    """Commands that live in their own modules are imported only when used (fast start-up)."""

    lazy = {"check": "tilbook.checks.command:check", "search": "tilbook.search.command:search",
            "db": "tilbook.search.command:db", "serve": "tilbook.serve:serve"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib
            module, attr = self.lazy[name].split(":")
            return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "directory", type=click.Path(file_okay=False), help="Run in this notebook folder.")
@click.version_option(package_name="tilbook")
@click.pass_context
def cli(ctx: click.Context, directory: str | None) -> None:
    """tilbook: a Today-I-Learned notebook of plain markdown notes."""
    ctx.obj = {"directory": directory}


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--title", help="The notebook's title.")
def init(directory: str, title: str | None) -> None:
    """Create a new notebook in DIRECTORY (default: here)."""
    from .capture import init_notebook

    config = init_notebook(Path(directory), title=title)
    click.echo(f"created {_shown(config)}")


@cli.command()
@click.argument("text", required=False)
@click.option("-c", "--category", required=True, help="Category name (see [categories]).")
@click.option("-t", "--tag", "tags", multiple=True, help="A tag; repeat for more.")
@click.option("--date", help="YYYY-MM-DD (default: today).")
@click.option("--title", help="Title (default: the first sentence).")
@click.option("--draft", is_flag=True, help="Keep the note out of the published site.")
@click.option("--new-category", is_flag=True, help="Allow a category not in tilbook.toml yet.")
@click.option("--emoji", default="", help="Emoji of a new category.")
@click.pass_context
def new(ctx: click.Context, text: str | None, category: str, tags: tuple[str, ...], date: str | None,
        title: str | None, draft: bool, new_category: bool, emoji: str) -> None:
    """Write one note; with no TEXT, read stdin or open $EDITOR. Prints the new file's path."""
    from .capture import new_note

    root = _root(ctx)
    if text is None:
        text = sys.stdin.read() if not sys.stdin.isatty() else _edit()
    path = new_note(root, text, category=category, tags=list(tags), date=_date(date), title=title,
                    draft=draft, allow_new_category=new_category, emoji=emoji)
    click.echo(_shown(path))


def _edit() -> str:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".md", delete=False, encoding="utf-8") as handle:
        name = handle.name
    try:
        subprocess.run([*editor.split(), name], check=False)
        return Path(name).read_text(encoding="utf-8")
    finally:
        Path(name).unlink(missing_ok=True)


@cli.command("import")
@click.argument("posts", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would be written, write nothing.")
@click.pass_context
def import_(ctx: click.Context, posts: tuple[str, ...], dry_run: bool) -> None:
    """Split digest POSTS into notes (idempotent; sources are never modified)."""
    from .importer import import_posts

    result = import_posts(_root(ctx), [Path(p) for p in posts], dry_run=dry_run)
    for path, finding in result.findings:
        state = "repaired" if finding.fixed else "note"
        click.echo(f"{_shown(path)}:{finding.line}: {state}: [{finding.rule}] {finding.message}", err=True)
    verb = "would create" if dry_run else "created"
    for path in result.created:
        click.echo(f"{verb} {_shown(path)}")
    for path in result.merged:
        click.echo(f"{'would merge' if dry_run else 'merged'} {_shown(path)}")
    for image in result.images:
        click.echo(f"{'would copy' if dry_run else 'copied'} image {_shown(image)}")
    for name, emoji in result.new_categories.items():
        click.echo(f"{'would add' if dry_run else 'added'} category {emoji} {name}".replace("  ", " "))
    click.echo(f"{len(result.created)} new, {len(result.merged)} merged, {len(result.unchanged)} unchanged"
               + (" (dry run: nothing written)" if dry_run else ""))


@cli.command()
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--order", type=click.Choice(["asc", "desc"]), help="Oldest or newest first (default: the notebook's).")
@click.option("--style", type=click.Choice(["category", "date"]), default="category", show_default=True,
              help="Headings: '<emoji> <category>' + date line, or '🗓 <date>'.")
@click.option("--title", help="Title of the post.")
@click.option("--draft", is_flag=True, help="Write a draft post (includes draft notes).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.pass_context
def export(ctx: click.Context, category: str | None, tag: str | None, order: str | None, style: str,
           title: str | None, draft: bool, output: str | None) -> None:
    """Write notes as one digest post (the lumen format)."""
    from .exporter import export_post
    from .fsutil import atomic_write

    text = export_post(load_notebook(_root(ctx)), category=category, tag=tag, order=order, style=style,
                       title=title, draft=draft)
    if output:
        atomic_write(Path(output), text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@cli.command("list")
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--drafts", is_flag=True, help="Include drafts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def list_(ctx: click.Context, category: str | None, tag: str | None, drafts: bool, as_json: bool) -> None:
    """List notes, newest first."""
    from .exporter import select_notes

    notebook = load_notebook(_root(ctx))
    notes = sorted(select_notes(notebook, category=category, tag=tag, drafts=drafts),
                   key=lambda n: (n.date, n.rel), reverse=True)
    if as_json:
        for note in notes:
            row: dict[str, Any] = {"date": note.date.isoformat(), "category": note.category,
                                   "emoji": notebook.config.emoji(note.category), "tags": list(note.tags),
                                   "title": note.title, "draft": note.draft, "slug": note.slug, "path": note.rel}
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, show_edge=False)
    for column in ("date", "category", "title", "tags"):
        table.add_column(column)
    for note in notes:
        emoji = notebook.config.emoji(note.category)
        table.add_row(note.date.isoformat(), f"{emoji} {note.category}".strip(),
                      note.title + (" [dim](draft)[/dim]" if note.draft else ""), ", ".join(note.tags))
    Console().print(table)
    click.echo(f"{len(notes)} notes")


@cli.command()
@click.argument("notebook", required=False, type=click.Path(file_okay=False))
@click.option("-o", "--output", type=click.Path(), help="Output folder (default: site/ in the notebook).")
@click.option("--drafts", is_flag=True, help="Show drafts (marked; such a build must not be published).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors: nothing is written.")
@click.option("-j", "--jobs", type=int, help="Worker processes for rendering (default: all cores).")
@click.pass_context
def build(ctx: click.Context, notebook: str | None, output: str | None, drafts: bool, strict: bool,
          jobs: int | None) -> None:
    """Build the static site."""
    from .site.build import build_site

    root = find_notebook(Path(notebook)) if notebook else _root(ctx)
    progress = _BuildProgress() if sys.stderr.isatty() else None  # CI gets the summary line only
    try:
        result = build_site(root, Path(output) if output else None, drafts=drafts, strict=strict, workers=jobs,
                            progress=progress)
    finally:
        if progress:
            progress.close()
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"built {_shown(result.out)}: {result.summary()}")


class _BuildProgress:
    """A Rich progress bar on stderr, shown only once a build has taken half a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < 0.5:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def main() -> None:
    """Entry point: run the CLI and turn every library error into one line and a status."""
    try:
        cli.main(standalone_mode=False)
    except TilbookError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_status)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        click.echo(f"error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a bug: still one line, and a way to see more
        if os.environ.get("TILBOOK_DEBUG"):
            raise
        click.echo(f"error: internal error {type(exc).__name__}: {exc} "
                   "(please report it; TILBOOK_DEBUG=1 shows the traceback)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
