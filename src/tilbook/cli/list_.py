"""`tilbook list`: the notes, newest first, as a table or JSON lines."""
from __future__ import annotations

import json
from typing import Any

import click

from ..notes import load_notebook
from .common import notebook_root


@click.command("list")
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--drafts", is_flag=True, help="Include drafts.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_(category: str | None, tag: str | None, drafts: bool, as_json: bool) -> None:
    """List notes, newest first."""
    from ..exporter import select_notes

    from ..gitdates import created_updated, note_history
    from ..notes import cache_dir

    notebook = load_notebook(notebook_root())
    history = note_history(notebook.root, cache_dir(notebook.root))
    if history.warning:
        click.echo(f"note: {history.warning}", err=True)
    notes = sorted(select_notes(notebook, category=category, tag=tag, drafts=drafts),
                   key=lambda n: (n.date, n.rel), reverse=True)
    if as_json:
        for note in notes:
            row: dict[str, Any] = {"date": note.date.isoformat(), "category": note.category,
                                   "emoji": notebook.config.emoji(note.category), "tags": list(note.tags),
                                   "title": note.title, "draft": note.draft, "slug": note.slug, "path": note.rel}
            created, updated = created_updated(note, history.dates.get(note.rel))
            row["created"], row["updated"] = created.isoformat(), updated.isoformat()
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
