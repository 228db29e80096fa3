"""CLI commands `search` and `db` (registered lazily by tilbook.cli)."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from ..notes import find_notebook, load_notebook


def _root() -> Path:
    directory = click.get_current_context().find_root().obj.get("directory")
    return find_notebook(Path(directory or "."))


@click.command("search")
@click.argument("query")
@click.option("--category", help="Only notes of this category.")
@click.option("--tag", help="Only notes with this tag.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("-n", "limit", type=int, default=20, show_default=True, help="At most N results.")
def search(query: str, category: str | None, tag: str | None, as_json: bool, limit: int) -> None:
    """Find notes: Korean substrings of any length, English words, "quoted phrases"."""
    from .fts import connect, refresh
    from .fts import search as run_search

    notebook = load_notebook(_root())
    con = connect(notebook.root)
    refresh(con, notebook)
    hits = run_search(con, query, category=category, tag=tag, limit=limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps({"date": hit.date, "category": hit.category, "title": hit.title,
                                   "snippet": hit.snippet, "path": hit.path, "draft": hit.draft,
                                   "tags": list(hit.tags)}, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console(highlight=False)
        for hit in hits:
            emoji = notebook.config.emoji(hit.category)
            draft = " [red](draft)[/red]" if hit.draft else ""
            console.print(f"[bold]{escape(hit.title)}[/bold]{draft}  [dim]{hit.date} · {emoji} {escape(hit.category)} · {escape(hit.path)}[/dim]")
            marked = re.sub(r"<mark>(.*?)</mark>", lambda m: f"[black on yellow]{escape(m.group(1))}[/black on yellow]",
                            escape(hit.snippet).replace("\\<mark>", "<mark>"))
            console.print("  " + marked)
        click.echo(f"{len(hits)} {'note' if len(hits) == 1 else 'notes'}", err=True)
    sys.exit(0 if hits else 1)


@click.command("db")
@click.argument("target", type=click.Path(dir_okay=False))
@click.option("--drafts", is_flag=True, help="Include drafts (never publish such a file).")
def db(target: str, drafts: bool) -> None:
    """Export the notebook to an SQLite file for Datasette (metadata.json beside it)."""
    from .dbexport import export_database

    count = export_database(load_notebook(_root()), Path(target), drafts=drafts)
    click.echo(f"wrote {count} notes to {target} (and metadata.json); try: datasette {target} -m "
               f"{Path(target).parent / 'metadata.json'}")
